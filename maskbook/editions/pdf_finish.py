"""The printed PDF finished with pypdf (maskbook.editions.pdf): metadata, bookmarks' titles, page
labels, no running head on chapter openers, and fixed dates, font names, structure ids and file
identifiers, so that the same site gives the same bytes."""
from __future__ import annotations

import datetime as dt
import hashlib
import html
import io
import os
import re
from pathlib import Path

from maskbook.edition import Book
from maskbook.language import current


def destinations(pdf: bytes) -> dict[str, int]:
    """The page (0-based) of every named destination of ``pdf``: Chromium names one for each
    element a link of the document points to (``#id``)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf), strict=True)  # strict: no check of every object's offset
    return {name.lstrip("/"): reader.get_destination_page_number(dest) for name, dest in reader.named_destinations.items()}


def _spaceless(text: str) -> str:
    """Chromium's bookmarks lose the space where a heading wraps: compare titles without spaces."""
    return re.sub(r"\s", "", text)


HEADING = re.compile(r"<h([1-6])\b[^>]*>(.*?)</h\1\s*>", re.S | re.I)
TAG = re.compile(r"<[^>]*>")


def headings(text: str) -> list[str]:
    """The text of every heading of an HTML document, in order (the outline's entries). The
    document is made by BeautifulSoup (well formed): parsed again, it would take seconds."""
    return [" ".join(html.unescape(TAG.sub(" ", m.group(2))).split()) for m in HEADING.finditer(text)]


class Objects:
    """Chromium's PDF as its objects, each kept as it was printed until something changes it:
    ``heads`` (an object's dictionary or value, where its references are) and ``streams`` (the
    stream that follows, as printed). Parsing every object (a tagged PDF has tens of thousands)
    would cost more than the printing: pypdf parses only those that change."""

    def __init__(self, pdf: bytes):
        from pypdf import PdfReader

        self.reader = PdfReader(io.BytesIO(pdf), strict=True)  # strict: no check of every object's offset
        xref = int(pdf[pdf.rindex(b"startxref") + 9:].split()[0])
        trailer = pdf.index(b"trailer", xref)
        rows = pdf[xref:trailer].split(b"\n")[2:]  # "xref", "0 N", then one row per object
        at = sorted((int(row[:10]), n) for n, row in enumerate(rows) if row[17:18] == b"n")
        self.heads: dict[int, bytes] = {}
        self.streams: dict[int, bytes] = {}
        for (start, number), (end, _) in zip(at, at[1:] + [(xref, None)]):
            body = pdf[start:end]
            body = body[OBJECT.match(body).end():body.rstrip().rindex(b"endobj")].rstrip()
            self._keep(number, body)
        self.root = self.reader.trailer.raw_get("/Root").idnum
        self.info = self.reader.trailer.raw_get("/Info").idnum

    def _keep(self, number: int, body: bytes) -> None:
        stream = STREAM.search(body)
        self.heads[number] = body[:stream.start() + 2] if stream else body
        self.streams[number] = body[stream.start() + 2:] if stream else b""

    def get(self, ref):
        """The parsed object behind ``ref`` (an indirect reference or a number), to change and :meth:`put`."""
        return self.reader.get_object(ref if isinstance(ref, int) else ref.idnum)

    def put(self, number: int, obj) -> None:
        out = io.BytesIO()
        obj.write_to_stream(out)
        self._keep(number, out.getvalue())

    def order(self) -> list[int]:
        """The objects reachable from the catalogue and the document information, depth first,
        each reference in the order printed (what is not reachable is left out)."""
        seen, order, todo = set(), [], [self.info, self.root]
        while todo:
            number = todo.pop()
            if number in seen or number not in self.heads:
                continue
            seen.add(number)
            order.append(number)
            todo.extend(reversed([int(m.group(1)) for m in REFERENCE.finditer(self.heads[number]) if m.group(1)]))
        return order

    def write(self, order: list[int], ident: callable) -> bytes:
        """The objects of ``order``, numbered 1, 2, ... in that order, with an xref table and a
        trailer whose file identifier is ``ident(everything before the trailer)``."""
        new = {old: n for n, old in enumerate(order, 1)}

        def renumber(match):
            return f"{new[int(match.group(1))]} 0 R".encode() if match.group(1) else match.group(0)

        out = bytearray(b"%PDF-1.4\n%\xd3\xeb\xe9\xe1\n")
        offsets = []
        for n, old in enumerate(order, 1):
            offsets.append(len(out))
            out += b"%d 0 obj\n%s%s\nendobj\n" % (n, REFERENCE.sub(renumber, self.heads[old]), self.streams[old])
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(order) + 1)
        out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
        digest = ident(bytes(out)).encode()
        out += (b"trailer\n<</Size %d\n/Root %d 0 R\n/Info %d 0 R\n/ID [<%s> <%s>]>>\nstartxref\n%d\n%%%%EOF\n"
                % (len(order) + 1, new[self.root], new[self.info], digest, digest, xref))
        return bytes(out)


