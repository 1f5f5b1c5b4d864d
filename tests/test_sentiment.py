"""Sentiment aggregates against hand-computed values (DESIGN.md, "Sentiment")."""
from __future__ import annotations

import math
from datetime import date, datetime

import dbrows
import pandas as pd
import pytest
from scipy import stats as scipy_stats

from analytics.filters import FilterError, Filters
from analytics.sentiment import (
    SentimentResult, sentiment_by, sentiment_change, sentiment_summary, sentiment_verbatims, verbatims_of_both_sides
)
from text.labels import sentiment_label

FEB, MAR = datetime(2026, 2, 10), datetime(2026, 3, 10)
MARCH = Filters(date_from=date(2026, 3, 1), date_to=date(2026, 3, 31))
FEBRUARY = Filters(date_from=date(2026, 2, 1), date_to=date(2026, 2, 28))


def texts(con) -> None:
    with dbrows.together(con):
        dbrows.respondent(con, [], comment="lovely staff", sentiment=0.5, branch="North", responded_at=FEB,
                          customer_id="s1")
        dbrows.respondent(con, [], comment="slow queue", sentiment=-0.3, branch="North", responded_at=MAR,
                          customer_id="s2")
        dbrows.nps(con, [7], comment="ok", sentiment=0.0, branch="South", responded_at=MAR)
        dbrows.nps(con, [2], comment="bad app", sentiment=-0.5, branch="North", responded_at=MAR, customer_id="n2")
        dbrows.complaints(con, [
            {"description": "charged twice, furious", "sentiment": -0.8, "branch": "South", "received_at": MAR,
             "customer_id": "c1"},
            {"description": "fixed quickly", "sentiment": 0.2, "branch": "South", "received_at": FEB},
            {"description": "no score", "sentiment": None, "branch": "South", "received_at": FEB},
        ])


def test_summary_of_all_sources(con):
    texts(con)
    result = sentiment_summary(con)
    # polarities 0.5, −0.3, 0.0, −0.5, −0.8, 0.2 (the unscored complaint is left out): n 6,
    # mean −0.9/6 = −0.15; negative (< −0.05): 3 → 0.5; positive (> 0.05): 2 → 1/3
    assert result.n == 6
    assert result.mean == pytest.approx(-0.15)
    assert (result.negative_n, result.negative_share) == (3, 0.5)
    assert (result.positive_n, result.positive_share) == (2, pytest.approx(1 / 3))
    # sd: deviations .65, −.15, .15, −.35, −.65, .35 → Σ² = 1.135, sd = sqrt(1.135/5) = .476445
    # 95%: −0.15 ± t(0.975, 5)·sd/√6 = 2.570582·.194508 = .50000
    assert result.sd == pytest.approx(math.sqrt(1.135 / 5))
    assert result.ci_low == pytest.approx(-0.65, abs=1e-4)
    assert result.ci_high == pytest.approx(0.35, abs=1e-4)
    # Wilson for 3/6: (.5 + z²/12)/(1 + z²/6) ± z·sqrt(.25/6 + z²/144)/(1 + z²/6) = .5 ± .3124
    assert result.negative_ci_low == pytest.approx(0.1876, abs=1e-4)
    assert result.negative_ci_high == pytest.approx(0.8124, abs=1e-4)


@pytest.mark.parametrize("source, n, mean", [
    ("survey", 2, 0.1),      # (0.5 − 0.3)/2
    ("nps", 2, -0.25),       # (0 − 0.5)/2
    ("complaint", 2, -0.3),  # (−0.8 + 0.2)/2
])
def test_summary_per_source(con, source, n, mean):
    texts(con)
    result = sentiment_summary(con, source=source)
    assert (result.n, result.mean) == (n, pytest.approx(mean))


def test_by_month_branch_and_source(con):
    texts(con)
    by_month = sentiment_by(con, by="month")
    # February: 0.5, 0.2 → 0.35; March: −0.3, 0, −0.5, −0.8 → −0.4
    assert by_month["month"].tolist() == ["2026-02", "2026-03"]
    assert by_month["mean"].tolist() == pytest.approx([0.35, -0.4])
    assert by_month["n"].tolist() == [2, 4]
    assert by_month["negative_share"].tolist() == pytest.approx([0.0, 0.75])
    by_branch = sentiment_by(con, by="branch")
    # North: 0.5, −0.3, −0.5 → −0.1; South: 0, −0.8, 0.2 → −0.2
    assert by_branch["branch"].tolist() == ["North", "South"]
    assert by_branch["mean"].tolist() == pytest.approx([-0.1, -0.2])
    by_source = sentiment_by(con, by="source")
    assert by_source["source"].tolist() == ["complaint", "nps", "survey"]
    assert by_source["mean"].tolist() == pytest.approx([-0.3, -0.25, 0.1])


def test_touchpoint_filter_only_narrows_nps(con):
    texts(con)
    # NPS rows have no touchpoint, so a touchpoint filter drops them; surveys and complaints stay
    assert sentiment_summary(con, Filters(touchpoints=("app",))).n == 4


