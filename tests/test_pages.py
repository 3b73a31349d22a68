"""The pages read like a finished book (issue 12), checked on the built site, in Chromium where it
is about what a reader sees:

- one search field on a desktop screen (and one on a phone), named by its text;
- the search page: the magnifier does not cover the query, results read as text (no table cells
  run together, no contents list in front);
- the "Contents" sidebar follows the reader, also when the reader jumps (every chapter);
- bibliography labels are author-year, unique, and read exactly as the citations that link to
  them; the entry a citation leads to is highlighted, in light and dark mode; displayed URLs are
  short, their links full;
- the notes concordance has no dangling "online at:" and lists citing pages in book order;
- exercises are numbered per chapter ("Exercise 2.1");
- the teaching guide's time column does not wrap ("0–10 min").
"""
from __future__ import annotations

import posixpath
import re

import pytest
from bs4 import BeautifulSoup

from maskbook.site.bibstyle import URL_DISPLAY_MAX, display_url
from maskbook.site.concordance import without_dangling_online

from conftest import html_pages, toc_docnames
from conftest import soup as page_soup
from crawl import SCREENS

DESKTOP = SCREENS["desktop"]
YEAR_ONLY = re.compile(r"^(?:\d{4}|n\.d\.)(?:-?[a-z]+)?$")
AUTHOR_YEAR = re.compile(r"^.+, (?:\d{4}|n\.d\.)(?:-?[a-z]+)?$")
DATE_RUN_TOGETHER = re.compile(r"\d{4}-\d{2}-\d{2}\d")


def soup(site, path: str) -> BeautifulSoup:
    return page_soup(site / path)


def chapter_paths(site) -> list[str]:
    return [p for p in html_pages(site) if p.startswith("chapters/")]


@pytest.fixture(scope="module")
def context(browser):
    ctx = browser.new_context(viewport=DESKTOP)
    yield ctx
    ctx.close()


# ------------------------------------------------------------------ one search field
@pytest.mark.parametrize("screen", ["desktop", "phone"], ids=["1280px", "390px"])
def test_one_search_field(crawl, site, screen):
    """Every toc page of the session's crawl at that screen (light), not only two."""
    visits = crawl(screen, "light")["pages"]
    controls = {p: visits[p]["search_controls"] for p in html_pages(site)}
    assert {p: c for p, c in controls.items() if len(c) != 1} == {}
    assert {p: c for p, c in controls.items() if not c[0].startswith("Search")} == {}


# ------------------------------------------------------------------ the search page
def test_search_results_read_as_text_and_the_query_is_not_covered(context, server):
    page = context.new_page()
    page.goto(server + "search.html?q=ventilators", wait_until="load")
    page.wait_for_function("document.querySelectorAll('#search-results li p.context').length >= 3",
                           timeout=20000)
    page.wait_for_function("!!document.querySelector('#search-results .search-summary')", timeout=20000)
    summaries = page.locator("#search-results li p.context").all_text_contents()
    for text in summaries:
        assert not DATE_RUN_TOGETHER.search(text), text
        assert "Learning objectives" not in text[:40], text  # not the page's contents list
    assert any("ventilator" in t.lower() for t in summaries)
    # The magnifier ends before the query's first letter.
    icon, text_start = page.evaluate("""() => {
        const form = document.querySelector('.bd-search-container form.bd-search');
        const icon = form.querySelector('.fa-magnifying-glass').getBoundingClientRect();
        const input = form.querySelector('input');
        const r = input.getBoundingClientRect();
        return [icon.right, r.left + parseFloat(getComputedStyle(input).paddingLeft)];
    }""")
    assert icon <= text_start, (icon, text_start)
    page.close()


