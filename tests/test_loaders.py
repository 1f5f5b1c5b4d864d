"""The loaders on good files in every supported shape, and on bad files that must change nothing."""
from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys

import dbrows
import pytest
from conftest import PROJECT_ROOT, TEST_DATA, import_good_rows

from loaders.columns import ColumnMapping, infer_mapping, normalise_header
from loaders.errors import LoadError, ValidationError
from loaders.importer import history, import_file, prepare, row_counts, undo
from loaders.read import read_source
from loaders.templates import TEMPLATE_FILES, write_templates
from presentation.problems import load_error_text, problem_text
from store.db import LATEST_VERSION, connect, quote_identifier


def snapshot(con) -> dict[str, list]:
    """Every row of every table, to prove a refused import changed nothing."""
    tables = ["import_batch", "survey_response", "survey_rating", "nps_response", "complaint",
              "management_rating", "service_standard"]
    return {t: sorted(map(repr, con.execute(f"SELECT * FROM {quote_identifier(t)}").fetchall())) for t in tables}


# --- good files ------------------------------------------------------------------------------

@pytest.mark.parametrize("file_name, kind, table, rows", [
    ("nps_gbk.csv", "nps", "nps_response", 5),
    ("complaints_bom.csv", "complaints", "complaint", 3),
    ("title_rows.csv", "nps", "nps_response", 2),
    ("survey_questions.xlsx", "survey", "survey_response", 3),
    ("survey_cn_headers.xlsx", "survey", "survey_response", 2),
])
def test_sample_files_import_with_their_row_counts(con, file_name, kind, table, rows):
    result = import_file(con, TEST_DATA / file_name)
    assert (result.kind, result.rows_accepted, result.rows_rejected) == (kind, rows, 0)
    assert con.execute(f"SELECT count(*) FROM {quote_identifier(table)}").fetchone()[0] == rows


def test_gbk_csv_keeps_chinese_text_and_reads_every_date_form(con):
    import_file(con, TEST_DATA / "nps_gbk.csv")
    rows = con.execute("SELECT row_no, customer_id, responded_at, score, touchpoint, comment,"
                       " comment_language FROM nps_response ORDER BY row_no").fetchall()
    assert rows[0] == (2, "C001", dt.datetime(2026, 9, 1), 10, "手机银行", "服务很好，非常满意", "zh")
    # 2026/09/02 and 2026年9月5日 are read as dates too
    assert rows[1][2] == dt.datetime(2026, 9, 2) and rows[1][5] is None
    assert rows[4][2] == dt.datetime(2026, 9, 5) and rows[4][6] == "en"


def test_dates_kept_as_excel_serial_numbers_are_read_as_dates(con, tmp_path):
    """A date column formatted 'General' in Excel exports the day's serial number (days since
    1899-12-30): 46296 is 2026-10-01 (45658 is 2025-01-01, + 365 + 273 days of 2026 before
    October), its fraction the time of day."""
    path = tmp_path / "complaints_serial.csv"
    path.write_text("Complaint ID,Received,Resolved,Branch,Description\n"
                    "K1,46296,46297.75,Tianhe,Waited an hour\n"
                    "K2,46300.5,,Tianhe,Card was swallowed\n", encoding="utf-8")
    result = import_file(con, path)
    assert (result.kind, result.rows_accepted) == ("complaints", 2)
    assert con.execute("SELECT complaint_ref, received_at, resolved_at FROM complaint ORDER BY 1").fetchall() == [
        ("K1", dt.datetime(2026, 10, 1), dt.datetime(2026, 10, 2, 18)),
        ("K2", dt.datetime(2026, 10, 5, 12), None)]


