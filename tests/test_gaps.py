"""The gap model against hand-computed values (DESIGN.md, "Gap model")."""
from __future__ import annotations

import math
from datetime import date, datetime, timedelta

import dbrows
import pandas as pd
import pytest

from analytics.filters import Filters
from analytics.gaps import gap1, gap5, gap_model, gap_model_of, measure_actual, standards_gaps
from presentation.findings import gap5_title


def servqual(con, importance: bool = False) -> None:
    """Three respondents on 1–7; RE2's second perception and T2 have no expectation to pair with."""
    def item(code, kind, score, dimension):
        return (code, kind, score, 1, 7, f"text {code}", dimension)

    def imp(code, score, dimension):
        return [(code, "importance", score, 1, 10, f"text {code}", dimension)] if importance else []

    with dbrows.together(con):
        dbrows.respondent(con, [item("T1", "perception", 5, "Tangibles"), item("T1", "expectation", 6, "Tangibles"),
                                item("RE1", "perception", 4, "Reliability"), item("RE1", "expectation", 7, "Reliability"),
                                item("RE2", "perception", 6, "Reliability"), item("RE2", "expectation", 6, "Reliability")]
                          + imp("T1", 4, "Tangibles") + imp("RE1", 6, "Reliability"))
        dbrows.respondent(con, [item("T1", "perception", 7, "Tangibles"), item("T1", "expectation", 5, "Tangibles"),
                                item("RE1", "perception", 5, "Reliability"), item("RE1", "expectation", 6, "Reliability"),
                                item("RE2", "perception", 3, "Reliability")]
                          + imp("T1", 2, "Tangibles") + imp("RE1", 9, "Reliability"))
        dbrows.respondent(con, [item("T2", "perception", 4, "Tangibles")])


def test_gap5_per_item(con):
    servqual(con)
    result = gap5(con)
    items = result.items.set_index("item_code")
    # T1: pairs (5, 6), (7, 5): P 6, E 5.5, gap mean(−1, 2) = 0.5, n 2
    assert items.loc["T1", ["perception", "expectation", "gap"]].tolist() == pytest.approx([6.0, 5.5, 0.5])
    assert items.loc["T1", "n"] == 2
    # RE1: pairs (4, 7), (5, 6): P 4.5, E 6.5, gap −2
    assert items.loc["RE1", ["perception", "expectation", "gap"]].tolist() == pytest.approx([4.5, 6.5, -2.0])
    # RE2: only respondent 1 has both (6, 6): the unpaired perception 3 is left out → gap 0, n 1
    assert items.loc["RE2", ["perception", "expectation", "gap"]].tolist() == pytest.approx([6.0, 6.0, 0.0])
    assert items.loc["RE2", "n"] == 1
    # dimensions in lower case
    assert items.loc["T1", "dimension"] == "tangibles"
    # T2 was never paired: listed, with the data that is missing
    assert result.unpaired_items.to_dict("records") == [
        {"item_code": "T2", "item_text": "text T2", "reason": "missing_expectation"}]


def test_gap5_per_dimension_and_overall(con):
    servqual(con)
    result = gap5(con)
    dimensions = result.dimensions.set_index("dimension")
    # tangibles: T1 only → 0.5; reliability: mean(−2, 0) = −1 (P mean(4.5, 6) = 5.25, E mean(6.5, 6) = 6.25)
    assert dimensions.loc["tangibles", "gap"] == pytest.approx(0.5)
    assert dimensions.loc["reliability", ["perception", "expectation", "gap"]].tolist() == pytest.approx(
        [5.25, 6.25, -1.0])
    assert dimensions.loc["reliability", "n_items"] == 2
    # overall unweighted: mean of dimension gaps (0.5 − 1)/2 = −0.25; no importance → no weighted
    assert result.overall == pytest.approx(-0.25)
    assert result.overall_weighted is None
    # respondents with at least one pair: 2 (the third answered only T2)
    assert result.n == 2


