"""Issue 19: honest numbers at real sample sizes.

- Under no change at all, the overview shows a change marker on at most 5% of pages, for stores of
  5 to 2,000 responses per branch and month: simulated pages built from the same analytics
  functions the page calls (the tests, the trends' rows and the family's Benjamini–Hochberg step),
  fed with counts drawn from an unchanging store.
- The adjusted-Wald NPS interval covers the true NPS 93–97% of the time for n ≥ 10, computed
  exactly over every outcome of the multinomial (no simulation error).
- Tiny stores (one response, three detractors, one against one) show no "± 0.0", no marker, and
  "too few to judge" where due.
"""
from __future__ import annotations

import json
import math
import subprocess
import sys
from datetime import date, datetime

import dbrows
import numpy as np
import pandas as pd
import pytest
from conftest import PROJECT_ROOT

from analytics import changes
from analytics.complaints import ResolutionChange, ResolutionStats, complaint_volume_change
from analytics.csi import CsiChange, CsiResult, compare_attributes
from analytics.filters import Filters
from analytics.nps import NpsResult, compare_nps
from analytics.overview import overview, overview_family
from analytics.sentiment import SentimentChange, SentimentResult
from analytics.stats import (
    Z_95, count_rate_test, nps_adjusted_wald, two_proportion_z_test, welch_t_test
)
from analytics.trends import series_rows
from presentation import findings

# -- a page under no change ------------------------------------------------------------------------

REGIONS = {"North": ["N1", "N2", "N3"], "East": ["E1", "E2", "E3"], "South": ["S1", "S2", "S3"],
           "West": ["W1", "W2", "W3"]}
BRANCHES = [(b, r) for r, names in REGIONS.items() for b in names]
MONTHS = [202510 + i for i in range(3)] + [202601 + i for i in range(10)]  # Oct 2025 .. Oct 2026: 13 months
NPS_MIX = (0.45, 0.30, 0.25)  # promoters, passives, detractors: NPS +20 everywhere, every month
ATTRIBUTES = ("A", "B", "C", "D", "E", "F")
CAUSES = ("Fees", "Staff", "Waiting", "App", "Cards")
CAUSE_MIX = (0.3, 0.25, 0.2, 0.15, 0.1)
SATISFACTION, SATISFACTION_SD = 70.0, 18.0  # an attribute's score on 0–100 per respondent
NEGATIVE = 0.3


def _index(rng, n: int) -> tuple[float, float, int]:
    """(mean, sd, n) of n respondents' scores drawn from one normal distribution."""
    scores = rng.normal(SATISFACTION, SATISFACTION_SD, n)
    return float(scores.mean()), float(scores.std(ddof=1)) if n > 1 else 0.0, n


