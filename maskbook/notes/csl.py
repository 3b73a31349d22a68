"""CSL-JSON for parsed works: the format Zotero, Pandoc and citeproc processors read.

Like :mod:`maskbook.notes.bibtex` it reads any object with the attributes of
:class:`maskbook.notes.model.Work` and imports nothing from ``maskbook``. One item per full work::

    {"id": "lim2020mask", "type": "post-weblog", "title": "Mask diplomacy: …",
     "author": [{"family": "Lim", "given": "Darren J."}], "container-title": "China Story Blog",
     "issued": {"date-parts": [[2020, 5, 1]]}, "URL": "…"}

A corporate author is ``{"literal": name}``; what the parser kept aside (a report type, a
locator such as "Page 42", a lead-in such as "see") goes to ``note``; an unread note is a
``document`` whose ``note`` holds the raw text.
"""
from __future__ import annotations

from collections.abc import Iterable

__all__ = ["CSL_TYPES", "csl_item", "csl_items"]

#: Parser kinds -> CSL item types (CSL 1.0.2).
CSL_TYPES = {
    "news": "article-newspaper",
    "journal": "article-journal",
    "report": "report",
    "book": "book",
    "chapter": "chapter",
    "podcast": "broadcast",
    "video": "motion_picture",
    "blog": "post-weblog",
    "web": "webpage",
    "dataset": "dataset",
    "unparsed": "document",
}


def _date_parts(date: str | None) -> dict | None:
    if not date:
        return None
    return {"date-parts": [[int(p) for p in date.split("-")]]}


def _names(persons) -> list[dict]:
    return [{"family": p.family, "given": p.given} if p.given else {"family": p.family} for p in persons]


def csl_item(work) -> dict:
    """One CSL-JSON item for a full (not short-form) work."""
    item: dict = {"id": work.key, "type": CSL_TYPES.get(work.kind, "document")}
    if work.kind == "unparsed":
        item["title"] = work.raw
        item["note"] = work.extra or work.raw
        return item
    if work.authors:
        item["author"] = _names(work.authors)
    elif work.org_author:
        item["author"] = [{"literal": work.org_author}]
    if work.editors:
        item["editor"] = _names(work.editors)
    fields = {
        "title": work.title,
        "original-title": work.title_original,
        "container-title": work.container,
        "publisher": work.publisher,
        "publisher-place": work.place,
        "volume": work.volume,
        "issue": work.issue,
        "page": work.pages,
        "URL": work.url,
        "genre": work.report_type,
        "medium": work.medium,
        "dimensions": work.duration,
        "language": work.language,
        "note": work.extra,
    }
    item.update({name: value for name, value in fields.items() if value})
    issued = _date_parts(work.date)
    if issued:
        item["issued"] = issued
    return item


def csl_items(works: Iterable) -> list[dict]:
    """CSL-JSON items for the works, in the order given."""
    return [csl_item(w) for w in works]
