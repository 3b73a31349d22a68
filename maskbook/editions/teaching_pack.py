"""The teaching pack: the book's chapters as notebooks, for students and for instructors.

``python -m maskbook.editions.teaching_pack [--out DIR]`` writes ``DIR/teaching-pack/`` and
``DIR/teaching-pack.zip`` (default ``DIR``: the current folder, so that ``jupyter-book clean``,
which empties ``_build/``, leaves them alone). The build puts the same zip in the site, as
``_build/html/teaching-pack.zip`` (``maskbook.editions.offer``).

``--language it`` writes the Italian pack, ``DIR/it/teaching-pack/`` and ``DIR/it/teaching-pack.zip``
(where the Italian site keeps its pages: ``_build/html/it/``). It is made from the same chapters:
their prose translated passage by passage with the Italian site's catalogues
(``maskbook.editions.pack_translation``; an untranslated passage is an error), the code cells
byte for byte the English ones, the figures computed with ``MASKBOOK_LANGUAGE=it`` and written in
Italian conventions, the README from the package's catalogue (``maskbook.language``).

Layout of the pack (the zip holds one folder, ``teaching-pack/``)::

    teaching-pack/
      README.md            how to run it, what each notebook is, licences
      requirements.txt     pinned versions of what the notebooks need
      LICENSE, LICENSE-CONTENT.md
      data/                the data package: *.csv, datapackage.json, README.md
      maskbook/            the code the notebooks import (__init__, data, charts/, ...)
      student/NN-name.ipynb     solutions removed
      instructor/NN-name.ipynb  solutions in place

Each notebook is made with jupytext from the chapter's MyST source (``intro.md`` and every
chapter of ``_toc.yml`` that has code cells; ``NN`` numbers them 00, 01, 02... in the order of the
table of contents). Notebooks run with their own folder as working directory, so the first code cell of
each puts the pack's root (the folder above) first on ``sys.path``: ``import maskbook`` then finds
the pack's copy, whatever else is installed, and that copy reads the pack's ``data/`` (its
``ROOT`` is the pack's root). The pack needs nothing from the repository.

The notebooks read as the site does: in their markdown, glued figures are their values and citations
author-year text (``maskbook.editions.pack_markdown``; the values come from running the chapters' code);
code cells hidden on the site (tags ``hide-input``, ``remove-input``, ``hide-cell``,
``remove-cell``) are collapsed in Jupyter (``jupyter.source_hidden``), never deleted.

The student edition drops every solution: everything from a ``{solution-start}`` fence to the end
of its ``{solution-end}`` fence (markdown and code cells alike, cutting markdown cells where the
fences are), and any plain ``{solution}`` directive; an empty code cell takes the place of each
solution, for the student's answer. It is cut in the MyST text, before jupytext
splits it into cells, so markdown around a solution stays in the right cells.

The zip is deterministic: sorted entries, fixed timestamps and permissions, fixed cell ids.
"""
from __future__ import annotations

import argparse
import ast
import io
import re
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import jupytext
import nbformat

import maskbook
from maskbook import imports, language
from maskbook.edition import toc_docnames
from maskbook.editions import PDF_FOLDER, pack_markdown, pack_translation

__all__ = ["ZIP_NAME", "PACK_DIR", "Block", "fenced_blocks", "solution_ranges", "strip_solutions",
           "ANSWER_CELL", "exercise_labels", "solution_labels", "pack_chapters", "pack_files", "write_folder",
           "write_zip", "pack_folder", "build", "main"]

