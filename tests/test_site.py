"""The built site: a clean strict build, every page present, charts offline and reproducible."""
from __future__ import annotations

import calendar
import datetime
import functools
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from bs4.element import CData, NavigableString

from maskbook import edition
from maskbook.editions.pdf_document import Numbering
from maskbook.editions.pdf_page import load_page

from conftest import ROOT, build_book, html_pages, soup, toc_docnames

WARNING = re.compile(r"\bWARNING\b|\bERROR\b")  # Sphinx prints "WARNING:" / "ERROR:"


def chart_pages(site: Path) -> list[str]:
    return [p for p in html_pages(site) if soup(site / p).select("figure.maskbook-chart")]


def test_build_has_no_warnings(book):
    log = (book / "build.log").read_text(encoding="utf-8")
    lines = [line for line in log.splitlines() if WARNING.search(line) or "Traceback" in line or "[etoc] Excluded" in line]
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
        urls += [link.get("href") for link in doc.find_all("link") if "stylesheet" in (link.get("rel") or [])]
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


#: Numbered figures the book must have (issue 21).
MIN_FIGURES = 20


def site_figure_numbers(site: Path, doc: str) -> list[str]:
    return [s.get_text(strip=True) for s in soup(site / f"{doc}.html").select(
        "figure.maskbook-chart figcaption .maskbook-figure-number")]


def test_at_least_twenty_figures_numbered_by_chapter_on_the_site_and_in_print(site):
    """Each chart of chapter k is "Figure k.1", "Figure k.2", ..., k being the number the site
    prints before the chapter's title; the landing page's overview chart has no number (it is no
    chapter's); the PDF edition's page for each chapter keeps the same labels (its own labels are
    only for captions without one)."""
    book = edition.read_book(ROOT)
    numbering = Numbering.of(book)
    root, *docs = toc_docnames()
    assert site_figure_numbers(site, root) == []
    assert soup(site / f"{root}.html").select("figure.maskbook-chart"), "the landing page's chart is gone"
    numbered = []
    for doc in docs:
        page = soup(site / f"{doc}.html")
        labels = site_figure_numbers(site, doc)
        assert len(labels) == len(page.select("figure.maskbook-chart")), doc  # every chart, or none
        if not labels:
            continue
        chapter = page.select_one("article h1 .section-number").get_text(strip=True).rstrip(".")
        assert labels == [f"Figure {chapter}.{n}" for n in range(1, len(labels) + 1)], doc
        assert numbering.number(doc) == chapter, doc
        printed = load_page(site, doc, book, numbering.number(doc)).body.select("figure.maskbook-chart figcaption")
        assert [re.match(r"Figure \d+\.\d+", c.get_text(" ", strip=True)).group() for c in printed] == labels, doc
        numbered += labels
    assert len(numbered) >= MIN_FIGURES, numbered


def test_chart_ids_are_deterministic_hashes(site):
    for page in chart_pages(site):
        ids = [d["id"] for d in soup(site / page).select("div.plotly-graph-div")]
        assert ids and all(re.fullmatch(r"chart-[0-9a-f]{12}", i) for i in ids)


def test_a_chart_image_is_the_same_drawn_first_or_after_other_charts(tmp_path):
    """The build draws its static images one after another in kaleido tabs that load plotly.js
    once (``compat.kaleido_keeping_its_pages``): an image drawn after other charts, light and
    dark, in a tab used before, is the same bytes as one drawn first, in a tab just opened."""
    from maskbook.book import data
    from maskbook.book.charts import lessons, opinion
    from maskbook.book.charts.style import WIDE
    from maskbook.site import plotly_bundle
    from maskbook.site.plotly_renderer import Drawer, chart_figure, dark, layouts

    def wide(fig) -> dict:
        return layouts(chart_figure(json.loads(fig.to_json()))[0])["wide"]

    pew, oth = data.load_table("pew_unfavorable"), data.load_table("other_surveys")
    first = wide(opinion.iai_laps_items(oth))
    others = [wide(lessons.later_surveys(pew, data.load_table("swg_friends_enemies"), oth)), dark(first)]

    def drawn(figures: list[dict], name: str) -> bytes:
        drawer = Drawer(plotly_bundle.PARTIAL_BUNDLE)
        for i, fig in enumerate(figures):
            drawer.draw(fig, f"chart-{i}" if fig is not first else "chart", WIDE, tmp_path / f"{name}-{i}.svg",
                        tmp_path / f"{name}-{i}-site.svg")
        assert drawer.finish() == []
        return (tmp_path / f"{name}-{len(figures) - 1}.svg").read_bytes()

    alone = drawn([first], "alone")
    assert alone.startswith(b"<svg") and b"chart" in alone
    assert drawn([*others, *others, first], "after") == alone


