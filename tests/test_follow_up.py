"""Closing the loop: the follow-up list from a hand-made store, its records kept across imports and
undo, the spreadsheet out (formula-safe) and back in (one transaction, bad cells named), the share
of detractors contacted within 48 h and the next scores, all computed by hand."""
from __future__ import annotations

import io
import math
from datetime import date, datetime
from pathlib import Path

import dbrows
import openpyxl
import pandas as pd
import pytest

from analytics.filters import Filters
from analytics import follow_up as follow_up_module
from analytics.follow_up import chosen_counts, follow_up_list, follow_up_outcome, items_without_id, status_counts
from analytics.summary import summary
from loaders.access import AccessError
from loaders.errors import ValidationError
from loaders.follow_up import import_follow_up_file, read_follow_up_changes
from loaders.importer import import_file, undo
from presentation.export import to_csv_bytes, to_xlsx_bytes
from presentation import charts
from presentation.follow_up import (
    EXPORTED, SHOWN_COLUMNS, status_title, export_frame, follow_up_words, list_changes, list_file, page_span,
    pending_after, run_import_list, run_save_assessment, run_save_pending, shared_screen_columns, shown_list,
    with_pending
)
from presentation.i18n import translate
from presentation.upload import Access
from store.copy import migrate
from store.db import LATEST_VERSION, connect
from store.errors import QueryError
from store.follow_up import CURRENT_SQL, FollowUpChange, FollowUpError, save_follow_ups

# the current state of the follow-up items (CURRENT_SQL), some columns of some items
CURRENT_ITEMS_SQL = "SELECT {columns} FROM ({current}) WHERE {where}"

OCTOBER = Filters(date_from=date(2026, 10, 1), date_to=date(2026, 10, 31))
AS_OF = datetime(2026, 11, 1, 12, 0)
ANALYST = Access("passphrase", True, "Li Na")
VIEWER = Access("passphrase", False)

C1 = "nps:C1@2026-10-02 09:00:00"
C2A = "nps:C2@2026-10-05 10:00:00"
C2B = "nps:C2@2026-10-25 10:00:00"
C5 = "nps:C5@2026-10-30 20:00:00"
R1 = "survey:R1@2026-10-03 09:00:00"
R2 = "survey:R2@2026-10-03 11:00:00"
R4 = "survey:R4@2026-10-29 09:00:00"
K1 = "complaint:K-1"
C10 = "complaint:C10@2026-10-10 08:30:00"


def at(day: int, hour: int = 9, minute: int = 0, month: int = 10) -> datetime:
    return datetime(2026, month, day, hour, minute)


def fill(con) -> None:
    """October's rows that call for a follow-up, and those that do not."""
    dbrows.insert(con, "nps_response", [
        {"customer_id": "C1", "responded_at": at(2), "score": 3, "branch": "North 1", "region": "North",
         "comment": "slow"},
        {"customer_id": "C1", "responded_at": at(20), "score": 9, "branch": "North 1", "region": "North"},
        {"customer_id": "C2", "responded_at": at(5, 10), "score": 6, "branch": "South 1", "region": "South"},
        {"customer_id": "C2", "responded_at": at(25, 10), "score": 4, "branch": "South 1", "region": "South"},
        {"customer_id": "C3", "responded_at": at(6), "score": 9, "branch": "South 1", "region": "South"},
        {"customer_id": None, "responded_at": at(7), "score": 2, "branch": "South 1", "region": "South"},
        {"customer_id": "C4", "responded_at": at(28, month=9), "score": 0, "branch": "North 1", "region": "North"},
        {"customer_id": "C5", "responded_at": at(30, 20), "score": 4, "branch": "North 1", "region": "North"},
    ])
    for respondent, customer, when, overall in (("R1", "C6", at(3), 1), ("R2", "C7", at(3, 11), 2),
                                                ("R3", "C8", at(3, 12), 3), ("R5", "C6", at(28), 4),
                                                ("R4", "C7", at(29), 1)):
        dbrows.respondent(con, [], respondent_id=respondent, customer_id=customer, responded_at=when,
                          overall_satisfaction=overall, overall_scale_min=1, overall_scale_max=5,
                          branch="North 1", region="North")
    dbrows.complaints(con, [
        {"complaint_ref": "K-1", "customer_id": "C9", "received_at": at(4), "branch": "South 1", "region": "South",
         "cause": "Waiting", "description": "queue"},
        {"complaint_ref": "K-2", "customer_id": "C9", "received_at": at(4), "resolved_at": at(5)},
        {"complaint_ref": None, "customer_id": "C10", "received_at": at(10, 8, 30), "branch": "North 1",
         "region": "North"},
        {"complaint_ref": None, "customer_id": None, "received_at": at(11)},
    ])


def record(con) -> None:
    save_follow_ups(con, [FollowUpChange(C1, owner="Li", status="contacted", contacted_at=at(3, 8)),
                          FollowUpChange(C2A, status="contacted", contacted_at=at(8, 10)),
                          FollowUpChange(K1, owner="Wang", due_on=date(2026, 10, 6))], "Li Na", at(9))
    save_follow_ups(con, [FollowUpChange(R1, status="resolved", outcome="apologised")], "Li Na", at(4, 12))


