"""Hostile-but-realistic files (tests/data/bad/, written by tests/data/make_bad.py): each is refused
with the exact LoadError code, sheet, row and column, or its bad cell is reported at its row and
column, or it imports as what it is; a refused file changes no table; nothing crashes, prints a
traceback or runs past the memory floor."""
from __future__ import annotations

import datetime as dt
import json
import resource
import subprocess
import sys
import textwrap

import duckdb
import pytest
import xlsxwriter
from conftest import PROJECT_ROOT, TEST_DATA, import_good_rows

import loaders.bounds as bounds
from loaders.columns import DATE_LIKE
from loaders.dates import column_first_format, date_formats, date_sql, day_month_order
from loaders.errors import DecisionNeeded, KindDecisionNeeded, LoadError, ValidationError
from loaders.importer import import_file, prepare
from loaders.read import read_source
from presentation.problems import load_error_text, notice_text, problem_line
import store.db as db
from store.db import quote_identifier

sys.path.insert(0, str(TEST_DATA))
from make_bad import long_comment, make_inflating_workbook, survey_rows  # noqa: E402

BAD = TEST_DATA / "bad"
NPS_HEADER_ROWS = "Customer ID,Date,Branch,Score,Comment\nC1,2026-10-01,North,9,fine\nC2,2026-10-02,North,7,ok\n"

# file -> (code, sheet, row, column) of the LoadError
REFUSED = {
    "all_sheets_hidden.xlsx": ("all_sheets_hidden", None, None, None),
    "binary_junk.csv": ("binary", None, None, None),
    "binary_junk.xlsx": ("not_a_workbook", None, None, None),
    "blank_lines.csv": ("empty_file", None, None, None),
    "bom_only.csv": ("empty_file", None, None, None),
    "control_chars.csv": ("binary", None, None, None),
    "empty.csv": ("empty_file", None, None, None),
    "empty.xlsx": ("empty_file", None, None, None),
    "empty_sheet.xlsx": ("empty_sheet", "Data", None, None),
    "encrypted.xlsx": ("encrypted", None, None, None),
    "formula_not_computed.xlsx": ("formula_not_computed", "Data", 6, "Score"),
    "gzipped.csv": ("compressed", None, None, None),
    "gzipped.csv.gz": ("compressed", None, None, None),   # 'files ending in .gz are not read' before
    "header_only.csv": ("no_rows", None, 2, None),
    "header_only.xlsx": ("no_rows", "Data", 2, None),
    "html_table.xls": ("html_table", None, None, None),
    "json_named.csv": ("json_file", None, None, None),   # 'cannot tell which kind ([)' before
    "lying_dimension.xlsx": ("used_range_rows", "Data", 3_000_000, None),
    "mixed_encoding.csv": ("encoding_mixed", None, 4, None),
    "multiline_then_extra_cell.csv": ("too_many_cells", None, 3, "F"),
    "no_such_rows_hidden_data.xlsx": ("no_rows", "Notes", 2, None),
    "not_a_workbook.xlsx": ("not_a_workbook", None, None, None),
    "ods_repeated_bomb.ods": ("used_range_cells", None, None, None),
    "nul_in_cell.csv": ("nul_byte", None, 4, None),
    "nul_padded.csv": ("nul_byte", None, 6, None),
    "old_format.xls": ("broken_workbook", None, None, None),
    "spreadsheetml_2003.xls": ("xml_spreadsheet", None, None, None),
    # a summary of answers per choice: 'cannot tell which kind' (exit 3, --kind) before
    "surveymonkey_summary.csv": ("summary_report", None, 2, None),
    "too_many_columns.csv": ("too_many_columns", None, 1, "CRD"),
    "truncated.xlsx": ("broken_workbook", None, None, None),
    "truncated_quote.csv": ("unclosed_quote", None, 4, None),
    "unknown_encoding.csv": ("encoding", None, None, None),
    "unquoted_comma.csv": ("too_many_cells", None, 3, "F"),
    "unquoted_semicolon.csv": ("too_many_cells", None, 4, "F"),
    "used_range_cells.xlsx": ("used_range_cells", "Data", None, None),
    "used_range_rows.xlsx": ("used_range_rows", "Data", 2_000_001, None),
    "used_range_xfd.xlsx": ("used_range_columns", "Data", None, "XFD"),
    "wjx_summary_report.xlsx": ("summary_report", "Sheet1", 2, None),
    "zip_bomb.xlsx": ("zip_ratio", None, None, None),
}

# file -> (problem code, row, column) of the first bad cell; nothing is imported
BAD_CELL = {
    # the rows under an empty line were numbered one too early before (4, and 6)
    "blank_line_rows.csv": ("outside_scale", 5, "Score"),
    "blank_lines_utf16.csv": ("outside_scale", 7, "Score"),
    "complaint_resolved_1926.csv": ("too_early", 3, "Resolved"),
    "date_1926.csv": ("too_early", 3, "Date"),
    "date_1926_slashes.csv": ("too_early", 3, "Date"),
    "date_1989.csv": ("too_early", 4, "Date"),
    "date_future.csv": ("future", 3, "Date"),
    "div0_score.csv": ("not_number", 3, "Score"),
    "inf_score.csv": ("not_number", 3, "Score"),
    "minus_inf_score.csv": ("not_number", 3, "Score"),
    "multiline_then_bad_score.csv": ("not_number", 4, "Score"),   # record 4; its line is 9
    "nps_decimal_comma_half.csv": ("not_whole", 4, "Score"),   # 3,5 as a 0-10 score; no kind was found before
    "pandas_floats.csv": ("empty", 3, "score"),
    "na_excel_score.csv": ("not_number", 3, "Score"),
    "nan_lower_score.csv": ("not_number", 3, "Score"),
    "nan_score.csv": ("not_number", 3, "Score"),
    "survey_nan_rating.csv": ("not_number", 22, "Q2"),
    "total_not_last.csv": ("empty", 3, "Date"),   # a row headed Total between responses is no summary
    "two_tables.xlsx": ("not_date", 6, "Date"),   # a second table under a blank row: named where it starts
    "truncated_mid_row.csv": ("not_date", 5, "Date"),
    "xlsx_date_1926.xlsx": ("too_early", 4, "Date"),
    "xlsx_error_branch.xlsx": ("excel_error", 3, "Branch"),
    "xlsx_error_cells.xlsx": ("not_number", 3, "Score"),   # #DIV/0!, read as a blank before
    "xlsx_nan_text.xlsx": ("not_number", 3, "Score"),
}