def test_gap5_intervals_are_students_t_and_conservative_for_means_of_items(con):
    def item(code, kind, score, dimension):
        return (code, kind, score, 1, 7, f"text {code}", dimension)

    # differences P − E: T1 (−1, 2, 0), RE1 (−3, −1, 0), RE2 (0, −2, 1); each has deviations whose
    # squares sum to 42/9, so sd = √(7/3) = 1.527525 and the 95% half-width is
    # t(0.975, 2) · sd / √3 = 4.302653 · 1.527525 / 1.732051 = 3.794583 for every item
    with dbrows.together(con):
        for (t_p, t_e), (r1_p, r1_e), (r2_p, r2_e) in [((5, 6), (4, 7), (6, 6)), ((7, 5), (5, 6), (3, 5)),
                                                        ((6, 6), (6, 6), (5, 4))]:
            dbrows.respondent(con, [item("T1", "perception", t_p, "Tangibles"), item("T1", "expectation", t_e, "Tangibles"),
                                    item("RE1", "perception", r1_p, "Reliability"),
                                    item("RE1", "expectation", r1_e, "Reliability"),
                                    item("RE2", "perception", r2_p, "Reliability"),
                                    item("RE2", "expectation", r2_e, "Reliability")])
    result = gap5(con)
    half = 4.302653 * math.sqrt(7 / 3) / math.sqrt(3)
    items = result.items.set_index("item_code")
    assert items.loc["T1", ["gap", "ci_low", "ci_high"]].tolist() == pytest.approx([1 / 3, 1 / 3 - half, 1 / 3 + half],
                                                                                   rel=1e-5)
    assert items.loc["RE1", ["ci_low", "ci_high"]].tolist() == pytest.approx([-4 / 3 - half, -4 / 3 + half], rel=1e-5)
    # reliability = mean(−4/3, −1/3) = −5/6, its half-width the mean of its items' (the same here)
    dimensions = result.dimensions.set_index("dimension")
    assert dimensions.loc["reliability", ["gap", "ci_low", "ci_high"]].tolist() == pytest.approx(
        [-5 / 6, -5 / 6 - half, -5 / 6 + half], rel=1e-5)
    # overall = (1/3 − 5/6) / 2 = −0.25, ± the mean of the dimensions' half-widths
    assert (result.overall, result.overall_ci_low, result.overall_ci_high) == pytest.approx(
        (-0.25, -0.25 - half, -0.25 + half), rel=1e-5)
    # −0.25 ± 3.794583 = −4.044583 to +3.544583 holds 0: the title claims no shortfall
    assert gap5_title(result, "en", min_n=1) == (
        "No clear gap between perceptions and expectations: −0.25 points, 95% CI −4.04 to +3.54, which includes 0"
        " (gap 5, n = 3)")


def test_gap5_has_no_interval_where_an_item_has_one_pair(con):
    servqual(con)
    result = gap5(con)
    items = result.items.set_index("item_code")
    # T1: differences (−1, 2), sd √4.5; t(0.975, 1) = 12.706205
    half = 12.706205 * math.sqrt(4.5) / math.sqrt(2)
    assert items.loc["T1", ["ci_low", "ci_high"]].tolist() == pytest.approx([0.5 - half, 0.5 + half], rel=1e-5)
    # RE2 has one pair: no spread, no interval, and none for its dimension or the whole
    assert math.isnan(items.loc["RE2", "ci_low"])
    assert math.isnan(result.dimensions.set_index("dimension").loc["reliability", "ci_low"])
    assert result.overall_ci_low is None and result.overall_ci_high is None


def test_gap5_weighted_by_dimension_importance(con):
    servqual(con, importance=True)
    result = gap5(con)
    # importance: tangibles mean(4, 2) = 3, reliability mean(6, 9) = 7.5
    # weighted = (3·0.5 + 7.5·(−1))/(3 + 7.5) = −6/10.5 = −0.5714
    assert result.dimensions.set_index("dimension")["importance"].to_dict() == {"reliability": 7.5, "tangibles": 3.0}
    assert result.overall_weighted == pytest.approx(-6 / 10.5)
    assert result.overall == pytest.approx(-0.25)


