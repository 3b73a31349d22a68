"""Figures with their provenance: glue a number into the prose together with the rows it comes from.

A chapter writes ``figure("aid_rc_masks", table="shipments", rows="SH06a", field="masks")``
instead of ``glue("aid_rc_masks", ...)``. The figure is glued under the same name, as myst-nb's
``glue(..., display=False)`` does (so ``{glue:text}`` roles are unchanged), and its glued output
carries a second MIME type, :data:`MIME`, holding a *record*: the table, the row ids, the field,
the derivation (``how``) and the scale (``per``). The book's Sphinx extension
(:mod:`maskbook.site.figurelinks`) turns every glued figure that has a record into a link to its rows
in the Data appendix, with a tooltip.

The value is *derived from the rows* (:func:`derive`): when a chapter passes its own ``value`` as
well, the two must agree, or :class:`ProvenanceError` stops the notebook. Derivations (``how``):

``value``       the ``field`` of one row (the default)
``sum``         the sum of ``field`` over the rows
``count``       the number of rows
``distinct``    the number of distinct values of ``field`` over the rows
``max``         the largest ``field`` over the rows
``difference``  ``field`` of the first row minus ``field`` of the second
``days``        days from the ``date`` of the first row to the ``date`` of the second
``text``        a number written in the text of ``field`` of one row (``value`` required)

``per`` divides the result (``per=1e6``: in millions). Like ``glue(..., display=False)`` it shows
nothing in the notebook and returns nothing (so the last line of a cell adds no output).
"""
from __future__ import annotations

import csv
import functools
import math
import re
from collections.abc import Iterable

import pandas as pd
from IPython.display import display as ipy_display

from maskbook import language
from maskbook.book import data
from maskbook.language import N_, _

#: The MIME type of a provenance record inside a glued output.
MIME = "application/vnd.maskbook.book.provenance+json"
#: myst-nb's prefix for the MIME types of a glued, undisplayed output (myst_nb.ext.glue.GLUE_PREFIX).
GLUE_PREFIX = "application/papermill.record/"
HOWS = ("value", "sum", "count", "distinct", "max", "difference", "days", "text")
#: How a record's ``per`` is said after its derivation ("sum of masks over 37 rows of shipments, in millions").
SCALES = {1: "", 1e3: N_(", in thousands"), 1e6: N_(", in millions"), 1e9: N_(", in billions")}
#: Each derivation (``how``) in words: ``{field}``, ``{first}`` and ``{last}`` (row ids), ``{rows}`` (how many).
HOW_WORDS = {
    "value": N_("{field} of row {first}"),
    "sum": N_("sum of {field} over {rows}"),
    "count": N_("count of {rows}"),
    "distinct": N_("number of distinct {field} values over {rows}"),
    "max": N_("largest {field} over {rows}"),
    "difference": N_("{field} of row {first} minus that of row {last}"),
    "days": N_("days between rows {first} and {last}"),
    "text": N_("number written in the {field} of row {first}"),
}


class ProvenanceError(ValueError):
    """A figure's record does not hold: unknown table, row or field, or a value its rows do not give."""


def row_ids(rows) -> list[str]:
    """Row ids from one id, a list of ids, or a DataFrame of rows (its ``row_id`` column)."""
    if isinstance(rows, str):
        return [rows]
    if isinstance(rows, pd.DataFrame):
        return [str(r) for r in rows["row_id"]]
    if isinstance(rows, pd.Series):
        return [str(rows["row_id"])]
    return [str(r) for r in rows]


def record(name: str, *, table: str, rows, field: str | None = None, how: str = "value",
           per: float = 1) -> dict:
    """The provenance record of figure ``name`` (checked: the table, rows and field exist)."""
    ids = row_ids(rows)
    rec = {"name": name, "table": table, "rows": ids, "field": field, "how": how, "per": per}
    if how not in HOWS:
        raise ProvenanceError(f"figure {name!r}: how={how!r} is not one of {', '.join(HOWS)}")
    if not ids:
        raise ProvenanceError(f"figure {name!r}: no rows of table {table!r} were given")
    if how in ("value", "text") and len(ids) != 1:
        raise ProvenanceError(f"figure {name!r}: how={how!r} takes one row, not {len(ids)} ({', '.join(ids)})")
    if how in ("difference", "days") and len(ids) != 2:
        raise ProvenanceError(f"figure {name!r}: how={how!r} takes two rows, not {len(ids)} ({', '.join(ids)})")
    if how == "days":
        rec["field"] = field = field or "date"
    if how != "count" and not field:
        raise ProvenanceError(f"figure {name!r}: how={how!r} needs field=... (the column the figure reads)")
    frame = data.load_table(table)  # raises KeyError naming the tables if `table` is unknown
    if field and field not in frame.columns:
        raise ProvenanceError(f"figure {name!r}: table {table!r} has no field {field!r}")
    missing = [r for r in ids if r not in set(frame["row_id"])]
    if missing:
        raise ProvenanceError(f"figure {name!r}: table {table!r} has no row {', '.join(missing)}")
    return rec


