"""Sphinx directive ``notes-concordance``: the article's notes, what each cites, where the book cites it.

For each note of ``data/source/notes.txt`` (parsed by :mod:`maskbook.notes`, the same parse
that builds ``references.bib``) the directive renders

* the note number and its text (as plain text: never parsed as markup), without the "online at:"
  left dangling where the essay's web addresses were removed (:func:`without_dangling_online`);
* the works parsed from it, each as a ``{cite:t}`` citation of its bibliography key (so the link
  goes to the book's bibliography page; short forms and Ibid. cite the full work and say so);
* the pages of the book that cite those works, in the book's order (filled in at
  ``doctree-resolved`` time from sphinxcontrib-bibtex's citation references, the concordance page
  itself left out);
* a remark (a note citing nothing) is shown as such.

Registration, from the book's Sphinx extension::

    from maskbook.site.concordance import setup_concordance
    setup_concordance(app)      # directive "notes-concordance" + event handlers

or ``app.add_directive("notes-concordance", NotesConcordanceDirective)`` and then
``setup_concordance(app, register_directive=False)``. Usage in a MyST page::

    ```{notes-concordance}
    ```

Option ``:notes:`` (a path relative to the repository root) selects another notes file.
"""
from __future__ import annotations

import re
import warnings
from collections.abc import Iterable
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective

from maskbook import ROOT, language
from maskbook.language import ORIGINAL, current
from maskbook.notes.model import Note
from maskbook.notes.parse import parse_file
from maskbook.site import compat
from maskbook.site.pageparts import book_order, docs_read, track_docs_read

#: The package's strings in the build's language (the gettext name, which ``pybabel extract`` finds).
_ = language._

__all__ = ["NotesConcordanceDirective", "setup_concordance", "DIRECTIVE_NAME", "concordance_rows",
           "without_dangling_online"]

DIRECTIVE_NAME = "notes-concordance"
DEFAULT_NOTES = "data/source/notes.txt"
_PAGES_CLASS = "concordance-pages"
_KEYS_ATTR = "concordance_keys"
_KIND_LABEL = {
    "news": "news article",
    "journal": "journal article",
    "report": "report",
    "book": "book",
    "chapter": "book chapter",
    "podcast": "podcast",
    "blog": "blog post",
    "video": "video",
    "web": "web page",
    "unparsed": "unparsed citation",
}


#: "online at:" with no address after it: before a ";", a new sentence, or the end of the note.
_DANGLING_ONLINE = re.compile(r",?\s*online at\s*:\s*(?=;|[‘“A-Z]|$)", re.I)


def without_dangling_online(text: str) -> str:
    """The note's text without the "online at:" left where the essay's URLs were removed."""
    def replace(match: re.Match) -> str:
        after = text[match.end():match.end() + 1]
        return "" if after in (";", "") else ". "

    cleaned = _DANGLING_ONLINE.sub(replace, text).rstrip()
    return cleaned if cleaned.endswith((".", "?", "!", "’", "”")) else cleaned + "."


def concordance_rows(notes: Iterable[Note]) -> list[dict]:
    """Plain data behind the directive: one dict per note (number, text, remark, works)."""
    rows = []
    for n in notes:
        rows.append(
            {
                "note": n.number,
                "text": n.text,
                "remark": not n.is_citation,
                "works": [
                    {"key": w.key, "kind": w.kind, "short_form": w.short_form, "ibid": w.ibid}
                    for w in n.entries
                ],
            }
        )
    return rows


def _cite_markup(key: str, myst: bool) -> str:
    return f"{{cite:t}}`{key}`" if myst else f":cite:t:`{key}`"


