"""Small hand-made rows for the analytics tests, inserted straight into the store's tables.

Each helper fills the NOT NULL columns the test does not care about, so a test states only the
numbers its expected values are computed from.
"""
from __future__ import annotations

from datetime import datetime

from loaders.store import quote_identifier

DEFAULT_AT = datetime(2026, 3, 15, 10, 0, 0)


def _columns(con, table: str) -> list[str]:
    return [r[0] for r in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
        [table]).fetchall()]


def insert(con, table: str, rows: list[dict]) -> None:
    """Insert dicts into `table`; a missing row_no continues the batch's numbering."""
    known = set(_columns(con, table))
    for row in rows:
        row = dict(row)
        row.setdefault("batch_id", "batch-1")
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
    if row_no is None:
        row_no = con.execute("SELECT coalesce(max(row_no), 0) + 1 FROM survey_response WHERE batch_id = ?",
                             [batch_id]).fetchone()[0]
    insert(con, "survey_response", [{"batch_id": batch_id, "row_no": row_no, **columns}])
    rows = []
    for rating in ratings:
        code, kind, score, low, high, *rest = rating
        text = rest[0] if len(rest) > 0 else code
        dimension = rest[1] if len(rest) > 1 else None
        rows.append({"batch_id": batch_id, "row_no": row_no, "item_code": code, "item_text": text,
                     "dimension": dimension, "kind": kind, "score": score,
                     "scale_min": low, "scale_max": high})
    insert(con, "survey_rating", rows)
    return row_no


def complaints(con, rows: list[dict]) -> None:
    insert(con, "complaint", [{"received_at": DEFAULT_AT, **r} for r in rows])


def management(con, rows: list[dict]) -> None:
    insert(con, "management_rating", rows)


def standards(con, rows: list[dict]) -> None:
    insert(con, "service_standard", rows)
