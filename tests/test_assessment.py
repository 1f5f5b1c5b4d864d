"""The customer-orientation self-assessment: percentages by hand, insert-only saving, the last
assessment, and the page (AppTest)."""
from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import dbrows
import pytest
from streamlit.testing.v1 import AppTest

from analytics.assessment import assessment_view, last_assessment, section_percentages, teams, total_percentage
from loaders.access import set_passphrase
from pages import _keys as keys
from store.assessment import SECTIONS, STATEMENTS, AssessmentError, save_assessment, statement_keys
from store.db import connect

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# 7 fives, 5 fours, 4 threes, 7 twos, 4 ones, 7 fives, 6 threes
ANSWERS = [5] * 7 + [4] * 5 + [3] * 4 + [2] * 7 + [1] * 4 + [5] * 7 + [3] * 6


def test_the_sections_have_the_materials_maxima():
    assert [5 * n for _, n in SECTIONS] == [35, 25, 20, 35, 20, 35, 30]
    assert STATEMENTS == 40 and len(statement_keys()) == 40


def test_section_percentages_by_hand():
    frame = section_percentages(ANSWERS)
    # 35/35, 20/25, 12/20, 14/35, 4/20, 35/35, 18/30
    assert frame["score"].tolist() == [35, 20, 12, 14, 4, 35, 18]
    assert frame["maximum"].tolist() == [35, 25, 20, 35, 20, 35, 30]
    assert frame["percentage"].tolist() == pytest.approx([100, 80, 60, 40, 20, 100, 60])
    # 138 of 200
    assert total_percentage(ANSWERS) == pytest.approx(100 * 138 / 200)


@pytest.mark.parametrize("team, answers, message", [
    ("  ", ANSWERS, "the self-assessment needs the team's name"),
    ("Branch North", ANSWERS[:-1], "the self-assessment has 40 statements; 39 scores were given"),
    ("Branch North", [0] + ANSWERS[1:-1] + [6], "statements 1, 40 need a score from 1 to 5"),
])
def test_a_wrong_assessment_is_refused_with_words(con, team, answers, message):
    with pytest.raises(AssessmentError) as raised:
        save_assessment(con, team, date(2026, 10, 31), answers)
    assert str(raised.value) == message
    assert con.execute("SELECT count(*) FROM self_assessment").fetchone()[0] == 0


def test_saving_inserts_and_the_last_assessment_compares(con):
    earlier = [3] * STATEMENTS
    first = save_assessment(con, "Branch North", date(2026, 9, 30), earlier, datetime(2026, 9, 30, 12))
    save_assessment(con, "Branch South", date(2026, 10, 30), [1] * STATEMENTS)
    second = save_assessment(con, " Branch North ", date(2026, 10, 31), ANSWERS, datetime(2026, 10, 31, 12))
    assert con.execute("SELECT count(*) FROM self_assessment").fetchone()[0] == 3
    assert teams(con) == ["Branch North", "Branch South"]
    assert last_assessment(con, "Branch North") == (date(2026, 10, 31), ANSWERS)
    view = assessment_view(con, "Branch North", ANSWERS, excluding=second)
    # last: every statement 3 -> 60% in every section, 120 of 200 in all
    assert view.last_on == date(2026, 9, 30)
    assert view.sections["last_percentage"].tolist() == pytest.approx([60] * 7)
    assert view.sections["change"].tolist() == pytest.approx([40, 20, 0, -20, -40, 40, 0])
    assert view.total_change == pytest.approx(100 * (138 - 120) / 200)
    # the first one has no earlier one
    alone = assessment_view(con, "Branch North", earlier, excluding=second)
    assert alone.last_on == date(2026, 9, 30)
    assert assessment_view(con, "Branch West", earlier).last_on is None
    assert first != second


def customer_store(path: Path) -> Path:
    """October's NPS: 3 promoters, 1 passive, 1 detractor of 5 -> 100 × (3 − 1) / 5 = +40."""
    con = connect(path)
    try:
        dbrows.nps(con, [10, 10, 9, 7, 3], responded_at=datetime(2026, 10, 15))
    finally:
        con.close()
    return path


def run_page(store: Path, monkeypatch, team: str | None = None, lang: str = "en") -> AppTest:
    monkeypatch.setenv("FEEDBACK_DB", str(store))
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60)
    at.query_params.update({"lang": lang, "month": "2026-10"})
    at.run()
    at.switch_page("pages/assessment.py").run()
    if team is not None:
        at.text_input(key=keys.ASSESSMENT_TEAM).input(team).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_page_asks_for_the_team_first(tmp_path, monkeypatch):
    at = run_page(customer_store(tmp_path / "s.duckdb"), monkeypatch)
    assert [i.value for i in at.info] == ["Name the team to see and save its assessment."]
    assert len([r for r in at.radio if r.key.startswith("assessment.answer.")]) == STATEMENTS
    # the on-screen answers (every statement 3 at first: 60%) are drawn; nothing can be saved yet
    radar = json.loads(at.get("plotly_chart")[0].proto.spec)["data"]
    assert [trace["r"][:-1] for trace in radar] == [[60] * 7]
    assert [b.key for b in at.button if b.key == "assessment.save_button"] == []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_page_scores_saves_and_compares(tmp_path, monkeypatch, lang):
    store = customer_store(tmp_path / "s.duckdb")
    con = connect(store)
    save_assessment(con, "Branch North", date(2026, 9, 30), [3] * STATEMENTS)
    con.close()
    at = run_page(store, monkeypatch, "Branch North", lang)
    for (section, number), score in zip(statement_keys(), ANSWERS):
        at.radio(key=keys.assessment_answer(section, number)).set_value(score)
    at.run()
    radar = json.loads(at.get("plotly_chart")[0].proto.spec)["data"]
    assert [trace["r"][:-1] for trace in radar] == [[60] * 7, pytest.approx([100, 80, 60, 40, 20, 100, 60])]
    at.button(key="assessment.save_button").click().run()
    assert not at.exception
    con = connect(store)  # the app's own configuration, so both share the open database
    try:
        assert con.execute("SELECT team, answers FROM self_assessment ORDER BY saved_at DESC, assessed_on DESC"
                           " LIMIT 1").fetchall() == [("Branch North", ANSWERS)]
        assert con.execute("SELECT count(*) FROM self_assessment").fetchone()[0] == 2
    finally:
        con.close()
    # the comparison stays with the last assessment before the one just saved
    radar = json.loads(at.get("plotly_chart")[0].proto.spec)["data"]
    assert radar[0]["r"][:-1] == [60] * 7
    total = at.metric[0]
    assert total.value == "69%" and total.delta == "+9"   # 138/200 = 69%, 120/200 = 60%
    assert at.metric[2].value == "+40.0"                   # the customers' NPS of the same month


def test_a_viewer_scores_but_cannot_save(tmp_path, monkeypatch):
    """Saving is for analysts, as uploads are: with a passphrase set, a viewer gets no save button."""
    store = customer_store(tmp_path / "s.duckdb")
    con = connect(store)
    set_passphrase(con, "correct horse battery")
    con.close()
    at = run_page(store, monkeypatch, "Branch North")
    assert [b.key for b in at.button if b.key == "assessment.save_button"] == []
    assert "Saving an assessment is for analysts; you can score and compare without saving." in [i.value for i in at.info]
    assert [e.label for e in at.expander if e.label == "Analyst sign-in"] == ["Analyst sign-in"]
    radar = json.loads(at.get("plotly_chart")[0].proto.spec)["data"]
    assert [trace["r"][:-1] for trace in radar] == [[60] * 7]
