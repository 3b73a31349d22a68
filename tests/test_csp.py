"""The site's scripts (issue 15): its Content Security Policy holds, and it serves a light plotly.js.

- every page carries a CSP meta, first in <head>, allowing exactly its own inline scripts by hash;
  it names no other origin and allows neither ``'unsafe-inline'`` nor ``'unsafe-eval'`` for scripts;
- with the policy on, in Chromium, every page loads and draws every chart, in light and dark
  mode, with zero console errors and zero CSP violations; search finds results; the theme's
  print button (an inline handler allowed by hash) still works;
- the served plotly.js is the vendored partial bundle, of the installed plotly's plotly.js
  version, holding every trace type the book draws; it draws every chart exactly as the full
  bundle does (same SVG); the build falls back to the full bundle, with a warning, when it cannot.
"""
from __future__ import annotations

import logging
import re
from pathlib import Path

import plotly.offline
import pytest
from bs4 import BeautifulSoup

from maskbook.site import page_security, plotly_bundle

from conftest import html_pages
from crawl import LISTEN, original_pages
from crawl import site_pages as crawled_pages

CSP_META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)" />')


def site_pages(site: Path) -> list[Path]:
    """Every HTML page of the site (toc pages, search, index, redirects), not the theme's templates."""
    return [site / p for p in crawled_pages(site)]


def policy(page: str) -> dict[str, list[str]]:
    found = CSP_META.findall(page)
    assert len(found) == 1, "expected exactly one CSP meta"
    return {d.split()[0]: d.split()[1:] for d in found[0].split("; ")}


# --- the policy, as written ---------------------------------------------------------------------

def test_every_page_carries_a_policy_that_allows_exactly_its_inline_scripts(site):
    pages = site_pages(site)
    assert len(pages) > len(html_pages(site))  # toc pages, plus search, genindex, index
    for path in pages:
        text = path.read_text(encoding="utf-8")
        rules = policy(text)
        # First in <head> (a meta policy covers only what follows it), after <meta charset>.
        first = re.search(r"<head[^>]*>\s*(<meta charset=[^>]*>\s*)?(<[^>]*>)", text)
        if "<head" in text:
            assert first.group(2).startswith('<meta http-equiv="Content-Security-Policy"'), path
        else:  # the index redirect has no <head>: the policy comes before anything else
            assert text.lstrip().startswith('<meta http-equiv="Content-Security-Policy"'), path
        scripts = {page_security.sha256_source(s) for s in page_security.inline_scripts(text)}
        handlers = {page_security.sha256_source(h) for h in page_security.event_handlers(text)}
        hashes = {v for v in rules["script-src"] if v.startswith("'sha256-")}
        assert hashes == scripts | handlers, path
        assert bool(handlers) == ("'unsafe-hashes'" in rules["script-src"]), path


def test_the_policy_names_no_other_origin_and_no_unsafe_script_source(site):
    for path in site_pages(site):
        rules = policy(path.read_text(encoding="utf-8"))
        assert rules["default-src"] == ["'self'"], path
        assert rules["object-src"] == ["'none'"] and rules["base-uri"] == ["'self'"], path
        sources = [v for values in rules.values() for v in values]
        assert not [v for v in sources if "://" in v or v in ("*", "https:", "http:")], path
        assert "'unsafe-inline'" not in rules["script-src"] and "'unsafe-eval'" not in sources, path
        # The only keywords beyond 'self': exactly the exceptions the module documents.
        assert set(rules) == set(page_security.POLICY), path
        assert rules["style-src"] == ["'self'", "'unsafe-inline'"], path
        assert rules["img-src"] == ["'self'", "data:", "blob:"], path


def test_the_policy_follows_the_inline_scripts_a_page_holds():
    page = ('<html><head><meta charset="utf-8" /><title>t</title>'
            '<script>var a = 1;</script><script type="application/json">{"b": 2}</script>'
            '<script src="x.js"></script></head><body><button onclick="go(&quot;x&quot;)">'
            '</button><a href="https://example.org/" rel="license">l</a><a href="p.html">p</a></body></html>')
    secured = page_security.with_policy(page_security.with_safe_links(page))
    rules = policy(secured)
    assert rules["script-src"] == ["'self'", "'unsafe-hashes'"] + sorted(
        [page_security.sha256_source("var a = 1;"), page_security.sha256_source('go("x")')])
    assert secured.index("Content-Security-Policy") < secured.index("<title>")
    assert '<a href="https://example.org/" rel="license noopener noreferrer">' in secured
    assert '<a href="p.html">' in secured
    assert page_security.with_policy(secured) == secured  # idempotent: unchanged pages are rewritten alike


