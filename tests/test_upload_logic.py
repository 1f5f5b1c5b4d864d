"""The upload page's logic: mapping table both ways, the report and its csv, role checks, imports."""
from __future__ import annotations

import ast
import datetime as dt
import gc
import re
from pathlib import Path

import pandas as pd
import pytest
from conftest import PROJECT_ROOT, TEST_DATA

from loaders.access import AccessError
from loaders.errors import RowProblem, UnknownKindError, ValidationError
from loaders.importer import history
from presentation.export import safe_text, to_csv_bytes
from presentation import upload as upload_logic
from presentation.upload import (
    TARGET_IGNORE, TARGET_RATING, WORD_JOINER, Access, MappingProblem, check_upload, email_allowed, error_text, imported_as,
    mapping_from_table, mapping_table, plain, problems_frame, read_upload, released, report_file_name, run_import,
    run_undo, with_mapping
)
from presentation.problems import fix_text, problem_line, problem_lines, problem_text, refusal
from store.db import quote_identifier

ANALYST = Access("passphrase", True, "Li Na")
VIEWER = Access("passphrase", False)
CJK = re.compile(r"[\u4e00-\u9fff]")


def read(con, name, kind="auto", sheet=None):
    return read_upload(con, name, (TEST_DATA / name).read_bytes(), kind, sheet)


def counts(con) -> dict[str, int]:
    return {t: con.execute(f"SELECT count(*) FROM {quote_identifier(t)}").fetchone()[0]
            for t in ("import_batch", "nps_response", "survey_response", "survey_rating", "complaint")}


# --- reading ---------------------------------------------------------------------------------

def test_an_upload_reads_under_its_own_name(con):
    reading = read(con, "nps_gbk.csv")
    assert reading.error is None and reading.sheets == ()
    assert reading.prepared.source.file_name == "nps_gbk.csv"
    assert reading.prepared.mapping.kind == "nps"


def test_a_workbook_lists_its_sheets(con):
    reading = read(con, "survey_questions.xlsx")
    assert reading.sheets == ("Responses", "Questions")
    assert reading.prepared.source.sheet == "Responses"


def test_unknown_headers_and_other_suffixes_are_reported_not_raised(con):
    assert isinstance(read(con, "nps_needs_mapping.csv").error, UnknownKindError)
    odd = read_upload(con, "notes.txt.exe", b"MZ", "auto")
    assert odd.prepared is None and "only .xlsx and .csv" in str(odd.error)
    # coded, so a Chinese page words it in Chinese too (it was shown in English)
    assert error_text(odd.error, "zh") == "notes.txt.exe：不读取扩展名为 .exe 的文件。请另存为 .xlsx 或 .csv。"


# --- the mapping table -----------------------------------------------------------------------

def test_mapping_table_has_one_row_per_column_with_samples(con):
    table = mapping_table(read(con, "nps_gbk.csv").prepared)
    assert table["column"].tolist() == ["客户编号", "日期", "推荐得分", "触点", "区域", "网点", "评论"]
    assert table["target"].tolist() == ["customer_id", "responded_at", "score", "touchpoint", "region",
                                        "branch", "comment"]
    assert table.loc[0, "sample"] == "C001 · C002 · C003"
    assert table["scale_min"].isna().all()
    # cut at 48 columns, a Chinese character two: as wide as the English samples' cell
    assert table.loc[5, "sample"] == "Shanghai Pudong · Shenzhen Futian · Hangzhou Xi…"
    assert table.loc[6, "sample"] == "服务很好，非常满意 · 还行 · 排队时间太长，态度…"


def test_an_untouched_table_gives_back_the_same_mapping(con):
    prepared = read(con, "survey_questions.xlsx").prepared
    assert mapping_from_table(mapping_table(prepared), prepared) is prepared.mapping


def test_survey_ratings_keep_item_kind_dimension_scale_and_na_code(con):
    prepared = read(con, "survey_questions.xlsx").prepared
    table = mapping_table(prepared).set_index("column")
    assert table.loc["Q2", ["target", "item_code", "rating_kind", "dimension", "scale_min", "scale_max",
                            "na_code"]].tolist() == [TARGET_RATING, "Q2", "satisfaction", "empathy", 1.0, 5.0, 0.0]
    assert table.loc["E_T1", ["item_code", "rating_kind"]].tolist() == ["T1", "expectation"]


