"""The site extensions' own words in the build's language (``maskbook.language``): English unchanged,
Italian from the package's catalogue; numbers and dates through Babel; English data marked so."""
from __future__ import annotations

from datetime import date

import pytest
from pybtex.database import Entry, Person

from maskbook import language
from maskbook.edition import Book
from maskbook.site import a11y, bibstyle, citation, datadocs, plotly_renderer


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


def test_a_chart_table_marks_english_only_the_labels_built_from_data_rows(lang):
    """A label shown from ``customdata`` (an event as recorded) is English; the book's are not."""
    fig = {"data": [
        {"name": "Evento", "x": ["2020-03-10"], "y": [1], "hovertext": ["10 mar 2020: masks arrive"],
         "customdata": ["10 mar 2020: masks arrive"], "hovertemplate": plotly_renderer.RECORDED_HOVER},
        {"name": "Cina", "x": [2.3], "y": ["Cina"], "hovertext": ["2,3 milioni"]}]}
    cells = plotly_renderer.data_table_html(fig).split("<tbody>")[1]
    marked = ' lang="en"' if lang == "it" else ""
    assert f"<td{marked}>10 mar 2020: masks arrive</td>" in cells
    assert cells.count('lang="en"') == (1 if lang == "it" else 0)


def test_a_rows_source_marks_the_outlet_english_and_says_a_missing_date_in_the_page_language(lang):
    english = "en" if lang == "it" else None
    dated = {"source_publisher": "Xinhua", "source_date": "2020-03-12"}
    undated = {"source_publisher": "Datawrapper chart", "source_date": ""}
    if lang == "en":
        assert datadocs.cited_as(dated, english) == "Xinhua, 2020-03-12"
        assert datadocs.cited_as(undated, english) == "Datawrapper chart, no date given"
    else:
        assert datadocs.cited_as(dated, english) == '<span lang="en">Xinhua, 2020-03-12</span>'
        assert datadocs.cited_as(undated, english) == '<span lang="en">Datawrapper chart</span>, data non indicata'


def test_a_pandas_table_is_marked_english_on_a_page_in_another_language(lang):
    context = {"body": '<table border="1" class="dataframe"><tr><td>City of Liyang</td></tr></table>'}
    a11y.fix_body(None, "chapters/aid", "page.html", context, None)
    marked = ' lang="en"' if lang == "it" else ""
    assert context["body"].startswith(f'<table class="dataframe"{marked}>')


def test_the_citation_names_the_edition(lang):
    book = Book(title="China's mask diplomacy in Italy, 2020", subtitle="an executable case study",
                authors=["The maskbook authors"], version="1.0", date=date(2026, 1, 1), licences=[],
                licence_html="", source_work="", base_url="https://example.org/book/")
    text = citation.citation(book, lang)
    if lang == "en":
        assert text == book.cite()
    else:
        assert text.endswith("un caso di studio eseguibile, edizione 1.0. https://example.org/book/it/")
