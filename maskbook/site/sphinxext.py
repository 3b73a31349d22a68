"""The book's Sphinx extension: registers every part of the book that Sphinx must know about.

- input fingerprints: each executable chapter gets a hidden cell holding a hash of the data files
  and chart modules it reads, and depends on those files, so editing a CSV or a chart module
  re-executes exactly the chapters that read it (myst-nb's execution cache keys on code cells only);
- the built site gets ``_static/plotly.min.js``, the lightest plotly.js that draws its charts
  (``maskbook.site.plotly_bundle``; pages ask for it only when they hold a chart) and ``data/``: the
  data package, so every CSV is one click away;
- chapters offer their executed notebook (``.ipynb`` with outputs) for download;
- the chapters run in the book's kernel spec (``maskbook/jupyter/``, see ``maskbook.site.lognoise``):
  no log noise from kernels, nor from kaleido's browser closing;
- the house bibliography style, the notes-concordance and book-citation directives;
- figures linked to their data rows (``figurelinks``) and the Data appendix's pages (``datadocs``);
- the book's CSS, and sphinx-thebe unhooked (no live-code button, no duplicate scripts);
- the edition (version and release date, read from ``CITATION.cff``) in every page's footer;
- after the build, one pass over the built pages (``maskbook.site.postbuild``): accessible sidebar toggles,
  deferred scripts, one stylesheet per page, the site's security rules (CSP, safe external links), search counts.
"""
from __future__ import annotations

import ast
import contextlib
import functools
import hashlib
import os
import re
import shutil
from importlib.metadata import entry_points
from pathlib import Path

import nbformat
from jupyter_cache import get_cache
from sphinx.application import Sphinx

from maskbook import imports, language
from maskbook.book import data
from maskbook.edition import read_book
from maskbook.site import compat, lognoise, phases, plotly_bundle, plotly_renderer
from maskbook.site.concordance import setup_concordance
from maskbook.site.datadocs import setup_datadocs
from maskbook.site.execute import setup_parallel_execution
from maskbook.site.figurelinks import setup_figure_links

STATIC = Path(__file__).parent / "static"


#: Calls whose first argument names a table of the data package (maskbook.book.data).
TABLE_CALLS = {"load_table", "csv_path", "table_info"}


@functools.lru_cache(maxsize=256)
def string_constants(tree: ast.AST) -> frozenset[str]:
    return frozenset(n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str))


def tables_read_by(tree: ast.AST) -> set[str]:
    """The tables of the data package that one piece of code, parsed, reads.

    A table is read when a ``load_table``/``csv_path``/``table_info`` call names it, or when a call
    names it as its ``table=`` (a figure declared with its rows: ``figure(..., table="shipments")``,
    whose value ``maskbook.provenance`` derives from the table). When such a
    call takes a variable, the code reads the tables that its string constants name (the values it
    passes, as in ``pct("pew_unfavorable", ...)``); a function that only receives the name from
    its caller (``charts.book_figure(fig, tables="timeline")``) adds none: the caller names it. A
    ``list_tables()`` call reads every table.
    """
    named, by_variable, lists_tables = table_calls(tree)
    names = set(data.list_tables())
    tables = set(named) | (names if lists_tables else set())
    if by_variable:
        tables |= string_constants(tree) & names
    return tables & names


@functools.lru_cache(maxsize=256)
def table_calls(tree: ast.AST) -> tuple[frozenset[str], bool, bool]:
    """What the calls of the code ``tree`` say of tables (:func:`tables_read_by`): the names they
    pass, whether one passes a variable, whether one is ``list_tables()``."""
    tables, by_variable, lists_tables = set(), False, False
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            tables |= {kw.value.value for kw in node.keywords if kw.arg == "table"
                       and isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, str)}
            func = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if func == "list_tables":
                lists_tables = True
            elif func in TABLE_CALLS and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    tables.add(first.value)
                else:
                    by_variable = True
    return frozenset(tables), by_variable, lists_tables


