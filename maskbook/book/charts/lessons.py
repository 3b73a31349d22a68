"""Charts of the chapter "Lessons": the surveys of Italian opinion taken after the turn, June-December 2020.

Each survey asked its own question of its own sample, so each gets its own panel, labelled with
pollster, month and question; nothing is joined into one series.
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from maskbook.book.charts import formats
from maskbook.book.charts.style import COLOURS, MUTED, book_figure, panels
from maskbook.language import _


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
        dict(title=_("Pew, Jun–Aug 2020: opinion of China"), bars=[
            (_("Italy, unfavourable"), pew_it, COLOURS["unfavourable"],
             _("Italy, unfavourable (very + somewhat); phone; second-hand")),
            (_("Italy, favourable"), pew_it_fav, COLOURS["favourable"],
             _("Italy, favourable (very + somewhat); phone; second-hand")),
            (_("Median of 14, unfavourable"), pew_median, MUTED,
             _("Median of the 14 countries, unfavourable; second-hand")),
        ]),
        dict(title=_("SWG, Jun 2020 (low conf.): friend of Italy?"), bars=[
            (formats.name(a), float(v), COLOURS["china"] if a == "China" else MUTED,
             _("{answer} named as a friend; reported only in 2022; confidence {confidence}").format(
                 answer=formats.name(a), confidence=formats.name(c)))
            for a, v, c in zip(swg_june["answer"], swg_june["percent"], swg_june["confidence"])
        ]),
        dict(title=_("Redfield & Wilton, Jun 2020: ally or threat?"), bars=[
            (formats.name(a), pct(rw, answer=a), col, _("China: {answer}; pollster's own page").format(answer=formats.name(a)))
            for a, col in [("ally", COLOURS["favourable"]), ("threat", COLOURS["unfavourable"]),
                           ("neither ally nor threat", MUTED)]
        ]),
        dict(title=_("ISPI-Ipsos, Dec 2020: China an ally?"), bars=[
            (formats.name("ally"), pct(ispi, question="Do you consider China an ally of Italy? (paraphrase)"),
             COLOURS["favourable"], _("China seen as an ally; second-hand (press report of the survey)")),
        ]),
        dict(title=_("ISPI-Ipsos, Dec 2020: main threat to Italy?"), bars=[
            (formats.name("China"), pct(ispi, question="Which country is the main threat to Italy? (paraphrase)"),
             COLOURS["china"], _("China named as the main threat; second-hand; wording to be checked")),
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
            text=[f"{lab}: {formats.percent(v)}" for lab, v in zip(labels, values)],
            textposition=["inside" if v >= 55 else "outside" for v in values],
            insidetextanchor="start", cliponaxis=False,
            hovertext=[f"{p['title']} → {b[0]}: {formats.percent(b[1])} ({b[3]})" for b in p["bars"]],
            hoverinfo="text",
        ), row=i, col=1)
        fig.update_yaxes(autorange="reversed", showticklabels=False, row=i, col=1)
    fig.update_xaxes(range=[0, 125], tickvals=[0, 25, 50, 75, 100])
    fig.update_xaxes(showticklabels=True, row=len(surveys), col=1, title_text=_("Share of respondents (%)"))
    fig.update_layout(showlegend=False, height=150 + 38 * sum(heights), bargap=0.3)
    pew, swg, rw, ally, threat = surveys
    return book_figure(
        fig,
        title=_("Later in 2020 Italians stayed less hostile to China than most, but only a minority saw an ally"),
        # Each table's credit names the sources of the rows plotted (SWG's June figures come from
        # one 2022 article, not from the spring reports of the table's other rows).
        tables=list(plotted.items()),
        alt=_(
            "Five separate panels, one per survey question. Pew, June–August 2020: {pew_unfavourable} of "
            "Italians unfavourable to China, {pew_favourable} favourable, 14-country median "
            "{pew_median} unfavourable. SWG, June 2020 (low confidence): China named as a friend by "
            "{swg}. Redfield & Wilton, late June: China an ally {rw_ally}, "
            "a threat {rw_threat}, neither {rw_neither}. ISPI-Ipsos, December: China an "
            "ally {ispi_ally}, the main threat to Italy {ispi_threat}."
        ).format(pew_unfavourable=formats.percent(pew["bars"][0][1]), pew_favourable=formats.percent(pew["bars"][1][1]),
                 pew_median=formats.percent(pew["bars"][2][1]), swg=formats.percent(swg["bars"][0][1]),
                 rw_ally=formats.percent(rw["bars"][0][1]), rw_threat=formats.percent(rw["bars"][1][1]),
                 rw_neither=formats.percent(rw["bars"][2][1]), ispi_ally=formats.percent(ally["bars"][0][1]),
                 ispi_threat=formats.percent(threat["bars"][0][1])),
    )
