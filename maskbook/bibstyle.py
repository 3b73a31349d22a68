"""The book's house bibliography style, close to the China Story Yearbook notes.

    Tom Hancock and Sarah Neville, ‘Scientists warn over China virus outbreak’, Financial Times,
    19 January 2020.
    ‘New China virus: Warning against cover-up as number of cases jumps’, BBC News, 21 January 2020.
    Gabriele Carrer, ‘It’s written Rai, …’ [Si Scrive Rai, …], Formiche, 8 April 2020, online at: URL.
    European Think-tank Network on China (ETNC), COVID-19 and Europe–China relations: …,
    Special Report, Paris: French Institute of International Relations, 29 April 2020, pp. 35–39.

Titles keep the case they were written in (no sentence-casing); the original-language title
(``origtitle``) follows in brackets; an untitled item's bracketed description (``[report on a
Chinese mayor's gift of masks to Como]``) is printed as it stands, without quotation marks; dates
are printed in full (day month year); a known URL is printed as a link after "online at:",
followed by a link to its archived copy in the Internet Archive's Wayback Machine, dated by the
entry's own date (no network needed). A piece with no byline, whose corporate author is its own
outlet (see :mod:`maskbook.bibliography`), is printed without the repeated outlet in front.

Use::

    import maskbook.bibstyle
    maskbook.bibstyle.register()          # pybtex formatting style "maskbook"
    # _config.yml, under sphinx: config:   bibtex_default_style: maskbook
    #                                      bibtex_reference_style: author_year

Entries sort by author, year and title (``author_year_title``); list labels are the entry keys
(unique even when the bibliography page shows several filtered lists).
"""
from __future__ import annotations

import pybtex.plugin
from pybtex.richtext import HRef, Symbol, Text
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.template import (
    field,
    href,
    join,
    names,
    node,
    optional,
    optional_field,
    tag,
    words,
)

__all__ = ["MaskbookStyle", "KeyLabelStyle", "STYLE_NAME", "LABEL_STYLE_NAME", "register", "format_entry_text",
           "is_description"]

STYLE_NAME = "maskbook"
LABEL_STYLE_NAME = "maskbook_key"


def _dashify(text):
    import re

    return Text(Symbol("ndash")).join(text.split(re.compile(r"-+|–")))


def _bare(s: str) -> str:
    return s.replace("{", "").replace("}", "").strip()


@node
def house_authors(children, data):
    """Authors as written ("Given Family", "A, B and C"); omitted when the only 'author' is the
    outlet itself (a piece with no byline)."""
    assert not children
    entry = data["entry"]
    persons = entry.persons.get("author")
    if not persons:
        return Text()
    if len(persons) == 1:
        only = _bare(" ".join(persons[0].last_names + persons[0].first_names))
        for name in ("journal", "howpublished", "institution", "publisher"):
            if _bare(entry.fields.get(name, "")) == only:
                return Text()
    return names("author", sep=", ", sep2=" and ", last_sep=" and ").format_data(data)


@node
def house_editors(children, data):
    assert not children
    entry = data["entry"]
    persons = entry.persons.get("editor")
    if not persons:
        return Text()
    eds = names("editor", sep=", ", sep2=" and ", last_sep=" and ").format_data(data)
    return Text("in ", eds, " (eds)" if len(persons) > 1 else " (ed.)")


@node
def house_date(children, data):
    """``21 January 2020`` / ``January 2020`` / ``2020`` from day, month, year."""
    assert not children
    fields = data["entry"].fields
    parts = [fields.get("day", ""), fields.get("month", ""), fields.get("year", "")]
    if not fields.get("year"):
        return Text()
    return Text(" ".join(p for p in parts if p))


def is_description(entry) -> bool:
    """Is the entry's title a description of an untitled item (``[report on …]``), not a title?"""
    title = _bare(entry.fields.get("title", ""))
    return title.startswith("[") and title.endswith("]")


@node
def house_title(children, data, book=False):
    """‘Quoted title’ (a book or report: *italic*), then the original-language title in brackets.
    A bracketed description of an untitled item stands as it is: neither quoted nor italic."""
    assert not children
    if is_description(data["entry"]):
        title = field("title")
    elif book:
        title = tag("em")[field("title")]
    else:
        title = join["‘", field("title"), "’"]
    return join[
        title,
        optional[" [", field("origtitle"), "]"],
        optional[" [", field("titleaddon"), "]"],
    ].format_data(data)


