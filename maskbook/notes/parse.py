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
a :class:`~maskbook.notes.model.UnparsedCitationWarning` names the note: nothing is dropped
silently.

This module reads the notes file, splits each note into citations and each citation into its
parts, handing each part to the module that reads it (:mod:`~maskbook.notes.prose`,
:mod:`~maskbook.notes.urls`, :mod:`~maskbook.notes.titles`, :mod:`~maskbook.notes.names`,
:mod:`~maskbook.notes.containers`, :mod:`~maskbook.notes.dates`), then ties short forms and Ibid.
to the works they point back to (:mod:`~maskbook.notes.keys`). Pure Python, no network. Nothing
here knows the 19 notes of the source article.
"""
from __future__ import annotations

import re
import warnings
from collections.abc import Iterable
from pathlib import Path

from maskbook.notes.containers import classify_meta, decide_kind, merge_place_segments
from maskbook.notes.keys import could_be_short, is_short_form_of, make_key
from maskbook.notes.model import Note, NotesFormatError, UnparsedCitationWarning, Work
from maskbook.notes.prose import is_remark, piece_is_remark, take_lead_in, take_locator
from maskbook.notes.text import CJK, scan
from maskbook.notes.titles import lang_of, quoted_title_index, read_quoted, read_unquoted
from maskbook.notes.urls import join_wrapped_urls, split_online, take_online

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
# One citation


def split_works(text: str) -> list[str]:
    """The citations in one note: split at top-level ``;`` and after ``online at:`` mid-note."""
    pieces, _ = scan(text, ";")
    out: list[str] = []
    for p in pieces:
        for q in split_online(p):
            q = q.strip()
            if q:
                out.append(q)
    return out


_KEEPS_PERIOD = re.compile(
    r"(?:[A-Z]\.)+|(?:Inc|Ltd|Co|Jr|Sr|St|al|eds|ed|trans|pp?|no|vol|Ibid|ibid|D\.C|U\.S|mins?|Dr|Mr|Mrs|Ms|Prof)\."
)


def _trailing_period(s: str) -> str:
    """The citation's closing full stop dropped, unless it ends an abbreviation."""
    s = s.rstrip()
    if s.endswith(".") and not s.endswith(".."):
        last = s.split()[-1] if s.split() else ""
        return s if _KEEPS_PERIOD.fullmatch(last) else s[:-1].rstrip()
    return s


def _read_ibid(s: str, work: Work) -> bool:
    """``Ibid.``, ``Ibid., p. 5``: a short form of the work before it, with its own details."""
    m = re.match(r"^ibid\.?\s*(?:,\s*(?P<rest>.*))?$", s, re.I)
    if not m:
        return False
    work.ibid = True
    work.short_form = True
    if m.group("rest"):
        for seg in scan(m.group("rest"), ",")[0]:
            if not classify_meta(seg, work, allow_container=False) and seg.strip():
                work.leftovers.append(seg.strip())
    return True


def _segments(s: str, work: Work) -> list[str]:
    """The citation's top-level comma-separated segments, place and publisher joined again and an
    ``eds`` between the editors and the title taken out; none when a quote or bracket is open."""
    segs, balanced = scan(s, ",")
    if not balanced:
        return []
    segs = merge_place_segments([x for x in (x.strip() for x in segs) if x])
    # "Name, Name and Name, eds, Book Title": the names are the editors of the book
    eds = [i for i, x in enumerate(segs) if re.fullmatch(r"\(?eds?\.?\)?", x, re.I)]
    if eds and 0 < eds[0] < len(segs) - 1:
        work.edited = True
        del segs[eds[0]]
    return segs


def parse_work(text: str, note: int = 0, index: int = 0) -> Work:
    """Parse one citation (no ``;`` splitting). Never raises; may return kind ``unparsed``."""
    raw = text.strip()
    work = Work(raw=raw, note=note, index=index)
    s = take_online(take_lead_in(take_locator(raw, work), work), work)
    s = _trailing_period(s.strip().rstrip(",;").strip()).rstrip(",").strip()
    if _read_ibid(s, work):
        return work
    segs = _segments(s, work)
    if not segs:
        work.kind = "unparsed"
        return work
    qi = quoted_title_index(segs)
    if qi is not None:
        read_quoted(segs, qi, work)
    else:
        read_unquoted(segs, work)
    if not work.title:
        work.kind = "unparsed"
        return work
    work.kind = decide_kind(work, quoted=qi is not None)
    if work.title_original:
        work.language = lang_of(work.title_original)
    elif CJK.search(work.title or ""):
        work.language = lang_of(work.title)
    return work


# --------------------------------------------------------------------------------------------
# Notes


def _work_or_remark(piece: str, number: int, index: int, after_work: bool) -> Work | None:
    """The work a piece of a note cites; None for a remark after a work."""
    try:
        if after_work and piece_is_remark(piece):
            return None
        return parse_work(piece, number, index)
    except Exception as exc:  # pragma: no cover - defensive: a parser bug must not lose a citation
        w = Work(kind="unparsed", raw=piece, note=number)
        w.leftovers.append(f"parser error: {exc.__class__.__name__}")
        return w


def _refer_back(w: Work, piece: str, entries: list[Work], previous: list[Work], last_work: Work | None) -> None:
    """An Ibid. takes the key and kind of the work before it; a short form those of the earlier
    full work it matches."""
    if w.ibid:
        target = entries[-1] if entries else last_work
        if target is not None and target.key:
            w.key = target.key
            w.kind = target.kind
        else:
            w.kind = "unparsed"
            w.short_form = False
            warnings.warn(f"note {w.note}: ‘Ibid.’ with no earlier work to refer to: {piece!r}",
                          UnparsedCitationWarning, stacklevel=3)
    elif w.kind != "unparsed" and could_be_short(w):
        target = next((f for f in reversed(previous) if is_short_form_of(w, f)), None)
        if target is not None:
            w.short_form = True
            w.key = target.key
            w.kind = target.kind


def parse_note(number: int, text: str, previous: list[Work] | None = None, taken: set[str] | None = None,
               last_work: Work | None = None) -> Note:
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
    for piece in pieces:
        w = _work_or_remark(piece, number, len(entries) + 1, bool(entries))
        if w is None:
            continue
        w.index = len(entries) + 1
        _refer_back(w, piece, entries, previous, last_work)
        if w.kind == "unparsed":
            warnings.warn(f"note {number}: could not parse citation {w.index}; kept as raw text: {piece[:120]!r}",
                          UnparsedCitationWarning, stacklevel=2)
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
    last: Work | None = None
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


def notes_json(texts: list[str]) -> list[dict]:
    """The ``--json`` form of the parse of ``texts``, warnings of unread citations silenced."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnparsedCitationWarning)
        return [n.to_json() for n in parse_notes(texts)]
