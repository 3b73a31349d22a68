"""The teaching pack (``maskbook.editions.teaching_pack``): layout, solutions, every notebook runs unpacked.

The pack is built from the repository into a temporary folder, its zip unpacked into an empty
folder, and every notebook of both editions executed there with nbclient, from its own folder,
without ``MASKBOOK_DATA``: ``maskbook`` and the data must come from the unpacked pack. The zip in
the built site (``site`` fixture) must be byte for byte the zip of a fresh pack.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import jupytext
import nbformat
import pytest
from nbclient import NotebookClient

from maskbook.book import data
from maskbook.editions import teaching_pack as tp
from maskbook.site import execute

from conftest import ROOT, toc_docnames

CHAPTERS = tp.pack_chapters(ROOT)  # (notebook name, docname, MyST text), read at collection
NOTEBOOKS = [(edition, name) for edition in ("student", "instructor") for name, _, _ in CHAPTERS]
CHECK = """\
import json, sys
import maskbook, maskbook.book.data
print(json.dumps({"maskbook": maskbook.__file__, "data": str(maskbook.book.data.data_dir()),
                  "modules": sorted(m.__file__ for n, m in list(sys.modules.items())
                                    if n.split(".")[0] == "maskbook" and getattr(m, "__file__", None))}))"""


@pytest.fixture(scope="module")
def pack_out(tmp_path_factory) -> Path:
    """The folder into which the command line (``python -m maskbook.editions.teaching_pack``, in
    its own process, from another folder) wrote the pack and its zip."""
    out = tmp_path_factory.mktemp("pack-out")
    result = subprocess.run([sys.executable, "-m", "maskbook.editions.teaching_pack", "--out", str(out)],
                            capture_output=True, text=True, cwd=out, timeout=300)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def pack_zip(pack_out) -> Path:
    return pack_out / tp.ZIP_NAME


@pytest.fixture(scope="module")
def unpacked(pack_zip, tmp_path_factory) -> Path:
    """The zip unpacked into an empty folder: the pack's root (``teaching-pack/``)."""
    dest = tmp_path_factory.mktemp("unpacked")
    assert not any(dest.iterdir())
    with zipfile.ZipFile(pack_zip) as zf:
        zf.extractall(dest)
    assert [p.name for p in dest.iterdir()] == [tp.PACK_DIR]
    return dest / tp.PACK_DIR


def _solution_lines(text: str) -> tuple[set[str], set[str]]:
    """(code lines, markdown lines) found only inside the solutions of a chapter, stripped.

    Lines that also occur outside the solutions (``import pandas as pd``, a fence) are left out:
    the student edition keeps those.
    """
    lines = text.split("\n")
    inside = set()
    for start, end, _ in tp.solution_ranges(text):
        inside.update(range(start, end + 1))
    outside = {lines[i].strip() for i in range(len(lines)) if i not in inside}
    code_lines = set()
    for b in tp.fenced_blocks(text):
        if b.start in inside and b.name == "code-cell":
            code_lines.update(range(b.start + 1, b.end))
    fences = {i for b in tp.fenced_blocks(text) if b.start in inside for i in (b.start, b.end)}
    code = {lines[i].strip() for i in code_lines} - outside - {""}
    markdown = {lines[i].strip() for i in inside - code_lines - fences} - outside - {""}
    markdown = {m for m in markdown if not re.match(r"^:[\w-]+:", m)}  # directive options
    return code, markdown


def _notebook_lines(path: Path) -> tuple[set[str], str]:
    nb = nbformat.read(path, as_version=4)
    text = "\n".join(c.source for c in nb.cells)
    return {line.strip() for line in text.split("\n")}, text


# ------------------------------------------------------------------ the source
def test_the_pack_holds_the_landing_page_and_every_chapter_with_code():
    names = [doc for _, doc, _ in CHAPTERS]
    assert names[0] == toc_docnames()[0] == "intro"
    for n, doc in enumerate(toc_docnames()):
        text = (ROOT / f"{doc}.md").read_text(encoding="utf-8")
        has_code = any(c.cell_type == "code" for c in jupytext.reads(text, fmt="md:myst").cells)
        assert (doc in names) == (n == 0 or has_code), doc
    # numbered 00, 01, 02... in toc order, with no gap where a page without code is left out
    assert [name for name, _, _ in CHAPTERS] == [f"{i:02d}-{Path(doc).name}.ipynb" for i, doc in enumerate(names)]


