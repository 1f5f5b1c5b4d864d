"""The committed demo spreadsheets import whole, and the store holds exactly what the files say.

Expected numbers are counted from the files with an independent reader (openpyxl, pandas' csv
reader), not with the loaders, so a loader bug cannot agree with itself.
"""
from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest
from conftest import COMMITTED_IMPORTS, copy_demo_store
from openpyxl import load_workbook

from loaders.demo import DEMO_FOLDER, FILE_NAMES
from store.db import connect, quote_identifier


def read_sheet(path, sheet: str) -> pd.DataFrame:
    rows = list(load_workbook(path, read_only=True)[sheet].values)
    width = len(rows[0])
    return pd.DataFrame([list(r) + [None] * (width - len(r)) for r in rows[1:]], columns=rows[0])


@pytest.fixture(scope="module")
def demo_store(committed_demo_master, tmp_path_factory):
    """The run's import of the committed demo files (conftest.import_committed_demo), a copy of it
    open, and what each import reported."""
    con = connect(copy_demo_store(committed_demo_master, tmp_path_factory.mktemp("demo")))
    results = json.loads((committed_demo_master.parent / COMMITTED_IMPORTS).read_text(encoding="utf-8"))
    yield con, results
    con.close()


def test_every_demo_file_imports_as_its_kind_with_no_rejects(demo_store):
    _, results = demo_store
    assert {k: (r["kind"], r["rows_rejected"]) for k, r in results.items()} == {
        "survey": ("survey", 0), "nps": ("nps", 0), "complaints": ("complaints", 0),
        "management": ("management_survey", 0), "standards": ("standards", 0)}


@pytest.mark.slow
def test_row_counts_equal_the_files(demo_store):
    con, _ = demo_store
    survey = read_sheet(DEMO_FOLDER / FILE_NAMES["survey"], "Responses")
    nps = pd.read_csv(DEMO_FOLDER / FILE_NAMES["nps"], encoding="gbk", dtype=str)
    complaints = pd.read_csv(DEMO_FOLDER / FILE_NAMES["complaints"], encoding="utf-8-sig", dtype=str)
    management = read_sheet(DEMO_FOLDER / FILE_NAMES["management"], "Estimates")
    standards = pd.read_csv(DEMO_FOLDER / FILE_NAMES["standards"], dtype=str)
    counts = {t: con.execute(f"SELECT count(*) FROM {quote_identifier(t)}").fetchone()[0]
              for t in ("survey_response", "nps_response", "complaint", "management_rating",
                        "service_standard")}
    assert counts == {"survey_response": len(survey), "nps_response": len(nps),
                      "complaint": len(complaints), "management_rating": len(management),
                      "service_standard": len(standards)}


@pytest.mark.slow
def test_ratings_are_every_answered_cell_minus_not_applicable(demo_store):
    con, _ = demo_store
    survey = read_sheet(DEMO_FOLDER / FILE_NAMES["survey"], "Responses")
    questions = read_sheet(DEMO_FOLDER / FILE_NAMES["survey"], "Questions")
    expected = 0
    for q in questions.itertuples(index=False):
        column = survey[q.Code]
        answered = column.notna()
        if q._6 is not None and not pd.isna(q._6):       # the "N/A code" column
            answered &= column != q._6
        expected += int(answered.sum())
    assert con.execute("SELECT count(*) FROM survey_rating").fetchone()[0] == expected


@pytest.mark.slow
def test_first_rows_hold_the_exact_values_of_the_files(demo_store):
    con, _ = demo_store
    survey = read_sheet(DEMO_FOLDER / FILE_NAMES["survey"], "Responses").iloc[0]
    row = con.execute("SELECT respondent_id, customer_id, responded_at, branch, overall_satisfaction,"
                      " likelihood_to_recommend FROM survey_response WHERE row_no = 2").fetchone()
    assert row == (survey["Response ID"], survey["Customer ID"], pd.Timestamp(survey["Date"]).to_pydatetime(),
                   survey["Branch"], float(survey["Overall satisfaction"]),
                   float(survey["Likelihood to recommend"]))
    a01 = con.execute("SELECT score FROM survey_rating WHERE row_no = 2 AND item_code = 'A01'"
                      " AND kind = 'satisfaction'").fetchall()
    assert a01 == ([] if survey["A01"] == 0 else [(float(survey["A01"]),)])

    nps = pd.read_csv(DEMO_FOLDER / FILE_NAMES["nps"], encoding="gbk", dtype=str).iloc[-1]
    last = con.execute("SELECT customer_id, responded_at, score, touchpoint, branch FROM nps_response"
                       " ORDER BY row_no DESC LIMIT 1").fetchone()
    assert last == (nps["客户编号"], dt.datetime.fromisoformat(nps["日期"]), int(nps["推荐得分"]),
                     nps["触点"], nps["网点"])


def test_nps_in_the_store_equals_nps_from_the_file(demo_store):
    con, _ = demo_store
    scores = pd.read_csv(DEMO_FOLDER / FILE_NAMES["nps"], encoding="gbk", dtype=str)["推荐得分"].astype(int)
    # NPS = 100 * (promoters - detractors) / n
    expected = 100 * ((scores >= 9).sum() - (scores <= 6).sum()) / len(scores)
    stored = con.execute("SELECT 100 * (count_if(score >= 9) - count_if(score <= 6)) / count(*)"
                         " FROM nps_response").fetchone()[0]
    assert stored == pytest.approx(expected, abs=1e-9)


def test_every_comment_is_scored_once_at_import(demo_store):
    con, _ = demo_store
    unscored = con.execute(
        "SELECT count(*) FROM (SELECT comment, sentiment FROM survey_response UNION ALL"
        " SELECT comment, sentiment FROM nps_response UNION ALL SELECT description, sentiment FROM complaint)"
        " WHERE trim(comment) <> '' AND sentiment IS NULL").fetchone()[0]
    assert unscored == 0


def test_the_complaint_durations_survive_the_import(demo_store):
    con, _ = demo_store
    complaints = pd.read_csv(DEMO_FOLDER / FILE_NAMES["complaints"], encoding="utf-8-sig", dtype=str)
    hours = (pd.to_datetime(complaints["Resolved"]) - pd.to_datetime(complaints["Received"])).dt.total_seconds() / 3600
    stored = con.execute("SELECT median(epoch(resolved_at - received_at) / 3600) FROM complaint").fetchone()[0]
    assert stored == pytest.approx(hours.median(), abs=1e-9)
