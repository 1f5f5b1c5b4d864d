"""What the upload page shows before importing: the stored rows to be, every problem, skipped rows."""
from __future__ import annotations

import datetime as dt

import pytest
from conftest import TEST_DATA

from loaders.errors import UnknownKindError
from loaders.importer import check, import_file, prepare, preview, rejected_rows
from loaders.validate import staged_problem_list
from presentation.problems import fix_text, problem_text


def test_nps_preview_is_the_first_rows_as_stored(con):
    prepared = prepare(con, TEST_DATA / "nps_gbk.csv")
    check(con, prepared)
    frames = preview(con, prepared, limit=2)
    assert list(frames) == ["nps_response"]
    frame = frames["nps_response"]
    # only the mapped columns, in the stored table's order
    assert list(frame.columns) == ["row_no", "customer_id", "responded_at", "score", "touchpoint", "branch",
                                   "region", "comment"]
    assert frame.to_dict("records")[0] == {
        "row_no": 2, "customer_id": "C001", "responded_at": dt.datetime(2026, 9, 1), "score": 10.0,
        "touchpoint": "手机银行", "branch": "Shanghai Pudong", "region": "East", "comment": "服务很好，非常满意"}
    assert frame["responded_at"].tolist()[1] == dt.datetime(2026, 9, 2)   # 2026/09/02


def test_preview_leaves_out_bad_rows(con):
    prepared = prepare(con, TEST_DATA / "nps_out_of_range.csv")
    report = check(con, prepared)
    assert (report.rows_total, report.rows_invalid) == (4, 2)
    frame = preview(con, prepared)["nps_response"]
    assert frame["customer_id"].tolist() == ["C1", "C4"]     # C2 = 11 and C3 = -1 are out of range


def test_survey_preview_has_its_ratings_long_without_not_applicable_codes(con):
    prepared = prepare(con, TEST_DATA / "survey_questions.xlsx")
    check(con, prepared)
    frames = preview(con, prepared)
    assert list(frames) == ["survey_response", "survey_rating"]
    assert frames["survey_response"]["respondent_id"].tolist() == ["R1", "R2", "R3"]
    ratings = frames["survey_rating"]
    # R1: Q1, Q2, E_T1, P_T1 = 4; R2: Q1, (Q2 = 0 is N/A), E_T1, P_T1 = 3; R3: Q1, Q2 = 2 -> 9
    assert len(ratings) == 9
    assert ratings.iloc[0].to_dict() == {"row_no": 2, "item_code": "Q1", "item_text": "Waiting time",
                                         "dimension": "responsiveness", "kind": "satisfaction", "score": 5.0,
                                         "scale_min": 1.0, "scale_max": 5.0}
    assert not ((ratings["row_no"] == 3) & (ratings["item_code"] == "Q2")).any()


def test_staged_problem_list_has_every_problem_with_row_and_fix(con):
    prepared = prepare(con, TEST_DATA / "nps_out_of_range.csv")
    report = check(con, prepared)
    problems = staged_problem_list(con, prepared.source)
    assert len(problems) == report.problem_count == 2
    scale = {"low": "0", "high": "10"}
    assert [(p.row, p.column, p.value, p.code, p.fix_code, p.values) for p in problems] == [
        (3, "Score", "11", "outside_scale", "value_range", scale),
        (4, "Score", "-1", "outside_scale", "value_range", scale)]
    assert fix_text(problems[0], "en") == "Use a value from 0 to 10, or correct the scale in the mapping."


def test_rejected_rows_of_a_batch(con):
    result = import_file(con, TEST_DATA / "nps_out_of_range.csv", skip_invalid=True)
    skipped = rejected_rows(con, result.batch_id)
    scale = {"low": "0", "high": "10"}
    assert [(p.file, p.row, p.column, p.value, p.code, p.fix_code, p.values) for p in skipped] == [
        ("nps_out_of_range.csv", 3, "Score", "11", "outside_scale", "value_range", scale),
        ("nps_out_of_range.csv", 4, "Score", "-1", "outside_scale", "value_range", scale)]
    clean = import_file(con, TEST_DATA / "nps_gbk.csv")
    assert rejected_rows(con, clean.batch_id) == ()


def test_skipped_rows_recorded_as_sentences_read_as_written(con):
    """A batch from before problems were codes kept English sentences; they are shown as they were."""
    result = import_file(con, TEST_DATA / "nps_out_of_range.csv", skip_invalid=True)
    con.execute("UPDATE import_batch SET rejected_json = ? WHERE id = ?",
                ['[{"row": 3, "column": "Score", "value": "11", "problem": "is outside the scale 0-10",'
                 ' "fix": "Use a value from 0 to 10."}]', result.batch_id])
    (skipped,) = rejected_rows(con, result.batch_id)
    assert (skipped.row, skipped.code, skipped.fix_code) == (3, "recorded", "recorded")
    assert (problem_text(skipped, "zh"), fix_text(skipped, "zh")) == ("is outside the scale 0-10",
                                                                      "Use a value from 0 to 10.")


def test_unknown_headers_raise_unknown_kind(con):
    with pytest.raises(UnknownKindError, match="cannot tell which kind of file"):
        prepare(con, TEST_DATA / "nps_needs_mapping.csv")
    # named as NPS, the file reads, with only the comment mapped
    prepared = prepare(con, TEST_DATA / "nps_needs_mapping.csv", kind="nps")
    assert prepared.mapping.fields == {"comment": "Why"}
    assert prepared.source.row_count == 3
