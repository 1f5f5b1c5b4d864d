"""The tests behind every change marker, computed from summary statistics.

Metrics aggregate in DuckDB and hand over (mean, sd, n) or (count, n); these functions turn those
into an interval or a test, so no raw rows are needed. A change is marked only when p < 0.05
(DESIGN.md, "Every other change marker").
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from scipy import stats as scipy_stats

ALPHA = 0.05
Z_95 = 1.959963984540054  # the 0.975 quantile of the standard normal distribution


@dataclass(frozen=True)
class WelchTest:
    """Welch's two-sample t-test of mean1 − mean2; statistics are None when either n < 2."""

    diff: float | None
    t: float | None
    df: float | None
    p_value: float | None
    significant: bool
    n1: int
    n2: int


@dataclass(frozen=True)
class ProportionTest:
    """Pooled two-proportion z-test of p1 − p2; statistics are None when either n is 0."""

    p1: float | None
    p2: float | None
    diff: float | None
    z: float | None
    p_value: float | None
    significant: bool
    n1: int
    n2: int


@dataclass(frozen=True)
class Interval:
    low: float | None
    high: float | None


def welch_t_test(mean1: float | None, sd1: float | None, n1: int,
                 mean2: float | None, sd2: float | None, n2: int,
                 alpha: float = ALPHA) -> WelchTest:
    r"""Welch's unequal-variances t-test from summary statistics.

    .. math::

        t = \frac{\bar x_1 - \bar x_2}{\sqrt{s_1^2/n_1 + s_2^2/n_2}}, \qquad
        \nu = \frac{(s_1^2/n_1 + s_2^2/n_2)^2}
                   {\frac{(s_1^2/n_1)^2}{n_1 - 1} + \frac{(s_2^2/n_2)^2}{n_2 - 1}}

    with a two-sided p-value from Student's t distribution with ν degrees of freedom.
    sd are sample standard deviations (divisor n − 1).

    References: B. L. Welch (1947), "The generalization of 'Student's' problem when several
    different population variances are involved", Biometrika 34, 28–35; F. E. Satterthwaite (1946),
    Biometrics Bulletin 2, 110–114. Same statistic as scipy.stats.ttest_ind(equal_var=False).

    When both variances are zero, t is undefined; a difference of means is then reported without
    a test (p None, not significant).
    """
    n1, n2 = int(n1 or 0), int(n2 or 0)
    if mean1 is None or mean2 is None:
        return WelchTest(None, None, None, None, False, n1, n2)
    diff = float(mean1) - float(mean2)
    if n1 < 2 or n2 < 2 or sd1 is None or sd2 is None:
        return WelchTest(diff, None, None, None, False, n1, n2)
    v1, v2 = float(sd1) ** 2 / n1, float(sd2) ** 2 / n2
    if v1 + v2 == 0:
        return WelchTest(diff, None, None, None, False, n1, n2)
    t = diff / math.sqrt(v1 + v2)
    df = (v1 + v2) ** 2 / (v1 ** 2 / (n1 - 1) + v2 ** 2 / (n2 - 1))
    p = float(2 * scipy_stats.t.sf(abs(t), df))
    return WelchTest(diff, t, df, p, p < alpha, n1, n2)


def two_proportion_z_test(x1: int, n1: int, x2: int, n2: int,
                          alpha: float = ALPHA) -> ProportionTest:
    r"""Two-proportion z-test with the pooled proportion.

    .. math::

        \hat p = \frac{x_1 + x_2}{n_1 + n_2}, \qquad
        z = \frac{x_1/n_1 - x_2/n_2}{\sqrt{\hat p (1 - \hat p)(1/n_1 + 1/n_2)}}

    with a two-sided p-value from the standard normal distribution.

    Reference: NIST/SEMATECH e-Handbook of Statistical Methods, section 7.3.3 ("How can we
    determine whether two processes produce the same proportion of defectives?"); A. Agresti,
    Categorical Data Analysis (3rd ed., 2013), section 3.1. When the pooled proportion is 0 or 1
    the shares are equal and no test is made (p None).
    """
    n1, n2, x1, x2 = int(n1 or 0), int(n2 or 0), int(x1 or 0), int(x2 or 0)
    if n1 == 0 or n2 == 0:
        p1 = x1 / n1 if n1 else None
        p2 = x2 / n2 if n2 else None
        return ProportionTest(p1, p2, None, None, None, False, n1, n2)
    p1, p2 = x1 / n1, x2 / n2
    pooled = (x1 + x2) / (n1 + n2)
    variance = pooled * (1 - pooled) * (1 / n1 + 1 / n2)
    if variance <= 0:
        return ProportionTest(p1, p2, p1 - p2, None, None, False, n1, n2)
    z = (p1 - p2) / math.sqrt(variance)
    p = float(2 * scipy_stats.norm.sf(abs(z)))
    return ProportionTest(p1, p2, p1 - p2, z, p, p < alpha, n1, n2)


