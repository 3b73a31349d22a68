"""Citations read quietly: short in-text labels (an outlet's common name or the authors, the
qualifiers kept in the bibliography entry), one name per outlet, one alphabetical bibliography
with the essay's notes marked, and Data pages that say where figures come from rather than what
the research lacked."""
import json
import re
from collections import defaultdict
from urllib.parse import urlparse

import pytest
from bs4 import BeautifulSoup
from pybtex.database import parse_file

from maskbook import ROOT
from maskbook.book import bibliography as bib
from maskbook.notes.bibtex import short_name
from maskbook.site import bibstyle

LABEL_MAX = 40
#: Words of the research process that tell a reader what the book lacked, not what it did.
LACKED = re.compile(
    r"not available to us|could not (?:read|see|find)|could read|we read\b|(?:was|were) not seen"
    r"|not identified|outlet unknown|(?:was|were) not found|reached us|not verified",
    re.IGNORECASE)


@pytest.fixture(scope="module")
def entries():
    return parse_file(str(bib.BIB_PATH), bib_format="bibtex").entries


@pytest.fixture(scope="module")
def labels(entries):
    """Every entry's label, lettered across the whole bibliography as the book does it."""
    bibstyle.register()
    bibstyle._YEARS.clear()
    bibstyle._YEARS.update(bibstyle.lettered_years(entries.values()))
    return dict(zip(entries, bibstyle.AuthorYearLabelStyle().format_labels(entries.values())))


def _name(label: str) -> str:
    return label.rsplit(", ", 1)[0]


def test_labels_are_short_and_plain(labels):
    long = {k: v for k, v in labels.items() if len(v) > LABEL_MAX}
    assert not long, f"labels over {LABEL_MAX} characters: {long}"
    bracketed = {k: v for k, v in labels.items() if re.search(r"[()\[\]]", v)}
    assert not bracketed, f"labels with a parenthesis: {bracketed}"
    assert labels["xinhua2020china"].startswith("Xinhua, 2020")
    assert labels["cri2020rientro"].startswith("China Radio International, 2020")
    assert labels["datawrapperndhave"] == "Datawrapper, n.d."
    assert labels["etnc2020covid"].startswith("ETNC, 2020")


def test_the_long_form_stays_in_the_entry(entries):
    text = bibstyle.format_entry_text(entries["xinhua2020china"])
    assert "Xinhua (republished by Yunnan Gateway)" in text
    assert bibstyle.format_entry_text(entries["etnc2020covid"]).startswith(
        "European Think-tank Network on China (ETNC), ")


def test_one_name_per_outlet(entries, labels):
    """Pieces without a byline from one web site carry one name; a bylined piece cites its
    authors (Bechis is cited as an author, never inside an outlet's name)."""
    names_by_site = defaultdict(set)
    for key, entry in entries.items():
        persons = entry.persons.get("author", [])
        corporate = len(persons) == 1 and not persons[0].first_names
        if corporate and entry.fields.get("url"):
            names_by_site[urlparse(entry.fields["url"]).hostname.removeprefix("www.")].add(_name(labels[key]))
    assert {s: n for s, n in names_by_site.items() if len(n) > 1} == {}
    formiche = {_name(labels[k]) for k, e in entries.items()
                if "Formiche" in e.fields.get("journal", "") and "author" in e.persons
                and not e.persons["author"][0].first_names}
    assert formiche == {"Formiche"}
    assert labels["formiche2020china"] == "Carrer and Bechis, 2020"
    families = {p.last_names[-1] for e in entries.values() for p in e.persons.get("author", []) if p.first_names}
    outlet_names = {_name(labels[k]) for k, e in entries.items()
                    if len(e.persons.get("author", [])) == 1 and not e.persons["author"][0].first_names}
    assert not {(f, n) for f in families for n in outlet_names if f in n.split() and f != n}