OBJECT = re.compile(rb"\d+ 0 obj\s")
STREAM = re.compile(rb">>\s*stream\r?\n")
#: A reference (its number in group 1), or a string (skipped: its text is not a reference).
REFERENCE = re.compile(rb"\((?:\\.|[^\\)])*\)|(\d+) 0 R")


def fix_outline(objects: Objects, titles: list[str]) -> None:
    """Give each bookmark its heading's text (Chromium drops the space at a heading's line break)."""
    from pypdf.generic import NameObject, TextStringObject

    keys = [_spaceless(t) for t in titles]
    at = 0
    outlines = objects.get(objects.root).get("/Outlines")
    item = outlines.get_object().raw_get("/First") if outlines is not None else None
    todo = [item] if item is not None else []
    while todo:
        ref = todo.pop()
        item = objects.get(ref)
        key = _spaceless(str(item.get("/Title", "")))
        if key in keys[at:]:
            at = keys.index(key, at)
            item[NameObject("/Title")] = TextStringObject(titles[at])
            objects.put(ref.idnum, item)
            at += 1
        todo.extend(item.raw_get(k) for k in ("/Next", "/First") if k in item)


NODE_ID = re.compile(rb"\(node\d+\)")  # Chromium's ids of structure elements: from its DOM node counter


def stable_struct_ids(objects: Objects, order: list[int]) -> None:
    """Number the tagged PDF's element ids (table headers) in document order: Chromium takes them
    from its DOM node counter, which differs between runs. The id tree's keys are sorted again."""
    from pypdf.generic import ArrayObject, NameObject, TextStringObject

    ids: dict[bytes, bytes] = {}
    for number in order:
        for match in re.finditer(rb"/ID (\(node\d+\))", objects.heads[number]):
            ids.setdefault(match.group(1), b"(id%08d)" % len(ids))
    if not ids:
        return
    for number in order:
        if b"(node" in objects.heads[number]:
            objects.heads[number] = NODE_ID.sub(lambda m: ids.get(m.group(0), m.group(0)), objects.heads[number])
    tree = objects.get(objects.root)["/StructTreeRoot"].get_object().raw_get("/IDTree")
    todo = [tree]
    while todo:  # the name tree of the ids: its keys (now new ids) sorted, and each node's key range
        ref = todo.pop()
        node = objects.get(ref)
        new = {str(k): TextStringObject(ids.get(b"(%s)" % str(k).encode(), b"(%s)" % str(k).encode())[1:-1].decode())
               for k in list(node.get("/Names", [])[::2]) + list(node.get("/Limits", []))}
        if "/Names" in node:
            pairs = sorted((new[str(k)], v) for k, v in zip(node["/Names"][::2], node.raw_get("/Names")[1::2]))
            node[NameObject("/Names")] = ArrayObject(x for pair in pairs for x in pair)
        if "/Limits" in node:
            node[NameObject("/Limits")] = ArrayObject(sorted(new[str(k)] for k in node["/Limits"]))
        objects.put(ref.idnum, node)
        todo.extend(node.get("/Kids", ArrayObject()))


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


def without_running_head(data: bytes, height: float) -> bytes:
    """A page's content without its running head (on chapter openers: CSS cannot name a chapter's first page)."""
    match = MARGIN_BOXES.match(data)
    if match is None:
        return data
    height = height / 0.24 / 3.125  # Chromium's units in the margin boxes
    boxes = TEXT_BLOCK.sub(lambda m: b"" if float(m.group(1)) < height / 2 else m.group(0), match.group(1))
    return boxes + data[match.end(1):]


FONT_USE = re.compile(rb"/(F\d+)( [\d.]+ Tf)")


