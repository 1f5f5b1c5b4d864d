"""NPS against hand-computed values (DESIGN.md, "NPS")."""
from __future__ import annotations

import math
from datetime import date, datetime

import dbrows
import pytest

from analytics.filters import FilterError, Filters
from analytics.nps import (
    NpsResult, compare_nps, detractor_verbatims, nps_by, nps_change, nps_change_by, nps_score, nps_trend
)


@pytest.mark.parametrize("scores, expected", [
    # promoters 10, 9; passives 8, 7; detractors 6, 0: NPS = 100·(2 − 2)/6 = 0;
    # p₊ = p₋ = 1/3, SE = 100·sqrt((1/3 + 1/3 − 0²)/6) = 100·sqrt(1/9) = 33.333...
    ([10, 9, 8, 7, 6, 0], dict(score=0.0, n=6, promoters=2, passives=2, detractors=2, se=100 / 3)),
    # 3 promoters, 1 detractor: NPS = 100·(3 − 1)/4 = 50; p₊ = .75, p₋ = .25,
    # SE = 100·sqrt((.75 + .25 − .5²)/4) = 100·sqrt(.1875) = 43.30127
    ([10, 10, 10, 0], dict(score=50.0, n=4, promoters=3, passives=0, detractors=1,
                           se=100 * math.sqrt(0.1875))),
    # all promoters: NPS 100, SE = 100·sqrt((1 + 0 − 1²)/3) = 0
    ([9, 10, 10], dict(score=100.0, n=3, promoters=3, passives=0, detractors=0, se=0.0)),
    # all detractors: NPS −100, SE = 100·sqrt((0 + 1 − 1)/2) = 0
    ([0, 6], dict(score=-100.0, n=2, promoters=0, passives=0, detractors=2, se=0.0)),
    # one passive: NPS 0, SE = 0
    ([7], dict(score=0.0, n=1, promoters=0, passives=1, detractors=0, se=0.0)),
    # one promoter: NPS 100
    ([10], dict(score=100.0, n=1, promoters=1, passives=0, detractors=0, se=0.0)),
])
def test_nps_score(con, scores, expected):
    dbrows.nps(con, scores)
    result = nps_score(con)
    assert result.n == expected["n"]
    assert (result.promoters, result.passives, result.detractors) == (
        expected["promoters"], expected["passives"], expected["detractors"])
    assert result.score == pytest.approx(expected["score"])
    assert result.se == pytest.approx(expected["se"])
    assert result.moe95 == pytest.approx(1.96 * expected["se"])


def test_nps_of_nothing_is_an_explicit_empty_result(con):
    assert nps_score(con) == NpsResult(None, 0, 0, 0, 0, None, None)
    assert nps_trend(con).empty
    assert list(nps_trend(con).columns) == ["month", "score", "n", "promoters", "passives",
                                           "detractors", "se", "moe95"]
    assert nps_by(con, column="branch").empty


def test_filters_select_the_rows(con):
    dbrows.nps(con, [10, 10], branch="North", responded_at=datetime(2026, 3, 1, 9))
    dbrows.nps(con, [0], branch="South", responded_at=datetime(2026, 3, 31, 23, 59))
    dbrows.nps(con, [0, 0], branch="North", responded_at=datetime(2026, 4, 1, 0, 0))
    march = Filters(date_from=date(2026, 3, 1), date_to=date(2026, 3, 31))
    # March: 10, 10, 0 → 100·(2 − 1)/3 = 33.33; the 31st counts in full (date_to is inclusive)
    assert nps_score(con, march).score == pytest.approx(100 / 3)
    # North only, all dates: 10, 10, 0, 0 → 0
    assert nps_score(con, Filters(branches=("North",))).score == 0.0
    # a touchpoint filter applies to NPS
    assert nps_score(con, Filters(touchpoints=("web",))).n == 0


def test_trend_by_month(con):
    dbrows.nps(con, [10, 0], responded_at=datetime(2026, 1, 5))
    dbrows.nps(con, [10, 10, 8], responded_at=datetime(2026, 3, 5))
    trend = nps_trend(con)
    # January: 100·(1 − 1)/2 = 0; March: 100·(2 − 0)/3 = 66.67; February has no responses
    assert trend["month"].tolist() == ["2026-01", "2026-03"]
    assert trend["score"].tolist() == pytest.approx([0.0, 200 / 3])
    assert trend["n"].tolist() == [2, 3]


def test_by_touchpoint(con):
    dbrows.nps(con, [10, 9, 0], touchpoint="app")
    dbrows.nps(con, [6], touchpoint="branch")
    dbrows.nps(con, [8])
    frame = nps_by(con, column="touchpoint")
    # largest n first: app (n 3: 100·(2 − 1)/3), then branch and the missing touchpoint (n 1 each)
    assert frame["touchpoint"].tolist() == ["app", "branch", None]
    assert frame["score"].tolist() == pytest.approx([100 / 3, -100.0, 0.0])
    assert frame["n"].tolist() == [3, 1, 1]


