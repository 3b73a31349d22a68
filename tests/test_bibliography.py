"""Tests for maskbook.book.bibliography and maskbook.site.bibstyle: references.bib is what the pipeline
generates, passes real BibTeX, renders with the house style, has readable unique keys."""
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pybtex.database import parse_file, parse_string

from maskbook import ROOT
from maskbook.book import bibliography as bib
from maskbook.notes.parse import full_works
from maskbook.notes.parse import parse_file as parse_notes_file
from maskbook.site.bibstyle import MaskbookStyle, format_entry_text, register

BIB = ROOT / "references.bib"

# Every work of the article's notes -> the note it comes from (first citation).
NOTE_KEYS = {
    "bbcnews2020new": 1, "hancock2020scientists": 1, "wong2020chinas": 2, "lim2020mask": 2,
    "funabashi2020will": 3, "etnc2020covid": 4, "lasicilia2020china": 4, "carrer2020its": 6,
    "santelli2020chinas": 7, "napolitano2020chinese": 8, "adnkronos2020coronavirus": 9,
    "ansa2020piepoli": 10, "bechis2020whether": 10, "etnc2020europe": 11, "pompili2020di": 12,
    "balmer2020eu": 13, "dibattista2020alessandro": 14, "lamperti2020coronavirus": 16,
    "lanzavecchia2020italy": 17, "bechis2020italy": 17, "lamperti2020go": 17,
    "zeneli2020chinas": 18, "johnson2020allegations": 18, "poggetti2020beijings": 18,
    "silver2020unfavorable": 19,
}


@pytest.fixture(scope="module")
def bibdata():
    from maskbook.site.sphinxext import load_bibtex_plugins_once

    # As the build does: pybtex then finds its plugins (render_as's backends) without scanning
    # every installed package's entry points on each lookup (most of this module's time).
    load_bibtex_plugins_once()
    return parse_file(str(BIB), bib_format="bibtex")


def test_references_bib_is_up_to_date():
    ok, message = bib.check(BIB)
    assert ok, message
    assert "python -m maskbook.book.bibliography" in bib.check(Path("/nonexistent.bib"))[1]


def test_check_cli_fails_on_stale_file(tmp_path):
    stale = tmp_path / "references.bib"
    stale.write_text("@misc{x, title = {stale}}\n", encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "maskbook.book.bibliography", "--check", "--output", str(stale)],
                       capture_output=True, text=True)
    assert r.returncode == 1
    assert "python -m maskbook.book.bibliography" in r.stderr


def test_generation_is_deterministic():
    assert bib.generate() == bib.generate()


def test_note_keys_and_article(bibdata):
    notes_keys = {k for k, e in bibdata.entries.items() if e.fields.get("keywords") == "notes"}
    assert notes_keys == set(NOTE_KEYS)
    for key, note in NOTE_KEYS.items():
        assert bibdata.entries[key].fields["articlenote"] == str(note)
    art = bibdata.entries[bib.ARTICLE_KEY]
    assert art.type == "incollection" and art.fields["keywords"] == "source-article"
    assert art.fields["doi"] == "10.22459/CSY.2021"
    assert [str(p) for p in art.persons["author"]] == ["{Fraile del Álamo}, Verónica", "Lim, Darren J."]
    assert "China Story Yearbook: Crisis" in art.fields["booktitle"].replace("{", "").replace("}", "")
    assert (art.fields["publisher"], art.fields["address"], art.fields["year"]) == ("ANU Press", "Canberra", "2021")


def test_every_entry_has_a_keyword_group(bibdata):
    for key, e in bibdata.entries.items():
        assert e.fields.get("keywords") in {"notes", "source-article", "data"}, key


def test_keys_are_readable_and_sorted(bibdata):
    keys = list(bibdata.entries)
    assert keys == sorted(keys)
    for key in NOTE_KEYS:
        assert re.fullmatch(r"[a-z]+\d{4}[a-z0-9]+", key), key


