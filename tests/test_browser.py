"""The site in a real browser (Playwright + Debian's Chromium), served on 127.0.0.1 under a
sub-path: no console errors, every chart renders, and nothing is requested from another origin."""
from __future__ import annotations

from urllib.parse import urlparse

import pytest

from conftest import html_pages


@pytest.fixture(scope="session")
def visits(browser, server, site):
    """Load every page once with all outside requests blocked; record what happened."""
    results = {}
    context = browser.new_context()
    outside: list[str] = []

    def route(r):
        if urlparse(r.request.url).hostname == "127.0.0.1":
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    for path in html_pages(site):
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m, e=errors: e.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda exc, e=errors: e.append(str(exc)))
        page.goto(server + path, wait_until="load")
        page.wait_for_timeout(300)
        charts = page.locator("div.plotly-graph-div").count()
        if charts:
            # Charts are drawn lazily, after the reader's first interaction, as they near the
            # viewport and are shown: open the dropdowns (exercise solutions), point at each chart.
            page.evaluate("document.querySelectorAll('.toggle-hidden button.toggle-button')"
                          ".forEach(b => b.click())")
            for i in range(charts):
                page.locator("div.plotly-graph-div").nth(i).hover()
            page.wait_for_function(
                "n => document.querySelectorAll('div.plotly-graph-div svg.main-svg').length >= n",
                arg=charts, timeout=15000,
            )
        rendered = page.evaluate(
            "() => [...document.querySelectorAll('div.plotly-graph-div')]"
            ".filter(d => d.querySelector('svg.main-svg')).length"
        )
        results[path] = {"errors": errors, "charts": charts, "rendered": rendered}
        page.close()
    context.close()
    return results, outside


def test_no_console_errors(visits):
    results, _ = visits
    assert {p: r["errors"] for p, r in results.items() if r["errors"]} == {}


def test_every_chart_renders(visits):
    results, _ = visits
    assert sum(r["charts"] for r in results.values()) > 0
    assert {p: r for p, r in results.items() if r["rendered"] != r["charts"]} == {}


def test_no_request_leaves_127_0_0_1(visits):
    _, outside = visits
    assert outside == []
