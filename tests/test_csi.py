"""CSI against hand-computed values (DESIGN.md, "Attribute satisfaction", "CSI", "Importance–performance")."""
from __future__ import annotations

import math
from datetime import date, datetime

import dbrows
import pandas as pd
import pytest
from scipy import stats as scipy_stats

from analytics.csi import (
    attribute_changes, csi_by, csi_change, csi_score, importance_performance, key_drivers
)
from analytics.filters import FilterError, Filters

MARCH = Filters(date_from=date(2026, 3, 1), date_to=date(2026, 3, 31))
FEBRUARY = Filters(date_from=date(2026, 2, 1), date_to=date(2026, 2, 28))


def three_respondents(con, importance: bool = False) -> None:
    """Attribute A on 0–10 and B on 1–7 in one survey; respondent 3 skipped B."""
    imp = lambda code, score: [(code, "importance", score, 1, 10)] if importance else []  # noqa: E731
    with dbrows.together(con):
        dbrows.respondent(con, [("A", "satisfaction", 8, 0, 10, "Waiting time"),
                                ("B", "satisfaction", 7, 1, 7, "Staff courtesy")] + imp("A", 9) + imp("B", 4))
        dbrows.respondent(con, [("A", "satisfaction", 6, 0, 10, "Waiting time"),
                                ("B", "satisfaction", 4, 1, 7, "Staff courtesy")] + imp("A", 7) + imp("B", 2))
        dbrows.respondent(con, [("A", "satisfaction", 10, 0, 10, "Waiting time")])


def test_attribute_satisfaction_and_equal_weights(con):
    three_respondents(con)
    result = csi_score(con)
    attributes = result.attributes.set_index("attribute")
    # A on 0–10: mean (8 + 6 + 10)/3 = 8 → 100·(8 − 0)/(10 − 0) = 80
    # B on 1–7: mean (7 + 4)/2 = 5.5 → 100·(5.5 − 1)/(7 − 1) = 75
    assert attributes.loc["Waiting time", "satisfaction"] == pytest.approx(80.0)
    assert attributes.loc["Waiting time", "mean_score"] == pytest.approx(8.0)
    assert attributes.loc["Waiting time", "n"] == 3
    assert attributes.loc["Staff courtesy", "satisfaction"] == pytest.approx(75.0)
    assert attributes.loc["Staff courtesy", "n"] == 2
    # sd of A on 0–100: values 80, 60, 100 → sd 20
    assert attributes.loc["Waiting time", "sd"] == pytest.approx(20.0)
    # no importance, no overall satisfaction → equal weights: CSI = (80 + 75)/2 = 77.5
    assert result.weights == "equal"
    assert result.score == pytest.approx(77.5)
    # respondent indices: (80 + 100)/2 = 90, (60 + 50)/2 = 55, 100 (A only); n = 3
    # sd = sqrt(((90 − 81.667)² + (55 − 81.667)² + (100 − 81.667)²)/2) = sqrt(1116.667/2) = 23.629
    assert result.n == 3
    assert result.index_sd == pytest.approx(math.sqrt(1116.6666667 / 2))
    # 95% interval: 77.5 ± t(0.975, 2)·23.629/√3, t(0.975, 2) = 4.303 (t table)
    half = 4.302653 * math.sqrt(1116.6666667 / 2) / math.sqrt(3)
    assert result.ci_low == pytest.approx(77.5 - half, abs=1e-3)
    assert 77.5 + half > 100 and result.ci_high == 100.0  # bounded to the scale


def test_stated_weights(con):
    three_respondents(con, importance=True)
    result = csi_score(con)
    # stated importance: A (9 + 7)/2 = 8, B (4 + 2)/2 = 3; CSI = (8·80 + 3·75)/(8 + 3) = 865/11
    assert result.weights == "stated"
    assert result.score == pytest.approx(865 / 11)
    weights = result.attributes.set_index("item_code")["weight"]
    assert weights["A"] == pytest.approx(8 / 11) and weights["B"] == pytest.approx(3 / 11)
    # respondent indices: (8·80 + 3·100)/11 = 85.4545, (8·60 + 3·50)/11 = 57.2727, 100 → n 3
    indices = [940 / 11, 630 / 11, 100.0]
    assert result.n == 3
    assert result.index_sd == pytest.approx(scipy_stats.tstd(indices))


