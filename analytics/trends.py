"""Sustained rises and falls a manager should know about, found rather than looked for.

Month on month a branch of twenty responses never changes "significantly", yet a branch whose NPS
slides for six months is the month's story. For each metric (NPS, CSI, complaints) and each scope
(the whole selection, each region, each branch) this module tests

- **the trend** over the last TREND_MONTHS months that have data: Mann–Kendall's test of the
  monthly values against time, with Sen's slope per month and its 95% interval
  (stats.mann_kendall); and
- **year on year**: the period's last month against the same month a year earlier, by the metric's
  own test (NPS: the adjusted-Wald difference; complaints: the exact conditional test of counts).

The rows carry their p-values; a page adjusts them with its other tests as one family
(changes.adjust_family, Benjamini–Hochberg) and shows the ones that pass, bad news first
(DESIGN.md, "Trends").
"""
from __future__ import annotations

import calendar
import math
from dataclasses import replace
from datetime import date

import pandas as pd

from analytics.csi import csi_by, csi_weights
from analytics.filters import Filters, add_months, tallied, where_sql
from analytics.memo import shared_results
from analytics.nps import NpsResult
from analytics.stats import count_rate_test, mann_kendall, nps_difference_test
from store.query import count, fetch_all
from store.sums import COMPLAINT_MEASURES, NPS_MEASURES, month_key_sql, month_label

TREND_MONTHS = 12
TREND_MIN_MONTHS = 6  # fewer monthly values say little about a "sustained" change
METRICS = ("nps", "csi", "complaints")
# how far a metric can move, so that changes of different metrics can be ranked together
SPAN = {"nps": 200.0, "csi": 100.0}

COLUMNS = ["kind", "scope", "subject", "metric", "months", "first_month", "first_value", "last_month",
           "last_value", "delta", "slope", "slope_low", "slope_high", "tau", "p_value", "n", "direction",
           "size"]

NPS_BY_MONTH_SQL = """
SELECT {month} AS month, branch, region, sum(promoters)::BIGINT AS promoters, sum(passives)::BIGINT AS passives,
       sum(detractors)::BIGINT AS detractors
FROM {counted}
WHERE {where}
GROUP BY ALL
"""

COMPLAINTS_BY_MONTH_SQL = """
SELECT {month} AS month, branch, region, sum(complaints)::BIGINT AS n
FROM {counted}
WHERE {where}
GROUP BY ALL
"""


def trend_span(filters: Filters, months: int = TREND_MONTHS) -> Filters | None:
    """The selection over `months` months ending with the period's last month, plus the month a year
    before that last month (for the year-on-year comparison); None without a period end."""
    if filters.date_to is None:
        return None
    start = add_months(filters.date_to.replace(day=1), -max(months, 13) + 1)
    return replace(filters, date_from=start)


def _month_key(day: date) -> int:
    return day.year * 100 + day.month


def find_trends(con, filters: Filters, months: int = TREND_MONTHS) -> pd.DataFrame:
    """Trend and year-on-year rows for every metric and scope of the selection (COLUMNS).

    kind 'trend' or 'year_on_year'; scope 'all', 'region' or 'branch' with the subject's name;
    months: monthly values tested; first/last month and value; delta: the fitted change over the
    series (Sen's slope × (months − 1)) for a trend, now − a year ago for year on year; n: the
    responses (complaints) behind it; direction 'up' or 'down'; size: |delta| on a common scale
    (NPS /200, CSI /100, complaints / the larger count) for ranking. p_value None where no test was
    possible; nothing is adjusted or marked here.
    """
    span = trend_span(filters, months)
    if span is None:
        return pd.DataFrame({c: [] for c in COLUMNS})
    last = _month_key(filters.date_to)
    rows: list[dict] = []
    with shared_results():  # the CSI's weights and its months read the same monthly sums
        found_by_metric = (("nps", _nps_series(con, span)), ("complaints", _complaint_series(con, span)),
                           ("csi", _csi_series(con, span)))
    for metric, found in found_by_metric:
        for scope, subject, series in distinct_series(found):
            rows += series_rows(metric, scope, subject, series, last, months)
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["subject"] = pd.Series([r["subject"] for r in rows], dtype=object)
    return frame


