"""Every chart of the book reads at a glance (issue 20), checked on the figures themselves, without
a build or a browser: each chapter's chart cells (the chart calls and the solutions' own charts)
run here, and their figures are laid out for the wide and the narrow screen as the site does.

- every date axis shows at least three dates, on both screens;
- panels that compare one measure share one scale; no narrow chart is taller than a phone;
- colours have one meaning across the book (``charts.COLOURS``): China's bars are China's colour;
- readable dates, true minus signs, one style of large numbers and percentages, "Di Maio";
- the dark template is the light one with the dark page's colours;
- the titles and credits corrected after the fact-check say what the rows say.
"""
from __future__ import annotations

import ast
import contextlib
import io
import json
import re
from datetime import date
from pathlib import Path

import jupytext
import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import pytest

from maskbook.book import data
from maskbook.book.charts import fit as fitting
from maskbook.book.charts import formats, style
from maskbook.site import plotly_renderer as renderer

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = [ROOT / "intro.md"] + sorted((ROOT / "chapters").glob("*.md"))
CHART_CALL = re.compile(r"charts\.book_figure\(|\b(landing|story|aid|opinion|turn|receptive|lessons)\.[a-z_0-9]+\(")
ISO_DAY = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
HYPHEN_MINUS = re.compile(r"(?<![\w.)\]])-\d")
SHORT_LARGE = re.compile(r"\d(?:\.\d+)?\s?(?:m|M|bn|k|K)\b")


def chapter_cells(path: Path) -> list[str]:
    """The code of a chapter's code cells, in order."""
    return [c.source for c in jupytext.read(path).cells if c.cell_type == "code"]


def run_cell(code: str, namespace: dict, where: str):
    """Run a cell as Jupyter does and return the value of its last expression (``None`` without one)."""
    tree = ast.parse(code, where)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    exec(compile(tree, where, "exec"), namespace)
    return eval(compile(ast.Expression(last.value), where, "eval"), namespace) if last else None


@pytest.fixture(scope="module")
def chart_cells() -> list[dict]:
    """Every chart cell of the chapters (a chart function's call, or a solution's own chart), run
    in its chapter's namespace after the cells before it: {"page", "code", "result"}."""
    found = []
    with contextlib.redirect_stdout(io.StringIO()):  # glued figures print outside a kernel
        for path in CHAPTERS:
            namespace: dict = {}
            for n, code in enumerate(chapter_cells(path), start=1):
                result = run_cell(code, namespace, f"{path.name}, code cell {n}")
                if CHART_CALL.search(code):
                    found.append({"page": path.stem, "code": code, "result": result})
    return found


def test_every_chart_cell_ends_with_its_plotly_figure(chart_cells):
    """A chart cell's last expression is the figure (so Jupyter and myst-nb show it, and a student
    can change it): never ``None`` nor a call that only displays."""
    assert len(chart_cells) >= 19
    ends = {f"{c['page']}: {c['code'].splitlines()[-1]}": type(c["result"]).__name__ for c in chart_cells}
    assert {where: kind for where, kind in ends.items() if kind != "Figure"} == {}
    assert all(isinstance(c["result"], go.Figure) for c in chart_cells)


def test_a_figure_changed_in_class_shows_in_the_book_style(chart_cells):
    """The book's look comes from its template and renderer, not from the cell: a figure changed
    after the chart function (a new layout setting, another column) is shown with the book's
    template, mode bar and layout fitting, and the change is kept."""
    fig = go.Figure(next(c["result"] for c in chart_cells if c["page"] == "opinion"))
    fig.update_layout(title_text="A title of my own that is long enough to be broken into two lines by the layout")
    content = fig._repr_mimebundle_()[renderer.PLOTLY_MIME]
    assert content["config"] == style.CONFIG
    book_template = json.loads(go.Figure(layout={"template": style.TEMPLATE}).to_json())["layout"]["template"]
    assert content["layout"]["template"] == book_template
    assert content["layout"]["title"]["text"].replace("<br>", " ") == fig.layout.title.text
    assert "<br>" in content["layout"]["title"]["text"]  # laid out for the text column
    own = px.bar(data.load_table("piepoli_barometer"), x="percent", y="answer")
    assert own._repr_mimebundle_()[renderer.PLOTLY_MIME]["config"] == style.CONFIG


