"""The tests behind change markers, against hand arithmetic and published tables."""
from __future__ import annotations

import math

import pytest
from scipy import stats as scipy_stats

from analytics.stats import (
    count_rate_test, mean_interval, nps_standard_error, t_quantile, two_proportion_z_test, welch_t_test,
    wilson_interval
)


def test_welch_at_the_tabled_critical_value():
    # n1 = n2 = 6 with equal sd: ν = (2a)²/(2a²/5) = 10 exactly (a = s²/6).
    # s² = 3 → sqrt(3/6 + 3/6) = 1, so a difference of 2.228 gives t = 2.228, the 0.975
    # quantile of t with 10 df in the published t table (NIST/SEMATECH e-Handbook 1.3.6.7.2):
    # the two-sided p is 0.05.
    result = welch_t_test(12.228, math.sqrt(3), 6, 10.0, math.sqrt(3), 6)
    assert result.t == pytest.approx(2.228)
    assert result.df == pytest.approx(10.0)
    assert result.p_value == pytest.approx(0.05, abs=1e-4)


def test_welch_by_hand():
    # s₁²/n₁ = 4/5 = 0.8, s₂²/n₂ = 16/10 = 1.6; t = 2/sqrt(2.4) = 1.290994
    # ν = 2.4²/(0.8²/4 + 1.6²/9) = 5.76/(0.16 + 0.284444) = 12.96
    result = welch_t_test(10.0, 2.0, 5, 8.0, 4.0, 10)
    assert result.diff == 2.0
    assert result.t == pytest.approx(1.290994, abs=1e-6)
    assert result.df == pytest.approx(12.96)
    expected = scipy_stats.ttest_ind_from_stats(10.0, 2.0, 5, 8.0, 4.0, 10, equal_var=False)
    assert result.p_value == pytest.approx(expected.pvalue)
    assert result.significant is False


def test_welch_agrees_with_raw_data():
    a = [1.0, 2.0, 3.0, 4.0, 5.0]
    b = [2.0, 4.0, 6.0, 8.0, 10.0, 12.0]
    reference = scipy_stats.ttest_ind(a, b, equal_var=False)
    result = welch_t_test(sum(a) / 5, scipy_stats.tstd(a), 5, sum(b) / 6, scipy_stats.tstd(b), 6)
    assert result.t == pytest.approx(reference.statistic)
    assert result.p_value == pytest.approx(reference.pvalue)


@pytest.mark.parametrize("args, diff", [
    ((5.0, 1.0, 1, 4.0, 1.0, 10), 1.0),     # n < 2: a difference, no test
    ((5.0, 0.0, 3, 4.0, 0.0, 3), 1.0),      # no variance: t undefined
    ((None, None, 0, 4.0, 1.0, 10), None),  # an empty period
])
def test_welch_without_enough_data(args, diff):
    result = welch_t_test(*args)
    assert result.diff == diff
    assert result.p_value is None and result.significant is False


def test_two_proportions_by_hand():
    # 60/100 vs 45/100: pooled p = 105/200 = .525; SE = sqrt(.525·.475·(1/100 + 1/100)) = .0706222
    # z = .15/.0706222 = 2.12398; from the normal table Φ(2.12) = .98300, Φ(2.13) = .98341,
    # Φ(2.124) ≈ .98316, p = 2·(1 − .98316) = .0337
    result = two_proportion_z_test(60, 100, 45, 100)
    assert result.diff == pytest.approx(0.15)
    assert result.z == pytest.approx(2.12398, abs=1e-5)
    assert result.p_value == pytest.approx(0.0337, abs=2e-4)
    assert result.significant is True


@pytest.mark.parametrize("x1, n1, x2, n2", [(0, 0, 3, 10), (0, 10, 0, 10), (10, 10, 5, 5)])
def test_two_proportions_without_a_test(x1, n1, x2, n2):
    result = two_proportion_z_test(x1, n1, x2, n2)
    assert result.p_value is None and result.significant is False


@pytest.mark.parametrize("promoters, detractors, n, se", [
    (2, 2, 6, 100 / 3),                      # sqrt((1/3 + 1/3 − 0)/6) = 1/3
    (80, 20, 100, 8.0),                      # sqrt((.8 + .2 − .36)/100) = .08
    (3, 0, 3, 0.0),
    (0, 0, 0, None),
])
def test_nps_standard_error(promoters, detractors, n, se):
    assert nps_standard_error(promoters, detractors, n) == (se if se is None else pytest.approx(se))


@pytest.mark.parametrize("x, n, low, high", [
    # Newcombe (1998), "Two-sided confidence intervals for the single proportion",
    # Statistics in Medicine 17, 857–872, Table II, method 3 (Wilson score)
    (81, 263, 0.2553, 0.3662),
    (15, 148, 0.0624, 0.1605),
    (0, 20, 0.0, 0.1611),
    (1, 29, 0.0061, 0.1718),
])
def test_wilson_interval_matches_newcombe(x, n, low, high):
    interval = wilson_interval(x, n)
    assert interval.low == pytest.approx(low, abs=1e-4)
    assert interval.high == pytest.approx(high, abs=1e-4)


def test_mean_interval_by_t():
    # t(0.975, 10) = 2.228 (t table); half width = 2.228·2/sqrt(11) = 1.3435
    assert t_quantile(0.95, 10) == pytest.approx(2.228, abs=1e-3)
    interval = mean_interval(10.0, 2.0, 11)
    assert interval.low == pytest.approx(10 - 1.3435, abs=1e-3)
    assert interval.high == pytest.approx(10 + 1.3435, abs=1e-3)
    assert mean_interval(10.0, None, 1).low is None
    assert wilson_interval(0, 0).low is None


@pytest.mark.parametrize("x1, e1, x2, e2, expected_p", [
    # equal exposures, 10 against 0: X₁ | 10 ~ Bin(10, ½); two-sided p = 2·½¹⁰ = 0.001953125
    (10, 30, 0, 30, 2 * 0.5 ** 10),
    # 3 against 3 in equal exposures: the middle of Bin(6, ½), p = 1
    (3, 30, 3, 30, 1.0),
    # 0 against 4 in equal exposures: p = 2·½⁴ = 0.125
    (0, 31, 4, 31, 0.125),
])
def test_count_rate_test_by_hand(x1, e1, x2, e2, expected_p):
    result = count_rate_test(x1, e1, x2, e2)
    assert result.p_value == pytest.approx(expected_p)
    assert result.diff == x1 - x2
    assert result.rate1 == pytest.approx(x1 / e1)
    assert result.significant is (expected_p < 0.05)


def test_count_rate_test_weighs_the_periods_lengths():
    # 31 against 30 complaints in a 31-day and a 30-day month: the same daily rate, p = 1 by symmetry
    # of Bin(61, 31/61) around its mean 31
    result = count_rate_test(31, 31, 30, 30)
    assert result.rate1 == pytest.approx(result.rate2)
    assert result.p_value == pytest.approx(1.0)
    assert result.significant is False
    # the exact test agrees with scipy's binomial test on the conditional count
    assert count_rate_test(40, 31, 20, 30).p_value == pytest.approx(
        scipy_stats.binomtest(40, 60, 31 / 61).pvalue)


def test_count_rate_test_without_exposure_or_counts_makes_no_claim():
    assert count_rate_test(5, 0, 3, 30).p_value is None
    nothing = count_rate_test(0, 30, 0, 31)
    assert (nothing.p_value, nothing.significant, nothing.diff) == (None, False, 0)
