"""Small hand-made rows for the analytics tests, inserted straight into the store's tables.

Each helper fills the NOT NULL columns the test does not care about, so a test states only the
numbers its expected values are computed from.
"""
from __future__ import annotations

import contextlib
import contextvars
import uuid
from datetime import datetime

from store.db import SUMS_TABLES, quote_identifier, write_sums

DEFAULT_AT = datetime(2026, 3, 15, 10, 0, 0)
_BATCH_NAMESPACE = uuid.UUID("6f1c1e2a-5d1b-4c8e-9a57-3f0f4b2d9c11")


def batch_uuid(name: str) -> str:
    """A readable test batch name ('std-old') as the UUID the store's batch_id columns hold."""
    try:
        return str(uuid.UUID(str(name)))
    except ValueError:
        return str(uuid.uuid5(_BATCH_NAMESPACE, str(name)))


class _Block:
    """One together() block: its connection, the (table, batch) pairs whose sums it writes once, at
    its end, and what it has read of the tables it writes, kept up to date as it writes them (inside
    the block only these helpers write them): on a lake each question about rows written in the open
    transaction cost tens of milliseconds, and building a respondent asked several."""

    def __init__(self, con):
        self.con = con
        self.pending: set = set()
        self.columns: dict[str, list[str]] = {}
        self.next_row_no: dict[tuple[str, str], int] = {}   # a batch's coalesce(max(row_no), 0) + 1
        self.items: list[dict] | None = None                 # survey_item's rows, read at first need


_deferred: contextvars.ContextVar[_Block | None] = contextvars.ContextVar("deferred_sums", default=None)


@contextlib.contextmanager
def together(con):
    """Many inserts as one transaction, each batch's sums written once at the end: on a lake every
    statement outside a transaction is a commit of its own, and a test that builds a hundred
    respondents one by one made a hundred snapshots and wrote the sums a hundred times. Inside
    another together() on the same connection it adds to that one's transaction."""
    outer = _deferred.get()
    if outer is not None and outer.con is con:
        yield
        return
    block = _Block(con)
    token = _deferred.set(block)
    con.execute("BEGIN TRANSACTION")
    try:
        yield
        for source, batch_id in sorted(block.pending):
            _rewrite_sums(con, source, batch_id)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    finally:
        _deferred.reset(token)


def _rewrite_sums(con, source: str, batch_id: str) -> None:
    for name in (name for name, summed in SUMS_TABLES.items() if summed == source):
        con.execute(f"DELETE FROM {quote_identifier(name)} WHERE batch_id = ?", [batch_id])
    write_sums(con, source, batch_id)


def _columns(con, table: str) -> list[str]:
    block = _deferred.get()
    if table not in block.columns:
        block.columns[table] = [r[0] for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
            [table]).fetchall()]
    return block.columns[table]


def _next_row_no(con, table: str, batch: str) -> int:
    """The batch's next row_no in `table`, read once per block and counted on from there."""
    numbers = _deferred.get().next_row_no
    if (table, batch) not in numbers:
        numbers[(table, batch)] = con.execute(
            f"SELECT coalesce(max(row_no), 0) + 1 FROM {quote_identifier(table)} WHERE batch_id = ?",
            [batch]).fetchone()[0]
    return numbers[(table, batch)]


def insert(con, table: str, rows: list[dict]) -> None:
    """Insert dicts into `table`; a missing row_no continues the batch's numbering. The batch's
    monthly sums (its tally, a survey's moments) are written again, as an import writes them, in one
    transaction with the rows."""
    with together(con):
        _insert(con, table, rows)


