"""Closing the loop: the follow-up list of a period, and what following up achieved (issue 23).

The list holds every item (store/follow_up.py) whose row falls in the period and the filters, with
its record (owner, due date, status, outcome) where an analyst has made one, and every record of
the period whose row is gone (its batch undone: `source_gone`), shown from the values kept with it.

What following up achieved, of the period's items:
- **contacted within 48 h**: of the detractors whose 48 hours had passed by `as_of`, the share
  first reached (contacted or resolved) no later than 48 h after they answered, with Wilson's
  interval (analytics.stats.wilson_interval);
- **next score rose**: of the detractors and low-satisfaction respondents who were reached, those
  whose next answer of the same kind (the next NPS score; the next overall satisfaction, as a share
  of its scale), by the same customer id, is higher; beside them the same count for those not
  reached, as a yardstick, not a test (customers who answer again are not a random sample).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

import pandas as pd

from analytics.filters import Filters, where_sql
from analytics.stats import MIN_N, Interval, too_few, wilson_interval
from store.follow_up import (
    CLOSED, COMPLAINT_ITEMS, CURRENT_SQL, DEFAULT_DUE_DAYS, DETRACTOR_MAX, LOW_SATISFACTION_SHARE, NPS_ITEMS, NPS_KEY,
    SATISFACTION_SHARE, SOURCES, STATUSES, SURVEY_ITEMS, SURVEY_KEY, items_sql, source_keys_sql
)
from store.query import fetch_all, fetch_one, fetch_record
from text.steps import CLOSED_SQL

CONTACT_HOURS = 48
# whose detractors the list puts first
KEY_TIER = "key"

# Items and records side by side, one row per id, each side filtered to the selection before they
# meet (so a month reads that month's rows). The records' columns are named as survey_response's,
# so the shared filter SQL (analytics.filters.where_sql) applies to them as to that table. Whether a
# record's row is gone is asked only of the records without an item ({unmatched}): the ids of a
# source's rows are made only when one of those records is of that source, not for every row of
# the period on every page (issue 24's floor).
LIST_SQL = """
WITH records AS MATERIALIZED (SELECT * FROM ({current}) c WHERE {records_where}),
items AS MATERIALIZED ({items}),
unmatched AS MATERIALIZED (SELECT item_key FROM records WHERE item_key NOT IN (SELECT item_key FROM items))
SELECT coalesce(i.item_key, c.item_key) AS item_key,
       coalesce(i.source, c.source) AS source,
       coalesce(i.customer_id, c.customer_id) AS customer_id,
       coalesce(i.responded_at, c.responded_at) AS responded_at,
       coalesce(i.region, c.region) AS region,
       coalesce(i.branch, c.branch) AS branch,
       coalesce(i.channel, c.channel) AS channel,
       coalesce(i.segment, c.segment) AS segment,
       coalesce(i.product, c.product) AS product,
       coalesce(i.tier, c.tier) AS tier,
       coalesce(i.score, c.score) AS score,
       i.detail AS detail,
       c.owner AS owner,
       coalesce(c.due_on, CAST(coalesce(i.responded_at, c.responded_at) AS DATE) + {due_days}) AS due_on,
       coalesce(c.status, 'open') AS status,
       c.outcome AS outcome,
       c.contacted_at AS contacted_at,
       c.saved_at AS saved_at,
       c.saved_by AS saved_by,
       i.item_key IS NULL AND c.item_key NOT IN (SELECT item_key FROM ({source_keys})) AS source_gone
