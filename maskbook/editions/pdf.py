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
interactive control; :mod:`maskbook.editions.pdf_page` makes a page ready for print, with the paper
manners of :mod:`maskbook.editions.pdf_paper`: whole web addresses, no screen wording, soft
hyphens, code lines, table summaries), put together by :mod:`maskbook.editions.pdf_document` and
styled by ``pdf_templates/print.css``, and printed (:mod:`maskbook.editions.pdf_print`) by Debian's Chromium through Playwright
(``CHROMIUM_PATH``, default /usr/bin/chromium), offline. Chromium gives paged media (``@page``
margin boxes: running heads, page numbers), text, embedded font subsets, a tagged PDF and an
outline from the headings, and links. It has no ``target-counter()``, so the book is printed
twice: Chromium writes a named destination for every element a link points to, so the first print
says on which page each chapter (and each figure the data edition refers to) is, and the second
prints the contents with those numbers. The pages found are kept in ``out/.page-numbers.json``:
the same document is printed once, with them, and printed again only if a page moved (so is the
data edition's list of tables). :mod:`maskbook.editions.pdf_finish` (pypdf) then sets the
metadata (title, authors, subject, language) and fixed dates and file identifiers, so the same
site gives the same bytes; it runs while Chromium prints the next document.

``--language it`` prints the Italian edition: the Italian site (``_build/html/it``) into
``_build/pdf/it/``, the same files. Every word the PDF code writes (title page, contents, "Capitolo",
the handouts' and the data edition's notes, metadata, ``/Lang``) comes from the package's catalogue
(:mod:`maskbook.language`, the process's ``MASKBOOK_LANGUAGE``), numbers and dates from Babel, and
the paper manners know the Italian site's screen words and hyphenate with Italian patterns. Each
language is one run (about 25 s for Italian): a run prints one site, and the two can run apart.

Charts print as their static SVG (vector), with title, source line, and a link and a QR code to
the interactive chart and its CSV on the site. The site's public address comes from one place:
``--base-url``, else ``MASKBOOK_BASE_URL``, else ``html.baseurl`` in ``_config.yml`` (a translation's
pages: that address with ``it/``); without one the PDF names the site's pages and prints no QR code.

As a Sphinx extension (set up by ``maskbook.site.sphinxext``) this module offers the PDFs on the site
once they exist: the build copies ``_build/pdf`` into the site as ``pdf/``, each page's download
menu offers "PDF of this chapter" and "PDF of the whole book" instead of the print dialog, and the
``pdf-edition`` directive (on the landing page) links the book's PDF. Without PDFs there is no
link to them: the menu keeps the print entry and the directive writes nothing. The Italian build
(site in ``_build/it/html``) offers ``_build/pdf/it/``.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import posixpath
import shutil
import sys
import tempfile
import time
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import Directive

import maskbook
from maskbook import language
from maskbook.edition import BookError, read_book
from maskbook.editions import PDF_FOLDER
from maskbook.editions.pdf_document import (
    DATA_MARGINS,
    PAPER,
    Numbering,
    book_body,
    data_edition_body,
    document,
    handout_body,
)
from maskbook.editions.pdf_finish import destinations, finish, headings, page_count
from maskbook.editions.pdf_page import DATA_ROWS, PdfError, anchor, load_page, summary_page, with_sections
from maskbook.editions.pdf_print import PageNumbers, in_chromium, print_pdf, print_with_page_numbers

BOOK_PDF = "book.pdf"
#: Files the two printing processes share in their temporary folder: the book's pages, once known,
#: and the pages the data editions were printed with (and what their prints found).
BOOK_PAGES, DATA_EDITIONS = "book-pages.json", "data-editions.json"
SITE_FOLDER = "pdf"  # where the site serves the PDFs


# ------------------------------------------------------------------ the PDFs
def build(root: Path, site: Path, out: Path, paper: str = "a4", base_url: str | None = None,
          log=print, only: set[str] | None = None) -> list[Path]:
    """Write ``out/book.pdf``, the data edition and one handout per chapter; return their paths.
    ``only``: the book and just these of the others, by name (``{"aid", "data"}``); the other PDFs
    already in ``out`` are kept (without ``only`` a PDF of a page no longer in the book is removed).

    Two processes print side by side (one core each, each with its Chromium): this one the book,
    a copy of it (forked once the pages are read) the data edition, as soon as the book's pages are
    known (from the book's first print, or the last run's), and the handouts meanwhile; whichever
    is free takes the next handout. In a first run the copy prints the data edition once while the
    book's first print is made, to find where its own tables start. Each finishes its PDFs with pypdf
    (:mod:`maskbook.editions.pdf_finish`) while its Chromium prints the next. A data edition printed
    with pages that the book's later prints moved is printed again with the book's final pages."""
    start = time.perf_counter()
    book = read_book(root, base_url)
    numbering = Numbering.of(book)  # from the English captions ("Appendices")
    book = book.translated(language.current())  # the edition of the site printed (MASKBOOK_LANGUAGE)
    docs = [doc for _, ds in book.parts for doc in ds]
    unknown = set(only or ()) - {Path(doc).name for doc in docs}
    if unknown:
        raise BookError(f"--only: no page of _toc.yml is named {', '.join(sorted(unknown))}")
    loaded = {doc: load_page(site, doc, book, numbering.number(doc)) for doc in docs}
    tables = {doc: [load_page(site, sub, book) for sub in book.sections.get(doc, [])] for doc in docs}
    data_docs = [doc for doc in docs if any(t.body.find(class_=DATA_ROWS) for t in tables[doc])]
    pages = {doc: with_sections(loaded[doc], [summary_page(t, doc) for t in tables[doc]]
                                if doc in data_docs else tables[doc]) for doc in docs}
    bibliography = next((p for p in pages.values() if p.body.select_one("div.citation")), None)
    out.mkdir(parents=True, exist_ok=True)
    numbers = PageNumbers(out)
    chosen = [doc for doc in docs if only is None or Path(doc).name in only]
    written = [out / BOOK_PDF] + [out / f"{Path(doc).name}.pdf" for doc in chosen]
    handouts = [doc for doc in chosen if doc not in data_docs]
    editions = [doc for doc in data_docs if doc in chosen]
    forking = multiprocessing.get_context("fork")
    taken = forking.Value("i", 0)  # how many handouts are taken
    book_known = forking.SimpleQueue()  # True once the book's pages are known (False: the book failed)

    def print_handout(printer, workdir: Path, later: callable) -> bool:
        """Print the next handout not taken; False when none is left."""
        with taken.get_lock():
            index, taken.value = taken.value, taken.value + 1
        if index >= len(handouts):
            return False
        doc = handouts[index]
        page = loaded[doc]
        text = document(book, site, paper, [("chapter-0", page.title)],
                        handout_body(book, pages[doc], bibliography, numbering.name(doc)), page.title)
        pdf = print_pdf(printer, text, workdir, paper)
        later(write, out / f"{Path(doc).name}.pdf", finish, pdf, book, f"{page.title} ({book.title})",
              language._("Chapter handout, student's edition ({edition})").format(edition=book.edition()),
              headings(text), [0])
        return True

    def data_edition(doc: str, book_where: dict) -> callable:
        """The data edition of ``doc``, giving the pages ``book_where`` of the book that use each row,
        as a function of its own tables' pages (:func:`data_edition_body`)."""
        page, rows = loaded[doc], data_edition_body(book, loaded[doc], tables[doc], book_where)
        return lambda where: document(book, site, paper, [("chapter-0", page.title)], rows(where), page.title, DATA_MARGINS)

    def first_pages(printer, workdir: Path) -> dict[str, tuple[dict, float]]:
        """Each data edition printed once before the book's pages are known (its rows refer to
        :class:`SomePage`): where its tables start, which the print with the book's pages mostly
        keeps (then it prints once more, not twice, after the book's first print); and when that
        print began."""
        first = {}
        for doc in editions:
            begun = time.perf_counter()
            pdf = print_pdf(printer, data_edition(doc, SomePage())({}), workdir, paper, DATA_MARGINS)
            first[doc] = (destinations(pdf), begun)
        return first

    def print_data_editions(printer, workdir: Path, later: callable, book_where: dict, first: dict | None = None) -> None:
        """Every data edition chosen, which gives for each row the pages ``book_where`` of the book
        that use it; ``first``: the pages of a print made without them (:func:`first_pages`)."""
        for doc in editions:
            make = data_edition(doc, book_where)
            keys = [t.body["id"] for t in tables[doc]]
            earlier, begun = (first or {}).get(doc, ({}, time.perf_counter()))
            pdf, text, found, prints = print_with_page_numbers(printer, make, keys, workdir, paper, DATA_MARGINS,
                                                               numbers.of(make) or earlier)
            numbers.note(make, found, keys)
            log(printed_in(out / f"{Path(doc).name}.pdf", prints + bool(earlier), begun))
            later(write, out / f"{Path(doc).name}.pdf", finish, pdf, book, f"{loaded[doc].title} ({book.title})",
                  language._("The data edition: every row of the book's tables ({edition})")
                  .format(edition=book.edition()), headings(text), [0])

    def print_beside(printer, workdir: Path, later: callable) -> None:
        """The data editions as soon as the book's pages are known, the handouts meanwhile; in a
        first run (no pages kept from an earlier one), each data edition printed once first, while
        the book's first print finds its pages. What they were printed with goes into
        ``workdir/../`` :data:`DATA_EDITIONS`."""
        waiting = bool(editions)
        first = None if waiting and not numbers.known else {}
        while True:
            if waiting and (not book_known.empty() or taken.value >= len(handouts)):
                waiting = False
                if book_known.get():
                    book_where = json.loads((workdir.parent / BOOK_PAGES).read_text())
                    print_data_editions(printer, workdir, later, book_where, first)
                    (workdir.parent / DATA_EDITIONS).write_text(json.dumps({"book": book_where, "found": numbers.found}))
            elif first is None:
                first = first_pages(printer, workdir)
                continue
            if not print_handout(printer, workdir, later) and not waiting:
                return

    def print_book(printer, workdir: Path, later: callable) -> dict:
        begun = time.perf_counter()
        body, heads = book_body(book, pages, numbering)

        def make(where):
            return document(book, site, paper, heads, body(where), book.title)

        keys = [anchor(d) for d in docs]
        known = numbers.of(make)

        def tell(where):  # the data editions start with the first pages known
            if editions and not (workdir.parent / BOOK_PAGES).exists():
                (workdir.parent / BOOK_PAGES).write_text(json.dumps(where))
                book_known.put(True)

        if known:
            tell(known)
        pdf, text, book_where, prints = print_with_page_numbers(printer, make, keys, workdir, paper, known=known,
                                                                printed=tell)
        numbers.note(make, book_where)  # every anchor's page: the data editions give the pages of figures too
        log(printed_in(out / BOOK_PDF, prints, begun))
        openers = [book_where[anchor(d)] for d in docs]
        later(write, out / BOOK_PDF, finish, pdf, book, f"{book.title}: {book.subtitle}",
              language._("The whole book, instructor's edition ({edition})").format(edition=book.edition()),
              headings(text), openers, front=openers[0])
        while print_handout(printer, workdir, later):
            pass
        return book_where

    with tempfile.TemporaryDirectory() as tmp:
        beside = forking.Process(target=in_chromium, args=(print_beside, Path(tmp) / "beside"), name="beside")
        beside.start()  # before this process starts a thread: a fork copies only the calling one
        final: list[dict] = []
        try:
            in_chromium(lambda *args: final.append(print_book(*args)), Path(tmp) / "book")
        finally:
            if editions and not (Path(tmp) / BOOK_PAGES).exists():
                book_known.put(False)  # the book failed: nothing for the data editions to wait for
            beside.join()
        if beside.exitcode != 0:
            raise PdfError(f"printing the handouts and the data edition failed (exit status {beside.exitcode}; "
                           "its error is above)")
        printed = json.loads((Path(tmp) / DATA_EDITIONS).read_text()) if editions else {"book": final[0], "found": {}}
        numbers.found.update(printed["found"])
        if printed["book"] != final[0]:  # the book's pages moved after its first print
            in_chromium(lambda *args: print_data_editions(*args, final[0]), Path(tmp) / "again")
    numbers.save()
    log(f"{len(written)} PDFs in {time.perf_counter() - start:.1f} s")
    log(f"{written[0]}: {page_count(written[0])} pages, {written[0].stat().st_size:,} bytes")
    for stale in sorted(set(out.glob("*.pdf")) - set(written) if only is None else ()):
        stale.unlink()
    return written


class SomePage(dict):
    """Every anchor of the book on a page with a two-digit number (as most of those the data
    edition refers to are): its references take about their final width before the book's pages
    are known."""

    def __contains__(self, key) -> bool:
        return True

    def __getitem__(self, key) -> int:
        return 50


def printed_in(path: Path, prints: int, begun: float) -> str:
    """What the log says of a document printed until its page numbers stayed put."""
    return f"{path}: printed {'once' if prints == 1 else f'{prints} times'} in {time.perf_counter() - begun:.1f} s"


def write(path: Path, make: callable, *args, **kwargs) -> None:
    path.write_bytes(make(*args, **kwargs))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m maskbook.editions.pdf", description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, default=maskbook.ROOT, help="the book's folder (default: this repository)")
    parser.add_argument("--site", type=Path, help="the built site (default: ROOT/_build/html)")
    parser.add_argument("--out", type=Path, help="where to write the PDFs (default: ROOT/_build/pdf)")
    parser.add_argument("--paper", choices=sorted(PAPER), default="a4", help="paper size (default: a4)")
    parser.add_argument("--base-url", help="the site's public address, for links and QR codes "
                        "(default: MASKBOOK_BASE_URL, else html.baseurl in _config.yml); a translation's "
                        "pages are under <address><language>/")
    parser.add_argument("--language", choices=language.LANGUAGES, default=language.ORIGINAL,
                        help="the edition to print (default: English); a translation is read from "
                             "SITE/<language>/ and written into OUT/<language>/, as the site keeps it")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="print the book and only these of the other PDFs "
                        "(a page's file name without .pdf: aid, data, ...), keeping the others already in OUT")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    os.environ[language.ENV] = args.language  # every string the PDFs write, in this process and its forks
    try:
        start = time.perf_counter()
        written = build(root, in_language(args.site or root / "_build" / "html", args.language),
                        in_language(args.out or root / PDF_FOLDER, args.language),
                        args.paper, args.base_url, only=set(args.only) if args.only else None)
    except BookError as exc:
        print(f"maskbook.editions.pdf: {exc}", file=sys.stderr)
        return 1
    print(f"{len(written)} PDFs in {written[0].parent} ({time.perf_counter() - start:.1f} s)")
    return 0


def in_language(folder: Path, lang: str) -> Path:
    """Where ``lang``'s edition is in ``folder`` (the site's or the PDFs'): ``folder`` in English,
    ``folder/<lang>/`` in a translation."""
    return folder if lang == language.ORIGINAL else folder / lang


# ------------------------------------------------------------------ the site offers the PDFs (Sphinx)
def built_pdfs(app) -> Path:
    """``_build/pdf`` beside the English site (``_build/html``); a translated build's site is
    ``_build/<lang>/html`` and its PDFs are ``_build/pdf/<lang>``."""
    lang = app.config.language if app.config.language in language.LANGUAGES else language.ORIGINAL
    build_folder = Path(app.outdir).parent if lang == language.ORIGINAL else Path(app.outdir).parent.parent
    return in_language(build_folder / Path(PDF_FOLDER).name, lang)


def note_pdfs(app, config) -> None:
    """Which PDFs exist: an "html" config value, so every page is rewritten when that changes."""
    folder = built_pdfs(app)
    config.maskbook_pdf_files = tuple(sorted(p.name for p in folder.glob("*.pdf"))) if folder.is_dir() else ()


def chapter_of(app, docname: str) -> str:
    """The chapter (a top-level entry of ``_toc.yml``) that holds ``docname`` as a sub-page, or itself."""
    from maskbook.site import compat  # the build's (the PDF command goes without its imports: about 2 s)

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
                                "text": language._("PDF of this chapter"),
                                "tooltip": language._("This chapter as a PDF handout (without solutions)"),
                                "icon": "fas fa-file-pdf", "label": "download-chapter-pdf-button"})
            offered.append({"type": "link", "url": pathto(f"{SITE_FOLDER}/{BOOK_PDF}", 1),
                            "text": language._("PDF of the whole book"),
                            "tooltip": language._("The whole book as a PDF (with solutions)"),
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
    link = f'<a class="reference download" href="{href}">{BOOK_PDF}</a>'
    self.body.append('<p class="maskbook-pdf-edition">' + language._(
        "The whole book is also a PDF, for print and offline reading: {link} ({pages} pages, {size} MB, with "
        "the solutions of the exercises); each page's download menu offers that chapter alone as a handout.")
        .format(link=link, pages=language.number(page_count(path)),
                size=language.number(path.stat().st_size / 1e6, ".1f")) + "</p>")
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
