"""Figures a composite view asks for more than once, computed once per view."""
from __future__ import annotations

import contextlib
import contextvars
import functools
import threading
from concurrent.futures import Executor, Future
from contextvars import ContextVar

from store.db import cursor as store_cursor

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
        cursor = store_cursor(con)
        try:
            return context.run(function, cursor, *args, **kwargs)
        finally:
            cursor.close()

    return pool.submit(run)
