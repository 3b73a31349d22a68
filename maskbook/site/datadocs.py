"""The Data appendix, generated from the data package: one page per table, every row anchored.

``{data-index}`` (in ``chapters/data.md``) lists the tables, each linking to its page.
``{data-table} NAME`` (in ``chapters/data/NAME.md``) makes the page: a real heading with the
table's title, what it measures and its caveats (from ``data/README.md``), the CSV download,
its sources as citations of the bibliography (and, for second-hand figures, the original
publication the reader can check), the places in the book that use it, then every
row in a table whose rows are anchored ``#row-<row_id>``: the row's fields as recorded, its
source (linked to the bibliography entry), its notes and the figures of the book that use it
(linked to the spot). The row table is written when the pages are written, once every chapter's
figures are known (:func:`maskbook.site.figurelinks.figures_using`). Everything comes from ``data/``
so the appendix cannot drift from the data.

In a translated build the appendix's own words (headings, column labels, links) are in the build's
language (:mod:`maskbook.language`); the data stay as recorded, in English, and their elements (a
table's description, a row's fields, notes, outlet, locator and descriptive title) say so
(``lang="en"``); a published title is marked with its bibliography entry's language.
"""
from __future__ import annotations

import html
import re

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from maskbook import language
from maskbook.book import data, provenance
from maskbook.language import ORIGINAL, current, number
from maskbook.site import compat
from maskbook.site.figurelinks import DATA_PAGE, figures_using, row_anchor, source_of
from maskbook.site.pageparts import docs_read, track_docs_read

#: The package's strings in the build's language (the gettext name, which ``pybabel extract`` finds).
_ = language._

#: Columns shown in a row's "Source" and "Notes" cells rather than among its fields.
SOURCE_FIELDS = ("source_title", "source_publisher", "source_date", "source_url", "source_locator",
                 "secondhand", "source_key", "source")
NOTE_FIELDS = ("notes",)
CHAPTERS_LINE = re.compile(r"\s*\*Chapters:\*[^\n]*?(?:\n|$)")


def readme_section(name: str) -> str:
    """The body of the ``### `name``` section of data/README.md (markdown), or '' (its
    "*Chapters:*" line left out: the page lists the places that use the table)."""
    text = (data.data_dir() / "README.md").read_text(encoding="utf-8")
    match = re.search(rf"^#+ `{re.escape(name)}`[^\n]*\n(.*?)(?=^#+ |\Z)", text, re.S | re.M)
    return CHAPTERS_LINE.sub("\n", match.group(1)).strip() if match else ""


def source_keys(info: dict) -> dict:
    """A table's sources by URL: ``{url: bibliography key}`` (``info`` from ``data.table_info``)."""
    return {s.get("path"): s.get("bibkey") for s in info["sources"]}


def bibkey_of(row: dict, keys: dict) -> str | None:
    """The bibliography key of a row's document (its ``source_key``, or the source with its URL)."""
    return row.get("source_key") or keys.get(row.get("source_url"))


class rows_table(nodes.General, nodes.Element):
    """Placeholder for a table's rows, replaced when the page is written (see :func:`write_rows`)."""


def _section(title: str, ident: str, *children: nodes.Node) -> nodes.section:
    section = nodes.section("", nodes.title(title, title), *children, ids=[ident], names=[ident])
    return section


class DataTableDirective(SphinxDirective):
    """``{data-table} NAME``: the page of one table (title, description, sources, rows)."""

    required_arguments = 1

    def parse_markdown(self, text: str) -> list[nodes.Node]:
        container = nodes.container()
        self.state.nested_parse(StringList(text.splitlines(), source=str(data.data_dir() / "README.md")),
                                0, container)
        return container.children

    def run(self) -> list[nodes.Node]:
        name = self.arguments[0]
        info = data.table_info(name)
        rows = provenance.raw_rows(name)
        self.env.note_dependency(str(data.csv_path(name)))
        self.env.note_dependency(str(data.data_dir() / "README.md"))
        self.env.note_dependency(str(data.data_dir() / "datapackage.json"))
        root = "../" * self.env.docname.count("/")
        csv = data.csv_path(name).name
        label = _("Download {csv}").format(csv=csv)
        download = nodes.reference(label, label, refuri=f"{root}data/{csv}")
        facts = nodes.paragraph("", _("Table") + " ", nodes.literal(name, name), nodes.Text(
            _(": {rows} rows. Licence: {licence} (our compilation; the figures belong to their publishers). ")
            .format(rows=number(len(rows)), licence=info["licence"])), download, nodes.Text("."))
        # The sources' list is markdown that the page's catalogue translates (its "(second-hand)" too).
        sources = [f"- {{cite:t}}`{s['bibkey']}`" + (" (second-hand)" if s.get("secondhand") else "")
                   for s in info["sources"] if s.get("bibkey")]
        # The description is the data package's (English) text: marked so on a page in another language.
        description = nodes.paragraph("", info["description"], classes=[] if current() == ORIGINAL else ["language-en"])
        page = _section(info["title"], f"table-{name}", description, facts)
        readme = readme_section(name)
        if readme:
            page += _section(_("What it measures"), "what-it-measures", *self.parse_markdown(readme))
        primary = "".join(f"\n- {{cite:t}}`{key}`" for key in info["primary_sources"])
        if primary:
            primary = ("\n\nThe original publication of the figures, linked in the bibliography for the "
                       "reader to check:\n" + primary)
        page += _section(_("Sources"), "sources", *self.parse_markdown(
            "The documents its rows cite, in the [bibliography](../bibliography.md):\n\n" + "\n".join(sources)
            + primary))
        page += _section(_("Rows"), "rows", nodes.paragraph(
            "", _("Each row with its fields as recorded, its source, its notes, and the figures of the "
                  "book that use it. The link under a row's id points to that row.")), rows_table(table=name))
        return [page]


