"""The book's chart style: one plotly template, one mode bar, panels (``panels``), the finish of
every chart (``book_figure``) and one way to show a figure (the plotly renderer ``maskbook``).

Chart functions build a plotly figure from the rows a chapter passes them and return it through
:func:`book_figure`, which applies the template and attaches what every chart of the book
carries: a title that states the finding, the source line of the data it plots, the tables it
plots and a text alternative. Importing this module makes :class:`BookRenderer` plotly's default
renderer: when a cell ends with a figure, it is laid out (``maskbook.book.charts.fit``) so that no text
is clipped or covers another, and shown as plotly's own MIME type. In JupyterLab the cell shows
the interactive chart; in the book ``maskbook.site.plotly_renderer`` turns the same output into HTML
that loads plotly.js from the site itself, laid out for a wide and a narrow screen.
"""
from __future__ import annotations

import json
import re

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from plotly.io.base_renderers import MimetypeRenderer
from plotly.subplots import make_subplots

from maskbook import language
from maskbook.book import data
from maskbook.book.charts.fit import fit
from maskbook.book.charts.formats import SEPARATORS
from maskbook.language import _

#: One meaning per colour across the book, from Okabe & Ito's colour-blind-safe palette (Color
#: Universal Design). Each colour reads on the light and on the dark page. A chart colours a series
#: by what it is: a country named as an answer by the country (China, Italy), an answer about China
#: or the EU by its stance, a consignment by what its source says of the transfer.
COLOURS = {
    "china": "#D55E00",         # China: China as an answer, Chinese gifts, donors and teams
    "italy": "#0072B2",         # Italy: Italy among countries, Italians as a whole, what Italy bought
    "favourable": "#009E73",    # a favourable answer: ally, approval, more cooperation, "enough"
    "unfavourable": "#CC79A7",  # an unfavourable answer: threat, suspicion, harsh judgement
    "mixed": "#E69F00",         # gift and purchase in one load
    "neutral": "#56B4E9",       # a series with no other meaning: events, other groups and countries
    "context": "#8C8C8C",       # context and comparison: other answers, medians, the rest, not stated
}


def shade(role: str, alpha: float) -> str:
    """The colour of ``role`` (a key of ``COLOURS``) at opacity ``alpha``: parts of one meaning
    (China's gifts by kind of donor) in shades of its colour."""
    hex_ = COLOURS[role].lstrip("#")
    r, g, b = (int(hex_[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha:g})"


#: The colours plotly gives series that set none: the neutral one first, never a meaning by accident.
PALETTE = [COLOURS["neutral"], COLOURS["context"]]
MUTED = COLOURS["context"]
#: Colours of the chart's frame (text, grid, background) on the light and on the dark page. The
#: dark page is pydata-sphinx-theme's; charts are drawn on it with a transparent background.
THEMES = {
    "light": {"text": "#1f1f1f", "grid": "#e5e5e5", "zeroline": "#bdbdbd", "line": "#EBF0F8",
              "paper": "#ffffff", "note": "#555555"},
    "dark": {"text": "#ced6dd", "grid": "#3a4048", "zeroline": "#5b636c", "line": "#3a4048",
             "paper": "rgba(0,0,0,0)", "note": "#9aa4ad"},
}
#: The MIME type of a plotly figure in a notebook.
PLOTLY_MIME = "application/vnd.plotly.v1+json"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
#: Name of the annotation that carries the source line inside the figure.
SOURCE_ANNOTATION = "maskbook-source"
#: Font size (px) of panel titles.
PANEL_TITLE_SIZE = 13
#: Width (px) the figure is laid out for in JupyterLab and on wide screens: about the text column
#: (672 px on a desktop screen, 605 px in an exercise's solution).
WIDE = 660
#: plotly.js settings of every chart: the mode bar keeps a reader's tools (download a PNG, zoom,
#: reset) and nothing that sends the data to Plotly's servers or links to them.
CONFIG = {
    "displaylogo": False,
    "responsive": True,
    "showSendToCloud": False,
    "showEditInChartStudio": False,
    "showLink": False,
    "modeBarButtons": [["toImage"], ["zoom2d", "zoomIn2d", "zoomOut2d", "resetScale2d"]],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}



def _frame(theme: str) -> go.layout.Template:
    """The book's template layer for the light or the dark page (only the frame's colours differ)."""
    c = THEMES[theme]
    axis = dict(automargin=True, gridcolor=c["grid"], zerolinecolor=c["zeroline"], linecolor=c["line"])
    return go.layout.Template(
        layout=dict(
            colorway=PALETTE,
            font=dict(family=FONT, size=14, color=c["text"]),
            title=dict(x=0, xanchor="left", font=dict(size=17)),
            paper_bgcolor=c["paper"],
            plot_bgcolor=c["paper"],
            margin=dict(l=10, r=10, t=70, b=80),
            height=440,
            hoverlabel=dict(font=dict(family=FONT)),
            # The legend sits at the bottom of the figure, under the axis titles, from its left edge.
            legend=dict(orientation="h", xref="container", x=0, xanchor="left",
                        yref="container", y=0, yanchor="bottom"),
            xaxis=axis,
            yaxis=axis,
            annotationdefaults=dict(arrowcolor=c["note"], font=dict(color=c["text"])),
            shapedefaults=dict(line=dict(color=c["note"])),
        )
    )


pio.templates["maskbook"] = _frame("light")
pio.templates["maskbook_dark"] = _frame("dark")
# The book's frame over plotly_white, merged once under a name of its own: plotly merges a
# "plotly_white+maskbook" name again (deep copies) at every figure made, ~50 ms each.
pio.templates["maskbook_page"] = pio.templates["plotly_white+maskbook"]
pio.templates["maskbook_page_dark"] = pio.templates["plotly_white+maskbook_dark"]
TEMPLATE = "maskbook_page"
#: The same template for the dark page (``maskbook.site.plotly_renderer`` and the site's chart script).
DARK_TEMPLATE = "maskbook_page_dark"
# plotly express picks colours from the default template when a figure is made.
pio.templates.default = TEMPLATE


def panels(titles: list[str], *, cols: int = 1, **subplots) -> go.Figure:
    """A figure of panels, one per title: stacked (``cols=1``) or side by side (one row).

    Panel titles are in the book's panel style: left-aligned over stacked panels, centred over
    side-by-side ones; ``fit`` breaks them into lines and makes room for them.
    """
    rows = len(titles) if cols == 1 else 1
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=titles, **subplots)
    fig.update_annotations(font_size=PANEL_TITLE_SIZE)
    if cols == 1:
        fig.update_annotations(xanchor="left", x=0, align="left")
    return fig