def test_dates_with_spaces_around_them_are_read_as_dates(con, tmp_path):
    """ISO dates are read from the cell as it is, every other form from the cell trimmed of its spaces,
    a no-break space (U+00A0) and an ideographic one (U+3000, a Chinese input method's) included; 46299
    is 2026-10-04 (46296 is 2026-10-01, as above)."""
    path = tmp_path / "nps_spaced_dates.csv"
    path.write_text("Date,Branch,NPS\n"
                    "2026-10-01,Tianhe,9\n"
                    " 2026-10-02 ,Tianhe,9\n"
                    "2026-10-03\u3000,Tianhe,9\n"
                    "\u00a02026年10月5日,Tianhe,9\n"
                    " 46299 ,Tianhe,9\n", encoding="utf-8")
    result = import_file(con, path)
    assert (result.kind, result.rows_accepted, result.rows_rejected) == ("nps", 5, 0)
    assert [r[0] for r in con.execute("SELECT responded_at FROM nps_response ORDER BY row_no").fetchall()] == [
        dt.datetime(2026, 10, 1), dt.datetime(2026, 10, 2), dt.datetime(2026, 10, 3), dt.datetime(2026, 10, 5),
        dt.datetime(2026, 10, 4)]


def test_a_column_named_for_a_date_whose_cells_are_not_dates_is_named_with_its_cells(con, tmp_path):
    path = tmp_path / "complaints_words.csv"
    path.write_text("Complaint ID,Received,Branch,Description\nK1,last Monday,Tianhe,Waited an hour\n"
                    "K2,yesterday,Tianhe,Card swallowed\n", encoding="utf-8")
    before = snapshot(con)
    with pytest.raises(LoadError) as refused:
        import_file(con, path, kind="complaints")
    error = refused.value
    assert (error.code, error.column, error.values["sample"]) == ("misfit_datetime", "Received",
                                                                  "'last Monday', 'yesterday'")
    assert load_error_text(error, "en") == (
        "complaints_words.csv, column 'Received': the column is named for the date 'Received' / '投诉时间', but"
        " its cells do not read as dates (the first: 'last Monday', 'yesterday'). Write the dates as 2026-10-01"
        " or 2026/10/01 09:30, or map another column to 'Received' / '投诉时间'.")
    assert "投诉时间" in load_error_text(error, "zh") and "'last Monday'" in load_error_text(error, "zh")
    assert snapshot(con) == before


def test_sentiment_is_scored_at_import_and_matches_the_words(con):
    import_file(con, TEST_DATA / "nps_gbk.csv")
    scores = dict(con.execute("SELECT customer_id, sentiment FROM nps_response").fetchall())
    assert scores["C001"] > 0.05          # 服务很好，非常满意
    assert scores["C004"] < -0.05         # 排队时间太长，态度很差
    assert scores["C005"] < -0.05         # The app keeps crashing. Terrible.
    assert scores["C002"] is None         # no comment


def test_cells_that_hold_no_words_are_no_comment(con, tmp_path):
    # markers of a missing answer (pandas' defaults, survey tools' own) and punctuation alone are
    # no comment; a customer's short answer, an emoji, an emoticon of punctuation, a number or WeChat's
    # bracket codes are kept as written
    cells = ["n/a", "N/A", " NULL ", "None", "#N/A", "nil", "（空）", "(跳过)", "-", "...", "／",
             "无", "ok", "😡", "5", "Waited 40 minutes", ":(", ";) ;)", "[强]", "[怒] [怒]"]
    rows = "".join(f"C{i:02d},2026-10-{i + 1:02d},{9 if i % 2 else 3},{cell}\n" for i, cell in enumerate(cells))
    path = tmp_path / "placeholders.csv"
    path.write_text("Customer,Date,NPS,Comment\n" + rows, encoding="utf-8")
    import_file(con, path, kind="nps")
    stored = dict(con.execute("SELECT customer_id, comment FROM nps_response").fetchall())
    assert stored == {f"C{i:02d}": None for i in range(11)} | {
        "C11": "无", "C12": "ok", "C13": "😡", "C14": "5", "C15": "Waited 40 minutes", "C16": ":(", "C17": ";) ;)",
        "C18": "[强]", "C19": "[怒] [怒]"}
    # and complaint descriptions the same way
    path = tmp_path / "complaint_placeholders.csv"
    path.write_text("Complaint ID,Received,Description\nK1,2026-10-01,N/A\nK2,2026-10-02,--\n"
                    "K3,2026-10-03,收费不透明\n", encoding="utf-8")
    import_file(con, path, kind="complaints")
    assert dict(con.execute("SELECT complaint_ref, description FROM complaint").fetchall()) == {
        "K1": None, "K2": None, "K3": "收费不透明"}


