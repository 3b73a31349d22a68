"""The PDF edition (``python -m maskbook.editions.pdf``, issues 14 and 21), made from the session's strict build.

The command runs on the built copy of the book (``book`` fixture) once for every test, and a
second time into another folder: the PDFs must be byte for byte the same. The book PDF
(instructor's edition), the data edition (``data.pdf``) and the chapter handouts (student's
edition) are read with PDFium (tests/pdf_texts.py), each PDF's pages once (:func:`page_texts`,
:func:`page_ends`); their structure (fonts, page labels, outline, links) with pypdf. The
site offers the PDFs only once they exist: the session's site (no PDFs) links none, and a rebuild
of a copy that has them links them all. The command's two runs, the reading of the PDFs and that
rebuild run in the background as soon as what they need exists (tests/session_jobs.py).
"""
from __future__ import annotations

import functools
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import zipfile
from pathlib import Path

import pdf_texts
import pytest
import session_jobs
import yaml
from bs4 import BeautifulSoup
from pypdf import PdfReader
from pypdf.generic import IndirectObject
from session_jobs import BASE_URL

from maskbook import edition

from conftest import CHROMIUM, ROOT, toc_docnames

DOCS = toc_docnames()  # every page, sub-pages included


def chapters_of_toc() -> dict[str, str]:
    """Each page of ``_toc.yml`` and its chapter (a top-level entry; a sub-page prints inside it)."""
    book = edition.read_book(ROOT)
    return {page: chapter for _, docs in book.parts for chapter in docs
            for page in [chapter, *book.sections.get(chapter, [])]}


CHAPTER_OF = chapters_of_toc()
CHAPTERS = list(dict.fromkeys(CHAPTER_OF.values()))  # one handout each
SUB_PAGES = [doc for doc in DOCS if CHAPTER_OF[doc] != doc]


def needs_chromium() -> None:
    if not CHROMIUM.exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true but Chromium is missing: `apt-get install chromium`")
        pytest.skip("Chromium not found: install it with `sudo apt-get install chromium` to make the PDFs")


#: Each PDF's pages as read in the background (tests/pdf_texts.py): {PDF path: {"texts", "ends"}}.
READ: dict[Path, dict] = {}


@pytest.fixture(scope="session")
def pdfs(session_job) -> Path:
    """The PDFs of the session's book, written by the PDF command (``--out``: the site's copy of
    the book does not hold them, as after a build that came before the command)."""
    needs_chromium()
    result, folder = session_job("pdf")
    assert result.returncode == 0, result.stderr[-4000:]
    texts, _ = session_job("pdf-texts")
    if texts.returncode == 0:
        READ.update({folder / "pdf" / name: pages for name, pages in
                     json.loads((folder / "pdf-texts.json").read_text(encoding="utf-8")).items()})
    return folder / "pdf"


@pytest.fixture(scope="session")
def pdfs_again(session_job) -> tuple[subprocess.CompletedProcess, Path]:
    """The PDF command's second run, into another folder."""
    needs_chromium()
    result, folder = session_job("pdf-again")
    return result, folder / "pdf-again"


@pytest.fixture(scope="session")
def pdfs_it(session_job) -> Path:
    """The Italian edition's PDFs (``--language it``), in ``pdf/it/`` beside the English ones."""
    needs_chromium()
    result, folder = session_job("pdf-it")
    assert result.returncode == 0, result.stderr[-4000:]
    texts, _ = session_job("pdf-texts-it")
    if texts.returncode == 0:
        READ.update({folder / "pdf" / "it" / name: pages for name, pages in
                     json.loads((folder / "pdf-texts-it.json").read_text(encoding="utf-8")).items()})
    return folder / "pdf" / "it"


@pytest.fixture(scope="session")
def offered(session_job) -> tuple[subprocess.CompletedProcess, Path]:
    """A copy of the session's built book with the PDFs in its ``_build/pdf``, built again (the
    rebuild tests' copy, tests/session_jobs.py: its site as it was then)."""
    needs_chromium()
    result, folder = session_job("offered")
    return result, folder / "offered" / "src"


