"""Small hand-made rows for the analytics tests, inserted straight into the store's tables.

Each helper fills the NOT NULL columns the test does not care about, so a test states only the
numbers its expected values are computed from.
"""
from __future__ import annotations

import uuid
from datetime import datetime

from loaders.store import quote_identifier

DEFAULT_AT = datetime(2026, 3, 15, 10, 0, 0)
_BATCH_NAMESPACE = uuid.UUID("6f1c1e2a-5d1b-4c8e-9a57-3f0f4b2d9c11")


def batch_uuid(name: str) -> str:
    """A readable test batch name ('std-old') as the UUID the store's batch_id columns hold."""
    try:
        return str(uuid.UUID(str(name)))
    except ValueError:
        return str(uuid.uuid5(_BATCH_NAMESPACE, str(name)))


def _columns(con, table: str) -> list[str]:
    return [r[0] for r in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
        [table]).fetchall()]


def insert(con, table: str, rows: list[dict]) -> None:
    """Insert dicts into `table`; a missing row_no continues the batch's numbering."""
    known = set(_columns(con, table))
    for row in rows:
        row = dict(row)
        row["batch_id"] = batch_uuid(row.get("batch_id", "batch-1"))
        if "row_no" not in known:
            row.pop("row_no", None)
        elif "row_no" not in row:
            row["row_no"] = con.execute(
                f"SELECT coalesce(max(row_no), 0) + 1 FROM {quote_identifier(table)} WHERE batch_id = ?",
                [row["batch_id"]]).fetchone()[0]
        unknown = set(row) - known
        if unknown:
            raise KeyError(f"{table} has no columns {sorted(unknown)}")
        names = list(row)
        con.execute(
            f"INSERT INTO {quote_identifier(table)} ({', '.join(quote_identifier(n) for n in names)})"
            f" VALUES ({', '.join('?' for _ in names)})",
            [row[n] for n in names])


def nps(con, scores, **columns) -> None:
    """One nps_response per score, sharing the other columns."""
    columns.setdefault("responded_at", DEFAULT_AT)
    insert(con, "nps_response", [{"score": s, **columns} for s in scores])


def respondent(con, ratings, *, batch_id="batch-1", row_no=None, **columns) -> int:
    """One survey_response and its survey_rating rows; returns its row_no.

    `ratings` are tuples (item_code, kind, score, scale_min, scale_max[, item_text[, dimension]]).
    """
    columns.setdefault("responded_at", DEFAULT_AT)
    batch_id = batch_uuid(batch_id)
    if row_no is None:
        row_no = con.execute("SELECT coalesce(max(row_no), 0) + 1 FROM survey_response WHERE batch_id = ?",
                             [batch_id]).fetchone()[0]
    insert(con, "survey_response", [{"batch_id": batch_id, "row_no": row_no, **columns}])
    rows = []
    for rating in ratings:
        code, kind, score, low, high, *rest = rating
        text = rest[0] if len(rest) > 0 else code
        dimension = rest[1] if len(rest) > 1 else None
        item_no = _item_no(con, batch_id, code, text, dimension, kind, low, high)
        rows.append({"batch_id": batch_id, "row_no": row_no, "item_no": item_no, "score": score})
    insert(con, "survey_score", rows)
    return row_no


def _item_no(con, batch_id, code, text, dimension, kind, low, high) -> int:
    """The batch's survey_item for this rated column, described once as the loaders do."""
    found = con.execute(
        "SELECT item_no FROM survey_item WHERE batch_id = ? AND item_code = ? AND item_text = ?"
        " AND dimension IS NOT DISTINCT FROM ? AND kind = ? AND scale_min = ? AND scale_max = ?",
        [batch_id, code, text, dimension, kind, low, high]).fetchone()
    if found:
        return found[0]
    item_no = con.execute("SELECT coalesce(max(item_no), -1) + 1 FROM survey_item WHERE batch_id = ?",
                          [batch_id]).fetchone()[0]
    prefix = {"expectation": "E_", "perception": "P_", "importance": "I_"}.get(kind, "")
    insert(con, "survey_item", [{"batch_id": batch_id, "item_no": item_no, "source_column": prefix + code,
                                 "item_code": code, "item_text": text, "dimension": dimension,
                                 "kind": kind, "scale_min": low, "scale_max": high}])
    return item_no


def complaints(con, rows: list[dict]) -> None:
    insert(con, "complaint", [{"received_at": DEFAULT_AT, **r} for r in rows])


def management(con, rows: list[dict]) -> None:
    insert(con, "management_rating", rows)


def standards(con, rows: list[dict]) -> None:
    insert(con, "service_standard", rows)