def _place_publisher(name: str):
    return join[optional[field("address"), ": "], field(name)]


def _pages():
    return optional[join["pp. ", field("pages", apply_func=_dashify)]]


WAYBACK = "https://web.archive.org/web/"


def wayback_url(url: str, date: str = "") -> str:
    """The Internet Archive's copy of ``url`` nearest ``date`` (``YYYY``, ``YYYY-MM`` or
    ``YYYY-MM-DD``; the Wayback Machine reads a shorter stamp as the start of that month or
    year and shows the capture nearest it); with no date, the calendar of all its copies."""
    stamp = "".join(ch for ch in date if ch.isdigit())[:8]
    return f"{WAYBACK}{stamp or '*'}/{url}"


@node
def archived_copy(children, data):
    """A link to the entry's URL in the Wayback Machine, dated by the entry's own date."""
    assert not children
    fields = data["entry"].fields
    date = fields.get("date") or fields.get("year", "")
    label = "archived copy" if date else "archived copies"
    return HRef(wayback_url(fields["url"], date), label)


def _online():
    url = field("url", raw=True)
    return optional[join["online at: ", href(url)[url], " (", archived_copy, ")"]]


def _doi():
    url = join["https://doi.org/", field("doi", raw=True)]
    return optional[join["doi: ", href(url)[field("doi", raw=True)]]]


class KeyLabelStyle(BaseLabelStyle):
    """Labels are the bibliography keys: unique across several filtered ``{bibliography}``
    lists on one page (numeric labels restart in each list and collide)."""

    def format_labels(self, sorted_entries):
        for entry in sorted_entries:
            yield entry.key


class MaskbookStyle(UnsrtStyle):
    """pybtex formatting style "maskbook" (a subclass of ``unsrt``)."""

    default_sorting_style = "author_year_title"
    default_label_style = LABEL_STYLE_NAME

    def _finish(self, tmpl):
        return join[tmpl, "."]

    def get_article_template(self, e):
        return self._finish(
            join(sep=", ")[
                house_authors,
                house_title,
                join[
                    tag("em")[field("journal")],
                    optional[" ", field("volume")],
                ],
                optional[join["no. ", field("number")]],
                house_date,
                _pages(),
                optional_field("note"),
                _online(),
            ]
        )

    def get_misc_template(self, e):
        return self._finish(
            join(sep=", ")[
                house_authors,
                house_title,
                optional[join["[", field("type"), "]"]],
                optional[tag("em")[field("howpublished")]],
                optional_field("address"),
                house_date,
                _pages(),
                optional_field("note"),
                _online(),
            ]
        )

    def get_online_template(self, e):
        return self.get_misc_template(e)

    def get_techreport_template(self, e):
        return self._finish(
            join(sep=", ")[
                house_authors,
                house_title(book=True),
                optional_field("type"),
                optional[_place_publisher("institution")],
                house_date,
                _pages(),
                optional_field("note"),
                _online(),
            ]
        )

    def get_book_template(self, e):
        return self._finish(
            join(sep=", ")[
                house_authors,
                house_title(book=True),
                optional[_place_publisher("publisher")],
                house_date,
                _pages(),
                optional_field("note"),
                _online(),
            ]
        )

    def get_incollection_template(self, e):
        return self._finish(
            join(sep=", ")[
                house_authors,
                house_title,
                join(sep=", ")[house_editors, tag("em")[field("booktitle")]],
                optional[_place_publisher("publisher")],
                house_date,
                _pages(),
                _doi(),
                optional_field("note"),
            ]
        )

    def get_inbook_template(self, e):
        return self.get_incollection_template(e)


def register() -> None:
    """Register the formatting style ``maskbook`` with pybtex (idempotent)."""
    pybtex.plugin.register_plugin("pybtex.style.labels", LABEL_STYLE_NAME, KeyLabelStyle, force=True)
    pybtex.plugin.register_plugin("pybtex.style.formatting", STYLE_NAME, MaskbookStyle, force=True)


def format_entry_text(entry, backend: str = "text") -> str:
    """Render one pybtex entry with the house style (``backend``: text, html, latex, markdown)."""
    register()
    style = MaskbookStyle()
    formatted = style.format_entry(entry.key, entry)
    return formatted.text.render_as(backend)
