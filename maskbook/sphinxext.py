"""The book's Sphinx extension: registers every part of the book that Sphinx must know about.

- input fingerprints: each executable chapter gets a hidden cell holding a hash of the data files
  and chart modules it reads, and depends on those files, so editing a CSV or a chart module
  re-executes exactly the chapters that read it (myst-nb's execution cache keys on code cells only);
- the built site gets ``_static/plotly.min.js``, the lightest plotly.js that draws its charts
  (``maskbook.plotly_bundle``; pages ask for it only when they hold a chart) and ``data/``: the
  data package, so every CSV is one click away;
- chapters offer their executed notebook (``.ipynb`` with outputs) for download;
- the chapters run in the book's kernel spec (``maskbook/jupyter/``, see ``maskbook.lognoise``):
  no log noise from kernels, nor from kaleido's browser closing;
- the house bibliography style, the notes-concordance and book-citation directives;
- figures linked to their data rows (``figurelinks``) and the Data appendix's pages (``datadocs``);
- the book's CSS, and sphinx-thebe unhooked (no live-code button, no duplicate scripts);
- the edition (version and release date, read from ``CITATION.cff``) in every page's footer;
- the site's security rules on every page (``maskbook.page_security``: CSP, safe external links).
"""
from __future__ import annotations

import ast
import contextlib
import datetime
import hashlib
import os
import re
import shutil
from importlib.metadata import entry_points
from pathlib import Path

import nbformat
import pybtex.plugin
import sphinxcontrib.bibtex.plugin
import yaml
from jupyter_cache import get_cache
from sphinx.application import Sphinx

from maskbook import bench, data, lognoise, plotly_bundle, plotly_renderer
from maskbook.concordance import setup_concordance
from maskbook.datadocs import setup_datadocs
from maskbook.execute import setup_parallel_execution
from maskbook.figurelinks import setup_figure_links
from maskbook.notes.bibtex import MONTH_NAMES

PACKAGE = Path(__file__).parent
STATIC = PACKAGE / "static"


#: Calls whose first argument names a table of the data package (maskbook.data).
TABLE_CALLS = {"load_table", "csv_path", "table_info"}


def code_cells(source: str) -> list[str]:
    """The code of a MyST notebook's code cells, as plain Python (IPython magics translated)."""
    import jupytext
    from IPython.core.inputtransformer2 import TransformerManager

    cells = jupytext.reads(source, fmt="md:myst").cells
    return [TransformerManager().transform_cell(c.source) for c in cells if c.cell_type == "code"]


def module_file(name: str) -> Path | None:
    """The file of maskbook module ``name`` (``maskbook.charts`` -> ``charts/__init__.py``), if any."""
    path = PACKAGE.parent.joinpath(*name.split("."))
    for candidate in (path.with_suffix(".py"), path / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def string_constants(tree: ast.AST) -> set[str]:
    return {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)}


def read_by_code(tree: ast.AST, module: str = "") -> tuple[set[str], set[str]]:
    """(maskbook modules imported, tables read) by one piece of code, parsed.

    A table is read when a ``load_table``/``csv_path``/``table_info`` call names it, or when a call
    names it as its ``table=`` (a figure declared with its rows: ``figure(..., table="shipments")``,
    whose value ``maskbook.provenance`` derives from the table). When such a
    call takes a variable, the code reads the tables that its string constants name (the values it
    passes, as in ``pct("pew_unfavorable", ...)``); a function that only receives the name from
    its caller (``charts.book_figure(fig, tables="timeline")``) adds none: the caller names it. A
    ``list_tables()`` call reads every table.
    """
    modules, tables, by_variable = set(), set(), False
    names = set(data.list_tables())
    is_package = module_file(module) is not None and module_file(module).name == "__init__.py"
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                modules |= {".".join(parts[:i]) for i in range(1, len(parts) + 1)}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative import: from the package, up level - 1 packages
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parent + ([base] if base else []))
            parts = base.split(".")
            modules |= {".".join(parts[:i]) for i in range(1, len(parts) + 1)}
            modules |= {f"{base}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Call):
            tables |= {kw.value.value for kw in node.keywords if kw.arg == "table"
                       and isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, str)}
            func = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if func == "list_tables":
                tables |= names
            elif func in TABLE_CALLS and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    tables.add(first.value)
                else:
                    by_variable = True
    if by_variable:
        tables |= string_constants(tree) & names
    return {m for m in modules if m.split(".")[0] == "maskbook" and module_file(m)}, tables & names


