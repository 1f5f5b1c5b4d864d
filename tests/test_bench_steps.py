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


def test_the_lake_is_compared_with_the_file_render_by_render():
    from bench.steps import compare_stores

    # p95 of five renders: rank 0.95 * 4 = 3.8, so 4th + 0.8 * (5th - 4th)
    # file: 0.040 + 0.8 * (0.050 - 0.040) = 0.048 s; lake: 0.100 + 0.8 * (0.200 - 0.100) = 0.180 s
    compared = compare_stores([0.010, 0.020, 0.030, 0.040, 0.050], [0.060, 0.070, 0.090, 0.100, 0.200])
    assert (compared["file"]["p95_ms"], compared["lake"]["p95_ms"]) == (48.0, 180.0)
    assert (compared["file"]["p50_ms"], compared["lake"]["p50_ms"]) == (30.0, 90.0)
    assert (compared["lake_over_file_p50"], compared["lake_over_file_p95"]) == (3.0, 3.75)


def test_each_page_on_the_lake_meets_its_floor_or_not_and_carries_its_ratio():
    from bench.run import LAKE_PAGE_P95_MS_CEILING, floors

    lake = {"pages": {"nps": {"month": {"file": {"p95_ms": 120.0}, "lake": {"p95_ms": 480.0},
                                        "lake_over_file_p95": 4.0}},
                      "csi": {"month": {"file": {"p95_ms": 200.0}, "lake": {"p95_ms": 520.0},
                                        "lake_over_file_p95": 2.6}}}}
    ratios, table = floors({"steps": {"lake_queries": lake}})
    rows = {row["page"]: row for row in table if "PostgreSQL lake" in row["floor"]}
    assert LAKE_PAGE_P95_MS_CEILING == 500
    assert (rows["nps"]["measured"], rows["nps"]["met"]) == (480.0, True)
    assert (rows["csi"]["measured"], rows["csi"]["met"], rows["csi"]["file_p95_ms"]) == (520.0, False, 200.0)
    assert ratios["lake_over_file_p95"] == {"nps [month]": 4.0, "csi [month]": 2.6}


def test_without_postgresql_the_lake_step_says_why_and_sets_no_floor():
    from bench.run import floors

    ratios, table = floors({"steps": {"lake_queries": {"skipped": "PostgreSQL is not installed"}}})
    assert "lake_over_file_p95" not in ratios
    assert not [row for row in table if "lake" in row["floor"]]


def test_the_lake_step_without_postgresql_measures_nothing_and_says_why(monkeypatch, tmp_path):
    from bench import postgres
    from bench.steps import step_lake_queries

    monkeypatch.setattr(postgres, "installed_bin", lambda: None)
    result = step_lake_queries({"db": str(tmp_path / "never-opened.duckdb"), "reps": 3, "folder": str(tmp_path)})
    assert result == {"rows": None, "skipped": "PostgreSQL is not installed: apt-get install postgresql (`make lake` does it)"}
