"""One visit of each page per screen and colour scheme, recording everything a page load can tell.

The tests used to load the site's pages about 300 times, in some 50 browser contexts, one check
per crawl. ``crawl(browser, server, site, screen, mode)`` loads each page once, one after another
in one tab (:class:`Tab`), as a reader following links does, with the site's
Content Security Policy enforced (no bypass: a reader's browser), every request outside the site
refused, and records per page: the response status, the theme, console errors, CSP violations,
requests to other origins, the charts and how many were drawn, their drawn markup and the trace
types plotly.js registers, axe-core's serious and critical violations (desktop toc pages, the
rules of :func:`axe_options`), the page's
width, the visible search controls, the lines of the teaching guide's time column, and for every
chart the layout reports of its static image and of its drawn chart, its mode bar's buttons,
and (phone, light) the words and dates that its data table breaks across lines.

The crawls (``CRAWLS``) start in the background as soon as the session's build is done
(:class:`Crawls`, two at a time, each in its own thread with its own Chromium and server), while
other tests run; the session fixture ``crawl`` in conftest.py hands each test the crawl it reads.
axe-core (added to every page of a desktop crawl before its own scripts, its colour parses
remembered: :data:`REMEMBER_COLOURS`) and the measuring code are evaluated through the DevTools
protocol (``add_init_script``, ``page.evaluate``), which the page's policy does not govern, so
they need no bypass.
"""
from __future__ import annotations

import functools
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlparse

#: Chromium's flags for the tests (headless, in a container, offline).
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--no-first-run"]
SCREENS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
#: Two texts on the same line closer than this (px) read as one ("0" next to "100" reads "1000").
MIN_GAP = 3
#: Which pages each crawl visits: every page of the site (both editions) on a desktop in light
#: mode; in dark mode the English pages only (the Italian ones run the same scripts under the same
#: stylesheets); every toc page on a phone in light mode; the chart pages on a phone in dark mode
#: (chart layout only).
PAGES = {("desktop", "light"): "site", ("desktop", "dark"): "original", ("phone", "light"): "toc", ("phone", "dark"): "charts"}
#: axe-core's rules that read colours (the only ones whose result can change with the colour scheme).
COLOUR_RULES = ["color-contrast", "link-in-text-block"]
#: Pages whose scripts work on after the load (the search page reads its index and result pages).
LATE = {"search.html"}
#: Pages that record CSP violations (the listener is installed before any page script runs).
LISTEN = ("window.__violations = [];"
          "document.addEventListener('securitypolicyviolation', e => window.__violations.push("
          "[e.violatedDirective, e.blockedURI, e.sourceFile, e.lineNumber].join(' ')));")


def site_pages(site: Path) -> list[str]:
    """Every HTML page of the site (toc pages, search, index, redirects), not the theme's templates."""
    return [p.relative_to(site).as_posix() for p in sorted(site.rglob("*.html")) if "_static" not in p.relative_to(site).parts]


@functools.cache
def original_pages(site: Path) -> list[str]:
    """The pages of the site in the book's own language (not those of a translation, ``it/...``)."""
    from maskbook.editions.translation import TRANSLATIONS

    return [p for p in site_pages(site) if p.split("/")[0] not in TRANSLATIONS]


@functools.cache
def toc_pages(site: Path) -> list[str]:
    """Every toc page of every edition: ``intro.html``, ... and ``it/intro.html``, ..."""
    from maskbook.editions.translation import TRANSLATIONS

    from conftest import html_pages

    return [prefix + page for prefix in ["", *(f"{lang}/" for lang in TRANSLATIONS)] for page in html_pages(site)]


def chart_pages(site: Path, pages: list[str]) -> list[str]:
    return [p for p in pages if "maskbook-chart-spec" in (site / p).read_text(encoding="utf-8")]


def axe_options(site: Path, path: str, screen: str, mode: str) -> dict | None:
    """The options of axe-core's run on this page of this crawl, or None (no run): every rule on
    the English toc pages in light mode; on their translations every rule but those that read
    colours (the same stylesheets, checked on the English twin); in dark mode those rules only,
    on the English toc pages; none on a phone."""
    if screen != "desktop" or path not in toc_pages(site):
        return None
    translated = path not in original_pages(site)
    if mode == "dark":
        return None if translated else {"runOnly": COLOUR_RULES}
    return {"rules": {rule: {"enabled": False} for rule in COLOUR_RULES}} if translated else {}


