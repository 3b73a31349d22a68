"""What the book is: its title, authors, edition and licence (``_config.yml``, ``CITATION.cff``)
and its table of contents (``_toc.yml``), read in one place for the site, the PDF and the pack.

The bottom layer with ``maskbook`` itself: it imports nothing else of the package.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from maskbook import language

LICENCE_NAMES = {"CC-BY-4.0": "CC BY 4.0", "MIT": "MIT"}


class BookError(Exception):
    """A problem with the book's own files (``_config.yml``, ``CITATION.cff``, ``_toc.yml``), in plain words."""


@dataclass
class Book:
    """What the title page and the metadata say, from ``_config.yml`` and ``CITATION.cff``."""

    title: str
    subtitle: str
    authors: list[str]
    version: str
    date: dt.date
    licences: list[str]
    licence_html: str
    source_work: str
    base_url: str | None
    parts: list[tuple[str, list[str]]] = field(default_factory=list)  # (caption, chapters' docnames)
    sections: dict[str, list[str]] = field(default_factory=dict)  # chapter -> its sub-pages, in order
    numbered: list[str] = field(default_factory=list)  # the chapters of the numbered parts, in order

    def cite(self, edition: str = "edition") -> str:
        """The book's citation (``edition``: that word in the citation's language)."""
        url = f" {self.base_url}" if self.base_url else ""
        return (f"{', '.join(self.authors)} ({self.date.year}). {self.title}: {self.subtitle[:1].lower()}"
                f"{self.subtitle[1:]}, {edition} {self.version}.{url}")

    def translated(self, lang: str) -> Book:
        """The book as its ``lang`` edition names itself: its title, subtitle, licence note and parts'
        captions translated, its authors where the catalogue names them ("The maskbook authors"),
        its site's address ``<site>/<lang>/``."""
        if lang == language.ORIGINAL:
            return self
        return dataclasses.replace(
            self, title=language._(self.title, lang), subtitle=language._(self.subtitle, lang),
            base_url=f"{self.base_url}{lang}/" if self.base_url else None,
            licence_html=language._(self.licence_html, lang),
            authors=[language.catalogue(lang).get(name, name) for name in self.authors],
            parts=[(language._(caption, lang) if caption else "", docs) for caption, docs in self.parts])

    def edition(self, lang: str | None = None) -> str:
        """"Edition 0.4.0, 2 December 2026", in the current language (:mod:`maskbook.language`)."""
        return language._("Edition {version}, {date}", lang).format(version=self.version, date=language.day(self.date, lang))


def _yaml(path: Path) -> dict:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        raise BookError(f"{path}: file not found (the book's title and edition are read from it)") from None
    except yaml.YAMLError as exc:
        raise BookError(f"{path}: not valid YAML: {exc}") from exc


def _field(data: dict, path: Path, name: str):
    if not data.get(name):
        raise BookError(f"{path}: field '{name}' is missing or empty; the book's title page and footer need it")
    return data[name]


def read_book(root: Path, base_url: str | None = None) -> Book:
    """The book's title, authors, edition, licence and parts, and the site's public address."""
    config_path, cff_path = root / "_config.yml", root / "CITATION.cff"
    config, cff = _yaml(config_path), _yaml(cff_path)
    title = _field(config, config_path, "title")
    full = _field(cff, cff_path, "title")
    subtitle = full[len(title):].lstrip(" :") if full.startswith(title) else full
    released = _field(cff, cff_path, "date-released")
    try:
        date = released if isinstance(released, dt.date) else dt.date.fromisoformat(str(released))
    except ValueError:
        raise BookError(f"{cff_path}: field 'date-released' is {released!r}, not a date like 2026-11-28") from None
    authors = [a.get("name") or " ".join(filter(None, [a.get("given-names"), a.get("family-names")]))
               for a in _field(cff, cff_path, "authors")]
    licences = cff.get("license") or []
    licences = [licences] if isinstance(licences, str) else licences
    refs = cff.get("references") or []
    source = ""
    if refs:
        ref = refs[0]
        names = " and ".join(f"{a.get('given-names', '')} {a.get('family-names', '')}".strip()
                             for a in ref.get("authors", []))
        doi = f", doi:{ref['doi']}" if ref.get("doi") else ""
        source = (f"{names}, ‘{ref.get('title', '')}’, <em>{ref.get('collection-title', '')}</em>, "
                  f"{(ref.get('publisher') or {}).get('name', '')}, {ref.get('year', '')}{doi}")
    url = (base_url or os.environ.get("MASKBOOK_BASE_URL") or (config.get("html") or {}).get("baseurl") or "").strip()
    if url and not re.match(r"^https?://", url):
        raise BookError(f"the site's public address {url!r} (from --base-url, MASKBOOK_BASE_URL or html.baseurl "
                       f"in {config_path}) must start with https:// or http://")
    toc = _yaml(root / "_toc.yml")
    parts = [("", [toc["root"]])] + [(p.get("caption", ""), [c["file"] for c in p.get("chapters", [])])
                                     for p in toc.get("parts", [])]
    sections = {c["file"]: sub_pages(c) for p in toc.get("parts", []) for c in p.get("chapters", [])}
    numbered = [c["file"] for p in toc.get("parts", []) if p.get("numbered") for c in p.get("chapters", [])]
    footer = (config.get("html") or {}).get("extra_footer", "")
    return Book(title=title, subtitle=subtitle, authors=authors, version=str(_field(cff, cff_path, "version")),
                date=date, licences=[LICENCE_NAMES.get(x, x) for x in licences], licence_html=footer.strip(),
                source_work=source, base_url=(url.rstrip("/") + "/") if url else None, parts=parts,
                sections=sections, numbered=numbered)


def sub_pages(entry: dict) -> list[str]:
    """The docnames under a ``_toc.yml`` entry's ``sections:``, depth first, in order."""
    return [name for s in entry.get("sections") or [] for name in [s["file"], *sub_pages(s)]]


def toc_docnames(root: Path) -> list[str]:
    """Every document of ``_toc.yml``, in reading order: the root, then each part's chapters, each
    followed by its sub-pages."""
    toc = _yaml(root / "_toc.yml")
    return [toc["root"]] + [name for part in toc.get("parts", []) for entry in part.get("chapters", [])
                            for name in [entry["file"], *sub_pages(entry)]]
