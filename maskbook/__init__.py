"""maskbook: the code behind the book *China's mask diplomacy in Italy, 2020*.

Modules, bottom to top:

- parsing and data: ``notes/`` (the notes layer: the essay's notes -> works cited, written as
  BibTeX and CSL-JSON, the parser scored against ``tests/gold/``), ``data`` (the validated data
  package loader), ``provenance`` (figures glued with the rows they come from);
- writing: ``bibliography`` (notes and data sources -> ``references.bib``), ``charts`` (the book's
  plotly style, its layout engine ``charts.fit``, one module per chapter), ``teaching_pack`` (with
  ``pack_markdown``: the notebooks' markdown, figures as values and citations as text);
- rendering and Sphinx: ``bibstyle`` (house style, author-year labels), ``plotly_renderer`` (charts
  in the HTML), ``plotly_bundle`` (the lightest plotly.js for the site), ``figurelinks`` and
  ``datadocs`` (figure links, the Data appendix), ``concordance``, ``pageparts``, ``a11y``,
  ``page_security`` (CSP, safe links), ``cssbundle``, ``lognoise`` (quiet kernels), ``pdf`` and
  ``pdf_paper`` (the PDF edition); ``sphinxext`` registers them with Sphinx, ``execute`` runs the
  chapters' notebooks in parallel; ``bench`` measures the build.
"""
from pathlib import Path

#: The repository (or unpacked teaching pack) root: the folder that holds ``data/``.
ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
