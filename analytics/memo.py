"""Figures a composite view asks for more than once, computed once per view."""
from __future__ import annotations

import contextlib
import functools
import threading
from concurrent.futures import Future
from contextvars import ContextVar

# One memo per composite call: a context variable, so the calls a page runs side by side
# (pages._common.load_all) on their own threads never see each other's figures.
_shared: ContextVar[dict | None] = ContextVar("shared_results", default=None)
_inserting = threading.Lock()


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
        # the page's two threads share one memo (pages._common.load_all): a figure the other thread
        # is computing is waited for, not computed again
        with _inserting:
            future = memo.get(key)
            mine = future is None
            if mine:
                future = memo[key] = Future()
        if mine:
            try:
                future.set_result(function(con, *args, **kwargs))
            except BaseException as e:
                with _inserting:  # only answers are kept: a later call computes again
                    memo.pop(key, None)
                future.set_exception(e)
        return future.result()
    return reusing