def test_chapters_offer_their_executed_notebook(site):
    import nbformat

    for page in chart_pages(site):
        ipynb = site / "_sources" / page.replace(".html", ".ipynb")
        nb = nbformat.read(ipynb, as_version=4)
        outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
        assert any("application/vnd.plotly.v1+json" in o.get("data", {}) for o in outputs), ipynb


def written_pages(result) -> set[str]:
    return set(re.findall(r"writing output\.\.\..*?\[\s*\d+%\]\s*(?:\x1b\[[\d;]*m)?([\w/.-]+)", result.stdout))


@pytest.fixture(scope="session")
def rebuilt(session_job) -> Path:
    """A copy of the session's build, ``_build`` included (execution cache, chart images), built
    again in its new folder, in the background as soon as the session's build ends
    (tests/session_jobs.py): Sphinx, finding its source folder changed, starts a fresh environment
    and reads and writes every page again, with the chapters' outputs and chart images from the
    copied caches (a second cold build without its notebook runs and kaleido). When the session
    has the PDFs, the copy is then given them, built again (tests/test_pdf.py reads that site) and
    built once more without them. The rebuild tests below then edit this copy (the session's
    ``book`` stays as built)."""
    result, folder = session_job("rebuilt")
    settled = folder / "settled" / "src"
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    if (folder / "withdrawn.status").exists():
        withdrawn, _ = session_job("withdrawn")
        assert withdrawn.returncode == 0, withdrawn.stdout[-4000:] + withdrawn.stderr[-4000:]
    assert {p.removesuffix(".html") for p in html_pages(settled)} <= written_pages(result), "not every page was written again"
    return settled


def test_two_clean_builds_are_byte_identical(site, rebuilt):
    """Every page written again by a fresh Sphinx environment, in another folder, is the same byte
    for byte (no timestamp, random id or absolute path of the build's folder reaches a page), and
    stays so once the PDFs have been offered and withdrawn (the ``rebuilt`` fixture). That
    the chapters' own outputs are reproducible is checked where a data edit re-executes three of
    them (test_editing_one_cell_of_shipments_re_executes_exactly_its_readers)."""
    other = rebuilt / "_build" / "html"
    different = [p for p in html_pages(site) if (site / p).read_bytes() != (other / p).read_bytes()]
    assert different == []


#: The pages whose code reads the table shipments: its figures (intro, aid) and the rows aid's charts
#: plot (chart functions read only the rows a chapter passes them). The Data appendix runs no
#: code: Sphinx re-reads its page of the table, whose directive depends on the CSV.
SHIPMENTS_READERS = {"intro", "chapters/aid"}


def executed_notebooks(result, src: Path) -> set[str]:
    return {str(Path(p).relative_to(src)) for p in re.findall(r"(\S+)\.md: Executing notebook", result.stdout)}


def test_an_unchanged_rebuild_executes_and_writes_nothing(rebuilt):
    """Nothing changed: no notebook runs and no page is written again (not the Data appendix's
    pages, whose "used in" lists change only when a chapter is read again)."""
    result = build_book(rebuilt)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    assert executed_notebooks(result, rebuilt) == set()
    assert re.findall(r"writing output\.\.\..*?\[\s*\d+%\].*", result.stdout) == []


def test_editing_one_cell_of_shipments_re_executes_exactly_its_readers(site, rebuilt):
    """myst-nb's cache keys on code only; the input fingerprint, read from the code, makes data edits
    count. The edited cell (a row's notes) is shown by no chapter: the re-executed chapters' pages
    are the same bytes as the session's (their notebooks' outputs are reproducible)."""
    from maskbook.site import sphinxext

    src = rebuilt
    readers = {doc for doc in toc_docnames() if "shipments.csv" in
               {p.name for p in sphinxext.inputs_read_by((src / f"{doc}.md").read_text(encoding="utf-8"))}}
    assert readers == SHIPMENTS_READERS
    edit_csv_cell(src / "data" / "shipments.csv", 0, "notes", "An edited note.")  # one cell, still valid
    result = build_book(src)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    assert executed_notebooks(result, src) == SHIPMENTS_READERS
    pages = [f"{doc}.html" for doc in sorted(SHIPMENTS_READERS)]
    assert [p for p in pages if (site / p).read_bytes() != (src / "_build" / "html" / p).read_bytes()] == []


