"""Dates as exports write them: ISO, year-first with slashes or 年月日, US survey tools' month-first
with AM/PM, Google Forms' time zone suffix, and day-first or month-first when the column says which.

03/04/2026 alone is ambiguous (03.04.2026, written with dots, is day first). A column decides it when one of its dates has a first part above 12
(day first) or a second part above 12 (month first); a platform known to write month-first dates
(SurveyMonkey, Microsoft Forms) decides it too; otherwise the analyst does (--date-order).
"""
from __future__ import annotations

import re

YEAR_FIRST = [
    "%Y/%m/%d", "%Y/%m/%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %I:%M:%S %p", "%Y/%m/%d %I:%M %p",
    "%Y.%m.%d", "%Y.%m.%d %H:%M", "%Y.%m.%d %H:%M:%S", "%Y年%m月%d日", "%Y年%m月%d日 %H:%M",
    "%Y年%m月%d日 %H:%M:%S", "%Y年%m月%d日 %H时%M分", "%Y%m%d", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %I:%M:%S %p", "%Y-%m-%d %I:%M %p",
    # a Chinese Windows' time of day before the time (2026/10/5 下午 3:05:00), 上午/下午 read as AM/PM
    "%Y/%m/%d %p %I:%M:%S", "%Y/%m/%d %p %I:%M", "%Y/%m/%d %p%I:%M:%S", "%Y/%m/%d %p%I:%M",
    "%Y-%m-%d %p %I:%M:%S", "%Y-%m-%d %p %I:%M",
]
MONTH_FIRST = [
    "%m/%d/%Y", "%m/%d/%Y %H:%M", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %I:%M %p",
    "%m/%d/%y", "%m/%d/%y %H:%M", "%m/%d/%y %H:%M:%S", "%m/%d/%y %I:%M:%S %p", "%m/%d/%y %I:%M %p", "%m-%d-%Y",
    "%m-%d-%y", "%m-%d-%y %H:%M", "%m-%d-%y %H:%M:%S", "%m-%d-%y %I:%M:%S %p", "%m-%d-%y %I:%M %p",
]
DAY_FIRST = [
    "%d/%m/%Y", "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%y", "%d/%m/%y %H:%M", "%d-%m-%Y",
    "%d-%m-%Y %H:%M", "%d-%m-%Y %H:%M:%S", "%d.%m.%Y", "%d.%m.%Y %H:%M", "%d.%m.%Y %H:%M:%S", "%d.%m.%y",
    "%d.%m.%y %H:%M",
    # Comcast's complaints export writes 22-04-15: %d-%m-%Y took 15 for the year 15
    "%d-%m-%y", "%d-%m-%y %H:%M", "%d-%m-%y %H:%M:%S",
]
# Month names are never ambiguous, so they are always tried: Excel's "5-Oct-26" (d-mmm-yy), a CRM's
# "05-Oct-2026 14:30", English reports' "5 October 2026", US "Oct 5, 2026 2:30 PM" and Jira's
# "05/Oct/26 2:30 PM".
MONTH_NAMED = [
    "%d-%b-%y", "%d-%b-%Y", "%d-%b-%y %H:%M", "%d-%b-%Y %H:%M", "%d-%b-%Y %H:%M:%S", "%d %b %Y", "%d %B %Y",
    "%d %b %Y %H:%M", "%d %B %Y %H:%M", "%b %d, %Y", "%B %d, %Y", "%b %d, %Y %I:%M %p", "%B %d, %Y %I:%M %p",
    "%b %d, %Y %H:%M",
    "%d/%b/%y", "%d/%b/%Y", "%d/%b/%y %I:%M %p", "%d/%b/%Y %I:%M %p", "%d/%b/%y %H:%M", "%d/%b/%Y %H:%M",
]
DATE_ORDERS = ("dmy", "mdy")
# Google Forms ends its timestamps with the form's time zone ("... AM GMT+8"): the local time is kept.
# A ticket system writes the offset after the time ("2026-10-03 10:00:00 +0800"): kept local too.
ZONE_SUFFIX = r"\s+((GMT|UTC)([+-]\d{1,2}(:?\d\d)?)?|[+-]\d\d:?\d\d)$"
# English writes the day as an ordinal (British Airways' reviews: "19th November 2023"; "Nov 1st, 2023"),
# which no strptime form reads: the suffix is dropped after a day number before the forms are tried
ORDINAL_SUFFIX = r"\b(\d{1,2})(st|nd|rd|th)\b"
# Microsoft Forms in some locales writes the time's AM or PM against it (6/6/2025 6:04:48AM): the
# formats' %p follows a space, which is put back
GLUED_MERIDIEM = r"(\d)([AaPp][Mm])$"
_NUMERIC_DATE = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2,4})\b")


def date_formats(order: str | None) -> list[str]:
    """The formats tried after ISO 8601, for a column whose day/month order is `order`."""
    formats = YEAR_FIRST + MONTH_NAMED + (MONTH_FIRST if order == "mdy" else DAY_FIRST if order == "dmy" else [])
    # a two-digit year first: %Y takes "26" for the year 26, where %y stops short of "2026"
    return [f for f in formats if "%y" in f] + [f for f in formats if "%y" not in f]


# A date kept as Excel's serial number (days since 1899-12-30, the time as the fraction), as a cell
# formatted "General" exports it: 30000–79999 is 1982–2118, and nothing else a date column holds
# has five digits. A year out of the plausible range is still refused by validation.
EXCEL_SERIAL = r"[3-7]\d{4}(\.\d+)?"
EXCEL_EPOCH = "1899-12-30"


