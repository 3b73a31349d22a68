"""The site extensions' own words in the build's language (``maskbook.language``): English unchanged,
Italian from the package's catalogue; numbers and dates through Babel; English data marked so."""
from __future__ import annotations

from datetime import date

import pytest
from pybtex.database import Entry, Person

from maskbook import language
from maskbook.edition import Book
from maskbook.site import bibstyle, citation, plotly_renderer


@pytest.fixture(params=["en", "it"])
def lang(request, monkeypatch):
    monkeypatch.setenv(language.ENV, request.param)
    return request.param


def entry() -> Entry:
    e = Entry("incollection", fields={"title": "Mask Diplomacy", "booktitle": "Crisis", "year": "2021",
                                      "month": "March", "day": "3", "url": "https://example.org/a",
                                      "date": "2021-03-03"})
    e.persons["author"] = [Person("Fraile del Álamo, Jorge"), Person("Lim, Darren J.")]
    e.persons["editor"] = [Person("Golley, Jane"), Person("Jaivin, Linda")]
    return e


def test_bibliography_words_in_the_build_language(lang):
    text = bibstyle.format_entry_text(entry())
    if lang == "en":
        assert "Jorge Fraile del Álamo and Darren J. Lim" in text and "(eds)" in text
    else:
        assert "Jorge Fraile del Álamo e Darren J. Lim" in text and "(a cura di)" in text
        assert " and " not in text and "March" not in text


def test_bibliography_dates_through_babel(monkeypatch):
    monkeypatch.setenv(language.ENV, "it")
    assert bibstyle.dated("3", "March", "2020") == "3 marzo 2020"
    assert bibstyle.dated("", "April", "2020") == "aprile 2020"


def test_chart_table_numbers_in_the_page_language(lang):
    assert plotly_renderer._fmt(2020) == "2020"  # a year is never grouped
    assert plotly_renderer._fmt(31.5) == ("31.5" if lang == "en" else "31,5")
    summary = "Show the data plotted in this chart" if lang == "en" else "Mostra i dati rappresentati in questo grafico"
    assert f"<summary>{summary}</summary>" in plotly_renderer.data_table_html({"data": []})


def test_the_citation_names_the_edition(lang):
    book = Book(title="China's mask diplomacy in Italy, 2020", subtitle="an executable case study",
                authors=["The maskbook authors"], version="1.0", date=date(2026, 1, 1), licences=[],
                licence_html="", source_work="", base_url="https://example.org/book/")
    text = citation.citation(book, lang)
    if lang == "en":
        assert text == book.cite()
    else:
        assert text.endswith("un caso di studio eseguibile, edizione 1.0. https://example.org/book/it/")