def test_complaints_from_utf8_bom_csv(con):
    import_file(con, TEST_DATA / "complaints_bom.csv")
    rows = con.execute("SELECT complaint_ref, customer_id, received_at, resolved_at, escalated,"
                       " satisfaction_after, cause, cause_source FROM complaint ORDER BY row_no").fetchall()
    assert rows[0] == ("K1", "C001", dt.datetime(2026, 9, 1, 9), dt.datetime(2026, 9, 1, 21), False,
                       4.0, "Long waiting time", "given")
    assert rows[1][4] is True
    assert rows[2][3] is None and rows[2][4] is False and rows[2][5] is None


def test_complaint_descriptions_are_cut_into_words_at_import(con):
    import_file(con, TEST_DATA / "complaints_bom.csv")
    words = dict(con.execute("SELECT complaint_ref, description_words FROM complaint").fetchall())
    # English: lower case, words of 3+ letters, stopwords ("the") out; Chinese: jieba's words;
    # a phone number is no word
    assert words["K1"] == ["hour", "queue", "waited"]                # Waited an hour in the queue
    assert words["K2"] == ["不", "收费", "透明"]                      # 收费不透明
    assert words["K3"] == ["app", "call", "crashed", "twice"]        # App crashed twice, call me on 138...


def test_survey_with_questions_sheet_respects_scale_na_code_and_dimensions(con):
    result = import_file(con, TEST_DATA / "survey_questions.xlsx")
    # 3 respondents x (Q1, Q2) = 6 cells, minus R2's Q2 = 0 (not applicable) = 5 satisfaction rows;
    # E_T1/P_T1 answered by R1 and R2 = 4 rows.  5 + 4 = 9
    assert result.ratings == 9
    rows = con.execute("SELECT row_no, item_code, item_text, dimension, kind, score, scale_min, scale_max"
                       " FROM survey_rating ORDER BY row_no, kind, item_code").fetchall()
    assert (3, "Q2") not in {(r[0], r[1]) for r in rows}
    assert (2, "T1", "Modern equipment", "tangibles", "expectation", 6.0, 1.0, 7.0) in rows
    assert (2, "T1", "Modern equipment", "tangibles", "perception", 5.0, 1.0, 7.0) in rows
    assert (2, "Q2", "Staff courtesy", "empathy", "satisfaction", 4.0, 1.0, 5.0) in rows
    assert (2, "Q1", "Waiting time", "responsiveness", "satisfaction", 5.0, 1.0, 5.0) in rows
    overall = con.execute("SELECT overall_satisfaction, overall_scale_min, overall_scale_max FROM"
                          " survey_response WHERE respondent_id = 'R1'").fetchone()
    assert overall == (9.0, 1.0, 10.0)


def test_survey_with_chinese_markers_pairs_expectation_and_perception(con):
    prepared = prepare(con, TEST_DATA / "survey_cn_headers.xlsx")
    kinds = {(r.column, r.kind, r.item_code) for r in prepared.mapping.ratings}
    assert kinds == {("期望_设备", "expectation", "设备"), ("感知_设备", "perception", "设备"),
                     ("期望_效率", "expectation", "效率"), ("感知_效率", "perception", "效率")}
    assert prepared.mapping.fields["branch"] == "网点"
    assert prepared.mapping.fields["comment"] == "意见"
    import_file(con, TEST_DATA / "survey_cn_headers.xlsx")
    # perception - expectation for 效率: (4 - 7 + 6 - 6) / 2 = -1.5
    gap = con.execute(
        "SELECT avg(p.score - e.score) FROM survey_rating p JOIN survey_rating e USING (batch_id, row_no,"
        " item_code) WHERE p.kind = 'perception' AND e.kind = 'expectation' AND item_code = '效率'"
    ).fetchone()[0]
    assert gap == -1.5


@pytest.mark.parametrize("header, normalised", [
    ("Score (0-10)", "score"), ("推荐得分（0-10分）", "推荐得分"), ("  Customer_ID ", "customerid"),
    ("Date 日期", "date日期"),
])
def test_normalise_header(header, normalised):
    assert normalise_header(header) == normalised