def date_sql(cell: str, formats: str = "$date_formats", first: str | None = None) -> str:
    """SQL reading the text expression `cell` as a TIMESTAMP (NULL when it is not a date or is blank).

    ISO 8601 is read from the cell as it is (DuckDB's cast skips the spaces around it); a cell it
    leaves NULL has its surrounding spaces (Unicode's too) trimmed and tries the forms in turn, Excel's
    serial number last. The trimmed cell is a lambda's one argument: written out in each form, DuckDB
    would trim every cell of the column, not only those the cast left (issue 24's csv floor).

    `first` (SQL of one format, column_first_format's) is tried on the trimmed cell before the rest:
    a column's dates are written one way, and the list tried in turn costs a failed parse for every
    form before the column's own (a day-first column of a million dates went through some forty
    each). It gives the list's own answer: no two forms read one cell as different dates, except a
    four-digit-year form reading a two-digit year as the year 26, which the list's two-digit forms
    read first; so its answer counts only with a year of four digits, and the list decides the rest."""
    # DuckDB's own cast reads 10/1/26 as the year 10 (January 26th): a year before 1000 is left to the
    # formats, which read it as 2026-10-01
    def iso(text: str) -> str:
        return f"CASE WHEN year(TRY_CAST({text} AS TIMESTAMP)) >= 1000 THEN TRY_CAST({text} AS TIMESTAMP) END"

    text = "NULLIF(t, '')"
    forms = (f"COALESCE({iso(text)},"
             f" try_strptime(replace(replace(regexp_replace(regexp_replace(regexp_replace({text}, '{ZONE_SUFFIX}', ''),"
             f" '{ORDINAL_SUFFIX}', '\\1', 'i'), '{GLUED_MERIDIEM}', '\\1 \\2'), '上午', 'AM'), '下午', 'PM'),"
             f" {formats}),"
             f" CASE WHEN regexp_full_match({text}, '\\s*{EXCEL_SERIAL}\\s*') THEN TIMESTAMP '{EXCEL_EPOCH}'"
             f" + to_microseconds(CAST(round(TRY_CAST({text} AS DOUBLE) * 86400000000) AS BIGINT)) END)")
    whole = f"COALESCE({iso(cell)}, list_transform([trim({cell})], lambda t: {forms})[1])"
    if first is None:
        return whole
    # before the ISO casts too: a cast that fails costs more than the column's own form that reads.
    # The rest sits in a lambda: DuckDB computes an expression written twice (the ISO cast's) once for
    # every row before COALESCE or CASE picks the rows that need it, but never a lambda's body.
    own = f"try_strptime(trim({cell}), {first})"
    return f"CASE WHEN year({own}) >= 1000 THEN {own} ELSE list_transform([{cell}], lambda x: {date_sql('x')})[1] END"


# the cells a column's own form is judged on (column_first_format): enough to find the form most of
# a column is written in, few enough to cost nothing beside the column
FORM_SAMPLE = 2_000
# and the rows they are looked for in: a column of ISO dates has none, and is not read to its end
FORM_ROWS = 50_000


def column_first_format(con, column_sql: str, table: str, formats: list[str]) -> str | None:
    """The form of `formats` (in their order, the first that reads a cell, as date_sql's list) that
    reads most of the first FORM_SAMPLE cells of `column_sql` in `table`, among its first FORM_ROWS,
    that are neither blank nor ISO 8601; None when no such cell is read by any. Only speed depends
    on it (date_sql)."""
    # a format must be a constant to DuckDB's strptime: one parameter each, tried in turn per cell
    first_read = " ".join(f"WHEN try_strptime(t, $f{k}) IS NOT NULL THEN {k}" for k in range(len(formats)))
    row = con.execute(f"""
        SELECT CASE {first_read} END AS k
        FROM (SELECT trim(c) AS t FROM (SELECT {column_sql} AS c FROM {table} LIMIT {FORM_ROWS})
              WHERE nullif(trim(c), '') IS NOT NULL AND NOT coalesce(year(TRY_CAST(c AS TIMESTAMP)) >= 1000, false)
              LIMIT {FORM_SAMPLE})
        GROUP BY k HAVING k IS NOT NULL ORDER BY count(*) DESC, k LIMIT 1""",
                      {f"f{k}": form for k, form in enumerate(formats)}).fetchone()
    return None if row is None else formats[row[0]]


def day_month_order(values) -> str | None:
    """'dmy' or 'mdy' when the values show it; 'ambiguous' when numeric dates never do; None when
    there are no such dates (or they contradict each other, which a reader cannot settle)."""
    day_first = month_first = seen = False
    dotted = True
    for value in values:
        if value is None:
            continue
        m = _NUMERIC_DATE.match(str(value))
        if not m:
            continue
        seen = True
        first, second = int(m.group(1)), int(m.group(2))
        day_first |= first > 12
        month_first |= second > 12
        dotted &= m.group(0).count(".") == 2
    if day_first and month_first:
        return None
    # 01.10.2026 is day first wherever dates are written with dots (Germany, Russia, Scandinavia);
    # no month-first convention writes them so
    if day_first or (seen and dotted and not month_first):
        return "dmy"
    if month_first:
        return "mdy"
    return "ambiguous" if seen else None