# file -> (kind, rows, notices, {column: first value as stored}) of a file that imports
IMPORTED = {
    "cr_only_lines.csv": ("nps", 3, [], {"branch": "Café Crème", "comment": "très bien"}),
    # the footer's lines were refused at their rows ('Received is empty') before
    "complaints_12315_footer.xlsx": ("complaints", 3, ["footer_left_out"], {"complaint_ref": "TS2026100001"}),
    # the follow-up call's 满意度评分 was left out before
    "complaints_cn_decimals.csv": ("complaints", 3, [], {"satisfaction_after": 4.5}),
    "crlf.csv": ("nps", 4, [], {"branch": "North"}),
    "filtered_rows.xlsx": ("nps", 4, ["hidden_rows"], {"customer_id": "C1"}),   # read unsaid before
    "formulas_computed.xlsx": ("nps", 3, [], {"score": 9}),
    "freshdesk_tickets.csv": ("complaints", 3, [], {"resolved_at": dt.datetime(2026, 10, 1, 15)}),
    # asked NPS or survey? (no platform, no date) before, and 其他意见 was no comment
    "google_forms_cn.csv": ("survey", 3, [], {"responded_at": dt.datetime(2026, 10, 1, 9, 5, 7), "comment": "很好"}),
    # its one rating question was dropped ('no rating columns were found') before
    "google_forms_quiz.csv": ("survey", 3, [], {"branch": "North"}),
    "date_cn_am_pm.csv": ("nps", 4, [], {"responded_at": dt.datetime(2026, 10, 5, 15, 5)}),
    "date_month_names.csv": ("nps", 5, [], {"responded_at": dt.datetime(2026, 10, 5)}),
    "excel_text_ids.csv": ("nps", 3, [], {"customer_id": "00123"}),   # '="00123"' before
    # its ratings were left out unsaid before, and no kind was found
    "decimal_comma_ratings.csv": ("survey", 5, ["decimal_commas"], {"responded_at": dt.datetime(2026, 10, 1)}),
    "fullwidth_score.csv": ("nps", 4, [], {"score": 10}),
    "gb18030_rare.csv": ("nps", 2, [], {"comment": "𠀀𪚥好"}),
    "gbk.csv": ("nps", 2, [], {"branch": "浦东支行", "comment": "服务很好"}),
    "hidden_first_sheet.xlsx": ("nps", 4, ["hidden_sheets"], {"customer_id": "C1"}),
    "joined_exports_bom.csv": ("nps", 4, [], {"customer_id": "C1"}),
    "macros.xlsm": ("nps", 4, [], {"customer_id": "C1"}),
    "merged_branch.xlsx": ("nps", 4, ["merged_filled"], {"branch": "North"}),
    "merged_title_and_branch.xlsx": ("nps", 3, ["merged_filled"], {"branch": "East"}),
    "microsoft_forms_cn.xlsx": ("survey", 3, [], {"responded_at": dt.datetime(2026, 10, 1, 9, 3)}),
    # 10/1/26 was the year 10 (refused as too early), and 'Points - …' an item, before
    "msforms_quiz.xlsx": ("survey", 3, [], {"responded_at": dt.datetime(2026, 10, 1, 9, 2)}),
    "multiline_cells.csv": ("nps", 3, [], {"comment": "line one\nline two"}),
    "nps_decimal_comma.csv": ("nps", 4, ["decimal_commas"], {"score": 6, "branch": "München"}),
    "pipes.csv": ("nps", 4, [], {"branch": "North"}),
    "questionnaire_200.xlsx": ("survey", 40, [], {"branch": "North"}),
    "salesforce_cases_footer.csv": ("complaints", 3, ["footer_left_out"], {"resolved_at": dt.datetime(2026, 10, 2, 15)}),
    "sep_line.csv": ("nps", 4, [], {"responded_at": dt.datetime(2026, 10, 1)}),
    "score_header_cn.csv": ("nps", 2, [], {"score": 9}),
    "semicolons.csv": ("nps", 4, [], {"branch": "North"}),
    "sheet.ods": ("nps", 2, [], {"comment": "fine"}),
    "sheet_libreoffice_edge.ods": ("nps", 1, [], {"branch": "North"}),
    "survey_150.csv": ("survey", 40, [], {"branch": "North"}),
    "surveymonkey_merged_header.xlsx": ("survey", 5, [], {"responded_at": dt.datetime(2026, 10, 1, 9, 5)}),
    "tabs_named.xls": ("nps", 4, ["read_as_text"], {"branch": "北区"}),
    "text_named.xlsx": ("nps", 4, ["read_as_text"], {"branch": "North"}),
    "ticket_dates_with_offsets.csv": ("complaints", 3, [], {"received_at": dt.datetime(2026, 10, 1, 9)}),
    # the sums under the data were refused at their row ('Date is empty') or hid the kind before
    "totals_row.csv": ("nps", 3, ["totals_left_out"], {"customer_id": "C1"}),
    "totals_row_cn.xlsx": ("survey", 6, ["totals_left_out"], {"branch": "浦东支行"}),
    # as NPS responses without a date, its satisfaction question left out, before
    "typeform.csv": ("survey", 3, [], {"responded_at": dt.datetime(2026, 10, 1, 9, 3, 10)}),
    "utf16_bom_tabs.txt": ("nps", 2, [], {"branch": "Café Crème"}),
    "utf16be_no_bom.csv": ("nps", 2, [], {"branch": "Café Crème", "comment": "très bien"}),
    "utf16le_no_bom.csv": ("nps", 2, [], {"branch": "Café Crème", "comment": "très bien"}),
    "utf8_bom.csv": ("nps", 2, [], {"branch": "Café Crème"}),
    "very_hidden_sheet.xlsx": ("nps", 4, ["hidden_sheets"], {"customer_id": "C1"}),
    "windows1250.csv": ("nps", 2, [], {"branch": "Łódź", "comment": "Zażółć gęślą jaźń"}),
    "windows1251.csv": ("nps", 2, [], {"branch": "Москва", "comment": "Отличный сервис"}),
    "windows1252.csv": ("nps", 2, [], {"branch": "Café Crème", "comment": "très bien"}),
    "workbook_named.csv": ("nps", 4, ["read_as_workbook"], {"customer_id": "C1"}),
    "xlsx_text_decimal_comma.xlsx": ("survey", 6, ["decimal_commas"], {"branch": "North"}),
    "zendesk_tickets.csv": ("complaints", 3, [], {"resolved_at": dt.datetime(2026, 10, 2, 10)}),   # open, before
}

# file -> (decision code, its values) of a file the loaders ask about before importing anything
ASKED = {
    # 4,5 and 2,5: half-point ratings, or averages pasted in? left out unsaid before
    "decimal_comma_halves.csv": ("choice_or_rating", {
        "columns": ["Q1 Staff friendliness", "Q2 Waiting time", "Q3 Cleanliness"],
        "with_decimals": ["Q1 Staff friendliness", "Q2 Waiting time", "Q3 Cleanliness"]}),
    # a slider answered 7.5: left out unsaid before, beside the matrix's items
    "qualtrics_slider_decimals.csv": ("choice_or_rating", {"columns": ["Q2"], "with_decimals": ["Q2"]}),
}

# files whose kind the loaders ask for (--kind), nothing imported
ASKED_KIND = {"german_short_years.csv"}

TABLE = {"nps": "nps_response", "survey": "survey_response", "complaints": "complaint"}


