"""The book's charts: the shared style (``style``), the layout that fits every chart to its
screen (``fit``) and one function per chart, by chapter.

Chapters call ``charts.<chapter>.<chart>()``; every chart goes through :func:`show`, so all of
them share one template, a title that states the finding, a source line, a text alternative, a
link to their data and a layout without clipped or overlapping text. For a chart of your own:
``charts.show(fig, title=..., tables=..., alt=...)``; for several panels, ``charts.panels(titles)``;
colours by meaning from ``charts.COLOURS`` (China, Italy, favourable, unfavourable, ...).
"""
from maskbook.book.charts.style import COLOURS, MUTED, PALETTE, SOURCE_ANNOTATION, panels, shade, show

__all__ = ["show", "panels", "COLOURS", "shade", "PALETTE", "MUTED", "SOURCE_ANNOTATION"]
