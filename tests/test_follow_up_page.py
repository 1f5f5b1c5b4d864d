"""The follow-up page with Streamlit's AppTest: what an analyst and a viewer get, both languages,
presentation mode's masking, and the filters kept in the link."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from test_follow_up import C1, OCTOBER, fill, record

from analytics.follow_up import current_hour, follow_up_list
from loaders.access import set_passphrase
from pages import _common
from pages import _keys as keys
from store.db import connect
from store.follow_up import FollowUpChange, save_follow_ups

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PASSPHRASE = "correct horse battery"


def store(path: Path, passphrase: bool = False) -> Path:
    con = connect(path)
    try:
        fill(con)
        record(con)
        if passphrase:
            set_passphrase(con, PASSPHRASE)
    finally:
        con.close()
    return path


def open_page(path: Path, monkeypatch, **params) -> AppTest:
    monkeypatch.setenv("FEEDBACK_DB", str(path))
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60)
    at.query_params.update({"lang": "en", "month": "2026-10", **params})
    at.run()
    at.switch_page("pages/follow_up.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def tiles(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_an_analyst_gets_the_editor_and_saving_nothing_says_so(tmp_path, monkeypatch):
    at = open_page(store(tmp_path / "s.duckdb"), monkeypatch)
    # as of today every October item is past its due date but the resolved one; every detractor's 48 h
    # have passed: C1 within 23 h, C2a after 72 h, C2b and C5 never: 1 of 4
    assert tiles(at) == {"Items": "9", "Still open": "8", "Overdue": "8", "Contacted within 48 h": "25%",
                         "Next score rose": "67%"}
    assert "1 of 4 · too few to judge" in [c.value for c in at.caption]
    editor = at.dataframe[0]
    assert editor.editing_mode != "read_only"
    assert editor.value["item_key"].tolist()[0] == C1
    at.button(key=keys.FOLLOW_UP_SAVE).click().run()
    assert [s.value for s in at.success] == ["Nothing was changed."]


def test_a_viewer_reads_the_list_and_cannot_save(tmp_path, monkeypatch):
    at = open_page(store(tmp_path / "s.duckdb", passphrase=True), monkeypatch)
    assert [b.key for b in at.button if b.key == keys.FOLLOW_UP_SAVE] == []
    assert at.dataframe[0].editing_mode == "read_only"
    assert "You are reading the list. Analysts edit it." in [c.value for c in at.caption]
    assert at.get("file_uploader") == []


def test_the_page_in_chinese(tmp_path, monkeypatch):
    at = open_page(store(tmp_path / "s.duckdb"), monkeypatch, lang="zh")
    assert at.title[0].value == "闭环跟进"
    assert list(tiles(at)) == ["事项", "仍未完成", "已逾期", "48 小时内联系", "下次评分上升"]
    assert at.dataframe[0].value["source"].tolist()[:3] == ["贬损者", "满意度低", "未解决投诉"]
    assert at.dataframe[0].value["late"].tolist()[0].startswith("逾期 ")


def test_presentation_mode_masks_and_edits_nothing(tmp_path, monkeypatch):
    at = open_page(store(tmp_path / "s.duckdb"), monkeypatch, present="1")
    assert [i.value for i in at.info][0] == "Editing is off in presentation mode; customers' ids are masked."
    table = at.table[0].value
    # on the shared screen no id at all: not the item's, not the customer's, masked or not
    assert "Follow-up id" not in table.columns and "Customer" not in table.columns and len(table) == 9
    assert not table.map(lambda cell: "C1" in str(cell)).any().any()
    assert [b.key for b in at.button if b.key == keys.FOLLOW_UP_SAVE] == []


def test_the_status_and_source_choices_narrow_the_list(tmp_path, monkeypatch):
    at = open_page(store(tmp_path / "s.duckdb"), monkeypatch)
    at.multiselect(key=keys.FOLLOW_UP_STATUS).select("contacted").run()
    assert at.dataframe[0].value["item_key"].tolist() == [C1, "nps:C2@2026-10-05 10:00:00"]
    assert "Items 1–2 of 2, most urgent first; the download holds them all." in [c.value for c in at.caption]
    at.multiselect(key=keys.FOLLOW_UP_SOURCE).select("complaint").run()
    assert "No item to follow up in Oct 2026 with these filters." in [i.value for i in at.info]


def many_items(path: Path, n: int = 250) -> Path:
    """n October detractors over the month's days (so the order is by days overdue, then by id)."""
    import dbrows

    con = connect(path)
    try:
        dbrows.insert(con, "nps_response", [
            {"customer_id": f"C{i:05d}", "score": 2, "responded_at": f"2026-10-{1 + i % 28:02d} 10:00:00",
             "branch": "Tianhe"} for i in range(n)])
    finally:
        con.close()
    return path