def test_an_explicit_mapping_overrides_inference(con, tmp_path):
    path = tmp_path / "odd.csv"
    path.write_text("who,when,how likely\nC1,2026-10-01,9\nC2,2026-10-02,2\n", encoding="utf-8")
    with pytest.raises(LoadError):
        prepare(con, path)           # nothing in these headers says what they are
    mapping = ColumnMapping(kind="nps", fields={"customer_id": "who", "responded_at": "when",
                                                "score": "how likely"})
    result = import_file(con, path, mapping=mapping)
    assert result.rows_accepted == 2
    assert con.execute("SELECT sum(score) FROM nps_response").fetchone()[0] == 11


def test_a_mapping_is_remembered_for_the_same_headers(con, tmp_path):
    first = tmp_path / "sept.csv"
    first.write_text("who,when,how likely\nC1,2026-09-01,9\n", encoding="utf-8")
    second = tmp_path / "oct.csv"
    second.write_text("who,when,how likely\nC1,2026-10-01,3\n", encoding="utf-8")
    mapping = ColumnMapping(kind="nps", fields={"customer_id": "who", "responded_at": "when",
                                                "score": "how likely"})
    import_file(con, first, mapping=mapping)
    prepared = prepare(con, second)
    assert prepared.mapping_origin == "saved" and prepared.mapping.fields == mapping.fields


# --- bad files -------------------------------------------------------------------------------

@pytest.fixture
def store_build():
    return import_good_rows


@pytest.mark.parametrize("file_name, message", [
    ("bad_encoding.csv", "neither UTF-8 nor GBK"),
    ("nps_missing_date.csv", "no column holds the date the survey was answered"),
    ("empty_sheet.xlsx", "sheet 'Responses': the sheet is empty"),
    ("header_only.xlsx", "no data rows under the header"),
])
def test_unreadable_files_are_refused_whole(con, good_rows, file_name, message):
    before = snapshot(con)
    with pytest.raises(LoadError) as error:
        import_file(con, TEST_DATA / file_name, kind="nps")
    assert message in str(error.value)
    assert file_name in str(error.value)
    assert snapshot(con) == before


ZERO_TO_TEN = {"low": "0", "high": "10"}


@pytest.mark.parametrize("file_name, kind, expected, words", [
    ("nps_out_of_range.csv", "nps", [(3, "Score", "11", "outside_scale", "value_range", ZERO_TO_TEN),
                                     (4, "Score", "-1", "outside_scale", "value_range", ZERO_TO_TEN)],
     ["is outside the scale 0-10"] * 2),
    # 31/10/2026 shows the column writes the day first, so it reads; 'yesterday' is no date at all.
    ("nps_bad_date.csv", "nps", [(4, "Date", "yesterday", "not_date", "date", {})],
     ["is not a date"]),
    ("survey_bad_rating.xlsx", "survey", [(3, "Q1", "6", "outside_scale", "score_range", {"low": "1", "high": "5"})],
     ["is outside the scale 1-5"]),
])
def test_invalid_rows_refuse_the_file_and_name_row_column_and_value(con, good_rows, file_name, kind, expected, words):
    before = snapshot(con)
    with pytest.raises(ValidationError) as error:
        import_file(con, TEST_DATA / file_name, kind=kind)
    found = [(p.row, p.column, p.value, p.code, p.fix_code, p.values) for p in error.value.problems]
    assert found == expected
    assert [problem_text(p, "en") for p in error.value.problems] == words
    assert all(p.file == file_name for p in error.value.problems)
    assert error.value.problem_count == len(expected)
    assert snapshot(con) == before


def test_skip_invalid_imports_the_rest_and_records_what_was_skipped(con):
    result = import_file(con, TEST_DATA / "nps_out_of_range.csv", skip_invalid=True)
    assert (result.rows_accepted, result.rows_rejected) == (2, 2)
    assert sorted(r[0] for r in con.execute("SELECT customer_id FROM nps_response").fetchall()) == ["C1", "C4"]
    rejected = con.execute("SELECT rejected_json FROM import_batch").fetchone()[0]
    assert '"row": 3' in rejected and '"row": 4' in rejected