def test_by_an_unknown_column_is_refused(con):
    with pytest.raises(FilterError, match="cannot be broken down"):
        nps_by(con, column="comment; DROP TABLE nps_response")


@pytest.mark.parametrize("current, previous, delta, se_diff, significant", [
    # 80 P / 20 D: NPS 60, SE = 100·sqrt((.8 + .2 − .6²)/100) = 8;
    # 50 P / 50 D: NPS 0, SE = 100·sqrt((.5 + .5 − 0)/100) = 10;
    # SE_Δ = sqrt(8² + 10²) = 12.806; 1.96·12.806 = 25.1 < 60 → significant
    ((80, 0, 20), (50, 0, 50), 60.0, math.sqrt(164), True),
    # NPS 50 (SE 43.30) vs NPS 0 (SE 33.33): SE_Δ = sqrt(1875 + 1111.11) = 54.645;
    # 1.96·54.645 = 107.1 > 50 → not significant
    ((3, 0, 1), (2, 2, 2), 50.0, math.sqrt(1875 + 10000 / 9), False),
])
def test_compare_two_periods(current, previous, delta, se_diff, significant):
    change = compare_nps(NpsResult.from_counts(*current), NpsResult.from_counts(*previous))
    assert change.delta == pytest.approx(delta)
    assert change.se_diff == pytest.approx(se_diff)
    assert change.significant is significant


def test_change_against_an_empty_period_is_not_reported(con):
    dbrows.nps(con, [10], responded_at=datetime(2026, 3, 5))
    change = nps_change(con, Filters(date_from=date(2026, 3, 1), date_to=date(2026, 3, 31)),
                        Filters(date_from=date(2026, 2, 1), date_to=date(2026, 2, 28)))
    assert change.current.n == 1 and change.previous.n == 0
    assert change.delta is None and change.significant is False


def test_detractor_verbatims_newest_first(con):
    dbrows.nps(con, [3], comment="slow", customer_id="c1", branch="North",
               responded_at=datetime(2026, 3, 1))
    dbrows.nps(con, [5], comment="rude staff", customer_id="c2", branch="South",
               responded_at=datetime(2026, 3, 9))
    dbrows.nps(con, [10], comment="great", responded_at=datetime(2026, 3, 10))
    dbrows.nps(con, [0], comment="  ", responded_at=datetime(2026, 3, 11))
    frame = detractor_verbatims(con)
    assert frame["comment"].tolist() == ["rude staff", "slow"]
    assert frame["customer_id"].tolist() == ["c2", "c1"]
    assert frame["branch"].tolist() == ["South", "North"]
    assert len(detractor_verbatims(con, limit=1)) == 1


def test_nps_change_by_branch_in_one_pass(con):
    # North: September 10, 10, 10, 10 (NPS 100, SE 0); October 0, 0, 0, 0 (NPS −100, SE 0):
    # Δ = −200 with SE_Δ = 0 → significant. South: September 10, 0 (0); October 10, 0, 8 (0): Δ 0.
    # East answers only in September: no current NPS, no Δ.
    september, october = datetime(2026, 9, 10), datetime(2026, 10, 10)
    dbrows.nps(con, [10, 10, 10, 10], branch="North", responded_at=september)
    dbrows.nps(con, [0, 0, 0, 0], branch="North", responded_at=october)
    dbrows.nps(con, [10, 0], branch="South", responded_at=september)
    dbrows.nps(con, [10, 0, 8], branch="South", responded_at=october)
    dbrows.nps(con, [9], branch="East", responded_at=september)
    now = Filters(date_from=date(2026, 10, 1), date_to=date(2026, 10, 31))
    before = Filters(date_from=date(2026, 9, 1), date_to=date(2026, 9, 30))
    table = nps_change_by(con, now, before, "branch").set_index("branch")
    assert list(table.index) == ["North", "South", "East"]  # largest current n first
    assert table.loc["North", "score"] == -100.0 and table.loc["North", "score_before"] == 100.0
    assert table.loc["North", "delta"] == -200.0 and bool(table.loc["North", "significant"]) is True
    assert (table.loc["South", "n"], table.loc["South", "passives"], table.loc["South", "delta"]) == (3, 1, 0.0)
    assert bool(table.loc["South", "significant"]) is False
    assert table.loc["East", "n"] == 0 and math.isnan(table.loc["East", "score"])
    assert math.isnan(table.loc["East", "delta"])
    # each group's numbers are what nps_change gives for that group alone
    south = nps_change(con, Filters(date_from=now.date_from, date_to=now.date_to, branches=("South",)),
                       Filters(date_from=before.date_from, date_to=before.date_to, branches=("South",)))
    assert table.loc["South", "moe95"] == pytest.approx(south.current.moe95)
    assert table.loc["South", "moe95_before"] == pytest.approx(south.previous.moe95)
