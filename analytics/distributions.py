"""The distributions behind analytics/stats.py's tests, in plain Python (math and statistics).

The normal, Student's t and binomial distributions, Kendall's τ and Sen's slope: the handful of
functions the change markers and trend tests need, each computed as scipy.stats computes it
(tests/test_distributions.py compares them over a grid). They live here rather than being taken
from scipy.stats because importing scipy.stats costs a command line call (`python -m analytics
summary`, an import's alert check) more than all of its queries (issue 24's whole-process floors).
"""
from __future__ import annotations

import math
from functools import lru_cache
from statistics import NormalDist

_STANDARD_NORMAL = NormalDist()
# the continued fraction stops when a step changes it by less than this share
_EPSILON = 1e-15
_TINY = 1e-300
_MAX_STEPS = 100_000


# -- the normal distribution ---------------------------------------------------------------------------

def normal_sf(z: float) -> float:
    """P(Z > z) for a standard normal Z, exact in the far tail (erfc, not 1 − cdf)."""
    return 0.5 * math.erfc(z / math.sqrt(2.0))


def normal_two_sided_p(z: float) -> float:
    """2 · P(Z > |z|)."""
    return min(1.0, 2.0 * normal_sf(abs(z)))


def normal_quantile(p: float) -> float:
    """The p quantile of the standard normal (Wichura's AS 241, as scipy.special.ndtri)."""
    return _STANDARD_NORMAL.inv_cdf(p)


# -- the regularized incomplete beta function -------------------------------------------------------------

def regularized_beta(a: float, b: float, x: float) -> float:
    r"""I_x(a, b), by its continued fraction (modified Lentz), on the side where it converges fast.

    .. math::

        I_x(a, b) = \frac{x^a (1-x)^b}{a\,B(a, b)} \cdot \frac{1}{1 + \frac{d_1}{1 + \frac{d_2}{1 + \cdots}}}

    Reference: W. H. Press et al., Numerical Recipes (3rd ed., 2007), section 6.4; Abramowitz &
    Stegun 26.5.8.
    """
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = (math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x))
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(log_front) * _beta_fraction(a, b, x) / a
    return 1.0 - math.exp(log_front) * _beta_fraction(b, a, 1.0 - x) / b


def _beta_fraction(a: float, b: float, x: float) -> float:
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > _TINY else _TINY)
    h = d
    for m in range(1, _MAX_STEPS):
        m2 = 2 * m
        for numerator in (m * (b - m) * x / ((qam + m2) * (a + m2)),
                          -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > _TINY else _TINY)
            c = 1.0 + numerator / c
            c = c if abs(c) > _TINY else _TINY
            step = d * c
            h *= step
        if abs(step - 1.0) < _EPSILON:
            break
    return h


# -- Student's t ----------------------------------------------------------------------------------------

def t_sf(t: float, df: float) -> float:
    r"""P(T > t) for Student's t with df degrees of freedom: ½ · I_{ν/(ν+t²)}(ν/2, ½) for t ≥ 0."""
    if math.isinf(df):
        return normal_sf(t)
    tail = 0.5 * regularized_beta(df / 2.0, 0.5, df / (df + t * t))
    return tail if t >= 0 else 1.0 - tail


def t_two_sided_p(t: float, df: float) -> float:
    """2 · P(T > |t|)."""
    return min(1.0, 2.0 * t_sf(abs(t), df))


def _t_log_pdf(t: float, df: float) -> float:
    return (math.lgamma((df + 1) / 2) - math.lgamma(df / 2) - 0.5 * math.log(df * math.pi)
            - (df + 1) / 2 * math.log1p(t * t / df))


@lru_cache(maxsize=4096)
def t_quantile(p: float, df: float) -> float:
    """The p quantile of Student's t (p > ½ gives the positive side), by Newton's method from the
    normal quantile, kept inside a shrinking bracket, to a relative 1e-13."""
    if p == 0.5:
        return 0.0
    if p < 0.5:
        return -t_quantile(1.0 - p, df)
    target = 1.0 - p           # the upper tail the quantile leaves
    low, high = 0.0, max(1.0, normal_quantile(p))
    while t_sf(high, df) > target:
        low, high = high, high * 2.0
    x = min(max(normal_quantile(p), low), high)
    for _ in range(200):
        excess = t_sf(x, df) - target   # > 0: x is too small
        if excess > 0:
            low = x
        else:
            high = x
        step = excess / math.exp(_t_log_pdf(x, df))
        guess = x + step
        if not low < guess < high:
            guess = (low + high) / 2.0
        if abs(guess - x) <= 1e-13 * max(1.0, abs(guess)):
            return guess
        x = guess
    return x


# -- the binomial distribution -------------------------------------------------------------------------

def binomial_pmf(k: int, n: int, p: float) -> float:
    if k < 0 or k > n:
        return 0.0
    if p == 0.0:
        return 1.0 if k == 0 else 0.0
    if p == 1.0:
        return 1.0 if k == n else 0.0
    return math.exp(math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)
                    + k * math.log(p) + (n - k) * math.log1p(-p))


def binomial_cdf(k: int, n: int, p: float) -> float:
    """P(X ≤ k) = I_{1−p}(n − k, k + 1)."""
    if k < 0:
        return 0.0
    if k >= n:
        return 1.0
    return regularized_beta(n - k, k + 1, 1.0 - p)


def binomial_sf(k: int, n: int, p: float) -> float:
    """P(X > k) = I_p(k + 1, n − k)."""
    if k < 0:
        return 1.0
    if k >= n:
        return 0.0
    return regularized_beta(k + 1, n - k, p)


