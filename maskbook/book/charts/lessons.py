"""Charts of the chapter "Lessons": the surveys of Italian opinion taken after the turn, June-December 2020.

Each survey asked its own question of its own sample, so each gets its own panel, labelled with
pollster, month and question; nothing is joined into one series.
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from maskbook.book.charts.style import COLOURS, MUTED, book_figure, panels


def _panels(pew: pd.DataFrame, swg: pd.DataFrame, oth: pd.DataFrame) -> tuple[list[dict], dict[str, pd.DataFrame]]:
    """The later-2020 survey items, one dict per panel: title, bars (label, percent, colour, hover);
    and, by table, the rows they plot (the chart credits their sources)."""
    picked = []

    def pct(df, **eq) -> float:
        sel = df
        for col, val in eq.items():
            sel = sel[sel[col] == val]
        if len(sel) != 1:
            raise ValueError(f"expected one row for {eq}, found {len(sel)}")
        picked.append(sel)
        return float(sel["percent"].iloc[0])

    unfav = "unfavorable (very + somewhat)"
    pew_share = pew[pew["value_type"] == "share_pct"]
    pew_it = pct(pew_share, country="Italy", answer=unfav)
    pew_it_fav = pct(pew_share, country="Italy", answer="favorable (very + somewhat)")
    pew_median = pct(pew_share, country="14-country median", answer=unfav)

    swg_june = swg[swg["survey"].str.contains("June 2020", regex=False)].sort_values(
        ["percent", "answer"], ascending=[False, True])

    rw_q = "Do you consider China an ally or a threat to Italy? (paraphrase)"
    rw = oth[(oth["pollster"] == "Redfield & Wilton Strategies") & (oth["question"] == rw_q)]
    ispi = oth[oth["survey"].str.contains("ISPI survey 2020", regex=False)]

    surveys = [
        dict(title="Pew, Jun–Aug 2020: opinion of China", bars=[
            ("Italy, unfavourable", pew_it, COLOURS["unfavourable"], "Italy, unfavourable (very + somewhat); phone; second-hand"),
            ("Italy, favourable", pew_it_fav, COLOURS["favourable"], "Italy, favourable (very + somewhat); phone; second-hand"),
            ("Median of 14, unfavourable", pew_median, MUTED, "Median of the 14 countries, unfavourable; second-hand"),
        ]),
        dict(title="SWG, Jun 2020 (low conf.): friend of Italy?", bars=[
            (a, float(v), COLOURS["china"] if a == "China" else MUTED,
             f"{a} named as a friend; reported only in 2022; confidence {c}")
            for a, v, c in zip(swg_june["answer"], swg_june["percent"], swg_june["confidence"])
        ]),
        dict(title="Redfield & Wilton, Jun 2020: ally or threat?", bars=[
            (a, pct(rw, answer=a), col, f"China: {a}; pollster's own page")
            for a, col in [("ally", COLOURS["favourable"]), ("threat", COLOURS["unfavourable"]),
                           ("neither ally nor threat", MUTED)]
        ]),
        dict(title="ISPI-Ipsos, Dec 2020: China an ally?", bars=[
            ("ally", pct(ispi, question="Do you consider China an ally of Italy? (paraphrase)"), COLOURS["favourable"],
             "China seen as an ally; second-hand (press report of the survey)"),
        ]),
        dict(title="ISPI-Ipsos, Dec 2020: main threat to Italy?", bars=[
            ("China", pct(ispi, question="Which country is the main threat to Italy? (paraphrase)"), COLOURS["china"],
             "China named as the main threat; second-hand; wording to be checked"),
        ]),
    ]
    plotted = pd.concat(picked + [swg_june])
    return surveys, {name: plotted[plotted["row_id"].isin(table["row_id"])]
                     for name, table in [("pew_unfavorable", pew), ("swg_friends_enemies", swg), ("other_surveys", oth)]}


def later_surveys(pew: pd.DataFrame, swg: pd.DataFrame, oth: pd.DataFrame) -> go.Figure:
    """Five panels, one per survey question asked of Italians between June and December 2020, from
    the tables ``pew_unfavorable``, ``swg_friends_enemies`` and ``other_surveys``."""
    surveys, plotted = _panels(pew, swg, oth)
    heights = [len(p["bars"]) + 1.2 for p in surveys]
    fig = panels([p["title"] for p in surveys], shared_xaxes=True, row_heights=heights)
    for i, p in enumerate(surveys, start=1):
        labels = [b[0] for b in p["bars"]]
        values = [b[1] for b in p["bars"]]
        fig.add_trace(go.Bar(
            x=values, y=labels, orientation="h", name=p["title"],
            marker_color=[b[2] for b in p["bars"]],
            text=[f"{lab}: {v:.0f}%" for lab, v in zip(labels, values)],
            textposition=["inside" if v >= 55 else "outside" for v in values],
            insidetextanchor="start", cliponaxis=False,
            hovertext=[f"{p['title']} → {b[0]}: {b[1]:.0f}% ({b[3]})" for b in p["bars"]],
            hoverinfo="text",
        ), row=i, col=1)
        fig.update_yaxes(autorange="reversed", showticklabels=False, row=i, col=1)
    fig.update_xaxes(range=[0, 125], tickvals=[0, 25, 50, 75, 100])
    fig.update_xaxes(showticklabels=True, row=len(surveys), col=1, title_text="Share of respondents (%)")
    fig.update_layout(showlegend=False, height=150 + 38 * sum(heights), bargap=0.3)
    pew, swg, rw, ally, threat = surveys
    return book_figure(
        fig,
        title="Later in 2020 Italians stayed less hostile to China than most, but only a minority saw an ally",
        # Each table's credit names the sources of the rows plotted (SWG's June figures come from
        # one 2022 article, not from the spring reports of the table's other rows).
        tables=list(plotted.items()),
        alt=(
            f"Five separate panels, one per survey question. Pew, June–August 2020: {pew['bars'][0][1]:.0f}% of "
            f"Italians unfavourable to China, {pew['bars'][1][1]:.0f}% favourable, 14-country median "
            f"{pew['bars'][2][1]:.0f}% unfavourable. SWG, June 2020 (low confidence): China named as a friend by "
            f"{swg['bars'][0][1]:.0f}%. Redfield & Wilton, late June: China an ally {rw['bars'][0][1]:.0f}%, "
            f"a threat {rw['bars'][1][1]:.0f}%, neither {rw['bars'][2][1]:.0f}%. ISPI-Ipsos, December: China an "
            f"ally {ally['bars'][0][1]:.0f}%, the main threat to Italy {threat['bars'][0][1]:.0f}%."
        ),
    )
