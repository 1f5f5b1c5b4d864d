"""The upload page in a real browser: files go through the real st.file_uploader, the mapping is
corrected in the real grid, imports and undo land in the store (checked after the server stops)."""
from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PROJECT_ROOT, TEST_DATA, copy_demo_store
from playwright.sync_api import expect

from app import PAGES
from bench.browser import start_app, stop_app
from loaders.access import set_passphrase
from store.db import connect
from tests.e2e.conftest import screenshot, wait_for_app, worker_port

pytestmark = pytest.mark.e2e

PASSPHRASE = "correct horse battery"
# the data files' uploader; the label table's comes after it on the page
UPLOADER = '[data-testid="stFileUploaderDropzoneInput"] >> nth=0'
ROW_HEIGHT = 35          # st.data_editor's row (and header) height in pixels


class Dashboard:
    """A dashboard served on its own store, which tests read once the server has stopped."""

    def __init__(self, db: Path):
        self.db = db
        self.url = ""
        self.process = None

    def start(self) -> "Dashboard":
        port = worker_port()
        self.process = start_app(self.db, port)
        self.url = f"http://127.0.0.1:{port}"
        return self

    def stop(self) -> None:
        if self.process:
            stop_app(self.process)

    def rows(self, sql: str, *params):
        self.stop()
        con = connect(self.db)
        try:
            return con.execute(sql, list(params)).fetchall()
        finally:
            con.close()


def cli(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "loaders", *args], cwd=PROJECT_ROOT, check=True, capture_output=True,
                   text=True)


@pytest.fixture
def store(complaint_master, tmp_path) -> Path:
    """A store that already holds a complaint log, as a running dashboard's would: a copy of the
    run's one (conftest's complaint_master)."""
    return copy_demo_store(complaint_master, tmp_path)


@pytest.fixture
def dashboard(store):
    served = Dashboard(store).start()
    yield served
    served.stop()


@pytest.fixture
def locked_dashboard(store):
    con = connect(store)
    try:
        set_passphrase(con, PASSPHRASE)
    finally:
        con.close()
    served = Dashboard(store).start()
    yield served
    served.stop()


def open_page(tab, dashboard: Dashboard, lang: str = "en") -> None:
    tab.goto(f"{dashboard.url}/imports?lang={lang}")
    wait_for_app(tab)
    expect(tab.locator('[data-testid="stException"]')).to_have_count(0)


def upload(tab, *names: str) -> None:
    tab.locator(UPLOADER).set_input_files([str(TEST_DATA / name) for name in names])
    wait_for_app(tab)


def metric(tab, label: str) -> str:
    box = tab.locator('[data-testid="stMetric"]').filter(has=tab.get_by_text(label, exact=True)).last
    return box.locator('[data-testid="stMetricValue"]').inner_text().strip()


def settle(tab) -> None:
    tab.wait_for_timeout(300)
    wait_for_app(tab)


# --- the tests -------------------------------------------------------------------------------

