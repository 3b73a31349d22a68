"""``{book-citation}``: the book's citation, ready to copy, on the landing page (issue 20).

The text is the one the PDF edition's title page gives (:meth:`maskbook.edition.Book.cite`), made from
``CITATION.cff`` and the site's address: written once, never typed into a page. The block carries
the copy button of the site's code blocks. A translated edition cites itself: its title, its word
for "edition" and its own address (``<site>/<language>/``).
"""
from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from maskbook import language
from maskbook.edition import Book, BookError, read_book
from maskbook.language import ORIGINAL, current

#: The package's strings in the build's language (the gettext name, which ``pybabel extract`` finds).
_ = language._


def citation(book: Book, lang: str) -> str:
    """The book's citation in the language ``lang``: that edition's title and address."""
    if lang == ORIGINAL:
        return book.cite()
    return book.translated(lang).cite(edition=_("edition", lang))


class BookCitationDirective(SphinxDirective):
    def run(self) -> list[nodes.Node]:
        root = Path(self.env.srcdir)
        for name in ("CITATION.cff", "_config.yml"):
            self.env.note_dependency(str(root / name))
        try:
            text = citation(read_book(root), current())
        except BookError as err:
            raise self.error(str(err)) from None
        block = nodes.literal_block(text, text, language="none", classes=["maskbook-citation"])
        return [block]


def setup(app: Sphinx) -> dict:
    app.add_directive("book-citation", BookCitationDirective)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
