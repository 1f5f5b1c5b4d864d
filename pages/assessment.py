"""Self-assessment: a team scores its customer orientation, sees its sections on a radar beside the
same period's CSI and NPS, saves it (insert-only), and compares with its last assessment."""
from __future__ import annotations

import datetime as dt

import streamlit as st

from analytics.assessment import assessment_view
from analytics.csi import csi_score
from analytics.nps import nps_score
from loaders.access import AccessError
from pages import _keys as keys
from pages._access import access_panel, current_access
from pages._common import call, cursor, language, load_all, require_router, show_chart, t
from pages._filters import selection
from presentation import charts, findings
from presentation.formats import fmt_date, fmt_share, fmt_signed
from presentation.follow_up import run_save_assessment
from store.assessment import HIGHEST, LOWEST, SECTIONS
from store.errors import FeedbackError

SCORES = tuple(range(LOWEST, HIGHEST + 1))

require_router()
chosen = selection()
lang, now = language(), chosen.current

st.title(t("assessment.title"))
st.markdown(t("assessment.intro"))

left, right = st.columns(2)
with left:
    team = st.text_input(t("assessment.team"), key=keys.ASSESSMENT_TEAM)
with right:
    assessed_on = st.date_input(t("assessment.date"), value=dt.date.today(), key=keys.ASSESSMENT_DATE)

answers = []
for section, count in SECTIONS:
    with st.expander(t(f"assessment.section.{section}"), expanded=False):
        for number in range(1, count + 1):
            answers.append(st.radio(t(f"assessment.statement.{section}.{number}"), SCORES, index=2,
                                    horizontal=True, key=keys.assessment_answer(section, number)))

# saving is for analysts, as uploads are; anyone may score and compare
access = current_access()
if not team.strip():
    st.info(t("assessment.need_team"))
elif not access.analyst:
    st.info(t("assessment.viewer"), icon=":material/visibility:")
    access_panel(access, viewer_key="access.viewer_edits")
elif st.button(t("assessment.save"), type="primary", key="assessment.save_button"):
    cur = cursor()
    try:
        st.session_state[keys.ASSESSMENT_SAVED] = run_save_assessment(cur, current_access(), team, assessed_on, answers)
        st.success(t("assessment.saved", team=team.strip(), date=fmt_date(assessed_on, lang)))
    except AccessError:
        st.error(t("access.denied_edit"), icon=":material/block:")
    except FeedbackError as e:
        st.error(str(e))
    finally:
        cur.close()

cur = cursor()
try:
    # read fresh, not through the cache: a saving changes no import, so the data version stays
    view = assessment_view(cur, team, answers, excluding=st.session_state.get(keys.ASSESSMENT_SAVED))
finally:
    cur.close()
csi, nps = load_all(call(csi_score, now), call(nps_score, now))

chart, side = st.columns([3, 1])
with chart:
    show_chart(charts.assessment_radar(view.sections, title=findings.assessment_title(view, lang),
                                       now_label=t("assessment.now"), last_label=t("assessment.last"),
                                       language=lang))
with side:
    st.metric(t("assessment.total"), fmt_share(view.total / 100, 0), border=True,
              delta=None if view.total_change is None else fmt_signed(view.total_change, 0))
    st.caption(t("assessment.last_on", date=fmt_date(view.last_on, lang)) if view.last_on else t("assessment.no_last"))
    st.markdown(f"**{t('assessment.customers')}** · {chosen.period()}")
    for label, value, n in findings.customer_side(csi, nps, lang):
        st.metric(label, value, border=True)
        st.caption(n)
