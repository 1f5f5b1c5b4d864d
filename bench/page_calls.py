"""Every analytics call each page of the dashboard makes, as data: update it when a page changes.

A call is (function, positional arguments, keyword arguments). Arguments may name what the page
works on instead of a value:

- CURRENT: the period and filters chosen in the sidebar;
- PREVIOUS: what the page compares with (the previous period);
- TREND: the same filters over the 12 calendar months ending with the period (trend charts);
- CURRENT_WEIGHTS: the CSI weights of the current period, which a page takes from the
  csi_change result it already has (resolved before timing, so they cost nothing here).

The connection (the page's cursor) is always the first argument and is not written here.

The lists follow the pages as the views branch wrote them (every `load(...)` in pages/*.py). A call
may carry a fourth element, the calls that stand in for it where its function is not in the
checkout (a branch made before the views were merged); where it is, the stand-ins are ignored.
`tests/test_bench.py` checks that every call, or its stand-ins, exists.
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
        ("analytics.nps.nps_change_by", (CURRENT, PREVIOUS, "branch"), {},
         (("analytics.nps.nps_by", (CURRENT,), {"column": "branch"}),
          ("analytics.nps.nps_by", (PREVIOUS,), {"column": "branch"}))),
        ("analytics.nps.nps_trend", (TREND,), {}),
        ("analytics.complaints.complaint_trend", (TREND,), {},
         (("analytics.complaints.complaint_counts", (TREND,), {}),)),
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
        ("analytics.nps.nps_change_by", (CURRENT, PREVIOUS, "touchpoint"), {},
         (("analytics.nps.nps_by", (CURRENT,), {"column": "touchpoint"}),
          ("analytics.nps.nps_by", (PREVIOUS,), {"column": "touchpoint"}))),
        ("analytics.nps.nps_change_by", (CURRENT, PREVIOUS, "branch"), {},
         (("analytics.nps.nps_by", (CURRENT,), {"column": "branch"}),
          ("analytics.nps.nps_by", (PREVIOUS,), {"column": "branch"}))),
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
        ("analytics.complaints.cause_pareto", (CURRENT,), {}),
        ("analytics.complaints.complaint_counts", (CURRENT,), {}),
        ("analytics.complaints.rising_causes", (CURRENT, PREVIOUS), {}),
        ("analytics.complaints.resolution_time_distribution", (CURRENT,), {}, ()),
        ("analytics.complaints.repeat_complainants", (CURRENT,), {}),
        ("analytics.complaints.complaint_iceberg", (CURRENT, 0.05), {}),
    ),
    "imports": (
        ("loaders.importer.history", (), {}),
        ("loaders.importer.row_counts", (), {}),
    ),
}