def test_editing_a_chapter_rewrites_the_data_pages_and_its_italian_is_out_of_date(rebuilt):
    """A chapter read again may quote other rows: the tables' "used in" lists are written anew. Its
    new English passage has no Italian yet: the strict build fails, naming it (issue 24)."""
    aid = rebuilt / "chapters" / "aid.md"
    original = aid.read_text(encoding="utf-8")
    aid.write_text(original.replace("Italy was the first European country hit hard by the virus.",
                                    "Italy was the first country in Europe hit hard by the virus."), encoding="utf-8")
    try:
        result = build_book(rebuilt)
    finally:
        aid.write_text(original, encoding="utf-8")
    assert {"chapters/aid", "chapters/data/shipments", "chapters/data/timeline"} <= written_pages(result)
    assert executed_notebooks(result, rebuilt) == set()
    warnings = [line for line in (result.stdout + result.stderr).splitlines() if WARNING.search(line)]
    assert len(warnings) == 1 and "chapters/aid.md" in warnings[0], warnings  # from the Italian build only
    assert "untranslated passage" in warnings[0] and "Italy was the first country in Europe" in warnings[0]
    assert result.returncode != 0


def test_chapter_inputs_come_from_code_not_prose():
    from maskbook.site import sphinxext

    prose = ("---\nkernelspec:\n  display_name: Python 3\n  language: python\n  name: python3\n---\n"
             "# Aid\n\nThe aid and the turn.\n\n```{code-cell} ipython3\nx = 1\n```\n")
    names = {p.name for p in sphinxext.inputs_read_by(prose)}
    assert names == {"datapackage.json"}
    code = prose.replace("x = 1", 'from maskbook.book.charts import aid\nteams = data.load_table("medical_teams")\n'
                                  'figure("n", table="timeline", rows="TL06", how="count")')
    names = {p.name for p in sphinxext.inputs_read_by(code)}
    # the chart module and what it imports; the table loaded; the table a figure is derived from
    assert {"aid.py", "style.py", "data.py", "medical_teams.csv", "timeline.csv"} <= names
    assert "turn.py" not in names and "twitter_bots.csv" not in names
    assert "shipments.csv" not in names  # a chart function reads only the rows it is given


def test_data_appendix_lists_every_table_with_a_working_download(site):
    from maskbook.book import data

    page = soup(site / "chapters" / "data.html")
    sections = {s["id"].removeprefix("data-") for s in page.select("section.maskbook-dataset")}
    assert sections == set(data.list_tables())
    hrefs = [a["href"] for a in page.find_all("a", href=True) if a["href"].startswith("../data/")]
    assert "../data/datapackage.json" in hrefs
    assert {h.rsplit("/", 1)[1] for h in hrefs} >= {data.csv_path(n).name for n in data.list_tables()}
    for href in hrefs:
        assert (site / "chapters" / href).resolve().is_file(), href
    for name in data.list_tables():  # each table page's rows are a region named by its table
        regions = soup(site / "chapters" / "data" / f"{name}.html").select("div.mb-rows-wrap[role=region]")
        assert [r["aria-label"] for r in regions] == [f"Rows of {name}"], name


def reader_texts(site: Path):
    """(name, text) of everything a reader sees or downloads: the visible text of every HTML
    page, the data files of the site, and the data files of the teaching pack."""
    for page in sorted(site.rglob("*.html")):
        strings = soup(page).find_all(string=True)  # the shared parse: read, not changed
        yield str(page.relative_to(site)), " ".join(
            t for t in strings if type(t) in (NavigableString, CData) and t.parent.name not in ("script", "style"))
    for path in sorted((site / "data").iterdir()):
        yield f"data/{path.name}", path.read_text(encoding="utf-8")
    with zipfile.ZipFile(site / "teaching-pack.zip") as pack:
        for name in pack.namelist():
            if "/data/" in f"/{name}" and not name.endswith("/"):
                yield f"teaching-pack.zip:{name}", pack.read(name).decode("utf-8")


