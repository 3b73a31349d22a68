"""maskbook: the code behind the book *China's mask diplomacy in Italy, 2020*.

Folders by layer, bottom to top; a module imports only from its own layer or the ones below
(``tests/test_machinery.py`` checks it):

- ``maskbook`` (this file: the repository's paths), ``edition`` (the book's title, edition,
  licence and table of contents, read once for every output) and ``imports`` (which of the
  package's modules a chapter's code imports: the site's input fingerprints, the teaching pack);
- ``notes/``: the essay's notes read into the works they cite, written as BibTeX and CSL-JSON,
  scored against ``tests/gold/`` (a stable contract: it imports nothing else of the package);
- ``book/``: what the chapters import (``data``, ``provenance``, ``charts``), and
  ``book.bibliography``, which writes ``references.bib`` from the notes and the data's sources;
- ``site/``: the Sphinx extensions (``site.sphinxext`` registers them), notebook execution, static
  files and templates;
- ``editions/``: the PDF edition and the teaching pack (``pack_markdown``: the notebooks' markdown,
  figures as values and citations as text);
- ``bench``: measures the build, the site and the PDF edition.
"""
from pathlib import Path

#: The repository (or unpacked teaching pack) root: the folder that holds ``data/``.
ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
