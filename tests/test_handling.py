"""Complaint handling steps: status words to steps at import, the funnel, Kaplan–Meier, stalls."""
from __future__ import annotations

from datetime import datetime

import pandas as pd
import pytest
from conftest import reopened_before

from analytics.handling import handling_steps, steps_summary
from analytics.stats import kaplan_meier_median_counted
from analytics.summary import summary
from loaders.__main__ import main as loaders_main
from loaders.importer import import_file
from store.db import LATEST_VERSION, connect, quote_identifier
from text.steps import STEPS, _WORDS, handling_step

# A small log with status words in both languages; the log's "now" is 2026-10-10 00:00.
LOG = """Date,Branch,Cause,Status,Resolved,Description
2026-10-01 00:00,North,Wait,受理,,排队太久
2026-10-09 12:00,North,Wait,open,,queue far too long
2026-10-02 00:00,North,Fee,处理中,,收费不对
2026-10-03 00:00,South,Fee,In Progress,,fee charged twice
2026-10-01 00:00,South,Fee,resolved,2026-10-01 10:00,fee refunded late
2026-10-01 00:00,South,Staff,已回访,2026-10-02 00:00,态度不好
2026-10-01 00:00,North,Staff,Closed,2026-10-01 06:00,rude staff
2026-10-02 00:00,North,Staff,已办结,,服务差
2026-10-05 00:00,South,Wait,parked,,slow line
2026-10-04 00:00,South,Fee,调查中,2026-10-10 00:00,扣费错误
"""
AS_OF = datetime(2026, 10, 10)


@pytest.mark.parametrize("word, step", [
    ("受理", "listen"), ("处理中", "action"), ("已回访", "satisfy"), ("已办结", "satisfy"),
    ("open", "listen"), ("In Progress", "action"), ("in_progress", "action"), ("  RESOLVED ", "action"),
    ("closed", "satisfy"), ("调查中", "problem"), ("待客户确认", "check"), ("已致歉", "share"),
    ("parked", None), ("", None), (None, None),
    # the US CFPB database's "Company response to consumer", and words a ticket system qualifies
    ("Closed with explanation", "satisfy"), ("Closed with monetary relief", "satisfy"),
    ("Closed with non-monetary relief", "satisfy"), ("Untimely response", "listen"),
    ("Closed - resolved", "satisfy"), ("In progress (awaiting parts)", "action"), ("已办结（满意）", "satisfy"),
    ("Waiting on Customer", "check"), ("On-hold", "action"),
    # the longest leading run of whole words only: a negation or a longer word names nothing
    ("not resolved", None), ("closedown", None), ("parked - closed", None),
])
def test_status_words_name_their_step(word, step):
    assert handling_step(word) == step


def test_no_status_word_names_two_steps():
    seen: dict[str, str] = {}
    clashes = [(w, seen.setdefault(w, step), step) for step, words in _WORDS.items() for w in words
               if seen.setdefault(w, step) != step]
    assert clashes == []
    assert set(_WORDS) == set(STEPS)


@pytest.fixture
def log_con(con, tmp_path):
    path = tmp_path / "complaints.csv"
    path.write_text(LOG, encoding="utf-8")
    result = import_file(con, path, kind="complaints")
    return con, result


def test_the_import_maps_status_words_and_reports_those_it_cannot(log_con):
    con, result = log_con
    assert result.unmapped_statuses == (("parked", 1),)
    assert len(result.status_words) == 10
    assert con.execute("SELECT status, handling_step FROM complaint ORDER BY row_no").fetchall() == [
        ("受理", "listen"), ("open", "listen"), ("处理中", "action"), ("In Progress", "action"),
        ("resolved", "action"), ("已回访", "satisfy"), ("Closed", "satisfy"), ("已办结", "satisfy"),
        ("parked", None), ("调查中", "problem")]


def test_the_funnel_by_step_computed_by_hand(log_con):
    con, _ = log_con
    result = handling_steps(con, as_of=AS_OF)
    steps = result.steps.set_index("step")
    # now at each step: listen 2, problem 1, action 3 (two open), satisfy 3; 'parked' has none
    assert steps["count"].tolist() == [2, 0, 1, 0, 3, 3]
    assert steps["reached"].tolist() == [9, 7, 7, 6, 6, 3]
    assert steps["reached_share"].tolist() == pytest.approx([1, 7 / 9, 7 / 9, 6 / 9, 6 / 9, 3 / 9])
    assert steps["n_open"].tolist() == [2, 0, 0, 0, 2, 0]  # 调查中 carries a resolved time
    assert (result.n, result.n_without_step) == (10, 1)
    # hours at the step: listen open 216 h and 12 h -> 114; problem resolved at 144 h;
    # action open 192 h, 168 h and resolved in 10 h -> 168; satisfy 24 h and 6 h (已办结 has no time) -> 15
    assert steps.loc["listen", "median_hours"] == pytest.approx(114)
    assert steps.loc["problem", "median_hours"] == pytest.approx(144)
    assert steps.loc["action", "median_hours"] == pytest.approx(168)
    assert steps.loc["satisfy", "median_hours"] == pytest.approx(15)
    assert pd.isna(steps.loc["share", "median_hours"])
    # stalled: open past 24 h - listen 1 of 2, action 2 of 3; the problem one was resolved
    assert steps["stalled"].tolist() == [1, 0, 0, 0, 2, 0]
    assert steps.loc["listen", "share_stalled"] == pytest.approx(0.5)
    assert steps.loc["action", "share_stalled"] == pytest.approx(2 / 3)
    assert result.stalls_most == "action"