@pytest.fixture
def filled(con):
    fill(con)
    record(con)
    return con


def test_the_list_has_exactly_the_items_by_hand(filled):
    items = follow_up_list(filled, OCTOBER, AS_OF)
    # overdue first, most days first (due by default two days after the row's day; as of 1 Nov):
    # C1 due 4 Oct (28), R2 5 Oct (27), K-1 6 Oct as set (26), C2a 7 Oct (25), C10 12 Oct (20),
    # C2b 27 Oct (5), R4 31 Oct (1); then R1 (resolved) and C5 (due 1 Nov: not yet late)
    assert items["item_key"].tolist() == [C1, R2, K1, C2A, C10, C2B, R4, R1, C5]
    assert items["days_overdue"].tolist() == [28, 27, 26, 25, 20, 5, 1, 0, 0]
    assert items["status"].tolist() == ["contacted", "open", "open", "contacted", "open", "open", "open",
                                        "resolved", "open"]
    assert items["owner"].tolist()[:3] == ["Li", None, "Wang"]
    assert items["source"].tolist() == ["nps", "survey", "complaint", "nps", "complaint", "nps", "survey", "survey",
                                        "nps"]
    assert items["score"].tolist()[:2] == [3.0, 2.0]
    assert items.loc[items["item_key"] == R1, "contacted_at"].tolist() == [at(4, 12)]  # set when resolved
    assert not items["source_gone"].any()
    # one NPS detractor and one open complaint have no id to reach them by
    assert items_without_id(filled, OCTOBER) == 2


def test_the_list_follows_the_filters_and_its_own_choices(filled):
    south = Filters(date_from=date(2026, 10, 1), date_to=date(2026, 10, 31), regions=("South",))
    assert follow_up_list(filled, south, AS_OF)["item_key"].tolist() == [K1, C2A, C2B]
    assert follow_up_list(filled, OCTOBER, AS_OF, statuses=("contacted",))["item_key"].tolist() == [C1, C2A]
    assert follow_up_list(filled, OCTOBER, AS_OF, sources=("complaint",))["item_key"].tolist() == [K1, C10]
    september = Filters(date_from=date(2026, 9, 1), date_to=date(2026, 9, 30))
    assert follow_up_list(filled, september, AS_OF)["item_key"].tolist() == ["nps:C4@2026-09-28 09:00:00"]


def wilson(k: int, n: int) -> tuple[float, float]:
    z = 1.959963984540054
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def test_contacted_within_48_hours_and_next_scores_by_hand(filled):
    outcome = follow_up_outcome(filled, OCTOBER, AS_OF)
    assert (outcome.items, outcome.open, outcome.overdue, outcome.source_gone) == (9, 8, 7, 0)
    # detractors whose 48 h had passed by 1 Nov 12:00: C1, C2a, C2b (C5 answered 30 Oct 20:00);
    # C1 reached after 23 h, C2a after 72 h, C2b not at all: 1 of 3
    share = outcome.contacted_48h
    assert (share.k, share.n) == (1, 3) and share.share == pytest.approx(1 / 3)
    assert (share.ci.low, share.ci.high) == pytest.approx(wilson(1, 3))     # 6.1% to 79.2%
    assert share.too_few
    # reached, and answered again: C1 3 -> 9 (rose), C2a 6 -> 4 (fell), R1's C6 1 -> 4 of 1-5 (rose)
    assert (outcome.recovered.k, outcome.recovered.n) == (2, 3)
    # not reached, and answered again: R2's C7 2 -> 1 (fell); C2b, C5, R4 never answered again
    assert (outcome.not_reached_rose.k, outcome.not_reached_rose.n) == (0, 1)


def test_two_answers_at_one_moment_follow_each_other_in_the_files_order(con):
    # C11 answered twice at 10:00 on 12 Oct: row 1 a 2, row 2 a 9, the rows stored row 2 first.
    # In the file's order the 2 is followed by the 9: the detractor, not reached, rose (1 of 1);
    # in the stored order the 9 would be followed by the 2 (0 of 1)
    dbrows.insert(con, "nps_response", [
        {"customer_id": "C11", "responded_at": at(12, 10), "score": 9, "row_no": 2},
        {"customer_id": "C11", "responded_at": at(12, 10), "score": 2, "row_no": 1},
    ])
    outcome = follow_up_outcome(con, OCTOBER, AS_OF)
    assert (outcome.not_reached_rose.k, outcome.not_reached_rose.n) == (1, 1)


def test_summary_json_carries_the_follow_up(filled):
    block = summary(filled, OCTOBER, as_of=AS_OF)["follow_up"]
    assert block["contacted_within_48h"]["k"] == 1 and block["contacted_within_48h"]["n"] == 3
    assert block["contacted_within_48h"]["ci95"] == pytest.approx(list(wilson(1, 3)))
    assert block["next_score_rose"] == {"k": 2, "n": 3, "share": pytest.approx(2 / 3),
                                        "ci95": pytest.approx(list(wilson(2, 3))), "too_few": True}
    assert (block["items"], block["open"], block["overdue"]) == (9, 8, 7)