@pytest.mark.parametrize("doc", toc_docnames())
def test_every_exercise_has_a_solution(doc):
    text = (ROOT / f"{doc}.md").read_text(encoding="utf-8")
    exercises = tp.exercise_labels(text)
    assert None not in exercises, f"{doc}.md: an exercise has no :label:, so no solution can name it"
    assert len(set(exercises)) == len(exercises), f"{doc}.md: duplicate exercise labels {exercises}"
    solutions = tp.solution_labels(text)  # also raises on a solution-start without solution-end
    assert sorted(solutions) == sorted(exercises), (
        f"{doc}.md: exercises without a solution {sorted(set(exercises) - set(solutions))}, "
        f"solutions of no exercise {sorted(set(solutions) - set(exercises))}")


# ------------------------------------------------------------------ a chapter opens like a lesson
LESSONS = [(doc, text) for _, doc, text in CHAPTERS if tp._has_code(text)]
#: Most lines a chapter's set-up cell may have: imports and the tables the chapter reads.
SETUP_LINES = 15
TABLE_LOAD = re.compile(r"^(\w+) = data\.load_table\(", re.M)


@pytest.mark.parametrize("doc,text", LESSONS, ids=[doc for doc, _ in LESSONS])
def test_a_chapter_opens_with_a_short_visible_setup_cell_of_imports_and_tables(doc, text):
    """The first code cell a student meets: short, not collapsed, no figure declared in it, and
    every table it loads read again further on."""
    cells = [c for c in jupytext.reads(text, fmt="md:myst").cells if c.cell_type == "code"]
    setup, rest = cells[0], cells[1:]
    lines = setup.source.strip().splitlines()
    assert len(lines) <= SETUP_LINES, f"{doc}: the set-up cell has {len(lines)} lines"
    assert not tp.HIDDEN_TAGS & set(setup.metadata.get("tags", [])), f"{doc}: the set-up cell is hidden"
    assert setup.metadata.get("tags") == ["chapter-setup"]
    assert any(line.startswith(("import ", "from ")) for line in lines)
    assert "figure(" not in setup.source and "glue(" not in setup.source, f"{doc}: figures declared in the set-up cell"
    later = "\n".join(c.source for c in rest)
    unused = [name for name in TABLE_LOAD.findall(setup.source) if not re.search(rf"\b{name}\b", later)]
    assert unused == [], f"{doc}: tables loaded and never used: {unused}"


@pytest.mark.parametrize("doc,text", LESSONS, ids=[doc for doc, _ in LESSONS])
def test_figures_are_declared_in_short_hidden_cells_beside_their_paragraphs(doc, text):
    """No wall of declarations: every cell that declares figures is short and hidden, and comes
    before the first paragraph that prints one of them (or right after the set-up cell, for a
    figure the text prints only in the overview above it)."""
    cells = jupytext.reads(text, fmt="md:myst").cells
    code = [i for i, c in enumerate(cells) if c.cell_type == "code"]
    for i in code[1:]:
        cell = cells[i]
        names = re.findall(r"""(?:figure|glue)\(f?["']([\w{}.\[\]]+)["']""", cell.source)
        if not names:
            continue
        assert "hide-input" in cell.metadata.get("tags", []), f"{doc}: a figure cell is not hidden: {cell.source[:80]}"
        assert len(cell.source.splitlines()) <= 25, f"{doc}: a wall of declarations: {cell.source[:80]}"
        before = "\n".join(c.source for c in cells[code[0] + 1:i] if c.cell_type == "markdown")
        for name in names:  # f-string names ("aid_n_{short}") match any word in their fields
            pattern = re.compile(r"\{glue:text\}`" + re.sub(r"\\\{[^}]*\\\}", r"\\w+", re.escape(name)) + r"[:`]")
            assert not pattern.search(before), f"{doc}: {name} is printed above the cell that declares it"


