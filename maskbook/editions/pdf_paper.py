"""Paper manners for the PDF edition: what a page of the site becomes on paper (maskbook.editions.pdf).

- Screen-only wording goes: a "Download X" link prints as the file and its address on the site,
  the few sentences that speak of hovering print as their paper equivalent (``PAPER_WORDING``);
- web addresses print whole (the site shortens them with "…"; the link holds the address), with
  break opportunities after slashes and before dots, so they wrap at sensible points;
- body text carries soft hyphens from Pyphen (Chromium has no hyphenation dictionary offline),
  so justified lines hyphenate;
- each code line is a block of its own, so a wrapped line is indented under its start;
- a table cell that holds a number never breaks inside it;
- Chinese text is set upright and regular in the CJK face;
- the Data appendix's table pages shrink to a summary (what the table holds, its source, its
  columns, two example rows); the rows print in full in the data edition.
"""
from __future__ import annotations

import functools
import re

from bs4 import BeautifulSoup, NavigableString, Tag

from maskbook.language import N_, _, current, number

#: Words that only make sense on a screen, in the site's languages; none may be printed (tests
#: check the PDFs for them). ("Mostra i dati", not "Mostra": "Mostrate" asks for an answer.)
SCREEN_ONLY_PHRASES = ("Download", "hover", "Click to", "Show code",
                       "Scarica", "Mostra i dati", "Mostra il codice", "passate il cursore", "Fate clic", "Clicca")
#: Sentences of the prose that speak of the screen, as each language's site writes them, and what
#: they say on paper (translated).
PAPER_WORDING = {
    N_("the interactive chart on the book's site names each one"): {
        "en": r"hover over a dot(?: \(|, )or open the data below the chart(?:\)|,) to read it",
        "it": r"per leggerlo, passate il cursore su un punto(?: \(|, | )o aprite i dati sotto il grafico\)?"},
    N_("Web addresses are printed whole; the “archived copy” is"): {
        "en": r"A web address is shown shortened; the link holds the full address, and “archived copy” leads to",
        "it": r"Gli indirizzi web sono mostrati abbreviati; il collegamento contiene l’indirizzo completo, e "
              r"“archived copy” porta alla"},
}
#: A download link's words before what it downloads (an Italian page may keep an English link).
DOWNLOAD = re.compile(r"^(?:Download( the data:)?|Scarica( i dati:)?)\s*")
#: Pyphen's dictionary for each language's pages.
HYPHENATION = {"en": "en_GB", "it": "it_IT"}
#: Text never hyphenated: code, links, headings, captions, labels and table cells.
NO_HYPHENS = {"code", "pre", "a", "h1", "h2", "h3", "h4", "h5", "h6", "figcaption", "th", "td", "kbd", "svg",
              "style", "script", "span"}
WORD = re.compile(r"[A-Za-zÀ-ÿ]{6,}")
NUMBER = re.compile(r"^[−\-+]?[\d.,\s%]+$")
EXAMPLE_ROWS = 2
FILE_NAME = re.compile(r"^[\w.-]+\.\w+$")


@functools.cache
def _hyphenator(lang: str):
    import pyphen

    return pyphen.Pyphen(lang=HYPHENATION[lang])


@functools.cache
def hyphenate_word(word: str, lang: str) -> str:
    return _hyphenator(lang).inserted(word, hyphen="\u00ad")


def hyphenate(root: Tag) -> None:
    """Soft hyphens in every word of six letters or more of the running text under ``root``, in
    the current language's patterns."""
    lang = current()
    for text in list(root.find_all(string=True)):
        if type(text) is not NavigableString or any(p.name in NO_HYPHENS for p in text.parents):
            continue  # a comment, or code, a link, a heading, a table cell...
        new = WORD.sub(lambda m: hyphenate_word(m.group(0), lang), str(text))
        if new != str(text):
            text.replace_with(NavigableString(new))


