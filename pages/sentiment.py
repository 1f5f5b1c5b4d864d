"""Sentiment: mean polarity and the share of negative texts by month with their intervals, by branch
and by source, and the comments behind a month or a branch when it is selected."""
from __future__ import annotations

import streamlit as st

from analytics import changes
from analytics.filters import month_filters, one_branch, trend_window
from analytics.sentiment import ALL_SOURCES, SOURCES, sentiment_by, sentiment_change, sentiment_verbatims
from pages import _keys as keys
from pages._common import (
    call, labels, language, load, load_all, require_router, selected, show_change, show_chart, show_verbatims,
    t
)
from pages._filters import no_data, selection
from presentation import charts, findings
from presentation.formats import fmt_month

require_router()
chosen = selection()
lang, vs = language(), chosen.vs()
now, before = chosen.current, chosen.comparison

st.title(t("sentiment.title"))
st.caption(t("page.period", period=chosen.period(), vs=vs))
source = st.segmented_control(t("sentiment.source"), (ALL_SOURCES, *SOURCES), key=keys.SENTIMENT_SOURCE,
                              bind="query-params",
                              default=ALL_SOURCES, required=True, format_func=labels("source"))

change, trend, by_branch, by_source = load_all(
    call(sentiment_change, now, before, source), call(sentiment_by, trend_window(now), "month", source),
    call(sentiment_by, now, "branch", source), call(sentiment_by, now, "source"))
if not change.current.n:
    no_data("empty.what.sentiment", chosen)
polarity, negative = changes.polarity_headline(change), changes.negative_share_headline(change)
tiles = st.columns([1, 1, 2])
for column, tile in zip(tiles, (polarity, negative)):
    with column:
        show_change(tile, vs)
with tiles[2]:
    st.markdown(t("sentiment.how_scored"))

left, right = st.columns(2)
with left:
    polarity_event = show_chart(charts.polarity_trend(trend, language=lang,
                                                      title=findings.change_sentence(polarity, lang, vs)),
                                key=keys.SENTIMENT_TREND_CHART, select=True, empty="empty.what.sentiment")
with right:
    negative_event = show_chart(charts.negative_share_trend(trend, language=lang,
                                                            title=findings.change_sentence(negative, lang, vs)),
                                key=keys.SENTIMENT_NEGATIVE_CHART, select=True, empty="empty.what.sentiment")

left, right = st.columns(2)
with left:
    branch_event = show_chart(charts.group_negative_share(by_branch, "branch", language=lang,
                                                          title=findings.group_sentiment_title(by_branch, "branch", lang)),
                              key=keys.SENTIMENT_BRANCH_CHART, select=True, empty="empty.what.sentiment")
with right:
    show_chart(charts.group_negative_share(by_source, "source", language=lang,
                                           title=findings.group_sentiment_title(by_source, "source", lang)),
               empty="empty.what.sentiment")

st.subheader(t("sentiment.verbatims"))
month = selected(polarity_event) or selected(negative_event)
branch = selected(branch_event)
shown = month_filters(now, month) if month else now
shown = one_branch(shown, branch) if branch else shown
which = st.segmented_control(t("sentiment.which"), ("negative", "positive"), key=keys.SENTIMENT_WHICH,
                             bind="query-params",
                             default="negative", required=True, format_func=labels("sentiment.which"))
st.caption(t("sentiment.verbatims_note", period=fmt_month(month, lang) if month else chosen.period(),
             branch=branch or t("sentiment.all_branches")))
verbatims = load(sentiment_verbatims, shown, source, which, 20)
if verbatims.empty:
    st.info(t("empty.chart", what=t(f"empty.what.{which}_comments")))
else:
    show_verbatims(findings.with_terms(verbatims, {"source": "source"}, lang),
                   {"date": "col.date", "source": "col.source", "branch": "col.branch", "customer_id": "col.customer",
                    "sentiment": "col.sentiment", "text": "col.comment"},
                   formats={"date": "date", "customer_id": "short", "sentiment": "%+.2f", "text": "text"})