def inputs_read_by(source: str) -> list[Path]:
    """The files a chapter's outputs depend on, besides its own code cells, read from its code.

    The maskbook modules its code cells import and, in turn, the modules those import
    (``maskbook.imports``), with the package's catalogue of the build's language when they translate;
    the data package descriptor; every table that code reads (:func:`tables_read_by`); and any other
    file of ``data/`` it names (the data appendix reads ``data/README.md``). Prose is not code: a
    page that says "aid" does not depend on ``charts/aid.py``.
    """
    tree = imports.parsed("\n".join(imports.code_cells(source)))
    modules = imports.modules_imported_by(tree)
    trees = [tree, *modules.values()]
    tables = set().union(*map(tables_read_by, trees))
    constants = set().union(*map(string_constants, trees))
    files = sorted({imports.module_file(m) for m in modules})
    if "maskbook.language" in modules and language.current() != language.ORIGINAL:
        files.append(language.catalogue_path(language.current()))  # the charts' words in this language
    others = sorted(p for p in data.data_dir().iterdir() if p.is_file() and p.name in constants)
    csvs = [data.csv_path(n) for n in data.list_tables() if n in tables]
    descriptor = data.data_dir() / "datapackage.json"
    return files + [descriptor] + [p for p in others if p not in csvs and p != descriptor] + csvs


def fingerprinted(text: str) -> tuple[str, list[Path]]:
    """A page's text with a hidden cell holding a hash of the language, data and code it reads, and those
    files (unchanged text and no file for a page without code)."""
    if "{code-cell}" not in text:
        return text, []
    inputs = inputs_read_by(text)
    digest = hashlib.sha256(language.current().encode())  # an Italian run is not an English one
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

    Sphinx's layout appends " — docstitle" to every title; ``maskbook/site/templates/layout.html`` drops
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
    """Execute the chapters with the book's kernel spec (``maskbook.site.lognoise``): quiet kernels."""
    os.environ["JUPYTER_PATH"] = os.pathsep.join(
        [str(Path(__file__).parent / "jupyter")] + [p for p in os.environ.get("JUPYTER_PATH", "").split(os.pathsep) if p])


def drop_thebe(app: Sphinx, config) -> None:
    """Unhook sphinx-thebe's scripts, which Jupyter Book 1 always loads.

    The book has no live-code button; sphinx-thebe would still declare its inline script twice
    (a console error on every page) and point a Binder config at an unrelated repository.
    """
    for listeners in compat.event_listeners(app).values():
        for listener in list(listeners):
            if getattr(listener.handler, "__name__", "") in {"init_thebe_core", "update_thebe_context"}:
                app.disconnect(listener.id)


def show_edition(app: Sphinx, config) -> None:
    """Put "Edition 0.2.0, 30 November 2026" in every page's footer."""
    options = config.html_theme_options
    footer = f'<p class="maskbook-edition">{read_book(Path(app.srcdir)).edition()}</p>'
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
            compat.register_pybtex_plugin(group, ep.name, ep.load())
    for ep in entry_points(group=BIBTEX_REFERENCING):
        compat.register_bibtex_plugin(BIBTEX_REFERENCING, ep.name, ep.load())


def setup(app: Sphinx) -> dict:
    if os.environ.get(phases.PHASES_VAR):
        phases.record_phases(app)  # python -m maskbook.bench: where the build spends its time
    lognoise.quiet_browser_goodbye()  # kaleido's Chromium, closing at the end of the build
    load_bibtex_plugins_once()
    app.setup_extension("maskbook.site.bibstyle")  # bib styles "maskbook": entries, author-year labels, citations
    setup_concordance(app)       # directive "notes-concordance" (the Notes concordance appendix)
    setup_figure_links(app)      # glued figures link to their data rows, with a tooltip (issue 13)
    setup_datadocs(app)          # directives "data-table", "data-index": the Data appendix (issue 13)
    app.connect("config-inited", use_book_data)
    app.connect("config-inited", use_build_kernel)
    app.connect("config-inited", drop_thebe)
    app.connect("config-inited", show_edition)
    app.connect("builder-inited", add_static_path)
    app.add_css_file("maskbook.css")
    app.setup_extension("maskbook.site.a11y")  # accessibility fixes to the theme's HTML (issue 7)
    app.setup_extension("maskbook.site.pageparts")  # exercise numbers per chapter, contents sidebar (issue 12)
    app.setup_extension("maskbook.site.postbuild")  # one pass over the built pages: a11y, CSS bundle, CSP, search counts
    app.setup_extension("maskbook.site.searchrank")  # search results ranked by relevance (issue 20)
    app.setup_extension("maskbook.site.citation")  # directive "book-citation": the book's citation (issue 20)
    app.connect("source-read", add_input_fingerprint)
    setup_parallel_execution(app)  # chapters run on every core, ahead of the reading
    # Before the theme builds its header buttons (priority 500).
    app.connect("html-page-context", offer_executed_notebook, priority=400)
    app.connect("html-page-context", title_names_the_page_once)
    app.connect("build-finished", plotly_renderer.finish_images, priority=1)  # drawn meanwhile; written first
    app.connect("build-finished", report_input_error)
    app.connect("build-finished", copy_site_files)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