@pytest.fixture(scope="module")
def charts(chart_cells) -> list[dict]:
    """Every chart the chapters show, as the book's renderer shows it: {"page", "title",
    "figure", "wide", "narrow"}."""
    out = []
    for cell in chart_cells:
        content = cell["result"]._repr_mimebundle_()[renderer.PLOTLY_MIME]
        fig, _ = renderer.chart_figure(content)
        laid = renderer.layouts(fig)
        title = re.sub(r"\s*<br>\s*", " ", content["layout"]["title"]["text"])
        out.append({"page": cell["page"], "title": title, "figure": content, **laid})
    return out


def screens(charts):
    for chart in charts:
        for screen in ("wide", "narrow"):
            yield f"{chart['page']}: {chart['title'][:50]} ({screen})", chart[screen]


def texts(fig: dict) -> list[str]:
    """Every text a reader sees in the chart or its hover boxes."""
    found = []
    for trace in fig.get("data", []):
        for key in ("text", "hovertext", "customdata", "hovertemplate", "name"):
            value = trace.get(key)
            found += [str(v) for v in value] if isinstance(value, list) else ([str(value)] if value else [])
    layout = fig["layout"]
    found += [str(a.get("text", "")) for a in layout.get("annotations", [])]
    found.append(str((layout.get("title") or {}).get("text", "")))
    found.append(str((layout.get("meta") or {}).get("source", "")))
    found.append(str((layout.get("meta") or {}).get("alt", "")))
    for name, axis in layout.items():
        if fitting._AXIS.match(name):
            found += [str(t) for t in axis.get("ticktext", [])]
            found.append(fitting._title_text(axis))
    return found


def test_every_chart_of_the_chapters_runs(charts):
    assert len(charts) >= 19
    assert {c["page"] for c in charts} >= {"intro", "story", "blame", "aid", "receptive", "opinion", "turn", "lessons"}


def test_every_date_axis_shows_at_least_three_dates_on_both_screens(charts):
    few = {}
    for where, fig in screens(charts):
        for name, axis in fig["layout"].items():
            if not (fitting._AXIS.match(name) and name[0] == "x"):
                continue
            if fitting._date_span(fig["data"], fitting._axis_id(name)) is None:
                continue
            # The dates marked within the axis's range (plotly draws no tick beyond it).
            span = tuple(date.fromisoformat(d[:10]) for d in axis.get("range") or ["1970-01-01"] * 2)
            ticks = fitting.date_ticks(span, axis.get("dtick"), axis.get("tick0")) if axis.get("dtick") else []
            if len(ticks) < fitting.MIN_DATE_TICKS:
                few[f"{where} {name}"] = [t.isoformat() for t in ticks]
    assert few == {}


def test_date_ticks_count_days_weeks_and_months():
    span = (date(2020, 3, 12), date(2020, 4, 8))
    assert fitting.date_ticks(span, 7 * 86400000, "2020-03-12") == [date(2020, 3, 12), date(2020, 3, 19),
                                                                   date(2020, 3, 26), date(2020, 4, 2)]
    assert fitting.date_ticks(span, "M1", "2020-01-01") == [date(2020, 4, 1)]
    # A month of statements on a narrow axis: fortnightly labels, three of them.
    step, tick0 = fitting.date_axis_ticks((date(2020, 3, 15), date(2020, 4, 15)), formats.DAY_TICKS, 240, 55)
    assert len(fitting.date_ticks((date(2020, 3, 15), date(2020, 4, 15)), step, tick0)) >= 3


def test_panels_that_compare_one_measure_share_one_scale(charts):
    differ = {}
    for where, fig in screens(charts):
        ranges = {}
        for trace in fig["data"]:
            if trace.get("type") == "bar":
                letter = "x" if trace.get("orientation") == "h" else "y"
                axis = fitting._axis_name(trace.get(f"{letter}axis") or letter)
                ranges[axis] = tuple(fig["layout"].get(axis, {}).get("range") or ())
        if len(ranges) > 1 and len(set(ranges.values())) > 1:
            differ[where] = ranges
    assert differ == {}