def test_saving_is_insert_only_and_an_unchanged_item_writes_nothing(filled):
    before = filled.execute("SELECT count(*) FROM follow_up").fetchone()[0]
    result = save_follow_ups(filled, [FollowUpChange(C1, owner="Li"), FollowUpChange(C2B, status="unreachable")],
                             "Wang", at(1, month=11))
    assert result.changed == (C2B,) and result.unchanged == (C1,)
    assert filled.execute("SELECT count(*) FROM follow_up").fetchone()[0] == before + 1
    # unreachable: closed, never reached
    assert filled.execute("SELECT revision, status, contacted_at FROM follow_up WHERE item_key = ?",
                          [C2B]).fetchall() == [(1, "unreachable", None)]
    with pytest.raises(FollowUpError, match="no follow-up item nps:nobody"):
        save_follow_ups(filled, [FollowUpChange(C1, owner="X"), FollowUpChange("nps:nobody")])
    with pytest.raises(FollowUpError, match="status 'maybe' is not one of open, contacted, resolved, unreachable"):
        save_follow_ups(filled, [FollowUpChange(C1, status="maybe")])
    assert filled.execute("SELECT count(*) FROM follow_up").fetchone()[0] == before + 1


def test_viewers_may_not_change_the_list_or_save_an_assessment(filled):
    with pytest.raises(AccessError, match="only an analyst may change the follow-up list"):
        run_save_pending(filled, VIEWER, {})
    with pytest.raises(AccessError, match="only an analyst may change the follow-up list"):
        run_import_list(filled, VIEWER, "list.csv", b"")
    with pytest.raises(AccessError, match="only an analyst may save a self-assessment"):
        run_save_assessment(filled, VIEWER, "North", date(2026, 10, 31), [3] * 40)
    assert filled.execute("SELECT count(*) FROM self_assessment").fetchone()[0] == 0


def test_the_editors_changes_are_saved_for_an_analyst(filled):
    before = shown_list(follow_up_list(filled, OCTOBER, AS_OF), "en")
    after = before.copy()
    row = after.index[after["item_key"] == R2][0]
    after.loc[row, "owner"] = "Zhao"
    after.loc[row, "status"] = "contacted"
    after.loc[row, "due_on"] = date(2026, 11, 3)
    changes = list_changes(before, after)
    assert [(c.item_key, c.owner, c.status, c.due_on) for c in changes] == [
        (R2, "Zhao", "contacted", date(2026, 11, 3))]
    saved = run_save_pending(filled, ANALYST, pending_after({}, before, after))
    assert saved.changed == (R2,)
    assert filled.execute("SELECT owner, status, due_on, saved_by, contacted_at IS NOT NULL FROM follow_up"
                          " WHERE item_key = ?", [R2]).fetchall() == [("Zhao", "contacted", date(2026, 11, 3),
                                                                      "Li Na", True)]


def test_unsaved_edits_are_kept_across_pages_and_saved_together(filled):
    """Page 1 (C1, R2) and page 2 (K-1, C2a) of the list edited in turn: the edits of both are kept,
    drawn again on their page, an edit put back is none, and one saving writes them all."""
    shown = shown_list(follow_up_list(filled, OCTOBER, AS_OF), "en")
    first, second = shown.iloc[:2].reset_index(drop=True), shown.iloc[2:4].reset_index(drop=True)
    edited = first.copy()
    edited.loc[1, "owner"] = "Zhao"                      # R2
    pending = pending_after({}, first, edited)
    assert pending == {R2: {"owner": "Zhao"}}
    edited = second.copy()
    edited.loc[0, "status"] = "resolved"                 # K-1
    pending = pending_after(pending, second, edited)
    assert pending == {R2: {"owner": "Zhao"}, K1: {"status": "resolved"}}
    drawn = with_pending(first, pending)
    assert drawn["owner"].tolist() == ["Li", "Zhao"] and drawn["status"].tolist() == first["status"].tolist()
    # R2's owner put back on page 1: no change of it is kept, K-1's still is
    assert pending_after(pending, first, first) == {K1: {"status": "resolved"}}
    assert run_save_pending(filled, ANALYST, pending).changed == (R2, K1)
    with pytest.raises(AccessError):
        run_save_pending(filled, VIEWER, pending)
    items = follow_up_list(filled, OCTOBER, AS_OF).set_index("item_key")
    assert (items.loc[R2, "owner"], items.loc[K1, "status"], items.loc[K1, "owner"]) == ("Zhao", "resolved", "Wang")


def test_the_next_score_is_the_customers_next_answer_before_or_after_the_period(con):
    # C12 answered 8 in September, 2 on 14 Oct, 10 on 3 Nov: the detractor's next answer is November's
    # (rose); C13 answered 10 in September and 5 on 15 Oct, nothing after: no next answer, not counted.
    # Not reached, answered again: 1 of 1 rose
    dbrows.insert(con, "nps_response", [
        {"customer_id": "C12", "responded_at": at(1, month=9), "score": 8},
        {"customer_id": "C12", "responded_at": at(14), "score": 2},
        {"customer_id": "C12", "responded_at": at(3, month=11), "score": 10},
        {"customer_id": "C13", "responded_at": at(20, month=9), "score": 10},
        {"customer_id": "C13", "responded_at": at(15), "score": 5},
    ])
    outcome = follow_up_outcome(con, OCTOBER, AS_OF)
    assert (outcome.items, outcome.not_reached_rose.k, outcome.not_reached_rose.n) == (2, 1, 1)
    assert (outcome.recovered.k, outcome.recovered.n) == (0, 0)