def test_each_publisher_has_one_short_name():
    pkg = json.loads(bib.DATAPACKAGE_PATH.read_text(encoding="utf-8"))
    short = defaultdict(set)
    for res in pkg["resources"]:
        for src in res["sources"]:
            if src.get("publisher"):
                short[src["publisher"]].add(src.get("publisher_short", src["publisher"]))
    assert {p: s for p, s in short.items() if len(s) > 1} == {}


def test_primary_sources_are_in_the_bibliography(entries):
    pkg = json.loads(bib.DATAPACKAGE_PATH.read_text(encoding="utf-8"))
    primary = {k for r in pkg["resources"] for k in r.get("primary_sources", [])}
    assert primary == {"silver2020unfavorable"}
    assert all(entries[k].fields.get("url") for k in primary)


def test_short_name_of_an_organisation():
    assert short_name("European Think-tank Network on China (ETNC)") == "ETNC"
    assert short_name("Xinhua (republished by Yunnan Gateway)") is None
    assert short_name("ANSA (Lombardia)") is None
    assert short_name("BBC News") is None


def test_entries_sort_by_label(entries, labels):
    order = [e.key for e in bibstyle.LabelOrderSortingStyle().sort(list(entries.values()))]
    names = [bibstyle._collated(_name(labels[k])) for k in order]
    assert names == sorted(names)
    assert order.index("aciclico2020coronavirus") < order.index("adnkronos2020coronavirus")


def test_essay_notes_are_marked(entries):
    assert bibstyle.format_entry_text(entries["etnc2020covid"]).endswith(" Cited in the essay, notes 4, 5, 7.")
    assert 'href="notes-concordance.html#concordance-note-1"' in bibstyle.format_entry_text(
        entries["bbcnews2020new"], "html")
    assert bibstyle.format_entry_text(entries[bib.ARTICLE_KEY]).endswith(" The source essay of this book.")
    assert "Cited in the essay" not in bibstyle.format_entry_text(entries["xinhua2020china"])


def test_data_descriptions_say_where_figures_come_from():
    texts = [(ROOT / "data" / "README.md").read_text(encoding="utf-8"),
             bib.DATAPACKAGE_PATH.read_text(encoding="utf-8")]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "data").glob("*.csv"))]
    assert [m.group() for t in texts for m in LACKED.finditer(t)] == []


# ------------------------------------------------------------------ on the built site


def test_one_alphabetical_bibliography_with_the_essay_marked(site):
    page = BeautifulSoup((site / "chapters" / "bibliography.html").read_text(encoding="utf-8"), "html.parser")
    lists = page.select("main div.citation-list")
    assert len(lists) == 1
    cites = lists[0].select("div.citation")
    assert len(cites) == len(parse_file(str(bib.BIB_PATH)).entries)
    names = [bibstyle._collated(_name(c.select_one("span.label").get_text(strip=True).strip("[]"))) for c in cites]
    assert names == sorted(names)
    marks = [a for a in lists[0].select('a[href^="notes-concordance.html#concordance-note-"]')]
    assert len(marks) == 25  # every work of the essay's notes
    concordance = BeautifulSoup((site / "chapters" / "notes-concordance.html").read_text(encoding="utf-8"),
                                "html.parser")
    for mark in marks:
        assert "internal" in mark["class"] and "external" not in mark["class"], mark
        assert concordance.find(id=mark["href"].split("#")[1]) is not None, mark["href"]
    assert "python -m" not in page.select_one("main").get_text()


def test_data_pages_say_what_the_book_did(site):
    pages = sorted((site / "chapters" / "data").glob("*.html"))
    assert len(pages) == 15
    found = {}
    for path in pages:
        text = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").select_one("main").get_text(" ")
        hits = LACKED.findall(text)
        if hits:
            found[path.name] = hits
    assert found == {}
    pew = BeautifulSoup((site / "chapters" / "data" / "pew_unfavorable.html").read_text(encoding="utf-8"),
                        "html.parser").select_one("section#sources")
    assert "linked in the bibliography for the reader to check" in pew.get_text(" ")
    assert "Silver et al." in pew.select("ul")[-1].get_text()  # Pew's own report, cited and linked
    assert pew.select("ul")[-1].select_one('a[href^="../bibliography.html#"]')