def whole_list(path: Path, **chosen) -> list[str]:
    con = connect(path)
    try:
        return follow_up_list(con, OCTOBER, current_hour(), **chosen)["item_key"].tolist()
    finally:
        con.close()


@pytest.fixture
def files(monkeypatch):
    """What the page's download buttons would write, made as the click would make it."""
    made = []

    def recorded(make, name, key=None, headers=None):
        made.append(_common.deferred_frame(make, _common.presenting(), headers))
        return original(make, name, key=key, headers=headers)

    original = _common.deferred_download_buttons
    monkeypatch.setattr(_common, "deferred_download_buttons", recorded)
    return made


def test_a_long_list_is_drawn_a_page_at_a_time_and_the_file_holds_it_all(tmp_path, monkeypatch, files):
    """250 October detractors: the page draws 100 at a time in the list's order, says which and of how
    many, moves by its page number, starts again at the first page for another choice; the file,
    made when asked for, holds all 250 (issue 24: a company's month is 100,000s of items)."""
    path = many_items(tmp_path / "many.duckdb")
    ordered = whole_list(path)
    assert len(ordered) == 250
    at = open_page(path, monkeypatch)
    captions = [c.value for c in at.caption]
    assert "Items 1–100 of 250, most urgent first; the download holds them all." in captions
    assert at.dataframe[0].value["item_key"].tolist() == ordered[:100]
    assert tiles(at)["Items"] == "250"
    exported = files[-1]()
    assert len(exported) == 250 and exported["Follow-up id"].tolist() == ordered
    at.number_input(key=keys.FOLLOW_UP_PAGE).set_value(3).run()
    assert "Items 201–250 of 250, most urgent first; the download holds them all." in [c.value for c in at.caption]
    assert at.dataframe[0].value["item_key"].tolist() == ordered[200:]
    at.multiselect(key=keys.FOLLOW_UP_STATUS).select("open").run()   # another choice: its first page
    assert at.number_input(key=keys.FOLLOW_UP_PAGE).value == 1
    assert at.dataframe[0].value["item_key"].tolist() == ordered[:100]


def test_a_viewer_pages_through_the_list_in_chinese_and_downloads_it_whole(tmp_path, monkeypatch, files):
    path = many_items(tmp_path / "many.duckdb", 120)
    con = connect(path)
    set_passphrase(con, PASSPHRASE)
    con.close()
    ordered = whole_list(path)
    at = open_page(path, monkeypatch, lang="zh")
    assert "第 1–100 项（共 120 项，最紧急的在前）；下载文件包含全部。" in [c.value for c in at.caption]
    assert at.dataframe[0].editing_mode == "read_only" and len(at.dataframe[0].value) == 100
    at.number_input(key=keys.FOLLOW_UP_PAGE).increment().run()
    assert at.dataframe[0].value["item_key"].tolist() == ordered[100:]
    exported = files[-1]()
    # the reader's file is the table as drawn, headed in the reader's language
    assert len(exported) == 120 and exported["跟进编号"].tolist() == ordered
    assert set(exported["状态"]) == {"待跟进"}


def test_presentation_mode_masks_the_file_too(tmp_path, monkeypatch, files):
    at = open_page(store(tmp_path / "s.duckdb"), monkeypatch, present="1")
    assert len(at.table[0].value) == 9 and at.get("number_input") == []   # one page: no page number
    exported = files[-1]()
    assert len(exported) == 9 and not exported.map(lambda cell: "C1" in str(cell)).any().any()


