"""Overview: the period's headline numbers with their changes, what changed, and the trends."""
from __future__ import annotations

import streamlit as st

from analytics.complaints import complaint_trend, resolution_change, rising_causes
from analytics.csi import csi_change_with_trend
from analytics.filters import trend_window
from analytics.nps import nps_change, nps_change_by, nps_trend
from analytics.overview import overview_family
from analytics.alerts import alerts_for
from analytics.sentiment import sentiment_by, sentiment_change
from analytics.targets import target_gaps, targets_in_force
from analytics.trends import find_trends
from pages._common import (
    call, for_reader, language, load_all, require_router, show_alerts, show_change, show_chart, show_findings, t
)
from pages._filters import no_data, selection
from presentation import charts, findings
from presentation.alerts import alert_findings
from presentation.formats import fmt_month

require_router()
chosen = selection()
lang, vs = language(), chosen.vs()
now, before = chosen.current, chosen.comparison

st.title(t("overview.title"))
st.caption(t("page.period", period=chosen.period(), vs=vs))

window = trend_window(now)
# the longest first
(trends, (csi, csi_monthly), nps, resolution, sentiment, rising, branches, nps_monthly, complaints_monthly,
 sentiment_monthly, alerts, goals) = load_all(
    call(find_trends, now), call(csi_change_with_trend, now, before, window), call(nps_change, now, before),
    call(resolution_change, now, before), call(sentiment_change, now, before),
    call(rising_causes, now, before), call(nps_change_by, now, before, "branch"),
    call(nps_trend, window), call(complaint_trend, window), call(sentiment_by, window, "month"),
    call(alerts_for, now), call(targets_in_force, now))
if not any((nps.current.n, csi.current.n, resolution.current.n, sentiment.current.n)):
    no_data("empty.what.feedback", chosen)

# every test on this page, adjusted together: what changed picks among them all
family = for_reader(overview_family(nps, csi, resolution, sentiment, rising, branches, trends, now, before,
                                    data_from=chosen.options.date_min))
headlines = family.changes
gaps = target_gaps(headlines, goals)
for column, headline in zip(st.columns(len(headlines)), headlines):
    with column:
        # the negative share pools survey comments, NPS comments and complaint descriptions: it says so
        show_change(headline, vs, detail=findings.tile_detail(headline, lang, t("sentiment.pooled"))
                    if headline.metric == "negative_share" else None, target=gaps.get(headline.metric))

st.subheader(t("overview.alerts"))
show_alerts(alert_findings(for_reader(alerts), lang),
            t("overview.alerts_none", month=fmt_month(f"{now.date_to:%Y-%m}", lang)))
st.caption(t("overview.alerts_note"))

st.subheader(t("overview.what_changed"))
show_findings(findings.what_changed(family, lang, vs))
st.caption(findings.family_note(family, lang))

st.subheader(t("overview.trends"))
left, right = st.columns(2)
with left:
    show_chart(charts.nps_trend(nps_monthly, language=lang,
                                title=findings.change_sentence(headlines[0], lang, vs)), empty="empty.what.nps")
    show_chart(charts.complaint_trend(complaints_monthly, language=lang,
                                      title=findings.change_sentence(headlines[2], lang, vs)),
               empty="empty.what.complaints")
with right:
    show_chart(charts.csi_trend(csi_monthly, language=lang,
                                title=findings.change_sentence(headlines[1], lang, vs)), empty="empty.what.csi")
    show_chart(charts.negative_share_trend(sentiment_monthly, language=lang,
                                           title=findings.change_sentence(headlines[3], lang, vs)),
               empty="empty.what.sentiment")
