"""The book in other forms, made from the built site and the chapters: the PDF edition (``pdf``,
``pdf_paper``: the book, the data edition, the chapter handouts) and the teaching pack
(``teaching_pack``: the chapters as student and instructor notebooks).

May import: every layer below it (``maskbook``, ``maskbook.edition``, ``book``, ``notes``,
``site``); only ``bench`` sits above it.

``offer`` is the Sphinx extension (in ``_config.yml``) that offers them on the site.
"""

#: Where the PDF edition is written, in the book's folder (the teaching pack can hold it).
PDF_FOLDER = "_build/pdf"
