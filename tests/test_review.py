"""The month in review on small hand-made tables: headlines vs last month and last year, the
representative verbatims, the most common theme, and the areas to act on with their numbers."""
from __future__ import annotations

import math
from datetime import date, datetime
from types import SimpleNamespace

import dbrows
import pandas as pd
import pytest

from analytics.complaints import cause_pareto
from analytics.csi import quadrants
from analytics.filters import Filters, month_filters
from analytics.gaps import Gap1Result, Gap5Result, GapModel
from analytics.review import SECTIONS, areas_to_act_on, common_theme, month_review, review_of, review_parts

OCT, SEP, OCT_LAST_YEAR = datetime(2026, 10, 12, 9), datetime(2026, 9, 12, 9), datetime(2025, 10, 12, 9)


@pytest.fixture
def small(con):
    # NPS: October 10 10 9 8 3 -> (3 - 1)/5 = +40; September 10 6 6 5 -> (1 - 3)/4 = -50;
    # October last year 9 7 -> (1 - 0)/2 = +50.
    with dbrows.together(con):
        dbrows.nps(con, [10, 10, 9], responded_at=OCT, branch="North")
        dbrows.nps(con, [8], responded_at=OCT, branch="North", comment="great service", sentiment=0.8)
        dbrows.nps(con, [3], responded_at=OCT, branch="North", comment="awful queue", sentiment=-0.9,
                   customer_id="C000001")
        dbrows.nps(con, [10, 6, 6, 5], responded_at=SEP, branch="North")
        dbrows.nps(con, [9, 7], responded_at=OCT_LAST_YEAR, branch="North")
        # CSI on a 1–5 scale, equal weights: October A 5,4 -> 87.5, B 3,4 -> 62.5, CSI 75.0;
        # September A 3,2 and B 3,2 -> 37.5 each, CSI 37.5.
        for a, b, at in ((5, 3, OCT), (4, 4, OCT), (3, 3, SEP), (2, 2, SEP)):
            dbrows.respondent(con, [("A", "satisfaction", a, 1, 5, "Waiting time"),
                                    ("B", "satisfaction", b, 1, 5, "Staff courtesy")], responded_at=at)
        # Complaints: October three about fees and one about staff; one in September.
        dbrows.complaints(con, [
            {"cause": "Fees", "description": "fee charged twice", "received_at": datetime(2026, 10, 20), "sentiment": -0.2},
            {"cause": "Fees", "description": "fee charged", "received_at": datetime(2026, 10, 10), "sentiment": -0.2,
             "customer_id": "C000002", "branch": "South"},
            {"cause": "Fees", "description": "hidden fee", "received_at": datetime(2026, 10, 5), "sentiment": -0.2},
            {"cause": "Staff", "description": "rude staff", "received_at": datetime(2026, 10, 3), "sentiment": -0.2},
            {"cause": "Fees", "description": "fee", "received_at": datetime(2026, 9, 3)},
        ])
    return con


def test_headlines_against_last_month_and_last_year(small):
    review = month_review(small, "2026-10")
    assert (review.current.date_from, review.current.date_to) == (date(2026, 10, 1), date(2026, 10, 31))
    assert (review.previous.date_from, review.previous.date_to) == (date(2026, 9, 1), date(2026, 9, 30))
    assert (review.last_year.date_from, review.last_year.date_to) == (date(2025, 10, 1), date(2025, 10, 31))
    nps = review.headline("nps")
    assert (nps.vs_previous.value, nps.vs_previous.previous, nps.vs_last_year.previous) == (40.0, -50.0, 50.0)
    assert (nps.vs_previous.n, nps.vs_previous.n_previous, nps.vs_last_year.n_previous) == (5, 4, 2)
    # 5 and 4 responses are below the minimum n (30): too few to judge, so no marker whatever the test
    assert nps.vs_previous.delta == pytest.approx(90.0) and not nps.vs_previous.significant
    assert nps.vs_previous.too_few
    assert nps.vs_previous.direction is None
    csi = review.headline("csi")
    assert csi.vs_previous.value == pytest.approx(75.0) and csi.vs_previous.previous == pytest.approx(37.5)
    assert csi.vs_last_year.previous is None and csi.vs_last_year.delta is None  # no survey a year ago
    complaints = review.headline("complaints")
    assert (complaints.vs_previous.value, complaints.vs_previous.previous, complaints.vs_previous.delta) == (4, 1, 3)
    assert (complaints.vs_last_year.previous, complaints.vs_last_year.delta) == (0, 4)
    negative = review.headline("negative_share")
    # October's texts: 0.8, −0.9 and four complaints at −0.2: 5 of 6 below −0.05
    assert negative.vs_previous.value == pytest.approx(5 / 6) and negative.vs_previous.n == 6