def norm(text: str) -> str:
    """Text with single spaces, the typographic ligatures undone, the words hyphenated at a line's
    end joined again (the print HTML hyphenates with soft hyphens, which Chromium prints as "‐" at a
    line's end), and a range's dash between digits closed up (a reader may put a space where the
    font changes, as for a character that the bold face takes from the regular one: "70 – 78%"), as
    an apostrophe kerned against its word ("China ’ s")."""
    text = text.replace("\ufb01", "fi").replace("\ufb02", "fl").replace("\ufb00", "ff").replace("\ufb03", "ffi")
    text = re.sub(SOFT_BREAK, "", text)
    text = re.sub(r"(?<=\d) ?\u2013 ?(?=\d)", "\u2013", text)
    return re.sub(r"(?<=\w) \u2019 (?=\w)", "\u2019", re.sub(r"\s+", " ", text).strip())


SOFT_BREAK = r" ?[\u00ad\u2010]\s*\n\s*|\u00ad"  # Chromium's hyphen at a soft break: " \u2010" then the line end


@functools.cache
def read(path: Path) -> dict:
    """The PDF's pages, read once per session (in the background, or here)."""
    return READ.get(path) or pdf_texts.read(path)


def raw_page_texts(path: Path) -> tuple[str, ...]:
    """Each page's text as PDFium extracts it (lines kept)."""
    return tuple(read(path)["texts"])


def page_texts(path: Path) -> list[str]:
    return [norm(text) for text in raw_page_texts(path)]


@functools.cache
def site_soup(site: Path, doc: str, tooltips: bool = False) -> BeautifulSoup:
    """Page ``doc`` of the site; without its figures' tooltips (screen-only) unless asked, and
    without the section numbers of its headings (the PDF says "Chapter 1" instead of "1."); parsed
    once per session (shared: read it, do not change it)."""
    soup = BeautifulSoup((site / f"{doc}.html").read_text(encoding="utf-8"), "html.parser")
    for number in soup.select("span.section-number"):
        number.decompose()
    if not tooltips:
        for tip in soup.select("span.mb-tip"):
            tip.decompose()
    return soup


def titles(site: Path, docs: list[str] = CHAPTERS) -> list[str]:
    return [norm(site_soup(site, d).select_one("article h1").get_text(" ", strip=True).rstrip("#")) for d in docs]


def test_every_pdf_exists(pdfs):
    """The book, and a handout per chapter (a sub-page is in its chapter's)."""
    assert SUB_PAGES, "no sub-page in _toc.yml: the test of sub-pages checks nothing"
    assert (pdfs / "book.pdf").is_file()
    assert sorted(p.name for p in pdfs.glob("*.pdf")) == sorted(["book.pdf"] + [f"{Path(d).name}.pdf" for d in CHAPTERS])


def test_book_holds_every_chapter_title_in_order(pdfs, site):
    """Every page's title, the sub-pages' after their chapter's (compared without spaces: a PDF reader may
    split a kerned apostrophe from its word)."""
    text = squeeze(" ".join(page_texts(pdfs / "book.pdf")[3:]))  # after the title page, verso and contents
    where = 0
    for title in map(squeeze, titles(site, DOCS)):
        found = text.find(title, where)
        assert found >= 0, f"chapter {title!r} missing from the book PDF (or out of order)"
        where = found + len(title)


def squeeze(text: str) -> str:
    """Text without any space: PDF and HTML text differ in spaces around inline code and at line ends."""
    return re.sub(r"\s", "", norm(text))


def test_book_holds_every_heading_of_every_page(pdfs, site):
    """Nothing of the site is lost: the chapters' headings are in the book, the Data appendix's
    (its tables' rows) in the data edition."""
    book = squeeze(" ".join(page_texts(pdfs / "book.pdf")))
    data = squeeze(" ".join(page_texts(pdfs / "data.pdf")))
    headings = [(doc, h) for doc in DOCS for h in site_soup(site, doc).select("article h2, article h3")]
    assert len(headings) > 50
    for doc, heading in headings:
        text = data if doc.startswith("chapters/data/") else book
        assert squeeze(heading.get_text().rstrip("#")) in text, f"{doc}: heading {heading.get_text()!r} missing"