ZIP_NAME = "teaching-pack.zip"
PACK_DIR = "teaching-pack"
#: Pinned in the pack's requirements.txt, with the versions of the book's requirements.txt.
NEEDED = ["pandas", "numpy", "plotly", "frictionless", "myst-nb", "ipykernel", "ipython", "jupyterlab"]
#: The maskbook modules every pack ships (the data loader and the charts), with what they import.
BASE_MODULES = ["maskbook.book.data", "maskbook.book.charts"]
#: The layers above what chapters import (``maskbook/__init__.py``): the build's, never shipped.
BUILD_LAYERS = ("maskbook.site", "maskbook.editions", "maskbook.bench")
#: A fixed date for every zip entry (the earliest a zip can hold).
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
SETUP_TAG = "pack-setup"
#: Tags of the cells whose code the site hides: collapsed in the notebooks.
HIDDEN_TAGS = {"hide-input", "remove-input", "hide-cell", "remove-cell"}
SETUP_CELL = """\
# Teaching pack set-up (run this cell first). The notebook runs in its own folder (student/ or
# instructor/); the pack's root, one folder up, holds maskbook/ and data/. Putting it first on
# sys.path makes `import maskbook` use the pack's own copy, which reads the pack's data/.
import pathlib
import sys

PACK_ROOT = pathlib.Path.cwd().parent
if str(PACK_ROOT) not in sys.path:
    sys.path.insert(0, str(PACK_ROOT))"""

# ------------------------------------------------------------------ MyST fences
FENCE_OPEN = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,}|:{3,})(?P<info>.*)$")
DIRECTIVE = re.compile(r"^\{(?P<name>[\w:.-]+)\}\s*(?P<arg>.*)$")


@dataclass
class Block:
    """A top-level fenced block of a MyST text: lines ``start`` to ``end`` (0-based, inclusive)."""

    start: int
    end: int
    name: str  # the directive's name (``code-cell``, ``solution-start``), or "" for a plain fence
    arg: str
    options: dict = field(default_factory=dict)
    body: list = field(default_factory=list)


def fenced_blocks(text: str) -> list[Block]:
    """The top-level fenced blocks (``` ~~~ :::) of a MyST text, in order.

    A fence closes at the first line of the same character, at least as long, with nothing else
    (CommonMark); an unclosed fence runs to the end of the text.
    """
    lines = text.split("\n")
    blocks, i = [], 0
    while i < len(lines):
        m = FENCE_OPEN.match(lines[i])
        if not m or (m["fence"][0] == "`" and "`" in m["info"]):
            i += 1
            continue
        char, size = m["fence"][0], len(m["fence"])
        closer = re.compile(r"^ {0,3}" + re.escape(char) + "{" + str(size) + r",}\s*$")
        j = i + 1
        while j < len(lines) and not closer.match(lines[j]):
            j += 1
        body = lines[i + 1:min(j, len(lines))]
        d = DIRECTIVE.match(m["info"].strip())
        options, k = {}, 0
        if d:
            while k < len(body) and (om := re.match(r"^:([\w-]+):\s*(.*)$", body[k].strip())):
                options[om[1]] = om[2].strip()
                k += 1
        blocks.append(Block(i, min(j, len(lines) - 1), d["name"] if d else "", d["arg"].strip() if d else "",
                            options, body[k:]))
        i = j + 1
    return blocks


def solution_ranges(text: str, where: str = "text") -> list[tuple[int, int, str]]:
    """(first line, last line, label) of every solution of a MyST text, 0-based and inclusive.

    A gated solution runs from its ``{solution-start}`` fence to the closing line of the next
    ``{solution-end}`` block; a plain ``{solution}`` directive is one block.
    """
    blocks, out, open_ = fenced_blocks(text), [], None
    for b in blocks:
        if b.name == "solution-start":
            if open_ is not None:
                raise ValueError(f"{where}, line {b.start + 1}: solution-start inside the solution "
                                 f"that starts on line {open_.start + 1} (missing solution-end)")
            open_ = b
        elif b.name == "solution-end":
            if open_ is None:
                raise ValueError(f"{where}, line {b.start + 1}: solution-end without a solution-start")
            out.append((open_.start, b.end, open_.arg))
            open_ = None
        elif b.name == "solution" and open_ is None:
            out.append((b.start, b.end, b.arg))
    if open_ is not None:
        raise ValueError(f"{where}, line {open_.start + 1}: solution-start {open_.arg!r} has no solution-end")
    return out


