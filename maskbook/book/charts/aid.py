"""Charts of the chapters "Blame and the campaign to reshape the narrative" and "Aid arrives".

They plot the aid tables (``shipments``, ``medical_teams``, ``purchases_vs_donations``,
``trade_masks``): a reported sample of consignments and statements, never a census.
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from maskbook.book.charts import formats
from maskbook.book.charts.style import COLOURS, MUTED, book_figure
from maskbook.language import N_, _

#: Short, plain names for the ``donor_type`` codes of ``shipments``, in the order the chart lists them.
DONOR_LABELS = {
    "central_government": N_("Chinese government"),
    "chinese_red_cross": N_("Chinese Red Cross"),
    "local_government": N_("Chinese local govts"),
    "soe": N_("State-owned firms"),
    "private_company": N_("Private firms"),
    "foundation": N_("Jack Ma/Alibaba fdns"),
    "private_association_china": N_("Associations in China"),
    "diaspora_community": N_("Chinese in Italy"),
    "mixed_purchase_donation": N_("Embassy air bridge"),
    "purchase_italian_state": N_("Italian state buys"),
    "purchase_italian_region": N_("Italian region buys"),
    "unknown": N_("Donor not stated"),
}
#: Colours and legend names of the ``transfer_type`` values (what each row's source says): gifts in
#: China's colour, Italy's purchases in Italy's.
TRANSFER_COLOURS = {"donated": COLOURS["china"], "mixed": COLOURS["mixed"], "purchased": COLOURS["italy"],
                    "unclear": MUTED}
TRANSFER_NAMES = {"donated": N_("donated"), "mixed": N_("mixed: bought and donated"),
                  "purchased": N_("bought by Italy"), "unclear": N_("not stated")}
#: Smallest consignment (masks) counted as a big load in the title of ``shipments_by_donor``.
BIG_LOAD = 1_000_000


def _hover(lines: list[list[str]]) -> dict:
    """Hover settings: line breaks in the chart's hover box, plain "; " text in the data table."""
    return dict(
        hovertext=["; ".join(parts) for parts in lines],
        customdata=["<br>".join(parts) for parts in lines],
        hovertemplate="%{customdata}<extra></extra>",
    )


def _fmt(n) -> str:
    """``5000`` -> ``5,000``; ``1500000`` -> ``1.5 million``; missing -> ``not given``."""
    return _("not given") if pd.isna(n) else formats.count(n)


# ------------------------------------------------------------------ blame chapter
def expert_teams(mt: pd.DataFrame) -> go.Figure:
    """Gantt-like chart of the three Chinese expert teams: arrival in Italy to departure from Italy,
    from the rows of ``medical_teams``.

    Each team's ``return`` row is its departure from Italy; team 2's ``return (arrival in China)``
    row is its landing in Wenzhou after the flight home, so it does not end the bar."""
    rows = []
    for team in ["1", "2", "3"]:
        t = mt[mt["team_no"] == team]
        arrival = t[t["event"] == "arrival"].iloc[0]
        ret = t[t["event"] == "return"].iloc[0]
        # Team 2's arrival row counts only the clinical staff named in Lombardy (see its notes),
        # so team sizes come from the other rows; sources disagree for team 2 (12 or 13).
        sizes = sorted({int(s) for s in t.loc[t["row_id"] != "MT05", "team_size"].dropna()})
        size = _(" or ").join(str(s) for s in sizes)
        rows.append(dict(
            team=team, size=size, label=_("Team {team} ({size})").format(team=team, size=size),
            start=arrival["date"], end=ret["date"],
            hover=[_("Team {team}, {size} people").format(team=team, size=size),
                   _("Arrived {day} at {place}").format(day=formats.day(arrival["date"]), place=arrival["place"]),
                   _("Area: {area}").format(area=arrival["deployment_area"]),
                   _("Left Italy: {day}, {place}").format(day=formats.day(ret["date"]), place=ret["place"])],
            area=formats.name(str(arrival["deployment_area"]).split(" (")[0]),
        ))
    df = pd.DataFrame(rows)
    fig = go.Figure()
    # The teams are Chinese: one colour (China's); each row names its team.
    for _row, r in df.iterrows():
        fig.add_trace(go.Scatter(
            x=[r["start"], r["end"]], y=[r["label"], r["label"]], mode="lines+markers", name=r["label"],
            line=dict(color=COLOURS["china"], width=14), marker=dict(size=14, color=COLOURS["china"]),
            showlegend=False, **_hover([r["hover"], r["hover"]]),
        ))
        fig.add_annotation(x=r["start"], y=r["label"], text=r["area"], showarrow=False, xanchor="left",
                           yshift=18, font=dict(size=12))
    fig.update_layout(
        height=300, hoverlabel=dict(align="left"),
        xaxis=dict(type="date", title=_("Date (2020)"), tickformat=formats.DAY_TICKS, hoverformat=formats.DAY_HOVER),
        yaxis=dict(title=_("Team"), autorange="reversed"),
    )
    return book_figure(
        fig,
        title=_("Three Chinese expert teams overlapped in Italy from 12 March to early April 2020"),
        tables="medical_teams",
        alt=_("Bars from arrival in Italy to departure from Italy of the three Chinese expert teams: {teams}.").format(
            teams="; ".join(_("Team {team} ({size} people) from {start} to {end}, {area}").format(
                team=r["team"], size=r["size"], start=formats.day(r["start"]), end=formats.day(r["end"]), area=r["area"])
                for _row, r in df.iterrows())),
    )


