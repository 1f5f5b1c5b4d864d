"""pages._common.load_all: the one place the dashboard computes concurrently. The calls of one
load_all share one memo (analytics.memo), so a figure two of them ask for is read once."""
from __future__ import annotations

import dbrows

from analytics import ratings
from pages import _common
from pages._common import call, load_all
from store.db import transaction


def satisfaction_codes(con) -> list[str]:
    return [p.item_code for p in ratings.positions(con, ("satisfaction",))]


def importance_codes(con) -> list[str]:
    return [p.item_code for p in ratings.positions(con, ("importance",))]


def test_the_calls_of_one_load_all_read_the_survey_items_once(con, con_url, monkeypatch):
    dbrows.respondent(con, [("A", "satisfaction", 4, 1, 5), ("B", "satisfaction", 2, 1, 5),
                            ("A", "importance", 5, 1, 5)])
    con.close()
    monkeypatch.setenv("FEEDBACK_DB", con_url)
    reads = []
    fetch_all = ratings.fetch_all

    def counted(cur, sql, *args, **kwargs):
        if sql == ratings.POSITIONS_SQL:
            reads.append(sql)
        return fetch_all(cur, sql, *args, **kwargs)

    monkeypatch.setattr(ratings, "fetch_all", counted)
    # the two calls start together on the two threads: one reads, the other waits for its answer
    assert load_all(call(satisfaction_codes), call(importance_codes)) == [["A", "B"], ["A"]]
    assert len(reads) == 1


def test_a_run_reads_the_data_version_once_until_this_process_writes(con, con_url, monkeypatch):
    # a page asks for the versions before every figure; on a lake each read is catalog round trips
    con.close()
    monkeypatch.setenv("FEEDBACK_DB", con_url)
    monkeypatch.setattr(_common, "_session_key", lambda: "one session")
    reads = []
    monkeypatch.setattr(_common, "data_version", lambda cur: reads.append("data") or f"v{len(reads)}")
    with _common.store_held():
        first = _common.current_version()
        assert _common.current_version() == first and reads == ["data"]
        _common.data_labels(), _common.data_labels()  # keyed on the same version: no read of its own
        assert reads == ["data"]
        cur = _common.cursor()
        with transaction(cur, "a test write"):  # this process writes: the next ask reads again
            cur.execute("CREATE TABLE scratch (x INTEGER)")
        cur.close()
        assert _common.current_version() != first
        assert reads == ["data", "data"]
    with _common.store_held():  # the next run reads again
        _common.current_version()
    assert reads == ["data", "data", "data"]