def test_confirmed_satisfaction_and_kaplan_meier_by_hand(log_con):
    con, _ = log_con
    result = handling_steps(con, as_of=AS_OF)
    # closed: resolved (10 h), 已回访, Closed, 已办结, 调查中 with a resolved time -> 5; at Satisfy 3
    assert (result.n_closed, result.n_confirmed) == (5, 3)
    assert result.confirmed_share == pytest.approx(0.6)
    # durations: resolved 6, 10, 24, 144; censored 12, 120 (parked), 168, 192, 216; 已办结 has none.
    # S(6) = 8/9, S(10) = 8/9·7/8 = 7/9, 12 censored, S(24) = 7/9·5/6 = 35/54, 120 censored,
    # S(144) = 35/54·3/4 = 35/72 ≈ 0.486 <= 0.5: the median is 144 h
    assert (result.n_resolved, result.n_censored) == (4, 5)
    assert result.median_hours_to_resolve == pytest.approx(144)


def test_kaplan_meier_of_the_steps_by_hand():
    # handling_steps' input: per distinct duration, its resolutions (events) and all its complaints
    # (ended). S(1) = 3/4; 2 is censored; S(3) = 3/4·(1 − 1/2) = 3/8 <= 1/2: the median is 3
    hours, events, ended = [1.0, 2.0, 3.0, 4.0], [1, 0, 1, 1], [1, 1, 1, 1]
    result = kaplan_meier_median_counted(hours, events, [e - r for e, r in zip(ended, events)])
    assert (result.n, result.n_events, result.median) == (4, 3, 3.0)
    # more than half still open when the last is censored: S(1) = 2/3, then only censored: no median
    assert kaplan_meier_median_counted([1.0, 2.0], [1, 0], [0, 2]).median is None


def test_summary_json_carries_the_steps(log_con):
    con, _ = log_con
    steps = summary(con)["complaints"]["steps"]
    assert list(steps) == list(STEPS)
    assert steps["action"]["count"] == 3
    assert steps["listen"]["share_stalled"] == pytest.approx(0.5)
    assert steps_summary(handling_steps(con, as_of=AS_OF))["satisfy"] == {
        "count": 3, "median_hours": pytest.approx(15), "share_stalled": 0.0}


def test_the_cli_lists_mapped_and_unmapped_words(tmp_path, capsys):
    path = tmp_path / "complaints.csv"
    path.write_text(LOG, encoding="utf-8")
    assert loaders_main(["import", str(path), "--kind", "complaints", "--db", str(tmp_path / "s.duckdb")]) == 0
    out = capsys.readouterr().out.splitlines()
    mapped = [line for line in out if line.startswith("status words mapped to handling steps: ")]
    assert len(mapped) == 1 and "已办结 → Satisfy (1 row)" in mapped[0] and "受理 → Listen (1 row)" in mapped[0]
    assert out[-1] == "1 status word names no handling step (those complaints have none): parked (1 row)"


def test_complaints_whose_qualified_status_named_no_step_get_one_when_the_store_opens(tmp_path):
    """Upgrade step 25: a store imported while "Closed with explanation" named no step. Only the
    complaints without a step are read again; a step already there stays."""
    db_path = tmp_path / "old.duckdb"
    con = connect(db_path)
    con.execute("INSERT INTO complaint (batch_id, row_no, received_at, status, handling_step) VALUES"
                " ('11111111-1111-1111-1111-111111111111', 2, '2026-10-01', 'Closed with explanation', NULL),"
                " ('11111111-1111-1111-1111-111111111111', 3, '2026-10-01', 'In progress', 'listen'),"
                " ('11111111-1111-1111-1111-111111111111', 4, '2026-10-01', 'parked', NULL)")
    with reopened_before(con, db_path, 25) as again:
        assert again.execute("SELECT row_no, handling_step FROM complaint ORDER BY 1").fetchall() == \
            [(2, "satisfy"), (3, "listen"), (4, None)]
        assert again.execute("SELECT max(version) FROM store_version").fetchone()[0] == LATEST_VERSION


NEWER_TABLES = ("self_assessment", "sentiment_model", "sentiment_rescore", "theme", "text_theme", "follow_up")


def before_handling_steps(con, era: str) -> None:
    """Make a store look as one from before handling steps did: a lake-era store that has taken
    upgrade step 5, or one from before the steps were counted (no store_version, no store_claim)."""
    if era == "step 5":
        con.execute("DELETE FROM store_version")
        con.execute("INSERT INTO store_version VALUES (5, now()::TIMESTAMP)")
    else:
        con.execute("DROP TABLE store_version")
        con.execute("DROP TABLE store_claim")
    con.execute("ALTER TABLE complaint DROP COLUMN handling_step")
    for table in NEWER_TABLES:  # a lake-era store had none of them, nor has a store from before counted steps
        con.execute(f"DROP TABLE {quote_identifier(table)}")


@pytest.mark.parametrize("era", ["step 5", "uncounted"])
def test_a_store_from_before_steps_gets_them_from_its_status_words(tmp_path, era):
    path = tmp_path / "old.duckdb"
    con = connect(path)
    before_handling_steps(con, era)
    con.execute("INSERT INTO complaint (batch_id, row_no, received_at, status) VALUES"
                " ('11111111-1111-1111-1111-111111111111', 2, '2026-10-01', '已办结'),"
                " ('11111111-1111-1111-1111-111111111111', 3, '2026-10-01', 'parked')")
    con.close()
    again = connect(path)
    try:
        assert again.execute("SELECT row_no, handling_step FROM complaint ORDER BY 1").fetchall() == \
            [(2, "satisfy"), (3, None)]
        assert [again.execute(f"SELECT count(*) FROM {quote_identifier(table)}").fetchone()[0] for table in NEWER_TABLES] == [0] * len(NEWER_TABLES)
        assert again.execute("SELECT max(version) FROM store_version").fetchone()[0] == LATEST_VERSION
    finally:
        again.close()