# --- the policy, in the browser -----------------------------------------------------------------

def site_context(browser, server, init: str = "", **options):
    """A browser context that records CSP violations and refuses every request outside the site
    (the test server's own /favicon.ico included: the site has none)."""
    context = browser.new_context(bypass_csp=False, **options)
    context.add_init_script(init + LISTEN)
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(server) else r.abort())
    return context


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_every_page_loads_and_draws_its_charts_with_no_error_and_no_violation(crawl, site, mode):
    """Every page of the site, from the session's desktop crawl in that mode (policy enforced): in
    dark mode the English pages (the Italian ones run the same scripts)."""
    visits = crawl("desktop", mode)["pages"]
    assert set(visits) == set(crawled_pages(site) if mode == "light" else original_pages(site))
    assert len(crawled_pages(site)) > len(original_pages(site)) > 20
    assert sum(v["charts"] for v in visits.values()) > 0
    problems = {path: {k: v[k] for k in ("status", "theme", "errors", "violations")}
                for path, v in visits.items()
                if v["status"] != 200 or v["errors"] or v["violations"]
                or (v["theme"] != mode and path != "index.html")}
    assert problems == {}
    # every chart drawn (the crawl waits for it) by the partial bundle
    assert {tuple(sorted(v["traces"])) for v in visits.values() if v["charts"]} == {
        tuple(sorted(plotly_bundle.bundle_trace_types(plotly_bundle.PARTIAL_BUNDLE)))}


def test_search_finds_pages_under_the_policy(browser, server):
    context = site_context(browser, server)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(server + "search.html?q=masks", wait_until="load")
    page.wait_for_selector("#search-results ul.search li", timeout=20000)
    found = page.locator("#search-results ul.search li").count()
    violations = page.evaluate("window.__violations")
    context.close()
    assert found > 0 and errors == [] and violations == []


def test_the_print_button_runs_its_inline_handler_under_the_policy(browser, server):
    context = site_context(browser, server, "window.print = () => { window.__printed = true; };")
    page = context.new_page()
    page.goto(server + "intro.html", wait_until="load")
    button = page.locator("button[onclick='window.print()']").first
    assert button.count() == 1
    button.evaluate("b => b.click()")  # it sits in the download dropdown
    printed = page.evaluate("window.__printed === true")
    violations = page.evaluate("window.__violations")
    context.close()
    assert printed and violations == []


# --- the plotly.js bundle -----------------------------------------------------------------------

def test_the_vendored_bundle_is_the_installed_plotlys_plotly_js_with_its_licence():
    assert plotly_bundle.bundle_version(plotly_bundle.PARTIAL_BUNDLE) == plotly.offline.get_plotlyjs_version()
    assert plotly_bundle.bundle_version(plotly_bundle.FULL_BUNDLE) == plotly.offline.get_plotlyjs_version()
    licence = plotly_bundle.VENDOR / "plotly-basic.LICENSE"
    assert "MIT License" in licence.read_text(encoding="utf-8")


def test_the_site_serves_the_partial_bundle_holding_every_trace_type_the_book_draws(site):
    used = plotly_bundle.site_trace_types(site)
    assert used and used <= plotly_bundle.bundle_trace_types(plotly_bundle.PARTIAL_BUNDLE)
    served = (site / "_static" / "plotly.min.js").read_bytes()
    assert served == plotly_bundle.PARTIAL_BUNDLE.read_bytes()
    assert len(served) < plotly_bundle.FULL_BUNDLE.stat().st_size / 3


