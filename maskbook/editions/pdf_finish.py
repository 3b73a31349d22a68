"""The printed PDF finished with pypdf (maskbook.editions.pdf): metadata, bookmarks' titles, page
labels, no running head on chapter openers, and fixed dates, font names, structure ids and file
identifiers, so that the same site gives the same bytes."""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import re
from pathlib import Path

from bs4 import BeautifulSoup

from maskbook.edition import Book
from maskbook.site import compat


def destinations(pdf: bytes) -> dict[str, int]:
    """The page (0-based) of every named destination of ``pdf``: Chromium names one for each
    element a link of the document points to (``#id``)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    return {name.lstrip("/"): reader.get_destination_page_number(dest) for name, dest in reader.named_destinations.items()}


def _spaceless(text: str) -> str:
    """Chromium's bookmarks lose the space where a heading wraps: compare titles without spaces."""
    return re.sub(r"\s", "", text)


def headings(text: str) -> list[str]:
    """The text of every heading of an HTML document, in order (the outline's entries)."""
    soup = BeautifulSoup(text, "html.parser")
    return [" ".join(h.get_text(" ", strip=True).split()) for h in soup.find_all(re.compile(r"^h[1-6]$"))]


def fix_outline(writer, titles: list[str]) -> None:
    """Give each bookmark its heading's text (Chromium drops the space at a heading's line break)."""
    from pypdf.generic import NameObject, TextStringObject

    keys = [_spaceless(t) for t in titles]
    at = 0

    def walk(item):
        nonlocal at
        while item is not None:
            item = item.get_object()
            key = _spaceless(str(item.get("/Title", "")))
            if key in keys[at:]:
                at = keys.index(key, at)
                item[NameObject("/Title")] = TextStringObject(titles[at])
                at += 1
            walk(item.get("/First"))
            item = item.get("/Next")

    outlines = writer.root_object.get("/Outlines")
    if outlines is not None:
        walk(outlines.get_object().get("/First"))


def stable_struct_ids(writer) -> None:
    """Number the tagged PDF's element ids (table headers) in document order: Chromium takes them
    from its DOM node counter, which differs between runs."""
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

    tree = writer.root_object.get("/StructTreeRoot")
    if tree is None:
        return
    elements, ids = [], {}

    def walk(node):
        node = node.get_object()
        if isinstance(node, ArrayObject):
            for kid in node:
                walk(kid)
        elif isinstance(node, DictionaryObject) and node.get("/Type", "/StructElem") == "/StructElem":
            elements.append(node)
            if "/ID" in node:
                ids.setdefault(str(node["/ID"]), TextStringObject(f"id{len(ids):08d}"))
            if "/K" in node:
                walk(node["/K"])

    walk(tree.get_object()["/K"])
    for element in elements:
        if "/ID" in element:
            element[NameObject("/ID")] = ids[str(element["/ID"])]
        attributes = element.get("/A")
        for attribute in (attributes if isinstance(attributes, ArrayObject) else [attributes] if attributes else []):
            attribute = attribute.get_object()
            if "/Headers" in attribute:
                attribute[NameObject("/Headers")] = ArrayObject(ids.get(str(h), h) for h in attribute["/Headers"])

    def renumber(node):  # the name tree of the ids: its keys and each node's key range
        node = node.get_object()
        if "/Names" in node:
            pairs = sorted((ids.get(str(k), k), v) for k, v in zip(node["/Names"][::2], node["/Names"][1::2]))
            node[NameObject("/Names")] = ArrayObject(x for pair in pairs for x in pair)
        if "/Limits" in node:
            node[NameObject("/Limits")] = ArrayObject(sorted(ids.get(str(k), k) for k in node["/Limits"]))
        for kid in node.get("/Kids", []):
            renumber(kid)

    if "/IDTree" in tree.get_object():
        renumber(tree.get_object()["/IDTree"])