def test_the_data_edition_holds_every_row_and_the_book_only_a_summary(pdfs, site):
    """Every row id of every table is in data.pdf; the book's Data appendix is at most 20% of it."""
    data = squeeze(" ".join(page_texts(pdfs / "data.pdf")))
    rows = [tr["id"][4:] for doc in SUB_PAGES for tr in site_soup(site, doc).select("table.mb-rows tr[id]")]
    assert len(rows) > 300
    assert [r for r in rows if r not in data] == []
    assert re.search(r"p\.\d+", data), "no row names the book's page that uses it"
    assert data_appendix_share(pdfs) <= 0.20


def chapter_starts(reader: PdfReader) -> dict[str, int]:
    return {norm(i.title): reader.get_destination_page_number(i) for i in reader.outline if not isinstance(i, list)}


def data_appendix_share(pdfs: Path) -> float:
    """The share of the book's pages that the Data appendix takes (from its start to the next chapter's)."""
    reader = PdfReader(pdfs / "book.pdf")
    starts = sorted(chapter_starts(reader).items(), key=lambda item: item[1])
    at = next(i for i, (title, _) in enumerate(starts) if title == "Data")
    return (starts[at + 1][1] - starts[at][1]) / len(reader.pages)


def test_book_holds_every_chart_title_and_its_link(pdfs, site):
    text = " ".join(page_texts(pdfs / "book.pdf"))
    charts = [(doc, f) for doc in DOCS for f in site_soup(site, doc).select("figure.maskbook-chart")]
    assert len(charts) >= 10
    for doc, figure in charts:
        title = norm(figure.figcaption.get_text(" ", strip=True))
        assert title in text, f"chart title {title!r} ({doc}) is not text in the book PDF"
        assert f"{BASE_URL}{doc}.html#{figure['id']}" in re.sub(r"\s", "", text), f"no link to {figure['id']}"


def test_no_chart_is_split_and_no_heading_is_left_at_a_page_foot(pdfs, site):
    pages = [squeeze(text) for text in page_texts(pdfs / "book.pdf")]
    first = PdfReader(pdfs / "book.pdf").page_labels.index("1")  # after the front matter
    for doc in [d for d in DOCS if d not in SUB_PAGES]:  # the tables' pages print as summaries
        soup = site_soup(site, doc)
        for figure in soup.select("figure.maskbook-chart"):
            title = squeeze(figure.figcaption.get_text())
            source = squeeze(figure.select_one("p.maskbook-chart-source").get_text())
            assert any(title in p and source in p for p in pages), f"{doc}: chart {title!r} split across pages"
        title = squeeze(soup.select_one("article h1").get_text().rstrip("#"))
        start = next(i for i, p in enumerate(pages) if i >= first and title in p)
        for heading in soup.select("article h2, article h3"):
            name = squeeze(heading.get_text().rstrip("#"))
            page = next(p for p in pages[start:] if name in p)
            after = re.sub(r"\d+$", "", page[page.index(name) + len(name):])  # less the page number
            assert len(after) >= 40, f"{doc}: heading {heading.get_text()!r} alone at the foot of its page"


def test_figure_tooltips_do_not_print(pdfs, site):
    """A number linked to its data row prints as the number alone, without its tooltip's text."""
    book = squeeze(" ".join(page_texts(pdfs / "book.pdf")))
    tips = [squeeze(tip.get_text())[:60] for doc in DOCS for tip in site_soup(site, doc, tooltips=True).select("span.mb-tip")]
    assert len(tips) >= 10, "fewer than 10 figure tooltips on the site: the test checks little"
    assert [tip for tip in tips if tip in book] == []