# ------------------------------------------------------------------ cutting solutions
GATED = """\
---
jupytext:
  text_representation:
    format_name: myst
kernelspec:
  name: python3
  display_name: Python 3
---
# T

Intro text.

```{code-cell} ipython3
x = 1
```

```{exercise-start}
:label: ex-a
```
Do A.
```{code-cell} ipython3
# starter for A
```
```{exercise-end}
```

Before the solution, same cell.

```{solution-start} ex-a
:class: dropdown
```
SOLUTION-PROSE-A
````{note}
```python
NESTED-FENCE-A
```
````
```{code-cell} ipython3
secret_a = x + 41
```
SOLUTION-PROSE-A2
```{code-cell} ipython3
:tags: [hide-output]
secret_a2 = secret_a * 2
```
```{solution-end}
```
After the solution, same cell.

:::{solution-start} ex-b
:::
SOLUTION-PROSE-B
:::{solution-end}
:::

```{solution} ex-c
PLAIN-SOLUTION-C
```

```{code-cell} ipython3
y = x + 1
```
"""


def test_strip_solutions_cuts_gated_and_plain_solutions_and_splits_cells():
    student = tp.strip_solutions(GATED)
    for secret in ("SOLUTION-PROSE-A", "NESTED-FENCE-A", "secret_a", "SOLUTION-PROSE-B", "PLAIN-SOLUTION-C",
                   "solution-start", "solution-end", "{solution}"):
        assert secret not in student
    nb = jupytext.reads(student, fmt="md:myst")
    kinds = [(c.cell_type, c.source.split("\n")[0]) for c in nb.cells]
    assert kinds == [("markdown", "# T"), ("code", "x = 1"), ("markdown", "```{exercise-start}"),
                     ("code", "# starter for A"), ("markdown", "```{exercise-end}"),
                     ("code", "# Exercise ex-a: your answer here."), ("markdown", "After the solution, same cell."),
                     ("code", "# Exercise ex-b: your answer here."), ("code", "# Exercise ex-c: your answer here."),
                     ("code", "y = x + 1")]
    assert nb.cells[4].source.rstrip().endswith("Before the solution, same cell.")
    bare = jupytext.reads(tp.strip_solutions(GATED, answer_cells=False), fmt="md:myst")
    assert [c.cell_type for c in bare.cells] == ["markdown", "code", "markdown", "code", "markdown", "code"]
    assert "Before the solution, same cell." in bare.cells[-2].source
    assert "After the solution, same cell." in bare.cells[-2].source
    assert bare.cells[-1].source == "y = x + 1"
    assert tp.solution_labels(GATED) == ["ex-a", "ex-b", "ex-c"]
    assert tp.exercise_labels(GATED) == ["ex-a"]
    # The instructor edition is the text itself: both code cells of the solution stay cells.
    full = jupytext.reads(GATED, fmt="md:myst")
    assert [c.source for c in full.cells if c.cell_type == "code"] == [
        "x = 1", "# starter for A", "secret_a = x + 41", "secret_a2 = secret_a * 2", "y = x + 1"]


def test_unclosed_solution_is_an_error():
    with pytest.raises(ValueError, match="has no solution-end"):
        tp.strip_solutions("```{solution-start} ex\n```\ntext\n", "x.md")
    with pytest.raises(ValueError, match="without a solution-start"):
        tp.strip_solutions("```{solution-end}\n```\n", "x.md")


