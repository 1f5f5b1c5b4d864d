"""Complaint causes and resolution: the Pareto, rising causes, keyword-derived causes, SLA, the iceberg.

DESIGN.md, "Complaint causes" and "Complaint iceberg". Shares are fractions in [0, 1].
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

import pandas as pd

from analytics.filters import (
    FilterError, Filters, add_months, month_of, months_between, period_days, previous_period, tallied,
    where_sql
)
from analytics.memo import offer, shared
from analytics.stats import (
    ProportionTest, RateTest, count_rate_test, kaplan_meier_median_counted, two_proportion_z_test, wilson_interval
)
from store.query import count, fetch_all, fetch_df, fetch_one, number
from store.sums import COMPLAINT_MEASURES, month_key_sql, month_label
from text.steps import CLOSED_SQL

VITAL_FEW_CUMULATIVE = 0.8
DEFAULT_SLA_HOURS = 24.0
DEFAULT_COMPLAINT_SHARE = 0.05  # the share of dissatisfied customers who complain: the seed material's 5%
# TARP's studies for the US Office of Consumer Affairs (Technical Assistance Research Programs, "Consumer
# Complaint Handling in America", 1979 and its 1986 update): about 1 in 26 dissatisfied customers complain.
# The iceberg's range runs between that and the seed's 5% (DESIGN.md, "Complaint iceberg").
TARP_COMPLAINT_SHARE = 1 / 26
ICEBERG_SOURCE = "TARP for the US Office of Consumer Affairs (1979, 1986): about 1 in 26; seed material: 5%"
REPEAT_WINDOW_MONTHS = 12

_CAUSE = "nullif(trim(cause), '')"

CAUSE_COUNTS_SQL = f"""
SELECT {_CAUSE} AS cause, count(*) AS count
FROM complaint
WHERE {_CAUSE} IS NOT NULL AND {{where}}
GROUP BY 1
"""

# Each period a scan of its own (see COUNTS_OF_SELECTION_SQL); a complaint in both counts in both.
CAUSE_COUNTS_TWO_PERIODS_SQL = f"""
SELECT cause,
       count(*) FILTER (WHERE period = 0) AS count_now,
       count(*) FILTER (WHERE period = 1) AS count_before
FROM (SELECT 0 AS period, {_CAUSE} AS cause FROM complaint WHERE {_CAUSE} IS NOT NULL AND {{now}}
      UNION ALL
      SELECT 1 AS period, {_CAUSE} AS cause FROM complaint WHERE {_CAUSE} IS NOT NULL AND {{before}})
GROUP BY 1
"""

_CAUSE_COUNTS = f"""count(*) AS n,
       count({_CAUSE}) AS n_with_cause,
       count(*) FILTER (WHERE cause_source = 'keywords') AS n_cause_from_keywords"""
# the distinct customers are most of the counts' work (a hash of every complaint's trimmed id)
_CUSTOMER_COUNTS = """count(DISTINCT nullif(trim(customer_id), '')) AS n_customers,
       count(*) FILTER (WHERE nullif(trim(customer_id), '') IS NULL) AS n_without_customer"""
_COUNTS = f"{_CAUSE_COUNTS},\n       {_CUSTOMER_COUNTS}"
COUNTS_SQL = f"SELECT {_COUNTS} FROM complaint WHERE {{where}}"
# One selection's counts, numbered: complaint_counts_of joins them with UNION ALL, each period a scan
# of its own, since the file's zone maps prune each period's date range but not the OR of them (the
# rows of every month would be read: at ten million the whole complaint log for three months).
COUNTS_OF_SELECTION_SQL = "SELECT {index} AS selection, {counts} FROM complaint WHERE {where}"

# Resolution is judged as of the store's latest moment (the last complaint received or resolved), so a
# complaint still open then has been open that long: the SLA share counts it as missed once its SLA
# time has passed, and the median time to resolve censors it (Kaplan–Meier). Seconds are compared
# as integers: `seconds <= $sla_seconds` is `hours <= sla` (_seconds_within). The latest of the two
# columns' maxima is the latest of every row's moments; a lake answers it from its files' statistics
# without reading the rows.
AS_OF_SQL = "SELECT greatest(max(received_at), max(resolved_at)) FROM complaint"

# A complaint closed without a resolved time (its status at Satisfy: text/steps.py CLOSED_SQL) is
# resolved, but when is unknown: it is neither within the SLA nor open past it, and has no duration.
RESOLUTION_SQL = f"""
WITH c AS (
    SELECT date_diff('second', received_at, resolved_at) AS seconds,
           date_diff('second', received_at, $as_of) AS open_seconds, escalated, {CLOSED_SQL} AS closed
    FROM complaint
    WHERE {{where}}
)
SELECT count(*) AS n,
       count(*) FILTER (WHERE closed) AS n_resolved,
       count(*) FILTER (WHERE open_seconds >= $sla_seconds AND (seconds IS NOT NULL OR NOT closed)) AS sla_due,
       count(*) FILTER (WHERE open_seconds >= $sla_seconds AND seconds <= $sla_seconds) AS within_sla,
       count(*) FILTER (WHERE open_seconds >= $sla_seconds AND NOT closed) AS open_past_sla,
       count(escalated) AS n_escalation_known,
       count(*) FILTER (WHERE escalated) AS escalated
