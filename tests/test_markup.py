"""The built pages are valid HTML where the Nu validator found them not to be (issue 25), and a
solution's bar opens the solution wherever it is clicked (issue 20).

The Nu validator itself needs Java (README, "Valid HTML"); these checks are pure Python and look
for the defects it reported: ids repeated on a page, block content inside ``<summary>``,
attributes HTML does not allow where they stand, ``<style>`` outside ``<head>``, a page without
doctype or title.
"""
from __future__ import annotations

import collections
import re
from pathlib import Path

from bs4 import BeautifulSoup
from playwright.sync_api import expect

#: Elements that are not phrasing content (a <summary> holds phrasing content and headings only).
BLOCK = ["address", "article", "aside", "blockquote", "details", "dialog", "div", "dl", "fieldset",
         "figure", "footer", "form", "header", "hr", "main", "nav", "ol", "p", "pre", "section",
         "style", "table", "ul"]
#: Attributes the validator refused on these elements.
NOT_ALLOWED = {"source": ["width", "height"], "input": ["autocorrect"], "table": ["border"]}
SOLUTION_TITLE = "div.solution > .admonition-title"


def markup_defects(text: str) -> list[str]:
    """What is wrong with one page, in words (empty: nothing found)."""
    page = BeautifulSoup(text, "html.parser")
    defects = []
    if not text.lstrip().lower().startswith("<!doctype html>"):
        defects.append("no <!DOCTYPE html> first")
    if page.head is None or not (page.head.title and page.head.title.get_text(strip=True)):
        defects.append("no <title> in <head>")
    ids = collections.Counter(el["id"] for el in page.find_all(id=True))
    defects += [f"id {name!r} on {n} elements" for name, n in sorted(ids.items()) if n > 1]
    for summary in page.find_all("summary"):
        defects += [f"<{el.name}> inside <summary>" for el in summary.find_all(BLOCK)]
    for name, attributes in NOT_ALLOWED.items():
        defects += [f"{attr}= on <{name}>" for el in page.find_all(name) for attr in attributes if el.has_attr(attr)]
    defects += ["<style> outside <head>" for el in page.find_all("style") if el.find_parent("head") is None]
    defects += [f"a link inside the bar of {el.get_text(' ', strip=True)!r}"
                for el in page.select(SOLUTION_TITLE) if el.find("a")]
    return defects


def site_pages(site: Path) -> list[Path]:
    """Every page of the site (the themes' Jinja macros in ``_static/`` are not pages)."""
    return sorted(p for p in site.rglob("*.html") if "_static" not in p.relative_to(site).parts)


def test_the_checks_find_each_defect_the_validator_reported():
    page = """<html><head></head><body>
<section id="exercise-content"></section><section id="exercise-content"></section>
<details><summary><p class="collapsed admonition-title">Show code cell source</p></summary></details>
<picture><source media="(max-width: 599.98px)" srcset="a.svg" width="300" height="591"><img src="b.svg" alt=""></picture>
<input type="search" autocorrect="off">
<div><style scoped>.dataframe thead th { text-align: right; }</style><table border="1" class="dataframe"></table></div>
<div class="solution dropdown admonition"><p class="admonition-title">Solution to<a href="#ex"> Exercise 2.1</a></p></div>
</body></html>"""
    assert markup_defects(page) == [
        "no <!DOCTYPE html> first", "no <title> in <head>", "id 'exercise-content' on 2 elements",
        "<p> inside <summary>", "width= on <source>", "height= on <source>", "autocorrect= on <input>",
        "border= on <table>", "<style> outside <head>", "a link inside the bar of 'Solution to Exercise 2.1'"]


def test_every_page_is_free_of_the_defects_the_validator_reported(site):
    pages = site_pages(site)
    assert len(pages) >= 30
    defects = {p.relative_to(site).as_posix(): markup_defects(p.read_text(encoding="utf-8")) for p in pages}
    assert {page: found for page, found in defects.items() if found} == {}


def test_solution_bars_open_wherever_they_are_clicked(site, server, browser):
    """On a phone, a click on the words of "Solution to Exercise 2.1" opens the solution and stays
    on the page (the words were a link to the exercise, which took the click)."""
    pages = [p for p in site_pages(site) if BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser").select(SOLUTION_TITLE)]
    assert len(pages) >= 7
    url = server + pages[0].relative_to(site).as_posix()
    page = browser.new_page(viewport={"width": 390, "height": 844})
    try:
        page.goto(url, wait_until="load")
        bars = page.locator(SOLUTION_TITLE)
        page.wait_for_function("document.querySelectorAll('div.solution.toggle-hidden').length > 0")
        assert bars.count() >= 3
        for i in range(bars.count()):
            bar = bars.nth(i)
            bar.scroll_into_view_if_needed()
            # The middle of the word "Exercise", where the link was.
            box = bar.evaluate("""el => {
                const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
                let text = walk.nextNode();
                while (!text.textContent.includes('Exercise')) text = walk.nextNode();
                const at = text.textContent.indexOf('Exercise'), range = document.createRange();
                range.setStart(text, at); range.setEnd(text, at + 'Exercise'.length);
                const r = range.getBoundingClientRect(); return {x: r.x + r.width / 2, y: r.y + r.height / 2}; }""")
            page.mouse.click(box["x"], box["y"])
            expect(page.locator("div.solution").nth(i)).not_to_have_class(re.compile(r"\btoggle-hidden\b"), timeout=2000)
            assert page.url == url
    finally:
        page.close()