# ------------------------------------------------------------------ the pack
def test_pack_layout(unpacked):
    names = [name for name, _, _ in CHAPTERS]
    for edition in ("student", "instructor"):
        assert sorted(p.name for p in (unpacked / edition).iterdir()) == sorted(names)
    for path in sorted((ROOT / "data").glob("*.csv")) + [ROOT / "data/datapackage.json", ROOT / "data/README.md"]:
        assert (unpacked / "data" / path.name).read_bytes() == path.read_bytes(), path.name
    for rel in ["maskbook/__init__.py", "maskbook/book/data.py", "maskbook/book/charts/__init__.py",
                "maskbook/book/charts/style.py"]:
        assert (unpacked / rel).read_bytes() == (ROOT / rel).read_bytes(), rel
    for sphinx_only in ["sphinxext.py", "plotly_renderer.py", "bench.py", "bibliography.py", "static"]:
        assert not (unpacked / "maskbook" / sphinx_only).exists(), sphinx_only
    readme = (unpacked / "README.md").read_text(encoding="utf-8")
    for needed in ["python -m venv", "pip install -r requirements.txt", "jupyter lab", "student/",
                   "[Bechis, 2020]", "fig.update_layout", "collapsed", "CC BY 4.0", "MIT"] + names:
        assert needed in readme, needed
    pins = dict(line.split("==") for line in (unpacked / "requirements.txt").read_text().splitlines()
                if line and not line.startswith("#"))
    book_pins = dict(re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)", (ROOT / "requirements.txt").read_text(), re.M))
    for pkg in ["pandas", "plotly", "frictionless", "myst-nb", "ipykernel", "numpy"]:
        assert pins[pkg] == book_pins[pkg], pkg
    assert "jupyterlab" in pins


def test_the_command_writes_the_folder_and_its_zip(pack_out, pack_zip):
    """The folder and the zip hold the same files; the zip is one folder, sorted, with fixed dates
    (that it is deterministic: the build's zip, made from the build's own notebooks in another
    process, is the same bytes, test_site_offers_the_pack)."""
    folder = pack_out / tp.PACK_DIR
    assert (folder / "student" / CHAPTERS[0][0]).is_file()
    with zipfile.ZipFile(pack_zip) as zf:
        infos = zf.infolist()
        assert {i.filename: zf.read(i) for i in infos} == {
            f"{tp.PACK_DIR}/{p.relative_to(folder).as_posix()}": p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    assert [i.filename for i in infos] == sorted(i.filename for i in infos)
    assert all(i.filename.startswith(f"{tp.PACK_DIR}/") for i in infos)
    assert {i.date_time for i in infos} == {tp.ZIP_DATE}
    files = {i.filename.removeprefix(f"{tp.PACK_DIR}/"): b"" for i in infos}
    assert tp.zip_bytes(files) == tp.zip_bytes(dict(reversed(files.items()))), "the zip depends on the files' order"


@pytest.mark.parametrize("name,doc,text", CHAPTERS, ids=[c[0] for c in CHAPTERS])
def test_student_edition_has_no_solution_and_instructor_edition_every_one(unpacked, name, doc, text):
    code, prose = _solution_lines(text)
    student_lines, student_text = _notebook_lines(unpacked / "student" / name)
    instructor_lines, instructor_text = _notebook_lines(unpacked / "instructor" / name)
    assert "solution-start" not in student_text and "solution-end" not in student_text
    assert "{solution}" not in student_text
    # The notebooks' markdown prints figures and citations where the source has roles: a line with
    # roles is found as a pattern, each role standing for some text.
    lines = {re.compile(re.sub(r"\\\{(?:glue|cite)[^`]*`[^`]*`", ".+?", re.escape(line)) + "$") for line in code | prose}
    kept = {p.pattern for p in lines if any(p.match(line) for line in student_lines)}
    lacking = {p.pattern for p in lines if not any(p.match(line) for line in instructor_lines)}
    assert not kept, f"student/{name} keeps solution lines: {sorted(kept)[:5]}"
    assert not lacking, f"instructor/{name} lacks {sorted(lacking)[:5]}"
    assert instructor_text.count("solution-start") == len(tp.solution_labels(text))
    for label in tp.exercise_labels(text):  # the exercises stay in both, with a cell for the answer
        assert f":label: {label}" in student_text and f":label: {label}" in instructor_text
        assert f"# Exercise {label}: your answer here." in student_text


def _run(folder: Path, name: str) -> dict:
    """Execute one notebook of the pack from its own folder; what the check cell found, or the error."""
    nb = nbformat.read(folder / name, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    if code and tp.SETUP_TAG not in code[0].metadata.get("tags", []):
        return {"error": "the set-up cell is not the first code cell"}
    if code:
        nb.cells.append(nbformat.v4.new_code_cell(CHECK))
    try:
        NotebookClient(nb, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(folder)}},
                       **execute.CLIENT_OPTIONS).execute()
    except Exception as exc:  # reported by the notebook's own test
        return {"error": f"{type(exc).__name__}: {str(exc)[-3000:]}"}
    if not code:
        return {}
    return json.loads("".join(o.get("text", "") for o in nb.cells[-1].outputs if o.output_type == "stream"))


