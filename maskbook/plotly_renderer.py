"""Render the book's plotly outputs as offline, accessible HTML (a myst-nb MIME renderer).

myst-nb 1.4 has no renderer for ``application/vnd.plotly.v1+json``; this plugin (registered in
``pyproject.toml`` under ``myst_nb.mime_renderers``) turns each such output into a ``<figure>``:
the chart title as a caption, a text alternative for screen readers, the interactive chart
(``Plotly.newPlot`` with a deterministic div id), the source line, a link to the CSV and a
collapsed table of exactly the plotted points. It asks for ``_static/plotly.min.js`` on that page
only (``maskbook.sphinxext`` copies the file from the installed plotly package).
"""
from __future__ import annotations

import base64
import copy
import hashlib
import html
import json

import numpy as np
import plotly.io as pio
from docutils import nodes

from maskbook.charts.style import SOURCE_ANNOTATION

PLOTLY_MIME = "application/vnd.plotly.v1+json"
PLOTLY_JS = "plotly.min.js"


class PlotlyRenderer:
    """myst-nb MIME render plugin for plotly figures."""

    mime_priority_overrides = [("*", PLOTLY_MIME, 1)]

    @staticmethod
    def handle_mime(renderer, data, inline):
        if inline or data.mime_type != PLOTLY_MIME:
            return None
        env = renderer.renderer.sphinx_env
        root = "../" * env.docname.count("/") if env is not None else ""
        renderer.add_js_file("maskbook-plotly", PLOTLY_JS, {})
        return [nodes.raw("", figure_html(data.content, root), format="html")]


def figure_html(content: dict, root: str) -> str:
    """The HTML of one chart: caption, text alternative, plot, source, CSV link, data table."""
    fig = copy.deepcopy(content)
    config = fig.pop("config", {})
    layout = fig.setdefault("layout", {})
    meta = layout.get("meta") or {}
    title = (layout.get("title") or {}).get("text", "")
    # Title and source line become HTML text (wraps on phones, read by screen readers).
    layout["title"] = {**layout.get("title", {}), "text": ""}
    layout["annotations"] = [a for a in layout.get("annotations", []) if a.get("name") != SOURCE_ANNOTATION]
    margin = layout.setdefault("margin", {})
    margin.update(t=20, b=margin.get("b", 80) - 60)
    div_id = "chart-" + hashlib.sha1(json.dumps(content, sort_keys=True).encode()).hexdigest()[:12]
    plot = pio.to_html(
        fig, config=config, include_plotlyjs=False, include_mathjax=False, full_html=False,
        div_id=div_id, validate=False,
    )
    esc = html.escape
    links = " · ".join(
        f'<a href="{root}data/{esc(t["csv"])}">Download the data: {esc(t["csv"])}</a>'
        for t in meta.get("tables", [])
    )
    return (
        f'<figure class="maskbook-chart" id="{div_id}-figure" aria-describedby="{div_id}-alt">\n'
        f'<figcaption class="maskbook-chart-title">{esc(title)}</figcaption>\n'
        f'<p class="maskbook-chart-alt visually-hidden" id="{div_id}-alt">{esc(meta.get("alt", ""))}</p>\n'
        f"{plot}\n"
        f'<p class="maskbook-chart-source">{esc(meta.get("source", ""))}</p>\n'
        f'<p class="maskbook-chart-download">{links}</p>\n'
        f"{data_table_html(fig)}\n</figure>"
    )


def _values(v) -> list:
    """Plotly JSON arrays may be plain lists or typed arrays ({"dtype", "bdata", "shape"})."""
    if isinstance(v, dict) and "bdata" in v:
        arr = np.frombuffer(base64.b64decode(v["bdata"]), dtype=np.dtype(v["dtype"]))
        return arr.reshape(v["shape"]).tolist() if "shape" in v else arr.tolist()
    return list(v) if isinstance(v, (list, tuple)) else [v]


def _fmt(v) -> str:
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return html.escape(str(v))


def plotted_points(fig: dict) -> list[tuple]:
    """One (series, x, y, label) row per plotted point, in trace order."""
    rows = []
    for trace in fig.get("data", []):
        xs, ys = _values(trace.get("x", [])), _values(trace.get("y", []))
        labels = trace.get("hovertext") or trace.get("text") or ""
        labels = _values(labels) if not isinstance(labels, str) else [labels] * len(xs)
        for i, (x, y) in enumerate(zip(xs, ys)):
            label = labels[i] if i < len(labels) else ""
            rows.append((trace.get("name") or "", x, y, label))
    return rows


def data_table_html(fig: dict) -> str:
    """A collapsed <details> table of exactly the points the chart plots."""
    layout = fig.get("layout", {})

    def axis_title(axis):
        t = (layout.get(axis) or {}).get("title") or {}
        return (t.get("text") if isinstance(t, dict) else t) or axis[0]

    rows = plotted_points(fig)
    has_label = any(r[3] for r in rows)
    head = ["Series", axis_title("xaxis"), axis_title("yaxis")] + (["Label"] if has_label else [])
    body = "".join(
        "<tr>" + "".join(f"<td>{_fmt(c)}</td>" for c in (r if has_label else r[:3])) + "</tr>"
        for r in rows
    )
    return (
        '<details class="maskbook-chart-data"><summary>Show the data plotted in this chart</summary>\n'
        '<div class="maskbook-table-wrap"><table>'
        "<thead><tr>" + "".join(f'<th scope="col">{html.escape(str(h))}</th>' for h in head) + "</tr></thead>"
        f"<tbody>{body}</tbody></table></div></details>"
    )
