"""Charts of the landing page: a compact overview of the 2020 timeline (the fuller one is in "The turn")."""
from __future__ import annotations

import textwrap

import plotly.graph_objects as go

from maskbook import data
from maskbook.charts.style import PALETTE, show

#: Phases of the ``timeline`` table in order, with short legend names and colours.
PHASES = {
    "outbreak_and_blame": ("Outbreak and blame", PALETTE[0]),
    "aid_and_solidarity": ("Aid and solidarity", PALETTE[2]),
    "politicisation": ("Politicisation", PALETTE[1]),
    "distance": ("Distance", PALETTE[3]),
}
#: Events labelled on the chart (row_id: short label).
LABELLED = {"TL06": "Red Cross flight", "TL15": "Di Battista article", "TL25": "Pew report"}


def timeline_overview() -> None:
    """One-line dot chart of the 2020 events of ``timeline``, coloured by phase; three key events labelled."""
    tl = data.load_table("timeline")
    tl = tl[(tl["phase"] != "context") & (tl["date_precision"] == "day")].sort_values(["date", "row_id"])
    fig = go.Figure()
    for phase, (label, colour) in PHASES.items():
        rows = tl[tl["phase"] == phase]
        fig.add_trace(go.Scatter(
            x=rows["date"], y=[0] * len(rows), mode="markers", name=label,
            marker=dict(size=14, color=colour, opacity=0.9, line=dict(width=1, color="#ffffff")),
            hovertext=[f"{d}: {e}" for d, e in zip(rows["date"], rows["event"])],
            customdata=["<br>".join(textwrap.wrap(f"{d}: {e}", 48)) for d, e in zip(rows["date"], rows["event"])],
            hovertemplate="%{customdata}<extra></extra>",
        ))
    for i, (row_id, text) in enumerate(LABELLED.items()):
        date = tl.loc[tl["row_id"] == row_id, "date"].iloc[0]
        fig.add_annotation(x=date, y=0, text=text, showarrow=True, arrowhead=0, ax=0,
                           ay=-38 if i % 2 == 0 else 38, font=dict(size=12, color="#333333"))
    fig.update_layout(
        height=270, hoverlabel=dict(align="left"), legend=dict(y=-0.35),
        xaxis=dict(type="date", title="", tickformat="%b", dtick="M1"),
        yaxis=dict(visible=False, range=[-1, 1]),
        margin=dict(t=60, b=110),
    )
    first, last = tl["date"].iloc[0], tl["date"].iloc[-1]
    counts = tl.groupby("phase").size()
    show(
        fig,
        title="From blame to aid, then politics and distance: the episode in 2020",
        tables="timeline",
        alt=(f"{len(tl)} dated events from {first} to {last} on one line, coloured by phase: "
             + ", ".join(f"{PHASES[p][0].lower()} {int(counts.get(p, 0))}" for p in PHASES)
             + ". Labelled: the Red Cross flight (12 March), Di Battista's article (19 April) and the Pew report (6 October)."),
    )
