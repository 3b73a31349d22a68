"""Parse endnotes in the China Story Yearbook (ANU Press) house style into the works they cite.

The style, as printed in the Yearbook's notes::

    Author A and Author B, ‘Article title’ [Original-language title], Outlet, 21 January 2020, online at: URL
    Org Name (ABBR), Report title, Special Report, Place: Publisher, 29 April 2020, pp.35–39, online at:
    Author, Book Title, Place: Publisher, 2019.
    Author, ‘Article’, Journal 12, no. 3 (2019): 45–67.
    Author, ‘Article’, Journal, vol. 12, no. 3, 2019, pp. 45–67.
    Host A and Host B, ‘Episode’, [Podcast], Show, 19 May 2020, [11:20 mins], online at:
    ABBR, Short title.           (a short form: points back to the full citation)
    Ibid., p. 5.                 (the previous note's last work)

Several works in one note are separated by ``;`` (outside quotes and brackets); a note that cites
nothing (an explanatory remark) is kept, with ``is_citation`` false and no entries. Anything that
looks like a citation but cannot be read becomes an ``unparsed`` entry holding the raw text, and
a :class:`UnparsedCitationWarning` names the note: nothing is dropped silently.

Command line (stable contract)::

    python -m maskbook.footnotes NOTES.txt --json   # one JSON object per note
    python -m maskbook.footnotes NOTES.txt --bib    # the BibTeX of the cited works
    python -m maskbook.footnotes NOTES.txt --csl    # the cited works as CSL-JSON
    python -m maskbook.footnotes --score tests/gold/yearbook_notes.json   # per-field accuracy

The writers (:mod:`maskbook.bibtex`, :mod:`maskbook.csl`) and the scorer
(:mod:`maskbook.notescore`) sit below this module and import nothing from ``maskbook``;
:mod:`maskbook.bibliography` (the book's ``references.bib``) sits above it.

Pure Python, no network. Nothing here knows the 19 notes of the source article.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
import unicodedata
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional

from maskbook.bibtex import bibliography_from_works, to_bibtex
from maskbook.csl import csl_items
from maskbook.notescore import format_report, load_gold, score

__all__ = [
    "Person",
    "Work",
    "Note",
    "NotesFormatError",
    "UnparsedCitationWarning",
    "read_notes",
    "split_notes",
    "parse_note",
    "parse_notes",
    "parse_file",
    "split_works",
    "parse_work",
    "is_remark",
    "make_key",
    "parse_person",
    "is_family_first",
    "ascii_letters",
    "ENTRY_FIELDS",
    "main",
]

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


# --------------------------------------------------------------------------------------------
# Data model


@dataclass
class Person:
    family: str
    given: Optional[str] = None

    def to_json(self) -> dict:
        return {"family": self.family, "given": self.given}


@dataclass
class Work:
    """One work cited in a note (or a short form pointing back to one)."""

    kind: str = "unparsed"
    short_form: bool = False
    authors: list[Person] = field(default_factory=list)
    org_author: Optional[str] = None
    title: Optional[str] = None
    title_original: Optional[str] = None
    container: Optional[str] = None
    publisher: Optional[str] = None
    place: Optional[str] = None
    date: Optional[str] = None
    volume: Optional[str] = None
    issue: Optional[str] = None
    pages: Optional[str] = None
    url: Optional[str] = None
    key: Optional[str] = None
    # Details kept apart for the bibliography; folded into ``extra`` in the JSON.
    report_type: Optional[str] = None
    medium: Optional[str] = None  # e.g. "Podcast"
    duration: Optional[str] = None  # e.g. "11:20 mins"
    locator: Optional[str] = None  # where the note points in the book: "Page 42", "Pages iii-iv, Topic"
    note_prefix: Optional[str] = None  # a lead-in: "see", "the analyst was cited in"
    title_translation: Optional[str] = None  # bracketed English gloss of a Chinese title
    editors: list[Person] = field(default_factory=list)
    language: Optional[str] = None
    et_al: bool = False
    edited: bool = False  # "Name, Name, eds, Title": the names are the book's editors
    online: bool = False  # the note said "online at:"
    ibid: bool = False
    leftovers: list[str] = field(default_factory=list)
    raw: str = ""
    note: int = 0
    index: int = 0  # 1-based position inside its note

    @property
    def org_abbr(self) -> Optional[str]:
        if not self.org_author:
            return None
        m = re.search(r"\(([^()]+)\)\s*$", self.org_author)
        if m:
            return m.group(1)
        if _is_abbreviation(self.org_author):
            return self.org_author
        return None

    @property
    def extra(self) -> Optional[str]:
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


# --------------------------------------------------------------------------------------------
# Reading the notes file

_WS = re.compile(r"[ \t\r\n\f\v]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def normalise_whitespace(text: str) -> str:
    """Fold runs of ordinary whitespace into one space; typographic thin/hair spaces stay."""
    return _WS.sub(" ", text).strip()


def split_notes(text: str, source: str = "<notes>") -> list[tuple[int, str]]:
    """Split a notes file into ``(first_line, note_text)`` paragraphs (blank-line separated).

    Raises :class:`NotesFormatError` (naming ``source`` and the line) on control characters, on
    a note that starts with a printed number or on a file with no notes.
    """
    out: list[tuple[int, str]] = []
    current: list[str] = []
    start = 0
    lines = text.split("\n")
    for lineno, line in enumerate(lines, 1):
        m = _CONTROL.search(line)
        if m:
            raise NotesFormatError(
                f"{source}, line {lineno}: control character {m.group()!r} in the notes text"
            )
        if line.strip():
            if not current:
                start = lineno
                if re.match(r"^\s*\d{1,3}[.)]\s", line) or re.match(r"^\s*\d{1,3}\s*$", line):
                    raise NotesFormatError(
                        f"{source}, line {lineno}: a note starts with a printed note number "
                        f"({line.strip()[:20]!r}); write one note per paragraph without numbers"
                    )
            current.append(line)
        elif current:
            out.append((start, normalise_whitespace(" ".join(current))))
            current = []
    if current:
        out.append((start, normalise_whitespace(" ".join(current))))
    if not out:
        raise NotesFormatError(f"{source}, line 1: no notes found (expected blank-line separated paragraphs)")
    return out


def read_notes(path: str | Path) -> list[tuple[int, str]]:
    """Read a notes file (UTF-8, one note per paragraph) -> ``[(first_line, text), ...]``."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise NotesFormatError(f"{path}: cannot read the notes file ({exc.strerror})") from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        lineno = data[: exc.start].count(b"\n") + 1
        raise NotesFormatError(f"{path}, line {lineno}: not valid UTF-8 ({exc.reason})") from exc
    if text.startswith("\ufeff"):
        text = text[1:]
    return split_notes(text, str(path))


# --------------------------------------------------------------------------------------------
# Lexical helpers

