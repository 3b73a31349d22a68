"""The PDF edition: the whole book and each chapter as a typeset PDF (``python -m maskbook.editions.pdf``).

Reads the built site (``_build/html``, from ``jupyter-book build .``) and writes ``_build/pdf/``:

- ``book.pdf``: the whole book, the *instructor's edition* (exercises with their solutions): a title
  page and its verso (edition, licence, citation) from ``CITATION.cff``, contents with chapter
  numbers (1-7, the appendices A-D) and page numbers, every page of ``_toc.yml`` in order, the
  notes concordance, the data appendix (one short summary per table) and the bibliography; the
  front matter's pages are labelled i, ii, iii, chapter 1 starts on page 1;
- ``data.pdf``: the Data appendix's handout is the *data edition*: every row of every table, its
  own list of tables with pages, and for each row the pages of ``book.pdf`` that use it;
- ``<page>.pdf`` for every other chapter of ``_toc.yml`` (``aid.pdf``, ...): the chapter
  *handout*, the student's edition (no solutions), with the works it cites listed at its end.

A chapter's sub-pages (``sections:`` in ``_toc.yml``, e.g. the data appendix's one page per table)
print inside it, as its sections: their headings one level down, in the outline under the chapter.

Each PDF is one HTML document made from the pages' article HTML (no theme, no scripts, so no
interactive control), styled by ``pdf_templates/print.css`` and printed by Debian's Chromium
through Playwright (``CHROMIUM_PATH``, default /usr/bin/chromium), offline. Chromium gives paged
media (``@page`` margin boxes: running heads, page numbers), text, embedded font subsets, a tagged
PDF and an outline from the headings, and links. It has no ``target-counter()``, so the book is
printed twice: Chromium writes a named destination for every element a link points to, so the
first print says on which page each chapter (and each figure the data edition refers to) is, and
the second prints the contents with those numbers. What paper needs besides (whole web addresses,
no screen wording, soft hyphens, code lines, table summaries) is :mod:`maskbook.editions.pdf_paper`.
pypdf then sets the metadata (title, authors, subject, language) and fixed dates and file identifiers, so
the same site gives the same bytes.

Charts print as their static SVG (vector), with title, source line, and a link and a QR code to
the interactive chart and its CSV on the site. The site's public address comes from one place:
``--base-url``, else ``MASKBOOK_BASE_URL``, else ``html.baseurl`` in ``_config.yml``; without one
the PDF names the site's pages and prints no QR code.

As a Sphinx extension (set up by ``maskbook.site.sphinxext``) this module offers the PDFs on the site
once they exist: the build copies ``_build/pdf`` into the site as ``pdf/``, each page's download
menu offers "PDF of this chapter" and "PDF of the whole book" instead of the print dialog, and the
``pdf-edition`` directive (on the landing page) links the book's PDF. Without PDFs there is no
link to them: the menu keeps the print entry and the directive writes nothing.
"""
from __future__ import annotations

import argparse
import copy
import datetime as dt
import functools
import hashlib
import html
import io
import os
import posixpath
import re
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup, Tag
from docutils import nodes
from docutils.parsers.rst import Directive

import maskbook
from maskbook.edition import Book, BookError, read_book
from maskbook.editions import pdf_paper, teaching_pack
from maskbook.site import compat

TEMPLATES = Path(__file__).parent / "pdf_templates"
BOOK_PDF = "book.pdf"
SITE_FOLDER = "pdf"  # where the site serves the PDFs
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
PAPER = {"a4": ("A4", 210, 297), "letter": ("letter", 216, 279)}  # CSS size; width, height in mm
MARGINS = (24, 49, 28, 49)  # mm: top, right, bottom, left (a 112 mm measure on A4)
DATA_MARGINS = (20, 16, 24, 16)  # the data edition's row tables: a 178 mm measure
#: Elements that end right of the text column (Chromium would shrink every page to fit them).
OVERFLOW_JS = """() => { const width = document.body.clientWidth; return [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > width + 1)
  .map(e => `<${e.tagName.toLowerCase()} class="${e.className}">${(e.textContent || '').trim().slice(0, 60)}`); }"""
#: The document is laid out only once every font it declares is loaded (``html.pdf-loading`` is
#: not displayed): laid out before, its links' areas differ from run to run.
LOAD_FONTS = """() => Promise.all([...document.fonts].map(f => f.load()))
  .then(() => document.documentElement.classList.remove('pdf-loading')).then(() => document.fonts.ready)
  .then(() => true)"""
#: Parts of a page that are controls or screen-only: never printed.
SCREEN_ONLY = ["script", "a.headerlink", "span.mb-tip", "details.hide.above-input", "details.maskbook-chart-data",
               "p.maskbook-chart-download", "div.plotly-graph-div", "div.toctree-wrapper", "button"]


class PdfError(BookError):
    """A problem with the inputs of the PDF edition, said in plain words."""


