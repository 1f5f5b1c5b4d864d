"""Check every cell against the spreadsheet contract, in SQL, and keep the typed values.

`stage()` turns a SourceTable and its mapping into temporary relations on the given
connection: `staged_rows` (one typed row per spreadsheet row, a view of the table `staged_typed`)
and `staged_problems` (one row per bad cell: row, column, value, the problem's and the fix's codes
and their values). Set-based, so a million rows cost seconds. A problem is data, not words: presentation/problems.py renders it in the reader's language.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, replace

import duckdb

from loaders.answers import NA_WORDS
from loaders.columns import ACTUAL_RULES, EXCEL_ERRORS, ColumnMapping, Field, fields_of, number_sql
from loaders.dates import column_first_format, date_formats, date_sql
from loaders.errors import RowProblem
from loaders.read import ROW_COLUMN, SourceTable
from store.db import quote_identifier, quote_literal
from text.emoji import EMOTICON_CELL

# Dates analysts' exports use besides ISO 8601 (which TRY_CAST reads): loaders/dates.py. Day-first
# and month-first forms such as 03/04/2026 are read only when the column or platform decides which.
DATE_FORMATS = date_formats(None)
TRUE_WORDS = ["yes", "y", "true", "1", "是", "已升级", "t"]
FALSE_WORDS = ["no", "n", "false", "0", "否", "未升级", "f"]
HIGHER_WORDS = ["higher", "high", "higher is better", "up", "越高越好", "高", "越大越好"]
LOWER_WORDS = ["lower", "low", "lower is better", "down", "越低越好", "低", "越小越好"]
# Problems listed in full; beyond this the count is still exact.
PROBLEM_DETAIL_LIMIT = 1000
FUTURE_TOLERANCE_DAYS = 1
# Dates before this are refused at their row (1926 typed for 2026) unless the analyst allows them
# (--allow-dates-from, the page's "earliest date"); so are dates after today (--allow-dates-to).
EARLIEST_DATE = dt.date(1990, 1, 1)

# Excel's error values, our own constants, as an SQL list (the conditions of the checks take no parameters)
EXCEL_ERROR_LIST = ", ".join(quote_literal(e) for e in EXCEL_ERRORS)

# Free-text cells that hold no words of the customer's: the markers pandas reads as missing by
# default (pandas.read_csv's na_values, compared here without case), the ones survey tools write
# for a question not answered (问卷星 "(空)", "(跳过)"), and cells of punctuation alone ("-",
# "...", "／"). They are stored as no comment, so they count in no comment total, sentiment, theme
# or learned label. A customer's short answer ("无", "no", "ok", "👍") is words and is kept, and so
# is an emoticon of punctuation alone (":(", ";)": text/emoji.py, which scores it); a cell of WeChat's
# or Weibo's bracket codes alone ("[强]", "[怒][怒]") holds letters, so it is kept as a comment too, and
# text/emoji.py scores it as signs.
NO_TEXT_FIELDS = ("comment", "description")
NO_TEXT_WORDS = ("#n/a", "#n/a n/a", "#na", "-1.#ind", "-1.#qnan", "-nan", "1.#ind", "1.#qnan", "<na>", "n/a",
                 "na", "null", "nan", "none", "nil", "n.a.", "(blank)", "(empty)", "(空)", "（空）", "(跳过)",
                 "（跳过）", "不适用")
# a letter, a digit, or a symbol such as an emoji: what a cell needs to be more than punctuation
HAS_WORDS = r"[\p{L}\p{N}\p{So}]"
# the longest cell checked, in bytes: every marker above is shorter, and a longer cell of
# punctuation alone is rare enough to be kept as it is
NO_TEXT_BYTES = 32

# Cells of a name, a category or an id (a branch, a cause, a sub-cause, a customer id, a
# complaint's reference) that say there is none: what exports write for an empty field (the US
# CFPB's "None" sub-issue, "N/A", "null", "(空)", "无") and cells of dashes, slashes, dots or
# question marks alone. Stored as a value, "None" became a sub-cause of its own, "N/A" a customer
# with hundreds of complaints and a reference every row repeated. They are stored blank and the
# check says so (StageReport.blanked). Narrower than NO_TEXT_WORDS: "NA" is North America and "Nan" a
# place or a name; Excel's errors ("#N/A" from a failed lookup) stay refused at their row.
NO_VALUE_WORDS = ("n/a", "n.a.", "<na>", "null", "(null)", "none", "(none)", "nil", "(blank)", "(empty)",
                  "(空)", "（空）", "(跳过)", "（跳过）", "不适用", "无", "暂无", "空")
NO_VALUE_SIGNS = r"[-‐‑‒–—―－_/／\\.。…·?？]+"
# one pattern, matched against the whole cell (each row a single RE2 match: a cell's length or
# first letter checked first made it no cheaper, nor did a look-up of the lower-cased cell)
NO_VALUE_CELL = "(?i)(?:" + "|".join(re.escape(word) for word in NO_VALUE_WORDS) + "|" + NO_VALUE_SIGNS + ")"

STAGED_ROWS = "staged_rows"
# the table under the view STAGED_ROWS: the typed columns of the file's mapped cells, whose rows an
# import deletes from (the invalid rows it skips, the duplicates)
STAGED_TYPED = "staged_typed"
STAGED_PROBLEMS = "staged_problems"
STAGED_SOURCE = "staged_source"


@dataclass(frozen=True)
class StageReport:
    """What validation found: how many rows, which are bad and why."""

    rows_total: int
    rows_invalid: int
    problem_count: int
    problems: tuple[RowProblem, ...]   # the first PROBLEM_DETAIL_LIMIT, in row order
    # cells stored blank for saying there is no value (NO_VALUE_WORDS): (column, the cell as written,
    # rows), by column in the file's order, then most rows first
    blanked: tuple[tuple[str, str, int], ...] = ()

    @property
    def rows_valid(self) -> int:
        return self.rows_total - self.rows_invalid


def _text(column: str) -> str:
    return f"NULLIF(trim({quote_identifier(column)}), '')"


def _parse(f: Field, column: str) -> str:
    if f.kind == "datetime":
        return date_sql(quote_identifier(column))
    text = _text(column)
    if f.kind in ("number", "integer"):
        # The cast skips surrounding spaces itself; trimming first would double its cost.
        return number_sql(column)
    if f.kind == "boolean":
        return (f"CASE WHEN lower({text}) IN (SELECT unnest($true_words)) THEN true"
                f" WHEN lower({text}) IN (SELECT unnest($false_words)) THEN false END")
    if f.kind == "better":
        return (f"CASE WHEN lower({text}) IN (SELECT unnest($higher_words)) THEN 'higher'"
                f" WHEN lower({text}) IN (SELECT unnest($lower_words)) THEN 'lower' END")
    return text


def _null_for(f: Field) -> str:
    return {"datetime": "NULL::TIMESTAMP", "number": "NULL::DOUBLE", "integer": "NULL::DOUBLE",
            "boolean": "NULL::BOOLEAN"}.get(f.kind, "NULL::VARCHAR")


def stage(con: duckdb.DuckDBPyConnection, source: SourceTable, mapping: ColumnMapping,
          dates_from: dt.date | None = None, dates_to: dt.date | None = None) -> StageReport:
    """Type every row and list every bad cell; leaves staged_rows / staged_problems on `con`.

    One pass types the rows (with a 'filled' flag per mapped column); the checks then scan those
    typed columns, and only for the rows they flag is the cell's original text looked up. Dates
    are accepted from `dates_from` (EARLIEST_DATE) to `dates_to` (today, and a day for time zones).
    """
    earliest = dates_from or EARLIEST_DATE
    latest = dates_to or dt.date.today() + dt.timedelta(days=FUTURE_TOLERANCE_DAYS)
    fields = fields_of(mapping.kind)
    _stage_source(con, source)
    params: dict[str, object] = {"date_formats": date_formats(mapping.date_order), "true_words": TRUE_WORDS,
                                 "false_words": FALSE_WORDS, "higher_words": HIGHER_WORDS,
                                 "lower_words": LOWER_WORDS}
    typed = [f"{quote_identifier(ROW_COLUMN)} AS row_no"]
    # the fields no column gives are NULL in the view, not columns of the table: a column of a
    # million NULLs costs DuckDB as much to store as one of values (issue 24's csv floor)
    unmapped: dict[str, str] = {}
    for f in fields:
        column = mapping.fields.get(f.name)
        if column is None and f.name in mapping.constants:
            # One value for every row (the fieldwork date of a survey file without dates).
            params[f"constant_{f.name}"] = mapping.constants[f.name]
            typed.append(f"{date_sql('$constant_' + f.name) if f.kind == 'datetime' else '$constant_' + f.name}"
                         f" AS {f.name}")
        elif column is None:
            unmapped[f.name] = _null_for(f)
            typed.append(f.name)
        elif column in mapping.answers and f.kind in ("number", "integer"):
            value, filled = _answered(column, mapping.answers[column], params)
            typed.append(f"{value} AS {f.name}")
            typed.append(f"{filled} AS filled_{f.name}")
            if f.required:
                # answered "not applicable" (NA, Don't know): a blank for an item, but a row that
                # needs this field has no value; said so, not "is empty"
                typed.append(f"({quote_identifier(column)} IS NOT NULL AND NOT {filled}) AS na_{f.name}")
        else:
            parsed = _parse(f, column)
            if f.kind == "datetime":
                first = column_first_format(con, quote_identifier(column), STAGED_SOURCE, params["date_formats"])
                if first is not None:
                    params[f"date_first_{f.name}"] = first
                    parsed = date_sql(quote_identifier(column), first=f"$date_first_{f.name}")
            typed.append(f"{parsed} AS {f.name}")
            typed.append(f"{quote_identifier(column)} IS NOT NULL AS filled_{f.name}")
    for i, rating in enumerate(mapping.ratings):
        if rating.column in mapping.answers:
            value, filled = _answered(rating.column, mapping.answers[rating.column], params)
        else:
            value = number_sql(rating.column)
            filled = f"{quote_identifier(rating.column)} IS NOT NULL"
        typed.append(f"{value} AS rating_{i}")
        typed.append(f"{filled} AS filled_rating_{i}")
    stored = [column for column in typed if column not in unmapped]
    sql = f"CREATE OR REPLACE TEMP TABLE {STAGED_TYPED} AS SELECT {', '.join(stored)} FROM {STAGED_SOURCE}"
    con.execute(sql, _used(params, sql))
    shown = [f"{unmapped[c]} AS {c}" if c in unmapped else _output_name(c) for c in typed]
    for name in (f.name for f in fields if f.name in NO_TEXT_FIELDS and mapping.fields.get(f.name) is not None):
        # after the typing, not within it: a condition in the typing pass costs every row, the
        # update only the few short cells it finds
        con.execute(f"UPDATE {STAGED_TYPED} SET {name} = NULL WHERE strlen({name}) <= {NO_TEXT_BYTES}"
                    f" AND (list_contains($words, lower({name}))"
                    f" OR NOT (regexp_matches({name}, $has_words) OR regexp_matches({name}, $emoticon)))",
                    {"words": list(NO_TEXT_WORDS), "has_words": HAS_WORDS, "emoticon": EMOTICON_CELL})
    blanked = _blank_no_values(con, source, mapping, fields)
    con.execute(f"CREATE OR REPLACE TEMP VIEW {STAGED_ROWS} AS SELECT {', '.join(shown)} FROM {STAGED_TYPED}")

    checks: list[tuple[str, str, str, str, dict[str, str]]] = []   # (condition, column, problem, fix, values)

    def add(condition: str, column: str, problem: str, fix: str, **values: str) -> None:
        checks.append((condition, column, problem, fix, values))

    for f in fields:
        column = mapping.fields.get(f.name)
        if column is None:
            continue
        unread = f"filled_{f.name} AND {f.name} IS NULL"
        if f.required:
            # A cell of spaces is empty text, but an unreadable date or number is reported as such.
            empty = f"{f.name} IS NULL" if f.kind == "text" else f"{f.name} IS NULL AND NOT ({unread})"
            if column in mapping.answers and f.kind in ("number", "integer"):
                add(f"na_{f.name}", column, "not_applicable", "needs_value", kind=mapping.kind, field=f.name)
                empty += f" AND NOT na_{f.name}"
            add(empty, column, "empty", "fill_in", kind=mapping.kind, field=f.name)
        if column in mapping.answers and f.kind in ("number", "integer"):
            add(unread, column, "not_answer", "answer", answers=_answer_list(mapping.answers[column]))
        elif f.kind == "datetime":
            add(unread, column, "not_date", "date")
            add(f"{f.name} < DATE '{earliest.isoformat()}'", column, "too_early", "too_early",
                earliest=earliest.isoformat())
            add(f"{f.name} >= DATE '{latest.isoformat()}' + INTERVAL 1 DAY", column, "future", "future",
                latest=latest.isoformat())
        if f.kind in ("number", "integer"):
            if column not in mapping.answers:
                add(f"filled_{f.name} AND ({f.name} IS NULL OR NOT isfinite({f.name}))", column, "not_number",
                    "number" if f.required else "number_or_blank")
            low, high = f.low, f.high
            if f.name == "overall_satisfaction" and mapping.overall_scale:
                low, high = mapping.overall_scale
            if low is not None and high is not None:
                add(f"isfinite({f.name}) AND ({f.name} < {float(low)} OR {f.name} > {float(high)})", column,
                    "outside_scale",
                    "value_range", low=f"{low:g}", high=f"{high:g}")
            if f.kind == "integer":
                add(f"{f.name} <> round({f.name})", column, "not_whole", "whole")
        elif f.kind == "text" and f.name not in ("comment", "description"):
            # a lookup that failed in Excel (#N/A as a branch) is no name: the words stay a customer's
            add(f"{f.name} IN ({EXCEL_ERROR_LIST})", column, "excel_error", "excel_error")
        elif f.kind == "boolean":
            add(unread, column, "not_yes_no", "yes_no")
        elif f.kind == "better":
            add(unread, column, "not_better", "better")

    for i, rating in enumerate(mapping.ratings):
        value = f"rating_{i}"
        low, high = f"{rating.scale_min:g}", f"{rating.scale_max:g}"
        if rating.column in mapping.answers:
            add(f"filled_rating_{i} AND {value} IS NULL", rating.column, "not_answer", "answer",
                answers=_answer_list(mapping.answers[rating.column]))
        else:
            add(f"filled_rating_{i} AND ({value} IS NULL OR NOT isfinite({value}))", rating.column, "not_number",
                "score_or_blank")
        outside = f"isfinite({value}) AND ({value} < {float(rating.scale_min)} OR {value} > {float(rating.scale_max)})"
        if rating.na_code is not None:
            add(f"{outside} AND {value} <> {float(rating.na_code)}", rating.column, "outside_scale_na",
                "score_range", low=low, high=high, na=f"{rating.na_code:g}")
        elif rating.scale_min > 0:
            # A 0 on a 1-based item is most often a tool's 'not applicable': say so, and how to declare it.
            add(f"{value} = 0", rating.column, "outside_scale_zero", "zero_na", low=low, high=high)
            add(f"{outside} AND {value} <> 0", rating.column, "outside_scale", "score_range", low=low, high=high)
        else:
            add(outside, rating.column, "outside_scale", "score_range", low=low, high=high)

    for id_field in ("respondent_id", "complaint_ref"):
        column = mapping.fields.get(id_field)
        if column and any(f.name == id_field for f in fields):
            add(f"row_no IN (SELECT row_no FROM (SELECT row_no, {id_field},"
                f" min(row_no) OVER (PARTITION BY {id_field}) AS first_row FROM {STAGED_ROWS})"
                f" WHERE {id_field} IS NOT NULL AND row_no <> first_row)",
                column, "repeated_id", "repeated_id")
    if mapping.kind == "complaints" and "resolved_at" in mapping.fields:
        add("resolved_at < received_at", mapping.fields["resolved_at"], "resolved_before",
            "resolved_before")
    if mapping.kind == "standards" and "actual_rule" in mapping.fields:
        add("actual_rule IS NOT NULL AND actual_rule NOT IN ("
            + ", ".join("'" + rule + "'" for rule in ACTUAL_RULES) + ")",
            mapping.fields["actual_rule"], "unknown_rule", "rule", rules=", ".join(ACTUAL_RULES))
    if mapping.kind == "management_survey":
        add("isfinite(score) AND (score < COALESCE(scale_min, 1) OR score > COALESCE(scale_max, 7))",
            mapping.fields.get("score", "score"), "outside_item_scale",
            "item_scale")

    _materialise_problems(con, checks)
    return replace(_report(con, source), blanked=blanked)


def _output_name(expression: str) -> str:
    """The name a select-list item `... AS name` gives its column."""
    return expression.rsplit(" AS ", 1)[1]


def _stage_source(con: duckdb.DuckDBPyConnection, source: SourceTable) -> None:
    """STAGED_SOURCE: the file's cells, from memory, or from the file they were spilled to
    (SourceTable.spill), which DuckDB reads a row group at a time within its memory limit."""
    if source.spilled is None:
        con.unregister(STAGED_SOURCE)   # a view a spilled file's staging left on this connection
        con.register(STAGED_SOURCE, source.table)
    else:
        # a view takes no parameters: the path (our own temporary file's) as a quoted literal
        con.execute(f"CREATE OR REPLACE TEMP VIEW {STAGED_SOURCE} AS"
                    f" SELECT * FROM read_parquet({quote_literal(source.spilled.path)})")


def _answered(column: str, answers: dict[str, float | None], params: dict[str, object]) -> tuple[str, str]:
    """A column of answers (words, or numbers with words) as its scores, and whether a cell holds an
    answer at all: a not-applicable one is a blank, not a problem. Words are compared in lower case."""
    n = sum(1 for k in params if k.startswith("answer_words_"))
    words = [k.strip().lower() for k, v in answers.items() if v is not None]
    params[f"answer_words_{n}"] = words or [""]
    params[f"answer_scores_{n}"] = [float(v) for v in answers.values() if v is not None] or [None]
    params[f"answer_na_{n}"] = sorted({k.strip().lower() for k, v in answers.items() if v is None} | NA_WORDS)
    cell = f"lower(trim({quote_identifier(column)}))"
    position = f"list_position($answer_words_{n}, {cell})"
    value = (f"CASE WHEN {position} IS NOT NULL THEN $answer_scores_{n}[{position}]"
             f" ELSE {number_sql(column)} END")
    filled = f"({quote_identifier(column)} IS NOT NULL AND NOT list_contains($answer_na_{n}, {cell}))"
    return value, filled


def _answer_list(answers: dict[str, float | None]) -> str:
    return ", ".join(f"{word} = {score:g}" for word, score in answers.items() if score is not None)


def _materialise_problems(con, checks: list[tuple[str, str, str, str, dict[str, str]]]) -> None:
    """staged_problems(row_no, column_name, value, problem, fix, vals): the cell's text from the source,
    the problem's and the fix's codes, and their values as a JSON object."""
    # one pass over the staged rows for every check: each row flagged lists the checks it fails
    flagged = "SELECT NULL::BIGINT AS row_no, NULL::INTEGER AS check_no WHERE false"
    if checks:
        failed = ", ".join(f"CASE WHEN {condition} THEN {k} END" for k, (condition, *_rest) in enumerate(checks))
        flagged = (f"SELECT row_no, unnest(list_filter([{failed}], k -> k IS NOT NULL)) AS check_no"
                   f" FROM {STAGED_ROWS} WHERE " + " OR ".join(f"({condition})" for condition, *_rest in checks))
    con.execute(f"CREATE OR REPLACE TEMP TABLE staged_flags AS {flagged}")
    con.execute("CREATE OR REPLACE TEMP TABLE staged_checks (check_no INTEGER, column_name VARCHAR,"
                " problem VARCHAR, fix VARCHAR, vals VARCHAR)")
    if checks:
        con.executemany("INSERT INTO staged_checks VALUES (?, ?, ?, ?, ?)",
                        [[k, column, problem, fix, json.dumps(values, ensure_ascii=False)]
                         for k, (_, column, problem, fix, values) in enumerate(checks)])
    columns = sorted({column for _, column, *_ in checks})
    value = "NULL::VARCHAR"
    if columns:
        # A flagged cell's text, picked by its column; read only for the flagged rows.
        value = "CASE c.column_name " + " ".join(
            f"WHEN ? THEN trim(src.{quote_identifier(column)})" for column in columns) + " END"
    # a file without problems need not look up any cell of its source
    none = not con.execute("SELECT count(*) FROM (SELECT 1 FROM staged_flags LIMIT 1)").fetchone()[0]
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {STAGED_PROBLEMS} AS"
        f" SELECT f.row_no, c.column_name, {value} AS value, c.problem, c.fix, c.vals"
        f" FROM staged_flags f JOIN staged_checks c USING (check_no)"
        f" JOIN {STAGED_SOURCE} src ON src.{quote_identifier(ROW_COLUMN)} = f.row_no" + (" WHERE false" if none else ""),
        columns or None)


def _blank_no_values(con, source: SourceTable, mapping: ColumnMapping,
                     fields: tuple[Field, ...]) -> tuple[tuple[str, str, int], ...]:
    """Set the staged cells of names, categories and ids that say there is no value (NO_VALUE_WORDS,
    NO_VALUE_SIGNS) to NULL; each column's distinct such cells with their rows. One statement reads
    every such column of the staged rows (a union of one part a column), and an update touches only
    the columns that hold one."""
    names = [f.name for f in fields
             if f.kind == "text" and f.name not in NO_TEXT_FIELDS and mapping.fields.get(f.name) is not None]
    if not names:
        return ()
    # the names are our fields', never a header's; the pattern is a parameter
    says_none = "regexp_full_match({name}, $no_value)"
    params = {"no_value": NO_VALUE_CELL}
    found = con.execute(" UNION ALL ".join(
        f"SELECT {i} AS field, {name} AS cell, count(*) AS n FROM {STAGED_TYPED}"
        f" WHERE {says_none.format(name=name)} GROUP BY {name}" for i, name in enumerate(names)), params).fetchall()
    for i in sorted({field for field, _, _ in found}):
        con.execute(f"UPDATE {STAGED_TYPED} SET {names[i]} = NULL WHERE {says_none.format(name=names[i])}", params)
    order = {header: k for k, header in enumerate(source.headers)}
    columns = [mapping.fields[name] for name in names]
    return tuple((columns[i], cell, int(n)) for i, cell, n in
                 sorted(found, key=lambda r: (order.get(columns[r[0]], len(order)), -r[2], r[1])))


def _used(params: dict[str, object], sql: str) -> dict[str, object] | None:
    """DuckDB refuses named parameters the statement does not use."""
    used = {k: v for k, v in params.items() if re.search(rf"\${k}\b", sql)}
    return used or None


def _report(con, source: SourceTable) -> StageReport:
    total = con.execute(f"SELECT count(*) FROM {STAGED_ROWS}").fetchone()[0]
    invalid, count = con.execute(
        f"SELECT count(DISTINCT row_no), count(*) FROM {STAGED_PROBLEMS}").fetchone()
    rows = con.execute(
        f"SELECT row_no, column_name, value, problem, fix, vals FROM {STAGED_PROBLEMS}"
        f" ORDER BY row_no, column_name LIMIT {PROBLEM_DETAIL_LIMIT}").fetchall()
    return StageReport(total, invalid, count, tuple(_problem(source, r) for r in rows))


def _problem(source: SourceTable, row: tuple) -> RowProblem:
    row_no, column, value, problem, fix, values = row
    return RowProblem(source.file_name, source.sheet, int(row_no), column, value, problem, fix,
                      json.loads(values) if values else {})


def staged_problem_list(con: duckdb.DuckDBPyConnection, source: SourceTable,
                        limit: int = 100_000) -> list[RowProblem]:
    """Every bad cell `stage()` found (up to `limit`), for the analyst's downloadable report."""
    rows = con.execute(
        f"SELECT row_no, column_name, value, problem, fix, vals FROM {STAGED_PROBLEMS}"
        " ORDER BY row_no, column_name LIMIT ?", [limit]).fetchall()
    return [_problem(source, r) for r in rows]


def missing_required(mapping: ColumnMapping) -> list[Field]:
    """Required fields the mapping gives no column for."""
    return [f for f in fields_of(mapping.kind)
            if f.required and f.name not in mapping.fields and f.name not in mapping.constants]
