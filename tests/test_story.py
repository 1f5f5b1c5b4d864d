"""The review's story in words: each area to act on states its numbers, each change is marked only
when its test passes, and the sections come in the review's order."""
from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace

import dbrows
import pytest
from conftest import copy_demo_store

from analytics.filters import Filters
from analytics.review import SECTIONS, Action, month_review
from presentation.findings import NEUTRAL
from presentation.labels import DataLabels
from presentation.story import action_text, scope, story
from store.db import connect


@pytest.mark.parametrize("action, language, text", [
    (Action("fix_first", "Waiting time", 54.0, 63.04, 4.17, 181, weights="stated"), "en",
     "Fix first: Waiting time, satisfaction 54.0 vs 63.0 on average across attributes, importance 4.2 (n = 181)"),
    (Action("fix_first", "Waiting time", 54.0, 63.04, 0.4321, 181, weights="derived"), "en",
     "Fix first: Waiting time, satisfaction 54.0 vs 63.0 on average across attributes, importance 0.43 (n = 181)"),
    (Action("gap", "reliability", -0.776, 6.222, 5.446, 67), "en",
     "Close the gap in Reliability: perception 5.45 vs expectation 6.22, gap 5 = −0.78 (n = 67)"),
    (Action("gap", "reliability", -0.776, 6.222, 5.446, 67), "zh",
     "缩小可靠性差距：感知 5.45，期望 6.22，差距 5 = −0.78（n = 67）"),
    (Action("rising_cause", "App", 0.5, 1 / 6, 30, 60, p_value=0.0001, q_value=0.0003,
            finding={"count_before": 10}), "en",
     "Rising cause: App, 30 complaints vs 10 in Sep 2026 (50.0% of 60; significant, q < 0.001)"),
    (Action("rising_cause", "App", 0.5, 1 / 6, 30, 60, p_value=0.0041, q_value=0.0123,
            finding={"count_before": 10}), "en",
     "Rising cause: App, 30 complaints vs 10 in Sep 2026 (50.0% of 60; significant, q = 0.012)"),
    (Action("branch_nps", "North", -20.0, 25.0, -45.0, 50), "en",
     "North: NPS fell by 45.0 points to −20.0 from +25.0 in Sep 2026 (significant, n = 50)"),
])
def test_each_area_to_act_on_states_its_numbers(action, language, text):
    assert action_text(action, language, "Sep 2026") == text


def test_the_story_marks_only_significant_changes(con):
    # NPS +40 now vs −50 in September from 5 and 4 responses: too few to judge, so no mark
    dbrows.nps(con, [10, 10, 9, 8, 3], responded_at=datetime(2026, 10, 12))
    dbrows.nps(con, [10, 6, 6, 5], responded_at=datetime(2026, 9, 12))
    told = story(month_review(con, "2026-10"), "en")
    assert [s.id for s in told.sections] == list(SECTIONS)
    nps = told.sections[0].tiles[0]
    assert (nps.label, nps.value, nps.detail) == ("NPS", "+40.0", "too few to judge (n = 5)")
    last_month, last_year = nps.comparisons
    # +90.0 is not shown: a difference too few to judge is no difference to read, marked or not
    assert (last_month.delta, last_month.mark, last_month.verdict) == ("—", "", "too few to judge (n = 5)")
    assert (last_year.delta, last_year.mark, last_year.verdict) == ("—", "", "no data for Oct 2025")
    # nothing was tested (too few), so no sentence says nothing changed significantly
    assert [f.text for f in told.sections[0].sentences] == [
        "Nothing on this page could be tested: a figure from fewer than 30 responses is too few to judge"
        " and is never marked."]
    assert told.period == ("Oct 2026, compared with last month (Sep 2026) and the same month last year"
                           " (Oct 2025)")


