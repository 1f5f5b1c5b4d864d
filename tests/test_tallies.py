"""The monthly tallies of NPS responses and scored texts: written with every import, undone with it,
and giving whole months' NPS and sentiment exactly as the rows do."""
from __future__ import annotations

import math
from datetime import date, datetime

import dbrows
import pytest
from same import assert_same

from analytics import filters as filters_module
from analytics.filters import Filters, tallied, whole_months
from analytics.complaints import complaint_counts, complaint_counts_by, complaint_counts_of, complaint_trend
from analytics.memo import shared_results
from analytics.nps import nps_by, nps_change_by, nps_score, nps_scores, nps_trend
from analytics.sentiment import sentiment_by, sentiment_change, sentiment_summaries, sentiment_summary, sentiment_views
from analytics.trends import find_trends
from loaders import importer
from store.db import LATEST_VERSION, connect, quote_identifier
from store.sums import COMPLAINT_MEASURES, NPS_MEASURES, SENTIMENT_MEASURES
from store.tiers import TierRules, save_rules

MARCH = Filters(date_from=date(2026, 3, 1), date_to=date(2026, 3, 31))
FEBRUARY = Filters(date_from=date(2026, 2, 1), date_to=date(2026, 2, 28))


def test_whole_months():
    assert whole_months(Filters()) and whole_months(MARCH) and whole_months(Filters(branches=("North",)))
    assert whole_months(Filters(date_to=date(2024, 2, 29)))
    assert not whole_months(Filters(date_from=date(2026, 3, 1), date_to=date(2026, 3, 15)))
    assert not whole_months(Filters(date_from=date(2026, 3, 2)))


def test_a_tally_serves_whole_months_only():
    assert tallied("nps_response", NPS_MEASURES, MARCH, FEBRUARY) == "nps_tally"
    rows = tallied("nps_response", NPS_MEASURES, MARCH, Filters(date_from=date(2026, 2, 3)))
    assert rows.startswith("(SELECT responded_at, region, branch") and "FROM nps_response)" in rows


def feedback(con) -> None:
    """NPS responses and texts over two months, two branches, two touchpoints and two batches."""
    with dbrows.together(con):
        for when, branch, touchpoint, scores, comments in [
            (datetime(2026, 2, 3), "North", "App", [10, 9, 6, 2], [0.6, None, -0.4, -0.9]),
            (datetime(2026, 2, 27, 23, 59), "South", "Counter", [7, 8, 10], [0.0, 0.3, None]),
            (datetime(2026, 3, 1), "North", "Counter", [0, 5, 9], [-0.7, None, 0.5]),
            (datetime(2026, 3, 31, 12), "South", "App", [9, 9, 3, 7], [0.2, 0.04, -0.06, None]),
        ]:
            for score, sentiment in zip(scores, comments):
                dbrows.nps(con, [score], branch=branch, touchpoint=touchpoint, responded_at=when,
                           comment=None if sentiment is None else "text", sentiment=sentiment,
                           batch_id="nps-2" if score == 9 else "nps-1")
        dbrows.respondent(con, [], comment="lovely", sentiment=0.5, branch="North", responded_at=datetime(2026, 2, 10))
        dbrows.respondent(con, [], comment="slow", sentiment=-0.3, branch="South", responded_at=datetime(2026, 3, 10))
        dbrows.complaints(con, [
            {"description": "charged twice", "sentiment": -0.8, "branch": "South", "received_at": datetime(2026, 3, 9)},
            {"description": "fixed", "sentiment": 0.2, "branch": "North", "received_at": datetime(2026, 2, 1)},
            {"description": "unscored", "sentiment": None, "branch": "North", "received_at": datetime(2026, 2, 2)},
        ])


def _from_rows(monkeypatch, compute):
    with monkeypatch.context() as patch:
        patch.setattr(filters_module, "whole_months", lambda selection: False)
        return compute()


SELECTIONS = [Filters(), MARCH, FEBRUARY, Filters(branches=("South",)), Filters(touchpoints=("App",)),
              Filters(date_from=date(2026, 3, 1), date_to=date(2026, 3, 31), regions=("nowhere",))]