ANSWER_CELL = "```{{code-cell}} ipython3\n# Exercise {label}: your answer here.\n\n```"


def strip_solutions(text: str, where: str = "text", answer_cells: bool = True) -> str:
    """The MyST text without its solutions (see :func:`solution_ranges`).

    With ``answer_cells`` each solution gives way to an empty code cell for the student's answer.
    """
    lines = text.split("\n")
    out, n = [], 0
    for start, end, label in solution_ranges(text, where):
        out += lines[n:start]
        if answer_cells:
            out += ANSWER_CELL.format(label=label or "").split("\n")
        n = end + 1
        # Without an answer cell, take one blank line after the solution too (no double gap).
        if not answer_cells and n < len(lines) and not lines[n].strip() and (start == 0 or not lines[start - 1].strip()):
            n += 1
    return "\n".join(out + lines[n:])


def exercise_labels(text: str) -> list:
    """The ``:label:`` of every exercise (gated or plain); ``None`` for an exercise without one."""
    return [b.options.get("label") for b in fenced_blocks(text) if b.name in ("exercise-start", "exercise")]


def solution_labels(text: str) -> list[str]:
    """The exercise each solution answers (the argument of ``{solution-start}`` / ``{solution}``)."""
    return [label for _, _, label in solution_ranges(text)]


# ------------------------------------------------------------------ chapters
def _source(root: Path, docname: str) -> Path:
    for ext in (".md", ".ipynb"):
        path = root / f"{docname}{ext}"
        if path.is_file():
            return path
    raise FileNotFoundError(f"_toc.yml names {docname!r}, but {root / docname}.md does not exist")


def _read_myst(path: Path) -> str:
    if path.suffix == ".ipynb":
        return jupytext.writes(nbformat.read(path, as_version=4), fmt="md:myst")
    return path.read_text(encoding="utf-8")


def _has_code(text: str) -> bool:
    return any(kind == "code" for kind, _ in imports.myst_cells(text))


def pack_chapters(root: Path, lang: str = language.ORIGINAL) -> list[tuple[str, str, str]]:
    """(notebook file name, docname, MyST text) of every page the pack holds, in toc order:
    the landing page, and every other page of the table of contents that has code cells; in
    another language, each text translated with its page's catalogue (``pack_translation``)."""
    pages = []
    for n, doc in enumerate(toc_docnames(root)):
        path = _source(root, doc)
        text = _read_myst(path)
        if n == 0 or _has_code(text):
            if lang != language.ORIGINAL:
                text = pack_translation.translate(text, pack_translation.catalogue(root, doc, lang),
                                                  str(path.relative_to(root)))
            pages.append((doc, text))
    return [(f"{n:02d}-{Path(doc).name}.ipynb", doc, text) for n, (doc, text) in enumerate(pages)]


def _title(text: str, default: str) -> str:
    m = re.search(r"^#\s+(.+?)\s*$", text, re.M)
    return m[1] if m else default


def to_notebook(text: str, name: str, contents: str = "", plain=lambda markdown: markdown) -> str:
    """The ``.ipynb`` text of one edition of a chapter: set-up cell first, fixed cell ids, cells
    hidden on the site collapsed; ``plain`` rewrites each markdown cell (roles to text)."""
    if contents:  # the landing page's table of contents becomes a list of the pack's notebooks
        text = re.sub(r"^```+\{tableofcontents\}[^\n]*\n```+[ \t]*$", contents, text, flags=re.M)
    nb = jupytext.reads(text, fmt="md:myst")
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = plain(cell.source)
        elif HIDDEN_TAGS & set(cell.metadata.get("tags", [])):
            cell.metadata["jupyter"] = {"source_hidden": True}
    nb.metadata.pop("jupytext", None)
    nb.metadata.setdefault("kernelspec", {"display_name": "Python 3", "language": "python", "name": "python3"})
    nb.metadata["language_info"] = {"name": "python"}
    if any(c.cell_type == "code" for c in nb.cells):
        first_code = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code")
        nb.cells.insert(first_code, nbformat.v4.new_code_cell(SETUP_CELL, metadata={"tags": [SETUP_TAG]}))
    stem = re.sub(r"[^A-Za-z0-9-]", "-", Path(name).stem)
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"{stem}-{i:03d}"[-64:]
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    nb.nbformat, nb.nbformat_minor = 4, 5
    nbformat.validate(nb)
    return nbformat.writes(nb) + "\n"


