"""Render the book's plotly outputs as offline, accessible HTML (a myst-nb MIME renderer).

myst-nb 1.4 has no renderer for ``application/vnd.plotly.v1+json``; this plugin (registered in
``pyproject.toml`` under ``myst_nb.mime_renderers``) turns each such output into a ``<figure>``:
the chart title as a caption, a text alternative for screen readers, the chart, the source line,
a link to the CSV and a collapsed table of exactly the plotted points.

Each chart is laid out twice (``maskbook.book.charts.fit``): for a wide screen (the text column,
``WIDE`` px) and for a narrow one (a phone, ``NARROW`` px, below the ``NARROW_MEDIA`` query).
The chart itself is loaded lazily: the page carries the figure as JSON in a
``<script type="application/json">`` (with the narrow layout's changes) and a static SVG image of
each layout (made at build time with kaleido; a ``<picture>`` picks the one for the screen; shown
when JavaScript is off, while plotly.js loads, and when printing), for the light page and for the
dark one (the loader swaps them when the theme sets ``data-theme="dark"`` on ``<html>``). The plot box has the image's
aspect ratio, so the image fills it and the drawn chart takes its place exactly.
``_static/maskbook-charts.js`` (added to chart pages only) fetches ``_static/plotly.min.js`` once,
when the first chart nears the viewport, and draws each chart as it comes into view
(``maskbook.site.sphinxext`` copies the lightest plotly.js that draws the site's charts, see
``maskbook.site.plotly_bundle``). The book's plotly template, the same for every chart, is not repeated
in each chart's JSON: the site holds it once, in ``_static/maskbook-template.js``
(:func:`template_script`), loaded with plotly.js, with its dark twin (same layout, the frame's
colours for the dark page): the loader draws each chart with the one for the page's theme.
In JupyterLab the same output is plotly's own MIME bundle: this module is not involved.
"""
from __future__ import annotations

import asyncio
import base64
import concurrent.futures
import copy
import functools
import hashlib
import html
import json
import os
import re
import threading
import time
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
from docutils import nodes
from sphinx.util import logging

from maskbook import language
from maskbook.book.charts.fit import NARROW_BELOW, fit
from maskbook.book.charts.style import CONFIG, DARK_TEMPLATE, PLOTLY_MIME, SOURCE_ANNOTATION, TEMPLATE, WIDE
from maskbook.language import ORIGINAL, current, number
from maskbook.site import compat, plotly_bundle

#: The package's strings in the build's language (the gettext name, which ``pybabel extract`` finds).
_ = language._

PLOTLY_JS = "plotly.min.js"
LOADER_JS = "maskbook-charts.js"
#: The book's plotly template, once for the whole site (``window.maskbookTemplate``).
TEMPLATE_JS = "maskbook-template.js"
#: Width (CSS px) of the narrow layout: a phone's text column, or a little less (a chart in an
#: exercise's solution); wider columns show it a little larger.
NARROW = 300
#: Greatest height (px) of the narrow layout: shown 342 px wide on a 390 x 844 px phone, its plot
#: (at most 832 px) stays within the phone's screen.
NARROW_MAX_HEIGHT = 730
#: Screens that get the narrow layout (the same query is in maskbook.css, "charts" section).
NARROW_MEDIA = "(max-width: 599.98px)"
#: Where built SVGs are kept between builds (under _build/), keyed by a hash of the figure.
SVG_CACHE = ".maskbook_charts"

logger = logging.getLogger(__name__)


class PlotlyRenderer:
    """myst-nb MIME render plugin for plotly figures."""

    mime_priority_overrides = [("*", PLOTLY_MIME, 1)]

    @staticmethod
    def handle_mime(renderer, data, inline):
        if inline or data.mime_type != PLOTLY_MIME:
            return None
        env = renderer.renderer.sphinx_env
        root = "../" * env.docname.count("/") if env is not None else ""
        renderer.add_js_file(
            "maskbook-charts", LOADER_JS, {"defer": "defer", "data-plotly": f"{root}_static/{PLOTLY_JS}",
                                           "data-template": f"{root}_static/{TEMPLATE_JS}"}
        )
        outdir = Path(env.app.outdir) if env is not None else None
        return [nodes.raw("", figure_html(data.content, root, outdir=outdir), format="html")]


