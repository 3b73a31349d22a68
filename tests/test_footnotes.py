"""Tests for the notes layer (maskbook.notes): the 19 notes of the source article, other notes in the same
house style (China Story Yearbook, ANU Press), properties of the parser, the CLI contract, and the
layer's imports."""
import ast
import json
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maskbook import ROOT
from maskbook.notes.dates import parse_date
from maskbook.notes.model import ENTRY_FIELDS, NotesFormatError, Person, UnparsedCitationWarning
from maskbook.notes.parse import (
    full_works,
    notes_json,
    parse_file,
    parse_note,
    parse_notes,
    parse_work,
    read_notes,
    split_works,
)

NOTES = ROOT / "data" / "source" / "notes.txt"

# The expected parse of every note of the source article, field by field (checked by hand
# against the printed notes): the --json output without the notes' text. Note 15 is a remark.
# After a deliberate change to the parser, compare the new --json output with this file and
# update it (tests/gold/README.md says how).
BOOK_GOLD = Path(__file__).parent / "gold" / "book_notes.json"
EXPECTED = {n["note"]: n for n in json.loads(BOOK_GOLD.read_text(encoding="utf-8"))}


@pytest.fixture(scope="module")
def parsed():
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnparsedCitationWarning)  # the 19 notes all parse
        return parse_file(NOTES)


def test_nineteen_notes(parsed):
    assert [n.number for n in parsed] == list(range(1, 20)) == sorted(EXPECTED)
    paragraphs = [p for p in NOTES.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    assert [n.text for n in parsed] == [" ".join(p.split()) if "\n" in p.strip() else p.strip() for p in paragraphs]


@pytest.mark.parametrize("number", range(1, 20))
def test_note_parse(parsed, number):
    note = parsed[number - 1]
    expected = EXPECTED[number]
    assert note.is_citation is expected["is_citation"]
    got = [e.to_json() for e in note.entries]
    assert len(got) == len(expected["entries"])
    for g, e in zip(got, expected["entries"]):
        assert list(g) == list(ENTRY_FIELDS)
        for field in ENTRY_FIELDS:
            assert g[field] == e[field], f"note {number}, {e['key']}: field {field}"


def test_25_distinct_works_and_short_forms(parsed):
    full = [w for n in parsed for w in n.entries if not w.short_form]
    assert len(full) == 25
    assert len({w.key for w in full}) == 25
    shorts = [(n.number, w.key) for n in parsed for w in n.entries if w.short_form]
    assert shorts == [(5, "etnc2020covid"), (7, "etnc2020covid"), (18, "carrer2020its")]


def test_remark_is_kept(parsed):
    note = parsed[14]
    assert note.number == 15 and not note.is_citation and note.entries == []
    assert note.text.startswith("It must be acknowledged")


# --------------------------------------------------------------------------------------------
# Other notes in the same house style (invented for these tests): the parser is for the style,
# not for the 19 strings above.

EXTRA_NOTES = [
    # 1 book
    "David S.G. Goodman, Class in Contemporary China, Cambridge: Polity Press, 2014, p. 45.",
    # 2 journal, Chicago-like
    "Jane Golley and Rod Tyers, ‘Population Pessimism and Economic Optimism in the Asian Giants’, "
    "The World Economy 35, no. 11 (2012): 1387–1416.",
    # 3 journal, vol./no./pp.
    "Linda Jaivin, ‘Beijing Bicycle’, The China Journal, vol. 48, no. 2, 2002, pp. 45–67.",
    # 4 Chinese title with a bracketed translation
    "‘中国的口罩外交’ [China’s Mask Diplomacy], Renmin Ribao 人民日报, 3 April 2020.",
    # 5, 6 Ibid.
    "Ibid.",
    "Ibid., p. 5.",
    # 7 URL still present
    "Richard McGregor, ‘China’s deep state’, Lowy Institute, 10 May 2019, online at: "
    "https://www.lowyinstitute.org/publications/chinas-deep-state.",
    # 8 a ; inside a quoted title, then a second work
    "Geremie R. Barmé, ‘Red Allure; or, the Charm of Mao’, China Heritage, 1 January 2018; "
    "Jane Golley, ‘Inequality’, East Asia Forum, 2 February 2019.",
    # 9 a remark
    "This paragraph draws on interviews conducted in Rome in 2019, and the authors thank the "
    "officials who agreed to speak with them on condition of anonymity.",
    # 10 lead-in
    "See also Yun Jiang, ‘Wolf warriors’, The Interpreter, 5 May 2020.",
    # 11 chapter in an edited book
    "Ben Hillman, ‘Unrest in Tibet’, in Jane Golley, Linda Jaivin and Luigi Tomba (eds), China "
    "Story Yearbook 2016: Control, Canberra: ANU Press, 2017, pp. 101–115.",
    # 12 corporate author with abbreviation, report type
    "Mercator Institute for China Studies (MERICS), China’s Mask Diplomacy in Europe, MERICS "
    "Briefing, Berlin: MERICS, 20 May 2020.",
    # 13 podcast
    "Kaiser Kuo and Jeremy Goldkorn, ‘The Wuhan lockdown’, [Podcast], Sinica, 30 January 2020, [58:12 mins].",
    # 14 initials
    "S.C. Wong, ‘Hong Kong protests’, South China Morning Post, 12 June 2019.",
    # 15 report with a comma in the place
    "Anne-Marie Brady, Magic Weapons: China’s Political Influence Activities under Xi Jinping, "
    "Washington, DC: Wilson Center, 18 September 2017.",
    # 16 short form of note 1
    "Goodman, Class in Contemporary China, p. 12.",
    # 17 month range
    "Jude Blanchette, ‘Xi’s gamble’, Foreign Affairs, July/August 2021.",
    # 18 blog
    "Graham Webster, ‘Notes on China’s AI plan’, DigiChina Blog, 1 June 2019.",
    # 19 no author, URL
    "‘Xi Jinping speaks with Conte by phone’, Xinhua, 16 March 2020, online at: "
    "http://www.xinhuanet.com/english/2020-03/16/c_138884048.htm.",
    # 20 hair space before a closing quote, nested quotes, Oxford comma
    "Anna Rossi, Marco Bianchi, and Li Wei, ‘Italy’s doctors: “We needed masks”\u200a’ "
    "[I medici italiani: ‘Servivano mascherine’], Corriere della Sera, 2 March 2020, online at:",
]


@pytest.fixture(scope="module")
def extra():
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnparsedCitationWarning)
        return parse_notes(EXTRA_NOTES)


