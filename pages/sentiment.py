"""Sentiment: mean polarity and the share of negative texts by month with their intervals, by branch
and by source, and the comments behind a month or a branch when it is selected."""
from __future__ import annotations

import streamlit as st

from analytics import changes
from analytics.filters import month_filters, one_branch, trend_window
from analytics.sentiment import (
    ALL_SOURCES, SOURCES, model_agreement, sentiment_verbatims, sentiment_views, sources_with_texts,
    themes_and_rising
)
from pages import _keys as keys
from pages._common import (
    call, data_value, for_reader, language, load, load_all, markdown_text, require_router, selected,
    show_change, show_chart, show_verbatims, t, url_choice
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
# by source by default: complaint descriptions are negative by nature and would swamp the survey's
# comments if pooled; "all" is offered, and its tiles say they pool the three. The page opens on the
# first source that holds a text.
held = load(sources_with_texts)
source = url_choice(st.segmented_control, t("sentiment.source"), (*SOURCES, ALL_SOURCES), key=keys.SENTIMENT_SOURCE,
                    default=held[0] if held else next(iter(SOURCES)), words="source", required=True)

# the top figures in one query (on a lake every query pays catalog round trips), the model's note
# read beside it on the other thread
views, agreement = load_all(call(sentiment_views, now, before, trend_window(now), source), call(model_agreement))
change, trend, by_source = views.change, views.trend, views.by_source
by_branch = for_reader(views.by_branch)  # branches by their labels; a selected bar gives back the stored name
if not change.current.n:
    no_data("empty.what.sentiment", chosen)
polarity, negative = changes.polarity_headline(change), changes.negative_share_headline(change)
tiles = st.columns([1, 1, 2])
for column, tile in zip(tiles, (polarity, negative)):
    with column:
        show_change(tile, vs, detail=findings.tile_detail(tile, lang, t("sentiment.pooled") if source == ALL_SOURCES
                                                          else None))
with tiles[2]:
    st.markdown(t("sentiment.how_scored"))
    st.caption(findings.model_note(agreement, lang))

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

st.subheader(t("sentiment.themes"))
st.caption(t("sentiment.themes_note"))
# a theme by its label in the reader's language, else its customers' words (presentation.labels.theme_name)
themes, rising = (for_reader(found) for found in load(themes_and_rising, now, before, source))
left, right = st.columns([2, 1])
with left:
    show_chart(charts.group_negative_share(themes, "theme", language=lang,
                                           title=findings.group_sentiment_title(themes, "theme", lang)),
               empty="empty.what.sentiment")
with right:
    st.markdown(findings.rising_themes_note(rising, lang, vs))

st.subheader(t("sentiment.verbatims"))
month = selected(polarity_event) or selected(negative_event)
branch = selected(branch_event)
shown = month_filters(now, month) if month else now
shown = one_branch(shown, branch) if branch else shown
which = url_choice(st.segmented_control, t("sentiment.which"), ("negative", "positive"), key=keys.SENTIMENT_WHICH,
                   default="negative", words="sentiment.which", required=True)
# whose comments: the bar clicked, else the branches or regions the sidebar chose, else all branches
places = ([("branch", branch)] if branch else [("branch", b) for b in now.branches] if now.branches
          else [("region", r) for r in now.regions])
st.caption(t("sentiment.verbatims_note", period=fmt_month(month, lang) if month else chosen.period(),
             branch=markdown_text(", ".join(data_value(field, value) for field, value in places)) if places
             else t("sentiment.all_branches")))
verbatims = for_reader(load(sentiment_verbatims, shown, source, which, 20))
if verbatims.empty:
    st.info(t("empty.chart", what=t(f"empty.what.{which}_comments")))
else:
    show_verbatims(findings.with_terms(verbatims, {"source": "source"}, lang),
                   {"date": "col.date", "source": "col.source", "branch": "col.branch", "customer_id": "col.customer",
                    "sentiment": "col.sentiment", "text": "col.comment"},
                   formats={"date": "date", "customer_id": "short", "sentiment": "%+.2f", "text": "text"},
                   download="sentiment-comments")