def with_font_names(resources, data: bytes) -> bytes | None:
    """Name the fonts of a content stream (a page's or a drawing's) MF0, MF1, ... in the order it
    first uses them, in ``resources`` and in ``data`` (the new content; None: it has no fonts).
    Chromium names them after its object numbers: fallback fonts (CJK text in italics) are numbered
    in the order it happens to create them."""
    from pypdf.generic import DictionaryObject, NameObject

    fonts = resources.get("/Font")
    if fonts is None:
        return None
    fonts = fonts.get_object()
    order = list(dict.fromkeys(m.group(1).decode() for m in FONT_USE.finditer(data)))
    order += sorted(k[1:] for k in fonts if k[1:] not in order)
    names = {old: f"MF{i}" for i, old in enumerate(order)}
    resources[NameObject("/Font")] = DictionaryObject(
        {NameObject("/" + names[old]): fonts.raw_get("/" + old) for old in order})
    return FONT_USE.sub(lambda m: b"/" + names[m.group(1).decode()].encode() + m.group(2), data)


def stable_pages(objects: Objects, openers: list[int]) -> None:
    """Each page's (and each drawing's) fonts named in the order they are used; no running head on
    ``openers``. Pages are parsed, not their content streams' operators (pypdf's parser is slow)."""

    seen: set[int] = set()

    def forms(resources):
        for ref in (resources.get("/XObject") or {}).values():
            form = ref.get_object()
            if form.get("/Subtype") == "/Form" and ref.idnum not in seen and "/Resources" in form:
                seen.add(ref.idnum)
                res = form["/Resources"].get_object()
                new = with_font_names(res, form.get_data())
                if new is not None:
                    form.set_data(new)
                    objects.put(ref.idnum, form)
                forms(res)

    for index, page in enumerate(objects.reader.pages):
        contents = page.raw_get("/Contents")
        stream = contents.get_object()
        printed = data = stream.get_data()
        if index in openers:
            data = without_running_head(data, float(page.mediabox.height))
        held = page.raw_get("/Resources")
        resources = held.get_object()
        data = with_font_names(resources, data) or data
        if data != printed:
            stream.set_data(data)
            objects.put(contents.idnum, stream)
        objects.put(held.idnum if held is not resources else page.indirect_reference.idnum,
                    resources if held is not resources else page)
        forms(resources)


def finish(pdf: bytes, book: Book, title: str, subject: str, titles: list[str], openers: list[int] = (),
           front: int = 0) -> bytes:
    """``pdf`` with the book's metadata, its bookmarks' ``titles``, no running head on the
    ``openers``, page labels (the ``front`` pages in roman numerals, then 1, 2, ...), a fixed date
    and identifiers derived from its content. The objects keep Chromium's bytes unless they change;
    they are numbered in the order they are reached from the catalogue."""
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, TextStringObject

    objects = Objects(pdf)
    stable_pages(objects, list(openers))
    fix_outline(objects, titles)
    pages = len(objects.reader.pages)
    labels = ([NumberObject(0), DictionaryObject({NameObject("/S"): NameObject("/r")})] if front else []) + [
        NumberObject(front), DictionaryObject({NameObject("/S"): NameObject("/D"), NameObject("/St"): NumberObject(1)})]
    root = objects.get(objects.root)
    root.pop(NameObject("/Metadata"), None)  # an XMP packet would hold the time and random ids
    root[NameObject("/Lang")] = TextStringObject(current())
    root[NameObject("/PageMode")] = NameObject("/UseOutlines")
    root[NameObject("/PageLabels")] = DictionaryObject({NameObject("/Nums"): ArrayObject(labels if pages else [])})
    objects.put(objects.root, root)
    date = source_date(book).strftime("D:%Y%m%d%H%M%S+00'00'")
    info = {"/Title": title, "/Author": ", ".join(book.authors), "/Subject": subject,
            "/Keywords": f"edition {book.version}", "/Creator": "maskbook.editions.pdf (Chromium)",
            "/Producer": "maskbook.editions.pdf", "/CreationDate": date, "/ModDate": date}
    objects.put(objects.info, DictionaryObject({NameObject(k): TextStringObject(v) for k, v in info.items()}))
    order = objects.order()
    stable_struct_ids(objects, order)
    return objects.write(order, lambda data: hashlib.md5(data + title.encode()).hexdigest())


def page_count(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(path).pages)