def test_gap5_without_expectations(con):
    dbrows.respondent(con, [("P1", "perception", 5, 1, 7, "Clean branch", "Tangibles")])
    result = gap5(con)
    assert (result.overall, result.overall_weighted, result.n, result.missing) == (None, None, 0, "no_expectation_items")
    assert result.items.empty and result.dimensions.empty
    assert result.unpaired_items["reason"].tolist() == ["missing_expectation"]


def test_gap5_of_nothing(con):
    result = gap5(con)
    assert (result.overall, result.n, result.missing) == (None, 0, "no_perception_items")


def test_gap5_respects_filters(con):
    servqual(con)
    # respondents were all on the default date; a branch nobody has selects nothing
    assert gap5(con, Filters(branches=("Nowhere",))).n == 0


def test_gap1(con):
    with dbrows.together(con):
        servqual(con)
        dbrows.management(con, [
            {"manager": "m1", "item_code": "T1", "score": 6, "scale_min": 1, "scale_max": 7},
            {"manager": "m2", "item_code": "T1", "score": 4, "scale_min": 1, "scale_max": 7},
            {"manager": "m1", "item_code": "RE1", "score": 7, "scale_min": 1, "scale_max": 7},
            {"manager": "m1", "item_code": "X9", "score": 3, "scale_min": 1, "scale_max": 7},
        ])
    result = gap1(con)
    items = result.items.set_index("item_code")
    # T1: management mean(6, 4) = 5, customers' expectation mean(6, 5) = 5.5 → 5 − 5.5 = −0.5
    # RE1: 7 − mean(7, 6) = 0.5; RE2 has no management estimate, X9 no customer answers
    assert sorted(items.index) == ["RE1", "T1"]
    assert items.loc["T1", ["management", "expectation", "gap"]].tolist() == pytest.approx([5.0, 5.5, -0.5])
    assert items.loc["RE1", "gap"] == pytest.approx(0.5)
    assert (items.loc["T1", "n_management"], items.loc["T1", "n_customers"]) == (2, 2)
    dimensions = result.dimensions.set_index("dimension")["gap"].to_dict()
    assert dimensions == pytest.approx({"reliability": 0.5, "tangibles": -0.5})
    assert result.overall == pytest.approx(0.0)


def test_gap1_on_another_scale(con):
    with dbrows.together(con):
        dbrows.respondent(con, [("T1", "expectation", 6, 1, 7), ("T1", "perception", 5, 1, 7)])
        dbrows.respondent(con, [("T1", "expectation", 5, 1, 7), ("T1", "perception", 5, 1, 7)])
        dbrows.management(con, [{"item_code": "T1", "score": 5, "scale_min": 0, "scale_max": 10}])
    # management 5 on 0–10 is 0.5 of the scale → 1 + 0.5·6 = 4 on 1–7; customers mean(6, 5) = 5.5
    # gap 1 = 4 − 5.5 = −1.5
    item = gap1(con).items.iloc[0]
    assert (item["management"], item["gap"]) == pytest.approx((4.0, -1.5))


def test_gap1_uses_the_estimate_standing_in_the_period(con):
    with dbrows.together(con):
        dbrows.respondent(con, [("T1", "expectation", 6, 1, 7)], responded_at=datetime(2026, 3, 10))
        dbrows.management(con, [
            {"item_code": "T1", "score": 4, "scale_min": 1, "scale_max": 7, "rated_at": datetime(2026, 1, 15)},
            {"item_code": "T1", "score": 7, "scale_min": 1, "scale_max": 7, "rated_at": datetime(2026, 6, 1)},
        ])
    march = Filters(date_from=date(2026, 3, 1), date_to=date(2026, 3, 31))
    # in March management's estimate was January's 4 (June's 7 came later): 4 − 6 = −2
    assert gap1(con, march).items.iloc[0]["gap"] == pytest.approx(-2.0)
    # over all time the latest estimate stands: 7 − 6 = 1
    assert gap1(con).items.iloc[0]["gap"] == pytest.approx(1.0)