def simulated_page(rng, per_branch_month: int, min_n: int = 30) -> changes.Family:
    """One overview page (October 2026 vs September 2026) of a store where nothing changes: each
    branch gets `per_branch_month` NPS responses, survey respondents and texts a month, and
    complaints at a rate of a tenth of that, all from the same distributions every month."""
    complaints_rate = max(per_branch_month / 10, 0.5)
    nps = {(b, m): tuple(int(x) for x in rng.multinomial(per_branch_month, NPS_MIX)) for b, _ in BRANCHES
           for m in MONTHS}
    complaints = {(b, m): int(rng.poisson(complaints_rate)) for b, _ in BRANCHES for m in MONTHS}
    survey = {(b, m): _index(rng, per_branch_month) for b, _ in BRANCHES for m in MONTHS}
    now, before = MONTHS[-1], MONTHS[-2]

    def nps_of(branches, month):
        return NpsResult.from_counts(*[sum(nps[(b, month)][i] for b in branches) for i in range(3)])

    everyone = [b for b, _ in BRANCHES]
    nps_change = compare_nps(nps_of(everyone, now), nps_of(everyone, before))

    def pooled(parts):
        n = sum(p[2] for p in parts)
        mean = sum(p[0] * p[2] for p in parts) / n
        ss = sum((p[2] - 1) * p[1] ** 2 + p[2] * (p[0] - mean) ** 2 for p in parts)
        return mean, math.sqrt(ss / (n - 1)), n

    def csi_result(month):
        mean, sd, n = pooled([survey[(b, month)] for b in everyone])
        attributes = pd.DataFrame({"item_code": list(ATTRIBUTES), "attribute": list(ATTRIBUTES)})
        draws = [_index(rng, n) for _ in ATTRIBUTES]
        attributes = attributes.assign(satisfaction=[d[0] for d in draws], sd=[d[1] for d in draws], n=n)
        return CsiResult(mean, n, "equal", None, None, None, sd, attributes, mean)

    csi_now, csi_before = csi_result(now), csi_result(before)
    test = welch_t_test(csi_now.score, csi_now.index_sd, csi_now.n, csi_before.score, csi_before.index_sd,
                        csi_before.n)
    csi_change = CsiChange(csi_now, csi_before, csi_now.score - csi_before.score, test, test.significant)

    def resolution(month):
        n = sum(complaints[(b, month)] for b in everyone)
        return ResolutionStats(n, n, None, 24.0, None, 0, None, None, 0, 0, None)

    res_now, res_before = resolution(now), resolution(before)
    resolution_change = ResolutionChange(res_now, res_before, None, two_proportion_z_test(0, 0, 0, 0),
                                         two_proportion_z_test(0, 0, 0, 0))
    texts = per_branch_month * len(everyone)
    negatives = [int(rng.binomial(texts, NEGATIVE)) for _ in range(2)]
    sentiment = [SentimentResult.from_summary(texts, 0.0, 0.5, k, 0) for k in negatives]
    sentiment_change = SentimentChange(sentiment[0], sentiment[1], welch_t_test(0, 0.5, texts, 0, 0.5, texts),
                                       two_proportion_z_test(negatives[0], texts, negatives[1], texts))

    cause_now = rng.multinomial(res_now.n, CAUSE_MIX)
    cause_before = rng.multinomial(res_before.n, CAUSE_MIX)
    rising = []
    for cause, a, b in zip(CAUSES, cause_now, cause_before):
        test = count_rate_test(int(a), 31, int(b), 30)
        rising.append({"cause": cause, "count_now": int(a), "count_before": int(b), "p_value": test.p_value,
                       "significant": test.significant})
    rising = pd.DataFrame(rising)

    branch_rows = []
    for branch in everyone:
        change = compare_nps(nps_of([branch], now), nps_of([branch], before))
        branch_rows.append({"branch": branch, "score": change.current.score, "n": change.current.n,
                            "n_before": change.previous.n, "delta": change.delta, "p_value": change.p_value,
                            "significant": change.significant})
    branch_table = pd.DataFrame(branch_rows)

    trend_rows = []
    for scope, subject, members in ([("all", None, everyone)] + [("region", r, names) for r, names in REGIONS.items()]
                                    + [("branch", b, [b]) for b in everyone]):
        nps_series = {m: tuple(sum(nps[(b, m)][i] for b in members) for i in range(3)) for m in MONTHS}
        count_series = {m: (sum(complaints[(b, m)] for b in members),) for m in MONTHS}
        csi_series = {m: pooled([survey[(b, m)] for b in members])[0::2] for m in MONTHS}
        trend_rows += series_rows("nps", scope, subject, nps_series, now)
        trend_rows += series_rows("complaints", scope, subject, count_series, now)
        trend_rows += series_rows("csi", scope, subject, csi_series, now)
    trends = pd.DataFrame(trend_rows)

    current = Filters(date_from=date(2026, 10, 1), date_to=date(2026, 10, 31))
    previous = Filters(date_from=date(2026, 9, 1), date_to=date(2026, 9, 30))
    return overview_family(nps_change, csi_change, resolution_change, sentiment_change, rising, branch_table,
                           trends, current, previous, min_n)


def page_marked(family: changes.Family) -> bool:
    """Whether the page shows any marker: a tile's arrow or a finding with a direction."""
    if any(c.direction is not None for c in family.changes):
        return True
    return bool(findings.marked(findings.what_changed(family, "en", "Sep 2026")))


@pytest.mark.slow
@pytest.mark.parametrize("per_branch_month", [5, 30, 200, 2000])
def test_under_no_change_at_most_5_percent_of_pages_show_a_marker(per_branch_month):
    rng = np.random.default_rng(19_000 + per_branch_month)
    pages = 60
    marked = sum(page_marked(simulated_page(rng, per_branch_month)) for _ in range(pages))
    assert marked / pages <= 0.05, f"{marked} of {pages} pages marked at {per_branch_month} a branch-month"


def test_a_real_decline_is_found_on_the_simulated_page():
    rng = np.random.default_rng(8)
    family = simulated_page(rng, 200)
    trends = family.tables["trends"]
    # no trend passes on an unchanging store...
    assert not trends["significant"].any()
    # ...and a branch whose NPS falls 8 points a month for 12 months is found, and told first
    fall = {m: tuple(int(x) for x in rng.multinomial(200, (0.45 - 0.035 * i, 0.30, 0.25 + 0.035 * i)))
            for i, m in enumerate(MONTHS)}
    rows = pd.DataFrame(series_rows("nps", "branch", "N1", fall, MONTHS[-1]))
    adjusted = changes.adjust_family(list(family.changes),
                                     {**family.tables, "trends": pd.concat([rows, trends], ignore_index=True)})
    first = findings.what_changed(adjusted, "en", "Sep 2026")[0]
    assert (first.kind, first.subject, first.metric, first.direction) == ("trend", "N1", "nps", "down")


# -- the adjusted-Wald interval's coverage -----------------------------------------------------------