def test_a_corrected_mapping_imports_the_file(con):
    """nps_needs_mapping.csv: no header is known; the analyst names the kind and three columns."""
    reading = read(con, "nps_needs_mapping.csv", kind="nps")
    table = mapping_table(reading.prepared)
    assert table["target"].tolist() == [TARGET_IGNORE, TARGET_IGNORE, TARGET_IGNORE, "comment"]
    table["target"] = ["customer_id", "responded_at", "score", "comment"]
    mapping = mapping_from_table(table, reading.prepared)
    assert mapping.fields == {"customer_id": "Member", "responded_at": "Visited on",
                              "score": "How likely (0-10)", "comment": "Why"}
    prepared = with_mapping(reading.prepared, mapping)
    assert prepared.mapping_origin == "edited"
    checked = check_upload(con.cursor(), prepared)
    assert (checked.report.rows_total, checked.report.rows_invalid) == (3, 0)
    outcome = run_import(con, ANALYST, prepared, skip_invalid=False)
    assert outcome.result.rows_accepted == 3
    assert con.execute("SELECT customer_id, responded_at, score, comment, imported_by FROM nps_response"
                       " JOIN import_batch ON id = batch_id ORDER BY row_no").fetchall() == [
        ("M1", dt.datetime(2026, 10, 1), 9, "Quick and friendly service", "Li Na"),
        ("M2", dt.datetime(2026, 10, 2), 3, "排队太久了", "Li Na"),
        ("M3", dt.datetime(2026, 10, 3), 10, None, "Li Na"),
    ]
    # next month's file with the same headers gets the corrected mapping back
    again = read(con, "nps_needs_mapping.csv")
    assert again.error is None and again.prepared.mapping_origin == "saved"
    assert again.prepared.mapping.fields == mapping.fields


def test_a_field_mapped_twice_is_refused_in_the_analysts_language(con):
    prepared = read(con, "nps_gbk.csv").prepared
    table = mapping_table(prepared)
    table.loc[3, "target"] = "branch"          # 触点 as branch, while 网点 is branch already
    with pytest.raises(MappingProblem) as problem:
        mapping_from_table(table, prepared)
    assert problem.value.message("en") == ("Branch is mapped from two columns, '触点' and '网点'. Keep one"
                                           " and set the other to ignore.")
    assert problem.value.message("zh") == "“网点”同时对应了“触点”和“网点”两列。请保留一列，另一列设为忽略。"


def test_rating_scale_corrections_and_inferred_blanks(con):
    prepared = read(con, "survey_cn_headers.xlsx").prepared
    table = mapping_table(prepared)
    rows = table.index[table["column"] == "期望_设备"]
    table.loc[rows, ["scale_min", "scale_max"]] = [1.0, 10.0]
    table.loc[rows, "dimension"] = "有形性"
    mapping = mapping_from_table(table, prepared)
    rating = {r.column: r for r in mapping.ratings}["期望_设备"]
    assert (rating.item_code, rating.kind, rating.dimension, rating.scale_min, rating.scale_max) == \
        ("设备", "expectation", "tangibles", 1.0, 10.0)
    # a column switched to a rating with blank details gets them as the loaders would infer
    table.loc[table["column"] == "总体满意度", "target"] = TARGET_RATING
    rating = {r.column: r for r in mapping_from_table(table, prepared).ratings}["总体满意度"]
    assert (rating.item_code, rating.kind, rating.scale_min, rating.scale_max) == ("总体满意度", "satisfaction", 1.0, 5.0)


@pytest.mark.parametrize("change, key", [
    ({"scale_min": 5.0, "scale_max": 5.0}, "upload.mapping.scale"),
    ({"rating_kind": "loudness"}, "upload.mapping.rating_kind"),
    ({"na_code": "zero"}, "upload.mapping.not_number"),
    ({"target": "not_a_field"}, "upload.mapping.unknown_target"),
])
def test_unusable_rating_details_are_refused(con, change, key):
    prepared = read(con, "survey_cn_headers.xlsx").prepared
    table = mapping_table(prepared).astype({"na_code": object})
    row = table.index[table["column"] == "感知_设备"][0]
    for column, value in change.items():
        table.at[row, column] = value
    with pytest.raises(MappingProblem) as problem:
        mapping_from_table(table, prepared)
    assert problem.value.key == key
    assert CJK.search(problem.value.message("zh"))


