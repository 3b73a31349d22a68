"""Dates as the notes print them, read into ISO form: ``21 January 2020`` -> ``2020-01-21``.

Also the month and year patterns that other readers use to recognise a date inside a note.
"""
from __future__ import annotations

import re

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
#: A month's name or abbreviation (match case-insensitively).
MONTH_RE = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
#: A year from 1600 to 2099.
YEAR_RE = r"(?:1[6-9]\d\d|20\d\d)"
_DATE_DMY = re.compile(rf"^(?P<d>\d{{1,2}})\s+(?P<m>{MONTH_RE})\s*,?\s+(?P<y>{YEAR_RE})$", re.I)
_DATE_MDY = re.compile(rf"^(?P<m>{MONTH_RE})\s+(?P<d>\d{{1,2}}),?\s+(?P<y>{YEAR_RE})$", re.I)
_MONTH_RANGE = re.compile(rf"^(?P<m>{MONTH_RE})\s*[/–-]\s*{MONTH_RE}\s+(?P<y>{YEAR_RE})$", re.I)
_DATE_MY = re.compile(rf"^(?:(?:early|mid|late)[- ])?(?P<m>{MONTH_RE})\s+(?P<y>{YEAR_RE})$", re.I)
_DATE_Y = re.compile(rf"^\(?(?P<y>{YEAR_RE})\)?(?:\s*[–-]\s*\d{{2,4}})?[a-z]?$")
_DATE_ISO = re.compile(rf"^(?P<y>{YEAR_RE})-(?P<m>\d\d)(?:-(?P<d>\d\d))?$")
_DATE_CJK = re.compile(r"(?P<y>\d{4})\s*年\s*(?:(?P<m>\d{1,2})\s*月\s*(?:(?P<d>\d{1,2})\s*日)?)?")


def _month(name: str) -> int:
    return MONTHS[name.lower().rstrip(".")]


def parse_date(text: str) -> str | None:
    """``21 January 2020`` -> ``2020-01-21``; ``January 2020`` -> ``2020-01``; ``2020`` -> ``2020``."""
    t = text.strip().strip(".,").strip()
    t = re.sub(r"\s+", " ", t)
    for rx in (_DATE_DMY, _DATE_MDY):
        m = rx.match(t)
        if m:
            day = int(m.group("d"))
            if 1 <= day <= 31:
                return f"{m.group('y')}-{_month(m.group('m')):02d}-{day:02d}"
            return None
    m = _MONTH_RANGE.match(t) or _DATE_MY.match(t)
    if m:
        return f"{m.group('y')}-{_month(m.group('m')):02d}"
    if _DATE_ISO.match(t):
        return t
    m = _DATE_CJK.fullmatch(t)
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