def source_date(book: Book) -> dt.datetime:
    """The PDFs' creation date: ``SOURCE_DATE_EPOCH`` if set, else the edition's release date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return dt.datetime(book.date.year, book.date.month, book.date.day, tzinfo=dt.UTC)


#: Chromium draws a page's margin boxes first, before it clips to the page area; the running heads
#: are its text blocks near the top of the page (the page number is at the foot).
MARGIN_BOXES = re.compile(rb"^(.*?)(\nq\n[\d. ]+ re\nW\*? n\n)", re.S)
TEXT_BLOCK = re.compile(rb"BT\n(?:(?!ET\n).)*?1 0 0 -1 [\d.]+ ([\d.]+) Tm\n(?:(?!ET\n).)*?ET\n", re.S)


def set_content(writer, page, data: bytes) -> None:
    """Replace ``page``'s content stream by ``data``, compressed (not parsed: pypdf's parser is slow)."""
    from pypdf.generic import DecodedStreamObject, NameObject

    stream = DecodedStreamObject()
    stream.set_data(data)
    page[NameObject("/Contents")] = compat.add_pdf_object(writer, stream.flate_encode(level=9))


def drop_running_heads(writer, pages: list[int]) -> None:
    """No running head on ``pages`` (chapter openers): CSS cannot name a chapter's first page."""

    for index in pages:
        page = writer.pages[index]
        data = page.get_contents().get_data()
        match = MARGIN_BOXES.match(data)
        if match is None:
            continue
        height = float(page.mediabox.height) / 0.24 / 3.125  # Chromium's units in the margin boxes
        boxes = TEXT_BLOCK.sub(lambda m, height=height: b"" if float(m.group(1)) < height / 2 else m.group(0),
                               match.group(1))
        set_content(writer, page, boxes + data[match.end(1):])


FONT_USE = re.compile(rb"/(F\d+)( [\d.]+ Tf)")


def stable_font_names(writer) -> None:
    """Name each page's (and each drawing's) fonts F0, F1, ... in the order its content first uses
    them: Chromium numbers fallback fonts (CJK text in italics) in the order it happens to create them."""
    from pypdf.generic import DictionaryObject, NameObject

    def rename(owner, resources, data: bytes) -> bytes | None:
        fonts = resources.get("/Font")
        if fonts is None:
            return None
        fonts = fonts.get_object()
        order = list(dict.fromkeys(m.group(1).decode() for m in FONT_USE.finditer(data)))
        order += sorted(k[1:] for k in fonts if k[1:] not in order)
        names = {old: f"MF{i}" for i, old in enumerate(order)}
        resources[NameObject("/Font")] = DictionaryObject(
            {NameObject("/" + names[k[1:]]): v for k, v in fonts.items()})
        return FONT_USE.sub(lambda m: b"/" + names[m.group(1).decode()].encode() + m.group(2), data)

    def forms(resources, seen):
        for xobject in (resources.get("/XObject") or {}).values():
            form = xobject.get_object()
            if form.get("/Subtype") == "/Form" and id(form) not in seen and "/Resources" in form:
                seen.add(id(form))
                res = form["/Resources"].get_object()
                new = rename(form, res, form.get_data())
                if new is not None:
                    form.set_data(new)
                forms(res, seen)

    seen: set = set()
    for page in writer.pages:
        resources = page["/Resources"].get_object()
        new = rename(page, resources, page.get_contents().get_data())
        if new is not None:
            set_content(writer, page, new)
        forms(resources, seen)


def finish(pdf: bytes, book: Book, title: str, subject: str, titles: list[str], openers: list[int] = (),
           front: int = 0) -> bytes:
    """``pdf`` with the book's metadata, its bookmarks' ``titles``, no running head on the
    ``openers``, page labels (the ``front`` pages in roman numerals, then 1, 2, ...), a fixed date
    and identifiers derived from its content."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, ByteStringObject, NameObject, TextStringObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    drop_running_heads(writer, list(openers))
    stable_font_names(writer)
    if front:
        writer.set_page_label(0, front - 1, style="/r")
    writer.set_page_label(front, len(writer.pages) - 1, style="/D", start=1)
    date = source_date(book).strftime("D:%Y%m%d%H%M%S+00'00'")
    writer.metadata = None
    writer.add_metadata({"/Title": title, "/Author": ", ".join(book.authors), "/Subject": subject,
                         "/Keywords": f"edition {book.version}", "/Creator": "maskbook.editions.pdf (Chromium)",
                         "/Producer": "maskbook.editions.pdf", "/CreationDate": date, "/ModDate": date})
    fix_outline(writer, titles)
    stable_struct_ids(writer)
    root = writer.root_object
    root.pop(NameObject("/Metadata"), None)  # Chromium's XMP packet holds the time and random ids
    root[NameObject("/Lang")] = TextStringObject("en")
    root[NameObject("/PageMode")] = NameObject("/UseOutlines")
    placeholder = bytes(16)  # written once; the identifiers, a digest of the rest, take its place
    writer._ID = ArrayObject([ByteStringObject(placeholder), ByteStringObject(placeholder)])
    out = io.BytesIO()
    writer.write(out)
    data = out.getvalue()
    trailer = data.rindex(b"trailer")
    ident = hashlib.md5(data[:trailer] + title.encode()).hexdigest().encode()
    return data[:trailer] + data[trailer:].replace(placeholder.hex().encode(), ident)


def page_count(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(path).pages)