def test_two_columns_for_one_item_and_kind_are_refused(con):
    prepared = read(con, "survey_cn_headers.xlsx").prepared
    table = mapping_table(prepared)
    table.loc[table["column"] == "期望_效率", "item_code"] = "设备"
    with pytest.raises(MappingProblem) as problem:
        mapping_from_table(table, prepared)
    assert problem.value.message("en") == ("Item 设备 (expectation) comes from two columns, '期望_设备' and"
                                           " '期望_效率'. Give each its own item code.")
    assert "期望" in problem.value.message("zh")


# --- the report ------------------------------------------------------------------------------

LOADER_PROBLEMS = [
    # (problem code, fix code, values) as loaders/validate.py records them, and their words in English
    ("empty", "fill_in", {"kind": "nps", "field": "responded_at"}, "is empty", "Fill in the Date."),
    ("not_applicable", "needs_value", {"kind": "nps", "field": "score"},
     "is a not-applicable answer, which gives no Recommend score (0-10)",
     "Each row needs the Recommend score (0-10): import the good rows and skip these (--skip-invalid on the command"
     " line), or fill it in."),
    ("not_date", "date", {}, "is not a date", "Write dates as YYYY-MM-DD or YYYY-MM-DD HH:MM (e.g. 2026-10-15)."),
    ("future", "future", {"latest": "2026-12-03"}, "is in the future",
     "Check the year and month of this date. If later dates are right, allow them: --allow-dates-to YYYY-MM-DD,"
     " or the page's latest date."),
    ("too_early", "too_early", {"earliest": "1990-01-01"}, "is before 1990-01-01",
     "Check the year (1926 typed for 2026?). If dates this early are right, allow them: --allow-dates-from"
     " YYYY-MM-DD, or the page's earliest date."),
    ("not_number", "number", {}, "is not a number", "Enter a number."),
    ("not_number", "number_or_blank", {}, "is not a number", "Enter a number, or leave the cell blank."),
    ("outside_scale", "value_range", {"low": "0", "high": "10"}, "is outside the scale 0-10",
     "Use a value from 0 to 10, or correct the scale in the mapping."),
    ("not_whole", "whole", {}, "is not a whole number", "Use a whole number."),
    ("not_yes_no", "yes_no", {}, "is not yes or no", "Write Yes or No (是/否)."),
    ("not_better", "better", {}, "is not higher or lower",
     "Write 'higher' if a larger number is better, 'lower' if a smaller one is."),
    ("not_number", "score_or_blank", {}, "is not a number",
     "Enter a score, or leave the cell blank when the question was not answered."),
    ("not_answer", "answer", {"answers": "Dissatisfied = 2, Satisfied = 4"},
     "is not one of the answers this question's scores know (Dissatisfied = 2, Satisfied = 4)",
     "Give the answer its score with --answer \"ANSWER=SCORE\" (na: not applicable) or in the page's table of"
     " answers, or correct the cell."),
    ("outside_scale", "score_range", {"low": "1", "high": "5"}, "is outside the scale 1-5",
     "Use a score from 1 to 5, or correct the item's scale / not-applicable code in the mapping."),
    ("outside_scale_na", "score_range", {"low": "1", "high": "5", "na": "0"},
     "is outside the scale 1-5 (0 = not applicable)",
     "Use a score from 1 to 5, or correct the item's scale / not-applicable code in the mapping."),
    ("outside_scale_zero", "zero_na", {"low": "1", "high": "5"}, "is 0, outside the scale 1-5",
     "If 0 means 'not applicable' here, read it so: the page's button 'Read 0 as not applicable',"
     " --na-code \"COLUMN=0\", or the N/A column of the mapping; otherwise use a score from 1 to 5."),
    ("repeated_id", "repeated_id", {}, "repeats an ID used earlier in the file",
     "Give every row its own ID, or remove the duplicated row."),
    ("resolved_before", "resolved_before", {}, "is before the complaint was received",
     "Check both dates; resolution comes after receipt."),
    ("unknown_rule", "rule", {"rules": "nps, csi"}, "is not a rule the dashboard knows",
     "Use one of: nps, csi — or give the Actual as a number."),
    ("outside_item_scale", "item_scale", {}, "is outside the item's scale",
     "Use a score within Scale min-Scale max (default 1-7)."),
    ("excel_error", "excel_error", {}, "shows an Excel error, not a value",
     "Fix the formula in Excel (a lookup that found nothing shows #N/A), or clear the cell."),
]