def test_the_same_file_twice_is_refused_and_duplicates_nothing(con, tmp_path):
    import_file(con, TEST_DATA / "nps_gbk.csv")
    before = snapshot(con)
    copy = tmp_path / "renamed.csv"
    shutil.copy(TEST_DATA / "nps_gbk.csv", copy)
    with pytest.raises(LoadError, match="already imported"):
        import_file(con, copy)
    assert snapshot(con) == before


def test_undo_removes_exactly_one_batch_and_allows_reimport(con):
    first = import_file(con, TEST_DATA / "nps_gbk.csv")
    import_file(con, TEST_DATA / "complaints_bom.csv")
    undo(con, first.batch_id[:8])
    counts = row_counts(con)
    assert (counts["nps_response"], counts["complaint"]) == (0, 3)
    batches = history(con)
    assert set(zip(batches.kind, batches.status)) == {("nps", "undone"), ("complaints", "imported")}
    with pytest.raises(LoadError, match="already undone"):
        undo(con, first.batch_id)
    again = import_file(con, TEST_DATA / "nps_gbk.csv")
    assert again.rows_accepted == 5


def test_the_ratings_are_counted_from_each_batchs_count_and_from_rows_without_one(con):
    # survey_questions.xlsx holds 9 ratings (test above); its import writes that count
    first = import_file(con, TEST_DATA / "survey_questions.xlsx")
    assert con.execute("SELECT ratings FROM survey_rating_count").fetchall() == [(9,)]
    assert row_counts(con)["survey_rating"] == 9
    # two ratings written as rows alone (no count of their batch) are counted from the rows: 9 + 2
    dbrows.respondent(con, [("Z1", "satisfaction", 4, 1, 5), ("Z2", "satisfaction", 3, 1, 5)])
    assert row_counts(con)["survey_rating"] == 11
    assert con.execute("SELECT count(*) FROM survey_rating").fetchone()[0] == 11
    # the undo takes the batch's count with its rows: 2 left
    undo(con, first.batch_id)
    assert con.execute("SELECT count(*) FROM survey_rating_count").fetchone()[0] == 0
    assert row_counts(con)["survey_rating"] == 2


def test_a_store_from_step_15_gets_its_survey_batches_ratings_counted_in_step_16(tmp_path):
    path = tmp_path / "old.duckdb"
    con = connect(path)
    batch = import_file(con, TEST_DATA / "survey_questions.xlsx").batch_id
    dbrows.layout_before(con, 16, "survey_rating_count")
    con.close()
    again = connect(path)
    try:
        assert again.execute("SELECT max(version) FROM store_version").fetchone()[0] == LATEST_VERSION
        assert again.execute("SELECT CAST(batch_id AS VARCHAR), ratings FROM survey_rating_count").fetchall() == [
            (batch, 9)]
        assert row_counts(again)["survey_rating"] == 9
    finally:
        again.close()


def test_duplicate_ids_within_a_file_are_invalid(con, tmp_path):
    path = tmp_path / "dup.csv"
    path.write_text("Complaint ID,Received,Cause\nK1,2026-10-01,Fees\nK1,2026-10-02,Fees\n", encoding="utf-8")
    with pytest.raises(ValidationError) as error:
        import_file(con, path, kind="complaints")
    assert [(p.row, p.column, p.code) for p in error.value.problems] == [(3, "Complaint ID", "repeated_id")]


def test_resolution_before_receipt_is_invalid(con, tmp_path):
    path = tmp_path / "time.csv"
    path.write_text("Complaint ID,Received,Resolved\nK1,2026-10-02 10:00,2026-10-01 10:00\n", encoding="utf-8")
    with pytest.raises(ValidationError) as error:
        import_file(con, path, kind="complaints")
    assert [(p.row, p.column, p.value, p.code) for p in error.value.problems] == [
        (2, "Resolved", "2026-10-01 10:00", "resolved_before")]


