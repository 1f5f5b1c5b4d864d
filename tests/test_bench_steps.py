"""The benchmark's arithmetic (bench/steps.py), without running the benchmark."""
from __future__ import annotations

import pytest

from bench.steps import percentile


@pytest.mark.parametrize("values, share, expected", [
    ([5.0], 0.95, 5.0),
    ([1.0, 2.0, 3.0, 4.0, 5.0], 0.5, 3.0),
    ([1.0, 2.0, 3.0, 4.0, 5.0], 0.95, 4.8),   # rank 0.95 * 4 = 3.8: 4 + 0.8 * (5 - 4)
    ([10.0, 20.0], 0.5, 15.0),
])
def test_percentile_interpolates_between_ranks(values, share, expected):
    assert percentile(values, share) == pytest.approx(expected)