def test_two_rows_of_one_id_are_one_item_the_earlier_row(con):
    # C14 answered 3 at 10:00:00.2 and 5 at 10:00:00.7 on 16 Oct: one id (times to the second), one
    # item, the earlier row's score; C15's single detractor answer is an item of its own
    dbrows.insert(con, "nps_response", [
        {"customer_id": "C14", "responded_at": datetime(2026, 10, 16, 10, 0, 0, 700000), "score": 5},
        {"customer_id": "C14", "responded_at": datetime(2026, 10, 16, 10, 0, 0, 200000), "score": 3},
        {"customer_id": "C15", "responded_at": at(17), "score": 6},
    ])
    items = follow_up_list(con, OCTOBER, AS_OF)
    assert items[["item_key", "score"]].values.tolist() == [["nps:C14@2026-10-16 10:00:00", 3.0],
                                                            ["nps:C15@2026-10-17 09:00:00", 6.0]]
    assert follow_up_outcome(con, OCTOBER, AS_OF).items == 2


def test_a_record_is_gone_only_when_its_row_is(filled):
    # C1's detractor answer corrected to a 9: its row stands but calls for no follow-up; its record
    # stays on the list, not gone
    filled.execute("UPDATE nps_response SET score = 9 WHERE customer_id = 'C1' AND score = 3")
    items = follow_up_list(filled, OCTOBER, AS_OF)
    assert items.loc[items["item_key"] == C1, ["owner", "source_gone"]].values.tolist() == [["Li", False]]
    assert not items["source_gone"].any()
    outcome = follow_up_outcome(filled, OCTOBER, AS_OF)
    assert (outcome.items, outcome.source_gone) == (9, 0)
    # R1's response removed: its record is gone, C1's still is not
    filled.execute("DELETE FROM survey_response WHERE respondent_id = 'R1'")
    items = follow_up_list(filled, OCTOBER, AS_OF)
    assert items.loc[items["source_gone"], "item_key"].tolist() == [R1]
    assert follow_up_outcome(filled, OCTOBER, AS_OF).source_gone == 1


# -- kept across imports and undo -------------------------------------------------------------------

NPS_FILE = "Customer ID,Date,Likelihood to recommend (0-10),Branch,Region\nC1,2026-10-02 09:00,3,North 1,North\n" \
           "C2,2026-10-05 10:00,9,North 1,North\n"


def test_records_outlive_an_undo_and_meet_their_row_again(con, tmp_path):
    path = tmp_path / "nps.csv"
    path.write_text(NPS_FILE, encoding="utf-8")
    first = import_file(con, path, kind="nps")
    assert follow_up_list(con, OCTOBER, AS_OF)["item_key"].tolist() == [C1]
    save_follow_ups(con, [FollowUpChange(C1, owner="Li", status="contacted", outcome="called back")], "Li Na")
    undo(con, first.batch_id)
    items = follow_up_list(con, OCTOBER, AS_OF)
    # the row is gone, its record stays, shown from the values kept with it
    assert items[["item_key", "owner", "status", "outcome", "branch", "score", "source_gone"]].values.tolist() == [
        [C1, "Li", "contacted", "called back", "North 1", 3.0, True]]
    assert follow_up_outcome(con, OCTOBER, AS_OF).source_gone == 1
    import_file(con, path, kind="nps")  # the same file again, once its batch is undone
    items = follow_up_list(con, OCTOBER, AS_OF)
    assert items[["item_key", "owner", "source_gone"]].values.tolist() == [[C1, "Li", False]]
    # another import leaves the record alone
    other = tmp_path / "more.csv"
    other.write_text(NPS_FILE.replace("2026-10-02 09:00,3", "2026-10-12 09:00,10").replace("C2,", "C8,"),
                     encoding="utf-8")
    import_file(con, other, kind="nps")
    assert con.execute("SELECT count(*) FROM follow_up").fetchone()[0] == 1
    assert follow_up_list(con, OCTOBER, AS_OF)["owner"].tolist() == ["Li"]


# -- the spreadsheet out and back in ----------------------------------------------------------------

HOSTILE = ("=cmd|' /C calc'!A0", "+1", "-1", "@x")