#: axe-core's colour rules parse a CSS colour text (with colorjs.io) each time they meet it, for
#: every element behind every text: about 40% of their time on a long page. Run after axe-core,
#: this keeps each text's parse and gives the same channels when the text comes again (a parse
#: that fails is not kept: it fails again, as before). Colour texts mean the same on every page.
REMEMBER_COLOURS = """(() => {
  const Color = axe.commons.color.Color, parse = Color.prototype.parseString, parsed = new Map();
  Color.prototype.parseString = function rememberedParse(text) {
    const known = parsed.get(text);
    if (known === undefined) {
      parse.call(this, text);
      parsed.set(text, [this.r, this.g, this.b, this.alpha]);
    } else {
      [this.r, this.g, this.b, this.alpha] = known;
    }
    return this;
  };
})();"""


def axe_core() -> str:
    """axe-core's script, as the PyPI package axe-playwright-python ships it (requirements.txt)."""
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


def axe_source() -> str:
    """axe-core's script, with its colour parses remembered (:data:`REMEMBER_COLOURS`)."""
    return axe_core() + "\n" + REMEMBER_COLOURS


def serious_axe_violations(page, source: str | None, options: dict | None = None) -> list[dict]:
    """axe-core's serious and critical violations on the page as it is now (run under its CSP),
    with axe's ``options`` (which rules; all by default). ``source``: axe-core's script, evaluated
    first; None when the page already has it (a crawl's context adds it to every page it opens)."""
    if source is not None:
        page.evaluate("() => {" + source + "\n}")
    violations = page.evaluate(
        "async options => (await axe.run(document, {...options, resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))",
        options or {},
    )
    return [v for v in violations if v["impact"] in ("serious", "critical")]


# Bring each chart into view in turn, for two frames (the loader's IntersectionObserver sees it).
SCROLL_THROUGH = """async selector => {
  const frame = () => new Promise(r => requestAnimationFrame(() => r()));
  for (const el of document.querySelectorAll(selector)) { el.scrollIntoView({block: 'center'}); await frame(); await frame(); }
}"""


def draw_all_charts(page) -> int:
    """Open dropdowns, bring every chart into view (drawn lazily, after a first interaction); wait."""
    n = page.evaluate("document.querySelectorAll('div.plotly-graph-div').length")
    if n:
        # Charts inside closed dropdowns (exercise solutions) are drawn once shown: open them.
        page.evaluate("document.querySelectorAll('.toggle-hidden button.toggle-button').forEach(b => b.click())")
        page.mouse.move(1, 1)  # the first interaction lets the loader fetch plotly.js (a move: the
        page.mouse.move(5, 5)  # pointer may rest where the tab's last page left it)
        page.evaluate(SCROLL_THROUGH, "div.plotly-graph-div")
        page.wait_for_function(
            "n => document.querySelectorAll('div.plotly-graph-div[data-drawn=yes]').length >= n",
            arg=n, timeout=20000,
        )
        page.evaluate("window.scrollTo(0, 0)")
    return n


# --- chart layout (tests/test_chart_layout.py judges the reports) -------------------------------

# Which of the texts `els` (SVG <text> or HTML elements) lie outside `box`, and which pairs overlap
# or stand too close on one line. `scale` turns an SVG text's font size into CSS px on screen.
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
# (MEASURE is written into the function: the page's policy forbids eval.)
INTERACTIVE = """
(figure, minGap) => {
  const check = MEASURE;
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
          buttons: [...plot.querySelectorAll('.modebar-btn')].map(a => a.getAttribute('data-title')),
          cloud: plot._context ? plot._context.showSendToCloud : null};
}
""".replace("MEASURE", MEASURE.strip())

# One static image as the page shows it: the SVG file is laid over the <img> at the image's
# displayed size and measured there; then how it fills its box, its smallest font, its filter.
STATIC = """
async (figure, minGap) => {
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
  const report = (MEASURE)([...svg.querySelectorAll('text')], svg.getBoundingClientRect(), minGap, r.width / vw);
  holder.remove();
  return {id: figure.id.replace(/-figure$/, ''), src: img.currentSrc, checked: report.texts.length,
          clipped: report.clipped, overlaps: report.overlaps, minFont: Math.min(...report.texts.map(t => t.font)),
          blank: Math.max(r.left - plotBox.left, r.top - plotBox.top,
                          plotBox.right - r.left - r.width, plotBox.bottom - r.top - r.height),
          overflow: r.height - plotBox.height,
          aspect: Math.abs(r.width / r.height - vw / vh), filter: getComputedStyle(img).filter};
}
""".replace("MEASURE", MEASURE.strip())