# ------------------------------------------------------------------ one page of the site, for print
def anchor(docname: str, fragment: str = "") -> str:
    """The id of ``fragment`` of page ``docname`` in a combined document (ids are unique per page)."""
    return docname.replace("/", "-") + ("--" + fragment if fragment else "")


@dataclass
class Page:
    docname: str
    title: str
    body: Tag  # the page's <section>, cleaned for print, ids made unique in the combined document
    cited: list[str]  # bibliography anchors the page links to, in order


def qr_svg(url: str) -> str:
    """A QR code of ``url`` as inline SVG (vector)."""
    import qrcode
    import qrcode.image.svg

    img = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, border=1,
                      error_correction=qrcode.constants.ERROR_CORRECT_M)
    svg = img.to_string(encoding="unicode")
    svg = re.sub(r"<\?xml[^>]*>", "", svg)
    return svg.replace("<svg ", '<svg role="img" aria-label="QR code of the link" ', 1)


def chart_links(soup: BeautifulSoup, figure: Tag, page_url: str, book: Book) -> Tag:
    """The print block under a chart: where the interactive chart and its data are (link, QR code)."""
    csvs = [a["href"].split("/")[-1] for a in figure.select("p.maskbook-chart-download a[href]")]
    block = soup.new_tag("div", attrs={"class": "pdf-links"})
    text = soup.new_tag("p")
    if book.base_url:
        url = f"{book.base_url}{page_url}#{figure['id']}"
        block.append(BeautifulSoup(qr_svg(url), "html.parser"))
        text.append("Interactive chart: ")
        link = soup.new_tag("a", href=url)
        link.string = url
        text.append(link)
        for name in csvs:
            text.append(soup.new_tag("br"))
            text.append("Data: ")
            data_link = soup.new_tag("a", href=f"{book.base_url}data/{name}")
            data_link.string = f"{book.base_url}data/{name}"
            text.append(data_link)
    else:
        text.string = (f"Interactive chart on the book's website, page {page_url}"
                       + (f"; data: {', '.join('data/' + n for n in csvs)}" if csvs else "") + ".")
    block.append(text)
    return block


def load_page(site: Path, docname: str, book: Book, number: str = "") -> Page:
    """Page ``docname`` of the built site, ready for print (see the module's docstring); its charts
    are numbered "Figure <number>.1", ... when the chapter has a ``number``."""
    path = site / f"{docname}.html"
    if not path.is_file():
        raise PdfError(f"{path}: missing; build the site first (jupyter-book build .), then run python -m maskbook.editions.pdf")
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    section = soup.select_one("article.bd-article > section")
    if section is None or section.find("h1") is None:
        raise PdfError(f"{path}: no <article> with a titled <section>; is it a page of this book's site?")
    for n, figure in enumerate(section.select("figure.maskbook-chart"), start=1):
        alt = figure.select_one("p.maskbook-chart-alt")
        img = figure.select_one("img.maskbook-chart-static")
        if img is not None:
            img["alt"] = alt.get_text(" ", strip=True) if alt else ""
            img["loading"] = "eager"
        for source in figure.select("picture source"):  # the phone layout's image: its text would
            source.decompose()                            # print larger than the body's
        if alt is not None:
            alt.decompose()
        caption = figure.figcaption
        if number and caption is not None and not caption.get_text().startswith("Figure"):
            label = soup.new_tag("span", attrs={"class": "pdf-figure-number"})
            label.string = f"Figure {number}.{n}"
            caption.insert(0, " ")
            caption.insert(0, label)
        figure.append(chart_links(soup, figure, f"{docname}.html", book))
    for selector in SCREEN_ONLY:
        for el in section.select(selector):
            el.decompose()
    for details in section.select("details"):  # folded text (sources) prints open; folded tables
        if details.find("table"):             # (data previews) are left to the CSV linked beside them
            details.decompose()
            continue
        details.name = "div"
        details["class"] = details.get("class", []) + ["pdf-unfolded"]
        for summary in details.find_all("summary", recursive=False):
            summary.name = "p"
            summary["class"] = ["pdf-summary"]
    here = posixpath.dirname(docname)
    for img in section.select("img[src]"):
        img["src"] = (site / posixpath.normpath(posixpath.join(here, img["src"]))).resolve().as_uri()
    for el in section.select("[aria-describedby]"):  # its tooltip was screen-only
        del el["aria-describedby"]
    for el in section.select("[id]"):
        el["id"] = anchor(docname, el["id"])
    section["id"] = anchor(docname)
    cited = []
    for a in section.select("a[href]"):
        href = a["href"]
        if re.match(r"^[a-z][a-z0-9+.-]*:", href):
            continue  # http(s), mailto: already absolute
        target, _, frag = href.partition("#")
        target_doc = (posixpath.normpath(posixpath.join(here, target))[:-5] if target.endswith(".html")
                      else docname if not target else None)
        if target_doc is not None:
            a["href"] = "#" + anchor(target_doc, frag)
            if "bibtex-citation" in (a.parent.get("class") or []):
                cited.append(a["href"][1:])
        elif book.base_url:  # the data package, the teaching pack: on the site
            a["href"] = book.base_url + posixpath.normpath(posixpath.join(here, target)) + (f"#{frag}" if frag else "")
    pdf_paper.for_paper(soup, section, book.base_url)
    for a in section.select("a[href]"):
        if not re.match(r"^[a-z][a-z0-9+.-]*:|#", a["href"]):
            a.unwrap()
    pdf_paper.hyphenate(section)
    h1 = section.find("h1")
    return Page(docname, h1.get_text(" ", strip=True), section, cited)