def _e(notes, n, i=0):
    return notes[n - 1].entries[i]


def test_extra_book(extra):
    w = _e(extra, 1)
    assert (w.kind, w.title, w.place, w.publisher, w.date, w.pages) == (
        "book", "Class in Contemporary China", "Cambridge", "Polity Press", "2014", "45")
    assert (w.authors[0].family, w.authors[0].given) == ("Goodman", "David S.G.")
    assert w.key == "goodman2014class"


def test_extra_journal_chicago(extra):
    w = _e(extra, 2)
    assert (w.kind, w.container, w.volume, w.issue, w.date, w.pages) == (
        "journal", "The World Economy", "35", "11", "2012", "1387–1416")
    assert [p.family for p in w.authors] == ["Golley", "Tyers"]


def test_extra_journal_vol_no(extra):
    w = _e(extra, 3)
    assert (w.kind, w.title, w.container, w.volume, w.issue, w.date, w.pages) == (
        "journal", "Beijing Bicycle", "The China Journal", "48", "2", "2002", "45–67")


def test_extra_chinese_title(extra):
    w = _e(extra, 4)
    assert w.title == "中国的口罩外交"
    assert w.title_translation == "China’s Mask Diplomacy"
    assert w.language == "chinese"
    assert (w.container, w.date, w.authors, w.kind) == ("Renmin Ribao 人民日报", "2020-04-03", [], "news")


def test_extra_ibid(extra):
    first = _e(extra, 4)
    ibid, ibid_p = _e(extra, 5), _e(extra, 6)
    assert ibid.short_form and ibid.key == first.key and ibid.pages is None
    assert ibid_p.short_form and ibid_p.key == first.key and ibid_p.pages == "5"


def test_extra_url_present(extra):
    w = _e(extra, 7)
    assert w.url == "https://www.lowyinstitute.org/publications/chinas-deep-state"
    assert (w.title, w.container, w.date) == ("China’s deep state", "Lowy Institute", "2019-05-10")


