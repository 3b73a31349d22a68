"""BibTeX entries for parsed works: pybtex's data model, the house's field choices, the writer.

The bottom of the writing side: it reads any object with the attributes of
:class:`maskbook.notes.model.Work` and imports nothing but pybtex, so the parser's command
line (``--bib``) and :mod:`maskbook.book.bibliography` (the book's ``references.bib``) share it
without importing each other.

``year`` stays the real year: works that share an author-year label ("Lamperti 2020") are told
apart where they are shown, by the book's citation and label styles (:mod:`maskbook.site.bibstyle`
gives "2020a", "2020b" in the text and the list alike); other tools (Pandoc, biblatex) do the same.
"""
from __future__ import annotations

import io
import re
from collections import OrderedDict
from collections.abc import Iterable

from pybtex.database import BibliographyData, Entry, Person
from pybtex.database.output.bibtex import Writer as BibtexWriter

__all__ = [
    "latex_escape",
    "protect_case",
    "corporate",
    "short_name",
    "person",
    "date_fields",
    "entry_from_work",
    "bibliography_from_works",
    "BibWriter",
    "to_bibtex",
]

MONTH_NAMES = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]

_UNSAFE = {"{": "(", "}": ")", "\\": "/"}


def latex_escape(text: str) -> str:
    """Make ``text`` safe as a BibTeX field value: stray braces/backslashes replaced.

    LaTeX specials (``% & _ $ #``) are escaped later, once, by pybtex's BibTeX writer (see
    :class:`BibWriter`); ``%`` would otherwise be a comment to pybtex's LaTeX reader.
    """
    return "".join(_UNSAFE.get(c, c) for c in text)


_WORD = re.compile(r"[^\W\d_](?:[\w’'.\-]*\w)?")


def protect_case(text: str) -> str:
    """Brace every word a style could lower-case (proper nouns, acronyms, words after a colon).

    ``New China virus: Warning`` -> ``New {China} virus: {Warning}``; the first word is braced
    only when it has capitals after its first letter (``{COVID-19}``). Punctuation stays outside.
    """
    text = latex_escape(text)
    out = []
    pos = 0
    for i, m in enumerate(_WORD.finditer(text)):
        word = m.group()
        out.append(text[pos : m.start()])
        inner_caps = any(c.isupper() for c in word[1:])
        if inner_caps or (i > 0 and word[0].isupper()):
            out.append("{" + word + "}")
        else:
            out.append(word)
        pos = m.end()
    out.append(text[pos:])
    return "".join(out)


def corporate(name: str) -> Person:
    """A corporate author kept whole: ``{BBC News}`` (no first/last split)."""
    return Person("{" + latex_escape(name) + "}")


_ACRONYM = re.compile(r"^(?P<name>.+?)\s+\((?P<short>[A-Z][A-Za-z&]{1,9})\)$")


def short_name(name: str) -> str | None:
    """The short name an organisation's own text gives it: ``European Think-tank Network on China
    (ETNC)`` -> ``ETNC`` (a trailing parenthesis whose capitals are the initials of the name's
    capitalised words); None when the name gives none."""
    match = _ACRONYM.match(name.strip())
    if not match:
        return None
    initials = "".join(w[0] for w in re.split(r"[\s\-/]+", match["name"]) if w[:1].isupper())
    capitals = "".join(c for c in match["short"] if c.isupper())
    return match["short"] if capitals == initials else None


def person(family: str, given: str | None) -> Person:
    family = latex_escape(family)
    if " " in family:  # "Di Battista", "Fraile del Álamo": keep the family name whole
        family = "{" + family + "}"
    return Person(last=family, first=latex_escape(given) if given else "")


def date_fields(date: str | None) -> list[tuple[str, str]]:
    if not date:
        return []
    parts = date.split("-")
    fields = [("year", parts[0])]
    if len(parts) > 1:
        fields.append(("month", MONTH_NAMES[int(parts[1]) - 1]))
    if len(parts) > 2:
        fields.append(("day", str(int(parts[2]))))
    fields.append(("date", date))
    return fields


_KIND_TYPE = {
    "news": "article",
    "journal": "article",
    "report": "techreport",
    "book": "book",
    "chapter": "incollection",
    "podcast": "misc",
    "blog": "misc",
    "video": "misc",
    "web": "misc",
    "dataset": "misc",
    "unparsed": "misc",
}


