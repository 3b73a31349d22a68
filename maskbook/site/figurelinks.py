"""Every glued figure of the prose links to the data rows it comes from, with a tooltip.

The ``{glue:text}`` role is replaced by one that renders the same text and, when the glued output
carries a provenance record (:func:`maskbook.book.provenance.figure`), wraps it in a
:class:`figure_link`: in HTML an ``<a>`` to the first row in the Data appendix
(``chapters/data/<table>.html#row-<row_id>``) described by a tooltip (``role="tooltip"``, its
``aria-describedby``) that names the table, the row ids, each row's value as recorded and its
source (outlet, date), and how the figure was derived. CSS shows the tooltip on hover and on
keyboard focus; ``maskbook-figures.js`` lets a first tap show it on touch screens and Escape hide
it. Each figure is recorded in the environment (:func:`figures_using`) so that the Data appendix
can list, under every row, the places in the book that use it.

Figures glued with plain ``glue`` (no record) render as before.
"""
from __future__ import annotations

import ast
import html

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform

from maskbook import language
from maskbook.book import provenance
from maskbook.language import N_, _
from maskbook.site import compat
from maskbook.site.pageparts import book_order

#: The docname of a table's page in the Data appendix.
DATA_PAGE = "chapters/data/{table}"
JS = "maskbook-figures.js"
#: Rows listed in a tooltip before "and N more".
TIP_ROWS = 4


class figure_link(nodes.inline):
    """A glued figure with its provenance record (other builders render it as its text)."""


def row_anchor(row_id: str) -> str:
    return f"row-{row_id}"


def in_language(plain: str, fmt: str) -> str | None:
    """A glued number as the build's language writes it (``1,234.5``, ``1.234,5``), through Babel;
    ``None`` for a glued text."""
    try:
        value = ast.literal_eval(plain)
    except (SyntaxError, ValueError):
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return language.number(value, "" if fmt == "s" else fmt)


class ProvenanceTextRole(compat.PasteTextRole):
    """``{glue:text}``, with the figure wrapped in a :class:`figure_link` when it has a record."""

    def run(self):
        pasted, messages = super().run()
        key = self.text.rsplit(":", 1)[0] if ":" in self.text else self.text
        fmt = self.text.rsplit(":", 1)[1] if ":" in self.text else "s"
        if len(pasted) != 1 or not isinstance(pasted[0], nodes.inline) or "::" in key:
            return pasted, messages
        glued = compat.page_glue(self.document, key).data
        number = in_language(glued["text/plain"], fmt)
        if number is not None:
            pasted = [nodes.inline(number, number, classes=pasted[0]["classes"])]
            self.set_source_info(pasted[0])
        rec = glued.get(provenance.MIME)
        if not rec:
            return pasted, messages
        # The figure's text goes straight into the link (no inner <span class="pasted-text">: bytes).
        link = figure_link("", "", nodes.Text(pasted[0].astext()))
        link["record"] = dict(rec)
        link["format"] = fmt
        link["figure_name"] = key
        self.set_source_info(link)
        return [link], messages


class NumberFigures(SphinxTransform):
    """Number the page's figures in reading order, give each its id, and record them.

    Done once the page is whole: a translated passage is parsed again, and only its figures, the
    ones the page shows, count (priority after Sphinx's Locale, 20)."""

    default_priority = 30

    def apply(self, **kwargs) -> None:
        used, figures = set(), []
        for number, link in enumerate(self.document.findall(figure_link), start=1):
            ident = f"fig-{link['figure_name']}"
            if ident in used:
                ident = f"{ident}-{number}"
            used.add(ident)
            link["ids"] = [ident]
            link["number"] = number
            rec = link["record"]
            figures.append({"id": ident, "number": number, "name": link["figure_name"], "table": rec["table"],
                            "rows": list(rec["rows"]), "text": link.astext()})
        if figures:
            self.env.maskbook_figures[self.env.docname] = figures


# ------------------------------------------------------------------ the environment's record
def init_env(app: Sphinx) -> None:
    if not hasattr(app.env, "maskbook_figures"):
        app.env.maskbook_figures = {}


def purge_figures(app: Sphinx, env, docname: str) -> None:
    getattr(env, "maskbook_figures", {}).pop(docname, None)


def merge_figures(app: Sphinx, env, docnames, other) -> None:
    env.maskbook_figures.update({d: other.maskbook_figures[d] for d in docnames if d in other.maskbook_figures})


