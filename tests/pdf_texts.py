"""Each page of a PDF read once with PDFium (pypdfium2): its text (lines kept) and how far down the
page its text goes. tests/test_pdf.py reads the session's PDFs through it; the session reads them all in
the background once they exist (``python tests/pdf_texts.py PDF_FOLDER OUT.json``, tests/session_jobs.py).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pypdfium2 as pdfium


def read(path: Path) -> dict[str, list]:
    """``texts``: each page's text as PDFium extracts it (lines end with a newline); ``ends``: how
    far down each page its text goes, as a share of the page (text in the page's last tenth, its
    number, left out)."""
    texts, ends = [], []
    document = pdfium.PdfDocument(path)
    try:
        for page in document:
            height, text = page.get_height(), page.get_textpage()
            texts.append(text.get_text_range().replace("\r\n", "\n").replace("\ufffe", "-\n"))
            tops = [height - text.get_rect(i)[1] for i in range(text.count_rects())]  # each run's bottom, from the top
            ends.append(max((y for y in tops if y < height * 0.9), default=0) / height)
            text.close()
            page.close()
    finally:
        document.close()
    return {"texts": texts, "ends": ends}


def main(folder: Path, out: Path) -> None:
    read_all = {path.name: read(path) for path in sorted(folder.glob("*.pdf"), key=lambda p: -p.stat().st_size)}
    part = out.with_suffix(".part")
    part.write_text(json.dumps(read_all), encoding="utf-8")
    part.rename(out)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