def test_the_export_is_formula_safe_and_reads_back_as_written(filled, tmp_path):
    save_follow_ups(filled, [FollowUpChange(C1, owner=HOSTILE[3], outcome=HOSTILE[0]),
                             FollowUpChange(R2, owner=HOSTILE[1], outcome=HOSTILE[2])])
    frame = export_frame(follow_up_list(filled, OCTOBER, AS_OF), "en")
    assert list(frame.columns) == [translate(f"follow_up.col.{c}", "en") for c in EXPORTED]
    text = to_csv_bytes(frame).decode("utf-8-sig")
    for value in HOSTILE:
        assert f"'{value}" in text
    assert ",=" not in text and ",+1" not in text and ",-1," not in text and ",@" not in text
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(frame)))
    cells = [cell for row in book.active.iter_rows() for cell in row if isinstance(cell.value, str)]
    assert all(cell.data_type == "s" for cell in cells)
    assert sorted(cell.value for cell in cells if cell.value.lstrip("'") in HOSTILE) == sorted(f"'{v}" for v in HOSTILE)
    # the untouched file comes back as no change at all, in either format
    for name, data in (("list.csv", to_csv_bytes(frame)), ("list.xlsx", to_xlsx_bytes(frame))):
        path = tmp_path / name
        path.write_bytes(data)
        result = import_follow_up_file(filled, path, follow_up_words())
        assert result.changed == () and len(result.unchanged) == 9
    states = dict(filled.execute(CURRENT_ITEMS_SQL.format(current=CURRENT_SQL, columns="item_key, outcome", where="TRUE")).fetchall())
    assert (states[C1], states[R2]) == (HOSTILE[0], HOSTILE[2])


def _edited(filled, tmp_path, lang: str, edit) -> Path:
    frame = export_frame(follow_up_list(filled, OCTOBER, AS_OF), lang)
    edit(frame)
    path = tmp_path / f"follow-up-{lang}.xlsx"
    path.write_bytes(to_xlsx_bytes(frame))
    return path


def test_an_edited_chinese_file_updates_its_items(filled, tmp_path):
    col = {c: translate(f"follow_up.col.{c}", "zh") for c in EXPORTED}

    def edit(frame):
        row = frame.index[frame[col["item_key"]] == R2][0]
        frame.loc[row, col["owner"]] = "张三"
        frame.loc[row, col["status"]] = "已联系"
        frame.loc[row, col["due_on"]] = "2026/11/05"
        frame.loc[row, col["contacted_at"]] = "2026-11-01 09:30"
        row = frame.index[frame[col["item_key"]] == C10][0]
        frame.loc[row, col["status"]] = "联系不上"

    result = import_follow_up_file(filled, _edited(filled, tmp_path, "zh", edit), follow_up_words(), "Li Na")
    assert sorted(result.changed) == sorted([R2, C10])
    assert filled.execute(CURRENT_ITEMS_SQL.format(current=CURRENT_SQL, columns="owner, status, due_on, contacted_at", where="item_key = ?"),
                          [R2]).fetchall() == [("张三", "contacted", date(2026, 11, 5), datetime(2026, 11, 1, 9, 30))]
    assert filled.execute(CURRENT_ITEMS_SQL.format(current=CURRENT_SQL, columns="status", where="item_key = ?"), [C10]).fetchall() == [
        ("unreachable",)]


def test_bad_rows_are_named_by_row_and_column_and_nothing_changes(filled, tmp_path):
    col = {c: translate(f"follow_up.col.{c}", "en") for c in EXPORTED}

    def edit(frame):
        frame.loc[0, col["status"]] = "maybe"             # row 2 of the sheet
        frame.loc[1, col["owner"]] = "Zhao"               # a good change, refused with the rest
        frame.loc[2, col["due_on"]] = "next week"         # row 4
        frame.loc[3, col["item_key"]] = "nps:C99@2026-10-01 00:00:00"   # row 5
        frame.loc[4, col["item_key"]] = frame.loc[0, col["item_key"]]   # row 6 repeats row 2

    path = _edited(filled, tmp_path, "en", edit)
    before = filled.execute("SELECT count(*) FROM follow_up").fetchone()[0]
    with pytest.raises(ValidationError) as raised:
        read_follow_up_changes(filled, path, follow_up_words())
    found = [(p.row, p.column, p.value, p.code) for p in raised.value.problems]
    assert found == [(2, "Status", "maybe", "followup_status"),
                     (4, "Due", "next week", "followup_date"),
                     (5, "Follow-up id", "nps:C99@2026-10-01 00:00:00", "followup_unknown_item"),
                     (6, "Follow-up id", C1, "followup_twice")]
    assert (raised.value.rows_total, raised.value.rows_invalid) == (9, 4)
    with pytest.raises(ValidationError):
        run_import_list(filled, ANALYST, path.name, path.read_bytes())
    assert filled.execute("SELECT count(*) FROM follow_up").fetchone()[0] == before


def test_the_words_the_file_is_read_by_are_the_pages():
    words = follow_up_words()
    for lang in ("en", "zh"):
        for status in ("open", "contacted", "resolved", "unreachable"):
            assert words.status_of(translate(f"follow_up.status.{status}", lang)) == status
        assert words.field_of(translate("follow_up.col.item_key", lang)) == "item_key"
    assert words.status_of(" could NOT reach ") == "unreachable" and words.status_of("later") is None