_THIN = "\u2009\u200a\u202f\u00a0\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u205f\u3000"
_CLOSE_FOLLOW = r"""[\s]*(?:[,;.:\[\]\)!?]|$)"""
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
_URL = re.compile(r"<?(?:https?://|www\.)[^\s<>]+>?")
_ONLINE = re.compile(
    r"(?:online at|available at|available from|available online at|online|(?<![\w’'])at)\s*:\s*"
    r"(?P<url><?(?:https?://|www\.)[^\s<>]+>?)?",
    re.I,
)

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MONTH_RE = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR_RE = r"(?:1[6-9]\d\d|20\d\d)"
_DATE_DMY = re.compile(rf"^(?P<d>\d{{1,2}})\s+(?P<m>{_MONTH_RE})\s*,?\s+(?P<y>{_YEAR_RE})$", re.I)
_DATE_MDY = re.compile(rf"^(?P<m>{_MONTH_RE})\s+(?P<d>\d{{1,2}}),?\s+(?P<y>{_YEAR_RE})$", re.I)
_DATE_MY = re.compile(rf"^(?:(?:early|mid|late)[- ])?(?P<m>{_MONTH_RE})\s+(?P<y>{_YEAR_RE})$", re.I)
_DATE_Y = re.compile(rf"^\(?(?P<y>{_YEAR_RE})\)?(?:\s*[–-]\s*\d{{2,4}})?[a-z]?$")
_DATE_ISO = re.compile(rf"^(?P<y>{_YEAR_RE})-(?P<m>\d\d)(?:-(?P<d>\d\d))?$")
_PAGES = re.compile(r"^(?P<pp>pp?|pages?)\.?\s*(?P<pages>[\dxivlcXIVLC]+(?:\s*[–—-]\s*[\dxivlcXIVLC]+)?(?:\s*,\s*\d+(?:\s*[–-]\s*\d+)?)*)$", re.I)
_VOL = re.compile(
    r"^(?:vol(?:ume)?\.?)\s*(?P<v>[\w.–-]+?)(?:\s*\((?P<date>[^()]*)\))?(?:\s*:\s*(?P<pages>[\d–—-]+))?$", re.I
)
_DATE_PAGES = re.compile(r"^\((?P<date>[^()]*)\)\s*:\s*(?P<pages>[\d–—-]+)$")
_ISSUE = re.compile(
    r"^(?:no|nos|issue|iss)\.?\s*(?P<n>[\w–/-]+)(?:\s*\((?P<date>[^()]*)\))?(?:\s*:\s*(?P<pages>[\d–—-]+))?$", re.I
)
_JOURNAL_VOL = re.compile(
    r"^(?P<j>.*?\D)\s+(?P<v>\d+)(?:\s*\((?P<date>[^()]*)\))?(?:\s*:\s*(?P<pages>[\d–—-]+))?$"
)
_MEDIUM = re.compile(
    r"^\[\s*(?P<m>podcast|video|audio|radio|television|tv|film|documentary|interview|blog|tweet|twitter|facebook|weibo|wechat|speech|press release|online|e-?book|kindle|pdf|transcript|dataset|data set|in chinese|in italian|in english)\s*\]$",
    re.I,
)
_DURATION = re.compile(r"^\[?\s*(?P<d>\d{1,2}(?::\d\d){1,2}\s*(?:mins?|minutes|hrs?|hours)?|\d+\s*(?:mins?|minutes|hrs?|hours))\s*\]?$", re.I)
_REPORT = re.compile(
    r"^(?:[A-Z][\w&-]*\s+){0,2}(?:(?:special|research|working|policy|discussion|technical|occasional|annual|country|briefing|analysis|background|issues|strategic|white|conference|staff|statistical)\s+)*"
    r"(?:report|paper|brief|briefing|study|monograph|white paper|policy paper)(?:\s+(?:no\.?|number|series)\s*[\w./-]+)?$",
    re.I,
)
_ACCESSED = re.compile(r"^(?:last\s+)?(?:accessed|retrieved|viewed)\s+(?:on\s+)?(?P<date>.+)$", re.I)
_EDS_TAIL = re.compile(r"\s*\((?:eds?|editors?|ed|trans|comp|comps)\.?\)\s*$", re.I)

#: Words skipped when a key takes the first significant word of the title (English function
#: words only: "Di Maio" keeps "di", "It’s" keeps "its").
_STOPWORDS = {
    "a", "an", "the", "of", "on", "in", "at", "to", "for", "and", "or", "by", "with", "from",
    "as", "s",
}

_NAME_PARTICLES = {
    "de", "del", "della", "delle", "dei", "degli", "di", "da", "dal", "dalla", "dos", "das",
    "do", "du", "des", "van", "von", "der", "den", "ter", "ten", "la", "le", "lo", "bin",
    "ibn", "al", "el", "y", "st", "st.", "mac", "zu",
}
_ORG_WORDS = {
    "network", "institute", "institut", "institution", "center", "centre", "council",
    "ministry", "department", "university", "agency", "commission", "organization",
    "organisation", "office", "group", "committee", "bank", "foundation", "association",
    "society", "news", "press", "party", "government", "embassy", "consulate", "forum",
    "programme", "program", "project", "union", "board", "bureau", "service", "services",
    "federation", "league", "trust", "fund", "academy", "school", "college", "corporation",
    "company", "inc", "inc.", "ltd", "ltd.", "llc", "co.", "media", "research", "times", "post",
    "daily", "agenzia", "ministero", "governo", "xinhua", "reuters", "bloomberg", "associated",
    "world", "international", "national", "european", "global", "china", "chinese", "state",
    "republic", "people's", "people’s", "congress", "parliament", "senate", "assembly",
    "court", "authority", "administration", "secretariat", "council", "initiative", "alliance",
    "coalition", "observatory", "lab", "laboratory", "watch", "monitor", "tank", "think-tank",
    "studies", "affairs", "relations", "policy", "health", "who", "un", "eu", "nato", "oecd",
    "office", "house", "cnn", "bbc", "abc", "ansa", "pew", "statista", "twitter", "facebook",
}
_PUBLISHER_WORDS = {
    "press", "publishing", "publishers", "publisher", "publications", "books", "verlag",
    "editions", "éditions", "editore", "editori", "edizioni", "institute", "institution",
    "university", "center", "centre", "council", "foundation", "network", "routledge",
    "penguin", "palgrave", "macmillan", "springer", "wiley", "bloomsbury", "verso", "brill",
    "sage", "norton", "knopf", "harpercollins", "random", "allen", "unwin", "black", "inc",
    "inc.", "polity", "zed", "mulino", "laterza", "einaudi", "feltrinelli", "mondadori",
    "rizzoli", "cambridge", "oxford", "harvard", "yale", "princeton", "columbia", "stanford",
    "chicago", "california", "hong", "anu", "ucl", "mit", "research", "relations",
    "affairs", "studies", "office", "ministry", "commission", "bank", "agency", "group",
    "organisation", "organization", "association", "society", "academy", "fund", "trust",
    "library", "museum", "archive", "archives", "bureau", "chatham", "brookings", "rand",
    "lowy", "merics", "ifri", "ecfr", "ispi", "iai", "csis", "pew", "house",
    "出版社", "书局", "書局",
}
_PLACES = {
    "london", "new york", "paris", "rome", "roma", "milan", "milano", "beijing", "shanghai",
    "hong kong", "canberra", "sydney", "melbourne", "oxford", "cambridge", "washington",
    "washington, dc", "washington dc", "washington, d.c.", "berlin", "brussels", "taipei",
    "singapore", "tokyo", "boston", "chicago", "stanford", "princeton", "new haven",
    "honolulu", "berkeley", "seattle", "toronto", "vancouver", "geneva", "vienna", "madrid",
    "barcelona", "lisbon", "amsterdam", "leiden", "stockholm", "copenhagen", "oslo",
    "helsinki", "warsaw", "prague", "budapest", "athens", "moscow", "delhi", "new delhi",
    "seoul", "bologna", "turin", "torino", "florence", "firenze", "naples", "venice",
    "abingdon", "basingstoke", "durham", "ithaca", "lanham", "armonk", "cheltenham",
    "santa monica", "los angeles", "san francisco", "cambridge, ma", "cambridge, mass",
    "guangzhou", "shenzhen", "nanjing", "wuhan", "clayton", "perth", "brisbane", "adelaide",
    "wellington", "auckland", "ann arbor", "bloomington", "lawrence", "armidale", "kyoto",
    "honolulu", "montreal", "manila", "jakarta", "bangkok", "kuala lumpur", "hanoi",
}
_US_STATES = r"(?:DC|D\.C\.|MA|Mass\.|NY|N\.Y\.|CA|Calif\.|NJ|N\.J\.|CT|Conn\.|IL|Ill\.|MD|Md\.|VA|Va\.|PA|Pa\.|WA|NC|N\.C\.|MI|Mich\.|IN|HI|UK|ACT|NSW|Vic\.|Vic|Qld|QLD|UK|US|USA)"


