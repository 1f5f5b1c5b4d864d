"""CSI: attribute satisfaction on a radar (or bars, or a profile line) against a comparison, the
importance–performance grid with what to fix first, the weights used, and the CSI trend."""
from __future__ import annotations

import streamlit as st

from analytics import changes
from analytics.csi import compare_attributes, csi_change_with_trend, quadrants
from analytics.filters import company_wide, one_branch, trend_window
from analytics.targets import target_gaps, targets_in_force
from pages import _keys as keys
from pages._common import (
    choose, data_value, for_reader, keep_in_link, language, load, markdown_text, require_router, show_change, show_chart,
    show_findings, show_table, t, url_choice
)
from pages._filters import no_data, selection
from presentation import charts, findings

AGAINST = ("period", "branch", "company")
VIEWS = ("radar", "bars", "line")

require_router()
chosen = selection()
lang, now = language(), chosen.current

st.title(t("csi.title"))
st.caption(t("page.period_only", period=chosen.period()))

left, middle, right = st.columns([3, 2, 2])
with left:
    against = url_choice(st.segmented_control, t("csi.against"), AGAINST, key=keys.CSI_AGAINST, default="period",
                         words="csi.against", required=True)
if against == "branch" and chosen.options.branches:
    with middle:
        branch = url_choice(st.selectbox, t("csi.branch"), chosen.options.branches, key=keys.CSI_BRANCH,
                            default=chosen.options.branches[0], field="branch",
                            placeholder=choose(chosen.options.branches))
    other, vs, legend = one_branch(now, branch), data_value("branch", branch), data_value("branch", branch)
else:
    keep_in_link(keys.CSI_BRANCH, None, None)  # the branch list is not drawn, nor kept in the link
    if against == "company":
        other, vs, legend = company_wide(now), t("csi.company_average"), t("csi.against.company")
    else:
        other, vs, legend = chosen.comparison, chosen.vs(), chosen.vs()
with right:
    view = url_choice(st.segmented_control, t("csi.view"), VIEWS, key=keys.CSI_VIEW, default="radar",
                      words="csi.view", required=True)

# the trend weighs every month as this period does, so its last point is the tile's CSI
change, trend = load(csi_change_with_trend, now, other, trend_window(now))
if not change.current.n:
    no_data("empty.what.csi", chosen)
# the tile and the attributes are one family of tests: the chart's title picks among them
family = for_reader(changes.adjust_family([changes.csi_headline(change)],
                                          {"attributes": compare_attributes(change.current.attributes,
                                                                            change.previous.attributes)}))
headline, attributes = family.changes[0], family.tables["attributes"]

# room for 'too few to compare with <branch>' under the figure at 1440 px
tile, statement = st.columns([1.4, 3])
with tile:
    show_change(headline, vs, target=target_gaps([headline], load(targets_in_force, now)).get("csi"))
with statement:
    st.markdown(f"**{markdown_text(findings.change_sentence(headline, lang, vs))}**")
    st.markdown(markdown_text(findings.weights_statement(change.current.weights, lang)))
    st.caption(markdown_text(findings.family_note(family, lang)))

draw = {"radar": charts.attribute_radar, "bars": charts.attribute_bars, "line": charts.attribute_profile}[view]
show_chart(draw(attributes, title=findings.attribute_comparison_title(attributes, lang, vs),
                now_label=chosen.period(), vs_label=legend, language=lang), empty="empty.what.csi")

st.subheader(t("csi.ip_title"))
grid = for_reader(quadrants(change.current.attributes, change.current.weights))
chart, fix_first = st.columns([3, 2])
with chart:
    show_chart(charts.importance_performance(grid, title=findings.fix_first_title(grid, lang), language=lang,
                                             x_title=t(f"axis.importance_{change.current.weights or 'equal'}")),
               empty="empty.what.importance")
with fix_first:
    st.markdown(f"#### {t('csi.fix_first')}")
    show_findings(findings.fix_first_findings(grid, lang))

show_chart(charts.csi_trend(trend, language=lang, wide=True,
                            title=findings.trend_summary("csi", trend["month"], trend["csi"], lang)),
           empty="empty.what.csi")

with st.expander(t("csi.weights_table")):
    show_table(findings.weights_table(for_reader(change.current.attributes), lang),
               {"attribute": "col.attribute", "dimension": "col.dimension", "satisfaction": "col.satisfaction",
                "importance": "col.importance", "weight": "col.weight", "n": "col.n"},
               formats={"satisfaction": "%.1f", "importance": "%.2f", "weight": "%.1f%%", "n": "%d"},
               download="csi-weights")
