"""The shared filters: the SQL they make per table, periods, and what the sidebar offers."""
from __future__ import annotations

from datetime import date, datetime

import dbrows
import pytest

from analytics.filters import (
    FilterError, Filters, data_range, filter_options, month_filters, previous_period, resolve_period,
    same_period_last_year, where_sql
)


def test_no_filter_is_true():
    assert where_sql(Filters(), "survey_response") == ("TRUE", {})


def test_each_table_uses_its_own_date_column():
    filters = Filters(date_from=date(2026, 3, 1), date_to=date(2026, 3, 31))
    survey, params = where_sql(filters, "survey_response")
    complaint, _ = where_sql(filters, "complaint", alias="c")
    assert survey == '"responded_at" >= $f_date_from AND "responded_at" < $f_date_to_next_day'
    assert complaint == '"c"."received_at" >= $f_date_from AND "c"."received_at" < $f_date_to_next_day'
    # date_to is inclusive: the bound is the start of the next day
    assert params == {"f_date_from": datetime(2026, 3, 1), "f_date_to_next_day": datetime(2026, 4, 1)}


def test_values_are_parameters_never_sql():
    filters = Filters(branches=("North", "O'Brien\"; DROP TABLE complaint; --"), touchpoints=("app",))
    sql, params = where_sql(filters, "nps_response", prefix="now")
    assert sql == '"branch" IN ($now_branches_0, $now_branches_1) AND "touchpoint" IN ($now_touchpoints_0)'
    assert params["now_branches_1"] == "O'Brien\"; DROP TABLE complaint; --"


@pytest.mark.parametrize("table, filtered", [
    ("nps_response", True),       # touchpoint applies to NPS only
    ("survey_response", False),
    ("complaint", False),
])
def test_a_filter_on_a_missing_column_is_ignored(table, filtered):
    sql, params = where_sql(Filters(touchpoints=("app",)), table)
    assert (sql != "TRUE") is filtered
    assert bool(params) is filtered


COUNT_COMPLAINTS_SQL = "SELECT count(*) FROM complaint WHERE {where}"


def test_filters_run_in_duckdb(con):
    dbrows.complaints(con, [{"branch": "North", "received_at": datetime(2026, 3, 31, 23, 0)},
                            {"branch": "North", "received_at": datetime(2026, 4, 1, 0, 0)},
                            {"branch": "O'Brien", "received_at": datetime(2026, 3, 2)}])
    sql, params = where_sql(Filters(date_to=date(2026, 3, 31), branches=("North", "O'Brien")), "complaint")
    assert con.execute(COUNT_COMPLAINTS_SQL.format(where=sql), params).fetchone() == (2,)


@pytest.mark.parametrize("period, previous", [
    # a whole month steps back a whole month, whatever its length
    ((date(2026, 3, 1), date(2026, 3, 31)), (date(2026, 2, 1), date(2026, 2, 28))),
    # a quarter: the previous quarter
    ((date(2026, 4, 1), date(2026, 6, 30)), (date(2026, 1, 1), date(2026, 3, 31))),
    # across a year
    ((date(2026, 1, 1), date(2026, 1, 31)), (date(2025, 12, 1), date(2025, 12, 31))),
    # 10 days (10–19 March) → the 10 days before: 28 Feb – 9 March
    ((date(2026, 3, 10), date(2026, 3, 19)), (date(2026, 2, 28), date(2026, 3, 9))),
    # one day → the day before
    ((date(2026, 3, 1), date(2026, 3, 1)), (date(2026, 2, 28), date(2026, 2, 28))),
])
def test_previous_period(period, previous):
    filters = Filters(date_from=period[0], date_to=period[1], branches=("North",))
    result = previous_period(filters)
    assert (result.date_from, result.date_to) == previous
    assert result.branches == ("North",)


@pytest.mark.parametrize("period, last_year", [
    ((date(2024, 2, 1), date(2024, 2, 29)), (date(2023, 2, 1), date(2023, 2, 28))),
    ((date(2024, 2, 10), date(2024, 2, 29)), (date(2023, 2, 10), date(2023, 2, 28))),
    ((date(2026, 3, 1), date(2026, 3, 31)), (date(2025, 3, 1), date(2025, 3, 31))),
])
def test_same_period_last_year(period, last_year):
    result = same_period_last_year(Filters(date_from=period[0], date_to=period[1]))
    assert (result.date_from, result.date_to) == last_year


def test_open_periods_have_no_previous():
    assert previous_period(Filters(date_from=date(2026, 3, 1))) is None
    assert same_period_last_year(Filters()) is None