# The data tables under the charts, opened: a date, or a word (a line may break after the hyphen
# of a compound), laid out on more than one line is broken.
TABLE_BREAKS = """() => {
  document.querySelectorAll('details.maskbook-chart-data').forEach(d => d.open = true);
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
}"""


# Every chart's static image as the page shows it (lazy images: each brought into view and waited
# for, 10 s at most), measured by STATIC.
STATIC_ALL = """async minGap => {
  const measure = STATIC;
  const frame = () => new Promise(r => requestAnimationFrame(() => r()));
  const reports = [];
  for (const figure of document.querySelectorAll('figure.maskbook-chart')) {
    const img = figure.querySelector('img.maskbook-chart-static');
    img.scrollIntoView({block: 'center'});
    const until = performance.now() + 10000;
    while (!(img.complete && img.naturalWidth > 0)) {
      if (performance.now() > until) throw new Error('static image not loaded: ' + img.src);
      await frame();
    }
    reports.push(await measure(figure, minGap));
  }
  return reports;
}""".replace("STATIC", STATIC.strip())


def static_reports(page) -> list[dict]:
    """The static image of every chart as shown before plotly draws."""
    return page.evaluate(STATIC_ALL, MIN_GAP)


# Every drawn chart, measured by INTERACTIVE.
INTERACTIVE_ALL = """minGap => {
  const report = INTERACTIVE;
  return [...document.querySelectorAll('figure.maskbook-chart')].map(figure => report(figure, minGap));
}""".replace("INTERACTIVE", INTERACTIVE.strip())


def interactive_reports(page) -> list[dict]:
    """Every chart as plotly drew it."""
    return page.evaluate(INTERACTIVE_ALL, MIN_GAP)


# --- the rest of the page -----------------------------------------------------------------------

VISIBLE_SEARCH_CONTROLS = """() => Array.from(document.querySelectorAll(
    '.search-button-field, .search-button, form.bd-search')).filter(el => {
      const r = el.getBoundingClientRect(), s = getComputedStyle(el);
      return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && !el.closest('dialog:not([open])');
    }).map(el => el.textContent.trim().replace(/\\s+/g, ' ') || el.getAttribute('aria-label'))"""

# The teaching guide's time column: each "… min" cell and the number of lines it takes.
TIME_COLUMN = """() => Array.from(document.querySelectorAll('article table td:first-child'))
    .filter(td => /min/.test(td.textContent)).map(td => {
        const walker = document.createTreeWalker(td, NodeFilter.SHOW_TEXT), tops = new Set();
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const range = document.createRange(); range.selectNodeContents(node);
            Array.from(range.getClientRects()).forEach(r => tops.add(Math.round(r.top)));
        }
        return [td.textContent.trim(), tops.size];
    })"""


class Tab:
    """The crawl's one browser tab, which loads page after page as a reader following links does
    (a tab opened per page cost about 0.25 s, and its new renderer compiled axe-core afresh); the
    console errors of the page it shows now (:attr:`errors`, a new list at each visit)."""

    def __init__(self, context):
        self.page = context.new_page()
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))


