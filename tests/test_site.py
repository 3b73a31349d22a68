"""The built site: a clean strict build, every page present, charts offline and reproducible."""
from __future__ import annotations

import calendar
import datetime
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, build_book, copy_book, html_pages, toc_docnames

WARNING = re.compile(r"\bWARNING\b|\bERROR\b")  # Sphinx prints "WARNING:" / "ERROR:"


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def chart_pages(site: Path) -> list[str]:
    return [p for p in html_pages(site) if soup(site / p).select("figure.maskbook-chart")]


def test_build_has_no_warnings(book):
    log = (book / "build.log").read_text(encoding="utf-8")
    lines = [l for l in log.splitlines() if WARNING.search(l) and "Kernel is running over TCP" not in l]
    assert lines == []


def test_every_toc_entry_has_a_page(site):
    missing = [p for p in html_pages(site) if not (site / p).is_file()]
    assert missing == []


def test_plotly_js_once_on_chart_pages_never_elsewhere(site):
    assert (site / "_static" / "plotly.min.js").stat().st_size > 1_000_000
    charts = chart_pages(site)
    assert charts, "no page has a chart"
    for page in html_pages(site):
        # Charts load plotly.js lazily: the loader script names it in its data-plotly attribute.
        scripts = soup(site / page).find_all("script")
        plotly = [s.get("src", "") for s in scripts if "plotly" in s.get("src", "")]
        plotly += [s["data-plotly"] for s in scripts if s.get("data-plotly")]
        if page in charts:
            depth = page.count("/")
            assert plotly == ["../" * depth + "_static/plotly.min.js"], page
        else:
            assert plotly == [], page


def test_no_page_references_another_origin_for_scripts_or_styles(site):
    for page in html_pages(site):
        doc = soup(site / page)
        urls = [s.get("src") for s in doc.find_all("script") if s.get("src")]
        urls += [l.get("href") for l in doc.find_all("link") if "stylesheet" in (l.get("rel") or [])]
        assert [u for u in urls if re.match(r"(https?:)?//", u)] == [], page


def test_each_chart_has_title_source_alt_and_csv(site):
    for page in chart_pages(site):
        for fig in soup(site / page).select("figure.maskbook-chart"):
            assert fig.select_one(".maskbook-chart-title").get_text(strip=True), page
            assert fig.select_one(".maskbook-chart-source").get_text(strip=True).startswith("Source: ")
            assert len(fig.select_one(".maskbook-chart-alt").get_text(strip=True)) > 20
            links = [a["href"] for a in fig.select(".maskbook-chart-download a")]
            assert links, page
            for href in links:
                assert (site / Path(page).parent / href).resolve().is_file(), (page, href)


def test_chart_ids_are_deterministic_hashes(site):
    for page in chart_pages(site):
        ids = [d["id"] for d in soup(site / page).select("div.plotly-graph-div")]
        assert ids and all(re.fullmatch(r"chart-[0-9a-f]{12}", i) for i in ids)


def test_chapters_offer_their_executed_notebook(site):
    import nbformat

    for page in chart_pages(site):
        ipynb = site / "_sources" / page.replace(".html", ".ipynb")
        nb = nbformat.read(ipynb, as_version=4)
        outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
        assert any("application/vnd.plotly.v1+json" in o.get("data", {}) for o in outputs), ipynb


@pytest.fixture(scope="session")
def second_build(book, tmp_path_factory) -> Path:
    """Another clean build of the same sources, in another folder."""
    src = copy_book(tmp_path_factory.mktemp("book2") / "src")
    result = build_book(src)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return src


def test_two_clean_builds_are_byte_identical(site, second_build):
    other = second_build / "_build" / "html"
    different = [p for p in html_pages(site) if (site / p).read_bytes() != (other / p).read_bytes()]
    assert different == []


def test_editing_a_csv_re_executes_the_chapters_that_read_it(second_build):
    """myst-nb's cache keys on code only; the book's input fingerprint makes data edits count."""
    from maskbook import data, sphinxext

    src = second_build
    reads = {}
    for doc in toc_docnames():
        text = (src / f"{doc}.md").read_text(encoding="utf-8")
        if "{code-cell}" in text:
            reads[doc] = {p.name for p in sphinxext.inputs_read_by(text)}
    # a table that some chapters read and others do not
    csv_name = next(
        data.csv_path(n).name for n in data.list_tables()
        if 0 < sum(data.csv_path(n).name in r for r in reads.values()) < len(reads)
    )
    readers = {doc for doc, r in reads.items() if csv_name in r}
    csv = src / "data" / csv_name
    lines = csv.read_text(encoding="utf-8").splitlines(keepends=True)
    csv.write_text("".join(lines[:-1]), encoding="utf-8")  # drop the last row: still valid data
    result = build_book(src)
    assert result.returncode == 0, result.stdout[-4000:]
    executed = {str(Path(p).relative_to(src)) for p in re.findall(r"(\S+)\.md: Executing notebook", result.stdout)}
    assert executed == readers


def test_data_appendix_lists_every_table_with_a_working_download(site):
    from maskbook import data

    page = soup(site / "chapters" / "data.html")
    sections = {s["id"].removeprefix("data-") for s in page.select("section.maskbook-dataset")}
    assert sections == set(data.list_tables())
    hrefs = [a["href"] for a in page.find_all("a", href=True) if a["href"].startswith("../data/")]
    assert "../data/datapackage.json" in hrefs
    assert {h.rsplit("/", 1)[1] for h in hrefs} >= {data.csv_path(n).name for n in data.list_tables()}
    for href in hrefs:
        assert (site / "chapters" / href).resolve().is_file(), href


def reader_texts(site: Path):
    """(name, text) of everything a reader sees or downloads: the visible text of every HTML
    page, the data files of the site, and the data files of the teaching pack."""
    for page in sorted(site.rglob("*.html")):
        doc = soup(page)
        for tag in doc(["script", "style"]):
            tag.decompose()
        yield str(page.relative_to(site)), doc.get_text(" ")
    for path in sorted((site / "data").iterdir()):
        yield f"data/{path.name}", path.read_text(encoding="utf-8")
    with zipfile.ZipFile(site / "teaching-pack.zip") as pack:
        for name in pack.namelist():
            if "/data/" in f"/{name}" and not name.endswith("/"):
                yield f"teaching-pack.zip:{name}", pack.read(name).decode("utf-8")


def test_no_placeholder_or_research_jargon_reaches_a_reader(site):
    from maskbook.bibliography import NOT_FOR_READERS

    hits, names = [], []
    for name, text in reader_texts(site):
        names.append(name)
        hits += [(name, text[max(0, m.start() - 60):m.end() + 40].replace("\n", " "))
                 for m in NOT_FOR_READERS.finditer(text)]
    assert hits == []
    assert {"chapters/bibliography.html", "chapters/data.html", "data/datapackage.json", "data/timeline.csv"} <= set(names)
    assert any(n.startswith("teaching-pack.zip:") and n.endswith("/timeline.csv") for n in names)


def test_every_page_shows_the_edition_of_citation_cff(site):
    cff = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    version = re.search(r"^version:\s*\"?([\w.]+)", cff, re.M)[1]
    released = datetime.date.fromisoformat(re.search(r"^date-released:\s*\"?([\d-]+)", cff, re.M)[1])
    expected = f"Edition {version}, {released.day} {calendar.month_name[released.month]} {released.year}"
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'^version = "([^"]+)"', pyproject, re.M)[1] == version  # one version for book and code
    for page in html_pages(site):
        footers = " ".join(f.get_text(" ", strip=True) for f in soup(site / page).select("footer"))
        assert expected in footers, page