@pytest.mark.parametrize("selection", SELECTIONS, ids=["all", "march", "february", "south", "app", "no rows"])
def test_tallies_give_what_the_rows_give(con, monkeypatch, selection):
    feedback(con)
    for compute in (lambda: nps_score(con, selection), lambda: nps_trend(con, selection),
                    lambda: nps_by(con, selection, "touchpoint"), lambda: nps_by(con, selection, "branch"),
                    lambda: nps_change_by(con, selection, FEBRUARY, "branch"),
                    lambda: sentiment_summary(con, selection), lambda: sentiment_change(con, selection, FEBRUARY),
                    lambda: sentiment_by(con, selection, "month"), lambda: sentiment_by(con, selection, "branch"),
                    lambda: sentiment_by(con, selection, "source"), lambda: sentiment_summary(con, selection, "nps"),
                    lambda: complaint_trend(con, selection)):
        assert_same(compute(), _from_rows(monkeypatch, compute))


def test_tallies_by_hand(con):
    feedback(con)
    march = nps_score(con, MARCH)
    # March: 0, 5, 9 and 9, 9, 3, 7 → promoters 3, passives 1, detractors 3 of 7
    assert (march.promoters, march.passives, march.detractors, march.n) == (3, 1, 3, 7)
    assert march.score == pytest.approx(0.0)
    texts = sentiment_summary(con, MARCH)
    # March's scored texts: NPS −0.7, 0.5, 0.2, 0.04, −0.06; survey −0.3; complaint −0.8
    values = [-0.7, 0.5, 0.2, 0.04, -0.06, -0.3, -0.8]
    mean = sum(values) / 7
    assert texts.n == 7 and texts.mean == pytest.approx(mean, rel=1e-12)
    assert texts.sd == pytest.approx(math.sqrt(sum((v - mean) ** 2 for v in values) / 6), rel=1e-12)
    # negative below −0.05: −0.7, −0.06, −0.3, −0.8; positive above 0.05: 0.5, 0.2 (0.04 is neutral)
    assert (texts.negative_n, texts.positive_n) == (4, 2)
    app = nps_by(con, Filters(), "touchpoint").set_index("touchpoint")
    # App: 10, 9, 6, 2, 9, 9, 3, 7 → 4 promoters, 1 passive, 3 detractors of 8
    assert app.loc["App", "n"] == 8 and app.loc["App", "score"] == pytest.approx(12.5)



def test_several_selections_from_one_query_are_each_ones_own_figures(con):
    # the review asks for three periods at once; each must be what it gives alone, for whole months
    # (the tallies), a span across two months (the rows), overlapping selections and empty ones
    feedback(con)
    across = Filters(date_from=date(2026, 2, 15), date_to=date(2026, 3, 15))
    for selections in (SELECTIONS, [MARCH, Filters(), FEBRUARY], [across, MARCH, Filters(branches=("South",))]):
        assert_same(nps_scores(con, selections), [nps_score(con, s) for s in selections])
        assert_same(sentiment_summaries(con, selections), [sentiment_summary(con, s) for s in selections])
        assert_same(sentiment_summaries(con, selections, "nps"), [sentiment_summary(con, s, "nps") for s in selections])
        assert_same(complaint_counts_of(con, selections), [complaint_counts(con, s) for s in selections])
    # by hand: all time is both months, each row counted in every selection it is in
    whole, march, february = nps_scores(con, [Filters(), MARCH, FEBRUARY])
    assert (whole.n, march.n, february.n) == (14, 7, 7)
    assert [c.n for c in complaint_counts_of(con, [Filters(), MARCH, across])] == [3, 1, 1]
    # scored texts: February NPS 0.6, −0.4, −0.9, 0.0, 0.3, survey 0.5, complaint 0.2; 15 February to
    # 15 March: NPS 0.0, 0.3 (27 Feb), −0.7, 0.5 (1 Mar), survey −0.3, complaint −0.8
    assert [t.n for t in sentiment_summaries(con, [MARCH, FEBRUARY, across])] == [7, 7, 6]