def test_every_bad_file_has_its_expectation():
    files = {p.name for p in BAD.iterdir()}
    assert len(files) >= 60
    assert files == set(REFUSED) | set(BAD_CELL) | set(IMPORTED) | set(ASKED) | ASKED_KIND


def every_table(con) -> dict[str, list]:
    """Every row of every table of the store, as text: a refused import must leave them all as they were."""
    tables = [r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'"
        " AND table_schema = current_schema() AND table_catalog = current_database() ORDER BY 1").fetchall()]
    return {t: sorted(map(repr, con.execute(f"SELECT * FROM {quote_identifier(t)}").fetchall())) for t in tables}


@pytest.fixture
def store_build():
    return import_good_rows


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_a_file_that_cannot_be_read_is_refused_where_it_breaks(con, good_rows, name):
    before = every_table(con)
    with pytest.raises(LoadError) as refused:
        import_file(con, BAD / name)
    error = refused.value
    assert (error.code, error.sheet, error.row, error.column) == REFUSED[name]
    assert error.file == name
    assert every_table(con) == before
    # worded in both languages from the translation files, never as a bare key
    for language in ("en", "zh"):
        words = load_error_text(error, language)
        assert words.startswith(name) and f"load.{error.code}" not in words and "loadfix." not in words


@pytest.mark.parametrize("name", sorted(BAD_CELL))
def test_a_bad_cell_is_reported_at_its_row_and_column(con, good_rows, name):
    before = every_table(con)
    with pytest.raises(ValidationError) as refused:
        import_file(con, BAD / name)
    first = refused.value.problems[0]
    assert (first.code, first.row, first.column) == BAD_CELL[name]
    assert every_table(con) == before
    assert f"row {first.row}" in problem_line(first, "en") and f"第 {first.row} 行" in problem_line(first, "zh")


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(IMPORTED))
def test_a_file_read_as_what_it_is_imports(con, name):
    kind, rows, notices, values = IMPORTED[name]
    prepared = prepare(con, BAD / name)
    assert [code for code, _ in prepared.source.notices] == notices
    result = import_file(con, BAD / name)
    assert (result.kind, result.rows_accepted, result.rows_rejected) == (kind, rows, 0)
    table = quote_identifier(TABLE[kind])
    for column, value in values.items():
        stored = con.execute(f"SELECT {quote_identifier(column)} FROM {table} ORDER BY row_no LIMIT 1").fetchone()[0]
        assert stored == value


@pytest.mark.parametrize("name", sorted(ASKED))
def test_a_file_the_loaders_are_unsure_of_is_asked_about(con, name):
    import_file(con, TEST_DATA / "nps_gbk.csv")
    before = every_table(con)
    prepared = prepare(con, BAD / name)
    assert [(d.code, d.values) for d in prepared.decisions] == [ASKED[name]]
    with pytest.raises(DecisionNeeded) as asked:
        import_file(con, BAD / name)
    assert asked.value.code == ASKED[name][0]
    assert every_table(con) == before


@pytest.mark.parametrize("name", sorted(ASKED_KIND))
def test_a_file_of_no_kind_the_loaders_know_is_asked_about(con, name):
    import_file(con, TEST_DATA / "nps_gbk.csv")
    before = every_table(con)
    with pytest.raises(KindDecisionNeeded):
        prepare(con, BAD / name)
    assert every_table(con) == before


def item_scores(con) -> dict[str, list[float]]:
    rows = con.execute("SELECT item_code, score FROM survey_rating ORDER BY item_code, row_no").fetchall()
    scores: dict[str, list[float]] = {}
    for code, score in rows:
        scores.setdefault(code, []).append(score)
    return scores


@pytest.mark.parametrize("name, expected", [
    # the file's 2,0 3,0 … (r % 5 + 1, (r + 2) % 5 + 1, (r + 3) % 5 + 1 for respondents 1-5)
    ("decimal_comma_ratings.csv", {"Q1 Staff friendliness": [2, 3, 4, 5, 1], "Q2 Waiting time": [4, 5, 1, 2, 3],
                                   "Q3 Cleanliness": [5, 1, 2, 3, 4]}),
    # text "2,0" among number cells: r % 5 + 1, (r + 1) % 5 + 1, (r + 2) % 5 + 1 for respondents 1-6
    ("xlsx_text_decimal_comma.xlsx", {"Q1": [2, 3, 4, 5, 1, 2], "Q2": [3, 4, 5, 1, 2, 3], "Q3": [4, 5, 1, 2, 3, 4]}),
])
def test_decimal_commas_are_the_numbers_they_show(con, name, expected):
    import_file(con, BAD / name)
    assert item_scores(con) == expected


@pytest.mark.parametrize("text, cells", [
    ("Branch;Score\nNorth;4,5\nSouth;1,250\n", ["4.5", "1.250"]),   # ';' between cells: the comma is decimal
    ('Branch,Score\nNorth,"4,5"\nSouth,"3,0"\n', ["4.5", "3.0"]),  # Google Sheets in a comma-decimal locale
    ('Branch,Score\nNorth,"4,5"\nSouth,"1,250"\n', ["4,5", "1,250"]),   # 1,250 may be a thousand and more
    ("Branch;Score\nNorth;4,5\nSouth;4.5\n", ["4,5", "4.5"]),        # both signs: left for validation to name
    ("Branch;Score\nNorth;4,5\nSouth;n/a\n", ["4,5", "n/a"]),
])
def test_a_column_is_read_with_decimal_commas_only_when_every_cell_is_so_written(tmp_path, text, cells):
    path = tmp_path / "scores.csv"
    path.write_text(text, encoding="utf-8")
    assert read_source(path).table.column("Score").to_pylist() == cells


def test_half_points_import_as_ratings_once_the_analyst_says_so(con):
    columns = ASKED["decimal_comma_halves.csv"][1]["columns"]
    import_file(con, BAD / "decimal_comma_halves.csv",
                overrides=[f"{c}=item:Q{i}" for i, c in enumerate(columns, 1)])
    assert item_scores(con) == {"Q1": [4.5, 4, 5, 3.5], "Q2": [3, 2.5, 4, 3], "Q3": [5, 4, 4.5, 4]}
    # 01.10.2026 with dots is day first: the 1st of October, no --date-order asked
    assert con.execute("SELECT min(responded_at)::DATE::VARCHAR FROM survey_response").fetchone()[0] == "2026-10-01"


def test_rows_of_sums_are_left_out_and_named(con):
    source = read_source(BAD / "totals_row.csv")
    assert source.notices == (("totals_left_out", {"rows": "5, 6", "labels": "Total, Average", "count": "2"}),)
    assert notice_text(*source.notices[0], "en") == (
        "The 2 rows of sums or averages under the data (Total, Average: rows 5, 6) were left out; they are no response.")
    assert notice_text(*source.notices[0], "zh") == "数据下方的 2 行合计或平均（Total, Average：第 5, 6 行）不是答卷，已略去。"
    import_file(con, BAD / "totals_row.csv")
    assert [r[0] for r in con.execute("SELECT score FROM nps_response ORDER BY row_no").fetchall()] == [9, 7, 10]
    import_file(con, BAD / "totals_row_cn.xlsx")
    # 环境整洁 is r % 5 + 1 for respondents 1-6; the 合计 row's 17 and the 平均分 row's 2.83 are no scores
    assert item_scores(con)["环境整洁"] == [2, 3, 4, 5, 1, 2]


