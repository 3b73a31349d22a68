"""Charts for the chapter "Why Italy was receptive": how Italians judged the EU in spring 2020, and
who else sent masks to Italy.

Each pollster's question has its own panel; the masks chart keeps conflicting reports apart.
"""
from __future__ import annotations

import plotly.graph_objects as go

from maskbook import data
from maskbook.charts.style import HIGHLIGHT, MUTED, PALETTE, panels, show

#: EU member states in 2020 among the donors of ``other_donors``.
EU_MEMBERS = {"Austria", "Estonia", "France", "Germany", "Hungary", "Lithuania", "Poland", "Romania", "Slovakia"}

#: Short labels for the ECFR items (the table's `question` holds the paraphrased wording).
_ECFR_LABELS = {
    "EC02": "EU did not live up to its responsibilities",
    "EC03": "EU has been irrelevant in the crisis",
    "EC04": "Crisis shows need for more EU cooperation",
}


def eu_judgements():
    """Italians' judgement of the EU, spring 2020: Piepoli's two questions and ECFR's items, one panel each."""
    pie = data.load_table("piepoli_barometer")
    ecfr = data.load_table("ecfr_worldview")
    doing = pie[pie["question"].str.startswith("How much is the EU doing")]
    doing = doing.set_index("answer").loc[["enough", "little", "nothing"]].reset_index()
    united = pie[pie["question"].str.startswith("Would you like a united Europe")]
    united = united.set_index("answer").loc[["no", "yes"]].reset_index()
    items = ecfr[ecfr["row_id"].isin(_ECFR_LABELS)].copy()
    items["label"] = items["row_id"].map(_ECFR_LABELS)
    items = items.sort_values("percent")

    questions = [
        ("Piepoli, early April: how much is the EU doing?", doing["answer"].str.capitalize(),
         doing["percent"], [MUTED, PALETTE[0], PALETTE[0]]),
        ("Piepoli, early April: would you like a united Europe?", united["answer"].str.capitalize(),
         united["percent"], [MUTED, PALETTE[2]]),
        ("ECFR, late April–May: share of Italians who say…", items["label"], items["percent"],
         [PALETTE[0]] * len(items)),
    ]
    fig = panels([p[0] for p in questions], row_heights=[3, 2, 3])
    for i, (_, labels, values, colours) in enumerate(questions, start=1):
        fig.add_bar(
            y=list(labels), x=list(values), orientation="h", marker_color=colours, showlegend=False,
            text=[f"{v:.0f}%" for v in values], textposition="outside", cliponaxis=False,
            hovertemplate="%{y}: %{x:.0f}%<extra></extra>", row=i, col=1,
        )
        fig.update_xaxes(range=[0, 100], ticksuffix="%", dtick=25, row=i, col=1)
    fig.update_xaxes(title_text="% of Italian respondents", row=3, col=1)
    fig.update_layout(height=600)
    little = float(doing.set_index("answer").loc["little", "percent"])
    nothing = float(doing.set_index("answer").loc["nothing", "percent"])
    show(
        fig,
        title="Most Italians judged the EU's early response harshly, yet still wanted a united Europe",
        tables=["piepoli_barometer", "ecfr_worldview"],
        alt=(
            f"Three panels, one per question. Piepoli (early April 2020): {little:.0f}% said the EU was doing little "
            f"and {nothing:.0f}% nothing; {united.set_index('answer').loc['yes', 'percent']:.0f}% wanted a united Europe. "
            "ECFR (late April to May): "
            + ", ".join(f"{r.percent:.0f}% {r.label.lower().replace('eu', 'EU')}" for r in items.itertuples())
            + ". Questions are paraphrased from press reports; the pollsters' own releases were not seen."
        ),
    )


def masks_from_other_donors():
    """Masks reported as donated to Italy by donor, spring 2020, China's state gift for comparison."""
    od = data.load_table("other_donors")
    pvd = data.load_table("purchases_vs_donations")
    # Only gifts to Italy alone: the rescEU row (Italy, Spain and Croatia together) is left out.
    masks = od[(od["unit"] == "masks") & (od["destination"] == "Italy") & (od["transfer_type"] == "donated")].copy()
    # Russia's mask figures conflict: keep each report as its own bar, named by its source.
    masks["label"] = masks["donor_country"]
    rus = masks["donor_country"] == "Russia"
    masks.loc[rus, "label"] = ("Russia (" + masks.loc[rus, "source_publisher"].str.split(" (", regex=False).str[0]
                               + ", " + masks.loc[rus, "source_date"].str[:4] + ")")
    masks["group"] = masks["donor_country"].map(lambda c: "EU member state" if c in EU_MEMBERS else "Other donor")
    china = pvd[pvd["row_id"] == "PD15"].iloc[0]
    rows = [dict(label="China (state gifts)", quantity=float(china["quantity"]), group="China",
                 source=f"{china['source_publisher']}, as of 6 April 2020")]
    rows += [dict(label=r.label, quantity=float(r.quantity), group=r.group,
                  source=f"{r.source_publisher}, {r.source_date or 'undated'}") for r in masks.itertuples()]
    rows.sort(key=lambda r: (r["quantity"], r["label"]))
    colours = {"China": HIGHLIGHT, "EU member state": PALETTE[0], "Other donor": MUTED}
    fig = go.Figure()
    for group in ["China", "EU member state", "Other donor"]:
        sub = [r for r in rows if r["group"] == group]
        fig.add_bar(
            y=[r["label"] for r in sub], x=[r["quantity"] / 1e6 for r in sub], orientation="h", name=group,
            marker_color=colours[group], customdata=[r["source"] for r in sub],
            text=[f"{r['quantity'] / 1e6:.2f} m" for r in sub], textposition="outside", cliponaxis=False,
            hovertemplate="%{y}: %{x:.2f} million masks<br>%{customdata}<extra></extra>",
        )
    fig.update_layout(
        height=520, barmode="overlay",
        yaxis=dict(categoryorder="array", categoryarray=[r["label"] for r in rows], title=None),
        xaxis=dict(title="Masks donated (millions)"),
    )
    show(
        fig,
        title="Together, China's two state gifts of masks exceed any other donor's charted here, but others gave too",
        tables=["other_donors", "purchases_vs_donations"],
        alt=(
            f"Horizontal bars of masks reported as donated to Italy in spring 2020: China {china['quantity'] / 1e6:.1f} "
            "million (Protezione Civile list of state gifts, 6 April, most of it routed through the EU), then "
            + ", ".join(f"{r['label']} {r['quantity'] / 1e6:.2f} million" for r in reversed(rows) if r["group"] != "China")
            + ". Dates and sources differ by bar; Russia's two bars are conflicting reports, not two gifts."
        ),
    )
