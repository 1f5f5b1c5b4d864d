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


def test_the_import_floor_is_the_peak_of_the_biggest_input():
    from bench.run import IMPORT_MB_CEILING, floors

    steps = {"generate": {"file_mb": {"survey.csv": 174.9, "survey.xlsx": 12.2, "nps.csv": 107.4,
                                      "complaints.csv": 43.0}},
             # the larger of the tree's Pss and the largest RSS: 1,100 for the csv, 1,300 for the NPS
             "ingest_csv": {"peak_rss_mb": 900.0, "peak_tree_mb": 1100.0},
             "ingest_nps": {"peak_rss_mb": 1300.0, "peak_tree_mb": None}}
    ratios, table = floors({"steps": steps})
    [row] = [row for row in table if row["floor"].startswith("peak memory of the import")]
    assert (IMPORT_MB_CEILING, row["file"], row["measured"], row["met"]) == (1500, "survey.csv", 1100.0, True)
    assert row["every_import"] == {"ingest_csv": 1100.0, "ingest_nps": 1300.0}
    assert ratios["import_peak_mb"]["ingest_nps"] == {"file": "nps.csv", "file_mb": 107.4, "peak_mb": 1300.0}