def with_sections(page: Page, sub_pages: list[Page]) -> Page:
    """``page`` followed by its ``sub_pages``, their headings one level down (sections of the chapter)."""
    body = copy.copy(page.body)
    for sub in sub_pages:
        section = copy.copy(sub.body)
        for h in section.find_all(re.compile(r"^h[1-6]$")):
            h.name = f"h{min(int(h.name[1]) + 1, 6)}"
        body.append(section)
    return Page(page.docname, page.title, body, page.cited + [c for sub in sub_pages for c in sub.cited])


# ------------------------------------------------------------------ documents
def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ").replace("'", "\u2019") + '"'


def page_styles(book: Book, paper: str, heads: list[tuple[str, str]], margins: tuple = MARGINS) -> str:
    """Paper size, running heads: the book's title left, each named page's title right."""
    size, _, height = PAPER[paper]
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


@functools.cache
def book_face_css() -> str:
    """``@font-face`` rules naming the vendored book face's files."""
    return "\n".join(f'@font-face {{ font-family: "{BOOK_FACE}"; src: url("{(FONTS / name).as_uri()}"); {style}; }}'
                     for name, styles in FACE_FILES.items() for style in styles)


def document(book: Book, site: Path, paper: str, heads: list[tuple[str, str]], body: str, title: str,
             margins: tuple = MARGINS) -> str:
    css = book_face_css() + "\n" + (TEMPLATES / "print.css").read_text(encoding="utf-8")
    pygments = site / "_static" / "pygments.css"
    css += "\n" + (pygments.read_text(encoding="utf-8") if pygments.is_file() else "")
    return (f'<!DOCTYPE html>\n<html lang="en" class="pdf-loading"><head><meta charset="utf-8">'
            f'<title>{html.escape(title)}</title>\n'
            f"<style>\n{css}\n{page_styles(book, paper, heads, margins)}\n</style></head>\n<body>\n{body}\n</body></html>\n")


def title_page(book: Book, edition: str) -> str:
    """The title page (recto) and its verso: the site, licence, source essay, citation, edition."""
    esc = html.escape
    site = (f'<p>Online, with interactive charts and the data: <a href="{esc(book.base_url)}">{esc(book.base_url)}</a></p>'
            if book.base_url else "")
    source = f"<h2>The essay it retells</h2><p>{book.source_work}.</p>" if book.source_work else ""
    return f"""<section class="pdf-title-page">
<h1>{esc(book.title)}</h1>
<p class="pdf-subtitle">{esc(book.subtitle[:1].upper() + book.subtitle[1:])}</p>
<p class="pdf-authors">{esc(", ".join(book.authors))}</p>
</section>
<section class="pdf-verso" aria-label="Edition, licence and citation">
<div class="pdf-colophon">
<p class="pdf-edition">{esc(book.edition())}. {esc(edition)}</p>
{site}
<h2>Licence</h2>{book.licence_html}
{source}
<h2>How to cite</h2><p>{esc(book.cite())}</p>
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
                labels.update({d: ("Appendix", chr(ord("A") + i)) for i, d in enumerate(docs)})
            elif not numbered:
                numbered = True
                labels.update({d: ("Chapter", str(i)) for i, d in enumerate(docs, start=1)})
        return cls(labels)

    def number(self, doc: str) -> str:
        return self.labels.get(doc, ("", ""))[1]

    def name(self, doc: str) -> str:
        return " ".join(self.labels.get(doc, ("", "")))


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
    return '<nav class="pdf-contents"><h1>Contents</h1>\n<ol>\n' + "\n".join(items) + "\n</ol></nav>"


def chapter(page: Page, n: int, part: str, solutions: bool, label: str = "", before: str = "", after: str = "") -> str:
    """One page of the book as a chapter: a named page ``chapter-n`` (its running head)."""
    body = copy.copy(page.body)
    if not solutions:
        for el in body.select("div.solution"):
            el.decompose()
    opener = "".join(f'<p class="{cls}">{html.escape(text)}</p>\n' for cls, text in
                     [("pdf-part", part), ("pdf-chapter-number", label)] if text)
    return f'<div class="pdf-chapter" style="page: chapter-{n}">\n{before}{opener}{body}{after}\n</div>'


def drop_dangling_links(text: str) -> str:
    """Unwrap every ``#id`` link whose target is not in the document (e.g. a solution not printed)."""
    soup = BeautifulSoup(text, "html.parser")
    ids = {el["id"] for el in soup.select("[id]")}
    for a in soup.select('a[href^="#"]'):
        if a["href"][1:] not in ids:
            a.unwrap()
    return str(soup)


