"""Titles: where a citation's title is among its segments, quoted (``‘Title’``) or not, with its
bracketed original or translation and its language.

The segments before the title are read as its authors (:mod:`maskbook.notes.names`), those after
it as its container and details (:mod:`maskbook.notes.containers`).
"""
from __future__ import annotations

import re

from maskbook.notes.containers import is_duration, is_medium, is_meta, read_tail
from maskbook.notes.model import Work
from maskbook.notes.names import are_names, looks_like_person, parse_authors
from maskbook.notes.text import CJK, strip_outer_quote, tidy_title

_ITALIAN = {
    "il", "lo", "la", "gli", "i", "italiani", "italiano", "italiana", "mascherine", "della", "dello", "questo",
    "questa", "le", "di", "del", "dei", "e", "che", "non", "per", "una", "un", "sono", "si", "noi", "alla",
    "nella", "sul", "su", "cina", "italia", "deve", "senza", "ancora", "cinese", "cinesi", "aiuti", "governo",
    "come", "più", "anche", "ma", "con", "dalla", "nel", "degli", "delle", "ai", "al",
}
_FRENCH = {
    "le", "la", "les", "des", "du", "et", "est", "une", "pour", "dans", "sur", "au", "aux", "avec", "qui", "que",
    "chine", "pas",
}
_SPANISH = {"el", "los", "las", "del", "y", "en", "una", "por", "para", "con", "que", "es", "china", "como"}
_GERMAN = {"der", "die", "das", "und", "ist", "mit", "für", "ein", "eine", "nicht", "auf", "den", "von", "zu"}


def lang_of(text: str, min_score: int = 1) -> str | None:
    """The language of a title (``chinese``, ``italian`` …) when its script or at least
    ``min_score`` of its function words tell it; None otherwise."""
    if CJK.search(text):
        if re.search(r"[\u3040-\u30ff]", text):
            return "japanese"
        return "chinese"
    words = {w.lower() for w in re.findall(r"[A-Za-zÀ-ÿ]+", text)}
    scores = {
        "italian": len(words & _ITALIAN),
        "french": len(words & _FRENCH),
        "spanish": len(words & _SPANISH),
        "german": len(words & _GERMAN),
    }
    best = max(scores, key=lambda k: scores[k])
    if scores[best] >= min_score:
        return best
    return None


def set_bracket(work: Work, content: str) -> None:
    """A bracket after a title: its medium (``[Podcast]``), the English of a Chinese title, or the
    original of a translated one."""
    content = tidy_title(content)
    if is_medium(f"[{content}]"):
        work.medium = content
        return
    if CJK.search(work.title or "") and not CJK.search(content):
        work.title_translation = content
    else:
        work.title_original = content


def quoted_title_index(segs: list[str]) -> int | None:
    """The first segment that starts with a quoted title."""
    for i, seg in enumerate(segs):
        if seg[:1] in "‘“\"'" and strip_outer_quote(seg)[0] is not None:
            return i
    return None


def read_quoted(segs: list[str], qi: int, work: Work) -> None:
    """``Authors, ‘Title’ [Original], Container, details``: the title is ``segs[qi]``."""
    title, rest = strip_outer_quote(segs[qi])
    work.title = tidy_title(title)
    rest = rest.strip()
    if rest.startswith("["):
        b = re.match(r"^\[(?P<b>.*)\]\s*(?P<after>.*)$", rest)
        if b:
            set_bracket(work, b.group("b"))
            rest = b.group("after").strip()
    if rest and CJK.search(rest) and not work.title_original:
        work.title_original = tidy_title(rest)
    elif rest:
        work.leftovers.append(rest)
    if qi > 0 and not parse_authors(segs[:qi], work):
        # author segments that are not names: keep them, don't guess
        work.leftovers.insert(0, ", ".join(segs[:qi]))
    after = segs[qi + 1 :]
    # a bracketed original title given as its own segment
    if after and after[0].startswith("[") and after[0].endswith("]") and not is_medium(after[0]) and not is_duration(after[0]):
        set_bracket(work, after[0][1:-1])
        after = after[1:]
    read_tail(after, work)


def _unquoted_title_index(segs: list[str]) -> int:
    """Which segment is the title when none is quoted: the one before the first detail, after
    the names that lead."""
    m_idx = next((i for i in range(1, len(segs)) if is_meta(segs[i]) or segs[i].lower().startswith("in ")), None)
    if m_idx is None:
        if len(segs) == 1:
            return 0
        # "Author, Title, Publisher" with no colon/date: the title is the 2nd segment
        # only when the first one reads as names
        if len(segs) > 2 and looks_like_person(segs[0]):
            title_i = 1
            while title_i < len(segs) - 1 and looks_like_person(segs[title_i]):
                title_i += 1
            return title_i  # names then title then container
        return len(segs) - 1
    title_i = m_idx - 1
    # "Author, Title, Outlet or Organisation, date": after the names, the first other
    # segment is the title and the one after it, up to the metadata, its outlet or publisher
    if title_i > 1 and are_names(segs[0]):
        first = next((i for i in range(1, title_i + 1) if not are_names(segs[i])), title_i)
        if first == title_i - 1:
            title_i = first
    return title_i


def read_unquoted(segs: list[str], work: Work) -> None:
    """``Author(s), Title, [Report type], Place: Publisher, date, pp.`` with no quotes."""
    # a title that begins with a year ("Ray Huang, 1587, A Year of No Significance, …")
    if len(segs) > 3 and looks_like_person(segs[0]) and re.fullmatch(r"\d{3,4}", segs[1]) and not is_meta(segs[2]):
        segs[1:3] = [f"{segs[1]}, {segs[2]}"]
    title_i = _unquoted_title_index(segs)
    t = segs[title_i]
    b = re.match(r"^(?P<t>.*?)\s*\[(?P<b>[^\]]*)\]$", t)
    if b and b.group("t"):
        t = b.group("t")
        set_bracket(work, b.group("b"))
    tq, _ = strip_outer_quote(t)
    work.title = tidy_title(tq if tq is not None else t)
    if title_i > 0 and not parse_authors(segs[:title_i], work):
        work.leftovers.insert(0, ", ".join(segs[:title_i]))
    read_tail(segs[title_i + 1 :], work, unquoted=True)
