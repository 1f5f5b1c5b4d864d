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

import pytest
import xlsxwriter
from conftest import PROJECT_ROOT, TEST_DATA

import loaders.bounds as bounds
from loaders.errors import LoadError, ValidationError
from loaders.importer import import_file, prepare
from loaders.read import read_source
from presentation.problems import load_error_text, notice_text, problem_line
import store.db as db
from store.db import quote_identifier

sys.path.insert(0, str(TEST_DATA))
from make_bad import long_comment, make_inflating_workbook, survey_rows  # noqa: E402

BAD = TEST_DATA / "bad"

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
    "too_many_columns.csv": ("too_many_columns", None, 1, "CRD"),
    "truncated.xlsx": ("broken_workbook", None, None, None),
    "truncated_quote.csv": ("unclosed_quote", None, 4, None),
    "unknown_encoding.csv": ("encoding", None, None, None),
    "unquoted_comma.csv": ("too_many_cells", None, 3, "F"),
    "unquoted_semicolon.csv": ("too_many_cells", None, 4, "F"),
    "used_range_cells.xlsx": ("used_range_cells", "Data", None, None),
    "used_range_rows.xlsx": ("used_range_rows", "Data", 2_000_001, None),
    "used_range_xfd.xlsx": ("used_range_columns", "Data", None, "XFD"),
    "zip_bomb.xlsx": ("zip_ratio", None, None, None),
}

# file -> (problem code, row, column) of the first bad cell; nothing is imported
BAD_CELL = {
    "complaint_resolved_1926.csv": ("too_early", 3, "Resolved"),
    "date_1926.csv": ("too_early", 3, "Date"),
    "date_1926_slashes.csv": ("too_early", 3, "Date"),
    "date_1989.csv": ("too_early", 4, "Date"),
    "date_future.csv": ("future", 3, "Date"),
    "div0_score.csv": ("not_number", 3, "Score"),
    "inf_score.csv": ("not_number", 3, "Score"),
    "minus_inf_score.csv": ("not_number", 3, "Score"),
    "multiline_then_bad_score.csv": ("not_number", 4, "Score"),   # record 4; its line is 9
    "na_excel_score.csv": ("not_number", 3, "Score"),
    "nan_lower_score.csv": ("not_number", 3, "Score"),
    "nan_score.csv": ("not_number", 3, "Score"),
    "survey_nan_rating.csv": ("not_number", 22, "Q2"),
    "truncated_mid_row.csv": ("not_date", 5, "Date"),
    "xlsx_date_1926.xlsx": ("too_early", 4, "Date"),
    "xlsx_error_branch.xlsx": ("excel_error", 3, "Branch"),
    "xlsx_error_cells.xlsx": ("not_number", 3, "Score"),   # #DIV/0!, read as a blank before
    "xlsx_nan_text.xlsx": ("not_number", 3, "Score"),
}

