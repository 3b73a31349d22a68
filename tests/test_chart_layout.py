"""Every chart of the book is legible on every screen (issue 12), in Chromium:

- drawn interactively at 1280 px and at 390 px, in the theme's light and dark modes, every text of
  every chart (title, panel titles, tick labels, bar labels, annotations, legend items, source
  line) lies inside the chart's drawing area and overlaps no other text, and plotly's mode bar
  covers no text;
- the static SVG image, as the page shows it at both widths, passes the same checks, fills its box
  without a blank band, keeps a readable font and is not dimmed by the theme's image filter;
- the mode bar offers a reader's tools (download, zoom, reset) and nothing that needs Plotly's servers;
- the tables of plotted data under the charts break lines between words (or after the hyphen of a
  compound), never inside a word or a date.

The session's crawls (``crawl`` fixture; the measuring code is in tests/crawl.py) measure every
chart page at each screen and mode, its static images before plotly draws, then the drawn charts;
``layout_report`` gathers what was checked and what failed; the tests print the counts (run with
``-s``) and assert that nothing failed.
"""
from __future__ import annotations

import pytest

from crawl import SCREENS

MODES = ["light", "dark"]
#: Smallest font (CSS px, as shown on screen) of a static image.
MIN_FONT_PX = 10
#: Blank space (px) allowed between a static image and any side of its box.
MAX_BLANK_PX = 3
#: The mode bar's buttons, by their labels: download, zoom and reset; nothing else.
MODEBAR_BUTTONS = ["Download plot as a PNG", "Zoom", "Zoom in", "Zoom out", "Reset axes"]


def static_problems(r: dict) -> dict:
    problems = {k: r[k] for k in ("clipped", "overlaps") if r[k]}
    if r["minFont"] < MIN_FONT_PX:
        problems["font"] = round(r["minFont"], 1)
    if r["blank"] > MAX_BLANK_PX or r["overflow"] > 1:
        problems["box"] = {"blank": round(r["blank"]), "overflow": round(r["overflow"])}
    if r["aspect"] > 0.02:
        problems["aspect"] = round(r["aspect"], 3)
    if r["filter"] != "none":
        problems["filter"] = r["filter"]
    return problems


def layout_report(crawl, screen: str, mode: str) -> dict:
    """Every chart page of that crawl: {(page, chart id, "static"|"drawn"): report}."""
    out = {}
    for path, visit in crawl(screen, mode)["pages"].items():
        for r in visit["static"]:
            out[(path, r["id"], "static")] = {**r, "problems": static_problems(r)}
        for r in visit["drawn"]:
            problems = {k: r[k] for k in ("clipped", "overlaps", "covered") if r[k]}
            out[(path, r["id"], "drawn")] = {**r, "problems": problems}
    return out


def counts(report: dict) -> dict:
    return {
        "charts": len({k[1] for k in report}),
        "texts checked": sum(r["checked"] for r in report.values()),
        "clipped": sum(len(r["clipped"]) for r in report.values()),
        "overlapping pairs": sum(len(r["overlaps"]) for r in report.values()),
        "covered by the mode bar": sum(len(r.get("covered", [])) for r in report.values()),
        "static images misfit": sum(bool(set(r["problems"]) - {"clipped", "overlaps"})
                                    for k, r in report.items() if k[2] == "static"),
    }


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("screen", list(SCREENS))
def test_every_chart_text_fits_and_stands_alone(crawl, screen, mode):
    report = layout_report(crawl, screen, mode)
    print(f"\n{screen} {SCREENS[screen]['width']} px, {mode}: {counts(report)}")
    assert len({k[1] for k in report}) >= 19
    failures = {f"{p} {cid} {kind}": r["problems"] for (p, cid, kind), r in report.items() if r["problems"]}
    assert failures == {}


def test_mode_bar_offers_download_zoom_reset_and_nothing_else(crawl):
    """Every drawn chart of the desktop crawls (light and dark), not just the first page's."""
    drawn = [r for mode in MODES for v in crawl("desktop", mode)["pages"].values() for r in v["drawn"]]
    buttons = {r["id"]: r["buttons"] for r in drawn}
    cloud = [r["cloud"] for r in drawn]
    assert buttons and all(b == MODEBAR_BUTTONS for b in buttons.values()), buttons
    assert cloud and not any(cloud), cloud


def test_chart_tables_break_between_words_never_inside_a_word_or_date(crawl):
    """The data tables of every chart page of the phone crawl (light), opened last."""
    visits = crawl("phone", "light")["pages"]
    assert sum(1 for v in visits.values() if v["charts"]) >= 5
    broken = {path: v["table_breaks"][:10] for path, v in visits.items() if v["table_breaks"]}
    assert broken == {}, broken
