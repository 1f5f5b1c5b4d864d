"""The store opens as a DuckDB file and as a DuckLake catalog with the same schema."""
from __future__ import annotations

import duckdb
import pytest
from conftest import TEST_DATA

from store import db
from store.db import connect, cursor, data_version, quote_identifier, reading, transaction
from store.errors import QueryError

TABLES = {"import_batch", "survey_response", "survey_item", "nps_response", "complaint",
          "management_rating", "service_standard", "saved_mapping", "app_setting"}


def table_names(con) -> set[str]:
    return {r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()}


def test_duckdb_file_has_every_table(con):
    assert TABLES <= table_names(con)


def test_schema_is_accepted_by_ducklake(tmp_path):
    lake = connect(f"ducklake:{tmp_path / 'catalog.ducklake'}")
    try:
        names = {r[0] for r in lake.execute("SHOW TABLES").fetchall()}
        assert TABLES <= names
        lake.execute("INSERT INTO import_batch VALUES (uuid(), 'nps', 'f.csv', NULL, 'abc', 1, 0,"
                     " now()::TIMESTAMP, NULL, 'imported', NULL, NULL, NULL)")
        assert lake.execute("SELECT count(*) FROM import_batch").fetchone() == (1,)
        assert lake.execute("SELECT count(*) FROM survey_rating").fetchone() == (0,)
    finally:
        lake.close()


@pytest.mark.parametrize("name, quoted", [
    ("branch", '"branch"'),
    ('say "hi"', '"say ""hi"""'),
    ("门店", '"门店"'),
])
def test_quote_identifier(name, quoted):
    assert quote_identifier(name) == quoted


def test_data_version_changes_with_an_import(con):
    before = data_version(con)
    con.execute("INSERT INTO import_batch VALUES (uuid(), 'nps', 'f.csv', NULL, 'abc', 1, 0,"
                " TIMESTAMP '2026-01-01 10:00:00', NULL, 'imported', NULL, NULL, NULL)")
    assert data_version(con) != before



def test_data_version_changes_with_every_setting_the_pages_show(con):
    # a target, an alert rule, a self-assessment and the tier rules are shown by pages cached on the
    # version: each must move it, or the pages keep the old one until the next import
    from datetime import date

    from store.alerts import set_rule
    from store.assessment import STATEMENTS, save_assessment
    from store.targets import set_target
    from store.tiers import TierRules, save_rules

    seen = [data_version(con)]
    for change in (lambda: set_target(con, "nps", 30.0), lambda: set_rule(con, "branch_nps_fall", enabled=False),
                   lambda: save_assessment(con, "Team", date(2026, 10, 1), [3] * STATEMENTS),
                   lambda: save_rules(con, TierRules(key_value=100000.0))):
        change()
        seen.append(data_version(con))
    assert len(set(seen)) == len(seen)
    assert data_version(con) == seen[-1]  # reading changes nothing

def narrow_store(path) -> list[tuple]:
    """A store in the layout before the score lists, two survey batches in it; its ratings, sorted."""
    import duckdb

    from store.db import _statements

    raw = duckdb.connect(str(path))
    for statement in _statements((TEST_DATA / "schema_narrow_ratings.sql").read_text(encoding="utf-8")):
        raw.execute(statement)
    first, second = "11111111-1111-1111-1111-111111111111", "22222222-2222-2222-2222-222222222222"
    for batch, day in ((first, "2026-01-05"), (second, "2026-02-05")):
        raw.execute("INSERT INTO import_batch VALUES (?, 'survey', 'f.csv', NULL, ?, 2, 0, ?, NULL, 'imported',"
                    " NULL, NULL, NULL)", [batch, batch, day])
        for row_no in (2, 3):
            raw.execute("INSERT INTO survey_response (batch_id, row_no, responded_at, branch) VALUES (?, ?, ?, 'B')",
                        [batch, row_no, day])
    # (batch, item_no, column, code, text, dimension, kind, min, max): the second batch repeats A01,
    # rescales A02 and rates A01 in two columns; E_/P_ pairs in the first
    items = [(first, 0, "A01", "A01", "Waiting", None, "satisfaction", 1, 5),
             (first, 1, "A02", "A02", "Courtesy", None, "satisfaction", 1, 5),
             (first, 2, "E_S01", "S01", "S01", "tangibles", "expectation", 1, 7),
             (first, 3, "P_S01", "S01", "S01", "tangibles", "perception", 1, 7),
             (second, 0, "A01", "A01", "Waiting", None, "satisfaction", 1, 5),
             (second, 1, "A02", "A02", "Courtesy", None, "satisfaction", 0, 10),
             (second, 2, "A01 (2)", "A01", "Waiting", None, "satisfaction", 1, 5)]
    raw.executemany("INSERT INTO survey_item VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)", items)
    scores = [(first, 2, 0, 4), (first, 2, 1, 5), (first, 2, 2, 6), (first, 2, 3, 5), (first, 3, 0, 2),
              (first, 3, 3, 7), (second, 2, 0, 3), (second, 2, 1, 8), (second, 2, 2, 5), (second, 3, 1, 0)]
    raw.executemany("INSERT INTO survey_score VALUES (?, ?, ?, ?)", scores)
    before = raw.execute("SELECT * FROM survey_rating ORDER BY ALL").fetchall()
    raw.close()
    return before