def _codes_validate_records() -> set[tuple[str, str]]:
    """(problem, fix) of every add(condition, column, problem, fix, ...) in loaders/validate.py."""
    tree = ast.parse((PROJECT_ROOT / "loaders" / "validate.py").read_text(encoding="utf-8"))

    def options(node) -> list[str]:
        return options(node.body) + options(node.orelse) if isinstance(node, ast.IfExp) else [node.value]

    return {(problem, fix) for node in ast.walk(tree)
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "add"
            for problem in options(node.args[2]) for fix in options(node.args[3])}


def test_every_code_the_loaders_record_has_its_words():
    assert _codes_validate_records() == {(code, fix) for code, fix, *_ in LOADER_PROBLEMS}


@pytest.mark.parametrize("code, fix_code, values, problem, fix", LOADER_PROBLEMS,
                         ids=[f"{p[0]}-{p[1]}" for p in LOADER_PROBLEMS])
def test_every_loader_problem_reads_in_english_and_chinese(code, fix_code, values, problem, fix):
    row = RowProblem("f.csv", None, 3, "Score", "x", code, fix_code, values)
    assert (problem_text(row, "en"), fix_text(row, "en")) == (problem, fix)
    assert CJK.search(problem_text(row, "zh")) and CJK.search(fix_text(row, "zh"))


def test_chinese_report_keeps_numbers_and_field_names():
    outside = RowProblem("f.csv", None, 3, "Q1", "9", "outside_scale_na", "score_range", {"low": "1", "high": "5", "na": "0"})
    assert problem_text(outside, "zh") == "超出量表范围 1-5（0 表示不适用）"
    empty = RowProblem("f.csv", None, 3, "日期", None, "empty", "fill_in", {"kind": "nps", "field": "responded_at"})
    assert fix_text(empty, "zh") == "请填写日期。"
    # the same field name is a different field in another kind of file
    assert fix_text(RowProblem("f.csv", None, 3, "S", None, "empty", "fill_in", {"kind": "nps", "field": "score"}), "en") == \
        "Fill in the Recommend score (0-10)."
    assert fix_text(RowProblem("f.csv", None, 3, "S", None, "empty", "fill_in",
                                           {"kind": "management_survey", "field": "score"}), "en") == \
        "Fill in the Expected score."


def test_a_problem_line_names_file_sheet_row_column_and_value():
    problem = RowProblem("q.xlsx", "Responses", 7, "Q1", "6", "outside_scale", "score_range", {"low": "1", "high": "5"})
    assert problem_line(problem, "en") == ("q.xlsx, sheet 'Responses', row 7, column 'Q1': is outside the scale 1-5"
                                           " (value '6'). Use a score from 1 to 5, or correct the item's scale /"
                                           " not-applicable code in the mapping.")
    assert problem_line(problem, "zh") == ("q.xlsx，工作表“Responses”，第 7 行，列“Q1”：超出量表范围 1-5（值“6”）。"
                                           "请填写 1 到 5 之间的分数，或在列映射中更正该题的量表或不适用代码。")
    blank = RowProblem("n.csv", None, 2, "Date", None, "empty", "fill_in", {"kind": "nps", "field": "responded_at"})
    assert problem_line(blank, "en") == "n.csv, row 2, column 'Date': is empty. Fill in the Date."


@pytest.mark.parametrize("count, listed, last", [
    (3, 3, "n.csv, row 4, column 'Score': is not a number (value 'x'). Enter a number."),
    (4, 3, "... and 1 more problem"),
    (25_979, 3, "... and 25,976 more problems"),
])
def test_problem_lines_count_what_they_do_not_list(count, listed, last):
    problems = [RowProblem("n.csv", None, row, "Score", "x", "not_number", "number") for row in (2, 3, 4)]
    lines = problem_lines(problems, count, "en", listed=3)
    assert len(lines) == listed + (count > listed) and lines[-1] == last


