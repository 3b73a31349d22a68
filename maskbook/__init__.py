"""maskbook: the code behind the book *China's mask diplomacy in Italy, 2020*.

Modules, bottom to top: ``footnotes`` (the article's notes -> works cited) and ``data`` (the
validated data package loader); ``bibliography`` and ``bibstyle`` (notes and data sources ->
``references.bib`` and its house style); ``charts`` (the book's plotly style) and
``plotly_renderer`` (charts in the HTML); ``sphinxext`` registers the book's parts with Sphinx.
"""
from pathlib import Path

#: The repository (or unpacked teaching pack) root: the folder that holds ``data/``.
ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