def inputs_read_by(source: str) -> list[Path]:
    """The files a chapter's outputs depend on, besides its own code cells, read from its code.

    The maskbook modules its code cells import and, in turn, the modules those import; the data
    package descriptor; every table that code reads (:func:`read_by_code`); and any other file of
    ``data/`` it names (the data appendix reads ``data/README.md``). Prose is not code: a page that
    says "aid" does not depend on ``charts/aid.py``.
    """
    tree = ast.parse("\n".join(code_cells(source)))
    todo, tables = read_by_code(tree)
    modules, constants = set(), string_constants(tree)
    while todo:
        name = todo.pop()
        if name in modules:
            continue
        modules.add(name)
        module_tree = ast.parse(module_file(name).read_text(encoding="utf-8"))
        imported, read = read_by_code(module_tree, name)
        todo |= imported - modules
        tables |= read
        constants |= string_constants(module_tree)
    files = sorted({module_file(m) for m in modules})
    others = sorted(p for p in data.data_dir().iterdir() if p.is_file() and p.name in constants)
    csvs = [data.csv_path(n) for n in data.list_tables() if n in tables]
    return files + [data.data_dir() / "datapackage.json"] + [p for p in others if p not in csvs and p.name != "datapackage.json"] + csvs


def fingerprinted(text: str) -> tuple[str, list[Path]]:
    """A page's text with a hidden cell holding a hash of the data and code it reads, and those
    files (unchanged text and no file for a page without code)."""
    if "{code-cell}" not in text:
        return text, []
    inputs = inputs_read_by(text)
    digest = hashlib.sha256()
    for path in inputs:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return (
        text.rstrip("\n")
        + "\n\n```{code-cell} ipython3\n:tags: [remove-cell]\n"
        + f"# Added by the build: fingerprint of the data and code this chapter reads.\n# {digest.hexdigest()}\n```\n"
    ), inputs


def add_input_fingerprint(app: Sphinx, docname: str, source: list[str]) -> None:
    """Append the fingerprint cell (myst-nb's cache key) and depend on the files it hashes."""
    source[0], inputs = fingerprinted(source[0])
    for path in inputs:
        app.env.note_dependency(str(path))


def executed_notebook(app: Sphinx, docname: str):
    """The chapter's notebook as this build executed it, with its outputs (``None`` for a page
    without code).

    On a cache hit myst-nb 1.4 writes the unexecuted notebook to ``jupyter_execute/``, so the
    outputs are merged back from the execution cache.
    """
    build = Path(app.outdir).parent
    executed = build / "jupyter_execute" / f"{docname}.ipynb"
    if not executed.is_file():
        return None
    notebook = nbformat.read(executed, as_version=4)
    cache = get_cache(app.config.nb_execution_cache_path or build / ".jupyter_cache")
    with contextlib.suppress(KeyError):
        _, notebook = cache.merge_match_into_notebook(notebook)
    return notebook


def offer_executed_notebook(app: Sphinx, pagename: str, templatename, context: dict, doctree) -> None:
    """Let the theme's download button offer the chapter's notebook *with its outputs*."""
    notebook = executed_notebook(app, pagename)
    if doctree is None or notebook is None:
        return
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, target)
    context["ipynb_source"] = f"{pagename}.ipynb"


def title_names_the_page_once(app: Sphinx, pagename: str, templatename, context: dict, doctree) -> None:
    """The browser tab says "Page — Book"; on the landing page, whose title is the book's, just "Book".

    Sphinx's layout appends " — docstitle" to every title; ``maskbook/templates/layout.html`` drops
    it where this sets ``maskbook_title_is_book``.
    """
    def plain(text: str) -> str:
        return re.sub(r"<[^>]+>", "", text or "").replace("\u2019", "'").replace("&#39;", "'").strip()

    if plain(context.get("title", "")) == plain(context.get("docstitle", "")):
        context["maskbook_title_is_book"] = True


def copy_site_files(app: Sphinx, exception) -> None:
    """Copy plotly.js (the lightest bundle that draws the site's charts) and the data package into the site."""
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    bundle = plotly_bundle.bundle_for(plotly_bundle.site_trace_types(out))
    shutil.copyfile(bundle, out / "_static" / "plotly.min.js")
    (out / "_static" / plotly_renderer.TEMPLATE_JS).write_text(plotly_renderer.template_script(), encoding="utf-8")
    (out / "data").mkdir(exist_ok=True)
    for path in [data.data_dir() / "datapackage.json"] + [data.csv_path(n) for n in data.list_tables()]:
        shutil.copyfile(path, out / "data" / path.name)