def test_a_significant_change_gets_a_direction_only_when_its_test_passes(con):
    # 40 complaints in October (31 days) against 10 in September (30 days): the exact conditional
    # test of X = 40 given 50 at π = 31/61 gives p < 0.001; a year ago lies before the data, so that
    # is no figure and no test (not "+40 vs Oct 2025"), and the family holds this one test, q = p.
    # A rise in complaints is bad.
    dbrows.complaints(con, [{"received_at": datetime(2026, 10, 1 + i % 31)} for i in range(40)]
                      + [{"received_at": datetime(2026, 9, 9)}] * 10)
    review = month_review(con, "2026-10")
    change = review.headline("complaints").vs_previous
    assert (change.delta, change.significant, change.direction, change.tone) == (30, True, "up", "bad")
    assert change.p_value < 0.001 and change.q_value == change.p_value and review.family.m == 1
    last_year = review.headline("complaints").vs_last_year
    assert (last_year.previous, last_year.delta, last_year.significant) == (None, None, False)


def test_twelve_complaints_against_one_are_too_few_to_judge(con):
    # 12 vs 1 would pass the exact test (p ≈ 0.003) but 13 complaints are below the minimum n
    dbrows.complaints(con, [{"received_at": datetime(2026, 10, 1 + i)} for i in range(12)]
                      + [{"received_at": datetime(2026, 9, 9)}])
    change = month_review(con, "2026-10").headline("complaints").vs_previous
    assert change.too_few and change.direction is None and change.tone == "neutral"


def _theme(con, descriptions: list[str], words: list[list[str]] | None = None):
    """The common theme's verbatim when one cause's complaints in October are `descriptions`, newest
    first, the n-th from customer Cn; with `words`, these are the words stored at import."""
    rows = [{"cause": "Fees", "description": text, "received_at": datetime(2026, 10, 28 - i), "customer_id": f"C{i}"}
            for i, text in enumerate(descriptions)]
    for row, found in zip(rows, words or []):
        row["description_words"] = found
    dbrows.complaints(con, rows)
    current = month_filters(Filters(), "2026-10")
    return common_theme(con, current, cause_pareto(con, current))


def test_the_most_typical_text_shares_most_of_its_words(con):
    # words: {fee, charged, twice}, {fee, charged}, {hidden, fee}; df fee 3, charged 2, twice 1, hidden 1
    # mean shares: (3+2+1)/3/3 = 0.667, (3+2)/2/3 = 0.833, (1+3)/2/3 = 0.667
    theme = _theme(con, ["fee charged twice", "fee charged", "hidden fee"])
    assert (theme.text, theme.customer_id) == ("fee charged", "C1")
    assert theme.typicality == pytest.approx(5 / 6)


def test_equal_scores_go_to_the_newest(con):
    theme = _theme(con, ["card blocked", "card blocked"])
    assert (theme.customer_id, theme.typicality) == ("C0", pytest.approx(1.0))


def test_a_repeated_text_counts_once_per_complaint(con):
    # df card 1, blocked 1, fee 3, charged 3 of N = 4: "card blocked" 1/4, "fee charged" 3/4, whose
    # newest (C1) is taken. Counted once per distinct text, the two would tie at 1/2 and the newer win.
    theme = _theme(con, ["card blocked", "fee charged", "fee charged", "fee charged"])
    assert (theme.text, theme.customer_id, theme.typicality) == ("fee charged", "C1", pytest.approx(0.75))


