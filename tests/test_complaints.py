"""Complaint causes and resolution against hand-computed values (DESIGN.md, "Complaint causes")."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import dbrows
import pandas as pd
import pytest
from scipy import stats as scipy_stats

from analytics.complaints import (
    cause_pareto, complaint_counts, complaint_iceberg, iceberg, pareto_of_rising, repeat_complainants,
    resolution_change, resolution_stats, rising_causes
)
from analytics.filters import FilterError, Filters
from analytics.follow_up import follow_up_list
from analytics.handling import handling_steps
from analytics.stats import kaplan_meier_median, kaplan_meier_median_counted
from text import tokens
from text.causes import derive_causes
from text.tokens import complaint_tokens

MARCH = Filters(date_from=date(2026, 3, 1), date_to=date(2026, 3, 31))


def add_causes(con, counts: dict, at=datetime(2026, 3, 10)) -> None:
    dbrows.complaints(con, [{"cause": cause, "received_at": at} for cause, k in counts.items() for _ in range(k)])


@pytest.mark.parametrize("counts, expected", [
    # 5 + 3 + 1 + 1 = 10: cumulative .5, .8, .9, 1.0 → Staff reaches 80% exactly, so it is the last vital
    ({"Fees": 5, "Staff": 3, "Wait": 1, "App": 1},
     [("Fees", 5, .5, .5, True), ("Staff", 3, .3, .8, True), ("App", 1, .1, .9, False),
      ("Wait", 1, .1, 1.0, False)]),
    # a tie in count is ordered by name: A 4, then B, C, D with 2 each (10 in all);
    # cumulative .4, .6, .8, 1.0 → C reaches 80% and is vital; D, tied with C but after it, is not
    ({"D": 2, "C": 2, "B": 2, "A": 4},
     [("A", 4, .4, .4, True), ("B", 2, .2, .6, True), ("C", 2, .2, .8, True), ("D", 2, .2, 1.0, False)]),
    # 7 + 2 + 1: cumulative .7, .9, 1.0 → Y crosses 80% and is vital
    ({"X": 7, "Y": 2, "Z": 1}, [("X", 7, .7, .7, True), ("Y", 2, .2, .9, True), ("Z", 1, .1, 1.0, False)]),
    # one cause is all of them
    ({"Only": 3}, [("Only", 3, 1.0, 1.0, True)]),
])
def test_cause_pareto(con, counts, expected):
    add_causes(con, counts)
    frame = cause_pareto(con)
    assert list(frame.columns) == ["cause", "count", "share", "cumulative", "vital_few"]
    got = list(frame.itertuples(index=False, name=None))
    assert [(c, k, v) for c, k, _, _, v in got] == [(c, k, v) for c, k, _, _, v in expected]
    assert frame["share"].tolist() == pytest.approx([e[2] for e in expected])
    assert frame["cumulative"].tolist() == pytest.approx([e[3] for e in expected])


def test_complaints_without_a_cause_are_counted_apart(con):
    add_causes(con, {"Fees": 2})
    dbrows.complaints(con, [{"cause": None}, {"cause": "  "}, {"cause": "Staff", "cause_source": "keywords"}])
    frame = cause_pareto(con)
    # shares are of the 3 complaints with a cause: Fees 2/3, Staff 1/3
    assert frame["cause"].tolist() == ["Fees", "Staff"]
    assert frame["share"].tolist() == pytest.approx([2 / 3, 1 / 3])
    counts = complaint_counts(con)
    assert (counts.n, counts.n_with_cause, counts.n_cause_from_keywords) == (5, 3, 1)


def test_empty_pareto(con):
    frame = cause_pareto(con)
    assert frame.empty and list(frame.columns) == ["cause", "count", "share", "cumulative", "vital_few"]


def test_rising_causes(con):
    add_causes(con, {"Fees": 30, "Staff": 8}, at=datetime(2026, 3, 5))
    add_causes(con, {"Fees": 6, "Staff": 24}, at=datetime(2026, 2, 5))
    frame = rising_causes(con, MARCH).set_index("cause")
    # counts, not shares: given 36 Fees complaints in 31 + 28 days, March's count is
    # Binomial(36, 31/59) under an unchanged rate; 30 is far in its upper tail (exact p, scipy's binomtest)
    assert frame.loc["Fees", "count_now"] == 30 and frame.loc["Fees", "count_before"] == 6
    assert frame.loc["Fees", "change"] == 24
    assert frame.loc["Fees", "p_value"] == pytest.approx(scipy_stats.binomtest(30, 36, 31 / 59).pvalue)
    assert frame.loc["Fees", "p_value"] < 0.001
    assert bool(frame.loc["Fees", "rising"]) is True
    # Staff: 8 vs 24, a significant fall, not rising
    assert bool(frame.loc["Staff", "significant"]) is True and bool(frame.loc["Staff", "rising"]) is False
    assert rising_causes(con, MARCH)["cause"].tolist() == ["Fees", "Staff"]


def test_rising_causes_count_each_period_on_its_own(con):
    # each period is read on its own: a complaint outside both is in neither count, one in a span
    # both periods cover is in both, and a blank cause in none
    add_causes(con, {"Fees": 2, "Staff": 1}, at=datetime(2026, 3, 5))
    add_causes(con, {"Fees": 1}, at=datetime(2026, 2, 20))
    add_causes(con, {"Fees": 4, "Wait": 1}, at=datetime(2026, 1, 5))
    dbrows.complaints(con, [{"cause": "  ", "received_at": datetime(2026, 3, 6)}])
    frame = rising_causes(con, MARCH, Filters(date_from=date(2026, 2, 1), date_to=date(2026, 2, 28)))
    assert sorted(zip(frame["cause"], frame["count_now"], frame["count_before"])) == [("Fees", 2, 1), ("Staff", 1, 0)]
    # 15 February to 10 March against February: the 20 February complaint is in both
    overlap = rising_causes(con, Filters(date_from=date(2026, 2, 15), date_to=date(2026, 3, 10)),
                            Filters(date_from=date(2026, 2, 1), date_to=date(2026, 2, 28)))
    assert sorted(zip(overlap["cause"], overlap["count_now"], overlap["count_before"])) == [
        ("Fees", 3, 1), ("Staff", 1, 0)]


def test_three_complaints_against_none_is_not_a_rise(con):
    # the case: 3 in March, 0 in February. P(X = k | 3) with π = 31/59 = .525424:
    # P0 = .474576³ = .106886, P1 = .355003, P2 = .393050, P3 = .525424³ = .145053;
    # two-sided exact p = P0 + P3 (the outcomes no likelier than 3) = .251939 (a z-test said .014)
    add_causes(con, {"Fees": 3}, at=datetime(2026, 3, 5))
    add_causes(con, {"Staff": 1}, at=datetime(2026, 2, 5))
    frame = rising_causes(con, MARCH).set_index("cause")
    assert frame.loc["Fees", "p_value"] == pytest.approx(0.251939, abs=1e-6)
    assert bool(frame.loc["Fees", "rising"]) is False


def test_no_cause_rises_against_a_period_without_any_complaint(con):
    # the data's first month: 40 Fees complaints in March and none of any cause in February. The
    # exact test would give (31/59)^40 ≈ 6.6e-12 doubled by the tail; February is no baseline, so
    # nothing is tested, flagged or rising
    add_causes(con, {"Fees": 40, "Staff": 2}, at=datetime(2026, 3, 5))
    frame = rising_causes(con, MARCH).set_index("cause")
    assert frame.loc["Fees", "count_now"] == 40 and frame.loc["Fees", "count_before"] == 0
    assert frame["p_value"].isna().all()
    assert not frame["significant"].astype(bool).any() and not frame["rising"].astype(bool).any()
    assert frame["share_now"].tolist() == pytest.approx([40 / 42, 2 / 42])


def test_a_cause_rises_from_zero_when_the_period_before_had_complaints(con):
    # one Staff complaint in February makes it a baseline: Fees 12 vs 0 is Binomial(12, 31/59) at
    # its top; two-sided exact p = P(12) + P(0) = (31/59)^12 + (28/59)^12 = .000442707 + .000130519
    # (P(1) = 12 (31/59)(28/59)^11 = .00173 is likelier than 12)
    add_causes(con, {"Fees": 12}, at=datetime(2026, 3, 5))
    add_causes(con, {"Staff": 1}, at=datetime(2026, 2, 5))
    frame = rising_causes(con, MARCH).set_index("cause")
    assert frame.loc["Fees", "p_value"] == pytest.approx(0.000573226, abs=1e-9)
    assert bool(frame.loc["Fees", "rising"]) is True


def test_a_cause_whose_count_fell_is_never_rising(con):
    # Fees 10 → 8 while the other causes vanish: its share rose from 10/40 to 8/8, its count fell
    add_causes(con, {"Fees": 8}, at=datetime(2026, 3, 5))
    add_causes(con, {"Fees": 10, "Staff": 30}, at=datetime(2026, 2, 5))
    frame = rising_causes(con, MARCH).set_index("cause")
    assert frame.loc["Fees", "share_now"] == 1.0 and frame.loc["Fees", "share_before"] == 0.25
    assert bool(frame.loc["Fees", "rising"]) is False


def test_the_pareto_of_rising_causes_is_the_pareto_of_the_period(con):
    # ties (Staff and Waiting, 5 each, by name), a blank cause left out, and Parking only before
    add_causes(con, {"Fees": 9, "Staff": 5, "Waiting": 5, "Queue": 1}, at=datetime(2026, 3, 5))
    add_causes(con, {"Fees": 2, "Parking": 3}, at=datetime(2026, 2, 5))
    dbrows.complaints(con, [{"cause": "  ", "received_at": datetime(2026, 3, 6)}])
    rising = rising_causes(con, MARCH)
    assert "Parking" in rising["cause"].tolist()
    from_rising = pareto_of_rising(rising)
    pd.testing.assert_frame_equal(from_rising, cause_pareto(con, MARCH))
    # 20 with a cause: Fees .45, Staff .70, Waiting .95, Queue 1.0; the vital few are those before
    # which less than 80% was reached: Fees (0), Staff (.45), Waiting (.70), not Queue (.95)
    assert from_rising["cause"].tolist() == ["Fees", "Staff", "Waiting", "Queue"]
    assert from_rising["cumulative"].tolist() == pytest.approx([0.45, 0.70, 0.95, 1.0])
    assert from_rising["vital_few"].tolist() == [True, True, True, False]
    pd.testing.assert_frame_equal(pareto_of_rising(rising_causes(con, Filters(
        date_from=date(2025, 3, 1), date_to=date(2025, 3, 31)))), cause_pareto(con, Filters(
            date_from=date(2025, 3, 1), date_to=date(2025, 3, 31))))


def test_rising_causes_not_significant(con):
    add_causes(con, {"Fees": 6, "Staff": 4}, at=datetime(2026, 3, 5))
    add_causes(con, {"Fees": 2, "Staff": 8}, at=datetime(2026, 2, 5))
    frame = rising_causes(con, MARCH).set_index("cause")
    # 6 vs 2 in 31 vs 28 days: Binomial(8, 31/59), exact p = .294, not marked
    assert frame.loc["Fees", "p_value"] == pytest.approx(0.294142, abs=1e-5)
    assert bool(frame.loc["Fees", "rising"]) is False


def test_rising_causes_need_a_closed_period(con):
    with pytest.raises(FilterError):
        rising_causes(con, Filters())


def resolution_rows(con) -> None:
    at = datetime(2026, 3, 2, 9, 0)
    dbrows.complaints(con, [
        {"received_at": at, "resolved_at": at + timedelta(hours=2), "escalated": False},
        {"received_at": at, "resolved_at": at + timedelta(hours=10), "escalated": True},
        {"received_at": at, "resolved_at": at + timedelta(hours=30), "escalated": False},
        {"received_at": at, "resolved_at": at + timedelta(hours=48), "escalated": None},
        {"received_at": at, "resolved_at": None, "escalated": False},
    ])


def test_resolution_stats(con):
    resolution_rows(con)
    stats = resolution_stats(con)
    # as of the store's last moment (the 48 h resolution), the open complaint has been open 48 h.
    # Kaplan–Meier over 2, 10, 30, 48 resolved and 48+ open: S(2) = 4/5, S(10) = 4/5·3/4 = .6,
    # S(30) = .6·2/3 = .4 ≤ ½ → median 30 h (resolved ones only would say (10 + 30)/2 = 20)
    assert (stats.n, stats.n_resolved, stats.n_open) == (5, 4, 1)
    assert stats.median_hours_to_resolve == pytest.approx(30.0)
    # the SLA time (24 h) has passed for all 5: within 24 h 2 of 5 = .4, the open one missed
    assert (stats.within_sla_n, stats.n_sla_due, stats.n_open_past_sla, stats.within_sla) == (2, 5, 1, 0.4)
    # escalated: 1 of the 4 with a known flag = .25
    assert (stats.escalated_n, stats.n_escalation_known, stats.escalation_rate) == (1, 4, 0.25)
    # the SLA is inclusive: with 48 h the 4 resolved are within, the open one (48 h so far) missed
    assert resolution_stats(con, sla_hours=48).within_sla == 0.8


def test_resolution_median_with_complaints_open_for_different_times(con):
    """Five complaints: resolved after 1, 2 and 7 h, open for 4 and 8 h as of the last moment (the
    7 h one's resolution at 17:00), each duration read with its own count of resolved and open ones.
    Kaplan–Meier: S(1) = 4/5, S(2) = 4/5·3/4 = .6, the one open at 4 h leaves 2 at risk at 7 h:
    S(7) = .6·1/2 = .3 ≤ ½ → median 7 h."""
    at = datetime(2026, 3, 2, 9, 0)
    dbrows.complaints(con, [
        {"received_at": at, "resolved_at": at + timedelta(hours=1)},
        {"received_at": at, "resolved_at": at + timedelta(hours=2)},
        {"received_at": at + timedelta(hours=1), "resolved_at": at + timedelta(hours=8)},
        {"received_at": at, "resolved_at": None},
        {"received_at": at + timedelta(hours=4), "resolved_at": None},
    ])
    stats = resolution_stats(con)
    assert (stats.n, stats.n_resolved, stats.n_open) == (5, 3, 2)
    assert stats.median_hours_to_resolve == pytest.approx(7.0)


def test_kaplan_meier_by_hand():
    # 5 complaints: resolved at 1, 3, 6 h, open at 4 and 8 h.
    # at risk 5 at t = 1: S = 4/5 = .8; at t = 3 (4 at risk): S = .8·3/4 = .6;
    # the one open at 4 leaves 2 at risk at t = 6: S = .6·1/2 = .3 ≤ ½ → median 6 h
    result = kaplan_meier_median([1, 3, 4, 6, 8], [True, True, False, True, False])
    assert (result.n, result.n_events, result.n_censored, result.median) == (5, 3, 2, 6.0)
    # without open cases it is the ordinary median, midpoint of the middle two when S hits ½ exactly
    assert kaplan_meier_median([10, 20, 30, 40], [True] * 4).median == 25.0
    # fewer than half known to have ended: no median
    assert kaplan_meier_median([5, 9, 9], [True, False, False]).median is None


def test_kaplan_meier_of_counted_durations_by_hand():
    # the same five complaints counted by duration, in no order: resolution_stats' form
    result = kaplan_meier_median_counted([8, 1, 4, 3, 6], [0, 1, 0, 1, 1], [1, 0, 1, 0, 0])
    assert (result.n, result.n_events, result.n_censored, result.median) == (5, 3, 2, 6.0)
    # ties: at 2 h two resolved and one still open, one resolved at 5 h, one open at 7 h.
    # at risk 5 at t = 2: S = 3/5 = .6 (the one open at 2 h is at risk there); then 2 at risk at
    # t = 5: S = .6·1/2 = .3 → median 5 h, one case at a time or counted
    assert kaplan_meier_median_counted([7, 2, 5], [0, 2, 1], [1, 1, 0]).median == 5.0
    assert kaplan_meier_median([2, 2, 2, 5, 7], [True, True, False, True, False]).median == 5.0
    # nothing resolved: no median
    assert kaplan_meier_median_counted([3, 1], [0, 0], [2, 1]).median is None


def test_sla_waits_for_complaints_whose_time_has_not_passed(con):
    # as of 10:00 on 3 March (the last resolution), one complaint came in at 09:00 that day and is
    # open: its 24 h have not passed, so it is not yet counted either way
    dbrows.complaints(con, [
        {"received_at": datetime(2026, 3, 1, 9), "resolved_at": datetime(2026, 3, 1, 12)},
        {"received_at": datetime(2026, 3, 1, 9), "resolved_at": datetime(2026, 3, 3, 10)},
        {"received_at": datetime(2026, 3, 3, 9), "resolved_at": None},
    ])
    stats = resolution_stats(con)
    assert (stats.n_sla_due, stats.within_sla_n, stats.n_open_past_sla, stats.n_open) == (2, 1, 0, 1)
    assert stats.within_sla == 0.5


def test_a_complaint_closed_without_a_resolved_time_is_neither_open_nor_timed(con):
    # as of 10:00 on 5 March (the last resolution). Resolved after 3 h, 6 h and 1 h; one still open
    # (listen); one closed (status Closed: at Satisfy) whose resolution time the log does not give.
    dbrows.complaints(con, [
        {"received_at": datetime(2026, 3, 1, 9), "resolved_at": datetime(2026, 3, 1, 12), "handling_step": "satisfy"},
        {"received_at": datetime(2026, 3, 1, 9), "resolved_at": datetime(2026, 3, 1, 15), "handling_step": "action"},
        {"received_at": datetime(2026, 3, 5, 9), "resolved_at": datetime(2026, 3, 5, 10), "handling_step": "action"},
        {"received_at": datetime(2026, 3, 1, 9), "resolved_at": None, "handling_step": "listen",
         "complaint_ref": "C-OPEN"},
        {"received_at": datetime(2026, 3, 1, 9), "resolved_at": None, "handling_step": "satisfy",
         "complaint_ref": "C-CLOSED"},
    ])
    stats = resolution_stats(con)
    # 4 closed, 1 open; past their 24 h: the 3 h and 6 h ones (both within) and the open one
    # (missed); the one closed without a time cannot be judged either way
    assert (stats.n, stats.n_resolved, stats.n_open) == (5, 4, 1)
    assert (stats.n_sla_due, stats.within_sla_n, stats.n_open_past_sla) == (3, 2, 1)
    # Kaplan–Meier on the other four: S(1 h) = 3/4, S(3 h) = 3/4 · 2/3 = 1/2 exactly, so the median
    # is the midpoint of 3 h and the next resolution, 6 h (counted as open until 10:00 on 5 March,
    # the closed one would have made S(3 h) = 3/5 and the median 6 h)
    assert stats.median_hours_to_resolve == pytest.approx(4.5)
    # the handling steps tell open from closed the same way
    steps = handling_steps(con)
    assert steps.median_hours_to_resolve == pytest.approx(4.5)
    assert (steps.n_closed, steps.n_resolved, steps.n_censored, steps.n_untimed) == (4, 3, 1, 1)
    # and only the open one is a complaint to follow up
    listed = follow_up_list(con, Filters(date_from=date(2026, 3, 1), date_to=date(2026, 3, 31)),
                            datetime(2026, 3, 6, 9))
    complaints = listed[listed["source"] == "complaint"]
    assert len(complaints) == 1


def test_resolution_of_nothing(con):
    stats = resolution_stats(con)
    assert (stats.n, stats.median_hours_to_resolve, stats.within_sla, stats.escalation_rate) == (0, None, None, None)


def test_resolution_change(con):
    resolution_rows(con)
    dbrows.complaints(con, [{"received_at": datetime(2026, 2, 2), "resolved_at": datetime(2026, 2, 2, 5),
                             "escalated": False}])
    change = resolution_change(con, MARCH, Filters(date_from=date(2026, 2, 1), date_to=date(2026, 2, 28)))
    # Kaplan–Meier median 30 h now vs 5 h before; within SLA 2/5 (the open one missed) vs 1/1
    assert change.median_hours_delta == pytest.approx(25.0)
    assert change.within_sla_test.p1 == 0.4 and change.within_sla_test.p2 == 1.0


def test_repeat_complainants(con):
    dbrows.complaints(con, [
        {"customer_id": "c1", "received_at": datetime(2025, 4, 1, 0, 0)},     # first day of the window
        {"customer_id": "c1", "received_at": datetime(2026, 3, 31, 23, 0)},   # last day of the window
        {"customer_id": "c2", "received_at": datetime(2025, 3, 31, 23, 0)},   # before the window
        {"customer_id": "c2", "received_at": datetime(2026, 1, 1)},
        {"customer_id": "c3", "received_at": datetime(2026, 4, 1)},           # after the window
        {"customer_id": "c3", "received_at": datetime(2026, 2, 2)},
        {"customer_id": "c4", "received_at": datetime(2026, 2, 2), "branch": "South"},
        {"customer_id": "c4", "received_at": datetime(2026, 2, 3), "branch": "South"},
        {"customer_id": None, "received_at": datetime(2026, 2, 3)},
        {"customer_id": None, "received_at": datetime(2026, 2, 4)},
        {"customer_id": "  ", "received_at": datetime(2026, 2, 5)},          # blank: no customer
        {"customer_id": "  ", "received_at": datetime(2026, 2, 6)},
    ])
    # window for a period ending 31 March 2026: 1 April 2025 – 31 March 2026
    result = repeat_complainants(con, MARCH)
    assert (result.window_from, result.window_to) == (date(2025, 4, 1), date(2026, 3, 31))
    # c1 twice, c2 once, c3 once, c4 twice → 4 customers, 2 repeat
    assert (result.n_customers, result.n_repeat, result.share) == (4, 2, 0.5)
    south = repeat_complainants(con, Filters(date_to=date(2026, 3, 31), branches=("South",)))
    assert (south.n_customers, south.n_repeat) == (1, 1)


def test_repeat_complainants_without_a_period_end_use_the_last_complaint(con):
    assert repeat_complainants(con).n_customers == 0
    dbrows.complaints(con, [{"customer_id": "c1", "received_at": datetime(2026, 1, 9)},
                            {"customer_id": "c1", "received_at": datetime(2025, 1, 10)}])
    result = repeat_complainants(con)
    # last complaint 9 January 2026 → window 10 January 2025 – 9 January 2026: both inside
    assert (result.window_from, result.n_repeat) == (date(2025, 1, 10), 1)


@pytest.mark.parametrize("complaints, share, estimate", [
    (3, 0.05, 60.0),   # 3 / .05
    (3, 0.10, 30.0),   # 3 / .10
    (0, 0.05, None),   # nothing surfaced, nothing to estimate
])
def test_complaint_iceberg(con, complaints, share, estimate):
    dbrows.complaints(con, [{"customer_id": f"c{i}"} for i in range(complaints)])
    iceberg = complaint_iceberg(con, complaint_share=share)
    assert iceberg.n_complaints == complaints
    assert iceberg.silent_dissatisfied == (estimate if estimate is None else pytest.approx(estimate))


@pytest.mark.parametrize("share", [0, -0.1, 1.5])
def test_complaint_iceberg_refuses_impossible_shares(con, share):
    with pytest.raises(FilterError, match="at most 1"):
        complaint_iceberg(con, complaint_share=share)
    with pytest.raises(FilterError, match="at most 1"):
        iceberg(3, share)


def test_the_iceberg_of_the_counts_is_the_iceberg_of_the_complaints(con):
    dbrows.complaints(con, [{"customer_id": "c1"}, {"customer_id": "c1"}, {"customer_id": None}])
    assert iceberg(complaint_counts(con), 0.1) == complaint_iceberg(con, complaint_share=0.1)
    assert iceberg(3, 0.1).silent_dissatisfied == pytest.approx(30.0)


def test_the_iceberg_divides_complaining_customers_not_complaints(con):
    # the case: 4 complaints from 2 customers. At 5%: 2 / .05 = 40 dissatisfied in all, of
    # whom 38 silent (dividing the complaints said 80). The range: 2/.05 = 40 to 2·26 = 52.
    dbrows.complaints(con, [{"customer_id": "c1"}, {"customer_id": "c1"}, {"customer_id": "c2"},
                            {"customer_id": "c2"}])
    estimate = complaint_iceberg(con)
    assert (estimate.n_complaints, estimate.n_complainants, estimate.n_without_id) == (4, 2, 0)
    assert estimate.silent_dissatisfied == pytest.approx(40.0)
    assert (estimate.total_low, estimate.total_high) == (pytest.approx(40.0), pytest.approx(52.0))
    assert "TARP" in estimate.source and "5%" in estimate.source


def test_complaints_without_a_customer_id_count_one_each(con):
    dbrows.complaints(con, [{"customer_id": "c1"}, {"customer_id": "c1"}, {"customer_id": None},
                            {"customer_id": "  "}])
    estimate = complaint_iceberg(con, complaint_share=0.1)
    assert (estimate.n_complainants, estimate.n_without_id) == (3, 2)
    assert estimate.silent_dissatisfied == pytest.approx(30.0)


LABELLED = pd.DataFrame({
    "text": ["The fee on my account was too high", "Unexpected fees charged twice",
             "Staff were rude at the counter", "Rude staff ignored me",
             "排队时间太长，等了一个小时", "等了很久，排队太慢", None],
    "cause": ["Fees", "Fees", "Staff", "Staff", "Waiting", "Waiting", "Staff"],
})


@pytest.mark.parametrize("text, cause", [
    ("Another fee I did not expect", "Fees"),        # 'fee' (and 'fees' stems to it)
    ("The staff member was RUDE", "Staff"),
    ("排队等了两个小时", "Waiting"),                     # jieba: 排队 / 等 / 了 / 两个 / 小时
    ("Nice weather today", None),                    # no keyword → no cause
    (None, None),
    ("", None),
])
def test_derive_causes(text, cause):
    assert derive_causes(LABELLED, [text]) == [cause]


def test_derive_causes_breaks_ties_by_name():
    labelled = pd.DataFrame({"text": ["alpha", "beta"], "cause": ["B cause", "A cause"]})
    # 'alpha' and 'beta' each weigh 1·ln 2 for their cause: a tie goes to the name sorting first
    assert derive_causes(labelled, ["beta alpha"]) == ["A cause"]


def test_tokens_drop_stopwords():
    assert complaint_tokens("The fees are too HIGH!") == {"fee", "high"}
    # a masked name, number or date is no word (the CFPB's narratives); words with x in them are
    assert complaint_tokens("On XX/XX/XXXX XXXX charged my account twice, xxxxxx") == {"charged", "account", "twice"}
    assert complaint_tokens("Extra tax on the fax") == {"extra", "tax", "fax"}
    assert "的" not in complaint_tokens("服务的态度很差")


def test_token_sets_cut_each_chinese_run_once_and_match_each_text_alone(monkeypatch):
    texts = ["手机银行登录不了，一直提示系统错误。请尽快处理。", "手机银行登录不了。",
             "App crashed again. 请尽快处理。", "手机银行登录不了。", None]
    cut_runs = []
    jieba = tokens._jieba()
    monkeypatch.setattr(jieba, "lcut", lambda run, _lcut=jieba.lcut: cut_runs.append(run) or _lcut(run))
    sets = tokens.complaint_token_sets(texts)
    # five texts, four distinct; their Chinese runs: 手机银行登录不了 (3 times), 一直提示系统错误, 请尽快处理 (twice)
    assert sorted(cut_runs) == sorted(["手机银行登录不了", "一直提示系统错误", "请尽快处理"])
    assert sets["手机银行登录不了。"] == {"手机", "银行", "登录", "不了"}
    assert sets["App crashed again. 请尽快处理。"] == {"app", "crashed", "尽快", "处理"}
    assert sets["手机银行登录不了，一直提示系统错误。请尽快处理。"] == {
        "手机", "银行", "登录", "不了", "一直", "提示", "系统", "错误", "尽快", "处理"}
    assert sets[None] == frozenset()
    monkeypatch.undo()
    assert sets == {text: complaint_tokens(text) for text in set(texts)}


# -- complaint volume and resolution time for the views --------------------------------------------

from analytics.complaints import (  # noqa: E402
    complaint_trend, complaint_volume_change, resolution_time_distribution
)


def test_complaint_trend_counts_each_month(con):
    dbrows.complaints(con, [{"received_at": datetime(2026, 2, 28, 23, 59)}, {"received_at": datetime(2026, 3, 1)},
                            {"received_at": datetime(2026, 3, 31, 12)}, {"received_at": datetime(2026, 5, 2)}])
    trend = complaint_trend(con)
    # April had none: it is a month of the log all the same, counted 0 rather than left out
    assert list(trend.itertuples(index=False, name=None)) == [("2026-02", 1), ("2026-03", 2), ("2026-04", 0),
                                                              ("2026-05", 1)]
    assert complaint_trend(con, MARCH)["n"].tolist() == [2]


@pytest.mark.parametrize("filters, expected", [
    # a branch without complaints in March and April: both months are 0 within the selected range
    (Filters(date_from=date(2026, 2, 1), date_to=date(2026, 5, 31), branches=("B2",)),
     [("2026-02", 1), ("2026-03", 0), ("2026-04", 0), ("2026-05", 1)]),
    # a range reaching past the log (January, June): only the months the log covers, none invented
    (Filters(date_from=date(2026, 1, 1), date_to=date(2026, 6, 30)),
     [("2026-02", 2), ("2026-03", 1), ("2026-04", 0), ("2026-05", 1)]),
    # nothing in the selection at all: no months
    (Filters(date_from=date(2026, 2, 1), date_to=date(2026, 5, 31), branches=("B9",)), []),
])
def test_complaint_trend_shows_months_without_complaints_as_zero(con, filters, expected):
    dbrows.complaints(con, [{"received_at": datetime(2026, 2, 3), "branch": "B1"},
                            {"received_at": datetime(2026, 2, 9), "branch": "B2"},
                            {"received_at": datetime(2026, 3, 4), "branch": "B1"},
                            {"received_at": datetime(2026, 5, 20), "branch": "B2"}])
    assert list(complaint_trend(con, filters).itertuples(index=False, name=None)) == expected


def test_complaint_volume_change_uses_the_periods_days():
    february = Filters(date_from=date(2026, 2, 1), date_to=date(2026, 2, 28))
    # 31 in March and 28 in February: 1 a day both → X₁ | 59 ~ Bin(59, 31/59), centred on 31: p = 1
    test = complaint_volume_change(31, 28, MARCH, february)
    assert (test.exposure1, test.exposure2, test.diff) == (31, 28, 3)
    assert test.p_value == pytest.approx(1.0)
    assert test.significant is False


def test_resolution_time_distribution_buckets_end_at_the_sla(con):
    at = datetime(2026, 3, 10, 8, 0)
    hours = [1, 4, 4.5, 24, 24.5, 30, 200]
    dbrows.complaints(con, [{"received_at": at, "resolved_at": at + timedelta(hours=h)} for h in hours]
                      + [{"received_at": at}])  # one still open: not resolved, not counted
    table = resolution_time_distribution(con, MARCH, sla_hours=24, edges=(4, 24, 48))
    # buckets (0, 4], (4, 24], (24, 48], (48, ∞): 1 and 4 | 4.5 and 24 | 24.5 and 30 | 200
    assert table["count"].tolist() == [2, 2, 2, 1]
    assert table["share"].tolist() == pytest.approx([2 / 7, 2 / 7, 2 / 7, 1 / 7])
    assert table["within_sla"].tolist() == [True, True, False, False]
    assert table["hours_from"].tolist() == [0, 4, 24, 48]
    # the SLA becomes an edge when it is not one: 36 h splits (24, 48] into (24, 36] and (36, 48]
    split = resolution_time_distribution(con, MARCH, sla_hours=36, edges=(4, 24, 48))
    assert split["count"].tolist() == [2, 2, 2, 0, 1]
    assert split["within_sla"].tolist() == [True, True, True, False, False]
    # within the SLA by the buckets equals resolution_stats' share (hours ≤ SLA)
    stats = resolution_stats(con, MARCH, 24)
    assert table[table["within_sla"]]["count"].sum() == stats.within_sla_n


def test_resolution_time_distribution_of_nothing(con):
    assert resolution_time_distribution(con).empty


@pytest.mark.parametrize("seconds", [
    [7], [3, 11], [1, 2, 3], [5, 5, 9, 9], [0, 1, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89],
    # two middle values whose halves round differently from their midpoint
    [1, 70501, 70503, 999999], [-7200, 3601, 3602, 86400 * 400],
])
def test_median_hours_is_duckdbs_median_of_the_hours(con, seconds):
    # with nothing open the Kaplan–Meier median is the ordinary median: DuckDB's median() of the
    # hours (to the last bits of a double: KM halves the seconds before dividing by 3600)
    at = datetime(2026, 3, 10, 8, 0)
    dbrows.complaints(con, [{"received_at": at, "resolved_at": at + timedelta(seconds=s)} for s in seconds])
    expected = con.execute("SELECT median(date_diff('second', received_at, resolved_at) / 3600.0)"
                           " FROM complaint").fetchone()[0]
    assert resolution_stats(con).median_hours_to_resolve == pytest.approx(expected, rel=1e-12, abs=1e-15)


@pytest.mark.parametrize("hours", [0.0, 1 / 3, 0.1, 4, 24, 24.000000001, 23.9999999, 36.5, 1e-9, -2.5, 1e6 + 0.7])
def test_sla_on_seconds_is_the_hours_comparison(con, hours):
    from analytics.complaints import _seconds_within

    limit = _seconds_within(hours)
    for seconds in range(limit - 3, limit + 4):
        assert (seconds <= limit) == (seconds / 3600.0 <= hours)
    # and as DuckDB divides
    assert con.execute("SELECT ($s + 1)::BIGINT / 3600.0 > $h AND $s::BIGINT / 3600.0 <= $h",
                       {"s": limit, "h": hours}).fetchone()[0]
