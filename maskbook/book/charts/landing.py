"""Charts of the landing page: a compact overview of the 2020 timeline (the fuller one is in "The turn")."""
from __future__ import annotations

import textwrap
from datetime import date, timedelta

import pandas as pd
import plotly.graph_objects as go

from maskbook.book.charts import formats
from maskbook.book.charts.style import COLOURS, book_figure
from maskbook.language import N_, _

#: Phases of the ``timeline`` table in order, with the short names printed over their span (the
#: phases follow one another: each is a band from its first to its last event).
PHASES = {
    "outbreak_and_blame": N_("Outbreak"),
    "aid_and_solidarity": N_("Aid"),
    "politicisation": N_("Politics"),
    "distance": N_("Distance"),
}
#: Events labelled on the chart (row_id: short label, side of its arrow the label sits on, tier).
LABELLED = {"TL06": (N_("Red Cross flight"), "left", 1), "TL15": (N_("Di Battista article"), "right", 2),
            "TL25": (N_("Pew report"), "left", 1)}
#: Height (px) of one row of phase names.
NAME_ROW_PX = 16
#: Fill of the phases' bands (grey, faint on the light and on the dark page).
BAND = "rgba(140,140,140,0.16)"
#: Height (px) of one level of dots, and of one tier of labels under the line.
LEVEL_PX, TIER_PX = 18, 18
#: Dots closer than this many days are stacked, so that none hides another.
STACK_DAYS = 10


def stack_levels(days: list[str], first: set[int] = frozenset()) -> list[int]:
    """A level (0, 1, 2, ...) for each of the ISO ``days`` such that dots on one level are at least
    ``STACK_DAYS`` apart; the indices in ``first`` are placed first (on the lowest free level)."""
    when = [date.fromisoformat(d) for d in days]
    last: list[list[date]] = []
    levels = [0] * len(days)
    for i in sorted(range(len(days)), key=lambda i: (i not in first, when[i])):
        level = next((k for k, seen in enumerate(last)
                      if all(abs((when[i] - d).days) >= STACK_DAYS for d in seen)), len(last))
        if level == len(last):
            last.append([])
        last[level].append(when[i])
        levels[i] = level
    return levels


def timeline_overview(events: pd.DataFrame) -> go.Figure:
    """Dot chart of ``events`` (rows of ``timeline``) along one line, over a band per phase; dots of
    nearby days are stacked; the key events labelled."""
    tl = events.sort_values(["date", "row_id"])
    tl = tl.reset_index(drop=True)
    labelled = set(tl.index[tl["row_id"].isin(LABELLED)])
    tl["level"] = stack_levels(tl["date"].tolist(), first=labelled)
    fig = go.Figure(go.Scatter(
        x=tl["date"], y=tl["level"], mode="markers", name=_("Event"), showlegend=False,
        marker=dict(size=13, color=COLOURS["neutral"], line=dict(width=1, color="#ffffff")),
        hovertext=[f"{formats.day(d)}: {e}" for d, e in zip(tl["date"], tl["event"])],
        customdata=["<br>".join(textwrap.wrap(f"{formats.day(d)}: {e}", 48)) for d, e in zip(tl["date"], tl["event"])],
        hovertemplate="%{customdata}<extra></extra>",
    ))
    # Each phase spans its events (phases meet halfway between the last event of one and the first
    # of the next); every other one is shaded, and each is named at its top left (names in two
    # rows, so that short neighbouring phases never meet).
    spans = [(date.fromisoformat(d.min()), date.fromisoformat(d.max()))
             for d in (tl.loc[tl["phase"] == phase, "date"] for phase in PHASES)]
    edges = [spans[0][0] - timedelta(days=4)]
    edges += [a[1] + (b[0] - a[1]) / 2 for a, b in zip(spans, spans[1:])] + [spans[-1][1] + timedelta(days=4)]
    for i, name in enumerate(PHASES.values()):
        if i % 2 == 0:
            fig.add_vrect(x0=edges[i].isoformat(), x1=edges[i + 1].isoformat(), fillcolor=BAND, line_width=0,
                          layer="below")
        fig.add_annotation(x=edges[i].isoformat(), y=1, xref="x", yref="paper", showarrow=False, xanchor="left",
                           yanchor="bottom", text=_(name), yshift=NAME_ROW_PX * (i % 2), font=dict(size=12))
    # An empty two-line text over the plot: the book's layout makes room above it for both rows.
    fig.add_annotation(x=0, y=1, xref="paper", yref="paper", showarrow=False, yanchor="bottom", text=" <br> ",
                       font=dict(size=12))
    # Labels hang under the line (their events are on the lowest level), beside their arrow, in
    # two tiers so that neighbours never meet.
    for row_id, (text, side, tier) in LABELLED.items():
        day = tl.loc[tl["row_id"] == row_id, "date"].iloc[0]
        fig.add_annotation(x=day, y=0, text=_(text), showarrow=True, arrowhead=0, ax=0, ay=12 + tier * TIER_PX,
                           xanchor="left" if side == "right" else "right", yanchor="top", font=dict(size=12))
    # The y axis counts levels of dots; below the line it leaves room for the labels.
    top = int(tl["level"].max()) + 0.8
    bottom = (12 + 2 * TIER_PX + 16 + 16) / LEVEL_PX
    # The height is the plotting area's (no margins): the book's layout adds what the texts need.
    fig.update_layout(
        height=LEVEL_PX * (top + bottom), margin=dict(t=0, b=0), hoverlabel=dict(align="left"),
        xaxis=dict(type="date", title="", tickformat=formats.MONTH_TICKS, dtick="M1"),
        yaxis=dict(visible=False, range=[-bottom, top], fixedrange=True),
    )
    first, last = tl["date"].iloc[0], tl["date"].iloc[-1]
    counts = tl.groupby("phase").size()
    return book_figure(
        fig,
        title=_("From blame to aid, then politics and distance: the episode in 2020"),
        tables="timeline",
        alt=_("{n} dated events from {first} to {last} on one line, in four phases: {phases}. Labelled: the Red Cross "
              "flight (12 March), Di Battista's article (19 April) and the Pew report (6 October).").format(
            n=len(tl), first=formats.day(first), last=formats.day(last),
            phases=", ".join(f"{_(PHASES[p]).lower()} {int(counts.get(p, 0))}" for p in PHASES)),
    )
