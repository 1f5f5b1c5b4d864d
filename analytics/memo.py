"""Figures a composite view asks for more than once, computed once per view."""
from __future__ import annotations

import contextlib
import functools
import inspect
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


@functools.lru_cache(maxsize=None)
def _signature(function) -> inspect.Signature:
    return inspect.signature(function)


def _key(function, args: tuple, kwargs: dict) -> tuple:
    """The figure a call asks for: its function and its arguments as bound, defaults filled in, so
    f(con, x) and f(con, x, "all") with "all" the default are one figure."""
    bound = _signature(function).bind(None, *args, **kwargs)
    bound.apply_defaults()
    return (function.__module__, function.__qualname__, tuple(bound.arguments.items())[1:])


def shared(function):
    """Let `function(con, *args, **kwargs)` reuse its result inside shared_results()."""
    @functools.wraps(function)
    def reusing(con, *args, **kwargs):
        memo = _shared.get()
        if memo is None:
            return function(con, *args, **kwargs)
        key = _key(function, args, kwargs)
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


def offer(function, result, *args, **kwargs) -> None:
    """Inside shared_results(), let `result` answer the @shared `function(con, *args, **kwargs)`
    from now on, as if it had been computed: a composite that computed several selections' figures
    in one query hands each on (outside the block, nothing is kept)."""
    memo = _shared.get()
    if memo is None:
        return
    key = _key(inspect.unwrap(function), args, kwargs)
    with _inserting:
        if key not in memo:
            answered = memo[key] = Future()
            answered.set_result(result)