def _clean(s: Optional[str]) -> Optional[str]:
    if s is None:
        return None
    s = s.strip().strip(",").strip()
    return s or None


def _is_abbreviation(s: str) -> bool:
    s = s.strip()
    return bool(re.fullmatch(r"[A-Z][A-Z0-9&.\-]*[A-Z0-9.]|[A-Z]{2,}[a-z]?[A-Z]*", s)) and len(s) <= 12


def ascii_letters(s: str, digits: bool = False) -> str:
    """Lowercase ASCII letters (and digits) of ``s``, diacritics stripped."""
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    pattern = r"[^a-z0-9]" if digits else r"[^a-z]"
    return re.sub(pattern, "", s.lower())


def parse_date(text: str) -> Optional[str]:
    """``21 January 2020`` -> ``2020-01-21``; ``January 2020`` -> ``2020-01``; ``2020`` -> ``2020``."""
    t = text.strip().strip(".,").strip()
    t = re.sub(r"\s+", " ", t)
    for rx in (_DATE_DMY, _DATE_MDY):
        m = rx.match(t)
        if m:
            month = MONTHS[m.group("m").lower().rstrip(".")]
            day = int(m.group("d"))
            if 1 <= day <= 31:
                return f"{m.group('y')}-{month:02d}-{day:02d}"
            return None
    m = re.match(rf"^(?P<m>{_MONTH_RE})\s*[/–-]\s*{_MONTH_RE}\s+(?P<y>{_YEAR_RE})$", t, re.I)
    if m:
        return f"{m.group('y')}-{MONTHS[m.group('m').lower().rstrip('.')]:02d}"
    m = _DATE_MY.match(t)
    if m:
        return f"{m.group('y')}-{MONTHS[m.group('m').lower().rstrip('.')]:02d}"
    m = _DATE_ISO.match(t)
    if m:
        return t
    m = re.fullmatch(r"(?P<y>\d{4})\s*年\s*(?:(?P<m>\d{1,2})\s*月\s*(?:(?P<d>\d{1,2})\s*日)?)?", t)
    if m:
        out = m.group("y")
        if m.group("m"):
            out += f"-{int(m.group('m')):02d}"
            if m.group("d"):
                out += f"-{int(m.group('d')):02d}"
        return out
    m = _DATE_Y.match(t)
    if m:
        return m.group("y")
    return None


# --------------------------------------------------------------------------------------------
# Scanning: quotes, brackets, top-level separators


def _closes_single(text: str, i: int) -> bool:
    """Is the ’ at ``text[i]`` a closing quote (rather than an apostrophe)?"""
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + 1 :]
    if re.match(_CLOSE_FOLLOW, nxt):
        # "Italians’ views" style plural possessive is followed by a letter, so it never gets
        # here; "the Lims’," would, and is rare in titles.
        return True
    if prev in "”\"" + _THIN or prev.isspace():
        return True
    return bool(re.match(r"\s+[\u3400-\u4dbf\u4e00-\u9fff]", nxt))  # ‘Title’ 原标题


def _closes_double(text: str, i: int) -> bool:
    return True


def scan(text: str, seps: str) -> tuple[list[str], bool]:
    """Split ``text`` at top-level separator characters in ``seps``.

    Top level = not inside ‘…’, “…”, "…", […] or (…). Returns the pieces and whether every
    quote/bracket was closed.
    """
    pieces: list[str] = []
    buf: list[str] = []
    stack: list[str] = []  # expected closers
    balanced = True
    i = 0
    n = len(text)
    while i < n:
        c = text[i]
        top = stack[-1] if stack else None
        if top in ("]", ")"):
            if c == top:
                stack.pop()
            elif c in "[(":
                stack.append("]" if c == "[" else ")")
            buf.append(c)
            i += 1
            continue
        if top == "’":
            if c in "’′" and _closes_single(text, i):
                stack.pop()
            elif c == "“":
                stack.append("”")
            buf.append(c)
            i += 1
            continue
        if top == "”":
            if c == "”":
                stack.pop()
            elif c == "‘" and (i == 0 or not text[i - 1].isalnum()):
                stack.append("’")
            buf.append(c)
            i += 1
            continue
        if top == '"':
            if c == '"':
                stack.pop()
            buf.append(c)
            i += 1
            continue
        if top == "'":
            if c == "'" and _closes_single(text, i):
                stack.pop()
            buf.append(c)
            i += 1
            continue
        # top level (or inside nothing)
        if c == "‘" and (i == 0 or not text[i - 1].isalnum()):
            stack.append("’")
        elif c == "“":
            stack.append("”")
        elif c == '"' and (i == 0 or not text[i - 1].isalnum()):
            stack.append('"')
        elif c == "'" and (i == 0 or not text[i - 1].isalnum()) and "'" in text[i + 1 :]:
            stack.append("'")
        elif c == "[":
            stack.append("]")
        elif c == "(":
            stack.append(")")
        elif c in seps:
            pieces.append("".join(buf))
            buf = []
            i += 1
            continue
        buf.append(c)
        i += 1
    if stack:
        balanced = False
    pieces.append("".join(buf))
    return pieces, balanced


def _strip_outer_quote(seg: str) -> tuple[Optional[str], str]:
    """If ``seg`` starts with a quoted title, return (title, rest)."""
    seg = seg.strip()
    if not seg or seg[0] not in "‘“\"'":
        return None, seg
    opener = seg[0]
    closer = {"‘": "’", "“": "”", '"': '"', "'": "'"}[opener]
    depth_double = 0
    for i in range(1, len(seg)):
        c = seg[i]
        if opener == "‘":
            if c == "“":
                depth_double += 1
            elif c == "”":
                depth_double = max(0, depth_double - 1)
            elif c in "’′" and _closes_single(seg, i):
                return seg[1:i], seg[i + 1 :]
        elif opener == "'":
            if c == "'" and _closes_single(seg, i):
                return seg[1:i], seg[i + 1 :]
        else:
            if c == closer:
                return seg[1:i], seg[i + 1 :]
    return None, seg


def _tidy_title(t: str) -> str:
    t = re.sub(f"[{_THIN}]+(?=[’”\"])", "", t)
    t = re.sub(f"(?<=[‘“])[{_THIN}]+", "", t)
    t = re.sub(f"[{_THIN}]", " ", t)
    t = re.sub(r"\s+", " ", t).strip()
    if t.endswith(",") and not t.endswith(",,"):
        t = t[:-1].rstrip()
    return t


# --------------------------------------------------------------------------------------------
# Splitting a note into works


_LEAD_IN = re.compile(
    r"^(?P<lead>(?:(?:[a-z]|(?:For|On|As|In|Also|Compare)\b)[^‘“\"'\[\];:]{0,240}?[\s,])?"
    r"(?i:see also|see, for example,?|see for example|see, e\.g\.,?|see|cf\.?|compare|"
    r"(?:was|were|is|are)\s+(?:quoted|cited)\s+in|quoted in|cited in|as cited in|reported in|"
    r"for example,?|e\.g\.,?|also)\s+)(?=\S)"
)
# prose before a "See …" that starts the citation, and "and" starting the next work of a list
_PROSE_LEAD = re.compile(r"^(?P<prose>[^;]{20,400}?[.!?)]\s+)(?=(?:See|Cf\.|Compare)\b)")
_AND_LEAD = re.compile(r"^(?P<lead>and\s+)(?=[‘“\"'A-Z])")


def _is_prose(text: str) -> bool:
    """Mostly lower-case words and no date, page or URL: a remark, not a citation."""
    if re.search(rf"\d{{1,2}}\s+{_MONTH_RE}\s+{_YEAR_RE}|\bpp?\.\s*\d|https?://|online at", text, re.I):
        return False
    words = re.findall(r"[^\W\d_][\w’'-]*", text)
    return len(words) >= 6 and sum(w[0].islower() for w in words) / len(words) > 0.5


