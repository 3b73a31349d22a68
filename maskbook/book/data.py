"""Load the book's tables, validated, from the Frictionless Data Package in ``data/``.

This module's job: give chapters a typed :class:`pandas.DataFrame` for a resource of
``data/datapackage.json`` only after the frictionless library has validated the CSV against
its Table Schema. Bad data never reaches a chart: it raises :class:`DataValidationError`
whose message names the CSV line, the file, the field, what it must be and the value found, in
plain words ("line 3 of data/shipments.csv: masks must be a whole number, got 'abc'"; line 1 is
the header), one line per error; ``errors`` keeps the parts and frictionless's rule names.
Nothing is dropped or coerced to NaN.

Public API
----------
``list_tables()``      resource names, in package order.
``table_info(name)``   title, description, sources, source_line, path, licence, fields.
``csv_path(name)``     path of the resource's CSV.
``load_table(name)``   validated, typed DataFrame.

The data folder is ``maskbook.DATA_DIR`` unless the environment variable ``MASKBOOK_DATA``
points elsewhere (teaching packs unpack the data in their own folder).

Column dtypes returned by ``load_table`` (from the Table Schema field type):

* ``string`` fields (text, categories, and the partial dates ``YYYY``/``YYYY-MM``/``YYYY-MM-DD``,
  which are kept as strings on purpose, never padded to a day): pandas ``str``; an empty
  cell is missing (NaN).
* ``integer`` fields (counts, sample sizes): nullable ``Int64``; empty cell -> ``<NA>``.
* ``number`` fields (percent, change_pp, value, weight_tonnes): ``float64``; empty -> NaN.
* ``boolean`` fields (``secondhand``, ``count_in_totals``; ``yes``/``no`` in the CSV):
  nullable ``boolean``.

Validation results are cached in-process per (file content hash, schema), so repeated
loads in one kernel cost one frictionless run per file version.
"""
from __future__ import annotations

import copy
import hashlib
import json
import os
from pathlib import Path

import pandas as pd

import maskbook

__all__ = ["DataValidationError", "list_tables", "table_info", "csv_path", "load_table", "data_dir"]

#: How many errors a message lists in full before summarising the rest.
MAX_ERRORS_SHOWN = 50


class DataValidationError(ValueError):
    """A table breaks its schema. ``errors`` holds one dict per problem (file, line, field, value, rule)."""

    def __init__(self, message: str, errors: list[dict] | None = None):
        super().__init__(message)
        self.errors = errors or []


def data_dir() -> Path:
    """The data folder: ``$MASKBOOK_DATA`` if set, else ``maskbook.DATA_DIR``."""
    env = os.environ.get("MASKBOOK_DATA")
    return Path(env).expanduser().resolve() if env else Path(maskbook.DATA_DIR)


#: The data package descriptor as last read, by path: (its bytes, parsed). Read again when the bytes
#: change; parsed once per version (a chapter asks for it with every figure). Never handed out:
#: callers get copies or plain values (:func:`table_info`).
_PACKAGES: dict[Path, tuple[bytes, dict]] = {}


def _package() -> dict:
    path = data_dir() / "datapackage.json"
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        raise FileNotFoundError(f"No data package at {path} (set MASKBOOK_DATA to the folder holding datapackage.json)") from None
    cached = _PACKAGES.get(path)
    if cached is None or cached[0] != content:
        cached = _PACKAGES[path] = (content, json.loads(path.read_text(encoding="utf-8")))
    return cached[1]


def _resource(name: str) -> dict:
    pkg = _package()
    for res in pkg["resources"]:
        if res["name"] == name:
            return res
    raise KeyError(f"No table {name!r} in {data_dir() / 'datapackage.json'}; "
                   f"tables are: {', '.join(r['name'] for r in pkg['resources'])}")


def list_tables() -> list[str]:
    """Names of the package's resources, in package order."""
    return [r["name"] for r in _package()["resources"]]


def csv_path(name: str) -> Path:
    """Path of the CSV behind resource ``name``."""
    return data_dir() / _resource(name)["path"]


def table_info(name: str) -> dict:
    """Metadata for resource ``name``: title, description, sources, primary_sources (bibliography
    keys of the publications that second-hand rows report, for the reader to check), source_line,
    path, licence, fields."""
    pkg = _package()
    res = _resource(name)
    licences = res.get("licenses") or pkg.get("licenses") or []
    return {
        "name": name,
        "title": res.get("title", name),
        "description": res.get("description", ""),
        "sources": copy.deepcopy(res.get("sources", [])),
        "primary_sources": list(res.get("primary_sources", [])),
        "source_line": res.get("source_line", ""),
        "path": data_dir() / res["path"],
        "licence": licences[0]["name"] if licences else None,
        "licence_note": pkg.get("licence_note", ""),
        "fields": [f["name"] for f in res["schema"]["fields"]],
    }


