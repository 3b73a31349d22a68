"""The site as readers meet it (issue 7), in Chromium, on the site served under /maskbook/:

- axe-core (the ``axe.min.js`` that PyPI's ``axe-playwright-python`` ships, pinned in
  requirements.txt; no npm) finds no serious or critical violation on any page, in the theme's
  light and dark modes, with every chart drawn;
- at 390 x 844 (a phone) no page scrolls sideways, and the sidebar toggle opens the navigation;
- every chart's data table lists exactly the points it plots and is reachable by keyboard;
- with JavaScript off every chart shows its static image.

One visit per page per check and mode; one browser context per mode.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import html_pages

PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's script, as the PyPI package axe-playwright-python ships it (requirements.txt)."""
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


def draw_all_charts(page) -> int:
    """Open dropdowns, bring every chart into view (drawn lazily, after a first interaction); wait."""
    charts = page.locator("div.plotly-graph-div")
    n = charts.count()
    if n:
        # Charts inside closed dropdowns (exercise solutions) are drawn once shown: open them.
        page.evaluate("document.querySelectorAll('.toggle-hidden button.toggle-button').forEach(b => b.click())")
        page.mouse.move(5, 5)  # the first interaction lets the loader fetch plotly.js
        for i in range(n):
            charts.nth(i).scroll_into_view_if_needed()
            page.mouse.move(5, 6 + i % 2)
        page.wait_for_function(
            "n => document.querySelectorAll('div.plotly-graph-div[data-drawn=yes]').length >= n",
            arg=n, timeout=20000,
        )
        page.evaluate("window.scrollTo(0, 0)")
    return n


def serious_axe_violations(page, axe_source: str) -> list[dict]:
    page.add_script_tag(content=axe_source)
    violations = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))"
    )
    return [v for v in violations if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_axe_finds_no_serious_or_critical_violation(browser, server, site, axe_source, mode):
    # The theme (pydata-sphinx-theme 0.17) keeps the reader's choice in localStorage "mode" and
    # sets <html data-theme>; the system preference is emulated too.
    context = browser.new_context(color_scheme=mode)
    context.add_init_script(f"localStorage.setItem('mode', '{mode}'); localStorage.setItem('theme', '{mode}');")
    found = {}
    try:
        for path in html_pages(site):
            page = context.new_page()
            page.goto(server + path, wait_until="load")
            assert page.evaluate("document.documentElement.dataset.theme") == mode, path
            draw_all_charts(page)
            violations = serious_axe_violations(page, axe_source)
            if violations:
                found[path] = violations
            page.close()
    finally:
        context.close()
    assert found == {}


@pytest.fixture(scope="session")
def phone(browser):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, has_touch=True)
    yield context
    context.close()


def test_no_page_scrolls_sideways_on_a_phone(phone, server, site):
    wide = {}
    for path in html_pages(site):
        page = phone.new_page()
        page.goto(server + path, wait_until="load")
        draw_all_charts(page)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            wide[path] = width
        page.close()
    assert wide == {}


def test_charts_fit_a_phone_screen(phone, server, site):
    pages = [p for p in html_pages(site) if "maskbook-chart" in (site / p).read_text(encoding="utf-8")]
    assert pages
    page = phone.new_page()
    page.goto(server + pages[0], wait_until="load")
    draw_all_charts(page)
    widths = page.evaluate(
        "() => [...document.querySelectorAll('div.plotly-graph-div svg.main-svg')]"
        ".map(s => s.getBoundingClientRect().right)"
    )
    page.close()
    assert widths and max(widths) <= PHONE["width"]


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
    from maskbook.plotly_renderer import _fmt, plotted_points

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
