"""Every analytics call each page of the dashboard makes, as data: update it when a page changes.

A call is (function, positional arguments, keyword arguments). The positional arguments may name
the selection the page works on instead of a value:

- CURRENT: the period and filters chosen in the sidebar;
- PREVIOUS: the period before it (analytics.filters.previous_period), for change markers;
- TREND: the same filters over every month, for the small trend charts.

The connection (the page's cursor) is always the first argument and is not written here.
Pages listed here but not in app.PAGES on main are the views of issue 5 as planned; the
benchmark reports which is which, and times the browser step on whatever app.PAGES holds.
"""
from __future__ import annotations

CURRENT = "<current>"
PREVIOUS = "<previous>"
TREND = "<trend>"

# What every page's sidebar asks for (the filter choices and the data's date range).
SIDEBAR = (
    ("analytics.filters.filter_options", (), {}),
)

PAGE_CALLS: dict[str, tuple] = {
    # pages/imports.py on main
    "imports": (
        ("loaders.importer.history", (), {}),
        ("loaders.importer.row_counts", (), {}),
    ),
    # issue 5, view 1: headline tiles with their change, small trends, "what changed"
    "overview": (
        ("analytics.nps.nps_change", (CURRENT, PREVIOUS), {}),
        ("analytics.csi.csi_change", (CURRENT, PREVIOUS), {}),
        ("analytics.complaints.complaint_counts", (CURRENT,), {}),
        ("analytics.complaints.complaint_counts", (PREVIOUS,), {}),
        ("analytics.sentiment.sentiment_change", (CURRENT, PREVIOUS), {}),
        ("analytics.nps.nps_trend", (TREND,), {}),
        ("analytics.csi.csi_by", (TREND,), {"by": "month"}),
        ("analytics.sentiment.sentiment_by", (TREND,), {"by": "month"}),
        ("analytics.csi.attribute_changes", (CURRENT, PREVIOUS), {}),
        ("analytics.complaints.rising_causes", (CURRENT, PREVIOUS), {}),
        ("analytics.nps.nps_by", (CURRENT,), {"column": "branch"}),
        ("analytics.nps.nps_by", (PREVIOUS,), {"column": "branch"}),
    ),
    # view 2: radar now vs before, bar and line, importance-performance, drivers
    "csi": (
        ("analytics.csi.csi_change", (CURRENT, PREVIOUS), {}),
        ("analytics.csi.attribute_changes", (CURRENT, PREVIOUS), {}),
        ("analytics.csi.csi_by", (TREND,), {"by": "month"}),
        ("analytics.csi.csi_by", (CURRENT,), {"by": "branch"}),
        ("analytics.csi.importance_performance", (CURRENT,), {}),
        ("analytics.csi.key_drivers", (CURRENT,), {}),
    ),
    # view 3: the five gaps
    "gaps": (
        ("analytics.gaps.gap_model", (CURRENT,), {}),
    ),
    # view 4: score with margin and change, months, touchpoints, branches, detractors' words
    "nps": (
        ("analytics.nps.nps_change", (CURRENT, PREVIOUS), {}),
        ("analytics.nps.nps_trend", (TREND,), {}),
        ("analytics.nps.nps_by", (CURRENT,), {"column": "touchpoint"}),
        ("analytics.nps.nps_by", (CURRENT,), {"column": "branch"}),
        ("analytics.nps.detractor_verbatims", (CURRENT,), {}),
    ),
    # view 5: trend with interval, by source and branch, verbatims
    "sentiment": (
        ("analytics.sentiment.sentiment_change", (CURRENT, PREVIOUS), {}),
        ("analytics.sentiment.sentiment_by", (TREND,), {"by": "month"}),
        ("analytics.sentiment.sentiment_by", (CURRENT,), {"by": "source"}),
        ("analytics.sentiment.sentiment_by", (CURRENT,), {"by": "branch"}),
        ("analytics.sentiment.sentiment_verbatims", (CURRENT,), {"which": "negative"}),
        ("analytics.sentiment.sentiment_verbatims", (CURRENT,), {"which": "positive"}),
    ),
    # view 6: Pareto, rising causes, resolution and SLA, repeat complainants, iceberg
    "complaints": (
        ("analytics.complaints.complaint_counts", (CURRENT,), {}),
        ("analytics.complaints.cause_pareto", (CURRENT,), {}),
        ("analytics.complaints.rising_causes", (CURRENT, PREVIOUS), {}),
        ("analytics.complaints.resolution_change", (CURRENT, PREVIOUS), {}),
        ("analytics.complaints.repeat_complainants", (CURRENT,), {}),
        ("analytics.complaints.complaint_iceberg", (CURRENT,), {}),
    ),
}
