"""The benchmark's smoke test: `python bench/run.py --quick` runs every step and prints one JSON
object of the agreed shape with a number for each. Timings are never asserted here, so each page
is rendered once per store (--reps 1): the shape is the same as with the quick run's three."""
from __future__ import annotations

import json
import subprocess
import sys
from numbers import Number

import pytest
from conftest import PROJECT_ROOT

from app import PAGES
from bench.page_calls import SIDEBAR
from bench.peer import PAGES as PEER_PAGES

# The run takes minutes: `make test` runs these in CI (CI=true), once, and not on every local run.
pytestmark = [pytest.mark.slow, pytest.mark.ci]

STEPS = ["generate", "limit_csv", "ingest_csv", "ingest_xlsx", "ingest_nps", "ingest_complaints",
         "ingest_management", "ingest_standards", "sentiment", "peer_read_csv", "peer_read_xlsx",
         "queries", "lake_queries", "peer_queries", "page"]


@pytest.fixture(scope="module")
def report() -> dict:
    done = subprocess.run([sys.executable, "bench/run.py", "--quick", "--reps", "1"], cwd=PROJECT_ROOT, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def is_number(value) -> bool:
    return isinstance(value, Number) and not isinstance(value, bool) and value == value


def test_one_json_object_with_the_run_described(report):
    assert report["quick"] is True and report["errors"] == {}
    assert {"cores", "ram_gib", "cpu"} <= set(report["machine"])
    assert report["data"]["survey_responses"] > 0 and report["data"]["nps_responses"] > 0


@pytest.mark.parametrize("step", STEPS)
def test_every_step_has_seconds_and_memory(report, step):
    entry = report["steps"][step]
    assert is_number(entry["seconds"]) and entry["seconds"] > 0
    assert is_number(entry["peak_rss_mb"]) and entry["peak_rss_mb"] > 0


@pytest.mark.parametrize("step", [s for s in STEPS if s not in ("queries", "lake_queries", "page", "ingest_standards")])
def test_row_steps_have_rows_per_second(report, step):
    assert is_number(report["steps"][step]["rows_per_s"])


def test_ingest_has_its_stages(report):
    for step in ("ingest_csv", "ingest_xlsx"):
        stages = report["steps"][step]["stages"]
        assert set(stages) == {"reading", "validating", "scoring sentiment", "writing", "learning from the scores",
                               "done", "checking the alert rules"}
        assert all(is_number(v) for v in stages.values())


def test_sentiment_rates_and_the_demo_mix(report):
    sentiment = report["steps"]["sentiment"]
    for rate in ("english", "chinese", "english_one_core", "chinese_one_core", "learned_english", "learned_chinese",
                 "reference_textblob_one_core", "reference_snownlp_one_core"):
        assert is_number(sentiment[rate]["per_s"])
    assert is_number(sentiment["training"]["seconds"]) and sentiment["training"]["labels"] > 0
    mix = sentiment["demo_mix"]
    assert mix["comments"] >= mix["distinct"] > 0 and is_number(mix["saving_factor"])


def test_every_page_and_variant_is_timed_for_us_and_the_peer(report):
    ours, peer = report["steps"]["queries"]["pages"], report["steps"]["peer_queries"]["pages"]
    assert set(ours) == {p.url_path for p in PAGES} | {SIDEBAR}
    assert report["ratios"]["pages_not_timed"] == []
    for page, variants in ours.items():
        assert set(variants) == {"month", "month_branch", "all_time", "month_tier"}
        for timing in variants.values():
            assert is_number(timing["p50_ms"]) and is_number(timing["p95_ms"])
            assert timing["calls"], page  # every page asks the analytics for something
    assert set(peer) == set(PEER_PAGES) and set(PEER_PAGES) <= set(ours)
    for variants in peer.values():
        assert all(is_number(t["p50_ms"]) for t in variants.values())


def test_every_page_is_timed_on_the_lake_beside_the_file(report):
    lake = report["steps"]["lake_queries"]
    # CI installs PostgreSQL (make lake): the step measures rather than saying why it could not
    assert "skipped" not in lake and is_number(lake["migrate_seconds"])
    assert set(lake["pages"]) == {p.url_path for p in PAGES} | {SIDEBAR}
    for page, variants in lake["pages"].items():
        assert set(variants) == {"month"}  # --quick: the month alone (bench/run.py)
        for timing in variants.values():
            assert is_number(timing["file"]["p95_ms"]) and is_number(timing["lake"]["p95_ms"])
            assert is_number(timing["lake_over_file_p95"]) and timing["calls"], page
    # the same rows give the same figures on both stores
    assert all(lake["headline_equal"].values()), lake["headline_equal"]
    assert set(report["ratios"]["lake_over_file_p95"]) == {f"{page} [month]" for page in lake["pages"]}


def test_the_recorded_calls_are_what_the_pages_ask(report):
    calls = {page: [c["call"].split("(")[0] for c in report["steps"]["queries"]["pages"][page]["month"]["calls"]]
             for page in ("overview", "review", "gaps", "imports", SIDEBAR)}
    assert calls["overview"][:4] == ["find_trends", "csi_change_with_trend", "nps_change", "resolution_change"]
    # what the overview asks for together is timed together
    together = {c["together"] for c in report["steps"]["queries"]["pages"]["overview"]["month"]["calls"]}
    assert len(together) == 1 and None not in together
    # the review and the gap model are independent parts the page asks for together, timed together
    assert calls["review"] == ["representative_verbatims", "review_headlines", "find_trends", "gap5",
                               "standards_gaps", "gap1", "alerts_for", "sentiment_by", "nps_change_by", "nps_trend",
                               "cause_pareto", "rising_causes", "targets_in_force"]
    assert calls["gaps"] == ["gap5", "gap1", "standards_gaps"]
    for page in ("review", "gaps"):
        together = {c["together"] for c in report["steps"]["queries"]["pages"][page]["month"]["calls"]}
        assert len(together) == 1 and None not in together
    # the history and the row counts read directly, the values to label through load (kept by the data version)
    assert sorted(calls["imports"]) == ["history", "row_counts", "values_to_label"]
    assert calls[SIDEBAR] == ["filter_options"]


def test_the_peer_computes_the_same_numbers(report):
    for variant, checks in report["ratios"]["peer_agrees_with_ours"].items():
        assert all(checks.values()), (variant, checks)


def test_every_page_of_the_app_is_opened_in_the_browser(report):
    page = report["steps"]["page"]
    assert set(page["pages"]) == {p.url_path for p in PAGES}
    for timing in page["pages"].values():
        assert is_number(timing["first_s"]) and timing["exceptions"] == 0
    assert is_number(page["app_peak_pss_mb"])


def test_floors_are_listed_with_a_verdict(report):
    assert report["floors"]
    for row in report["floors"]:
        assert is_number(row["measured"]) and isinstance(row["met"], bool)