def test_entry_types_and_fields(bibdata):
    e = bibdata.entries
    assert {x.type for x in e.values()} <= {"article", "techreport", "misc", "book", "incollection"}
    assert e["bbcnews2020new"].type == "article" and e["bbcnews2020new"].fields["journal"] == "BBC News"
    assert str(e["bbcnews2020new"].persons["author"][0]) == "{BBC News}"  # outlet as corporate author
    assert (e["bbcnews2020new"].fields["year"], e["bbcnews2020new"].fields["month"],
            e["bbcnews2020new"].fields["day"], e["bbcnews2020new"].fields["date"]) == ("2020", "January", "21", "2020-01-21")
    rep = e["etnc2020covid"]
    assert rep.type == "techreport" and rep.fields["type"] == "Special Report"
    assert rep.fields["institution"] == "French Institute of International Relations"
    assert rep.fields["address"] == "Paris" and rep.fields["pages"] == "35--39"
    pod = e["poggetti2020beijings"]
    assert pod.type == "misc" and pod.fields["howpublished"] == "Power 3.0" and pod.fields["type"] == "Podcast"
    assert e["lim2020mask"].type == "misc" and e["lim2020mask"].fields["howpublished"] == "China Story Blog"
    it = e["santelli2020chinas"]
    assert it.fields["language"] == "italian"
    assert "ambasciatore" in it.fields["origtitle"]
    assert it.fields["url"].startswith("https://www.repubblica.it/esteri/2020/04/14/")
    # proper nouns protected from sentence-casing
    assert "{China}" in e["bbcnews2020new"].fields["title"]


def test_known_urls_are_applied(bibdata):
    rows = bib.load_urls()
    assert len(rows) == 10
    urls = {e.fields.get("url") for e in bibdata.entries.values()}
    for row in rows.values():
        assert row["url"] in urls
        assert row["url_source"].strip()


def test_data_sources_from_a_datapackage(tmp_path):
    pkg = {
        "name": "x",
        "resources": [
            {"name": "a", "path": "a.csv", "sources": [
                {"title": "A survey table", "bibkey": "pew2020survey", "path": "https://example.org/p_1?x=50%",
                 "publisher": "Pew Research Center", "date": "2020-10-06", "kind": "report"},
                {"title": "Same work as a note", "bibkey": "wong2020chinas", "kind": "news"},
            ]},
            {"name": "b", "path": "b.csv", "sources": [
                {"title": "A survey table", "bibkey": "pew2020survey", "kind": "report"},
                {"title": "Chart & data", "bibkey": "someone2020chart", "author": "Ada Lovelace; Alan Turing",
                 "kind": "dataset"},
            ]},
        ],
    }
    dp = tmp_path / "datapackage.json"
    dp.write_text(json.dumps(pkg), encoding="utf-8")
    data = bib.build_bibliography(datapackage=dp)
    assert data.entries["pew2020survey"].type == "techreport"
    assert data.entries["pew2020survey"].fields["keywords"] == "data"
    assert data.entries["wong2020chinas"].fields["keywords"] == "notes"  # not replaced
    assert [str(p) for p in data.entries["someone2020chart"].persons["author"]] == ["Lovelace, Ada", "Turing, Alan"]
    text = bib.to_bibtex(data)
    assert "https://example.org/p_1?x=50%" in text  # URLs are not LaTeX-escaped
    assert "Chart \\& data" in text
    again = parse_string(text, "bibtex")
    assert again.entries["pew2020survey"].fields["url"] == "https://example.org/p_1?x=50%"
    # without a data package: notes only, no failure
    only = bib.build_bibliography(datapackage=tmp_path / "missing.json")
    assert len(only.entries) == 26


def test_no_placeholder_title_reaches_the_bibliography(bibdata):
    """Every entry has a real title or a bracketed description, never a research placeholder."""
    assert bib.NOT_FOR_READERS.findall(BIB.read_text(encoding="utf-8")) == []
    for placeholder in ("[no headline in stored copy; slug: di-maio-da-cina]", "[headline not captured]",
                        "[Italian headline not captured] Formiche report", "Report (stored excerpt)"):
        assert bib.NOT_FOR_READERS.search(placeholder), placeholder


def test_data_source_titles_are_headlines_or_english_descriptions():
    """A title is the document's headline, or a description in square brackets; never the
    URL slug (words joined by hyphens), whether or not it says so."""
    pkg = json.loads(bib.DATAPACKAGE_PATH.read_text(encoding="utf-8"))
    titles = {s["bibkey"]: s["title"] for r in pkg["resources"] for s in r["sources"]}
    for key, title in titles.items():
        assert not re.search(r"\b[a-z0-9]+(?:[-_][a-z0-9]+){3,}\b", title), (key, title)
        if title.startswith("["):
            assert title.endswith("]") and " " in title, (key, title)
    assert titles["sofiaglobe2020covid"] == "Covid-19: EU imports of face masks added up to 14BN euro in first semester of 2020"


