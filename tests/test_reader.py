"""The site as readers meet it (issue 7), in Chromium, on the site served under /maskbook/:

- axe-core (the ``axe.min.js`` that PyPI's ``axe-playwright-python`` ships, pinned in
  requirements.txt; no npm) finds no serious or critical violation on any page, in the theme's
  light and dark modes, with every chart drawn;
- at 390 x 844 (a phone) no page scrolls sideways, and the sidebar toggle opens the navigation;
- every chart's data table lists exactly the points it plots and is reachable by keyboard;
- with JavaScript off every chart shows its static image.

The page-by-page checks read the session's crawls (``crawl`` fixture, tests/crawl.py: one visit
per page per screen and mode, shared by every browser test); interactions get their own page.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import html_pages
from crawl import SCREENS, draw_all_charts, toc_pages

PHONE = SCREENS["phone"]


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_axe_finds_no_serious_or_critical_violation(crawl, site, mode):
    """Every toc page of the session's desktop crawl in that mode, with its charts drawn: in light
    mode every page of both editions (the Italian ones without the rules that read colours, which
    their English twins answer for: the same stylesheets); in dark mode those rules, on the English
    pages. (The theme, pydata-sphinx-theme 0.17, keeps the reader's choice in localStorage "mode" and
    sets <html data-theme>; the crawl sets both and emulates the system preference.)"""
    visits = crawl("desktop", mode)["pages"]
    pages = toc_pages(site) if mode == "light" else html_pages(site)
    assert len(pages) > len(html_pages(site)) or mode == "dark"
    assert {p: visits[p]["theme"] for p in pages if visits[p]["theme"] != mode} == {}
    assert [p for p in pages if visits[p]["axe"] is None] == []
    found = {p: visits[p]["axe"] for p in pages if visits[p]["axe"]}
    assert found == {}


# Every colour text the page's elements compute (the colours axe-core meets there), and ``texts``.
PAGE_COLOURS = """texts => {
  const seen = new Set(texts);
  for (const el of document.querySelectorAll('*')) {
    const style = getComputedStyle(el);
    ['color', 'background-color', 'border-top-color', 'outline-color', 'text-decoration-color', 'fill', 'stroke']
      .forEach(name => seen.add(style.getPropertyValue(name)));
  }
  return [...seen];
}"""
# Each text parsed by axe-core's Color as it stands: its channels, or the error.
PARSED = """texts => texts.map(text => {
  try {
    const c = new axe.commons.color.Color().parseString(text);
    return [text, c.r, c.g, c.b, c.alpha, c.red, c.green, c.blue];
  } catch (error) { return [text, String(error)]; }
})"""
COLOUR_TEXTS = ["rgb(0, 0, 0)", "rgba(23, 109, 232, 0.5)", "#176de8", "#fff8", "hsl(210 50% 40% / 0.3)",
                "hsl(1.2rad 50% 50%)", "hsl(0.25turn 60% 40%)", "transparent", "currentcolor", "rebeccapurple",
                "oklch(0.6 0.1 250)", "color(srgb 0.2 0.4 0.6 / 0.8)", "lab(50% 20 -30)", "not a colour"]


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_remembered_colour_parses_answer_as_axe_core_does(browser, server, mode):
    """Every axe-core run of the tests remembers its colour parses (crawl.REMEMBER_COLOURS): each
    colour text a chapter with charts computes, in light and dark mode, and texts of each colour
    syntax, parse to the same channels as axe-core's own parse, the first time and when kept (a
    text that fails fails again)."""
    from crawl import REMEMBER_COLOURS, axe_core, axe_source

    assert axe_source().endswith(REMEMBER_COLOURS)
    context = browser.new_context(color_scheme=mode)
    context.add_init_script(f"localStorage.setItem('mode', '{mode}'); localStorage.setItem('theme', '{mode}');")
    try:
        page = context.new_page()
        page.goto(server + "chapters/opinion.html", wait_until="load")
        draw_all_charts(page)
        page.evaluate("() => {" + axe_core() + "\n}")
        texts = page.evaluate(PAGE_COLOURS, COLOUR_TEXTS)
        own = page.evaluate(PARSED, texts)
        page.evaluate("() => {" + REMEMBER_COLOURS + "\n}")
        first, kept = page.evaluate(PARSED, texts), page.evaluate(PARSED, texts)
        named = page.evaluate("axe.commons.color.Color.prototype.parseString.name")
    finally:
        context.close()
    assert named == "rememberedParse"
    assert len(texts) > len(COLOUR_TEXTS) + 5
    assert first == own and kept == own
    assert ["not a colour", 'Error: Unable to parse color "not a colour"'] in own


@pytest.fixture(scope="session")
def phone(browser):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, has_touch=True)
    yield context
    context.close()


def test_no_page_scrolls_sideways_on_a_phone(crawl, site):
    """Every toc page of the phone crawl (light), its charts drawn."""
    visits = crawl("phone", "light")["pages"]
    assert set(html_pages(site)) <= set(visits)
    assert {p: v["width"] for p, v in visits.items() if v["width"] > PHONE["width"]} == {}


def test_charts_fit_a_phone_screen(crawl, site):
    """Every drawn chart of the phone crawls (light and dark), not just the first page's."""
    rights = [r for mode in ("light", "dark") for v in crawl("phone", mode)["pages"].values() for r in v["chart_rights"]]
    assert len(rights) >= 19
    assert max(rights) <= PHONE["width"]