def test_one_text_with_other_stored_words_is_scored_apart(con):
    # stored: {q}, {p}, {p}: the same text cut two ways (a tokenizer changed between imports);
    # df q 1, p 2: the first 1/3, the others 2/3, and the newer of those (C1) is taken
    theme = _theme(con, ["card blocked", "card blocked", "card blocked"], [["q"], ["p"], ["p"]])
    assert (theme.customer_id, theme.typicality) == ("C1", pytest.approx(2 / 3))


def test_a_blank_description_is_not_one_of_the_causes_complaints(con):
    # N = 2 without the blank ones: df fee 2, charged 1; "fee charged" (2+1)/2/2 = 3/4, "fee" 2/2 = 1.
    # Counted in N, the two blanks would make "fee" 2/4.
    theme = _theme(con, ["   ", "fee charged", "", "fee"])
    assert (theme.text, theme.typicality) == ("fee", pytest.approx(1.0))


def test_texts_without_words_score_0_and_the_newest_is_taken(con):
    theme = _theme(con, ["no", "ok"])  # words of one or two letters are no words
    assert (theme.text, theme.typicality) == ("no", 0.0)


def test_the_words_stored_at_import_are_the_ones_counted(con):
    # stored: {p}, {q, r}, {q}; df p 1, q 2, r 1; mean shares 1/3, (2+1)/2/3 = 1/2, 2/3. Cut from
    # the texts instead, the second ({card, blocked}, 2/3) would tie the third and win as the newer
    theme = _theme(con, ["fee charged twice", "card blocked", "card blocked again"], [["p"], ["q", "r"], ["q"]])
    assert (theme.text, theme.typicality) == ("card blocked again", pytest.approx(2 / 3))


def test_the_three_verbatims(small):
    review = month_review(small, "2026-10")
    kinds = {v.kind: v for v in review.verbatims}
    assert list(kinds) == ["most_negative", "most_positive", "common_theme"]
    assert (kinds["most_negative"].text, kinds["most_negative"].source) == ("awful queue", "nps")
    assert kinds["most_negative"].customer_id == "C000001"
    assert (kinds["most_positive"].text, kinds["most_positive"].sentiment) == ("great service", 0.8)
    theme = kinds["common_theme"]
    # Fees is the month's most frequent cause (3 of 4 complaints); its most typical is "fee charged"
    assert (theme.theme, theme.theme_count, theme.theme_n) == ("Fees", 3, 4)
    assert (theme.text, theme.branch, theme.customer_id) == ("fee charged", "South", "C000002")
    assert theme.typicality == pytest.approx(5 / 6)


def test_a_month_without_texts_has_no_verbatims(con):
    dbrows.nps(con, [9], responded_at=OCT)
    review = month_review(con, "2026-10")
    assert review.verbatims == () and review.has_data


def test_an_empty_month_has_no_data(con):
    review = month_review(con, "2026-10")
    assert not review.has_data and review.actions == () and review.verbatims == ()


def test_filters_narrow_every_figure_but_the_month_is_the_months(small):
    review = month_review(small, "2026-10", Filters(date_from=date(2020, 1, 1), branches=("South",)))
    assert review.current == Filters(date(2026, 10, 1), date(2026, 10, 31), branches=("South",))
    assert review.headline("complaints").vs_previous.value == 1
    assert review.headline("nps").vs_previous.n == 0


def test_the_sections_are_in_the_issues_order():
    assert SECTIONS == ("headlines", "csi", "gaps", "nps", "complaints", "sentiment", "verbatims", "actions")


def _gaps(rows) -> GapModel:
    dimensions = pd.DataFrame(rows, columns=["dimension", "perception", "expectation", "gap", "n_items", "n",
                                             "importance", "ci_low", "ci_high"])
    return GapModel(Gap5Result(items=pd.DataFrame(), dimensions=dimensions, overall=float(dimensions["gap"].mean())),
                    Gap1Result(items=pd.DataFrame(), dimensions=pd.DataFrame()), pd.DataFrame())