def test_extra_semicolon_in_title(extra):
    a, b = extra[7].entries
    assert a.title == "Red Allure; or, the Charm of Mao" and a.authors[0].family == "Barmé"
    assert b.title == "Inequality" and b.container == "East Asia Forum" and b.date == "2019-02-02"


def test_extra_remark(extra):
    assert extra[8].is_citation is False and extra[8].entries == []


def test_extra_lead_in(extra):
    w = _e(extra, 10)
    assert w.note_prefix == "See also" and w.authors[0].family == "Jiang" and w.title == "Wolf warriors"


def test_extra_chapter(extra):
    w = _e(extra, 11)
    assert w.kind == "chapter"
    assert w.container == "China Story Yearbook 2016: Control"
    assert [p.family for p in w.editors] == ["Golley", "Jaivin", "Tomba"]
    assert (w.place, w.publisher, w.date, w.pages) == ("Canberra", "ANU Press", "2017", "101–115")


def test_extra_corporate_report(extra):
    w = _e(extra, 12)
    assert w.org_author == "Mercator Institute for China Studies (MERICS)" and w.org_abbr == "MERICS"
    assert (w.kind, w.report_type, w.place, w.publisher, w.date) == (
        "report", "MERICS Briefing", "Berlin", "MERICS", "2020-05-20")
    assert w.key == "merics2020chinas"


def test_extra_podcast(extra):
    w = _e(extra, 13)
    assert (w.kind, w.container, w.duration, w.date) == ("podcast", "Sinica", "58:12 mins", "2020-01-30")


def test_extra_initials(extra):
    w = _e(extra, 14)
    assert (w.authors[0].family, w.authors[0].given) == ("Wong", "S.C.")


def test_extra_place_with_comma(extra):
    w = _e(extra, 15)
    assert (w.kind, w.place, w.publisher) == ("report", "Washington, DC", "Wilson Center")
    assert w.title == "Magic Weapons: China’s Political Influence Activities under Xi Jinping"


def test_extra_short_form_book(extra):
    w = _e(extra, 16)
    assert w.short_form and w.key == "goodman2014class" and w.pages == "12"
    assert w.to_json()["date"] is None  # only what the short note says


def test_extra_month_range_blog_xinhua(extra):
    assert _e(extra, 17).date == "2021-07"
    assert _e(extra, 18).kind == "blog"
    w = _e(extra, 19)
    assert (w.key, w.container, w.authors) == ("xinhua2020xi", "Xinhua", [])
    assert w.url == "http://www.xinhuanet.com/english/2020-03/16/c_138884048.htm"


def test_extra_hair_space_oxford_comma(extra):
    w = _e(extra, 20)
    assert [(p.given, p.family) for p in w.authors] == [("Anna", "Rossi"), ("Marco", "Bianchi"), ("Li", "Wei")]
    assert w.title == "Italy’s doctors: “We needed masks”"
    assert w.title_original == "I medici italiani: ‘Servivano mascherine’"
    assert w.language == "italian" and w.url is None


@pytest.mark.parametrize(
    "text,expected",
    [("21 January 2020", "2020-01-21"), ("January 2020", "2020-01"), ("2020", "2020"),
     ("March 4, 2020", "2020-03-04"), ("4 Sept. 2019", "2019-09-04"), ("the Diplomat", None)],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


def test_split_works_respects_quotes_and_online_at():
    assert len(split_works("A, ‘x; y’, Z, 2020; B, ‘w’, Q, 2019")) == 2
    parts = split_works("Org, Report, Paris: Institute, 2020, online at: For more, see ‘T’, Outlet, 1 May 2020")
    assert len(parts) == 2 and parts[1].startswith("For more")


# --------------------------------------------------------------------------------------------
# Unparsable citations, malformed input


def test_unparsed_citation_is_kept_with_warning():
    with pytest.warns(UnparsedCitationWarning, match=r"note 7"):
        note = parse_note(7, "‘Unclosed quote, Outlet, 2020.")
    assert note.is_citation
    (w,) = note.entries
    assert w.kind == "unparsed" and "Unclosed quote" in w.extra and w.key


def test_malformed_file_names_file_and_line(tmp_path):
    bad = tmp_path / "notes.txt"
    bad.write_text("First note, ‘T’, Outlet, 2020.\n\n3. Numbered note, ‘T’, O, 2020.\n", encoding="utf-8")
    with pytest.raises(NotesFormatError, match=r"notes\.txt, line 3"):
        read_notes(bad)
    bad.write_bytes("ok note\n\nsecond \xff note".encode("latin-1"))
    with pytest.raises(NotesFormatError, match=r"notes\.txt, line 3: not valid UTF-8"):
        read_notes(bad)
    bad.write_text("note one\n\nnote\x00two\n", encoding="utf-8")
    with pytest.raises(NotesFormatError, match=r"line 3: control character"):
        read_notes(bad)
    bad.write_text("\n\n  \n", encoding="utf-8")
    with pytest.raises(NotesFormatError, match=r"notes\.txt, line 1: no notes"):
        read_notes(bad)


def test_cli_reports_malformed_file(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("1. numbered\n", encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "maskbook.notes", str(bad), "--json"], capture_output=True, text=True)
    assert r.returncode == 2 and "bad.txt, line 1" in r.stderr


# --------------------------------------------------------------------------------------------
# Properties


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(min_size=1, max_size=300), min_size=1, max_size=5))
def test_parser_never_raises_never_loses_a_note(texts):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        notes = parse_notes(texts)
    assert len(notes) == len(texts)
    for note, text in zip(notes, texts):
        json.dumps(note.to_json())
        if text.strip():
            assert note.entries or not note.is_citation
        assert all(w.key for w in note.entries)


