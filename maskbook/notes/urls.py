"""URLs and the words that announce them: ``online at: URL``, ``accessed 3 May 2020``.

Also URLs that a PDF's line wrapping broke with a space, joined again before anything else reads
the note.
"""
from __future__ import annotations

import re

from maskbook.notes.model import Work
from maskbook.notes.text import scan

_URL = re.compile(r"<?(?:https?://|www\.)[^\s<>]+>?")
_ONLINE = re.compile(
    r"(?:online at|available at|available from|available online at|online|(?<![\w’'])at)\s*:\s*"
    r"(?P<url><?(?:https?://|www\.)[^\s<>]+>?)?",
    re.I,
)
_ACCESSED = re.compile(r"^(?:last\s+)?(?:accessed|retrieved|viewed)\s+(?:on\s+)?(?P<date>.+)$", re.I)

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


def split_online(piece: str) -> list[str]:
    """Split after ``online at: [URL]`` when more text follows (a new citation or remark)."""
    out: list[str] = []
    rest = piece
    while True:
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


def take_online(s: str, work: Work) -> str:
    """Read the last ``online at: [URL]`` of a citation into ``work``; the citation without it."""
    om = None
    for cand in _ONLINE.finditer(s):
        om = cand
    if om:
        work.online = True
        if om.group("url"):
            work.url = om.group("url").strip("<>").rstrip(".,;)")
        s = (s[: om.start()] + s[om.end():]).strip()
    return s


def bare_url(segment: str) -> str | None:
    """The URL when the whole segment is one (``<…>`` and trailing punctuation dropped)."""
    if _URL.fullmatch(segment):
        return segment.strip("<>").rstrip(".,)")
    return None


def is_access_note(segment: str) -> bool:
    """``accessed 3 May 2020``, ``last retrieved on …``: when a URL was read."""
    return bool(_ACCESSED.match(segment))
