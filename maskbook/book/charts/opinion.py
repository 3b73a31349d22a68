"""Charts for the chapter "Public opinion": Pew's 2020 cross-country figures with Italy highlighted,
and the Italian polls of spring 2020, one panel per pollster's question (never merged into one series).
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from maskbook.book.charts import formats
from maskbook.book.charts.style import COLOURS, MUTED, book_figure, panels
from maskbook.language import N_, _


def _pew_by_country(unf: pd.DataFrame, han: pd.DataFrame) -> pd.DataFrame:
    """14 countries: % unfavourable view of China and % saying China did a bad job with the outbreak."""
    unf = unf[(unf["answer"] == "unfavorable (very + somewhat)") & ~unf["country"].str.contains("median")]
    han = han[han["question"].str.contains("CHINA") & han["answer"].str.startswith("bad job")
              & ~han["country"].str.contains("median")]
    both = unf[["country", "percent"]].rename(columns={"percent": "unfavourable"}).merge(
        han[["country", "percent"]].rename(columns={"percent": "bad_job"}), on="country", how="inner")
    return both.sort_values(["unfavourable", "bad_job", "country"]).reset_index(drop=True)


def _median(df: pd.DataFrame, pick) -> float:
    return float(df[pick(df)]["percent"].iloc[0])


def pew_unfavourable_vs_handling(unf: pd.DataFrame, han: pd.DataFrame) -> go.Figure:
    """Paired bars, 14 countries: unfavourable view of China and 'China did a bad job', Italy
    highlighted (``unf``, ``han``: the tables ``pew_unfavorable`` and ``pew_covid_handling``)."""
    both = _pew_by_country(unf, han)
    colours = [COLOURS["italy"] if c == "Italy" else MUTED for c in both["country"]]
    med_unf = _median(unf, lambda d: (d["country"] == "14-country median")
                      & (d["answer"] == "unfavorable (very + somewhat)"))
    med_bad = _median(han, lambda d: (d["country"] == "14-country median")
                      & d["question"].str.contains("CHINA") & d["answer"].str.startswith("bad job"))
    fig = panels([_("Unfavourable view of China (median: {median})").format(median=formats.percent(med_unf)),
                  _("China did a bad job with the outbreak (median: {median})").format(median=formats.percent(med_bad))],
                 cols=2, shared_yaxes=True, horizontal_spacing=0.06)
    for col, field, med in [(1, "unfavourable", med_unf), (2, "bad_job", med_bad)]:
        fig.add_bar(
            y=both["country"].map(formats.name), x=both[field], orientation="h", marker_color=colours, showlegend=False,
            text=[formats.number(v) for v in both[field]], textposition="inside", insidetextanchor="end",
            textfont=dict(color="white", size=12),
            hovertemplate="%{y}: %{x:.0f}%<extra></extra>", row=1, col=col,
        )
        # The median line runs behind the bars: it shows between them and never crosses a label.
        fig.add_vline(x=med, line_dash="dash", line_width=1, layer="below", row=1, col=col)
        fig.update_xaxes(range=[0, 100], dtick=50, title_text=_("% of adults"), row=1, col=col)
    fig.update_layout(height=540, bargap=0.35)
    it = both.set_index("country").loc["Italy"]
    return book_figure(
        fig,
        title=_("Italy had the lowest shares of the 14 countries on both of Pew's measures"),
        tables=["pew_unfavorable", "pew_covid_handling"],
        alt=_(
            "Paired bars for 14 countries, Pew summer 2020. Italy (highlighted): {unfavourable} "
            "unfavourable towards China and {bad_job} saying China handled the outbreak badly, the lowest "
            "on both; medians {median_unfavourable} and {median_bad_job}. Figures are second-hand (press reports and a "
            "Datawrapper chart), and Italy's margin over Spain is one point."
        ).format(unfavourable=formats.percent(it["unfavourable"]), bad_job=formats.percent(it["bad_job"]),
                 median_unfavourable=formats.percent(med_unf), median_bad_job=formats.percent(med_bad)),
    )


def _row(df, row_id):
    return float(df.set_index("row_id").loc[row_id, "percent"])


def italian_polls_spring2020(swg: pd.DataFrame, pie: pd.DataFrame, ecfr: pd.DataFrame) -> go.Figure:
    """Four panels, one per pollster's question: SWG friends, SWG alliances, Piepoli, ECFR (Italy,
    spring 2020), from the tables ``swg_friends_enemies``, ``piepoli_barometer`` and ``ecfr_worldview``."""
    titles = [
        _("SWG: friends of Italy, before the crisis (pale) and in March"),
        _("SWG, early April: for allies outside Europe, China or the US?"),
        _("Piepoli, early April: which country is helping Italy most?"),
        _("ECFR, late April–May: China as Italy's best ally in the crisis"),
    ]
    fig = panels(titles, row_heights=[3, 3, 4, 1.3])
    # Colour means the same in every panel: China in China's colour, every other country or answer in grey.
    def colours(labels):
        return [COLOURS["china"] if lab == "China" else MUTED for lab in labels]

    # 1. SWG friends: before the crisis (pale) and March 2020 (the US has no stated baseline share);
    #    each bar's label says which it is.
    friends = [("United States", None, _row(swg, "SW05")),
               ("Russia", _row(swg, "SW04"), _row(swg, "SW03")),
               ("China", _row(swg, "SW02"), _row(swg, "SW01"))]
    before = [f for f in friends if f[1] is not None]
    fig.add_bar(y=[formats.name(f[0]) for f in before], x=[f[1] for f in before], orientation="h",
                name=_("Before the crisis (month disputed)"),
                marker=dict(color=colours(f[0] for f in before), opacity=0.45),
                text=[_("{share} before").format(share=formats.percent(f[1])) for f in before],
                textposition="outside", cliponaxis=False,
                hovertemplate=_("%{y}, before the crisis: %{x:.0f}%") + "<extra></extra>", row=1, col=1)
    fig.add_bar(y=[formats.name(f[0]) for f in friends], x=[f[2] for f in friends], orientation="h",
                name=_("March 2020"), marker_color=colours(f[0] for f in friends),
                text=[_("{share} March").format(share=formats.percent(f[2])) for f in friends],
                textposition="outside", cliponaxis=False,
                hovertemplate=_("%{y}, March 2020: %{x:.0f}%") + "<extra></extra>", row=1, col=1)
    # 2. SWG alliances outside Europe.
    ally = [("No answer / neither", _row(swg, "SW13")), ("United States", _row(swg, "SW12")),
            ("China", _row(swg, "SW11"))]
    # 3. Piepoli, country helping most.
    helping = pie[pie["question"].str.startswith("Which country")].sort_values("percent")
    # 4. ECFR, China best ally (only Italy's China share was found).
    ecfr_china = _row(ecfr, "EC01")
    singles = [
        (2, [a[0] for a in ally], [a[1] for a in ally]),
        (3, helping["answer"].tolist(), helping["percent"].tolist()),
        (4, ["China"], [ecfr_china]),
    ]
    for row, labels, values in singles:
        fig.add_bar(y=[formats.name(lab) for lab in labels], x=values, orientation="h", marker_color=colours(labels),
                    text=[formats.percent(v) for v in values], textposition="outside", cliponaxis=False,
                    hovertemplate="%{y}: %{x:.0f}%<extra></extra>", row=row, col=1)
    for row in range(1, 5):
        fig.update_xaxes(range=[0, 70], ticksuffix="%", row=row, col=1)
    fig.update_xaxes(title_text=_("% of Italian respondents"), row=4, col=1)
    fig.update_layout(height=820, barmode="group", showlegend=False)
    return book_figure(
        fig,
        title=_("Spring 2020: China outscored the US in three Italian poll questions; the fourth reports only "
                "China's share"),
        tables=["swg_friends_enemies", "piepoli_barometer", "ecfr_worldview"],
        alt=_(
            "Four panels, one per question, not comparable with each other. SWG: China seen as a friend by "
            "{march} in March against about {before} before the crisis; "
            "China {china_ally} vs US {us_ally} as future ally. Piepoli: {helping} as the country helping most. "
            "ECFR: {ecfr} named China Italy's best ally. All figures second-hand, wording paraphrased."
        ).format(
            march=formats.percent(_row(swg, "SW01")), before=formats.percent(_row(swg, "SW02")),
            china_ally=formats.percent(_row(swg, "SW11")), us_ally=formats.percent(_row(swg, "SW12")),
            helping=", ".join(f"{formats.name(r.answer)} {formats.percent(r.percent)}"
                              for r in helping.sort_values("percent", ascending=False).itertuples()),
            ecfr=formats.percent(ecfr_china)),
    )


def iai_laps_items(os_: pd.DataFrame) -> go.Figure:
    """IAI-LAPS items on China, April-May 2020, from ``other_surveys``: gratitude and suspicion side
    by side (one panel per survey)."""
    apr = os_[os_["row_id"].isin(["OS01", "OS03"])].copy()
    apr["label"] = apr["row_id"].map({"OS01": _("China's political influence is excessive"),
                                      "OS03": _("China's economic influence is excessive")})
    may_labels = {
        "OS08": N_("Grateful for China's medical staff and supplies"),
        "OS06": N_("China should admit responsibility for the spread"),
        "OS07": N_("China's handling is a model Italy should consider"),
        "OS10": N_("Lab origin for political reasons is plausible"),
        "OS09": N_("The aid was a move to gain influence in Italy"),
    }
    may = os_[os_["row_id"].isin(may_labels)].copy()
    may["label"] = may["row_id"].map(lambda row_id: _(may_labels[row_id]))
    apr, may = apr.sort_values(["percent", "row_id"]), may.sort_values(["percent", "row_id"])
    fig = panels([
        _("IAI-LAPS, 24–28 April (split samples): share who say…"),
        _("IAI-LAPS, report of 15 May: share who agree that…"),
    ], row_heights=[2, 5])
    # Two colours, the same in both panels: approval of China's aid and handling; suspicion of China.
    kinds = [(_("Approval of China's aid or handling"), COLOURS["favourable"], {"OS08", "OS07"}),
             (_("Suspicion of China"), COLOURS["unfavourable"], None)]
    for row, df in [(1, apr), (2, may)]:
        for name, colour, ids in kinds:
            part = df[df["row_id"].isin(ids)] if ids else df[~df["row_id"].isin(kinds[0][2])]
            if part.empty:
                continue
            fig.add_bar(y=part["label"], x=part["percent"], orientation="h", marker_color=colour, name=name,
                        legendgroup=name, showlegend=row == 2,
                        text=[formats.percent(v) for v in part["percent"]], textposition="outside", cliponaxis=False,
                        hovertemplate="%{y}: %{x:.0f}%<extra></extra>", row=row, col=1)
        fig.update_yaxes(categoryorder="array", categoryarray=df["label"].tolist(), row=row, col=1)
        fig.update_xaxes(range=[0, 100], ticksuffix="%", row=row, col=1)
    fig.update_xaxes(title_text=_("% of Italian respondents"), row=2, col=1)
    fig.update_layout(height=560, barmode="overlay")
    g = pd.concat([apr, may]).set_index("row_id")["percent"].map(formats.percent)
    return book_figure(
        fig,
        title=_("Italians were grateful for China's aid and suspicious of it at the same time"),
        tables=[("other_surveys", os_[os_["row_id"].isin(set(apr["row_id"]) | set(may["row_id"]))])],
        alt=_(
            "Two panels from IAI-LAPS surveys. Late April: {political} call China's political influence in Italy "
            "excessive and {economic} its economic influence. May report: {grateful} grateful for China's aid, "
            "{model} see its handling as a model, yet {responsibility} say China should admit responsibility, "
            "{lab} find a lab origin plausible and {influence} see the aid as an influence operation."
        ).format(political=g["OS01"], economic=g["OS03"], grateful=g["OS08"], model=g["OS07"],
                 responsibility=g["OS06"], lab=g["OS10"], influence=g["OS09"]),
    )


#: Room (in rows) above a chart's top row of markers for the values printed over them, clear of the mode bar.
HEADROOM = 0.4


def _one(df: pd.DataFrame, field: str, **match) -> float:
    """The ``field`` of the one row of ``df`` whose columns equal ``match`` (a clear error otherwise)."""
    rows = df
    for column, value in match.items():
        rows = rows[rows[column] == value]
    if len(rows) != 1:
        raise ValueError(f"expected one row with {match}, found {len(rows)}")
    return float(rows[field].iloc[0])


def pew_italy_2020(trend: pd.DataFrame) -> go.Figure:
    """Italy's view of China in Pew's 2020 survey, as markers (``trend``: the table
    ``pew_italy_trend``): the unfavourable and favourable shares and the reported change on 2019,
    whose level is not in the data, so no year is joined to another."""
    unf = _one(trend, "percent", value_type="share_pct", answer="unfavorable (very + somewhat)")
    fav = _one(trend, "percent", value_type="share_pct", answer="favorable (very + somewhat)")
    change = _one(trend, "change_pp", value_type="change_pp_vs_2019")
    signed = formats.number(change, signed=True)
    answers = [(_("Favourable"), fav, COLOURS["favourable"]),
               (_("Unfavourable ({change} points on 2019)").format(change=signed), unf, COLOURS["unfavourable"])]
    fig = go.Figure()
    # Each value sits over its marker (plotly makes no room for a label beside a marker).
    for label, value, colour in answers:
        fig.add_scatter(
            y=[label], x=[value], mode="markers+text", marker=dict(color=colour, size=16), showlegend=False,
            text=[formats.percent(value)], textposition="top center", cliponaxis=False,
            hovertemplate="%{y}, 2020: %{x:.0f}%<extra></extra>",
        )
    fig.update_xaxes(range=[0, 100], dtick=25, ticksuffix="%",
                     title_text=_("% of Italian adults: opinion of China, summer 2020"))
    fig.update_yaxes(range=[-0.5, len(answers) - 0.5 + HEADROOM])
    fig.update_layout(height=280)
    return book_figure(
        fig,
        title=_("Pew 2020: {unfavourable} of Italians viewed China unfavourably ({change} points on 2019, "
                "as reported); no earlier level is in the data").format(unfavourable=formats.percent(unf), change=signed),
        tables="pew_italy_trend",
        alt=_(
            "Two markers for Italy in Pew's summer 2020 survey: {unfavourable} unfavourable and {favourable} "
            "favourable towards China. Press reports give the unfavourable share as {change} points "
            "higher than in 2019 but not the 2019 level, so the chart shows 2020 only and draws no line."
        ).format(unfavourable=formats.percent(unf), favourable=formats.percent(fav), change=formats.number(change)),
    )


def pew_xi_confidence(xi: pd.DataFrame) -> go.Figure:
    """Lack of confidence in Xi Jinping (and in Donald Trump, where the same reports give it), Pew
    summer 2020, as markers by public (``xi``: the table ``pew_xi_confidence``; it has no row for
    Italy, and the chart says so)."""
    lacking = "not too much confidence + no confidence at all"
    shares = xi[(xi["value_type"] == "share_pct") & (xi["answer"] == lacking)]
    changes = xi[xi["value_type"] == "change_pp_vs_2019"].set_index("country")["change_pp"]
    leaders = [("Xi Jinping", "Xi Jinping", COLOURS["china"], "circle"),
               (_("Donald Trump (where reported)"), "Donald Trump", MUTED, "diamond")]
    publics = sorted(set(shares["country"]), key=lambda c: (c != "14-country median", c))  # median first
    # A public's change on 2019 goes in its name; each value sits over (Xi) or under (Trump) its marker.
    names = {c: _("{public} (Xi: {change} points on 2019)").format(
                 public=formats.name(c), change=formats.number(changes[c], signed=True))
             if c in changes else formats.name(c) for c in publics}
    fig = go.Figure()
    for name, who, colour, symbol in leaders:
        rows = shares[shares["question"].str.contains(who)].set_index("country").reindex(publics).dropna(subset=["percent"])
        fig.add_scatter(
            y=rows.index.map(names), x=rows["percent"], mode="markers+text", name=name,
            marker=dict(color=colour, size=14, symbol=symbol), text=[formats.percent(v) for v in rows["percent"]],
            textposition="top center" if who == "Xi Jinping" else "bottom center", cliponaxis=False,
            hovertemplate=f"%{{y}}, {who}: %{{x:.0f}}%<extra></extra>",
        )
    fig.update_yaxes(categoryorder="array", categoryarray=[names[c] for c in publics[::-1]],
                     range=[-0.5, len(publics) - 0.5 + HEADROOM])
    fig.update_xaxes(range=[0, 100], dtick=25, ticksuffix="%",
                     title_text=_("% with not too much or no confidence at all"))
    fig.update_layout(height=420)
    xi_only = shares[shares["question"].str.contains("Xi Jinping")]
    low, high = xi_only["percent"].min(), xi_only["percent"].max()
    return book_figure(
        fig,
        title=_("Pew 2020: {low}–{high}% lacked confidence in Xi in each public reported; "
                "the reports give no figure for Italy").format(low=formats.number(low), high=formats.number(high)),
        tables="pew_xi_confidence",
        alt=_(
            "Markers for the share lacking confidence in Xi Jinping to do the right thing in world affairs, "
            "Pew summer 2020: {xi}. Donald Trump, where the same reports give him: {trump}. "
            "The reports give no figure for Italy; all figures are second-hand."
        ).format(
            xi=", ".join(f"{formats.name(c)} {formats.percent(v)}"
                         for c, v in xi_only.set_index("country").reindex(publics)["percent"].items()),
            trump=", ".join(f"{formats.name(r.country)} {formats.percent(r.percent)}"
                            for r in shares[shares["question"].str.contains("Trump")].itertuples())),
    )