def test_a_placeholder_title_is_refused_with_file_resource_and_key(tmp_path):
    pkg = {"name": "x", "resources": [{"name": "shipments", "path": "shipments.csv", "sources": [
        {"title": "[no headline in stored copy; slug: coronavirus-dona-mascherine]", "bibkey": "x2020coronavirus",
         "path": "https://example.org/coronavirus-dona-mascherine", "publisher": "X", "kind": "news"}]}]}
    dp = tmp_path / "datapackage.json"
    dp.write_text(json.dumps(pkg), encoding="utf-8")
    with pytest.raises(ValueError) as info:
        bib.build_bibliography(datapackage=dp)
    msg = str(info.value)
    assert str(dp) in msg and "'shipments'" in msg and "'x2020coronavirus'" in msg
    assert "placeholder" in msg and "square brackets" in msg


def test_house_style_prints_a_description_unquoted_and_a_headline_quoted(bibdata):
    e = bibdata.entries
    desc = format_entry_text(e["adnkronos2020coronavirussindaco"])
    assert desc.startswith("[report on a Chinese mayor's gift of masks to Como], Adnkronos, 11 March 2020, online at: ")
    assert format_entry_text(e["sofiaglobe2020covid"]).startswith(
        "‘Covid-19: EU imports of face masks added up to 14BN euro in first semester of 2020’, ")
    html = format_entry_text(e["ambpechino2020comunicato"], "html")
    assert html.startswith("[press release of the ") and "<em>" not in html.split("]")[0]  # a @misc web page


@pytest.mark.skipif(shutil.which("bibtex") is None and not __import__("os").environ.get("CI"),
                    reason="real BibTeX not found: `sudo apt-get install texlive-base` to run this check (CI always runs it)")
def test_real_bibtex_accepts_the_file(tmp_path):
    assert shutil.which("bibtex"), "bibtex missing: install texlive-base (.ci/run does in CI)"
    shutil.copy(BIB, tmp_path / "references.bib")
    (tmp_path / "t.aux").write_text("\\citation{*}\n\\bibdata{references}\n\\bibstyle{plain}\n", encoding="utf-8")
    r = subprocess.run(["bibtex", "t"], cwd=tmp_path, capture_output=True, text=True)
    out = r.stdout + r.stderr + (tmp_path / "t.blg").read_text(errors="replace")
    assert "Warning--" not in out, out
    assert "error message" not in out and r.returncode == 0, out
    assert (tmp_path / "t.bbl").read_text(errors="replace").count("\\bibitem") == len(parse_file(str(BIB)).entries)


def test_house_style_renders_every_entry(bibdata):
    register()
    style = MaskbookStyle()
    formatted = list(style.format_bibliography(bibdata))
    assert len(formatted) == len(bibdata.entries)
    for entry in formatted:
        for backend in ("text", "html", "latex", "markdown"):
            assert entry.text.render_as(backend)
    assert [f.label for f in formatted if f.key == "bbcnews2020new"] == ["BBC News, 2020"]  # author-year


def test_house_style_output(bibdata):
    e = bibdata.entries
    assert format_entry_text(e["bbcnews2020new"]) == (
        "‘New China virus: Warning against cover-up as number of cases jumps’, BBC News, 21 January 2020."
        " Cited in the essay, note 1.")
    assert format_entry_text(e["hancock2020scientists"]) == (
        "Tom Hancock and Sarah Neville, ‘Scientists warn over China virus outbreak’, Financial Times, 19 January 2020."
        " Cited in the essay, note 1.")
    txt = format_entry_text(e["carrer2020its"])
    assert txt.startswith("Gabriele Carrer, ‘It’s written Rai, it’s read BeijingTV: On whether")
    assert "’ [Si Scrive Rai, Si Legge Telepechino." in txt and "Formiche, 8 April 2020" in txt
    html = format_entry_text(e["wong2020chinas"], "html")
    assert '<a href="https://thediplomat.com/2020/03/chinas-mask-diplomacy/">' in html
    rep = format_entry_text(e["etnc2020covid"])
    assert rep.startswith("European Think-tank Network on China (ETNC), COVID-19 and Europe–China relations")
    assert "Special Report, Paris: French Institute of International Relations, 29 April 2020, pp. 35" in rep


