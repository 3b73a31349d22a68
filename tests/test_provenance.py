"""A source under every number (issue 13), checked on the built site.

- every glued number in the prose is a link to its rows in the Data appendix; the anchor exists;
  the number shown is what its rows give, after the stated derivation and the role's format
  (records read from the executed notebooks the site offers, values recomputed from data/);
- the Data appendix has one page per table with every row anchored, its source linked to the
  bibliography, and "used in" links that land on the figures;
- pages stay under 200 KB; the tooltip script is a file, not inline;
- in Chromium the tooltip shows on keyboard focus, on hover and on a first tap, Escape hides it,
  no console error, and axe finds no serious or critical violation on a chapter and a data page.

Glued values that are not numbers (a country's name, "the lowest") are words, not figures: they
carry no record and need no link. Numbers typed in the prose (years, dates) are not glued at all.
"""
from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from myst_nb.core.variables import format_plain_text

from maskbook.book import data, provenance

from conftest import html_pages, soup
from crawl import axe_source, serious_axe_violations

MAX_PAGE = 200_000
NUMBER = re.compile(r"^[+-]?[\d,]*\.?\d+$")


def records(site: Path, page: str) -> dict[str, dict]:
    """The provenance records glued by a page's notebook (the executed .ipynb the site offers)."""
    path = site / "_sources" / page.replace(".html", ".ipynb")
    if not path.is_file():
        return {}
    nb = nbformat.read(path, as_version=4)
    return {k: v for c in nb.cells if c.cell_type == "code" for k, v in provenance.records_in(c.get("outputs", [])).items()}


def figure_links(site: Path):
    """(page, link element, record) for every figure link of the site."""
    for page in html_pages(site):
        recs = records(site, page)
        for link in soup(site / page).select("span.mb-fig > a"):
            name = re.sub(r"-\d+$", "", link["id"].removeprefix("fig-"))
            yield page, link, recs.get(name)


def test_every_glued_number_is_a_link(site):
    # myst-nb renders a plain glued value as <span class="pasted-text">; a figure with a record
    # is rendered as a link instead.
    unlinked = [f"{page}: {pasted.get_text()}" for page in html_pages(site)
                for pasted in soup(site / page).select("span.pasted-text")
                if NUMBER.match(pasted.get_text().strip())]
    assert unlinked == []
    assert sum(1 for _ in figure_links(site)) > 200


def test_every_figure_link_lands_on_its_rows_and_shows_what_they_give(site):
    problems, derived = [], 0
    for page, link, rec in figure_links(site):
        if rec is None:
            problems.append(f"{page}: {link['id']} has no provenance record in the notebook")
            continue
        target, anchor = link["href"].split("#")
        target_path = (site / page).parent / target
        if not target_path.is_file() or soup(target_path).find(id=anchor) is None:
            problems.append(f"{page}: {link['id']} -> {link['href']} does not exist")
        if anchor != f"row-{rec['rows'][0]}" or target_path.stem != rec["table"]:
            problems.append(f"{page}: {link['id']} links to {link['href']}, not to its rows")
        value = provenance.derive(rec, rec["value"])
        derived += rec["how"] != "value"
        expected = format_plain_text(repr(rec["value"]), link.get("data-format", "s"))
        if not provenance.same(value, rec["value"]) or link.get_text() != expected:
            problems.append(f"{page}: {link['id']} shows {link.get_text()!r}; its rows give {value!r}")
        tip = link.find_next_sibling("span", class_="mb-tip")
        if tip is None or link.get("aria-describedby") != tip.get("id") or tip.get("role") != "tooltip":
            problems.append(f"{page}: {link['id']} has no tooltip described by it")
        elif not all(r in tip.get_text() for r in rec["rows"][:4]) or rec["table"] not in tip.get_text():
            problems.append(f"{page}: {link['id']}'s tooltip does not name its table and rows")
    assert problems == []
    assert derived > 20


def test_a_wrong_value_or_row_is_refused():
    with pytest.raises(provenance.ProvenanceError, match="rows give"):
        provenance.figure("x", 999, table="shipments", rows="SH06a", field="masks")
    with pytest.raises(provenance.ProvenanceError, match="no row"):
        provenance.figure("x", table="shipments", rows="SH999", field="masks")
    with pytest.raises(provenance.ProvenanceError, match="not a number written"):
        provenance.figure("x", 12345, table="timeline", rows="TL14", field="event", how="text")


def test_data_appendix_has_every_row_with_source_and_uses(site):
    problems = []
    bibliography = soup(site / "chapters" / "bibliography.html")
    uses = 0
    for name in data.list_tables():
        page = site / "chapters" / "data" / f"{name}.html"
        doc = soup(page)
        assert doc.find("h1") is not None and doc.find("h1").get_text().strip(), name
        for row_id in provenance.raw_rows(name):
            row = doc.find(id=f"row-{row_id}")
            if row is None:
                problems.append(f"{name}: no row {row_id}")
                continue
            links = [a["href"] for a in row.select('td[data-label="Source"] a') if "bibliography.html#" in a["href"]]
            for href in links:
                if bibliography.find(id=href.split("#")[1]) is None:
                    problems.append(f"{name} {row_id}: {href} is not a bibliography entry")
            if not links:
                problems.append(f"{name} {row_id}: source not linked to the bibliography")
            for a in row.select('td[data-label="Used in"] a'):
                target, anchor = a["href"].split("#")
                uses += 1
                if soup((page.parent / target).resolve()).find(id=anchor) is None:
                    problems.append(f"{name} {row_id}: used-in link {a['href']} lands nowhere")
    assert problems == []
    assert uses > 200


def test_pages_stay_small_and_scripts_are_files(site):
    sizes = {p: (site / p).stat().st_size for p in html_pages(site)}
    assert {p: s for p, s in sizes.items() if s >= MAX_PAGE} == {}
    aid = (site / "chapters" / "aid.html").read_text(encoding="utf-8")
    assert 'src="../_static/maskbook-figures.js' in aid
    assert "mb-fig" not in "".join(re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", aid, re.S))


def test_tooltip_on_focus_hover_and_tap_and_axe_clean(browser, server):
    errors, axe = [], axe_source()
    context = browser.new_context(has_touch=True)
    # Chromium asks the server root for /favicon.ico (outside the site's sub-path): not a page error.
    context.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    try:
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
        page.goto(server + "chapters/aid.html", wait_until="load")
        link = page.locator("span.mb-fig > a").first
        tip = page.locator("#" + link.get_attribute("aria-describedby"))
        assert not tip.is_visible()
        link.focus()
        assert tip.is_visible()
        page.keyboard.press("Escape")
        assert not tip.is_visible()
        link.blur()  # leaving the figure ends the dismissal
        link.hover()
        assert tip.is_visible()
        page.mouse.move(0, 0)
        url = page.url
        link.tap()  # first tap: the tooltip, not the data page
        assert tip.is_visible() and page.url == url
        assert serious_axe_violations(page, axe) == []
        page.goto(server + "chapters/data/shipments.html#row-SH06a", wait_until="load")
        assert page.locator("#row-SH06a").is_visible()
        assert serious_axe_violations(page, axe) == []
    finally:
        context.close()
    assert errors == []
