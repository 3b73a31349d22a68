"""Charts of the chapter "The turn": the episode's timeline, January to October 2020, by phase.

The timeline rows are dated by the works the article cites (and one aid source); events are the
editors' paraphrases, shown in the hover and in the chart's data table.
"""
from __future__ import annotations

import textwrap

import pandas as pd
import plotly.graph_objects as go

from maskbook.book.charts import formats
from maskbook.book.charts.style import COLOURS, book_figure

#: Phases in chronological order, with the short names the chart prints.
PHASES = {
    "context": "Context (2019)",
    "outbreak_and_blame": "Outbreak and blame",
    "aid_and_solidarity": "Aid and solidarity",
    "politicisation": "Politicisation",
    "distance": "Distance",
}
#: Each phase has its own row: the dots need no colour of their own (the context row is grey).
PHASE_COLOURS = {phase: COLOURS["context" if phase == "context" else "neutral"] for phase in PHASES}
#: The article's turning point: Di Battista's article in Il Fatto Quotidiano.
TURNING_POINT = "2020-04-19"


def _as_day(date: str) -> str:
    """A plottable ISO day for a partial date (``YYYY-MM`` is placed on the 1st of the month)."""
    return date if len(date) == 10 else f"{date}-01"


def _wrap(text: str, width: int = 48) -> str:
    """Break a long hover text into lines of about ``width`` characters."""
    return "<br>".join(textwrap.wrap(text, width))


def timeline_by_phase(events: pd.DataFrame) -> go.Figure:
    """Dot chart of ``events`` (rows of ``timeline``), one row per phase; the event text is in the
    hover and data table.

    The chapter leaves out the one context row (the Belt and Road memorandum, March 2019): it lies
    ten months before the period and would squeeze the 2020 events.
    """
    tl = events.sort_values(["date", "row_id"]).reset_index(drop=True)
    include_context = "context" in set(tl["phase"])
    fig = go.Figure()
    for phase, label in PHASES.items():
        rows = tl[tl["phase"] == phase]
        if rows.empty:
            continue
        fig.add_trace(go.Scatter(
            x=[_as_day(d) for d in rows["date"]],
            y=[label] * len(rows),
            mode="markers",
            name=label,
            marker=dict(size=13, color=PHASE_COLOURS[phase], line=dict(width=1, color="#ffffff")),
            hovertext=[f"{formats.day(d)}: {e}" for d, e in zip(rows["date"], rows["event"])],
            customdata=[_wrap(f"{formats.day(d)}: {e}") for d, e in zip(rows["date"], rows["event"])],
            hovertemplate="%{customdata}<extra></extra>",
        ))
    fig.add_shape(type="line", x0=TURNING_POINT, x1=TURNING_POINT, xref="x", y0=0, y1=1, yref="paper",
                  line=dict(color=COLOURS["context"], width=1, dash="dot"))
    fig.add_annotation(x=TURNING_POINT, y=1, xref="x", yref="paper", yanchor="bottom", showarrow=False,
                       text=f"{formats.day(TURNING_POINT)[:-5]}: Di Battista", font=dict(size=12))
    fig.update_layout(
        showlegend=False,
        height=420,
        hovermode="closest",
        hoverlabel=dict(align="left"),
    )
    fig.update_xaxes(title_text="Date (2019–2020)" if include_context else "Date (2020)",
                     tickformat=formats.MONTH_TICKS if not include_context else "%b<br>%Y")
    fig.update_yaxes(title_text="Phase", categoryorder="array",
                     categoryarray=[PHASES[p] for p in reversed(PHASES) if p in set(tl["phase"])])
    spans = []
    for phase, label in PHASES.items():
        rows = tl[tl["phase"] == phase]
        if not rows.empty:
            first, last = formats.day(rows["date"].iloc[0]), formats.day(rows["date"].iloc[-1])
            spans.append(f"{label.lower()}, {len(rows)} events from {first} to {last}")
    return book_figure(
        fig,
        title="From 19 April the China story turned from aid to politics, then distance",
        tables="timeline",
        alt=(
            f"Dot chart of {len(tl)} dated events, one row per phase: " + "; ".join(spans) + ". "
            "A dotted line marks Di Battista's article of 19 April 2020, which the article treats as the turning point."
        ),
    )


def ally_by_party(allies: pd.DataFrame) -> go.Figure:
    """Bars: share calling China an ally of Italy, all Italians and by 2018 vote (``allies``: the
    "ally" answers of Redfield & Wilton's question in ``other_surveys``, overall and by party)."""
    rows = allies.copy()
    rows["group"] = rows["question"].str.extract(r"- 2018 (.+) voters$", expand=False).fillna("All respondents")
    rows["group"] = [g if g == "All respondents" else f"{g.replace('Five Star Movement', 'M5S')} voters (2018)"
                     for g in rows["group"]]
    rows = rows.sort_values("percent", ascending=True).reset_index(drop=True)
    # Italians as a whole in Italy's colour; the party groups, compared with them, in the neutral one.
    colours = [COLOURS["italy"] if g == "All respondents" else COLOURS["neutral"] for g in rows["group"]]
    fig = go.Figure(go.Bar(
        x=rows["percent"].astype(float).tolist(), y=rows["group"].tolist(), orientation="h",
        marker_color=colours, name="China an ally",
        text=[formats.percent(v) for v in rows["percent"]], textposition="outside",
        hovertext=[f"{g}: {v:.0f}% call China an ally (fieldwork late June 2020)"
                   for g, v in zip(rows["group"], rows["percent"])],
        hoverinfo="text",
    ))
    fig.update_layout(showlegend=False, height=330)
    fig.update_xaxes(title_text="Call China an ally of Italy (% of respondents)", range=[0, 50])
    fig.update_yaxes(title_text=None)
    vals = dict(zip(rows["group"], rows["percent"]))
    parties = rows[rows["group"] != "All respondents"]
    n_parties = len(parties)
    if not parties.iloc[0]["group"].startswith("Lega"):
        raise ValueError("other_surveys: the title says Lega voters were the least likely to call China an ally")
    return book_figure(
        fig,
        title=(f"By late June, Lega voters were the least likely of the {formats.words(n_parties)} party groups in the data "
               "to call China an ally"),
        tables=[("other_surveys", rows)],
        alt=("Horizontal bars from one Redfield & Wilton poll of Italians, late June 2020, question 'China: ally or "
             "threat to Italy?': " + "; ".join(f"{g} {v:.0f}% ally" for g, v in vals.items()) + "."),
    )
