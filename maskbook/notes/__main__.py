"""The notes parser's command line (a stable contract)::

    python -m maskbook.notes NOTES.txt --json   # one JSON object per note
    python -m maskbook.notes NOTES.txt --bib    # the BibTeX of the cited works
    python -m maskbook.notes NOTES.txt --csl    # the cited works as CSL-JSON
    python -m maskbook.notes --score tests/gold/yearbook_notes.json   # per-field accuracy
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from maskbook.notes.bibtex import bibliography_from_works, to_bibtex
from maskbook.notes.csl import csl_items
from maskbook.notes.model import Note, NotesFormatError
from maskbook.notes.parse import full_works, notes_json, parse_file
from maskbook.notes.score import format_report, load_gold, score


def _output(notes: list[Note], fmt: str) -> str:
    if fmt == "bib":
        return to_bibtex(bibliography_from_works(full_works(notes)))
    if fmt == "csl":
        return json.dumps(csl_items(full_works(notes)), ensure_ascii=False, indent=2) + "\n"
    return json.dumps([n.to_json() for n in notes], ensure_ascii=False, indent=2) + "\n"


def _arguments() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="python -m maskbook.notes",
        description="Parse notes (one per blank-line separated paragraph) into the works they cite.",
    )
    ap.add_argument("notes", nargs="?", help="notes file (UTF-8; note N = paragraph N)")
    fmt = ap.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_const", dest="fmt", const="json",
                     help="print one JSON object per note (default)")
    fmt.add_argument("--bib", action="store_const", dest="fmt", const="bib", help="print the BibTeX of the cited works")
    fmt.add_argument("--csl", action="store_const", dest="fmt", const="csl",
                     help="print the cited works as CSL-JSON (read by Zotero, Pandoc, citeproc)")
    fmt.add_argument("--score", metavar="GOLD", type=Path,
                     help="print the parser's per-field accuracy against a gold file (development and held-out parts)")
    return ap


def main(argv: list[str] | None = None) -> int:
    ap = _arguments()
    args = ap.parse_args(argv)
    if args.score is None and args.notes is None:
        ap.error("give a notes file, or --score GOLD")
    try:
        if args.score is not None:
            text = format_report(score(load_gold(args.score), notes_json)) + "\n"
        else:
            text = _output(parse_file(args.notes), args.fmt or "json")
    except NotesFormatError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (OSError, ValueError, KeyError) as exc:
        if args.score is None:
            raise
        print(f"error: {args.score}: cannot read the gold file ({exc})", file=sys.stderr)
        return 2
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        # the reader stopped early (``| head``): nothing more to say, and no traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