FROM items i
FULL OUTER JOIN records c ON c.item_key = i.item_key
"""
# a source's rows are asked for their ids only when a record without an item has an id of that source
_UNMATCHED_OF = "EXISTS (SELECT 1 FROM unmatched WHERE starts_with(item_key, '{source}:'))"
_SOURCE_TABLES = {"nps_response": "nps", "survey_response": "survey", "complaint": "complaint"}

LIST_COLUMNS = ["item_key", "source", "customer_id", "tier", "responded_at", "region", "branch", "score", "detail", "owner",
                "due_on", "status", "outcome", "contacted_at", "overdue", "days_overdue", "source_gone", "saved_at",
                "saved_by"]

# Rows that would be items but carry no id to follow up by.
WITHOUT_ID_SQL = f"""
SELECT count(*) FROM (
    SELECT responded_at, region, branch, channel, segment, product, tier FROM nps_response
    WHERE customer_id IS NULL AND score <= {DETRACTOR_MAX}
    UNION ALL
    SELECT responded_at, region, branch, channel, segment, product, tier FROM survey_response
    WHERE coalesce(respondent_id, customer_id) IS NULL AND {SATISFACTION_SHARE} <= {LOW_SATISFACTION_SHARE}
    UNION ALL
    SELECT received_at, region, branch, channel, segment, product, tier FROM complaint
    WHERE NOT {CLOSED_SQL} AND coalesce(complaint_ref, customer_id) IS NULL
) u WHERE {{where}}
"""

# Each NPS answer and each satisfaction (as a share of its scale) with the same customer's next one.
# Two answers of one customer at one moment are taken in a fixed order (batch, then the file's row):
# by the moment alone, which came next was left to how the rows lay, and a migrated copy differed.
# Only the customers of the period's items are read ({customers}: a relation of customer ids): a
# customer's answers are one window partition, kept or left out whole, so their next scores are
# those of the whole table, without windowing every customer's answers of all time. And of those
# only the answers from the period's start on ({since}): an item's next answer comes after it in
# the window's order, so no earlier answer is ever one, and a month reads that month and after
# instead of every answer of its customers (issue 24's floor).
NEXT_SCORES_SQL = f"""
SELECT {NPS_KEY} AS item_key, score::DOUBLE AS this_score,
       lead(score::DOUBLE) OVER (PARTITION BY customer_id ORDER BY responded_at, batch_id, row_no) AS next_score
FROM nps_response WHERE customer_id IN (SELECT customer_id FROM {{customers}}) AND {{since}}
UNION ALL
SELECT {SURVEY_KEY}, {SATISFACTION_SHARE},
       lead({SATISFACTION_SHARE}) OVER (PARTITION BY customer_id ORDER BY responded_at, batch_id, row_no)
FROM survey_response WHERE customer_id IN (SELECT customer_id FROM {{customers}}) AND {{since}}
  AND overall_satisfaction IS NOT NULL AND overall_scale_max > overall_scale_min