@pytest.mark.parametrize("total, invalid, head", [
    (1, 1, "the one row is invalid; nothing was imported. Fix it and import again."),
    (5, 5, "all 5 rows are invalid; nothing was imported. Fix them and import again."),
    (5, 1, "1 of 5 rows is invalid; nothing was imported. Fix it and import again, or import the valid rows"
           " with --skip-invalid."),
    (1_200, 2, "2 of 1,200 rows are invalid; nothing was imported. Fix them and import again, or import the valid"
               " rows with --skip-invalid."),
])
def test_a_refusal_says_how_many_rows_in_good_english(total, invalid, head):
    assert refusal(ValidationError([], total, invalid), "en").splitlines() == [head]


def test_bad_rows_report_lists_row_column_value_reason_and_fix(con):
    prepared = read(con, "nps_out_of_range.csv").prepared
    checked = check_upload(con.cursor(), prepared)
    assert (checked.report.rows_total, checked.report.rows_invalid) == (4, 2)
    frame = problems_frame(checked.problems, "en")
    assert frame.columns.tolist() == ["Row", "Column", "Value", "Problem", "How to fix"]
    assert frame.values.tolist()[0] == [3, "Score", "11", "is outside the scale 0-10",
                                        "Use a value from 0 to 10, or correct the scale in the mapping."]
    assert problems_frame(checked.problems, "zh").columns.tolist() == ["行号", "列", "值", "问题", "修改方法"]


@pytest.mark.parametrize("value, cell", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("+1", "'+1"), ("-1", "'-1"),
    ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("plain", "plain"), (None, ""), (3, "3"), ("a=b", "a=b"),
])
def test_csv_cells_never_start_a_formula(value, cell):
    assert safe_text(value) == cell


def test_problem_csv_is_utf8_with_bom_and_formula_safe():
    problems = [RowProblem("f.csv", None, 3, "Score", "=1+1", "not_number", "number")]
    data = to_csv_bytes(problems_frame(problems, "zh"))
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig").splitlines() == ["行号,列,值,问题,修改方法", "3,Score,'=1+1,不是数字,请填写数字。"]


@pytest.mark.parametrize("text", ["survey_10月.xlsx", "![x](http://tracker.example/a.png)", "**bold** #1",
                                  ":red[alarm] <b>", "a\\b"])
def test_names_shown_in_markdown_are_escaped_whole(text):
    escaped = plain(text)
    assert re.sub(r"\\(.)", r"\1", escaped).replace(WORD_JOINER, "") == text
    assert not re.search(r"(?<!\\)[\[\]()*#<>:]", escaped)


@pytest.mark.parametrize("text", ["see https://e.example/x", "WWW.example.com", "mail li@example.com",
                                  "ftp://files.example"])
def test_addresses_shown_in_markdown_cannot_become_links(text):
    # Streamlit's markdown links these after parsing, escaped or not: a word joiner breaks them
    escaped = plain(text).replace("\\", "")
    assert not re.search(r"https?://|ftp://|www\.|@\w", escaped, re.IGNORECASE)


def test_report_file_name_keeps_only_safe_characters():
    assert report_file_name("../../10月 NPS.csv") == "10月_NPS-problems.csv"
    assert report_file_name("...") == "upload-problems.csv"


# --- who may change data ---------------------------------------------------------------------

def test_a_viewer_can_neither_import_nor_undo(con):
    prepared = read(con, "nps_gbk.csv").prepared
    with pytest.raises(AccessError):
        run_import(con, VIEWER, prepared, skip_invalid=False)
    assert counts(con)["import_batch"] == 0
    batch = run_import(con, ANALYST, prepared, skip_invalid=False).result.batch_id
    with pytest.raises(AccessError):
        run_undo(con, VIEWER, batch)
    assert counts(con)["nps_response"] == 5


@pytest.mark.parametrize("email, allowed, expected", [
    ("li.na@bank.example", ["li.na@bank.example"], True),
    ("Li.Na@Bank.Example", ["li.na@bank.example"], True),
    ("anyone@bank.example", ["@bank.example"], True),
    ("anyone@evilbank.example", ["@bank.example"], False),
    ("li.na@bank.example.evil", ["li.na@bank.example"], False),
    (None, ["@bank.example"], False),
    ("li.na@bank.example", [], False),
])
def test_analyst_allow_list(email, allowed, expected):
    assert email_allowed(email, allowed) is expected


# --- importing -------------------------------------------------------------------------------

