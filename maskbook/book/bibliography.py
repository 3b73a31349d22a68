"""Build the book's ``references.bib`` from the article's notes and the data package's sources.

One command regenerates the file (run it from anywhere)::

    python -m maskbook.book.bibliography            # writes references.bib at the repository root
    python -m maskbook.book.bibliography --check    # exit 1 if the committed file is stale

Inputs: ``data/source/notes.txt`` (parsed by :mod:`maskbook.notes`), ``data/source/urls.csv``
(known URLs of cited works) and the ``sources`` of every resource in ``data/datapackage.json``
(optional: without it the bibliography has the notes only). Entries are built with pybtex's data
model (``BibliographyData``/``Entry``/``Person``), sorted by key, so the output is deterministic.

A piece without a byline is cited by its outlet: the entry keeps the outlet as written, with its
qualifiers ("Xinhua (republished by Yunnan Gateway)"), and ``shortauthor`` holds the outlet's
common name that labels and citations show ("Xinhua"): a data source's ``publisher_short``, or the
abbreviation an organisation's name gives itself ("... (ETNC)"). A work of the notes has
``articlenote`` (its first note) and ``articlenotes`` (every note that cites it).

Every entry has ``keywords``: ``notes`` (a work cited in the article's notes), ``source-article``
(the article itself) or ``data`` (a source of the data package), for ``{bibliography}`` filters.

Entry types are the ones pybtex and sphinxcontrib-bibtex render: news and journal articles ->
``@article``; reports -> ``@techreport``; books -> ``@book``; chapters -> ``@incollection``;
podcasts, blog posts, web pages, data sets -> ``@misc`` with ``howpublished``. A work with no
personal author gets its organisation or outlet as a braced corporate author (``{{BBC News}}``),
so author-year citations read "BBC News 2020" and BibTeX's ``plain`` style has no empty author.
"""
from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import warnings
from collections import OrderedDict
from collections.abc import Iterable
from pathlib import Path

from pybtex.database import BibliographyData, Entry, Person

from maskbook import ROOT
from maskbook.notes.bibtex import (
    corporate,
    date_fields,
    entry_from_work,
    latex_escape,
    person,
    protect_case,
    short_name,
    to_bibtex,
)
from maskbook.notes.model import Note
from maskbook.notes.names import looks_like_person, parse_person
from maskbook.notes.parse import full_works, parse_file
from maskbook.notes.titles import lang_of

__all__ = [
    "NOTES_PATH",
    "URLS_PATH",
    "DATAPACKAGE_PATH",
    "BIB_PATH",
    "REGENERATE_COMMAND",
    "ARTICLE_KEY",
    "article_entry",
    "entry_from_work",
    "apply_urls",
    "load_urls",
    "datasource_entries",
    "NOT_FOR_READERS",
    "bibliography_from_notes",
    "build_bibliography",
    "to_bibtex",
    "generate",
    "check",
    "main",
]

NOTES_PATH = ROOT / "data" / "source" / "notes.txt"
URLS_PATH = ROOT / "data" / "source" / "urls.csv"
DATAPACKAGE_PATH = ROOT / "data" / "datapackage.json"
BIB_PATH = ROOT / "references.bib"
REGENERATE_COMMAND = "python -m maskbook.book.bibliography"
ARTICLE_KEY = "fraile2021mask"

def article_entry() -> Entry:
    """The source article itself (``fraile2021mask``)."""
    return Entry(
        "incollection",
        fields=[
            ("title", protect_case("Mask Diplomacy: Shifting the COVID-19 Narrative?")),
            ("booktitle", protect_case("China Story Yearbook: Crisis")),
            ("publisher", "ANU Press"),
            ("address", "Canberra"),
            ("year", "2021"),
            ("date", "2021"),
            ("doi", "10.22459/CSY.2021"),
            ("url", "https://doi.org/10.22459/CSY.2021"),
            ("note", "Licensed CC BY-NC-ND 4.0"),
            ("language", "english"),
            ("keywords", "source-article"),
        ],
        persons={
            "author": [person("Fraile del Álamo", "Verónica"), person("Lim", "Darren J.")],
            "editor": [person("Golley", "Jane"), person("Jaivin", "Linda"), person("Strange", "Sharon")],
        },
    )


# --------------------------------------------------------------------------------------------
# URLs