def test_the_chart_counts_the_items_by_hand(filled):
    counts = status_counts(follow_up_list(filled, OCTOBER, AS_OF))
    figure = charts.follow_up_status(counts, title=status_title(counts, "en"), language="en").to_dict()
    bars = {trace["name"]: list(trace["x"]) for trace in figure["data"]}
    # detractors: C2b, C5 open, C1, C2a contacted; low satisfaction: R2, R4 open, R1 resolved;
    # complaints: K-1, C10 open
    assert bars == {"Open": [2, 2, 2], "Contacted": [2, 0, 0], "Resolved": [0, 1, 0], "Could not reach": [0, 0, 0]}
    assert list(figure["data"][0]["y"]) == ["Detractor", "Low satisfaction", "Open complaint"]
    assert status_title(counts, "en") == "7 of 9 items are overdue; 1 resolved"
    assert status_title(counts, "zh") == "9 项中有 7 项逾期，1 项已解决"
    many = counts.assign(items=counts["items"] * 1000, overdue=counts["overdue"] * 1000)
    assert status_title(many, "en") == "7,000 of 9,000 items are overdue; 1,000 resolved"


def test_the_store_counts_the_items_by_status_as_the_list_does(filled):
    """The page's counts (issue 24: from the store, not from the list sent whole to the page), by hand:
    as test_the_chart_counts_the_items_by_hand, and overdue as of 1 Nov: C1, C2a contacted and late;
    C2b late, C5 not yet; R2, R4 late, R1 resolved; K-1 and C10 late."""
    counts = chosen_counts(follow_up_outcome(filled, OCTOBER, AS_OF))
    table = {(r.source, r.status): (r.items, r.overdue) for r in counts.itertuples() if r.items}
    assert table == {("nps", "open"): (2, 1), ("nps", "contacted"): (2, 2), ("survey", "open"): (2, 2),
                     ("survey", "resolved"): (1, 0), ("complaint", "open"): (2, 2)}
    assert len(counts) == 12 and counts["items"].sum() == 9 and counts["overdue"].sum() == 7
    pd.testing.assert_frame_equal(counts, status_counts(follow_up_list(filled, OCTOBER, AS_OF)))
    outcome = follow_up_outcome(filled, OCTOBER, AS_OF)
    for statuses, sources in ((("contacted", "resolved"), ("nps", "survey")), (("open",), ()), ((), ("complaint",))):
        pd.testing.assert_frame_equal(chosen_counts(outcome, statuses, sources),
                                      status_counts(follow_up_list(filled, OCTOBER, AS_OF, statuses, sources)))
    chosen = chosen_counts(outcome, ("contacted", "resolved"), ("nps", "survey"))
    assert {(r.source, r.status): r.items for r in chosen.itertuples() if r.items} == {
        ("nps", "contacted"): 2, ("survey", "resolved"): 1}
    # a day earlier C2b (due 27 Oct) is still late, R4 (due 31 Oct) not yet
    earlier = chosen_counts(follow_up_outcome(filled, OCTOBER, datetime(2026, 10, 31, 12)))
    assert earlier["overdue"].sum() == 6
    south = Filters(date_from=date(2026, 10, 1), date_to=date(2026, 10, 31), regions=("South",))
    assert chosen_counts(follow_up_outcome(filled, south, AS_OF))["items"].sum() == 3


def test_a_page_of_the_list_is_its_slice_in_the_lists_order(filled):
    whole = [C1, R2, K1, C2A, C10, C2B, R4, R1, C5]
    assert follow_up_list(filled, OCTOBER, AS_OF, limit=4)["item_key"].tolist() == whole[:4]
    second = follow_up_list(filled, OCTOBER, AS_OF, limit=4, offset=4)
    assert second["item_key"].tolist() == whole[4:8]
    assert second["days_overdue"].tolist() == [20, 5, 1, 0] and second["overdue"].tolist() == [True, True, True, False]
    assert follow_up_list(filled, OCTOBER, AS_OF, limit=4, offset=8)["item_key"].tolist() == [C5]
    assert follow_up_list(filled, OCTOBER, AS_OF, limit=4, offset=12).empty
    assert follow_up_list(filled, OCTOBER, AS_OF, statuses=("open",), limit=2, offset=2)["item_key"].tolist() == [C10, C2B]
    # 9 items 4 to a page: 3 pages; a page past the last is the last
    assert page_span(9, 1, 4) == (1, 3, 1, 4)
    assert page_span(9, 3, 4) == (3, 3, 9, 9)
    assert page_span(9, 7, 4) == (3, 3, 9, 9)
    assert page_span(0, 2, 4) == (1, 1, 0, 0)


WEST = Filters(date_from=date(2026, 10, 1), date_to=date(2026, 10, 31), regions=("West",))


def assert_every_page_is_its_slice(con, as_of: datetime) -> int:
    """Every page of two items of the list (from every offset), for each status and source choice and
    for October and its West, equals its slice of the whole list; returns how many items October's
    list holds."""
    whole = follow_up_list(con, OCTOBER, as_of)
    for filters, statuses, sources in ((OCTOBER, (), ()), (OCTOBER, ("contacted", "resolved"), ()),
                                       (OCTOBER, ("open",), ("nps", "complaint")), (WEST, (), ())):
        chosen = follow_up_list(con, filters, as_of, statuses, sources)
        for offset in range(0, len(chosen) + 1):
            page = follow_up_list(con, filters, as_of, statuses, sources, limit=2, offset=offset)
            pd.testing.assert_frame_equal(page, chosen.iloc[offset:offset + 2].reset_index(drop=True),
                                          check_index_type=False, check_dtype=False)
    return len(whole)


