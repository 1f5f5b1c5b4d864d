"""The Imports page on hostile files (tests/data/bad/): a file that cannot be read says why, where and
what to do in the analyst's language; hidden sheets and merged cells are noticed; dates outside the
range are refused at their row until the analyst widens it."""
from __future__ import annotations

import datetime as dt

import pytest
from conftest import PROJECT_ROOT, TEST_DATA
from streamlit.testing.v1 import AppTest

from store.db import connect

BAD = TEST_DATA / "bad"


@pytest.fixture
def store(db_path, monkeypatch):
    monkeypatch.setenv("FEEDBACK_DB", str(db_path))
    connection = connect(db_path)
    yield connection
    connection.close()


def imports_page(language: str = "en") -> AppTest:
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60)
    if language != "en":
        at.query_params["lang"] = language
    return at.run().switch_page("pages/imports.py").run()


def upload(at: AppTest, name: str) -> AppTest:
    return at.file_uploader(key="upload.files").set_value([(name, (BAD / name).read_bytes(), "text/plain")]).run()


def no_exception(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


@pytest.mark.parametrize("name, language, expected", [
    ("encrypted.xlsx", "en", "encrypted.xlsx: the workbook is protected by a password, so it cannot be read. Open it"
                             " in Excel, remove the password (File > Info > Protect Workbook) and save it again."),
    ("used_range_xfd.xlsx", "en", "used_range_xfd.xlsx, sheet 'Data', column 'XFD': its used range reaches"
                                  " XFD1048576 (16,384 columns; limit: 2,000). Delete the empty columns after the"
                                  " data, or save only the used range in a new workbook."),
    ("unquoted_comma.csv", "zh", "unquoted_comma.csv，第 3 行，列“F”：这一行有 6 个单元格，而表头只有 5 个。有单元格含有"
                                 "未加引号的分隔符，或该行粘贴错了位置：请给该单元格加上引号。未导入任何数据。"),
    ("wjx_summary_report.xlsx", "zh", "wjx_summary_report.xlsx，工作表“Sheet1”，第 2 行：文件是问卷工具的统计报告（每个选项及选择人数："
                                      "选项, 小计, 比例），不是每位答卷人一行。请改为下载原始答卷数据（问卷星：下载答卷数据；腾讯问卷：下载数据 > 原始数据；"
                                      "SurveyMonkey：Export > All individual responses）。"),
])
def test_a_file_that_cannot_be_read_says_why_where_and_what_to_do(store, name, language, expected):
    at = upload(imports_page(language), name)
    no_exception(at)
    assert at.error and [c.value for c in at.code] == [expected]
    assert store.execute("SELECT count(*) FROM import_batch").fetchone()[0] == 0


@pytest.mark.slow
def test_hidden_sheets_are_not_offered_and_are_noticed(store):
    at = upload(imports_page(), "hidden_first_sheet.xlsx")
    no_exception(at)
    assert at.selectbox(key=[s.key for s in at.selectbox if s.key.startswith("upload.sheet.")][0]).options == ["Data"]
    assert "Hidden sheets were skipped: Old." in [i.value.replace("\\", "") for i in at.info]


@pytest.mark.slow
def test_rows_of_sums_are_left_out_and_noticed(store):
    at = upload(imports_page(), "totals_row.csv")
    no_exception(at)
    assert ("The 2 rows of sums or averages under the data (Total, Average: rows 5, 6) were left out; they are no"
            " response.") in [i.value.replace("\\", "") for i in at.info]
    [b for b in at.button if b.key and b.key.startswith("upload.import.")][0].click().run()
    no_exception(at)
    assert store.execute("SELECT count(*), sum(score) FROM nps_response").fetchone() == (3, 26)


@pytest.mark.slow
def test_early_dates_are_refused_until_the_analyst_allows_them(store):
    at = upload(imports_page(), "date_1926.csv")
    no_exception(at)
    earliest = [d for d in at.date_input if d.key.startswith("upload.dates_from.")]
    assert len(earliest) == 1
    problems = [d.value for d in at.dataframe if list(d.value.columns[:3]) == ["Row", "Column", "Value"]][0]
    assert problems.values.tolist()[0][:4] == [3, "Date", "1926-10-02", "is before 1990-01-01"]
    earliest[0].set_value(dt.date(1920, 1, 1)).run()
    no_exception(at)
    [b for b in at.button if b.key and b.key.startswith("upload.import.")][0].click().run()
    no_exception(at)
    assert store.execute("SELECT min(responded_at)::DATE::VARCHAR, count(*) FROM nps_response").fetchone() == \
        ("1926-10-02", 4)