# file -> (kind, rows, notices, {column: first value as stored}) of a file that imports
IMPORTED = {
    "cr_only_lines.csv": ("nps", 3, [], {"branch": "Café Crème", "comment": "très bien"}),
    "crlf.csv": ("nps", 4, [], {"branch": "North"}),
    "formulas_computed.xlsx": ("nps", 3, [], {"score": 9}),
    "date_cn_am_pm.csv": ("nps", 4, [], {"responded_at": dt.datetime(2026, 10, 5, 15, 5)}),
    "date_month_names.csv": ("nps", 5, [], {"responded_at": dt.datetime(2026, 10, 5)}),
    "fullwidth_score.csv": ("nps", 4, [], {"score": 10}),
    "gb18030_rare.csv": ("nps", 2, [], {"comment": "𠀀𪚥好"}),
    "gbk.csv": ("nps", 2, [], {"branch": "浦东支行", "comment": "服务很好"}),
    "hidden_first_sheet.xlsx": ("nps", 4, ["hidden_sheets"], {"customer_id": "C1"}),
    "joined_exports_bom.csv": ("nps", 4, [], {"customer_id": "C1"}),
    "macros.xlsm": ("nps", 4, [], {"customer_id": "C1"}),
    "merged_branch.xlsx": ("nps", 4, ["merged_filled"], {"branch": "North"}),
    "merged_title_and_branch.xlsx": ("nps", 3, ["merged_filled"], {"branch": "East"}),
    "multiline_cells.csv": ("nps", 3, [], {"comment": "line one\nline two"}),
    "pipes.csv": ("nps", 4, [], {"branch": "North"}),
    "questionnaire_200.xlsx": ("survey", 40, [], {"branch": "North"}),
    "score_header_cn.csv": ("nps", 2, [], {"score": 9}),
    "semicolons.csv": ("nps", 4, [], {"branch": "North"}),
    "sheet.ods": ("nps", 2, [], {"comment": "fine"}),
    "sheet_libreoffice_edge.ods": ("nps", 1, [], {"branch": "North"}),
    "survey_150.csv": ("survey", 40, [], {"branch": "North"}),
    "text_named.xlsx": ("nps", 4, ["read_as_text"], {"branch": "North"}),
    "utf16_bom_tabs.txt": ("nps", 2, [], {"branch": "Café Crème"}),
    "utf16be_no_bom.csv": ("nps", 2, [], {"branch": "Café Crème", "comment": "très bien"}),
    "utf16le_no_bom.csv": ("nps", 2, [], {"branch": "Café Crème", "comment": "très bien"}),
    "utf8_bom.csv": ("nps", 2, [], {"branch": "Café Crème"}),
    "very_hidden_sheet.xlsx": ("nps", 4, ["hidden_sheets"], {"customer_id": "C1"}),
    "windows1250.csv": ("nps", 2, [], {"branch": "Łódź", "comment": "Zażółć gęślą jaźń"}),
    "windows1251.csv": ("nps", 2, [], {"branch": "Москва", "comment": "Отличный сервис"}),
    "windows1252.csv": ("nps", 2, [], {"branch": "Café Crème", "comment": "très bien"}),
    "workbook_named.csv": ("nps", 4, ["read_as_workbook"], {"customer_id": "C1"}),
}

TABLE = {"nps": "nps_response", "survey": "survey_response"}


def test_every_bad_file_has_its_expectation():
    files = {p.name for p in BAD.iterdir()}
    assert len(files) >= 60
    assert files == set(REFUSED) | set(BAD_CELL) | set(IMPORTED)


def every_table(con) -> dict[str, list]:
    """Every row of every table of the store, as text: a refused import must leave them all as they were."""
    tables = [r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'"
        " AND table_schema = current_schema() AND table_catalog = current_database() ORDER BY 1").fetchall()]
    return {t: sorted(map(repr, con.execute(f"SELECT * FROM {quote_identifier(t)}").fetchall())) for t in tables}


def import_good_rows(con, folder) -> None:
    import_file(con, TEST_DATA / "nps_gbk.csv")


@pytest.fixture
def store_build():
    return import_good_rows


@pytest.fixture
def good_rows(con, built) -> None:
    """`con` opens a store holding nps_gbk.csv's rows, a copy of one imported once (conftest's
    `built`): a refused file must leave them as they were."""
    assert con.execute("SELECT count(*) FROM nps_response").fetchone()[0] > 0


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


def test_early_dates_import_when_the_analyst_allows_them(con):
    result = import_file(con, BAD / "date_1926.csv", dates_from="1900-01-01")
    assert result.rows_accepted == 4
    assert con.execute("SELECT min(responded_at)::DATE::VARCHAR FROM nps_response").fetchone()[0] == "1926-10-02"
    with pytest.raises(LoadError) as refused:
        prepare(con, BAD / "date_1926.csv", dates_from="1926")
    assert refused.value.code == "date_flag"


def test_future_dates_import_when_the_analyst_allows_them(con):
    assert import_file(con, BAD / "date_future.csv", dates_to="2099-12-31").rows_accepted == 2


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
def test_the_command_line_prints_a_clean_refusal(tmp_path, name, code):
    done = subprocess.run([sys.executable, "-m", "loaders", "import", str(BAD / name), "--dry-run", "--json",
                           "--db", str(tmp_path / "store.duckdb")], cwd=PROJECT_ROOT, capture_output=True, text=True)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    error = json.loads(done.stdout)["error"]
    assert (error["code"], error["file"]) == (code, name)
    assert done.stderr.startswith(f"error: {name}")


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