CAPTION = '<figcaption class="maskbook-chart-title">'


def number_charts(app, doctree, docname: str) -> None:
    """``doctree-resolved``: each chart of a chapter is captioned "Figure <chapter>.<n>", chapters
    numbered as the exercises are (by their place in the book, the landing page not counted); the
    PDF edition prints the same numbers."""
    from maskbook.site.pageparts import book_order

    chapters = [doc for doc in book_order(app.env) if doc != app.config.root_doc]
    if docname not in chapters:
        return
    charts = [node for node in doctree.findall(nodes.raw) if CAPTION in node.astext()]
    for n, node in enumerate(charts, start=1):
        figure = _("Figure {number}").format(number=f"{chapters.index(docname) + 1}.{n}")
        label = f'{CAPTION}<span class="maskbook-figure-number">{figure}</span> '
        node.replace_self(nodes.raw("", node.astext().replace(CAPTION, label, 1), format="html"))


def chart_figure(content: dict) -> tuple[dict, str]:
    """The figure as the page draws it (title and source line move to HTML) and its id."""
    fig = copy.deepcopy(content)
    fig.pop("config", None)
    layout = fig.setdefault("layout", {})
    # Title and source line become HTML text (wraps on phones, read by screen readers).
    layout["title"] = {**layout.get("title", {}), "text": ""}
    layout["annotations"] = [a for a in layout.get("annotations", []) if a.get("name") != SOURCE_ANNOTATION]
    div_id = "chart-" + hashlib.sha1(json.dumps(content, sort_keys=True).encode()).hexdigest()[:12]
    return fig, div_id


#: The screens a chart is laid out for, and the width (px) of each layout.
SCREENS = {"wide": WIDE, "narrow": NARROW}
assert NARROW < NARROW_BELOW <= WIDE


def layouts(fig: dict) -> dict[str, dict]:
    """The figure laid out for each screen: ``{"wide": fig, "narrow": fig}``."""
    return {"wide": fit(fig, WIDE), "narrow": fit(fig, NARROW, max_height=NARROW_MAX_HEIGHT)}


@functools.lru_cache(maxsize=2)
def _book_template_json(name: str = TEMPLATE) -> str:
    """The book's plotly template (or its dark twin) as plotly writes it into a layout (JSON text)."""
    fig = go.Figure(layout={"template": name})
    return json.dumps(json.loads(fig.to_json())["layout"]["template"], sort_keys=True)


def uses_book_template(layout: dict) -> bool:
    return json.dumps(layout.get("template"), sort_keys=True) == _book_template_json()


def dark(fig: dict) -> dict:
    """The figure drawn for the dark page: the book's dark template in place of the light one."""
    return {**fig, "layout": {**fig["layout"], "template": json.loads(_book_template_json(DARK_TEMPLATE))}}


def template_script() -> str:
    """``_static/maskbook-template.js``: the book's template and its dark twin, which chart specs leave out."""
    return (f"window.maskbookTemplate = {_json_script(json.loads(_book_template_json()))};\n"
            f"window.maskbookTemplateDark = {_json_script(json.loads(_book_template_json(DARK_TEMPLATE)))};\n")


def changed_keys(base: dict, other: dict) -> dict:
    """The top-level entries of ``other`` that differ from ``base`` (the page stores one template)."""
    return {k: v for k, v in other.items() if base.get(k) != v}


# --- static images (kaleido) -------------------------------------------------------------------

#: Charts drawn at once (browser tabs): the build's reading goes on meanwhile.
TABS = 2