def four_respondents_with_overall(con, copies: int = 8) -> None:
    # overall satisfaction 1..4 on a 1–5 scale; A rises with it, B falls, C is loosely related.
    # Each of the four answers `copies` times: means and correlations are the four's, and 32
    # respondents reach the minimum n that derived importance needs
    with dbrows.together(con):
        for overall, a, b, c, recommend in [(1, 2, 8, 4, 0), (2, 4, 6, 8, 5), (3, 6, 4, 4, 5), (4, 8, 2, 8, 10)] * copies:
            dbrows.respondent(con, [("A", "satisfaction", a, 0, 10, "Speed"),
                                    ("B", "satisfaction", b, 0, 10, "Price"),
                                    ("C", "satisfaction", c, 0, 10, "Branch look")],
                              overall_satisfaction=overall, overall_scale_min=1, overall_scale_max=5,
                              likelihood_to_recommend=recommend)


def test_derived_weights(con):
    four_respondents_with_overall(con)
    result = csi_score(con)
    # r(A, overall) = 1; r(B, overall) = −1 → 0;
    # r(C, overall): C − 6 = (−2, 2, −2, 2), overall − 2.5 = (−1.5, −.5, .5, 1.5);
    #   Σ = 3 − 1 − 1 + 3 = 4, r = 4/sqrt(16·5) = 1/√5 = 0.4472
    # satisfaction: A (20+40+60+80)/4 = 50, B 50, C (40+80+40+80)/4 = 60
    # CSI = (1·50 + 0·50 + 0.4472·60)/(1 + 0 + 0.4472)
    assert result.weights == "derived"
    assert result.score == pytest.approx((50 + 60 / math.sqrt(5)) / (1 + 1 / math.sqrt(5)))
    importance = result.attributes.set_index("item_code")["importance"]
    assert importance.tolist() == pytest.approx([1.0, 0.0, 1 / math.sqrt(5)])


def test_derived_importance_from_too_few_respondents_is_not_used(con):
    # r = 1, −1 and 0.45 from 4 respondents say little: below the minimum n the weights are equal
    four_respondents_with_overall(con, copies=1)
    result = csi_score(con)
    assert result.weights == "equal"
    assert result.score == pytest.approx((50 + 50 + 60) / 3)


def test_derived_weights_all_zero_fall_back_to_equal(con):
    # overall satisfaction does not vary → r undefined → 0 for every attribute → equal
    with dbrows.together(con):
        for a, b in [(2, 8), (6, 4)]:
            dbrows.respondent(con, [("A", "satisfaction", a, 0, 10), ("B", "satisfaction", b, 0, 10)],
                              overall_satisfaction=3, overall_scale_min=1, overall_scale_max=5)
    result = csi_score(con)
    # A: (20 + 60)/2 = 40, B: (80 + 40)/2 = 60 → (40 + 60)/2 = 50
    assert result.weights == "equal"
    assert result.score == pytest.approx(50.0)


def test_a_0_10_and_a_1_7_scale_in_one_database(con):
    # the same item asked on 0–10 in one import and on 1–7 in another
    with dbrows.together(con):
        dbrows.respondent(con, [("Q1", "satisfaction", 5, 0, 10, "Overall service")], batch_id="survey-0-10")
        dbrows.respondent(con, [("Q1", "satisfaction", 7, 1, 7, "Overall service")], batch_id="survey-1-7")
        dbrows.respondent(con, [("Q1", "satisfaction", 3, 1, 7, "Overall service")], batch_id="survey-1-7")
    result = csi_score(con)
    # rows rescaled by their own scale: 100·5/10 = 50, 100·(7 − 1)/6 = 100, 100·(3 − 1)/6 = 33.33
    # → satisfaction (50 + 100 + 33.33)/3 = 61.11
    assert result.score == pytest.approx((50 + 100 + 100 / 3) / 3)
    assert result.n == 3


def test_empty_selection(con):
    result = csi_score(con)
    assert (result.score, result.n, result.weights, result.ci_low, result.moe95) == (None, 0, None, None, None)
    assert result.attributes.empty
    assert csi_by(con, by="month").empty
    assert importance_performance(con).table.empty
    assert key_drivers(con).empty


def test_one_respondent_has_no_interval(con):
    dbrows.respondent(con, [("A", "satisfaction", 9, 0, 10)])
    result = csi_score(con)
    assert result.score == pytest.approx(90.0)
    assert result.n == 1 and result.ci_low is None and result.moe95 is None