def test_a_store_with_narrow_ratings_is_moved_to_score_lists(tmp_path):
    path = tmp_path / "old.duckdb"
    before = narrow_store(path)
    assert len(before) == 10
    con = connect(path)
    try:
        assert con.execute("SELECT * FROM survey_rating ORDER BY ALL").fetchall() == before
        assert "survey_score" not in table_names(con)
        positions = con.execute("SELECT batch_id::VARCHAR, item_no, position FROM survey_item"
                                " WHERE kind = 'satisfaction' ORDER BY ALL").fetchall()
        # A01 keeps position 1 in both batches; the rescaled A02 is another item (3); A01's second
        # column in one file takes the next free position (4)
        assert [p for *_, p in positions] == [1, 2, 1, 3, 4]
        assert con.execute("SELECT satisfaction_scores FROM survey_response ORDER BY batch_id, row_no"
                           ).fetchall()[2] == ([3.0, None, 8.0, 5.0],)
    finally:
        con.close()
    again = connect(path)  # a moved store opens as it is
    try:
        assert again.execute("SELECT * FROM survey_rating ORDER BY ALL").fetchall() == before
    finally:
        again.close()


def from_before_counted_steps(con) -> None:
    """Make a store look as one did before its layout's steps were counted (store_version)."""
    con.execute("DROP TABLE store_version")
    con.execute("DROP TABLE store_claim")


def test_a_store_from_before_stored_words_gets_them_once_it_is_opened(tmp_path):
    path = tmp_path / "old.duckdb"
    con = connect(path)
    from_before_counted_steps(con)
    con.execute("ALTER TABLE complaint DROP COLUMN description_words")
    con.execute("INSERT INTO complaint (batch_id, row_no, received_at, description)"
                " VALUES ('11111111-1111-1111-1111-111111111111', 2, '2026-10-01', 'card blocked')")
    con.close()
    again = connect(path)
    try:
        assert again.execute("SELECT row_no, description, description_words FROM complaint").fetchall() == \
            [(2, "card blocked", ["blocked", "card"])]
    finally:
        again.close()


def test_an_outdated_store_opened_read_only_says_how_to_bring_it_up_to_date(tmp_path):
    path = tmp_path / "old.duckdb"
    connect(path).close()
    current = connect(path, read_only=True)  # up to date: opens
    current.close()
    con = connect(path)
    from_before_counted_steps(con)
    con.execute("ALTER TABLE complaint DROP COLUMN description_words")
    con.close()
    with pytest.raises(QueryError, match="earlier version of the dashboard.*open it once with the dashboard"):
        connect(path, read_only=True)
    narrow = tmp_path / "narrow.duckdb"
    narrow_store(narrow)
    with pytest.raises(QueryError, match="earlier version"):
        connect(narrow, read_only=True)
    connect(narrow).close()  # upgraded
    connect(narrow, read_only=True).close()


def test_a_transaction_that_fails_changes_nothing(con):
    con.execute("CREATE TABLE t (x INTEGER)")
    with pytest.raises(QueryError, match=r"^t could not be filled \(.*Conversion"):
        with transaction(con, "t could not be filled"):
            con.execute("INSERT INTO t VALUES (1)")
            con.execute("INSERT INTO t VALUES ('not a number')")
    with pytest.raises(KeyError):
        with transaction(con, "t could not be filled"):
            con.execute("INSERT INTO t VALUES (2)")
            raise KeyError("a failure outside DuckDB")
    with transaction(con, "t could not be filled"):
        con.execute("INSERT INTO t VALUES (3)")
    assert con.execute("SELECT x FROM t").fetchall() == [(3,)]


A = ("satisfaction", "A01", "Waiting", None, 1, 5)