def test_contents_give_the_number_and_page_of_every_chapter(pdfs, site):
    """Chapters 1-7, appendices A-D; the page numbers are the printed ones (the PDF's page labels)."""
    pages = page_texts(pdfs / "book.pdf")
    labels = PdfReader(pdfs / "book.pdf").page_labels
    contents = next(p for p in pages[:4] if p.startswith("Contents"))
    for title in titles(site):
        match = re.search(re.escape(title) + r" (\d+)", contents)
        assert match, f"no page number for {title!r} in the contents"
        assert title in pages[labels.index(match[1])], f"{title!r} is not on page {match[1]}, as the contents say"
    for number, title in enumerate(titles(site, CHAPTERS[1:8]), start=1):
        assert re.search(rf"\b{number} {re.escape(title)} \d", contents), f"{title!r} is not chapter {number} in the contents"
        assert not re.search(rf"\d\. {re.escape(title)}", contents), f"{title!r}: the site's section number printed too"
    assert re.search(r"\bA Data \d", contents), "the appendices are not lettered"


def test_front_matter_is_numbered_in_roman(pdfs):
    reader = PdfReader(pdfs / "book.pdf")
    labels = reader.page_labels
    assert labels[:3] == ["i", "ii", "iii"] and "1" in labels
    assert "Licence" in page_texts(pdfs / "book.pdf")[1] and "How to cite" in page_texts(pdfs / "book.pdf")[1], \
        "the verso holds no licence or citation"
    assert "How to cite" not in page_texts(pdfs / "book.pdf")[0], "the title page holds the citation"


def test_figures_are_numbered_per_chapter(pdfs, site):
    """Every chart of a numbered chapter: "Figure <chapter>.<n>", n from 1 in each chapter."""
    text = " ".join(page_texts(pdfs / "book.pdf"))
    numbers = re.findall(r"Figure (\d+)\.(\d+) ", text)
    captions = [norm(f.figcaption.get_text(" ", strip=True)) for doc in CHAPTERS[1:]
                for f in site_soup(site, doc).select("figure.maskbook-chart")]
    assert len(numbers) == len(captions) >= 20  # issue 21: at least 20 numbered figures
    assert [c for c in captions if not re.match(r"Figure \d+\.\d+ ", c)] == [], "the site's captions lack the numbers"
    assert [c for c in captions if c not in text] == [], "the site and the PDF number the figures differently"
    for chapter in {c for c, _ in numbers}:
        assert [int(n) for c, n in numbers if c == chapter] == list(range(1, 1 + sum(c == chapter for c, _ in numbers)))


def test_body_is_a_book_measure_in_a_book_face(pdfs):
    """EB Garamond, never DejaVu Serif; a median full line of 55-78 characters; hyphenated."""
    path = pdfs / "book.pdf"
    reader = PdfReader(path)
    names = {str(f.get("/BaseFont")).split("+")[-1] for page in reader.pages for f in fonts_of(page.get("/Resources"))}
    assert any(n.startswith("EBGaramond") for n in names), names
    assert not any("DejaVuSerif" in n for n in names), names
    starts = sorted(chapter_starts(reader).values())
    lines = [line.strip() for i in range(starts[2], starts[9]) for line in raw_page_texts(path)[i].split("\n")
             if len(line.strip()) > 40]
    assert 55 <= statistics.median(len(line) for line in lines) <= 78
    assert sum(bool(re.search(r"[a-z] ?\u2010$", line)) for line in lines) > 50, "lines are not hyphenated"


def test_nothing_only_a_screen_can_do_is_printed(pdfs):
    """No "Download", "hover", "Click to", "Show code"; no web address shortened with "…"."""
    from maskbook.editions.pdf_paper import SCREEN_ONLY_PHRASES

    for path in sorted(pdfs.glob("*.pdf")):
        text = " ".join(page_texts(path))
        for phrase in SCREEN_ONLY_PHRASES:
            assert phrase not in text, f"{path.name}: {phrase!r} printed: {text[text.index(phrase) - 80:][:160]!r}"
        shortened = re.findall(r"\S*[/.]\S*…", text)
        assert shortened == [], f"{path.name}: shortened addresses {shortened[:3]}"


def page_ends(path: Path) -> list[float]:
    """How far down each page its text goes, as a share of the page (the page number left out)."""
    return read(path)["ends"]


