"""Chromium prints an HTML document (:mod:`maskbook.editions.pdf`), through Playwright: tagged,
with an outline from its headings; a document that refers to its own pages is printed until the
pages it names stay put, starting from the pages a previous run found."""
from __future__ import annotations

import hashlib
import json
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from maskbook.editions.pdf_document import MARGINS, PAPER
from maskbook.editions.pdf_finish import destinations
from maskbook.editions.pdf_page import PdfError

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
#: Elements that end right of the text column (Chromium would shrink every page to fit them).
OVERFLOW_JS = """() => { const width = document.body.clientWidth; return [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > width + 1)
  .map(e => `<${e.tagName.toLowerCase()} class="${e.className}">${(e.textContent || '').trim().slice(0, 60)}`); }"""
#: The document is laid out only once every font it declares is loaded (``html.pdf-loading`` is
#: not displayed): laid out before, its links' areas differ from run to run.
LOAD_FONTS = """() => Promise.all([...document.fonts].map(f => f.load()))
  .then(() => document.documentElement.classList.remove('pdf-loading')).then(() => document.fonts.ready)
  .then(() => true)"""


class Printer:
    """One Chromium tab that prints document after document, offline, in print media (a tab opened
    per document cost about 0.25 s)."""

    def __init__(self, browser):
        self.page = browser.new_page()
        self.page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
        self.page.emulate_media(media="print")


def print_pdf(printer: Printer, text: str, workdir: Path, paper: str, margins: tuple = MARGINS) -> bytes:
    """``text`` (an HTML document) printed by Chromium: tagged, with an outline from its headings.

    Refuses a document with something wider than the text column: Chromium would shrink every
    page to fit it."""
    path = workdir / "print.html"
    path.write_text(text, encoding="utf-8")
    column = (PAPER[paper][1] - margins[1] - margins[3]) / 25.4 * 96  # CSS px
    page = printer.page
    page.set_viewport_size({"width": int(column), "height": 1000})
    page.goto(path.as_uri(), wait_until="load")
    page.evaluate(LOAD_FONTS)
    wide = page.evaluate(OVERFLOW_JS)
    if wide:
        raise PdfError(f"wider than the page's text column ({len(wide)} elements), first: {wide[:3]}; "
                       "make it wrap in maskbook/editions/pdf_templates/print.css")
    return page.pdf(prefer_css_page_size=True, print_background=True, outline=True, tagged=True)


def print_with_page_numbers(printer: Printer, make: callable, keys: list[str], workdir: Path, paper: str,
                            margins: tuple = MARGINS, known: dict | None = None,
                            printed: callable = lambda found: None) -> tuple[bytes, str, dict, int]:
    """Print the document ``make(where)`` where ``where`` gives the page of each anchor, as found
    by the previous print (Chromium has no ``target-counter()``); print again until the pages of
    ``keys`` (what the document refers to by page) stay put. ``known``: the pages a previous run
    found for this document (:class:`PageNumbers`), tried first: right, the document prints once.
    ``printed(found)``: told the pages each print finds. Returns the PDF, its HTML, the pages of
    its anchors and how many prints it took."""
    where: dict[str, int] = dict(known or {})
    for prints in range(1, 4):
        text = make(where)
        pdf = print_pdf(printer, text, workdir, paper, margins)
        found = destinations(pdf)
        printed(found)
        if where and all(found.get(k) == where.get(k) for k in keys):
            return pdf, text, found, prints
        where = found
    raise PdfError("the page numbers in the text keep moving between prints (contents or page references)")


class PageNumbers:
    """The pages that the last run found for what each document refers to by page, in ``out``
    (``.page-numbers.json``), keyed on the document without its page numbers: the same document
    prints once. A page that moved is seen after printing (:func:`print_with_page_numbers`)."""

    def __init__(self, out: Path):
        self.path = out / ".page-numbers.json"
        try:
            self.known = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.known = {}
        self.found: dict[str, dict[str, int]] = {}

    @staticmethod
    def key(make: callable) -> str:
        return hashlib.sha256(make({}).encode()).hexdigest()

    def of(self, make: callable) -> dict[str, int]:
        return self.known.get(self.key(make), {})

    def note(self, make: callable, found: dict[str, int], keys: list[str] | None = None) -> None:
        """Keep the pages ``found`` of ``keys`` (of every anchor without ``keys``)."""
        self.found[self.key(make)] = {k: found[k] for k in (found if keys is None else keys) if k in found}

    def save(self) -> None:
        self.path.write_text(json.dumps(self.found, indent=1, sort_keys=True), encoding="utf-8")


def launch(playwright):
    if not Path(CHROMIUM).exists():
        raise PdfError(f"Chromium not found at {CHROMIUM}: install it (sudo apt-get install chromium) "
                       "or set CHROMIUM_PATH to a Chromium or Chrome binary")
    return playwright.chromium.launch(executable_path=CHROMIUM,
                                      args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])


def in_chromium(work: callable, workdir: Path) -> None:
    """``work(printer, workdir, later)`` with a Chromium of its own and its :class:`Printer`
    (Playwright's objects belong to the thread that made them); ``later(function, *args)`` runs in
    a thread of its own (pypdf finishing a PDF while Chromium prints the next), done (or raised)
    before this returns."""
    from playwright.sync_api import sync_playwright

    workdir.mkdir()
    with ThreadPoolExecutor(max_workers=1) as side:
        futures = []
        with sync_playwright() as p:
            browser = launch(p)
            try:
                work(Printer(browser), workdir, lambda *args, **kwargs: futures.append(side.submit(*args, **kwargs)))
            finally:
                browser.close()
        for future in futures:
            future.result()