_piece = st.sampled_from([
    "Tom Hancock", "‘A title’", "‘It’s “nested” ’", "[Original]", "BBC News", "21 January 2020",
    "pp.35–39", "Paris: French Institute", "online at:", "online at: https://x.org/a_b", "Ibid.",
    "ETNC", "(ETNC)", "Special Report", "[Podcast]", "[11:20 mins]", ";", "‘", "’", "“", "[", "(",
    "see", "and", "\u2009", "vol. 3", "no. 4 (2019): 5–9",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_piece, min_size=1, max_size=12).map(", ".join), min_size=1, max_size=4))
def test_parser_on_citation_like_noise(texts):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        notes = parse_notes(texts)
    for note in notes:
        assert note.entries or not note.is_citation
        for w in note.entries:
            assert w.kind == "unparsed" or w.title or w.short_form


# --------------------------------------------------------------------------------------------
# CLI contract


def test_cli_json_contract():
    r = subprocess.run([sys.executable, "-m", "maskbook.notes", str(NOTES), "--json"],
                       capture_output=True, text=True, check=True)
    data = json.loads(r.stdout)
    assert [d["note"] for d in data] == list(range(1, 20))
    for d in data:
        assert set(d) == {"note", "text", "is_citation", "entries"}
        for e in d["entries"]:
            assert list(e) == list(ENTRY_FIELDS)
    assert data[0]["entries"][0] == EXPECTED[1]["entries"][0]


def test_cli_bib():
    r = subprocess.run([sys.executable, "-m", "maskbook.notes", str(NOTES), "--bib"],
                       capture_output=True, text=True, check=True)
    assert r.stdout.count("\n@") + r.stdout.startswith("@") >= 25
    assert "@techreport{etnc2020covid," in r.stdout


@pytest.mark.parametrize(
    "text,expected",
    [
        ("王毅, ‘中意友谊’ [Sino-Italian friendship], 人民日报, 2020年3月1日.",
         {"title": "中意友谊", "container": "人民日报", "date": "2020-03-01", "kind": "news"}),
        ("Xinhua, ‘China sends medical team to Italy’, 12 March 2020, online at: http://x.cn/a.",
         {"org_author": "Xinhua", "authors": [], "date": "2020-03-12", "url": "http://x.cn/a", "key": "xinhua2020china"}),
        ("Ministry of Foreign Affairs of the People’s Republic of China, ‘Foreign Ministry Spokesperson’s "
         "Regular Press Conference on March 12, 2020’, 12 March 2020, online at:",
         {"org_author": "Ministry of Foreign Affairs of the People’s Republic of China", "key": "mfaprc2020foreign",
          "date": "2020-03-12", "url": None}),
        ("Jane Doe, ‘A title’, The Outlet, 21 January, 2020.", {"date": "2020-01-21", "container": "The Outlet"}),
        ("Jane Doe, ‘Another title’, The Outlet, n.d., online at:", {"date": None, "key": "doendanother"}),
    ],
)
def test_more_shapes(text, expected):
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnparsedCitationWarning)
        (note,) = parse_notes([text])
    got = note.entries[0].to_json()
    for field, value in expected.items():
        assert got[field] == value, field


