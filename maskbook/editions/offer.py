"""The editions on the site: the PDF edition's links once it is built, and the teaching pack as
``teaching-pack.zip`` (a Sphinx extension, ``maskbook.editions.offer`` in ``_config.yml``)."""
from __future__ import annotations

import hashlib
from pathlib import Path

from sphinx.application import Sphinx

from maskbook.editions import pack_markdown, pdf, teaching_pack, translation
from maskbook.site.sphinxext import executed_notebook


def write_teaching_pack(app: Sphinx, exception) -> None:
    """Write the teaching pack (``maskbook.editions.teaching_pack``) into the site as ``teaching-pack.zip``,
    in the site's language."""
    if exception is not None or app.builder.format != "html":
        return
    root, zip_path = Path(app.srcdir), Path(app.outdir) / teaching_pack.ZIP_NAME
    # Rebuilt only when one of its inputs changed (an unchanged rebuild stays fast).
    inputs = [root / "_toc.yml", root / "intro.md", root / "requirements.txt", root / "LICENSE",
              root / "LICENSE-CONTENT.md", *sorted((root / "chapters").glob("*.md")),
              *sorted((root / "data").glob("*.*")), *sorted((root / "maskbook").rglob("*.py")),
              *sorted((root / "locales").rglob("*.po")), *sorted((root / "maskbook" / "locales").rglob("*.po")),
              *sorted(pdf.built_pdfs(app).glob("*.pdf"))]
    digest = hashlib.sha256()
    for path in inputs:
        if path.is_file():
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    stamp = Path(app.outdir).parent / ".teaching-pack.sha256"
    if zip_path.is_file() and stamp.is_file() and stamp.read_text() == digest.hexdigest():
        return
    # The figures the chapters glued in this build (the pack's markdown shows them as values).
    executed = {doc: executed_notebook(app, doc) for _, doc, _ in teaching_pack.pack_chapters(root)}
    glued = {doc: pack_markdown.glued_in(nb) if nb else {} for doc, nb in executed.items()}
    lang = translation.page_language(app.config)  # the Italian site offers the Italian pack
    teaching_pack.write_zip(teaching_pack.pack_files(root, pdf.built_pdfs(app), glued, lang=lang), zip_path)
    stamp.write_text(digest.hexdigest())


def setup(app: Sphinx) -> dict:
    app.setup_extension("maskbook.editions.pdf")  # the site offers the PDF edition once built (issue 14)
    app.connect("build-finished", write_teaching_pack)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
