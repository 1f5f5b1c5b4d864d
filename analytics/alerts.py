"""The alert rules evaluated on one month (issue 23): what a manager should hear about without opening
the dashboard. Pure: a connection, the month, the rules and the targets in; the events out, each
with the numbers behind it. Recording them (once each), wording them and sending them is
presentation/alerts.py's, which the import paths call after every import.

The rules (store/rules.py, thresholds there):

- **branch_nps_fall**: a branch's NPS this month against last month, by the adjusted-Wald difference
  test (analytics.nps.nps_change_by), fallen by more than the threshold's points;
- **cause_above_mean**: a complaint cause's count this month against its mean over the months before
  (the threshold's number, 3 by default), by the exact conditional test of two Poisson counts with
  the periods' days as exposure (stats.count_rate_test), and only when the month's rate is the higher;
  the months before start no earlier than the data's first day, and none is raised when they hold no
  complaint at all (complaints.rising_causes);
- **sustained_decline**: the overview's trend finding: Mann–Kendall's test of the last months' values
  (the threshold's number, 12 by default; analytics.trends) for NPS and CSI falling, complaints rising,
  for the company, each region and each branch;
- **sla_below_target**: the share of complaints resolved within the SLA (the threshold's hours)
  whose whole 95% Wilson interval lies below its target (analytics.targets), for the company and
  every region or branch with a target of its own.

The tests of the first three are one Benjamini–Hochberg family (changes.adjust_family): an event
needs q < 0.05, and nothing below the minimum n is ever raised. The fourth compares an interval with
a target: it is a claim about one figure, not a pick among many.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pandas as pd

from analytics.changes import Change, Family, adjust_family
from analytics.complaints import resolution_stats, rising_causes
from analytics.filters import Filters, add_months, data_range, month_filters, month_of, months_between
from analytics.nps import nps_change_by
from analytics.stats import MIN_N, too_few
from analytics.targets import SHORT, Target, target_gap
from analytics.trends import find_trends
from store.alerts import EVENT_COLUMNS, Rule, alert_events, alert_rules, subject_key
from store.query import fetch_all, number
from store.targets import targets

BRANCH_REGIONS_SQL = """
SELECT DISTINCT branch, region FROM (
    SELECT branch, region FROM nps_response UNION ALL SELECT branch, region FROM complaint
    UNION ALL SELECT branch, region FROM survey_response
) WHERE branch IS NOT NULL
"""
# how each trend's direction reads: these are the declines
WORSE = {("nps", "down"), ("csi", "down"), ("complaints", "up")}


def latest_month(con) -> str | None:
    """The month an evaluation after an import looks at: that of the data's last day."""
    _, last = data_range(con)
    return month_of(last) if last is not None else None


def _event(rule: str, scope: str, subject, metric: str, month: str, **values) -> dict:
    row = dict.fromkeys(EVENT_COLUMNS)
    row.update(rule=rule, scope=scope, subject=None if subject is None or pd.isna(subject) else str(subject),
               metric=metric, period=month, **values)
    return row


def _branch_regions(con) -> dict[str, str]:
    return {str(b): r for b, r in fetch_all(con, BRANCH_REGIONS_SQL, what="the branches' regions")}


def evaluate(con, month: str, rules: dict[str, Rule] | None = None, book: pd.DataFrame | None = None,
             min_n: int = MIN_N) -> tuple[pd.DataFrame, Family]:
    """The events of `month` (YYYY-MM) under `rules` (default: as stored) and the targets `book`
    (default: as stored), as a frame of store.alerts.EVENT_COLUMNS, and the family of tests behind
    them."""
    rules = rules if rules is not None else alert_rules(con)
    book = book if book is not None else targets(con)
    current = month_filters(Filters(), month)
    previous = month_filters(Filters(), month_of(add_months(current.date_from, -1)))
    tables: dict[str, pd.DataFrame] = {}
    on = {name for name, rule in rules.items() if rule.enabled}
    if "branch_nps_fall" in on:
        tables["branches"] = nps_change_by(con, current, previous, "branch")
    if "cause_above_mean" in on:
        months = int(rules["cause_above_mean"].threshold)
        before = Filters(date_from=add_months(current.date_from, -months),
                         date_to=current.date_from - timedelta(days=1))
        data_from = data_range(con)[0]
        if data_from is not None and before.date_from < data_from <= before.date_to:
            # the days before the data began hold no complaints because there is no log, not
            # because there were none: counted as exposure they made the data's second month look
            # like a rise on a mean a third of the real one
            months = len(months_between(data_from, before.date_to))
            before = replace(before, date_from=data_from)
        causes = rising_causes(con, current, before)
        days_now = (current.date_to - current.date_from).days + 1
        days_before = (before.date_to - before.date_from).days + 1
        causes = causes.assign(count_total=causes["count_now"] + causes["count_before"],
                               mean_before=causes["count_before"] / months, months=months,
                               above=causes["count_now"] * days_before > causes["count_before"] * days_now)
        tables["causes"] = causes
    if "sustained_decline" in on:
        trends = find_trends(con, current, months=int(rules["sustained_decline"].threshold))
        tables["trends"] = trends[trends["kind"] == "trend"].reset_index(drop=True)
    family = adjust_family([], tables, min_n)
    regions = _branch_regions(con)
    events: list[dict] = []
    if "branches" in family.tables:
        drop = rules["branch_nps_fall"].threshold
        for row in family.tables["branches"].itertuples(index=False):
            if row.significant and isinstance(row.branch, str) and number(row.delta) is not None and row.delta < -drop:
                events.append(_event("branch_nps_fall", "branch", row.branch, "nps", month,
                                     region=regions.get(str(row.branch)), value=row.score, reference=row.score_before,
                                     ci_low=row.ci_low, ci_high=row.ci_high, p_value=row.p_value,
                                     q_value=row.q_value, n=int(row.n)))
    if "causes" in family.tables:
        for row in family.tables["causes"].itertuples(index=False):
            if row.significant and row.above:
                events.append(_event("cause_above_mean", "cause", row.cause, "complaints", month,
                                     value=float(row.count_now), reference=float(row.mean_before),
                                     p_value=row.p_value, q_value=row.q_value, n=int(row.count_now),
                                     months=int(row.months)))
    if "trends" in family.tables:
        for row in family.tables["trends"].itertuples(index=False):
            if row.significant and (row.metric, row.direction) in WORSE:
                region = regions.get(str(row.subject)) if row.scope == "branch" else None
                events.append(_event("sustained_decline", row.scope, row.subject, row.metric, month, region=region,
                                     value=row.last_value, reference=row.first_value, ci_low=row.slope_low,
                                     ci_high=row.slope_high, p_value=row.p_value, q_value=row.q_value,
                                     n=int(row.n), first_month=row.first_month, months=int(row.months)))
    if "sla_below_target" in on:
        events += _sla_events(con, month, current, rules["sla_below_target"].threshold, book, regions, min_n)
    frame = pd.DataFrame(events, columns=list(EVENT_COLUMNS))
    return frame.astype({"subject": object, "region": object, "first_month": object}), family