# --------------------------------------------------------------------------------------------
# Other China Story Yearbook essays (tests/gold/yearbook_notes.json), CSL-JSON, labels, imports

GOLD = Path(__file__).parent / "gold" / "yearbook_notes.json"
#: Issue 16's targets of field accuracy ("all fields"), per part of the gold file; see
#: tests/gold/README.md. Every part present must meet its target. The gold has no held-out
#: part today: its one held-out essay (27/44 = 61.4% in edition 0.2.0) was used to tune the
#: parser afterwards and is now development material; an essay added as held-out meets 90% or fails.
TARGETS = {"dev": 0.95, "heldout": 0.90}


def test_gold_accuracy_meets_targets():
    from maskbook.notes.score import load_gold, score

    result = score(load_gold(GOLD), notes_json)
    assert "dev" in result and set(result) <= set(TARGETS)
    for part, fields in result.items():
        right, counted = fields["_all"]
        assert counted > 30 and right / counted >= TARGETS[part], (part, right, counted)


def test_score_counts_missing_and_invented_entries():
    from maskbook.notes.score import score

    gold = {"essays": [{"part": "dev", "notes": [
        {"text": "one", "entries": [{"kind": "news", "title": "T"}]},
        {"text": "two", "entries": []},
    ]}]}

    def parse(texts):
        return [{"entries": [{"kind": "news", "title": "T"}, {"kind": "web", "title": "tail"}]},
                {"entries": [{"kind": "unparsed"}]}]

    # the invented second work of note 1 costs its two filled fields; the expected unparsed
    # entry of note 2 (no citation in the gold) costs nothing
    assert score(gold, parse)["dev"]["_all"] == (2, 4)
    assert score(gold, lambda texts: [{"entries": []}, {"entries": []}])["dev"]["_all"] == (0, 2)


def test_score_cli_prints_both_parts(tmp_path):
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    gold["essays"][-1]["part"] = "heldout"
    path = tmp_path / "gold.json"
    path.write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "maskbook.notes", "--score", str(path)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    head = r.stdout.splitlines()[0].split()
    assert head == ["field", "dev", "heldout"]
    assert "all fields" in r.stdout and "locator" in r.stdout


@pytest.mark.parametrize("text, locator, prefix, family", [
    ("Page 42, see Milton Osborne, ‘New numbers’, The Interpreter, 19 September 2012.", "Page 42", "see", "Osborne"),
    ("Pages ii-iv, Topic of the section, see Ann Lee, ‘A title’, The Outlet, 3 May 2011.",
     "Pages ii-iv, Topic of the section", "see", "Lee"),
    ("the official was quoted in Jo Bloggs, ‘Words’, Financial Times, 15 August 2012.", None,
     "the official was quoted in", "Bloggs"),
    ("The reporter has written at length on the family and its friends in the capital. See, for example, "
     "Ann Lee, ‘The Friends’, The Outlet, 2 October 2010 at:", None,
     "The reporter has written at length on the family and its friends in the capital. See, for example", "Lee"),
])
def test_locators_and_lead_ins_are_kept(text, locator, prefix, family):
    w = parse_work(text)
    assert (w.locator, w.note_prefix, w.authors[0].family) == (locator, prefix, family)
    assert w.title and w.date


def test_straight_quotes_and_serials():
    w = parse_work("Han Zhang, 'The Documentary that Reveals the Scene', The New Yorker, 8 March 2021.")
    assert w.title == "The Documentary that Reveals the Scene" and w.container == "The New Yorker"
    w = parse_work("A. Writer, ‘Title’, Column Name, Institute Newsletter, vol.II, issue 9 (3 May 2011).")
    assert (w.container, w.volume, w.issue, w.date) == ("Column Name, Institute Newsletter", "II", "9", "2011-05-03")
    w = parse_work("G. John Ikenberry, ‘The Rise’, Foreign Affairs, vol.87, no.1, (2008): 23–37.")
    assert (w.volume, w.issue, w.date, w.pages, w.kind) == ("87", "1", "2008", "23–37", "journal")


