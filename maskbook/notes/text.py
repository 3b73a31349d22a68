"""The characters of a note: scripts and spaces, and the scanner for quotes and brackets.

The readers split a note into citations, and a citation into segments, with :func:`scan`, which
splits at separators only at the top level, outside ‘…’, “…”, "…", […] and (…), telling a closing
’ from an apostrophe.
"""
from __future__ import annotations

import re
import unicodedata

#: Thin, hair, no-break and other typographic spaces (kept by whitespace folding).
THIN = "\u2009\u200a\u202f\u00a0\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u205f\u3000"
#: Chinese and Japanese characters and full-width forms.
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
_CLOSE_FOLLOW = r"""[\s]*(?:[,;.:\[\]\)!?]|$)"""


def is_abbreviation(s: str) -> bool:
    """``ETNC``, ``U.S.``, ``MERICS``: short, in capitals."""
    s = s.strip()
    return bool(re.fullmatch(r"[A-Z][A-Z0-9&.\-]*[A-Z0-9.]|[A-Z]{2,}[a-z]?[A-Z]*", s)) and len(s) <= 12


def ascii_letters(s: str, digits: bool = False) -> str:
    """Lowercase ASCII letters (and digits) of ``s``, diacritics stripped."""
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    pattern = r"[^a-z0-9]" if digits else r"[^a-z]"
    return re.sub(pattern, "", s.lower())


def _closes_single(text: str, i: int) -> bool:
    """Is the ’ at ``text[i]`` a closing quote (rather than an apostrophe)?"""
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + 1 :]
    if re.match(_CLOSE_FOLLOW, nxt):
        # "Italians’ views" style plural possessive is followed by a letter, so it never gets
        # here; "the Lims’," would, and is rare in titles.
        return True
    if prev in "”\"" + THIN or prev.isspace():
        return True
    return bool(re.match(r"\s+[\u3400-\u4dbf\u4e00-\u9fff]", nxt))  # ‘Title’ 原标题


#: For each opener, the closer that ends it.
_CLOSERS = {"‘": "’", "“": "”", '"': '"', "'": "'", "[": "]", "(": ")"}


def _inside(text: str, i: int, stack: list[str]) -> None:
    """Inside a quote or bracket (``stack[-1]`` is its closer): close it or open a nested one."""
    c, top = text[i], stack[-1]
    if top in ("]", ")"):
        if c == top:
            stack.pop()
        elif c in "[(":
            stack.append(_CLOSERS[c])
    elif top == "’":
        if c in "’′" and _closes_single(text, i):
            stack.pop()
        elif c == "“":
            stack.append("”")
    elif top == "”":
        if c == "”":
            stack.pop()
        elif c == "‘" and (i == 0 or not text[i - 1].isalnum()):
            stack.append("’")
    elif top == '"':
        if c == '"':
            stack.pop()
    elif top == "'":
        if c == "'" and _closes_single(text, i):
            stack.pop()


def _opens(text: str, i: int) -> str | None:
    """At the top level: the closer that the character at ``i`` opens, if it opens anything."""
    c = text[i]
    after_word = i > 0 and text[i - 1].isalnum()
    if c in "‘\"" and not after_word:
        return _CLOSERS[c]
    if c == "'" and not after_word and "'" in text[i + 1 :]:
        return "'"
    if c in "“[(":
        return _CLOSERS[c]
    return None


def scan(text: str, seps: str) -> tuple[list[str], bool]:
    """Split ``text`` at top-level separator characters in ``seps``.

    Top level = not inside ‘…’, “…”, "…", […] or (…). Returns the pieces and whether every
    quote/bracket was closed.
    """
    pieces: list[str] = []
    buf: list[str] = []
    stack: list[str] = []  # expected closers
    for i, c in enumerate(text):
        if stack:
            _inside(text, i, stack)
        else:
            closer = _opens(text, i)
            if closer:
                stack.append(closer)
            elif c in seps:
                pieces.append("".join(buf))
                buf = []
                continue
        buf.append(c)
    pieces.append("".join(buf))
    return pieces, not stack


def strip_outer_quote(seg: str) -> tuple[str | None, str]:
    """If ``seg`` starts with a quoted title, return (title, rest)."""
    seg = seg.strip()
    if not seg or seg[0] not in "‘“\"'":
        return None, seg
    opener = seg[0]
    closer = {"‘": "’", "“": "”", '"': '"', "'": "'"}[opener]
    for i in range(1, len(seg)):
        c = seg[i]
        if opener == "‘":
            if c in "’′" and _closes_single(seg, i):
                return seg[1:i], seg[i + 1 :]
        elif opener == "'":
            if c == "'" and _closes_single(seg, i):
                return seg[1:i], seg[i + 1 :]
        else:
            if c == closer:
                return seg[1:i], seg[i + 1 :]
    return None, seg


def tidy_title(t: str) -> str:
    """Typographic spaces inside quotes dropped, others made plain; a trailing comma dropped."""
    t = re.sub(f"[{THIN}]+(?=[’”\"])", "", t)
    t = re.sub(f"(?<=[‘“])[{THIN}]+", "", t)
    t = re.sub(f"[{THIN}]", " ", t)
    t = re.sub(r"\s+", " ", t).strip()
    if t.endswith(",") and not t.endswith(",,"):
        t = t[:-1].rstrip()
    return t
