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
outlet (see :mod:`maskbook.book.bibliography`), is printed without the repeated outlet in front.

Use, in Sphinx::

    app.setup_extension("maskbook.site.bibstyle")   # or list it in extensions
    # _config.yml, under sphinx: config:   bibtex_default_style: maskbook
    #                                      bibtex_reference_style: maskbook

Outside Sphinx, :func:`register` registers the styles with pybtex; labels then get no letters.

Entries make one alphabetical list, in the order of their labels (``maskbook_label_order``: the
label's author or outlet, year and title, case and accents ignored). An entry's label is the text
its in-text citations show ("Fraile del Álamo and Lim, 2021"), made with sphinxcontrib-bibtex's own
author-year templates, except that an entry with a ``shortauthor`` (an outlet's common name) is
cited by it ("Xinhua, 2020a" for "Xinhua (republished by Yunnan Gateway)", which the entry keeps);
works that would share a label get a letter after the year ("Agenzia Nova, 2020a", "2020b", in the
list's order) across the whole bibliography. The referencing style ``maskbook`` (set as
``bibtex_reference_style``) is sphinxcontrib-bibtex's ``author_year`` with those names and that
lettered year, so a citation and the entry it lands on read the same. A work of the essay's notes
ends "Cited in the essay, note 4.", linked to that note in the notes concordance; the essay itself
ends "The source essay of this book.". In Sphinx, :func:`setup` registers the styles and gives
the labels every entry of the configured .bib files. A URL is shown shortened (at most
:data:`URL_DISPLAY_MAX` characters, %-escapes decoded); the link keeps the full address.

In a build in another language (:func:`maskbook.language.current`), the style's own words ("and",
"online at:", "archived copy", dates) are in that language; titles and names stay as written.
"""
from __future__ import annotations

import itertools
import re
import string
import unicodedata
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date
from urllib.parse import unquote

from babel.dates import format_date, get_month_names
from docutils import nodes
from pybtex.backends.plaintext import Backend as PlainTextBackend
from pybtex.richtext import HRef, Symbol, Text
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.sorting import BaseSortingStyle
from pybtex.style.template import (
    field,
    first_of,
    href,
    join,
    names,
    node,
    optional,
    optional_field,
    tag,
)
from sphinxcontrib.bibtex.style.referencing import BracketStyle, PersonStyle
from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle
from sphinxcontrib.bibtex.style.template import author_or_editor_or_title, year

from maskbook import language
from maskbook.language import ORIGINAL, current
from maskbook.site import compat

#: The package's strings in the build's language (the gettext name, which ``pybabel extract`` finds).
_ = language._

__all__ = ["MaskbookStyle", "AuthorYearLabelStyle", "MaskbookReferenceStyle", "LabelOrderSortingStyle",
           "ShortAuthorPersonStyle", "STYLE_NAME", "SORTING_STYLE_NAME",
           "LABEL_STYLE_NAME", "URL_DISPLAY_MAX", "register", "setup", "format_entry_text", "display_url",
           "is_description"]

STYLE_NAME = "maskbook"              # pybtex formatting style and sphinxcontrib-bibtex referencing style
LABEL_STYLE_NAME = "maskbook_author_year"
SORTING_STYLE_NAME = "maskbook_label_order"
URL_DISPLAY_MAX = 60                 # characters of a URL shown in the bibliography


def _dashify(text):
    return Text(Symbol("ndash")).join(text.split(re.compile(r"-+|–")))


def _bare(s: str) -> str:
    return s.replace("{", "").replace("}", "").strip()


def _and(sep: str) -> str:
    """``sep``, a separator before the last of several names (" and ", ", and "), in the build's
    language: " e " in Italian (no comma before it)."""
    return sep if current() == ORIGINAL else f" {_('and')} "


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
    return names("author", sep=", ", sep2=_and(" and "), last_sep=_and(" and ")).format_data(data)


@node
def house_editors(children, data):
    assert not children
    entry = data["entry"]
    persons = entry.persons.get("editor")
    if not persons:
        return Text()
    eds = names("editor", sep=", ", sep2=_and(" and "), last_sep=_and(" and ")).format_data(data)
    return Text(_("in") + " ", eds, " " + (_("(eds)") if len(persons) > 1 else _("(ed.)")))


@node
def house_date(children, data):
    """``21 January 2020`` / ``January 2020`` / ``2020`` from day, month, year."""
    assert not children
    fields = data["entry"].fields
    parts = [fields.get("day", ""), fields.get("month", ""), fields.get("year", "")]
    if not fields.get("year"):
        return Text()
    if current() != ORIGINAL and parts[1] in MONTHS:
        return Text(dated(*parts))
    return Text(" ".join(p for p in parts if p))


#: An English month's name -> its number.
MONTHS = {name: number for number, name in get_month_names("wide", locale=ORIGINAL).items()}


def dated(day: str, month: str, year: str) -> str:
    """A day ("3", "March", "2020") or a month ("", "March", "2020") in the build's language."""
    when = date(int(year), MONTHS[month], int(day or 1))
    return format_date(when, "d MMMM y" if day else "MMMM y", locale=current())


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


def display_url(url: str) -> str:
    """``url`` as shown to a reader: no scheme, %-escapes decoded, cut to URL_DISPLAY_MAX characters."""
    text = unquote(re.sub(r"^[a-z]+://", "", url.strip()), errors="replace").rstrip("/")
    if len(text) <= URL_DISPLAY_MAX:
        return text
    return text[:URL_DISPLAY_MAX - 1].rstrip("/-_.?&=") + "…"


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
    when = fields.get("date") or fields.get("year", "")
    label = _("archived copy") if when else _("archived copies")
    return HRef(wayback_url(fields["url"], when), label)


def _online():
    url = field("url", raw=True)
    shown = href(url)[field("url", raw=True, apply_func=display_url)]
    return optional[join[_("online at:") + " ", shown, " (", archived_copy, ")"]]


def _doi():
    url = join["https://doi.org/", field("doi", raw=True)]
    return optional[join["doi: ", href(url)[field("doi", raw=True)]]]


@node
def short_author_or_editor_or_title(children, data, **kwargs):
    """sphinxcontrib-bibtex's ``author_or_editor_or_title``, except that an entry with a
    ``shortauthor`` (an outlet's or organisation's common name: "Xinhua" for "Xinhua (republished
    by Yunnan Gateway)") is cited by it; the entry in the list keeps the long form."""
    assert not children
    return first_of[optional_field("shortauthor"), author_or_editor_or_title(**kwargs)].format_data(data)


@dataclass
class ShortAuthorPersonStyle(PersonStyle):
    """Person style of the citations and labels: authors, or an outlet's short name."""

    def author_or_editor_or_title(self, full: bool):
        return short_author_or_editor_or_title(
            sep=self.sep, sep2=_and(self.sep2), last_sep=_and(self.last_sep), other=None if full else self.other)


#: The in-text referencing style whose author-year text the labels repeat.
_IN_TEXT = AuthorYearReferenceStyle(person=ShortAuthorPersonStyle())
#: One plain-text backend for all labels (``render_as("text")`` looks the plugin up on every
#: call, which made an unchanged rebuild spend seconds here).
_PLAIN = PlainTextBackend()


def _author_and_year(entry) -> tuple[str, str]:
    """The author (or outlet, editor, title) and year that an author-year citation of ``entry`` shows."""
    data = {"entry": entry, "style": _IN_TEXT}
    author = _IN_TEXT.person.author_or_editor_or_title(full=False).format_data(data)
    return Text(author).render(_PLAIN), Text(year.format_data(data)).render(_PLAIN)


def _collated(text: str) -> str:
    """``text`` for alphabetical order: no braces or accents, case folded."""
    plain = unicodedata.normalize("NFKD", _bare(text))
    return "".join(c for c in plain if not unicodedata.combining(c)).casefold()


class LabelOrderSortingStyle(BaseSortingStyle):
    """One alphabetical list, in the order of what the reader sees: the label's author or outlet,
    then the year, then the title (case and accents ignored)."""

    def sorting_key(self, entry):
        author, year_text = _author_and_year(entry)
        return _collated(author), year_text, _collated(entry.fields.get("title", ""))


def _letters():
    """a, b, ..., z, aa, ab, ..."""
    for size in itertools.count(1):
        for letters in itertools.product(string.ascii_lowercase, repeat=size):
            yield "".join(letters)


#: Each entry key's year as labels and citations show it; filled by :func:`use_bibliography`.
_YEARS: dict[str, str] = {}


def lettered_years(entries) -> dict[str, str]:
    """Each entry's year as labels and citations show it: "2020", or "2020a", "2020b"... when
    several works would otherwise share "Author, 2020" (letters in the house sorting order)."""
    groups: dict[tuple[str, str], list[str]] = {}
    for entry in LabelOrderSortingStyle().sort(list(entries)):
        groups.setdefault(_author_and_year(entry), []).append(entry.key)
    years = {}
    for (_author, year_text), keys in groups.items():
        if len(keys) == 1:
            years[keys[0]] = year_text
        else:
            sep = "" if year_text[-1:].isdigit() else "-"   # "n.d.-a"
            years.update({key: year_text + sep + letter for key, letter in zip(keys, _letters())})
    return years


def author_year_labels(entries) -> dict[str, tuple[str, str]]:
    """Each entry's (author, year) as its in-text citations show them (``("ANSA", "2020d")``), by
    key, in the bibliography's order: what a citation reads outside Sphinx (the teaching pack)."""
    entries = LabelOrderSortingStyle().sort(list(entries))
    years = lettered_years(entries)
    return {entry.key: (_author_and_year(entry)[0], years[entry.key]) for entry in entries}


def labelled_year(entry) -> str:
    return _YEARS.get(entry.key) or _author_and_year(entry)[1]


@node
def labelled_year_node(children, data):
    """Template node: the entry's year with its letter, as in its label."""
    assert not children
    return Text(labelled_year(data["entry"]))


class AuthorYearLabelStyle(BaseLabelStyle):
    """Labels "Author, 2020a": the text of the entry's author-year citation."""

    def format_labels(self, sorted_entries):
        for entry in sorted_entries:
            yield _author_and_year(entry)[0] + _IN_TEXT.author_year_sep + labelled_year(entry)


def _lettered(template):
    """``template`` with sphinxcontrib-bibtex's ``year`` node replaced by the labelled year."""
    if getattr(template, "f", None) is year.f:
        return labelled_year_node
    if hasattr(template, "children"):
        template.children = [_lettered(child) for child in template.children]
    return template


def _semicolons() -> BracketStyle:
    return BracketStyle(sep="; ")


@dataclass
class MaskbookReferenceStyle(AuthorYearReferenceStyle):
    """sphinxcontrib-bibtex's ``author_year`` citations, with the lettered year of the labels;
    several works in one citation are separated by semicolons (each label holds a comma)."""

    bracket_parenthetical: BracketStyle = dataclass_field(default_factory=_semicolons)
    bracket_textual: BracketStyle = dataclass_field(default_factory=_semicolons)
    person: PersonStyle = dataclass_field(default_factory=ShortAuthorPersonStyle)

    def inner(self, role_name):
        return _lettered(super().inner(role_name))


def use_bibliography(app, env) -> None:
    """Give the labels every entry of the configured .bib files (Sphinx ``env-updated``, before
    sphinxcontrib-bibtex formats the labels)."""
    _YEARS.clear()
    _YEARS.update(lettered_years(compat.bibliography_entries(env)))


#: Where the essay's notes are shown, relative to the bibliography page (both in ``chapters/``).
CONCORDANCE_NOTE = "notes-concordance.html#concordance-note-{}"


@node
def essay_mark(children, data):
    """What ties an entry to the source essay: "The source essay of this book." for the essay,
    "Cited in the essay, notes 4, 5, 7." (a link to the first in the notes concordance) for a work
    of its notes; nothing for the other sources."""
    assert not children
    fields = data["entry"].fields
    if fields.get("keywords") == "source-article":
        return Text(" " + _("The source essay of this book."))
    numbers = fields.get("articlenotes", "")
    if not numbers:
        return Text()
    first = numbers.split(",")[0].strip()
    words = (_("notes {numbers}") if "," in numbers else _("note {numbers}")).format(numbers=numbers)
    return Text(" " + _("Cited in the essay,") + " ", HRef(CONCORDANCE_NOTE.format(first), words), ".")


class MaskbookStyle(UnsrtStyle):
    """pybtex formatting style "maskbook" (a subclass of ``unsrt``)."""

    default_sorting_style = SORTING_STYLE_NAME
    default_label_style = LABEL_STYLE_NAME

    def _finish(self, tmpl):
        return join[tmpl, ".", essay_mark]

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
    """Register the formatting, label and referencing styles ``maskbook`` (idempotent)."""
    compat.register_pybtex_plugin("pybtex.style.labels", LABEL_STYLE_NAME, AuthorYearLabelStyle)
    compat.register_pybtex_plugin("pybtex.style.sorting", SORTING_STYLE_NAME, LabelOrderSortingStyle)
    compat.register_pybtex_plugin("pybtex.style.formatting", STYLE_NAME, MaskbookStyle)
    compat.register_bibtex_plugin("sphinxcontrib.bibtex.style.referencing", STYLE_NAME, MaskbookReferenceStyle)


def link_essay_notes(app, doctree, fromdocname) -> None:
    """Make the entries' links to the essay's notes internal links to the notes concordance page
    (the ``{notes-concordance}`` page, wherever it is), not external ones."""
    pages = sorted(getattr(app.env, "maskbook_concordance_docs", ()))
    prefix = CONCORDANCE_NOTE.split("#")[0] + "#"
    for ref in doctree.findall(nodes.reference):
        if ref.get("refuri", "").startswith(prefix):
            if pages:
                ref["refuri"] = app.builder.get_relative_uri(fromdocname, pages[0]) + "#" + ref["refuri"].split("#")[1]
            ref["internal"] = True
            ref["classes"] = [c for c in ref.get("classes", []) if c != "external"]


def setup(app) -> dict:
    """Sphinx extension: the styles, labels lettered across the whole bibliography, and the
    entries' links to the essay's notes."""
    register()
    app.connect("env-updated", use_bibliography, priority=400)
    app.connect("doctree-resolved", link_essay_notes)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


def format_entry_text(entry, backend: str = "text") -> str:
    """Render one pybtex entry with the house style (``backend``: text, html, latex, markdown)."""
    register()
    style = MaskbookStyle()
    formatted = style.format_entry(entry.key, entry)
    return formatted.text.render_as(backend)