def test_csi_by_month_and_branch(con):
    with dbrows.together(con):
        dbrows.respondent(con, [("A", "satisfaction", 8, 0, 10)], branch="North", responded_at=datetime(2026, 2, 3))
        dbrows.respondent(con, [("A", "satisfaction", 6, 0, 10)], branch="South", responded_at=datetime(2026, 2, 9))
        dbrows.respondent(con, [("A", "satisfaction", 10, 0, 10)], branch="North", responded_at=datetime(2026, 3, 1))
        dbrows.respondent(con, [("A", "satisfaction", 4, 0, 10)], branch=None, responded_at=datetime(2026, 3, 2))
    by_month = csi_by(con, by="month")
    # February: (80 + 60)/2 = 70 (n 2); March: (100 + 40)/2 = 70 (n 2)
    assert by_month["month"].tolist() == ["2026-02", "2026-03"]
    assert by_month["csi"].tolist() == pytest.approx([70.0, 70.0])
    assert by_month["n"].tolist() == [2, 2]
    by_branch = csi_by(con, by="branch")
    # North: (80 + 100)/2 = 90; South: 60; no branch: 40, last
    assert by_branch["branch"].tolist() == ["North", "South", None]
    assert by_branch["csi"].tolist() == pytest.approx([90.0, 60.0, 40.0])
    assert by_branch["n"].tolist() == [2, 1, 1]
    with pytest.raises(FilterError):
        csi_by(con, by="comment")


def two_periods(con) -> None:
    with dbrows.together(con):
        for score in (8, 9, 10):
            dbrows.respondent(con, [("A", "satisfaction", score, 0, 10, "Speed")], responded_at=datetime(2026, 3, 10))
        for score in (5, 6, 7):
            dbrows.respondent(con, [("A", "satisfaction", score, 0, 10, "Speed")], responded_at=datetime(2026, 2, 10))


def test_csi_change_by_welch(con):
    two_periods(con)
    change = csi_change(con, MARCH, FEBRUARY)
    # March 80, 90, 100 (mean 90, sd 10); February 50, 60, 70 (mean 60, sd 10)
    # t = 30/sqrt(100/3 + 100/3) = 3.6742; ν = (200/3)²/(2·(100/3)²/2) = 4
    # t table, 4 df: 2.776 (p .05) < 3.674 < 3.747 (p .02), so .02 < p < .05 → significant
    assert change.delta == pytest.approx(30.0)
    assert change.test.t == pytest.approx(30 / math.sqrt(200 / 3))
    assert change.test.df == pytest.approx(4.0)
    assert 0.02 < change.test.p_value < 0.05
    assert change.test.p_value == pytest.approx(
        scipy_stats.ttest_ind([80, 90, 100], [50, 60, 70], equal_var=False).pvalue)
    assert change.significant is True


def test_csi_change_with_trend_weighs_the_trend_as_the_period(con):
    from analytics.csi import csi_change_with_trend

    def rated(a, b, importance_a, importance_b, when):
        dbrows.respondent(con, [("A", "satisfaction", a, 0, 10, "Speed"), ("B", "satisfaction", b, 0, 10, "Care"),
                                ("A", "importance", importance_a, 1, 10), ("B", "importance", importance_b, 1, 10)],
                          responded_at=when)

    with dbrows.together(con):
        rated(8, 6, 9, 3, datetime(2026, 3, 10))
        rated(10, 4, 7, 5, datetime(2026, 3, 20))
        rated(5, 9, 4, 8, datetime(2026, 2, 10))
    spring = Filters(date_from=date(2026, 2, 1), date_to=date(2026, 3, 31))
    change, trend = csi_change_with_trend(con, MARCH, FEBRUARY, spring)
    # March's stated weights A 8, B 4: March (8·90 + 4·50)/12 = 76.667; February on them
    # (8·50 + 4·90)/12 = 63.333 (on its own weights 4 and 8 it would be 76.667)
    assert change.current.score == pytest.approx(920 / 12)
    assert change.previous.score == pytest.approx(760 / 12)
    assert change.delta == pytest.approx(160 / 12)
    assert trend["month"].tolist() == ["2026-02", "2026-03"]
    assert trend["csi"].tolist() == pytest.approx([760 / 12, 920 / 12])
    alone = csi_change(con, MARCH, FEBRUARY)
    assert (alone.current.score, alone.previous.score, alone.test) == (
        change.current.score, change.previous.score, change.test)
    pd.testing.assert_frame_equal(trend, csi_by(con, spring, "month", weights=alone.current.weight_values))
    # a two-month period (weights A 20/3, B 16/3; indices 71.11, 73.33, 67.78): its index pooled
    # from the trend's months equals its own pass
    january = Filters(date_from=date(2026, 1, 1), date_to=date(2026, 1, 31))
    pooled, _ = csi_change_with_trend(con, spring, january, spring)
    direct = csi_score(con, spring)
    assert pooled.current.n == direct.n == 3
    assert pooled.current.score == pytest.approx(direct.score)
    assert pooled.current.index_mean == pytest.approx(direct.index_mean)
    assert pooled.current.index_sd == pytest.approx(direct.index_sd)
    assert pooled.current.index_mean == pytest.approx((640 / 9 + 220 / 3 + 610 / 9) / 3)
    assert pooled.current.ci_low == pytest.approx(direct.ci_low)