def test_gap5_is_not_weighted_by_the_csi_attributes_importance(con):
    # A1's importance belongs to the CSI questionnaire, not to SERVQUAL's T1
    dbrows.respondent(con, [("T1", "perception", 5, 1, 7, "Clean", "Tangibles"),
                            ("T1", "expectation", 6, 1, 7, "Clean", "Tangibles"),
                            ("A1", "satisfaction", 4, 1, 5, "Branch look", "Tangibles"),
                            ("A1", "importance", 9, 1, 10, "Branch look", "Tangibles")])
    result = gap5(con)
    assert result.overall == pytest.approx(-1.0) and result.overall_weighted is None


@pytest.mark.parametrize("rows, missing", [
    ([], "no_management_ratings"),
    ([{"item_code": "ZZ", "score": 5, "scale_min": 1, "scale_max": 7}], "no_matching_items"),
])
def test_gap1_missing(con, rows, missing):
    with dbrows.together(con):
        servqual(con)
        dbrows.management(con, rows)
    result = gap1(con)
    assert (result.missing, result.overall, result.n_items) == (missing, None, 0)


def complaint_hours(con) -> None:
    at = datetime(2026, 3, 2, 9)
    dbrows.complaints(con, [{"received_at": at, "resolved_at": at + timedelta(hours=h), "escalated": e}
                            for h, e in [(2, False), (10, True), (30, False), (48, False)]])


def add_standards(con) -> None:
    with dbrows.together(con):
        for batch, name, sha, rows, day in (("std-old", "old.xlsx", "a", 1, "2026-01-01"),
                                            ("std-new", "new.xlsx", "b", 7, "2026-02-01")):
            con.execute("INSERT INTO import_batch VALUES (?, 'standards', ?, NULL, ?, ?, 0,"
                        " CAST(? AS TIMESTAMP) + INTERVAL 9 HOUR, NULL, 'imported', NULL, NULL, NULL)",
                        [dbrows.batch_uuid(batch), name, sha, rows, day])
        dbrows.standards(con, [{"batch_id": "std-old", "standard": "Resolve fast", "better": "lower", "target": 30}])
        dbrows.standards(con, [
            {"batch_id": "std-new", "standard": "Resolve fast", "better": "lower", "management_view": 12,
             "target": 24, "promise": 48, "actual_rule": "median_hours_to_resolve"},
            {"batch_id": "std-new", "standard": "Within SLA", "better": "higher", "management_view": 95,
             "target": 90, "promise": 85, "actual_rule": "share_within_sla"},
            {"batch_id": "std-new", "standard": "Answer calls", "better": "Higher", "target": 85, "actual": 80},
            {"batch_id": "std-new", "standard": "Escalations", "better": "lower", "target": 10,
             "actual_rule": "escalation_rate"},
            {"batch_id": "std-new", "standard": "NPS", "better": "higher", "target": 30, "actual_rule": "nps"},
            {"batch_id": "std-new", "standard": "Mystery", "better": "higher", "target": 1, "actual_rule": "bogus"},
            {"batch_id": "std-new", "standard": "Within 48h", "better": "higher", "target": 90,
             "actual_rule": "share_within_sla:48"},
        ])