# ------------------------------------------------------------------ aid chapter
def shipments_by_donor(sh: pd.DataFrame) -> go.Figure:
    """Strip chart: each consignment of ``sh`` (rows of ``shipments``) by donor type, coloured by transfer type."""
    sh = sh.sort_values(["date", "row_id"])
    order = [_(lab) for code, lab in DONOR_LABELS.items() if code in set(sh["donor_type"])]
    fig = go.Figure()
    for transfer, colour in TRANSFER_COLOURS.items():
        rows = sh[sh["transfer_type"] == transfer]
        if rows.empty:
            continue
        fig.add_trace(go.Scatter(
            x=rows["date"], y=rows["donor_type"].map(lambda code: _(DONOR_LABELS[code])), mode="markers",
            name=_(TRANSFER_NAMES[transfer]),
            marker=dict(size=13, color=colour, opacity=0.85, line=dict(width=1, color="#ffffff")),
            **_hover([[f"{formats.day(d)}: {donor}", _("masks: {n}").format(n=_fmt(m)),
                       _("{transfer} (per {source})").format(transfer=_(TRANSFER_NAMES[transfer]), source=src)]
                      for d, donor, m, src in zip(rows["date"], rows["donor"], rows["masks"], rows["source_publisher"])]),
        ))
    fig.update_layout(
        height=520, hoverlabel=dict(align="left"),
        xaxis=dict(type="date", title=_("Date (2020)"), tickformat=formats.MONTH_TICKS, dtick="M1",
                   hoverformat=formats.DAY_HOVER),
        yaxis=dict(title=_("Donor"), categoryorder="array", categoryarray=order[::-1]),
    )
    n = len(sh)
    # The title's claim, from the rows plotted: of the big loads from the first mixed one on, how many mixed.
    first_mixed = sh.loc[sh["transfer_type"] == "mixed", "date"].min()
    big = sh[(sh["date"] >= first_mixed) & (sh["masks"] >= BIG_LOAD)]
    n_mixed = int((big["transfer_type"] == "mixed").sum())
    return book_figure(
        fig,
        title=_("Gifts came from many kinds of Chinese donor; from {day}, {mixed} of the {big} loads of a million "
                "masks or more mixed gifts with purchases").format(
            day=formats.day_month(first_mixed), mixed=formats.words(n_mixed), big=formats.words(len(big))),
        tables="shipments",
        alt=_("Dot chart of {n} reported consignments with a known day, March to May 2020, one row per donor type. "
              "Gifts from Chinese communities, cities, the Red Cross, foundations and firms run through March "
              "and April; from {day} the embassy air-bridge flights carry mixed loads of purchases "
              "and gifts: {mixed} of the {big} consignments of a million masks or more from that day are mixed.").format(
            n=n, day=formats.day(first_mixed), mixed=n_mixed, big=len(big)),
    )