def test_a_footer_is_left_out_and_named(con):
    source = read_source(BAD / "salesforce_cases_footer.csv")
    # records 2-4, an empty line, Grand Totals on row 6, an empty line, four lines of footer
    assert source.notices == (("footer_left_out", {"rows": "6, 8, 9, 10, 11", "first": "Grand Totals (3 records)",
                                                   "count": "5"}),)
    assert notice_text(*source.notices[0], "en") == ("The 5 lines under the data that are no response"
                                                     " (rows 6, 8, 9, 10, 11: “Grand Totals (3 records)”…) were left out.")
    assert notice_text(*source.notices[0], "zh") == "数据下方不是答卷的 5 行文字（第 6, 8, 9, 10, 11 行：“Grand Totals (3 records)”…）已略去。"
    assert read_source(BAD / "complaints_12315_footer.xlsx").notices == (
        ("footer_left_out", {"rows": "7", "first": "制表人：赵六", "count": "1"}),)


def test_rows_that_repeat_the_header_are_left_out_and_named(con, tmp_path):
    # two exports pasted one under the other, each with its header (a scraper's second page; a
    # 黑猫投诉 scrape repeats its header on row 2); a row that names only some columns stays a row
    path = tmp_path / "pasted.csv"
    lines = ["Ticket ID,Received,Description,Status"]
    lines += [f"T{i},2026-10-{1 + i:02d},Card blocked {i},Closed" for i in range(3)]
    lines += ["Ticket ID, Received ,Description,Status", "Ticket ID,Received,,", "T3,2026-10-04,Received,Status"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    source = read_source(path)
    # row 5 names every column (a space around one), row 6 two, and has no other cell: both headers again;
    # row 7 is a complaint whose words happen to be two of the names, beside cells that are not
    assert source.notices == (("header_repeated", {"rows": "5-6", "count": "2"}),)
    assert notice_text(*source.notices[0], "en") == (
        "The 2 rows repeating the header (rows 5-6) were left out; they are no response.")
    assert notice_text(*source.notices[0], "zh") == "重复表头的 2 行（第 5-6 行）已略去，它们不是答卷。"
    assert source.table.column("Ticket ID").to_pylist() == ["T0", "T1", "T2", "T3"]


def test_a_file_without_its_header_row_is_refused_at_its_first_row(con, tmp_path):
    # a Microsoft Forms export saved without its header: the first response stood in for the names
    # (1, 4/15/2026 22:38, anonymous, G9 ...) and was lost
    path = tmp_path / "lunch.csv"
    path.write_text("1,4/15/2026 22:38,4/15/2026 22:39,anonymous,G9,7,No\n"
                    "2,4/15/2026 22:47,4/15/2026 22:50,anonymous,G10,6,Yes\n", encoding="utf-8")
    with pytest.raises(LoadError) as refused:
        import_file(con, path)
    assert (refused.value.code, refused.value.row, refused.value.values) == ("no_header", 1, {"cell": "4/15/2026 22:38"})
    assert load_error_text(refused.value, "en") == (
        "lunch.csv, row 1: the row where the column names belong holds a date ('4/15/2026 22:38'), as the rows"
        " of answers under it do, so the file has no header row. Add a row of column names above the data (the"
        " template shows them) and import it again. Nothing was imported.")
    assert con.execute("SELECT count(*) FROM import_batch").fetchone()[0] == 0
    # a header row of names over dates is a header, and so is one date above words (a title's date)
    path.write_text("Response ID,Completion time,Score\n1,4/15/2026 22:39,9\n", encoding="utf-8")
    assert read_source(path).headers == ("Response ID", "Completion time", "Score")


@pytest.mark.parametrize("last_rows, kept", [
    ("\nPrepared by: J. Doe\n", 2),              # under a blank line
    ("Prepared by: J. Doe\n", 2),                # a footer's words
    ("\nC9\n", 2),                               # one cell in the first column under a blank line
    ("C9\n", 3),                                 # right under the data: a response with one cell, named by validation
    ("\n,,,,a comment alone\n", 3),              # not in the first column: a response
])
def test_only_lines_that_read_as_a_footer_are_left_out(tmp_path, last_rows, kept):
    path = tmp_path / "export.csv"
    path.write_text(NPS_HEADER_ROWS + last_rows, encoding="utf-8")
    assert read_source(path).row_count == kept


@pytest.mark.parametrize("last_rows, kept", [
    ("Total,,,26,\n", 2),                      # the sums
    ("Total,2026-10-03,North,8,fine\n", 3),    # a customer whose id is Total: a response, with its date
    ("Total,,,26,see note\n", 3),              # words after the label: not a row of sums
    ("Sum,,,16,\nAverage,,,8,\nCount,,,2,\n", 2),
    ("合计：,,,16,\n", 2),
])
def test_only_a_row_of_numbers_under_its_label_is_a_row_of_sums(tmp_path, last_rows, kept):
    path = tmp_path / "export.csv"
    path.write_text(NPS_HEADER_ROWS + last_rows, encoding="utf-8")
    assert read_source(path).row_count == kept


@pytest.mark.parametrize("values, order", [
    (["01.10.2026", "02.10.2026"], "dmy"),        # dots: day first
    (["01/10/2026", "02/10/2026"], "ambiguous"),
    (["01.10.2026", "10/13/2026"], "mdy"),        # a month-first date with slashes decides
])
def test_dates_with_dots_are_day_first(values, order):
    assert day_month_order(values) == order


# one cell read by the loaders' own date expression, the cell and the forms bound as parameters
DATE_OF_TEXT_SQL = "SELECT " + date_sql("$text")


def read_date(text: str, order: str | None) -> dt.datetime | None:
    return duckdb.connect().execute(DATE_OF_TEXT_SQL, {"text": text, "date_formats": date_formats(order)}).fetchone()[0]


@pytest.mark.parametrize("text, expected", [
    ("10/1/26 9:02:00", dt.datetime(2026, 10, 1, 9, 2)),   # DuckDB's own cast made it the year 10 before
    ("10/1/2026 9:02:00", dt.datetime(2026, 10, 1, 9, 2)),
    ("2026-10-01 09:02", dt.datetime(2026, 10, 1, 9, 2)),
])
def test_two_digit_years_are_this_century(text, expected):
    assert read_date(text, "mdy") == expected


@pytest.mark.parametrize("text, order, expected", [
    # Comcast's complaints export: day, month, two-digit year with dashes (the year 15 before)
    ("22-04-15", "dmy", dt.datetime(2015, 4, 22)),
    ("04-08-15", "dmy", dt.datetime(2015, 8, 4)),
    ("22-04-15 14:05", "dmy", dt.datetime(2015, 4, 22, 14, 5)),
    ("22-04-15 14:05:09", "dmy", dt.datetime(2015, 4, 22, 14, 5, 9)),
    ("04-22-15", "mdy", dt.datetime(2015, 4, 22)),
    ("04-22-15 14:05:09", "mdy", dt.datetime(2015, 4, 22, 14, 5, 9)),
    ("04-22-15 2:05 PM", "mdy", dt.datetime(2015, 4, 22, 14, 5)),
    ("04-22-15 2:05:09 PM", "mdy", dt.datetime(2015, 4, 22, 14, 5, 9)),
    # the four-digit year and the dotted two-digit year read as they did
    ("22-04-2015", "dmy", dt.datetime(2015, 4, 22)),
    ("04-22-2015", "mdy", dt.datetime(2015, 4, 22)),
    ("22.04.15", "dmy", dt.datetime(2015, 4, 22)),
    ("22.04.15 14:05", "dmy", dt.datetime(2015, 4, 22, 14, 5)),
])
def test_two_digit_years_with_dashes_are_this_century(text, order, expected):
    assert read_date(text, order) == expected


@pytest.mark.parametrize("dates, expected", [
    # 22 before the first dash can only be a day: the column is day first
    (["22-04-15", "04-08-15"], [dt.datetime(2015, 4, 22), dt.datetime(2015, 8, 4)]),
    # 22 after it can only be a day: month first
    (["04-22-15", "08-04-15"], [dt.datetime(2015, 4, 22), dt.datetime(2015, 8, 4)]),
])
def test_a_column_of_two_digit_years_with_dashes_imports(con, tmp_path, dates, expected):
    path = tmp_path / "dashes.csv"
    path.write_text("Customer ID,Date,Branch,Score,Comment\n"
                    + "".join(f"C{i},{d},North,9,fine\n" for i, d in enumerate(dates, 1)), encoding="utf-8")
    assert import_file(con, path, kind="nps").rows_accepted == 2
    assert [r[0] for r in con.execute("SELECT responded_at FROM nps_response ORDER BY row_no").fetchall()] == expected


@pytest.mark.parametrize("text, expected", [
    # British Airways' reviews write the day as an ordinal: not a date before
    ("19th November 2023", dt.datetime(2023, 11, 19)),
    ("23rd September 2023", dt.datetime(2023, 9, 23)),
    ("1st October 2023", dt.datetime(2023, 10, 1)),
    ("2nd October 2023", dt.datetime(2023, 10, 2)),
    ("19th Nov 2023", dt.datetime(2023, 11, 19)),
    ("November 19th, 2023", dt.datetime(2023, 11, 19)),
    ("Nov 1st, 2023", dt.datetime(2023, 11, 1)),
    ("Nov 1ST, 2023 2:30 PM", dt.datetime(2023, 11, 1, 14, 30)),
    ("19th", None),   # a day alone is no date
])
def test_a_day_written_as_an_ordinal_is_read(text, expected):
    assert read_date(text, None) == expected


def test_a_time_with_its_am_or_pm_against_it_is_read(con, tmp_path):
    # a Microsoft Forms export written in a locale that glues AM/PM to the time (6/6/2025 6:04:48AM):
    # every row was "is not a date"
    path = tmp_path / "forms.csv"
    path.write_text("ID,Start time,Completion time,Email,Name,How satisfied are you with our service?\n"
                    "1,6/6/2025 6:00:00AM,6/6/2025 6:04:48AM,anonymous,,5\n"
                    "2,6/7/2025 12:40:10AM,6/7/2025 12:48:50AM,anonymous,,4\n"
                    "3,6/13/2025 1:40PM,6/13/2025 1:48PM,anonymous,,3\n", encoding="utf-8")
    result = import_file(con, path, kind="survey")
    assert (result.rows_accepted, result.rows_rejected) == (3, 0)
    assert [r[0] for r in con.execute("SELECT responded_at FROM survey_response ORDER BY row_no").fetchall()] == [
        dt.datetime(2025, 6, 6, 6, 4, 48), dt.datetime(2025, 6, 7, 0, 48, 50), dt.datetime(2025, 6, 13, 13, 48)]


@pytest.mark.parametrize("text, dated", [
    ("19th November 2023", True), ("19th Nov 2023", True), ("November 19th, 2023", True), ("Nov 1st, 2023", True),
    ("23rd September 2023", True), ("19 November 2023", True),
    ("19th century", False), ("2nd floor", False), ("November 2023", False),
])
def test_a_column_of_ordinal_days_looks_like_dates(text, dated):
    assert bool(DATE_LIKE.match(text)) is dated


def test_a_datetime_column_of_ordinal_days_is_the_surveys_date(con, tmp_path):
    path = tmp_path / "reviews.csv"
    path.write_text('ReviewID,OverallRating,ReviewHeader,Datetime\nR1,4,"Fine flight",19th November 2023\n'
                    'R2,5,"Good crew","Nov 1st, 2023"\nR3,2,"Late again",23rd September 2023\n', encoding="utf-8")
    prepared = prepare(con, path, kind="survey")
    assert prepared.mapping.fields["responded_at"] == "Datetime"
    import_file(con, path, kind="survey")
    assert [r[0] for r in con.execute("SELECT responded_at FROM survey_response ORDER BY row_no").fetchall()] == [
        dt.datetime(2023, 11, 19), dt.datetime(2023, 11, 1), dt.datetime(2023, 9, 23)]


# cells of every kind date_sql reads (and some it does not), written together in one column
MIXED_DATE_CELLS = [
    "10/03/26", "10/03/2026", " 10/03/2026 ", "3/10/2026 14:05", "10/13/2026 2:05 PM", "13/10/2026", "26.10.05",
    "05.10.26", "05.10.2026 14:30", "2026.10.05", "2026/10/5 下午 3:05:00", "2026/10/05 09:17", "20261005",
    "5-Oct-26", "05-Oct-2026 14:30", "5 October 2026", "Oct 5, 2026 2:30 PM", "05/Oct/26 2:30 PM", "2026年10月5日",
    "2026-10-05 10:00:00 +0800", "10/5/2026 9:00:00 AM GMT+8", "45123", "45123.5", "2026-10-05", "2026-10-05T14:30",
    "22-04-15", "04-22-15 2:05 PM", "19th November 2023", "Nov 1st, 2023",
    "10/1/26 9:02:00", "1/2/3", "not a date", "", "\u3000", "2026/13/45",
]


@pytest.mark.parametrize("order", [None, "dmy", "mdy"])
def test_a_columns_own_form_tried_first_reads_every_cell_as_the_list_does(order):
    """date_sql's `first` only speeds a column up: whichever form comes first, every cell reads as
    the forms tried in turn read it (a four-digit-year form would read 10/03/26 as the year 26)."""
    reader = duckdb.connect()
    formats = date_formats(order)
    reader.execute("CREATE TABLE cells AS SELECT unnest($cells) AS cell", {"cells": MIXED_DATE_CELLS})
    plain = reader.execute(f"SELECT {date_sql('cell')} FROM cells", {"date_formats": formats}).fetchall()
    assert sum(value is not None for (value,) in plain) >= 15
    read = dict(zip(MIXED_DATE_CELLS, (value for (value,) in plain)))
    if order == "dmy":
        # a two-digit year is this century, as the list's two-digit forms read it before the others
        assert read["26.10.05"] == dt.datetime(2005, 10, 26)
        assert read["10/03/26"] == read["10/03/2026"] == dt.datetime(2026, 3, 10)
        assert read["22-04-15"] == dt.datetime(2015, 4, 22)
    if order == "mdy":
        assert read["04-22-15 2:05 PM"] == dt.datetime(2015, 4, 22, 14, 5)
    assert read["19th November 2023"] == dt.datetime(2023, 11, 19)
    for form in formats:
        first = reader.execute(f"SELECT {date_sql('cell', first='$first')} FROM cells",
                               {"date_formats": formats, "first": form}).fetchall()
        assert first == plain, form


def test_a_columns_own_form_is_the_one_most_of_its_cells_are_read_by():
    reader = duckdb.connect()
    reader.execute("CREATE TABLE t AS SELECT unnest(['2026-10-05', '05/10/2026', '06/10/2026 14:00',"
                   " '07/10/2026', 'x', '', NULL]) AS d")
    assert column_first_format(reader, "d", "t", date_formats("dmy")) == "%d/%m/%Y"
    # ISO dates are read by the cast before any form; a column of them has none of its own
    reader.execute("CREATE TABLE iso AS SELECT unnest(['2026-10-05', '2026-10-06 14:00']) AS d")
    assert column_first_format(reader, "d", "iso", date_formats("dmy")) is None


def test_a_date_column_named_by_hand_says_its_own_order(con):
    # asked for its columns (German headers), then named: 01.10.26 was the year 1, refused as too early, before
    with pytest.raises(DecisionNeeded):
        import_file(con, BAD / "german_short_years.csv", kind="nps")
    import_file(con, BAD / "german_short_years.csv", kind="nps", overrides=[
        "Kunden-Nr=customer_id", "Datum=responded_at", "Filiale=branch", "Bewertung=score", "Kommentar=comment"])
    assert [r[0] for r in con.execute("SELECT responded_at FROM nps_response ORDER BY row_no").fetchall()] == [
        dt.datetime(2026, 10, 1), dt.datetime(2026, 10, 2, 14, 30), dt.datetime(2026, 10, 3)]


def test_times_with_an_offset_keep_their_local_time(con):
    # '+0800' after a space was 'not a date' before
    import_file(con, BAD / "ticket_dates_with_offsets.csv")
    assert [r[0] for r in con.execute("SELECT received_at FROM complaint ORDER BY row_no").fetchall()] == [
        dt.datetime(2026, 10, 1, 9), dt.datetime(2026, 10, 2, 23, 30), dt.datetime(2026, 10, 3, 10)]


@pytest.mark.parametrize("name, column, expected", [
    ("date_month_names.csv", "responded_at",
     [dt.datetime(2026, 10, 5), dt.datetime(2026, 10, 6, 14, 30), dt.datetime(2026, 10, 7), dt.datetime(2026, 10, 8),
      dt.datetime(2026, 10, 9, 14, 30)]),
    ("date_cn_am_pm.csv", "responded_at",   # 上午 12:30 is half past midnight, 下午 12:10 ten past noon
     [dt.datetime(2026, 10, 5, 15, 5), dt.datetime(2026, 10, 6, 11, 20), dt.datetime(2026, 10, 7, 0, 30),
      dt.datetime(2026, 10, 8, 12, 10)]),
    ("fullwidth_score.csv", "score", [10, 9, 0, 7]),
    ("joined_exports_bom.csv", "customer_id", ["C1", "C2", "C3", "C4"]),   # 'C3' kept its mark before   # １０, ９, a full-width space before ０, ７
])
def test_every_row_reads_as_written(con, name, column, expected):
    import_file(con, BAD / name)
    assert [r[0] for r in con.execute(f"SELECT {quote_identifier(column)} FROM nps_response ORDER BY row_no")
            .fetchall()] == expected


def test_hidden_sheets_are_skipped_and_named():
    source = read_source(BAD / "hidden_first_sheet.xlsx")
    assert (source.sheet, source.notices) == ("Data", (("hidden_sheets", {"sheets": "Old"}),))
    assert notice_text(*source.notices[0], "en") == "Hidden sheets were skipped: Old."
    assert notice_text(*source.notices[0], "zh") == "已跳过隐藏的工作表：Old。"
    # named on purpose, a hidden sheet is read
    assert read_source(BAD / "hidden_first_sheet.xlsx", sheet="Old").row_count == 1


def test_rows_hidden_in_excel_are_read_and_named():
    source = read_source(BAD / "filtered_rows.xlsx")
    assert source.notices == (("hidden_rows", {"rows": "3-4", "count": "2"}),)
    assert notice_text(*source.notices[0], "en") == (
        "2 rows hidden in Excel were read as well (rows 3-4); if a filter hid them to leave them out, delete them"
        " in Excel and import again.")
    assert notice_text(*source.notices[0], "zh") == (
        "在 Excel 中隐藏的 2 行也已读取（第 3-4 行）；如果是筛选隐藏、不应导入，请在 Excel 中删除这些行后重新导入。")


def test_merged_cells_fill_down_and_say_which(con):
    source = read_source(BAD / "merged_branch.xlsx")
    assert source.table.column("Branch").to_pylist() == ["North", "North", "North", "South"]
    assert source.notices == (("merged_filled", {"ranges": "C2:C4", "count": "1"}),)
    titled = read_source(BAD / "merged_title_and_branch.xlsx")
    # the title merged across row 1 stays a title: the header is row 2
    assert (titled.header_row, titled.table.column("Branch").to_pylist()) == (2, ["East", "East", "East"])
    assert titled.notices == (("merged_filled", {"ranges": "C3:C5", "count": "1"}),)


def test_multi_line_cells_keep_their_records_numbers():
    source = read_source(BAD / "multiline_cells.csv")
    assert source.table.column("__row").to_pylist() == [2, 3, 4]
    assert source.table.column("Comment").to_pylist() == ["line one\nline two", "a\r\nb\r\nc", "fine"]


@pytest.mark.parametrize("encoding, file_encoding", [("utf-8", "utf-8"), ("gbk", "gb18030")])
def test_lines_ending_in_two_carriage_returns_read_as_one_line_each(con, tmp_path, encoding, file_encoding):
    """Python's csv writer on Windows, its file opened without newline='': every CR LF it ends a record
    with is written CR CR LF, and a line break in a cell CR LF (the Heimao complaints export). The
    parser refused it ('state machine reached an invalid state') before."""
    records = ["Customer ID,Date,Branch,Score,Comment", 'W1,2026-10-01,浦东支行,9,"很好\r\n谢谢"',
               "W2,2026-10-02,浦东支行,7,一般", "W3,2026-10-03,福田支行,10,"]
    path = tmp_path / "nps_windows_python.csv"
    path.write_bytes("".join(r + "\r\r\n" for r in records).encode(encoding))
    source = read_source(path)
    assert (source.encoding, source.headers) == (file_encoding, ("Customer ID", "Date", "Branch", "Score", "Comment"))
    # a record a line: rows 2-4 under the header on row 1; the cell's own line break as Python was given it
    assert source.table.column("__row").to_pylist() == [2, 3, 4]
    assert source.table.column("Comment").to_pylist() == ["很好\n谢谢", "一般", None]
    assert import_file(con, path, kind="nps").rows_accepted == 3
    assert con.execute("SELECT score FROM nps_response WHERE customer_id IN ('W1', 'W2', 'W3') ORDER BY row_no"
                       ).fetchall() == [(9,), (7,), (10,)]


def test_early_dates_import_when_the_analyst_allows_them(con):
    result = import_file(con, BAD / "date_1926.csv", dates_from="1900-01-01")
    assert result.rows_accepted == 4
    assert con.execute("SELECT min(responded_at)::DATE::VARCHAR FROM nps_response").fetchone()[0] == "1926-10-02"
    with pytest.raises(LoadError) as refused:
        prepare(con, BAD / "date_1926.csv", dates_from="1926")
    assert refused.value.code == "date_flag"


def test_future_dates_import_when_the_analyst_allows_them(con):
    assert import_file(con, BAD / "date_future.csv", dates_to="2099-12-31").rows_accepted == 2


@pytest.mark.parametrize("rows_before", [3_000, 30_000])
def test_a_byte_the_encoding_cannot_read_is_named_at_its_line(tmp_path, rows_before):
    """0x90, which Windows-1252 leaves undefined, on the line after `rows_before` rows of Windows-1252
    text (Botanic's NPS export has one on line 1,273): named at line 1 before when it fell in the first
    1 MB chunk (3,000 rows, 126 kB), or at the line that chunk ended on (30,000 rows, 1.2 MB). Past the
    first 64 KiB, which the encoding is judged on (a bad byte there leaves it unknown, another refusal)."""
    good = ["Customer ID,Date,Branch,Score,Comment", 'C1,2026-10-01,Café Crème,9,"très\nbien"']
    good += [f"C{i:05d},2026-10-01,Café Crème,9,très bien" for i in range(2, rows_before + 1)]
    raw = ("\n".join(good) + "\n").encode("cp1252") + b"C99999,2026-10-01,Caf\xe9,9,tr\x90s bien\n"
    raw += b"C99998,2026-10-01,Caf\xe9,9,ok\n"
    assert raw.index(b"\x90") > 65536 and (raw.index(b"\x90") > 1 << 20) == (rows_before == 30_000)
    path = tmp_path / "nps_cp1252.csv"
    path.write_bytes(raw)
    # the header is line 1, C1's quoted cell lines 2-3, C00002 to the last good row a line each:
    # the bad byte is on line rows_before + 3 (a text editor's line, not the spreadsheet's row 1 + rows_before)
    line = rows_before + 3
    with pytest.raises(LoadError) as refused:
        read_source(path)
    error = refused.value
    assert (error.code, error.row, error.values) == ("encoding_mixed", line, {"encoding": "cp1252"})
    assert str(error).startswith(f"nps_cp1252.csv, line {line}: a character cannot be read as cp1252")


def test_a_cell_over_the_field_limit_is_refused_at_its_row_and_column(con, tmp_path):
    path = tmp_path / "comment_3mb.csv"
    path.write_text(long_comment(3_000_000), encoding="utf-8")
    with pytest.raises(LoadError) as refused:
        import_file(con, path)
    assert (refused.value.code, refused.value.row, refused.value.column) == ("field_too_large", 3, "Comment")
    assert refused.value.values == {"chars": "3,000,000", "limit": "100,000"}


def test_a_line_longer_than_the_reader_takes_is_refused_at_its_row_and_column(con, tmp_path):
    path = tmp_path / "comment_20mb.csv"
    path.write_text(long_comment(20_000_000), encoding="utf-8")
    with pytest.raises(LoadError) as refused:
        import_file(con, path)
    assert (refused.value.code, refused.value.row, refused.value.column) == ("field_too_large", 3, "Comment")


def test_shared_strings_over_their_limit_are_refused(monkeypatch, tmp_path):
    monkeypatch.setattr(bounds, "MAX_SHARED_STRINGS_BYTES", 100)
    path = tmp_path / "book.xlsx"
    book = xlsxwriter.Workbook(path)   # writes text cells as shared strings (openpyxl writes them inline)
    book.add_worksheet("Data").write_row(0, 0, ["Customer ID", "Date", "Score", "a longer comment" * 10])
    book.close()
    with pytest.raises(LoadError) as refused:
        read_source(path)
    assert refused.value.code == "shared_strings"


def test_error_cells_are_read_as_their_errors_up_to_their_limit(monkeypatch, tmp_path):
    # the file shows two: #DIV/0! in D3, #N/A in D4 (the workbook reader gives blanks for both)
    assert read_source(BAD / "xlsx_error_cells.xlsx").cells(["Score"]).column(0).to_pylist()[:3] == \
        ["9", "#DIV/0!", "#N/A"]
    monkeypatch.setattr(bounds, "MAX_ERROR_CELLS", 1)
    path = tmp_path / "errors.xlsx"
    path.write_bytes((BAD / "xlsx_error_cells.xlsx").read_bytes())
    with pytest.raises(LoadError) as refused:
        read_source(path)
    assert (refused.value.code, refused.value.sheet) == ("error_cells", "Data")


def test_a_file_over_the_upload_limit_is_refused_before_reading(monkeypatch, tmp_path):
    monkeypatch.setattr(bounds, "MAX_FILE_BYTES", 1000)
    with pytest.raises(LoadError) as refused:
        read_source(BAD / "questionnaire_200.xlsx")
    assert (refused.value.code, refused.value.values["limit"]) == ("file_too_large", "0 MB")


@pytest.mark.parametrize("letters, number", [("A", 1), ("Z", 26), ("AA", 27), ("CRD", 2500), ("XFD", 16384)])
def test_column_letters(letters, number):
    assert bounds.column_number(letters) == number and bounds.column_letters(number) == letters


@pytest.mark.parametrize("name, code", [("zip_bomb.xlsx", "zip_ratio"), ("used_range_xfd.xlsx", "used_range_columns"),
                                        ("unquoted_comma.csv", "too_many_cells"), ("encrypted.xlsx", "encrypted")])
@pytest.mark.slow
def test_the_command_line_prints_a_clean_refusal(tmp_path, name, code):
    done = subprocess.run([sys.executable, "-m", "loaders", "import", str(BAD / name), "--dry-run", "--json",
                           "--db", str(tmp_path / "store.duckdb")], cwd=PROJECT_ROOT, capture_output=True, text=True)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    error = json.loads(done.stdout)["error"]
    assert (error["code"], error["file"]) == (code, name)
    assert done.stderr.startswith(f"error: {name}")


@pytest.mark.slow
def test_the_command_line_allows_early_dates(tmp_path):
    command = [sys.executable, "-m", "loaders", "import", str(BAD / "date_1926.csv"), "--dry-run",
               "--db", str(tmp_path / "store.duckdb")]
    refused = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True)
    allowed = subprocess.run(command + ["--allow-dates-from", "1900-01-01"], cwd=PROJECT_ROOT,
                             capture_output=True, text=True)
    assert (refused.returncode, allowed.returncode) == (2, 0)
    assert "row 3, column 'Date': is before 1990-01-01" in refused.stdout + refused.stderr