FRONT = 3  # title page, verso, contents: numbered i-iii (a longer contents shifts only the labels)


def targets(ids: list[str]) -> str:
    """Links to ``ids`` that print nothing: Chromium writes a named destination for each, so the
    printed PDF says on which page each id is."""
    return '<div class="pdf-targets">' + "".join(f'<a href="#{i}"></a>' for i in ids) + "</div>"


def book_body(book: Book, pages: dict[str, Page], numbering: Numbering, where: dict[str, int]) -> tuple[str, list]:
    parts = {doc: caption for caption, docs in book.parts for doc in docs}
    order = [doc for _, docs in book.parts for doc in docs]
    body = [title_page(book, "Instructor's edition: the exercises with their solutions."),
            contents(book, pages, numbering, where, FRONT)]
    body += [chapter(pages[doc], n, parts[doc], solutions=True, label=numbering.name(doc)) for n, doc in enumerate(order)]
    figures = [el["id"] for doc in order for el in pages[doc].body.select("[id*='--fig-']")]
    body.append(targets(figures))
    heads = [(f"chapter-{n}", pages[doc].title) for n, doc in enumerate(order)]
    return drop_dangling_links("\n".join(body)), heads


def handout_block(book: Book, page: Page, what: str) -> str:
    esc = html.escape
    online = (f' Online: <a href="{esc(book.base_url)}{esc(page.docname)}.html">{esc(book.base_url)}{esc(page.docname)}.html</a>.'
              if book.base_url else "")
    return (f'<header class="pdf-title-block"><p><strong>{esc(book.title)}</strong> · {esc(book.edition())}</p>'
            f"<p>{what}{online}</p><p>How to cite: {esc(book.cite())}</p></header>")


def handout_body(book: Book, page: Page, bibliography: Page | None, label: str) -> str:
    block = handout_block(book, page, "Chapter handout, student's edition: the exercises without their solutions.")
    refs = ""
    if bibliography is not None and page.docname != bibliography.docname and page.cited:
        entries = {el["id"]: el for el in bibliography.body.select("div.citation")}
        found = [str(entries[i]) for i in dict.fromkeys(page.cited) if i in entries]
        if found:
            refs = '<section class="pdf-references"><h2>References</h2>\n' + "\n".join(found) + "</section>"
    return drop_dangling_links(chapter(page, 0, "", solutions=False, label=label, before=block, after=refs))


def data_edition_body(book: Book, page: Page, tables: list[Page], book_where: dict[str, int],
                      where: dict[str, int]) -> str:
    """The data edition: the Data appendix with every row of every table, its own contents, and
    each row's uses in the book with the book's page."""
    body = with_sections(page, tables).body
    for item in body.select("td[data-label='Used in'] li"):
        link = item.find("a")
        if link is None:
            continue
        target = link["href"][1:]
        text = re.sub(r", figure \d+$", "", link.get_text(" ", strip=True))
        link.string = f"{text}, p. {page_label(book_where, target, FRONT)}" if target in book_where else text
        link.unwrap()  # a page of the book, not of this PDF
    items = "".join(f'<li class="pdf-level-1"><a href="#{t.body["id"]}"><span class="pdf-entry">{html.escape(t.title)}</span>'
                    f'<span class="pdf-page">{page_label(where, t.body["id"], 0)}</span></a></li>' for t in tables)
    block = handout_block(book, page, "The data edition: every row of the book's tables, with its source, its "
                                      "notes and the pages of the book that use it (book.pdf).")
    listing = f'<nav class="pdf-contents pdf-data-contents"><h2>Tables</h2><ol>{items}</ol></nav>'
    data_page = Page(page.docname, page.title, body, page.cited)
    return drop_dangling_links(chapter(data_page, 0, "", solutions=False, before=block + listing))


