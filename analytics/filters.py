"""The filters every view shares, and the parameterised SQL that applies them to each table.

Each table has its own date column (survey_response.responded_at, nps_response.responded_at,
complaint.received_at); touchpoint exists only on nps_response. A filter on a column a table lacks
is ignored for that table, so one Filters value can be applied to every metric.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from store.db import quote_identifier
from store.errors import FeedbackError
from store.query import fetch_all, fetch_one
from store.sums import TABLES, TALLIES
from text.tiers import TIERS


class FilterError(FeedbackError):
    """A filter or metric parameter the analytics cannot use (a bad month, an unknown column)."""


@dataclass(frozen=True)
class Filters:
    """What the analyst selected; empty tuples mean "all", dates are inclusive."""

    date_from: date | None = None
    date_to: date | None = None
    regions: tuple[str, ...] = ()
    branches: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    segments: tuple[str, ...] = ()
    products: tuple[str, ...] = ()
    touchpoints: tuple[str, ...] = ()
    tiers: tuple[str, ...] = ()            # key | core | general (text/tiers.py TIERS)

    def __post_init__(self) -> None:
        # A page may hand over a multiselect's list, or one string; keep the value hashable.
        for name in LIST_FIELDS:
            value = getattr(self, name)
            if value is None:
                value = ()
            elif isinstance(value, str):
                value = (value,)
            object.__setattr__(self, name, tuple(str(v) for v in value))
        for name in ("date_from", "date_to"):
            value = getattr(self, name)
            if isinstance(value, datetime):
                object.__setattr__(self, name, value.date())


# The filters that take a list of values, in the order the sidebar shows them.
LIST_FIELDS = ("regions", "branches", "channels", "segments", "products", "touchpoints", "tiers")

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min)


def where_sql(filters: Filters, table: str, alias: str | None = None, *,
              prefix: str = "f") -> tuple[str, dict]:
    """A WHERE fragment (without the word WHERE) and its named parameters.

    `alias` qualifies the columns (for joins); `prefix` keeps the parameter names of two filters
    apart when one query applies both. The fragment is "TRUE" when nothing is filtered.
    """
    if table not in TABLES:
        raise FilterError(f"no filters are defined for table {table!r}")
    spec = TABLES[table]
    qualify = (quote_identifier(alias) + ".") if alias else ""
    clauses: list[str] = []
    params: dict = {}
    date_column = qualify + quote_identifier(spec.date)
    if filters.date_from is not None:
        name = f"{prefix}_date_from"
        clauses.append(f"{date_column} >= ${name}")
        params[name] = _start_of(filters.date_from)
    if filters.date_to is not None:
        # date_to is inclusive: everything before the start of the next day.
        name = f"{prefix}_date_to_next_day"
        clauses.append(f"{date_column} < ${name}")
        params[name] = _start_of(filters.date_to + timedelta(days=1))
    for filter_name, column in spec.columns.items():
        values = getattr(filters, filter_name)
        if not values:
            continue
        names = [f"{prefix}_{filter_name}_{i}" for i in range(len(values))]
        params.update({n: str(v) for n, v in zip(names, values)})
        placeholders = ", ".join("$" + n for n in names)
        clauses.append(f"{qualify}{quote_identifier(column)} IN ({placeholders})")
    return (" AND ".join(clauses) if clauses else "TRUE"), params


def whole_months(filters: Filters) -> bool:
    """Whether the selection's dates start and end on month boundaries (or are open)."""
    starts = filters.date_from is None or filters.date_from.day == 1
    return starts and (filters.date_to is None or filters.date_to == _month_end(filters.date_to))


def tallied(table: str, measures: dict[str, str], *selections: Filters) -> str:
    """A FROM relation with `table`'s date and filter columns and one column per measure: its
    tally when every selection is whole months, else the rows with each measure's per-row value.
    Either way a metric sums the measures."""
    if all(whole_months(s) for s in selections):
        return TALLIES[table]
    spec = TABLES[table]
    columns = [spec.date, *spec.columns.values(), *(f"{expression} AS {name}" for name, expression in measures.items())]
    return f"(SELECT {', '.join(columns)} FROM {table})"