def source_line(name: str, rows: pd.DataFrame | None = None) -> str:
    """The source of table ``name``, or of only the ``rows`` of it that a chart plots.

    A table gathering several surveys (``other_surveys``) names all of them; a chart plotting
    some rows names the surveys of those rows (column ``survey``, else ``source_title``) and who
    published them, and whether all of them are second-hand.
    """
    if rows is None:
        line = data.table_info(name)["source_line"]
        return house_style(_(line) if line else line)
    label = "survey" if "survey" in rows else "source_title"
    publishers: dict[str, list[str]] = {}
    for work, publisher in rows[[label, "source_publisher"]].drop_duplicates().itertuples(index=False):
        names = publishers.setdefault(work, [])
        if publisher not in work and publisher not in names:
            names.append(publisher)
    parts = [_("{work}, via {publishers}").format(work=work, publishers=_(" and ").join(names)) if names else work
             for work, names in publishers.items()]
    hands = {str(v).lower() for v in rows["secondhand"]} if "secondhand" in rows else set()
    hands = {"yes" if h in ("yes", "true") else "no" for h in hands}
    note = {frozenset({"yes"}): _(" (second-hand)"), frozenset({"yes", "no"}): _(" (mixed first- and second-hand)")}
    return house_style("; ".join(parts) + note.get(frozenset(hands), ""))


def house_style(text: str) -> str:
    """Names as the book writes them: "Di Maio", as he and the Italian press write it."""
    return re.sub(r"\bdi Maio\b", "Di Maio", text)


def book_figure(fig: go.Figure, *, title: str, tables, alt: str) -> go.Figure:
    """``fig`` as a chart of the book: its finding as title, its source line, its tables, its text
    alternative; returns the figure (shown by the ``maskbook`` renderer, :class:`BookRenderer`).

    ``title`` states the finding; ``tables`` names the data-package table(s) the chart plots (a
    name, or a list of names and ``(name, rows)`` pairs when the chart plots only ``rows`` of a
    table): their sources become the chart's source line and their CSVs are linked; ``alt`` is
    the text alternative read by screen readers (one or two sentences on what the chart shows).
    """
    items = [tables] if isinstance(tables, (str, tuple)) else list(tables)
    items = [item if isinstance(item, tuple) else (item, None) for item in items]
    names = [name for name, _rows in items]
    source = _("Source: {sources}").format(sources="; ".join(source_line(name, rows) for name, rows in items))
    if fig.layout.barmode == "stack" and fig.layout.legend.traceorder is None:
        fig.update_layout(legend_traceorder="normal")  # left to right, as the stack (plotly reverses it)
    fig.update_layout(
        template=TEMPLATE,
        title_text=house_style(title),
        # plotly's own numbers (hover, ticks) with the language's decimal and thousands separators.
        separators=SEPARATORS[language.current()],
        meta={
            "language": language.current(),
            "alt": house_style(alt),
            "source": source,
            "tables": [{"name": n, "csv": data.csv_path(n).name} for n in names],
        },
    )
    fig.add_annotation(
        name=SOURCE_ANNOTATION, text=source, showarrow=False, xref="paper", yref="paper",
        x=0, y=0, xanchor="left", yanchor="top", align="left", font=dict(size=11, color="#555555"),
    )
    return fig


class BookRenderer(MimetypeRenderer):
    """How every figure shows in Jupyter (plotly's default renderer once ``maskbook.book.charts`` is
    imported): plotly's own MIME type, laid out (``fit``) for the text column, with the book's mode
    bar; as plain text, the title, text alternative and source line. A figure changed in class
    (``fig.update_layout(...)``) is laid out again when it is shown. The site's renderer,
    ``maskbook.site.plotly_renderer``, reads this output."""

    def to_mimebundle(self, fig_dict: dict) -> dict:
        fig = json.loads(pio.to_json(fig_dict, validate=False))
        layout = fig.get("layout", {})
        meta = layout.get("meta") or {}
        title = (layout.get("title") or {}).get("text", "")
        return {
            PLOTLY_MIME: {**fit(fig, WIDE), "config": CONFIG},
            "text/plain": "\n".join(t for t in (title, meta.get("alt"), meta.get("source")) if t),
        }


pio.renderers["maskbook"] = BookRenderer()
pio.renderers.default = "maskbook"