def test_author_year_labels_without_byline(bibdata):
    """sphinxcontrib-bibtex's author_year style labels a piece with no byline by its outlet."""
    from pybtex.style.template import join
    from sphinxcontrib.bibtex.richtext import ReferenceInfo  # noqa: F401  (import check)
    from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle

    style = AuthorYearReferenceStyle()
    person = style.person
    entry = bibdata.entries["bbcnews2020new"]
    text = join(sep=", ")[person.author_or_editor_or_title(full=False), "2020"].format_data(
        {"entry": entry, "style": style})
    assert text.render_as("text") == "BBC News, 2020"


def test_notes_bib_cli_matches_entries():
    notes = parse_notes_file(bib.NOTES_PATH)
    data = bib.bibliography_from_notes(notes, include_article=False)
    assert set(data.entries) == {w.key for w in full_works(notes)} == set(NOTE_KEYS)


def test_every_note_work_is_cited_in_chapters():
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "chapters").glob("*.md")))
    cited = set()
    for m in re.finditer(r"\{cite:[pt]\}`([^`]+)`", text):
        cited |= {k.strip() for k in m.group(1).split(",")}
    missing = sorted(set(NOTE_KEYS) - cited)
    assert not missing, f"works from the notes never cited in chapters/*.md: {missing}"


def test_concordance_and_house_style_in_a_sphinx_build(tmp_path):
    """A tiny MyST + sphinxcontrib-bibtex project: the concordance lists every note, links its
    works to the bibliography, lists the citing page, shows the remark; -W: no warnings."""
    pytest.importorskip("myst_parser")
    src = tmp_path / "src"
    (src / "chapters").mkdir(parents=True)
    shutil.copy(BIB, src / "references.bib")
    (src / "ext.py").write_text(
        "def setup(app):\n"
        "    app.setup_extension('maskbook.site.bibstyle')\n"
        "    from maskbook.site.concordance import setup_concordance\n"
        "    return setup_concordance(app)\n", encoding="utf-8")
    (src / "conf.py").write_text(
        "import os, sys\nsys.path.insert(0, os.path.dirname(__file__))\n"
        "extensions = ['myst_parser', 'sphinxcontrib.bibtex', 'ext']\n"
        "bibtex_bibfiles = ['references.bib']\nbibtex_default_style = 'maskbook'\n"
        "bibtex_reference_style = 'author_year'\nsource_suffix = {'.md': 'markdown'}\n", encoding="utf-8")
    (src / "index.md").write_text("# Book\n\n```{toctree}\nchapters/one\nconcordance\nbibliography\n```\n", encoding="utf-8")
    (src / "chapters" / "one.md").write_text(
        "# Chapter one\n\nA piece with no byline {cite:p}`bbcnews2020new`; a report {cite:t}`etnc2020covid`.\n",
        encoding="utf-8")
    (src / "concordance.md").write_text("# Notes concordance\n\n```{notes-concordance}\n```\n", encoding="utf-8")
    groups = "".join(f"## {k}\n\n```{{bibliography}}\n:filter: keywords % \"{k}\"\n```\n\n"
                     for k in ("source-article", "notes", "data"))
    (src / "bibliography.md").write_text("# Bibliography\n\n" + groups, encoding="utf-8")
    out = tmp_path / "html"
    r = subprocess.run([sys.executable, "-m", "sphinx", "-q", "-W", "--keep-going", "-b", "html", str(src), str(out)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    chapter = (out / "chapters" / "one.html").read_text(encoding="utf-8")
    assert "BBC News, 2020" in chapter  # author-year label from the outlet
    page = (out / "concordance.html").read_text(encoding="utf-8")
    for n in range(1, 20):
        assert f'id="concordance-note-{n}"' in page
    assert "Note 15." in page and "cites no work" in page
    assert page.count('href="bibliography.html#') >= 28  # 25 works + 3 short forms
    note1 = page[page.index('id="concordance-note-1"'):page.index('id="concordance-note-2"')]
    assert 'href="chapters/one.html"' in note1 and "Chapter one" in note1
    note2 = page[page.index('id="concordance-note-2"'):page.index('id="concordance-note-3"')]
    assert "Not yet cited" in note2
    biblio = (out / "bibliography.html").read_text(encoding="utf-8")
    assert "‘New China virus: Warning against cover-up as number of cases jumps’, <em>BBC News</em>, 21 January 2020." in biblio