MEASURED_IMPORT = textwrap.dedent("""
    import resource, subprocess, sys
    done = subprocess.run([sys.executable, "-m", "loaders", "import", sys.argv[1], "--json", "--db", sys.argv[2]],
                          capture_output=True, text=True)
    print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, done.stderr.count("Traceback"))
""")


@pytest.mark.slow
def test_a_workbook_inflating_to_a_gigabyte_stays_under_the_memory_floor(tmp_path):
    path = tmp_path / "inflates.xlsx"
    make_inflating_workbook(path, 1024)
    assert path.stat().st_size < 8 * 1024 * 1024
    # the import runs as the only child of a process of its own, so its peak is the only one measured
    done = subprocess.run([sys.executable, "-c", MEASURED_IMPORT, str(path), str(tmp_path / "store.duckdb")],
                          cwd=PROJECT_ROOT, capture_output=True, text=True)
    code, peak_kb, tracebacks = map(int, done.stdout.split())
    assert (code, tracebacks) == (2, 0)
    assert peak_kb < 1.5 * 1024 * 1024


def test_a_survey_of_many_items_sums_its_pairs_in_slices_as_in_one_query(con, monkeypatch, tmp_path):
    """survey_moments of a 12-item survey (78 pairs) written in slices of 10 pairs equal those one
    query writes: the slicing that lets a 150-item survey import changes no sum."""
    path = tmp_path / "survey_12.csv"
    path.write_text("\n".join(",".join(map(str, row)) for row in survey_rows(12)) + "\n", encoding="utf-8")
    monkeypatch.setattr(db, "PRODUCTS_PER_QUERY", 10)
    import_file(con, path)
    sliced = con.execute("SELECT * EXCLUDE (batch_id) FROM survey_moments ORDER BY month, answered").fetchall()
    monkeypatch.setattr(db, "PRODUCTS_PER_QUERY", 1000)
    con.execute("DELETE FROM survey_moments")
    db.write_survey_moments(con, con.execute("SELECT id::VARCHAR FROM import_batch").fetchone()[0])
    assert con.execute("SELECT * EXCLUDE (batch_id) FROM survey_moments ORDER BY month, answered").fetchall() == sliced
    assert len(sliced[0][4]) == 12 * 13 // 2
    # with key customers and customers of no tier, whose groups the slices are joined back by
    con.execute("UPDATE survey_response SET tier = CASE WHEN row_no % 3 = 0 THEN 'key' END")
    written = []
    for size in (10, 1000):
        monkeypatch.setattr(db, "PRODUCTS_PER_QUERY", size)
        con.execute("DELETE FROM survey_moments")
        db.write_survey_moments(con, con.execute("SELECT id::VARCHAR FROM import_batch").fetchone()[0])
        written.append(con.execute("SELECT * EXCLUDE (batch_id) FROM survey_moments"
                                   " ORDER BY month, tier NULLS FIRST, answered").fetchall())
    assert written[0] == written[1]
    assert con.execute("SELECT tier, sum(respondents) FROM survey_moments GROUP BY 1 ORDER BY 1 NULLS FIRST"
                       ).fetchall() == con.execute("SELECT tier, count(*) FROM survey_response GROUP BY 1"
                                                   " ORDER BY 1 NULLS FIRST").fetchall()