# a page locator before the citation, as in the Yearbooks' early online notes:
# "Page 42, …", "Pages iii-iv, Topic of the section, see …"
_LOCATOR = re.compile(r"^(?P<loc>(?:pages?|pp?\.)\s*[\dxivlcdm]+(?:\s*[–—-]\s*[\dxivlcdm]+)?)\s*,\s*", re.I)


def _split_online(piece: str) -> list[str]:
    """Split after ``online at: [URL]`` when more text follows (a new citation or remark)."""
    out: list[str] = []
    rest = piece
    while True:
        pieces, _ = scan(rest, "\x00")  # no separators: just find top-level "online at"
        m = None
        for cand in _ONLINE.finditer(rest):
            # only accept matches at top level: check that the prefix is balanced
            _, ok = scan(rest[: cand.start()], "")
            if ok:
                m = cand
                break
        if not m:
            out.append(rest)
            break
        after = rest[m.end():]
        if after.strip(" .,") == "":
            out.append(rest)
            break
        out.append(rest[: m.end()])
        rest = after.lstrip(" .,")
    return out


# a URL broken by a PDF's line wrapping: "…/during- the-earliest…", "…/c_1126544371. htm",
# "https://www.newyorker.com/ culture/…": the piece after the space is lower-case URL text and
# the piece before ends where a wrap can fall (after "/", "-", "_", "=", "?", "&", "#" or ".")
_URL_WRAP = re.compile(
    r"(?P<url>(?:https?://|www\.)[^\s<>]*?(?:[/_=?&#-]|\.(?=\s+(?:s?html?|php|aspx?|pdf|jsp|cms)\b)))"
    r"\s+(?!(?:and|or|the|see|also|in|at|on|for|from|which|accessed|last|retrieved|viewed|via)(?:[\s,;.]|$))"
    r"(?=[a-z0-9_][a-z0-9/_.#?=&%~+-]*(?:[\s,;]|$))"
)


def join_wrapped_urls(text: str) -> str:
    """Close the spaces a PDF's line wrapping put inside URLs (see ``_URL_WRAP``)."""
    while True:
        joined = _URL_WRAP.sub(lambda m: m.group("url"), text)
        if joined == text:
            return text
        text = joined


def split_works(text: str) -> list[str]:
    """The citations in one note: split at top-level ``;`` and after ``online at:`` mid-note."""
    pieces, _ = scan(text, ";")
    out: list[str] = []
    for p in pieces:
        for q in _split_online(p):
            q = q.strip()
            if q:
                out.append(q)
    return out


# --------------------------------------------------------------------------------------------
# Remarks vs citations

_CITATION_SIGNALS = [
    re.compile(r"(?:^|[\s,;(\[])[‘“][^’”]{2,}[’”]\s*(?:\[[^\]]*\]\s*)?[,;.]?"),
    re.compile(r"online at\s*:|available at\s*:|https?://|www\.", re.I),
    re.compile(r"\bpp?\.\s*\d"),
    re.compile(r"^\s*ibid\b", re.I),
    re.compile(r"\[(?:podcast|video)\]", re.I),
    re.compile(rf",\s*\d{{1,2}}\s+{_MONTH_RE}\s+{_YEAR_RE}\s*(?:[,.;]|$)", re.I),
    re.compile(r"\bvol\.\s*\d|\bno\.\s*\d+\s*\(", re.I),
    re.compile(r"[A-Z][A-Za-z .]+:\s+[A-Z][^,]*(?:Press|Publishing|Books|Institute|University|Center|Centre)\b"),
]


def _sentences(text: str) -> int:
    return len(re.findall(r"[a-z0-9)’”][.!?]\s+[A-Z‘“]", text)) + (1 if re.search(r"[.!?]\s*$", text) else 0)


def is_remark(text: str) -> bool:
    """Does ``text`` read as prose (an explanatory remark) rather than a citation?"""
    t = text.strip()
    if not t:
        return True
    if any(rx.search(t) for rx in _CITATION_SIGNALS):
        return False
    words = re.findall(r"\S+", t)
    segments = [s for s in scan(t, ",;")[0] if s.strip()]
    avg = len(words) / max(1, len(segments))
    lower = sum(1 for w in words if w[:1].islower())
    if len(words) >= 12 and avg >= 6 and lower / len(words) > 0.35:
        return True
    if len(words) >= 8 and _sentences(t) >= 2 and lower / len(words) > 0.3:
        return True
    return False


def _piece_is_remark(text: str) -> bool:
    """A piece inside a citation note that is prose (e.g. a comment after the citation)."""
    t = text.strip()
    if any(rx.search(t) for rx in _CITATION_SIGNALS):
        return False
    words = re.findall(r"\S+", t)
    if len(words) < 6:
        return False
    lower = sum(1 for w in words if w[:1].islower())
    segments = [s for s in scan(t, ",")[0] if s.strip()]
    return lower / len(words) > 0.4 and len(words) / max(1, len(segments)) >= 5


# --------------------------------------------------------------------------------------------
# Names


def _looks_like_person(name: str) -> bool:
    tokens = name.replace("\u00a0", " ").split()
    if not tokens or len(tokens) > 6:
        return False
    if any(re.search(r"\d", t) for t in tokens):
        return False
    core = [t for t in tokens if t.lower() not in _NAME_PARTICLES]
    if not core or len(core) > 5:
        return False
    for t in tokens:
        bare = t.strip(".,")
        if t.lower() in _NAME_PARTICLES:
            continue
        if bare.lower() in _ORG_WORDS and len(tokens) > 1:
            return False
        if not (bare[:1].isupper() or _CJK.match(bare[:1]) or bare[:1] in "ÁÉÍÓÚÀÈÌÒÙÄÖÜÇÑŁŠŽ"):
            return False
    if len(tokens) == 1 and _is_abbreviation(tokens[0]) and len(tokens[0]) > 1 and not tokens[0].endswith("."):
        return False
    return True


#: Common Chinese surnames in pinyin (a name that starts with one may be written family first).
CHINESE_SURNAMES = frozenset("""
wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he lin luo gao zheng liang
xie song tang han feng deng cao peng zeng xiao tian dong pan yuan cai jiang yu du ye cheng wei
su lü ding ren lu yao shen zhong jin cui tan fan fang shi kong xing qin bai meng qiu hou wen
xue lei long duan hao kang shao mao yin qian gu dai jia xi qiao wan yan ni hong tao
""".split())
_PINYIN_SYLLABLE = (r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
                    r"(?:iang|iong|uang|ang|eng|ing|ong|ian|iao|uai|uan|ai|ei|ao|ou|an|en|in|un|ia|ie|iu|ua|uo|ue|ui|er|a|o|e|i|u|ü|v)")


def _pinyin_syllables(word: str) -> int:
    """How many pinyin syllables ``word`` splits into (0: it is not pinyin)."""
    w = unicodedata.normalize("NFKD", word.lower())
    w = "".join(c for c in w if not unicodedata.combining(c)).replace("'", "").replace("-", "")
    m = re.fullmatch(f"(?:{_PINYIN_SYLLABLE})+", w)
    return len(re.findall(_PINYIN_SYLLABLE, w)) if m else 0


def is_family_first(tokens: list[str]) -> bool:
    """Is a two-word romanised name written family name first (``Xi Jinping``)?

    Yes when the first word is a common Chinese surname and the second a pinyin given name of two
    or more syllables (``Jinping``); a family name in capitals decides (``YUAN Yang``). With a
    one-syllable given name (``Wang Yi``, ``Li Wei``, ``Han Zhang``, ``Yuan Yang``) the order
    cannot be told from the text: the Western order is kept.
    """
    if len(tokens) != 2:
        return False
    first, second = tokens
    if first.isalpha() and first.isupper() and len(first) > 1 and not second.isupper():
        return True
    if second.isalpha() and second.isupper() and len(second) > 1:
        return False
    if first.lower() not in CHINESE_SURNAMES:
        return False
    return _pinyin_syllables(second) >= 2


