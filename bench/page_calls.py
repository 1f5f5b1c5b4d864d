"""Every analytics call each page of the dashboard makes, as data: update it when a page changes.

A call is (function, positional arguments, keyword arguments). Arguments may name what the page
works on instead of a value:

- CURRENT: the period and filters chosen in the sidebar;
- PREVIOUS: what the page compares with (the previous period);
- TREND: the same filters over the 12 calendar months ending with the period (trend charts);
- CURRENT_WEIGHTS: the CSI weights of the current period, which a page takes from the
  csi_change result it already has (resolved before timing, so they cost nothing here).

The connection (the page's cursor) is always the first argument and is not written here.

The lists follow the pages of the views branch (issue 5, commit 23be859), which main does not
have yet; where a page calls a function main lacks, the nearest call main has stands in and the
comment names the real one. Once the views are merged, swap those in (the test in
tests/test_bench.py checks that every call named here exists).
"""
from __future__ import annotations

CURRENT = "<current>"
PREVIOUS = "<previous>"
TREND = "<trend>"
CURRENT_WEIGHTS = "<current weights>"

# What every page's sidebar asks for (pages/_filters.py: the filter choices and the date range).
SIDEBAR = (
    ("analytics.filters.filter_options", (), {}),
)

PAGE_CALLS: dict[str, tuple] = {
    "overview": (
        ("analytics.nps.nps_change", (CURRENT, PREVIOUS), {}),
        ("analytics.csi.csi_change", (CURRENT, PREVIOUS), {}),
        ("analytics.complaints.resolution_change", (CURRENT, PREVIOUS), {}),
        ("analytics.sentiment.sentiment_change", (CURRENT, PREVIOUS), {}),
        ("analytics.complaints.rising_causes", (CURRENT, PREVIOUS), {}),
        # views: nps_change_by(now, before, "branch"), one pass over both periods
        ("analytics.nps.nps_by", (CURRENT,), {"column": "branch"}),
        ("analytics.nps.nps_by", (PREVIOUS,), {"column": "branch"}),
        ("analytics.nps.nps_trend", (TREND,), {}),
        # views: complaint_trend(window), complaints per month; complaint_counts stands in
        ("analytics.complaints.complaint_counts", (TREND,), {}),
        ("analytics.csi.csi_by", (TREND, "month"), {"weights": CURRENT_WEIGHTS}),
        ("analytics.sentiment.sentiment_by", (TREND, "month"), {}),
    ),
    "csi": (
        ("analytics.csi.csi_change", (CURRENT, PREVIOUS), {}),
        ("analytics.csi.csi_by", (TREND, "month"), {"weights": CURRENT_WEIGHTS}),
    ),
    "gaps": (
        ("analytics.gaps.gap_model", (CURRENT,), {}),
    ),
    "nps": (
        ("analytics.nps.nps_change", (CURRENT, PREVIOUS), {}),
        ("analytics.nps.nps_trend", (TREND,), {}),
        # views: nps_change_by(now, before, "touchpoint") and (..., "branch")
        ("analytics.nps.nps_by", (CURRENT,), {"column": "touchpoint"}),
        ("analytics.nps.nps_by", (PREVIOUS,), {"column": "touchpoint"}),
        ("analytics.nps.nps_by", (CURRENT,), {"column": "branch"}),
        ("analytics.nps.nps_by", (PREVIOUS,), {"column": "branch"}),
        ("analytics.nps.detractor_verbatims", (CURRENT, 50), {}),
    ),
    "sentiment": (
        ("analytics.sentiment.sentiment_change", (CURRENT, PREVIOUS, "all"), {}),
        ("analytics.sentiment.sentiment_by", (TREND, "month", "all"), {}),
        ("analytics.sentiment.sentiment_by", (CURRENT, "branch", "all"), {}),
        ("analytics.sentiment.sentiment_by", (CURRENT, "source"), {}),
        ("analytics.sentiment.sentiment_verbatims", (CURRENT, "all", "negative", 20), {}),
    ),
    "complaints": (
        ("analytics.complaints.resolution_change", (CURRENT, PREVIOUS), {}),
        ("analytics.complaints.repeat_complainants", (CURRENT,), {}),
        ("analytics.complaints.cause_pareto", (CURRENT,), {}),
        ("analytics.complaints.complaint_counts", (CURRENT,), {}),
        ("analytics.complaints.rising_causes", (CURRENT, PREVIOUS), {}),
        # views: resolution_time_distribution(now), hours to resolve in buckets; not on main
        ("analytics.complaints.complaint_iceberg", (CURRENT, 0.05), {}),
    ),
    "imports": (
        ("loaders.importer.history", (), {}),
        ("loaders.importer.row_counts", (), {}),
    ),
}