@pytest.mark.parametrize("shift", range(4))
def test_a_gbk_csv_whose_first_256_kib_end_inside_a_character_is_read_as_gbk(con, tmp_path, shift):
    """The encoding is judged on the file's first 256 KiB (loaders.read.HEAD_BYTES), which may end
    between the two bytes of a GBK character: one ASCII letter more or less at the top moves that
    end by one byte, so of these four files some end inside a character. Each imports its 4,000
    rows with its Chinese comments, never as Windows-1252 (which refused them as garbled headers)."""
    import loaders.read as read
    rows = [f"N{i:05d},2026-10-{1 + i % 28:02d},{i % 11},上海浦东,服务很好，等待时间有点长，工作人员耐心解答问题"
            for i in range(4000)]
    text = "客户编号" + "x" * shift + ",日期,推荐得分,网点,评论\n" + "\n".join(rows) + "\n"
    raw = text.encode("gbk")
    assert len(raw) > read.HEAD_BYTES
    path = tmp_path / f"nps_gbk_{shift}.csv"
    path.write_bytes(raw)
    result = import_file(con, path, kind="nps")
    assert (result.rows_accepted, result.rows_rejected) == (4000, 0)
    comment = con.execute("SELECT comment FROM nps_response WHERE customer_id = 'N00007'").fetchone()[0]
    assert comment == "服务很好，等待时间有点长，工作人员耐心解答问题"