def breakable_url(soup: BeautifulSoup, url: str) -> list:
    """``url`` without its scheme, with break opportunities (<wbr>) where the Chicago Manual puts
    them: before a slash, dot, comma, hyphen, underscore, question mark, number sign or percent
    sign, before or after an equals sign or ampersand."""
    shown = re.sub(r"^https?://", "", url)
    parts = re.split(r"(?=[/~.,\-_?#%=&])|(?<=[=&])", shown)
    out = []
    for i, part in enumerate(p for p in parts if p):
        if i:
            out.append(soup.new_tag("wbr"))
        out.append(NavigableString(part))
    return out


def print_link_address(soup: BeautifulSoup, link: Tag) -> None:
    """The link's text becomes its whole address."""
    link.clear()
    for piece in breakable_url(soup, link["href"]):
        link.append(piece)
    link["class"] = (link.get("class") or []) + ["pdf-url"]


def whole_urls(soup: BeautifulSoup, root: Tag) -> None:
    """Shortened addresses ("www.example.org/a/b…") and "archived copy" links print whole."""
    for link in root.select("a[href^='http']"):
        text = link.get_text()
        if text.endswith("…"):
            print_link_address(soup, link)
        elif text.startswith("archived cop"):
            link.insert_before(text + ": ")
            print_link_address(soup, link)


def site_address(base_url: str | None, path: str) -> str | None:
    return f"{base_url}{path}" if base_url else None


def downloads(soup: BeautifulSoup, root: Tag, base_url: str | None) -> None:
    """"Download X" links print as "X" and the address of the file on the site."""
    for link in root.select("a"):
        text = link.get_text(" ", strip=True)
        if not DOWNLOAD.match(text):
            continue
        what = DOWNLOAD.sub("", text)
        href = link.get("href", "")
        link.clear()
        if not href.startswith("http"):
            link.append(_("{what} (on the book's site)").format(what=what))
            link.unwrap()
            continue
        if not FILE_NAME.match(what):  # "the teaching pack (zip)": what it is, then where
            link.append((what[:1].upper() + what[1:] if link.previous_sibling is None else what) + ": ")
        for piece in breakable_url(soup, href):
            link.append(piece)


def paper_wording(root: Tag) -> None:
    wording = {patterns[current()]: _(replacement) for replacement, patterns in PAPER_WORDING.items()}
    for text in list(root.find_all(string=True)):
        new = str(text)
        for pattern, replacement in wording.items():
            new = re.sub(pattern, replacement, new)
        if new != str(text):
            text.replace_with(NavigableString(new))


def code_lines(soup: BeautifulSoup, root: Tag) -> None:
    """Each line of a code block in its own block (``span.pdf-line``): wrapped lines hang indented."""
    for pre in root.select("pre"):
        lines: list[list] = [[]]
        for node in list(pre.contents):
            pieces = str(node.string if isinstance(node, Tag) else node).split("\n") if node.get_text() else [""]
            for i, piece in enumerate(pieces):
                if i:
                    lines.append([])
                if not piece:
                    continue
                if isinstance(node, Tag):
                    copy = soup.new_tag(node.name, attrs=dict(node.attrs))
                    copy.string = piece
                    lines[-1].append(copy)
                else:
                    lines[-1].append(NavigableString(piece))
        if lines and not lines[-1]:
            lines.pop()
        pre.clear()
        for line in lines:
            span = soup.new_tag("span", attrs={"class": "pdf-line"})
            for piece in line or [NavigableString("\u200b")]:
                span.append(piece)
            pre.append(span)


def number_cells(soup: BeautifulSoup, root: Tag) -> None:
    """Table cells holding a number print on one line (never "8010000 / 00"); column names
    (``fieldwork_start``) may break after an underscore."""
    for cell in root.select("td, th"):
        if cell.find(True) is None and NUMBER.match(cell.get_text(strip=True) or "x"):
            cell["class"] = (cell.get("class") or []) + ["pdf-num"]
    for text in list(root.select_one("table") and root.find_all(string=re.compile(r"[a-z]_[a-z]")) or []):
        if text.parent.name == "th":
            pieces = str(text).split("_")
            for i, piece in enumerate(pieces):
                text.insert_before(piece + ("_" if i < len(pieces) - 1 else ""))
                if i < len(pieces) - 1:
                    text.insert_before(soup.new_tag("wbr"))
            text.extract()


CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]+")


def cjk_runs(soup: BeautifulSoup, root: Tag) -> None:
    """Chinese text in a ``span.pdf-cjk``: set upright and regular in the CJK face (Chromium's
    slanted or emboldened fallback font gets a different number in each run: the PDFs would differ)."""
    for text in list(root.find_all(string=CJK)):
        if type(text) is not NavigableString or text.parent.name in ("style", "script"):
            continue
        pieces = []
        at = 0
        for match in CJK.finditer(str(text)):
            pieces.append(NavigableString(str(text)[at:match.start()]))
            span = soup.new_tag("span", attrs={"class": "pdf-cjk"})
            span.string = match.group(0)
            pieces.append(span)
            at = match.end()
        pieces.append(NavigableString(str(text)[at:]))
        for piece in pieces:
            text.insert_before(piece)
        text.extract()


def for_paper(soup: BeautifulSoup, root: Tag, base_url: str | None) -> None:
    """Everything a page's content needs before print (see the module's docstring)."""
    cjk_runs(soup, root)
    paper_wording(root)
    downloads(soup, root, base_url)
    whole_urls(soup, root)
    code_lines(soup, root)
    number_cells(soup, root)


# ------------------------------------------------------------------ the Data appendix in the book
def table_summary(soup: BeautifulSoup, section: Tag, data_edition: str) -> Tag:
    """A table's page of the Data appendix, shrunk for the book: its title, what it holds, its
    sources in one paragraph, its columns and the first rows (fields as recorded and source)."""
    summary = soup.new_tag("section", attrs={"id": section.get("id", ""), "class": "pdf-table-summary"})
    for child in list(section.children):
        if isinstance(child, Tag) and child.name == "section":
            continue
        summary.append(child.extract() if isinstance(child, Tag) else NavigableString(str(child)))
    measures = section.find("section", id=re.compile(r"what-it-measures$"))
    if measures is not None:
        for p in measures.find_all("p", recursive=False):
            summary.append(p)
    sources = section.find("section", id=re.compile(r"sources$"))
    if sources is not None:
        cites = sources.select("li")
        para = soup.new_tag("p", attrs={"class": "pdf-summary-sources"})
        para.append(soup.new_tag("strong"))
        para.strong.string = _("Sources ({count} documents in the bibliography): ").format(count=number(len(cites)))
        for i, li in enumerate(cites):
            if i:
                para.append("; ")
            for child in list((li.p or li).children):
                para.append(child)
        summary.append(para)
    rows = section.select("table.mb-rows tbody tr")
    columns = list(dict.fromkeys(dt.get_text() for row in rows for dt in row.select("dt")))
    if columns:
        para = soup.new_tag("p", attrs={"class": "pdf-summary-columns"})
        para.append(soup.new_tag("strong"))
        para.strong.string = _("Columns as recorded: ")
        for i, name in enumerate(columns):
            if i:
                para.append(", ")
            code = soup.new_tag("code")
            code.string = name
            para.append(code)
        para.append(_(", with each row's id, source, locator and notes."))
        summary.append(para)
    if rows:
        table = soup.new_tag("table", attrs={"class": "mb-rows pdf-example-rows"})
        head = BeautifulSoup("<thead><tr>" + "".join(f'<th scope="col">{name}</th>' for name in (
            _("Row"), _("Fields as recorded"), _("Source"))) + "</tr></thead>", "html.parser")
        table.append(head)
        body = soup.new_tag("tbody")
        for row in rows[:EXAMPLE_ROWS]:
            for cell in row.find_all("td")[2:]:
                cell.decompose()
            body.append(row)
        table.append(body)
        caption = soup.new_tag("p", attrs={"class": "pdf-summary-columns"})
        caption.append(soup.new_tag("strong"))
        caption.strong.string = _("The first {shown} of its {count} rows. ").format(
            shown=number(min(EXAMPLE_ROWS, len(rows))), count=number(len(rows)))
        caption.append(_("Every row, with its source, notes and the places the book uses it, is in {data_edition}.")
                       .format(data_edition=data_edition))
        summary.append(caption)
        summary.append(table)
    return summary