def test_no_page_in_a_chapter_ends_far_above_its_foot(pdfs):
    """At most 2 pages inside a chapter (not its last) end above 60% of the page."""
    reader = PdfReader(pdfs / "book.pdf")
    starts = set(chapter_starts(reader).values())
    ends = page_ends(pdfs / "book.pdf")
    first = reader.page_labels.index("1")  # after the front matter
    short = [n + 1 for n, end in enumerate(ends) if n >= first and n + 1 not in starts and n + 1 < len(ends) and end < 0.6]
    assert len(short) <= 2, f"pages ending above 60% of the page: {short}"


def test_no_blank_page(pdfs, site):
    """Every page has text besides its running head and its number."""
    heads = sorted(titles(site) + [norm("China's mask diplomacy in Italy, 2020"), "Contents"], key=len, reverse=True)
    for path in sorted(pdfs.glob("*.pdf")):
        for n, text in enumerate(page_texts(path), 1):
            for head in heads:
                text = text.replace(head, "")
            assert len(re.sub(r"[\W\d]", "", text)) >= 20, f"{path.name}, page {n}: no text but its head and number"


def fonts_of(resources, seen=None) -> list:
    """Every font of a resource dictionary and of the forms (drawn SVGs) it uses."""
    seen = set() if seen is None else seen
    fonts = []
    if resources is None or id(resources) in seen:
        return fonts
    seen.add(id(resources))
    resources = resources.get_object()
    for font in (resources.get("/Font") or {}).values():
        fonts.append(font.get_object())
    for xobject in (resources.get("/XObject") or {}).values():
        xobject = xobject.get_object()
        if xobject.get("/Subtype") == "/Form":
            fonts += fonts_of(xobject.get("/Resources"), seen)
    return fonts


def test_fonts_are_embedded(pdfs):
    for path in sorted(pdfs.glob("*.pdf")):
        fonts = [f for page in PdfReader(path).pages for f in fonts_of(page.get("/Resources"))]
        assert fonts, path.name
        for font in fonts:
            if font.get("/Subtype") == "/Type3":
                continue  # glyphs drawn inside the PDF
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant["/FontDescriptor"].get_object()
            assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), \
                f"{path.name}: font {font.get('/BaseFont')} is not embedded"


def test_outline_has_an_entry_per_chapter(pdfs, site):
    reader = PdfReader(pdfs / "book.pdf")
    top = [norm(item.title) for item in reader.outline if not isinstance(item, list)]
    assert [t for t in top if t in titles(site)] == titles(site)
    assert any(isinstance(item, list) for item in reader.outline), "no sections under the chapters"
    for chapter in CHAPTERS:  # a sub-page is a section of its chapter in the outline
        subs = titles(site, [d for d in SUB_PAGES if CHAPTER_OF[d] == chapter])
        if subs:
            at = next(i for i, item in enumerate(reader.outline)
                      if not isinstance(item, list) and norm(item.title) == titles(site, [chapter])[0])
            under = [norm(i.title) for i in flat_outline(reader.outline[at + 1])]
            assert [t for t in under if t in subs] == subs, f"{chapter}: sub-pages not under it in the outline"


def internal_link_pages(reader: PdfReader) -> list[int]:
    """The target page (0-based) of every internal link of the document."""
    named = {name: reader.get_destination_page_number(dest) for name, dest in reader.named_destinations.items()}
    targets = []
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/Subtype") != "/Link":
                continue
            dest = annot.get("/Dest")
            action = annot.get("/A")
            if dest is None and action is not None and action.get_object().get("/S") == "/GoTo":
                dest = action.get_object()["/D"]
            if dest is None:
                continue
            dest = dest.get_object() if isinstance(dest, IndirectObject) else dest
            if isinstance(dest, str):
                targets.append(named[dest])
            else:
                targets.append(reader.get_page_number(dest[0].get_object()))
    return targets


def flat_outline(items) -> list:
    return [x for item in items for x in (flat_outline(item) if isinstance(item, list) else [item])]