# ------------------------------------------------------------------ code and requirements
def _module_files(root: Path, chapters: list[tuple[str, str, str]]) -> list[Path]:
    """The maskbook files the pack ships: the base modules and whatever the notebooks import from
    maskbook, with what those import (read by ``maskbook.imports``), never the build's layers."""
    code = "\n".join(cell for _, _, text in chapters for cell in imports.code_cells(text))
    base = ast.parse("\n".join(f"import {name}" for name in BASE_MODULES))
    modules = {**imports.modules_imported_by(base, root), **imports.modules_imported_by(ast.parse(code), root)}
    build = sorted(m for m in modules if m.startswith(tuple(f"{layer}." for layer in BUILD_LAYERS) + BUILD_LAYERS))
    if build:
        raise ValueError(f"a chapter imports {build[0]}, which the teaching pack does not ship (the build's layer); "
                         f"move what the chapter needs into maskbook.book")
    return sorted({imports.module_file(m, root) for m in modules})


def _requirements(root: Path) -> str:
    pins = {}
    for line in (root / "requirements.txt").read_text(encoding="utf-8").splitlines():
        m = re.match(r"^([A-Za-z0-9_.-]+)==([^\s#]+)", line)
        if m:
            pins[m[1].lower().replace("_", "-")] = m[0]
    missing = [n for n in NEEDED if n not in pins]
    if missing:
        raise ValueError(f"requirements.txt pins no version of {', '.join(missing)}, which the teaching pack needs")
    lines = [pins[n] for n in NEEDED]
    return ("# The teaching pack's notebooks, with the versions the book is built and tested with.\n"
            "# Python 3.11. Install in a fresh virtual environment: pip install -r requirements.txt\n"
            + "\n".join(sorted(lines, key=str.lower)) + "\n")


#: The pack's README.md, in blocks (paragraphs, list items, headings) split by blank lines: each
#: block but the code is translated whole (``maskbook.language._``), then filled in (``str.format``).
README = """# Teaching pack: {title}

The chapters of the book *{title}* as Jupyter notebooks, with the data and the code they use.
Everything the notebooks need is in this folder: they do not need the book's repository.

## Run it

With Python 3.11:

```bash
python -m venv .venv
source .venv/bin/activate          # Windows: .venv\\Scripts\\activate
pip install -r requirements.txt
jupyter lab
```

Then open a notebook in `student/` (run the cells from the top: *Run → Run All Cells*).

- `student/` has the notebooks **without** the solutions of the exercises: work in these.
- `instructor/` has the same notebooks **with** the solutions in place.

The first code cell of every notebook makes `import maskbook` use the copy in this pack
(`maskbook/`), which reads the tables in `data/`. Run the notebooks from their own folder, as
JupyterLab does, and keep the folders together. (If the environment variable `MASKBOOK_DATA` is
set, the tables are read from that folder instead.)

## The notebooks

| notebook | chapter | what it holds |
|---|---|---|
{toc}

Notebooks are numbered in the order of the book's table of contents. Markdown cells are
written in MyST, the book's markdown: directives such as ```` ```{{exercise-start}} ```` show as
plain text in JupyterLab. The figures in the text are the values the chapter's code computes;
citations such as [Bechis, 2020] refer to the entries of the book's bibliography page
(*Bibliography*, at the end of the book); the charts show their sources under the plot. Each
chart cell selects the rows it plots and ends with the figure: change it (`fig.update_layout(...)`)
and run the cell again. The cells that declare the figures of the text are collapsed: click the
bar beside a collapsed cell to read its code.

## What else is here

- `data/`: the data package (tidy CSV tables; `datapackage.json` gives each table its schema,
  description, sources and licence; `data/README.md` describes every table and its caveats).
  Load a table, validated, with `from maskbook.book.data import load_table; load_table("shipments")`.
- `maskbook/`: the book's code the notebooks import ({modules}).
- `requirements.txt`: the exact package versions the book is tested with.
- `student/pdf/` and `instructor/book.pdf`, when the book's PDF edition was built: each chapter
  as a printable handout without solutions, and the whole book with them.

## Licences

Text of the notebooks and the data compilation: CC BY 4.0 (`LICENSE-CONTENT.md`); the
figures belong to the publishers named in each row's source. Code (`maskbook/` and the code
cells): MIT (`LICENSE`)."""
#: What a notebook holds, in the README's table: with exercises or without.
KINDS = {True: "exercises with solutions", False: "reading and charts"}


