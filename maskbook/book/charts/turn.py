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
from maskbook.language import N_, _

#: Phases in chronological order, with the short names the chart prints.
PHASES = {
    "context": N_("Context (2019)"),
    "outbreak_and_blame": N_("Outbreak and blame"),
    "aid_and_solidarity": N_("Aid and solidarity"),
    "politicisation": N_("Politicisation"),
    "distance": N_("Distance"),
}
#: Each phase has its own row: the dots need no colour of their own (the context row is grey).
PHASE_COLOURS = {phase: COLOURS["context" if phase == "context" else "neutral"] for phase in PHASES}
#: The article's turning point: Di Battista's article in Il Fatto Quotidiano.
TURNING_POINT = "2020-04-19"
#: The voters' groups of Redfield & Wilton's poll as the chart names them.
ALL_RESPONDENTS = N_("All respondents")
PARTY_NAMES = {"Five Star Movement": "M5S"}


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
        rows, label = tl[tl["phase"] == phase], _(label)
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
                       text=f"{formats.day_month(TURNING_POINT)}: Di Battista", font=dict(size=12))
    fig.update_layout(
        showlegend=False,
        height=420,
        hovermode="closest",
        hoverlabel=dict(align="left"),
    )
    fig.update_xaxes(title_text=_("Date (2019–2020)") if include_context else _("Date (2020)"),
                     tickformat=formats.MONTH_TICKS if not include_context else "%b<br>%Y")
    fig.update_yaxes(title_text=_("Phase"), categoryorder="array",
                     categoryarray=[_(PHASES[p]) for p in reversed(PHASES) if p in set(tl["phase"])])
    spans = []
    for phase, label in PHASES.items():
        rows = tl[tl["phase"] == phase]
        if not rows.empty:
            first, last = formats.day(rows["date"].iloc[0]), formats.day(rows["date"].iloc[-1])
            spans.append(_("{phase}, {n} events from {first} to {last}").format(
                phase=_(label).lower(), n=len(rows), first=first, last=last))
    return book_figure(
        fig,
        title=_("From 19 April the China story turned from aid to politics, then distance"),
        tables="timeline",
        alt=_(
            "Dot chart of {n} dated events, one row per phase: {phases}. A dotted line marks Di Battista's "
            "article of 19 April 2020, which the article treats as the turning point."
        ).format(n=len(tl), phases="; ".join(spans)),
    )


def ally_by_party(allies: pd.DataFrame) -> go.Figure:
    """Bars: share calling China an ally of Italy, all Italians and by 2018 vote (``allies``: the
    "ally" answers of Redfield & Wilton's question in ``other_surveys``, overall and by party)."""
    rows = allies.copy()
    rows["party"] = rows["question"].str.extract(r"- 2018 (.+) voters$", expand=False)
    rows["group"] = [_(ALL_RESPONDENTS) if pd.isna(p) else _("{party} voters (2018)").format(party=PARTY_NAMES.get(p, p))
                     for p in rows["party"]]
    rows = rows.sort_values("percent", ascending=True).reset_index(drop=True)
    # Italians as a whole in Italy's colour; the party groups, compared with them, in the neutral one.
    colours = [COLOURS["italy"] if pd.isna(p) else COLOURS["neutral"] for p in rows["party"]]
    fig = go.Figure(go.Bar(
        x=rows["percent"].astype(float).tolist(), y=rows["group"].tolist(), orientation="h",
        marker_color=colours, name=_("China an ally"),
        text=[formats.percent(v) for v in rows["percent"]], textposition="outside",
        hovertext=[_("{group}: {share} call China an ally (fieldwork late June 2020)").format(
                       group=g, share=formats.percent(v))
                   for g, v in zip(rows["group"], rows["percent"])],
        hoverinfo="text",
    ))
    fig.update_layout(showlegend=False, height=330)
    fig.update_xaxes(title_text=_("Call China an ally of Italy (% of respondents)"), range=[0, 50])
    fig.update_yaxes(title_text=None)
    vals = dict(zip(rows["group"], rows["percent"]))
    parties = rows[rows["party"].notna()]
    n_parties = len(parties)
    if parties.iloc[0]["party"] != "Lega":
        raise ValueError("other_surveys: the title says Lega voters were the least likely to call China an ally")
    return book_figure(
        fig,
        title=_("By late June, Lega voters were the least likely of the {n} party groups in the data "
                "to call China an ally").format(n=formats.words(n_parties)),
        tables=[("other_surveys", rows)],
        alt=_("Horizontal bars from one Redfield & Wilton poll of Italians, late June 2020, question 'China: ally or "
              "threat to Italy?': {groups}.").format(
            groups="; ".join(_("{group} {share} ally").format(group=g, share=formats.percent(v)) for g, v in vals.items())),
    )