@dataclass(frozen=True)
class RateTest:
    """Two event counts over two exposures (days): rates, their ratio and the conditional test."""

    x1: int
    x2: int
    exposure1: float
    exposure2: float
    rate1: float | None
    rate2: float | None
    diff: int | None  # x1 − x2, the change in count a page shows
    p_value: float | None
    significant: bool


def count_rate_test(x1: int, exposure1: float, x2: int, exposure2: float,
                    alpha: float = ALPHA) -> RateTest:
    r"""Whether two Poisson counts differ in rate, by the exact conditional test.

    Given the total, the first count is binomial under equal rates:

    .. math::

        X_1 \mid X_1 + X_2 = k \;\sim\; \mathrm{Binomial}\!\left(k,\;
            \frac{e_1}{e_1 + e_2}\right)

    with a two-sided exact p-value (scipy.stats.binomtest). Exposures are the periods' lengths in
    days, so a 31-day month is not "up" on a 30-day month by its extra day.

    References: J. Przyborowski & H. Wilenski (1940), "Homogeneity of results in testing samples from
    Poisson series", Biometrika 31, 313–323; K. Krishnamoorthy & J. Thomson (2004), "A more powerful
    test for comparing two Poisson means", Journal of Statistical Planning and Inference 119, 23–35.
    No test (p None) when either exposure is not positive or both counts are 0.
    """
    x1, x2 = int(x1 or 0), int(x2 or 0)
    if not exposure1 or not exposure2 or exposure1 <= 0 or exposure2 <= 0:
        return RateTest(x1, x2, exposure1, exposure2, None, None, None, None, False)
    rate1, rate2 = x1 / exposure1, x2 / exposure2
    if x1 + x2 == 0:
        return RateTest(x1, x2, exposure1, exposure2, rate1, rate2, 0, None, False)
    p = float(scipy_stats.binomtest(x1, x1 + x2, exposure1 / (exposure1 + exposure2)).pvalue)
    return RateTest(x1, x2, exposure1, exposure2, rate1, rate2, x1 - x2, p, p < alpha)


def nps_standard_error(promoters: int, detractors: int, n: int) -> float | None:
    r"""Standard error of NPS in points (DESIGN.md, "NPS").

    .. math::

        SE = 100 \sqrt{\frac{p_+ + p_- - (p_+ - p_-)^2}{n}}

    where p₊ and p₋ are the shares of promoters and detractors: the variance of a variable that is
    +1 for a promoter, −1 for a detractor and 0 otherwise, divided by n (the multinomial variance
    of p₊ − p₋). None when n = 0.
    """
    if not n:
        return None
    p_plus, p_minus = promoters / n, detractors / n
    variance = p_plus + p_minus - (p_plus - p_minus) ** 2
    return 100.0 * math.sqrt(max(variance, 0.0) / n)


def mean_interval(mean: float | None, sd: float | None, n: int, level: float = 0.95) -> Interval:
    r"""Confidence interval of a mean by Student's t: mean ± t_{n−1, (1+level)/2} · sd / √n.

    None bounds when n < 2 (no spread to estimate).
    """
    if mean is None or sd is None or n is None or n < 2:
        return Interval(None, None)
    half = t_quantile(level, n - 1) * float(sd) / math.sqrt(n)
    return Interval(float(mean) - half, float(mean) + half)


def t_quantile(level: float, df: float) -> float:
    """The two-sided critical value of Student's t for a confidence level (2.228 for 95%, df 10)."""
    return float(scipy_stats.t.ppf((1 + level) / 2, df))


def wilson_interval(x: int, n: int, level: float = 0.95) -> Interval:
    r"""Wilson score interval for a proportion x / n.

    .. math::

        \frac{\hat p + \frac{z^2}{2n} \pm z \sqrt{\frac{\hat p(1-\hat p)}{n} + \frac{z^2}{4n^2}}}
             {1 + \frac{z^2}{n}}

    Reference: E. B. Wilson (1927), "Probable inference, the law of succession, and statistical
    inference", JASA 22, 209–212. Unlike the normal interval it stays inside [0, 1] and is usable
    for shares of 0 or 1. None bounds when n = 0.
    """
    if not n:
        return Interval(None, None)
    z = Z_95 if level == 0.95 else float(scipy_stats.norm.ppf((1 + level) / 2))
    p = x / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return Interval(max(0.0, centre - half), min(1.0, centre + half))
