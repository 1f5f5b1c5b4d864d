"""Run the analytics' SQL on the connection the caller passes, and turn DuckDB's failures into ours.

DuckDB results are lazy, so a failure can surface at execute time or at fetch time; both become a
QueryError that says which metric was being computed.
"""
from __future__ import annotations

import contextlib
import contextvars
import functools
import math
import threading
from concurrent.futures import Executor, Future
from contextvars import ContextVar
from typing import Any

import duckdb
import pandas as pd

from loaders.errors import QueryError


_shared: ContextVar[dict | None] = ContextVar("shared_results", default=None)
_computing = threading.Lock()


@contextlib.contextmanager
def shared_results():
    """Within this block a @shared metric asked again for the same figure returns the first answer.

    A composite view (the monthly review, the gap model) asks for the same figure several times:
    the month's CSI against last month, against last year, and as a service standard's actual. The
    data cannot change inside one such call, so computing it once is exact.
    """
    token = _shared.set({}) if _shared.get() is None else None
    try:
        yield
    finally:
        if token is not None:
            _shared.reset(token)


def shared(function):
    """Let `function(con, *args, **kwargs)` reuse its result inside shared_results()."""
    @functools.wraps(function)
    def reusing(con, *args, **kwargs):
        memo = _shared.get()
        if memo is None:
            return function(con, *args, **kwargs)
        key = (function.__module__, function.__qualname__, args, tuple(sorted(kwargs.items())))
        try:
            hash(key)
        except TypeError:  # an unhashable argument: nothing to reuse
            return function(con, *args, **kwargs)
        with _computing:
            entry = memo.get(key)
            computes = entry is None
            if computes:
                entry = memo[key] = Future()
        if not computes:  # asked for already, perhaps on another thread (see apart): its answer
            return entry.result()
        try:
            entry.set_result(function(con, *args, **kwargs))
        except BaseException as e:
            entry.set_exception(e)
        return entry.result()
    return reusing


def apart(pool: Executor, function, con, *args, **kwargs) -> Future:
    """`function(cursor, *args, **kwargs)` on one of `pool`'s threads, with a cursor of its own.

    A month's queries each read one or two of DuckDB's row groups, so each runs on one core; two
    of them at once use both. Inside shared_results() the thread shares the caller's figures.
    """
    context = contextvars.copy_context()  # a copy per task: one context cannot run on two threads

    def run():
        cursor = con.cursor()
        try:
            return context.run(function, cursor, *args, **kwargs)
        finally:
            cursor.close()

    return pool.submit(run)


def non_blank(column: str) -> str:
    """SQL: `column` holds more than spaces (trim(column) <> ''), NULL when it is NULL.

    Trimming every id or text of a period is most of some queries' time; a text that is not blank
    almost never starts with a space, so the trim runs only on the few that do. "Starts with a
    space" is a range of the byte order (from ' ' up to '!'), cheaper than ascii() on every text.
    """
    return f"({column} <> '' AND ({column} < ' ' OR {column} >= '!' OR trim({column}) <> ''))"


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
    pass of a hundred aggregates, without the few milliseconds a DataFrame of it costs."""
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
