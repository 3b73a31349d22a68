"""The book's chart style: one plotly template, one mode bar, panels (``panels``) and one way to
show a figure (``show``).

Chapters build a plotly figure from a table and hand it to :func:`show`, which applies the
template and attaches what every chart of the book carries: a title that states the finding, the
source line of the data it plots, the tables it plots and a text alternative; then it lays the
chart out (``maskbook.charts.fit``) so that no text is clipped or covers another. In JupyterLab the
cell shows the interactive chart; in the book ``maskbook.plotly_renderer`` turns the same output
into HTML that loads plotly.js from the site itself, laid out for a wide and a narrow screen.
"""
from __future__ import annotations

import json

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from IPython.display import display
from plotly.subplots import make_subplots

from maskbook import data
from maskbook.charts.fit import fit

#: Okabe & Ito's colour-blind-safe palette (Color Universal Design), darkest first.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]
#: Grey for the context series, when one series is highlighted.
MUTED = "#8C8C8C"
HIGHLIGHT = PALETTE[1]
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

pio.templates["maskbook"] = go.layout.Template(
    layout=dict(
        colorway=PALETTE,
        font=dict(family=FONT, size=14, color="#1f1f1f"),
        title=dict(x=0, xanchor="left", font=dict(size=17)),
        paper_bgcolor="#ffffff",
        plot_bgcolor="#ffffff",
        margin=dict(l=10, r=10, t=70, b=80),
        height=440,
        hoverlabel=dict(font=dict(family=FONT)),
        # The legend sits at the bottom of the figure, under the axis titles, from its left edge.
        legend=dict(orientation="h", xref="container", x=0, xanchor="left",
                    yref="container", y=0, yanchor="bottom"),
        xaxis=dict(automargin=True, gridcolor="#e5e5e5", zerolinecolor="#bdbdbd"),
        yaxis=dict(automargin=True, gridcolor="#e5e5e5", zerolinecolor="#bdbdbd"),
    )
)
TEMPLATE = "plotly_white+maskbook"
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
        return data.table_info(name)["source_line"]
    label = "survey" if "survey" in rows else "source_title"
    parts = []
    for work, publisher in rows[[label, "source_publisher"]].drop_duplicates().itertuples(index=False):
        part = work if publisher in work else f"{work}, via {publisher}"
        if part not in parts:
            parts.append(part)
    hands = set(rows["secondhand"].astype(str).str.lower()) if "secondhand" in rows else set()
    note = {frozenset({"yes"}): " (second-hand)", frozenset({"yes", "no"}): " (mixed first- and second-hand)"}
    return "; ".join(parts) + note.get(frozenset(hands), "")


def show(fig: go.Figure, *, title: str, tables, alt: str) -> None:
    """Style ``fig`` as a chart of the book and display it.

    ``title`` states the finding; ``tables`` names the data-package table(s) the chart plots (a
    name, or a list of names and ``(name, rows)`` pairs when the chart plots only ``rows`` of a
    table): their sources become the chart's source line and their CSVs are linked; ``alt`` is
    the text alternative read by screen readers (one or two sentences on what the chart shows).
    """
    items = [tables] if isinstance(tables, (str, tuple)) else list(tables)
    items = [item if isinstance(item, tuple) else (item, None) for item in items]
    names = [name for name, _ in items]
    source = "Source: " + "; ".join(source_line(name, rows) for name, rows in items)
    fig.update_layout(
        template=TEMPLATE,
        title_text=title,
        meta={
            "alt": alt,
            "source": source,
            "tables": [{"name": n, "csv": data.csv_path(n).name} for n in names],
        },
    )
    fig.add_annotation(
        name=SOURCE_ANNOTATION, text=source, showarrow=False, xref="paper", yref="paper",
        x=0, y=0, xanchor="left", yanchor="top", align="left", font=dict(size=11, color="#555555"),
    )
    bundle = {
        "application/vnd.plotly.v1+json": {**fit(json.loads(fig.to_json()), WIDE), "config": CONFIG},
        "text/plain": f"{title}\n{alt}\n{source}",
    }
    display(bundle, raw=True)
