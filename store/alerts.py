"""Alert rules and the alerts raised, in the store (issue 23).

Rules: the newest row of each rule wins (insert-only, like app_setting); upgrade step 11 seeds the
defaults of store/rules.py. Events: recorded once per (rule, scope, subject, metric, period) under
the store's writer claim, so two processes evaluating at the same moment take turns and the second
finds the event there; an event is marked sent before its e-mail goes out, so it is never sent twice.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import pandas as pd

from store.db import transaction, write_claimed
from store.errors import FeedbackError
from store.query import fetch_df
from store.rules import DEFAULT_RULES, RULES

EVENT_KEY = ("rule", "scope", "subject", "metric", "period")
EVENT_COLUMNS = ("rule", "scope", "subject", "region", "metric", "period", "value", "reference", "ci_low",
                 "ci_high", "p_value", "q_value", "n", "first_month", "months")

RULES_SQL = """
SELECT rule, enabled, threshold, set_at, set_by
FROM (SELECT *, row_number() OVER (PARTITION BY rule ORDER BY set_at DESC, rowid DESC) AS newest FROM alert_rule)
WHERE newest = 1
"""

EVENTS_SQL = """
SELECT rule, scope, subject, region, metric, period, value, reference, ci_low, ci_high, p_value, q_value, n,
       first_month, months, detected_at, sent_at, sent_to, send_error
FROM alert_event
WHERE period BETWEEN $first AND $last
ORDER BY period DESC, detected_at, rule, scope, subject, metric
"""


def subject_key(subject) -> str:
    """A subject as the events' key compares it: '' for none (the company)."""
    return "" if subject is None or (not isinstance(subject, str) and pd.isna(subject)) else str(subject)


class RuleError(FeedbackError):
    """An alert rule that does not exist, or a threshold outside what the rule allows."""


@dataclass(frozen=True)
class Rule:
    name: str
    enabled: bool
    threshold: float


def alert_rules(con: duckdb.DuckDBPyConnection) -> dict[str, Rule]:
    """Every rule as it stands (a rule missing from the store has its default)."""
    stored = {row[0]: row for row in con.execute(RULES_SQL).fetchall()}
    found = {}
    for name, (enabled, threshold, _low, _high) in DEFAULT_RULES.items():
        row = stored.get(name)
        found[name] = Rule(name, bool(row[1]), float(row[2])) if row else Rule(name, enabled, threshold)
    return found


def set_rule(con: duckdb.DuckDBPyConnection, name: str, enabled: bool | None = None, threshold: float | None = None,
             who: str | None = None) -> Rule:
    """Switch a rule on or off and/or change its threshold; the rule as it now stands."""
    if name not in DEFAULT_RULES:
        raise RuleError(f"there is no alert rule {name!r}; the rules are " + ", ".join(RULES))
    low, high = DEFAULT_RULES[name][2:]
    if threshold is not None and not low <= float(threshold) <= high:
        raise RuleError(f"the threshold of {name} lies between {low:g} and {high:g}, not {float(threshold):g}")
    current = alert_rules(con)[name]
    rule = Rule(name, current.enabled if enabled is None else bool(enabled),
                current.threshold if threshold is None else float(threshold))
    with transaction(con, "the alert rule could not be saved"):
        con.execute("INSERT INTO alert_rule VALUES (?, ?, ?, ?, ?)",
                    [name, rule.enabled, rule.threshold, dt.datetime.now(), who])
    return rule


def record_events(con: duckdb.DuckDBPyConnection, events: pd.DataFrame, who: str | None = None) -> pd.DataFrame:
    """Store the events not recorded before (by EVENT_KEY); the new ones, as stored."""
    if events.empty:
        return events.iloc[0:0]
    frame = events[list(EVENT_COLUMNS)].copy()
    frame["detected_at"] = dt.datetime.now().replace(microsecond=0)

    def work() -> pd.DataFrame:
        known = con.execute("SELECT rule, scope, coalesce(subject, ''), metric, period FROM alert_event"
                            " WHERE period IN (SELECT DISTINCT period FROM new_alert_events)").fetchall()
        seen = {tuple(row) for row in known}
        keys = [(r.rule, r.scope, subject_key(r.subject), r.metric, r.period) for r in frame.itertuples(index=False)]
        fresh = frame[[key not in seen for key in keys]].drop_duplicates(subset=list(EVENT_KEY))
        fresh = fresh.assign(subject=[subject_key(v) or None for v in fresh["subject"]])
        if len(fresh):
            con.register("fresh_alert_events", fresh)
            try:
                con.execute("INSERT INTO alert_event (" + ", ".join(fresh.columns) + ") SELECT "
                            + ", ".join(fresh.columns) + " FROM fresh_alert_events")
            finally:
                con.unregister("fresh_alert_events")
        return fresh.reset_index(drop=True)

    con.register("new_alert_events", frame)
    try:
        return write_claimed(con, work, failure="the alerts could not be recorded", who=who or "alerts")
    finally:
        con.unregister("new_alert_events")


def alert_events(con: duckdb.DuckDBPyConnection, first: str, last: str | None = None) -> pd.DataFrame:
    """The alerts raised for the months first..last (YYYY-MM), newest month first."""
    return fetch_df(con, EVENTS_SQL, {"first": first, "last": last or first}, what="the alerts")


def claim_unsent(con: duckdb.DuckDBPyConnection, period: str, sent_to: str) -> pd.DataFrame:
    """The month's events not yet sent, marked sent (to `sent_to`) in the same claimed transaction, so
    no other process sends them too; release_unsent takes the mark back when sending fails."""
    def work() -> pd.DataFrame:
        now = dt.datetime.now().replace(microsecond=0)
        unsent = fetch_df(con, "SELECT * FROM alert_event WHERE period = ? AND sent_at IS NULL"
                               " ORDER BY detected_at, rule, scope, subject, metric", [period], what="unsent alerts")
        if len(unsent):
            con.execute("UPDATE alert_event SET sent_at = ?, sent_to = ?, send_error = NULL"
                        " WHERE period = ? AND sent_at IS NULL", [now, sent_to, period])
        return unsent

    return write_claimed(con, work, failure="the alerts to send could not be claimed", who="alerts")


def release_unsent(con: duckdb.DuckDBPyConnection, events: pd.DataFrame, error: str) -> None:
    """Sending failed: the events are unsent again (the next evaluation retries), with the reason."""
    def work() -> None:
        for row in events.itertuples(index=False):
            con.execute("UPDATE alert_event SET sent_at = NULL, sent_to = NULL, send_error = ?"
                        " WHERE rule = ? AND scope = ? AND coalesce(subject, '') = ? AND metric = ? AND period = ?",
                        [error[:500], row.rule, row.scope, subject_key(row.subject), row.metric, row.period])

    write_claimed(con, work, failure="a failed sending could not be noted", who="alerts")