def parse_person(name: str) -> Person:
    """``Darren J. Lim`` -> Person("Lim", "Darren J."); ``Alessandro Di Battista`` -> family "Di Battista"."""
    name = re.sub(r"\s+", " ", name.strip())
    if "," in name:  # "Lim, Darren J."
        fam, giv = [x.strip() for x in name.split(",", 1)]
        return Person(fam, giv or None)
    if _CJK.search(name) and " " not in name:
        # 王毅: family name first, one character (two for compound surnames)
        fam_len = 2 if name[:2] in {"欧阳", "司马", "诸葛", "上官", "东方", "慕容", "令狐", "皇甫", "尉迟", "公孙"} else 1
        return Person(name[:fam_len], name[fam_len:] or None)
    tokens = name.split(" ")
    if len(tokens) == 1:
        return Person(tokens[0], None)
    if is_family_first(tokens):  # "Xi Jinping", "YUAN Yang"
        family = tokens[0].title() if tokens[0].isupper() else tokens[0]
        return Person(family, tokens[1])
    # suffixes
    suffix = None
    if tokens[-1].rstrip(".").lower() in {"jr", "sr", "ii", "iii", "iv"} and len(tokens) > 2:
        suffix = tokens.pop()
    start = len(tokens) - 1
    for i in range(1, len(tokens) - 1):
        if tokens[i].lower() in _NAME_PARTICLES:
            start = i
            break
    family = " ".join(tokens[start:])
    if suffix:
        family = f"{family} {suffix}"
    given = " ".join(tokens[:start]) or None
    return Person(family, given)


def _are_names(seg: str) -> bool:
    """``seg`` reads as one or more people's names ("Ann Lee", "Ann Lee and Bob Ray", or
    "and Bob Ray" closing a list)."""
    names = _split_names(re.sub(r"^(?:and|&)\s+", "", seg.strip()))
    return bool(names) and all(_looks_like_person(n) for n in names)


def _split_names(text: str) -> list[str]:
    text = re.sub(r"\s+", " ", text.strip())
    parts = re.split(r"\s*,\s*(?:and\s+|&\s*)?|\s+and\s+|\s*&\s*|\s+e\s+(?=[A-Z])", text)
    return [p for p in (x.strip() for x in parts) if p]


def _parse_authors(segs: list[str], work: Work) -> bool:
    """Fill authors/org_author from the author segments; False if they don't read as names."""
    text = ", ".join(s.strip() for s in segs if s.strip())
    if not text:
        return True
    if re.search(r"\bet al\.?$", text):
        work.et_al = True
        text = re.sub(r",?\s*et al\.?$", "", text)
    # corporate author with abbreviation: "European Think-tank Network on China (ETNC)"
    m = re.fullmatch(r"(?P<name>[^()]+?)\s*\((?P<abbr>[^()]{2,15})\)", text)
    if m and (_is_abbreviation(m.group("abbr")) or not _looks_like_person(m.group("name"))):
        work.org_author = text
        return True
    names = _split_names(text)
    if len(names) == 1:
        name = names[0]
        if _is_abbreviation(name) and not re.fullmatch(r"(?:[A-Z]\.\s*)+", name):
            work.org_author = name
            return True
        if _looks_like_person(name) and not (" " not in name and name.lower() in _ORG_WORDS):
            work.authors = [parse_person(name)]
            return True
        work.org_author = name
        return True
    if all(_looks_like_person(n) for n in names):
        work.authors = [parse_person(n) for n in names]
        return True
    # A single organisation whose name contains "and" ("Ministry of Foreign Affairs and Trade")
    if "," not in text:
        work.org_author = text
        return True
    return False


# --------------------------------------------------------------------------------------------
# One citation


def _trailing_period(s: str) -> str:
    s = s.rstrip()
    if s.endswith(".") and not s.endswith(".."):
        last = s.split()[-1] if s.split() else ""
        if re.fullmatch(r"(?:[A-Z]\.)+|(?:Inc|Ltd|Co|Jr|Sr|St|al|eds|ed|trans|pp?|no|vol|Ibid|ibid|D\.C|U\.S|mins?|Dr|Mr|Mrs|Ms|Prof)\.", last):
            if last.lower() in {"ibid.", "al."}:
                return s
            return s
        return s[:-1].rstrip()
    return s


def _place_publisher(seg: str) -> Optional[tuple[str, str]]:
    m = re.fullmatch(r"(?P<place>[^:]{2,60}?)\s*:\s*(?P<pub>[^:]{2,120})", seg.strip())
    if not m:
        return None
    place, pub = m.group("place").strip(), m.group("pub").strip()
    ptoks = place.replace(",", " ").split()
    if not (1 <= len(ptoks) <= 4) or any(re.search(r"\d", t) for t in ptoks):
        return None
    if not all(t[:1].isupper() or t.lower() in {"de", "am", "upon", "on", "la", "del", "and"} for t in ptoks):
        return None
    if re.search(r"\d", pub) and not re.search(r"(?:Press|Institute|Books)", pub):
        return None
    pub_words = {w.strip(".,()&").lower() for w in pub.split()}
    known_place = place.lower() in _PLACES or place.lower().split(",")[0].strip() in _PLACES
    if known_place or pub_words & _PUBLISHER_WORDS or _CJK.search(place):
        return place, pub
    return None


def _merge_place_segments(segs: list[str]) -> list[str]:
    """'Washington', 'DC: Pew Research Center' -> 'Washington, DC: Pew Research Center'."""
    out: list[str] = []
    for s in segs:
        st = s.strip()
        if out and re.fullmatch(_YEAR_RE, st) and re.fullmatch(rf"\d{{1,2}}\s+{_MONTH_RE}|{_MONTH_RE}\s+\d{{1,2}}", out[-1].strip(), re.I):
            out[-1] = out[-1].strip() + " " + st
        elif out and re.match(rf"^{_US_STATES}\s*:", st) and re.fullmatch(r"[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,2}", out[-1].strip()):
            out[-1] = out[-1].strip() + ", " + st
        elif out and out[-1].strip().lower() in _PLACES and ":" not in st and _place_publisher(f"{out[-1].strip()}: {st}"):
            out[-1] = f"{out[-1].strip()}: {st}"  # "New York, Oxford University Press"
        elif out and re.match(r"^(?:no|nos|issue)\.?\s*\d", st, re.I) and _JOURNAL_VOL.match(out[-1].strip()) and not _VOL.match(out[-1].strip()):
            out[-1] = out[-1].strip() + ", " + st
        else:
            out.append(s)
    return out


