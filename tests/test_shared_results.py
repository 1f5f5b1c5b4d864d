"""store.query.shared: inside shared_results() a metric asked twice for the same figure is
computed once; outside it, or with an argument that cannot be a key, every call computes."""
from __future__ import annotations

from analytics.filters import Filters
from analytics.memo import shared, shared_results

calls: list[tuple] = []


@shared
def figure(con, filters, *, scale=1):
    calls.append((filters, scale))
    return len(calls) * scale


def setup_function():
    calls.clear()


def test_outside_the_block_every_call_computes():
    assert figure(None, Filters()) == 1
    assert figure(None, Filters()) == 2


def test_inside_the_block_the_same_arguments_reuse_the_first_answer():
    october = Filters(branches=("North",))
    with shared_results():
        assert figure(None, october) == 1
        assert figure(None, october) == 1
        assert figure(None, october, scale=10) == 20  # other arguments: another figure
        assert figure(None, Filters()) == 3
        with shared_results():  # a nested block shares the outer one's answers
            assert figure(None, october) == 1
    assert len(calls) == 3
    assert figure(None, october) == 4  # the block is over: nothing is kept


def test_an_unhashable_argument_is_computed_every_time():
    with shared_results():
        assert figure(None, ["North"]) == 1
        assert figure(None, ["North"]) == 2


class FakeConnection:
    """What apart() needs of a DuckDB connection: a cursor per thread, closed after use."""

    def __init__(self):
        self.closed = 0

    def cursor(self):
        return self

    def close(self):
        self.closed += 1


def test_a_figure_computed_on_a_pool_thread_is_shared_with_the_caller():
    from concurrent.futures import ThreadPoolExecutor

    from analytics.memo import apart

    october = Filters(branches=("North",))
    con = FakeConnection()
    with shared_results(), ThreadPoolExecutor(max_workers=2) as pool:
        assert figure(con, october) == 1
        assert apart(pool, figure, con, october).result() == 1  # the caller's answer, on another thread
        assert apart(pool, figure, con, Filters(), scale=10).result() == 20
        assert figure(con, Filters(), scale=10) == 20  # the thread's answer, back on the caller's
    assert len(calls) == 2
    assert con.closed == 2  # each task's cursor is closed


def test_apart_raises_the_metric_error_where_the_result_is_read():
    from concurrent.futures import ThreadPoolExecutor

    import pytest

    from analytics.memo import apart

    def failing(con):
        raise ValueError("no such column")

    with ThreadPoolExecutor(max_workers=1) as pool:
        future = apart(pool, failing, FakeConnection())
        with pytest.raises(ValueError, match="no such column"):
            future.result()


def test_a_figure_asked_for_while_another_thread_computes_it_is_computed_once():
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from analytics.memo import apart

    started, release = threading.Event(), threading.Event()
    computed = []

    @shared
    def slow(con, filters):
        computed.append(filters)
        started.set()
        release.wait(5)
        return "the answer"

    with shared_results(), ThreadPoolExecutor(max_workers=1) as pool:
        on_thread = apart(pool, slow, FakeConnection(), Filters())
        assert started.wait(5)  # the pool's thread is computing it now
        threading.Timer(0.2, release.set).start()
        assert slow(None, Filters()) == "the answer"  # waits for that thread's answer
        assert on_thread.result() == "the answer"
    assert computed == [Filters()]


def test_inside_the_block_a_failure_is_raised_to_every_asker():
    import pytest

    failures = []

    @shared
    def failing(con, filters):
        failures.append(filters)
        raise ValueError("the store is gone")

    with shared_results():
        for _ in range(2):
            with pytest.raises(ValueError, match="the store is gone"):
                failing(None, Filters())
    assert len(failures) == 1


def test_non_blank_is_trim_not_empty():
    import duckdb

    from store.query import non_blank

    con = duckdb.connect()
    values = ["", " ", "   ", " a", "a ", "ab", "\t", "中", None, "!", "\x1f", " 中", "\x7f"]
    con.execute("CREATE TABLE texts (i INTEGER, v VARCHAR)")
    con.executemany("INSERT INTO texts VALUES (?, ?)", list(enumerate(values)))
    got = [row[0] for row in con.execute("SELECT " + non_blank("v") + " FROM texts ORDER BY i").fetchall()]
    # DuckDB's trim removes spaces only: a tab is text, as trim(x) <> '' says
    assert got == [False, False, False, True, True, True, True, True, None, True, True, True, True]