def gifts_vs_purchases(statements: pd.DataFrame) -> go.Figure:
    """Each statement's mask quantity (rows of ``purchases_vs_donations``), on a log axis: gifts from China vs
    purchases from Chinese firms (and purchases whose seller the statement does not name).

    Points are statements, not consignments: contract rows overlap (the same contracts growing),
    so the chart never adds them up. Who gave or sold is the row's ``counterparty``: other
    countries' gifts on the same lists (France, Egypt, Taiwan) are not plotted.
    """
    pd_ = statements.sort_values(["date", "row_id"])
    chinese = pd_["counterparty"].str.contains("Chin", na=False)
    unnamed = pd_["counterparty"].str.startswith("not specified", na=False)
    series = [
        (_("Gift from China"), pd_[chinese & (pd_["transfer_type"] == "donated")], COLOURS["china"], "circle"),
        (_("Purchase from Chinese firms"), pd_[chinese & (pd_["transfer_type"] == "purchased")], COLOURS["italy"],
         "diamond"),
        (_("Purchase, seller not named"), pd_[unnamed & (pd_["transfer_type"] == "purchased")], MUTED, "diamond-open"),
    ]
    fig = go.Figure()
    for name, rows, colour, symbol in series:
        fig.add_trace(go.Scatter(
            x=rows["date"], y=rows["quantity"].astype(float), mode="markers", name=name,
            marker=dict(size=13, color=colour, symbol=symbol, opacity=0.85, line=dict(width=1.5, color=colour)),
            **_hover([[f"{formats.day(d)}, {who}", f"{item}: {_fmt(q)}",
                       (_("({source}, second-hand)") if sec else "({source})").format(source=src)]
                      for d, who, item, q, src, sec in zip(rows["date"], rows["speaker_or_body"], rows["item"],
                                                           rows["quantity"], rows["source_publisher"], rows["secondhand"])]),
        ))
    powers = [10 ** k for k in range(5, 10)]
    fig.update_layout(
        height=440, hoverlabel=dict(align="left"),
        xaxis=dict(type="date", title=_("Date of statement (2020)"), tickformat=formats.DAY_TICKS,
                   hoverformat=formats.DAY_HOVER),
        yaxis=dict(type="log", title=_("Masks named (log scale)"), tickvals=powers,
                   ticktext=[formats.count(v) for v in powers]),
    )
    gifts, bought = series[0][1]["quantity"], series[1][1]["quantity"]
    return book_figure(
        fig,
        title=_("Statements named gifts from China of up to {gifts} masks, and purchases from Chinese firms of "
                "{low} to {high}").format(gifts=formats.millions(gifts.max()),
                                          low=formats.millions(bought.min()).split()[0],
                                          high=formats.millions(bought.max())),
        tables="purchases_vs_donations",
        alt=_("Each point is one statement from March-April 2020 naming a number of masks. Gifts from China range "
              "from {gifts_low} to {gifts_high} masks; purchases from Chinese firms from {bought_low} to "
              "{bought_high}; {unnamed} statements of purchases do not name the seller. Contract figures overlap "
              "and are never added.").format(
            gifts_low=_fmt(gifts.min()), gifts_high=_fmt(gifts.max()), bought_low=_fmt(bought.min()),
            bought_high=_fmt(bought.max()), unnamed=len(series[2][1])),
    )


def mask_import_growth(monthly: pd.DataFrame) -> go.Figure:
    """Bars of the year-on-year change in the value of Italy's imports of respiratory PPE, one bar
    per month (``monthly``: rows of ``trade_masks``)."""
    g = monthly.sort_values("period_start")
    months = [formats.month(p) for p in g["period_start"]]
    fig = go.Figure(go.Bar(
        x=months, y=g["value"], marker_color=[MUTED if v < 0 else COLOURS["italy"] for v in g["value"]],
        text=[formats.percent(v, signed=True) for v in g["value"]], textposition="outside", cliponaxis=False,
        hovertext=[_("{month} 2020 vs {month} 2019: {change} (Assosistema on ISTAT data, via {source})").format(
                       month=m, change=formats.percent(v, signed=True), source=s)
                   for m, v, s in zip(months, g["value"], g["source_publisher"])],
        hoverinfo="text",
    ))
    fig.update_layout(
        height=400, showlegend=False,
        xaxis=dict(title=_("Month of 2020")),
        yaxis=dict(title=_("Change on same month of 2019"), ticksuffix="%", tickformat=formats.PERCENT_TICKS),
    )
    vals = dict(zip(months, g["value"]))
    peak = max(vals, key=vals.get)
    return book_figure(
        fig,
        title=_("In {month} 2020 Italy's mask imports were worth {times} times as much as a year earlier").format(
            month=peak, times=formats.number(1 + vals[peak] / 100)),
        tables="trade_masks",
        alt=_("Year-on-year change in the value of Italy's imports of respiratory protective equipment, as reported "
              "second-hand from an Assosistema study of ISTAT data: {changes}.").format(
            changes=", ".join(f"{m} {formats.percent(v, signed=True)}" for m, v in vals.items())),
    )


def mask_import_totals(yearly: pd.DataFrame) -> go.Figure:
    """Bars of Italy's imports of protective masks in 2019 and 2020 (``yearly``: the two rows of
    ``trade_masks``; China's share is in the prose)."""
    tot = yearly.sort_values("period_start")
    years = [p[:4] for p in tot["period_start"]]
    bn = (tot["value"] / 1e9).round(2).tolist()
    fig = go.Figure(go.Bar(
        x=bn, y=years, orientation="h", marker_color=[MUTED, COLOURS["italy"]],
        text=[formats.billion_euros(v) for v in bn], textposition="outside", cliponaxis=False,
        hoverinfo="text", hovertext=[f"{y}: {formats.billion_euros(v)}" for y, v in zip(years, bn)],
    ))
    fig.update_layout(
        height=280, showlegend=False,
        xaxis=dict(title=_("Value of imports (billion euros)")),
        yaxis=dict(title="", autorange="reversed", type="category"),
    )
    return book_figure(
        fig,
        title=_("Italy's mask imports in 2020 were worth {times} times those of 2019").format(
            times=formats.number(bn[1] / bn[0])),
        tables="trade_masks",
        alt=_("Italy's imports of protective masks: about {y2019} in 2019 and {y2020} in 2020 (Assosistema on "
              "ISTAT data, second-hand).").format(y2019=formats.billion_euros(bn[0]), y2020=formats.billion_euros(bn[1])),
    )