def _classify_meta(seg: str, work: Work, allow_container: bool) -> bool:
    """Try to read ``seg`` as metadata and store it on ``work``. Returns True if consumed."""
    s = seg.strip()
    if not s:
        return True
    m = _MEDIUM.match(s)
    if m:
        work.medium = m.group("m").strip().title() if m.group("m").islower() else m.group("m").strip()
        if work.medium.lower() == "podcast":
            work.medium = "Podcast"
        return True
    m = _DURATION.match(s)
    if m and ("[" in s or re.search(r"min|hr|hour", s, re.I)):
        work.duration = m.group("d").strip()
        return True
    m = _PAGES.match(s)
    if m:
        work.pages = re.sub(r"\s*([–—-])\s*", r"\1", m.group("pages")).replace("-", "–") if "-" in m.group("pages") and "–" not in m.group("pages") else re.sub(r"\s*([–—])\s*", r"\1", m.group("pages"))
        return True
    if re.fullmatch(r"n\.\s?d\.?|no date|undated", s, re.I):
        return True
    m = _ACCESSED.match(s)
    if m:
        work.leftovers.append(s)
        return True
    m = _URL.fullmatch(s)
    if m:
        work.url = s.strip("<>").rstrip(".,)")
        return True
    d = parse_date(s)
    if d:
        if work.date is None:
            work.date = d
        else:
            work.leftovers.append(s)
        return True
    m = _VOL.match(s) or _DATE_PAGES.match(s)
    if m and (m.re is _VOL or parse_date(m.group("date"))):
        if m.re is _VOL:
            work.volume = m.group("v")
        if m.group("date"):
            work.date = parse_date(m.group("date")) or work.date
        if m.group("pages"):
            work.pages = m.group("pages")
        return True
    m = _ISSUE.match(s)
    if m:
        work.issue = m.group("n")
        if m.group("date"):
            work.date = parse_date(m.group("date")) or work.date
        if m.group("pages"):
            work.pages = m.group("pages")
        return True
    if _REPORT.match(s):
        work.report_type = s
        return True
    pp = _place_publisher(s)
    if pp:
        work.place, work.publisher = pp
        return True
    if allow_container:
        # "Journal 12, no. 3 (2019): 45–67" (merged) or "Journal 12 (2019): 45–67"
        m = re.fullmatch(
            r"(?P<j>.*?\D)\s+(?P<v>\d+)\s*(?:,\s*(?:no|issue)\.?\s*(?P<n>[\w–/-]+))?\s*(?:\((?P<date>[^()]*)\))?(?:\s*:\s*(?P<pages>[\d–—-]+))?",
            s,
        )
        if m and (m.group("n") or m.group("date") or m.group("pages")) and work.container is None:
            work.container = m.group("j").strip()
            work.volume = m.group("v")
            if m.group("n"):
                work.issue = m.group("n")
            if m.group("date"):
                work.date = parse_date(m.group("date")) or work.date
            if m.group("pages"):
                work.pages = m.group("pages")
            return True
        # "Publisher, 2019" has no colon: a bare publisher after a book title
        if work.container is None:
            work.container = s
            return True
    return False


#: Words of organisations' names that do not make a name a publisher's: place and scope words,
#: and the words of newspapers and broadcasters (an outlet is a container, not a publisher).
_NOT_PUBLISHER_WORDS = {"china", "chinese", "world", "international", "national", "global", "state",
                        "european", "republic", "people's", "people’s", "news", "times", "post",
                        "daily", "media", "cnn", "bbc", "abc", "ansa", "twitter", "facebook"}


def _is_org_name(seg: str) -> bool:
    """A short capitalised name of an organisation that publishes ("Human Rights Watch")."""
    tokens = seg.split()
    if not 1 <= len(tokens) <= 6:
        return False
    if not all(t[:1].isupper() or t in {"of", "for", "and", "the", "on", "&"} for t in tokens):
        return False
    words = {t.strip(".,()").lower() for t in tokens}
    return bool(words & ((_ORG_WORDS | _PUBLISHER_WORDS) - _NOT_PUBLISHER_WORDS))


def _is_meta(seg: str) -> bool:
    probe = Work()
    return _classify_meta(seg, probe, allow_container=False) and bool(seg.strip())


def _lang_of(text: str, min_score: int = 1) -> Optional[str]:
    if _CJK.search(text):
        if re.search(r"[\u3040-\u30ff]", text):
            return "japanese"
        return "chinese"
    words = {w.lower() for w in re.findall(r"[A-Za-zÀ-ÿ]+", text)}
    scores = {
        "italian": len(words & {"il", "lo", "la", "gli", "i", "italiani", "italiano", "italiana", "mascherine", "della", "dello", "questo", "questa", "le", "di", "del", "della", "dei", "e", "che", "non", "per", "una", "un", "sono", "si", "noi", "alla", "nella", "sul", "su", "cina", "italia", "deve", "senza", "ancora", "cinese", "cinesi", "aiuti", "governo", "come", "più", "anche", "ma", "con", "dalla", "nel", "degli", "delle", "ai", "al"}),
        "french": len(words & {"le", "la", "les", "des", "du", "et", "est", "une", "pour", "dans", "sur", "au", "aux", "avec", "qui", "que", "chine", "pas"}),
        "spanish": len(words & {"el", "los", "las", "del", "y", "en", "una", "por", "para", "con", "que", "es", "china", "como"}),
        "german": len(words & {"der", "die", "das", "und", "ist", "mit", "für", "ein", "eine", "nicht", "auf", "den", "von", "zu"}),
    }
    best = max(scores, key=lambda k: scores[k])
    if scores[best] >= min_score:
        return best
    return None


def parse_work(text: str, note: int = 0, index: int = 0) -> Work:
    """Parse one citation (no ``;`` splitting). Never raises; may return kind ``unparsed``."""
    raw = text.strip()
    work = Work(raw=raw, note=note, index=index)
    s = raw
    # a page locator, and the topic of the section when a lead-in follows it
    m = _LOCATOR.match(s)
    if m:
        work.locator = m.group("loc")
        s = s[m.end():]
        topic = re.match(r"^(?P<topic>[^,‘“'\"]{2,120}?),\s*(?=(?:see|for|the|a|an|on|as)\b)", s)
        if topic and topic.group("topic")[:1].isupper():
            work.locator += ", " + topic.group("topic")
            s = s[topic.end():]
    # lead-in words: "For some of the children’s drawings, see ‘…’"; a remark in prose before
    # the citation ("…, has been tireless in his reporting. See, for example, ‘…’"); "and ‘…’"
    lead = None
    prose = _PROSE_LEAD.match(s)
    if prose and _is_prose(prose.group("prose")):
        m = _LEAD_IN.match(s[prose.end():])
        if m:
            lead = s[: prose.end()] + m.group("lead")
    if lead is None:
        m = _LEAD_IN.match(s) or _AND_LEAD.match(s)
        lead = m.group("lead") if m else None
    if lead:
        rest = s[len(lead):]
        if rest[:1] in "‘“\"'" or rest[:1].isupper() or rest[:1].isdigit() or _CJK.match(rest[:1] or " "):
            work.note_prefix = lead.strip().rstrip(",")
            s = rest
    # online at: URL (anywhere at top level, normally last)
    om = None
    for cand in _ONLINE.finditer(s):
        om = cand
    if om:
        work.online = True
        if om.group("url"):
            work.url = om.group("url").strip("<>").rstrip(".,;)")
        s = (s[: om.start()] + s[om.end():]).strip()
    s = s.strip().rstrip(",;").strip()
    s = _trailing_period(s).rstrip(",").strip()
    # Ibid.
    m = re.match(r"^ibid\.?\s*(?:,\s*(?P<rest>.*))?$", s, re.I)
    if m:
        work.ibid = True
        work.short_form = True
        if m.group("rest"):
            for seg in scan(m.group("rest"), ",")[0]:
                if not _classify_meta(seg, work, allow_container=False) and seg.strip():
                    work.leftovers.append(seg.strip())
        return work
    segs, balanced = scan(s, ",")
    if not balanced:
        work.kind = "unparsed"
        return work
    segs = [x.strip() for x in segs]
    segs = [x for x in segs if x]
    segs = _merge_place_segments(segs)
    # "Name, Name and Name, eds, Book Title": the names are the editors of the book
    eds = [i for i, x in enumerate(segs) if re.fullmatch(r"\(?eds?\.?\)?", x, re.I)]
    if eds and 0 < eds[0] < len(segs) - 1:
        work.edited = True
        del segs[eds[0]]
    if not segs:
        work.kind = "unparsed"
        return work

    # locate the quoted title
    qi = None
    for i, seg in enumerate(segs):
        if seg[:1] in "‘“\"'":
            t, rest = _strip_outer_quote(seg)
            if t is not None:
                qi = i
                break
    if qi is not None:
        title, rest = _strip_outer_quote(segs[qi])
        work.title = _tidy_title(title)
        rest = rest.strip()
        if rest.startswith("["):
            b = re.match(r"^\[(?P<b>.*)\]\s*(?P<after>.*)$", rest)
            if b:
                _set_bracket(work, b.group("b"))
                rest = b.group("after").strip()
        if rest and _CJK.search(rest) and not work.title_original:
            work.title_original = _tidy_title(rest)
        elif rest:
            work.leftovers.append(rest)
        if qi > 0 and not _parse_authors(segs[:qi], work):
            # author segments that are not names: keep them, don't guess
            work.leftovers.insert(0, ", ".join(segs[:qi]))
        after = segs[qi + 1 :]
        # a bracketed original title given as its own segment
        if after and after[0].startswith("[") and after[0].endswith("]") and not _MEDIUM.match(after[0]) and not _DURATION.match(after[0]):
            _set_bracket(work, after[0][1:-1])
            after = after[1:]
        _read_tail(after, work)
    else:
        # unquoted title: Author(s), Title, [Report type], Place: Publisher, date, pp.
        # a title that begins with a year ("Ray Huang, 1587, A Year of No Significance, …")
        if (len(segs) > 3 and _looks_like_person(segs[0]) and re.fullmatch(r"\d{3,4}", segs[1])
                and not _is_meta(segs[2])):
            segs[1:3] = [f"{segs[1]}, {segs[2]}"]
        m_idx = None
        for i in range(1, len(segs)):
            if _is_meta(segs[i]) or segs[i].lower().startswith("in "):
                m_idx = i
                break
        if m_idx is None:
            if len(segs) == 1:
                title_i = 0
            else:
                title_i = len(segs) - 1
                # "Author, Title, Publisher" with no colon/date: the title is the 2nd segment
                # only when the first one reads as names
                if len(segs) > 2 and _looks_like_person(segs[0]):
                    title_i = 1
                    while title_i < len(segs) - 1 and _looks_like_person(segs[title_i]):
                        title_i += 1
                    # names then title then container
        else:
            title_i = m_idx - 1
            # "Author, Title, Outlet or Organisation, date": after the names, the first other
            # segment is the title and the one after it, up to the metadata, its outlet or publisher
            if title_i > 1 and _are_names(segs[0]):
                first = next((i for i in range(1, title_i + 1) if not _are_names(segs[i])), title_i)
                if first == title_i - 1:
                    title_i = first
        t = segs[title_i]
        b = re.match(r"^(?P<t>.*?)\s*\[(?P<b>[^\]]*)\]$", t)
        if b and b.group("t"):
            t = b.group("t")
            _set_bracket(work, b.group("b"))
        tq, trest = _strip_outer_quote(t)
        work.title = _tidy_title(tq if tq is not None else t)
        if title_i > 0 and not _parse_authors(segs[:title_i], work):
            work.leftovers.insert(0, ", ".join(segs[:title_i]))
        _read_tail(segs[title_i + 1 :], work, unquoted=True)
    if not work.title:
        work.kind = "unparsed"
        return work
    work.kind = _decide_kind(work, quoted=qi is not None)
    if work.title_original:
        work.language = _lang_of(work.title_original)
    elif _CJK.search(work.title or ""):
        work.language = _lang_of(work.title)
    return work