def _insert(con, table: str, rows: list[dict]) -> None:
    block = _deferred.get()
    known = set(_columns(con, table))
    numbered = "row_no" in known
    next_row_no: dict[tuple[str, str], int] = {}   # kept as rows go in, the block's once they are in
    ready = []
    for row in rows:
        row = dict(row)
        row["batch_id"] = batch = batch_uuid(row.get("batch_id", "batch-1"))
        if not numbered:
            row.pop("row_no", None)
        else:
            key = (table, batch)
            if key not in next_row_no:
                next_row_no[key] = _next_row_no(con, table, batch)
            row.setdefault("row_no", next_row_no[key])
            if row["row_no"] is not None:
                next_row_no[key] = max(next_row_no[key], row["row_no"] + 1)
        unknown = set(row) - known
        if unknown:
            raise KeyError(f"{table} has no columns {sorted(unknown)}")
        ready.append(row)
    for group in _alike(ready):
        names = list(group[0])
        one = f"({', '.join('?' for _ in names)})"
        con.execute(
            f"INSERT INTO {quote_identifier(table)} ({', '.join(quote_identifier(n) for n in names)})"
            f" VALUES {', '.join(one for _ in group)}",
            [row[n] for row in group for n in names])
    block.next_row_no.update(next_row_no)
    if table == "survey_item" and block.items is not None:
        block.items.extend(_item(row) for row in ready)
    source = "survey_response" if table == "survey_item" else table
    block.pending.update((source, row["batch_id"]) for row in ready)


# rows per INSERT statement, so that its parameters stay in the low thousands
_ROWS_PER_INSERT = 200


def _alike(rows: list[dict]) -> list[list[dict]]:
    """The rows cut into runs that one multi-row INSERT takes: the same columns in the same order,
    and in each column values of one Python type (or None), so that VALUES needs no common type."""
    groups: list[list[dict]] = []
    types: dict[str, type] = {}
    for row in rows:
        group = groups[-1] if groups else None
        fits = (group is not None and len(group) < _ROWS_PER_INSERT and list(row) == list(group[0])
                and all(v is None or types.get(n) in (None, type(v)) for n, v in row.items()))
        if not fits:
            groups.append([])
            types = {}
        groups[-1].append(row)
        types.update({n: type(v) for n, v in row.items() if v is not None})
    return groups


def layout_before(con, step: int, *tables: str) -> None:
    """Make the store look as one whose layout stopped before upgrade `step` (store/db.py UPGRADES):
    `tables` dropped, the last step taken step − 1."""
    for table in tables:
        con.execute(f"DROP TABLE {quote_identifier(table)}")
    con.execute("DELETE FROM store_version")
    con.execute("INSERT INTO store_version VALUES (?, now()::TIMESTAMP)", [step - 1])


def nps(con, scores, **columns) -> None:
    """One nps_response per score, sharing the other columns."""
    columns.setdefault("responded_at", DEFAULT_AT)
    insert(con, "nps_response", [{"score": s, **columns} for s in scores])


SCORE_LISTS = {"satisfaction": "satisfaction_scores", "importance": "importance_scores",
               "perception": "perception_scores", "expectation": "expectation_scores"}


def respondent(con, ratings, *, batch_id="batch-1", row_no=None, **columns) -> int:
    """One survey_response with its ratings in its score lists; returns its row_no.

    `ratings` are tuples (item_code, kind, score, scale_min, scale_max[, item_text[, dimension]]).
    An item rated twice by one respondent is two columns of the file, as the loaders would store it.
    The respondent, its items and the sums are one transaction.
    """
    with together(con):
        return _respondent(con, ratings, batch_id=batch_id, row_no=row_no, **columns)


def _respondent(con, ratings, *, batch_id, row_no, **columns) -> int:
    columns.setdefault("responded_at", DEFAULT_AT)
    batch_id = batch_uuid(batch_id)
    if row_no is None:
        row_no = _next_row_no(con, "survey_response", batch_id)
    scores: dict[str, dict[int, float]] = {kind: {} for kind in SCORE_LISTS}
    for rating in ratings:
        code, kind, score, low, high, *rest = rating
        text = rest[0] if len(rest) > 0 else code
        dimension = rest[1] if len(rest) > 1 else None
        position = _position(con, batch_id, code, text, dimension, kind, low, high, taken=scores[kind])
        scores[kind][position] = score
    lists = {SCORE_LISTS[kind]: [given.get(p) for p in range(1, max(given) + 1)] if given else None
             for kind, given in scores.items()}
    insert(con, "survey_response", [{"batch_id": batch_id, "row_no": row_no, **columns, **lists}])
    return row_no