# ------------------------------------------------------------------ validation
_VALID: dict[tuple, bool] = {}


def _rule(err) -> str:
    note = getattr(err, "note", "") or ""
    return f"{err.type}: {note}" if note else err.type


def _describe(err, res: dict, fname: str) -> dict:
    """Turn a frictionless error into file/line/field/value/rule parts."""
    fields = [f["name"] for f in res["schema"]["fields"]]
    line = getattr(err, "row_number", None)
    field = getattr(err, "field_name", None) or getattr(err, "label", None) or None
    value = getattr(err, "cell", None)
    if err.type == "primary-key":
        key = res["schema"].get("primaryKey", [])
        cells = list(getattr(err, "cells", []) or [])
        field = ", ".join(key)
        value = ", ".join(str(cells[fields.index(k)]) if fields.index(k) < len(cells) else "" for k in key)
    elif err.type in ("missing-label", "incorrect-label", "extra-label", "duplicate-label", "blank-label"):
        line = 1
        field = getattr(err, "field_name", None) or getattr(err, "label", None)
        value = getattr(err, "label", None) if err.type != "missing-label" else "(column absent from the header)"
    elif value is None and getattr(err, "cells", None) is not None:
        value = ",".join(str(c) for c in err.cells)
    if err.type == "constraint-error" and value in ("", None) and "required" in (getattr(err, "note", "") or ""):
        value = "(empty)"
    return {"file": fname, "line": line, "field": field, "value": value, "rule": _rule(err)}


def _header_parts(res: dict, path: Path, fname: str) -> list[dict]:
    """Name missing/unexpected columns by name (frictionless compares headers by position)."""
    import csv

    with path.open(encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh), [])
    fields = [f["name"] for f in res["schema"]["fields"]]
    parts = [{"file": fname, "line": 1, "field": f, "value": "(column absent from the header)",
              "rule": "missing-label: the schema requires this column"} for f in fields if f not in header]
    parts += [{"file": fname, "line": 1, "field": h, "value": h,
               "rule": "extra-label: this column is not in the schema"} for h in header if h not in fields]
    return parts


#: What a spreadsheet may take for the start of a formula (CSV injection), in a text cell.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_cells(res: dict, path: Path) -> list[dict]:
    """Text cells that a spreadsheet opening the downloaded CSV could run as a formula.

    Only text fields are checked (``string``, or no type): numbers such as ``-12`` in ``number``
    and ``integer`` fields are typed values, checked by their schema, and read as numbers.
    """
    import csv

    text_fields = {f["name"] for f in res["schema"]["fields"] if f.get("type", "string") in ("string", "any")}
    parts = []
    with path.open(encoding="utf-8", newline="") as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            for field, value in row.items():
                if field in text_fields and isinstance(value, str) and value.startswith(FORMULA_STARTS):
                    parts.append({"file": str(path), "line": line, "field": field, "value": value,
                                  "rule": "formula-cell"})
    return parts


#: What a value of each Table Schema type looks like, in words.
TYPE_WORDS = {"integer": "a whole number", "number": "a number", "date": "a date (YYYY-MM-DD)",
              "year": "a year", "string": "text"}
#: The schema's patterns, in words.
PATTERN_WORDS = {
    r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$": "a date written YYYY, YYYY-MM or YYYY-MM-DD",
    r"^[A-Z]{2}\d{2}$": "two capital letters and two digits, like 'SH01'",
}


def _expected(parts: dict, res: dict) -> str:
    """What the rule broken asks for, in a maintainer's words (not frictionless's)."""
    field = next((f for f in res["schema"]["fields"] if f["name"] == parts["field"]), {})
    rule, constraints = parts["rule"], field.get("constraints", {})
    kind = rule.split(":", 1)[0]
    if kind == "type-error":
        if field.get("type") == "boolean":
            words = " or ".join(repr(v) for v in field.get("trueValues", ["true"]) + field.get("falseValues", ["false"]))
            return f"must be {words}"
        return f"must be {TYPE_WORDS.get(field.get('type'), field.get('type', 'of its type'))}"
    if kind == "constraint-error":
        note = rule.split(":", 1)[-1]
        for name, words in (("required", "must not be empty"),
                            ("minimum", f"must be at least {constraints.get('minimum')}"),
                            ("maximum", f"must be at most {constraints.get('maximum')}"),
                            ("enum", "must be one of " + ", ".join(map(str, constraints.get("enum", [])))),
                            ("pattern", "must be " + PATTERN_WORDS.get(constraints.get("pattern", ""),
                                                                     f"text matching {constraints.get('pattern')}"))):
            if f'"{name}"' in note:
                return words
    if kind == "formula-cell":
        return ("must not start with =, +, -, @, a tab or a carriage return (a spreadsheet opening "
                "the CSV may run it as a formula); reword it")
    if kind == "primary-key":
        return "is already used by another row: every row needs its own"
    return rule