def raw_rows(table: str) -> dict[str, dict[str, str]]:
    """The rows of ``table`` as written in its CSV (the values as recorded), by row id."""
    path = data.csv_path(table)
    return _read_csv(str(path), path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=32)
def _read_csv(path: str, mtime: int) -> dict[str, dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return {row["row_id"]: row for row in csv.DictReader(fh)}


def _number(value):
    """A plain Python int or float (glue cannot format numpy scalars)."""
    number = float(value)
    return int(number) if number.is_integer() and not isinstance(value, float) else number


def derive(rec: dict, value=None):
    """The figure that the record's rows give (``value`` is needed, and checked, for ``how="text"``)."""
    frame = data.load_table(rec["table"]).set_index("row_id")
    rows = frame.loc[rec["rows"]]
    field, how, per = rec["field"], rec["how"], rec["per"]
    if how == "count":
        result = len(rows)
    elif how == "distinct":
        result = int(rows[field].nunique())
    elif how == "days":
        first, second = (pd.Timestamp(d) for d in rows[field])
        result = int((second - first).days)
    elif how == "text":
        text = str(rows[field].iloc[0])
        digits = [int(m.replace(",", "")) for m in re.findall(r"\d[\d,]*\d|\d", text)]
        if value is None or int(value * per) not in digits:
            raise ProvenanceError(f"figure {rec['name']!r}: {value!r} is not a number written in "
                                  f"{field!r} of row {rec['rows'][0]} of {rec['table']!r}")
        result = int(value * per)
    else:
        cells = rows[field]
        if cells.isna().any():
            raise ProvenanceError(f"figure {rec['name']!r}: {field!r} is empty in row(s) "
                                  f"{', '.join(cells[cells.isna()].index)} of {rec['table']!r}")
        if how == "value":
            result = cells.iloc[0]
        elif how == "sum":
            result = cells.sum()
        elif how == "max":
            result = cells.max()
        else:  # difference
            result = cells.iloc[0] - cells.iloc[1]
    result = _number(result)
    return result / per if per != 1 else result


def _plain(value):
    """A numpy or pandas scalar as the Python int or float glue can format."""
    return value.item() if hasattr(value, "item") else value


def same(a, b) -> bool:
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)


def describe(rec: dict, lang: str | None = None) -> str:
    """How the figure was derived, in words ("sum of masks over 37 rows of shipments, in millions"),
    in ``lang`` (the current language if not given)."""
    rows, field, table = rec["rows"], rec["field"], rec["table"]
    n = (_("1 row", lang) if len(rows) == 1 else
         _("{n} rows", lang).format(n=language.number(len(rows), ",", lang)))
    words = _(HOW_WORDS[rec["how"]], lang).format(field=field, first=rows[0], last=rows[-1], rows=n)
    per = rec["per"]
    if per not in SCALES:
        scale = _(", divided by {n}", lang).format(n=language.number(per, ",", lang))
    else:
        scale = _(SCALES[per], lang) if SCALES[per] else ""
    return _("{words} of {table}", lang).format(words=words, table=table) + scale


def figure(name: str, value=None, *, table: str, rows, field: str | None = None, how: str = "value",
           per: float = 1) -> None:
    """Glue figure ``name`` with its provenance (like ``glue(name, value, display=False)``).

    ``rows``: a row id, a list of ids or a DataFrame of rows of ``table``. Without ``value`` the
    figure is derived from the rows; with it, the two must agree (:class:`ProvenanceError`).
    """
    rec = record(name, table=table, rows=rows, field=field, how=how, per=per)
    derived = derive(rec, value)
    if value is not None and not same(value, derived):
        raise ProvenanceError(f"figure {name!r}: the chapter computes {value!r} but its rows give "
                              f"{derived!r} ({describe(rec)})")
    glued = derived if value is None else _plain(value)  # the chapter's own type (int or float) if given
    rec["value"] = glued
    bundle = {GLUE_PREFIX + "text/plain": repr(glued), GLUE_PREFIX + MIME: rec}
    ipy_display(bundle, raw=True, metadata={"scrapbook": {"name": name, "mime_prefix": GLUE_PREFIX}})


def records_in(outputs: Iterable[dict]) -> dict[str, dict]:
    """The provenance records among a notebook cell's outputs, by glue name."""
    found = {}
    for output in outputs:
        rec = output.get("data", {}).get(GLUE_PREFIX + MIME)
        if rec:
            found[rec["name"]] = rec
    return found