def test_analyst_unlocks_uploads_a_workbook_and_sees_the_new_rows(locked_dashboard, page):
    open_page(page, locked_dashboard)
    assert page.locator(UPLOADER).count() == 0
    assert page.get_by_role("button", name="Undo…").count() == 0
    screenshot(page, "upload-01-viewer")

    page.get_by_text("Analyst sign-in").click()
    page.get_by_label("Analyst passphrase").fill("not the passphrase")
    page.get_by_label("Analyst passphrase").press("Tab")   # committed before the click (conftest.sign_in)
    wait_for_app(page)
    page.get_by_role("button", name="Unlock").click()
    expect(page.get_by_text("That passphrase is not right.")).to_be_visible()
    assert page.locator(UPLOADER).count() == 0
    screenshot(page, "upload-02-wrong-passphrase")

    page.get_by_label("Your name (shown in the import history)").fill("Li Na")
    page.get_by_label("Your name (shown in the import history)").press("Tab")
    page.get_by_label("Analyst passphrase").fill(PASSPHRASE)
    page.get_by_label("Analyst passphrase").press("Tab")
    wait_for_app(page)
    page.get_by_role("button", name="Unlock").click()
    expect(page.get_by_text("Unlocked for analyst Li Na.")).to_be_visible()
    screenshot(page, "upload-03-unlocked")

    upload(page, "survey_questions.xlsx")
    expect(page.get_by_text("Every row is good: 3 rows are ready to import.")).to_be_visible()
    expect(page.get_by_text("Detected as Survey. 3 rows under the header on row 1.")).to_be_visible()
    screenshot(page, "upload-04-workbook-checked")

    before = metric(page, "Survey responses")
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_text("Imported 3 rows from survey_questions.xlsx as batch")).to_be_visible(timeout=60_000)
    settle(page)
    expect(page.get_by_text("This file was imported on")).to_be_visible()
    assert (before, metric(page, "Survey responses"), metric(page, "Survey ratings")) == ("0", "3", "9")
    screenshot(page, "upload-05-workbook-imported")

    overview = [spec for spec in PAGES if spec.url_path == "overview"]
    if overview:
        page.goto(f"{locked_dashboard.url}/overview?lang=en")
        wait_for_app(page)
        expect(page.locator('[data-testid="stException"]')).to_have_count(0)
        screenshot(page, "upload-06-overview-after-import")

    assert locked_dashboard.rows(
        "SELECT kind, source_file, source_sheet, rows_accepted, rows_rejected, imported_by, status"
        " FROM import_batch WHERE kind = 'survey'") == [
        ("survey", "survey_questions.xlsx", "Responses", 3, 0, "Li Na", "imported")]
    assert locked_dashboard.rows("SELECT respondent_id, responded_at, branch, overall_satisfaction"
                                 " FROM survey_response ORDER BY row_no") == [
        ("R1", dt.datetime(2026, 10, 1), "Shanghai Pudong", 9.0),
        ("R2", dt.datetime(2026, 10, 2), "Shanghai Pudong", 6.0),
        ("R3", dt.datetime(2026, 10, 3), "Hangzhou Xihu", 8.0)]
    assert locked_dashboard.rows("SELECT count(*) FROM survey_rating") == [(9,)]
    assert locked_dashboard.rows("SELECT count(*) FROM complaint") == [(3,)]


def test_gbk_csv_with_chinese_headers_imports_on_the_chinese_page(dashboard, page):
    open_page(page, dashboard, "zh")
    expect(page.get_by_text("上传未设限制")).to_be_visible()
    upload(page, "nps_gbk.csv")
    expect(page.get_by_text("识别为NPS。 表头在第 1 行，其下共 5 行。")).to_be_visible()
    expect(page.get_by_text("全部有效：5 行可以导入。")).to_be_visible()
    screenshot(page, "upload-10-gbk-csv-zh")
    page.get_by_role("button", name="导入", exact=True).click()
    expect(page.get_by_text("已从 nps_gbk.csv 导入 5 行")).to_be_visible(timeout=60_000)
    settle(page)
    assert metric(page, "NPS 回答") == "5"
    screenshot(page, "upload-11-gbk-csv-imported-zh")
    assert dashboard.rows("SELECT customer_id, responded_at, score, touchpoint, comment, comment_language"
                          " FROM nps_response ORDER BY row_no") == [
        ("C001", dt.datetime(2026, 9, 1), 10, "手机银行", "服务很好，非常满意", "zh"),
        ("C002", dt.datetime(2026, 9, 2), 9, "网点柜台", None, None),
        ("C003", dt.datetime(2026, 9, 3), 7, "客服热线", "还行", "zh"),
        ("C004", dt.datetime(2026, 9, 4), 6, "网点柜台", "排队时间太长，态度很差", "zh"),
        ("C005", dt.datetime(2026, 9, 5), 0, "手机银行", "The app keeps crashing. Terrible.", "en")]


def choose_in_grid(tab, grid, row: int, option: str) -> None:
    """Pick an option in the last column of an st.data_editor row (a canvas: click by position)."""
    box = grid.bounding_box()
    tab.mouse.dblclick(box["x"] + box["width"] - 60, box["y"] + ROW_HEIGHT * (row + 1) + ROW_HEIGHT / 2)
    tab.wait_for_timeout(400)
    tab.keyboard.type(option)
    tab.keyboard.press("Enter")
    settle(tab)


