"""The book's charts: the shared style (``style``) and one function per chart, by chapter.

Chapters call ``charts.<chapter>.<chart>()``; every chart goes through :func:`show`, so all of
them share one template, a title that states the finding, a source line, a text alternative and
a link to their data. For a chart of your own: ``charts.show(fig, title=..., tables=..., alt=...)``.
"""
from maskbook.charts.style import HIGHLIGHT, MUTED, PALETTE, SOURCE_ANNOTATION, show

__all__ = ["show", "PALETTE", "MUTED", "HIGHLIGHT", "SOURCE_ANNOTATION"]
