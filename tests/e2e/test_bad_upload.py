"""Hostile files through the real uploader: a workbook whose used range reaches XFD1048576 and a zip
bomb are refused with the file, sheet, limit and fix in words, and the dashboard keeps serving."""
from __future__ import annotations

from conftest import TEST_DATA
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot, wait_for_app
# the served dashboard and its store are test_upload's fixtures; pytestmark marks these tests e2e
from tests.e2e.test_upload import UPLOADER, dashboard, open_page, pytestmark, store  # noqa: F401


def test_hostile_workbooks_are_refused_in_words_and_the_page_keeps_working(dashboard, page):  # noqa: F811
    open_page(page, dashboard)
    page.locator(UPLOADER).set_input_files([str(TEST_DATA / "bad" / "used_range_xfd.xlsx"),
                                            str(TEST_DATA / "bad" / "zip_bomb.xlsx"),
                                            str(TEST_DATA / "bad" / "hidden_first_sheet.xlsx")])
    wait_for_app(page)
    expect(page.get_by_text("used_range_xfd.xlsx, sheet 'Data', column 'XFD': its used range reaches XFD1048576"
                            " (16,384 columns; limit: 2,000).")).to_be_visible()
    expect(page.get_by_text("as in a zip bomb (limit: 200 ×)")).to_be_visible()
    expect(page.get_by_text("Hidden sheets were skipped: Old.")).to_be_visible()
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    screenshot(page, "upload-bad-files")
