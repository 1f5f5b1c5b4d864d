"""The tests behind every change marker, computed from summary statistics.

Metrics aggregate in DuckDB and hand over (mean, sd, n) or (count, n); these functions turn those
into an interval or a test, so no raw rows are needed. A change is marked only when p < 0.05
(DESIGN.md, "Every other change marker").
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from analytics.distributions import (
    benjamini_hochberg_adjusted, binomial_two_sided_p, kendall_tau_in_time, median_slope, normal_quantile,
    normal_two_sided_p, sen_slope, t_quantile as student_t_quantile, t_two_sided_p
)

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
    df = (v1 + v2) ** 2 / (v1 ** 2 / (n1 - 1) + v2 ** 2 / (n2 - 1))
    t = diff / math.sqrt(v1 + v2)
    p = t_two_sided_p(t, df)
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
    p = normal_two_sided_p(z)
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

    with a two-sided exact p-value (as scipy.stats.binomtest; analytics/distributions.py). Exposures are
    the periods' lengths in days, so a 31-day month is not "up" on a 30-day month by its extra day.

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
    p = binomial_two_sided_p(x1, x1 + x2, exposure1 / (exposure1 + exposure2))
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
    return student_t_quantile((1 + level) / 2, float(df))


def wilson_interval(x: int, n: int, level: float = 0.95) -> Interval:
    r"""Wilson score interval for a proportion x / n.

    .. math::

        \frac{\hat p + \frac{z^2}{2n} \pm z \sqrt{\frac{\hat p(1-\hat p)}{n} + \frac{z^2}{4n^2}}}
             {1 + \frac{z^2}{n}}

    Reference: E. B. Wilson (1927), "Probable inference, the law of succession, and statistical
    inference", JASA 22, 209–212; as scipy.stats.binomtest(x, n).proportion_ci(method="wilson").
    Unlike the normal interval it stays inside [0, 1] and is usable for shares of 0 or 1, and it is
    never of zero width (one text out of one: 20.7% to 100%). None bounds when n = 0.
    """
    n, x = int(n or 0), int(x or 0)
    if not n:
        return Interval(None, None)
    z = normal_quantile(0.5 + 0.5 * level)
    share = x / n
    denominator = 2 * (n + z ** 2)
    centre = (2 * n * share + z ** 2) / denominator
    delta = z / denominator * math.sqrt(4 * n * share * (1 - share) + z ** 2)
    low = 0.0 if x == 0 else centre - delta
    high = 1.0 if x == n else centre + delta
    return Interval(max(0.0, low), min(1.0, high))


# -- the minimum n -------------------------------------------------------------------------------------

# DESIGN.md, "Minimum n": the one setting. Below it a figure is "too few to judge" and carries no
# change marker, headline, finding, "fix first" or chart title's claim. `python -m analytics summary
# --min-n` overrides it for one run; pages show it.
MIN_N = 30


def too_few(n: int | None, min_n: int = MIN_N) -> bool:
    """Whether a figure from n responses (ratings, texts, complaints) is below the minimum n."""
    return int(n or 0) < int(min_n)


# -- NPS by the adjusted-Wald method -------------------------------------------------------------------

@dataclass(frozen=True)
class NpsInterval:
    """The adjusted-Wald estimate of NPS (points), its standard error and 95% interval."""

    adjusted: float | None  # 100·(p₊' − p₋')
    se: float | None  # points
    low: float | None
    high: float | None


def nps_adjusted_wald(promoters: int, detractors: int, n: int, level: float = 0.95) -> NpsInterval:
    r"""Interval of NPS by the adjusted-Wald method (DESIGN.md, "NPS").

    .. math::

        n' = n + 3, \quad p_+' = \frac{P + 3/4}{n'}, \quad p_-' = \frac{D + 3/4}{n'}, \quad
        SE = \sqrt{\frac{p_+' + p_-' - (p_+' - p_-')^2}{n'}}

    and the interval 100·((p₊' − p₋') ± z·SE), clipped to [−100, 100]. Adding three responses (¾ a
    promoter, ¾ a detractor, 1½ passives) keeps the interval honest at small n: three detractors
    give −100 with an interval from −100 to +6.6, never "± 0".

    Reference: D. Rocks (2016), "Interval Estimation for the 'Net Promoter Score'", The American
    Statistician 70(4), 365–372. None when n = 0 (nothing to estimate).
    """
    n, promoters, detractors = int(n or 0), int(promoters or 0), int(detractors or 0)
    if n <= 0:
        return NpsInterval(None, None, None, None)
    z = Z_95 if level == 0.95 else normal_quantile((1 + level) / 2)
    n_adj = n + 3
    p_plus, p_minus = (promoters + 0.75) / n_adj, (detractors + 0.75) / n_adj
    estimate = p_plus - p_minus
    se = math.sqrt(max(p_plus + p_minus - estimate ** 2, 0.0) / n_adj)
    return NpsInterval(100.0 * estimate, 100.0 * se, max(-100.0, 100.0 * (estimate - z * se)),
                       min(100.0, 100.0 * (estimate + z * se)))


@dataclass(frozen=True)
class NpsDifferenceTest:
    """NPS₁ − NPS₂ as shown (raw scores) and its test on the adjusted-Wald estimates."""

    diff: float | None
    z: float | None
    p_value: float | None
    significant: bool


def nps_difference_test(promoters1: int, detractors1: int, n1: int, promoters2: int, detractors2: int, n2: int,
                        alpha: float = ALPHA) -> NpsDifferenceTest:
    r"""Whether two NPS differ, tested consistently with the adjusted-Wald interval.

    .. math::

        z = \frac{100(p_{+,1}' - p_{-,1}') - 100(p_{+,2}' - p_{-,2}')}{\sqrt{SE_1^2 + SE_2^2}}

    with a two-sided normal p-value (Rocks 2016, section 4: the adjusted-Wald difference of two
    independent NPS). `diff` is the difference of the raw scores, the one a page shows; a change
    whose adjusted difference has the other sign is never marked (the adjustment pulls a tiny
    sample toward 0 and could otherwise turn the arrow around). No test (p None) when either n = 0.
    """
    first, second = nps_adjusted_wald(promoters1, detractors1, n1), nps_adjusted_wald(promoters2, detractors2, n2)
    if first.adjusted is None or second.adjusted is None:
        return NpsDifferenceTest(None, None, None, False)
    diff = 100.0 * (promoters1 - detractors1) / n1 - 100.0 * (promoters2 - detractors2) / n2
    adjusted = first.adjusted - second.adjusted
    se = math.sqrt(first.se ** 2 + second.se ** 2)
    z = adjusted / se
    p = normal_two_sided_p(z)
    same_sign = diff * adjusted > 0
    return NpsDifferenceTest(diff, z, p, p < alpha and same_sign)


def bounded_mean_interval(mean: float | None, sd: float | None, n: int, low: float, high: float,
                          level: float = 0.95) -> Interval:
    """mean_interval clipped to the scale [low, high] (a CSI between 0 and 100, polarity in [−1, 1])."""
    interval = mean_interval(mean, sd, n, level)
    if interval.low is None:
        return interval
    return Interval(max(low, interval.low), min(high, interval.high))


# -- tests as a family -------------------------------------------------------------------------------

def benjamini_hochberg(p_values: list[float | None]) -> list[float | None]:
    r"""q-values of a family of tests by the Benjamini–Hochberg step-up procedure.

    .. math::

        q_{(i)} = \min_{j \ge i} \min\!\left(1, \frac{m}{j}\, p_{(j)}\right)

    over the m p-values that exist (None stays None: a comparison without a test is not a member
    of the family). A change is marked when q < 0.05: the expected share of false markers among
    those shown stays at most 5%, and when nothing changed at all the chance of any marker is at
    most 5%. As scipy.stats.false_discovery_control(method="bh").

    Reference: Y. Benjamini & Y. Hochberg (1995), "Controlling the false discovery rate", JRSS B 57,
    289–300.
    """
    present = [i for i, p in enumerate(p_values) if p is not None and not math.isnan(p)]
    q: list[float | None] = [None] * len(p_values)
    if present:
        adjusted = benjamini_hochberg_adjusted([float(p_values[i]) for i in present])
        for i, value in zip(present, adjusted):
            q[i] = float(value)
    return q


# -- trends ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class TrendTest:
    """A monthly series' monotonic trend: Kendall's τ against time, its p, and Sen's slope per month."""

    k: int  # months in the series
    tau: float | None
    p_value: float | None
    slope: float | None
    slope_low: float | None
    slope_high: float | None


def mann_kendall(values: list[float]) -> TrendTest:
    r"""Mann–Kendall trend test of a series in time order, with the Theil–Sen slope and its interval.

    .. math::

        S = \sum_{i < j} \operatorname{sgn}(x_j - x_i), \qquad
        \tau = S / \binom{k}{2} \ \text{(tie-corrected as Kendall's } \tau_b)

    The test is Kendall's rank correlation between the values and their months (exact p for short
    series without ties, else the normal approximation with the tie correction), so it needs no
    normality and is not moved by one odd month. The slope is the median of the pairwise slopes
    (x_j − x_i)/(j − i), per month, with its 95% interval.

    References: H. B. Mann (1945), "Nonparametric tests against trend", Econometrica 13, 245–259;
    M. G. Kendall (1975), Rank Correlation Methods; P. K. Sen (1968), JASA 63, 1379–1389. Computed as
    scipy.stats.kendalltau and scipy.stats.theilslopes (analytics/distributions.py). No test (None)
    below 4 values, whose smallest possible p is above 0.05 anyway.
    """
    clean = [float(v) for v in values]
    k = len(clean)
    if k < 4 or len(set(clean)) < 2:
        return TrendTest(k, None, None, None, None, None)
    tau, p = kendall_tau_in_time(clean)
    if p >= ALPHA:
        # the slope's interval is shown only beside a trend that passed; the slope itself (the
        # median of the pairwise slopes, as theilslopes) still ranks and sizes the others
        return TrendTest(k, tau, p, median_slope(clean), None, None)
    slope, low, high = sen_slope(clean, 0.95)
    return TrendTest(k, tau, p, slope, low, high)


# -- time to an event with open cases ----------------------------------------------------------------

@dataclass(frozen=True)
class KaplanMeier:
    """The Kaplan–Meier median of a duration with some cases still open (censored)."""

    n: int
    n_events: int
    n_censored: int
    median: float | None  # None when fewer than half are known to have ended


def kaplan_meier_median(durations, ended) -> KaplanMeier:
    r"""Median duration by the Kaplan–Meier (product-limit) estimator, open cases censored.

    .. math::

        \hat S(t) = \prod_{t_i \le t} \left(1 - \frac{d_i}{r_i}\right)

    with d_i cases ending at t_i and r_i still open just before it. The median is the smallest t
    with Ŝ(t) ≤ ½; where Ŝ equals ½ exactly up to the next ending, the midpoint of the two (so without
    open cases it is the ordinary median). A case still open counts as at risk up to its time so
    far, so a backlog of slow cases lengthens the median instead of vanishing from it.

    Reference: E. L. Kaplan & P. Meier (1958), "Nonparametric estimation from incomplete
    observations", JASA 53, 457–481; the median's convention is that of R's survival::survfit.
    """
    times = np.asarray(durations, dtype=float)
    events = np.asarray(ended, dtype=bool)
    distinct, case_of = np.unique(times, return_inverse=True)
    width = len(distinct)
    return kaplan_meier_median_counted(distinct, np.bincount(case_of, weights=events, minlength=width),
                                       np.bincount(case_of, weights=~events, minlength=width))


def kaplan_meier_median_counted(times, ended, still_open) -> KaplanMeier:
    """kaplan_meier_median of cases counted by duration: at each of the distinct `times` (in any
    order), `ended` cases ended and `still_open` are open so far. A month's complaints arrive so,
    counted by their seconds in SQL: the estimate then sorts the distinct times once instead of
    every case (issue 24's pages at ten million responses)."""
    times = np.asarray(times, dtype=float)
    ended = np.asarray(ended, dtype=float)
    still_open = np.asarray(still_open, dtype=float)
    if len(times) > 1 and not (np.diff(times) > 0).all():
        order = np.argsort(times, kind="stable")
        times, ended, still_open = times[order], ended[order], still_open[order]
    n_events = int(round(ended.sum()))
    n = n_events + int(round(still_open.sum()))
    if not n_events:
        return KaplanMeier(n, 0, n, None)
    # still open just before each time: the cases of that time and of every later one
    at_risk = n - np.concatenate(([0.0], np.cumsum(ended + still_open)[:-1]))
    ending = ended > 0
    event_times, deaths, at_risk = times[ending], ended[ending], at_risk[ending]
    survival = np.cumprod(1.0 - deaths / at_risk)
    reached = np.flatnonzero(survival <= 0.5 + 1e-12)
    if not len(reached):
        return KaplanMeier(n, n_events, n - n_events, None)
    first = int(reached[0])
    median = float(event_times[first])
    if abs(survival[first] - 0.5) <= 1e-12 and first + 1 < len(event_times):
        median = (median + float(event_times[first + 1])) / 2
    return KaplanMeier(n, n_events, n - n_events, median)