def binomial_two_sided_p(k: int, n: int, p: float) -> float:
    """The exact two-sided p of k successes in n trials of chance p: the probability of every
    outcome no more likely than k (scipy.stats.binomtest's rule, with its relative tolerance 1e-7)."""
    d = binomial_pmf(k, n, p)
    rerr = 1 + 1e-7
    if k == p * n:
        return 1.0
    if k < p * n:
        ix = _search(lambda x: -binomial_pmf(x, n, p), -d * rerr, math.ceil(p * n), n)
        y = n - ix + int(d * rerr == binomial_pmf(ix, n, p))
        value = binomial_cdf(k, n, p) + binomial_sf(n - y, n, p)
    else:
        ix = _search(lambda x: binomial_pmf(x, n, p), d * rerr, 0, math.floor(p * n))
        y = ix + 1
        value = binomial_cdf(y - 1, n, p) + binomial_sf(k - 1, n, p)
    return min(1.0, value)


def _search(a, d: float, low: int, high: int) -> int:
    """The i between low and high with a(i) <= d < a(i + 1), a ascending there."""
    while low < high:
        mid = low + (high - low) // 2
        value = a(mid)
        if value < d:
            low = mid + 1
        elif value > d:
            high = mid - 1
        else:
            return mid
    return low if a(low) <= d else low - 1


# -- Kendall's τ against time, and Sen's slope ----------------------------------------------------------

def kendall_tau_in_time(values: list[float]) -> tuple[float, float]:
    r"""Kendall's τ_b between a series and its positions 0, 1, …, k − 1, and its two-sided p.

    S = Σ_{i<j} sgn(x_j − x_i); τ_b = S / √(N₀ (N₀ − N_y)), N₀ = k(k − 1)/2, N_y the tied pairs of
    the values. The p is exact (Kendall 1970, the count of permutations by their inversions) when no
    two values tie and k ≤ 33 or at most one pair is out of order, else the normal approximation with
    the variance corrected for ties: (k(k − 1)(2k + 5) − Σ t(t − 1)(2t + 5)) / 18. As
    scipy.stats.kendalltau(range(k), values).
    """
    k = len(values)
    concordant = discordant = 0
    for i in range(k):
        for j in range(i + 1, k):
            if values[j] > values[i]:
                concordant += 1
            elif values[j] < values[i]:
                discordant += 1
    total = k * (k - 1) // 2
    tied = total - concordant - discordant
    s = concordant - discordant
    tau = max(-1.0, min(1.0, s / math.sqrt(total) / math.sqrt(total - tied)))
    if tied == 0 and (k <= 33 or min(discordant, total - discordant) <= 1):
        return tau, _kendall_exact_p(k, total - discordant)
    runs = _tie_runs(values)
    variance = (k * (k - 1.0) * (2 * k + 5) - sum(t * (t - 1.0) * (2 * t + 5) for t in runs)) / 18
    return tau, normal_two_sided_p(s / math.sqrt(variance))


def _kendall_exact_p(n: int, c: int) -> float:
    """Two-sided exact p of c concordant pairs among n untied values (scipy's _kendall_p_exact)."""
    c = min(c, n * (n - 1) // 2 - c)
    if n <= 2:
        return 1.0
    if c == 0:
        return min(1.0, 2 / math.factorial(n))
    if c == 1:
        return min(1.0, 2 / math.factorial(n - 1))
    if 4 * c == n * (n - 1):
        return 1.0
    # counts of the permutations of n with each number of inversions up to c (Mahonian numbers)
    counts = [1, 1] + [0] * (c - 1)
    for j in range(3, n + 1):
        running = 0
        for i in range(c + 1):
            running += counts[i]
            counts[i] = running
        if j <= c:
            for i in range(c, j - 1, -1):
                counts[i] -= counts[i - j]
    return min(1.0, 2 * sum(counts) / math.factorial(n))


def _tie_runs(values: list[float]) -> list[int]:
    seen: dict[float, int] = {}
    for value in values:
        seen[value] = seen.get(value, 0) + 1
    return [t for t in seen.values() if t > 1]


def sen_slope(values: list[float], level: float = 0.95) -> tuple[float, float, float]:
    r"""The Theil–Sen slope of a series per position (the median of (x_j − x_i)/(j − i)) and its
    interval by Sen (1968, eq. 2.6), as scipy.stats.theilslopes(values, range(k), level)."""
    k = len(values)
    slopes = sorted((values[j] - values[i]) / (j - i) for i in range(k) for j in range(i + 1, k))
    middle = len(slopes) // 2
    median = slopes[middle] if len(slopes) % 2 else (slopes[middle - 1] + slopes[middle]) / 2
    alpha = 1.0 - level if level > 0.5 else level
    z = normal_quantile(alpha / 2.0)
    sigma = math.sqrt((k * (k - 1) * (2 * k + 5) - sum(t * (t - 1) * (2 * t + 5) for t in _tie_runs(values))) / 18.0)
    upper = min(round((len(slopes) - z * sigma) / 2.0), len(slopes) - 1)
    lower = max(round((len(slopes) + z * sigma) / 2.0) - 1, 0)
    return median, slopes[lower], slopes[upper]


def median_slope(values: list[float]) -> float:
    """The Theil–Sen slope alone (sen_slope without its interval)."""
    return sen_slope(values)[0]


# -- a family of tests ---------------------------------------------------------------------------------

def benjamini_hochberg_adjusted(p_values: list[float]) -> list[float]:
    r"""q_(i) = min_{j ≥ i} min(1, m p_(j) / j), in the input's order (scipy's false_discovery_control)."""
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    adjusted = [0.0] * m
    running = 1.0
    for rank in range(m, 0, -1):
        i = order[rank - 1]
        running = min(running, p_values[i] * m / rank)
        adjusted[i] = min(1.0, running)
    return adjusted