def _readme(chapters, modules: list[str], lang: str = language.ORIGINAL) -> str:
    toc = "\n".join(f"| `{name}` | {_title(text, doc)} | {language._(KINDS[bool(exercise_labels(text))], lang)} |"
                    for name, doc, text in chapters)
    title = _title(chapters[0][2], language._("the book", lang))
    blocks = [block if block.startswith("```") else language._(block, lang) for block in README.split("\n\n")]
    return "\n\n".join(blocks).format(title=title, toc=toc, modules=", ".join(f"`{m}`" for m in modules)) + "\n"


# ------------------------------------------------------------------ the pack
def pack_files(root: Path | str = maskbook.ROOT, pdfs: Path | None = None,
               glued: dict[str, dict[str, str]] | None = None, lang: str = language.ORIGINAL) -> dict[str, bytes]:
    """Every file of the pack built from the book in ``root``: {path inside the pack: bytes}.

    ``pdfs``: a folder of the PDF edition (``python -m maskbook.editions.pdf``) whose PDFs the pack holds;
    ``glued``: what each chapter glued, by docname (the build's executed notebooks, in ``lang``), else the
    chapters' code is run in ``lang`` (``pack_markdown.glued_values``); ``lang``: the language of the
    notebooks' markdown and of the README (the code is the same in every language)."""
    root = Path(root)
    chapters = pack_chapters(root, lang)
    files: dict[str, bytes] = {}
    contents = "\n".join(f"- `{name}`: {_title(text, doc)}" for name, doc, text in chapters[1:])
    values = glued or pack_markdown.glued_values(root, [(doc, text) for _, doc, text in chapters], lang)
    labels = pack_markdown.citation_labels(root / "references.bib")
    for name, doc, text in chapters:
        where = f"{doc}.md"
        listing = contents if name == chapters[0][0] else ""

        def plain(markdown: str, where: str = where, doc: str = doc) -> str:
            return pack_markdown.plain_markdown(markdown, values[doc], labels, where, lang)

        files[f"instructor/{name}"] = to_notebook(text, name, listing, plain).encode()
        files[f"student/{name}"] = to_notebook(strip_solutions(text, where), name, listing, plain).encode()
    data_dir = root / "data"
    for path in sorted(data_dir.glob("*.csv")) + [data_dir / "datapackage.json", data_dir / "README.md"]:
        files[f"data/{path.name}"] = path.read_bytes()
    modules = _module_files(root, chapters)
    for path in modules:
        files[path.relative_to(root).as_posix()] = path.read_bytes()
    for pdf in sorted(Path(pdfs).glob("*.pdf") if pdfs else []):
        files["instructor/book.pdf" if pdf.name == "book.pdf" else f"student/pdf/{pdf.name}"] = pdf.read_bytes()
    for name in ("LICENSE", "LICENSE-CONTENT.md"):
        if (root / name).is_file():
            files[name] = (root / name).read_bytes()
    shown = sorted({p.relative_to(root / "maskbook").parts[0].removesuffix(".py") for p in modules} - {"__init__"})
    files["README.md"] = _readme(chapters, shown, lang).encode()
    files["requirements.txt"] = _requirements(root).encode()
    return dict(sorted(files.items()))


