"""Field accuracy of the notes parser against a hand-annotated gold file.

The gold file (``tests/gold/yearbook_notes.json``) lists essays, each with its notes in order
and, for each note, the entries a reader finds in it, in the fields of the parser's ``--json``
contract. Each essay belongs to a ``part``: ``dev`` (the parser was tuned on it) or ``heldout``
(never tuned on). This module only compares: it takes the parser's JSON for each essay's notes
(see ``python -m maskbook.notes --score GOLD``) and imports nothing from ``maskbook``.

A field counts when the gold value or the parsed value is non-empty (so two empty fields do not
inflate the figure); it is right when both are equal after folding whitespace and quote marks
(‘’“” -> '"; in ``pages`` a hyphen counts as an en dash). ``authors`` compare as the list of
"given family" names. An entry the parser did not produce counts every gold field of it as wrong;
an entry the parser produced beyond the gold's (say, the tail of a URL broken by a PDF's line
wrapping read as a second work) counts every field it fills as wrong. A note with no gold entry is expected to come out as one
``unparsed`` entry, which is not counted.
"""
from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

__all__ = ["SCORED_FIELDS", "load_gold", "normalise", "score", "format_report"]

#: The fields compared (the ``--json`` fields but the generated ``key`` and the free ``extra``).
SCORED_FIELDS = (
    "kind", "short_form", "authors", "org_author", "title", "title_original", "container",
    "publisher", "place", "date", "volume", "issue", "pages", "url", "locator", "note_prefix",
)

_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "′": "'"})


def normalise(field: str, value) -> str:
    """The comparable form of one field's value ("" when empty)."""
    if value in (None, "", [], False):
        return ""
    if field == "authors":
        value = "; ".join(f"{p.get('given') or ''} {p['family']}" for p in value)
    if field == "pages":
        value = str(value).replace("-", "–")
    return re.sub(r"\s+", " ", str(value).translate(_QUOTES)).strip()


def load_gold(path: str | Path) -> dict:
    """Read the gold file; a missing field in a gold entry means empty."""
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def score(gold: dict, parse: Callable[[list[str]], list[dict]]) -> dict:
    """``{part: {field: [right, counted]}}`` plus ``_all`` per part; ``parse`` maps a list of note
    texts to the parser's JSON notes."""
    table: dict = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for essay in gold["essays"]:
        parsed = parse([n["text"] for n in essay["notes"]])
        part = table[essay["part"]]
        for gold_note, got_note in zip(essay["notes"], parsed):
            got_entries = got_note["entries"]
            for i, want in enumerate(gold_note["entries"]):
                got = got_entries[i] if i < len(got_entries) else {}
                for name in SCORED_FIELDS:
                    w = normalise(name, want.get(name))
                    g = normalise(name, got.get(name)) if got else None
                    if not w and not g:
                        continue
                    ok = w == g
                    for cell in (part[name], part["_all"]):
                        cell[0] += ok
                        cell[1] += 1
            for extra in got_entries[len(gold_note["entries"]):]:
                if not gold_note["entries"] and extra.get("kind") == "unparsed":
                    continue
                for name in SCORED_FIELDS:
                    if normalise(name, extra.get(name)):
                        for cell in (part[name], part["_all"]):
                            cell[1] += 1
    return {p: {f: tuple(v) for f, v in fields.items()} for p, fields in table.items()}


def format_report(result: dict) -> str:
    """A plain table: one row per field, one column per part."""
    parts = sorted(result)
    lines = ["field".ljust(16) + "".join(p.rjust(22) for p in parts)]
    for name in SCORED_FIELDS + ("_all",):
        cells = []
        for p in parts:
            right, counted = result[p].get(name, (0, 0))
            cells.append((f"{right}/{counted} = {100 * right / counted:5.1f}%" if counted else "-").rjust(22))
        lines.append(("all fields" if name == "_all" else name).ljust(16) + "".join(cells))
    return "\n".join(lines)