def test_bad_rows_refuse_the_file_then_import_with_skip(con):
    prepared = read(con, "nps_out_of_range.csv").prepared
    with pytest.raises(ValidationError) as refused:
        run_import(con, ANALYST, prepared, skip_invalid=False)
    assert (refused.value.rows_invalid, refused.value.rows_total) == (2, 4)
    assert counts(con) == {"import_batch": 0, "nps_response": 0, "survey_response": 0, "survey_rating": 0,
                           "complaint": 0}
    outcome = run_import(con, ANALYST, prepared, skip_invalid=True)
    assert (outcome.result.rows_accepted, outcome.result.rows_rejected) == (2, 2)
    assert con.execute("SELECT customer_id, score FROM nps_response ORDER BY row_no").fetchall() == \
        [("C1", 9), ("C4", 8)]
    assert con.execute("SELECT rows_accepted, rows_rejected, imported_by FROM import_batch").fetchone() == \
        (2, 2, "Li Na")


def test_import_reports_what_changed_in_the_headline(con):
    run_import(con, ANALYST, read(con, "nps_gbk.csv").prepared, skip_invalid=False)
    outcome = run_import(con, ANALYST, read(con, "title_rows.csv").prepared, skip_invalid=False)
    changed = {c.key: (c.before, c.after) for c in outcome.changes}
    assert changed["table.nps_response"] == (5, 7)
    assert "table.complaint" not in changed


def test_headline_nps_before_and_after_when_the_analytics_have_it(con):
    pytest.importorskip("analytics.nps")
    run_import(con, ANALYST, read(con, "nps_gbk.csv").prepared, skip_invalid=False)
    outcome = run_import(con, ANALYST, read(con, "nps_out_of_range.csv").prepared, skip_invalid=True)
    # before: 10, 9 promoters; 7 passive; 6, 0 detractors -> 100 * (2 - 2) / 5 = 0
    # after: + 9 promoter, 8 passive -> 100 * (3 - 2) / 7 = 14.29
    changed = {c.key: (c.before, c.after) for c in outcome.changes}
    assert changed["upload.headline.nps"] == (0.0, pytest.approx(100 / 7))


def test_a_file_already_imported_is_recognised(con):
    prepared = read(con, "nps_gbk.csv").prepared
    assert imported_as(history(con), prepared.source.sha256) is None
    batch = run_import(con, ANALYST, prepared, skip_invalid=False).result.batch_id
    assert imported_as(history(con), prepared.source.sha256)["id"] == batch
    run_undo(con, ANALYST, batch)
    assert imported_as(history(con), prepared.source.sha256) is None
    assert counts(con)["nps_response"] == 0


def test_survey_with_chinese_headers_imports_with_its_ratings(con):
    prepared = read(con, "survey_cn_headers.xlsx").prepared
    outcome = run_import(con, ANALYST, prepared, skip_invalid=False)
    assert (outcome.result.rows_accepted, outcome.result.ratings) == (2, 8)
    assert con.execute("SELECT item_code, kind, score FROM survey_rating WHERE row_no = 2"
                       " ORDER BY kind, item_code").fetchall() == [
        ("效率", "expectation", 7.0), ("设备", "expectation", 6.0), ("效率", "perception", 4.0),
        ("设备", "perception", 5.0)]
    assert isinstance(history(con), pd.DataFrame)


def test_the_upload_logic_imports_no_streamlit():
    """presentation/upload.py is tested without a running app, so it stays free of Streamlit."""
    source = (PROJECT_ROOT / "presentation" / "upload.py").read_text(encoding="utf-8")
    assert not re.search(r"^\s*(import streamlit|from streamlit\b)", source, re.M)


# --- the upload widget's own words in the reader's language ------------------------------------------

def test_the_uploader_says_its_button_and_limit_in_chinese():
    from presentation.upload import uploader_words_css

    css = uploader_words_css("upload.files", ("xlsx", "csv"), 500, "zh")
    scope = '.st-key-upload-files [data-testid="stFileUploaderDropzone"]'
    assert f'{scope} button [data-testid="stMarkdownContainer"]::after {{ content: "上传文件"; }}' in css
    assert 'content: "每个文件不超过 500 MB · 格式：XLSX、CSV";' in css
    assert f'{scope} [data-testid="stFileUploaderDropzoneInstructions"] span {{ display: none; }}' in css
    assert uploader_words_css("upload.files", ("xlsx",), 500, "en") == ""  # Streamlit's own English


