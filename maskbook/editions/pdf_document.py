"""The PDF edition's HTML documents (maskbook.editions.pdf): the book (title page, verso, contents,
chapters), the chapter handouts and the data edition, styled by ``pdf_templates/print.css`` and
the vendored book face."""
from __future__ import annotations

import copy
import functools
import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from maskbook.edition import Book
from maskbook.editions.pdf_page import Page, anchor, with_sections
from maskbook.language import N_, _, current

TEMPLATES = Path(__file__).parent / "pdf_templates"
PAPER = {"a4": ("A4", 210, 297), "letter": ("letter", 216, 279)}  # CSS size; width, height in mm
MARGINS = (24, 49, 28, 49)  # mm: top, right, bottom, left (a 112 mm measure on A4)
DATA_MARGINS = (20, 16, 24, 16)  # the data edition's row tables: a 178 mm measure


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ").replace("'", "\u2019") + '"'


def page_styles(book: Book, paper: str, heads: list[tuple[str, str]], margins: tuple = MARGINS) -> str:
    """Paper size, running heads: the book's title left, each named page's title right."""
    size, _width, height = PAPER[paper]
    top, right, bottom, left = margins
    rules = [f"@page {{ size: {size}; margin: {top}mm {right}mm {bottom}mm {left}mm; "
             f"@top-left {{ content: {_css_string(book.title)}; }} }}",
             f".pdf-title-page, .pdf-verso {{ min-height: {height - top - bottom - 2}mm; }}"]  # the page less its margins
    for name, title in heads:
        rules.append(f"@page {name} {{ @top-right {{ content: {_css_string(title)}; }} }}")
    return "\n".join(rules)


BOOK_FACE = "EB Garamond 12"  # print.css's family (SIL OFL), vendored: maskbook/vendor/fonts/
FONTS = Path(__file__).resolve().parent.parent / "vendor" / "fonts"
#: The face's TrueType files, by the CSS that selects each (Chromium embeds OpenType (CFF) files
#: as Type 3 fonts, and fakes a bold it is not given). No bold italic: the bold serves it.
FACE_FILES = {
    "EBGaramond12-Regular.ttf": ["font-weight: 400; font-style: normal"],
    "EBGaramond12-Italic.ttf": ["font-weight: 400; font-style: italic"],
    "EBGaramond12-Bold.ttf": ["font-weight: 700; font-style: normal", "font-weight: 700; font-style: italic"],
}
#: The bold holds only the ASCII letters: its other characters (curly quotes, dashes, accented
#: letters...) come from the upright or italic file, not from another family (DejaVu Serif).
BOLD_GAPS = {"font-style: normal": "EBGaramond12-Regular.ttf", "font-style: italic": "EBGaramond12-Italic.ttf"}


def unicode_ranges(code_points: set[int]) -> str:
    """``code_points`` as a CSS ``unicode-range`` value (runs of consecutive points as ranges)."""
    runs, points = [], sorted(code_points)
    for point in points:
        if runs and point == runs[-1][1] + 1:
            runs[-1][1] = point
        else:
            runs.append([point, point])
    return ", ".join(f"U+{a:X}" if a == b else f"U+{a:X}-{b:X}" for a, b in runs)


@functools.cache
def code_points(name: str) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    return frozenset(TTFont(FONTS / name).getBestCmap())


@functools.cache
def book_face_css() -> str:
    """``@font-face`` rules naming the vendored book face's files; for the bold, what its file
    lacks from the upright or italic file (CSS tries the last rule of a face first)."""
    rules = [f'@font-face {{ font-family: "{BOOK_FACE}"; src: url("{(FONTS / name).as_uri()}"); {style}; }}'
             for name, styles in FACE_FILES.items() for style in styles]
    bold = code_points("EBGaramond12-Bold.ttf")
    rules += [f'@font-face {{ font-family: "{BOOK_FACE}"; src: url("{(FONTS / name).as_uri()}"); font-weight: 700; '
              f"{style}; unicode-range: {unicode_ranges(set(code_points(name) - bold))}; }}"
              for style, name in BOLD_GAPS.items()]
    return "\n".join(rules)


def document(book: Book, site: Path, paper: str, heads: list[tuple[str, str]], body: str, title: str,
             margins: tuple = MARGINS) -> str:
    css = book_face_css() + "\n" + (TEMPLATES / "print.css").read_text(encoding="utf-8")
    pygments = site / "_static" / "pygments.css"
    css += "\n" + (pygments.read_text(encoding="utf-8") if pygments.is_file() else "")
    return (f'<!DOCTYPE html>\n<html lang="{current()}" class="pdf-loading"><head><meta charset="utf-8">'
            f'<title>{html.escape(title)}</title>\n'
            f"<style>\n{css}\n{page_styles(book, paper, heads, margins)}\n</style></head>\n<body>\n{body}\n</body></html>\n")