def _text(value):
    return None if value is None else str(value)


def _item(row: dict) -> dict:
    """A survey_item row as the store holds it, for the block's copy (_Block.items)."""
    return {"batch_id": str(row["batch_id"]), "item_no": row["item_no"], "position": row["position"],
            "definition": (_text(row["item_code"]), _text(row["item_text"]), _text(row.get("dimension")),
                           _text(row["kind"]), float(row["scale_min"]), float(row["scale_max"]))}


def _items(con) -> list[dict]:
    block = _deferred.get()
    if block.items is None:
        names = ["batch_id", "item_no", "item_code", "item_text", "dimension", "kind", "scale_min", "scale_max",
                 "position"]
        block.items = [_item(dict(zip(names, r))) for r in con.execute(
            "SELECT batch_id::VARCHAR, item_no, item_code, item_text, dimension, kind, scale_min, scale_max, position"
            " FROM survey_item").fetchall()]
    return block.items


def _position(con, batch_id, code, text, dimension, kind, low, high, taken) -> int:
    """The item's position in its kind's list, described in survey_item as the loaders do: the
    batch's own column for it if there is one this respondent has not used, else the position the
    item has in another batch, else the next free one. Read from the block's copy of survey_item,
    as these questions would read the table (= on NOT NULL columns, IS NOT DISTINCT FROM on dimension):

        own       SELECT position WHERE batch_id = ? AND <same> ORDER BY position
        used      SELECT position WHERE batch_id = ? AND kind = ?
        elsewhere SELECT DISTINCT position WHERE <same> ORDER BY position
        next      SELECT coalesce(max(position), 0) + 1 WHERE kind = ?
        item_no   SELECT coalesce(max(item_no), -1) + 1 WHERE batch_id = ?
    """
    items = _items(con)
    definition = (_text(code), _text(text), _text(dimension), _text(kind), float(low), float(high))
    same = [i for i in items if i["definition"] == definition]
    for position in sorted(i["position"] for i in same if i["batch_id"] == batch_id):
        if position not in taken:
            return position
    used = {i["position"] for i in items if i["batch_id"] == batch_id and i["definition"][3] == definition[3]}
    elsewhere = sorted({i["position"] for i in same})
    free = [p for p in elsewhere if p not in taken and p not in used]
    position = free[0] if free else max(
        (i["position"] for i in items if i["definition"][3] == definition[3]), default=0) + 1
    item_no = max((i["item_no"] for i in items if i["batch_id"] == batch_id), default=-1) + 1
    prefix = {"expectation": "E_", "perception": "P_", "importance": "I_"}.get(kind, "")
    insert(con, "survey_item", [{"batch_id": batch_id, "item_no": item_no, "source_column": prefix + code,
                                 "item_code": code, "item_text": text, "dimension": dimension,
                                 "kind": kind, "scale_min": low, "scale_max": high, "position": position}])
    return position


def complaints(con, rows: list[dict]) -> None:
    """Complaints as the import writes them: a description comes with its words, unless given."""
    from text.tokens import complaint_tokens

    insert(con, "complaint", [
        {"received_at": DEFAULT_AT, **r,
         **({"description_words": sorted(complaint_tokens(r["description"]))}
            if r.get("description") is not None and "description_words" not in r else {})}
        for r in rows])


def management(con, rows: list[dict]) -> None:
    insert(con, "management_rating", rows)


def standards(con, rows: list[dict]) -> None:
    insert(con, "service_standard", rows)