def test_a_quote_in_the_uploaders_words_cannot_end_the_style_string():
    from presentation.upload import _css_string

    assert _css_string('a"b\\c') == '"a\\22 b\\5c c"'


def test_an_import_lets_go_of_the_uploads_cells_and_a_refused_one_keeps_them(con):
    """issue 20's memory floor on the page: once an import goes on, the upload's cells are let go of
    (the page reads the file again if it needs them: released); a refusal the analyst can answer
    keeps them for the retry."""
    prepared = read(con, "nps_out_of_range.csv").prepared
    with pytest.raises(ValidationError):
        run_import(con, ANALYST, prepared, skip_invalid=False)
    assert not released(prepared) and prepared.source.row_count == 4
    run_import(con, ANALYST, prepared, skip_invalid=True)
    assert released(prepared) and prepared.source.row_count == 0


def test_the_pages_check_runs_within_the_import_budget_beside_the_uploads_bytes(con, monkeypatch):
    """issue 20: the page validates as the import does, DuckDB within the budget less the cells and
    the upload's bytes the server holds: 800 MiB - 700 MiB - a few KB of cells is under the least,
    256 MiB; the store's own limit comes back afterwards."""
    monkeypatch.setenv("FEEDBACK_IMPORT_MEMORY", "800MiB")
    seen = []
    checking = upload_logic.check

    def spied(cur, prepared):
        seen.append(cur.execute("SELECT current_setting('memory_limit')").fetchone()[0])
        return checking(cur, prepared)

    monkeypatch.setattr(upload_logic, "check", spied)
    before = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    checked = check_upload(con, read(con, "nps_gbk.csv").prepared, held_bytes=700 * 2 ** 20)
    assert checked.report.rows_total == 5
    assert seen == ["256.0 MiB"]
    assert con.execute("SELECT current_setting('memory_limit')").fetchone()[0] == before


def test_an_upload_waits_read_and_mapped_with_its_cells_on_disk_not_in_memory(con):
    """issue 20: the page holds a reading between runs while the server holds the upload's bytes, so
    its cells wait in a file of their own and none in memory; the rows read, the samples and the
    cells a corrected mapping looks at are read from that file (nps_gbk.csv: 5 rows, C001..C005)."""
    prepared = read(con, "nps_gbk.csv").prepared
    source = prepared.source
    assert source.table.num_rows == 0 and source.table.nbytes == 0
    assert source.spilled is not None and Path(source.spilled.path).stat().st_size > 0
    assert source.row_count == 5 and not released(prepared)
    assert source.cells(["客户编号"]).column(0).to_pylist() == ["C001", "C002", "C003", "C004", "C005"]
    assert mapping_table(prepared).loc[0, "sample"] == "C001 · C002 · C003"


def test_the_check_counts_no_cells_once_they_wait_on_disk(con, monkeypatch):
    """The page's check gives DuckDB the whole budget less the upload's bytes: 800 MiB - 300 MiB =
    500 MiB exactly (cells held in memory would have taken their few KB off it, 499 MiB)."""
    monkeypatch.setenv("FEEDBACK_IMPORT_MEMORY", "800MiB")
    seen = []
    checking = upload_logic.check

    def spied(cur, prepared):
        seen.append(cur.execute("SELECT current_setting('memory_limit')").fetchone()[0])
        return checking(cur, prepared)

    monkeypatch.setattr(upload_logic, "check", spied)
    checked = check_upload(con.cursor(), read(con, "nps_out_of_range.csv").prepared, held_bytes=300 * 2 ** 20)
    assert seen == ["500.0 MiB"]
    # the bad cells' text comes from the file on disk: rows 3 and 4 (11 and -1 on a 0-10 scale)
    assert [(p.row, p.column, p.value) for p in checked.problems] == [(3, "Score", "11"), (4, "Score", "-1")]


@pytest.mark.slow
def test_the_cells_file_goes_with_the_reading_and_with_an_import(con):
    reading = read(con, "nps_gbk.csv")
    path = Path(reading.prepared.source.spilled.path)
    assert path.exists()
    del reading
    gc.collect()
    assert not path.exists()
    prepared = read(con, "nps_gbk.csv").prepared
    path = Path(prepared.source.spilled.path)
    outcome = run_import(con, ANALYST, prepared, skip_invalid=False)
    assert outcome.result.rows_accepted == 5
    assert released(prepared) and prepared.source.spilled is None and not path.exists()