def test_a_page_read_without_the_whole_list_is_its_slice(filled, monkeypatch, tmp_path):
    """A page reads only the rows up to its end in the order of items without a record (issue 24):
    with no slack every page takes that path, and it must equal the whole list's slice with twins
    (C14's two answers in one second, the later of a key customer), three answers at one moment (the
    page's end can fall among them), a key customer's detractor, records that move items (K-1's due
    date, C1 contacted, R1 resolved), on either side of a due date, after an import, edits and an undo."""
    monkeypatch.setattr(follow_up_module, "PAGE_SLACK", 0)
    dbrows.insert(con := filled, "nps_response", [
        {"customer_id": "C14", "responded_at": datetime(2026, 10, 16, 10, 0, 0, 700000), "score": 5, "tier": "key"},
        {"customer_id": "C14", "responded_at": datetime(2026, 10, 16, 10, 0, 0, 200000), "score": 3},
        {"customer_id": "C16", "responded_at": at(26), "score": 2, "tier": "key"},
        *({"customer_id": customer, "responded_at": at(12, 15), "score": 1, "region": "West"}
          for customer in ("C22", "C20", "C21")),
        {"customer_id": "C23", "responded_at": at(11), "score": 0, "region": "West"},
    ])
    # 9 items of `filled`, C14 once, C16, C23 and three answered at one moment (their ids order them;
    # in the West, with no record before them, the page's end falls among them)
    assert assert_every_page_is_its_slice(con, AS_OF) == 15
    # a day earlier R4 (due 31 Oct) is not yet late: a different order
    assert assert_every_page_is_its_slice(con, datetime(2026, 10, 31, 12)) == 15
    # whichever of the tied rows the store gives first (here the last by id), the page is the slice
    monkeypatch.setattr(follow_up_module, "FIRST_CANDIDATES_SQL", follow_up_module.FIRST_CANDIDATES_SQL.replace(
        "ORDER BY key_detractor DESC, responded_at", "ORDER BY key_detractor DESC, responded_at, ident DESC"))
    assert assert_every_page_is_its_slice(con, AS_OF) == 15
    path = tmp_path / "nps.csv"
    path.write_text(NPS_FILE.replace("C1,2026-10-02 09:00,3", "C17,2026-10-01 07:00,1"), encoding="utf-8")
    batch = import_file(con, path, kind="nps")
    save_follow_ups(con, [FollowUpChange("nps:C17@2026-10-01 07:00:00", status="unreachable"),
                          FollowUpChange(C5, due_on=date(2026, 10, 2)),
                          FollowUpChange("nps:C14@2026-10-16 10:00:00", owner="Zhao"),
                          FollowUpChange("nps:C21@2026-10-12 15:00:00", status="contacted")], "Li Na")
    assert assert_every_page_is_its_slice(con, AS_OF) == 16
    undo(con, batch.batch_id)   # C17's record stays, its row gone
    assert assert_every_page_is_its_slice(con, AS_OF) == 16


def counts_of_the_whole_list(con, filters: Filters, as_of: datetime) -> dict:
    """The outcome's counts worked out from the whole list, as the page counted them before issue 24."""
    items = follow_up_list(con, filters, as_of)
    nps = items[(items["source"] == "nps") & ~items["source_gone"]
                & (items["responded_at"] <= as_of - pd.Timedelta(hours=48))]
    within = nps["contacted_at"].notna() & (nps["contacted_at"] <= nps["responded_at"] + pd.Timedelta(hours=48))
    return {"items": len(items), "open": int((~items["status"].isin(["resolved", "unreachable"])).sum()),
            "overdue": int(items["overdue"].sum()), "source_gone": int(items["source_gone"].sum()),
            "contacted_48h": (int(within.sum()), len(nps)), "by_status": status_counts(items)}


def assert_the_outcome_counts_the_whole_list(con, as_of: datetime) -> int:
    for filters in (OCTOBER, Filters(date_from=date(2026, 10, 1), date_to=date(2026, 10, 31), regions=("South",)),
                    Filters(date_from=date(2026, 10, 3), date_to=date(2026, 10, 16)),
                    Filters(date_from=date(2026, 10, 1), date_to=date(2026, 10, 31), tiers=("key",))):
        expected = counts_of_the_whole_list(con, filters, as_of)
        outcome = follow_up_outcome(con, filters, as_of)
        assert {"items": outcome.items, "open": outcome.open, "overdue": outcome.overdue,
                "source_gone": outcome.source_gone,
                "contacted_48h": (outcome.contacted_48h.k, outcome.contacted_48h.n)} == {
            k: v for k, v in expected.items() if k != "by_status"}, filters
        pd.testing.assert_frame_equal(chosen_counts(outcome), expected["by_status"])
    return follow_up_outcome(con, OCTOBER, as_of).items


