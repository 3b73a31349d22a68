"""Charts for the chapter "Telling the story": the Twitter campaign around China's aid to Italy.

One chart: the share of tweets that Alkemy's analysis for Formiche attributed to bots, per hashtag.
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from maskbook.book.charts import formats
from maskbook.book.charts.style import COLOURS, MUTED, book_figure
from maskbook.language import _


def bot_shares(shares: pd.DataFrame, processed: int) -> go.Figure:
    """Bot share of tweets per hashtag (``shares``: rows of ``twitter_bots``), as 100% bars;
    ``processed``: the number of tweets the analysis processed."""
    shares = shares.sort_values("value", ascending=True).reset_index(drop=True)
    labels = shares["hashtag"].tolist()
    bot = shares["value"].astype(float).tolist()
    other = [100 - v for v in bot]
    fig = go.Figure()
    fig.add_bar(
        y=labels, x=bot, orientation="h", name=_("Tweets from accounts flagged as bots"),
        marker_color=COLOURS["neutral"], text=[formats.percent(v, 1) for v in bot], textposition="inside",
        insidetextanchor="start", textfont=dict(color="#1f1f1f"),
        hovertemplate=_("%{y}: %{x:.1f}% of tweets from flagged accounts") + "<extra></extra>",
    )
    fig.add_bar(
        y=labels, x=other, orientation="h", name=_("Other tweets"),
        marker_color=MUTED, opacity=0.45,
        hovertemplate=_("%{y}: %{x:.1f}% of tweets from other accounts") + "<extra></extra>",
    )
    fig.update_layout(
        barmode="stack", height=330, bargap=0.35,
        xaxis=dict(title=_("% of the hashtag's tweets"), range=[0, 100], ticksuffix="%"),
        yaxis=dict(title=None),
        legend=dict(traceorder="normal"),  # legend order = stack order, left to right
    )
    hi, lo = shares.iloc[-1], shares.iloc[0]
    share = (_("more than a third") if lo["value"] > 100 / 3
             else _("at least {share}").format(share=formats.percent(lo["value"])))
    return book_figure(
        fig,
        # One commissioned analysis: its finding is attributed, as in the chapter's text.
        title=_("Alkemy's analysis for Formiche attributed {share} of the tweets on both pro-China hashtags "
                "to bots").format(share=share),
        tables="twitter_bots",
        alt=_(
            "Stacked bars: Alkemy's analysis for Formiche (11–23 March 2020) attributed {high_share} of "
            "{high_hashtag} tweets and {low_share} of {low_hashtag} tweets to bots. "
            "Limits: the figures and the method are as Formiche published them, and the method is only partly "
            "described (one stated criterion: more than 50 tweets a day on average); whether the "
            "{processed} tweets analysed cover both hashtags is not known; Axios's repeat of the "
            "same figures is secondary and not counted again."
        ).format(high_share=formats.percent(hi["value"], 1), high_hashtag=hi["hashtag"],
                 low_share=formats.percent(lo["value"], 1), low_hashtag=lo["hashtag"],
                 processed=formats.count(processed)),
    )
