"""Targets per metric, for the whole company or one region or branch, kept in the store (issue 19).

An analyst sets them on the Imports page or with `python -m loaders set-target`; the tiles show the
gap to the one in force (analytics/targets.py). Rows are only ever inserted: the newest row of a
(metric, scope, subject) wins, a NULL target clears it.
"""
from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from store.db import transaction
from store.errors import FeedbackError
from store.query import fetch_df

# metric → (lowest, highest, how a person writes it: a share as a percentage, 90 for 0.9)
TARGET_METRICS: dict[str, tuple[float, float, float]] = {
    "nps": (-100.0, 100.0, 1.0),
    "csi": (0.0, 100.0, 1.0),
    "within_sla": (0.0, 1.0, 100.0),
    "negative_share": (0.0, 1.0, 100.0),
    "promoter_share": (0.0, 1.0, 100.0),
    "detractor_share": (0.0, 1.0, 100.0),
}
SCOPES = ("all", "region", "branch")

TARGETS_SQL = """
SELECT metric, scope, subject, target, set_at, set_by
FROM (
    SELECT *, row_number() OVER (PARTITION BY metric, scope, coalesce(subject, '')
                                 ORDER BY set_at DESC, rowid DESC) AS newest
    FROM metric_target
)
WHERE newest = 1 AND target IS NOT NULL
ORDER BY metric, CASE scope WHEN 'all' THEN 0 WHEN 'region' THEN 1 ELSE 2 END, subject
"""


class TargetError(FeedbackError):
    """A target that cannot be stored: an unknown metric or place, or a value outside the metric's range."""


def stored_value(metric: str, written: float) -> float:
    """The target as stored from the figure a person writes: 90 (%) → 0.9 for a share; checked."""
    if metric not in TARGET_METRICS:
        raise TargetError(f"there are no targets for {metric!r}; targets are for " + ", ".join(TARGET_METRICS))
    low, high, written_as = TARGET_METRICS[metric]
    value = float(written) / written_as
    if not low <= value <= high:
        raise TargetError(f"a target for {metric} lies between {low * written_as:g} and {high * written_as:g},"
                          f" not {float(written):g}")
    return value


def written_value(metric: str, value: float) -> float:
    """The stored target as a person writes it (0.9 → 90 for a share)."""
    return float(value) * TARGET_METRICS[metric][2]


def _scope(scope: str, subject: str | None) -> tuple[str, str | None]:
    if scope not in SCOPES:
        raise TargetError(f"a target is for {', '.join(SCOPES)}, not {scope!r}")
    subject = (subject or "").strip() or None
    if (scope == "all") != (subject is None):
        raise TargetError("a region's or branch's target names it; the company's names none")
    return scope, subject


def set_target(con: duckdb.DuckDBPyConnection, metric: str, written: float | None, scope: str = "all",
               subject: str | None = None, who: str | None = None, now: dt.datetime | None = None) -> None:
    """Store a target as a person writes it (a share in percent), or clear it (written None)."""
    scope, subject = _scope(scope, subject)
    value = None if written is None else stored_value(metric, written)
    if written is None and metric not in TARGET_METRICS:
        raise TargetError(f"there are no targets for {metric!r}; targets are for " + ", ".join(TARGET_METRICS))
    with transaction(con, "the target could not be saved"):
        con.execute("INSERT INTO metric_target VALUES (?, ?, ?, ?, ?, ?)",
                    [metric, scope, subject, value, now or dt.datetime.now().replace(microsecond=0), who])


def targets(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The targets in force: metric, scope, subject, target (stored form), set_at, set_by."""
    return fetch_df(con, TARGETS_SQL, what="the targets")