def title_page(book: Book, edition: str) -> str:
    """The title page (recto) and its verso: the site, licence, source essay, citation, edition."""
    esc = html.escape
    site = (f'<p>{_("Online, with interactive charts and the data:")} <a href="{esc(book.base_url)}">{esc(book.base_url)}</a></p>'
            if book.base_url else "")
    source = f"<h2>{_('The essay it retells')}</h2><p>{book.source_work}.</p>" if book.source_work else ""
    return f"""<section class="pdf-title-page">
<h1>{esc(book.title)}</h1>
<p class="pdf-subtitle">{esc(book.subtitle[:1].upper() + book.subtitle[1:])}</p>
<p class="pdf-authors">{esc(", ".join(book.authors))}</p>
</section>
<section class="pdf-verso" aria-label="{esc(_('Edition, licence and citation'))}">
<div class="pdf-colophon">
<p class="pdf-edition">{esc(book.edition())}. {esc(edition)}</p>
{site}
<h2>{_("Licence")}</h2>{book.licence_html}
{source}
<h2>{_("How to cite")}</h2><p>{esc(book.cite(_("edition")))}</p>
</div>
</section>"""


@dataclass
class Numbering:
    """Chapter numbers (1-7 for the first part's chapters, letters for the appendices) and where
    each part begins."""

    labels: dict[str, tuple[str, str]]  # docname -> ("Chapter", "2") or ("Appendix", "A")

    @classmethod
    def of(cls, book: Book) -> Numbering:
        labels, numbered = {}, False
        for caption, docs in book.parts:
            if not caption:
                continue
            if caption.lower().startswith("append"):
                labels.update({d: (N_("Appendix"), chr(ord("A") + i)) for i, d in enumerate(docs)})
            elif not numbered:
                numbered = True
                labels.update({d: (N_("Chapter"), str(i)) for i, d in enumerate(docs, start=1)})
        return cls(labels)

    def number(self, doc: str) -> str:
        return self.labels.get(doc, ("", ""))[1]

    def name(self, doc: str) -> str:
        """"Chapter 2", "Appendice A": in the current language."""
        kind, number = self.labels.get(doc, ("", ""))
        return f"{_(kind)} {number}" if kind else ""


def page_label(pages: dict[str, int], key: str, front: int) -> str:
    """The printed number of the page holding ``key`` ('' before the first print)."""
    return str(pages[key] - front + 1) if key in pages else ""


def contents(book: Book, pages: dict[str, Page], numbering: Numbering, where: dict[str, int], front: int,
             docs: list[list[str]] | None = None) -> str:
    """The contents page; ``where``: each anchor's page (empty on the first print)."""
    items = []
    for caption, part_docs in docs or book.parts:
        if caption:
            items.append(f'<li class="pdf-contents-part">{html.escape(caption)}</li>')
        for doc in part_docs:
            number = numbering.number(doc)
            items.append(f'<li class="pdf-level-1"><a href="#{anchor(doc)}"><span class="pdf-number">{number}</span>'
                         f'<span class="pdf-entry">{html.escape(pages[doc].title)}</span>'
                         f'<span class="pdf-page">{page_label(where, anchor(doc), front)}</span></a></li>')
    return '<nav class="pdf-contents"><h1>' + _("Contents") + '</h1>\n<ol>\n' + "\n".join(items) + "\n</ol></nav>"


def chapter(page: Page, n: int, part: str, solutions: bool, label: str = "", before: str = "", after: str = "") -> str:
    """One page of the book as a chapter: a named page ``chapter-n`` (its running head)."""
    body = page.body
    if not solutions and body.select_one("div.solution"):  # a copy (slow) only to leave something out
        body = copy.copy(body)
        for el in body.select("div.solution"):
            el.decompose()
    opener = "".join(f'<p class="{cls}">{html.escape(text)}</p>\n' for cls, text in
                     [("pdf-part", part), ("pdf-chapter-number", label)] if text)
    return f'<div class="pdf-chapter" style="page: chapter-{n}">\n{before}{opener}{body}{after}\n</div>'


#: A link inside the document (its target in group 1, its content in group 2), and an element's id.
LINK = re.compile(r'<a\s[^>]*?\bhref="#([^"]*)"[^>]*>(.*?)</a\s*>', re.S)
ID = re.compile(r'\sid="([^"]*)"')


def drop_dangling_links(text: str) -> str:
    """Unwrap every ``#id`` link whose target is not in the document (e.g. a solution not printed).
    ``text`` is made by BeautifulSoup (well formed; links do not nest): parsed again, it would take seconds."""
    ids = set(ID.findall(text))
    return LINK.sub(lambda m: m.group(0) if m.group(1) in ids else m.group(2), text)


