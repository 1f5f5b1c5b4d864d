"""How far a figure is from its target (issue 19), judged with the figure's own 95% interval.

A target is an analyst's (store/targets.py). The gap is value − target in the metric's unit; whether
the figure is short of it is decided by the interval, as every other claim of the dashboard is:

- **met**: the whole interval is on the target's good side (at or above it where higher is better,
  at or below it where lower is better);
- **short**: the whole interval is on the wrong side, so the shortfall is not sampling noise;
- **within_reach**: the interval holds the target, so the data cannot tell the figure from it;
- **too_few** (below the minimum n) and **no_data**: nothing is claimed.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analytics.changes import HIGHER, METRICS, Change
from analytics.complaints import DEFAULT_SLA_HOURS, resolution_stats
from analytics.csi import csi_score
from analytics.filters import Filters
from analytics.nps import nps_score
from analytics.sentiment import sentiment_summary
from analytics.stats import MIN_N, too_few, wilson_interval
from store.targets import TARGET_METRICS, targets

MET, SHORT, WITHIN_REACH, TOO_FEW, NO_DATA = "met", "short", "within_reach", "too_few", "no_data"


@dataclass(frozen=True)
class Target:
    """A target in force for a selection: the metric, its value (a share as a fraction) and whose it is."""

    metric: str
    value: float
    scope: str = "all"
    subject: str | None = None


@dataclass(frozen=True)
class TargetGap:
    """A figure against its target: gap = value − target; status MET, SHORT, WITHIN_REACH, TOO_FEW or NO_DATA."""

    target: Target
    value: float | None
    gap: float | None
    ci_low: float | None
    ci_high: float | None
    n: int
    status: str

    @property
    def metric(self) -> str:
        return self.target.metric


def target_for(book: pd.DataFrame, metric: str, filters: Filters) -> Target | None:
    """The target that covers a selection: the branch's when it picks one branch, the region's when
    it picks one region and no branch, else (and when those have none) the company's."""
    rows = book[book["metric"] == metric] if len(book) else book
    if rows.empty:
        return None
    wanted = []
    if len(filters.branches) == 1:
        wanted.append(("branch", filters.branches[0]))
    elif len(filters.regions) == 1 and not filters.branches:
        wanted.append(("region", filters.regions[0]))
    wanted.append(("all", None))
    for scope, subject in wanted:
        found = rows[(rows["scope"] == scope) & ((rows["subject"] == subject) if subject is not None
                                                 else rows["subject"].isna())]
        if len(found):
            return Target(metric, float(found["target"].iloc[0]), scope, subject)
    return None


def targets_in_force(con, filters: Filters = Filters()) -> dict[str, Target]:
    """Every metric's target for the selection (target_for), by metric."""
    book = targets(con)
    found = {metric: target_for(book, metric, filters) for metric in TARGET_METRICS}
    return {metric: target for metric, target in found.items() if target is not None}


def target_gap(change: Change, target: Target) -> TargetGap:
    """The tile's figure (a changes.Change: value, its 95% interval, n, too_few) against `target`."""
    if change.value is None:
        return TargetGap(target, None, None, None, None, change.n, NO_DATA)
    gap = change.value - target.value
    if change.too_few:
        return TargetGap(target, change.value, gap, change.ci_low, change.ci_high, change.n, TOO_FEW)
    low = change.ci_low if change.ci_low is not None else change.value
    high = change.ci_high if change.ci_high is not None else change.value
    if METRICS[change.metric][1] == HIGHER:
        status = MET if low >= target.value else SHORT if high < target.value else WITHIN_REACH
    else:
        status = MET if high <= target.value else SHORT if low > target.value else WITHIN_REACH
    return TargetGap(target, change.value, gap, change.ci_low, change.ci_high, change.n, status)


def target_gaps(tiles, book: dict[str, Target]) -> dict[str, TargetGap]:
    """target_gap of each tile (Change) whose metric has a target, by metric."""
    return {tile.metric: target_gap(tile, book[tile.metric]) for tile in tiles if tile.metric in book}


def period_figures(con, filters: Filters, sla_hours: float = DEFAULT_SLA_HOURS, min_n: int = MIN_N) -> list[Change]:
    """Each metric that can have a target, for the period alone (no comparison), as its tile shows it:
    value, 95% interval, n and too_few (for `summary --json`'s targets)."""
    def figure(metric, value, n, low, high) -> Change:
        return Change(metric, value, None, None, False, int(n or 0), 0, ci_low=low, ci_high=high,
                      too_few=too_few(n, min_n))

    nps, csi = nps_score(con, filters), csi_score(con, filters)
    resolution, sentiment = resolution_stats(con, filters, sla_hours), sentiment_summary(con, filters)
    found = [figure("nps", nps.score, nps.n, nps.ci_low, nps.ci_high),
             figure("csi", csi.score, csi.n, csi.ci_low, csi.ci_high),
             figure("within_sla", resolution.within_sla, resolution.n_sla_due, resolution.within_sla_ci_low,
                    resolution.within_sla_ci_high),
             figure("negative_share", sentiment.negative_share, sentiment.n, sentiment.negative_ci_low,
                    sentiment.negative_ci_high)]
    for metric, count in (("promoter_share", nps.promoters), ("detractor_share", nps.detractors)):
        interval = wilson_interval(count, nps.n)
        found.append(figure(metric, count / nps.n if nps.n else None, nps.n, interval.low, interval.high))
    return found


__all__ = ["period_figures", "MET", "SHORT", "WITHIN_REACH", "TOO_FEW", "NO_DATA", "Target", "TargetGap", "target_for",
           "targets_in_force", "target_gap", "target_gaps"]
