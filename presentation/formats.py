"""How numbers, months, periods and terms read on screen, in English and Chinese.

One place for the dashboard's pages, its charts and the report, so a figure reads the same
everywhere. A missing figure is an em dash, never "nan". Data values (branch names, attribute
texts) are shown as they are; only the dashboard's own terms (dimensions, sources) are translated.
"""
from __future__ import annotations

import math
import unicodedata

from analytics.filters import Filters, _is_whole_months, month_of
from presentation.i18n import has_text, translate

MISSING = "—"
MINUS = "\u2212"  # a real minus sign reads better than a hyphen on a projector


def _value(value) -> float | None:
    if value is None:
        return None
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(value) or math.isinf(value) else value


def fmt_number(value, digits: int = 1) -> str:
    """12.3 → '12.3', 1234 → '1,234.0'; None/NaN → '—'."""
    value = _value(value)
    if value is None:
        return MISSING
    text = f"{abs(value):,.{digits}f}"
    return (MINUS + text) if value < 0 and text.strip("0.,") else text


def fmt_signed(value, digits: int = 1) -> str:
    """Always with its sign: '+6.0', '−6.0', '0.0'."""
    value = _value(value)
    if value is None:
        return MISSING
    text = f"{abs(value):,.{digits}f}"
    if not text.strip("0.,"):
        return text
    return ("+" if value > 0 else MINUS) + text


def fmt_count(value) -> str:
    value = _value(value)
    return MISSING if value is None else f"{int(round(value)):,}"


def fmt_share(share, digits: int = 1) -> str:
    """A fraction in [0, 1] as a percentage: 0.182 → '18.2%'."""
    share = _value(share)
    return MISSING if share is None else f"{100 * share:.{digits}f}%"


def fmt_month(month: str | None, language: str) -> str:
    """'2026-10' → 'Oct 2026' / '2026年10月'."""
    if not month:
        return MISSING
    year, number = int(month[:4]), int(month[5:7])
    return translate("fmt.month", language, year=year,
                     month_name=translate(f"month.{number}", language))


def fmt_date(day, language: str) -> str:
    return translate("fmt.date", language, year=day.year, day=day.day,
                     month_name=translate(f"month.{day.month}", language))


def fmt_period(filters: Filters | None, language: str) -> str:
    """A period as a manager says it: 'Oct 2026', 'Aug – Oct 2026', '3 – 9 Oct 2026', '15 Sep – 14 Oct
    2026', 'Nov 2025 – Oct 2026'. The year is said once when both ends share it: the label sits in a
    metric tile's delta, whose width the Chinese form used to overrun ('较2026年3月至2026年…')."""
    if filters is None or filters.date_from is None or filters.date_to is None:
        return translate("fmt.all_dates", language)
    start, end = filters.date_from, filters.date_to
    start_month, end_month = (translate(f"month.{day.month}", language) for day in (start, end))
    if _is_whole_months(start, end):
        if (start.year, start.month) == (end.year, end.month):
            return fmt_month(month_of(start), language)
        if start.year == end.year:
            return translate("fmt.in_year", language, year=start.year, start=start_month, end=end_month)
        return translate("fmt.range", language, start=fmt_month(month_of(start), language),
                         end=fmt_month(month_of(end), language))
    if start == end:
        return fmt_date(start, language)
    if start.year == end.year:
        if start.month == end.month:
            return translate("fmt.days_in_month", language, year=start.year, month_name=start_month,
                             start=start.day, end=end.day)
        return translate("fmt.in_year", language, year=start.year,
                         start=translate("fmt.day_month", language, day=start.day, month_name=start_month),
                         end=translate("fmt.day_month", language, day=end.day, month_name=end_month))
    return translate("fmt.range", language, start=fmt_date(start, language), end=fmt_date(end, language))


def fmt_term(kind: str, value, language: str) -> str:
    """The dashboard's own term translated ('dim', 'reliability' → '可靠性'); a free value as it is."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return translate("fmt.unknown", language)
    key = f"{kind}.{str(value).strip().lower()}"
    return translate(key, language) if has_text(key) else str(value)


def fmt_hours(value, language: str, digits: int = 1) -> str:
    value = _value(value)
    return MISSING if value is None else translate("fmt.hours", language, hours=fmt_number(value, digits))


def fmt_n(n, language: str) -> str:
    """'n = 1,234' (the same in both languages: analysts read it as a symbol)."""
    return translate("fmt.n", language, n=fmt_count(n))


def char_columns(ch: str) -> int:
    """The columns a character takes on screen: two for a Chinese (wide or full-width) one."""
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def clipped(text, columns: int) -> str:
    """`text` cut to about `columns` columns (a Chinese character counts two), an ellipsis marking the cut."""
    text = str(text)
    if sum(char_columns(c) for c in text) <= columns:
        return text
    kept, used = "", 0
    for ch in text:
        used += char_columns(ch)
        if used > columns - 1:
            break
        kept += ch
    return kept.rstrip(" ,;:-–(") + "…"