def test_areas_to_act_on_state_their_numbers():
    # importance 4.5, 4.0, 3.0, 2.5 (mean 3.5); satisfaction 50, 80, 40, 90 (mean 65):
    # only A is important and below the mean satisfaction, so only A is fix-first
    attributes = pd.DataFrame({"item_code": ["A", "B", "C", "D"], "attribute": ["Waiting", "Staff", "Decor", "Coffee"],
                               "importance": [4.5, 4.0, 3.0, 2.5], "satisfaction": [50.0, 80.0, 40.0, 90.0],
                               "n": [40, 41, 42, 43]})
    grid = quadrants(attributes, "stated")
    gaps = _gaps([("reliability", 5.4, 6.2, -0.8, 4, 40, math.nan, -1.2, -0.4),
                  ("tangibles", 6.0, 5.7, 0.3, 4, 41, math.nan, 0.1, 0.5),
                  ("responsiveness", 5.0, 5.5, -0.5, 4, 42, math.nan, -0.9, -0.1),
                  ("assurance", 5.8, 5.9, -0.1, 4, 43, math.nan, -0.5, 0.3),   # its interval holds 0: no shortfall
                  ("access", 5.0, 6.1, -1.1, 4, 44, math.nan, -2.3, 0.1),  # larger, but its interval holds 0 too
                  # the largest shortfall, from too few pairs
                  ("empathy", 4.0, 6.0, -2.0, 4, 12, math.nan, -3.0, -1.0)])
    rising = pd.DataFrame({"cause": ["App", "Fees", "Staff"], "count_now": [30, 20, 10], "count_before": [10, 20, 30],
                           "share_now": [0.5, 1 / 3, 1 / 6], "share_before": [1 / 6, 1 / 3, 0.5],
                           "p_value": [0.0001, 1.0, 0.0001], "significant": [True, False, True],
                           "rising": [True, False, False]})
    branches = pd.DataFrame({"branch": ["North", "South", None], "score": [-20.0, 30.0, 0.0],
                             "score_before": [25.0, 10.0, 50.0], "delta": [-45.0, 20.0, -50.0],
                             "significant": [True, True, True], "n": [50, 60, 5], "n_before": [45, 50, 4]})
    actions = areas_to_act_on(grid, gaps, rising, branches)
    assert [(a.kind, a.subject, a.value, a.reference, a.detail, a.n) for a in actions] == [
        ("fix_first", "Waiting", 50.0, 65.0, 4.5, 40),
        ("gap", "reliability", -0.8, 6.2, 5.4, 40),  # the two largest shortfalls, largest first
        ("gap", "responsiveness", -0.5, 5.5, 5.0, 42),
        ("rising_cause", "App", 0.5, 1 / 6, 30, 60),  # 30 of the 60 complaints with a cause
        ("branch_nps", "North", -20.0, 25.0, -45.0, 50),  # a rise is no action; an unknown branch is left out
    ]
    assert actions[3].p_value == 0.0001


def test_nothing_to_act_on_without_importance_shortfalls_or_significant_moves():
    attributes = pd.DataFrame({"item_code": ["A"], "attribute": ["Waiting"], "importance": [1.0],
                               "satisfaction": [50.0], "n": [4]})
    gaps = _gaps([("tangibles", 6.0, 5.7, 0.3, 4, 11, math.nan, 0.1, 0.5)])
    empty_rising = pd.DataFrame({c: [] for c in ("cause", "count_now", "share_now", "share_before", "p_value",
                                                  "rising")})
    branches = pd.DataFrame({"branch": ["North"], "score": [10.0], "score_before": [40.0], "delta": [-30.0],
                             "significant": [False], "n": [9], "n_before": [9]})
    assert areas_to_act_on(quadrants(attributes, None), gaps, empty_rising, branches) == ()


def test_the_parts_asked_for_one_by_one_make_the_same_review(small):
    # the review page asks for each part on its own (load_all), with no figure shared between them
    whole = month_review(small, "2026-10")
    parts = review_of("2026-10", Filters(), *(function(small, *args) for function, *args in review_parts("2026-10")))
    assert parts.headlines == whole.headlines
    assert (parts.verbatims, parts.actions) == (whole.verbatims, whole.actions)
    assert parts.gaps.status == whole.gaps.status
    # October's CSI (75.0, from the fixture's arithmetic) and its three Fees complaints, both ways
    assert parts.csi.current.score == whole.csi.current.score == pytest.approx(75.0)
    assert parts.counts == whole.counts
    assert parts.causes["count"].tolist() == whole.causes["count"].tolist() == [3, 1]
    pd.testing.assert_frame_equal(parts.nps_trend, whole.nps_trend)
    pd.testing.assert_frame_equal(parts.sentiment_trend, whole.sentiment_trend)


