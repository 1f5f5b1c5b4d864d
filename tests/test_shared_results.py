"""analytics.memo.shared: inside shared_results() a metric asked twice for the same figure is
computed once; outside it, or with an argument that cannot be a key, every call computes."""
from __future__ import annotations

import pytest

from analytics.filters import Filters
from analytics.memo import offer, shared, shared_results

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


def test_inside_the_block_a_failure_reaches_the_caller_and_is_not_kept():
    failures = []

    @shared
    def failing(con, filters):
        failures.append(filters)
        raise ValueError("the store is gone")

    with shared_results():
        for _ in range(2):
            with pytest.raises(ValueError, match="the store is gone"):
                failing(None, Filters())
    assert len(failures) == 2  # asked again, computed again: only answers are reused


def test_a_default_written_out_is_the_same_figure():
    with shared_results():
        assert figure(None, Filters()) == 1
        assert figure(None, Filters(), scale=1) == 1
        assert figure(None, filters=Filters()) == 1
    assert len(calls) == 1


def test_an_offered_answer_is_returned_inside_the_block_only():
    offer(figure, "handed on", Filters())  # outside a block: nothing is kept
    with shared_results():
        offer(figure, "handed on", Filters(), scale=1)
        assert figure(None, Filters()) == "handed on"
        offer(figure, "later", Filters())  # a figure already known keeps its first answer
        assert figure(None, Filters()) == "handed on"
    assert calls == []
    assert figure(None, Filters()) == 1
