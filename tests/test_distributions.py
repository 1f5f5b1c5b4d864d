"""analytics/distributions.py against scipy.stats, the reference it replaces at run time, over grids
that cover what the dashboard asks of it: a handful to millions of responses, far tails, ties."""
from __future__ import annotations

import itertools
import random

import pytest
from scipy import stats as scipy_stats

from analytics.distributions import (
    benjamini_hochberg_adjusted, binomial_cdf, binomial_pmf, binomial_sf, binomial_two_sided_p,
    kendall_tau_in_time, normal_quantile, normal_sf, regularized_beta, sen_slope, t_quantile, t_sf
)
from scipy import special

REL = 1e-9


@pytest.mark.parametrize("z", [-8.0, -1.96, -0.3, 0.0, 0.5, 1.959963984540054, 3.0, 7.5, 20.0])
def test_normal_sf_is_scipys(z):
    assert normal_sf(z) == pytest.approx(scipy_stats.norm.sf(z), rel=REL, abs=1e-300)


@pytest.mark.parametrize("p", [1e-12, 0.001, 0.025, 0.3, 0.5, 0.8, 0.975, 0.999999])
def test_normal_quantile_is_scipys(p):
    assert normal_quantile(p) == pytest.approx(scipy_stats.norm.ppf(p), rel=REL, abs=1e-12)


@pytest.mark.parametrize("a, b, x", [(0.5, 0.5, 0.3), (2.0, 3.0, 0.6), (10.0, 0.5, 0.99), (0.5, 10.0, 0.01),
                                     (500_000.0, 0.5, 0.999995), (30.0, 71.0, 0.3), (1e5, 1e5, 0.501)])
def test_regularized_beta_is_scipys(a, b, x):
    assert regularized_beta(a, b, x) == pytest.approx(special.betainc(a, b, x), rel=1e-8, abs=1e-300)


@pytest.mark.parametrize("df, t", list(itertools.product([1.0, 2.0, 3.5, 10.0, 57.3, 1_000.0, 1_999_998.0],
                                                          [-4.0, -0.2, 0.0, 0.7, 1.96, 2.5, 6.0, 12.0])))
def test_t_sf_is_scipys(df, t):
    assert t_sf(t, df) == pytest.approx(scipy_stats.t.sf(t, df), rel=1e-8, abs=1e-300)


@pytest.mark.parametrize("df, p", list(itertools.product([1.0, 2.0, 4.0, 9.0, 29.0, 200.5, 999_999.0],
                                                          [0.6, 0.9, 0.975, 0.995, 0.025])))
def test_t_quantile_is_scipys(df, p):
    assert t_quantile(p, df) == pytest.approx(scipy_stats.t.ppf(p, df), rel=1e-8)


def test_t_quantile_of_a_textbook_table():
    # Student's t table (e.g. NIST e-Handbook 1.3.6.7.2): two-sided 95%, 10 df
    assert t_quantile(0.975, 10.0) == pytest.approx(2.228, abs=5e-4)


@pytest.mark.parametrize("k, n, p", [(0, 10, 0.3), (3, 10, 0.3), (10, 10, 0.3), (57, 200, 0.31),
                                     (49_800, 100_000, 0.5), (12, 1_000, 0.005)])
def test_binomial_pmf_cdf_sf_are_scipys(k, n, p):
    assert binomial_pmf(k, n, p) == pytest.approx(scipy_stats.binom.pmf(k, n, p), rel=1e-8)
    assert binomial_cdf(k, n, p) == pytest.approx(scipy_stats.binom.cdf(k, n, p), rel=1e-8)
    assert binomial_sf(k, n, p) == pytest.approx(scipy_stats.binom.sf(k, n, p), rel=1e-8, abs=1e-300)


@pytest.mark.parametrize("k, n, p", [(30, 36, 31 / 59), (40, 60, 31 / 61), (0, 5, 0.5), (5, 5, 0.5), (3, 10, 0.3),
                                     (7, 20, 0.5), (13, 20, 0.5), (1, 100, 0.2), (200, 400, 0.5), (480, 1000, 30 / 61),
                                     (10_400, 20_000, 0.5), (3, 31 + 30, 31 / 61)])
def test_binomial_two_sided_p_is_binomtests(k, n, p):
    assert binomial_two_sided_p(k, n, p) == pytest.approx(scipy_stats.binomtest(k, n, p).pvalue, rel=1e-7)


def _series(k: int, seed: int, ties: bool) -> list[float]:
    rng = random.Random(seed)
    if ties:
        return [float(rng.randint(0, 4)) for _ in range(k)]
    return [rng.gauss(0, 1) + 0.05 * i for i in range(k)]


@pytest.mark.parametrize("k, seed, ties", [(k, seed, ties) for k in (4, 5, 12, 24, 33, 34, 60) for seed in (1, 2)
                                           for ties in (False, True)])
def test_kendall_tau_in_time_is_kendalltaus(k, seed, ties):
    values = _series(k, seed, ties)
    if len(set(values)) < 2:
        values[0] += 1
    tau, p = kendall_tau_in_time(values)
    expected = scipy_stats.kendalltau(list(range(k)), values)
    assert (tau, p) == (pytest.approx(expected.statistic, rel=1e-12), pytest.approx(expected.pvalue, rel=1e-9))


@pytest.mark.parametrize("values", [[1.0, 2.0, 3.0, 4.0, 5.0], [5.0, 4.0, 3.0, 2.0, 1.0],
                                    [float(i) for i in range(40)]])
def test_kendall_exact_p_at_the_ends(values):
    # a series in order: one of n! orders, each tail (Kendall 1970): 2 / n! for n = 5 is 1/60
    tau, p = kendall_tau_in_time(values)
    expected = scipy_stats.kendalltau(list(range(len(values))), values)
    assert (tau, p) == (pytest.approx(expected.statistic), pytest.approx(expected.pvalue, rel=1e-9))
    if len(values) == 5:
        assert p == pytest.approx(1 / 60)


@pytest.mark.parametrize("k, seed, ties", [(4, 3, False), (12, 4, False), (24, 5, True), (36, 6, False),
                                           (7, 7, True)])
def test_sen_slope_is_theilslopes(k, seed, ties):
    values = _series(k, seed, ties)
    expected = scipy_stats.theilslopes(values, list(range(k)), 0.95)
    assert sen_slope(values, 0.95) == (pytest.approx(expected.slope), pytest.approx(expected.low_slope),
                                       pytest.approx(expected.high_slope))


@pytest.mark.parametrize("p_values", [[0.01, 0.04, 0.03, 0.2], [0.5], [0.001, 0.001, 0.9, 0.04, 0.049, 0.3, 0.02]])
def test_benjamini_hochberg_is_false_discovery_control(p_values):
    expected = scipy_stats.false_discovery_control(p_values, method="bh")
    assert benjamini_hochberg_adjusted(p_values) == pytest.approx(list(expected))