def test_a_file_with_unknown_headers_is_mapped_in_the_grid_and_imported(dashboard, page):
    open_page(page, dashboard)
    upload(page, "nps_needs_mapping.csv")
    expect(page.get_by_text("The headers do not say which kind of file this is.")).to_be_visible()
    screenshot(page, "upload-20-unknown-kind")
    page.get_by_label("Kind of file").click()
    page.get_by_role("option", name="NPS", exact=True).click()
    settle(page)
    expect(page.get_by_text("Map a column to Date, Recommend score (0-10)")).to_be_visible()
    screenshot(page, "upload-21-kind-chosen")
    grid = page.locator('[data-testid="stDataFrame"]').first
    for row, option in ((0, "Customer ID"), (1, "Date"), (2, "Recommend score")):
        choose_in_grid(page, grid, row, option)
    expect(page.get_by_text("Every row is good: 3 rows are ready to import.")).to_be_visible()
    screenshot(page, "upload-22-mapping-corrected")
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_text("Imported 3 rows from nps_needs_mapping.csv")).to_be_visible(timeout=60_000)
    settle(page)
    assert dashboard.rows("SELECT customer_id, responded_at, score, comment FROM nps_response"
                          " ORDER BY row_no") == [
        ("M1", dt.datetime(2026, 10, 1), 9, "Quick and friendly service"),
        ("M2", dt.datetime(2026, 10, 2), 3, "排队太久了"),
        ("M3", dt.datetime(2026, 10, 3), 10, None)]


def test_bad_rows_are_refused_then_imported_without_them(dashboard, page):
    open_page(page, dashboard)
    upload(page, "nps_out_of_range.csv")
    expect(page.get_by_text("2 of 4 rows have problems.")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("button", name="CSV", exact=True).first.click()  # the problems'; the history has its own
    report = Path(download.value.path()).read_bytes().decode("utf-8-sig").splitlines()
    assert report == ["Row,Column,Value,Problem,How to fix",
                      "3,Score,11,is outside the scale 0-10,\"Use a value from 0 to 10, or correct the scale in"
                      " the mapping.\"",
                      "4,Score,'-1,is outside the scale 0-10,\"Use a value from 0 to 10, or correct the scale in"
                      " the mapping.\""]
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_text("Nothing was imported: 2 of 4 rows have problems")).to_be_visible()
    screenshot(page, "upload-30-bad-rows-refused")
    page.get_by_text("Import the 2 good rows and skip the 2 with problems").click()
    settle(page)
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_text("2 rows with problems were skipped and recorded with the batch.")).to_be_visible(
        timeout=60_000)
    settle(page)
    screenshot(page, "upload-31-imported-without-bad-rows")
    assert dashboard.rows("SELECT customer_id, score FROM nps_response ORDER BY row_no") == [("C1", 9), ("C4", 8)]
    assert dashboard.rows("SELECT rows_accepted, rows_rejected FROM import_batch WHERE kind = 'nps'") == [(2, 2)]


def test_undo_removes_exactly_the_chosen_batch_after_confirmation(store, page):
    cli("import", str(TEST_DATA / "title_rows.csv"), "--db", str(store))
    dashboard = Dashboard(store).start()
    try:
        open_page(page, dashboard)
        assert metric(page, "NPS responses") == "2"
        page.get_by_label("Batch to undo").click()
        page.get_by_role("option").filter(has_text="title_rows.csv").click()
        settle(page)
        page.get_by_role("button", name="Undo…").click()
        dialog = page.get_by_role("dialog")
        expect(dialog.get_by_text("2 rows of NPS from title_rows.csv")).to_be_visible()
        screenshot(page, "upload-40-undo-confirm")
        dialog.get_by_role("button", name="Yes, undo it").click()
        expect(page.get_by_text("Undone: batch")).to_be_visible()
        settle(page)
        assert (metric(page, "NPS responses"), metric(page, "Complaints")) == ("0", "3")
        screenshot(page, "upload-41-undone")
        assert dashboard.rows("SELECT kind, status FROM import_batch ORDER BY kind") == [
            ("complaints", "imported"), ("nps", "undone")]
        assert dashboard.rows("SELECT count(*) FROM nps_response") == [(0,)]
        assert dashboard.rows("SELECT count(*) FROM complaint") == [(3,)]
    finally:
        dashboard.stop()