def test_no_narrow_chart_is_taller_than_a_phone(charts):
    tall = {c["title"][:60]: c["narrow"]["layout"]["height"] for c in charts
            if c["narrow"]["layout"]["height"] > renderer.NARROW_MAX_HEIGHT}
    assert tall == {}


def _colours(trace: dict) -> list:
    """The trace's colours, shades (``charts.shade``) read as the colour they are a shade of."""
    marker = trace.get("marker") or {}
    colour = marker.get("color", (trace.get("line") or {}).get("color"))
    colours = colour if isinstance(colour, list) else [colour]

    def solid(c):
        m = re.fullmatch(r"rgba\((\d+),(\d+),(\d+),[\d.]+\)", str(c))
        return "#" + "".join(f"{int(v):02X}" for v in m.groups()) if m else c
    return [solid(c) for c in colours]


def test_colours_have_one_meaning_across_the_book(charts):
    allowed = set(style.COLOURS.values())
    stray, china = {}, {}
    for chart in charts:
        for trace in chart["figure"]["data"]:
            colours = _colours(trace)
            bad = {c for c in colours if c is not None and c not in allowed}
            if bad:
                stray[chart["title"][:60]] = sorted(bad)
            labels = trace.get("y") if trace.get("orientation") == "h" else trace.get("x")
            if trace.get("type") == "bar" and isinstance(labels, list):
                for i, label in enumerate(labels):
                    colour = colours[i] if len(colours) > 1 else colours[0]
                    if re.match(r"China(?: \(|$)", str(label)) and colour != style.COLOURS["china"]:
                        china[f"{chart['title'][:60]}: {label}"] = colour
    assert stray == {}
    assert china == {}


def test_dates_read_as_dates_and_numbers_have_one_style(charts):
    iso, minus, short, names = {}, {}, {}, {}
    for chart in charts:
        for text in texts(chart["figure"]):
            key = chart["title"][:60]
            if ISO_DAY.search(text):
                iso.setdefault(key, []).append(text[:80])
            if HYPHEN_MINUS.search(text):
                minus.setdefault(key, []).append(text[:80])
            if SHORT_LARGE.search(text):
                short.setdefault(key, []).append(text[:80])
            if re.search(r"\bdi Maio\b", text):
                names.setdefault(key, []).append(text[:80])
    assert iso == {}
    assert minus == {}
    assert short == {}
    assert names == {}


def test_percentage_axes_separate_thousands_like_their_labels(charts):
    unlike = {}
    for chart in charts:
        layout = chart["figure"]["layout"]
        for trace in chart["figure"]["data"]:
            if any(re.search(r"\d,\d{3}", str(t)) and "%" in str(t) for t in (trace.get("text") or [])):
                axis = fitting._axis_name(trace.get("yaxis") or "y")
                if "," not in str(layout.get(axis, {}).get("tickformat", "")):
                    unlike[chart["title"][:60]] = axis
    assert unlike == {}


def test_shades_are_their_colour_with_an_opacity():
    assert style.shade("china", 0.5) == "rgba(213,94,0,0.5)"


def test_formats():
    assert formats.day("2020-03-25") == "25 Mar 2020" and formats.day("2020-04") == "Apr 2020"
    assert formats.percent(-3, signed=True) == "\u22123%" and formats.percent(3129, signed=True) == "+3,129%"
    assert formats.millions(2_300_000) == "2.3 million" and formats.millions(150_000_000) == "150 million"
    assert formats.count(5000) == "5,000" and formats.count(1_500_000) == "1.5 million"


def test_the_dark_template_is_the_light_one_on_the_dark_page():
    script = renderer.template_script()
    assert "window.maskbookTemplate = " in script and "window.maskbookTemplateDark = " in script
    fig = {"data": [], "layout": {"template": {"layout": {}}, "title": {"text": "t"}}}
    dark = renderer.dark(fig)["layout"]["template"]["layout"]
    assert dark["font"]["color"] == style.THEMES["dark"]["text"]
    assert dark["paper_bgcolor"] == style.THEMES["dark"]["paper"]
    assert dark["colorway"] == style.PALETTE
    assert fig["layout"]["template"] == {"layout": {}}  # the light figure is left as it was


def _chart(charts, start: str) -> dict:
    found = [c for c in charts if c["title"].startswith(start)]
    assert len(found) == 1, [c["title"] for c in charts]
    return found[0]


