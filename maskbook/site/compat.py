"""The third-party internals the book reaches into, in one place, each checked against the version
it was written for.

The site's extensions and the PDF edition use some parts of their libraries that are not public
API: myst-nb's glue role and notebook reader, myst-parser's renderer, jupyter-cache's executor,
jupyter_client's kernel provisioner (which takes a forked kernel), Sphinx's event listeners and
table-of-contents numbers, sphinxcontrib-bibtex's domain and both bibliography libraries' plugin
registries, choreographer's logger and kaleido's tabs. Every such use goes
through a name of this module, so an upgrade of one of these libraries is checked in one place.

On import the installed version of each library in :data:`WRITTEN_FOR` is compared with its pin
in ``requirements.txt``; another version stops with a plain message naming the library and both
versions (:class:`CompatError`).

May be imported by ``site`` and ``editions`` (it is in ``site``: it imports Sphinx).
"""
from __future__ import annotations

import copy
import functools
import re
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser as RstParser
from docutils.utils import new_document

import maskbook

REQUIREMENTS = maskbook.ROOT / "requirements.txt"
#: The libraries whose internals this module reaches, as ``requirements.txt`` names them.
WRITTEN_FOR = ["sphinx", "myst-nb", "myst-parser", "jupyter-cache", "jupyter-client", "sphinxcontrib-bibtex", "pybtex",
               "choreographer", "kaleido"]


class CompatError(RuntimeError):
    """An installed library is not the version this module was written for."""


def pins(requirements: Path = REQUIREMENTS) -> dict[str, str]:
    """{library: pinned version} of every ``name==version`` line of ``requirements``."""
    try:
        text = requirements.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CompatError(f"{requirements}: file not found; maskbook.site.compat reads the versions it was "
                          f"written for from it") from None
    return {m[1].lower().replace("_", "-"): m[2] for m in re.finditer(r"^([A-Za-z0-9_.-]+)==([^\s#;]+)", text, re.M)}


def check_versions(requirements: Path = REQUIREMENTS) -> None:
    """Stop unless every library of :data:`WRITTEN_FOR` is installed in the version ``requirements`` pins."""
    pinned = pins(requirements)
    for name in WRITTEN_FOR:
        if name not in pinned:
            raise CompatError(f"{requirements}: no line '{name}==<version>'; maskbook.site.compat uses {name}'s "
                              f"internals and must know the version it was written for")
        try:
            installed = version(name)
        except PackageNotFoundError:
            installed = "not installed"
        if installed != pinned[name]:
            raise CompatError(f"{name} {installed} is installed, but maskbook.site.compat was written for {name} "
                              f"{pinned[name]} ({requirements}); install it with: pip install {name}=={pinned[name]}")


check_versions()

# Imported after the check: a module that moved in another version fails with the check's message.
import myst_parser.mdit_to_docutils.base as myst_renderer  # noqa: E402
import pybtex.plugin  # noqa: E402
import sphinxcontrib.bibtex.plugin  # noqa: E402
from jupyter_cache.base import CacheBundleIn  # noqa: E402
from jupyter_cache.executors.utils import ExecutionResult, single_nb_execution  # noqa: E402
from myst_nb.core.execute import cache as mystnb_cache_executor  # noqa: E402
from myst_nb.core.read import create_nb_reader  # noqa: E402
from myst_nb.core.variables import RetrievalError, format_plain_text  # noqa: E402
from myst_nb.ext.glue import directives as glue_directives  # noqa: E402
from myst_nb.ext.glue import roles as glue_roles  # noqa: E402
from myst_nb.ext.glue.roles import PasteTextRole  # noqa: E402
from myst_nb.ext.glue.utils import retrieve_glue_data  # noqa: E402

__all__ = ["CompatError", "check_versions", "pins", "CacheBundleIn", "ExecutionResult", "single_nb_execution",
           "create_nb_reader", "RetrievalError", "format_plain_text", "PasteTextRole", "retrieve_glue_data", "page_glue",
           "glue_in_translations", "default_settings_made_once", "notebook_configs", "mystnb_executes_with",
           "adopt_kernel_process", "event_listeners", "toctree_includes", "fignumbers", "set_fignumbers",
           "bibliography_entries", "citations", "citation_refs", "register_pybtex_plugin", "register_bibtex_plugin",
           "browser_pipe_logger", "kaleido_keeping_its_pages"]


# ------------------------------------------------------------------ myst-nb
def notebook_configs(env) -> tuple:
    """myst-parser's and myst-nb's configuration of this build, as myst-nb keeps them on the environment."""
    return env.myst_config, env.mystnb_config