def test_citations_link_to_the_bibliography_inside_the_document(pdfs):
    reader = PdfReader(pdfs / "book.pdf")
    bibliography = reader.get_destination_page_number(
        next(i for i in reader.outline if not isinstance(i, list) and i.title.strip() == "Bibliography"))
    targets = internal_link_pages(reader)
    assert sum(t >= bibliography for t in targets) >= 100, "citations do not link to the bibliography"
    handout = PdfReader(pdfs / "aid.pdf")
    refs = next(handout.get_destination_page_number(i) for i in flat_outline(handout.outline)
                if i.title.strip() == "References")
    assert sum(t >= refs for t in internal_link_pages(handout)) >= 10, "the handout's citations do not link to its references"


def test_handouts_hold_no_solution_and_the_book_holds_them_all(pdfs, site):
    book = squeeze(" ".join(page_texts(pdfs / "book.pdf")))
    checked = 0
    for doc in DOCS:
        handout = squeeze(" ".join(page_texts(pdfs / f"{Path(CHAPTER_OF[doc]).name}.pdf")))
        assert "Solutionto" not in handout, f"{doc}: the handout shows a solution"
        for solution in site_soup(site, doc).select("div.solution > section > p"):
            words = squeeze(solution.get_text())[:60]
            if len(words) < 40:
                continue
            assert words not in handout, f"{doc}: solution text in the student's handout: {words!r}"
            assert words in book, f"{doc}: solution missing from the instructor's book PDF: {words!r}"
            checked += 1
    assert checked >= 10


def file_identifier(path: Path) -> bytes:
    """The first half of the PDF's ``/ID``, as bytes (pypdf reads 16 bytes that happen to look like
    UTF-16 text as a shorter text string)."""
    ident = PdfReader(path).trailer["/ID"][0]
    return bytes(getattr(ident, "original_bytes", ident))


def test_metadata(pdfs):
    reader = PdfReader(pdfs / "book.pdf")
    meta = reader.metadata
    assert meta.title.startswith("China's mask diplomacy in Italy, 2020")
    assert meta.author == "The maskbook authors"
    assert "instructor" in meta.subject
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert "/StructTreeRoot" in reader.trailer["/Root"], "not a tagged PDF"
    released = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))["date-released"]
    assert meta["/CreationDate"].startswith("D:" + str(released).replace("-", ""))
    idents = {path.name: file_identifier(path) for path in sorted(pdfs.glob("*.pdf"))}
    assert all(len(i) == 16 and i != bytes(16) for i in idents.values()), idents
    assert len(set(idents.values())) == len(idents), "two PDFs share their file identifier"


def test_two_runs_give_the_same_bytes(pdfs, pdfs_again):
    """The second run prints the book, the data edition and a handout (``--only``, the three ways a
    PDF is printed): the same bytes as the first run's. Given the pages the first run found, it
    prints the book and the data edition once each (the data edition's references to the book's
    figures included: the book's pages are known before it prints)."""
    result, again = pdfs_again
    assert result.returncode == 0, result.stderr[-4000:]
    assert [line.split(": ", 1)[1].split(" in ")[0] for line in result.stdout.splitlines()
            if re.search(r"/(book|data)\.pdf: printed ", line)] == ["printed once"] * 2, result.stdout
    printed = sorted(path.name for path in again.glob("*.pdf"))
    assert printed == sorted(["book.pdf"] + [f"{name}.pdf" for name in session_jobs.AGAIN])
    for name in printed:
        assert (again / name).read_bytes() == (pdfs / name).read_bytes(), f"{name} differs between runs"