@pytest.mark.parametrize("known, batch, expected", [
    ([], [A, ("satisfaction", "A02", "Courtesy", None, 1, 5)], [1, 2]),
    # the same item in a later batch keeps its place, in whatever column order the file has it
    ([("satisfaction", 1, "A02", "Courtesy", None, 1.0, 5.0), ("satisfaction", 2, *A[1:])], [A], [2]),
    # another kind has lists of its own
    ([("satisfaction", 1, *A[1:])], [("importance", "A01", "Waiting", None, 1, 5)], [1]),
    # reworded, rescaled or regrouped it is another item
    ([("satisfaction", 1, *A[1:])], [("satisfaction", "A01", "Waiting time", None, 1, 5),
                                      ("satisfaction", "A01", "Waiting", None, 0, 10),
                                      ("satisfaction", "A01", "Waiting", "responsiveness", 1, 5)], [2, 3, 4]),
    # two columns of one file for the same item take two places
    ([("satisfaction", 1, *A[1:])], [A, A], [1, 2]),
])
def test_item_positions(known, batch, expected):
    from store.db import ItemPositions

    assert ItemPositions(known).assign(batch) == expected


def test_an_import_places_its_items_where_an_earlier_one_did(con, tmp_path):
    from loaders.importer import import_file

    first, second = tmp_path / "january.csv", tmp_path / "february.csv"
    first.write_text("Date,Branch,Q1,Q2\n2026-01-05,B,4,5\n", encoding="utf-8")
    second.write_text("Date,Branch,Q2,Q1,Q3\n2026-02-05,B,3,2,1\n", encoding="utf-8")
    import_file(con, first, kind="survey")
    import_file(con, second, kind="survey", accept_new_items=True)  # Q3 is new: the analyst accepts it
    rows = con.execute("SELECT satisfaction_scores FROM survey_response ORDER BY responded_at").fetchall()
    assert rows == [([4.0, 5.0],), ([2.0, 3.0, 1.0],)]
    assert con.execute("SELECT item_code, score FROM survey_rating WHERE row_no = 2 ORDER BY ALL").fetchall() == [
        ("Q1", 2.0), ("Q1", 4.0), ("Q2", 3.0), ("Q2", 5.0), ("Q3", 1.0)]


def test_the_store_opens_with_a_memory_limit(db_path, monkeypatch):
    monkeypatch.delenv("FEEDBACK_DUCKDB_MEMORY", raising=False)
    con = connect(db_path)
    try:
        # DuckDB shows 1GB as 953.6 MiB (1e9 bytes)
        assert con.execute("SELECT current_setting('memory_limit')").fetchone()[0] == "953.6 MiB"
    finally:
        con.close()


def test_the_memory_limit_comes_from_the_environment(db_path, monkeypatch):
    monkeypatch.setenv("FEEDBACK_DUCKDB_MEMORY", "512MB")
    con = connect(db_path)
    try:
        assert con.execute("SELECT current_setting('memory_limit')").fetchone()[0] == "488.2 MiB"
    finally:
        con.close()


def test_a_memory_limit_duckdb_cannot_read_is_a_clear_error(db_path, monkeypatch):
    monkeypatch.setenv("FEEDBACK_DUCKDB_MEMORY", "lots; DROP TABLE x")
    with pytest.raises(QueryError, match="FEEDBACK_DUCKDB_MEMORY"):
        connect(db_path)


def test_a_figures_queries_read_one_snapshot_and_a_failure_ends_it(con):
    reader = cursor(con)
    count = "SELECT count(*) FROM app_setting WHERE name = 'probe'"
    with reading(reader):
        assert reader.execute(count).fetchone() == (0,)
        con.execute("INSERT INTO app_setting VALUES ('probe', 'landed meanwhile', now())")  # committed elsewhere
        assert reader.execute(count).fetchone() == (0,)
    assert reader.execute(count).fetchone() == (1,)
    with pytest.raises(duckdb.CatalogException, match="no_such_table"):
        with reading(reader):
            reader.execute("SELECT * FROM no_such_table")
    # the failed block's transaction was rolled back: the next one starts
    with reading(reader):
        assert reader.execute(count).fetchone() == (1,)


def test_an_upgrade_that_finds_the_store_brought_up_to_date_meanwhile_writes_nothing(con, monkeypatch):
    """Replicas started together on a new lake: one looks (no version yet), another upgrades and
    commits, then the first's transaction finds the version there and adds no second row."""
    rows = con.execute("SELECT count(*) FROM store_version").fetchone()[0]
    monkeypatch.setattr(db, "layout_version", lambda _con: None)   # it looked before the other committed
    db.upgrade(con)
    assert con.execute("SELECT count(*) FROM store_version").fetchone()[0] == rows
    assert con.execute("SELECT count(*) FROM store_claim").fetchone()[0] == 1
