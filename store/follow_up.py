"""The follow-up list's items and records: which rows call for a follow-up, the natural id that names
each, and the insert-only revisions in which analysts record owner, due date, status and outcome.

An item is
- a detractor: an NPS response scored 0-6 by a customer with an id;
- a low-satisfaction respondent: overall satisfaction in the bottom quarter of its scale (the rule
  the learned sentiment labels a comment negative by, store/sentiment_model.py), with a respondent
  or customer id;
- an unresolved complaint: no resolution time, with a reference or a customer id.
A row without an id cannot be followed up and is not an item (the page says how many there are).

The item's id is made from its row's own values, never from the batch: `nps:<customer>@<time>`,
`survey:<respondent or customer>@<time>`, `complaint:<reference>` (or `complaint:<customer>@<time>`),
so a record outlives the undo of its batch and meets its row again when the data is imported anew.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from store.db import transaction
from store.errors import FeedbackError
from store.query import fetch_all
from text.steps import CLOSED_SQL

SOURCES = ("nps", "survey", "complaint")
STATUSES = ("open", "contacted", "resolved", "unreachable")
# a customer reached: what "contacted within 48 h" counts
REACHED = ("contacted", "resolved")
# nothing more to do: never overdue
CLOSED = ("resolved", "unreachable")
DETRACTOR_MAX = 6
LOW_SATISFACTION_SHARE = 0.25
# an item without a due date of its own is due this many days after its row's day (the 48 h goal)
DEFAULT_DUE_DAYS = 2
DEFAULT_DUE_SQL = f"CAST(responded_at AS DATE) + {DEFAULT_DUE_DAYS}"
MAX_OWNER = 80
MAX_OUTCOME = 2000

_TIME = "strftime({column}, '%Y-%m-%d %H:%M:%S')"
NPS_KEY = "'nps:' || customer_id || '@' || " + _TIME.format(column="responded_at")
SURVEY_KEY = "'survey:' || coalesce(respondent_id, customer_id) || '@' || " + _TIME.format(column="responded_at")
COMPLAINT_KEY = ("'complaint:' || coalesce(complaint_ref, customer_id || '@' || "
                 + _TIME.format(column="received_at") + ")")
# satisfaction as a share of its scale, 0 at its bottom and 1 at its top
SATISFACTION_SHARE = ("CASE WHEN overall_scale_max > overall_scale_min THEN (overall_satisfaction - overall_scale_min)"
                      " / (overall_scale_max - overall_scale_min) END")

# The rows of each table that can be items (their ids below).
NPS_ITEMS = "customer_id IS NOT NULL AND score <= {max}".format(max=DETRACTOR_MAX)
SURVEY_ITEMS = f"coalesce(respondent_id, customer_id) IS NOT NULL AND {SATISFACTION_SHARE} <= {LOW_SATISFACTION_SHARE}"
COMPLAINT_ITEMS = f"NOT {CLOSED_SQL} AND coalesce(complaint_ref, customer_id) IS NOT NULL"


def items_sql(where: dict[str, str] | None = None, detail: bool = True) -> str:
    """Every item the store's rows call for now, one row per id (the earliest row when two share one),
    of the rows that pass `where` (table → a condition on its own columns, e.g. the period's); without
    `detail` its detail column is NULL (the comments and complaint texts are not read: counts need none)."""
    where = where or {}
    nps_detail, survey_detail, complaint_detail = (
        ("comment", "comment", "coalesce(cause || ': ', '') || coalesce(description, '')") if detail
        else ("NULL::VARCHAR",) * 3)
    nps, survey, complaint = (where.get(t, "TRUE") for t in ("nps_response", "survey_response", "complaint"))
    # Two rows share an id only rarely (one customer's two answers in one second), so only the ids
    # that occur twice are windowed to keep the earliest: windowing every item of a month, payload
    # and all, was most of the follow-up page's time at ten million answers (issue 24's floor).
    return f"""
WITH item_rows AS MATERIALIZED (
    SELECT {NPS_KEY} AS item_key, 'nps' AS source, customer_id, responded_at, region, branch, channel,
           segment, product, tier, score::DOUBLE AS score, 10.0 AS scale_max, {nps_detail} AS detail
    FROM nps_response WHERE {NPS_ITEMS} AND {nps}
    UNION ALL
    SELECT {SURVEY_KEY}, 'survey', customer_id, responded_at, region, branch, channel, segment, product, tier,
           overall_satisfaction, overall_scale_max, {survey_detail}
    FROM survey_response WHERE {SURVEY_ITEMS} AND {survey}
    UNION ALL
    SELECT {COMPLAINT_KEY}, 'complaint', customer_id, received_at, region, branch, channel, segment, product, tier,
           NULL, NULL, {complaint_detail}
    FROM complaint WHERE {COMPLAINT_ITEMS} AND {complaint}
), shared_ids AS MATERIALIZED (
    SELECT item_key FROM item_rows GROUP BY item_key HAVING count(*) > 1
)
SELECT * FROM item_rows WHERE item_key NOT IN (SELECT item_key FROM shared_ids)
UNION ALL
SELECT * FROM (
    SELECT * FROM item_rows WHERE item_key IN (SELECT item_key FROM shared_ids)
    QUALIFY row_number() OVER (PARTITION BY item_key ORDER BY responded_at, source) = 1
)
"""


def source_keys_sql(where: dict[str, str] | None = None) -> str:
    """The ids of the rows of the three tables that pass `where`, qualifying or not: a record whose id
    is not among them has lost its row (its batch was undone)."""
    where = where or {}
    nps, survey, complaint = (where.get(t, "TRUE") for t in ("nps_response", "survey_response", "complaint"))
    return f"""
SELECT {NPS_KEY} AS item_key FROM nps_response WHERE customer_id IS NOT NULL AND {nps}
UNION ALL SELECT {SURVEY_KEY} FROM survey_response WHERE coalesce(respondent_id, customer_id) IS NOT NULL AND {survey}
UNION ALL SELECT {COMPLAINT_KEY} FROM complaint WHERE coalesce(complaint_ref, customer_id) IS NOT NULL AND {complaint}
"""


ITEMS_SQL = items_sql()

# Each item's newest revision.
CURRENT_SQL = """
SELECT * FROM follow_up
QUALIFY row_number() OVER (PARTITION BY item_key ORDER BY revision DESC, saved_at DESC) = 1
"""

SNAPSHOT_COLUMNS = ("source", "customer_id", "responded_at", "region", "branch", "channel", "segment", "product",
                    "tier", "score")
RECORD_COLUMNS = ("owner", "due_on", "status", "outcome", "contacted_at")
INSERT_SQL = (f"INSERT INTO follow_up (item_key, revision, {', '.join(SNAPSHOT_COLUMNS)}, {', '.join(RECORD_COLUMNS)},"
              " saved_at, saved_by) VALUES (" + ", ".join("?" for _ in range(4 + len(SNAPSHOT_COLUMNS)
                                                                           + len(RECORD_COLUMNS))) + ")")


class FollowUpError(FeedbackError):
    """A follow-up change that cannot be saved as given (an unknown item, status or date)."""


# a field the change leaves as it is
KEEP = object()


@dataclass(frozen=True)
class FollowUpChange:
    """What an analyst sets for one item; a field left KEEP stays as the item has it. contacted_at
    KEEP: set to the saving's time when the status first reaches contacted or resolved."""

    item_key: str
    owner: object = KEEP
    due_on: object = KEEP
    status: object = KEEP
    outcome: object = KEEP
    contacted_at: object = KEEP


@dataclass(frozen=True)
class SavedChanges:
    """How many items a saving changed, and which were already as given."""

    changed: tuple[str, ...]
    unchanged: tuple[str, ...] = field(default_factory=tuple)


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value != value


def clean_change(change: FollowUpChange) -> FollowUpChange:
    """The change with blanks as None and its values checked, or a FollowUpError saying what is wrong."""
    values = {}
    for name in ("owner", "outcome"):
        value = getattr(change, name)
        if value is KEEP:
            continue
        text = None if _blank(value) else str(value).strip()
        limit = MAX_OWNER if name == "owner" else MAX_OUTCOME
        if text is not None and len(text) > limit:
            raise FollowUpError(f"{change.item_key}: the {name} is longer than {limit} characters")
        values[name] = text
    if change.status is not KEEP:
        status = "open" if _blank(change.status) else str(change.status).strip()
        if status not in STATUSES:
            raise FollowUpError(f"{change.item_key}: status {status!r} is not one of {', '.join(STATUSES)}")
        values["status"] = status
    if change.due_on is not KEEP:
        due = change.due_on
        if isinstance(due, datetime):
            due = due.date()
        if not (_blank(due) or isinstance(due, date)):
            raise FollowUpError(f"{change.item_key}: the due date {due!r} is not a date")
        values["due_on"] = None if _blank(due) else due
    if change.contacted_at is not KEEP:
        when = change.contacted_at
        if isinstance(when, date) and not isinstance(when, datetime):
            when = datetime.combine(when, datetime.min.time())
        if not (_blank(when) or isinstance(when, datetime)):
            raise FollowUpError(f"{change.item_key}: the contact time {when!r} is not a time")
        values["contacted_at"] = None if _blank(when) else when
    return FollowUpChange(str(change.item_key).strip(), **{**{n: getattr(change, n) for n in RECORD_COLUMNS}, **values})


def _states(con, keys: list[str]) -> dict[str, dict]:
    """Each key's snapshot and record as they stand: its newest revision, else its row."""
    if not keys:
        return {}
    columns = ("item_key", "revision", *SNAPSHOT_COLUMNS, *RECORD_COLUMNS)
    # an item without a due date of its own is due by default, as the list shows it
    selected = [f"coalesce(due_on, {DEFAULT_DUE_SQL})" if c == "due_on" else c for c in columns]
    recorded = fetch_all(con, f"SELECT {', '.join(selected)} FROM ({CURRENT_SQL}) WHERE list_contains($keys, item_key)",
                         {"keys": keys}, what="the follow-up records")
    states = {row[0]: dict(zip(columns, row)) for row in recorded}
    missing = [k for k in keys if k not in states]
    if missing:
        rows = fetch_all(con, f"SELECT item_key, {', '.join(SNAPSHOT_COLUMNS)} FROM ({ITEMS_SQL})"
                              " WHERE list_contains($keys, item_key)", {"keys": missing}, what="the follow-up items")
        for row in rows:
            state = dict(zip(("item_key", *SNAPSHOT_COLUMNS), row))
            state.update(revision=0, owner=None, due_on=state["responded_at"].date() + timedelta(days=DEFAULT_DUE_DAYS),
                         status="open", outcome=None, contacted_at=None)
            states[row[0]] = state
    return states


def known_items(con, keys: list[str]) -> set[str]:
    """Which of `keys` name an item: a row that calls for a follow-up, or a record."""
    return set(_states(con, list(dict.fromkeys(keys))))


def save_follow_ups(con, changes: list[FollowUpChange], who: str | None = None,
                    saved_at: datetime | None = None) -> SavedChanges:
    """Save every change as a new revision of its item, all in one transaction (none when any
    fails); a change that alters nothing writes nothing. An unknown item is a FollowUpError."""
    cleaned = [clean_change(c) for c in changes]
    now = saved_at or datetime.now().replace(microsecond=0)
    changed, unchanged = [], []
    with transaction(con, "the follow-up changes could not be saved, nothing changed"):
        states = _states(con, [c.item_key for c in cleaned])
        unknown = [c.item_key for c in cleaned if c.item_key not in states]
        if unknown:
            raise FollowUpError(f"no follow-up item {', '.join(unknown[:5])}"
                                + (f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""))
        rows = []
        for change in cleaned:
            state = states[change.item_key]
            new = {name: state[name] if getattr(change, name) is KEEP else getattr(change, name)
                   for name in RECORD_COLUMNS}
            if change.contacted_at is KEEP and new["contacted_at"] is None and new["status"] in REACHED:
                new["contacted_at"] = now
            if all(_same(new[name], state[name]) for name in RECORD_COLUMNS):
                unchanged.append(change.item_key)
                continue
            state.update(new, revision=state["revision"] + 1)
            rows.append([change.item_key, state["revision"], *(state[n] for n in SNAPSHOT_COLUMNS),
                         *(new[n] for n in RECORD_COLUMNS), now, who])
            changed.append(change.item_key)
        if rows:
            con.executemany(INSERT_SQL, rows)
    return SavedChanges(tuple(changed), tuple(unchanged))


def _same(a, b) -> bool:
    if isinstance(a, datetime) and isinstance(b, datetime):
        return a.replace(microsecond=0) == b.replace(microsecond=0)
    return a == b


__all__ = ["SOURCES", "STATUSES", "REACHED", "CLOSED", "DEFAULT_DUE_DAYS", "KEEP", "FollowUpChange", "FollowUpError",
           "SavedChanges", "ITEMS_SQL", "NPS_ITEMS", "SURVEY_ITEMS", "COMPLAINT_ITEMS", "CURRENT_SQL", "items_sql", "source_keys_sql", "save_follow_ups", "known_items",
           "clean_change"]