def _persons(work) -> dict[str, list[Person]]:
    """Authors (people, else the organisation, else the outlet or publisher) and editors."""
    persons: dict[str, list[Person]] = {}
    if work.authors:
        persons["author"] = [person(p.family, p.given) for p in work.authors]
        if work.et_al:
            persons["author"].append(Person("others"))
    elif work.org_author:
        persons["author"] = [corporate(work.org_author)]
    else:
        corp = work.container or work.publisher
        if corp:
            persons["author"] = [corporate(corp)]
    if work.editors:
        persons["editor"] = [person(p.family, p.given) for p in work.editors]
    return persons


def _given(name: str, value, fmt=latex_escape) -> list[tuple[str, str]]:
    """The field when it has a value."""
    return [(name, fmt(value))] if value else []


def _where_published(work, etype: str) -> list[tuple[str, str]]:
    """The fields that say where the work appeared, as its entry type names them."""
    if etype == "article":
        return [("journal", latex_escape(work.container or work.publisher or "")),
                *_given("volume", work.volume), *_given("number", work.issue)]
    if etype == "techreport":
        return [("institution", latex_escape(work.publisher or work.container or work.org_author or "")),
                *_given("type", work.report_type)]
    if etype == "book":
        return [("publisher", latex_escape(work.publisher or work.container or ""))]
    if etype == "incollection":
        return [("booktitle", protect_case(work.container or "")), ("publisher", latex_escape(work.publisher or ""))]
    return _given("howpublished", work.container or work.publisher)  # misc


def entry_from_work(work, keyword: str = "notes") -> Entry:
    """A pybtex ``Entry`` for one full (not short-form) work parsed from a note."""
    if work.kind == "unparsed":
        return Entry("misc", fields=[
            ("title", protect_case(_first_words_of(work.raw))),
            ("note", "Unparsed note text: " + latex_escape(work.raw)),
            ("keywords", keyword),
            ("articlenote", str(work.note)),
        ])
    etype = _KIND_TYPE.get(work.kind, "misc")
    fields = _given("shortauthor", not work.authors and work.org_author and short_name(work.org_author))
    fields += [("title", protect_case(work.title or ""))]
    fields += _given("origtitle", work.title_original, protect_case)
    fields += _given("titleaddon", work.title_translation, protect_case)
    fields += _where_published(work, etype)
    if etype != "article":
        fields += _given("address", work.place)
    fields += date_fields(work.date)
    fields += _given("pages", work.pages, lambda pages: pages.replace("–", "--"))
    if etype == "misc":
        fields += _given("type", work.medium)  # [Podcast]
    notes = [work.medium] if work.medium and etype != "misc" else []
    if work.duration:
        notes.append(work.duration)
    fields += _given("note", ", ".join(notes))
    fields += _given("language", work.language, str)
    fields += _given("url", work.url, str)
    fields += [("keywords", keyword), ("articlenote", str(work.note))]
    return Entry(etype, fields=fields, persons=_persons(work))


def _first_words_of(text: str, n: int = 12) -> str:
    words = text.split()
    return " ".join(words[:n]) + (" …" if len(words) > n else "")


RAW_FIELDS = frozenset({"url", "doi", "date", "keywords", "articlenote", "articlenotes"})


class BibWriter(BibtexWriter):
    """pybtex's BibTeX writer, except that URL-like fields are not LaTeX-encoded."""

    def _write_field(self, stream, type, value):
        if type.lower() in RAW_FIELDS:
            stream.write(f",\n    {type} = {self.quote(value)}")
        else:
            super()._write_field(stream, type, value)


def to_bibtex(bib: BibliographyData) -> str:
    """Serialise through pybtex's BibTeX writer; one blank line between entries, newline at end."""
    buf = io.StringIO()
    BibWriter(encoding="UTF-8").write_stream(bib, buf)
    text = buf.getvalue()
    text = text.replace("\r\n", "\n")
    header = (
        "% references.bib: GENERATED by `python -m maskbook.book.bibliography` from data/source/ and\n"
        "% data/datapackage.json. Do not edit by hand; edit the inputs and regenerate.\n\n"
    )
    return header + text.strip() + "\n"



def bibliography_from_works(works: Iterable, keyword: str = "notes") -> BibliographyData:
    """The works as a sorted :class:`BibliographyData`."""
    entries = {w.key: entry_from_work(w, keyword) for w in works}
    return BibliographyData(entries=OrderedDict(sorted(entries.items())))