def test_the_outcome_counts_what_the_whole_list_holds(filled, tmp_path):
    """The outcome's counts (the page's tiles and chart, issue 24) equal the whole list's, with twins
    (C14's two answers in one second, the later of a key customer), a key customer's detractor, a record whose row no longer calls for a follow-up (C1 scored again as a 9), a record
    made in the South of an item now in the North (C2a), on either side of a due date, after an
    import, edits (status, owner, due date) and an undo."""
    con = filled
    dbrows.insert(con, "nps_response", [
        {"customer_id": "C14", "responded_at": datetime(2026, 10, 16, 10, 0, 0, 700000), "score": 5, "tier": "key"},
        {"customer_id": "C14", "responded_at": datetime(2026, 10, 16, 10, 0, 0, 200000), "score": 3},
        {"customer_id": "C16", "responded_at": at(26), "score": 2, "tier": "key"},
    ])
    assert assert_the_outcome_counts_the_whole_list(con, AS_OF) == 11
    # a day earlier R4 (due 31 Oct) is not yet late
    assert assert_the_outcome_counts_the_whole_list(con, datetime(2026, 10, 31, 12)) == 11
    con.execute("UPDATE nps_response SET score = 9 WHERE customer_id = 'C1' AND score = 3")
    con.execute("UPDATE nps_response SET region = 'North' WHERE customer_id = 'C2' AND responded_at = ?", [at(5, 10)])
    assert assert_the_outcome_counts_the_whole_list(con, AS_OF) == 11
    path = tmp_path / "nps.csv"
    path.write_text(NPS_FILE.replace("C1,2026-10-02 09:00,3", "C17,2026-10-01 07:00,1"), encoding="utf-8")
    batch = import_file(con, path, kind="nps")
    assert assert_the_outcome_counts_the_whole_list(con, AS_OF) == 12
    save_follow_ups(con, [FollowUpChange("nps:C17@2026-10-01 07:00:00", status="contacted", contacted_at=at(2)),
                          FollowUpChange(C5, due_on=date(2026, 10, 2)),
                          FollowUpChange("nps:C14@2026-10-16 10:00:00", owner="Zhao", status="unreachable")], "Li Na")
    assert assert_the_outcome_counts_the_whole_list(con, AS_OF) == 12
    assert assert_the_outcome_counts_the_whole_list(con, datetime(2026, 10, 3, 12)) == 12
    undo(con, batch.batch_id)   # C17's record stays, its row gone
    assert assert_the_outcome_counts_the_whole_list(con, AS_OF) == 12
    assert follow_up_outcome(con, OCTOBER, AS_OF).source_gone == 1


def test_the_file_holds_every_item_of_the_selection(filled):
    whole = [C1, R2, K1, C2A, C10, C2B, R4, R1, C5]
    edited = list_file(filled, OCTOBER, AS_OF, (), (), "en", editing=True)
    assert edited[translate("follow_up.col.item_key", "en")].tolist() == whole
    assert list(edited.columns) == [translate(f"follow_up.col.{c}", "en") for c in EXPORTED]
    read = list_file(filled, OCTOBER, AS_OF, ("open",), ("nps", "complaint"), "zh", editing=False)
    assert read["item_key"].tolist() == [K1, C10, C2B, C5] and list(read.columns) == list(SHOWN_COLUMNS)
    assert set(read["status"]) == {translate("follow_up.status.open", "zh")}
    shared = list_file(filled, OCTOBER, AS_OF, (), (), "en", editing=False, shared_screen=True)
    assert len(shared) == 9 and "item_key" not in shared.columns and "customer_id" not in shared.columns


def test_a_store_from_step_7_gets_the_follow_up_table_in_step_8(tmp_path):
    path = tmp_path / "old.duckdb"
    con = connect(path)
    dbrows.layout_before(con, 9, "follow_up")
    con.close()
    with pytest.raises(QueryError, match="earlier version"):
        connect(path, read_only=True)
    again = connect(path)
    try:
        # step 9 made the table; the later steps ran in the same upgrade
        assert again.execute("SELECT max(version) FROM store_version").fetchone()[0] == LATEST_VERSION
        assert again.execute("SELECT count(*) FROM follow_up").fetchone()[0] == 0
    finally:
        again.close()


def test_migrate_copies_the_follow_up_records(filled, con_url, tmp_path):
    rows = filled.execute("SELECT * FROM follow_up ORDER BY item_key, revision").fetchall()
    filled.close()
    copied = migrate(con_url, str(tmp_path / "copy.duckdb"))
    assert copied["follow_up"] == len(rows) == 4
    target = connect(tmp_path / "copy.duckdb")
    try:
        assert target.execute("SELECT * FROM follow_up ORDER BY item_key, revision").fetchall() == rows
    finally:
        target.close()


@pytest.mark.parametrize("owners, outcomes, expected", [
    # nobody owns an item or wrote an outcome yet: those columns would be a row of dashes
    ([None, ""], [None, None], ("source", "late", "tier", "branch", "score", "status", "detail")),
    # one owner and one outcome written: both columns are shown
    (["Li Na", None], [None, "called back"],
     ("source", "late", "tier", "branch", "score", "owner", "status", "outcome", "detail")),
])
def test_the_shared_screen_shows_the_reasons_and_words_without_ids_or_dates(owners, outcomes, expected):
    shown = pd.DataFrame({c: ["x", "y"] for c in SHOWN_COLUMNS})
    shown["owner"], shown["outcome"] = owners, outcomes
    assert shared_screen_columns(shown) == expected