def test_the_bundles_trace_types_are_what_plotly_js_registers(browser):
    """``bundle_trace_types`` reads the bundle's text; plotly.js itself must agree."""
    context = browser.new_context()
    page = context.new_page()
    page.set_content("<html><head></head><body></body></html>")
    page.add_script_tag(path=str(plotly_bundle.PARTIAL_BUNDLE))
    registered = set(page.evaluate("Object.keys(Plotly.PlotSchema.get().traces)"))
    context.close()
    assert registered == plotly_bundle.bundle_trace_types(plotly_bundle.PARTIAL_BUNDLE) == {"bar", "pie", "scatter"}


@pytest.fixture
def bundle_warnings():
    """Warnings of maskbook.site.plotly_bundle (Sphinx's loggers may not propagate to the root)."""
    records: list[logging.LogRecord] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = records.append
    logger = logging.getLogger("sphinx.maskbook.site.plotly_bundle")
    logger.addHandler(handler)
    yield records
    logger.removeHandler(handler)


def test_the_build_falls_back_to_the_full_bundle_with_a_warning(bundle_warnings, monkeypatch):
    assert plotly_bundle.bundle_for({"bar", "scatter"}) == plotly_bundle.PARTIAL_BUNDLE
    assert bundle_warnings == []
    assert plotly_bundle.bundle_for({"scatter", "choropleth"}) == plotly_bundle.FULL_BUNDLE
    assert "lacks (choropleth)" in bundle_warnings[-1].getMessage()
    monkeypatch.setattr(plotly.offline, "get_plotlyjs_version", lambda: "9.9.9")
    assert plotly_bundle.bundle_for({"scatter"}) == plotly_bundle.FULL_BUNDLE
    assert "draws with 9.9.9" in bundle_warnings[-1].getMessage()


def canonical_svg(markup: str) -> list[str]:
    """A drawn chart's markup with plotly's random ids named alike and attributes sorted."""
    for uid in set(re.findall(r'id="(?:top)?defs-([0-9a-f]+)"', markup)):  # the main and the top layer's svg
        markup = markup.replace(uid, "UID")
    markup = re.sub(r"\btrace[0-9a-f]{6}\b", "traceUID", markup)
    return [f"{el.name} {sorted((k, ' '.join(v) if isinstance(v, list) else v) for k, v in el.attrs.items())} "
            f"{el.string or ''}" for el in BeautifulSoup(markup, "html.parser").find_all(True)]


NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def same_drawing(a: list[str], b: list[str], tolerance: float = 0.01) -> bool:
    """The same elements, attributes and text; coordinates may differ below ``tolerance`` px (text
    positions come from measured font boxes, which vary by a thousandth of a pixel between loads)."""
    if len(a) != len(b):
        return False
    for x, y in zip(a, b):
        if NUMBER.sub("#", x) != NUMBER.sub("#", y):
            return False
        if any(abs(float(m) - float(n)) > tolerance for m, n in zip(NUMBER.findall(x), NUMBER.findall(y))):
            return False
    return True


def test_same_drawing_allows_sub_pixel_noise_only():
    base = ["text [('x', '388.5'), ('y', '353.59921875')] Date"]
    assert same_drawing(base, ["text [('x', '388.5'), ('y', '353.6001953125')] Date"])
    assert not same_drawing(base, ["text [('x', '388.5'), ('y', '354.6')] Date"])
    assert not same_drawing(base, ["text [('x', '388.5'), ('y', '353.59921875')] Data"])
    assert not same_drawing(base, base * 2)


def test_charts_draw_exactly_as_with_the_full_bundle(crawl, site):
    """The chart pages of the desktop light crawl, and again with the full plotly.js served instead."""
    light, full = crawl("desktop", "light")["pages"], crawl("desktop", "light", "full")["pages"]
    assert set(full) == {p for p in html_pages(site) if light[p]["charts"]}
    compared = 0
    for path, visit in full.items():
        assert len(visit["traces"]) > 10, "the full bundle was not served"
        assert visit["violations"] == [] and visit["errors"] == []
        for partial_svg, full_svg in zip(light[path]["svgs"], visit["svgs"], strict=True):
            assert same_drawing(canonical_svg(partial_svg), canonical_svg(full_svg)), path
            compared += 1
    assert compared == sum(light[p]["charts"] for p in html_pages(site))
