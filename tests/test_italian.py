"""The Italian edition: every page in Italian, beside its English page, from the same source."""
from __future__ import annotations

import re
import textwrap

from babel.messages.pofile import read_po
from bs4 import Comment

from maskbook.editions import catalogues

from conftest import html_pages, soup, toc_docnames

#: Common English words; an Italian page's visible text holds under 1% of them (issue 24).
ENGLISH = {"the", "and", "of", "which", "to", "is", "from", "with", "for", "that", "this", "are", "was"}


def visible_words(page) -> list[str]:
    """The words a reader sees in a page's main column and sidebar, without what is marked English
    (``lang="en"``: a data row's notes as recorded), code, the bibliography's entries (titles
    of works stay as published), and HTML comments (no reader sees them)."""
    body = page.select_one("body")
    skip = body.select('[lang="en"], script, style, pre, code, .cell_input, div.citation, .bibliography, noscript')
    texts = [s for s in body.find_all(string=True)
             if not isinstance(s, Comment) and not any(s in el.descendants for el in skip)]
    return re.findall(r"[A-Za-zÀ-ÿ']+", " ".join(texts))


def test_every_page_has_its_italian_page_and_a_switch_between_them(site):
    for page in html_pages(site):
        english, italian = soup(site / page), soup(site / "it" / page)
        assert english.html["lang"] == "en" and italian.html["lang"] == "it", page
        for here, path in ((english, site / page), (italian, site / "it" / page)):
            alternates = {link["hreflang"]: link["href"] for link in here.select('link[rel="alternate"][hreflang]')}
            assert set(alternates) == {"en", "it"}, page
            assert (path.parent / alternates["en"]).resolve() == (site / page).resolve(), page
            assert (path.parent / alternates["it"]).resolve() == (site / "it" / page).resolve(), page
            switch = here.select(".maskbook-languages a[hreflang]")
            assert len(switch) == 1 and (path.parent / switch[0]["href"]).resolve() in {
                (site / page).resolve(), (site / "it" / page).resolve()} - {path.resolve()}, page


def test_an_italian_page_reads_in_italian(site):
    """Its common English words are under 1% of its words (issue 24's measure)."""
    shares = {}
    for page in html_pages(site):
        words = visible_words(soup(site / "it" / page))
        english = [w for w in words if w.lower() in ENGLISH]
        shares[page] = len(english) / max(1, len(words))
    assert {p: f"{s:.1%}" for p, s in shares.items() if s >= 0.01} == {}


def italian_number(english: str) -> str:
    """``1,234.5`` as Italians write it: ``1.234,5``."""
    return english.translate(str.maketrans({",": ".", ".": ","}))


def test_every_figure_keeps_its_source_link_and_reads_as_italians_write_numbers(site):
    """A translated passage keeps each glued figure (none dropped, none added), linked to the same
    data row, with Italian separators."""
    for page in html_pages(site):
        english = {a["id"]: (a["href"], a.get_text()) for a in soup(site / page).select(".mb-fig > a[id]")}
        italian = {a["id"]: (a["href"], a.get_text()) for a in soup(site / "it" / page).select(".mb-fig > a[id]")}
        assert set(italian) == set(english), page
        assert {k: v for k, v in italian.items() if v != (english[k][0], italian_number(english[k][1]))} == {}, page


def test_every_passage_is_translated_and_keeps_its_markup():
    """No catalogue has an untranslated or out-of-date passage, or a translation without the glued
    figures, citations, links and code of its English (``python -m maskbook.editions.catalogues``)."""
    files = catalogues.catalogue_files()
    pages = {p.relative_to(catalogues.LOCALES / "it" / "LC_MESSAGES").with_suffix("").as_posix() for p in files}
    assert set(toc_docnames()) <= pages
    assert [line for path in files for line in catalogues.problems(path)] == []


def test_the_check_names_a_dropped_figure_an_added_link_and_an_out_of_date_passage(tmp_path):
    po = tmp_path / "aid.po"
    po.write_text(textwrap.dedent('''\
        msgid ""
        msgstr "Content-Type: text/plain; charset=utf-8\\n"

        msgid "It held {glue:text}`aid_masks:,` masks {cite:p}`fraile2021mask`."
        msgstr "Conteneva mascherine {cite:p}`fraile2021mask`."

        msgid "See the [table](data/shipments.md)."
        msgstr "Si veda la [tabella](data/shipments.md) e [altro](data/timeline.md)."

        #, fuzzy
        msgid "A sentence whose English changed."
        msgstr "Una frase."

        msgid "A new sentence."
        msgstr ""
        '''), encoding="utf-8")
    found = catalogues.problems(po)
    assert [re.sub(r"^.*?aid\.po:\d+: ", "", line) for line in found] == [
        "the translation drops {glue:text}`aid_masks:,` (of 'It held {glue:text}`aid_masks:,` masks {cite:p}`fraile2021mask`.')",
        "the translation adds ](data/timeline.md) (of 'See the [table](data/shipments.md).')",
        "out of date (the English changed): 'A sentence whose English changed.'",
        "untranslated: 'A new sentence.'",
    ]
    with po.open("rb") as f:
        assert len([m for m in read_po(f) if m.id]) == len(found)
