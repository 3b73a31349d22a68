"""Each page of a PDF read once with pypdf: its text (lines kept) and how far down the page its
text goes. tests/test_pdf.py reads the session's PDFs through it; the session reads them all in
the background once they exist (``python tests/pdf_texts.py PDF_FOLDER OUT.json``, tests/session_jobs.py).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from pypdf import PdfReader


def read(path: Path) -> dict[str, list]:
    """``texts``: each page's text as pypdf extracts it; ``ends``: how far down each page its text
    goes, as a share of the page (text in the page's last tenth, its number, left out)."""
    texts, ends = [], []
    for page in PdfReader(path).pages:
        height, lowest = float(page.mediabox.height), []

        def visit(text, cm, tm, font, size, height=height, lowest=lowest):
            if text.strip():
                lowest.append(height - (tm[4] * cm[1] + tm[5] * cm[3] + cm[5]))  # from the page's top

        texts.append(page.extract_text(visitor_text=visit))
        body = [y for y in lowest if y < height * 0.9]
        ends.append(max(body, default=0) / height)
    return {"texts": texts, "ends": ends}


def main(folder: Path, out: Path) -> None:
    read_all = {path.name: read(path) for path in sorted(folder.glob("*.pdf"), key=lambda p: -p.stat().st_size)}
    part = out.with_suffix(".part")
    part.write_text(json.dumps(read_all), encoding="utf-8")
    part.rename(out)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
