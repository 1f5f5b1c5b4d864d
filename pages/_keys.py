"""Every session-state key the dashboard uses, in one place (page-only keys carry the page's name).

The shared sidebar keeps each choice under a plain key (LANGUAGE, FILTER_*) that the dashboard
reads, and draws its widget under `choice(key)`. The widget is created from the plain value, so a
widget that Streamlit re-creates under a new id (as it may between the first and later runs of a
multipage session) starts from the same choice instead of its default. URL parameters carry the
plain values, so a copied link reopens the same page, filters and language.
"""
from __future__ import annotations


def choice(key: str) -> str:
    """The widget key of a sidebar choice kept under `key`."""
    return f"{key}_choice"


LANGUAGE = "language"

# The shared sidebar (pages/_filters.py)
FILTER_MONTH = "filter_month"
FILTER_DATES = "filter_dates"  # the custom range, or the chosen month's days
FILTER_COMPARE = "filter_compare"
FILTER_REGIONS = "filter_regions"
FILTER_BRANCHES = "filter_branches"
FILTER_CHANNELS = "filter_channels"
FILTER_SEGMENTS = "filter_segments"
FILTER_PRODUCTS = "filter_products"
SELECTION = "selection"  # the Filters the sidebar built this run, read by every page

# Multiselect key → (URL parameter, Filters field, FilterOptions field)
LIST_FILTERS = {
    FILTER_REGIONS: ("region", "regions"),
    FILTER_BRANCHES: ("branch", "branches"),
    FILTER_CHANNELS: ("channel", "channels"),
    FILTER_SEGMENTS: ("segment", "segments"),
    FILTER_PRODUCTS: ("product", "products"),
}
URL_LANGUAGE = "lang"
URL_MONTH = "month"
URL_FROM = "from"
URL_TO = "to"
URL_COMPARE = "compare"

# Page-only keys
CSI_AGAINST = "csi_against"
CSI_BRANCH = "csi_branch"
CSI_VIEW = "csi_view"
SENTIMENT_SOURCE = "sentiment_source"
SENTIMENT_WHICH = "sentiment_which"
SENTIMENT_TREND_CHART = "sentiment_trend_chart"
SENTIMENT_NEGATIVE_CHART = "sentiment_negative_chart"
SENTIMENT_BRANCH_CHART = "sentiment_branch_chart"
COMPLAINTS_ICEBERG_SHARE = "complaints_iceberg_share"