@pytest.fixture(scope="module")
def executed(unpacked) -> dict:
    """Every notebook of the student edition, executed in the unpacked pack (a few at a time),
    without MASKBOOK_DATA or PYTHONPATH in the kernels' environment."""
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("MASKBOOK_DATA", raising=False)
        mp.delenv("PYTHONPATH", raising=False)
        with ThreadPoolExecutor(max_workers=3) as pool:
            futures = {(e, n): pool.submit(_run, unpacked / e, n) for e, n in NOTEBOOKS if e == "student"}
            return {key: f.result() for key, f in futures.items()}


@pytest.mark.parametrize("edition,name", [k for k in NOTEBOOKS if k[0] == "student"],
                         ids=[f"{e}/{n}" for e, n in NOTEBOOKS if e == "student"])
def test_notebook_runs_in_the_unpacked_pack(unpacked, executed, edition, name):
    found = executed[(edition, name)]
    assert "error" not in found, f"{edition}/{name} fails in the unpacked pack:\n{found.get('error')}"
    if not found:  # no code cell: nothing imports maskbook
        return
    root = unpacked.resolve()
    assert Path(found["maskbook"]).resolve().is_relative_to(root), found["maskbook"]
    assert Path(found["data"]).resolve() == root / "data"
    outside = [m for m in found["modules"] if not Path(m).resolve().is_relative_to(root)]
    assert not outside, f"maskbook modules imported from outside the pack: {outside}"


@pytest.mark.parametrize("name,doc,text", CHAPTERS, ids=[f"instructor/{c[0]}" for c in CHAPTERS])
def test_instructor_notebook_runs_what_the_build_runs_with_all_it_reads_in_the_pack(unpacked, name, doc, text):
    """The instructor edition is the pack's set-up cell, which every student notebook runs in the
    pack (above), then exactly the chapter's code, which the session's strict build executes (a
    failing chapter fails it). So it runs in the pack when the pack holds everything that code
    reads: every maskbook module and data file, found by the build's own reading of the code
    (``maskbook.site.sphinxext.inputs_read_by``, not the pack's). Running it again would repeat the build."""
    from maskbook.site import sphinxext

    code = [c for c in nbformat.read(unpacked / "instructor" / name, as_version=4).cells if c.cell_type == "code"]
    chapter = [c.source for c in jupytext.reads(text, fmt="md:myst").cells if c.cell_type == "code"]
    student = [c for c in nbformat.read(unpacked / "student" / name, as_version=4).cells if c.cell_type == "code"]
    assert tp.SETUP_TAG in code[0].metadata.get("tags", []) and code[0].source == student[0].source
    assert [c.source for c in code[1:]] == chapter
    read = sphinxext.inputs_read_by(text)
    assert any(p.suffix == ".py" for p in read) and any(p.suffix == ".csv" for p in read), read
    in_pack = [Path("data", p.name) if p.parent == data.data_dir() else p.relative_to(ROOT) for p in read]
    assert [str(p) for p in in_pack if not (unpacked / p).is_file()] == []


# ------------------------------------------------------------------ the notebooks read cleanly
@pytest.mark.parametrize("edition,name", NOTEBOOKS, ids=[f"{e}/{n}" for e, n in NOTEBOOKS])
def test_notebook_markdown_shows_values_and_citations_not_roles(unpacked, edition, name):
    nb = nbformat.read(unpacked / edition / name, as_version=4)
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "{glue" not in markdown and "{cite" not in markdown, f"{edition}/{name}: roles left in the markdown"