class NotesConcordanceDirective(SphinxDirective):
    """Render the notes concordance (see the module docstring)."""

    has_content = False
    required_arguments = 0
    optional_arguments = 0
    option_spec = {"notes": directives.unchanged, "class": directives.class_option}

    def _is_myst(self) -> bool:
        return type(self.state).__module__.startswith("myst_parser") or self.env.doc2path(
            self.env.docname
        ).suffix in (".md", ".ipynb")

    def run(self) -> list[nodes.Node]:
        rel = self.options.get("notes", DEFAULT_NOTES)
        path = Path(rel) if Path(rel).is_absolute() else ROOT / rel
        self.env.note_dependency(str(path))
        _ensure_connected(self.env.app)
        docs = getattr(self.env, "maskbook_concordance_docs", set())
        docs.add(self.env.docname)
        self.env.maskbook_concordance_docs = docs
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            notes = parse_file(path)
        messages = [
            self.state.document.reporter.warning(f"notes-concordance: {w.message}", line=self.lineno)
            for w in caught
        ]
        myst = self._is_myst()
        root = nodes.container(classes=["notes-concordance"] + self.options.get("class", []))
        for note in notes:
            root += self._note_node(note, myst)
        return [root] + messages

    def _note_node(self, note: Note, myst: bool) -> nodes.Node:
        box = nodes.container(classes=["concordance-note"], ids=[f"concordance-note-{note.number}"])
        head = nodes.paragraph(classes=["concordance-note-text"])
        head += nodes.strong(text=_("Note {number}.").format(number=note.number) + " ")
        text = without_dangling_online(note.text)
        # The essay's note, as it was written: marked English on a page in another language.
        head += nodes.Text(text) if current() == ORIGINAL else nodes.inline(text=text, classes=["language-en"])
        box += head
        if not note.is_citation:
            box += nodes.paragraph(
                "", "", nodes.emphasis(text=_("A remark: this note explains a point and cites no work.")),
                classes=["concordance-remark"],
            )
            return box
        items = nodes.bullet_list(classes=["concordance-works"])
        keys = []
        for w in note.entries:
            item = nodes.list_item()
            para = nodes.paragraph()
            if w.key:
                keys.append(w.key)
                parsed = self._parse_inline(_cite_markup(w.key, myst))
                para += parsed
            label = _(_KIND_LABEL[w.kind]) if w.kind in _KIND_LABEL else w.kind
            if w.ibid:
                label = _("{kind}; ‘Ibid.’: same work as the previous note").format(kind=label)
            elif w.short_form:
                label = _("{kind}; short form of an earlier full citation").format(kind=label)
            if w.pages:
                label += f", pp. {w.pages}"
            extra = f" ({label})"
            para += nodes.Text(extra)
            item += para
            items += item
        box += items
        pages = nodes.paragraph(classes=[_PAGES_CLASS])
        pages[_KEYS_ATTR] = sorted(set(keys))
        pages += nodes.Text(_("Cited in the book: (computed when the book is built)"))
        box += pages
        return box

    def _parse_inline(self, text: str) -> list[nodes.Node]:
        holder = nodes.container()
        self.state.nested_parse(StringList([text], source="notes-concordance"), self.content_offset, holder)
        out: list[nodes.Node] = []
        for child in holder.children:
            if isinstance(child, nodes.paragraph):
                out.extend(child.children)
            else:
                out.append(child)
        return out


# --------------------------------------------------------------------------------------------
# Event handlers


def _citing_docs(env) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for ref in compat.citation_refs(env):
        for target in ref.targets:
            out.setdefault(target.key, set()).add(ref.docname)
    return out


def _on_doctree_resolved(app, doctree, fromdocname) -> None:
    placeholders = [
        n for n in doctree.findall(nodes.paragraph) if _PAGES_CLASS in n.get("classes", []) and _KEYS_ATTR in n
    ]
    if not placeholders:
        return
    env = app.env
    citing = _citing_docs(env)
    concordance_docs = getattr(env, "maskbook_concordance_docs", set())
    for ph in placeholders:
        docs = set()
        for key in ph[_KEYS_ATTR]:
            docs |= citing.get(key, set())
        docs = [d for d in book_order(env) if d in docs and d != fromdocname and d not in concordance_docs]
        new = nodes.paragraph(classes=[_PAGES_CLASS])
        if not docs:
            new += nodes.emphasis(text=_("Not yet cited in the book's chapters."))
        else:
            new += nodes.Text(_("Cited in the book:") + " ")
            for i, doc in enumerate(docs):
                if i:
                    new += nodes.Text("; ")  # titles may hold commas
                title = env.titles.get(doc)
                label = title.astext() if title is not None else doc
                try:
                    uri = app.builder.get_relative_uri(fromdocname, doc)
                except Exception:
                    uri = None
                if uri:
                    new += nodes.reference("", label, refuri=uri, internal=True)
                else:
                    new += nodes.Text(label)
            new += nodes.Text(".")
        ph.replace_self(new)


def _on_env_get_updated(app, env) -> list[str]:
    # The "cited in" lists depend on every other page: rewrite the concordance page(s) whenever
    # any other page was read again (an unchanged rebuild reads nothing and rewrites nothing).
    docs = {d for d in getattr(env, "maskbook_concordance_docs", set()) if d in env.all_docs}
    return sorted(docs) if docs_read(app) - docs else []


def _on_env_purge_doc(app, env, docname) -> None:
    docs = getattr(env, "maskbook_concordance_docs", None)
    if docs:
        docs.discard(docname)


def _on_env_merge_info(app, env, docnames, other) -> None:
    docs = getattr(env, "maskbook_concordance_docs", set())
    docs |= getattr(other, "maskbook_concordance_docs", set())
    env.maskbook_concordance_docs = docs


def _ensure_connected(app) -> None:
    if getattr(app, "_maskbook_concordance_connected", False):
        return
    app.connect("doctree-resolved", _on_doctree_resolved)
    track_docs_read(app)
    app.connect("env-get-updated", _on_env_get_updated)
    app.connect("env-purge-doc", _on_env_purge_doc)
    app.connect("env-merge-info", _on_env_merge_info)
    app._maskbook_concordance_connected = True


def setup_concordance(app, register_directive: bool = True) -> dict:
    """Register the ``notes-concordance`` directive and its event handlers with Sphinx."""
    if register_directive:
        app.add_directive(DIRECTIVE_NAME, NotesConcordanceDirective)
    _ensure_connected(app)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