def test_attribute_changes(con):
    two_periods(con)
    dbrows.respondent(con, [("B", "satisfaction", 4, 1, 7, "Courtesy")], responded_at=datetime(2026, 3, 10))
    frame = attribute_changes(con, MARCH, FEBRUARY).set_index("item_code")
    assert frame.loc["A", "delta"] == pytest.approx(30.0)
    assert bool(frame.loc["A", "significant"]) is True
    # B only in March: no change reported, n_before 0
    assert frame.loc["B", "n_before"] == 0
    assert math.isnan(frame.loc["B", "delta"])
    assert bool(frame.loc["B", "significant"]) is False


def test_importance_performance_quadrants(con):
    four_respondents_with_overall(con)
    grid = importance_performance(con)
    # importance (derived): A 1, B 0, C 0.4472 → mean 0.4824
    # satisfaction: A 50, B 50, C 60 → mean 53.33
    assert grid.weights == "derived"
    assert grid.importance_mean == pytest.approx((1 + 1 / math.sqrt(5)) / 3)
    assert grid.satisfaction_mean == pytest.approx(160 / 3)
    quadrants = dict(zip(grid.table["item_code"], grid.table["quadrant"]))
    assert quadrants == {"A": "fix_first", "B": "low_priority", "C": "possible_overkill"}


def test_importance_performance_with_stated_importance(con):
    three_respondents(con, importance=True)
    grid = importance_performance(con)
    # importance A 8, B 3 (mean 5.5); satisfaction A 80, B 75 (mean 77.5)
    quadrants = dict(zip(grid.table["item_code"], grid.table["quadrant"]))
    assert quadrants == {"A": "keep_up", "B": "low_priority"}


def test_key_drivers(con):
    four_respondents_with_overall(con)
    drivers = key_drivers(con).set_index("item_code")
    # r(A, recommend): A − 5 = (−3, −1, 1, 3), recommend − 5 = (−5, 0, 0, 5);
    # Σ = 15 + 15 = 30, r = 30/sqrt(20·50) = 3/√10 = 0.9487
    assert drivers.loc["A", "r_overall"] == pytest.approx(1.0)
    assert drivers.loc["B", "r_overall"] == pytest.approx(-1.0)
    assert drivers.loc["C", "r_overall"] == pytest.approx(1 / math.sqrt(5))
    assert drivers.loc["A", "r_recommend"] == pytest.approx(3 / math.sqrt(10))
    assert drivers.loc["A", "n_overall"] == 32 and drivers.loc["A", "n_recommend"] == 32
    # strongest driver of overall satisfaction first
    assert key_drivers(con)["item_code"].tolist() == ["A", "C", "B"]


def test_compare_attributes_of_two_results_equals_attribute_changes(con):
    two_periods(con)
    from analytics.csi import compare_attributes

    change = csi_change(con, MARCH, FEBRUARY)
    pure = compare_attributes(change.current.attributes, change.previous.attributes)
    queried = attribute_changes(con, MARCH, FEBRUARY)
    for column in ("item_code", "attribute", "n_now", "n_before", "significant"):
        assert pure[column].tolist() == queried[column].tolist()
    for column in ("satisfaction_now", "satisfaction_before", "delta", "p_value"):
        assert pure[column].tolist() == pytest.approx(queried[column].tolist(), nan_ok=True)


def test_quadrants_of_a_result_equal_importance_performance(con):
    four_respondents_with_overall(con)
    from analytics.csi import quadrants

    result = csi_score(con)
    grid = quadrants(result.attributes, result.weights)
    reference = importance_performance(con)
    assert grid.weights == reference.weights
    assert grid.importance_mean == pytest.approx(reference.importance_mean)
    assert grid.table["quadrant"].tolist() == reference.table["quadrant"].tolist()