def test_a_notes_sheet_before_the_responses_is_passed_over_and_named(con, tmp_path):
    # a published data set's workbook opens on "about this data" (two columns of notes); its responses
    # are on the second sheet: the import stopped with "cannot tell which kind of file this is"
    path = tmp_path / "hotel_guest_survey.xlsx"
    book = xlsxwriter.Workbook(str(path))
    notes = book.add_worksheet("about_this _data")
    notes.write_row(0, 0, ["Disclaimer", "This dataset was created to simulate a hotel chain's guest survey."])
    notes.write_row(1, 0, ["Columns", "reservation_number, visit_date, ratings 1-5"])
    data = book.add_worksheet("survey_responses")
    data.write_row(0, 0, ["reservation_number", "date", "property_code", "cleanliness", "staff", "overall"])
    for i in range(12):
        data.write_row(i + 1, 0, [f"R{i:05d}", f"2026-10-{1 + i:02d}", ("H1", "H2")[i % 2], 1 + i % 5, 1 + (i + 1) % 5,
                                  1 + (i + 2) % 5])
    book.add_worksheet("properties_info").write_row(0, 0, ["property_code", "hotel_name"])
    book.close()
    prepared = prepare(con, path)
    assert (prepared.source.sheet, prepared.mapping.kind) == ("survey_responses", "survey")
    assert prepared.source.notices[0] == ("sheet_chosen", {"sheet": "survey_responses", "first": "about_this _data"})
    assert notice_text(*prepared.source.notices[0], "en") == (
        "Sheet ‘about_this _data’ holds no table of responses, complaints or NPS answers; sheet ‘survey_responses’"
        " was read. Name another with --sheet (the page: Sheet).")
    assert import_file(con, path).rows_accepted == 12
