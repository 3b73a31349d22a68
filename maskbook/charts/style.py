"""The book's chart style: one plotly template and one way to show a figure (``show``).

Chapters build a plotly figure from a table and hand it to :func:`show`, which applies the
template and attaches what every chart of the book carries: a title that states the finding, the
source line of the data package, the table it plots and a text alternative. In JupyterLab the cell
shows the interactive chart; in the book ``maskbook.plotly_renderer`` turns the same output into
HTML that loads plotly.js from the site itself.
"""
from __future__ import annotations

import json

import plotly.graph_objects as go
import plotly.io as pio
from IPython.display import display

from maskbook import data

#: Okabe & Ito's colour-blind-safe palette (Color Universal Design), darkest first.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]
#: Grey for the context series, when one series is highlighted.
MUTED = "#8C8C8C"
HIGHLIGHT = PALETTE[1]
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
#: Name of the annotation that carries the source line inside the figure.
SOURCE_ANNOTATION = "maskbook-source"

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
        legend=dict(orientation="h", yanchor="top", y=-0.18, x=0),
        xaxis=dict(automargin=True, gridcolor="#e5e5e5", zerolinecolor="#bdbdbd"),
        yaxis=dict(automargin=True, gridcolor="#e5e5e5", zerolinecolor="#bdbdbd"),
    )
)
TEMPLATE = "plotly_white+maskbook"
# plotly express picks colours from the default template when a figure is made.
pio.templates.default = TEMPLATE


def show(fig: go.Figure, *, title: str, tables: str | list[str], alt: str) -> None:
    """Style ``fig`` as a chart of the book and display it.

    ``title`` states the finding; ``tables`` names the data-package table(s) the chart plots, whose
    ``source_line`` becomes the chart's source line and whose CSV the book links to; ``alt`` is
    the text alternative read by screen readers (one or two sentences on what the chart shows).
    """
    names = [tables] if isinstance(tables, str) else list(tables)
    infos = [data.table_info(name) for name in names]
    source = "Source: " + "; ".join(info["source_line"] for info in infos)
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
        x=0, y=0, yshift=-70, xanchor="left", yanchor="top", align="left",
        font=dict(size=11, color="#555555"),
    )
    bundle = {
        "application/vnd.plotly.v1+json": {
            **json.loads(fig.to_json()),
            "config": {"responsive": True, "displaylogo": False},
        },
        "text/plain": f"{title}\n{alt}\n{source}",
    }
    display(bundle, raw=True)
