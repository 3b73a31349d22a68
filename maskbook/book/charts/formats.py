"""How the book's charts write dates, percentages and large numbers (one style for every chart).

- days as "25 Mar 2020" (a month alone as "Mar 2020"), never ISO dates;
- percentages with a true minus sign ("−3%", "+3,129%") and thousands separators, as on the axes;
- large numbers in words: "2.3 million masks", "€3.18 billion".
"""
from __future__ import annotations

from datetime import date

#: plotly's (d3's) formats for date axes: tick labels and hover.
DAY_TICKS = "%-d %b"
MONTH_TICKS = "%b"
DAY_HOVER = "%-d %b %Y"
#: plotly's (d3's) format for percentage axes: thousands separated, as the labels beside the bars.
PERCENT_TICKS = ",.0f"
MINUS = "\u2212"


def day(iso: str) -> str:
    """``2020-03-25`` -> ``25 Mar 2020``; ``2020-03`` -> ``Mar 2020``."""
    if len(iso) == 7:
        return date.fromisoformat(f"{iso}-01").strftime("%b %Y")
    d = date.fromisoformat(iso[:10])
    return f"{d.day} {d.strftime('%b %Y')}"


def number(v: float, decimals: int = 0, signed: bool = False) -> str:
    """``-3`` -> ``−3``; ``3129`` -> ``3,129`` (``+3,129`` when ``signed``)."""
    text = f"{v:{'+' if signed else ''},.{decimals}f}"
    return text.replace("-", MINUS)


def percent(v: float, decimals: int = 0, signed: bool = False) -> str:
    return number(v, decimals, signed) + "%"


def millions(n: float) -> str:
    """``2300000`` -> ``2.3 million``; ``150000`` -> ``0.15 million``; ``100000000`` -> ``100 million``."""
    m = n / 1e6
    text = f"{m:,.2f}".rstrip("0").rstrip(".") if m < 10 else f"{m:,.0f}"
    return f"{text} million"


def count(n) -> str:
    """A quantity as the charts print it: ``5000`` -> ``5,000``; a million or more in words."""
    return millions(n) if n >= 1e6 else f"{int(n):,}"


def words(n: int) -> str:
    """A small count in words (``3`` -> ``three``), as titles write it."""
    names = "no one two three four five six seven eight nine ten".split()
    return names[n] if 0 <= n < len(names) else f"{n:,}"