def test_no_placeholder_or_research_jargon_reaches_a_reader(site):
    from maskbook.book.bibliography import NOT_FOR_READERS

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

# --- bad input ends the build with one plain message, last on screen ---------------------------

def edit_csv_cell(path: Path, row: int, field: str, value: str) -> None:
    import csv

    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    rows[row][field] = value
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


BAD_ROWS = [
    ("masks", "abc", "line 3 of data/shipments.csv: masks must be a whole number, got 'abc'"),
    ("source_title", "", "line 3 of data/shipments.csv: source_title must not be empty"),
    ("date", "2020-13-01",
     "line 3 of data/shipments.csv: date must be a date written YYYY, YYYY-MM or YYYY-MM-DD, got '2020-13-01'"),
]


@pytest.mark.parametrize("field, value, last_line", BAD_ROWS)
def test_a_bad_row_gives_the_line_the_build_ends_with(bad_data, field, value, last_line):
    """Each bad row's message, as the build gets it from a chapter's kernel (nbclient's
    CellExecutionError behind myst-nb's ExecutionError) and ends with it (report_input_error); the
    build itself ends so once, below."""
    from myst_nb.core.execute.base import ExecutionError
    from nbclient.exceptions import CellExecutionError

    from maskbook.book import data
    from maskbook.site import sphinxext

    edit_csv_cell(bad_data / "shipments.csv", 1, field, value)
    with pytest.raises(data.DataValidationError) as refused:
        data.load_table("shipments")
    try:
        try:
            raise CellExecutionError("(the kernel's traceback)", type(refused.value).__name__, str(refused.value))
        except CellExecutionError as kernel_error:
            raise ExecutionError("chapters/aid.md") from kernel_error
    except ExecutionError as build_error:
        chain = build_error
    assert sphinxext.input_error(chain) == last_line
    with pytest.raises(SystemExit) as ended:
        sphinxext.report_input_error(None, chain)
    message = str(ended.value).rstrip().splitlines()
    assert message[-1] == last_line and sum(last_line in line for line in message) == 1


def test_a_bad_row_ends_the_build_with_its_message(rebuilt):
    field, value, last_line = BAD_ROWS[0]
    csv = rebuilt / "data" / "shipments.csv"
    original = csv.read_bytes()
    try:
        edit_csv_cell(csv, 1, field, value)
        result = build_book(rebuilt)
    finally:
        csv.write_bytes(original)
    output = (result.stdout + result.stderr).rstrip().splitlines()
    assert result.returncode != 0
    assert output[-1] == last_line
    assert sum(last_line in line for line in output) == 1  # once, not also in a traceback
    assert "Traceback" not in result.stdout + result.stderr


def test_a_malformed_note_ends_the_build_with_its_message(rebuilt):
    notes = rebuilt / "data" / "source" / "notes.txt"
    original = notes.read_bytes()
    paragraphs = original.decode("utf-8").split("\n\n")
    try:
        notes.write_text("\n\n".join(paragraphs[:2] + ["12. A note that keeps its printed number."] + paragraphs[2:]),
                         encoding="utf-8")
        # The notes are read by the copy's own maskbook (its ROOT is the copy).
        result = build_book(rebuilt, env={"PYTHONPATH": str(rebuilt)})
    finally:
        notes.write_bytes(original)
    output = (result.stdout + result.stderr).rstrip().splitlines()
    assert result.returncode != 0
    line = len("\n\n".join(paragraphs[:2]).split("\n")) + 2  # the inserted paragraph's first line
    assert f"notes.txt, line {line}:" in output[-1] and "printed note number" in output[-1]
    assert "Traceback" not in result.stdout + result.stderr


# --- the chapters as notebooks, and quiet kernels -------------------------------------------------

def test_a_chapter_runs_as_a_notebook_from_any_folder(tmp_path):
    """README: convert a chapter with jupytext, run it with nbconvert, with a copy of the data."""
    from conftest import ROOT

    shutil.copytree(ROOT / "data", tmp_path / "data")
    run = functools.partial(subprocess.run, cwd=tmp_path, capture_output=True, text=True, timeout=600,
                            env={**os.environ, "MASKBOOK_DATA": str(tmp_path / "data")})
    converted = run([sys.executable, "-m", "jupytext", "--to", "ipynb", str(ROOT / "chapters" / "story.md"), "-o", "story.ipynb"])
    assert converted.returncode == 0, converted.stderr
    executed = run([sys.executable, "-m", "nbconvert", "--to", "notebook", "--execute", "story.ipynb",
                    "--output", "story-run.ipynb"])
    assert executed.returncode == 0, executed.stderr[-3000:]
    import nbformat

    nb = nbformat.read(tmp_path / "story-run.ipynb", as_version=4)
    assert any("application/vnd.plotly.v1+json" in o.get("data", {}) for c in nb.cells if c.cell_type == "code"
               for o in c.outputs)