def distinct_series(found: list[tuple[str, str | None, dict]]) -> list[tuple[str, str | None, dict]]:
    """The scopes in order (the whole, regions, branches) without a region or branch whose monthly
    series is the whole selection's: with one branch selected, its region and the branch itself are
    the same rows as the whole, and testing them again would show one change three times and count
    it three times in the page's family of tests. Equal counts (or equal n) month by month mean no
    other rows were there, so nothing is lost. Only the whole is compared with: two branches' small
    counts may match by chance. CSI values from two groupings of the same rows may differ in their
    last bits, so values are compared to 1e-9."""
    whole = next((series for scope, _, series in found if scope == "all"), None)
    return [entry for entry in found
            if entry[0] == "all" or whole is None or not _same_series(entry[2], whole)]


def _same_series(a: dict, b: dict) -> bool:
    if a.keys() != b.keys():
        return False
    return all(len(a[m]) == len(b[m]) and all(
        x == y if isinstance(x, int) and isinstance(y, int) else math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-9)
        for x, y in zip(a[m], b[m])) for m in a)


# -- the monthly series -----------------------------------------------------------------------------

def _scopes(records: list[tuple], add) -> list[tuple[str, str | None, dict]]:
    """Group (month, branch, region, values...) records into the whole, each region and each branch."""
    groups: dict[tuple[str, str | None], dict] = {}
    for month, branch, region, *values in records:
        for scope in (("all", None), ("region", region), ("branch", branch)):
            if scope[0] != "all" and scope[1] is None:
                continue
            series = groups.setdefault(scope, {})
            series[int(month)] = add(series.get(int(month)), values)
    order = {"all": 0, "region": 1, "branch": 2}
    return [(scope, subject, series) for (scope, subject), series in
            sorted(groups.items(), key=lambda g: (order[g[0][0]], str(g[0][1])))]


def _sum(previous, values):
    values = [count(v) for v in values]
    return values if previous is None else [a + b for a, b in zip(previous, values)]


def _nps_series(con, span: Filters):
    where, params = where_sql(span, "nps_response")
    sql = NPS_BY_MONTH_SQL.format(month=month_key_sql("responded_at"), where=where,
                                  counted=tallied("nps_response", NPS_MEASURES, span))
    return _scopes(fetch_all(con, sql, params, what="NPS by month and branch"), _sum)


def _complaint_series(con, span: Filters):
    where, params = where_sql(span, "complaint")
    # the monthly tallies' counts (store/sums.py COMPLAINT_MEASURES): a span of whole months reads
    # them, not thirteen months of complaints
    sql = COMPLAINTS_BY_MONTH_SQL.format(month=month_key_sql("received_at"), where=where,
                                         counted=tallied("complaint", COMPLAINT_MEASURES, span))
    return _scopes(fetch_all(con, sql, params, what="complaints by month and branch"), _sum)


def _csi_series(con, span: Filters):
    """CSI per month for the whole selection, each region and each branch, on the selection's weights."""
    weights = csi_weights(con, span)
    if not weights.by_item:
        return []
    whole = csi_by(con, span, "month", weights=weights)
    if whole.empty:
        return []
    found = [("all", None, {int(m.replace("-", "")): (float(v), int(n))
                            for m, v, n in zip(whole["month"], whole["csi"], whole["n"])})]
    table = csi_by(con, span, "scope_month", weights=weights)
    groups: dict[str, dict[str, dict]] = {"r": {}, "b": {}}
    for key, value, n in zip(table["scope_month"], table["csi"], table["n"]):
        if key is not None:  # 'YYYYMM', then 'r' and the region or 'b' and the branch
            groups[key[6]].setdefault(key[7:], {})[int(key[:6])] = (float(value), int(n))
    for scope, letter in (("region", "r"), ("branch", "b")):
        found += [(scope, name, groups[letter][name]) for name in sorted(groups[letter])]
    return found


