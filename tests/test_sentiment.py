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
    ALL_SOURCES, VERBATIM_SIDES, VERBATIMS_SQL, SentimentResult, _source_rows, _verbatim_rows, sentiment_by, sentiment_change,
    sentiment_summary, sentiment_verbatims, verbatims_of_both_sides
)
from store.query import fetch_df
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

def _every_text_read(con, filters, which, limit):
    """The verbatims as their definition gives them: every text of the side read, blanks left out,
    ordered, the first `limit` (the query before the keys were read first)."""
    rows, params = _source_rows(filters or Filters(), ALL_SOURCES)
    side = VERBATIM_SIDES[which][0]
    direction = "ASC" if which == "negative" else "DESC"
    return fetch_df(con, VERBATIMS_SQL.format(rows=rows, side=side, direction=direction),
                    {**params, "limit": limit}, what="verbatims")


def _records(frame: pd.DataFrame) -> list[tuple]:
    return [tuple(None if not isinstance(v, str) and pd.isna(v) else v for v in row)
            for row in frame.itertuples(index=False)]


def tied_texts(con) -> None:
    """Texts whose polarity and time tie across the first few, so that the text and where it came
    from decide: -0.7 at MAR three times (two texts, two sources), -0.7 a day later, -0.7 at FEB."""
    mar_next = datetime(2026, 3, 11)
    with dbrows.together(con):
        texts(con)
        dbrows.respondent(con, [], comment="queue again", sentiment=-0.7, branch="North", responded_at=MAR,
                          customer_id="t1")
        dbrows.nps(con, [1], comment="queue again", sentiment=-0.7, branch="South", responded_at=MAR,
                   customer_id="t2")
        dbrows.nps(con, [1], comment="app again", sentiment=-0.7, branch="North", responded_at=MAR, customer_id="t3")
        dbrows.complaints(con, [
            {"description": "newest of the ties", "sentiment": -0.7, "branch": "South", "received_at": mar_next},
            {"description": "oldest of the ties", "sentiment": -0.7, "branch": "North", "received_at": FEB},
            {"description": "delighted", "sentiment": 0.5, "branch": "North", "received_at": MAR},
        ])
        dbrows.nps(con, [10], comment="delighted", sentiment=0.5, branch="North", responded_at=MAR)


@pytest.mark.parametrize("filters", [None, MARCH, FEBRUARY, Filters(branches=("North",)),
                                     Filters(date_from=date(2026, 3, 1), date_to=date(2026, 3, 10)),
                                     Filters(branches=("Nowhere",))])
def test_verbatims_from_the_keys_first_are_every_texts_own(con, filters):
    # the texts are read only for the rows whose polarity and time reach the last of the first
    # `limit`: the same rows as reading every text, at each limit, across ties and blanks
    tied_texts(con)
    dbrows.nps(con, [0], comment="   ", sentiment=-0.9, branch="North", responded_at=MAR)
    for limit in range(1, 12):
        both = verbatims_of_both_sides(con, filters, limit=limit)
        for which in ("negative", "positive"):
            expected = _records(_every_text_read(con, filters, which, limit))
            assert _records(both[which]) == expected
            assert _records(sentiment_verbatims(con, filters, which=which, limit=limit)) == expected


def test_verbatims_read_the_texts_of_the_rows_up_to_the_last_key(con):
    # a side's texts are read for every row whose (polarity, time) comes no later than the
    # `limit`-th's, ties included, and for no other (a side short of `limit` reads every text again)
    tied_texts(con)
    def read(sides, limit):
        rows, params = _verbatim_rows(con, Filters(), ALL_SOURCES, sides, limit)
        return sorted(fetch_df(con, f"SELECT text FROM ({rows})", params, what="test")["text"])
    # limit 3: -0.8, then (-0.7, MAR 11), then (-0.7, MAR 10) three times: five rows
    assert read(("negative",), 3) == ["app again", "charged twice, furious", "newest of the ties", "queue again",
                                      "queue again"]
    assert read(("negative",), 1) == ["charged twice, furious"]
    # 0.5 at MAR twice and at FEB once: limit 2 stops at MAR's; both sides together
    assert read(("negative", "positive"), 2) == ["charged twice, furious", "delighted", "delighted",
                                                  "newest of the ties"]


def test_tied_verbatims_by_hand(con):
    tied_texts(con)
    # -0.8 first; then the -0.7s of MAR 11, then of MAR 10 by text ("app again" < "queue again"),
    # "queue again" twice by source (nps before survey); FEB's last
    negative = verbatims_of_both_sides(con, limit=6)["negative"]
    assert negative["text"].tolist() == ["charged twice, furious", "newest of the ties", "app again", "queue again",
                                         "queue again", "oldest of the ties"]
    assert negative["source"].tolist()[3:5] == ["nps", "survey"]
    march = sentiment_verbatims(con, MARCH, which="negative", limit=4)
    assert list(zip(march["text"], march["source"])) == [
        ("charged twice, furious", "complaint"), ("newest of the ties", "complaint"), ("app again", "nps"),
        ("queue again", "nps")]
    # 0.5 three times: MAR's two "delighted" (complaint before nps), then FEB's "lovely staff"
    positive = verbatims_of_both_sides(con, limit=3)["positive"]
    assert list(zip(positive["text"], positive["source"])) == [
        ("delighted", "complaint"), ("delighted", "nps"), ("lovely staff", "survey")]


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