def test_the_build_kernel_imports_a_chapter_without_compiling_iri_grammars(tmp_path, monkeypatch):
    """The chapters' kernel (the book's kernel spec) leaves out rfc3987_syntax, whose 39 Lark grammars
    jsonschema compiles at import (about 1 s of every chapter's run); jsonschema still works. It is
    reached, as every kernel the build starts, over Unix sockets of its own, named by an absolute
    path (TCP ports picked by two processes at once can clash: a kernel dies at start)."""
    import nbformat
    from nbclient import NotebookClient

    from maskbook.site import execute

    code = ("import sys, jsonschema\n"
            "from maskbook.book import charts, data\n"
            "jsonschema.validate({'a': 1}, {'properties': {'a': {'type': 'integer'}}})\n"
            "print('nbformat' in sys.modules, sys.modules.get('rfc3987_syntax', 'absent'))\n"
            "from ipykernel.kernelapp import IPKernelApp\n"
            "print(IPKernelApp.instance().transport, IPKernelApp.instance().ip)")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    monkeypatch.setenv("JUPYTER_PATH", str(ROOT / "maskbook" / "site" / "jupyter"))  # as the build does
    NotebookClient(nb, kernel_name="python3", timeout=120, resources={"metadata": {"path": str(tmp_path)}},
                   **execute.CLIENT_OPTIONS).execute()
    imports, sockets = nb.cells[0].outputs[0]["text"].splitlines()
    assert imports == "True None"  # plotly brought nbformat and jsonschema in
    transport, path = sockets.split(" ", 1)
    assert transport == "ipc" and Path(path).is_absolute() and not Path(path).is_relative_to(tmp_path), sockets
    assert not list(Path(path).parent.glob(Path(path).name + "-*")), "the kernel's sockets outlived it"


# What a kernel tells of itself, as JSON on one line.
KERNEL_FACTS = """import json, os, signal, subprocess, sys
preloaded = "pandas" in sys.modules
import pandas as pd, plotly.io as pio
from ipykernel.kernelapp import IPKernelApp
app = IPKernelApp.instance()
print(json.dumps({"preloaded": preloaded, "pid": os.getpid(), "cwd": os.getcwd(), "path": sys.path,
    "display": [pd.get_option("display.max_columns"), pd.get_option("display.width"), pio.renderers.default],
    "shell": type(get_ipython()).__name__, "modules": sorted(m for m in sys.modules if m.split(".")[0] in ("pandas", "plotly")),
    "language": os.environ.get("MASKBOOK_LANGUAGE"), "own_session": os.getsid(0) == os.getpid(),
    "parent": app.parent_handle == os.getppid(), "transport": app.transport,
    "rfc3987_syntax": repr(sys.modules.get("rfc3987_syntax", "absent")),
    "subprocess": subprocess.run([sys.executable, "-c", "pass"]).returncode}))"""