# ------------------------------------------------------------------ printing
def print_pdf(browser, text: str, workdir: Path, paper: str, margins: tuple = MARGINS) -> bytes:
    """``text`` (an HTML document) printed by Chromium: tagged, with an outline from its headings.

    Refuses a document with something wider than the text column: Chromium would shrink every
    page to fit it."""
    path = workdir / "print.html"
    path.write_text(text, encoding="utf-8")
    column = (PAPER[paper][1] - margins[1] - margins[3]) / 25.4 * 96  # CSS px
    page = browser.new_page(viewport={"width": int(column), "height": 1000})
    try:
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
        page.emulate_media(media="print")
        page.goto(path.as_uri(), wait_until="load")
        page.evaluate(LOAD_FONTS)
        wide = page.evaluate(OVERFLOW_JS)
        if wide:
            raise PdfError(f"wider than the page's text column ({len(wide)} elements), first: {wide[:3]}; "
                           "make it wrap in maskbook/editions/pdf_templates/print.css")
        return page.pdf(prefer_css_page_size=True, print_background=True, outline=True, tagged=True)
    finally:
        page.close()


def destinations(pdf: bytes) -> dict[str, int]:
    """The page (0-based) of every named destination of ``pdf``: Chromium names one for each
    element a link of the document points to (``#id``)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    return {name.lstrip("/"): reader.get_destination_page_number(dest) for name, dest in reader.named_destinations.items()}


def print_with_page_numbers(browser, make: callable, keys: list[str], workdir: Path, paper: str,
                            margins: tuple = MARGINS) -> tuple[bytes, str, dict]:
    """Print the document ``make(where)`` where ``where`` gives the page of each anchor, as found
    by the previous print (Chromium has no ``target-counter()``); print again until the pages of
    ``keys`` (what the document refers to by page) stay put."""
    where: dict[str, int] = {}
    for _ in range(3):
        text = make(where)
        pdf = print_pdf(browser, text, workdir, paper, margins)
        found = destinations(pdf)
        if where and all(found.get(k) == where.get(k) for k in keys):
            return pdf, text, found
        where = found
    raise PdfError("the page numbers in the text keep moving between prints (contents or page references)")


def _spaceless(text: str) -> str:
    """Chromium's bookmarks lose the space where a heading wraps: compare titles without spaces."""
    return re.sub(r"\s", "", text)


def headings(text: str) -> list[str]:
    """The text of every heading of an HTML document, in order (the outline's entries)."""
    soup = BeautifulSoup(text, "html.parser")
    return [" ".join(h.get_text(" ", strip=True).split()) for h in soup.find_all(re.compile(r"^h[1-6]$"))]


def fix_outline(writer, titles: list[str]) -> None:
    """Give each bookmark its heading's text (Chromium drops the space at a heading's line break)."""
    from pypdf.generic import NameObject, TextStringObject

    keys = [_spaceless(t) for t in titles]
    at = 0

    def walk(item):
        nonlocal at
        while item is not None:
            item = item.get_object()
            key = _spaceless(str(item.get("/Title", "")))
            if key in keys[at:]:
                at = keys.index(key, at)
                item[NameObject("/Title")] = TextStringObject(titles[at])
                at += 1
            walk(item.get("/First"))
            item = item.get("/Next")

    outlines = writer.root_object.get("/Outlines")
    if outlines is not None:
        walk(outlines.get_object().get("/First"))


def stable_struct_ids(writer) -> None:
    """Number the tagged PDF's element ids (table headers) in document order: Chromium takes them
    from its DOM node counter, which differs between runs."""
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

    tree = writer.root_object.get("/StructTreeRoot")
    if tree is None:
        return
    elements, ids = [], {}

    def walk(node):
        node = node.get_object()
        if isinstance(node, ArrayObject):
            for kid in node:
                walk(kid)
        elif isinstance(node, DictionaryObject) and node.get("/Type", "/StructElem") == "/StructElem":
            elements.append(node)
            if "/ID" in node:
                ids.setdefault(str(node["/ID"]), TextStringObject(f"id{len(ids):08d}"))
            if "/K" in node:
                walk(node["/K"])

    walk(tree.get_object()["/K"])
    for element in elements:
        if "/ID" in element:
            element[NameObject("/ID")] = ids[str(element["/ID"])]
        attributes = element.get("/A")
        for attribute in (attributes if isinstance(attributes, ArrayObject) else [attributes] if attributes else []):
            attribute = attribute.get_object()
            if "/Headers" in attribute:
                attribute[NameObject("/Headers")] = ArrayObject(ids.get(str(h), h) for h in attribute["/Headers"])

    def renumber(node):  # the name tree of the ids: its keys and each node's key range
        node = node.get_object()
        if "/Names" in node:
            pairs = sorted((ids.get(str(k), k), v) for k, v in zip(node["/Names"][::2], node["/Names"][1::2]))
            node[NameObject("/Names")] = ArrayObject(x for pair in pairs for x in pair)
        if "/Limits" in node:
            node[NameObject("/Limits")] = ArrayObject(sorted(ids.get(str(k), k) for k in node["/Limits"]))
        for kid in node.get("/Kids", []):
            renumber(kid)

    if "/IDTree" in tree.get_object():
        renumber(tree.get_object()["/IDTree"])


