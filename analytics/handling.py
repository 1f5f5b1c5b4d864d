"""Complaint handling steps: the funnel, hours to resolution with open complaints censored, the share
closed with the customer's confirmed satisfaction, and where complaints stall (issue 23).

A complaint's step is the one its status word names (text/steps.py: Listen, Share, Problem, Check,
Action, Satisfy), set at import. A complaint is closed when it has a resolved_at or is at Satisfy;
it is closed with confirmed satisfaction when it is at Satisfy (its status says the loop was closed
with the customer: closed, 已办结, 已回访). The log holds one row per complaint, not one per step, so
the hours of a step are those of the complaints now at it: received → resolved for a closed one,
received → the log's last recorded time for an open one. An open complaint stalls when those hours
pass the stall limit (by default the SLA).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from analytics.complaints import AS_OF_SQL, DEFAULT_SLA_HOURS
from analytics.filters import Filters, where_sql
from analytics.memo import shared
from analytics.stats import kaplan_meier_median_counted, wilson_interval
from store.query import count, fetch_all, fetch_df, fetch_one, number
from text.steps import CLOSED_SQL, STEPS

# The log's "now" is its latest recorded instant (complaints.AS_OF_SQL), so open complaints are
# censored at a time the data itself reached, and the figures of a store do not change with the day
# they are read.

_HOURS = """
CASE WHEN resolved_at IS NOT NULL THEN date_diff('second', received_at, resolved_at) / 3600.0
     WHEN handling_step = 'satisfy' THEN NULL
     ELSE date_diff('second', received_at, $as_of) / 3600.0 END"""

STEPS_SQL = f"""
WITH c AS (
    SELECT handling_step AS step,
           {CLOSED_SQL} AS closed,
           {_HOURS} AS hours
    FROM complaint
    WHERE {{where}}
)
SELECT step, count(*) AS n, count(*) FILTER (WHERE NOT closed) AS n_open,
       median(hours) AS median_hours,
       count(*) FILTER (WHERE NOT closed AND hours > $stall_hours) AS stalled,
       count(*) FILTER (WHERE closed) AS n_closed
FROM c
GROUP BY step
"""

# Kaplan–Meier's input: per distinct duration, the resolutions (events) and all complaints ending there.
DURATIONS_SQL = f"""
WITH c AS (
    SELECT resolved_at IS NOT NULL AS resolved, {_HOURS} AS hours
    FROM complaint
    WHERE {{where}}
)
SELECT hours, count(*) FILTER (WHERE resolved) AS events, count(*) AS ended
FROM c
WHERE hours IS NOT NULL AND hours >= 0
GROUP BY hours
ORDER BY hours
"""

STEP_COLUMNS = ["step", "count", "reached", "reached_share", "n_open", "median_hours", "stalled", "share_stalled"]


@dataclass(frozen=True)
class HandlingSteps:
    """The handling steps of the period's complaints.

    steps: one row per step in order (STEP_COLUMNS): count now at the step; reached = at this step or
    a later one (the funnel); n_open; median_hours of those at the step (see the module's docstring);
    stalled = open ones past stall_hours, share_stalled = stalled / count.
    n_without_step: complaints whose status named no step (or was blank).
    median_hours_to_resolve: Kaplan–Meier, open complaints censored at as_of; n_untimed closed ones
    without a resolved time are not in it.
    confirmed_share = at Satisfy / closed, with its Wilson interval.
    stalls_most: the step with the most stalled complaints (None when none stalls).
    """

    n: int
    steps: pd.DataFrame
    n_without_step: int
    n_closed: int
    n_confirmed: int
    confirmed_share: float | None
    confirmed_ci_low: float | None
    confirmed_ci_high: float | None
    median_hours_to_resolve: float | None
    n_resolved: int
    n_censored: int
    stall_hours: float
    as_of: datetime | None
    stalls_most: str | None
    n_untimed: int = 0


@shared
def handling_steps(con, filters: Filters = Filters(), stall_hours: float = DEFAULT_SLA_HOURS,
                   as_of: datetime | None = None) -> HandlingSteps:
    """The funnel by step, hours to resolve (Kaplan–Meier), confirmed satisfaction and stalls."""
    if as_of is None:
        as_of = fetch_one(con, AS_OF_SQL, what="the complaint log's last time")[0]
    where, params = where_sql(filters, "complaint")
    params = {**params, "as_of": as_of or datetime(1970, 1, 1)}
    rows = fetch_all(con, STEPS_SQL.format(where=where), {**params, "stall_hours": float(stall_hours)},
                     what="complaints by handling step")
    by_step = {step: (count(n), count(n_open), number(median), count(stalled), count(closed))
               for step, n, n_open, median, stalled, closed in rows}
    n = sum(v[0] for v in by_step.values())
    n_closed = sum(v[4] for v in by_step.values())
    counts = [by_step.get(step, (0, 0, None, 0, 0)) for step in STEPS]
    reached = [sum(c[0] for c in counts[i:]) for i in range(len(STEPS))]
    stepped = reached[0]
    steps = pd.DataFrame({
        "step": list(STEPS),
        "count": [c[0] for c in counts],
        "reached": reached,
        "reached_share": [r / stepped if stepped else None for r in reached],
        "n_open": [c[1] for c in counts],
        "median_hours": [c[2] for c in counts],
        "stalled": [c[3] for c in counts],
        "share_stalled": [c[3] / c[0] if c[0] else None for c in counts],
    }, columns=STEP_COLUMNS)
    durations = fetch_df(con, DURATIONS_SQL.format(where=where), params, what="complaints' hours to resolve")
    resolved, ended = durations["events"].to_numpy(dtype=float), durations["ended"].to_numpy(dtype=float)
    km = kaplan_meier_median_counted(durations["hours"].to_numpy(dtype=float), resolved, ended - resolved)
    n_resolved, n_ended = km.n_events, km.n
    confirmed = by_step.get("satisfy", (0, 0, None, 0, 0))[0]
    interval = wilson_interval(confirmed, n_closed)
    most = max(counts, key=lambda c: c[3]) if counts else None
    stalls_most = STEPS[counts.index(most)] if most is not None and most[3] > 0 else None
    return HandlingSteps(
        n=n, steps=steps, n_without_step=by_step.get(None, (0,))[0], n_closed=n_closed, n_confirmed=confirmed,
        confirmed_share=confirmed / n_closed if n_closed else None,
        confirmed_ci_low=interval.low, confirmed_ci_high=interval.high,
        median_hours_to_resolve=km.median, n_resolved=n_resolved,
        n_censored=n_ended - n_resolved, stall_hours=float(stall_hours), as_of=as_of, stalls_most=stalls_most,
        n_untimed=max(n_closed - n_resolved, 0))


def steps_summary(result: HandlingSteps) -> dict:
    """summary --json's complaints.steps: step → count, median hours in step, share stalled."""
    return {row.step: {"count": int(row.count), "median_hours": number(row.median_hours),
                       "share_stalled": number(row.share_stalled)}
            for row in result.steps.itertuples(index=False)}


__all__ = ["HandlingSteps", "handling_steps", "steps_summary",
           "STEP_COLUMNS"]
