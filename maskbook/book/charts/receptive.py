"""Charts for the chapter "Why Italy was receptive": how Italians judged the EU in spring 2020, and
who else sent masks to Italy.

Each pollster's question has its own panel; the masks chart keeps conflicting reports apart.
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from maskbook.book.charts import formats
from maskbook.book.charts.style import COLOURS, MUTED, book_figure, panels
from maskbook.language import N_, _

#: EU member states in 2020 among the donors of ``other_donors``.
EU_MEMBERS = {"Austria", "Estonia", "France", "Germany", "Hungary", "Lithuania", "Poland", "Romania", "Slovakia"}

#: Short labels for the ECFR items (the table's `question` holds the paraphrased wording).
_ECFR_LABELS = {
    "EC02": N_("EU did not live up to its responsibilities"),
    "EC03": N_("EU has been irrelevant in the crisis"),
    "EC04": N_("Crisis shows need for more EU cooperation"),
}
#: Each answer's stance towards the EU (its colour): favourable or unfavourable.
_STANCE = {"enough": "favourable", "little": "unfavourable", "nothing": "unfavourable", "yes": "favourable",
           "no": "unfavourable", "EC02": "unfavourable", "EC03": "unfavourable", "EC04": "favourable"}


def _lower_first(text: str) -> str:
    """A label inside a sentence: "Crisis shows..." -> "crisis shows..."; "EU did..." stays."""
    return text if text[:2].isupper() else text[:1].lower() + text[1:]


def eu_judgements(pie: pd.DataFrame, ecfr: pd.DataFrame) -> go.Figure:
    """Italians' judgement of the EU, spring 2020: Piepoli's two questions and ECFR's items, one panel
    each (``pie``, ``ecfr``: the tables ``piepoli_barometer`` and ``ecfr_worldview``)."""
    doing = pie[pie["question"].str.startswith("How much is the EU doing")]
    doing = doing.set_index("answer").loc[["enough", "little", "nothing"]].reset_index()
    united = pie[pie["question"].str.startswith("Would you like a united Europe")]
    united = united.set_index("answer").loc[["no", "yes"]].reset_index()
    items = ecfr[ecfr["row_id"].isin(_ECFR_LABELS)].copy()
    items["label"] = items["row_id"].map(lambda row_id: _(_ECFR_LABELS[row_id]))
    items = items.sort_values("percent")

    def stance(keys):
        return [COLOURS[_STANCE[k]] for k in keys]

    questions = [
        (_("Piepoli, early April: how much is the EU doing?"), doing["answer"].map(formats.name).str.capitalize(),
         doing["percent"], stance(doing["answer"])),
        (_("Piepoli, early April: would you like a united Europe?"), united["answer"].map(formats.name).str.capitalize(),
         united["percent"], stance(united["answer"])),
        (_("ECFR, late April–May: share of Italians who say…"), items["label"], items["percent"],
         stance(items["row_id"])),
    ]
    fig = panels([p[0] for p in questions], row_heights=[3, 2, 3])
    for i, (_title, labels, values, colours) in enumerate(questions, start=1):
        fig.add_bar(
            y=list(labels), x=list(values), orientation="h", marker_color=colours, showlegend=False,
            text=[formats.percent(v) for v in values], textposition="outside", cliponaxis=False,
            hovertemplate="%{y}: %{x:.0f}%<extra></extra>", row=i, col=1,
        )
        fig.update_xaxes(range=[0, 100], ticksuffix="%", dtick=25, row=i, col=1)
    fig.update_xaxes(title_text=_("% of Italian respondents"), row=3, col=1)
    fig.update_layout(height=600)
    little = float(doing.set_index("answer").loc["little", "percent"])
    nothing = float(doing.set_index("answer").loc["nothing", "percent"])
    return book_figure(
        fig,
        title=_("Most Italians judged the EU's early response harshly, yet still wanted a united Europe"),
        tables=["piepoli_barometer", "ecfr_worldview"],
        alt=_(
            "Three panels, one per question. Piepoli (early April 2020): {little} said the EU was doing little "
            "and {nothing} nothing; {united} wanted a united Europe. "
            "ECFR (fieldwork dated late April to May only by a low-reliability report): {items}. "
            "Questions are paraphrased from the press reports that give the figures."
        ).format(little=formats.percent(little), nothing=formats.percent(nothing),
                 united=formats.percent(united.set_index("answer").loc["yes", "percent"]),
                 items=", ".join(f"{formats.percent(r.percent)} {_lower_first(r.label)}" for r in items.itertuples())),
    )


def masks_from_other_donors(gifts: pd.DataFrame, china: pd.Series) -> go.Figure:
    """Masks reported as donated to Italy by donor (``gifts``: rows of ``other_donors``), China's
    state gift (``china``: a row of ``purchases_vs_donations``) for comparison."""
    masks = gifts.copy()
    # Russia's mask figures conflict (announced in 2020, listed in 2022): one bar for the country,
    # from the lower report, with a line to the higher one.
    masks["group"] = masks["donor_country"].map(lambda c: "EU member state" if c in EU_MEMBERS else "Other donor")
    rows = [dict(label=_("China (state gifts)"), low=float(china["quantity"]), high=float(china["quantity"]),
                 group="China", source=_("{source}, as of {day}").format(source=china["source_publisher"],
                                                                       day=formats.day(china["date"])))]
    for country, reports in masks.groupby("donor_country", sort=False):
        reports = reports.sort_values("quantity")
        sources = [f"{r.source_publisher}, {formats.day(r.source_date) if pd.notna(r.source_date) else _('undated')}: "
                   f"{formats.count(r.quantity)}" for r in reports.itertuples()]
        country = formats.name(country)
        rows.append(dict(label=country if len(reports) == 1 else _("{country} ({n} reports)").format(
                             country=country, n=formats.words(len(reports))),
                         low=float(reports["quantity"].min()), high=float(reports["quantity"].max()),
                         group=reports["group"].iloc[0], source="<br>".join(sources)))
    rows.sort(key=lambda r: (r["low"], r["label"]))
    colours = {"China": COLOURS["china"], "EU member state": COLOURS["neutral"], "Other donor": MUTED}
    group_names = {"China": formats.name("China"), "EU member state": _("EU member state"), "Other donor": _("Other donor")}

    def label(r):
        if r["low"] == r["high"]:
            return formats.millions(r["low"])
        return f"{formats.millions(r['low']).split()[0]}–{formats.millions(r['high'])}"

    fig = go.Figure()
    for group in ["China", "EU member state", "Other donor"]:
        sub = [r for r in rows if r["group"] == group]
        spread = [r["high"] - r["low"] for r in sub]
        fig.add_bar(
            y=[r["label"] for r in sub], x=[r["low"] / 1e6 for r in sub], orientation="h", name=group_names[group],
            marker_color=colours[group], customdata=[r["source"] for r in sub],
            error_x=dict(type="data", symmetric=False, array=[d / 1e6 for d in spread], arrayminus=[0] * len(sub),
                         width=0, thickness=2, color=colours[group]) if any(spread) else None,
            text=[label(r) for r in sub], textposition="outside", cliponaxis=False,
            hovertemplate="%{y}<br>%{customdata}<extra></extra>",
        )
    fig.update_layout(
        height=520, barmode="overlay",
        yaxis=dict(categoryorder="array", categoryarray=[r["label"] for r in rows], title=None),
        xaxis=dict(title=_("Masks donated (millions)")),
    )
    return book_figure(
        fig,
        title=_("Together, China's two state gifts of masks exceed any other donor's charted here, but others gave too"),
        tables=["other_donors", "purchases_vs_donations"],
        alt=_(
            "Horizontal bars of masks reported as donated to Italy in spring 2020: China {china} "
            "(Protezione Civile list of state gifts, 6 April, most of it routed through the EU), then {others}. "
            "Dates and sources differ by bar; where two reports conflict, the bar runs from the lower figure "
            "and a line reaches the higher one."
        ).format(china=formats.millions(china["quantity"]),
                 others=", ".join(f"{r['label']} {label(r)}" for r in reversed(rows) if r["group"] != "China")),
    )
