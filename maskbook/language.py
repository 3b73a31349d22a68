"""The book's languages: which one a build or a kernel writes, its strings, numbers and dates.

The book is written in English and translated into Italian from the same source. The prose is
translated with Sphinx's gettext catalogues (``locales/it/LC_MESSAGES/``); the strings that the
package itself writes (chart titles and axes, the data appendix's labels, the figures' tooltips)
are translated here, from ``maskbook/locales/it/LC_MESSAGES/maskbook.po``, read with Babel. Numbers
and dates are written by Babel in the language's conventions (``1,6 milioni``, ``12 marzo 2020``),
never formatted by hand.

The language of a build reaches the chapters' kernels through the environment
(``MASKBOOK_LANGUAGE``, set by the Italian build), so one copy of every code cell draws English
or Italian charts.
"""
from __future__ import annotations

import functools
import os
import re
from datetime import date
from pathlib import Path

from babel.dates import format_date
from babel.lists import format_list
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

#: The book's languages, the original first.
LANGUAGES = ("en", "it")
ORIGINAL = LANGUAGES[0]
#: The environment variable that names the language of a build and of its kernels.
ENV = "MASKBOOK_LANGUAGE"
CATALOGUES = Path(__file__).parent / "locales"
DOMAIN = "maskbook"


class TranslationMissing(LookupError):
    """A string of the package has no translation in the language's catalogue."""


def current() -> str:
    """The language this process writes (``MASKBOOK_LANGUAGE``, else English)."""
    language = os.environ.get(ENV) or ORIGINAL
    if language not in LANGUAGES:
        raise ValueError(f"{ENV}={language!r}: the book is written in {', '.join(LANGUAGES)}")
    return language


def catalogue_path(language: str) -> Path:
    return CATALOGUES / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.cache
def catalogue(language: str) -> dict[str, str]:
    """The package's translated strings in ``language``: English -> translation (fuzzy ones left out)."""
    with catalogue_path(language).open("rb") as f:
        po = read_po(f)
    return {m.id: m.string for m in po if m.id and m.string and not m.fuzzy}


def _(message: str, language: str | None = None) -> str:
    """``message`` (an English string of the package) in the current language.

    A string with no translation is an error, not a silent English word on an Italian page:
    ``python -m maskbook.language`` lists what is missing."""
    language = language or current()
    if language == ORIGINAL or not message:  # nothing to translate
        return message
    try:
        return catalogue(language)[message]
    except KeyError:
        raise TranslationMissing(f"{catalogue_path(language)}: no translation of {message!r}") from None


def babel_pattern(spec: str) -> tuple[str, bool]:
    """A Python format spec of a number (``","``, ``".1f"``, ``"+,.0f"``) as a Babel pattern, and
    whether it asks for a sign."""
    m = re.fullmatch(r"(\+?)(,?)(?:\.(\d+)f)?", spec)
    if m is None:
        raise ValueError(f"unsupported number format {spec!r}")
    sign, grouped, decimals = m.groups()
    decimals = int(decimals) if decimals is not None else None
    whole = "#,##0" if grouped else "0"
    fraction = "." + "0" * decimals if decimals else ("" if decimals == 0 else ".###")
    return whole + fraction, bool(sign)


def number(value: float, spec: str = ",", language: str | None = None) -> str:
    """``value`` written as ``spec`` asks (a Python format spec such as ``","`` or ``".1f"``), in the
    conventions of the language: ``1,234.5`` in English, ``1.234,5`` in Italian."""
    pattern, signed = babel_pattern(spec)
    text = format_decimal(value, format=pattern, locale=language or current())
    return ("+" + text) if signed and not text.startswith("-") else text


def day(value: date | str, language: str | None = None) -> str:
    """A day in full: ``12 March 2020``, ``12 marzo 2020``."""
    d = date.fromisoformat(value[:10]) if isinstance(value, str) else value
    language = language or current()
    return format_date(d, format="d MMMM y", locale=language)


def listing(items, language: str | None = None) -> str:
    """Items joined as the language joins a list: ``1 and 3``, ``1 e 3`` (Babel)."""
    return format_list([str(i) for i in items], locale=language or current())


def N_(message: str) -> str:
    """Mark ``message`` as a string of the package without translating it yet (a label kept in a
    table at import time, translated with :func:`_` where it is shown): extracted like ``_``."""
    return message