def page_glue(document, key: str):
    """myst-nb's ``retrieve_glue_data``, which also serves a translated passage of the page.

    Sphinx parses a passage's translation as a document of its own, which lacks the page's
    ``nb_renderer`` (where myst-nb keeps the page's glued outputs): every same-page ``{glue:text}``
    in it would be lost. The page's renderer is kept for the page being read (``env.temp_data``)
    when the page's own text first pastes a figure, and lent to its translated passages for the
    look-up only (a renderer left in a document would stop Sphinx from saving it).
    """
    env = getattr(document.settings, "env", None)
    if "nb_renderer" in document:
        if env is not None:
            env.temp_data["maskbook_nb_renderer"] = document["nb_renderer"]
        return retrieve_glue_data(document, key)
    renderer = env.temp_data.get("maskbook_nb_renderer") if env is not None else None
    if renderer is None:
        return retrieve_glue_data(document, key)
    document["nb_renderer"] = renderer
    try:
        return retrieve_glue_data(document, key)
    finally:
        del document["nb_renderer"]


def glue_in_translations() -> None:
    """myst-nb's glue roles and directives look their outputs up with :func:`page_glue`."""
    glue_roles.retrieve_glue_data = glue_directives.retrieve_glue_data = page_glue


def default_settings_made_once() -> None:
    """myst-parser's renderer makes a spare document, with docutils' default settings (an option
    parser built anew, about 1 ms), every time it renders a text, even when it is handed the
    document it renders into, as Sphinx always hands it. A translated build renders each of its
    translated passages (about 1,300 in Italian) so. The spare document now gets a copy of the
    settings made once: the same values, its own objects."""
    made = functools.cache(get_default_settings)

    def make_document(source_path="notset", parser_cls=RstParser):
        return new_document(source_path, settings=copy.deepcopy(made(parser_cls)))

    myst_renderer.make_document = make_document


def mystnb_executes_with(**client_options) -> None:
    """myst-nb's own notebook runs (the execution cache's) pass ``client_options`` to nbclient."""
    mystnb_cache_executor.single_nb_execution = functools.partial(single_nb_execution, **client_options)


# ------------------------------------------------------------------ jupyter_client
def adopt_kernel_process(manager, process, cwd) -> None:
    """The kernel manager takes ``process`` (a started kernel with ``pid``, ``poll``, ``wait``,
    ``send_signal``, ``kill``; its own session) as the process its local provisioner launched."""
    provisioner = manager.provisioner
    provisioner.process, provisioner.pid, provisioner.pgid, provisioner.cwd = process, process.pid, process.pid, cwd
    manager._reconcile_connection_info(provisioner.connection_info)


# ------------------------------------------------------------------ Sphinx
def event_listeners(app) -> dict[str, list]:
    """{event name: its listeners} (each with ``.id`` and ``.handler``) of a Sphinx app."""
    return app.events.listeners


def toctree_includes(env) -> dict[str, list[str]]:
    """{document: the documents its toctrees include}, as Sphinx's environment keeps them."""
    return env.toctree_includes


def fignumbers(env) -> dict[str, dict[str, dict]]:
    """{document: {figure type: {id: number}}}: Sphinx's numbers of figures, tables, exercises..."""
    return env.toc_fignumbers


def set_fignumbers(env, numbers: dict) -> None:
    env.toc_fignumbers = numbers


# ------------------------------------------------------------------ sphinxcontrib-bibtex and pybtex
def _cite_domain(env):
    return env.get_domain("cite")


def bibliography_entries(env) -> list:
    """Every pybtex entry of the ``.bib`` files the build reads."""
    return list(_cite_domain(env).bibdata.data.entries.values())


def citations(env) -> list:
    """sphinxcontrib-bibtex's citations (``key``, ``citation_id``, ``bibliography_key.docname``)."""
    return _cite_domain(env).citations


def citation_refs(env) -> list:
    """sphinxcontrib-bibtex's citation references (``docname``, ``targets`` with their ``key``);
    none when sphinxcontrib-bibtex is not loaded."""
    try:
        domain = _cite_domain(env)
    except Exception:  # sphinxcontrib-bibtex not loaded: Sphinx raises its ExtensionError
        return []
    return getattr(domain, "citation_refs", [])


def register_pybtex_plugin(group: str, name: str, plugin: type) -> None:
    pybtex.plugin.register_plugin(group, name, plugin, force=True)


def register_bibtex_plugin(group: str, name: str, plugin: type) -> None:
    sphinxcontrib.bibtex.plugin.register_plugin(group, name, plugin, force=True)


# ------------------------------------------------------------------ choreographer
def browser_pipe_logger():
    """choreographer's logger of the pipe to the browser (kaleido's Chromium); created by its import."""
    from choreographer.channels import pipe

    return pipe._logger


# ------------------------------------------------------------------ kaleido
def kaleido_keeping_its_pages(**options):
    """A ``kaleido.Kaleido`` whose tabs draw one chart after another in the page they loaded once.
    kaleido reloads a tab, and with it plotly.js, after every image; plotly.js keeps nothing of a
    chart it has drawn for the next, so the images are the same bytes (tests/test_site.py)."""
    import kaleido

    class KeepingPages(kaleido.Kaleido):
        async def _return_kaleido_tab(self, tab) -> None:
            tab.js_logger.reset()  # what reloading also does: the next image's errors are its own
            await self.tabs_ready.put(tab)

    return KeepingPages(**options)