def test_a_forked_build_kernel_is_the_kernel_it_replaces(tmp_path, monkeypatch):
    """While a build runs notebooks in parallel its kernels are forks of a process that has imported
    what the notebooks' first cells import (maskbook.site.kernelfork): such a kernel has them at
    once, and is otherwise the kernel the build would have started (folder, path, the display
    defaults pandas and plotly choose on import, environment, its own session, its parent, Unix
    sockets, subprocesses); its manager's signals reach it, and a
    forced shutdown ends it. A kernel whose environment is not the server's, or that asks a server
    that has ended, starts as usual."""
    import nbformat
    from nbclient import NotebookClient

    from maskbook.site import execute, kernelfork

    monkeypatch.setenv("JUPYTER_PATH", str(ROOT / "maskbook" / "site" / "jupyter"))  # as the build does
    monkeypatch.setenv("MASKBOOK_LANGUAGE", "it")

    def facts() -> dict:
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(KERNEL_FACTS)])
        NotebookClient(nb, kernel_name="python3", timeout=120, resources={"metadata": {"path": str(tmp_path)}},
                       **execute.BUILD_OPTIONS).execute()
        return json.loads(nb.cells[0].outputs[0]["text"])

    def run(client, code: str) -> str:
        printed = []
        client.execute_interactive(code, timeout=60, output_hook=lambda m: printed.append(m["content"].get("text", "")))
        return "".join(printed)

    fresh = facts()
    kernelfork.start({"pandas", "plotly.io"})
    server = kernelfork.server
    try:
        forked = facts()
        manager = execute.ForkedKernelManager(kernel_name="python3")
        manager.start_kernel(cwd=str(tmp_path))
        client = manager.client()
        client.start_channels()
        client.wait_for_ready(timeout=60)
        pid = int(run(client, "import os, signal\ngot = []\n"
                              "signal.signal(signal.SIGUSR1, lambda *_: got.append(1))\nprint(os.getpid())"))
        manager.signal_kernel(signal.SIGUSR1)
        signalled = run(client, "import time\nfor _ in range(50):\n    if got: break\n    time.sleep(0.1)\nprint(len(got))")
        client.stop_channels()
        manager.shutdown_kernel(now=True)
        monkeypatch.setenv("MASKBOOK_OTHER", "1")  # not the environment the server imported under
        refused = facts()
        monkeypatch.delenv("MASKBOOK_OTHER")
        server.process.kill()
        server.process.wait()
        after_the_server = facts()
    finally:
        kernelfork.stop()
    assert [k["preloaded"] for k in (fresh, forked, refused, after_the_server)] == [False, True, False, False]
    same = ["cwd", "path", "display", "shell", "modules", "language", "own_session", "parent", "transport",
            "rfc3987_syntax", "subprocess"]
    assert {k: forked[k] for k in same} == {k: fresh[k] for k in same} == {k: refused[k] for k in same}
    assert fresh["cwd"] == str(tmp_path) and fresh["language"] == "it" and fresh["own_session"] and fresh["parent"]
    assert signalled == "1\n"
    for gone in (forked["pid"], pid):
        with pytest.raises(ProcessLookupError):
            os.kill(gone, 0)
    assert kernelfork.server is None


def test_only_the_two_shutdown_races_are_dropped_from_logs():
    import logging

    import zmq

    from maskbook.site.lognoise import BROWSER_JSON_ERROR, CALLBACK_ERROR, is_browser_goodbye, is_shutdown_race

    def record(message, error):
        try:
            raise error
        except Exception:
            return logging.LogRecord("tornado.general", logging.ERROR, __file__, 1, message, None, sys.exc_info())

    assert is_shutdown_race(record(CALLBACK_ERROR, zmq.ZMQError(zmq.ENOTSOCK)))
    assert not is_shutdown_race(record(CALLBACK_ERROR, zmq.ZMQError(zmq.EAGAIN)))
    assert not is_shutdown_race(record(CALLBACK_ERROR, ValueError("a real bug")))
    assert not is_shutdown_race(record("Some other error", zmq.ZMQError(zmq.ENOTSOCK)))

    from choreographer.channels import _wire as wire  # what the pipe uses to parse each message

    def bad_json(text):
        try:
            wire.deserialize(text)
        except Exception as exc:
            return exc

    assert is_browser_goodbye(record(BROWSER_JSON_ERROR, bad_json("{bye}\n")))
    assert not is_browser_goodbye(record(BROWSER_JSON_ERROR, bad_json('{"id": 1, "result": ')))
    assert not is_browser_goodbye(record("Error in trying to decode JSON off our read.", bad_json("{bye}\n")))

    from maskbook.site.lognoise import quiet_browser_goodbye

    quiet_browser_goodbye()  # choreographer's own logger gets the filter and keeps its debug2
    assert hasattr(logging.getLogger("choreographer.channels.pipe"), "debug2")


def test_tab_titles_name_the_page_once_and_a_favicon_is_local(site):
    import yaml

    from conftest import ROOT

    book = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["title"]
    for page in html_pages(site):
        doc = soup(site / page)
        title = doc.title.get_text().replace("\u2019", "'")
        assert title.count(book) == 1, (page, title)
        icons = [link["href"] for link in doc.find_all("link") if "icon" in (link.get("rel") or [])]
        assert icons and all((site / Path(page).parent / h).resolve().is_file() for h in icons), (page, icons)