def _sla_events(con, month: str, current: Filters, sla_hours: float, book: pd.DataFrame,
                regions: dict[str, str], min_n: int) -> list[dict]:
    rows = book[book["metric"] == "within_sla"] if len(book) else book
    events = []
    for row in rows.itertuples(index=False):
        place = {"region": {"regions": (row.subject,)}, "branch": {"branches": (row.subject,)}}.get(row.scope, {})
        stats = resolution_stats(con, replace(current, **place), sla_hours)
        figure = Change("within_sla", stats.within_sla, None, None, False, stats.n_sla_due, 0,
                        ci_low=stats.within_sla_ci_low, ci_high=stats.within_sla_ci_high,
                        too_few=too_few(stats.n_sla_due, min_n))
        gap = target_gap(figure, Target("within_sla", float(row.target), row.scope, row.subject))
        if gap.status == SHORT:
            events.append(_event("sla_below_target", row.scope, row.subject, "within_sla", month,
                                 region=regions.get(str(row.subject)) if row.scope == "branch" else None,
                                 value=stats.within_sla, reference=float(row.target), ci_low=stats.within_sla_ci_low,
                                 ci_high=stats.within_sla_ci_high, n=int(stats.n_sla_due)))
    return events


# how far back `since` looks for an alert raised month after month
SINCE_MONTHS = 24


def alerts_for(con, filters: Filters = Filters()) -> pd.DataFrame:
    """The alerts raised for the months of the selection's period (without dates: the data's last
    month), newest month first: store.alerts.EVENT_COLUMNS, detected_at, sent_at, and `since`, the
    first month of the run of consecutive months in which the same rule has raised it for the same
    subject and metric. With regions or branches chosen, only those about them (a branch's alert
    also under its region); the company's and the causes' otherwise.
    """
    last, first = filters.date_to, filters.date_from
    if last is None:
        _, last = data_range(con)
        if last is None:
            return pd.DataFrame(columns=[*EVENT_COLUMNS, "detected_at", "sent_at", "since"])
        first = None
    months = (month_of(first) if first is not None and first <= last else month_of(last), month_of(last))
    events = alert_events(con, month_of(add_months(last.replace(day=1), -SINCE_MONTHS)), months[1])
    raised = {(r.rule, r.scope, subject_key(r.subject), r.metric, r.period) for r in events.itertuples(index=False)}
    now = events[(events["period"] >= months[0]) & (events["period"] <= months[1])].copy()
    if filters.regions or filters.branches:
        about = [(r.scope == "branch" and (r.subject in filters.branches or r.region in filters.regions))
                 or (r.scope == "region" and r.subject in filters.regions) for r in now.itertuples(index=False)]
        now = now[pd.Series(about, index=now.index, dtype=bool)] if len(now) else now
    since = []
    for r in now.itertuples(index=False):
        start = r.period
        while (r.rule, r.scope, subject_key(r.subject), r.metric, _month_before(start)) in raised:
            start = _month_before(start)
        since.append(start)
    now["since"] = pd.Series(since, index=now.index, dtype=object)
    return now.reset_index(drop=True)


def _month_before(month: str) -> str:
    return month_of(add_months(month_filters(Filters(), month).date_from, -1))


__all__ = ["latest_month", "evaluate", "alerts_for"]
