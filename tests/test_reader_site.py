"""The site as a reader meets it, edition 0.3 (issue 20), on the session's built site:

- no reader page shows code or a "Show code cell" bar; the downloaded notebooks keep the code;
- the landing page leads with three sentences and a chart, its summary cites the essay once, and
  it offers the book's citation made from CITATION.cff; no reader page tells how it was built;
- the chapters of the episode are numbered in their titles, the sidebar and their exercises;
- search ranks "The turn" first for "Di Battista" (relevance, not the alphabet);
- a link under the pointer has a contrast of at least 4.5:1 in light and dark mode;
- on a phone the previous/next links are not set one word a line, and a figure's source sheet
  does not cover the figure tapped.
"""
from __future__ import annotations

import json
import re

import pytest

from maskbook import edition
from maskbook.editions import pdf

from conftest import ROOT, html_pages, soup

PHONE = {"width": 390, "height": 844}


def episode_chapters() -> list[str]:
    """The docnames of the numbered part of _toc.yml, in order."""
    return edition.read_book(ROOT).numbered


# --- no machinery on reader pages ---------------------------------------------------------------

def test_no_reader_page_shows_code_or_a_code_cell_bar(site):
    hidden_cells = sum(p.read_text(encoding="utf-8").count(":tags: [hide-input]")
                       for p in [ROOT / "intro.md", *sorted((ROOT / "chapters").glob("*.md"))])
    assert hidden_cells > 0  # the chapters do hide their set-up and chart cells
    for page in html_pages(site):
        article = soup(site / page).select_one("article.bd-article")
        assert "Show code cell" not in article.get_text(), page
        assert not article.select("details.hide, .tag_hide-input .cell_input, .tag_chart .cell_input, "
                                  ".tag_chapter-setup .cell_input"), page
    # The notebook offered for download keeps the code, with its outputs.
    notebook = json.loads((site / "_sources" / "intro.ipynb").read_text(encoding="utf-8"))
    code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    assert any("timeline_overview" in "".join(c["source"]) and c["outputs"] for c in code)


def test_reader_pages_say_nothing_of_how_the_book_is_built(site):
    for page in ["intro.html", "chapters/bibliography.html", "chapters/notes-concordance.html"]:
        text = soup(site / page).select_one("article.bd-article").get_text(" ")
        for machinery in ["CITATION.cff", "python -m", "notes.txt", "references.bib", "never typed"]:
            assert machinery not in text, (page, machinery)


def test_the_landing_page_leads_with_three_sentences_and_a_chart_and_offers_the_citation(site):
    article = soup(site / "intro.html").select_one("article.bd-article section")
    blocks = [el for el in article.find_all(recursive=False) if el.name != "h1"]
    lead, chart = blocks[0], blocks[1]
    assert lead.name == "p" and len(re.findall(r"[.!?](?:\s|$)", lead.get_text(" ", strip=True))) == 3
    assert chart.select("figure.maskbook-chart")
    summary = article.select_one("div.admonition")
    essay = [a for a in summary.select("a") if "Fraile del Álamo" in a.get_text()]
    assert len(essay) == 1
    assert "late February" in summary.get_text() and "In March 2020 Italy had" not in summary.get_text()
    citation = article.select_one("div.maskbook-citation pre").get_text().strip()
    assert citation == pdf.read_book(ROOT).cite()


# --- a book's manners ---------------------------------------------------------------------------

def test_chapters_are_numbered_in_titles_sidebar_and_exercises(site):
    chapters = episode_chapters()
    sidebar = [a.get_text(" ", strip=True) for a in soup(site / "intro.html").select(".bd-sidebar-primary nav a")]
    for number, doc in enumerate(chapters, start=1):
        page = soup(site / f"{doc}.html")
        title = page.select_one("article h1").get_text(" ", strip=True).rstrip("#").strip()
        assert title.startswith(f"{number}. "), (doc, title)
        assert title in sidebar, (doc, sidebar)
        exercises = {t.get_text(" ", strip=True) for t in page.select("p.admonition-title")
                     if t.get_text().startswith("Exercise")}
        assert all(e.startswith(f"Exercise {number}.") for e in exercises), (doc, exercises)
    # The guide and the appendices are not chapters of the story: no number.
    for doc in ["chapters/teaching-guide", "chapters/bibliography", "chapters/data"]:
        title = soup(site / f"{doc}.html").select_one("article h1").get_text(" ", strip=True)
        assert not re.match(r"\d", title), doc


def test_search_ranks_the_chapter_about_di_battista_first(browser, server, site):
    counts = json.loads(re.sub(r"^[^=]*=\s*|;\s*$", "", (site / "searchcounts.js").read_text(encoding="utf-8")))
    assert counts["chapters/turn"]["battista"] == max(c.get("battista", 0) for c in counts.values())
    page = browser.new_page()
    page.goto(server + "search.html?q=Di+Battista", wait_until="load")
    first = page.locator("#search-results ul.search li").first
    first.wait_for(timeout=20000)
    assert first.locator("a").first.inner_text().endswith("The turn")
    page.close()


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_a_link_under_the_pointer_keeps_a_contrast_of_4_5(browser, server, mode):
    context = browser.new_context(color_scheme=mode)
    context.add_init_script(f"localStorage.setItem('mode', '{mode}'); localStorage.setItem('theme', '{mode}');")
    page = context.new_page()
    page.goto(server + "intro.html", wait_until="load")
    link = page.locator("article.bd-article a.reference.internal").first
    link.hover()
    page.wait_for_timeout(400)  # the theme's colour transition
    colours = link.evaluate("a => [getComputedStyle(a).color, getComputedStyle(document.body).backgroundColor]")
    context.close()
    assert contrast(*colours) >= 4.5, colours


def contrast(foreground: str, background: str) -> float:
    """WCAG contrast ratio of two CSS colours given as ``rgb(r, g, b)``."""
    def luminance(colour: str) -> float:
        channels = [int(v) / 255 for v in re.findall(r"\d+", colour)[:3]]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted([luminance(foreground), luminance(background)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_on_a_phone_the_footer_reads_and_the_source_sheet_leaves_the_figure_in_view(browser, server):
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(server + "intro.html", wait_until="load")
    # "Next: 1. Blame and the campaign to reshape the narrative" takes at most two lines.
    lines = page.locator(".prev-next-area a.right-next .prev-next-title").evaluate(
        "p => { const r = document.createRange(); r.selectNodeContents(p);"
        " return new Set([...r.getClientRects()].map(b => Math.round(b.top))).size; }")
    assert lines <= 2
    # A figure at the foot of the screen: its sheet opens where it does not cover it.
    figure = page.locator("article .mb-fig > a").first
    figure.evaluate("a => a.scrollIntoView({block: 'end'})")
    figure.tap()
    boxes = figure.evaluate("a => [a.getBoundingClientRect().toJSON(),"
                            " a.parentElement.querySelector('.mb-tip').getBoundingClientRect().toJSON()]")
    context.close()
    number, sheet = boxes
    assert sheet["height"] > 0
    assert number["bottom"] <= sheet["top"] or number["top"] >= sheet["bottom"], boxes
