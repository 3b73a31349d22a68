"""How the book's pages read (issue 12), a small Sphinx extension.

- book order: the documents in the order of the table of contents (``book_order``), used by the
  notes concordance's "Cited in the book" lists and by the exercise numbers;
- exercises are numbered per chapter, "Exercise 2.1" for the first exercise of the book's second
  chapter (the landing page is not a chapter), instead of 1 to 21 across the book. Sphinx numbers
  enumerable nodes across the book when chapters carry no section numbers; the numbers are
  rewritten after Sphinx assigns them. Sphinx compares each build's numbers with the stored ones
  to decide which pages to write again, so its own numbers are put back before it compares: an
  unchanged rebuild writes no page again;
- no code on reader pages: a cell tagged ``hide-input`` (the chapters' figure declarations and
  chart cells) shows its outputs without its code and without myst-nb's "Show code cell source"
  bar, in the HTML only: the notebooks (downloads, teaching pack) keep the code and the tag, and
  myst-nb's execution cache, which keys on the code, is untouched. A chapter's set-up cell, tagged
  ``chapter-setup`` (imports and the tables it reads), and its chart cells, tagged ``chart`` (the
  rows a chart plots and the call that draws it), lose their code in the HTML too, but are not
  hidden in the notebooks: they are what a student reads and changes there;
- ``maskbook-toc.js``: the "Contents" sidebar follows the reader (see the file); the search page's
  ``maskbook-search.js`` is added by the template ``templates/search.html``.
"""
from __future__ import annotations

import copy

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform

from maskbook.site import compat

EXERCISE = "exercise"
#: Tags of code shown in the notebooks and left out of the reader's page: a chapter's set-up cell
#: and its chart cells.
NOTEBOOK_CODE_TAGS = ("chapter-setup", "chart")


def book_order(env) -> list[str]:
    """Every document reachable from the root document's toctrees, in reading order."""
    order: list[str] = []

    def visit(doc: str) -> None:
        if doc in order or doc not in env.all_docs:
            return
        order.append(doc)
        for child in compat.toctree_includes(env).get(doc, []):
            visit(child)

    visit(env.config.root_doc)
    return order


def note_docs_read(app: Sphinx, env, docnames: list[str]) -> None:
    """Remember the documents Sphinx reads again in this build (``env-before-read-docs``)."""
    app.maskbook_docs_read = set(docnames)


def track_docs_read(app: Sphinx) -> None:
    """Make :func:`docs_read` work in this Sphinx app (each extension that needs it calls this;
    the handler is connected once)."""
    if not getattr(app, "maskbook_tracks_docs_read", False):
        app.connect("env-before-read-docs", note_docs_read)
        app.maskbook_tracks_docs_read = True


def docs_read(app: Sphinx) -> set[str]:
    """The documents read again in this build: none in an unchanged rebuild (needs
    :func:`track_docs_read` at set-up)."""
    return getattr(app, "maskbook_docs_read", set())


def restore_sphinx_numbers(app: Sphinx, env) -> list[str]:
    """Before Sphinx numbers figures again (``env-get-updated``): give back its last numbers."""
    stored = getattr(env, "maskbook_sphinx_fignumbers", None)
    if stored is not None:
        compat.set_fignumbers(env, stored)
    return []


def number_exercises_per_chapter(app: Sphinx, env) -> list[str]:
    """After Sphinx numbers figures: exercises become (chapter, n), n counting from 1 in each chapter."""
    numbers = compat.fignumbers(env)
    env.maskbook_sphinx_fignumbers = copy.deepcopy(numbers)
    chapters = [doc for doc in book_order(env) if doc != env.config.root_doc]
    for number, doc in enumerate(chapters, start=1):
        exercises = numbers.get(doc, {}).get(EXERCISE)
        if exercises:
            in_order = sorted(exercises, key=exercises.get)
            numbers[doc][EXERCISE] = {ex: (number, n) for n, ex in enumerate(in_order, start=1)}
    return []


class HiddenInputIsRemoved(SphinxPostTransform):
    """In HTML, a ``hide-input`` cell, or one tagged ``chapter-setup`` or ``chart``, loses its
    code: myst-nb's ``remove-input``, with its outputs kept.

    Runs just before myst-nb's ``HideInputCells`` (priority 199), which would wrap the code in a
    "Show code cell source" bar; a cell whose outputs are hidden too keeps that bar for its outputs.
    """

    default_priority = 198
    formats = ("html",)

    def run(self, **kwargs) -> None:
        for cell in list(self.document.findall(nodes.container)):
            if cell.get("nb_element") != "cell_code":
                continue
            mode = cell.get("hide_mode")
            if mode is None and any(f"tag_{tag}" in cell.get("classes", []) for tag in NOTEBOOK_CODE_TAGS):
                mode = "input"
            if mode not in ("input", "input+output"):
                continue
            cell.children = [c for c in cell.children if c.get("nb_element") != "cell_code_source"]
            if not cell.children:  # a set-up cell: nothing left to show
                cell.parent.remove(cell)
            elif mode == "input":
                cell.attributes.pop("hide_mode", None)
            else:
                cell["hide_mode"] = "output"


def setup(app: Sphinx) -> dict:
    app.add_post_transform(HiddenInputIsRemoved)
    app.connect("env-get-updated", restore_sphinx_numbers, priority=400)
    app.connect("env-get-updated", number_exercises_per_chapter, priority=600)
    app.add_js_file("maskbook-toc.js", loading_method="defer")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
