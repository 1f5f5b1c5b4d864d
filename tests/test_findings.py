"""Generated sentences: a direction word and a colour only for a change that passes its test."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from analytics import changes
from analytics.gaps import Gap5Result
from analytics.nps import NpsResult, compare_nps
from analytics.stats import two_proportion_z_test
from presentation import findings
from presentation.findings import BAD, GOOD, NEUTRAL, Change


def nps_change(now: tuple[int, int, int], before: tuple[int, int, int]):
    return compare_nps(NpsResult.from_counts(*now), NpsResult.from_counts(*before))


def test_a_significant_nps_fall_is_bad_and_says_so():
    # now 20 promoters, 30 passives, 50 detractors: NPS −30; before 50, 30, 20: +30. Δ = −60.
    # adjusted Wald: n' = 103, centres ∓28.4, SE 7.6 each; z ≈ −5.3 → significant
    change = changes.nps_headline(nps_change((20, 30, 50), (50, 30, 20)))
    assert change.delta == pytest.approx(-60.0)
    assert (change.significant, change.direction, change.tone) == (True, "down", BAD)
    assert findings.change_sentence(change, "en", "Sep 2026") == (
        "NPS fell by 60.0 points to −30.0 vs Sep 2026 (significant)")
    assert findings.change_sentence(change, "zh", "2026年9月") == "NPS较2026年9月下降 60.0 分，为 −30.0（显著）"


def test_a_change_that_does_not_pass_gets_no_direction():
    # 5/3/2 against 4/3/3: NPS +30 against +10, Δ = +20 with n = 10 each: z ≈ 0.5, not significant
    # (judged with a minimum n of 5; at the default 30 it is too few to judge)
    change = changes.nps_headline(nps_change((5, 3, 2), (4, 3, 3)), min_n=5)
    assert change.delta == pytest.approx(20.0)
    assert (change.significant, change.direction, change.tone) == (False, None, NEUTRAL)
    sentence = findings.change_sentence(change, "en", "Sep 2026")
    assert sentence == "NPS +30.0: +20.0 vs Sep 2026, not significant"
    for word in ("rose", "fell", "up", "down"):
        assert word not in sentence.split()


@pytest.mark.parametrize("metric, delta, tone", [
    ("complaints", 12.0, BAD), ("complaints", -12.0, GOOD),  # fewer complaints is better
    ("negative_share", 0.1, BAD), ("within_sla", 0.1, GOOD), ("escalation_rate", -0.02, GOOD),
    ("csi", -3.0, BAD),
])
def test_the_tone_follows_which_direction_is_better(metric, delta, tone):
    change = Change(metric, 1.0, 1.0 - delta, delta, True, 100, 100)
    assert change.tone == tone


def test_an_untested_change_is_never_marked():
    change = Change("median_hours", 20.0, 18.0, 2.0, False, 50, 40, tested=False)
    assert change.tone == NEUTRAL
    assert findings.verdict(change, "en") == "a median: not tested"
    assert findings.change_sentence(change, "en", "Sep 2026") == (
        "Median time to resolve 20.0 h: +2.0 h vs Sep 2026 (a median, not tested)")


def test_a_change_from_too_few_is_too_few_to_judge():
    # one 10 in September, one 0 in October: Δ = −200, yet n = 1 on each side
    change = changes.nps_headline(nps_change((0, 0, 1), (1, 0, 0)))
    assert change.too_few and (change.significant, change.direction, change.tone) == (False, None, NEUTRAL)
    assert findings.change_sentence(change, "en", "Sep 2026") == "NPS −100.0: too few to judge (n = 1)"
    assert findings.tile_detail(change, "en") == "too few to judge (n = 1)"
    assert "±" not in findings.tile_detail(change, "en")


def test_too_few_names_the_side_that_is_too_few():
    # the company's month (186 promoters) against one branch's 12: the branch is the side below
    # MIN_N (30), so the tile names its n beside the company's
    change = changes.nps_headline(nps_change((186, 0, 0), (12, 0, 0)))
    assert change.too_few and (change.n, change.n_previous) == (186, 12)
    assert findings.tile_detail(change, "en") == "too few to judge (n = 186; the comparison n = 12)"
    assert findings.tile_detail(change, "zh") == "样本太少，无法判断（n = 186；对比方 n = 12）"
    assert findings.change_sentence(change, "en", "Guangzhou Tianhe") == (
        "NPS +100.0: too few to judge (n = 186; the comparison n = 12)")
    # the figure's own side too few: its n alone says why
    reverse = changes.nps_headline(nps_change((12, 0, 0), (186, 0, 0)))
    assert findings.tile_detail(reverse, "en") == "too few to judge (n = 12)"


@pytest.mark.parametrize("language, note", [
    ("en", "too few to compare with Beijing Chaoyang"), ("zh", "较Beijing Chaoyang：样本太少"),
])
def test_a_tile_shows_no_difference_from_a_comparison_too_few_to_judge(language, note):
    # the month's 186 promoters against a branch's 12 (the minimum is 30): NPS +100 on both sides,
    # yet a tile's grey '+0.0' or '+0.2' would still read as a change; the note says why there is none
    change = changes.nps_headline(nps_change((186, 0, 0), (12, 0, 0)))
    assert change.too_few and change.delta is not None
    assert findings.tile_delta(change, language) is None
    assert findings.change_note(change, language, "Beijing Chaoyang") == note
    # 400 against 380 is judged: its difference is shown
    judged = Change("negative_share", 0.25, 0.20, 0.05, False, 400, 380, p_value=0.06)
    assert findings.tile_delta(judged, "en") == "+5.0 pp"
    assert findings.change_note(judged, "en", "Sep 2026") == "vs Sep 2026"


def test_tile_notes():
    change = Change("negative_share", 0.25, 0.20, 0.05, True, 400, 380, p_value=0.0004, ci_low=0.2102, ci_high=0.2946)
    assert findings.fmt_value("negative_share", 0.25, "en") == "25.0%"
    assert findings.fmt_delta("negative_share", 0.05, "en") == "+5.0 pp"
    assert findings.change_note(change, "en", "Sep 2026") == "vs Sep 2026"
    assert findings.tile_detail(change, "en") == "significant (p < 0.001) · 95% CI 21.0% to 29.5% · n = 400"
    assert findings.tile_detail(change, "zh") == "显著（p < 0.001） · 95% 置信区间 21.0% 至 29.5% · n = 400"
    no_comparison = Change("csi", 70.0, None, None, False, 12, 0)
    assert findings.change_note(no_comparison, "en", "Sep 2026") == "no data for Sep 2026"
    assert findings.change_sentence(no_comparison, "en", "Sep 2026") == (
        "CSI 70.0; no data for Sep 2026 to compare")


def test_nps_mix_headlines_test_the_shares():
    change = nps_change((20, 30, 50), (50, 30, 20))
    promoters, detractors = findings.nps_mix_headlines(change)
    expected = two_proportion_z_test(20, 100, 50, 100)
    assert promoters.value == pytest.approx(0.2) and promoters.previous == pytest.approx(0.5)
    assert promoters.p_value == pytest.approx(expected.p_value)
    assert (promoters.tone, detractors.tone) == (BAD, BAD)


ATTRIBUTES = pd.DataFrame({
    "item_code": ["A", "B", "C"], "attribute": ["Waiting time", "Staff courtesy", "Fees"],
    "satisfaction_now": [55.0, 80.0, 60.0], "n_now": [120, 118, 119],
    "satisfaction_before": [63.0, 74.0, 61.0], "n_before": [110, 111, 109],
    "delta": [-8.0, 6.0, -1.0], "t": [0.0] * 3, "df": [0.0] * 3, "p_value": [0.001, 0.01, 0.7],
    "significant": [True, True, False]})
RISING = pd.DataFrame({
    "cause": ["Mobile app problems", "Fees"], "count_now": [40, 20], "count_before": [15, 25], "change": [25, -5],
    "share_now": [0.4, 0.2], "share_before": [0.15, 0.25], "z": [3.9, -0.8], "p_value": [0.0001, 0.4],
    "significant": [True, False], "rising": [True, False]})
BRANCHES = pd.DataFrame({
    "branch": ["Guangzhou Tianhe", "Xiamen Siming", None], "score": [-20.0, 15.0, 5.0], "n": [80, 60, 5],
    "moe95": [20.0, 22.0, 80.0], "promoters": [20, 20, 1], "passives": [24, 25, 3], "detractors": [36, 15, 1],
    "score_before": [15.0, 10.0, 0.0], "n_before": [75, 55, 4], "moe95_before": [20.0, 22.0, 90.0],
    "delta": [-35.0, 5.0, 5.0], "significant": [True, False, False], "p_value": [0.001, 0.5, 0.6]})


def family(attributes, rising, branches, trends=None):
    tables = {"attributes": attributes, "causes": rising, "branches": branches}
    if trends is not None:
        tables["trends"] = trends
    return changes.adjust_family([], tables)


def test_what_changed_names_the_largest_significant_changes():
    # the family: 3 attributes, 2 causes, 2 branches (the unnamed branch's n = 5 is too few): m = 7.
    # BH q: .0001·7 = .0007; .001 (twice) ·7/3 = .0023; .01·7/4 = .0175 — all below .05
    found = findings.what_changed(family(ATTRIBUTES, RISING, BRANCHES), "en", "Sep 2026")
    assert [f.text for f in found] == [
        "Waiting time: satisfaction fell by 8.0 points to 55.0 vs Sep 2026 (significant, n = 120)",
        "Staff courtesy: satisfaction rose by 6.0 points to 80.0 vs Sep 2026 (significant, n = 118)",
        "Mobile app problems: 40 complaints, up from 15 vs Sep 2026 (40.0% of complaints; significant, q < 0.001)",
        "Guangzhou Tianhe: NPS fell by 35.0 points to −20.0 vs Sep 2026 (significant, n = 80)",
    ]
    assert [f.q for f in found] == pytest.approx([0.007 / 3, 0.0175, 0.0007, 0.007 / 3])
    assert [f.tone for f in found] == [BAD, GOOD, BAD, BAD]


def test_what_changed_without_a_significant_change_says_so_without_direction():
    quiet = ATTRIBUTES.assign(significant=False)
    found = findings.what_changed(family(quiet.assign(p_value=0.5), RISING.assign(significant=False, rising=False,
                                                                                 p_value=0.5),
                                         BRANCHES.assign(significant=False, p_value=0.5)), "en", "Sep 2026")
    assert [f.text for f in found] == [
        "No attribute's satisfaction changed significantly vs Sep 2026; the largest difference is "
        "Waiting time (−8.0, not significant)",
        "No complaint cause rose significantly vs Sep 2026",
        "No branch's NPS changed significantly vs Sep 2026; the largest difference is Guangzhou Tianhe "
        "(−35.0, not significant)",
    ]
    assert {f.tone for f in found} == {NEUTRAL}


@pytest.mark.parametrize("language, expected", [
    ("en", "Attribute satisfaction: too few ratings to judge any difference from Beijing Chaoyang"),
    ("zh", "属性满意度：样本太少，无法判断与Beijing Chaoyang的差异"),
])
def test_no_attribute_differs_is_not_said_when_every_attribute_is_too_few(language, expected):
    # a branch of 14 respondents against the month's 186: each attribute's comparison is below the minimum
    few = ATTRIBUTES.assign(n_before=[14, 13, 14], significant=[False] * 3, too_few=[True] * 3)
    assert findings.attribute_comparison_title(few, language, "Beijing Chaoyang") == expected
    # one attribute judged: the others being too few does not stop 'no attribute differs'
    one = few.assign(too_few=[False, True, True])
    assert findings.attribute_comparison_title(one, "en", "Beijing Chaoyang") == (
        "No attribute differs significantly from Beijing Chaoyang")


@pytest.mark.parametrize("language, expected", [
    ("en", "Complaint causes: no complaints in Oct 2024 to compare with"),
    ("zh", "投诉原因：Oct 2024没有投诉，无法比较"),
])
def test_no_cause_rose_is_not_said_of_a_period_without_complaints(language, expected):
    # the data's first month: 51 complaints now, none in the month before; the test finds nothing
    # to flag, and 'no cause rose significantly' would read as if it had compared
    first = pd.DataFrame({"cause": ["Fees", "Queue"], "count_now": [30, 21], "count_before": [0, 0],
                          "share_now": [30 / 51, 21 / 51], "share_before": [math.nan, math.nan],
                          "p_value": [1.0, 1.0], "significant": [False, False], "rising": [False, False]})
    found = findings.what_changed(family(ATTRIBUTES.iloc[0:0], first, BRANCHES.iloc[0:0]), language, "Oct 2024")
    assert [(f.text, f.tone) for f in found] == [(expected, NEUTRAL)]
    assert findings.rising_title(first, language, "Oct 2024") == expected


def test_a_cause_is_rising_only_by_the_familys_verdict():
    # Queue 20 vs 5 passed its own test (p = .003, 'rising') but 25 complaints in all is under the
    # minimum of 30: too few, so neither significant nor rising; Mobile app problems (40 vs 15,
    # p = .0001, alone in the family: q = .0001) stays rising. The review's tone reads 'rising'.
    causes = pd.DataFrame({"cause": ["Mobile app problems", "Queue"], "count_now": [40, 20], "count_before": [15, 5],
                           "share_now": [2 / 3, 1 / 3], "share_before": [0.75, 0.25], "p_value": [0.0001, 0.003],
                           "significant": [True, True], "rising": [True, True]})
    table = family(ATTRIBUTES.iloc[0:0], causes, BRANCHES.iloc[0:0]).tables["causes"].set_index("cause")
    assert table["too_few"].to_dict() == {"Mobile app problems": False, "Queue": True}
    assert table["rising"].to_dict() == {"Mobile app problems": True, "Queue": False}
    assert table["significant"].to_dict() == {"Mobile app problems": True, "Queue": False}


@pytest.mark.parametrize("language, expected", [
    ("en", "Complaint causes: too few complaints to judge any rise from Sep 2026"),
    ("zh", "投诉原因：投诉太少，无法判断与Sep 2026相比是否上升"),
])
def test_no_cause_rose_is_not_said_when_every_cause_is_too_few(language, expected):
    # one small branch's month: 2 + 1 complaints now against 3 + 2, each cause's 5 or 3 under 30
    few = pd.DataFrame({"cause": ["Fees", "Queue"], "count_now": [2, 1], "count_before": [3, 2],
                        "share_now": [2 / 3, 1 / 3], "share_before": [0.6, 0.4], "p_value": [1.0, 1.0],
                        "significant": [False, False], "rising": [False, False]})
    judged = family(ATTRIBUTES.iloc[0:0], few, BRANCHES.iloc[0:0])
    assert [(f.text, f.tone) for f in findings.what_changed(judged, language, "Sep 2026")] == [(expected, NEUTRAL)]
    assert findings.rising_title(judged.tables["causes"], language, "Sep 2026") == expected


def test_what_changed_of_nothing_is_nothing():
    empty = findings.what_changed(family(ATTRIBUTES.iloc[0:0], RISING.iloc[0:0], BRANCHES.iloc[0:0]), "en",
                                  "Sep 2026")
    assert empty == []


def test_chart_titles_state_the_finding():
    pareto = pd.DataFrame({"cause": ["A", "B", "C", "D"], "count": [5, 3, 1, 1],
                           "share": [.5, .3, .1, .1], "cumulative": [.5, .8, .9, 1.0],
                           "vital_few": [True, True, False, False]})
    assert findings.pareto_title(pareto, "en") == "2 of 4 causes make up 80% of complaints"
    assert findings.pareto_title(pareto, "zh") == "4 类原因中的 2 类占全部投诉的 80%"
    assert findings.rising_title(RISING, "en", "Sep 2026") == (
        "Mobile app problems: 40 complaints, up from 15 vs Sep 2026 (significant)")
    assert findings.attribute_comparison_title(ATTRIBUTES, "en", "Sep 2026") == (
        "Waiting time is 8.0 points below Sep 2026 (significant; 2 attributes differ)")
    assert findings.group_nps_title(BRANCHES, "branch", "en", "Sep 2026") == (
        "Guangzhou Tianhe: NPS fell by 35.0 points to −20.0 vs Sep 2026 (significant)")


def test_trend_summary_has_no_direction_word():
    text = findings.trend_summary("csi", ["2026-08", "2026-09", "2026-10"], [66.0, math.nan, 62.8], "en")
    assert text == "CSI 62.8 in Oct 2026; between 62.8 and 66.0 over the last 2 months"


def test_with_terms_translates_only_the_dashboards_words():
    frame = pd.DataFrame({"source": ["nps", "complaint"], "text": ["太差了", "Slow"]})
    shown = findings.with_terms(frame, {"source": "source"}, "zh")
    assert shown["source"].tolist() == ["NPS 评论", "投诉描述"]
    assert shown["text"].tolist() == ["太差了", "Slow"]


@pytest.mark.parametrize("language, expected", [
    ("en", "not significant (p = 0.007, q = 0.081)"), ("zh", "不显著（p = 0.007，q = 0.081）")])
def test_a_verdict_judged_by_the_family_shows_its_q_beside_p(language, expected):
    # one of several tests on a page: p = 0.007 alone passes 0.05, but its Benjamini–Hochberg
    # q of 0.081 does not, and the verdict is q's, so both are printed
    change = Change("nps", 10.0, 29.7, -19.7, False, 400, 380, p_value=0.007, q_value=0.081)
    assert findings.verdict(change, language) == expected
    assert findings.tile_detail(change, language).count("q = ") == 1


def test_the_overall_gap_5_is_written_with_its_interval():
    gap = Gap5Result(pd.DataFrame(), pd.DataFrame(), overall=-0.25, n=3, unpaired_items=pd.DataFrame(),
                     overall_ci_low=-4.04, overall_ci_high=3.54)
    assert findings.gap5_note(gap, "en") == (
        "Overall gap 5: −0.25 points (mean of the dimensions, n = 3). 95% CI −4.04 to +3.54: conservative,"
        " since the items are answered by the same respondents.")
    assert findings.gap5_note(gap, "zh") == (
        "总体差距 5：−0.25 分（各维度平均，n = 3）。95% 置信区间 −4.04 至 +3.54（保守估计：各题项来自同一批受访者）。")
    # no interval (an item with one pair): the figure alone
    alone = Gap5Result(pd.DataFrame(), pd.DataFrame(), overall=-0.25, n=3, unpaired_items=pd.DataFrame())
    assert "95%" not in findings.gap5_note(alone, "en")


def _gap5(overall, low, high, n=36, dimensions=None, items=None):
    return Gap5Result(pd.DataFrame() if items is None else items, pd.DataFrame() if dimensions is None else dimensions,
                      overall=overall, n=n, unpaired_items=pd.DataFrame(), overall_ci_low=low, overall_ci_high=high)


@pytest.mark.parametrize("gap, language, expected, tone", [
    # the demo's October: −0.39 with 95% CI −0.80 to +0.02, which holds 0: no shortfall is claimed
    (_gap5(-0.3869, -0.7976, 0.0239), "en",
     "No clear gap between perceptions and expectations: −0.39 points, 95% CI −0.80 to +0.02, which includes 0"
     " (gap 5, n = 36)",
     NEUTRAL),
    (_gap5(-0.3869, -0.7976, 0.0239), "zh",
     "感知与期望之间没有明确差距：−0.39 分，95% 置信区间 −0.80 至 +0.02 包含 0（差距 5，n = 36）", NEUTRAL),
    # the demo's whole range: −0.58, 95% CI −0.66 to −0.50, wholly below 0
    (_gap5(-0.5772, -0.6592, -0.4952, n=822), "en",
     "Perceptions fall short of expectations by 0.58 points (gap 5, 95% CI −0.66 to −0.50, n = 822)", BAD),
    (_gap5(-0.5772, -0.6592, -0.4952, n=822), "zh", "感知低于期望 0.58 分（差距 5，95% 置信区间 −0.66 至 −0.50，n = 822）", BAD),
    (_gap5(0.30, 0.10, 0.50), "en",
     "Perceptions exceed expectations by 0.30 points (gap 5, 95% CI +0.10 to +0.50, n = 36)", GOOD),
    (_gap5(0.30, 0.10, 0.50), "zh", "感知高于期望 0.30 分（差距 5，95% 置信区间 +0.10 至 +0.50，n = 36）", GOOD),
    # an interval that ends at 0 holds it
    (_gap5(-0.30, -0.60, 0.0), "en",
     "No clear gap between perceptions and expectations: −0.30 points, 95% CI −0.60 to 0.00, which includes 0"
     " (gap 5, n = 36)",
     NEUTRAL),
    # no interval (an item with one pair): nothing is claimed
    (_gap5(-0.90, None, None), "en", "No clear gap between perceptions and expectations: −0.90 points, no interval:"
     " an item has fewer than two pairs (gap 5, n = 36)", NEUTRAL),
    (_gap5(-0.90, None, None), "zh", "感知与期望之间没有明确差距：−0.90 分，无置信区间：有题项的成对评分少于两个（差距 5，n = 36）",
     NEUTRAL),
])
def test_gap_5_claims_a_shortfall_only_when_its_interval_excludes_0(gap, language, expected, tone):
    assert findings.gap5_title(gap, language) == expected
    model = type("Model", (), {"gap5": gap, "gap1": type("Gap1", (), {"overall": None})(), "status": ()})()
    assert findings.gap_summaries(model, language)["gap5"][1] == tone


DIMENSIONS = ["dimension", "gap", "ci_low", "ci_high"]


@pytest.mark.parametrize("rows, language, expected", [
    # assurance's −0.90 is lower, but its interval holds 0: reliability is the largest clear shortfall
    ([("assurance", -0.90, -2.00, 0.20), ("reliability", -0.78, -1.22, -0.33), ("tangibles", 0.41, -0.06, 0.88)],
     "en", "Largest clear shortfall by dimension: Reliability (−0.78 points, 95% CI −1.22 to −0.33)"),
    ([("assurance", -0.90, -2.00, 0.20), ("reliability", -0.78, -1.22, -0.33)],
     "zh", "明确低于期望、差距最大的维度：可靠性（−0.78 分，95% 置信区间 −1.22 至 −0.33）"),
    ([("assurance", -0.90, -2.00, 0.20), ("tangibles", 0.41, -0.06, 0.88)],
     "en", "No dimension clearly falls short of expectations (lowest: Assurance, −0.90, 95% CI −2.00 to +0.20,"
     " which includes 0)"),
    ([("assurance", -0.90, -2.00, 0.20), ("tangibles", 0.41, -0.06, 0.88)],
     "zh", "没有维度明确低于期望（最低：保证性，−0.90，95% 置信区间 −2.00 至 +0.20 包含 0）"),
    ([("assurance", 0.10, -0.20, 0.40), ("tangibles", 0.41, -0.06, 0.88)],
     "en", "Every dimension meets expectations (smallest: Assurance, +0.10)"),
])
def test_the_dimensions_title_names_a_shortfall_only_where_its_interval_is_below_0(rows, language, expected):
    gap = _gap5(-0.1, -0.5, 0.3, dimensions=pd.DataFrame(rows, columns=DIMENSIONS))
    assert findings.gap_dimensions_title(gap, language) == expected


def test_the_items_title_names_a_shortfall_only_where_its_interval_is_below_0():
    items = pd.DataFrame([("Prompt service", -1.22, -1.61, -0.83), ("Willing to help", -1.40, -3.0, 0.2)],
                         columns=["item_text", "gap", "ci_low", "ci_high"])
    assert findings.gap_items_title(items, "en") == (
        "Largest clear shortfall by item: Prompt service (−1.22 points, 95% CI −1.61 to −0.83)")
    assert findings.gap_items_title(items.iloc[1:], "zh") == (
        "没有题项明确低于期望（最低：Willing to help，−1.40，95% 置信区间 −3.00 至 +0.20 包含 0）")


@pytest.mark.parametrize("language, expected", [
    ("en", "Nothing on this page could be tested: the comparison period has no data to compare with."),
    ("zh", "本页没有可检验的比较：对比期没有可比较的数据。"),
])
def test_the_first_month_says_there_is_nothing_before_it_not_that_it_is_too_few(language, expected):
    # the demo's Nov 2024: 51 complaints, 49.0% of them within the SLA, and nothing in Oct 2024.
    # Neither figure is too few (51 >= 30); neither has a comparison
    from analytics.stats import count_rate_test

    count = changes.complaints_headline(count_rate_test(51, 30, 0, 31), compared=False)
    sla = changes.gated(Change("within_sla", 0.49, None, None, False, 51, 0))
    causes = pd.DataFrame({"cause": ["Fees", "Queue"], "count_now": [30, 21], "count_before": [0, 0],
                           "share_now": [30 / 51, 21 / 51], "share_before": [math.nan, math.nan],
                           "p_value": [math.nan, math.nan], "significant": [False, False], "rising": [False, False]})
    first = changes.adjust_family([count, sla], {"causes": causes})
    assert first.m == 0 and not count.too_few and not sla.too_few
    assert findings.family_note(first, language) == expected
    # a small branch's month has a comparison, too few to judge: that is what its note says
    small = changes.adjust_family([changes.nps_headline(nps_change((5, 3, 2), (4, 3, 3)))], {})
    assert findings.family_note(small, "en").startswith("Nothing on this page could be tested: a figure from fewer")


def test_a_page_with_nothing_to_test_says_so_instead_of_correcting_for_none():
    none = changes.Family((), {}, m=0, min_n=30)
    assert findings.family_note(none, "en") == (
        "Nothing on this page could be tested: a figure from fewer than 30 responses is too few to judge"
        " and is never marked.")
    assert findings.family_note(none, "zh") == "本页没有可检验的比较：少于 30 个样本的数字样本太少，无法判断，从不标记。"
    three = changes.Family((), {}, m=3, min_n=30)
    assert findings.family_note(three, "en").startswith(
        "A change is marked only when it passes its test after the Benjamini–Hochberg correction for the 3 comparisons")


def test_a_rising_theme_is_told_with_both_periods_themed_texts_its_p_and_its_q():
    # app: 30 of 120 themed texts now (25.0%), 12 of 100 before (12.0%), p 0.0123; queue did not rise
    # (p 1.0); fees had no text in either period (no test). Two themes tested: app's q = 2/1 × 0.0123
    # = 0.0246, queue's 1.0.
    rising = pd.DataFrame({"theme": ["app", "queue", "fees"], "total_now": [120, 120, 120],
                           "total_before": [100, 100, 100], "share_now": [0.25, 0.1, 0.0],
                           "share_before": [0.12, 0.1, 0.0], "p_value": [0.0123, 1.0, None],
                           "q_value": [0.0246, 1.0, None], "rising": [True, False, False]})
    assert findings.rising_themes_note(rising, "en", "Sep 2026") == (
        "Rising against Sep 2026, judged by q (Benjamini–Hochberg over the 2 themes tested):"
        " app (25.0% of 120 themed texts, was 12.0% of 100; p = 0.012, q = 0.025).")
    assert findings.rising_themes_note(rising, "zh", "2026年9月") == (
        "与2026年9月相比上升的主题（按 q 判断：对检验的 2 个主题做 Benjamini–Hochberg 校正）："
        "app（占已归类文本 25.0%，n = 120；此前 12.0%，n = 100；p = 0.012，q = 0.025）。")
    # two rising themes are told one after the other, with the reader's language's separator
    both = rising.assign(rising=[True, True, False])
    assert findings.rising_themes_note(both, "en", "Sep 2026").endswith(
        "p = 0.012, q = 0.025); queue (10.0% of 120 themed texts, was 10.0% of 100; p = 1.000, q = 1.000).")
    assert findings.rising_themes_note(both, "zh", "2026年9月").endswith(
        "q = 0.025）；queue（占已归类文本 10.0%，n = 120；此前 10.0%，n = 100；p = 1.000，q = 1.000）。")
