"""Run SQL on the connection the caller passes, and turn DuckDB's failures into ours.

DuckDB results are lazy, so a failure can surface at execute time or at fetch time; both become a
QueryError that says which metric was being computed.
"""
from __future__ import annotations

import math
from typing import Any

import duckdb
import pandas as pd

from store.errors import QueryError


def fetch_all(con, sql: str, params: dict | None = None, *, what: str) -> list[tuple]:
    """All rows of a small result, as tuples."""
    try:
        return con.execute(sql, params or {}).fetchall()
    except duckdb.Error as e:
        raise QueryError(f"DuckDB raised an error while computing {what}: {e}") from e


def fetch_one(con, sql: str, params: dict | None = None, *, what: str) -> tuple:
    rows = fetch_all(con, sql, params, what=what)
    return rows[0] if rows else ()


def fetch_record(con, sql: str, params: dict | None = None, *, what: str) -> dict[str, Any]:
    """The first row of a result by column name (NULL as None), {} when there is none: a one-row
    pass of a hundred aggregates, without building a DataFrame for it."""
    try:
        cursor = con.execute(sql, params or {})
        row = cursor.fetchone()
    except duckdb.Error as e:
        raise QueryError(f"DuckDB raised an error while computing {what}: {e}") from e
    return dict(zip((column[0] for column in cursor.description), row)) if row is not None else {}


def fetch_df(con, sql: str, params: dict | None = None, *, what: str) -> pd.DataFrame:
    """A small result as a DataFrame (aggregates or LIMITed verbatims, never raw tables)."""
    try:
        return con.execute(sql, params or {}).df()
    except duckdb.Error as e:
        raise QueryError(f"DuckDB raised an error while computing {what}: {e}") from e


def number(value: Any) -> float | None:
    """A float, or None for NULL / NaN, so that a missing figure is never shown as a number."""
    if value is None:
        return None
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(value) or math.isinf(value) else value


def count(value: Any) -> int:
    return 0 if value is None else int(value)