class data_index(nodes.General, nodes.Element):
    """Placeholder for the list of tables, written when the page is written (see :func:`index_html`)."""


class DataIndexDirective(SphinxDirective):
    """``{data-index}``: one entry per table: its page, its row count and its CSV download."""

    def run(self) -> list[nodes.Node]:
        return [data_index()]


def index_html(app: Sphinx, fromdoc: str) -> str:
    """The list of tables, each named by its title as recorded; in a translated build, by its page's
    title (the table pages' catalogues translate it), as HTML."""
    esc = html.escape
    root = "../" * fromdoc.count("/")
    here = fromdoc.rsplit("/", 1)[0] + "/" if "/" in fromdoc else ""
    entries = []
    for name in data.list_tables():
        docname = DATA_PAGE.format(table=name)
        title = data.table_info(name)["title"]
        if current() != ORIGINAL and docname in app.env.titles:
            title = app.env.titles[docname].astext()
        csv = data.csv_path(name).name
        entries.append(
            f'<section class="maskbook-dataset" id="data-{name}"><p><a href="{docname.removeprefix(here)}.html">'
            f'{esc(title)}</a> (<code>{name}</code>, '
            f'{esc(_("{rows} rows").format(rows=number(len(provenance.raw_rows(name)))))}) · '
            f'<a href="{root}data/{csv}">{esc(_("Download {csv}").format(csv=csv))}</a></p></section>')
    return "\n".join(entries)


# ------------------------------------------------------------------ the rows, at write time
def _citation_targets(app: Sphinx, fromdoc: str) -> dict[str, str]:
    """Bibliography key -> URL of its entry, relative to ``fromdoc``."""
    return {c.key: app.builder.get_relative_uri(fromdoc, c.bibliography_key.docname) + "#" + c.citation_id
            for c in compat.citations(app.env)}


#: A bibliography entry's ``language`` field as an HTML language; an entry without one is English.
BIB_LANGUAGES = {"italian": "it", "chinese": "zh", "english": "en"}


def title_languages(env) -> dict[str, str]:
    """Bibliography key -> the language its work is published in (``lang`` of its title)."""
    return {e.key: BIB_LANGUAGES.get(e.fields.get("language", "english").lower(), "en")
            for e in compat.bibliography_entries(env)}


def in_language(text: str, lang: str | None) -> str:
    """``text`` (HTML) in a span that names its language, or as it is when ``lang`` is None."""
    return f'<span lang="{lang}">{text}</span>' if lang else text


def cited_as(row: dict, english: str | None) -> str:
    """The Source cell's "outlet, date" (HTML): the outlet as recorded (English, ``english``); a
    missing date is said in the build's language (:func:`source_of` in English)."""
    esc = html.escape
    if english is None or "source_publisher" not in row or row["source_date"]:
        return in_language(esc(source_of(row)), english)
    publisher = in_language(esc(row["source_publisher"]), english) if row["source_publisher"] else ""
    return ", ".join(x for x in (publisher, esc(_("no date given"))) if x)


