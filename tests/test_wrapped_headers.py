"""Questions as form tools write them in a header: wrapped over lines inside the cell, and long
sentences that mention a place ('The branch was clean') while their answers are scores.

The files are built here: five respondents, a title line over the header, four questions answered
1-5 and a recommendation 0-10; the numbers are the expected values.
"""
from __future__ import annotations

import openpyxl
import pytest

from loaders.importer import prepare

QUESTIONS = ["How satisfied are you\nwith our service overall?", "The staff were\ncourteous",
             "Waiting time\r\nwas acceptable", "The branch was clean"]
SCORES = [(5, 4, 3, 5, 10), (4, 4, 2, 3, 8), (2, 1, 1, 2, 3), (3, 5, 4, 4, 9), (1, 2, 2, 1, 0)]


def _csv_cell(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _rows(branch_question: str) -> list[list]:
    questions = QUESTIONS[:3] + [branch_question]
    rows = [["ID", "Completion time", *questions, "How likely are you to recommend us to a friend?", "Comments"]]
    for i, scores in enumerate(SCORES, start=1):
        rows.append([i, f"2026-10-0{i} 09:1{i}:00", *scores[:4], scores[4], f"Comment {i}\nsecond line"])
    return rows


@pytest.fixture
def wrapped_csv(tmp_path):
    path = tmp_path / "forms_export.csv"
    lines = ["Customer survey October 2026"]
    lines += [",".join(_csv_cell(str(c)) for c in row) for row in _rows("The branch was clean")]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8", newline="")
    return path


def test_a_header_cell_over_several_lines_loses_no_row(wrapped_csv):
    """The header record takes four lines of the file; all five respondents are read, the first
    one first (DuckDB's reader skips records, so counting lines would drop three rows)."""
    prepared = prepare(None, wrapped_csv, kind="survey")
    assert prepared.source.table.num_rows == 5
    assert prepared.source.headers[:6] == (
        "ID", "Completion time", "How satisfied are you with our service overall?", "The staff were courteous",
        "Waiting time was acceptable", "The branch was clean")
    table = prepared.source.table
    # the spreadsheet's record numbers: the title is row 1, the header row 2
    assert table.column(0).to_pylist() == [3, 4, 5, 6, 7]
    assert table.column("ID").to_pylist() == ["1", "2", "3", "4", "5"]
    assert table.column("Comments").to_pylist()[0] == "Comment 1\nsecond line"


def test_a_question_that_names_a_branch_but_is_scored_is_an_item(wrapped_csv):
    mapping = prepare(None, wrapped_csv, kind="survey").mapping
    assert "branch" not in mapping.fields
    assert mapping.fields["overall_satisfaction"] == "How satisfied are you with our service overall?"
    assert mapping.fields["likelihood_to_recommend"] == "How likely are you to recommend us to a friend?"
    assert [r.column for r in mapping.ratings] == ["The staff were courteous", "Waiting time was acceptable",
                                                   "The branch was clean"]
    assert {(r.scale_min, r.scale_max) for r in mapping.ratings} == {(1.0, 5.0)}


def test_a_question_asking_which_branch_still_names_the_branch(tmp_path):
    path = tmp_path / "which_branch.csv"
    rows = _rows("Which branch did you visit?")
    for row, place in zip(rows[1:], ["Pudong", "Tianhe", "Pudong", "Xuhui", "Tianhe"]):
        row[5] = place
    path.write_text("\n".join(",".join(_csv_cell(str(c)) for c in row) for row in rows) + "\n", encoding="utf-8")
    mapping = prepare(None, path, kind="survey").mapping
    assert mapping.fields["branch"] == "Which branch did you visit?"


def test_a_workbook_header_with_line_breaks_is_one_line(tmp_path):
    path = tmp_path / "forms_export.xlsx"
    book = openpyxl.Workbook()
    for row in _rows("The branch was clean"):
        book.active.append(row)
    book.save(path)
    prepared = prepare(None, path, kind="survey")
    assert prepared.source.table.num_rows == 5
    assert "The staff were courteous" in prepared.source.headers
    assert "branch" not in prepared.mapping.fields
    assert len(prepared.mapping.ratings) == 3


@pytest.mark.slow
def test_a_question_asking_which_branch_answered_with_numbers_stays_the_branch(tmp_path):
    """Answered 1, 2, 3 it is a choice's numbers, which the loaders ask about; it is no score."""
    path = tmp_path / "which_branch_coded.csv"
    rows = _rows("Which branch did you visit?")
    for row, code in zip(rows[1:], [1, 2, 1, 3, 2]):
        row[5] = code
    path.write_text("\n".join(",".join(_csv_cell(str(c)) for c in row) for row in rows) + "\n", encoding="utf-8")
    mapping = prepare(None, path, kind="survey").mapping
    assert mapping.fields["branch"] == "Which branch did you visit?"
    assert "Which branch did you visit?" not in [r.column for r in mapping.ratings]