@pytest.mark.parametrize("edition,name", NOTEBOOKS, ids=[f"{e}/{n}" for e, n in NOTEBOOKS])
def test_cells_hidden_on_the_site_are_collapsed_not_deleted(unpacked, edition, name):
    nb = nbformat.read(unpacked / edition / name, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    for cell in code:
        hidden = bool(tp.HIDDEN_TAGS & set(cell.metadata.get("tags", [])))
        assert cell.metadata.get("jupyter", {}).get("source_hidden", False) == hidden, cell.source[:80]
    source = next(text for n, _, text in CHAPTERS if n == name)
    if edition == "student":  # built from the chapter without its solutions
        source = tp.strip_solutions(source)
    hidden_in_source = sum(bool(tp.HIDDEN_TAGS & set(c.metadata.get("tags", [])))
                           for c in jupytext.reads(source, fmt="md:myst").cells if c.cell_type == "code")
    collapsed = sum(bool(c.metadata.get("jupyter", {}).get("source_hidden")) for c in code)
    assert collapsed == hidden_in_source > 0  # every hidden cell kept, collapsed


def test_glued_figures_are_the_values_their_rows_give_and_citations_read_as_on_the_site(unpacked):
    """The intro's markdown prints the Red Cross flight's tonnage as Corriere gave it (row SH06a),
    derived here from the CSV, in the role's format; its citations read as the site prints them."""
    from maskbook.book import provenance

    nb = nbformat.read(unpacked / "instructor" / CHAPTERS[0][0], as_version=4)
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    tonnes = provenance.derive(provenance.record("t", table="shipments", rows="SH06a", field="weight_tonnes"))
    assert f"**{float(tonnes):.0f} tonnes**" in markdown
    assert "[Fraile del Álamo and Lim, 2021]" in markdown


def test_roles_naming_unknown_figures_or_works_are_errors():
    from maskbook.editions import pack_markdown

    labels = {"a2020": ("Author", "2020a"), "b2019": ("Bee", "2019")}
    text = "Some {glue:text}`x:.1f`% and {glue:text}`y` {cite:p}`b2019,{pp. 1–2}a2020`; {cite:t}`a2020`."
    assert pack_markdown.plain_markdown(text, {"x": "12.345", "y": "'the lowest'"}, labels, "ch.md") == (
        "Some 12.3% and the lowest [pp. 1–2 Author, 2020a; Bee, 2019]; Author [2020a].")
    with pytest.raises(ValueError, match=r"ch\.md: .*`z` names a figure"):
        pack_markdown.plain_markdown("{glue:text}`z`", {}, labels, "ch.md")
    with pytest.raises(ValueError, match=r"ch\.md: .*nokey, not in the bibliography"):
        pack_markdown.plain_markdown("{cite:p}`nokey`", {}, labels, "ch.md")


# ------------------------------------------------------------------ the site
def test_site_offers_the_pack(site, book, pack_zip):
    """The build's zip (its figures from the build's own notebooks) is, byte for byte, the pack the
    command line made from the same files in another process, running the chapters' code itself
    (the session's book is a copy of this repository)."""
    built = site / tp.ZIP_NAME
    assert built.is_file(), "the build did not write teaching-pack.zip into the site"
    with zipfile.ZipFile(built) as a, zipfile.ZipFile(pack_zip) as b:
        assert a.namelist() == b.namelist()
    assert built.read_bytes() == pack_zip.read_bytes()
    guide = site / "chapters" / "teaching-guide.html"
    if "teaching-pack.zip" in guide.read_text(encoding="utf-8"):  # the guide's link resolves to the zip
        assert re.search(r'href="\.\./teaching-pack\.zip"', guide.read_text(encoding="utf-8"))


# ------------------------------------------------------------------ the Italian pack
ITALIAN = "it"
#: English words that no Italian passage holds (in names, such as the Belt and Road, they may).
ENGLISH_WORDS = re.compile(r" (?:the|and|of|with|which) ", re.I)
#: A citation as the notebooks print it ("[Formiche, 2020b; ETNC, 2020]"), and the names that stay English.
CITATION_TEXT = re.compile(r"\[[^\]]*(?:\d{4}[a-z]?|n\.d\.)\]")
PROPER_NAMES = ["Belt and Road"]
#: Passages that print a figure glued as English text by the chapter's code (should be ``language._``).
@pytest.fixture(scope="module")
def italian(tmp_path_factory) -> Path:
    """The Italian pack, written as the command line writes it: the folder ``it/teaching-pack/``."""
    out = tmp_path_factory.mktemp("pack-it")
    folder, zpath = tp.build(out, ROOT, lang=ITALIAN)
    assert folder == out / ITALIAN / tp.PACK_DIR and zpath == out / ITALIAN / tp.ZIP_NAME
    with zipfile.ZipFile(zpath) as zf:
        assert zf.read(f"{tp.PACK_DIR}/student/{CHAPTERS[0][0]}") == (folder / "student" / CHAPTERS[0][0]).read_bytes()
    return folder


def _markdown(path: Path) -> str:
    return "\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown")