def test_verbatims(con):
    texts(con)
    negative = sentiment_verbatims(con, which="negative", limit=2)
    assert negative["text"].tolist() == ["charged twice, furious", "bad app"]
    assert negative["source"].tolist() == ["complaint", "nps"]
    assert negative["customer_id"].tolist() == ["c1", "n2"]
    positive = sentiment_verbatims(con, which="positive")
    # a neutral 0.0 is neither the most negative nor the most positive
    assert positive["text"].tolist() == ["lovely staff", "fixed quickly"]
    march = sentiment_verbatims(con, MARCH, which="positive")
    assert march.empty
    with pytest.raises(FilterError):
        sentiment_verbatims(con, which="angry")


def test_verbatims_skip_a_blank_text_that_would_rank_first(con):
    texts(con)
    # the loaders never score a blank text; a store written otherwise still shows none
    dbrows.nps(con, [0], comment="   ", sentiment=-0.9, branch="North", responded_at=MAR)
    assert sentiment_verbatims(con, which="negative", limit=1)["text"].tolist() == ["charged twice, furious"]
    assert sentiment_verbatims(con, which="negative", limit=2)["text"].tolist() == ["charged twice, furious",
                                                                                     "bad app"]
    assert sentiment_verbatims(con, which="negative", limit=9)["text"].tolist() == [
        "charged twice, furious", "bad app", "slow queue"]


def test_verbatims_tell_identical_texts_apart_by_where_they_came_from(con):
    # one templated comment, same time and polarity, from three customers in two branches and two
    # sources: the order is source, then branch, then customer, so every call shows the same rows
    with dbrows.together(con):
        for branch, customer in (("South", "s2"), ("North", "s9"), ("North", "s1")):
            dbrows.respondent(con, [], comment="slow again", sentiment=-0.6, branch=branch, responded_at=MAR,
                              customer_id=customer)
        dbrows.nps(con, [3], comment="slow again", sentiment=-0.6, branch="East", responded_at=MAR, customer_id="n1")
    rows = sentiment_verbatims(con, which="negative", limit=3)
    assert list(zip(rows["source"], rows["branch"], rows["customer_id"])) == [
        ("nps", "East", "n1"), ("survey", "North", "s1"), ("survey", "North", "s9")]
    assert sentiment_verbatims(con, which="negative", limit=1)["customer_id"].tolist() == ["n1"]



def test_both_sides_in_one_query_are_each_sides_own_verbatims(con):
    # the review asks for both sides at once; each must be what the side alone gives, also when a
    # blank text ranks first on one side and when identical texts tie
    texts(con)
    with dbrows.together(con):
        dbrows.nps(con, [0], comment="   ", sentiment=-0.9, branch="North", responded_at=MAR)
        for branch, customer in (("South", "s2"), ("North", "s9")):
            dbrows.respondent(con, [], comment="slow again", sentiment=-0.6, branch=branch, responded_at=MAR,
                              customer_id=customer)
    for limit in (1, 2, 3, 9):
        for filters in (None, MARCH):
            both = verbatims_of_both_sides(con, filters, limit=limit)
            for which in ("negative", "positive"):
                alone = sentiment_verbatims(con, filters, which=which, limit=limit)
                pd.testing.assert_frame_equal(both[which], alone, check_dtype=False)
    # written out once: the blank -0.9 is skipped, then -0.8, then the two -0.6 (survey, North first)
    negative = verbatims_of_both_sides(con, limit=3)["negative"]
    assert negative["text"].tolist() == ["charged twice, furious", "slow again", "slow again"]
    assert negative["branch"].tolist() == ["South", "North", "South"]
    assert verbatims_of_both_sides(con, limit=2)["positive"]["text"].tolist() == ["lovely staff", "fixed quickly"]

def test_change_between_periods(con):
    texts(con)
    change = sentiment_change(con, MARCH, FEBRUARY)
    # mean −0.4 (n 4) vs 0.35 (n 2): Welch on the raw polarities
    reference = scipy_stats.ttest_ind([-0.3, 0.0, -0.5, -0.8], [0.5, 0.2], equal_var=False)
    assert change.mean_test.diff == pytest.approx(-0.75)
    assert change.mean_test.p_value == pytest.approx(reference.pvalue)
    # negative share 3/4 vs 0/2: pooled 3/6 = .5, z = .75/sqrt(.25·(1/4 + 1/2)) = 1.7321
    assert change.negative_test.z == pytest.approx(0.75 / math.sqrt(0.25 * 0.75))
    assert change.negative_test.significant is False


def test_empty(con):
    assert sentiment_summary(con) == SentimentResult.from_summary(0, None, None, 0, 0)
    assert sentiment_summary(con).mean is None
    assert sentiment_by(con, by="month").empty
    assert sentiment_verbatims(con).empty
    with pytest.raises(FilterError):
        sentiment_by(con, by="weekday")
    with pytest.raises(FilterError):
        sentiment_summary(con, source="tweets")


@pytest.mark.parametrize("value, label", [(-0.06, "negative"), (-0.05, "neutral"), (0.05, "neutral"),
                                          (0.051, "positive"), (None, None)])
def test_labels_unchanged(value, label):
    assert sentiment_label(value) == label