def test_fact_checked_titles_and_credits_say_what_the_rows_say(charts):
    # 1: one commissioned analysis, attributed. 4: of the party groups in the data.
    assert _chart(charts, "Alkemy's analysis for Formiche attributed")
    assert "of the three party groups in the data" in _chart(charts, "By late June, Lega voters")["title"]
    # 5: only gifts from China and purchases from Chinese firms are plotted as such.
    gifts = _chart(charts, "Statements named gifts from China")["figure"]["data"]
    named = {t["name"]: " ".join(t["hovertext"]) for t in gifts}
    assert not re.search(r"France|Egypt|Taiwan", " ".join(named.values()))
    assert "sourced in two weeks" in named["Purchase, seller not named"]
    assert "sourced in two weeks" not in named["Purchase from Chinese firms"]
    # 7: as strong as the data: the big loads from the first mixed one, and how many were mixed.
    sh = data.load_table("shipments")
    sh = sh[(sh["count_in_totals"] == True) & (sh["date_precision"] == "day")]  # noqa: E712
    first = sh.loc[sh["transfer_type"] == "mixed", "date"].min()
    big = sh[(sh["date"] >= first) & (pd.to_numeric(sh["masks"]) >= 1e6)]
    claim = f"{formats.words(int((big['transfer_type'] == 'mixed').sum()))} of the {formats.words(len(big))} loads"
    assert claim in _chart(charts, "Gifts came from many kinds of Chinese donor")["title"]
    # 8: the later surveys credit the sources of the rows they plot.
    source = _chart(charts, "Later in 2020 Italians")["figure"]["layout"]["meta"]["source"]
    assert "Libero" in source and "HuffPost" not in source
    # Issue 21: Italy's Pew figures are 2020 levels only (markers, no line to a year not in the
    # data); the confidence-in-Xi chart plots no Italy and says so.
    italy = _chart(charts, "Pew 2020: 62% of Italians viewed China unfavourably")
    assert "no earlier level is in the data" in italy["title"]
    assert all("lines" not in t.get("mode", "lines") for t in italy["figure"]["data"])
    xi = _chart(charts, "Pew 2020: 70–78% lacked confidence in Xi")
    assert "no figure for Italy" in xi["title"]
    assert not any(str(y).startswith("Italy") for t in xi["figure"]["data"] for y in t["y"])


def test_charts_follow_the_page_into_dark_mode_and_back(browser, server):
    """One chart page in the dark theme: the static image is the dark one, the drawn chart has the
    dark template (light text, no white card); switched to light, both follow."""
    from test_reader import draw_all_charts

    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="dark")
    context.add_init_script("localStorage.setItem('mode', 'dark'); localStorage.setItem('theme', 'dark');")
    page = context.new_page()
    state = """() => [...document.querySelectorAll('figure.maskbook-chart')].map(f => {
        const plot = f.querySelector('div.plotly-graph-div'), layout = plot._fullLayout || {};
        return {img: f.querySelector('img.maskbook-chart-static').getAttribute('src'),
                card: getComputedStyle(f.querySelector('.maskbook-chart-plot')).backgroundColor,
                paper: layout.paper_bgcolor, text: (layout.font || {}).color};
      })"""
    try:
        page.goto(server + "chapters/aid.html", wait_until="load")
        assert page.evaluate("document.documentElement.dataset.theme") == "dark"
        draw_all_charts(page)
        dark = page.evaluate(state)
        page.evaluate("document.documentElement.dataset.theme = 'light'")
        page.wait_for_function(
            "() => [...document.querySelectorAll('div.plotly-graph-div')].every(d => d._fullLayout.font.color === '#1f1f1f')",
            timeout=10000)
        light = page.evaluate(state)
    finally:
        context.close()
    themes = style.THEMES
    assert dark and all(c["img"].endswith("-dark.svg") and c["card"] == "rgba(0, 0, 0, 0)"
                        and c["paper"] == themes["dark"]["paper"] and c["text"] == themes["dark"]["text"]
                        for c in dark), dark
    assert all(not c["img"].endswith("-dark.svg") and c["card"] == "rgb(255, 255, 255)"
               and c["paper"] == themes["light"]["paper"] and c["text"] == themes["light"]["text"]
               for c in light), light