def test_each_periods_complaining_customers_by_hand(con):
    # each period counts its own distinct customers (a scan of its own), overlapping periods alike
    dbrows.complaints(con, [
        {"description": "a", "customer_id": "k1", "branch": "North", "received_at": datetime(2026, 2, 3)},
        {"description": "b", "customer_id": "k1", "branch": "North", "received_at": datetime(2026, 3, 3)},
        {"description": "c", "customer_id": "k2", "branch": "South", "received_at": datetime(2026, 3, 4)},
        {"description": "d", "customer_id": " ", "branch": "South", "received_at": datetime(2026, 3, 5),
         "cause": "Fees"},
    ])
    whole, march, february, south = complaint_counts_of(con, [Filters(), MARCH, FEBRUARY,
                                                              Filters(branches=("South",))])
    # all time: k1 twice, k2, a blank id → 4 complaints, 2 customers, 1 without; March: k1, k2, blank;
    # February: k1; South: k2 and the blank one (its cause given, not from keywords)
    assert (whole.n, whole.n_customers, whole.n_without_customer) == (4, 2, 1)
    assert (march.n, march.n_customers, march.n_without_customer) == (3, 2, 1)
    assert (february.n, february.n_customers, february.n_without_customer) == (1, 1, 0)
    assert (south.n, south.n_with_cause, south.n_customers, south.n_without_customer) == (2, 1, 1, 1)
    assert complaint_counts_of(con, []) == []
    # the review's headlines leave the customers uncounted: the same complaints and causes, no
    # customer figure, and nothing handed on as complaint_counts' answer
    with shared_results():
        light = complaint_counts_of(con, [Filters(), MARCH, FEBRUARY, Filters(branches=("South",))], customers=False)
        assert complaint_counts(con, MARCH) == march
    assert [(c.n, c.n_with_cause, c.n_customers, c.n_without_customer) for c in light] == [
        (4, 1, None, None), (3, 1, None, None), (1, 0, None, None), (2, 1, None, None)]


def test_inside_a_shared_block_each_selection_answers_the_single_metric(con):
    feedback(con)
    with shared_results():
        now, before = nps_scores(con, [MARCH, FEBRUARY])
        texts = sentiment_summaries(con, [MARCH, FEBRUARY])
        counts = complaint_counts_of(con, [MARCH, FEBRUARY])
        # no store is asked (None is none): the figures were handed on, with the defaults filled in
        assert nps_score(None, FEBRUARY) is before and nps_score(None, filters=MARCH) is now
        assert sentiment_summary(None, MARCH) is texts[0] and sentiment_summary(None, FEBRUARY, "all") is texts[1]
        assert complaint_counts(None, MARCH) is counts[0]
    assert nps_score(con, MARCH) == now

def test_a_partial_month_reads_the_rows(con):
    feedback(con)
    early_march = Filters(date_from=date(2026, 3, 1), date_to=date(2026, 3, 30))
    # the 31st's responses (9, 9, 3, 7) are left out: 0, 5, 9 → 1 promoter, 2 detractors of 3
    result = nps_score(con, early_march)
    assert (result.promoters, result.passives, result.detractors) == (1, 0, 2)
    assert sentiment_summary(con, early_march).n == 4  # −0.7, 0.5; survey −0.3; complaint −0.8


def test_import_writes_the_tally_and_undo_removes_it(con, tmp_path):
    path = tmp_path / "nps.csv"
    path.write_text("Customer ID,Date,Score,Branch,Touchpoint\n"
                    "C1,2026-03-02,10,North,App\nC2,2026-03-20,6,North,App\nC3,2026-04-01,8,South,Counter\n",
                    encoding="utf-8")
    result = importer.import_file(con, path, kind="nps")
    rows = con.execute("SELECT responded_at, branch, touchpoint, promoters, passives, detractors, texts"
                       " FROM nps_tally WHERE batch_id = ? ORDER BY responded_at", [result.batch_id]).fetchall()
    assert rows == [(datetime(2026, 3, 1), "North", "App", 1, 0, 1, 0),
                    (datetime(2026, 4, 1), "South", "Counter", 0, 1, 0, 0)]
    importer.undo(con, result.batch_id)
    assert con.execute("SELECT count(*) FROM nps_tally").fetchone()[0] == 0