def test_agency_with_original_title():
    w = parse_work("Xinhua News Agency, ‘Xi Jinping: Firmly rely on the law’ 习近平:坚持依法治疆, Xinhuanet, "
                   "26 September 2020, online at: http://www.xinhuanet.com/x.htm")
    assert w.org_author == "Xinhua News Agency" and w.title_original == "习近平:坚持依法治疆"
    assert w.container == "Xinhuanet" and w.url == "http://www.xinhuanet.com/x.htm"


@pytest.mark.parametrize("name, family, given", [
    ("Xi Jinping", "Xi", "Jinping"),     # two-syllable given name: family first
    ("Li Keqiang", "Li", "Keqiang"),
    ("Wang Yi", "Yi", "Wang"),           # one-syllable given name: ambiguous, Western order kept
    ("YUAN Yang", "Yuan", "Yang"),       # a family name in capitals decides
    ("Han Zhang", "Zhang", "Han"),       # ditto (the New Yorker byline is Western order)
    ("Yuan Yang", "Yang", "Yuan"),       # ditto (the FT byline is family first: not knowable)
    ("Brian Wong", "Wong", "Brian"),
])
def test_chinese_order_names(name, family, given):
    from maskbook.notes.names import parse_person

    assert parse_person(name) == Person(family, given)


def test_csl_round_trips_through_citeproc(parsed):
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON

    from maskbook.notes.csl import csl_items

    items = csl_items(full_works(parsed))
    assert all({"id", "type", "title"} <= set(i) for i in items)
    keys = [items[2]["id"], "etnc2020covid", next(i["id"] for i in items if i["type"] == "broadcast")]
    source = CiteProcJSON(json.loads(json.dumps(items)))
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bib = CitationStylesBibliography(style, source, formatter.plain)
    for key in keys:
        bib.register(Citation([CitationItem(key)]))
    text = "\n".join(str(b) for b in bib.bibliography())
    assert "Wong" in text and "China’s mask diplomacy" in text
    assert "European Think-tank Network on China" in text and "Poggetti" in text and "2020" in text