def source_date(book: Book) -> dt.datetime:
    """The PDFs' creation date: ``SOURCE_DATE_EPOCH`` if set, else the edition's release date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return dt.datetime(book.date.year, book.date.month, book.date.day, tzinfo=dt.UTC)


#: Chromium draws a page's margin boxes first, before it clips to the page area; the running heads
#: are its text blocks near the top of the page (the page number is at the foot).
MARGIN_BOXES = re.compile(rb"^(.*?)(\nq\n[\d. ]+ re\nW\*? n\n)", re.S)
TEXT_BLOCK = re.compile(rb"BT\n(?:(?!ET\n).)*?1 0 0 -1 [\d.]+ ([\d.]+) Tm\n(?:(?!ET\n).)*?ET\n", re.S)


def set_content(writer, page, data: bytes) -> None:
    """Replace ``page``'s content stream by ``data``, compressed (not parsed: pypdf's parser is slow)."""
    from pypdf.generic import DecodedStreamObject, NameObject

    stream = DecodedStreamObject()
    stream.set_data(data)
    page[NameObject("/Contents")] = compat.add_pdf_object(writer, stream.flate_encode(level=9))


def drop_running_heads(writer, pages: list[int]) -> None:
    """No running head on ``pages`` (chapter openers): CSS cannot name a chapter's first page."""

    for index in pages:
        page = writer.pages[index]
        data = page.get_contents().get_data()
        match = MARGIN_BOXES.match(data)
        if match is None:
            continue
        height = float(page.mediabox.height) / 0.24 / 3.125  # Chromium's units in the margin boxes
        boxes = TEXT_BLOCK.sub(lambda m, height=height: b"" if float(m.group(1)) < height / 2 else m.group(0),
                               match.group(1))
        set_content(writer, page, boxes + data[match.end(1):])


FONT_USE = re.compile(rb"/(F\d+)( [\d.]+ Tf)")


def stable_font_names(writer) -> None:
    """Name each page's (and each drawing's) fonts F0, F1, ... in the order its content first uses
    them: Chromium numbers fallback fonts (CJK text in italics) in the order it happens to create them."""
    from pypdf.generic import DictionaryObject, NameObject

    def rename(owner, resources, data: bytes) -> bytes | None:
        fonts = resources.get("/Font")
        if fonts is None:
            return None
        fonts = fonts.get_object()
        order = list(dict.fromkeys(m.group(1).decode() for m in FONT_USE.finditer(data)))
        order += sorted(k[1:] for k in fonts if k[1:] not in order)
        names = {old: f"MF{i}" for i, old in enumerate(order)}
        resources[NameObject("/Font")] = DictionaryObject(
            {NameObject("/" + names[k[1:]]): v for k, v in fonts.items()})
        return FONT_USE.sub(lambda m: b"/" + names[m.group(1).decode()].encode() + m.group(2), data)

    def forms(resources, seen):
        for xobject in (resources.get("/XObject") or {}).values():
            form = xobject.get_object()
            if form.get("/Subtype") == "/Form" and id(form) not in seen and "/Resources" in form:
                seen.add(id(form))
                res = form["/Resources"].get_object()
                new = rename(form, res, form.get_data())
                if new is not None:
                    form.set_data(new)
                forms(res, seen)

    seen: set = set()
    for page in writer.pages:
        resources = page["/Resources"].get_object()
        new = rename(page, resources, page.get_contents().get_data())
        if new is not None:
            set_content(writer, page, new)
        forms(resources, seen)