@pytest.mark.parametrize("edition,name", NOTEBOOKS, ids=[f"{e}/{n}" for e, n in NOTEBOOKS])
def test_italian_notebooks_have_the_english_code_cells(unpacked, italian, edition, name):
    """One copy of the code: every code cell (source, tags, collapsed or not) byte for byte the English one."""
    def code(path):
        return [(c.source, c.metadata) for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]

    assert code(italian / edition / name) == code(unpacked / edition / name)


@pytest.mark.parametrize("name", [n for n, _, _ in CHAPTERS], ids=[f"student/{n}" for n, _, _ in CHAPTERS])
def test_italian_student_notebooks_have_no_english_prose(italian, name):
    markdown = CITATION_TEXT.sub(" ", _markdown(italian / "student" / name))
    for proper in PROPER_NAMES:
        markdown = markdown.replace(proper, " ")
    english = [markdown[max(0, m.start() - 50):m.end() + 30] for m in ENGLISH_WORDS.finditer(markdown)]
    assert not english, f"student/{name}: English in the Italian markdown: {english[:3]}"
    assert "{glue" not in markdown and "{cite" not in markdown


def test_italian_figures_use_italian_separators_and_citations_italian_and(unpacked, italian):
    italian_md = "\n".join(_markdown(p) for p in sorted((italian / "student").glob("*.ipynb")))
    english_md = "\n".join(_markdown(p) for p in sorted((unpacked / "student").glob("*.ipynb")))
    assert re.search(r"\d,\d{3}\b", english_md) and re.search(r"\d\.\d\b", english_md)
    # glued as ",", ".0f", ".1f": thousands with a dot, decimals with a comma, never the English way
    assert not re.search(r"\d,\d{3}\b", italian_md), re.search(r".{40}\d,\d{3}\b", italian_md)[0]
    assert re.search(r"\d\.\d{3}\b", italian_md) and re.search(r"\d,\d\b", italian_md)
    assert "[Fraile del Álamo e Lim, 2021]" in italian_md and "Fraile del Álamo and Lim" not in italian_md