def test_an_import_with_comments_and_tiers_tallies_the_rows_it_writes(con, tmp_path):
    """The tally is summed from the rows as the import writes them (scored texts and tiers joined,
    the tier rules' thresholds as parameters), and gives what nps_response's rows give."""
    save_rules(con, TierRules(core_value=100))
    path = tmp_path / "nps.csv"
    path.write_text("Customer ID,Date,Score,Branch,Customer level,Annual value,Comment\n"
                    "C1,2026-03-02,10,North,重点客户,,very helpful staff\n"
                    "C2,2026-03-05,3,North,VIP,,the queue was terribly slow\n"
                    "C3,2026-04-01,8,North,,150,\n", encoding="utf-8")
    result = importer.import_file(con, path, kind="nps")
    rows = con.execute("SELECT responded_at, branch, tier, promoters, passives, detractors, texts FROM nps_tally"
                       " WHERE batch_id = ? ORDER BY responded_at", [result.batch_id]).fetchall()
    # March: C1 (10, key by its word) a promoter, C2 (3, VIP: key) a detractor, both commented;
    # April: C3 (8) a passive, core by its value of 150 (core from 100), no comment
    assert rows == [(datetime(2026, 3, 1), "North", "key", 1, 0, 1, 2),
                    (datetime(2026, 4, 1), "North", "core", 0, 1, 0, 0)]
    sums = con.execute("SELECT sentiment_sum, sentiment_squares, negative, positive FROM nps_tally"
                       " WHERE batch_id = ? AND texts > 0", [result.batch_id]).fetchone()
    scored = con.execute("SELECT sum(sentiment), sum(sentiment * sentiment), count(*) FILTER (sentiment < -0.05),"
                         " count(*) FILTER (sentiment > 0.05) FROM nps_response WHERE comment IS NOT NULL").fetchone()
    assert sums == pytest.approx(scored)


def test_a_store_from_before_the_tallies_gets_them_when_opened(db_path):
    con = connect(db_path)
    feedback(con)
    expected = (nps_trend(con, Filters()), sentiment_by(con, Filters(), "source"))
    # nor the counted upgrade steps (store/db.py UPGRADES)
    for name in ("survey_tally", "nps_tally", "complaint_tally", "store_version", "store_claim"):
        con.execute(f"DROP TABLE {quote_identifier(name)}")
    con.close()
    with pytest.raises(Exception, match="earlier version"):
        connect(db_path, read_only=True)
    con = connect(db_path)
    try:
        assert con.execute("SELECT count(DISTINCT batch_id) FROM nps_tally").fetchone()[0] == 2
        assert_same(nps_trend(con, Filters()), expected[0])
        assert_same(sentiment_by(con, Filters(), "source"), expected[1])
    finally:
        con.close()


def test_every_measure_has_a_column_in_its_tally(con):
    for table, measures in (("survey_tally", SENTIMENT_MEASURES),
                            ("complaint_tally", {**COMPLAINT_MEASURES, **SENTIMENT_MEASURES}),
                            ("nps_tally", {**NPS_MEASURES, **SENTIMENT_MEASURES})):
        columns = {row[0] for row in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [table]).fetchall()}
        assert set(measures) <= columns, table


def complaint_log(con) -> None:
    """Complaints over fourteen months (October 2025 to November 2026, none in January), two regions,
    three branches, two tiers and two batches: the months a trend and its year-ago month read."""
    rows = []
    for k, (year, month) in enumerate([(2025, 10), (2025, 11), (2025, 12), (2026, 2), (2026, 3), (2026, 4),
                                       (2026, 5), (2026, 6), (2026, 7), (2026, 8), (2026, 9), (2026, 10),
                                       (2026, 11)]):
        for i in range(1 + k % 4):
            branch = ("North", "South", "East")[(k + i) % 3]
            rows.append({"received_at": datetime(year, month, 1 + 7 * i, 9 + i), "branch": branch,
                         "region": "R1" if branch != "East" else "R2", "tier": "key" if i == 1 else None,
                         "customer_id": f"C{i}", "batch_id": "complaints-1" if k < 6 else "complaints-2"})
    dbrows.complaints(con, rows)


