"""Which plotly.js the site serves: the lightest bundle that draws every chart of the book.

Chart pages fetch ``_static/plotly.min.js`` on the reader's first interaction
(``maskbook-charts.js``). The full plotly.js of the installed plotly package weighs 4.8 MB
(1.47 MB gzipped); the book draws only a few trace types. ``maskbook/vendor/`` holds plotly's
partial bundle ``plotly.js-basic-dist-min`` (npm; bar, pie and scatter traces; 1.19 MB, 396 KB
gzipped) of the same plotly.js version as the installed plotly package, with its licence.
After the build, the trace types of every chart on the site's pages are compared with the
vendored bundle's: if the bundle holds them all it is served, otherwise the full bundle is, with
a warning naming the missing types (a strict build then fails, so the bundle gets updated).
The charts' static images are drawn with the same choice, chart by chart: kaleido loads the
bundle again for every image, and the partial one is a quarter of the full one's size.
"""
from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import plotly
import plotly.offline
from sphinx.util import logging

VENDOR = Path(__file__).parent.parent / "vendor"
PARTIAL_BUNDLE = VENDOR / "plotly-basic.min.js"
FULL_BUNDLE = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
#: How plotly.js registers a trace module, in any of its bundles.
TRACE_MODULE = re.compile(rb'moduleType:"trace",name:"(\w+)"')
VERSION = re.compile(rb'\.version="(\d+\.\d+\.\d+)"')
CHART_SPEC = re.compile(r'<script type="application/json" class="maskbook-chart-spec"[^>]*>(.*?)</script>', re.S)

logger = logging.getLogger(__name__)


def bundle_trace_types(bundle: Path) -> set[str]:
    """The trace types a plotly.js bundle registers."""
    return {name.decode() for name in TRACE_MODULE.findall(bundle.read_bytes())}


def bundle_version(bundle: Path) -> str:
    """The plotly.js version a bundle declares (``Plotly.version``)."""
    found = VERSION.search(bundle.read_bytes())
    return found.group(1).decode() if found else ""


def figure_trace_types(fig: dict) -> set[str]:
    """A plotly figure's trace types (a trace without a type is scatter)."""
    return {trace.get("type", "scatter") for trace in fig.get("data", [])}


def site_trace_types(site: Path) -> set[str]:
    """The trace types of every chart on the built site's pages."""
    types = set()
    for page in site.rglob("*.html"):
        for spec in CHART_SPEC.findall(page.read_text(encoding="utf-8")):
            types |= figure_trace_types(json.loads(spec))
    return types


@functools.cache
def partial_bundle() -> tuple[frozenset[str], str]:
    """The trace types and the plotly.js version of the vendored partial bundle (read once)."""
    return frozenset(bundle_trace_types(PARTIAL_BUNDLE)), bundle_version(PARTIAL_BUNDLE)


def lightest_bundle(trace_types: set[str]) -> tuple[Path, str]:
    """The vendored partial bundle if it is the installed plotly's plotly.js and draws every one of
    ``trace_types``; else the full bundle, and why not the partial one. The site serves it, and the
    build draws the charts' static images with it (kaleido loads it again for every image)."""
    registered, vendored = partial_bundle()
    missing, installed = sorted(trace_types - registered), plotly.offline.get_plotlyjs_version()
    if missing:
        return FULL_BUNDLE, f"charts use trace types it lacks ({', '.join(missing)})"
    if vendored != installed:
        return FULL_BUNDLE, f"it is plotly.js {vendored}, the installed plotly package draws with {installed}"
    return PARTIAL_BUNDLE, ""


def bundle_for(trace_types: set[str]) -> Path:
    """The bundle the site serves (:func:`lightest_bundle`), with a warning when it is the full one."""
    bundle, why = lightest_bundle(trace_types)
    if bundle == PARTIAL_BUNDLE:
        return bundle
    logger.warning(
        f"not serving {PARTIAL_BUNDLE.name}: {why}; the site serves the full plotly.js "
        f"({FULL_BUNDLE.stat().st_size / 1e6:.1f} MB) instead. Vendor the matching plotly.js partial "
        f"bundle into {VENDOR} (see its README.md)",
        type="maskbook", subtype="plotly_bundle",
    )
    return FULL_BUNDLE