def visit(tab: Tab, server: str, site: Path, path: str, screen: str, mode: str, axe: bool) -> dict:
    """Load one page in the crawl's tab and record what it tells (see the module's docstring);
    ``axe``: the context's pages have axe-core."""
    import re

    page, errors = tab.page, []
    tab.errors = errors
    response = page.goto(server + path, wait_until="load")
    redirect = re.search(r'<meta http-equiv="Refresh" content="0; url=([^"]+)"',
                         (site / path).read_text(encoding="utf-8"), re.I)
    if redirect:  # index.html sends the reader on to the landing page
        page.wait_for_url("**/" + redirect.group(1), wait_until="load")
    theme, charts = page.evaluate("[document.documentElement.dataset.theme, "
                                  "document.querySelectorAll('figure.maskbook-chart').length]")
    record = {"status": response.status, "theme": theme}
    record["static"] = static_reports(page) if charts else []
    record["charts"] = draw_all_charts(page)
    record["drawn"] = interactive_reports(page) if charts else []
    if charts or path.rsplit("/", 1)[-1] in LATE:
        page.wait_for_timeout(200)  # what the drawing (or the search) set off reports its violations
    record.update(page.evaluate("""() => ({
        rendered: [...document.querySelectorAll('div.plotly-graph-div')].filter(d => d.querySelector('svg.main-svg')).length,
        svgs: [...document.querySelectorAll('div.plotly-graph-div')].map(d => d.innerHTML),
        chart_rights: [...document.querySelectorAll('div.plotly-graph-div svg.main-svg')]
            .map(s => s.getBoundingClientRect().right),
        traces: window.Plotly ? Object.keys(Plotly.PlotSchema.get().traces) : [],
        violations: window.__violations,
        width: document.documentElement.scrollWidth,
    })"""))
    record["search_controls"] = page.evaluate(VISIBLE_SEARCH_CONTROLS)
    record["time_column"] = page.evaluate(TIME_COLUMN) if path == "chapters/teaching-guide.html" else []
    options = axe_options(site, path, screen, mode) if axe else None
    record["axe"] = serious_axe_violations(page, None, options) if options is not None else None
    record["table_breaks"] = page.evaluate(TABLE_BREAKS) if charts and (screen, mode) == ("phone", "light") else []
    record["errors"] = errors
    return record


def crawl(browser, server: str, site: Path, screen: str, mode: str, plotly_js: bytes | None = None) -> dict:
    """Every page of this (screen, mode) crawl (``PAGES``): {path: record}, and ``outside``: the
    requests to another origin. ``plotly_js``: serve these bytes as ``_static/plotly.min.js``
    (chart pages only, desktop light)."""
    from conftest import html_pages

    pages = {"site": site_pages, "original": original_pages, "toc": html_pages}.get(
        PAGES[(screen, mode)], lambda site: chart_pages(site, html_pages(site)))(site)
    if plotly_js is not None:
        pages = chart_pages(site, html_pages(site))
    viewport = SCREENS[screen]
    context = browser.new_context(bypass_csp=False, viewport=viewport, color_scheme=mode, has_touch=screen == "phone")
    context.add_init_script(f"localStorage.setItem('mode', '{mode}'); localStorage.setItem('theme', '{mode}');" + LISTEN)
    outside: list[str] = []

    def route(r):
        if r.request.url.startswith(server):
            return r.continue_()
        if urlparse(r.request.url).hostname != "127.0.0.1":
            outside.append(r.request.url)
        r.abort()

    context.route("**/*", route)
    if plotly_js is not None:
        context.route("**/_static/plotly.min.js", lambda r: r.fulfill(body=plotly_js, content_type="text/javascript"))
    axe = screen == "desktop" and plotly_js is None
    if axe:  # in every page before its own scripts, through the DevTools protocol (not under the policy)
        context.add_init_script(axe_source())
    try:
        tab = Tab(context)
        visits = {path: visit(tab, server, site, path, screen, mode, axe) for path in pages}
    finally:
        context.close()
    return {"pages": visits, "outside": outside}


#: Every crawl the tests read: (screen, mode, plotly.js), in the order they start.
CRAWLS = [("desktop", "light", "site"), ("desktop", "dark", "site"), ("phone", "light", "site"),
          ("phone", "dark", "site"), ("desktop", "light", "full")]


def crawl_in_own_browser(chromium: Path, site: Path, screen: str, mode: str, bundle: str) -> dict:
    """One crawl with its own server and browser (Playwright's sync API: one instance per thread)."""
    from playwright.sync_api import sync_playwright

    from maskbook import bench
    from maskbook.site import plotly_bundle

    plotly_js = plotly_bundle.FULL_BUNDLE.read_bytes() if bundle == "full" else None
    with bench.serve(site) as server, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=BROWSER_ARGS)
        try:
            return crawl(browser, server, site, screen, mode, plotly_js)
        finally:
            browser.close()


class Crawls:
    """The session's crawls, run in the background, two at a time (the machine's two cores)."""

    def __init__(self, chromium: Path, site: Path):
        self.pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="crawl")
        self.futures = {key: self.pool.submit(crawl_in_own_browser, chromium, site, *key) for key in CRAWLS}

    def get(self, screen: str, mode: str, bundle: str = "site") -> dict:
        return self.futures[(screen, mode, bundle)].result()

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