def test_edits_on_one_page_are_kept_while_turning_pages_and_saved_together(tmp_path, monkeypatch):
    """An analyst edits an item on page 1, turns to page 2 and saves there: the edit is kept (each
    page's editor forgets its own once another is drawn), said to be unsaved, drawn again on page 1,
    and saved with Save; Discard drops it. The editor's cell edit is made as the browser's would
    arrive: in the value st.data_editor returns."""
    import streamlit as st

    path = many_items(tmp_path / "many.duckdb")
    ordered = whole_list(path)
    real_editor, edit = st.data_editor, {}

    def editing(data, *args, **kwargs):
        edited = real_editor(data, *args, **kwargs)
        if edit:
            edited = edited.copy()
            edited.loc[0, "owner"] = edit.pop("owner")
        return edited

    monkeypatch.setattr(st, "data_editor", editing)
    at = open_page(path, monkeypatch)
    edit["owner"] = "Zhao"
    at.run()
    assert [w.value for w in at.warning] == ["1 unsaved change (0 on other pages of the list): kept while you turn "
                                             "pages, saved together by Save."]
    at.number_input(key=keys.FOLLOW_UP_PAGE).set_value(2).run()
    assert at.dataframe[0].value["item_key"].tolist() == ordered[100:200]
    assert "(1 on other pages of the list)" in at.warning[0].value
    at.number_input(key=keys.FOLLOW_UP_PAGE).set_value(1).run()
    drawn = at.dataframe[0].value
    assert drawn.loc[0, ["item_key", "owner"]].tolist() == [ordered[0], "Zhao"]
    at.number_input(key=keys.FOLLOW_UP_PAGE).set_value(2).run()
    at.button(key=keys.FOLLOW_UP_SAVE).click().run()
    assert [s.value for s in at.success] == ["1 item was saved."] and not at.warning
    saved = follow_up_list(con := connect(path), OCTOBER, current_hour())
    con.close()
    assert saved.loc[saved["owner"].notna(), ["item_key", "owner"]].values.tolist() == [[ordered[0], "Zhao"]]
    # an edit discarded is not saved
    at.number_input(key=keys.FOLLOW_UP_PAGE).set_value(1).run()
    edit["owner"] = "Wang"
    at.run()
    at.number_input(key=keys.FOLLOW_UP_PAGE).set_value(3).run()
    at.button(key=keys.FOLLOW_UP_DISCARD).click().run()
    assert not at.warning
    at.button(key=keys.FOLLOW_UP_SAVE).click().run()
    assert [s.value for s in at.success] == ["Nothing was changed."]


def test_an_editor_draws_the_same_data_while_it_lives_and_a_list_in_another_order_is_another_editor(
        tmp_path, monkeypatch):
    """The browser's grid keeps its edits by row number, against the data it was drawn with. So the
    data stays what the editor was first drawn with while it holds edits (data that changed under it
    made the grid send its state again, a run that swallowed a click on Save under load), and a save
    made elsewhere that re-sorts the list gives another editor: the unsaved edit stays with its item,
    never moved to the item that now sits in its row. The grid is modelled as the browser's is: its
    edits held per editor key and row."""
    import streamlit as st
    from pandas.io.formats.style import Styler

    path = many_items(tmp_path / "s.duckdb", 30)
    ordered = whole_list(path)
    real_editor, drawn, held = st.data_editor, [], {}

    def grid(data, *args, key, **kwargs):
        drawn.append((key, (data.data if isinstance(data, Styler) else data).copy()))
        edited = real_editor(data, *args, key=key, **kwargs).copy()
        for (editor, row, column), value in held.items():
            if editor == key:
                edited.loc[row, column] = value
        return edited

    monkeypatch.setattr(st, "data_editor", grid)
    at = open_page(path, monkeypatch)
    first_key, first_data = drawn[-1]
    assert first_data["item_key"].tolist() == ordered and first_data["owner"].isna().all()
    held[(first_key, 1, "owner")] = "Zhao"
    at.run()
    at.run()
    assert "1 unsaved change" in at.warning[0].value
    for key, data in drawn[-2:]:
        assert key == first_key
        pd.testing.assert_frame_equal(data, first_data)
    # another analyst resolves the first item: it goes to the end of the list, the second comes first
    con = connect(path)
    try:
        save_follow_ups(con, [FollowUpChange(ordered[0], status="resolved")], "Wang Fang")
    finally:
        con.close()
    at.run()
    key, data = drawn[-1]
    assert key != first_key
    assert data["item_key"].tolist() == [*ordered[1:], ordered[0]]
    assert data.loc[data["owner"].notna(), ["item_key", "owner"]].values.tolist() == [[ordered[1], "Zhao"]]
    at.button(key=keys.FOLLOW_UP_SAVE).click().run()
    assert [s.value for s in at.success] == ["1 item was saved."]
    saved = follow_up_list(con := connect(path), OCTOBER, current_hour())
    con.close()
    assert saved.loc[saved["owner"].notna(), ["item_key", "owner"]].values.tolist() == [[ordered[1], "Zhao"]]