class Drawer:
    """One kaleido session for the whole build: a browser with ``TABS`` tabs, driven from its own
    thread, that draws the static images while Sphinx reads on (a chart took ~0.3-1 s, one after
    another, in the reading); :func:`finish_images` waits for them and writes them."""

    def __init__(self, bundle: Path):
        import logging as std_logging

        # kaleido's browser driver logs its clean-up at INFO on exit; keep the build log to Sphinx's.
        std_logging.getLogger("choreographer").setLevel(std_logging.WARNING)
        std_logging.getLogger("kaleido").setLevel(std_logging.WARNING)
        self.started = time.perf_counter()
        self.loop = asyncio.new_event_loop()
        threading.Thread(target=self.loop.run_forever, daemon=True).start()
        # Offline: the site's plotly.js bundle, no MathJax (kaleido's default is a CDN).
        self.kaleido = compat.kaleido_keeping_its_pages(n=TABS, plotlyjs=str(bundle), mathjax=False)
        self.run(self.kaleido.__aenter__()).result()  # raises here when Chromium is missing
        #: (future SVG, div id, image cache file, file in the site) of each image being drawn
        self.pending: list[tuple[concurrent.futures.Future, str, Path, Path]] = []

    def run(self, coroutine) -> concurrent.futures.Future:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop)

    def draw(self, fig: dict, div_id: str, width: int, cache: Path, target: Path) -> None:
        height = int(fig["layout"]["height"])
        # plotly.js names each trace's SVG group by a random uid unless the trace has one.
        fig = {**fig, "data": [{**trace, "uid": trace.get("uid") or f"{div_id}-{i}"}
                               for i, trace in enumerate(fig.get("data", []))]}
        svg = self.run(self.kaleido.calc_fig(fig, opts={"format": "svg", "width": width, "height": height}))
        self.pending.append((svg, div_id, cache, target))

    def finish(self) -> list[str]:
        """Wait for every image, write it; close the browser. Returns the ids that failed, with why."""
        failed = []
        waiting = time.perf_counter()
        for svg, div_id, cache, target in self.pending:
            try:
                cache.write_bytes(reproducible(svg.result(timeout=300), div_id))
                target.write_bytes(cache.read_bytes())
            except Exception as exc:  # the chart still works with JavaScript
                failed.append(f"{div_id} (kaleido: {exc})")
        drawing.update(images=drawing["images"] + len(self.pending),
                       span=max(drawing["span"], time.perf_counter() - self.started),
                       waited=drawing["waited"] + time.perf_counter() - waiting)
        self.run(self.kaleido.__aexit__(None, None, None)).result(timeout=60)
        self.loop.call_soon_threadsafe(self.loop.stop)
        return failed


#: This build's drawing, for the benchmark: images drawn, seconds from the browser's start to the
#: last image, seconds the build waited for them at its end.
drawing = {"images": 0, "span": 0.0, "waited": 0.0}
#: The build's kaleido sessions, by the plotly.js bundle they draw with (the lightest that draws the chart).
_drawers: dict[Path, Drawer] = {}


def reproducible(svg: bytes, div_id: str) -> bytes:
    """The SVG with plotly's random per-render uid replaced by ``div_id``."""
    uid = re.search(rb'id="defs-([0-9a-f]+)"', svg)
    return svg.replace(uid.group(1), div_id.encode()) if uid else svg


def static_image(fig: dict, div_id: str, width: int, outdir: Path, theme: str = "light") -> str | None:
    """Write ``_images/<div_id>-<width>[-dark].svg`` into the site (cached under _build/); return its name.

    A cached image is copied at once; a new one is drawn in the background and written by
    :func:`finish_images`. ``MASKBOOK_CHART_IMAGES=0`` skips the images (the benchmark measures
    what they cost).
    """
    if os.environ.get("MASKBOOK_CHART_IMAGES", "1") == "0":
        return None
    suffix = "" if theme == "light" else f"-{theme}"
    if theme == "dark":
        fig = dark(fig)
    name = f"{div_id}-{width}{suffix}.svg"
    key = hashlib.sha1(json.dumps(fig, sort_keys=True).encode() + f"{width}".encode()).hexdigest()[:16]
    cache = outdir.parent / SVG_CACHE / f"{div_id}-{width}{suffix}-{key}.svg"
    target = outdir / "_images" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    if cache.is_file():
        target.write_bytes(cache.read_bytes())
        return name
    bundle, _ = plotly_bundle.lightest_bundle(plotly_bundle.figure_trace_types(fig))
    try:
        if bundle not in _drawers:
            _drawers[bundle] = Drawer(bundle)
    except Exception as exc:  # kaleido or Chromium missing: the chart still works with JavaScript
        logger.warning(f"no static image for {div_id} (kaleido: {exc})", type="maskbook", subtype="chart_image")
        return None
    cache.parent.mkdir(parents=True, exist_ok=True)
    _drawers[bundle].draw(fig, div_id, width, cache, target)
    return name


