"""How the book's charts write dates, percentages and large numbers (one style for every chart),
in the current language (``maskbook.language``), by Babel, never by hand:

- days as "25 Mar 2020" / "25 mar 2020" (a month alone as "Mar 2020"), never ISO dates;
- percentages with a true minus sign ("−3%", "+3,129%" / "+3.129%") and thousands separators;
- large numbers in words: "2.3 million masks" / "2,3 milioni", "€3.18 billion" / "3,18 miliardi di euro".

plotly.js writes month names in English only: date axes in another language get their tick
labels from here (``tick_label``, used by ``maskbook.book.charts.fit``).
"""
from __future__ import annotations

from datetime import date

from babel import Locale
from babel.dates import format_date

from maskbook import language
from maskbook.language import N_, _

#: plotly's (d3's) formats for date axes: tick labels and hover.
DAY_TICKS = "%-d %b"
MONTH_TICKS = "%b"
DAY_HOVER = "%-d %b %Y"
#: plotly's (d3's) format for percentage axes: thousands separated, as the labels beside the bars.
PERCENT_TICKS = ",.0f"
MINUS = "\u2212"
#: plotly's decimal and thousands separators (``layout.separators``) in each language.
SEPARATORS = {"en": ".,", "it": ",."}
#: The d3 date codes the charts use, as Babel (CLDR) patterns.
_D3_TO_CLDR = {"%-d": "d", "%d": "dd", "%e": "d", "%b": "MMM", "%B": "MMMM", "%Y": "y"}


def _date(value) -> date:
    text = str(value)
    return date.fromisoformat(f"{text}-01" if len(text) == 7 else text[:10])


def _format(value, pattern: str, lang: str | None = None) -> str:
    return format_date(_date(value), format=pattern, locale=lang or language.current())


def day(iso: str) -> str:
    """``2020-03-25`` -> ``25 Mar 2020``; ``2020-03`` -> ``Mar 2020``."""
    return _format(iso, "MMM y" if len(iso) == 7 else "d MMM y")


def day_month(iso: str) -> str:
    """``2020-03-25`` -> ``25 Mar`` (a day of the year the chart is about)."""
    return _format(iso, "d MMM")


def month(iso: str) -> str:
    """``2020-04`` -> ``April`` / ``aprile``."""
    return _format(iso, "MMMM")


def tick_label(d: date, d3_format: str, lang: str | None = None) -> str:
    """A date axis's tick label, written as plotly would write ``d3_format`` but in the language."""
    pattern = d3_format
    for code, cldr in _D3_TO_CLDR.items():
        pattern = pattern.replace(code, f"'{cldr}'")
    # CLDR quotes literal text: every code became '...'; swap quoting so codes are bare, text quoted.
    parts = pattern.split("'")
    pattern = "".join(part if i % 2 else (f"'{part}'" if part else "") for i, part in enumerate(parts))
    return format_date(d, format=pattern, locale=lang or language.current())


#: Words of the data the charts print that are no country of CLDR's (countries are named by
#: Babel): groups, poll answers, confidence levels, where the Chinese teams worked.
NAMES = {N_("EU"), N_("14-country median"), N_("European country median"), N_("No answer / neither"),
         N_("enough"), N_("little"), N_("nothing"), N_("yes"), N_("no"), N_("negative"), N_("ally"), N_("threat"),
         N_("neither ally nor threat"), N_("low"), N_("low-medium"), N_("medium"), N_("medium-high"), N_("high"),
         N_("Rome"), N_("Lombardy hospitals"), N_("Tuscany")}
_TERRITORIES = {name: code for code, name in Locale("en").territories.items()}


def name(text: str) -> str:
    """A country ("United States", by Babel: "Stati Uniti") or an answer of the data ("ally"), in
    the current language; other text (a hashtag, a publisher) as it is."""
    lang = language.current()
    if lang == language.ORIGINAL:
        return text
    if text in _TERRITORIES:
        return Locale(lang).territories[_TERRITORIES[text]]
    return _(text) if text in NAMES else text


def _rounded(v: float, decimals: int) -> float:
    """``v`` rounded as Python's formats round it (Babel rounds the decimal text half to even:
    1.405 would become 1.40, where the book has always printed 1.41)."""
    return round(float(v), decimals)


def number(v: float, decimals: int = 0, signed: bool = False) -> str:
    """``-3`` -> ``−3``; ``3129`` -> ``3,129`` (``+3,129`` when ``signed``; ``3.129`` in Italian)."""
    spec = f"{'+' if signed else ''},.{decimals}f"
    return language.number(_rounded(v, decimals), spec).replace("-", MINUS)


def percent(v: float, decimals: int = 0, signed: bool = False) -> str:
    return _("{n}%").format(n=number(v, decimals, signed))


def millions(n: float) -> str:
    """``2300000`` -> ``2.3 million``; ``150000`` -> ``0.15 million``; ``100000000`` -> ``100 million``."""
    m = float(n) / 1e6
    text = language.number(_rounded(m, 2 if m < 10 else 0), ",")
    return _("1 million") if text == "1" else _("{n} million").format(n=text)


def billion_euros(billions: float) -> str:
    """``3.18`` (billion euros) -> ``€3.18 billion`` / ``3,18 miliardi di euro``."""
    return _("€{n} billion").format(n=language.number(billions, ".2f"))


def count(n) -> str:
    """A quantity as the charts print it: ``5000`` -> ``5,000``; a million or more in words."""
    return millions(n) if n >= 1e6 else language.number(int(n), ",")


def words(n: int) -> str:
    """A small count in words (``3`` -> ``three``), as titles write it."""
    names = _("no one two three four five six seven eight nine ten").split()
    return names[n] if 0 <= n < len(names) else language.number(n, ",")