def test_italian_readme(italian):
    readme = (italian / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("# Pacchetto didattico: La diplomazia delle mascherine della Cina in Italia, 2020\n")
    for needed in ["python -m venv", "pip install -r requirements.txt", "jupyter lab", "[Bechis, 2020]",
                   "| `02-aid.ipynb` | Arrivano gli aiuti | esercizi con soluzioni |", "MIT"]:
        assert needed in readme, needed
    assert not ENGLISH_WORDS.search(readme.replace("Belt and Road", "")), readme


def test_glued_numbers_in_a_language():
    from maskbook.editions import pack_markdown

    assert pack_markdown.glued_text("1234.56", ",.1f") == "1,234.6"
    assert pack_markdown.glued_text("1234.56", ",.1f", ITALIAN) == "1.234,6"
    assert pack_markdown.glued_text("400000", "", ITALIAN) == "400000"  # as the Italian site: no format, no grouping
    assert pack_markdown.glued_text("'la più bassa'", "", ITALIAN) == "la più bassa"


MYST = """\
---
kernelspec:
  display_name: Python 3
  name: python3
---
# A title

A paragraph over
two lines with {glue:text}`n:,` masks {cite:p}`key`.

- An item that runs
  over two lines.

```{admonition} Overview
The admonition's text.
```

| Item | Count |
| --- | --- |
| Masks | Many masks |

```{code-cell} ipython3
:tags: [hide-input]
# A paragraph over two lines with the word the.
x = 1
```
"""
MYST_CATALOGUE = {"A title": "Un titolo",
                  "A paragraph over two lines with {glue:text}`n:,` masks {cite:p}`key`.":
                      "Un paragrafo con {glue:text}`n:,` mascherine {cite:p}`key`.",
                  "An item that runs over two lines.": "Una voce.", "Overview": "In sintesi",
                  "The admonition's text.": "Il testo.", "Item": "Voce", "Count": "Conteggio",
                  "Masks": "Mascherine", "Many masks": "Molte mascherine"}


def test_translate_replaces_each_passage_and_keeps_the_code():
    from maskbook.editions import pack_translation

    assert [p.source for p in pack_translation.passages(MYST)] == list(MYST_CATALOGUE)
    translated = pack_translation.translate(MYST, MYST_CATALOGUE, "x.md")
    assert translated == MYST.replace("# A title", "# Un titolo").replace(
        "A paragraph over\ntwo lines with {glue:text}`n:,` masks {cite:p}`key`.",
        "Un paragrafo con {glue:text}`n:,` mascherine {cite:p}`key`.").replace(
        "- An item that runs\n  over two lines.", "- Una voce.").replace(
        "{admonition} Overview\nThe admonition's text.", "{admonition} In sintesi\nIl testo.").replace(
        "| Item | Count |", "| Voce | Conteggio |").replace("| Masks | Many masks |", "| Mascherine | Molte mascherine |")
    code = [c.source for c in jupytext.reads(translated, fmt="md:myst").cells if c.cell_type == "code"]
    assert code == [c.source for c in jupytext.reads(MYST, fmt="md:myst").cells if c.cell_type == "code"]


def test_a_passage_missing_from_the_catalogue_or_fuzzy_is_an_error(tmp_path):
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    from maskbook.editions import pack_translation

    missing = {k: v for k, v in MYST_CATALOGUE.items() if k != "The admonition's text."}
    with pytest.raises(pack_translation.PassageUntranslated,
                       match=r"chapters/x\.md, line 15: no translation of the passage \"The admonition's text\.\""):
        pack_translation.translate(MYST, missing, "chapters/x.md")
    po = Catalog(locale=ITALIAN)
    for english, italian_text in MYST_CATALOGUE.items():  # a translation out of date: fuzzy
        po.add(english, italian_text, flags=["fuzzy"] if english == "Overview" else [])
    path = pack_translation.catalogue_path(tmp_path, "chapters/x", ITALIAN)
    path.parent.mkdir(parents=True)
    with path.open("wb") as f:
        write_po(f, po)
    with pytest.raises(pack_translation.PassageUntranslated, match=r"line 14: .*'Overview'"):
        pack_translation.translate(MYST, pack_translation.catalogue(tmp_path, "chapters/x", ITALIAN), "chapters/x.md")


@pytest.mark.parametrize("name,doc,text", CHAPTERS, ids=[c[0] for c in CHAPTERS])
def test_every_passage_of_a_chapter_is_in_its_catalogue(name, doc, text):
    """What the pack translates is what the Italian site translates: every passage the pack finds is
    in the page's catalogue, and every entry of the catalogue is a passage the pack finds (but the
    contents' captions, which the landing page's catalogue also holds)."""
    from maskbook.editions import pack_translation

    found = {p.source for p in pack_translation.passages(text, where=f"{doc}.md")}
    catalogue = pack_translation.catalogue(ROOT, doc, ITALIAN)
    assert sorted(found - set(catalogue)) == []
    unused = set(catalogue) - found
    if doc == toc_docnames()[0]:
        unused -= set(re.findall(r"^\s*-?\s*caption:\s*(.+?)\s*$", (ROOT / "_toc.yml").read_text(encoding="utf-8"), re.M))
    assert sorted(unused) == []