FRONT = 3  # title page, verso, contents: numbered i-iii (a longer contents shifts only the labels)


def targets(ids: list[str]) -> str:
    """Links to ``ids`` that print nothing: Chromium writes a named destination for each, so the
    printed PDF says on which page each id is."""
    return '<div class="pdf-targets">' + "".join(f'<a href="#{i}"></a>' for i in ids) + "</div>"


def book_body(book: Book, pages: dict[str, Page], numbering: Numbering) -> tuple[Callable[[dict], str], list]:
    """The book's body as a function of ``where`` (each anchor's page, for the contents), and its
    running heads. The chapters, which do not change between prints, are made once."""
    parts = {doc: caption for caption, docs in book.parts for doc in docs}
    order = [doc for _, docs in book.parts for doc in docs]
    chapters = [chapter(pages[doc], n, parts[doc], solutions=True, label=numbering.name(doc)) for n, doc in enumerate(order)]
    figures = [el["id"] for doc in order for el in pages[doc].body.select("[id*='--fig-']")]
    chapters.append(targets(figures))
    fixed = drop_dangling_links("\n".join(chapters))  # the contents link only to chapters
    front = title_page(book, _("Instructor's edition: the exercises with their solutions."))
    heads = [(f"chapter-{n}", pages[doc].title) for n, doc in enumerate(order)]
    return (lambda where: "\n".join([front, contents(book, pages, numbering, where, FRONT), fixed])), heads


def handout_block(book: Book, page: Page, what: str) -> str:
    esc = html.escape
    url = f"{book.base_url}{page.docname}.html" if book.base_url else ""
    online = f' {_("Online:")} <a href="{esc(url)}">{esc(url)}</a>.' if url else ""
    return (f'<header class="pdf-title-block"><p><strong>{esc(book.title)}</strong> · {esc(book.edition())}</p>'
            f"<p>{what}{online}</p><p>{_('How to cite:')} {esc(book.cite(_('edition')))}</p></header>")


def handout_body(book: Book, page: Page, bibliography: Page | None, label: str) -> str:
    block = handout_block(book, page, _("Chapter handout, student's edition: the exercises without their solutions."))
    refs = ""
    if bibliography is not None and page.docname != bibliography.docname and page.cited:
        entries = {el["id"]: el for el in bibliography.body.select("div.citation")}
        found = [str(entries[i]) for i in dict.fromkeys(page.cited) if i in entries]
        if found:
            refs = '<section class="pdf-references"><h2>' + _("References") + '</h2>\n' + "\n".join(found) + "</section>"
    return drop_dangling_links(chapter(page, 0, "", solutions=False, label=label, before=block, after=refs))


LISTING = "<!--pdf-listing-->"  # where the data edition's list of tables goes


def data_edition_body(book: Book, page: Page, tables: list[Page], book_where: dict[str, int]) -> Callable[[dict], str]:
    """The data edition, as a function of ``where`` (each table's page, for its list of tables):
    the Data appendix with every row of every table and each row's uses in the book with the
    book's page. The rows, which do not change between prints, are made once."""
    body = with_sections(page, tables).body
    figure = re.escape(_("{page}, figure {number}").partition("{page}")[2].partition("{number}")[0])  # ", figure "
    for item in body.select(f"td[data-label='{_('Used in')}'] li"):
        link = item.find("a")
        if link is None:
            continue
        target = link["href"][1:]
        text = re.sub(rf"{figure}\d+$", "", link.get_text(" ", strip=True))
        link.string = (_("{use}, p. {page}").format(use=text, page=page_label(book_where, target, FRONT))
                       if target in book_where else text)
        link.unwrap()  # a page of the book, not of this PDF
    block = handout_block(book, page, _("The data edition: every row of the book's tables, with its source, its "
                                        "notes and the pages of the book that use it (book.pdf)."))
    data_page = Page(page.docname, page.title, body, page.cited)
    fixed = drop_dangling_links(chapter(data_page, 0, "", solutions=False, before=LISTING))  # the list links to tables

    def with_listing(where: dict[str, int]) -> str:
        items = "".join(f'<li class="pdf-level-1"><a href="#{t.body["id"]}"><span class="pdf-entry">{html.escape(t.title)}</span>'
                        f'<span class="pdf-page">{page_label(where, t.body["id"], 0)}</span></a></li>' for t in tables)
        listing = f'<nav class="pdf-contents pdf-data-contents"><h2>{_("Tables")}</h2><ol>{items}</ol></nav>'
        return fixed.replace(LISTING, block + listing, 1)

    return with_listing
