"""The acting pages in a real browser, with an analyst passphrase set: an analyst unlocks the
follow-up list and edits a row in the grid, a viewer reads it and cannot; a viewer scores the
self-assessment but cannot save it, an analyst saves it. Screenshots at 1440 px in both languages."""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest
from conftest import copy_demo_store
from playwright.sync_api import expect

from analytics.filters import Filters
from analytics.follow_up import follow_up_list
from bench.browser import start_app, stop_app
from loaders.access import set_passphrase
from presentation.follow_up import SHOWN_COLUMNS
from store.db import connect
from store.follow_up import FollowUpChange, save_follow_ups
from tests.e2e.conftest import screenshot, sign_in, wait_for_app, worker_port

pytestmark = pytest.mark.e2e

PASSPHRASE = "correct horse battery"
OCTOBER = Filters(date_from=date(2026, 10, 1), date_to=date(2026, 10, 31))
ROW_HEIGHT = 35          # st.data_editor's row (and header) height in pixels
OWNER_COLUMN = SHOWN_COLUMNS.index("owner")  # the grid's columns are presentation.follow_up.SHOWN_COLUMNS


class Served:
    """The dashboard on its own copy of the demo store, which a test reads once the server stops."""

    def __init__(self, db: Path, first_item: str):
        self.db = db
        self.first_item = first_item
        self.process = start_app(db, port := worker_port())
        self.url = f"http://127.0.0.1:{port}"

    def stop(self) -> None:
        if self.process:
            stop_app(self.process)
            self.process = None

    def rows(self, sql: str, *params):
        self.stop()
        con = connect(self.db)
        try:
            return con.execute(sql, list(params)).fetchall()
        finally:
            con.close()


@pytest.fixture
def served(demo_master, tmp_path):
    """A locked demo store whose October list has two items already followed up."""
    db = copy_demo_store(demo_master, tmp_path)
    con = connect(db)
    try:
        set_passphrase(con, PASSPHRASE)
        keys = follow_up_list(con, OCTOBER)["item_key"].tolist()
        save_follow_ups(con, [FollowUpChange(keys[-1], owner="Wang Fang", status="resolved", outcome="refund agreed",
                                             contacted_at=datetime(2026, 10, 30, 10)),
                              FollowUpChange(keys[-2], owner="Wang Fang", status="contacted")], "seed")
        items = follow_up_list(con, OCTOBER)["item_key"].tolist()
    finally:
        con.close()
    dashboard = Served(db, items[0])
    dashboard.items = items
    yield dashboard
    dashboard.stop()


def open_page(tab, served: Served, page: str, lang: str = "en") -> None:
    tab.set_viewport_size({"width": 1440, "height": 1000})
    tab.goto(f"{served.url}/{page}?month=2026-10&lang={lang}")
    wait_for_app(tab)
    expect(tab.locator('[data-testid="stException"]')).to_have_count(0)


def unlock(tab, name: str = "Li Na") -> None:
    sign_in(tab, PASSPHRASE, name)


def open_cell(tab, grid, column: int):
    """The editor of the first row's cell in `column` (0-based): its first cell clicked, then along the
    row by the arrow keys (the grid is a canvas; its hidden table says which cell is selected), then
    Enter."""
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    tab.mouse.click(box["x"] + 30, box["y"] + ROW_HEIGHT * 1.5)
    selected = grid.locator('td[aria-selected="true"]')
    expect(selected).to_have_attribute("id", "glide-cell-0-0")
    for step in range(1, column + 1):
        tab.keyboard.press("ArrowRight")
        expect(selected).to_have_attribute("id", f"glide-cell-{step}-0")
    expect(selected).to_have_attribute("aria-readonly", "false")
    tab.keyboard.press("Enter")
    editor = tab.locator("#portal textarea, #portal input").first
    expect(editor).to_be_focused()
    return editor


def settle_edit(tab) -> None:
    """Each edit reruns the page: the next begins once that run has ended."""
    tab.wait_for_timeout(500)
    wait_for_app(tab)