def use_book_data(app: Sphinx, config) -> None:
    """Read the data package next to _config.yml, in Sphinx and in the kernels it starts."""
    os.environ["MASKBOOK_DATA"] = str(Path(app.srcdir) / "data")


def use_build_kernel(app: Sphinx, config) -> None:
    """Execute the chapters with the book's kernel spec (``maskbook.lognoise``): quiet kernels."""
    os.environ["JUPYTER_PATH"] = os.pathsep.join(
        [str(PACKAGE / "jupyter")] + [p for p in os.environ.get("JUPYTER_PATH", "").split(os.pathsep) if p])


def drop_thebe(app: Sphinx, config) -> None:
    """Unhook sphinx-thebe's scripts, which Jupyter Book 1 always loads.

    The book has no live-code button; sphinx-thebe would still declare its inline script twice
    (a console error on every page) and point a Binder config at an unrelated repository.
    """
    for listeners in app.events.listeners.values():
        for listener in list(listeners):
            if getattr(listener.handler, "__name__", "") in {"init_thebe_core", "update_thebe_context"}:
                app.disconnect(listener.id)


def edition(root: Path) -> tuple[str, str]:
    """The book's version and release date, ``("0.2.0", "30 November 2026")``, from ``CITATION.cff``."""
    path = root / "CITATION.cff"
    meta = yaml.safe_load(path.read_text(encoding="utf-8"))
    try:
        released = datetime.date.fromisoformat(str(meta["date-released"]))
        return str(meta["version"]), f"{released.day} {MONTH_NAMES[released.month - 1]} {released.year}"
    except (KeyError, TypeError, ValueError) as err:
        raise ValueError(f"{path}: the footer needs 'version' and 'date-released' (YYYY-MM-DD): {err!r}") from None


def show_edition(app: Sphinx, config) -> None:
    """Put "Edition 0.2.0, 30 November 2026" in every page's footer."""
    version, released = edition(Path(app.srcdir))
    options = config.html_theme_options
    footer = f'<p class="maskbook-edition">Edition {version}, {released}</p>'
    options["extra_footer"] = options.get("extra_footer", "") + footer


def add_static_path(app: Sphinx) -> None:
    app.config.html_static_path.append(str(STATIC))


# ------------------------------------------------------------------ bad input: one plain message
#: The book's own input errors, whose message already says file, line, field and value.
INPUT_ERRORS = {"DataValidationError", "NotesFormatError"}


def input_error(exception: BaseException | None) -> str | None:
    """The message of a bad-data or bad-note error behind ``exception``, if that is its cause.

    It is found along the chain of causes, raised in Sphinx itself (the notes concordance) or in a
    chapter's kernel (nbclient's ``CellExecutionError`` carries the kernel's ``ename``/``evalue``).
    """
    seen = set()
    while exception is not None and id(exception) not in seen:
        seen.add(id(exception))
        if getattr(exception, "ename", type(exception).__name__) in INPUT_ERRORS:
            return getattr(exception, "evalue", None) or str(exception)
        exception = exception.__cause__ or exception.__context__
    return None


def report_input_error(app: Sphinx, exception) -> None:
    """End a build that bad input stopped with that input's message, last on screen, once.

    ``SystemExit`` passes through Sphinx and Jupyter Book (they catch ``Exception``), so neither
    adds its traceback or its "Look above for the cause" after it.
    """
    message = input_error(exception)
    if message:
        raise SystemExit(f"\nThe book was not built because of its input:\n{message}")