def finish_images(app, exception) -> None:
    """At the end of the build (first of its build-finished steps): every image drawn and written."""
    if _drawers:
        drawing.update(images=0, span=0.0, waited=0.0)
    while _drawers:
        for failure in _drawers.popitem()[1].finish():
            logger.warning(f"no static image for {failure}", type="maskbook", subtype="chart_image")


# --- HTML --------------------------------------------------------------------------------------

def _json_script(obj) -> str:
    """JSON safe inside <script>: no '</' or '<!--' can close or confuse the element."""
    text = json.dumps(obj, separators=(",", ":"), sort_keys=False, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]


def figure_html(content: dict, root: str, outdir: Path | None = None) -> str:
    """The HTML of one chart: caption, text alternative, plot, source, CSV link, data table.

    With the site's ``outdir``, the static SVG of each layout is written into it and shown.
    """
    fig, div_id = chart_figure(content)
    laid_out = layouts(fig)
    images = {(screen, theme): static_image(f, div_id, SCREENS[screen], outdir, theme)
              for screen, f in laid_out.items() for theme in ("light", "dark")} if outdir else {}
    wide, narrow = laid_out["wide"]["layout"], laid_out["narrow"]["layout"]
    meta = wide.get("meta") or {}
    # The caption is the title as written (fit broke it into lines for JupyterLab).
    title = re.sub(r"\s*<br\s*/?>\s*", " ", ((content.get("layout") or {}).get("title") or {}).get("text", ""))
    esc = html.escape
    links = " · ".join(
        f'<a href="{root}data/{esc(t["csv"])}">{esc(_("Download the data: {csv}").format(csv=t["csv"]))}</a>'
        for t in meta.get("tables", [])
    )
    config = {**content.get("config", {}), **CONFIG,
              "toImageButtonOptions": {**CONFIG["toImageButtonOptions"], "filename": _slug(title) or div_id}}
    spec = {"data": fig.get("data", []), "layout": wide,
            "narrow": {"media": NARROW_MEDIA, "layout": changed_keys(wide, narrow)}, "config": config}
    if uses_book_template(wide):  # the page loads it once (TEMPLATE_JS)
        spec["layout"] = {k: v for k, v in wide.items() if k != "template"}
        spec["bookTemplate"] = True
    img = ""
    if all(images.values()) and images:
        def src(screen, attr):  # the light image, and the dark one for the loader to swap in
            return (f'{attr}="{root}_images/{esc(images[screen, "light"])}" '
                    f'data-dark-{attr}="{root}_images/{esc(images[screen, "dark"])}"')
        # No width/height on <source> (not valid there): the plot box's CSS aspect ratio, for
        # each screen, sizes the image.
        img = (
            f'<picture><source media="{NARROW_MEDIA}" {src("narrow", "srcset")}>'
            f'<img class="maskbook-chart-static" {src("wide", "src")} alt="" '
            f'width="{WIDE}" height="{wide["height"]}" loading="lazy" decoding="async"></picture>\n'
        )
    # The plot's drawing is hidden from screen readers (the static image has alt="", the loader
    # marks plotly's SVG layers aria-hidden): its text alternative is the paragraph above and its
    # data the table below. plotly's mode bar buttons stay reachable (they have aria-labels).
    return (
        f'<figure class="maskbook-chart" id="{div_id}-figure" aria-describedby="{div_id}-alt">\n'
        f'<figcaption class="maskbook-chart-title">{esc(title)}</figcaption>\n'
        f'<p class="maskbook-chart-alt visually-hidden" id="{div_id}-alt">{esc(meta.get("alt", ""))}</p>\n'
        f'<div class="maskbook-chart-plot" style="--chart-ratio:{WIDE}/{wide["height"]};'
        f' --chart-ratio-narrow:{NARROW}/{narrow["height"]}">\n'
        f"{img}"
        f'<div id="{div_id}" class="plotly-graph-div"></div>\n'
        f'<script type="application/json" class="maskbook-chart-spec" data-for="{div_id}">'
        f"{_json_script(spec)}</script>\n</div>\n"
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


#: Dates (2020-03-01, 2020-03) and date-times in a table cell: kept on one line.
_DATE = re.compile(r"\b\d{4}-\d{2}(?:-\d{2})?(?:[ T]\d{2}:\d{2}(?::\d{2})?)?\b")


def _number_text(v: float) -> str:
    """A plotted number as the page's language writes it, every recorded digit kept (no grouping:
    a year stays 2020)."""
    if current() == ORIGINAL or isinstance(v, bool) or "e" in repr(v):
        return str(v)
    decimals = len(repr(v).split(".")[1]) if isinstance(v, float) else 0
    return number(v, f".{decimals}f" if decimals else "")


def _fmt(v) -> str:
    """A table cell's HTML: the value, with its dates kept whole (a line never breaks inside one)."""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if isinstance(v, (int, float)):
        v = _number_text(v)
    return _DATE.sub(lambda m: f'<span class="maskbook-nobreak">{m.group(0)}</span>', html.escape(str(v)))


def _points(fig: dict):
    """Each plotted point's trace and its (series, x, y, label) row, in trace order."""
    for trace in fig.get("data", []):
        xs, ys = _values(trace.get("x", [])), _values(trace.get("y", []))
        labels = trace.get("hovertext") or trace.get("text") or ""
        labels = _values(labels) if not isinstance(labels, str) else [labels] * len(xs)
        for i, (x, y) in enumerate(zip(xs, ys)):
            label = labels[i] if i < len(labels) else ""
            yield trace, (trace.get("name") or "", x, y, label)


def plotted_points(fig: dict) -> list[tuple]:
    """One (series, x, y, label) row per plotted point, in trace order."""
    return [row for _, row in _points(fig)]


#: The hover of a trace that shows its ``customdata`` as is: text built row by row from the data
#: (``maskbook.book.charts``: the timeline's events, the shipments' donors and the teams' airports
#: as recorded, with the book's dates and units).
RECORDED_HOVER = "%{customdata}<extra></extra>"


def data_table_html(fig: dict) -> str:
    """A collapsed <details> table of exactly the points the chart plots.

    On a page in another language, a label column cell built from the data as recorded (its
    trace's hover is :data:`RECORDED_HOVER`) is marked English; the series (the book's names), the
    plotted values (numbers, dates, the book's categories) and the other labels (the book's
    words) are in the page's language."""
    layout = fig.get("layout", {})

    def axis_title(axis):
        t = (layout.get(axis) or {}).get("title") or {}
        return (t.get("text") if isinstance(t, dict) else t) or axis[0]

    points = list(_points(fig))
    has_label = any(r[3] for _, r in points)
    head = [_("Series"), axis_title("xaxis"), axis_title("yaxis")] + ([_("Label")] if has_label else [])
    recorded = ' lang="en"' if current() != ORIGINAL else ""

    def cells(trace, r):
        attrs = ["", "", "", recorded if trace.get("hovertemplate") == RECORDED_HOVER else ""]
        return "".join(f"<td{a}>{_fmt(c)}</td>" for a, c in zip(attrs, r if has_label else r[:3]))

    body = "".join(f"<tr>{cells(trace, r)}</tr>" for trace, r in points)
    return (
        f'<details class="maskbook-chart-data"><summary>{html.escape(_("Show the data plotted in this chart"))}'
        '</summary>\n'
        '<div class="maskbook-table-wrap"><table>'
        "<thead><tr>" + "".join(f'<th scope="col">{html.escape(str(h))}</th>' for h in head) + "</tr></thead>"
        f"<tbody>{body}</tbody></table></div></details>"
    )
