"""What the parser produces: a note, the works it cites and their people, and its two complaints.

:class:`Work` is the contract between the parser and its writers (:mod:`maskbook.notes.bibtex`,
:mod:`maskbook.notes.csl`); ``to_json`` gives the fields of the ``--json`` output, in the order
of :data:`ENTRY_FIELDS`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from maskbook.notes.text import is_abbreviation

#: The fields of one entry in the ``--json`` output, in order.
ENTRY_FIELDS = (
    "key", "kind", "short_form", "authors", "org_author", "title", "title_original",
    "container", "publisher", "place", "date", "volume", "issue", "pages", "url", "locator",
    "note_prefix", "extra",
)


class NotesFormatError(ValueError):
    """The notes file is malformed; the message names the file and the line."""


class UnparsedCitationWarning(UserWarning):
    """A citation could not be read; it was kept as an ``unparsed`` entry with its raw text."""


@dataclass
class Person:
    family: str
    given: str | None = None

    def to_json(self) -> dict:
        return {"family": self.family, "given": self.given}


@dataclass
class Work:
    """One work cited in a note (or a short form pointing back to one)."""

    kind: str = "unparsed"
    short_form: bool = False
    authors: list[Person] = field(default_factory=list)
    org_author: str | None = None
    title: str | None = None
    title_original: str | None = None
    container: str | None = None
    publisher: str | None = None
    place: str | None = None
    date: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    url: str | None = None
    key: str | None = None
    # Details kept apart for the bibliography; folded into ``extra`` in the JSON.
    report_type: str | None = None
    medium: str | None = None  # e.g. "Podcast"
    duration: str | None = None  # e.g. "11:20 mins"
    locator: str | None = None  # where the note points in the book: "Page 42", "Pages iii-iv, Topic"
    note_prefix: str | None = None  # a lead-in: "see", "the analyst was cited in"
    title_translation: str | None = None  # bracketed English gloss of a Chinese title
    editors: list[Person] = field(default_factory=list)
    language: str | None = None
    et_al: bool = False
    edited: bool = False  # "Name, Name, eds, Title": the names are the book's editors
    online: bool = False  # the note said "online at:"
    ibid: bool = False
    leftovers: list[str] = field(default_factory=list)
    raw: str = ""
    note: int = 0
    index: int = 0  # 1-based position inside its note

    @property
    def org_abbr(self) -> str | None:
        if not self.org_author:
            return None
        m = re.search(r"\(([^()]+)\)\s*$", self.org_author)
        if m:
            return m.group(1)
        if is_abbreviation(self.org_author):
            return self.org_author
        return None

    @property
    def extra(self) -> str | None:
        parts: list[str] = []
        if self.report_type:
            parts.append(self.report_type)
        if self.medium and self.kind != "podcast":
            parts.append(self.medium)
        if self.duration:
            parts.append(self.duration)
        if self.title_translation:
            parts.append(f"[{self.title_translation}]")
        if self.editors:
            parts.append("eds " + ", ".join(_person_str(p) for p in self.editors))
        if self.edited:
            parts.append("eds")
        if self.kind == "unparsed":
            parts.append(self.raw)
        parts.extend(self.leftovers)
        return "; ".join(parts) if parts else None

    def to_json(self) -> dict:
        out = {}
        for name in ENTRY_FIELDS:
            value = getattr(self, name)
            if name == "authors":
                value = [p.to_json() for p in value]
            out[name] = value
        return out


@dataclass
class Note:
    number: int
    text: str
    is_citation: bool
    entries: list[Work] = field(default_factory=list)
    line: int = 0  # first line of the note in its file

    def to_json(self) -> dict:
        return {
            "note": self.number,
            "text": self.text,
            "is_citation": self.is_citation,
            "entries": [w.to_json() for w in self.entries],
        }


def _person_str(p: Person) -> str:
    return f"{p.given} {p.family}" if p.given else p.family