def _format(parts: dict, res: dict) -> str:
    """One error as a maintainer reads it: 'line 3 of data/shipments.csv: masks must be a whole number, got 'abc''."""
    where = f"line {parts['line']} of {parts['file']}" if parts["line"] else parts["file"]
    if parts["rule"].startswith("missing-label"):
        return f"{where}: the header has no column {parts['field']!r}, which the schema requires"
    if parts["rule"].startswith("extra-label"):
        return f"{where}: the header has a column {parts['field']!r}, which the schema does not have"
    value = parts["value"] if parts["value"] not in (None, "") else "(empty)"
    got = "" if value == "(empty)" and "required" in parts["rule"] else f", got {value!r}"
    if parts["field"]:
        return f"{where}: {parts['field']} {_expected(parts, res)}{got}"
    return f"{where}: {parts['rule']}{got}"


def _validate(name: str, res: dict, path: Path) -> None:
    from frictionless import Resource  # slow import: only when a file version is first seen

    content = path.read_bytes()
    key = (str(path), hashlib.sha256(content).hexdigest(), json.dumps(res, sort_keys=True))
    if _VALID.get(key):
        return
    descriptor = {k: v for k, v in res.items() if k not in ("sources", "primary_sources", "source_line", "title", "description")}
    descriptor["path"] = path.name
    report = Resource(descriptor, basepath=str(path.parent)).validate()
    formulas = formula_cells(res, path)
    if report.valid and not formulas:
        _VALID[key] = True
        return
    fname = f"{path.parent.name}/{path.name}"  # data/shipments.csv, as the maintainer knows it
    errors = [e for task in report.tasks for e in task.errors] + list(getattr(report, "errors", []) or [])
    label_errors = [e for e in errors if e.type.endswith("-label") or e.type == "label-error"]
    header_note = ""
    if label_errors:  # a broken header makes every row fail: report the header only
        header_note = " (header does not match the schema; row checks skipped until it is fixed)"
        parts = _header_parts(res, path, fname) or [_describe(e, res, fname) for e in label_errors]
    else:
        parts = [_describe(e, res, fname) for e in errors] + [dict(f, file=fname) for f in formulas]
    lines = [_format(p, res) for p in parts[:MAX_ERRORS_SHOWN]]
    if len(parts) > MAX_ERRORS_SHOWN:
        lines.append(f"... and {len(parts) - MAX_ERRORS_SHOWN} more errors")
    if len(lines) == 1:
        msg = lines[0]
    else:
        msg = (f"{fname} breaks its schema (data/datapackage.json) in {len(parts)} places{header_note}:\n  "
               + "\n  ".join(lines))
    raise DataValidationError(msg, parts)


# ------------------------------------------------------------------ loading
_FRAMES: dict[tuple, pd.DataFrame] = {}


def _typed(raw: pd.DataFrame, schema: dict) -> pd.DataFrame:
    out = {}
    for fdef in schema["fields"]:
        col = raw[fdef["name"]]
        empty = col == ""
        t = fdef.get("type", "string")
        if t == "integer":
            out[fdef["name"]] = pd.array([None if e else int(v) for v, e in zip(col, empty)], dtype="Int64")
        elif t == "number":
            out[fdef["name"]] = pd.Series([float("nan") if e else float(v) for v, e in zip(col, empty)], dtype="float64")
        elif t == "boolean":
            true, false = fdef.get("trueValues", ["true"]), fdef.get("falseValues", ["false"])
            vals = []
            for v, e in zip(col, empty):
                if e:
                    vals.append(None)
                elif v in true:
                    vals.append(True)
                elif v in false:
                    vals.append(False)
                else:  # cannot happen after validation; never coerce silently
                    raise DataValidationError(f"{fdef['name']}: value {v!r} is not one of {true + false}")
            out[fdef["name"]] = pd.array(vals, dtype="boolean")
        else:
            out[fdef["name"]] = col.mask(empty).astype("str")
    return pd.DataFrame(out, index=pd.RangeIndex(len(raw)))


def load_table(name: str) -> pd.DataFrame:
    """Validate resource ``name`` with frictionless, then return it typed (see module docstring).

    Raises :class:`DataValidationError` (a ``ValueError``) naming file, line, field, value and rule.
    """
    res = _resource(name)
    path = data_dir() / res["path"]
    _validate(name, res, path)
    key = (str(path), hashlib.sha256(path.read_bytes()).hexdigest(), json.dumps(res["schema"], sort_keys=True))
    if key not in _FRAMES:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
        _FRAMES[key] = _typed(raw, res["schema"])
    return _FRAMES[key].copy()