def rows_html(app: Sphinx, fromdoc: str, name: str) -> str:
    """The table of every row of ``name``, as HTML."""
    esc = html.escape
    info = data.table_info(name)
    fields, keys = info["fields"], source_keys(info)
    shown = [f for f in fields if f not in SOURCE_FIELDS + NOTE_FIELDS + ("row_id",)]
    targets = _citation_targets(app, fromdoc)
    uses = figures_using(app.env, name)
    titles = {d: app.env.titles[d].astext() for d in app.env.titles}
    heads = {label: esc(_(label)) for label in ("Row", "Fields as recorded", "Source", "Notes", "Used in")}
    cells = {label: esc(_(label)) for label in ("Fields", "Source", "Notes", "Used in")}
    out = [f'<div class="mb-rows-wrap" role="region" aria-label="{esc(_("Rows of {table}").format(table=name))}" '
           'tabindex="0"><table class="mb-rows"><thead><tr>'
           + "".join(f'<th scope="col">{label}</th>' for label in heads.values()) + '</tr></thead><tbody>']
    # The rows' fields, notes, outlets and locators are English as recorded, and so is a descriptive
    # title ("[report on ...]"); a published title is in the language of its bibliography entry.
    # All marked so on a page in another language (the English page is left as it was).
    translated = current() != ORIGINAL
    english = ' lang="en"' if translated else ""
    data_lang = "en" if translated else None
    published = title_languages(app.env) if translated else {}
    for row_id, row in provenance.raw_rows(name).items():
        record = "".join(f"<dt>{esc(f)}</dt><dd>{esc(row[f])}</dd>" for f in shown if row.get(f))
        key = bibkey_of(row, keys)
        where = cited_as(row, data_lang)
        cite = f'<a href="{esc(targets[key])}">{where}</a>' if key in targets else where
        extra = []
        if row.get("source_title"):
            descriptive = row["source_title"].startswith("[")
            title = in_language(esc(row["source_title"]),
                                data_lang and ("en" if descriptive else published.get(key, "en")))
            extra.append(f'<a href="{esc(row["source_url"])}">{title}</a>' if row.get("source_url") else title)
        if row.get("source_locator"):
            extra.append(in_language(esc(row["source_locator"]), data_lang))
        if row.get("secondhand") == "yes":
            extra.append(esc(_("second-hand")))
        source = cite + "".join(f"<br>{x}" for x in extra)
        used = "".join(
            f'<li><a href="{app.builder.get_relative_uri(fromdoc, u["docname"])}#{u["id"]}">'
            f'{esc(_("{page}, figure {number}").format(page=titles.get(u["docname"], u["docname"]), number=u["number"]))}'
            f'</a> ({esc(u["text"])})</li>'
            for u in uses.get(row_id, []))
        out.append(
            f'<tr id="{row_anchor(row_id)}"><th scope="row"><a href="#{row_anchor(row_id)}">{esc(row_id)}</a></th>'
            f'<td data-label="{cells["Fields"]}"><dl{english}>{record}</dl></td>'
            f'<td data-label="{cells["Source"]}">{source}</td>'
            f'<td data-label="{cells["Notes"]}"{english if row.get("notes") else ""}>{esc(row.get("notes", ""))}</td>'
            f'<td data-label="{cells["Used in"]}">{f"<ul>{used}</ul>" if used else esc(_("not quoted in the text"))}</td>'
            '</tr>')
    out.append("</tbody></table></div>")
    return "".join(out)


def write_rows(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    html_builder = app.builder.format == "html"
    for node in list(doctree.findall(rows_table)):
        node.replace_self(nodes.raw("", rows_html(app, docname, node["table"]), format="html") if html_builder else [])
    for node in list(doctree.findall(data_index)):
        node.replace_self(nodes.raw("", index_html(app, docname), format="html") if html_builder else [])


def rewrite_data_pages(app: Sphinx, env) -> list[str]:
    """Table pages are rewritten whenever a chapter is re-read (their "used in" lists may change),
    and the list of tables whenever a table page is (it shows their titles); an unchanged rebuild
    rewrites none."""
    pages = {d for d in env.found_docs if d.startswith(DATA_PAGE.format(table=""))}
    index = DATA_PAGE.format(table="").rstrip("/")
    rewritten = pages if docs_read(app) - pages else set()
    if docs_read(app) & pages and index in env.found_docs:
        rewritten |= {index}
    return sorted(rewritten)


#: The theme's toggle of a sidebar entry with sub-pages (the Data appendix's tables) has no name.
UNNAMED_TOGGLE = '<summary><span class="toctree-toggle" role="presentation">'
NAMED_TOGGLE = '<summary aria-label="{label}"><span class="toctree-toggle" role="presentation">'


def named_sidebar_toggles(page: str) -> str:
    """The built page with its sidebar's sub-page toggles named (axe: summary-name); a step of
    ``maskbook.site.postbuild``'s pass."""
    return page.replace(UNNAMED_TOGGLE, NAMED_TOGGLE.format(label=html.escape(_("Show or hide the sub-pages"))))


def setup_datadocs(app: Sphinx) -> None:
    app.add_directive("data-table", DataTableDirective)
    app.add_directive("data-index", DataIndexDirective)
    app.add_node(rows_table)
    app.add_node(data_index)
    app.connect("doctree-resolved", write_rows)
    track_docs_read(app)
    app.connect("env-updated", rewrite_data_pages)