# -- values and year-on-year tests ------------------------------------------------------------------

def _nps_value(values) -> tuple[float | None, int]:
    result = NpsResult.from_counts(*values)
    return result.score, result.n


def _count_value(values) -> tuple[float | None, int]:
    return float(values[0]), int(values[0])


def _csi_value(values) -> tuple[float | None, int]:
    return values


def _nps_year_on_year(now, before, last: int, year_ago: int) -> float | None:
    return nps_difference_test(now[0], now[2], sum(now), before[0], before[2], sum(before)).p_value


def _count_year_on_year(now, before, last: int, year_ago: int) -> float | None:
    return count_rate_test(now[0], _days(last), before[0], _days(year_ago)).p_value


def _days(key: int) -> int:
    return calendar.monthrange(key // 100, key % 100)[1]


def _size(metric: str, delta: float, first: float, last: float) -> float:
    if metric in SPAN:
        return abs(delta) / SPAN[metric]
    return abs(delta) / max(abs(first), abs(last), 1.0)


def _shift_key(key: int, months: int) -> int:
    index = (key // 100) * 12 + (key % 100 - 1) + months
    return (index // 12) * 100 + index % 12 + 1


def series_rows(metric: str, scope: str, subject: str | None, series: dict, last: int,
                months: int = TREND_MONTHS) -> list[dict]:
    """The trend row and the year-on-year row (COLUMNS) of one monthly series ending with month `last`
    (YYYYMM). series: {YYYYMM: values} where values are (promoters, passives, detractors) for NPS,
    (count,) for complaints and (csi, n) for CSI."""
    value_of, year_on_year = VALUES[metric]
    keep = {_shift_key(last, -i) for i in range(months)}
    year_ago = _shift_key(last, -12)
    rows = []
    used = sorted(m for m in series if m in keep)
    values = [(m, *value_of(series[m])) for m in used]
    values = [(m, v, n) for m, v, n in values if v is not None and n > 0]
    if len(values) >= TREND_MIN_MONTHS:
        test = mann_kendall([v for _, v, _ in values])
        if test.p_value is not None:
            delta = test.slope * (len(values) - 1)
            first, final = values[0], values[-1]
            rows.append(dict(kind="trend", scope=scope, subject=subject, metric=metric, months=len(values),
                             first_month=month_label(first[0]), first_value=first[1],
                             last_month=month_label(final[0]), last_value=final[1], delta=delta,
                             slope=test.slope, slope_low=test.slope_low, slope_high=test.slope_high, tau=test.tau,
                             p_value=test.p_value, n=sum(n for _, _, n in values),
                             direction="up" if test.tau > 0 else "down",
                             size=_size(metric, delta, first[1], final[1])))
    if year_on_year is not None and last in series and year_ago in series:
        (now, n_now), (before, n_before) = value_of(series[last]), value_of(series[year_ago])
        if now is not None and before is not None and n_now and n_before:
            p = year_on_year(series[last], series[year_ago], last, year_ago)
            delta = now - before
            if p is not None and delta != 0:
                rows.append(dict(kind="year_on_year", scope=scope, subject=subject, metric=metric, months=2,
                                 first_month=month_label(year_ago), first_value=before, last_month=month_label(last),
                                 last_value=now, delta=delta, slope=None, slope_low=None, slope_high=None, tau=None,
                                 p_value=p, n=n_now + n_before if metric == "complaints" else min(n_now, n_before),
                                 direction="up" if delta > 0 else "down",
                                 size=_size(metric, delta, before, now)))
    return rows


VALUES = {"nps": (_nps_value, _nps_year_on_year), "complaints": (_count_value, _count_year_on_year),
          "csi": (_csi_value, None)}

__all__ = ["TREND_MONTHS", "TREND_MIN_MONTHS", "distinct_series", "find_trends", "trend_span", "series_rows"]