def test_an_analyst_edits_a_row_of_the_follow_up_list(served, page):
    open_page(page, served, "follow_up")
    assert page.get_by_role("button", name="Save changes").count() == 0
    unlock(page)
    expect(page.get_by_text("Unlocked for analyst Li Na.")).to_be_visible()
    screenshot(page, "follow-up-01-analyst-en", width=1440)
    grid = page.locator('[data-testid="stDataFrame"]').first
    open_cell(page, grid, OWNER_COLUMN).fill("Zhao Lei")
    page.keyboard.press("Enter")
    settle_edit(page)
    expect(grid.locator(f'td[id="glide-cell-{OWNER_COLUMN}-0"]')).to_have_text("Zhao Lei")
    open_cell(page, grid, OWNER_COLUMN + 2)          # the status, two columns on
    page.keyboard.type("Contacted")
    page.keyboard.press("Enter")
    settle_edit(page)
    # the grid's hidden table holds the status's code; the canvas draws its words
    expect(grid.locator(f'td[id="glide-cell-{OWNER_COLUMN + 2}-0"]')).to_have_text("contacted")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("1 item was saved.")).to_be_visible()
    wait_for_app(page)
    screenshot(page, "follow-up-02-saved-en", width=1440)
    page.get_by_text("简体中文").click()
    wait_for_app(page)
    expect(page.get_by_role("heading", name="闭环跟进")).to_be_visible()
    screenshot(page, "follow-up-03-analyst-zh", width=1440)
    item = served.first_item
    assert served.rows("SELECT owner, status, saved_by, contacted_at IS NOT NULL FROM follow_up WHERE item_key = ?"
                       " ORDER BY revision", item) == [("Zhao Lei", "contacted", "Li Na", True)]


def test_a_viewer_reads_the_follow_up_list_and_cannot_edit_it(served, page):
    open_page(page, served, "follow_up")
    expect(page.get_by_text("You are reading the list. Analysts edit it.")).to_be_visible()
    assert page.get_by_role("button", name="Save changes").count() == 0
    assert page.locator('[data-testid="stFileUploaderDropzoneInput"]').count() == 0
    # the status choice is kept in the link
    page.locator('[data-testid="stMultiSelect"]').filter(has_text="Status").click()
    page.get_by_role("option", name="Contacted").click()
    page.keyboard.press("Escape")
    wait_for_app(page)
    # the link holds the status itself, not its words (pages._common.url_choice), and gives it back
    assert "follow_up.status=contacted" in page.url
    page.goto(page.url)
    wait_for_app(page)
    expect(page.locator('[data-testid="stMultiSelect"]').filter(has_text="Status")).to_contain_text("Contacted")
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.scroll_into_view_if_needed()
    # every cell of the viewer's table is read-only, the owner's too
    expect(grid.locator(f'td[id="glide-cell-{OWNER_COLUMN}-0"]')).to_have_attribute("aria-readonly", "true")
    box = grid.bounding_box()
    page.mouse.dblclick(box["x"] + 30, box["y"] + ROW_HEIGHT * 1.5)
    page.keyboard.type("Nobody")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    page.wait_for_timeout(300)
    expect(grid).not_to_contain_text("Nobody")
    screenshot(page, "follow-up-04-viewer-en", width=1440)
    open_page(page, served, "follow_up", "zh")
    expect(page.get_by_text("您正在查看此列表，分析师可以编辑。")).to_be_visible()
    screenshot(page, "follow-up-05-viewer-zh", width=1440)
    assert served.rows("SELECT count(*) FROM follow_up WHERE owner = 'Nobody' OR saved_by <> 'seed'") == [(0,)]


def test_the_download_holds_the_whole_list_the_page_draws_a_page_of(served, page):
    """The csv is made when its button is clicked, on Streamlit's own thread (pages._common
    deferred_download_buttons), and holds every October item in the list's order; the page draws the
    first 100 and says of how many."""
    open_page(page, served, "follow_up")
    total = len(served.items)
    expect(page.get_by_text(f"Items 1–{min(total, 100)} of {total:,}, most urgent first")).to_be_visible()
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="CSV").click()
    written = pd.read_csv(download.value.path(), encoding="utf-8-sig")
    assert written["Follow-up id"].tolist() == served.items


def test_a_viewer_cannot_save_the_self_assessment_and_an_analyst_can(served, page):
    open_page(page, served, "assessment", "zh")
    page.get_by_label("团队", exact=True).fill("广州天河")
    page.keyboard.press("Enter")
    wait_for_app(page)
    expect(page.get_by_text("保存自评仅限分析师；您可以打分和比较，但不能保存。")).to_be_visible()
    assert page.get_by_role("button", name="保存评估").count() == 0
    screenshot(page, "assessment-00-viewer-zh", width=1440)
    open_page(page, served, "assessment")
    page.get_by_label("Team", exact=True).fill("Guangzhou Tianhe")
    page.keyboard.press("Enter")
    wait_for_app(page)
    expect(page.get_by_text("Saving an assessment is for analysts; you can score and compare without saving.")
           ).to_be_visible()
    assert page.get_by_role("button", name="Save the assessment").count() == 0
    screenshot(page, "assessment-01-viewer-en", width=1440)
    unlock(page)
    page.get_by_role("button", name="Save the assessment").click()
    expect(page.get_by_text("Saved the assessment of Guangzhou Tianhe on")).to_be_visible()
    screenshot(page, "assessment-02-saved-en", width=1440)
    page.get_by_text("简体中文").click()
    wait_for_app(page)
    screenshot(page, "assessment-03-analyst-zh", width=1440)
    assert served.rows("SELECT team, len(answers) FROM self_assessment") == [("Guangzhou Tianhe", 40)]