def test_sidebar_toggle_opens_the_table_of_contents_on_a_phone(phone, server):
    page = phone.new_page()
    page.goto(server + "intro.html", wait_until="load")
    nav = page.locator("nav.bd-docs-nav")
    assert not nav.is_visible()
    page.locator("button.primary-toggle:visible").first.click()
    nav.wait_for(state="visible", timeout=5000)
    links = nav.locator("a.reference.internal")
    assert links.count() >= 10
    links.nth(1).click()
    page.wait_for_load_state("load")
    assert page.url.endswith(".html") and not page.url.endswith("intro.html")
    page.close()


# --- charts: data tables and static images ------------------------------------------------------

def chart_pages(site: Path) -> list[str]:
    return [p for p in html_pages(site) if "maskbook-chart-spec" in (site / p).read_text(encoding="utf-8")]


def test_every_chart_table_lists_exactly_the_plotted_points(site):
    from maskbook.site.plotly_renderer import _fmt, plotted_points

    pages = chart_pages(site)
    assert pages, "no page has a chart"
    for path in pages:
        doc = BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")
        for figure in doc.select("figure.maskbook-chart"):
            spec = json.loads(figure.select_one("script.maskbook-chart-spec").string)
            rows = [[c.get_text() for c in tr.find_all("td")] for tr in figure.select("details table tbody tr")]
            expected = [[BeautifulSoup(_fmt(c), "html.parser").get_text() for c in point]
                        for point in plotted_points(spec)]
            if rows and expected and len(rows[0]) == 3:  # no label column when no point has one
                expected = [r[:3] for r in expected]
            assert rows and rows == expected, (path, figure["id"])


def test_chart_tables_are_reachable_by_keyboard(browser, server, site):
    context = browser.new_context()
    page = context.new_page()
    path = chart_pages(site)[0]
    page.goto(server + path, wait_until="load")
    summaries = page.locator("figure.maskbook-chart details.maskbook-chart-data > summary")
    assert summaries.count() == page.locator("figure.maskbook-chart").count()
    # Tab from the chart's last link lands on the summary; Enter opens the table.
    page.locator("figure.maskbook-chart .maskbook-chart-download a").last.focus()
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.tagName + '|' + document.activeElement.textContent")
    assert focused.startswith("SUMMARY|Show the data"), focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.parentElement.open") is True
    context.close()


# Open every closed solution as a reader does (a click on its bar), then list the boxes inside
# solutions that scroll sideways but are not reachable by keyboard.
OPEN_SOLUTIONS = """() => {
  document.querySelectorAll('div.solution.toggle-hidden > .admonition-title').forEach(bar => bar.click());
  const boxes = [...document.querySelectorAll('div.solution :is(div.highlight pre, .cell_output .output)')]
    .filter(box => box.scrollWidth > box.clientWidth + 1);
  return {scrolling: boxes.length, unreachable: boxes.filter(box => box.tabIndex !== 0).map(box => box.textContent.slice(0, 40))};
}"""


def test_code_that_scrolls_in_an_opened_solution_is_reachable_by_keyboard(browser, server, site):
    """An opened solution is padded, so code that fitted while it was closed may scroll sideways
    (the first solution's code in "The turn" does at 1280 px): it is a keyboard-reachable region as
    soon as the solution is open, not after a later resize or redraw (axe's
    scrollable-region-focusable, which the crawl saw only when it ran first)."""
    pages = [p for p in html_pages(site) if "solution dropdown" in (site / p).read_text(encoding="utf-8")]
    assert len(pages) >= 7
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        found = {}
        for path in pages:
            page.goto(server + path, wait_until="load")
            page.wait_for_function("document.querySelectorAll('div.solution:not(.toggle-hidden)').length === 0")
            found[path] = page.evaluate(OPEN_SOLUTIONS)
    finally:
        page.close()
    assert found["chapters/turn.html"]["scrolling"] > 0
    assert {path: f["unreachable"] for path, f in found.items() if f["unreachable"]} == {}


def test_without_javascript_every_chart_shows_its_static_image(browser, server, site):
    context = browser.new_context(java_script_enabled=False)
    missing = {}
    try:
        for path in chart_pages(site):
            page = context.new_page()
            page.goto(server + path, wait_until="load")
            images = page.locator("figure.maskbook-chart img.maskbook-chart-static")
            n = page.locator("figure.maskbook-chart").count()
            shown = 0
            for i in range(images.count()):
                img = images.nth(i)
                img.scroll_into_view_if_needed()  # lazy images load near the viewport
                page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=img.element_handle(),
                                       timeout=10000)
                shown += img.is_visible()
            if shown != n:
                missing[path] = (shown, n)
            page.close()
    finally:
        context.close()
    assert missing == {}


def test_static_images_are_svg_in_the_site(site):
    for path in chart_pages(site):
        doc = BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")
        for img in doc.select("img.maskbook-chart-static"):
            target = (site / Path(path).parent / img["src"]).resolve()
            assert target.suffix == ".svg" and target.read_bytes().lstrip().startswith(b"<svg"), (path, img["src"])


def test_printing_shows_the_static_images(browser, server, site):
    context = browser.new_context()
    page = context.new_page()
    path = chart_pages(site)[0]
    page.goto(server + path, wait_until="load")
    draw_all_charts(page)
    page.emulate_media(media="print")
    states = page.evaluate(
        "() => [...document.querySelectorAll('figure.maskbook-chart')].map(f => ["
        "getComputedStyle(f.querySelector('img.maskbook-chart-static')).display,"
        "getComputedStyle(f.querySelector('img.maskbook-chart-static')).visibility,"
        "getComputedStyle(f.querySelector('div.plotly-graph-div')).display])"
    )
    context.close()
    assert states and all(s == ["block", "visible", "none"] for s in states), states