# ------------------------------------------------------------------ teaching pack (issue 6)
def write_teaching_pack(app: Sphinx, exception) -> None:
    """Write the teaching pack (``maskbook.teaching_pack``) into the site as ``teaching-pack.zip``."""
    if exception is not None or app.builder.format != "html":
        return
    from maskbook import pack_markdown, pdf, teaching_pack

    root, zip_path = Path(app.srcdir), Path(app.outdir) / teaching_pack.ZIP_NAME
    # Rebuilt only when one of its inputs changed (an unchanged rebuild stays fast).
    inputs = [root / "_toc.yml", root / "intro.md", root / "requirements.txt", root / "LICENSE",
              root / "LICENSE-CONTENT.md", *sorted((root / "chapters").glob("*.md")),
              *sorted((root / "data").glob("*.*")), *sorted((root / "maskbook").rglob("*.py")),
              *sorted(pdf.built_pdfs(app).glob("*.pdf"))]
    digest = hashlib.sha256()
    for path in inputs:
        if path.is_file():
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    stamp = Path(app.outdir).parent / ".teaching-pack.sha256"
    if zip_path.is_file() and stamp.is_file() and stamp.read_text() == digest.hexdigest():
        return
    # The figures the chapters glued in this build (the pack's markdown shows them as values).
    executed = {doc: executed_notebook(app, doc) for _, doc, _ in teaching_pack.pack_chapters(root)}
    glued = {doc: pack_markdown.glued_in(nb) if nb else {} for doc, nb in executed.items()}
    teaching_pack.write_zip(teaching_pack.pack_files(root, pdf.built_pdfs(app), glued), zip_path)
    stamp.write_text(digest.hexdigest())


#: Plugin groups that pybtex and sphinxcontrib-bibtex look up while citations are resolved.
PYBTEX_GROUPS = ["pybtex.style.formatting", "pybtex.style.labels", "pybtex.style.names",
                 "pybtex.style.sorting", "pybtex.backends"]
BIBTEX_REFERENCING = "sphinxcontrib.bibtex.style.referencing"


def load_bibtex_plugins_once() -> None:
    """Register the installed pybtex / sphinxcontrib-bibtex plugins at run time, once.

    Both libraries scan every installed package's entry points on *each* lookup of a plugin not
    registered at run time, and sphinxcontrib-bibtex looks its styles up for every citation: that
    scan was most of an unchanged rebuild. The plugins are the same, found once.
    """
    for group in PYBTEX_GROUPS + [g + ".aliases" for g in PYBTEX_GROUPS]:
        for ep in entry_points(group=group):
            pybtex.plugin.register_plugin(group, ep.name, ep.load(), force=True)
    for ep in entry_points(group=BIBTEX_REFERENCING):
        sphinxcontrib.bibtex.plugin.register_plugin(BIBTEX_REFERENCING, ep.name, ep.load(), force=True)


def setup(app: Sphinx) -> dict:
    if os.environ.get(bench.PHASES_VAR):
        bench.record_phases(app)  # python -m maskbook.bench: where the build spends its time
    lognoise.quiet_browser_goodbye()  # kaleido's Chromium, closing at the end of the build
    load_bibtex_plugins_once()
    app.setup_extension("maskbook.bibstyle")  # bib styles "maskbook": entries, author-year labels, citations
    setup_concordance(app)       # directive "notes-concordance" (the Notes concordance appendix)
    setup_figure_links(app)      # glued figures link to their data rows, with a tooltip (issue 13)
    setup_datadocs(app)          # directives "data-table", "data-index": the Data appendix (issue 13)
    app.connect("config-inited", use_book_data)
    app.connect("config-inited", use_build_kernel)
    app.connect("config-inited", drop_thebe)
    app.connect("config-inited", show_edition)
    app.connect("builder-inited", add_static_path)
    app.add_css_file("maskbook.css")
    app.setup_extension("maskbook.a11y")  # accessibility fixes to the theme's HTML (issue 7)
    app.setup_extension("maskbook.pageparts")  # exercise numbers per chapter, contents sidebar (issue 12)
    app.setup_extension("maskbook.page_security")  # CSP and safe external links on every page (issue 15)
    app.setup_extension("maskbook.pdf")   # the site offers the PDF edition once built (issue 14)
    app.setup_extension("maskbook.searchrank")  # search results ranked by relevance (issue 20)
    app.setup_extension("maskbook.citation")  # directive "book-citation": the book's citation (issue 20)
    app.connect("source-read", add_input_fingerprint)
    setup_parallel_execution(app)  # chapters run on every core, ahead of the reading
    # Before the theme builds its header buttons (priority 500).
    app.connect("html-page-context", offer_executed_notebook, priority=400)
    app.connect("html-page-context", title_names_the_page_once)
    app.connect("build-finished", plotly_renderer.finish_images, priority=1)  # drawn meanwhile; written first
    app.connect("build-finished", report_input_error)
    app.connect("build-finished", copy_site_files)
    app.connect("build-finished", write_teaching_pack)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
