"""Branches: every branch's NPS, CSI, complaints and negative share side by side, coloured only where
it differs from the rest of the company beyond chance (after the family's correction)."""
from __future__ import annotations

import streamlit as st

from analytics.league import branch_league
from pages import _keys as keys
from pages._common import (
    for_reader, language, load, require_router, show_chart, show_coloured_table, t, url_choice
)
from pages._filters import no_data, selection
from presentation.league import SORTS, league_chart, league_note, league_view

require_router()
chosen = selection()
lang, now = language(), chosen.current

st.title(t("branches.title"))
st.caption(t("page.period_only", period=chosen.period()))
sort = url_choice(st.segmented_control, t("branches.sort"), SORTS, key=keys.BRANCHES_SORT, default="nps",
                  words="branches.sort", required=True)

league = for_reader(load(branch_league, now))  # branches by their labels (presentation.labels)
if league.empty:  # nothing this month, or nothing that names a branch (a file without the column)
    no_data("empty.what.branch_feedback", chosen)
cells, styles = league_view(league, sort, lang)
show_coloured_table(cells, styles)
st.caption(league_note(league, lang))
show_chart(league_chart(league, lang), empty="empty.what.nps")