def test_standards_gaps(con):
    with dbrows.together(con):
        complaint_hours(con)
        add_standards(con)
    frame = standards_gaps(con).set_index("standard")
    # Resolve fast (lower is better, d = −1), newest import wins (target 24, not 30);
    # actual = median(2, 10, 30, 48) = 20 h
    # gap2 = −(24 − 12) = −12; gap3 = −(20 − 24) = 4; gap4 = −(20 − 48) = 28
    fast = frame.loc["Resolve fast"]
    assert (fast["actual"], fast["actual_source"], fast["actual_n"]) == (20.0, "measured", 4)
    assert (fast["gap2"], fast["gap3"], fast["gap4"]) == pytest.approx((-12.0, 4.0, 28.0))
    # Within SLA (higher is better): actual 2 of 4 within 24 h = 50%
    # gap2 = 90 − 95 = −5; gap3 = 50 − 90 = −40; gap4 = 50 − 85 = −35
    sla = frame.loc["Within SLA"]
    assert (sla["actual"], sla["gap2"], sla["gap3"], sla["gap4"]) == pytest.approx((50.0, -5.0, -40.0, -35.0))
    # Answer calls: actual given 80, target 85 → gap3 = −5; no management view or promise
    calls = frame.loc["Answer calls"]
    assert (calls["actual_source"], calls["gap3"]) == ("given", pytest.approx(-5.0))
    assert math.isnan(calls["gap2"]) and math.isnan(calls["gap4"])
    assert calls["missing"] == "no_management_view,no_promise"
    # Escalations (lower is better): 1 of 4 = 25% → gap3 = −(25 − 10) = −15
    assert frame.loc["Escalations", "gap3"] == pytest.approx(-15.0)
    # NPS has no responses to measure; the rule 'bogus' is unknown
    assert frame.loc["NPS", "missing"].startswith("no_data_for_actual")
    assert frame.loc["Mystery", "missing"].startswith("unknown_actual_rule")
    # share_within_sla:48 → all 4 within 48 h = 100% → gap3 = 100 − 90 = 10
    assert frame.loc["Within 48h", "gap3"] == pytest.approx(10.0)
    assert len(frame) == 7


def test_measured_actuals_follow_the_period(con):
    complaint_hours(con)
    march = Filters(date_from=datetime(2026, 3, 1).date(), date_to=datetime(2026, 3, 31).date())
    april = Filters(date_from=datetime(2026, 4, 1).date(), date_to=datetime(2026, 4, 30).date())
    assert measure_actual(con, march, "median_hours_to_resolve") == (20.0, 4, None)
    assert measure_actual(con, april, "median_hours_to_resolve") == (None, 0, "no_data_for_actual")
    dbrows.nps(con, [10, 10, 0])
    # NPS of 10, 10, 0 = 100·(2 − 1)/3
    value, n, _ = measure_actual(con, Filters(), "NPS")
    assert (value, n) == (pytest.approx(100 / 3), 3)


def test_gap_model_says_what_is_missing(con):
    model = gap_model(con)
    assert [(s.gap, s.available, s.missing) for s in model.status] == [
        ("gap1", False, "no_management_ratings"),
        ("gap2", False, "no_service_standards"),
        ("gap3", False, "no_service_standards"),
        ("gap4", False, "no_service_standards"),
        ("gap5", False, "no_perception_items"),
    ]


def test_gap_model_with_data(con):
    with dbrows.together(con):
        servqual(con)
        complaint_hours(con)
        dbrows.standards(con, [{"standard": "Answer calls", "better": "higher", "target": 85, "actual": 80}])
    model = gap_model(con)
    status = {s.gap: (s.available, s.missing, s.n) for s in model.status}
    assert status["gap5"] == (True, None, 2)
    assert status["gap3"] == (True, None, 1)
    assert status["gap2"] == (False, "no_management_view", 0)
    assert status["gap4"] == (False, "no_promise", 0)
    assert model.gap5.overall == pytest.approx(-0.25)


def test_the_gap_model_from_its_parts_asked_for_one_by_one(con):
    # the gaps page asks for gap 5, gap 1 and the standards on their own (load_all)
    with dbrows.together(con):
        servqual(con)
        complaint_hours(con)
        dbrows.standards(con, [{"standard": "Answer calls", "better": "higher", "target": 85, "actual": 80}])
    whole = gap_model(con)
    parts = gap_model_of(gap5(con), gap1(con), standards_gaps(con))
    assert parts.status == whole.status
    assert parts.gap5.overall == whole.gap5.overall == pytest.approx(-0.25)
    pd.testing.assert_frame_equal(parts.standards, whole.standards)