"""


def current_hour() -> datetime:
    """The moment the pages judge overdue items and the 48 hours at: the start of this hour, so their
    figures stay cached within it."""
    return datetime.now().replace(minute=0, second=0, microsecond=0)


def status_counts(items: pd.DataFrame) -> pd.DataFrame:
    """follow_up_list's items counted by source and status (every pair, zeros included), in the
    order of store.follow_up SOURCES and STATUSES; `overdue` counts those past their due date."""
    grid = pd.MultiIndex.from_product([SOURCES, STATUSES], names=["source", "status"])
    grouped = items.groupby(["source", "status"]).agg(items=("item_key", "size"), overdue=("overdue", "sum"))
    counts = grouped.reindex(grid, fill_value=0).reset_index()
    counts[["items", "overdue"]] = counts[["items", "overdue"]].astype(int)
    return counts


def _filtered(filters: Filters, detail: bool = True, narrow: str | None = None) -> tuple[str, dict]:
    """The list of the selection as SQL (a relation of LIST_SQL's columns), and its parameters; without
    `detail`, the items' detail is NULL (store.follow_up.items_sql); with `narrow`, only the NPS and
    survey rows that also pass it are items (_IN_IDS: a condition that keeps or leaves out all the
    rows of an id, its {ident} the table's)."""
    params: dict = {}
    where: dict[str, str] = {}
    for table, prefix in (("nps_response", "n"), ("survey_response", "s"), ("complaint", "k")):
        where[table], own = where_sql(filters, table, prefix=prefix)
        params.update(own)
    asked = {table: f"{where[table]} AND {_UNMATCHED_OF.format(source=source)}"
             for table, source in _SOURCE_TABLES.items()}
    if narrow:
        where = {table: f"{clause} AND {narrow.format(ident=_IDENTS[table])}" if table in _IDENTS else clause
                 for table, clause in where.items()}
    records_where, own = where_sql(filters, "survey_response", "c", prefix="r")
    params.update(own)
    sql = LIST_SQL.format(due_days=DEFAULT_DUE_DAYS, source_keys=source_keys_sql(asked), items=items_sql(where, detail),
                          current=CURRENT_SQL, records_where=records_where)
    return f"SELECT * FROM ({sql}) u WHERE TRUE", params


def _next_since(filters: Filters) -> tuple[str, dict]:
    """NEXT_SCORES_SQL's {since}: the answers from the period's start on, and its parameter."""
    if filters.date_from is None:
        return "TRUE", {}
    return "responded_at >= $next_since", {"next_since": datetime.combine(filters.date_from, time.min)}


# The list's lateness and order worked out in SQL, so a page of it and its file are each one query
# over the selection's items and only what is drawn leaves the store (issue 24: a whole
# month's list at ten million answers, sent whole to the page for a table of its first rows, was the
# page's time). Overdue (OVERDUE_SQL, the one definition the list, its counts and the outcome share):
# due before the day of `as_of` and neither resolved nor unreachable.
OVERDUE_SQL = "(due_on < $today AND NOT list_contains($closed, status))"
ORDERED_SQL = """
SELECT *, CASE WHEN overdue THEN date_diff('day', due_on, $today) ELSE 0 END AS days_overdue,
       coalesce(source = 'nps' AND tier = $key_tier, FALSE) AS key_detractor
FROM (SELECT *, coalesce(""" + OVERDUE_SQL + """, FALSE) AS overdue
      FROM ({list}) l) o
"""
# key customers' detractors first (issue 23: the customers who matter most, who said they would not
# recommend us), then the overdue (most days overdue first), then by due date; the id last, so that
# every page of the list is the same slice of one order
LIST_ORDER = "ORDER BY key_detractor DESC, overdue DESC, days_overdue DESC, due_on, responded_at, item_key"


def _ordered(filters: Filters, as_of: datetime | None, statuses: tuple[str, ...],
             sources: tuple[str, ...], narrow: str | None = None) -> tuple[str, dict]:
    """The selection's list with overdue, days_overdue and key_detractor (ORDERED_SQL), only the items
    of `statuses` and `sources` when given (and of the rows `narrow` keeps: _filtered), and its parameters."""
    sql, params = _filtered(filters, narrow=narrow)
    for name, chosen in (("status", statuses), ("source", sources)):
        if chosen:
            sql += f" AND list_contains(${name}_chosen, {name})"
            params[f"{name}_chosen"] = [str(v) for v in chosen]
    params.update(today=(as_of or datetime.now()).date(), closed=list(CLOSED), key_tier=KEY_TIER)
    return ORDERED_SQL.format(list=sql), params


# A page of the list without making the whole list (issue 24: a month at ten million answers holds
# 171,530 items, each with an id made from its values, its twins found and its record joined, all
# for a page of 100). An item without a record is open and due two days after its day, so the list
# orders those by (key detractor first, then the moment answered) alone: LIST_ORDER reduces to it.
# So the first rows in that order, read from the three tables' own columns (no id made), bound the
# page: every item without a record that can be on it answered no later (in that order) than the
# `reach`-th such row. The page is then LIST_ORDER over the rows of those rows' ids (an NPS or
# survey id is 'source:ident@second', made of the row's own columns, so an id's rows, twins and all,
# are kept or left out together: _IN_IDS), the rows of the selection's records' ids and every open
# complaint, the records joined as before: the same list, cut before the rows after the page.
CANDIDATES_SQL = f"""
SELECT 'nps' AS source, responded_at, coalesce(tier = $key_tier, FALSE) AS key_detractor, customer_id AS ident
FROM nps_response WHERE {NPS_ITEMS} AND {{nps}}
UNION ALL SELECT 'survey', responded_at, FALSE, coalesce(respondent_id, customer_id)
FROM survey_response WHERE {SURVEY_ITEMS} AND {{survey}}
UNION ALL SELECT 'complaint', received_at, FALSE, NULL FROM complaint WHERE {COMPLAINT_ITEMS} AND {{complaint}}
"""
# In one statement (the page's calls run beside the outcome's, and each statement waits its turn for
# the threads): the first `reach` candidates in the order of items without a record (key detractors
# first, then by time), every candidate tied with the last of them (their ids decide their order),
# and the ids (ident, second) of the selection's records of an NPS or survey answer.
FIRST_CANDIDATES_SQL = """
WITH c AS (SELECT * FROM ({candidates}) c WHERE {sources}),
first AS MATERIALIZED (SELECT key_detractor, responded_at, ident FROM c
                       ORDER BY key_detractor DESC, responded_at LIMIT $reach),
last AS MATERIALIZED (SELECT key_detractor, responded_at FROM first ORDER BY key_detractor, responded_at DESC LIMIT 1)
SELECT 'first' AS part, key_detractor, responded_at, ident FROM first
UNION ALL
SELECT 'tied', c.key_detractor, c.responded_at, c.ident FROM c JOIN last USING (key_detractor, responded_at)
UNION ALL
SELECT 'record', NULL, {second}, {ident} FROM ({current}) r WHERE {records_where} AND source IN ('nps', 'survey')
"""
# an NPS or survey item id's parts: 'nps:C1@2026-10-02 09:00:00' is ('nps', 'C1', 2026-10-02 09:00:00)
ID_IDENT = "substr(item_key, length(source) + 2, length(item_key) - length(source) - 21)"
ID_SECOND = "try_strptime(right(item_key, 19), '%Y-%m-%d %H:%M:%S')"
# the (ident, second) of the ids of the selection's records of a survey or NPS answer
RECORD_IDS_SQL = f"""
SELECT DISTINCT {ID_IDENT}, {ID_SECOND} FROM ({{current}}) r
WHERE {{records_where}} AND source IN ('nps', 'survey')
"""


def _record_ids(con, filters: Filters) -> set[tuple[str, datetime]]:
    """The (ident, second) of the ids of the selection's records of an NPS or survey answer."""
    records_where, params = where_sql(filters, "survey_response", "r", prefix="r")
    return {(ident, second) for ident, second in fetch_all(con, RECORD_IDS_SQL.format(
        current=CURRENT_SQL, records_where=records_where), params, what="the follow-up records") if second is not None}


# Each table's ident: the part of an NPS or survey id between its source and its second.
_IDENTS = {"nps_response": "customer_id", "survey_response": "coalesce(respondent_id, customer_id)"}
# The rows of the ids (ident, second) a page draws from: all the rows of
# each, twins and all; within the span of those seconds too, a bound the scan itself applies (the
# rows lie in time order, so the row groups outside it are not read), where the ids alone are a
# join after reading every row. Of ids and not seconds: many answers can share a second.
_IN_IDS = ("responded_at >= $ids_from AND responded_at < $ids_to AND struct_pack(i := {ident},"
           " s := date_trunc('second', responded_at)) IN (SELECT unnest($page_ids::STRUCT(i VARCHAR, s TIMESTAMP)[]))")


def _in_ids(ids) -> dict:
    """_IN_IDS's parameters for the rows of the ids `ids` ((ident, second) pairs; none when empty)."""
    ids = sorted(ids, key=lambda pair: (pair[1], pair[0]))
    if not ids:
        return {"page_ids": [], "ids_from": datetime.max, "ids_to": datetime.min}
    return {"page_ids": [{"i": ident, "s": second} for ident, second in ids], "ids_from": ids[0][1],
            "ids_to": ids[-1][1] + timedelta(seconds=1)}


# a page of the narrowed list, and how many of its items without a record come up to the bound:
# the page is exact when they are at least the page's end
PAGE_SQL = """
WITH narrowed AS MATERIALIZED ({ordered})
SELECT *, (SELECT count(*) FROM narrowed WHERE saved_at IS NULL AND (key_detractor > $bound_key
           OR (key_detractor = $bound_key AND responded_at <= $bound_at))) AS covered
FROM narrowed {order} LIMIT $limit OFFSET $offset
"""


def _page_ids(con, filters: Filters, statuses: tuple[str, ...], sources: tuple[str, ...],
                  reach: int) -> dict | None:
    """The bound (the `reach`-th candidate row) and the ids a page ending at the `reach`-th item
    without a record draws its rows from (those of the candidates up to the bound, and those of the
    records), as parameters; None when the selection holds fewer than `reach` candidate rows (the
    whole list is then no bigger than the page asks for)."""
    if statuses and "open" not in statuses:
        # an item without a record is open: none is on the page, only the records' rows are read
        return {**_in_ids(_record_ids(con, filters)), "bound_key": True, "bound_at": datetime.min}
    params: dict = {}
    where: dict[str, str] = {}
    for table, prefix in (("nps_response", "n"), ("survey_response", "s"), ("complaint", "k")):
        where[table], own = where_sql(filters, table, prefix=prefix)
        params.update(own)
    candidates = CANDIDATES_SQL.format(nps=where["nps_response"], survey=where["survey_response"],
                                       complaint=where["complaint"])
    chosen = {"key_tier": KEY_TIER, "reach": int(reach)}
    chosen_sources = "TRUE"
    if sources:
        chosen_sources = "list_contains($source_chosen, source)"
        chosen["source_chosen"] = [str(s) for s in sources]
    records_where, own = where_sql(filters, "survey_response", "r", prefix="r")
    rows = fetch_all(con, FIRST_CANDIDATES_SQL.format(
        candidates=candidates, sources=chosen_sources, second=ID_SECOND, ident=ID_IDENT, current=CURRENT_SQL,
        records_where=records_where), {**params, **chosen, **own}, what="the follow-up list's page")
    first = [row[1:] for row in rows if row[0] == "first"]
    if len(first) < reach:
        return None
    bound = max(first, key=lambda row: (not row[0], row[1]))   # the last in the order
    # (a complaint's rows are all read: its ident is NULL here)
    ids = {(ident, at.replace(microsecond=0)) for part, _, at, ident in rows
           if part in ("first", "tied") and ident is not None}
    ids.update((ident, second) for part, _, second, ident in rows if part == "record" and second is not None)
    return {**_in_ids(ids), "bound_key": bool(bound[0]), "bound_at": bound[1]}


# candidate rows read beyond the page's end at first (items with a record and twins take some)
PAGE_SLACK = 64


def _page_frame(con, filters: Filters, as_of: datetime | None, statuses: tuple[str, ...],
                sources: tuple[str, ...], limit: int, offset: int) -> pd.DataFrame:
    """Items offset..offset+limit of the list in LIST_ORDER, read as CANDIDATES_SQL's comment says; the
    reach grows until the items without a record up to the bound cover the page (twins and items
    with a record can take some of the candidate rows)."""
    end = offset + limit
    reach = end + PAGE_SLACK
    while True:
        bound = _page_ids(con, filters, statuses, sources, reach)
        if bound is None:
            sql, params = _ordered(filters, as_of, statuses, sources)
            return con.execute(sql + f" {LIST_ORDER} LIMIT $limit OFFSET $offset",
                               {**params, "limit": limit, "offset": offset}).df()
        sql, params = _ordered(filters, as_of, statuses, sources, narrow=_IN_IDS)
        params.update(bound)
        frame = con.execute(PAGE_SQL.format(ordered=sql, order=LIST_ORDER), {**params, "limit": limit, "offset": offset}).df()
        covered = int(frame["covered"].iloc[0]) if len(frame) else 0
        if covered >= end or (statuses and "open" not in statuses):
            return frame.drop(columns="covered")
        reach *= 4


def follow_up_list(con, filters: Filters, as_of: datetime | None = None, statuses: tuple[str, ...] = (),
                   sources: tuple[str, ...] = (), limit: int | None = None, offset: int = 0) -> pd.DataFrame:
    """The period's items (LIST_COLUMNS) in the list's order (LIST_ORDER), only those of `statuses` and
    `sources` when given; with `limit`, only that many from the `offset`-th on (a page of the list,
    read without making the whole list: CANDIDATES_SQL). Overdue: due before `as_of`'s day and neither
    resolved nor given up as unreachable."""
    if limit is not None:
        frame = _page_frame(con, filters, as_of, statuses, sources, max(int(limit), 0), max(int(offset), 0))
    else:
        sql, params = _ordered(filters, as_of, statuses, sources)
        frame = con.execute(sql + " " + LIST_ORDER, params).df()
    if frame.empty:
        return pd.DataFrame(columns=LIST_COLUMNS)
    frame["due_on"] = pd.to_datetime(frame["due_on"]).dt.date
    frame["overdue"] = frame["overdue"].astype(bool)
    frame["days_overdue"] = frame["days_overdue"].astype(int)
    frame["source_gone"] = frame["source_gone"].fillna(False).astype(bool)
    for column in ("customer_id", "region", "branch", "detail", "owner", "outcome", "saved_by", "tier"):
        frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    return frame[LIST_COLUMNS].reset_index(drop=True)


def items_without_id(con, filters: Filters) -> int:
    """The period's detractors, low-satisfaction respondents and open complaints with no id to follow up by."""
    where, params = where_sql(filters, "survey_response", "u")
    return int(fetch_one(con, WITHOUT_ID_SQL.format(where=where), params, what="the items without an id")[0])


@dataclass(frozen=True)
class Share:
    """k of n, the share and its 95% Wilson interval (None without n), and whether n is too few."""

    k: int
    n: int
    share: float | None
    ci: Interval
    too_few: bool


def share_of(k: int, n: int, min_n: int = MIN_N) -> Share:
    k, n = int(k or 0), int(n or 0)
    return Share(k, n, k / n if n else None, wilson_interval(k, n), too_few(n, min_n))


@dataclass(frozen=True)
class FollowUpOutcome:
    """What following up the period's items achieved (the module's docstring defines each)."""

    items: int
    open: int
    overdue: int
    source_gone: int
    contacted_48h: Share        # of detractors whose 48 h had passed
    recovered: Share            # reached customers whose next score rose, of those who answered again
    not_reached_rose: Share     # the same of those not reached
    as_of: datetime
    # (source, status, items, overdue) of each pair the list holds: what its status counts are of
    by_status: tuple[tuple[str, str, int, int], ...] = ()


def follow_up_outcome(con, filters: Filters, as_of: datetime | None = None, min_n: int = MIN_N) -> FollowUpOutcome:
    """The period's counts, the share of detractors contacted within 48 h and the next scores."""
    as_of = as_of or datetime.now().replace(microsecond=0)
    sql, params = _filtered(filters, detail=False)   # counts: the comments are not read
    since, since_params = _next_since(filters)
    # the counts and the next scores from one reading of the list
    counts = fetch_record(con, f"""
        WITH list AS MATERIALIZED ({sql}),
        scored AS MATERIALIZED (SELECT item_key, customer_id, contacted_at FROM list WHERE source IN ('nps', 'survey')),
        answered AS MATERIALIZED (
            SELECT l.contacted_at IS NOT NULL AS reached, n.next_score > n.this_score AS rose
            FROM scored l JOIN ({NEXT_SCORES_SQL.format(customers="scored", since=since)}) n ON n.item_key = l.item_key
            WHERE n.next_score IS NOT NULL)
        SELECT count(*) AS items,
               count(*) FILTER (WHERE NOT list_contains($closed, status)) AS open,
               count(*) FILTER (WHERE {OVERDUE_SQL}) AS overdue,
               count(*) FILTER (WHERE source_gone) AS source_gone,
               count(*) FILTER (WHERE source = 'nps' AND NOT source_gone AND responded_at <= $window_start) AS due_48h,
               count(*) FILTER (WHERE source = 'nps' AND NOT source_gone AND responded_at <= $window_start
                                     AND contacted_at <= responded_at + INTERVAL {CONTACT_HOURS} HOUR) AS within_48h,
               (SELECT count(*) FROM answered WHERE reached) AS reached_n,
               (SELECT count(*) FILTER (WHERE rose) FROM answered WHERE reached) AS reached_rose,
               (SELECT count(*) FROM answered WHERE NOT reached) AS not_reached_n,
               (SELECT count(*) FILTER (WHERE rose) FROM answered WHERE NOT reached) AS not_reached_rose,
               (SELECT list(struct_pack(source := source, status := status, items := n, overdue := late))
                FROM (SELECT source, status, count(*) AS n,
                             count(*) FILTER (WHERE {OVERDUE_SQL}) AS late
                      FROM list GROUP BY source, status)) AS by_status
        FROM list""", {**params, **since_params, "today": as_of.date(), "closed": list(CLOSED),
                       "window_start": as_of - timedelta(hours=CONTACT_HOURS)},
        what="the follow-up counts and next scores")
    return FollowUpOutcome(
        items=int(counts.get("items") or 0), open=int(counts.get("open") or 0),
        overdue=int(counts.get("overdue") or 0), source_gone=int(counts.get("source_gone") or 0),
        contacted_48h=share_of(counts.get("within_48h"), counts.get("due_48h"), min_n),
        recovered=share_of(counts.get("reached_rose"), counts.get("reached_n"), min_n),
        not_reached_rose=share_of(counts.get("not_reached_rose"), counts.get("not_reached_n"), min_n),
        as_of=as_of,
        by_status=tuple(sorted((c["source"], c["status"], int(c["items"]), int(c["overdue"]))
                               for c in counts.get("by_status") or ())))


def chosen_counts(outcome: FollowUpOutcome, statuses: tuple[str, ...] = (),
                  sources: tuple[str, ...] = ()) -> pd.DataFrame:
    """status_counts of follow_up_list(con, filters, as_of, statuses, sources), from the outcome of the
    same filters and as_of: the list's items of the chosen statuses and sources are its pairs' counts
    (issue 24: counted by the store in the outcome's reading of the list, never from the list sent
    whole to the page). Every pair, zeros included, in the order of SOURCES and STATUSES."""
    found = {(source, status): (items, overdue) for source, status, items, overdue in outcome.by_status
             if (not statuses or status in statuses) and (not sources or source in sources)}
    rows = [(source, status, *found.get((source, status), (0, 0))) for source in SOURCES for status in STATUSES]
    counts = pd.DataFrame(rows, columns=["source", "status", "items", "overdue"])
    counts[["items", "overdue"]] = counts[["items", "overdue"]].astype(int)
    return counts


__all__ = ["current_hour", "status_counts", "chosen_counts", "LIST_ORDER", "CONTACT_HOURS", "LIST_COLUMNS", "FollowUpOutcome", "Share", "follow_up_list", "follow_up_outcome",
           "items_without_id", "share_of"]