def _set_bracket(work: Work, content: str) -> None:
    content = _tidy_title(content)
    if _MEDIUM.match(f"[{content}]"):
        work.medium = content
        return
    if _CJK.search(work.title or "") and not _CJK.search(content):
        work.title_translation = content
    else:
        work.title_original = content


def _read_tail(segs: list[str], work: Work, unquoted: bool = False) -> None:
    i = 0
    while i < len(segs):
        seg = segs[i].strip()
        # "in Jane Golley, Linda Jaivin and Sharon Strange (eds), Book Title"
        if seg.lower().startswith("in ") and work.container is None:
            j = i
            names = [seg[3:]]
            while not _EDS_TAIL.search(names[-1]) and j + 1 < len(segs) and all(
                _looks_like_person(n) for n in _split_names(_EDS_TAIL.sub("", segs[j + 1].strip())) or ["?"]
            ):
                j += 1
                names.append(segs[j].strip())
            if _EDS_TAIL.search(names[-1]):
                names[-1] = _EDS_TAIL.sub("", names[-1])
                eds = Work()
                if _parse_authors(names, eds):
                    work.editors = eds.authors
                if j + 1 < len(segs):
                    work.container = _strip_outer_quote(segs[j + 1])[0] or segs[j + 1].strip()
                    j += 1
                work.kind = "chapter"
                i = j + 1
                continue
            # "in Journal Name" without editors
            work.container = seg[3:].strip()
            i += 1
            continue
        if not _classify_meta(seg, work, allow_container=not unquoted or work.publisher is None and work.container is None and False):
            if not unquoted and (work.container is None or i > 0 and work.container == segs[i - 1].strip()):
                work.container = seg if work.container is None else f"{work.container}, {seg}"
            elif unquoted and work.publisher is None and work.container is None:
                # "Author, Title, Publisher, 2019" (no place)
                jm = re.fullmatch(r"(?P<j>.*?\D)\s+(?P<v>\d+)\s*(?:,\s*(?:no|issue)\.?\s*(?P<n>[\w–/-]+))?\s*(?:\((?P<date>[^()]*)\))?(?:\s*:\s*(?P<pages>[\d–—-]+))?", seg)
                if jm and (jm.group("n") or jm.group("date") or jm.group("pages")):
                    _classify_meta(seg, work, allow_container=True)
                else:
                    words = {w.strip(".,()").lower() for w in seg.split()}
                    if words & _PUBLISHER_WORDS or _is_org_name(seg):
                        work.publisher = seg
                    else:
                        work.container = seg
            else:
                work.leftovers.append(seg)
        i += 1


def _decide_kind(work: Work, quoted: bool) -> str:
    if work.kind == "chapter":
        return "chapter"
    if work.edited and not quoted:
        return "book"  # "Name and Name, eds, Title, Place: Publisher, 2009"
    med = (work.medium or "").lower()
    if med == "podcast" or (work.duration and med in {"", "audio", "radio"}):
        return "podcast"
    if med in {"video", "television", "tv", "film", "documentary"}:
        return "video"
    if work.volume or work.issue:
        return "journal"
    if work.report_type:
        return "report"
    cont = (work.container or "").lower()
    if re.search(r"\bblog\b|substack|medium\.com", cont) or med == "blog":
        return "blog"
    if work.publisher:
        pub_words = {w.strip(".,()").lower() for w in work.publisher.split()}
        bookish = bool(pub_words & {"press", "publishing", "publishers", "books", "verlag", "editions", "éditions", "edizioni", "editore", "routledge", "penguin", "palgrave", "macmillan", "springer", "wiley", "bloomsbury", "verso", "brill", "polity", "norton", "knopf", "einaudi", "laterza", "mulino", "mondadori", "feltrinelli", "出版社"})
        full_date = bool(work.date and len(work.date) >= 7)
        if bookish and not full_date and not work.org_author:
            return "book"
        if not quoted and (full_date or work.org_author or not bookish):
            return "report"
        if quoted and not work.container:
            return "report" if not bookish else "chapter"
        return "book" if bookish else "report"
    if not quoted:
        if work.container and not work.date:
            return "book"
        if work.container:
            return "web" if not work.date or len(work.date) < 10 else "news"
        return "book" if work.date else "web"
    if work.container:
        if work.date and len(work.date) >= 7:
            return "news"
        return "web"
    return "web"


# --------------------------------------------------------------------------------------------
# Short forms


def _norm_title(t: Optional[str]) -> str:
    t = unicodedata.normalize("NFKD", t or "")
    t = "".join(c for c in t if not unicodedata.combining(c))
    return re.sub(r"[^\w]+", " ", t.casefold()).strip()


def _author_tokens(w: Work) -> set[str]:
    toks: set[str] = set()
    for p in w.authors:
        toks.add(_norm_title(p.family))
        toks.add(_norm_title(p.family.split()[-1]))
    if w.org_author:
        toks.add(_norm_title(w.org_author))
        if w.org_abbr:
            toks.add(_norm_title(w.org_abbr))
        name = re.sub(r"\s*\([^()]*\)\s*$", "", w.org_author)
        toks.add(_norm_title(name))
    toks.discard("")
    return toks