# ------------------------------------------------------------------ contents sidebar
SECTIONS = """() => Array.from(document.querySelectorAll('#pst-page-toc-nav a[href^="#"]')).map(a => {
    const section = document.getElementById(decodeURIComponent(a.hash.slice(1)));
    const heading = section.querySelector('h1, h2, h3, h4, h5, h6') || section;
    return [a.textContent.trim(), heading.getBoundingClientRect().top + window.scrollY];
})"""
ACTIVE = "() => Array.from(document.querySelectorAll('#pst-page-toc-nav a.active')).map(a => a.textContent.trim())"


def test_contents_sidebar_follows_the_reader_in_every_chapter(context, server, site):
    """Jump (as Page Down or a link does) so that each section's heading is near the top: the
    sidebar marks that section; at the end of the page, the last one."""
    page = context.new_page()
    checked = 0
    for path in chapter_paths(site):
        page.goto(server + path, wait_until="load")
        sections = page.evaluate(SECTIONS)
        if len(sections) < 2:
            continue
        bottom = page.evaluate("document.documentElement.scrollHeight - window.innerHeight")
        band = page.evaluate("window.innerHeight * 0.3")  # the band's lower edge (maskbook-toc.js)
        for i, (title, top) in enumerate(sections):
            if top - 100 > bottom:
                break  # the page ends before this heading can reach the top
            page.evaluate(f"window.scrollTo(0, {top - 100})")
            # The section read is the last whose heading is above the band's edge: this one, or the
            # next if it follows closely (a section that opens with a subsection).
            expected = [t for t, y in sections if y - (top - 100) <= band][-1]
            assert expected in {title, sections[min(i + 1, len(sections) - 1)][0]}, (path, title, expected)
            page.wait_for_function(f"({ACTIVE})().length === 1 && ({ACTIVE})()[0] === {expected!r}", timeout=3000)
            checked += 1
        page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
        page.wait_for_function(f"({ACTIVE})()[0] === {sections[-1][0]!r}", timeout=3000)
    page.close()
    assert checked >= 40


# ------------------------------------------------------------------ bibliography
def bibliography_labels(site) -> dict[str, str]:
    """Citation id -> label text (without brackets) on the bibliography page."""
    page = soup(site, "chapters/bibliography.html")
    return {c["id"]: c.select_one("span.label").get_text().strip("[]")
            for c in page.select("div.citation")}


def test_bibliography_labels_are_author_year_and_unique(site):
    labels = bibliography_labels(site)
    assert len(labels) >= 100
    assert len(set(labels.values())) == len(labels)
    bad = [label for label in labels.values() if not AUTHOR_YEAR.match(label)]
    assert bad == []
    assert "Fraile del Álamo and Lim, 2021" in labels.values()


def test_citations_read_as_the_labels_they_link_to(site):
    labels = bibliography_labels(site)
    checked = 0
    for path in html_pages(site):
        for link in soup(site, path).select("span.bibtex-citation a.reference.internal"):
            target = link["href"].split("#")[-1]
            text = link.get_text()
            if YEAR_ONLY.match(text):   # {cite:t}: "Lamperti [2020a]" links the year
                author, year = labels[target].rsplit(", ", 1)
                assert year == text and f"{author} [{text}]" in link.parent.get_text(), (path, text, labels[target])
            else:                       # {cite:p}: "[Lamperti, 2020a]"
                assert text == labels[target], (path, text, labels[target])
            checked += 1
    assert checked >= 100


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_the_cited_entry_is_highlighted(browser, server, mode):
    ctx = browser.new_context(viewport=DESKTOP, color_scheme=mode)
    ctx.add_init_script(f"localStorage.setItem('mode', '{mode}'); localStorage.setItem('theme', '{mode}');")
    try:
        page = ctx.new_page()
        page.goto(server + "chapters/aid.html", wait_until="load")
        link = page.locator("span.bibtex-citation a.reference.internal").first
        target = link.get_attribute("href").split("#")[-1]
        link.click()
        page.wait_for_url(re.compile(rf"bibliography\.html#{target}$"))
        colours = page.evaluate("""id => {
            const entry = document.getElementById(id);
            const other = Array.from(document.querySelectorAll('div.citation')).find(c => c !== entry);
            const page = getComputedStyle(document.body).backgroundColor;
            return [entry.matches(':target'), getComputedStyle(entry).backgroundColor,
                    getComputedStyle(other).backgroundColor, page];
        }""", target)
        is_target, entry_bg, other_bg, page_bg = colours
        assert is_target
        assert entry_bg not in (other_bg, page_bg, "rgba(0, 0, 0, 0)"), colours
        # The highlighted entry is in view, below the sticky header.
        top = page.evaluate("id => document.getElementById(id).getBoundingClientRect().top", target)
        assert 0 <= top < DESKTOP["height"] / 2
    finally:
        ctx.close()