def load_urls(path: Path = URLS_PATH) -> dict[tuple[int, int], dict]:
    """``{(note, entry_index): row}`` from ``urls.csv`` (empty if the file is missing)."""
    if not Path(path).exists():
        return {}
    with open(path, encoding="utf-8", newline="") as f:
        return {(int(r["note"]), int(r["entry_index"])): r for r in csv.DictReader(f)}


def _norm(s: str | None) -> str:
    return re.sub(r"[^\w]+", " ", (s or "").replace("’", "'").casefold()).strip()


def apply_urls(notes: Iterable[Note], urls: dict[tuple[int, int], dict]) -> None:
    """Give each work its known URL (the title in the CSV must match the parsed title)."""
    for note in notes:
        for w in note.entries:
            row = urls.get((note.number, w.index))
            if not row or w.short_form:
                continue
            if _norm(row["title"]) != _norm(w.title):
                warnings.warn(
                    f"urls.csv: note {note.number} entry {w.index}: title {row['title']!r} does not "
                    f"match the parsed title {w.title!r}; URL not applied", stacklevel=2
                )
                continue
            if row.get("url") and not w.url:
                w.url = row["url"].strip()


# --------------------------------------------------------------------------------------------
# Data sources (data/datapackage.json)


def _datasource_persons(src: dict) -> dict[str, list[Person]]:
    author = (src.get("author") or "").strip()
    if author:
        names = [n.strip() for n in re.split(r";|\s+and\s+", author) if n.strip()]
        if names and all(looks_like_person(n) for n in names):
            return {"author": [person(p.family, p.given) for p in map(parse_person, names)]}
        return {"author": [corporate(author)]}
    if src.get("publisher"):
        return {"author": [corporate(src["publisher"])]}
    return {}


#: Research placeholders and authoring jargon that must never reach a reader (bibliography, data
#: files, pages): a title is the document's own headline, or a bracketed description of an
#: untitled item in plain English (``[report on a Chinese mayor's gift of masks to Como]``).
NOT_FOR_READERS = re.compile(
    r"slug:|no headline|not captured|\bstored (?:corpus|cop(?:y|ies)|sources?|excerpts?|text|material|page)"
    r"|\bTODO\b|\bFIXME\b|lorem ipsum",
    re.IGNORECASE,
)


def datasource_entries(datapackage: Path = DATAPACKAGE_PATH, skip: Iterable[str] = ()) -> OrderedDict[str, Entry]:
    """One entry per distinct ``bibkey`` in the resources' ``sources`` (keys in ``skip`` left out).

    A source whose title is a placeholder (see :data:`NOT_FOR_READERS`) is refused with a
    ``ValueError`` naming the file, the resource and the bibkey.
    """
    out: OrderedDict[str, Entry] = OrderedDict()
    path = Path(datapackage)
    if not path.exists():
        return out
    with open(path, encoding="utf-8") as f:
        pkg = json.load(f)
    skip = set(skip)
    for res in pkg.get("resources", []):
        for src in res.get("sources", []) or []:
            key = src.get("bibkey")
            title = src.get("title") or ""
            if NOT_FOR_READERS.search(title):
                raise ValueError(
                    f"{path}: resource {res.get('name')!r}, source {key!r}: the title {title!r} is a "
                    "placeholder, not a title. Give the document's headline, or describe an untitled "
                    "item in square brackets, in English, e.g. '[report on a gift of masks to Como]'."
                )
            if not key or key in skip or key in out:
                continue
            out[key] = _datasource_entry(src)
    return out


def _datasource_entry(src: dict) -> Entry:
    kind = (src.get("kind") or "web").lower()
    date = src.get("date")
    title = src.get("title") or src.get("path") or src["bibkey"]
    publisher = src.get("publisher")
    etype = {"news": "article", "report": "techreport"}.get(kind, "misc")
    if etype == "article" and not (date and publisher):
        etype = "misc"  # BibTeX's plain @article needs a journal and a year
    if etype == "techreport" and not (date and publisher):
        etype = "misc"
    fields: list[tuple[str, str]] = [("title", protect_case(title))]
    persons = _datasource_persons(src)
    short = src.get("publisher_short") or short_name(publisher or "")
    if short and [str(p) for p in persons.get("author", [])] == [str(corporate(publisher or ""))]:
        fields.append(("shortauthor", latex_escape(short)))  # the outlet as in-text citations name it
    if etype == "article":
        fields.append(("journal", latex_escape(publisher)))
    elif etype == "techreport":
        fields.append(("institution", latex_escape(publisher)))
    elif publisher:
        fields.append(("howpublished", latex_escape(publisher)))
    fields.extend(date_fields(date))
    notes = []
    if kind not in ("news", "report", "web"):
        notes.append(kind.capitalize())
    if src.get("secondhand"):
        notes.append("Second-hand source")
    if notes:
        fields.append(("note", latex_escape(", ".join(notes))))
    # a guess from the title alone: only for a real headline with several telling words
    lang = None if title.startswith("[") else lang_of(title, min_score=2)
    if lang:
        fields.append(("language", lang))
    if src.get("path") and re.match(r"https?://", src["path"]):
        fields.append(("url", src["path"]))
    fields.append(("keywords", "data"))
    return Entry(etype, fields=fields, persons=persons)


