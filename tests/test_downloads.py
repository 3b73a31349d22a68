"""What readers take away from the site is safe, and its links last (issue 15).

- no text cell of a downloadable CSV can be taken as a formula by a spreadsheet: the data
  validation refuses one, naming file, line and field; negative numbers in number fields are fine;
- the teaching pack's zip holds only relative paths inside its folder;
- every external link of the built site has ``rel="noopener noreferrer"``;
- every bibliography entry with a URL offers its archived copy in the Wayback Machine, dated by
  the entry's own date; the weekly link-check workflow runs Sphinx's linkcheck builder.
"""
from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path, PurePosixPath

import pytest
import yaml
from bs4 import BeautifulSoup

from maskbook.book import data
from maskbook.editions import teaching_pack as tp
from maskbook.site import bibstyle

from conftest import ROOT


def set_cell(path: Path, row_index: int, field: str, value: str) -> int:
    """Set one cell of a CSV; return its CSV line (the header is line 1)."""
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        header, body = reader.fieldnames, list(reader)
    body[row_index][field] = value
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=header, lineterminator="\n", quoting=csv.QUOTE_ALL)
        writer.writeheader()
        writer.writerows(body)
    return row_index + 2


@pytest.mark.parametrize("value", ['=HYPERLINK("http://example.org","x")', "+1+2", "-2+3", "@SUM(A1)",
                                   "\tcmd", "\rcmd"])
def test_a_text_cell_that_a_spreadsheet_would_run_is_refused(bad_data, value):
    line = set_cell(bad_data / "trade_masks.csv", 2, "source_title", value)
    with pytest.raises(data.DataValidationError) as caught:
        data.load_table("trade_masks")
    message = str(caught.value)
    assert message.startswith(f"line {line} of data/trade_masks.csv: source_title must not start with")
    assert repr(value) in message and "formula" in message
    assert [(e["line"], e["field"]) for e in caught.value.errors] == [(line, "source_title")]


def test_negative_numbers_in_number_fields_are_numbers_not_formulas(bad_data):
    table = data.load_table("trade_masks")
    assert (table["value"] < 0).any()  # the real data has negative changes
    set_cell(bad_data / "trade_masks.csv", 2, "source_title", "Masks - a title with a dash inside")
    assert len(data.load_table("trade_masks")) == len(table)


def test_no_downloadable_csv_holds_a_formula_cell():
    for name in data.list_tables():
        res = data._resource(name)
        assert data.formula_cells(res, data.csv_path(name)) == [], name


def test_the_teaching_pack_zip_holds_only_relative_paths_inside_its_folder():
    with zipfile.ZipFile(io.BytesIO(tp.zip_bytes(tp.pack_files(ROOT)))) as zf:
        names = zf.namelist()
    assert names
    for name in names:
        path = PurePosixPath(name)
        assert not path.is_absolute() and "\\" not in name and ":" not in name, name
        assert path.parts[0] == tp.PACK_DIR and ".." not in path.parts and len(path.parts) > 1, name


@pytest.mark.parametrize("bad", ["../escape.txt", "/etc/passwd", "notebooks/../../x", "C:/x", "a\\..\\b", "a//b"])
def test_the_teaching_pack_refuses_a_path_outside_its_folder(bad):
    with pytest.raises(ValueError, match="not a relative path inside the pack's folder"):
        tp.zip_bytes({"README.md": b"x", bad: b"y"})


def test_every_external_link_opens_with_noopener_noreferrer(site):
    checked = 0
    for page in site.rglob("*.html"):
        if "_static" in page.relative_to(site).parts:
            continue
        doc = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for a in doc.find_all("a", href=re.compile(r"^https?://")):
            assert {"noopener", "noreferrer"} <= set(a.get("rel") or []), (page.name, a["href"])
            checked += 1
    assert checked > 100  # the bibliography alone links every source


# --- archived copies and the link check --------------------------------------------------------

def test_wayback_links_are_dated_by_the_sources_own_date():
    url = "https://www.example.it/2020/03/13/articolo.html?x=1"
    assert bibstyle.wayback_url(url, "2020-03-13") == f"https://web.archive.org/web/20200313/{url}"
    assert bibstyle.wayback_url(url, "2020-05") == f"https://web.archive.org/web/202005/{url}"
    assert bibstyle.wayback_url(url, "2020") == f"https://web.archive.org/web/2020/{url}"
    assert bibstyle.wayback_url(url, "") == f"https://web.archive.org/web/*/{url}"


def test_the_bibliography_page_offers_an_archived_copy_of_every_url(site):
    """Every web page an entry links to (a DOI is a lasting identifier: no copy needed)."""
    from pybtex.database import parse_file

    entries = parse_file(str(ROOT / "references.bib")).entries
    dates_of = {}  # the URL of each entry -> the dates of the entries that link it
    for entry in entries.values():
        if "url" in entry.fields:
            dates_of.setdefault(entry.fields["url"], set()).add(entry.fields.get("date") or entry.fields.get("year", ""))
    doc = BeautifulSoup((site / "chapters" / "bibliography.html").read_text(encoding="utf-8"), "html.parser")
    archived = 0
    for citation in doc.select("div.citation"):
        label = citation.select_one("span.label").get_text()
        links = {a["href"]: a.get_text() for a in citation.find_all("a", href=re.compile(r"^https?://"))}
        pages = [href for href in links if not href.startswith((bibstyle.WAYBACK, "https://doi.org/"))]
        assert len(pages) <= 1 and set(pages) <= dates_of.keys(), label
        for url in pages:
            archives = {bibstyle.wayback_url(url, date): date for date in dates_of[url]}
            shown = [href for href in links if href in archives]
            assert len(shown) == 1 and links[shown[0]] in ("archived copy", "archived copies"), label
            archived += 1
    assert archived >= len([e for e in entries.values() if "url" in e.fields and "doi" not in e.fields]) > 100


def test_the_link_check_workflow_runs_sphinx_linkcheck_weekly_and_keeps_its_report():
    text = (ROOT / ".github" / "workflows" / "linkcheck.yml").read_text(encoding="utf-8")
    workflow = yaml.safe_load(text)
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert "workflow_dispatch" in triggers and triggers["schedule"][0]["cron"].split()[4] != "*"
    steps = [s for job in workflow["jobs"].values() for s in job["steps"]]
    check = [s for s in steps if "--builder linkcheck" in s.get("run", "")]
    assert len(check) == 1 and check[0].get("continue-on-error") is True
    upload = [s for s in steps if s.get("uses", "").startswith("actions/upload-artifact@")]
    assert upload and upload[0].get("if") == "always()" and "output.txt" in upload[0]["with"]["path"]
    assert all(s["uses"].split("/")[0] == "actions" for s in steps if "uses" in s)  # standard actions only
    assert "linkcheck" not in (ROOT / ".github" / "workflows" / "book.yml").read_text(encoding="utf-8")