# What the trends and the complaint trend counted before the tallies counted complaints (the rows of
# the span, by month, branch and region), and the log's months as the month keys' least and greatest.
OLD_COMPLAINTS_BY_MONTH_SQL = """
SELECT (year(received_at) * 100 + month(received_at)) AS month, branch, region, count(*) AS n
FROM complaint WHERE {where} GROUP BY ALL ORDER BY ALL
"""
OLD_LOG_SPAN_SQL = "SELECT min(year(received_at) * 100 + month(received_at)), max(year(received_at) * 100 + month(received_at)) FROM complaint"
# the tally's counts by month, branch and region, as OLD_COMPLAINTS_BY_MONTH_SQL counts the rows
TALLY_COMPLAINTS_BY_MONTH_SQL = """SELECT (year(received_at) * 100 + month(received_at)) AS month, branch, region,
       sum(complaints)::BIGINT FROM {table} WHERE {where} GROUP BY ALL ORDER BY ALL"""
# the rows' complaints per value of a column (a quoted name)
ROWS_BY_SQL = "SELECT {column}, count(*) FROM complaint WHERE {where} GROUP BY 1"


@pytest.mark.parametrize("selection", [
    Filters(date_from=date(2025, 11, 1), date_to=date(2026, 10, 31)),
    Filters(date_from=date(2025, 11, 1), date_to=date(2026, 10, 31), branches=("South",)),
    Filters(date_from=date(2025, 10, 1), date_to=date(2026, 11, 30), tiers=("key",)),
    Filters(date_from=date(2026, 2, 1), date_to=date(2026, 4, 30), regions=("R2",)),
], ids=["year", "branch", "tier", "region"])
def test_complaint_counts_from_the_tally_equal_the_rows_counted(con, monkeypatch, selection):
    complaint_log(con)
    where, params = filters_module.where_sql(selection, "complaint")
    old = con.execute(OLD_COMPLAINTS_BY_MONTH_SQL.format(where=where), params).fetchall()
    counted = tallied("complaint", COMPLAINT_MEASURES, selection)
    assert counted == "complaint_tally"
    new = con.execute(TALLY_COMPLAINTS_BY_MONTH_SQL.format(table=quote_identifier(counted), where=where),
                      params).fetchall()
    assert new == old
    trend = complaint_trend(con, selection)
    assert_same(trend, _from_rows(monkeypatch, lambda: complaint_trend(con, selection)))
    by_month = {}
    for month, _, _, n in old:
        by_month[f"{month // 100}-{month % 100:02d}"] = by_month.get(f"{month // 100}-{month % 100:02d}", 0) + n
    assert trend[trend["n"] > 0].set_index("month")["n"].to_dict() == by_month
    assert_same(find_trends(con, selection), _from_rows(monkeypatch, lambda: find_trends(con, selection)))


@pytest.mark.parametrize("selection", [
    Filters(date_from=date(2025, 11, 1), date_to=date(2026, 10, 31)),
    Filters(date_from=date(2026, 3, 1), date_to=date(2026, 3, 31), tiers=("key",)),
    Filters(date_from=date(2026, 2, 1), date_to=date(2026, 4, 30), regions=("R1",)),
], ids=["year", "march-key", "spring-r1"])
def test_complaints_by_branch_and_region_from_the_tally_equal_the_rows_counted(con, monkeypatch, selection):
    """The branch league's complaints per branch (and per region) of whole months sum the tally."""
    complaint_log(con)
    dbrows.complaints(con, [{"received_at": datetime(2026, 3, 9), "branch": None, "region": None,
                             "customer_id": "C9", "batch_id": "complaints-2"}])
    for by in ("branch", "region"):
        where, params = filters_module.where_sql(selection, "complaint")
        counted = dict(con.execute(ROWS_BY_SQL.format(column=quote_identifier(by), where=where), params).fetchall())
        assert complaint_counts_by(con, selection, by) == counted
        assert complaint_counts_by(con, selection, by) == _from_rows(
            monkeypatch, lambda: complaint_counts_by(con, selection, by))
    # by hand, the year is k = 1 .. 11 (November 2025 to October 2026), 1 + k % 4 complaints each: 29,
    # and the one of no branch
    if selection.date_from == date(2025, 11, 1):
        by_branch = complaint_counts_by(con, selection, "branch")
        assert sum(by_branch.values()) == sum(1 + k % 4 for k in range(1, 12)) + 1 == 30
        assert by_branch[None] == 1