def per_selection(relation: str, table: str, selections) -> tuple[str, dict]:
    """`relation` (`table`'s rows, or the relation tallied() gives for them) with a column
    `selection`: each row once for every selection it is in (the selection's index), rows in none
    left out; and the parameters. A metric grouped by `selection` answers several selections (a
    review's three periods) from one scan, where on a lake every scan pays its catalog round trips
    whatever it reads. Overlapping selections each count a shared row."""
    conditions, anywhere, params = [], [], {}
    for index, chosen in enumerate(selections):
        where, chosen_params = where_sql(chosen, table, prefix=f"s{index}")
        conditions.append(f"(selection = {int(index)} AND {where})")
        anywhere.append(f"({where})")
        params.update(chosen_params)
    sql = (f"(SELECT r.*, s.selection FROM {relation} AS r "
           f"JOIN range({len(conditions)}) AS s(selection) ON {' OR '.join(conditions)} "
           f"WHERE {' OR '.join(anywhere)})")
    return sql, params


def is_filtered(filters: Filters, table: str) -> bool:
    """Whether any filter applies to `table` (lets a metric skip a join when none does)."""
    return where_sql(filters, table)[0] != "TRUE"


# -- periods ---------------------------------------------------------------------------------

def _is_whole_months(start: date, end: date) -> bool:
    return start.day == 1 and end.day == calendar.monthrange(end.year, end.month)[1]


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def _month_end(day: date) -> date:
    return date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])


def previous_period(filters: Filters) -> Filters | None:
    """The period of the same length immediately before; None when the period is open-ended.

    A period of whole calendar months (1 March – 31 March) steps back by whole months
    (1 February – 28 February), since that is what "the previous month" means to a manager;
    any other period steps back by its number of days.
    """
    start, end = filters.date_from, filters.date_to
    if start is None or end is None:
        return None
    if _is_whole_months(start, end):
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        new_start = add_months(start, -months)
        new_end = _month_end(add_months(start, -1))
        return replace(filters, date_from=new_start, date_to=new_end)
    days = (end - start).days + 1
    new_end = start - timedelta(days=1)
    return replace(filters, date_from=new_end - timedelta(days=days - 1), date_to=new_end)


def same_period_last_year(filters: Filters) -> Filters | None:
    """The same dates one year earlier (29 February becomes 28 February); None when open-ended."""
    start, end = filters.date_from, filters.date_to
    if start is None or end is None:
        return None
    if _is_whole_months(start, end):
        return replace(filters, date_from=add_months(start, -12),
                       date_to=_month_end(add_months(end, -12)))
    return replace(filters, date_from=add_months(start, -12), date_to=add_months(end, -12))


def month_filters(filters: Filters, month: str) -> Filters:
    """The same filters restricted to one calendar month given as 'YYYY-MM'."""
    match = _MONTH.match(str(month))
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise FilterError(f"month {month!r} is not of the form YYYY-MM (for example 2026-03)")
    start = date(int(match.group(1)), int(match.group(2)), 1)
    return replace(filters, date_from=start, date_to=_month_end(start))


def period_days(filters: Filters) -> int | None:
    """Days in the period, both ends included; None when it is open-ended."""
    if filters.date_from is None or filters.date_to is None:
        return None
    return (filters.date_to - filters.date_from).days + 1


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def latest_full_month(last_day: date | None, today: date) -> str | None:
    """The month a manager means by "this month's numbers": the newest month that is complete.

    The month of the data's last day counts when that day is the month's last, or when the month
    is over (the data is what there is); otherwise it is still running and the month before is
    taken. None without data.
    """
    if last_day is None:
        return None
    end = _month_end(last_day)
    if last_day == end or today > end:
        return month_of(last_day)
    return month_of(add_months(last_day.replace(day=1), -1))


def months_between(first_day: date | None, last_day: date | None) -> list[str]:
    """Every 'YYYY-MM' from the month of first_day to that of last_day, newest first."""
    if first_day is None or last_day is None or first_day > last_day:
        return []
    months, day = [], first_day.replace(day=1)
    while day <= last_day:
        months.append(month_of(day))
        day = add_months(day, 1)
    return months[::-1]


