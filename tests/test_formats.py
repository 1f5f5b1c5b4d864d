"""How figures read: the same number reads the same on every page, chart and report."""
from __future__ import annotations

import math
from datetime import date

import pytest

from analytics.filters import Filters
from presentation.formats import (
    fmt_count, fmt_hours, fmt_month, fmt_n, fmt_number, fmt_period, fmt_share, fmt_signed, fmt_term
)


@pytest.mark.parametrize("value, digits, expected", [
    (12.34, 1, "12.3"), (-6.0, 1, "−6.0"), (1234.5, 1, "1,234.5"), (-0.04, 1, "0.0"), (None, 1, "—"),
    (math.nan, 1, "—"), (0.123, 2, "0.12"),
])
def test_fmt_number(value, digits, expected):
    assert fmt_number(value, digits) == expected


@pytest.mark.parametrize("value, digits, expected", [
    (6.0, 1, "+6.0"), (-6.04, 1, "−6.0"), (0.0, 1, "0.0"), (0.01, 1, "0.0"), (0.126, 2, "+0.13"), (None, 1, "—"),
])
def test_fmt_signed(value, digits, expected):
    assert fmt_signed(value, digits) == expected


def test_counts_shares_hours_and_n():
    assert fmt_count(1234.4) == "1,234"
    assert fmt_share(0.1824) == "18.2%"
    assert fmt_share(0.8, 0) == "80%"
    assert fmt_share(None) == "—"
    assert fmt_hours(17.94, "en") == "17.9 h"
    assert fmt_hours(17.94, "zh") == "17.9 小时"
    assert fmt_n(1532, "en") == "n = 1,532"


@pytest.mark.parametrize("month, language, expected", [
    ("2026-10", "en", "Oct 2026"), ("2026-10", "zh", "2026年10月"), ("2025-01", "en", "Jan 2025"), (None, "en", "—"),
])
def test_fmt_month(month, language, expected):
    assert fmt_month(month, language) == expected


@pytest.mark.parametrize("start, end, language, expected", [
    (date(2026, 10, 1), date(2026, 10, 31), "en", "Oct 2026"),
    (date(2026, 10, 1), date(2026, 10, 31), "zh", "2026年10月"),
    (date(2026, 8, 1), date(2026, 10, 31), "en", "Aug – Oct 2026"),
    (date(2026, 8, 1), date(2026, 10, 31), "zh", "2026年8月至10月"),
    (date(2025, 11, 1), date(2026, 10, 31), "en", "Nov 2025 – Oct 2026"),
    (date(2025, 11, 1), date(2026, 10, 31), "zh", "2025年11月至2026年10月"),
    (date(2026, 10, 3), date(2026, 10, 9), "en", "3 – 9 Oct 2026"),
    (date(2026, 10, 3), date(2026, 10, 9), "zh", "2026年10月3日至9日"),
    (date(2026, 9, 15), date(2026, 10, 14), "en", "15 Sep – 14 Oct 2026"),
    (date(2026, 9, 15), date(2026, 10, 14), "zh", "2026年9月15日至10月14日"),
    (date(2025, 12, 30), date(2026, 1, 2), "en", "30 Dec 2025 – 2 Jan 2026"),
    (date(2026, 10, 3), date(2026, 10, 3), "zh", "2026年10月3日"),
])
def test_fmt_period(start, end, language, expected):
    assert fmt_period(Filters(date_from=start, date_to=end), language) == expected


def test_terms_are_translated_and_data_is_not():
    assert fmt_term("dim", "reliability", "zh") == "可靠性"
    assert fmt_term("dim", " Empathy ", "zh") == "移情性"
    assert fmt_term("dim", "Digital", "zh") == "Digital"  # a free attribute group stays as the data says
    assert fmt_term("source", "nps", "en") == "NPS comments"
    assert fmt_term("dim", None, "en") == "(not given)"