def test_a_missing_site_is_a_clear_error(tmp_path, book):
    root = tmp_path / "book"
    root.mkdir()
    for name in ("_config.yml", "_toc.yml", "CITATION.cff"):
        shutil.copy(book / name, root / name)
    result = subprocess.run([sys.executable, "-m", "maskbook.editions.pdf", "--root", str(root)], capture_output=True, text=True)
    assert result.returncode == 1
    assert "intro.html: missing; build the site first" in result.stderr.strip().splitlines()[-1]
    result = subprocess.run([sys.executable, "-m", "maskbook.editions.pdf", "--root", str(root), "--only", "aid", "nosuch"],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == "maskbook.editions.pdf: --only: no page of _toc.yml is named nosuch"
    (root / "CITATION.cff").write_text("title: x\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "maskbook.editions.pdf", "--root", str(root)], capture_output=True, text=True)
    assert "CITATION.cff: field 'date-released' is missing" in result.stderr.strip().splitlines()[-1]


def menu_links(page: Path) -> list[str]:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return [a["href"] for a in soup.select(".dropdown-download-buttons a[href]") if a["href"].endswith(".pdf")]


def test_the_site_links_no_pdf_before_it_is_built(site):
    for doc in DOCS:
        page = site / f"{doc}.html"
        assert menu_links(page) == [], f"{doc}: links a PDF that was not built"
        assert "window.print()" in page.read_text(encoding="utf-8"), f"{doc}: no print entry left"
    assert "maskbook-pdf-edition" not in (site / "intro.html").read_text(encoding="utf-8")
    assert not (site / "pdf").exists()


def test_the_site_offers_the_pdfs_once_built(pdfs, offered):
    """A rebuild after ``python -m maskbook.editions.pdf`` copies the PDFs in and links them from every page."""
    result, copy = offered
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    site = copy / "_build" / "html"
    for doc in DOCS:
        page = site / f"{doc}.html"
        links = menu_links(page)
        assert [Path(h).name for h in links] == [f"{Path(CHAPTER_OF[doc]).name}.pdf", "book.pdf"], doc
        for href in links:
            assert (page.parent / href).resolve().is_file(), f"{doc}: broken link {href}"
        assert "window.print()" not in page.read_text(encoding="utf-8")
    intro = BeautifulSoup((site / "intro.html").read_text(encoding="utf-8"), "html.parser")
    link = intro.select_one("p.maskbook-pdf-edition a[href]")
    assert link is not None and (site / link["href"]).read_bytes() == (pdfs / "book.pdf").read_bytes()
    names = zipfile.ZipFile(site / "teaching-pack.zip").namelist()
    assert "teaching-pack/instructor/book.pdf" in names
    assert "teaching-pack/student/pdf/aid.pdf" in names


def test_a_page_printed_from_the_browser_shows_no_control(server, browser):
    """The site's own print stylesheet: no "Show the data plotted" or "Click to hide"; solutions
    print open; code wraps. (Reader pages have no "Show code cell source" bar at all:
    tests/test_reader_site.py.)"""
    page = browser.new_page()
    try:
        page.goto(server + "chapters/aid.html", wait_until="load")
        page.emulate_media(media="print")
        for control in ["text=Show the data plotted", "button.toggle-button"]:
            assert page.locator(control).count() > 0, f"{control} is not on the page: the test checks nothing"
            assert not any(page.locator(control).nth(i).is_visible() for i in range(page.locator(control).count())), \
                f"{control} shows in print"
        assert page.locator("div.solution section").first.is_visible(), "solutions do not print"
        assert page.locator("div.cell_input pre").first.evaluate("e => getComputedStyle(e).whiteSpace") == "pre-wrap"
    finally:
        page.close()


def test_paper_wording_of_a_page_fragment():
    """Without a PDF: a download link prints its address, a shortened address prints whole with
    break points before slashes and dots, each code line is a block, a number cell keeps together."""
    from maskbook.editions.pdf_paper import for_paper

    soup = BeautifulSoup(
        '<section><p><a href="https://example.org/b/data/x.csv">Download x.csv</a></p>'
        '<p><a href="https://www.example.com/a/very-long/path?q=1">www.example.com/a/very…</a></p>'
        '<pre><span class="s">"""one\ntwo"""</span>\nprint(1)</pre>'
        "<table><tr><td>8010000</td><td>Italy</td></tr></table></section>", "html.parser")
    for_paper(soup, soup.section, "https://example.org/b/")
    links = soup.select("a")
    assert links[0].get_text() == "example.org/b/data/x.csv"
    assert links[1].get_text() == "www.example.com/a/very-long/path?q=1"
    assert str(links[1]).count("<wbr/>") == 9  # before . . / / - / ? and around =
    assert [line.get_text() for line in soup.select("pre .pdf-line")] == ['"""one', 'two"""', "print(1)"]
    assert soup.select_one("td")["class"] == ["pdf-num"] and not soup.select("td")[1].get("class")


def test_the_bold_takes_what_its_file_lacks_from_the_book_face():
    """EB Garamond 12's bold file holds ASCII only: curly quotes, dashes and accented letters in bold
    text come from the upright (or italic) file of the same face, never from DejaVu Serif."""
    from maskbook.editions.pdf_document import book_face_css, code_points, unicode_ranges

    assert unicode_ranges({0x41, 0x42, 0x43, 0x201C, 0x2019}) == "U+41-43, U+2019, U+201C"
    gaps = [rule for rule in book_face_css().split("\n") if "font-weight: 700" in rule and "unicode-range" in rule]
    assert len(gaps) == 2 and "Regular.ttf" in gaps[0] and "Italic.ttf" in gaps[1]
    covered = [(int(a, 16), int(b or a, 16)) for a, b in re.findall(r"U\+([0-9A-F]+)(?:-([0-9A-F]+))?", gaps[0])]
    bold = code_points("EBGaramond12-Bold.ttf")
    for char in "\u201c\u201d\u2019\u2013\u2014\u00e0":
        assert ord(char) not in bold, f"{char!r} is in the bold file after all: the test checks nothing"
        assert any(a <= ord(char) <= b for a, b in covered), f"{char!r} in bold has no EB Garamond glyph"


def test_the_italian_edition_is_printed_in_italian(pdfs_it, site):
    """``--language it`` prints the Italian site: Italian metadata, title and contents (the Italian
    chapters' titles), and no screen word of either language. (The session prints the book and one
    handout in Italian, ``--only``: the other PDFs are printed by the same code, read in English.)"""
    from maskbook.editions.pdf_paper import SCREEN_ONLY_PHRASES

    printed = sorted(p.name for p in pdfs_it.glob("*.pdf"))
    assert printed == sorted(["book.pdf"] + [f"{name}.pdf" for name in session_jobs.ITALIAN])
    reader = PdfReader(pdfs_it / "book.pdf")
    assert reader.trailer["/Root"]["/Lang"] == "it"
    assert reader.metadata.title.startswith("La diplomazia delle mascherine della Cina in Italia, 2020")
    assert "docenti" in reader.metadata.subject
    pages = page_texts(pdfs_it / "book.pdf")
    assert pages[0].startswith("La diplomazia delle mascherine")
    contents = next(p for p in pages[:4] if p.startswith("Indice"))
    italian = titles(site / "it")
    assert "Arrivano gli aiuti" in italian
    for number, title in enumerate(italian[1:8], start=1):
        assert re.search(rf"\b{number} {re.escape(title)} \d", contents), f"{title!r} is not chapter {number} in the contents"
    assert re.search(r"\bA Dati \d", contents)
    for path in sorted(pdfs_it.glob("*.pdf")):
        text = " ".join(page_texts(path))
        for phrase in SCREEN_ONLY_PHRASES:
            assert phrase not in text, f"it/{path.name}: {phrase!r} printed: {text[text.index(phrase) - 80:][:160]!r}"
    handout = " ".join(page_texts(pdfs_it / "aid.pdf"))
    assert "Dispensa del capitolo" in handout and "Capitolo 2" in handout
    assert "https://example.org/maskbook/it/chapters/aid.html#" in re.sub(r"\s", "", handout)


def test_the_italian_site_finds_the_italian_pdfs(tmp_path):
    """The Italian build (site in ``_build/it/html``) offers ``_build/pdf/it/``; the English ``_build/pdf/``."""
    from types import SimpleNamespace

    from maskbook.editions.pdf import built_pdfs

    def app(lang, outdir):
        return SimpleNamespace(config=SimpleNamespace(language=lang), outdir=str(tmp_path / outdir))

    assert built_pdfs(app("it", "_build/it/html")) == tmp_path / "_build" / "pdf" / "it"
    assert built_pdfs(app("en", "_build/html")) == tmp_path / "_build" / "pdf"
    assert built_pdfs(app(None, "_build/html")) == tmp_path / "_build" / "pdf"
