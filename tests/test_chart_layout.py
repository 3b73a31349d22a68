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

``layout_report`` (a page, a viewport) returns what was checked and what failed; the tests print
the counts (run with ``-s``) and assert that nothing failed.
"""
from __future__ import annotations

import pytest

from conftest import html_pages
from test_reader import draw_all_charts

WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
MODES = ["light", "dark"]
#: Two texts on the same line closer than this (px) read as one ("0" next to "100" reads "1000").
MIN_GAP = 3
#: Smallest font (CSS px, as shown on screen) of a static image.
MIN_FONT_PX = 10
#: Blank space (px) allowed between a static image and any side of its box.
MAX_BLANK_PX = 3
#: The mode bar's buttons, by their labels: download, zoom and reset; nothing else.
MODEBAR_BUTTONS = ["Download plot as a PNG", "Zoom", "Zoom in", "Zoom out", "Reset axes"]

# Shared by the interactive and the static checks: which of the texts `els` (SVG <text> or HTML
# elements) lie outside `box`, and which pairs overlap or stand too close on one line. `scale`
# turns an SVG text's font size into CSS px on screen.
MEASURE = """
(els, box, minGap, scale) => {
  const texts = els
    .filter(el => el.textContent.trim() && el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true}))
    .map(el => {
      const svg = el instanceof SVGElement;
      let r = el.getBoundingClientRect();
      if (!svg) { const range = document.createRange(); range.selectNodeContents(el); r = range.getBoundingClientRect(); }
      const kind = svg ? [el, el.parentNode].map(e => e.getAttribute('class') || '').join(' ').trim() : el.className;
      return {text: el.textContent.trim().slice(0, 60), kind, font: parseFloat(getComputedStyle(el).fontSize) * (svg ? scale : 1),
              left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width, height: r.height};
    })
    .filter(t => t.width > 0 && t.height > 0);
  const tol = 0.5;
  const clipped = texts.filter(t => t.left < box.left - tol || t.right > box.right + tol
                                    || t.top < box.top - tol || t.bottom > box.bottom + tol);
  const overlaps = [];
  for (let i = 0; i < texts.length; i++) for (let j = i + 1; j < texts.length; j++) {
    const a = texts[i], b = texts[j];
    const ix = Math.min(a.right, b.right) - Math.max(a.left, b.left);
    const iy = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
    const sameLine = iy > Math.min(a.height, b.height) / 2;
    if ((ix > tol && iy > tol) || (sameLine && ix > -minGap)) overlaps.push([a.text, b.text]);
  }
  return {texts, clipped: clipped.map(t => [t.text, t.kind]), overlaps};
}
"""

# One drawn chart: its SVG texts inside the plot, its HTML title and source line inside the
# figure and clear of the plot, the mode bar inside the plot and over no text; the bar's buttons.
INTERACTIVE = """
(figure, [measure, minGap]) => {
  const check = eval(measure);
  const plot = figure.querySelector('div.plotly-graph-div');
  const box = plot.querySelector('svg.main-svg').getBoundingClientRect();
  const svgTexts = [...plot.querySelectorAll('svg text')].filter(t => !t.closest('.hoverlayer'));
  const report = check(svgTexts, box, minGap, 1);
  const html = check([...figure.querySelectorAll('.maskbook-chart-title, .maskbook-chart-source')],
                     figure.getBoundingClientRect(), minGap, 1);
  const overlaps = report.overlaps.concat(html.overlaps);
  html.texts.forEach(t => { if (t.bottom > box.top + 0.5 && t.top < box.bottom - 0.5) overlaps.push([t.text, '(the plot)']); });
  const texts = report.texts.concat(html.texts);
  const covered = [];
  const bar = plot.querySelector('.modebar');
  if (bar) {
    const m = bar.getBoundingClientRect();
    texts.forEach(t => {
      if (Math.min(t.right, m.right) > Math.max(t.left, m.left) && Math.min(t.bottom, m.bottom) > Math.max(t.top, m.top))
        covered.push(t.text);
    });
    if (m.left < box.left || m.right > box.right || m.top < box.top) covered.push('(mode bar outside the plot)');
  }
  return {id: plot.id, checked: texts.length, clipped: report.clipped.concat(html.clipped), overlaps, covered,
          buttons: [...plot.querySelectorAll('.modebar-btn')].map(a => a.getAttribute('data-title'))};
}
"""

# One static image as the page shows it: the SVG file is laid over the <img> at the image's
# displayed size and measured there; then how it fills its box, its smallest font, its filter.
STATIC = """
async (figure, [measure, minGap]) => {
  const img = figure.querySelector('img.maskbook-chart-static');
  const plotBox = figure.querySelector('.maskbook-chart-plot').getBoundingClientRect();
  // The image's content box: its box less padding and border.
  const b = img.getBoundingClientRect(), st = getComputedStyle(img);
  const side = k => parseFloat(st['padding' + k]) + parseFloat(st['border' + k + 'Width']);
  const r = {left: b.left + side('Left'), top: b.top + side('Top'),
             width: b.width - side('Left') - side('Right'), height: b.height - side('Top') - side('Bottom')};
  const holder = document.createElement('div');
  holder.style.cssText = `position:absolute; left:${r.left + scrollX}px; top:${r.top + scrollY}px;`
                         + `width:${r.width}px; height:${r.height}px; pointer-events:none;`;
  holder.innerHTML = await (await fetch(img.currentSrc || img.src)).text();
  const svg = holder.querySelector('svg');
  const [, , vw, vh] = svg.getAttribute('viewBox').split(/\\s+/).map(Number);
  svg.setAttribute('width', r.width); svg.setAttribute('height', r.height);
  document.body.appendChild(holder);
  const report = eval(measure)([...svg.querySelectorAll('text')], svg.getBoundingClientRect(), minGap, r.width / vw);
  holder.remove();
  return {id: figure.id.replace(/-figure$/, ''), src: img.currentSrc, checked: report.texts.length,
          clipped: report.clipped, overlaps: report.overlaps, minFont: Math.min(...report.texts.map(t => t.font)),
          blank: Math.max(r.left - plotBox.left, r.top - plotBox.top,
                          plotBox.right - r.left - r.width, plotBox.bottom - r.top - r.height),
          overflow: r.height - plotBox.height,
          aspect: Math.abs(r.width / r.height - vw / vh), filter: getComputedStyle(img).filter};
}
"""


def chart_pages(site) -> list[str]:
    return [p for p in html_pages(site) if "maskbook-chart-spec" in (site / p).read_text(encoding="utf-8")]


def open_page(browser, server, path: str, viewport: dict, mode: str):
    context = browser.new_context(viewport=viewport, color_scheme=mode, has_touch=viewport["width"] < 600)
    context.add_init_script(f"localStorage.setItem('mode', '{mode}'); localStorage.setItem('theme', '{mode}');")
    page = context.new_page()
    page.goto(server + path, wait_until="load")
    return context, page


def static_reports(page) -> list[dict]:
    """The static image of every chart as shown before plotly draws (lazy images: scroll to each)."""
    reports = []
    figures = page.locator("figure.maskbook-chart")
    for i in range(figures.count()):
        img = figures.nth(i).locator("img.maskbook-chart-static")
        img.scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=img.element_handle(), timeout=10000)
        reports.append(figures.nth(i).evaluate(STATIC, [MEASURE, MIN_GAP]))
    return reports


def interactive_reports(page) -> list[dict]:
    draw_all_charts(page)
    figures = page.locator("figure.maskbook-chart")
    return [figures.nth(i).evaluate(INTERACTIVE, [MEASURE, MIN_GAP]) for i in range(figures.count())]


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


def layout_report(browser, server, site, viewport: dict, mode: str) -> dict:
    """Every chart page at one viewport and mode: {(page, chart id, "static"|"drawn"): report}."""
    out = {}
    for path in chart_pages(site):
        context, page = open_page(browser, server, path, viewport, mode)
        try:
            for r in static_reports(page):
                out[(path, r["id"], "static")] = {**r, "problems": static_problems(r)}
            for r in interactive_reports(page):
                problems = {k: r[k] for k in ("clipped", "overlaps", "covered") if r[k]}
                out[(path, r["id"], "drawn")] = {**r, "problems": problems}
        finally:
            context.close()
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
@pytest.mark.parametrize("screen", list(WIDTHS))
def test_every_chart_text_fits_and_stands_alone(browser, server, site, screen, mode):
    report = layout_report(browser, server, site, WIDTHS[screen], mode)
    print(f"\n{screen} {WIDTHS[screen]['width']} px, {mode}: {counts(report)}")
    assert len({k[1] for k in report}) >= 19
    failures = {f"{p} {cid} {kind}": r["problems"] for (p, cid, kind), r in report.items() if r["problems"]}
    assert failures == {}


def test_mode_bar_offers_download_zoom_reset_and_nothing_else(browser, server, site):
    context, page = open_page(browser, server, chart_pages(site)[0], WIDTHS["desktop"], "light")
    try:
        buttons = {r["id"]: r["buttons"] for r in interactive_reports(page)}
        cloud = page.evaluate("() => [...document.querySelectorAll('div.plotly-graph-div')]"
                              ".map(d => d._context.showSendToCloud)")
    finally:
        context.close()
    assert buttons and all(b == MODEBAR_BUTTONS for b in buttons.values()), buttons
    assert cloud and not any(cloud), cloud


def test_chart_tables_break_between_words_never_inside_a_word_or_date(browser, server, site):
    broken = {}
    for path in chart_pages(site):
        context, page = open_page(browser, server, path, WIDTHS["phone"], "light")
        try:
            page.evaluate("document.querySelectorAll('details.maskbook-chart-data').forEach(d => d.open = true)")
            # A date, or a word (a line may break after the hyphen of a compound), laid out on
            # more than one line is broken.
            found = page.evaluate("""() => {
              const bad = [];
              document.querySelectorAll('details.maskbook-chart-data td, details.maskbook-chart-data th').forEach(cell => {
                const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
                for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                  for (const m of node.textContent.matchAll(/\\d{4}-\\d{2}(?:-\\d{2})?|[^\\s\\-\u2013\u2014]+/g)) {
                    const range = document.createRange();
                    range.setStart(node, m.index); range.setEnd(node, m.index + m[0].length);
                    const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
                    if (lines.size > 1) bad.push(m[0]);
                  }
                }
              });
              return bad;
            }""")
            if found:
                broken[path] = found[:10]
        finally:
            context.close()
    assert broken == {}, broken
