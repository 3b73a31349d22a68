"""The package speaks the language of its build (issue 24): with ``MASKBOOK_LANGUAGE=it`` every chart
the chapters draw with the book's chart functions is Italian (title, axes, legend, source line,
text alternative), with Italian separators and month names, and fits a phone; every string of the
package has its Italian in ``maskbook/locales/it/LC_MESSAGES/maskbook.po``.
"""
from __future__ import annotations

import contextlib
import io
import re
from datetime import date
from pathlib import Path

import pytest
import yaml
from babel.messages.extract import extract_from_dir, extract_python
from test_chart_style import CHAPTERS, chapter_cells, run_cell

from maskbook import imports, language
from maskbook.book import data, provenance
from maskbook.book.charts import fit as fitting
from maskbook.book.charts import formats
from maskbook.site import plotly_renderer as renderer

ROOT = Path(__file__).resolve().parent.parent
#: A call of one of the book's chart functions (the chapters' own charts are translated with the pages).
CHART_FUNCTION = re.compile(r"\b(landing|story|aid|opinion|turn|receptive|lessons)\.[a-z_0-9]+\(")
ENGLISH_MONTH = re.compile(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)")
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def chart_figures(lang: str) -> list[tuple[str, object]]:
    """The figures of the chapters' chart-function cells, drawn in ``lang``: (where, figure)."""
    found = []
    with pytest.MonkeyPatch.context() as mp, contextlib.redirect_stdout(io.StringIO()):
        mp.setenv(language.ENV, lang)
        for path in CHAPTERS:
            namespace: dict = {}
            for n, code in enumerate(chapter_cells(path), start=1):
                result = run_cell(code, namespace, f"{path.name}, code cell {n}")
                if CHART_FUNCTION.search(code) and "book_figure(" not in code:
                    found.append((f"{path.stem}, cell {n}", result))
    return found


@pytest.fixture(scope="module")
def pairs() -> list[tuple[str, dict, dict]]:
    """(where, English figure, Italian figure) for every chart-function cell of the chapters."""
    english, italian = chart_figures("en"), chart_figures("it")
    assert [w for w, _ in english] == [w for w, _ in italian]
    return [(w, shown(en), shown(it)) for (w, en), (_, it) in zip(english, italian)]


def shown(fig) -> dict:
    """The figure as the book's renderer shows it in a notebook (laid out for the text column)."""
    return fig._repr_mimebundle_()[renderer.PLOTLY_MIME]


def words(fig: dict) -> dict[str, str]:
    """What a reader reads first: the title, the axis titles, the legend names, the source line and
    the text alternative, by where they are."""
    layout = fig["layout"]
    out = {"title": layout["title"]["text"], "source": layout["meta"]["source"], "alt": layout["meta"]["alt"]}
    for name, axis in layout.items():
        if fitting._AXIS.match(name) and fitting._title_text(axis):
            out[name] = fitting._title_text(axis)
    for i, trace in enumerate(fig["data"]):
        if trace.get("name") and trace.get("showlegend") is not False:
            out[f"legend {i}"] = trace["name"]
    return out


def test_every_chart_function_speaks_italian(pairs):
    assert len(pairs) >= 15
    same = {}
    for where, en, it in pairs:
        en_words, it_words = words(en), words(it)
        assert en_words.keys() == it_words.keys(), where
        same.update({f"{where} {k}": v for k, v in it_words.items()
                     if v == en_words[k] and v not in ("Xi Jinping",)})
    assert same == {}


def test_plotly_writes_numbers_with_the_language_s_separators(pairs):
    assert {en["layout"]["separators"] for _, en, _ in pairs} == {".,"}
    assert {it["layout"]["separators"] for _, _, it in pairs} == {",."}