def test_csl_cli_prints_items():
    r = subprocess.run([sys.executable, "-m", "maskbook.notes", str(NOTES), "--csl"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    items = json.loads(r.stdout)
    assert len(items) == 25 and items[0]["type"] == "article-newspaper"


def test_closed_pipe_is_quiet():
    r = subprocess.run(f"{sys.executable} -m maskbook.notes {NOTES} --json | head -1", shell=True,
                       capture_output=True, text=True)
    assert r.stdout.strip() == "[" and "Traceback" not in r.stderr and "BrokenPipe" not in r.stderr


def test_help_is_plain():
    for module in ("maskbook.notes", "maskbook.book.bibliography"):
        r = subprocess.run([sys.executable, "-m", module, "--help"], capture_output=True, text=True)
        assert r.returncode == 0 and "``" not in r.stdout


# --------------------------------------------------------------------------------------------
# The layer: what maskbook/notes may import (its __init__ says why)

NOTES_PACKAGE = ROOT / "maskbook" / "notes"
#: Third-party packages the notes layer may import (pybtex: the BibTeX data model and writer).
NOTES_MAY_IMPORT = {"pybtex"}


def layer_violations(source: str, module: str) -> list[str]:
    """The imports of ``module`` (dotted name, source text) that leave the notes layer: anything
    from ``maskbook`` outside ``maskbook.notes``, any third-party package but pybtex (so no
    Sphinx, docutils or myst-nb), and any private (``_``) name from another module of the layer."""
    package = module.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imports = [(alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from . import x, from ..data import y
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + [base] if base else parts)
            imports = [(base, [alias.name for alias in node.names])]
        else:
            continue
        for name, names in imports:
            top = name.split(".")[0]
            inside = name == "maskbook.notes" or name.startswith("maskbook.notes.")
            if top == "maskbook" and not inside:
                found.append(f"line {node.lineno}: imports {name} (outside the notes layer)")
            elif top != "maskbook" and top not in sys.stdlib_module_names and top not in NOTES_MAY_IMPORT:
                found.append(f"line {node.lineno}: imports {name} (not the standard library or pybtex)")
            found += [f"line {node.lineno}: imports the private name {name}.{n}"
                      for n in names if inside and n.startswith("_")]
    return found


def test_notes_layer_imports_only_what_it_may():
    files = sorted(NOTES_PACKAGE.glob("*.py"))
    assert {f.stem for f in files} >= {"parse", "names", "titles", "containers", "dates", "urls", "bibtex", "csl"}
    problems = {f.name: layer_violations(f.read_text(encoding="utf-8"), f"maskbook.notes.{f.stem}") for f in files}
    assert not {name: found for name, found in problems.items() if found}


@pytest.mark.parametrize("source", [
    "import sphinx.util", "from myst_nb import glue", "from docutils import nodes", "import pandas",
    "from maskbook.book import data", "from maskbook.book.bibliography import BIB_PATH", "from .. import pdf",
    "from ..sphinxext import setup", "from maskbook.notes.text import _closes_single", "from .text import _CLOSERS",
])
def test_layer_check_catches_an_import_out_of_the_layer(source):
    assert layer_violations(source, "maskbook.notes.example")


def test_layer_check_allows_the_standard_library_pybtex_and_the_layer():
    source = ("from __future__ import annotations\nimport re, unicodedata\nfrom pybtex.database import Entry\n"
              "from maskbook.notes.text import scan\nfrom .model import Work\nfrom . import dates\n")
    assert layer_violations(source, "maskbook.notes.example") == []


@pytest.mark.parametrize("printed, url", [
    # a PDF's line wrapping breaks a URL after "/", "-" or before a file extension
    ("Ann Lee, ‘A Title’, The Outlet, 8 March 2021, online at: https://example.org/ culture/desk/a-long-"
     " title-of-the-piece", "https://example.org/culture/desk/a-long-title-of-the-piece"),
    ("Agency, ‘A Title’, Site, 26 September 2020, online at: http://www.example.cn/politics/c_11265. htm",
     "http://www.example.cn/politics/c_11265.htm"),
    # not a break: the next word is prose or a new work
    ("Ann Lee, ‘A Title’, The Outlet, 8 March 2021, online at: https://example.org/a/ and the longer report that it "
     "cites in full.",
     "https://example.org/a/"),
])
def test_urls_broken_by_line_wrapping_are_joined(printed, url):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnparsedCitationWarning)
        (note,) = parse_notes([printed])
    assert note.entries[0].url == url
    assert len([w for w in note.entries if w.kind != "unparsed"]) == 1


def test_unquoted_title_before_an_organisation_is_the_title():
    (note,) = parse_notes(["See Ann Lee, A Long Report Title: Its Subtitle in the World, Human Rights "
                           "Watch, 14 September 2020, online at: https://example.org/report"])
    (w,) = note.entries
    assert (w.kind, w.authors[0].family, w.title, w.publisher, w.note_prefix) == (
        "report", "Lee", "A Long Report Title: Its Subtitle in the World", "Human Rights Watch", "See")


def test_a_book_title_may_begin_with_a_year():
    w = parse_work("Ann Lee, 1587, A Year of Things: The Dynasty in Decline, New Haven and London: "
                   "Yale University Press, 1981, p.221.")
    assert (w.kind, w.authors[0].family, w.title, w.place, w.publisher, w.date, w.pages) == (
        "book", "Lee", "1587, A Year of Things: The Dynasty in Decline", "New Haven and London",
        "Yale University Press", "1981", "221")


@pytest.mark.parametrize("text, kind, families, container, publisher", [
    ("Ann Lee, The Rise of Mask Diplomacy in Europe, Financial Times, 3 May 2019",
     "news", ["Lee"], "Financial Times", None),
    ("Ann Lee and Bob Ray, Mask Diplomacy and its Limits, Lowy Institute, 4 June 2020",
     "report", ["Lee", "Ray"], None, "Lowy Institute"),
    ("Ann Lee, Bob Ray, and Cara Yates, Mask Diplomacy and its Limits, Washington, DC: Pew Research "
     "Center, 6 October 2020", "report", ["Lee", "Ray", "Yates"], None, "Pew Research Center"),
])
def test_unquoted_title_after_names_then_outlet_or_publisher(text, kind, families, container, publisher):
    w = parse_work(text)
    assert (w.kind, [a.family for a in w.authors], w.title, w.container, w.publisher) == (
        kind, families, "The Rise of Mask Diplomacy in Europe" if kind == "news" else "Mask Diplomacy and its Limits",
        container, publisher)