@pytest.mark.parametrize("language, note", [
    ("en", "Nothing on this page could be tested: the comparison period has no data to compare with."),
    ("zh", "本页没有可检验的比较：对比期没有可比较的数据。"),
])
def test_the_data_s_first_month_says_it_has_nothing_to_compare_with(con, language, note):
    # 40 complaints in October and nothing before it: no figure is too few, none has a comparison
    dbrows.complaints(con, [{"received_at": datetime(2026, 10, 1 + i % 31), "cause": "Fees"} for i in range(40)])
    told = story(month_review(con, "2026-10"), language)
    assert [f.text for f in told.sections[0].sentences] == [note] and told.sections[0].notes == ()
    complaints = next(t for t in told.sections[0].tiles if t.metric == "complaints")
    assert [c.delta for c in complaints.comparisons] == ["—", "—"]


@pytest.mark.parametrize("language, said", [("en", "No NPS data for this selection"), ("zh", "当前选择下没有NPS数据")])
def test_a_section_without_data_says_so_once(con, language, said):
    # complaints alone: the NPS section has no figure now, against last month or last year
    dbrows.complaints(con, [{"received_at": datetime(2026, 10, 1 + i % 31), "cause": "Fees"} for i in range(40)])
    nps = next(s for s in story(month_review(con, "2026-10"), language).sections if s.id == "nps")
    assert [f.text for f in nps.sentences] == [said]


def test_a_significant_change_is_marked_and_said(con):
    dbrows.complaints(con, [{"received_at": datetime(2026, 10, 1 + i % 31)} for i in range(40)]
                      + [{"received_at": datetime(2026, 9, 9)}] * 10)
    told = story(month_review(con, "2026-10"), "en")
    complaints = next(t for t in told.sections[0].tiles if t.metric == "complaints")
    assert complaints.comparisons[0].mark == "▲" and complaints.comparisons[0].tone == "bad"
    assert told.sections[0].sentences[0].text == "Complaints rose by 30 to 40 vs Sep 2026 (significant)"
    # the markers are the family's verdicts: only complaints vs Sep 2026 could be tested (nothing in
    # Oct 2025, no survey, NPS or comments), so the family holds one test and the note says so
    assert told.sections[0].notes[0].endswith(
        "passes after the Benjamini–Hochberg correction for the 1 comparison in this review (q < 0.05).")


@pytest.mark.parametrize("language, expected", [
    ("en", "Region: South China · Branch: Guangzhou Tianhe, Shenzhen Futian · Channel: Mobile app"
           " · Customer tier: Key"),
    ("zh", "区域：华南 · 网点：广州天河、深圳福田 · 渠道：手机银行 · 客户等级：重点客户"),
])
def test_the_scope_names_the_selection_by_its_labels(language, expected):
    # the filters hold the values as the data has them; the reader sees each one's label
    labels = DataLabels({("region", "South"): ("South China", "华南"),
                         ("branch", "GZ-TH"): ("Guangzhou Tianhe", "广州天河"),
                         ("branch", "SZ-FT"): ("Shenzhen Futian", "深圳福田"),
                         ("channel", "手机银行"): ("Mobile app", None)})
    review = SimpleNamespace(current=Filters(regions=("South",), branches=("GZ-TH", "SZ-FT"), channels=("手机银行",),
                                             tiers=("key",)))
    assert scope(review, language, labels) == expected


def test_the_overall_gap_is_told_without_a_marker(demo_master, tmp_path):
    # gap 5 overall is a level with no test behind it: the demo's October falls short (negative),
    # yet the sentence carries no ▼, which on this review means "passed its test"
    with connect(copy_demo_store(demo_master, tmp_path), read_only=True) as con:
        review = month_review(con, "2026-10")
    assert review.gaps.gap5.overall < 0
    gaps = next(s for s in story(review, "en").sections if s.id == "gaps")
    assert gaps.sentences[0].text.startswith("Overall gap 5: −")
    assert gaps.sentences[0].tone == NEUTRAL