def test_date_axes_name_months_in_italian_on_both_screens(pairs):
    english, dated = {}, 0
    for where, _, it in pairs:
        for screen, fig in renderer.layouts(renderer.chart_figure(it)[0]).items():
            for name, axis in fig["layout"].items():
                if not (fitting._AXIS.match(name) and name[0] == "x"):
                    continue
                if fitting._date_span(fig["data"], fitting._axis_id(name)) is None:
                    continue
                dated += 1
                labels = axis.get("ticktext") or []
                if len(labels) < fitting.MIN_DATE_TICKS or any(ENGLISH_MONTH.search(t) for t in labels):
                    english[f"{where} {screen} {name}"] = labels
    assert dated >= 8
    assert english == {}


def test_italian_titles_fit_a_phone(pairs):
    """On a 390 px phone (the site's narrow layout) the Italian title breaks into lines that fit,
    and the chart is no taller than the phone's screen."""
    problems = {}
    for where, _, it in pairs:
        shown, _ = renderer.chart_figure(it)
        layout = renderer.layouts(shown)["narrow"]["layout"]
        size = layout["title"].get("font", {}).get("size") or fitting.NARROW_FONT
        lines = fitting.text_lines(layout["title"]["text"])
        if max(fitting.text_width(line, size) for line in lines) > renderer.NARROW - 16:
            problems[where] = lines
        if layout["height"] > renderer.NARROW_MAX_HEIGHT:
            problems[where] = layout["height"]
    assert problems == {}


def test_numbers_and_dates_follow_the_language(monkeypatch):
    monkeypatch.setenv(language.ENV, "it")
    assert formats.day("2020-03-25") == "25 mar 2020" and formats.month("2020-05") == "maggio"
    assert formats.percent(31.5, 1) == "31,5%" and formats.percent(-3, signed=True) == "\u22123%"
    assert formats.millions(1_600_000) == "1,6 milioni" and formats.millions(1_000_000) == "1 milione"
    assert formats.billion_euros(3.18) == "3,18 miliardi di euro"
    assert formats.count(5000) == "5.000" and formats.words(3) == "tre"
    assert formats.name("United States") == "Stati Uniti" and formats.name("#forzaCinaeItalia") == "#forzaCinaeItalia"
    assert formats.tick_label(date(2020, 3, 5), "%b<br>%Y") == "mar<br>2020"
    rec = {"rows": ["SH01"] * 37, "field": "masks", "table": "shipments", "how": "sum", "per": 1e6}
    assert provenance.describe(rec) == "somma di masks su 37 righe di shipments, in milioni"
    assert provenance.describe(rec, "en") == "sum of masks over 37 rows of shipments, in millions"


def strings_to_translate() -> set[str]:
    """Every string the package's catalogue must translate: the ``_()``/``N_()`` calls of the
    package and of the chapters' code cells (as pybabel extracts them), the book's title, footer
    and contents captions (``_config.yml``, ``_toc.yml``) and every table's source line."""
    keywords = {"_": None, "N_": None}
    strings = {message for _, _, message, _, _ in extract_from_dir(ROOT / "maskbook", keywords=keywords)
               if isinstance(message, str)}
    for page in [ROOT / "intro.md", *sorted((ROOT / "chapters").glob("*.md"))]:
        code = "\n".join(imports.code_cells(page.read_text(encoding="utf-8"))).encode()
        strings |= {message for _, _, message, _ in extract_python(io.BytesIO(code), keywords, [], {})
                    if isinstance(message, str)}
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    strings |= {config["title"], config["author"], config["html"]["extra_footer"].strip()}
    strings |= {part["caption"] for part in yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))["parts"]}
    return strings | {line for name in data.list_tables() if (line := data.table_info(name)["source_line"])}


def test_every_string_of_the_package_has_its_italian():
    """Every string to translate is translated, with the same placeholders. (Strings that code
    translates as values, such as the teaching pack's README blocks, fail where they are used.)"""
    strings = strings_to_translate()
    catalogue = language.catalogue("it")
    assert sorted(strings - catalogue.keys()) == []
    changed = {m: t for m, t in catalogue.items() if set(PLACEHOLDER.findall(m)) != set(PLACEHOLDER.findall(t))}
    assert changed == {}