def figures_using(env, table: str) -> dict[str, list[dict]]:
    """Per row id of ``table``: the figures that use it (docname, id, number, name, text), in book order."""
    order = {d: i for i, d in enumerate(book_order(env))}
    uses: dict[str, list[dict]] = {}
    for docname in sorted(env.maskbook_figures, key=lambda d: (order.get(d, len(order)), d)):
        for fig in env.maskbook_figures[docname]:
            if fig["table"] == table:
                for row_id in fig["rows"]:
                    uses.setdefault(row_id, []).append({"docname": docname, **fig})
    return uses



# ------------------------------------------------------------------ HTML
def source_of(row: dict) -> str:
    """A row's source as "outlet, date" (tables without source columns give their ``source`` text)."""
    if "source_publisher" in row:
        return ", ".join(x for x in (row["source_publisher"], row["source_date"] or _("no date given")) if x)
    return row.get("source", "")


#: "Shown in millions." after a figure read from one row and scaled (``per``).
SHOWN = {1e3: N_("Shown in thousands."), 1e6: N_("Shown in millions."), 1e9: N_("Shown in billions.")}


def as_recorded(text: str) -> str:
    """A value as the data records it (in English): marked so on a page in another language."""
    return text if language.current() == language.ORIGINAL else f'<span lang="en">{text}</span>'


def tooltip_html(rec: dict) -> str:
    """The tooltip's text: table, derivation, each row's value as recorded and its source.

    One row read as is: "shipments, row SH21: masks = 2200000. Source: Xinhua, 2020-04-06." A
    derived figure: the derivation, then one line per row (the first few)."""
    esc = html.escape
    rows = provenance.raw_rows(rec["table"])

    def line(row_id: str) -> str:
        row = rows[row_id]
        value = f": {esc(rec['field'])} = {as_recorded(esc(row[rec['field']]))}" if rec["field"] else ""
        return _("{row}{value}. Source: {source}.").format(row=esc(row_id), value=value, source=esc(source_of(row)))

    if rec["how"] == "value":
        shown = f" {_(SHOWN[rec['per']])}" if rec["per"] in SHOWN else ""
        return _("{table}, row {line}").format(table=esc(rec["table"]), line=line(rec["rows"][0])) + shown
    how = provenance.describe(rec)
    parts = [f"{esc(how[0].upper() + how[1:])}."] + [f"<span>{line(r)}</span>" for r in rec["rows"][:TIP_ROWS]]
    if len(rec["rows"]) > TIP_ROWS:
        parts.append(f"<span>{_('… and {n} more rows.').format(n=len(rec['rows']) - TIP_ROWS)}</span>")
    return "".join(parts)


def visit_figure_link_html(self, node: figure_link) -> None:
    rec, ident, tip = node["record"], node["ids"][0], f"tip{node['number']}"
    page = self.builder.get_relative_uri(self.builder.current_docname, DATA_PAGE.format(table=rec["table"]))
    fmt = f' data-format="{html.escape(node["format"])}"' if node["format"] != "s" else ""
    self.body.append(f'<span class="mb-fig"><a href="{page}#{row_anchor(rec["rows"][0])}" id="{ident}" '
                     f'aria-describedby="{tip}"{fmt}>')
    self.context.append(f'</a><span class="mb-tip" role="tooltip" id="{tip}">{tooltip_html(rec)}</span></span>')


def depart_figure_link_html(self, node: figure_link) -> None:
    self.body.append(self.context.pop())


def add_figures_js(app: Sphinx, pagename: str, templatename, context: dict, doctree) -> None:
    """Pages with figure links load ``maskbook-figures.js`` (touch and Escape)."""
    if doctree is not None and next(iter(doctree.findall(figure_link)), None) is not None:
        app.add_js_file(JS, loading_method="defer")


def setup_figure_links(app: Sphinx) -> None:
    app.add_node(figure_link, html=(visit_figure_link_html, depart_figure_link_html))
    app.add_role_to_domain("glue", "text", ProvenanceTextRole(), override=True)
    compat.glue_in_translations()  # figures glued on a page are pasted in its translated passages too
    app.add_transform(NumberFigures)
    app.connect("builder-inited", init_env)
    app.connect("env-purge-doc", purge_figures)
    app.connect("env-merge-info", merge_figures)
    app.connect("html-page-context", add_figures_js)