def test_complaint_trend_by_hand_and_the_logs_months(con):
    complaint_log(con)
    # 2026-02 .. 2026-11 are k = 3 .. 12: 1 + k % 4 complaints each; January none, within the log
    expected = [("2026-01", 0), ("2026-02", 4), ("2026-03", 1), ("2026-04", 2), ("2026-05", 3), ("2026-06", 4),
                ("2026-07", 1), ("2026-08", 2), ("2026-09", 3), ("2026-10", 4), ("2026-11", 1)]
    trend = complaint_trend(con, Filters(date_from=date(2026, 1, 1), date_to=date(2026, 12, 31)))
    # December 2026 is after the log's last complaint: not a month of the log, not shown
    assert list(trend.itertuples(index=False, name=None)) == expected
    # the log's months from its first and last moment are the old least and greatest month keys
    assert con.execute(OLD_LOG_SPAN_SQL).fetchone() == (202510, 202611)


def test_a_store_from_step_17_gets_its_complaints_counted_in_its_tallies(db_path):
    con = connect(db_path)
    complaint_log(con)
    expected = con.execute("SELECT branch, count(*) FROM complaint GROUP BY 1 ORDER BY 1").fetchall()
    con.execute("ALTER TABLE complaint_tally DROP COLUMN complaints")
    dbrows.layout_before(con, 18)
    con.close()
    again = connect(db_path)
    try:
        assert again.execute("SELECT max(version) FROM store_version").fetchone()[0] == LATEST_VERSION
        # 31 complaints (1 + k % 4 in month k = 0 .. 12), the i-th of month k at branch (k + i) % 3:
        # North 11, South 10, East 10
        assert again.execute("SELECT branch, sum(complaints)::BIGINT FROM complaint_tally GROUP BY 1 ORDER BY 1"
                             ).fetchall() == expected == [("East", 10), ("North", 11), ("South", 10)]
    finally:
        again.close()


@pytest.mark.parametrize("source", ["all", "nps", "survey"])
def test_the_sentiment_views_figures_from_one_query_are_each_calls_own(con, source):
    # the sentiment page's top figures read in one query must be what each call gives alone: whole
    # months (the tallies), a span across two months (the rows), no comparison (the whole store, as
    # sentiment_summary reads None), a branch, and a selection without texts
    feedback(con)
    across = Filters(date_from=date(2026, 2, 15), date_to=date(2026, 3, 15))
    south = Filters(date_from=date(2026, 3, 1), date_to=date(2026, 3, 31), branches=("South",))
    nowhere = Filters(date_from=date(2026, 3, 1), date_to=date(2026, 3, 31), regions=("nowhere",))
    for current, previous, window in [(MARCH, FEBRUARY, Filters(date_from=date(2025, 4, 1), date_to=date(2026, 3, 31))),
                                      (across, MARCH, Filters()), (MARCH, None, MARCH), (south, FEBRUARY, south),
                                      (nowhere, nowhere, nowhere), (FEBRUARY, nowhere, Filters(branches=("North",)))]:
        views = sentiment_views(con, current, previous, window, source)
        assert_same(views.change, sentiment_change(con, current, previous, source))
        assert_same(views.trend, sentiment_by(con, window, "month", source))
        assert_same(views.by_branch, sentiment_by(con, current, "branch", source))
        assert_same(views.by_source, sentiment_by(con, current, "source"))
    # by hand: March's scored texts by source: NPS −0.7, 0.5, 0.2, 0.04, −0.06; survey −0.3;
    # complaint −0.8, whichever source the rest of the figures are of
    views = sentiment_views(con, MARCH, FEBRUARY, MARCH, source)
    assert list(views.by_source["source"]) == ["complaint", "nps", "survey"]
    assert list(views.by_source["n"]) == [1, 5, 1]
    assert views.change.current.n == {"all": 7, "nps": 5, "survey": 1}[source]
    # February: NPS 0.6, −0.4, −0.9, 0.0, 0.3 (North 3, South 2); survey 0.5 (North); complaint 0.2 (North)
    assert views.change.previous.n == {"all": 7, "nps": 5, "survey": 1}[source]
    assert list(views.trend["month"]) == ["2026-03"]