def test_displayed_urls_are_short_and_links_keep_the_full_address(site):
    links = soup(site, "chapters/bibliography.html").select("div.citation a.reference.external")
    assert links
    for link in links:
        assert len(link.get_text()) <= URL_DISPLAY_MAX, link.get_text()
        assert link["href"].startswith(("http://", "https://"))
    assert any(link.get_text().endswith("…") and len(link["href"]) > URL_DISPLAY_MAX for link in links)


def test_display_url():
    shown = display_url("https://thediplomat.com/2020/03/chinas-mask-diplomacy/")
    assert shown == "thediplomat.com/2020/03/chinas-mask-diplomacy"
    shown = display_url("https://zh.wikipedia.org/wiki/" + "%E4%B8%AD" * 40)
    assert shown.startswith("zh.wikipedia.org/wiki/中中") and shown.endswith("…")
    assert len(shown) == URL_DISPLAY_MAX


# ------------------------------------------------------------------ notes concordance
def test_without_dangling_online():
    assert without_dangling_online("A, BBC News, 21 January 2020, online at:; B, FT, 19 January 2020, online at:") == (
        "A, BBC News, 21 January 2020; B, FT, 19 January 2020.")
    assert without_dangling_online("Report, pp.35–39, online at: For some drawings, see X.") == (
        "Report, pp.35–39. For some drawings, see X.")
    assert without_dangling_online("ETNC, COVID-19 and Europe–China relations.") == "ETNC, COVID-19 and Europe–China relations."


def test_concordance_has_no_dangling_fragment_and_lists_pages_in_book_order(site):
    page = soup(site, "chapters/notes-concordance.html")
    text = page.select_one("article").get_text(" ")
    assert not re.search(r"online at\s*:\s*(?!https?://|www\.)", text)
    order = [f"{name}.html" for name in toc_docnames()]
    lists = page.select("p.concordance-pages")
    assert len(lists) >= 18
    for cited in lists:
        pages = [posixpath.normpath(posixpath.join("chapters", a["href"].split("#")[0])) for a in cited.select("a")]
        assert pages == sorted(pages, key=order.index), pages


# ------------------------------------------------------------------ exercises
def test_exercises_are_numbered_per_chapter(site):
    chapters = [name for name in toc_docnames()[1:]]
    seen = 0
    for number, name in enumerate(chapters, start=1):
        page = soup(site, f"{name}.html")
        titles = [t.get_text(" ", strip=True) for t in page.select("div.exercise > p.admonition-title")]
        solutions = [t.get_text(" ", strip=True) for t in page.select("div.solution > p.admonition-title")]
        expected = [f"Exercise {number}.{i}" for i in range(1, len(titles) + 1)]
        assert [t.split(" (")[0].strip() for t in titles] == expected, name
        assert [s.removeprefix("Solution to ").split(" (")[0].strip() for s in solutions] == expected, name
        seen += len(titles)
    assert seen >= 20


# ------------------------------------------------------------------ teaching guide
@pytest.mark.parametrize("screen", ["desktop", "phone"], ids=["1280px", "390px"])
def test_teaching_guide_time_column_does_not_wrap(crawl, screen):
    lines = crawl(screen, "light")["pages"]["chapters/teaching-guide.html"]["time_column"]
    assert len(lines) >= 6
    assert all(n == 1 for _, n in lines), lines