def trend_window(filters: Filters, months: int = 12) -> Filters:
    """The same selection over the `months` calendar months ending with the period's last month.

    A period longer than that keeps its own start. One trend query per page covers this window.
    """
    if filters.date_from is None or filters.date_to is None:
        return filters
    start = add_months(filters.date_to.replace(day=1), -(months - 1))
    return replace(filters, date_from=min(start, filters.date_from))


def company_wide(filters: Filters) -> Filters:
    """The company average for the same period: every region and branch, other filters kept."""
    return replace(filters, regions=(), branches=())


def one_branch(filters: Filters, branch: str) -> Filters:
    """One branch in the same period (its region filter dropped so the branch is not excluded)."""
    return replace(filters, regions=(), branches=(branch,))


# -- what the sidebar can offer ------------------------------------------------------------------

@dataclass(frozen=True)
class FilterOptions:
    """Distinct values available for each filter, and the dates the data covers."""

    regions: tuple[str, ...]
    branches: tuple[str, ...]
    channels: tuple[str, ...]
    segments: tuple[str, ...]
    products: tuple[str, ...]
    touchpoints: tuple[str, ...]
    tiers: tuple[str, ...]
    date_min: date | None
    date_max: date | None


def _choices_sql() -> str:
    """Every (filter, value) present, from the tallies: they hold every distinct combination of their
    table's filter columns, a few thousand rows where the table has millions, and one statement
    scans each once (on a lake every scan pays its catalog round trips)."""
    parts = []
    for table, spec in TABLES.items():
        columns = ", ".join(f"{quote_identifier(column)} AS {quote_identifier(name)}"
                            for name, column in spec.columns.items() if name in LIST_FIELDS)
        names = ", ".join(quote_identifier(name) for name in spec.columns if name in LIST_FIELDS)
        parts.append(f"(UNPIVOT (SELECT DISTINCT {columns} FROM {quote_identifier(TALLIES[table])})"
                     f" ON {names} INTO NAME field VALUE value)")
    return ("SELECT DISTINCT field, CAST(value AS VARCHAR) FROM ("
            + " UNION ALL ".join(f"SELECT * FROM {part}" for part in parts) + ") ORDER BY 1, 2")


DATA_RANGE_SQL = """
SELECT min(first_at), max(last_at) FROM (
    SELECT min(responded_at) AS first_at, max(responded_at) AS last_at FROM survey_response
    UNION ALL
    SELECT min(responded_at), max(responded_at) FROM nps_response
    UNION ALL
    SELECT min(received_at), max(received_at) FROM complaint
)
"""


def data_range(con) -> tuple[date | None, date | None]:
    """First and last day with any survey response, NPS response or complaint."""
    first, last = fetch_one(con, DATA_RANGE_SQL, what="the data's date range")
    return (first.date() if first is not None else None, last.date() if last is not None else None)


def covered(period: Filters | None, data_from: date | None) -> bool:
    """Whether a period reaches into the data (ends on or after its first day): a period wholly before
    it has no figures, not figures of zero. Unknown (no data_from) counts as covered."""
    if period is None:
        return False
    return data_from is None or period.date_to is None or period.date_to >= data_from


def filter_options(con) -> FilterOptions:
    """The values the sidebar offers: every region, branch, ... present in any table."""
    found: dict[str, list[str]] = {name: [] for name in LIST_FIELDS}
    for field, value in fetch_all(con, _choices_sql(), what="the values to filter on"):
        found[field].append(value)
    values = {name: tuple(found[name]) for name in LIST_FIELDS}
    # the tiers in their own order, most valuable first
    values["tiers"] = tuple(tier for tier in TIERS if tier in values["tiers"])
    date_min, date_max = data_range(con)
    return FilterOptions(**values, date_min=date_min, date_max=date_max)


def resolve_period(con, filters: Filters) -> Filters:
    """Fill an open start or end with the data's first or last day, so periods can be compared."""
    if filters.date_from is not None and filters.date_to is not None:
        return filters
    first, last = data_range(con)
    return replace(filters,
                   date_from=filters.date_from if filters.date_from is not None else first,
                   date_to=filters.date_to if filters.date_to is not None else last)