@pytest.mark.parametrize("month, first, last", [
    ("2026-02", date(2026, 2, 1), date(2026, 2, 28)),
    ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
    ("2026-12", date(2026, 12, 1), date(2026, 12, 31)),
])
def test_month_filters(month, first, last):
    result = month_filters(Filters(regions=("East",)), month)
    assert (result.date_from, result.date_to, result.regions) == (first, last, ("East",))


@pytest.mark.parametrize("month", ["2026-13", "March", "2026-3", ""])
def test_month_filters_refuse_bad_months(month):
    with pytest.raises(FilterError, match="YYYY-MM"):
        month_filters(Filters(), month)


def test_filter_options_and_data_range(con):
    assert data_range(con) == (None, None)
    dbrows.nps(con, [9], branch="North", region="East", touchpoint="app",
               responded_at=datetime(2026, 1, 3, 8))
    dbrows.respondent(con, [], branch="South", channel="phone", segment="retail",
                      responded_at=datetime(2026, 2, 1))
    dbrows.complaints(con, [{"branch": "West", "product": "loan", "received_at": datetime(2026, 3, 4, 22)}])
    options = filter_options(con)
    assert options.branches == ("North", "South", "West")
    assert options.regions == ("East",)
    assert options.channels == ("phone",)
    assert options.segments == ("retail",)
    assert options.products == ("loan",)
    assert options.touchpoints == ("app",)
    assert (options.date_min, options.date_max) == (date(2026, 1, 3), date(2026, 3, 4))
    resolved = resolve_period(con, Filters(date_to=date(2026, 2, 28)))
    assert (resolved.date_from, resolved.date_to) == (date(2026, 1, 3), date(2026, 2, 28))


def test_unknown_table_is_refused():
    with pytest.raises(FilterError):
        where_sql(Filters(), "import_batch")


def test_filters_accept_lists_and_single_values():
    filters = Filters(date_from=datetime(2026, 3, 1, 12), branches=["North", "South"], regions="East",
                      channels=None)
    assert filters.branches == ("North", "South")
    assert filters.regions == ("East",)
    assert filters.channels == ()
    assert filters.date_from == date(2026, 3, 1)
    assert hash(filters) == hash(Filters(date_from=date(2026, 3, 1), branches=("North", "South"),
                                         regions=("East",)))


# -- the periods the dashboard's sidebar offers (views) ------------------------------------------

from analytics.filters import (  # noqa: E402
    company_wide, latest_full_month, months_between, one_branch, period_days, trend_window
)


@pytest.mark.parametrize("last_day, today, expected", [
    (date(2026, 10, 31), date(2026, 10, 31), "2026-10"),  # the data reaches the month's last day
    (date(2026, 10, 30), date(2026, 11, 23), "2026-10"),  # the month is over: its data is what there is
    (date(2026, 11, 20), date(2026, 11, 23), "2026-10"),  # November is still running
    (date(2026, 3, 5), date(2026, 3, 5), "2026-02"),
    (date(2026, 1, 15), date(2026, 1, 20), "2025-12"),  # across a year
    (None, date(2026, 1, 1), None),
])
def test_latest_full_month(last_day, today, expected):
    assert latest_full_month(last_day, today) == expected


def test_months_between_newest_first():
    assert months_between(date(2025, 11, 15), date(2026, 2, 3)) == ["2026-02", "2026-01", "2025-12", "2025-11"]
    assert months_between(date(2026, 2, 1), date(2026, 2, 28)) == ["2026-02"]
    assert months_between(None, None) == []


@pytest.mark.parametrize("start, end, expected", [
    (date(2026, 10, 1), date(2026, 10, 31), date(2025, 11, 1)),  # 12 months ending with October
    (date(2026, 10, 10), date(2026, 10, 20), date(2025, 11, 1)),
    (date(2024, 1, 1), date(2026, 10, 31), date(2024, 1, 1)),  # a longer period keeps its start
])
def test_trend_window(start, end, expected):
    window = trend_window(Filters(date_from=start, date_to=end, branches=("North",)))
    assert (window.date_from, window.date_to, window.branches) == (expected, end, ("North",))


def test_period_days_and_the_comparison_selections():
    october = Filters(date_from=date(2026, 10, 1), date_to=date(2026, 10, 31), regions=("South",),
                      branches=("Guangzhou Tianhe",), channels=("Phone",))
    assert period_days(october) == 31
    assert period_days(Filters()) is None
    assert company_wide(october) == Filters(date_from=date(2026, 10, 1), date_to=date(2026, 10, 31),
                                            channels=("Phone",))
    assert one_branch(october, "Xiamen Siming").branches == ("Xiamen Siming",)
    assert one_branch(october, "Xiamen Siming").regions == ()