def finish(pdf: bytes, book: Book, title: str, subject: str, titles: list[str], openers: list[int] = (),
           front: int = 0) -> bytes:
    """``pdf`` with the book's metadata, its bookmarks' ``titles``, no running head on the
    ``openers``, page labels (the ``front`` pages in roman numerals, then 1, 2, ...), a fixed date
    and identifiers derived from its content."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, ByteStringObject, NameObject, TextStringObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    drop_running_heads(writer, list(openers))
    stable_font_names(writer)
    if front:
        writer.set_page_label(0, front - 1, style="/r")
    writer.set_page_label(front, len(writer.pages) - 1, style="/D", start=1)
    date = source_date(book).strftime("D:%Y%m%d%H%M%S+00'00'")
    writer.metadata = None
    writer.add_metadata({"/Title": title, "/Author": ", ".join(book.authors), "/Subject": subject,
                         "/Keywords": f"edition {book.version}", "/Creator": "maskbook.editions.pdf (Chromium)",
                         "/Producer": "maskbook.editions.pdf", "/CreationDate": date, "/ModDate": date})
    fix_outline(writer, titles)
    stable_struct_ids(writer)
    root = writer.root_object
    root.pop(NameObject("/Metadata"), None)  # Chromium's XMP packet holds the time and random ids
    root[NameObject("/Lang")] = TextStringObject("en")
    root[NameObject("/PageMode")] = NameObject("/UseOutlines")
    out = io.BytesIO()
    writer.write(out)  # once to derive the identifiers from the content, once with them
    ident = ByteStringObject(hashlib.md5(out.getvalue().split(b"trailer")[0] + title.encode()).digest())
    writer._ID = ArrayObject([ident, ident])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _launch(playwright):
    if not Path(CHROMIUM).exists():
        raise PdfError(f"Chromium not found at {CHROMIUM}: install it (sudo apt-get install chromium) "
                       "or set CHROMIUM_PATH to a Chromium or Chrome binary")
    return playwright.chromium.launch(executable_path=CHROMIUM,
                                      args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])


def build(root: Path, site: Path, out: Path, paper: str = "a4", base_url: str | None = None,
          log=print) -> list[Path]:
    """Write ``out/book.pdf``, the data edition and one handout per chapter; return their paths."""
    from playwright.sync_api import sync_playwright

    book = read_book(root, base_url)
    numbering = Numbering.of(book)
    docs = [doc for _, ds in book.parts for doc in ds]
    loaded = {doc: load_page(site, doc, book, numbering.number(doc)) for doc in docs}
    tables = {doc: [load_page(site, sub, book) for sub in book.sections.get(doc, [])] for doc in docs}
    pages = {doc: with_sections(loaded[doc], [summary_page(t, doc) for t in tables[doc]]
                                if DATA_ROWS in str(tables[doc]) else tables[doc]) for doc in docs}
    bibliography = next((p for p in pages.values() if p.body.select_one("div.citation")), None)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as p, tempfile.TemporaryDirectory() as tmp:
        browser = _launch(p)
        try:
            start = time.perf_counter()
            heads = book_body(book, pages, numbering, {})[1]
            pdf, text, book_where = print_with_page_numbers(
                browser, lambda where: document(book, site, paper, heads, book_body(book, pages, numbering, where)[0],
                                                book.title), [anchor(d) for d in docs], Path(tmp), paper)
            openers = [book_where[anchor(d)] for d in docs]
            target = out / BOOK_PDF
            target.write_bytes(finish(pdf, book, f"{book.title}: {book.subtitle}",
                                      f"The whole book, instructor's edition ({book.edition()})", headings(text),
                                      openers, front=openers[0]))
            written.append(target)
            log(f"{target}: {_pages(target)} pages, {target.stat().st_size:,} bytes, {time.perf_counter() - start:.1f} s")
            for doc in docs:
                page = loaded[doc]
                heads = [("chapter-0", page.title)]
                if DATA_ROWS in str(tables[doc]):
                    pdf, text, _ = print_with_page_numbers(
                        browser, lambda where, page=page, heads=heads, doc=doc: document(
                            book, site, paper, heads, data_edition_body(book, page, tables[doc], book_where, where),
                            page.title, DATA_MARGINS),
                        [t.body["id"] for t in tables[doc]], Path(tmp), paper, DATA_MARGINS)
                    subject = f"The data edition: every row of the book's tables ({book.edition()})"
                else:
                    text = document(book, site, paper, heads, handout_body(book, pages[doc], bibliography,
                                                                           numbering.name(doc)), page.title)
                    pdf = print_pdf(browser, text, Path(tmp), paper)
                    subject = f"Chapter handout, student's edition ({book.edition()})"
                target = out / f"{Path(doc).name}.pdf"
                target.write_bytes(finish(pdf, book, f"{page.title} ({book.title})", subject, headings(text), [0]))
                written.append(target)
        finally:
            browser.close()
    for stale in sorted(set(out.glob("*.pdf")) - set(written)):
        stale.unlink()
    return written


DATA_ROWS = 'class="mb-rows"'  # a page of the Data appendix: the rows of one table


def summary_page(table: Page, data_doc: str) -> Page:
    """A table's page of the Data appendix as the book prints it (:func:`pdf_paper.table_summary`)."""
    soup = BeautifulSoup("", "html.parser")
    body = pdf_paper.table_summary(soup, copy.copy(table.body), f"the data edition ({Path(data_doc).name}.pdf)")
    return Page(table.docname, table.title, body, table.cited)


def _pages(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(path).pages)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m maskbook.editions.pdf", description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, default=maskbook.ROOT, help="the book's folder (default: this repository)")
    parser.add_argument("--site", type=Path, help="the built site (default: ROOT/_build/html)")
    parser.add_argument("--out", type=Path, help="where to write the PDFs (default: ROOT/_build/pdf)")
    parser.add_argument("--paper", choices=sorted(PAPER), default="a4", help="paper size (default: a4)")
    parser.add_argument("--base-url", help="the site's public address, for links and QR codes "
                        "(default: MASKBOOK_BASE_URL, else html.baseurl in _config.yml)")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    try:
        start = time.perf_counter()
        written = build(root, args.site or root / "_build" / "html", args.out or root / teaching_pack.PDF_FOLDER,
                        args.paper, args.base_url)
    except BookError as exc:
        print(f"maskbook.editions.pdf: {exc}", file=sys.stderr)
        return 1
    print(f"{len(written)} PDFs in {written[0].parent} ({time.perf_counter() - start:.1f} s)")
    return 0


