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


# Adjusted Wald (Rocks 2016): n' = n + 3, p₊' = (P + ¾)/n', p₋' = (D + ¾)/n',
# SE = 100·sqrt((p₊' + p₋' − (p₊' − p₋')²)/n'), interval 100·(p₊' − p₋') ± 1.96·SE clipped to ±100.
@pytest.mark.parametrize("scores, expected", [
    # promoters 10, 9; passives 8, 7; detractors 6, 0: NPS = 100·(2 − 2)/6 = 0;
    # n' = 9, p₊' = p₋' = 2.75/9 = .305556, SE = 100·sqrt(.611111/9) = 26.0579; ± 51.07
    ([10, 9, 8, 7, 6, 0], dict(score=0.0, n=6, promoters=2, passives=2, detractors=2, se=26.0579,
                               low=-51.0725, high=51.0725)),
    # 3 promoters, 1 detractor: NPS = 100·(3 − 1)/4 = 50; n' = 7, p₊' = 3.75/7 = .535714,
    # p₋' = 1.75/7 = .25, centre 28.5714, SE = 100·sqrt((.785714 − .081633)/7) = 31.7148
    ([10, 10, 10, 0], dict(score=50.0, n=4, promoters=3, passives=0, detractors=1, se=31.7148,
                           low=28.5714 - 1.96 * 31.7148, high=28.5714 + 1.96 * 31.7148)),
    # all promoters: NPS 100; n' = 6, p₊' = 3.75/6 = .625, p₋' = .125, centre 50,
    # SE = 100·sqrt((.75 − .25)/6) = 28.8675; 50 + 56.58 clipped to 100
    ([9, 10, 10], dict(score=100.0, n=3, promoters=3, passives=0, detractors=0, se=28.8675,
                       low=50 - 1.96 * 28.8675, high=100.0)),
    # all detractors: NPS −100; n' = 5, p₋' = 2.75/5 = .55, p₊' = .15, centre −40,
    # SE = 100·sqrt((.7 − .16)/5) = 32.8634; the low end clipped to −100
    ([0, 6], dict(score=-100.0, n=2, promoters=0, passives=0, detractors=2, se=32.8634,
                  low=-100.0, high=-40 + 1.96 * 32.8634)),
    # one passive: NPS 0; n' = 4, p₊' = p₋' = .1875, SE = 100·sqrt(.375/4) = 30.6186
    ([7], dict(score=0.0, n=1, promoters=0, passives=1, detractors=0, se=30.6186,
               low=-1.96 * 30.6186, high=1.96 * 30.6186)),
    # one promoter: NPS 100; n' = 4, p₊' = .4375, p₋' = .1875, centre 25, SE = 100·sqrt((.625 − .0625)/4) = 37.5
    ([10], dict(score=100.0, n=1, promoters=1, passives=0, detractors=0, se=37.5,
                low=25 - 1.96 * 37.5, high=25 + 1.96 * 37.5)),
])
def test_nps_score(con, scores, expected):
    dbrows.nps(con, scores)
    result = nps_score(con)
    assert result.n == expected["n"]
    assert (result.promoters, result.passives, result.detractors) == (
        expected["promoters"], expected["passives"], expected["detractors"])
    assert result.score == pytest.approx(expected["score"])
    assert result.se == pytest.approx(expected["se"], abs=1e-3)
    assert result.moe95 == pytest.approx(1.96 * expected["se"], abs=1e-2)
    assert (result.ci_low, result.ci_high) == (pytest.approx(expected["low"], abs=1e-2),
                                               pytest.approx(expected["high"], abs=1e-2))


def test_nps_of_nothing_is_an_explicit_empty_result(con):
    assert nps_score(con) == NpsResult(None, 0, 0, 0, 0, None, None)
    assert nps_trend(con).empty
    assert list(nps_trend(con).columns) == ["month", "score", "n", "promoters", "passives",
                                           "detractors", "se", "moe95", "ci_low", "ci_high"]
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
    # 80 P / 20 D: n' = 103, p₊' = 80.75/103, p₋' = 20.75/103, centre 58.2524,
    #   SE = 100·sqrt((.985437 − .339335)/103) = 7.9201;
    # 50 P / 50 D: centre 0, SE = 100·sqrt((101.5/103)/103) = 9.7813;
    # SE_Δ = sqrt(7.9201² + 9.7813²) = 12.5858; z = 58.25/12.59 = 4.63 → significant
    ((80, 0, 20), (50, 0, 50), 60.0, 12.5858, True),
    # 3 P, 1 D (centre 28.57, SE 31.71) vs 2 P, 2 passive, 2 D (centre 0, SE 26.06):
    # SE_Δ = sqrt(31.71² + 26.06²) = 41.05; z = 0.70 → not significant
    ((3, 0, 1), (2, 2, 2), 50.0, 41.0468, False),
    # the case: one 10 in January, one 0 in February: Δ = 200, yet centres +25 and −25 with
    # SE 37.5 each: z = 50/53.03 = 0.94, p = 0.35 → not significant
    ((1, 0, 0), (0, 0, 1), 200.0, 53.0330, False),
])
def test_compare_two_periods(current, previous, delta, se_diff, significant):
    change = compare_nps(NpsResult.from_counts(*current), NpsResult.from_counts(*previous))
    assert change.delta == pytest.approx(delta)
    assert change.se_diff == pytest.approx(se_diff, abs=1e-3)
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
    # North: September 10, 10, 10, 10 (NPS 100); October 0, 0, 0, 0 (NPS −100): Δ = −200; adjusted
    # centres ±57.14 (n' = 7, 4.75/7 − .75/7), SE 25.61 each: z = −114.29/36.22 = −3.16 → significant. South: September 10, 0 (0); October 10, 0, 8 (0): Δ 0.
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


def test_three_detractors_have_an_interval_not_plus_minus_zero():
    # n' = 6, p₋' = 3.75/6 = .625, p₊' = .125: centre −50, SE = 100·sqrt((.75 − .25)/6) = 28.87;
    # −50 ± 56.58 → −100 (clipped) to +6.58
    result = NpsResult.from_counts(0, 0, 3)
    assert result.score == -100.0
    assert result.ci_low == -100.0 and result.ci_high == pytest.approx(6.579, abs=1e-3)
