"""Gap model: the five gaps of Parasuraman, Zeithaml & Berry drawn with their values, expectation
against perception per dimension and item, gap 1, gaps 2–4 per service standard, and what data
would fill a gap that has none."""
from __future__ import annotations

import streamlit as st

from analytics.gaps import gap1, gap5, gap_model_of, standards_gaps
from pages._common import call, for_reader, language, load_all, markdown_text, require_router, show_chart, show_table, t
from pages._filters import no_data, selection
from presentation import charts, findings

require_router()
chosen = selection()
lang = language()

st.title(t("gaps.title"))
st.caption(t("page.period_only", period=chosen.period()))

model = for_reader(gap_model_of(*load_all(call(gap5, chosen.current), call(gap1, chosen.current),
                                         call(standards_gaps, chosen.current))))
if not any(status.available for status in model.status):
    no_data("empty.what.gaps", chosen, stop=False)
show_chart(charts.gap_model_diagram(findings.gap_summaries(model, lang), language=lang,
                                    title=findings.gap_model_title(model, lang)))
for note in findings.gap_missing_notes(model, lang):
    st.info(markdown_text(note), icon=":material/info:")

st.subheader(t("gaps.gap5_title"))
st.caption(markdown_text(findings.gap5_note(model.gap5, lang)))
left, right = st.columns(2)
with left:
    show_chart(charts.gap5_dimensions(model.gap5, language=lang, title=findings.gap_dimensions_title(model.gap5, lang)),
               empty="empty.what.gap5")
with right:
    show_chart(charts.gap5_items(model.gap5, language=lang, title=findings.gap_items_title(model.gap5.items, lang)),
               empty="empty.what.gap5")

st.subheader(t("gaps.gap1_title"))
show_chart(charts.gap1_items(model.gap1, language=lang, title=findings.gap1_title(model.gap1.items, lang)),
           empty="empty.what.gap1")

st.subheader(t("gaps.standards_title"))
if model.standards.empty:
    st.info(t("gaps.no_standards"))
else:
    st.caption(t("gaps.standards_note"))
    show_table(findings.standards_table(model.standards, lang),
               # the gaps first: the figures they come from and their units follow, off to the right on a laptop
               {"standard": "col.standard", "gap2": "col.gap2", "gap3": "col.gap3", "gap4": "col.gap4",
                "management_view": "col.management_view", "target": "col.target", "promise": "col.promise",
                "actual": "col.actual", "unit": "col.unit", "better": "col.better",
                "actual_source": "col.actual_source"},
               formats={c: "%.1f" for c in ("management_view", "target", "promise", "actual", "gap2", "gap3",
                                            "gap4")},
               download="service-standards")