# ------------------------------------------------------------------ the site offers the PDFs (Sphinx)
def built_pdfs(app) -> Path:
    return Path(app.outdir).parent / Path(teaching_pack.PDF_FOLDER).name


def note_pdfs(app, config) -> None:
    """Which PDFs exist: an "html" config value, so every page is rewritten when that changes."""
    folder = built_pdfs(app)
    config.maskbook_pdf_files = tuple(sorted(p.name for p in folder.glob("*.pdf"))) if folder.is_dir() else ()


def chapter_of(app, docname: str) -> str:
    """The chapter (a top-level entry of ``_toc.yml``) that holds ``docname`` as a sub-page, or itself."""
    for parent, included in compat.toctree_includes(app.env).items():
        if docname in included and parent != app.config.root_doc:
            return chapter_of(app, parent)
    return docname


def offer_pdfs(app, pagename: str, templatename, context: dict, doctree) -> None:
    """Put "PDF of this chapter" and "PDF of the whole book" in place of the print-dialog entry
    (a sub-page offers the handout of the chapter that holds it)."""
    files = set(app.config.maskbook_pdf_files)
    if BOOK_PDF not in files:
        return
    pathto = context["pathto"]
    for group in context.get("header_buttons", []):
        buttons = group.get("buttons") or []
        for i, button in enumerate(buttons):
            if button.get("label") != "download-pdf-button":
                continue
            offered = []
            handout = f"{posixpath.basename(chapter_of(app, pagename))}.pdf"
            if handout in files:
                offered.append({"type": "link", "url": pathto(f"{SITE_FOLDER}/{handout}", 1),
                                "text": "PDF of this chapter", "tooltip": "This chapter as a PDF handout (without solutions)",
                                "icon": "fas fa-file-pdf", "label": "download-chapter-pdf-button"})
            offered.append({"type": "link", "url": pathto(f"{SITE_FOLDER}/{BOOK_PDF}", 1),
                            "text": "PDF of the whole book", "tooltip": "The whole book as a PDF (with solutions)",
                            "icon": "fas fa-book", "label": "download-book-pdf-button"})
            buttons[i:i + 1] = offered
            return


def copy_pdfs(app, exception) -> None:
    """Copy ``_build/pdf/*.pdf`` into the site as ``pdf/`` (and drop PDFs no longer built)."""
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / SITE_FOLDER
    files = app.config.maskbook_pdf_files
    if target.is_dir():
        for old in target.glob("*.pdf"):
            if old.name not in files:
                old.unlink()
    for name in files:
        target.mkdir(exist_ok=True)
        shutil.copyfile(built_pdfs(app) / name, target / name)


class pdf_edition(nodes.General, nodes.Element):
    """Where the landing page links the book's PDF (written only when the PDF exists)."""


class PdfEditionDirective(Directive):
    """``{pdf-edition}``: a sentence linking the whole book's PDF, with its pages and size."""

    has_content = False

    def run(self):
        return [pdf_edition()]


def visit_pdf_edition(self, node) -> None:
    app = self.builder.app
    if BOOK_PDF not in app.config.maskbook_pdf_files:
        raise nodes.SkipNode
    path = built_pdfs(app) / BOOK_PDF
    href = posixpath.relpath(f"{SITE_FOLDER}/{BOOK_PDF}", posixpath.dirname(self.builder.current_docname) or ".")
    self.body.append(
        f'<p class="maskbook-pdf-edition">The whole book is also a PDF, for print and offline reading: '
        f'<a class="reference download" href="{href}">{BOOK_PDF}</a> ({_pages(path)} pages, '
        f"{path.stat().st_size / 1e6:.1f} MB, with the solutions of the exercises); each page's download "
        "menu offers that chapter alone as a handout.</p>")
    raise nodes.SkipNode


def skip(self, node) -> None:
    raise nodes.SkipNode


def setup(app) -> dict:
    app.add_config_value("maskbook_pdf_files", (), "html")
    app.connect("config-inited", note_pdfs)
    app.connect("html-page-context", offer_pdfs, priority=502)  # after the theme's buttons (501)
    app.connect("build-finished", copy_pdfs)
    from maskbook.site.plotly_renderer import number_charts  # plotly: only in the Sphinx build

    app.connect("doctree-resolved", number_charts)  # "Figure 2.3", as the PDF prints it
    app.add_node(pdf_edition, html=(visit_pdf_edition, None), latex=(skip, None), text=(skip, None),
                 man=(skip, None), texinfo=(skip, None))
    app.add_directive("pdf-edition", PdfEditionDirective)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


if __name__ == "__main__":
    sys.exit(main())