# --------------------------------------------------------------------------------------------
# The whole bibliography


def bibliography_from_notes(notes: list[Note], include_article: bool = True) -> BibliographyData:
    entries: dict[str, Entry] = {w.key: entry_from_work(w) for w in full_works(notes)}
    if include_article:
        entries[ARTICLE_KEY] = article_entry()
    return BibliographyData(entries=OrderedDict(sorted(entries.items())))


def _notes_citing(notes: list[Note]) -> dict[str, list[int]]:
    """Each work's key -> the numbers of every note that cites it (full or short form), in order."""
    citing: dict[str, list[int]] = {}
    for note in notes:
        for work in note.entries:
            numbers = citing.setdefault(work.key, [])
            if note.number not in numbers:
                numbers.append(note.number)
    return citing


def build_bibliography(notes_path: Path = NOTES_PATH, urls_path: Path = URLS_PATH,
                       datapackage: Path = DATAPACKAGE_PATH) -> BibliographyData:
    """Notes (+ known URLs) + the article + the data package's sources, sorted by key."""
    with warnings.catch_warnings():
        warnings.simplefilter("default")
        notes = parse_file(notes_path)
    apply_urls(notes, load_urls(urls_path))
    entries: dict[str, Entry] = {}
    for w in full_works(notes):
        entries[w.key] = entry_from_work(w)
    for key, numbers in _notes_citing(notes).items():
        entries[key].fields["articlenotes"] = ", ".join(map(str, numbers))
    entries[ARTICLE_KEY] = article_entry()
    notes_titles = {}
    for w in full_works(notes):
        for t in (w.title, w.title_original):
            if t:
                notes_titles[(_norm(t), (w.date or "")[:7])] = w.key
    for key, entry in datasource_entries(datapackage, skip=entries).items():
        title = str(entry.fields.get("title", "")).replace("{", "").replace("}", "")
        same = notes_titles.get((_norm(title), entry.fields.get("date", "")[:7]))
        if same:
            warnings.warn(
                f"datapackage.json: source {key!r} is the work {same!r} from the notes; "
                f"use bibkey {same!r} (entry not duplicated)", stacklevel=2
            )
            continue
        entries[key] = entry
    return BibliographyData(entries=OrderedDict(sorted(entries.items())))


#: Fields written verbatim (no LaTeX encoding): a URL with ``_`` or ``%`` must stay a URL.
def generate() -> str:
    return to_bibtex(build_bibliography())


def check(path: Path = BIB_PATH) -> tuple[bool, str]:
    """Is ``path`` what the pipeline generates? Returns (ok, message)."""
    expected = generate()
    actual = Path(path).read_text(encoding="utf-8") if Path(path).exists() else None
    if actual == expected:
        return True, f"{path} is up to date"
    what = "missing" if actual is None else "stale"
    return False, f"{path} is {what}: regenerate it with `{REGENERATE_COMMAND}` and commit it"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m maskbook.book.bibliography",
                                 description=__doc__.split("\n")[0].replace("``", ""))
    ap.add_argument("--check", action="store_true", help="exit 1 if references.bib is stale")
    ap.add_argument("--output", type=Path, default=BIB_PATH, help="where to write (default: references.bib)")
    args = ap.parse_args(argv)
    if args.check:
        ok, msg = check(args.output)
        print(msg, file=sys.stdout if ok else sys.stderr)
        return 0 if ok else 1
    text = generate()
    args.output.write_text(text, encoding="utf-8")
    n = text.count("\n@")
    print(f"wrote {args.output} ({n} entries)")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
