"""Complaints: the Pareto of causes with its 80% line, rising causes, how fast complaints are
resolved against the SLA, escalations, repeat complainants, and the complaint iceberg."""
from __future__ import annotations

import streamlit as st

from analytics import changes
from analytics.complaints import (
    DEFAULT_COMPLAINT_SHARE, complaint_counts, complaint_volume_change, iceberg, pareto_of_rising,
    repeat_complainants, resolution_change, resolution_time_distribution, rising_causes
)
from analytics.filters import covered
from analytics.handling import handling_steps
from analytics.targets import target_gaps, targets_in_force
from pages import _keys as keys
from pages._common import (
    call, for_reader, language, load, load_all, markdown_text, require_router, show_change, show_chart, t
)
from pages._filters import no_data, selection
from presentation import charts, findings
from presentation.formats import fmt_count, fmt_hours, fmt_share

ICEBERG_SHARES = (0.01, 0.02, 0.04, 0.05, 0.1, 0.2, 0.25, 0.5)

require_router()
chosen = selection()
lang, vs = language(), chosen.vs()
now, before = chosen.current, chosen.comparison

st.title(t("complaints.title"))
st.caption(t("page.period", period=chosen.period(), vs=vs))

# the longest first; the Pareto is the causes' counts now, which rising_causes has
repeat, resolution, counts, rising, resolution_times, handling, goals = load_all(
    call(repeat_complainants, now), call(resolution_change, now, before), call(complaint_counts, now),
    call(rising_causes, now, before), call(resolution_time_distribution, now), call(handling_steps, now),
    call(targets_in_force, now))
pareto = for_reader(pareto_of_rising(rising))
if not resolution.current.n:
    no_data("empty.what.complaints", chosen)
headlines = changes.resolution_headlines(resolution)
# the tiles and the causes are one family of tests: the rising chart picks among the causes
family = for_reader(changes.adjust_family(
    [changes.complaints_headline(complaint_volume_change(resolution.current.n, resolution.previous.n, now, before),
                                 compared=covered(before, chosen.options.date_min)),
     headlines["within_sla"], headlines["median_hours"], headlines["escalation_rate"]], {"causes": rising}))
tiles, rising = family.changes, family.tables["causes"]
gaps = target_gaps(tiles, goals)
current = resolution.current
unreached = findings.median_not_reached(current.median_hours_to_resolve, current.n_timed, lang)
for column, tile in zip(st.columns(len(tiles)), tiles):
    with column:
        detail = findings.tile_detail(tile, lang, unreached) if tile.metric == "median_hours" and unreached else None
        show_change(tile, vs, detail=detail, target=gaps.get(tile.metric))
st.caption(findings.family_note(family, lang))

show_chart(charts.pareto(pareto, language=lang, title=findings.pareto_title(pareto, lang)),
           empty="empty.what.causes")
st.caption(markdown_text(findings.cause_coverage(counts, lang)))

left, right = st.columns(2)
with left:
    show_chart(charts.rising_causes(rising, language=lang, title=findings.rising_title(rising, lang, vs),
                                    now_label=chosen.period(), vs_label=vs), empty="empty.what.causes")
with right:
    show_chart(charts.resolution_histogram(resolution_times, resolution.current.sla_hours,
                                           language=lang, title=findings.resolution_title(resolution.current, lang)),
               empty="empty.what.resolved")

st.subheader(t("complaints.handling_heading"))
left, right = st.columns([2, 1])
with left:
    show_chart(charts.handling_funnel(handling.steps, handling.stalls_most, language=lang,
                                      title=findings.handling_title(handling, lang)), empty="empty.what.steps")
with right:
    st.metric(t("metric.confirmed_satisfaction"), fmt_share(handling.confirmed_share), border=True)
    st.caption(t("complaints.confirmed_detail", k=fmt_count(handling.n_confirmed), n=fmt_count(handling.n_closed)))
    st.metric(t("metric.km_median"), fmt_hours(handling.median_hours_to_resolve, lang), border=True)
    st.caption(t("complaints.km_detail", resolved=fmt_count(handling.n_resolved),
                 censored=fmt_count(handling.n_censored)))
    unreached = findings.median_not_reached(handling.median_hours_to_resolve,
                                            handling.n_resolved + handling.n_censored, lang)
    if unreached:
        st.caption(unreached)
    if handling.n_untimed:
        st.caption(t("complaints.km_untimed", n=fmt_count(handling.n_untimed)))
    if handling.n_without_step:
        st.caption(t("complaints.without_step", n=fmt_count(handling.n_without_step)))

st.subheader(t("complaints.iceberg_title"))
left, right = st.columns([1, 2])
with left:
    share = st.select_slider(t("complaints.iceberg_share"), ICEBERG_SHARES, value=DEFAULT_COMPLAINT_SHARE,
                             key=keys.COMPLAINTS_ICEBERG_SHARE, bind="query-params",
                             format_func=lambda s: fmt_share(s, 0))
    st.markdown(t("complaints.iceberg_explained"))
    value, detail = findings.repeat_summary(repeat, lang)
    st.metric(t("metric.repeat"), value, border=True)
    st.caption(markdown_text(detail))
with right:
    estimate = iceberg(counts, share)
    show_chart(charts.iceberg(estimate, language=lang, title=findings.iceberg_title(estimate, lang)),
               empty="empty.what.complaints")
