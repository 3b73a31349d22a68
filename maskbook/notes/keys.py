"""Which work a citation is: the key of a full work (``lim2020mask``), and the earlier full work
that a short form (``ETNC, Covid-19 and China``) points back to.
"""
from __future__ import annotations

import re
import unicodedata

from maskbook.notes.model import Work
from maskbook.notes.text import ascii_letters

#: Words skipped when a key takes the first significant word of the title (English function
#: words only: "Di Maio" keeps "di", "It’s" keeps "its").
_STOPWORDS = {
    "a", "an", "the", "of", "on", "in", "at", "to", "for", "and", "or", "by", "with", "from",
    "as", "s",
}


def _norm_title(t: str | None) -> str:
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


def could_be_short(w: Work) -> bool:
    """A title with at most an author: nothing that only a full citation gives."""
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


def is_short_form_of(short: Work, full: Work) -> bool:
    """Does ``short`` (its title a start of the full title, its author one of the full work's)
    point back to ``full``?"""
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


def _first_words(title: str | None) -> list[str]:
    words = []
    for w in re.split(r"[\s\-–—/:]+", title or ""):
        a = ascii_letters(w.replace("’", "").replace("'", ""), digits=True)
        if a and a not in _STOPWORDS and not a.isdigit():
            words.append(a)
    return words


def key_name(w: Work) -> str:
    """The name part of a key: the first author's family name, the organisation (its abbreviation
    or initials), else the outlet or publisher; ``anon`` when there is none."""
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
