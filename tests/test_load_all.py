"""pages._common.load_all: the one place the dashboard computes concurrently. The calls of one
load_all share one memo (analytics.memo), so a figure two of them ask for is read once."""
from __future__ import annotations

import dbrows

from analytics import ratings
from pages._common import call, load_all


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
