"""NPS: the score with its margin and change, promoters/passives/detractors by month, NPS by
touchpoint and branch, and the detractors' comments to follow up."""
from __future__ import annotations

import streamlit as st

from analytics import changes
from analytics.filters import trend_window
from analytics.nps import detractor_verbatims, nps_change, nps_change_by, nps_trend
from analytics.targets import target_gaps, targets_in_force
from pages._common import (
    call, for_reader, language, load_all, require_router, show_change, show_chart, show_verbatims, t
)
from pages._filters import no_data, selection
from presentation import charts, findings

require_router()
chosen = selection()
lang, vs = language(), chosen.vs()
now, before = chosen.current, chosen.comparison

st.title(t("nps.title"))
st.caption(t("page.period", period=chosen.period(), vs=vs))

change, trend, by_touchpoint, by_branch, verbatims, goals = load_all(
    call(nps_change, now, before), call(nps_trend, trend_window(now)), call(nps_change_by, now, before, "touchpoint"),
    call(nps_change_by, now, before, "branch"), call(detractor_verbatims, now, 50), call(targets_in_force, now))
if not change.current.n:
    no_data("empty.what.nps", chosen)
# the tiles, touchpoints and branches are one family of tests: the charts pick among them
family = for_reader(changes.adjust_family([changes.nps_headline(change), *findings.nps_mix_headlines(change)],
                                          {"touchpoints": by_touchpoint, "branches": by_branch}))
headline = family.changes[0]
by_touchpoint, by_branch = family.tables["touchpoints"], family.tables["branches"]
gaps = target_gaps(family.changes, goals)
for column, tile in zip(st.columns(3), family.changes):
    with column:
        show_change(tile, vs, target=gaps.get(tile.metric))
st.caption(findings.family_note(family, lang))

show_chart(charts.nps_mix(trend, language=lang,
                          title=findings.change_sentence(headline, lang, vs)), empty="empty.what.nps")

left, right = st.columns(2)
with left:
    show_chart(charts.group_nps(by_touchpoint, "touchpoint", language=lang,
                                title=findings.group_nps_title(by_touchpoint, "touchpoint", lang, vs)),
               empty="empty.what.nps_touchpoint")
with right:
    show_chart(charts.group_nps(by_branch, "branch", language=lang,
                                title=findings.group_nps_title(by_branch, "branch", lang, vs)),
               empty="empty.what.nps_branch")

st.subheader(t("nps.verbatims"))
if verbatims.empty:
    st.info(t("empty.chart", what=t("empty.what.detractor_comments")))
else:
    st.caption(t("nps.verbatims_note", k=len(verbatims)))
    show_verbatims(for_reader(verbatims), {"responded_at": "col.date", "customer_id": "col.customer", "branch": "col.branch",
                               "touchpoint": "col.touchpoint", "score": "col.score", "comment": "col.comment"},
                   formats={"responded_at": "date", "customer_id": "short", "score": "%d", "comment": "text"},
                   download="nps-comments")
