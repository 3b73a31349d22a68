"""The book's charts: the shared style (``style``), the layout that fits every chart to its
screen (``fit``) and one plotting function per chart, by chapter.

A chapter selects the rows and calls ``charts.<chapter>.<chart>(rows)``, which returns a plotly
figure: the cell ends with it, and Jupyter shows it. Every chart function finishes its figure with
:func:`book_figure` (the book's template, a title that states the finding, a source line, a text
alternative, a link to the data); importing ``maskbook.book.charts`` makes the book's renderer plotly's
default, which lays any figure out without clipped or overlapping text (``fit``). So a figure
changed in class (``fig.update_layout(...)``) shows in the book's style. For a chart of your own:
``charts.book_figure(fig, title=..., tables=..., alt=...)``; for several panels,
``charts.panels(titles)``; colours by meaning from ``charts.COLOURS`` (China, Italy, favourable,
unfavourable, ...).
"""
from maskbook.book.charts.style import COLOURS, MUTED, PALETTE, SOURCE_ANNOTATION, book_figure, panels, shade

__all__ = ["book_figure", "panels", "COLOURS", "shade", "PALETTE", "MUTED", "SOURCE_ANNOTATION"]
