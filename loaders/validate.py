"""Check every cell against the spreadsheet contract, in SQL, and keep the typed values.

`stage()` turns a SourceTable and its mapping into two temporary tables on the given
connection: `staged_rows` (one typed row per spreadsheet row) and `staged_problems` (one row per
bad cell: row, column, value, problem, fix). Set-based, so a million rows cost seconds.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import duckdb

from loaders.columns import ACTUAL_RULES, ColumnMapping, Field, fields_of
from loaders.errors import RowProblem
from loaders.read import ROW_COLUMN, SourceTable
from loaders.store import quote_identifier

# Dates analysts' exports use besides ISO 8601 (which TRY_CAST reads). Day-first and month-first
# forms such as 03/04/2026 are ambiguous, so they are refused with a message rather than guessed.
DATE_FORMATS = [
    "%Y/%m/%d", "%Y/%m/%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y.%m.%d", "%Y.%m.%d %H:%M",
    "%Y年%m月%d日", "%Y年%m月%d日 %H:%M", "%Y年%m月%d日 %H时%M分", "%Y%m%d",
    "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M",
]
TRUE_WORDS = ["yes", "y", "true", "1", "是", "已升级", "t"]
FALSE_WORDS = ["no", "n", "false", "0", "否", "未升级", "f"]
HIGHER_WORDS = ["higher", "high", "higher is better", "up", "越高越好", "高", "越大越好"]
LOWER_WORDS = ["lower", "low", "lower is better", "down", "越低越好", "低", "越小越好"]
# Problems listed in full; beyond this the count is still exact.
PROBLEM_DETAIL_LIMIT = 1000
FUTURE_TOLERANCE_DAYS = 1

STAGED_ROWS = "staged_rows"
STAGED_PROBLEMS = "staged_problems"
STAGED_SOURCE = "staged_source"


@dataclass(frozen=True)
class StageReport:
    """What validation found: how many rows, which are bad and why."""

    rows_total: int
    rows_invalid: int
    problem_count: int
    problems: tuple[RowProblem, ...]   # the first PROBLEM_DETAIL_LIMIT, in row order

    @property
    def rows_valid(self) -> int:
        return self.rows_total - self.rows_invalid


def _text(column: str) -> str:
    return f"NULLIF(trim({quote_identifier(column)}), '')"


def _parse(f: Field, column: str) -> str:
    text = _text(column)
    if f.kind == "datetime":
        return f"COALESCE(TRY_CAST({text} AS TIMESTAMP), try_strptime({text}, $date_formats))"
    if f.kind in ("number", "integer"):
        return f"TRY_CAST({text} AS DOUBLE)"
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


def stage(con: duckdb.DuckDBPyConnection, source: SourceTable, mapping: ColumnMapping) -> StageReport:
    """Type every row and list every bad cell; leaves staged_rows / staged_problems on `con`."""
    fields = fields_of(mapping.kind)
    con.register(STAGED_SOURCE, source.table)
    params: dict[str, object] = {"date_formats": DATE_FORMATS, "true_words": TRUE_WORDS,
                                 "false_words": FALSE_WORDS, "higher_words": HIGHER_WORDS,
                                 "lower_words": LOWER_WORDS}
    select = [f"{quote_identifier(ROW_COLUMN)} AS row_no"]
    for f in fields:
        column = mapping.fields.get(f.name)
        if column is None:
            select.append(f"{_null_for(f)} AS {f.name}")
            select.append(f"NULL::VARCHAR AS raw_{f.name}")
        else:
            select.append(f"{_parse(f, column)} AS {f.name}")
            select.append(f"{_text(column)} AS raw_{f.name}")
    for i, rating in enumerate(mapping.ratings):
        select.append(f"TRY_CAST({_text(rating.column)} AS DOUBLE) AS rating_{i}")
        select.append(f"{_text(rating.column)} AS raw_rating_{i}")
    sql = f"CREATE OR REPLACE TEMP TABLE {STAGED_ROWS} AS SELECT {', '.join(select)} FROM {STAGED_SOURCE}"
    con.execute(sql, _used(params, sql))

    checks: list[str] = []
    check_params: dict[str, object] = {}

    def add(condition: str, column: str, value_sql: str, problem: str, fix: str) -> None:
        k = len(checks)
        check_params[f"c{k}"] = column
        check_params[f"p{k}"] = problem
        check_params[f"f{k}"] = fix
        checks.append(f"SELECT row_no, $c{k} AS column_name, {value_sql} AS value, $p{k} AS problem,"
                      f" $f{k} AS fix FROM {STAGED_ROWS} WHERE {condition}")

    for f in fields:
        column = mapping.fields.get(f.name)
        raw = f"raw_{f.name}"
        if column is None:
            continue
        if f.required:
            add(f"{raw} IS NULL", column, "NULL", "is empty", f"Fill in the {f.label_en}.")
        if f.kind == "datetime":
            add(f"{raw} IS NOT NULL AND {f.name} IS NULL", column, raw, "is not a date",
                "Write dates as YYYY-MM-DD or YYYY-MM-DD HH:MM (e.g. 2026-10-15).")
            add(f"{f.name} > now()::TIMESTAMP + INTERVAL {FUTURE_TOLERANCE_DAYS} DAY", column, raw,
                "is in the future", "Check the year and month of this date.")
        elif f.kind in ("number", "integer"):
            add(f"{raw} IS NOT NULL AND {f.name} IS NULL", column, raw, "is not a number",
                "Enter a number." if f.required else "Enter a number, or leave the cell blank.")
            low, high = f.low, f.high
            if f.name == "overall_satisfaction" and mapping.overall_scale:
                low, high = mapping.overall_scale
            if low is not None and high is not None:
                add(f"{f.name} < {float(low)} OR {f.name} > {float(high)}", column, raw,
                    f"is outside the scale {low:g}-{high:g}",
                    f"Use a value from {low:g} to {high:g}, or correct the scale in the mapping.")
            if f.kind == "integer":
                add(f"{f.name} <> round({f.name})", column, raw, "is not a whole number",
                    "Use a whole number.")
        elif f.kind == "boolean":
            add(f"{raw} IS NOT NULL AND {f.name} IS NULL", column, raw, "is not yes or no",
                "Write Yes or No (是/否).")
        elif f.kind == "better":
            add(f"{raw} IS NOT NULL AND {f.name} IS NULL", column, raw, "is not higher or lower",
                "Write 'higher' if a larger number is better, 'lower' if a smaller one is.")

    for i, rating in enumerate(mapping.ratings):
        value, raw = f"rating_{i}", f"raw_rating_{i}"
        add(f"{raw} IS NOT NULL AND {value} IS NULL", rating.column, raw, "is not a number",
            "Enter a score, or leave the cell blank when the question was not answered.")
        na = "" if rating.na_code is None else f" AND {value} <> {float(rating.na_code)}"
        na_note = "" if rating.na_code is None else f" ({rating.na_code:g} = not applicable)"
        add(f"({value} < {float(rating.scale_min)} OR {value} > {float(rating.scale_max)}){na}",
            rating.column, raw,
            f"is outside the scale {rating.scale_min:g}-{rating.scale_max:g}{na_note}",
            f"Use a score from {rating.scale_min:g} to {rating.scale_max:g}, or correct the"
            " item's scale / not-applicable code in the mapping.")

    for id_field in ("respondent_id", "complaint_ref"):
        column = mapping.fields.get(id_field)
        if column and any(f.name == id_field for f in fields):
            add(f"row_no IN (SELECT row_no FROM (SELECT row_no, {id_field},"
                f" min(row_no) OVER (PARTITION BY {id_field}) AS first_row FROM {STAGED_ROWS})"
                f" WHERE {id_field} IS NOT NULL AND row_no <> first_row)",
                column, id_field, "repeats an ID used earlier in the file",
                "Give every row its own ID, or remove the duplicated row.")
    if mapping.kind == "complaints" and "resolved_at" in mapping.fields:
        add("resolved_at < received_at", mapping.fields["resolved_at"], "raw_resolved_at",
            "is before the complaint was received", "Check both dates; resolution comes after receipt.")
    if mapping.kind == "standards" and "actual_rule" in mapping.fields:
        check_params["rules"] = list(ACTUAL_RULES)
        add("actual_rule IS NOT NULL AND actual_rule NOT IN (SELECT unnest($rules))",
            mapping.fields["actual_rule"], "raw_actual_rule", "is not a rule the dashboard knows",
            "Use one of: " + ", ".join(ACTUAL_RULES) + " — or give the Actual as a number.")
    if mapping.kind == "management_survey":
        add("(score < COALESCE(scale_min, 1) OR score > COALESCE(scale_max, 7))",
            mapping.fields.get("score", "score"), "raw_score", "is outside the item's scale",
            "Use a score within Scale min-Scale max (default 1-7).")

    _materialise_problems(con, checks, check_params)
    return _report(con, source)


def _materialise_problems(con, checks: list[str], params: dict[str, object]) -> None:
    empty = ("SELECT NULL::BIGINT AS row_no, NULL::VARCHAR AS column_name, NULL::VARCHAR AS value,"
             " NULL::VARCHAR AS problem, NULL::VARCHAR AS fix WHERE false")
    body = " UNION ALL ".join(checks) if checks else empty
    sql = f"CREATE OR REPLACE TEMP TABLE {STAGED_PROBLEMS} AS {body}"
    con.execute(sql, _used(params, sql))


def _used(params: dict[str, object], sql: str) -> dict[str, object] | None:
    """DuckDB refuses named parameters the statement does not use."""
    used = {k: v for k, v in params.items() if re.search(rf"\${k}\b", sql)}
    return used or None


def _report(con, source: SourceTable) -> StageReport:
    total = con.execute(f"SELECT count(*) FROM {STAGED_ROWS}").fetchone()[0]
    invalid, count = con.execute(
        f"SELECT count(DISTINCT row_no), count(*) FROM {STAGED_PROBLEMS}").fetchone()
    rows = con.execute(
        f"SELECT row_no, column_name, value, problem, fix FROM {STAGED_PROBLEMS}"
        f" ORDER BY row_no, column_name LIMIT {PROBLEM_DETAIL_LIMIT}").fetchall()
    problems = tuple(
        RowProblem(source.file_name, source.sheet, int(r[0]), r[1], r[2], r[3], r[4]) for r in rows
    )
    return StageReport(total, invalid, count, problems)


def staged_problem_list(con: duckdb.DuckDBPyConnection, source: SourceTable,
                        limit: int = 100_000) -> list[RowProblem]:
    """Every bad cell `stage()` found (up to `limit`), for the analyst's downloadable report."""
    rows = con.execute(
        f"SELECT row_no, column_name, value, problem, fix FROM {STAGED_PROBLEMS}"
        " ORDER BY row_no, column_name LIMIT ?", [limit]).fetchall()
    return [RowProblem(source.file_name, source.sheet, int(r[0]), r[1], r[2], r[3], r[4]) for r in rows]


def missing_required(mapping: ColumnMapping) -> list[Field]:
    """Required fields the mapping gives no column for."""
    return [f for f in fields_of(mapping.kind) if f.required and f.name not in mapping.fields]