# --- templates -------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", list(TEMPLATE_FILES))
def test_every_template_imports_as_its_kind(con, tmp_path, kind):
    write_templates(tmp_path)
    result = import_file(con, tmp_path / TEMPLATE_FILES[kind])
    assert (result.kind, result.rows_accepted, result.rows_rejected) == (kind, 2, 0)


def test_committed_templates_are_current(tmp_path):
    write_templates(tmp_path)
    for name in TEMPLATE_FILES.values():
        fresh = read_source(tmp_path / name)
        committed = read_source(PROJECT_ROOT / "data" / "templates" / name)
        assert fresh.headers == committed.headers, name


# --- command line ----------------------------------------------------------------------------

def run_cli(*args: str):
    return subprocess.run([sys.executable, "-m", "loaders", *args], capture_output=True, text=True,
                          cwd=PROJECT_ROOT)


@pytest.mark.slow
def test_cli_import_history_undo(db_path):
    ok = run_cli("import", str(TEST_DATA / "nps_gbk.csv"), "--db", str(db_path))
    assert ok.returncode == 0, ok.stderr
    assert "imported nps: 5 rows from nps_gbk.csv as batch " in ok.stdout
    batch = ok.stdout.rsplit(" ", 1)[-1].strip()
    listed = run_cli("history", "--db", str(db_path))
    assert batch[:8] in listed.stdout and "imported" in listed.stdout
    # a csv names no sheet, beside a workbook's batch that does (pandas then reads the NULL as NaN)
    assert run_cli("import", str(TEST_DATA / "survey_questions.xlsx"), "--db", str(db_path)).returncode == 0
    listed = run_cli("history", "--db", str(db_path))
    assert [line.rsplit("  ", 1)[-1] for line in listed.stdout.splitlines()[1:]] == [
        "survey_questions.xlsx [Responses]", "nps_gbk.csv"]
    gone = run_cli("undo", batch[:8], "--db", str(db_path))
    assert gone.returncode == 0 and f"undone batch {batch}" in gone.stdout


@pytest.mark.slow
def test_cli_import_progress_names_each_step(db_path):
    ok = run_cli("import", str(TEST_DATA / "nps_gbk.csv"), "--db", str(db_path), "--progress")
    assert ok.returncode == 0, ok.stderr
    steps = [line.split(" s ", 1)[1] for line in ok.stderr.splitlines() if line.startswith("progress: ")]
    assert steps == ["reading", "validating", "scoring sentiment", "writing", "learning from the scores", "done",
                     "checking the alert rules", "alert rules checked"]
    assert "Alert rules checked for Sep 2026: no new alert." in ok.stderr
    quiet = run_cli("import", str(TEST_DATA / "complaints_bom.csv"), "--db", str(db_path))
    assert quiet.returncode == 0 and "progress:" not in quiet.stderr


@pytest.mark.slow
def test_cli_refuses_invalid_rows_with_their_reasons(db_path):
    bad = run_cli("import", str(TEST_DATA / "nps_out_of_range.csv"), "--db", str(db_path))
    assert bad.returncode == 2
    assert "nps_out_of_range.csv, row 3, column 'Score': is outside the scale 0-10 (value '11')" in bad.stderr
    assert "Traceback" not in bad.stderr
    skipped = run_cli("import", str(TEST_DATA / "nps_out_of_range.csv"), "--skip-invalid", "--db", str(db_path))
    assert skipped.returncode == 0 and "skipped 2 invalid rows" in skipped.stdout


@pytest.mark.slow
def test_cli_words_the_problems_in_chinese(db_path):
    bad = run_cli("import", str(TEST_DATA / "nps_out_of_range.csv"), "--db", str(db_path), "--lang", "zh")
    assert bad.returncode == 2
    assert bad.stderr.splitlines()[:2] == [
        "error: 4 行中有 2 行无效，未导入任何数据。请修正后重新导入，或用 --skip-invalid 只导入有效行。",
        "  nps_out_of_range.csv，第 3 行，列“Score”：超出量表范围 0-10（值“11”）。请填写 0 到 10 之间的值，"
        "或在列映射中更正量表。"]