def _decline(kind, scope, subject, metric, delta, size, n=500):
    direction = "up" if metric == "complaints" else "down"
    return {"kind": kind, "scope": scope, "subject": subject, "metric": metric, "months": 12,
            "first_month": "2025-11", "first_value": 50.0, "last_month": "2026-10", "last_value": 50.0 + delta,
            "delta": delta, "slope": delta / 11, "slope_low": delta / 8, "slope_high": delta / 20, "tau": -0.6,
            "p_value": 0.001, "q_value": 0.004, "n": n, "direction": direction, "size": size, "significant": True}


def test_a_subject_and_metric_is_one_area_and_a_screen_lists_the_five_largest_declines():
    from presentation.story import MAX_DECLINES, _actions, listed_actions

    # seven branches whose NPS fell on a year before (sizes 0.07 ... 0.01), North's also over twelve
    # months (0.30, larger) and one rise, which is no area: North is one area, named by its trend
    rows = [_decline("trend", "branch", "North", "nps", -60.0, 0.30)]
    rows += [_decline("year_on_year", "branch", name, "nps", -2.0 * (8 - i), (8 - i) / 100)
             for i, name in enumerate(["North", "B1", "B2", "B3", "B4", "B5", "B6"], start=1)]
    rise = dict(_decline("year_on_year", "branch", "B7", "nps", 9.0, 0.5), direction="up")
    trends = pd.DataFrame(rows + [rise])
    grid = quadrants(pd.DataFrame({"item_code": ["A", "B"], "attribute": ["Waiting", "Staff"],
                                   "importance": [4.5, 2.0], "satisfaction": [50.0, 80.0], "n": [40, 40]}),
                     "stated")
    empty_rising = pd.DataFrame({c: [] for c in ("cause", "count_now", "share_now", "share_before", "p_value",
                                                  "rising")})
    # North and B6 fell significantly on last month too; North's NPS is listed already, B6's is not
    branches = pd.DataFrame({"branch": ["North", "B6"], "score": [-20.0, 0.0], "score_before": [25.0, 30.0],
                             "delta": [-45.0, -30.0], "significant": [True, True], "n": [50, 60],
                             "n_before": [45, 50]})
    actions = areas_to_act_on(grid, _gaps([]), empty_rising, branches, trends)
    assert [(a.kind, a.subject) for a in actions] == [
        ("trend", "North"), ("year_on_year", "B1"), ("year_on_year", "B2"), ("year_on_year", "B3"),
        ("year_on_year", "B4"), ("year_on_year", "B5"), ("year_on_year", "B6"), ("fix_first", "Waiting"),
        ("branch_nps", "North"), ("branch_nps", "B6")]
    assert MAX_DECLINES == 5
    assert [(a.kind, a.subject) for a in listed_actions(actions)] == [
        ("trend", "North"), ("year_on_year", "B1"), ("year_on_year", "B2"), ("year_on_year", "B3"),
        ("year_on_year", "B4"), ("fix_first", "Waiting"), ("branch_nps", "B6")]
    review = SimpleNamespace(actions=actions, family=None)
    section = _actions(review, "en", "Oct 2026", "Sep 2026", "Oct 2025")
    assert len(section.sentences) == 7 and section.numbered
    assert section.notes[0].startswith("The 2 other sustained declines that passed their tests are not listed")
    assert _actions(review, "zh", "2026年10月", "2026年9月", "2025年10月").notes[0].startswith(
        "另有 2 项通过检验的持续下降未在此列出")
    one_more = SimpleNamespace(actions=actions[1:], family=None)
    assert _actions(one_more, "en", "Oct 2026", "Sep 2026", "Oct 2025").notes[0].startswith(
        "The 1 other sustained decline that passed its test is not listed")
    few = SimpleNamespace(actions=actions[3:], family=None)
    assert listed_actions(few.actions) == few.actions[:-1]  # B6's NPS decline is listed now
    assert not _actions(few, "en", "Oct 2026", "Sep 2026", "Oct 2025").notes[0].startswith("The ")