def _could_be_short(w: Work) -> bool:
    return (
        w.kind not in ("unparsed",)
        and w.title is not None
        and w.date is None
        and w.container is None
        and w.publisher is None
        and w.url is None
        and not w.online
        and w.volume is None
        and w.issue is None
        and w.title_original is None
        and w.medium is None
    )


def _matches(short: Work, full: Work) -> bool:
    st, ft = _norm_title(short.title), _norm_title(full.title)
    if not st or not ft:
        return False
    title_ok = ft == st or ft.startswith(st + " ") or (len(st) >= 12 and ft.startswith(st))
    if not title_ok and full.title_original:
        fo = _norm_title(full.title_original)
        title_ok = fo == st or fo.startswith(st + " ")
    if not title_ok:
        return False
    sa = _author_tokens(short)
    if not sa:
        return True
    return bool(sa & _author_tokens(full))


# --------------------------------------------------------------------------------------------
# Keys


def _first_words(title: Optional[str]) -> list[str]:
    words = []
    for w in re.split(r"[\s\-–—/:]+", title or ""):
        a = ascii_letters(w.replace("’", "").replace("'", ""), digits=True)
        if a and a not in _STOPWORDS and not a.isdigit():
            words.append(a)
    return words


def key_name(w: Work) -> str:
    if w.authors:
        n = ascii_letters(w.authors[0].family)
        if n:
            return n
    if w.org_author:
        abbr = w.org_abbr
        name = abbr or w.org_author
        words = [x for x in re.split(r"[\s\-]+", name) if x]
        if not abbr and len(words) > 3:  # "Ministry of Foreign Affairs of the PRC" -> "mfaprc"
            name = "".join(x[0] for x in words if x[:1].isupper() and x.lower() not in _STOPWORDS)
        n = ascii_letters(name)
        if n:
            return n
    for cand in (w.container, w.publisher):
        if cand:
            n = ascii_letters(cand)
            if n:
                return n
    return "anon"


def make_key(w: Work, taken: set[str]) -> str:
    """``{name}{year}{word}``, disambiguated deterministically against ``taken``."""
    name = key_name(w)[:30]
    year = (w.date or "")[:4] or "nd"
    words = _first_words(w.title) or _first_words(w.raw) or ["untitled"]
    base = f"{name}{year}{words[0][:20]}"
    if base not in taken:
        return base
    if len(words) > 1:
        cand = base + words[1][:20]
        if cand not in taken:
            return cand
    for suffix in "bcdefghijklmnopqrstuvwxyz":
        cand = base + suffix
        if cand not in taken:
            return cand
    i = 2
    while f"{base}{i}" in taken:
        i += 1
    return f"{base}{i}"


# --------------------------------------------------------------------------------------------
# Notes


def parse_note(number: int, text: str, previous: Optional[list[Work]] = None, taken: Optional[set[str]] = None,
               last_work: Optional[Work] = None) -> Note:
    """Parse one note. ``previous``: full works cited so far (for short forms); ``taken``: keys
    used so far; ``last_work``: the previous note's last work (for Ibid.)."""
    previous = previous if previous is not None else []
    taken = taken if taken is not None else set()
    text = text if isinstance(text, str) else str(text)
    if not text.strip():
        return Note(number, text, False, [])
    try:
        if is_remark(text):
            return Note(number, text, False, [])
        pieces = split_works(join_wrapped_urls(text))
    except Exception:  # pragma: no cover - defensive: a parser bug must not lose a note
        pieces = [text]
    entries: list[Work] = []
    index = 0
    for piece in pieces:
        try:
            if entries and _piece_is_remark(piece):
                continue
            w = parse_work(piece, number, index + 1)
        except Exception as exc:  # pragma: no cover - defensive
            w = Work(kind="unparsed", raw=piece, note=number)
            w.leftovers.append(f"parser error: {exc.__class__.__name__}")
        index += 1
        w.index = index
        if w.ibid:
            target = entries[-1] if entries else last_work
            if target is not None and target.key:
                w.key = target.key if not target.short_form else target.key
                w.kind = target.kind
            else:
                w.kind = "unparsed"
                w.short_form = False
                warnings.warn(f"note {number}: ‘Ibid.’ with no earlier work to refer to: {piece!r}",
                              UnparsedCitationWarning, stacklevel=2)
        elif w.kind != "unparsed" and _could_be_short(w):
            target = next((f for f in reversed(previous) if _matches(w, f)), None)
            if target is not None:
                w.short_form = True
                w.key = target.key
                w.kind = target.kind
        if w.kind == "unparsed":
            warnings.warn(
                f"note {number}: could not parse citation {index}; kept as raw text: {piece[:120]!r}",
                UnparsedCitationWarning,
                stacklevel=2,
            )
        if not w.short_form:
            w.key = make_key(w, taken)
            taken.add(w.key)
            previous.append(w)
        entries.append(w)
    if not entries:
        w = Work(kind="unparsed", raw=text, note=number, index=1)
        w.key = make_key(w, taken)
        taken.add(w.key)
        warnings.warn(f"note {number}: no citation found; kept as raw text: {text[:120]!r}",
                      UnparsedCitationWarning, stacklevel=2)
        entries.append(w)
    return Note(number, text, True, entries)


def parse_notes(texts: Iterable[str], start: int = 1) -> list[Note]:
    """Parse notes in order (note numbers from ``start``), resolving short forms and Ibid."""
    previous: list[Work] = []
    taken: set[str] = set()
    notes: list[Note] = []
    last: Optional[Work] = None
    for i, text in enumerate(texts, start):
        note = parse_note(i, text, previous, taken, last)
        notes.append(note)
        if note.entries:
            last = note.entries[-1]
    return notes


def parse_file(path: str | Path) -> list[Note]:
    """Read and parse a notes file (note N = paragraph N)."""
    items = read_notes(path)
    notes = parse_notes([t for _, t in items])
    for note, (line, _) in zip(notes, items):
        note.line = line
    return notes


def full_works(notes: Iterable[Note]) -> list[Work]:
    """The distinct works cited (short forms and Ibid. left out), in order of first citation."""
    return [w for n in notes for w in n.entries if not w.short_form]


# --------------------------------------------------------------------------------------------
# CLI


def _parse_texts(texts: list[str]) -> list[dict]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnparsedCitationWarning)
        return [n.to_json() for n in parse_notes(texts)]


def _output(notes: list[Note], fmt: str) -> str:
    if fmt == "bib":
        return to_bibtex(bibliography_from_works(full_works(notes)))
    if fmt == "csl":
        return json.dumps(csl_items(full_works(notes)), ensure_ascii=False, indent=2) + "\n"
    return json.dumps([n.to_json() for n in notes], ensure_ascii=False, indent=2) + "\n"


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m maskbook.footnotes",
        description="Parse notes (one per blank-line separated paragraph) into the works they cite.",
    )
    ap.add_argument("notes", nargs="?", help="notes file (UTF-8; note N = paragraph N)")
    fmt = ap.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_const", dest="fmt", const="json",
                     help="print one JSON object per note (default)")
    fmt.add_argument("--bib", action="store_const", dest="fmt", const="bib", help="print the BibTeX of the cited works")
    fmt.add_argument("--csl", action="store_const", dest="fmt", const="csl",
                     help="print the cited works as CSL-JSON (read by Zotero, Pandoc, citeproc)")
    fmt.add_argument("--score", metavar="GOLD", type=Path,
                     help="print the parser's per-field accuracy against a gold file (development and held-out parts)")
    args = ap.parse_args(argv)
    if args.score is None and args.notes is None:
        ap.error("give a notes file, or --score GOLD")
    try:
        if args.score is not None:
            text = format_report(score(load_gold(args.score), _parse_texts)) + "\n"
        else:
            text = _output(parse_file(args.notes), args.fmt or "json")
    except NotesFormatError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (OSError, ValueError, KeyError) as exc:
        if args.score is None:
            raise
        print(f"error: {args.score}: cannot read the gold file ({exc})", file=sys.stderr)
        return 2
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        # the reader stopped early (``| head``): nothing more to say, and no traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