@pytest.mark.slow
def test_cli_counts_every_problem_beyond_those_it_lists(db_path, tmp_path):
    # 1,100 scores of 11: more problems than validation keeps in detail (1,000), of which 50 are listed.
    path = tmp_path / "many.csv"
    lines = ["Date,Customer,Score"] + [f"2026-10-01,C{i},11" for i in range(1100)] + ["2026-10-01,C9999,9"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    # A column mostly off the scale is no score column to the mapper (its content does not fit), so
    # the analyst maps it, as --map lets them; validation then names every bad cell.
    bad = run_cli("import", str(path), "--kind", "nps", "--map", "Score=score", "--db", str(db_path))
    assert bad.returncode == 2
    errors = bad.stderr.splitlines()
    assert errors[0] == ("error: 1,100 of 1,101 rows are invalid; nothing was imported. Fix them and import again,"
                         " or import the valid rows with --skip-invalid.")
    assert len(errors) == 1 + 50 + 1 and errors[-1] == "  ... and 1,050 more problems"
    skipped = run_cli("import", str(path), "--kind", "nps", "--map", "Score=score", "--skip-invalid",
                      "--db", str(db_path))
    assert skipped.returncode == 0, skipped.stderr
    printed = skipped.stdout.splitlines()
    # the decision (kind, header, columns) comes first, then what was imported and what was skipped
    imported = next(i for i, line in enumerate(printed) if line.startswith("imported nps: 1 rows"))
    assert printed[imported + 1:imported + 3] == ["skipped 1,100 invalid rows (recorded with the batch):",
                            "  many.csv, row 2, column 'Score': is outside the scale 0-10 (value '11'). Use a value"
                            " from 0 to 10, or correct the scale in the mapping."]
    assert printed[-1] == "  ... and 1,050 more problems"


@pytest.mark.slow
def test_cli_reports_a_duplicate_file(db_path):
    assert run_cli("import", str(TEST_DATA / "nps_gbk.csv"), "--db", str(db_path)).returncode == 0
    again = run_cli("import", str(TEST_DATA / "nps_gbk.csv"), "--db", str(db_path))
    assert again.returncode == 1 and "already imported" in again.stderr


def test_a_required_cell_of_spaces_is_empty(con, tmp_path):
    path = tmp_path / "spaces.csv"
    path.write_text("Standard,Better,Target\n   ,higher,5\nSpeed,sideways,3\n", encoding="utf-8")
    with pytest.raises(ValidationError) as error:
        import_file(con, path, kind="standards")
    assert [(p.row, p.column, p.value, p.code, p.fix_code, p.values) for p in error.value.problems] == [
        (2, "Standard", "", "empty", "fill_in", {"kind": "standards", "field": "standard"}),
        (3, "Better", "sideways", "not_better", "better", {})]


@pytest.mark.slow
@pytest.mark.parametrize("command", [["loaders", "history"], ["analytics", "summary", "--json"]])
def test_a_reader_that_stops_reading_draws_no_traceback(db_path, command):
    # `python -m loaders history | head -3`: head closes the pipe before the command has written all
    assert run_cli("import", str(TEST_DATA / "nps_gbk.csv"), "--db", str(db_path)).returncode == 0
    process = subprocess.Popen([sys.executable, "-m", *command, "--db", str(db_path)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, cwd=PROJECT_ROOT)
    process.stdout.close()
    _, errors = process.communicate(timeout=120)
    assert errors == ""


def test_survey_tools_no_answer_cells_are_blanks_and_other_bracketed_cells_stay(tmp_path):
    # 问卷星 writes (空) for unanswered and (跳过) for skipped: blanks. "(空) " with a space, "(n/a)" and
    # "(none)" are not those tokens, so their columns keep them as written; a column without any "(" too.
    path = tmp_path / "wjx.csv"
    path.write_text("id,q1,q2,q3\n1,(空),(n/a),a\n2,3,(跳过),b\n3,(空) ,(none),c\n", encoding="utf-8")
    table = read_source(path).table
    assert table.column("q1").to_pylist() == [None, "3", "(空) "]
    assert table.column("q2").to_pylist() == ["(n/a)", None, "(none)"]
    assert table.column("q3").to_pylist() == ["a", "b", "c"]
    assert table.column("__row").to_pylist() == [2, 3, 4]