def write_folder(files: dict[str, bytes], dest: Path) -> Path:
    """Write the pack into ``dest`` (created; files already there are overwritten)."""
    for rel, content in files.items():
        path = dest / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return dest


def inside_folder(rel: str) -> None:
    """Refuse a path that is not plain and relative (a drive, a leading ``/``, ``..``, ``\\``):
    unzipping the pack must write only inside its folder."""
    parts = rel.split("/")
    if not rel or rel.startswith("/") or "\\" in rel or ":" in parts[0] or any(p in ("", ".", "..") for p in parts):
        raise ValueError(f"teaching pack: {rel!r} is not a relative path inside the pack's folder")


def zip_bytes(files: dict[str, bytes]) -> bytes:
    """The pack as a deterministic zip: one folder ``teaching-pack/``, sorted, fixed dates and modes."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for rel in sorted(files):
            inside_folder(rel)
            info = zipfile.ZipInfo(f"{PACK_DIR}/{rel}", date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o100644 << 16
            info.create_system = 3  # unix, whatever machine builds it
            zf.writestr(info, files[rel], compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return buf.getvalue()


def write_zip(files: dict[str, bytes], path: Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(zip_bytes(files))
    return path


def pack_folder(out: Path | str, lang: str = language.ORIGINAL) -> Path:
    """Where the pack in ``lang`` goes under ``out``: ``out`` itself in English, ``out/<lang>/``
    in a translation (as the site puts its translations: ``_build/html/it/``)."""
    return Path(out) if lang == language.ORIGINAL else Path(out) / lang


def build(out: Path | str, root: Path | str = maskbook.ROOT, pdfs: Path | None = None,
          lang: str = language.ORIGINAL) -> tuple[Path, Path]:
    """Write ``teaching-pack/`` and ``teaching-pack.zip`` in ``lang`` into :func:`pack_folder`; return both paths."""
    out = pack_folder(out, lang)
    files = pack_files(root, pdfs, lang=lang)
    folder = out / PACK_DIR
    if folder.exists():
        import shutil

        shutil.rmtree(folder)
    return write_folder(files, folder), write_zip(files, out / ZIP_NAME)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m maskbook.editions.teaching_pack", description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=Path.cwd(),
                        help="folder to write teaching-pack/ and teaching-pack.zip into (default: the current "
                             "folder; not _build/, which jupyter-book clean empties)")
    parser.add_argument("--root", type=Path, default=maskbook.ROOT, help="the book's folder (default: this repository)")
    parser.add_argument("--pdfs", type=Path, help=f"also pack the PDF edition from this folder (e.g. {PDF_FOLDER})")
    parser.add_argument("--language", choices=language.LANGUAGES, default=language.ORIGINAL,
                        help="the language of the notebooks' text and README (default: English); a translation "
                             "is written into OUT/<language>/ (e.g. it/teaching-pack.zip)")
    args = parser.parse_args(argv)
    try:
        folder, zpath = build(args.out, args.root, args.pdfs, args.language)
    except (ValueError, FileNotFoundError) as exc:
        print(f"teaching pack: {exc}", file=sys.stderr)
        return 1
    names = sorted(p.name for p in (folder / "student").glob("*.ipynb"))
    print(f"{folder}/ ({len(names)} notebooks per edition: {', '.join(names)})\n{zpath}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