def exact_coverage(n: int, promoters: float, detractors: float) -> float:
    """P(the interval covers the true NPS), summed over every (P, passives, D) with n responses."""
    passives = 1 - promoters - detractors
    truth = 100 * (promoters - detractors)
    total = 0.0
    for p in range(n + 1):
        for d in range(n - p + 1):
            probability = math.exp(math.lgamma(n + 1) - math.lgamma(p + 1) - math.lgamma(d + 1)
                                   - math.lgamma(n - p - d + 1)
                                   + p * math.log(promoters) + d * math.log(detractors)
                                   + (n - p - d) * math.log(passives))
            interval = nps_adjusted_wald(p, d, n)
            if interval.low <= truth <= interval.high:
                total += probability
    return total


NPS_GRID = [(0.3, 0.3), (0.5, 0.2), (0.7, 0.1), (0.2, 0.6), (0.4, 0.4), (0.6, 0.3), (0.35, 0.15)]


@pytest.mark.parametrize("n", [10, 20, 50, 100])
def test_adjusted_wald_covers_the_true_nps_93_to_97_percent(n):
    coverage = [exact_coverage(n, p, d) for p, d in NPS_GRID]
    assert all(0.93 <= c <= 0.97 for c in coverage), dict(zip(NPS_GRID, coverage))


def test_adjusted_wald_never_undercovers_with_many_passives():
    # 80% passives at n = 10 is the method's conservative corner (Rocks 2016, Table 2): wider, never narrower
    assert exact_coverage(10, 0.1, 0.1) >= 0.95


def test_the_plain_wald_interval_undercovers_where_adjusted_wald_does_not():
    # the reason for the method: at n = 10 and NPS +60 (70% promoters, 10% detractors) the Wald
    # interval 100·(p₊ − p₋) ± 1.96·SE covers less often than promised
    n, promoters, detractors = 10, 0.7, 0.1
    wald = 0.0
    for p in range(n + 1):
        for d in range(n - p + 1):
            probability = math.comb(n, p) * math.comb(n - p, d) * promoters ** p * detractors ** d \
                * (1 - promoters - detractors) ** (n - p - d)
            estimate = (p - d) / n
            se = math.sqrt(max(p / n + d / n - estimate ** 2, 0) / n)
            if estimate - Z_95 * se <= 0.6 <= estimate + Z_95 * se:
                wald += probability
    assert wald < 0.93 <= exact_coverage(n, promoters, detractors)


# -- tiny stores -------------------------------------------------------------------------------------

OCT = Filters(date_from=date(2026, 10, 1), date_to=date(2026, 10, 31))
SEP = Filters(date_from=date(2026, 9, 1), date_to=date(2026, 9, 30))


def _tiles_and_findings(con):
    family = overview(con, OCT, SEP)
    tiles = [findings.tile_detail(c, "en") for c in family.changes]
    sentences = [f.text for f in findings.what_changed(family, "en", "Sep 2026")]
    return family, tiles, sentences


@pytest.mark.parametrize("october, september", [
    ([10], []),  # one response
    ([0, 3, 6], []),  # three detractors
    ([0], [10]),  # one against one: Δ = −200
])
def test_a_tiny_store_is_too_few_to_judge(con, october, september):
    dbrows.nps(con, october, responded_at=datetime(2026, 10, 12), branch="North")
    if september:
        dbrows.nps(con, september, responded_at=datetime(2026, 9, 12), branch="North")
    family, tiles, sentences = _tiles_and_findings(con)
    nps = family.changes[0]
    assert nps.too_few and nps.direction is None
    assert tiles[0] == f"too few to judge (n = {len(october)})"
    assert not any("± 0.0" in text for text in tiles + sentences)
    assert not any(c.direction for c in family.changes)
    assert findings.marked(findings.what_changed(family, "en", "Sep 2026")) == []
    # the interval is an interval even at n = 1 or with every response alike
    assert nps.ci_low < nps.ci_high


@pytest.mark.slow
def test_summary_json_of_a_tiny_store(con_url, con):
    dbrows.nps(con, [0, 3, 6], responded_at=datetime(2026, 10, 12), branch="North")
    con.close()
    done = subprocess.run([sys.executable, "-m", "analytics", "summary", "--db", con_url, "--json",
                           "--from", "2026-10-01", "--to", "2026-10-31"],
                          capture_output=True, text=True, cwd=PROJECT_ROOT, check=True)
    result = json.loads(done.stdout)
    # three detractors: NPS −100 with the adjusted-Wald interval −100 to +6.58 (see test_nps)
    assert result["nps"]["score"] == -100.0 and result["nps"]["too_few"] is True
    assert result["nps"]["ci95"] == [-100.0, pytest.approx(6.579, abs=1e-3)]
    assert result["min_n"] == 30 and result["findings"] == []
    assert result["changes"]["nps"]["too_few"] is True and result["changes"]["nps"]["direction"] is None
    # with a minimum n of 3 the figure is judged (and still not a finding: nothing to compare with)
    done = subprocess.run([sys.executable, "-m", "analytics", "summary", "--db", con_url, "--json",
                           "--from", "2026-10-01", "--to", "2026-10-31", "--min-n", "3"],
                          capture_output=True, text=True, cwd=PROJECT_ROOT, check=True)
    assert json.loads(done.stdout)["nps"]["too_few"] is False