FROM c
"""

# Each duration once with how many complaints ended (were resolved) then and how many were still open;
# one closed without a resolved time has no duration.
DURATIONS_SQL = f"""
SELECT coalesce(date_diff('second', received_at, resolved_at), date_diff('second', received_at, $as_of)) AS seconds,
       count(resolved_at) AS ended, count(*) - count(resolved_at) AS still_open
FROM complaint
WHERE {{where}} AND (resolved_at IS NOT NULL OR ($as_of IS NOT NULL AND NOT {CLOSED_SQL}))
GROUP BY 1
"""

# A blank customer id is none. The loaders store ids trimmed, so only an id that starts with a space
# is trimmed to see whether it is blank: trimming every id of a year's complaints was a third of the
# query (bench/RESULTS.md, "The complaints page's repeat complainants").
REPEAT_COMPLAINANTS_SQL = f"""
SELECT count(*) AS customers, count(*) FILTER (WHERE complaints >= 2) AS repeat_customers
FROM (
    SELECT customer_id, count(*) AS complaints
    FROM complaint
    WHERE customer_id IS NOT NULL AND (NOT starts_with(customer_id, ' ') OR trim(customer_id) <> '')
      AND received_at >= $window_from AND received_at < $window_to_next_day AND {{where}}
    GROUP BY customer_id
)
"""

LAST_COMPLAINT_SQL = "SELECT max(received_at) FROM complaint WHERE {where}"

PARETO_COLUMNS = ["cause", "count", "share", "cumulative", "vital_few"]


# -- causes ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ComplaintCounts:
    """How many complaints, how many carry a cause, how many causes came from keywords, and how many
    distinct customers complained (n_customers) besides the complaints without a customer id."""

    n: int
    n_with_cause: int
    n_cause_from_keywords: int
    n_customers: int | None = 0       # None where not counted (complaint_counts_of)
    n_without_customer: int | None = 0


@shared
def complaint_counts(con, filters: Filters = Filters()) -> ComplaintCounts:
    where, params = where_sql(filters, "complaint")
    row = fetch_one(con, COUNTS_SQL.format(where=where), params, what="complaint counts")
    return ComplaintCounts(*(count(v) for v in row))


def complaint_counts_of(con, selections, customers: bool = True) -> list[ComplaintCounts]:
    """complaint_counts of each selection (a review's periods), from one query; inside
    shared_results() each is complaint_counts' answer from then on. customers=False leaves the
    distinct customers uncounted (n_customers and n_without_customer None) and offers nothing: the
    review's headlines count complaints and causes only."""
    selections = list(selections)
    if not selections:
        return []
    parts, params = [], {}
    for index, chosen in enumerate(selections):
        where, chosen_params = where_sql(chosen, "complaint", prefix=f"s{index}")
        parts.append(COUNTS_OF_SELECTION_SQL.format(index=int(index), where=where,
                                                    counts=_COUNTS if customers else _CAUSE_COUNTS))
        params.update(chosen_params)
    rows = fetch_all(con, " UNION ALL ".join(parts), params, what="complaint counts")
    unread = () if customers else (None, None)
    found = {int(index): ComplaintCounts(*(count(v) for v in values), *unread) for index, *values in rows}
    results = [found.get(index, ComplaintCounts(0, 0, 0, *((0, 0) if customers else unread)))
               for index in range(len(selections))]
    if customers:
        for chosen, result in zip(selections, results):
            offer(complaint_counts, result, chosen)
    return results


# the tally's counts (store/sums.py COMPLAINT_MEASURES) for whole months, each complaint's 1 otherwise
COUNTS_BY_SQL = "SELECT {group} AS grp, sum(complaints)::BIGINT AS n FROM {{counted}} WHERE {{where}} GROUP BY 1"
COUNT_GROUPS = {"branch": "branch", "region": "region"}


def complaint_counts_by(con, filters: Filters = Filters(), by: str = "branch") -> dict:
    """Complaints per branch (or region): {name: count}, a missing name as None."""
    if by not in COUNT_GROUPS:
        raise FilterError(f"complaints cannot be counted by {by!r}; use one of " + ", ".join(COUNT_GROUPS))
    where, params = where_sql(filters, "complaint")
    sql = COUNTS_BY_SQL.format(group=COUNT_GROUPS[by]).format(
        where=where, counted=tallied("complaint", COMPLAINT_MEASURES, filters))
    rows = fetch_all(con, sql, params, what=f"complaints by {by}")
    return {group: count(n) for group, n in rows}


@shared
def cause_pareto(con, filters: Filters = Filters()) -> pd.DataFrame:
    """Complaints per cause, most frequent first, with share, cumulative share and the vital few.

    Columns: cause, count, share, cumulative, vital_few. Shares are of the complaints that have a
    cause (complaints without one are counted by complaint_counts). Ties in count are ordered by
    cause name; the vital few are the causes up to and including the one at which the cumulative
    share reaches 80%, so a cause tied with the last vital one but ordered after it is not vital.
    """
    where, params = where_sql(filters, "complaint")
    rows = fetch_all(con, CAUSE_COUNTS_SQL.format(where=where), params, what="the Pareto of complaint causes")
    return pareto(rows)


def pareto(counts) -> pd.DataFrame:
    """cause_pareto's table from (cause, count) pairs: a page that has rising_causes (count_now per
    cause) builds it with pareto_of_rising and needs no query of its own.

    Ties in count are ordered by cause name, so the Pareto (and its vital few) is deterministic.
    vital_few: every cause up to and including the one whose cumulative share reaches 80%, i.e. the
    causes whose cumulative share *before* them is below 80% (in integers: 5·before < 4·total).
    """
    ordered = sorted(((str(cause), int(n)) for cause, n in counts if n), key=lambda c: (-c[1], c[0]))
    total = sum(n for _, n in ordered)
    running, cumulative, vital_few = 0, [], []
    for _, n in ordered:
        vital_few.append((running * 5) < total * 4)
        running += n
        cumulative.append(running / total)
    # a frame built from the few rows' tuples: DuckDB's DataFrame and the astype after it took
    # as long as the query
    return pd.DataFrame({"cause": pd.Series([c for c, _ in ordered], dtype="str" if ordered else object),
                         "count": pd.Series([n for _, n in ordered], dtype="int64"),
                         "share": pd.Series([n / total for _, n in ordered], dtype=float),
                         "cumulative": pd.Series(cumulative, dtype=float),
                         "vital_few": pd.Series(vital_few, dtype=bool)}, columns=PARETO_COLUMNS)


def pareto_of_rising(rising: pd.DataFrame) -> pd.DataFrame:
    """The current period's cause_pareto from rising_causes' counts now (same selection)."""
    return pareto(zip(rising["cause"], rising["count_now"])) if len(rising) else pareto([])


def rising_causes(con, filters: Filters, previous: Filters | None = None) -> pd.DataFrame:
    """Each cause's count now and in the previous period, with the exact conditional test of the counts.

    `previous` defaults to previous_period(filters) (pass resolved dates). Columns: cause,
    count_now, count_before, change (count), share_now, share_before (of complaints with a cause),
    z (NaN: the test is exact), p_value, significant, rising; sorted by the change in count, largest
    rise first. The test is stats.count_rate_test with each period's days as exposure (3 complaints
    vs 0 is p = 0.25, not the z-test's 0.014), and "rising" means significant with the count up.
    p-values are the row's own; a page picking among causes adjusts them as a family
    (changes.adjust_family).

    A comparison period without a single complaint of any cause (the data's first month, a branch
    not yet in the log) is no baseline: no cause is tested (p_value NaN, never significant or
    rising), since 10 complaints against none would otherwise pass as a rise (p = 0.0008).
    """
    previous = previous if previous is not None else previous_period(filters)
    if previous is None:
        raise FilterError("rising causes need a period with a start and an end date")
    now_sql, now_params = where_sql(filters, "complaint", prefix="now")
    before_sql, before_params = where_sql(previous, "complaint", prefix="before")
    rows = fetch_all(con, CAUSE_COUNTS_TWO_PERIODS_SQL.format(now=now_sql, before=before_sql),
                     {**now_params, **before_params}, what="rising complaint causes")
    columns = ["cause", "count_now", "count_before", "change", "share_now", "share_before", "z",
               "p_value", "significant", "rising"]
    if not rows:
        return pd.DataFrame({c: [] for c in columns})
    days_now, days_before = period_days(filters) or 0, period_days(previous) or 0
    total_now, total_before = sum(int(r[1]) for r in rows), sum(int(r[2]) for r in rows)
    if not total_before:
        days_before = 0  # count_rate_test tests nothing without an exposure to compare with
    tested = []
    for cause, now, before in rows:
        now, before = int(now), int(before)
        test = count_rate_test(now, days_now, before, days_before)
        tested.append((-(now - before), -now, str(cause), before, test))
    # largest rise in count first, then more complaints now, then by name (causes are distinct);
    # sorted here rather than as a frame: a few causes, and pandas' sort cost more than the query
    tested.sort(key=lambda t: t[:3])
    table: dict[str, list] = {c: [] for c in columns}
    for _, minus_now, cause, before, test in tested:
        now = -minus_now
        for column, value in (("cause", cause), ("count_now", now), ("count_before", before),
                              ("change", now - before),
                              ("share_now", now / total_now if total_now else math.nan),
                              ("share_before", before / total_before if total_before else math.nan),
                              ("z", math.nan),
                              ("p_value", test.p_value if test.p_value is not None else math.nan),
                              ("significant", test.significant),
                              ("rising", bool(test.significant and now > before))):
            table[column].append(value)
    return pd.DataFrame(table, columns=columns)


# -- keyword-derived causes -------------------------------------------------------------------------

# -- resolution -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class ResolutionStats:
    """How complaints were resolved in the period, open ones included (DESIGN.md, "Resolution").

    median_hours_to_resolve: Kaplan–Meier median of hours to resolve, complaints still open censored
    at their time open so far (None when fewer than half are known resolved); within_sla = resolved
    within sla_hours / complaints whose SLA time has passed (n_sla_due), an open one past it counted
    as missed, with its Wilson interval; escalation_rate = escalated / complaints whose escalation
    flag is known. Judged as of `as_of`, the store's latest moment. Shares in [0, 1], None when
    their n is 0.
    """

    n: int
    n_resolved: int
    median_hours_to_resolve: float | None
    sla_hours: float
    within_sla: float | None
    within_sla_n: int
    within_sla_ci_low: float | None
    within_sla_ci_high: float | None
    n_escalation_known: int
    escalated_n: int
    escalation_rate: float | None
    n_sla_due: int = 0
    n_open_past_sla: int = 0
    as_of: datetime | None = None
    # complaints in the median: resolved with a time, or open; a median of None over some of them is
    # not reached (fewer than half resolved as of as_of), not missing
    n_timed: int = 0

    @property
    def n_open(self) -> int:
        return self.n - self.n_resolved


@dataclass(frozen=True)
class ResolutionChange:
    """Resolution now vs before: shares by two-proportion z-tests (p < 0.05 marks them)."""

    current: ResolutionStats
    previous: ResolutionStats
    median_hours_delta: float | None
    within_sla_test: ProportionTest
    escalation_test: ProportionTest


def _seconds_within(hours: float) -> int:
    """The largest whole number of seconds s with s / 3600.0 <= hours, as DuckDB's double division
    compares it: `seconds <= _seconds_within(h)` is `seconds / 3600.0 <= h` on integers."""
    hours = float(hours)
    if math.isnan(hours) or hours >= 2.0 ** 52:  # DuckDB sorts NaN above every number
        return 2 ** 63 - 1
    if hours <= -(2.0 ** 52):
        return -(2 ** 63)
    seconds = math.floor(hours * 3600.0)
    while seconds / 3600.0 > hours:
        seconds -= 1
    while (seconds + 1) / 3600.0 <= hours:
        seconds += 1
    return seconds


def store_as_of(con) -> datetime | None:
    """The store's latest moment: the last complaint received or resolved (None without complaints)."""
    value = fetch_one(con, AS_OF_SQL, {}, what="the store's last complaint")[0]
    return None if value is None else pd.Timestamp(value).to_pydatetime()


@shared
def resolution_stats(con, filters: Filters = Filters(), sla_hours: float = DEFAULT_SLA_HOURS) -> ResolutionStats:
    """Kaplan–Meier median hours to resolve, the share within the SLA over complaints it is due for,
    and the escalation rate (ResolutionStats)."""
    where, params = where_sql(filters, "complaint")
    as_of = store_as_of(con)
    params = {**params, "as_of": as_of}
    row = fetch_one(con, RESOLUTION_SQL.format(where=where),
                    {**params, "sla_seconds": _seconds_within(sla_hours)}, what="complaint resolution")
    n, resolved, due, within, open_past, known, escalated = map(count, row)
    # as columns, not a Python tuple per duration: a month of a large store has nearly one per complaint
    durations = fetch_df(con, DURATIONS_SQL.format(where=where), params, what="the time to resolve complaints")
    median = None
    if len(durations):
        km = kaplan_meier_median_counted(durations["seconds"].to_numpy(dtype=float),
                                         durations["ended"].to_numpy(dtype=float),
                                         durations["still_open"].to_numpy(dtype=float)).median
        median = None if km is None else km / 3600.0
    interval = wilson_interval(within, due)
    return ResolutionStats(
        n=n, n_resolved=resolved, median_hours_to_resolve=number(median),
        sla_hours=float(sla_hours),
        within_sla=within / due if due else None, within_sla_n=within,
        within_sla_ci_low=interval.low, within_sla_ci_high=interval.high,
        n_escalation_known=known, escalated_n=escalated,
        escalation_rate=escalated / known if known else None,
        n_sla_due=due, n_open_past_sla=open_past, as_of=as_of,
        n_timed=int(durations["ended"].sum() + durations["still_open"].sum()) if len(durations) else 0)


def resolution_change(con, current: Filters, previous: Filters,
                      sla_hours: float = DEFAULT_SLA_HOURS) -> ResolutionChange:
    now = resolution_stats(con, current, sla_hours)
    before = resolution_stats(con, previous, sla_hours)
    delta = (now.median_hours_to_resolve - before.median_hours_to_resolve
             if now.median_hours_to_resolve is not None and before.median_hours_to_resolve is not None
             else None)
    return ResolutionChange(
        now, before, delta,
        two_proportion_z_test(now.within_sla_n, now.n_sla_due, before.within_sla_n, before.n_sla_due),
        two_proportion_z_test(now.escalated_n, now.n_escalation_known,
                              before.escalated_n, before.n_escalation_known))


@dataclass(frozen=True)
class RepeatComplainants:
    """Customers with 2+ complaints in the 12 months ending at the period's end."""

    n_customers: int           # customers with at least one complaint in the window
    n_repeat: int
    share: float | None
    window_from: date | None   # inclusive
    window_to: date | None     # inclusive


def repeat_complainants(con, filters: Filters = Filters()) -> RepeatComplainants:
    """Repeat complainants over the 12 months ending at filters.date_to (else the last complaint).

    The window is (date_to − 12 months, date_to], e.g. 1 April 2025 – 31 March 2026. Other filters
    (branch, region, ...) apply; complaints without a customer id are not counted.
    """
    undated = replace(filters, date_from=None, date_to=None)
    where, params = where_sql(undated, "complaint")
    end = filters.date_to
    if end is None:
        last = fetch_one(con, LAST_COMPLAINT_SQL.format(where=where), params, what="the last complaint")[0]
        if last is None:
            return RepeatComplainants(0, 0, None, None, None)
        end = last.date()
    window_from = add_months(end + timedelta(days=1), -REPEAT_WINDOW_MONTHS)
    row = fetch_one(con, REPEAT_COMPLAINANTS_SQL.format(where=where),
                    {**params, "window_from": datetime.combine(window_from, time.min),
                     "window_to_next_day": datetime.combine(end + timedelta(days=1), time.min)},
                    what="repeat complainants")
    customers, repeat = count(row[0]), count(row[1])
    return RepeatComplainants(customers, repeat, repeat / customers if customers else None, window_from, end)


@dataclass(frozen=True)
class ComplaintIceberg:
    """Silent dissatisfied customers estimated from the customers who complained (DESIGN.md).

    n_complainants: distinct complaining customers, each complaint without a customer id counted as
    one (n_without_id of them, said on the page); silent_dissatisfied: all dissatisfied customers =
    n_complainants / complaint_share (None without complaints); total_low..total_high: the same
    estimate over the cited shares, the seed's 5% to TARP's 1 in 26. An estimate, not a count.
    """

    n_complaints: int
    complaint_share: float
    silent_dissatisfied: float | None
    n_complainants: int = 0
    n_without_id: int = 0
    total_low: float | None = None
    total_high: float | None = None
    source: str = ICEBERG_SOURCE


def iceberg(n_complaints: int | ComplaintCounts, complaint_share: float = DEFAULT_COMPLAINT_SHARE) -> ComplaintIceberg:
    """All dissatisfied customers estimated as complaining customers / the share who complain.

    Pass complaint_counts' result: its distinct complaining customers (plus complaints without an
    id) are what the share divides; a bare number is taken as that many complaining customers. A
    page that has the period's counts needs no query for it. Source of the shares: ICEBERG_SOURCE.
    """
    if not isinstance(complaint_share, (int, float)) or not 0 < complaint_share <= 1:
        raise FilterError(f"the share of dissatisfied customers who complain must be above 0 and at most 1,"
                          f" not {complaint_share!r}")
    if isinstance(n_complaints, ComplaintCounts):
        n, without = n_complaints.n, n_complaints.n_without_customer
        complainants = n_complaints.n_customers + without
    else:
        n = complainants = int(n_complaints)
        without = 0
    if not n:
        return ComplaintIceberg(0, float(complaint_share), None)
    low, high = sorted((complainants / DEFAULT_COMPLAINT_SHARE, complainants / TARP_COMPLAINT_SHARE))
    return ComplaintIceberg(n, float(complaint_share), complainants / complaint_share, complainants, without,
                            low, high)


def complaint_iceberg(con, filters: Filters = Filters(),
                      complaint_share: float = DEFAULT_COMPLAINT_SHARE) -> ComplaintIceberg:
    """iceberg() of the filtered complaints' customers."""
    iceberg(0, complaint_share)  # an impossible share is refused before any query
    return iceberg(complaint_counts(con, filters), complaint_share)


# -- volume over time ------------------------------------------------------------------------------

# Summed from the monthly tallies for whole months (analytics.filters.tallied), else from the rows.
COMPLAINT_TREND_SQL = """
SELECT {month} AS month, sum(complaints)::BIGINT AS n
FROM {{counted}}
WHERE {{where}}
GROUP BY 1
ORDER BY 1
""".format(month=month_key_sql("received_at"))

# The months the complaint log covers, whatever the selection: a month inside them without a
# complaint of the selection had none (0); a month outside them was not recorded at all. The month
# of the first and last moment (a month key never decreases with time, so it is the least and the
# greatest key): the store answers min and max of a column from its statistics, where min of an
# expression reads every complaint ever logged (issue 24's floor: a page of one month).
COMPLAINT_LOG_SPAN_SQL = "SELECT min(received_at), max(received_at) FROM complaint"


def complaint_trend(con, filters: Filters = Filters()) -> pd.DataFrame:
    """Complaints per calendar month: month ('YYYY-MM'), n, in order.

    Every month from the selection's first to its last is a row, a month without complaints as 0,
    within the months the complaint log covers (none invented before its first complaint or after
    its last); without dates, from the selection's first complaint to its last. No complaint at
    all: no rows.
    """
    where, params = where_sql(filters, "complaint")
    frame = fetch_df(con, COMPLAINT_TREND_SQL.format(where=where, counted=tallied("complaint", COMPLAINT_MEASURES, filters)),
                     params, what="the complaint trend")
    counts = {month_label(k): int(n) for k, n in zip(frame["month"], frame["n"])}
    if not counts:
        return pd.DataFrame({"month": pd.Series([], dtype=object), "n": pd.Series([], dtype="int64")})
    log_first, log_last = (month_of(moment) for moment in fetch_one(con, COMPLAINT_LOG_SPAN_SQL,
                                                                     what="the complaint log's months"))
    first = max(month_of(filters.date_from), log_first) if filters.date_from else min(counts)
    last = min(month_of(filters.date_to), log_last) if filters.date_to else max(counts)
    months = months_between(date.fromisoformat(f"{first}-01"), date.fromisoformat(f"{last}-01"))[::-1]
    return pd.DataFrame({"month": pd.Series(months, dtype=object),
                         "n": pd.Series([counts.get(m, 0) for m in months], dtype="int64")})


def complaint_volume_change(n_now: int, n_before: int, current: Filters, previous: Filters) -> RateTest:
    """Whether the number of complaints changed beyond chance, allowing for the periods' lengths.

    The exact conditional test of two Poisson counts (stats.count_rate_test) with each period's
    number of days as its exposure; no test when either period is open-ended. Pure: the counts come
    from resolution_change (or complaint_counts) of the same two periods.
    """
    return count_rate_test(n_now, period_days(current) or 0, n_before, period_days(previous) or 0)


# -- how long resolution takes ---------------------------------------------------------------------

RESOLUTION_HOURS_EDGES = (4.0, 8.0, 12.0, 24.0, 48.0, 72.0, 168.0)

# The buckets' edges are compared on whole seconds (_seconds_within), as resolution_stats does, for
# the same floor: a CASE over the doubles is most of this query's work.
RESOLUTION_BUCKETS_SQL = """
WITH c AS (
    SELECT date_diff('second', received_at, resolved_at) AS seconds
    FROM complaint
    WHERE resolved_at IS NOT NULL AND {where}
)
SELECT CASE {cases} ELSE {last} END AS bucket, count(*) AS count
FROM c
GROUP BY 1
"""


def resolution_time_distribution(con, filters: Filters = Filters(), sla_hours: float = DEFAULT_SLA_HOURS,
                                 edges: tuple[float, ...] = RESOLUTION_HOURS_EDGES) -> pd.DataFrame:
    """Resolved complaints by hours to resolve, in buckets (a, b] so the SLA is a bucket's edge.

    The SLA is added to `edges` when it is not one of them. Columns: hours_from (0 for the first),
    hours_to (NaN for the open last bucket), count, share (of resolved complaints), within_sla
    (the bucket ends at or before the SLA, matching resolution_stats' hours ≤ SLA). Every bucket
    is listed, empty ones with count 0; no rows when nothing was resolved.
    """
    bounds = sorted({float(e) for e in edges if e > 0} | {float(sla_hours)})
    where, params = where_sql(filters, "complaint")
    cases = " ".join(f"WHEN seconds <= $edge_{i} THEN {i}" for i in range(len(bounds)))
    params = {**params, **{f"edge_{i}": _seconds_within(b) for i, b in enumerate(bounds)}}
    frame = fetch_df(con, RESOLUTION_BUCKETS_SQL.format(where=where, cases=cases, last=len(bounds)), params,
                     what="the resolution time distribution")
    columns = ["hours_from", "hours_to", "count", "share", "within_sla"]
    total = int(frame["count"].sum()) if len(frame) else 0
    if total == 0:
        return pd.DataFrame({c: [] for c in columns})
    counts = dict(zip(frame["bucket"].astype(int), frame["count"].astype(int)))
    lows = [0.0, *bounds]
    highs = [*bounds, math.nan]
    return pd.DataFrame({
        "hours_from": lows,
        "hours_to": highs,
        "count": [counts.get(i, 0) for i in range(len(lows))],
        "share": [counts.get(i, 0) / total for i in range(len(lows))],
        "within_sla": [not math.isnan(h) and h <= sla_hours for h in highs],
    }, columns=columns).astype({"count": "int64"})


__all__ = ["ComplaintCounts", "complaint_counts", "complaint_counts_of", "complaint_counts_by", "cause_pareto", "pareto", "pareto_of_rising", "rising_causes",
           "ResolutionStats", "ResolutionChange",
           "resolution_stats", "resolution_change", "RepeatComplainants", "repeat_complainants",
           "ComplaintIceberg", "iceberg", "complaint_iceberg", "complaint_trend", "complaint_volume_change",
           "resolution_time_distribution"]
