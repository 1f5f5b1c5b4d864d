"""The survey's monthly sums (survey_moments): written with every import, undone with it, and giving
the CSI of whole months exactly as a pass over the respondents does."""
from __future__ import annotations

import math
from dataclasses import fields, replace
from datetime import date, datetime

import dbrows
import numpy as np
import pyarrow as pa
import pytest
from same import assert_same

from analytics import csi, league, moments, ratings, trends
from analytics.filters import Filters
from analytics.memo import shared_results
from loaders import importer
from store.db import connect, quote_identifier, write_survey_moments, write_survey_scope_sums

MARCH = Filters(date_from=date(2026, 3, 1), date_to=date(2026, 3, 31))
FEBRUARY = Filters(date_from=date(2026, 2, 1), date_to=date(2026, 2, 28))
SPRING = Filters(date_from=date(2026, 2, 1), date_to=date(2026, 3, 31))


def test_covers_whole_months_with_no_other_filter():
    assert moments.covers(Filters())
    assert moments.covers(MARCH)
    assert moments.covers(Filters(date_from=date(2026, 2, 1)))
    assert moments.covers(Filters(date_to=date(2024, 2, 29)))
    # touchpoints filter NPS responses only: the survey's respondents are all still selected
    assert moments.covers(Filters(touchpoints=("Counter",)))
    assert not moments.covers(Filters(date_from=date(2026, 3, 2), date_to=date(2026, 3, 31)))
    assert not moments.covers(Filters(date_from=date(2026, 3, 1), date_to=date(2026, 3, 30)))
    assert not moments.covers(Filters(branches=("Tianhe",)))
    # survey_moments is kept per customer tier
    assert moments.covers(Filters(date_from=date(2026, 2, 1), tiers=("key",)))
    assert not moments.covers(Filters(segments=("VIP",)))


# mixed_survey's respondents: (batch, answered at, satisfaction ratings, importance ratings)
MIXED_ROWS = [
    ("batch-1", datetime(2026, 2, 3), [("A", 8), ("B", 5), ("C", 9)], [("A", 9), ("B", 4), ("C", 6)]),
    ("batch-1", datetime(2026, 2, 14), [("A", 6), ("C", 3)], [("A", 7), ("C", 5)]),
    ("batch-1", datetime(2026, 2, 27), [("B", 2)], []),
    ("batch-1", datetime(2026, 3, 2), [("A", 10), ("B", 7), ("C", 4)], [("B", 6)]),
    ("batch-2", datetime(2026, 3, 9), [("A", 3), ("B", 6), ("C", 8), ("A", 5)], [("A", 8), ("B", 5), ("C", 9)]),
    ("batch-2", datetime(2026, 3, 18), [("A", 9), ("C", 10)], [("C", 3)]),
    ("batch-2", datetime(2026, 3, 25), [], [("A", 6), ("B", 2), ("C", 7)]),
    ("batch-2", datetime(2026, 2, 20), [("B", 1), ("C", 7)], [("A", 5)]),
]
MIXED_SCALES = {"A": (0, 10, "Speed"), "B": (1, 7, "Courtesy"), "C": (1, 10, "Branch")}


def mixed_survey(con) -> None:
    """Two batches in February and March: patterns of answered items, two scales, an item asked in two
    columns, stated importance for some respondents, one respondent with importance only; key and
    core customers and some of no tier."""
    with dbrows.together(con):
        for i, (batch, when, rated, weighed) in enumerate(MIXED_ROWS):
            ratings = [(code, "satisfaction", score, *MIXED_SCALES[code]) for code, score in rated]
            ratings += [(code, "importance", score, 1, 10) for code, score in weighed]
            dbrows.respondent(con, ratings, batch_id=batch, responded_at=when, tier=("key", "core", None)[i % 3])


def _respondent_pass(monkeypatch, compute):
    """What `compute` gives when survey_moments may not answer: every figure from the respondents."""
    with monkeypatch.context() as patch:
        patch.setattr(moments, "covers", lambda filters: False)
        return compute()


@pytest.mark.parametrize("selection", [
    Filters(), MARCH, FEBRUARY, SPRING, Filters(**{**vars(MARCH), "tiers": ("key",)}),
    Filters(**{**vars(SPRING), "tiers": ("key", "core")}),
], ids=["all", "march", "february", "spring", "march-key", "spring-key-core"])
def test_monthly_sums_give_what_the_respondents_give(con, monkeypatch, selection):
    mixed_survey(con)
    assert moments.covers(selection)
    for compute in (lambda: csi.csi_score(con, selection),
                    lambda: csi.csi_change(con, selection, Filters(date_from=date(2026, 1, 1), date_to=date(2026, 1, 31))),
                    lambda: csi.csi_change_with_trend(con, selection, FEBRUARY, SPRING),
                    lambda: csi.csi_by(con, selection, "month"),
                    lambda: csi.attribute_stats(con, selection, correlations=False)):
        assert_same(compute(), _respondent_pass(monkeypatch, compute))



def test_a_view_reads_the_months_sums_once(con):
    # the trends ask for the window's sums for its weights and again for its months: inside one
    # view (shared_results) the second is the first answer, outside every call reads the store
    mixed_survey(con)
    with shared_results():
        assert moments.month_sums(con, SPRING) is moments.month_sums(con, SPRING)
    assert moments.month_sums(con, SPRING) is not moments.month_sums(con, SPRING)

def test_monthly_sums_by_hand(con):
    """March's CSI from the sums, checked against the respondents' indices worked out by hand."""
    mixed_survey(con)
    result = csi.csi_score(con, MARCH)
    # March's stated importance: A (8 + 6)/2 = 7, B (6 + 5 + 2)/3 = 13/3, C (9 + 3 + 7)/3 = 19/3
    wa, wb, wc = 7.0, 13 / 3, 19 / 3
    assert result.weights == "stated"
    # satisfaction on 0–100: A (0–10) 100, 30, 90 and 50 (its second column); B (1–7) 100, 500/6;
    # C (1–10) 300/9, 700/9, 100. A respondent's index weighs each answered column once.
    indices = [(wa * 100 + wb * 100 + wc * 300 / 9) / (wa + wb + wc),
               (wa * 30 + wb * 500 / 6 + wc * 700 / 9 + wa * 50) / (2 * wa + wb + wc),
               (wa * 90 + wc * 100) / (wa + wc)]
    mean = sum(indices) / 3
    sd = math.sqrt(sum((x - mean) ** 2 for x in indices) / 2)
    assert result.n == 3
    assert result.index_mean == pytest.approx(mean, rel=1e-12)
    assert result.index_sd == pytest.approx(sd, rel=1e-12)
    speed = result.attributes.set_index("item_code").loc["A"]
    assert speed["n"] == 4 and speed["satisfaction"] == pytest.approx((100 + 30 + 90 + 50) / 4)
    # key customers in March: the respondent of 2 March (A 10, B 7, C 4) and one who stated importance only
    key = csi.csi_score(con, Filters(**{**vars(MARCH), "tiers": ("key",)}))
    attributes = key.attributes.set_index("item_code")
    assert key.n == 1
    assert list(attributes["satisfaction"]) == pytest.approx([100.0, 100.0, 100 * 3 / 9])


def test_a_month_with_no_ratings_has_no_csi(con):
    mixed_survey(con)
    april = Filters(date_from=date(2026, 4, 1), date_to=date(2026, 4, 30))
    result = csi.csi_score(con, april)
    assert result.score is None and result.n == 0 and result.attributes.empty
    assert csi.csi_by(con, april, "month").empty


def test_import_writes_the_sums_and_undo_removes_them(con, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    responses = book.active
    responses.title = "Responses"
    for row in (["Response ID", "Date", "Branch", "Q1", "Q2", "I_Q1", "I_Q2"],
                ["r1", "2026-03-02", "Tianhe", 4, 5, 5, 3],
                ["r2", "2026-03-20", "Tianhe", 2, None, 4, 2],
                ["r3", "2026-04-01", "Yuexiu", 5, 3, None, None]):
        responses.append(row)
    questions = book.create_sheet("Questions")
    for row in (["Code", "Question", "Kind", "Scale min", "Scale max"],
                ["Q1", "Speed", "satisfaction", 1, 5], ["Q2", "Care", "satisfaction", 1, 5],
                ["I_Q1", "Speed", "importance", 1, 5], ["I_Q2", "Care", "importance", 1, 5]):
        questions.append(row)
    path = tmp_path / "survey.xlsx"
    book.save(path)
    result = importer.import_file(con, path, kind="survey")
    rows = con.execute("SELECT month, answered, respondents, satisfaction_sums, importance_counts"
                       " FROM survey_moments WHERE batch_id = ? ORDER BY month, answered",
                       [result.batch_id]).fetchall()
    assert rows == [(202603, "10", 1, [2.0, 0.0], [1, 1]), (202603, "11", 1, [4.0, 5.0], [1, 1]),
                    (202604, "11", 1, [5.0, 3.0], [0, 0])]
    products = con.execute("SELECT satisfaction_products FROM survey_moments WHERE batch_id = ?"
                           " AND month = 202603 AND answered = '11'", [result.batch_id]).fetchone()[0]
    assert products == [16.0, 20.0, 25.0]  # 4·4, 4·5, 5·5: pairs j by j
    # the import sums its staged rows; the rows it wrote give the same sums
    written = con.execute("SELECT * EXCLUDE (batch_id) FROM survey_moments ORDER BY month, answered").fetchall()
    con.execute("DELETE FROM survey_moments")
    write_survey_moments(con, result.batch_id)
    assert con.execute("SELECT * EXCLUDE (batch_id) FROM survey_moments ORDER BY month, answered").fetchall() == written
    importer.undo(con, result.batch_id)
    assert con.execute("SELECT count(*) FROM survey_moments").fetchone()[0] == 0


def test_a_store_from_before_the_sums_gets_them_when_opened(db_path, monkeypatch):
    con = connect(db_path)
    mixed_survey(con)
    expected = csi.csi_change_with_trend(con, MARCH, FEBRUARY, SPRING)
    con.execute("DROP TABLE survey_moments")
    for name in ("store_version", "store_claim"):  # nor the counted upgrade steps (store/db.py UPGRADES)
        con.execute(f"DROP TABLE {quote_identifier(name)}")
    con.close()
    with pytest.raises(Exception, match="earlier version"):
        connect(db_path, read_only=True)
    con = connect(db_path)
    try:
        assert con.execute("SELECT count(DISTINCT batch_id) FROM survey_moments").fetchone()[0] == 2
        assert_same(csi.csi_change_with_trend(con, MARCH, FEBRUARY, SPRING), expected)
    finally:
        con.close()


def branch_survey(con) -> None:
    """Two items on two scales, answered in patterns, in three branches of two regions (one branch
    moved region in March) and by a respondent with no branch, over seven months; each month's
    branch has a key customer, a core one and one of no tier."""
    places = [("Tianhe", "South"), ("Yuexiu", "South"), ("Xiamen", "East"), (None, None)]
    with dbrows.together(con):
        for month in range(1, 8):
            for k, (branch, region) in enumerate(places):
                if branch == "Yuexiu" and month >= 3:
                    region = "East"
                for j in range(3):
                    a, b = (month + k + j) % 11, 1 + (month * 3 + k + 2 * j) % 7
                    rated = [("A", "satisfaction", a, 0, 10), ("B", "satisfaction", b, 1, 7)]
                    if (month + j) % 3 == 0:
                        rated = rated[:1]            # answered A only
                    dbrows.respondent(con, rated, batch_id=f"batch-{month % 2}", branch=branch, region=region,
                                      tier=("key", "core", None)[j], responded_at=datetime(2026, month, 2 + 9 * j))


# SUMS_SQL as it was before the groups were numbered after the read: the window and the sort in the SQL
NUMBERED_IN_SQL = """
SELECT month,
       dense_rank() OVER (ORDER BY month, answered) - 1 AS same_pattern,
       """ + moments.SUM_COLUMNS + """
FROM {table}
WHERE month BETWEEN $first AND $last{chosen}
ORDER BY month, answered
"""


@pytest.mark.parametrize("survey, selection", [
    (mixed_survey, Filters()),
    (mixed_survey, MARCH),
    (mixed_survey, SPRING),
    (mixed_survey, Filters(date_from=date(2026, 2, 1), tiers=("key", "core"))),
    (branch_survey, Filters()),
    (branch_survey, Filters(date_from=date(2026, 2, 1), date_to=date(2026, 6, 30))),
    (branch_survey, Filters(date_from=date(2026, 3, 1), date_to=date(2026, 7, 31), branches=("Yuexiu", "Xiamen"))),
    (branch_survey, Filters(date_from=date(2026, 1, 1), date_to=date(2026, 7, 31), regions=("East",), tiers=("key",))),
    (branch_survey, Filters(date_from=date(2027, 1, 1), date_to=date(2027, 1, 31))),
], ids=["mixed-all", "mixed-march", "mixed-spring", "mixed-two-tiers", "branches-all", "branches-spring",
        "two-branches", "east-key", "no-rows"])
def test_the_monthly_sums_numbered_after_the_read_equal_those_numbered_in_the_sql(con, survey, selection):
    """month_sums' groups (month, pattern), numbered and summed after the rows are read, are those the
    SQL's window and sort gave, figure for figure, from survey_moments and from the sums by branch."""
    survey(con)
    found = moments.month_sums(con, selection)
    table = "survey_moments" if moments.covers(selection) else "survey_scope_sums"
    keys = moments._MOMENT_FILTERS if table == "survey_moments" else moments._SCOPE_FILTERS
    expected = moments._read_sums(con, selection, NUMBERED_IN_SQL.format(table=table, chosen="{chosen}"), keys)[0]
    assert selection.date_from == date(2027, 1, 1) or len(found.months) > 0
    for name in ("months", "answered", "respondents", "sums", "products", "importance_counts", "importance_sums"):
        assert getattr(found, name).shape == getattr(expected, name).shape, name
        assert (getattr(found, name) == getattr(expected, name)).all(), name
    # and each group's sums added up here, one row at a time, from the rows the SQL numbered
    chosen, params = moments._chosen(selection, keys)
    first, last = moments._month_keys(selection)
    rated, weighed = found.answered.shape[1], found.importance_counts.shape[1]
    read = con.execute(NUMBERED_IN_SQL.format(table=table, chosen=chosen),
                       {**params, "rated": rated, "pairs": rated * (rated + 1) // 2, "weighed": weighed,
                        "first": first, "last": last}).fetchall()
    groups: dict = {}
    for month, group, answered, n, sums, products, counts, totals in read:
        pairs = [(j, i) for j in range(rated) for i in range(j + 1)]
        matrix = [[0.0] * rated for _ in range(rated)]
        for (j, i), value in zip(pairs, products):
            matrix[i][j] = matrix[j][i] = value
        # the pattern as stored, '1' where the position was answered, read to the survey's items
        answered = [i < len(answered) and answered[i] == "1" for i in range(rated)]
        kept = groups.setdefault(group, [month, answered, 0, [0.0] * rated, [[0.0] * rated for _ in range(rated)],
                                         [0] * weighed, [0.0] * weighed])
        kept[2] += n
        kept[3] = [a + b for a, b in zip(kept[3], sums)]
        kept[4] = [[a + b for a, b in zip(r, q)] for r, q in zip(kept[4], matrix)]
        kept[5] = [a + b for a, b in zip(kept[5], counts)]
        kept[6] = [a + b for a, b in zip(kept[6], totals)]
    by_hand = [groups[g] for g in sorted(groups)]
    assert found.months.tolist() == [g[0] for g in by_hand]
    assert found.answered.tolist() == [g[1] for g in by_hand]
    assert found.respondents.tolist() == [g[2] for g in by_hand]
    assert found.sums.tolist() == [g[3] for g in by_hand]
    assert found.products.tolist() == [g[4] for g in by_hand]
    assert found.importance_counts.tolist() == [g[5] for g in by_hand]
    assert found.importance_sums.tolist() == [g[6] for g in by_hand]
    # several batches or tiers share a month and pattern here, so the groups are fewer than the rows read
    if survey is branch_survey and selection == Filters():
        assert len(found.months) < con.execute("SELECT count(*) FROM survey_moments").fetchone()[0]


def test_the_sums_by_branch_by_hand(con):
    branch_survey(con)
    positions = [p for p in ratings.positions(con, ("satisfaction",)) if p.has_scale]
    march = Filters(date_from=date(2026, 3, 1), date_to=date(2026, 3, 31))

    def by_group(found) -> dict:
        # each group's (n, sum) of the first two positions (A and B)
        return {key: [(found.counts[g, k], found.sums[g, k]) for k in (0, 1)] for g, key in enumerate(found.keys)}

    found = moments.scope_sums(con, march, positions, None)
    assert found.keys == ["202603bTianhe", "202603bXiamen", "202603bYuexiu", "202603rEast", "202603rSouth"]
    assert found.index_n is None
    groups = by_group(found)
    # Tianhe (k = 0) in March: A = (3 + j) % 11 for j = 0, 1, 2 -> 3, 4, 5; B = 1 + (9 + 2j) % 7 -> 3, 5, 7,
    # but j = 0 answered A only ((3 + 0) % 3 == 0)
    assert groups["202603bTianhe"] == [(3, 12.0), (2, 12.0)]
    # East in March: Xiamen (k = 2: A 5, 6, 7) and Yuexiu, which moved there (k = 1: A 4, 5, 6)
    assert groups["202603rEast"][0] == (6, 33.0)
    # key customers only (j = 0): Tianhe's A 3, Yuexiu's 4, Xiamen's 5; B answered by none of them
    key = by_group(moments.scope_sums(con, replace(march, tiers=("key",)), positions, None))
    assert key["202603rEast"][0] == (2, 9.0)
    assert (key["202603bTianhe"][0][0], key["202603bTianhe"][1][0]) == (1, 0)


@pytest.mark.parametrize("selection", [
    Filters(date_from=date(2026, 7, 1), date_to=date(2026, 7, 31)),
    Filters(date_from=date(2026, 2, 1), date_to=date(2026, 6, 30)),
    Filters(date_from=date(2026, 7, 1), date_to=date(2026, 7, 31), branches=("Yuexiu", "Xiamen")),
    Filters(date_from=date(2026, 7, 1), date_to=date(2026, 7, 31), regions=("South",)),
    Filters(date_from=date(2026, 7, 1), date_to=date(2026, 7, 31), tiers=("key",)),
    Filters(date_from=date(2026, 2, 1), date_to=date(2026, 6, 30), tiers=("key", "core"), regions=("East",)),
], ids=["july", "spring", "two-branches", "south", "key-customers", "two-tiers-east"])
def test_the_sums_by_branch_give_what_the_respondents_give(con, monkeypatch, selection):
    """Each region's and branch's monthly CSI and n, and the trends found from them, read from
    survey_scope_sums equal a pass over the respondents (the SQL of grouping sets)."""
    branch_survey(con)
    assert moments.covers_scopes(selection)

    def computed():
        return (csi.csi_by(con, trends.trend_span(selection), "scope_month")[["scope_month", "csi", "n"]],
                trends.find_trends(con, selection))

    from_sums = computed()
    with monkeypatch.context() as patch:
        patch.setattr(moments, "covers_scopes", lambda filters: False)
        from_rows = computed()
    assert len(from_sums[0]) > 0
    assert_same(from_sums[0], from_rows[0])
    assert_same(from_sums[1], from_rows[1])


# a Questions sheet of two satisfaction items on 1-5
TWO_QUESTIONS = (["Code", "Question", "Kind", "Scale min", "Scale max"],
                 ["Q1", "Speed", "satisfaction", 1, 5], ["Q2", "Care", "satisfaction", 1, 5])


def _import_survey(con, tmp_path, responses: tuple, questions: tuple):
    """Import a survey workbook of these Responses and Questions rows (headers first)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Responses"
    for row in responses:
        sheet.append(row)
    sheet = book.create_sheet("Questions")
    for row in questions:
        sheet.append(row)
    path = tmp_path / "survey.xlsx"
    book.save(path)
    return importer.import_file(con, path, kind="survey")


def test_the_sums_by_branch_are_written_by_the_import_and_undone_with_it(con, tmp_path):
    responses = (["Response ID", "Date", "Branch", "Region", "Q1", "Q2"],
                 ["r1", "2026-03-02", "Tianhe", "South", 4, 5],
                 ["r2", "2026-03-20", "Tianhe", "South", 2, None],
                 ["r3", "2026-03-21", "Xiamen", None, 1, 2],
                 ["r4", "2026-04-01", "Tianhe", "South", 5, 3],
                 ["r5", "2026-04-03", "Tianhe", "South", 3, 1])
    result = _import_survey(con, tmp_path, responses, TWO_QUESTIONS)
    query = ("SELECT month, branch, region, answered, respondents, satisfaction_sums FROM survey_scope_sums"
             " ORDER BY month, branch, answered")
    written = con.execute(query).fetchall()
    assert written == [(202603, "Tianhe", "South", "10", 1, [2.0, 0.0]),
                       (202603, "Tianhe", "South", "11", 1, [4.0, 5.0]),
                       (202603, "Xiamen", None, "11", 1, [1.0, 2.0]),
                       (202604, "Tianhe", "South", "11", 2, [8.0, 4.0])]
    # the import sums its staged rows; the rows it wrote give the same sums
    con.execute("DELETE FROM survey_scope_sums")
    write_survey_scope_sums(con, result.batch_id)
    assert con.execute(query).fetchall() == written
    importer.undo(con, result.batch_id)
    assert con.execute("SELECT count(*) FROM survey_scope_sums").fetchone()[0] == 0


def test_a_store_from_before_the_sums_by_branch_gets_them_when_opened(db_path):
    con = connect(db_path)
    branch_survey(con)
    july = Filters(date_from=date(2026, 7, 1), date_to=date(2026, 7, 31))
    expected = trends.find_trends(con, july)
    dbrows.layout_before(con, 13, "survey_scope_sums")
    con.close()
    with pytest.raises(Exception, match="earlier version"):
        connect(db_path, read_only=True)
    con = connect(db_path)
    try:
        assert con.execute("SELECT count(DISTINCT batch_id) FROM survey_scope_sums").fetchone()[0] == 2
        assert_same(trends.find_trends(con, july), expected)
    finally:
        con.close()


def test_a_store_whose_survey_sums_have_no_tier_gets_it_when_opened(db_path):
    """Upgrade step 14: the survey's sums written before they kept the tier are written again."""
    con = connect(db_path)
    branch_survey(con)
    key_customers = Filters(date_from=date(2026, 7, 1), date_to=date(2026, 7, 31), tiers=("key",))
    expected = (trends.find_trends(con, key_customers), csi.csi_score(con, key_customers))
    for table in ("survey_moments", "survey_scope_sums"):
        con.execute(f"ALTER TABLE {quote_identifier(table)} DROP COLUMN tier")
    dbrows.layout_before(con, 14)
    con.close()
    con = connect(db_path)
    try:
        for table in ("survey_moments", "survey_scope_sums"):
            assert con.execute(f"SELECT tier, count(*) > 0 FROM {quote_identifier(table)} GROUP BY 1 ORDER BY 1 NULLS LAST"
                               ).fetchall() == [("core", True), ("key", True), (None, True)]
        assert_same(trends.find_trends(con, key_customers), expected[0])
        assert_same(csi.csi_score(con, key_customers), expected[1])
    finally:
        con.close()


# -- the sums by branch and region, for a selection of branches or regions (upgrade step 20) ---------

PLACES = [("Tianhe", "South"), ("Yuexiu", "South"), ("Xiamen", "East"), (None, None)]


def placed_survey(con) -> None:
    """mixed_survey's respondents in three branches of two regions and one of no branch, twice over in
    a third batch (so that a branch's month sums several batches): stated importance for some, one
    respondent with importance only, key and core customers and some of no tier."""
    with dbrows.together(con):
        for copy in range(2):
            for i, (batch, when, rated, weighed) in enumerate(MIXED_ROWS):
                ratings = [(code, "satisfaction", (score + copy) % 8 + 1 if copy else score, *MIXED_SCALES[code])
                           for code, score in rated]
                ratings += [(code, "importance", score, 1, 10) for code, score in weighed]
                branch, region = PLACES[(i + copy) % 4]
                dbrows.respondent(con, ratings, batch_id=batch if not copy else "batch-3", responded_at=when,
                                  branch=branch, region=region, tier=("key", "core", None)[(i + copy) % 3])


def _from_respondents(monkeypatch, compute):
    """What `compute` gives when neither survey_moments nor its sums by branch may answer."""
    with monkeypatch.context() as patch:
        patch.setattr(moments, "covers", lambda filters: False)
        patch.setattr(moments, "covers_places", lambda filters: False)
        patch.setattr(moments, "covers_scopes", lambda filters: False)
        patch.setattr(moments, "place_sums", lambda con, filters, place: None)
        return compute()


PLACE_SELECTIONS = [
    Filters(**{**vars(MARCH), "branches": ("Tianhe",)}),
    Filters(**{**vars(SPRING), "regions": ("South",)}),
    Filters(**{**vars(MARCH), "regions": ("East",)}),
    Filters(**{**vars(SPRING), "branches": ("Tianhe", "Xiamen"), "tiers": ("key", "core")}),
    Filters(**{**vars(FEBRUARY), "branches": ("Yuexiu",), "regions": ("South",)}),
]
PLACE_IDS = ["march-tianhe", "spring-south", "march-east", "spring-two-branches-key-core", "february-yuexiu-south"]


def _place_figures(con, selection):
    window = Filters(**{**vars(SPRING), "branches": selection.branches, "regions": selection.regions,
                        "tiers": selection.tiers})
    earlier = Filters(**{**vars(FEBRUARY), "branches": selection.branches, "regions": selection.regions,
                         "tiers": selection.tiers})
    return [lambda: csi.csi_score(con, selection),
            lambda: csi.csi_change(con, selection, earlier),
            lambda: csi.csi_change_with_trend(con, selection, earlier, window),
            lambda: csi.csi_by(con, window, "month"),
            lambda: csi.attribute_stats(con, selection, correlations=False),
            lambda: trends.find_trends(con, selection)]


@pytest.mark.parametrize("selection", PLACE_SELECTIONS, ids=PLACE_IDS)
def test_the_sums_by_branch_give_the_csi_the_respondents_give(con, monkeypatch, selection):
    """A selection of branches or regions (and tiers) reads its CSI, interval, weights and trend from
    survey_scope_sums, figure for figure as a pass over its respondents."""
    placed_survey(con)
    assert moments.covers_places(selection) and not moments.covers(selection)
    assert moments.month_sums(con, selection) is not None
    for compute in _place_figures(con, selection):
        from_sums = compute()
        assert_same(from_sums, _from_respondents(monkeypatch, compute))


def test_a_branch_csi_from_the_sums_by_hand(con):
    """Tianhe's March from the sums by branch, checked against its respondents worked out by hand."""
    placed_survey(con)
    tianhe = Filters(**{**vars(MARCH), "branches": ("Tianhe",)})
    result = csi.csi_score(con, tianhe)
    # Tianhe in March: the first copy's respondent of 2 March (i = 3, place 3 - ... ) — the places
    # cycle (i + copy) % 4, so Tianhe holds copy 0's i = 4 (9 March) and copy 1's i = 3 (2 March):
    #   9 March:  A 3 and 5 (two columns), B 6, C 8; importance A 8, B 5, C 9
    #   2 March, copy 1: scores (s + 1) % 8 + 1: A (10+1)%8+1 = 4, B (7+1)%8+1 = 1, C (4+1)%8+1 = 6;
    #   importance B 6
    # stated importance: A 8, B (5 + 6)/2 = 5.5, C 9
    wa, wb, wc = 8.0, 5.5, 9.0
    assert result.weights == "stated"
    # on 0–100: 9 March A 30 and 50, B 500/6, C 700/9; 2 March A 40, B 0, C 500/9
    indices = [(wa * 30 + wa * 50 + wb * 500 / 6 + wc * 700 / 9) / (2 * wa + wb + wc),
               (wa * 40 + wb * 0 + wc * 500 / 9) / (wa + wb + wc)]
    mean = sum(indices) / 2
    sd = math.sqrt(sum((x - mean) ** 2 for x in indices))
    assert result.n == 2
    assert result.index_mean == pytest.approx(mean, rel=1e-12)
    assert result.index_sd == pytest.approx(sd, rel=1e-12)
    speed = result.attributes.set_index("item_code").loc["A"]
    assert speed["n"] == 3 and speed["satisfaction"] == pytest.approx((30 + 50 + 40) / 3)


def test_a_wide_survey_keeps_no_products_by_branch_and_its_branches_read_the_respondents(con, monkeypatch):
    """A batch of more pairs than PRODUCTS_PER_QUERY writes NULL products by branch: a selection of
    its branches is not read from the sums, and its figures are the respondents' still."""
    import store.db as store_db

    monkeypatch.setattr(store_db, "PRODUCTS_PER_QUERY", 5)  # three items have six pairs
    placed_survey(con)
    assert con.execute("SELECT count(*) FROM survey_scope_sums WHERE satisfaction_products IS NOT NULL"
                       ).fetchone()[0] == 0
    selection = PLACE_SELECTIONS[1]
    assert moments.month_sums(con, selection) is None
    for compute in _place_figures(con, selection):
        assert_same(compute(), _from_respondents(monkeypatch, compute))


def test_the_products_by_branch_are_written_by_the_import(con, tmp_path):
    responses = (["Response ID", "Date", "Branch", "Region", "Q1", "Q2", "I_Q1"],
                 ["r1", "2026-03-02", "Tianhe", "South", 4, 5, 5],
                 ["r2", "2026-03-20", "Tianhe", "South", 2, None, 3],
                 ["r3", "2026-03-21", "Tianhe", "South", 3, 1, None],
                 ["r4", "2026-03-22", "Tianhe", "South", None, None, 4])
    result = _import_survey(con, tmp_path, responses, (*TWO_QUESTIONS, ["I_Q1", "Speed", "importance", 1, 5]))
    query = ("SELECT answered, respondents, satisfaction_sums, satisfaction_products, importance_counts,"
             " importance_sums FROM survey_scope_sums ORDER BY answered")
    written = con.execute(query).fetchall()
    # r4 stated importance only (pattern 00); r2 answered Q1 only; r1 and r3 both: products 4·4 + 3·3,
    # 4·5 + 3·1, 5·5 + 1·1, pairs j by j
    assert written == [("00", 1, [0.0, 0.0], [0.0, 0.0, 0.0], [1], [4.0]),
                       ("10", 1, [2.0, 0.0], [4.0, 0.0, 0.0], [1], [3.0]),
                       ("11", 2, [7.0, 6.0], [25.0, 23.0, 26.0], [1], [5.0])]
    con.execute("DELETE FROM survey_scope_sums")
    write_survey_scope_sums(con, result.batch_id)
    assert con.execute(query).fetchall() == written
    importer.undo(con, result.batch_id)
    assert con.execute("SELECT count(*) FROM survey_scope_sums").fetchone()[0] == 0


def test_a_store_whose_sums_by_branch_have_no_products_gets_them_when_opened(db_path, monkeypatch):
    """Upgrade step 20: the sums by branch written before they kept the products and the stated
    importance are written again; until then a branch's CSI is read from its respondents."""
    con = connect(db_path)
    placed_survey(con)
    selection = PLACE_SELECTIONS[3]
    expected = [compute() for compute in _place_figures(con, selection)]
    for column in ("satisfaction_products", "importance_counts", "importance_sums"):
        con.execute(f"ALTER TABLE survey_scope_sums DROP COLUMN {quote_identifier(column)}")
    dbrows.layout_before(con, 20)
    con.close()
    with pytest.raises(Exception, match="earlier version"):
        connect(db_path, read_only=True)
    con = connect(db_path)
    try:
        assert con.execute("SELECT count(*) FILTER (WHERE satisfaction_products IS NULL), count(*)"
                           " FROM survey_scope_sums").fetchone()[0] == 0
        assert moments.month_sums(con, selection) is not None
        for compute, figures in zip(_place_figures(con, selection), expected):
            assert_same(compute(), figures)
    finally:
        con.close()


def _by_group(frame):
    """csi_index_by's groups in one order (a GROUP BY over the respondents returns them in any)."""
    return frame.sort_values("grp", na_position="last", key=lambda g: g.fillna("")).reset_index(drop=True)


LEAGUE_SELECTIONS = [MARCH, SPRING, Filters(**{**vars(MARCH), "tiers": ("key",)}), PLACE_SELECTIONS[1],
                     PLACE_SELECTIONS[3]]
LEAGUE_IDS = ["march", "spring", "march-key", "spring-south", "spring-two-branches-key-core"]


@pytest.mark.parametrize("selection", LEAGUE_SELECTIONS, ids=LEAGUE_IDS)
def test_the_sums_by_branch_give_the_league_the_respondents_give(con, monkeypatch, selection):
    """Each branch's (region's) CSI, interval and respondent-level index of whole months, and the
    league built on them, read from survey_scope_sums grouped by place, as the respondents give them."""
    placed_survey(con)
    assert moments.place_sums(con, selection, "branch") is not None
    weights = csi.csi_weights(con, selection)
    for compute in (lambda: csi.csi_by(con, selection, "branch", weights=weights),
                    lambda: csi.csi_by(con, selection, "region"),
                    lambda: _by_group(csi.csi_index_by(con, selection, "branch", weights)),
                    lambda: _by_group(csi.csi_index_by(con, selection, "region", weights)),
                    lambda: league.branch_league(con, selection, min_n=1)):
        from_sums = compute()
        assert len(from_sums) > 0
        assert_same(from_sums, _from_respondents(monkeypatch, compute))


def test_a_branch_league_csi_from_the_sums_by_hand(con):
    """March's index by branch from the sums: Tianhe's two respondents (test_a_branch_csi_from_the_sums_by_hand)
    on March's whole-company weights, and the respondents of no branch kept as a group of their own."""
    placed_survey(con)
    weights = csi.csi_weights(con, MARCH)
    # March's stated importance over every respondent: A 8, 6, 8, 6 -> 7; B 6, 5, 2, 6, 5, 2 -> 13/3;
    # C 9, 3, 7, 9, 3, 7 -> 19/3 (copy 1 repeats copy 0's importance)
    assert weights.by_item == pytest.approx({"A": 7.0, "B": 13 / 3, "C": 19 / 3})
    wa, wb, wc = weights.by_item["A"], weights.by_item["B"], weights.by_item["C"]
    index = csi.csi_index_by(con, MARCH, "branch", weights).set_index("grp")
    tianhe = [(wa * 30 + wa * 50 + wb * 500 / 6 + wc * 700 / 9) / (2 * wa + wb + wc),
              (wa * 40 + wb * 0 + wc * 500 / 9) / (wa + wb + wc)]
    assert index.loc["Tianhe", "n"] == 2
    assert index.loc["Tianhe", "mean"] == pytest.approx(sum(tianhe) / 2, rel=1e-12)
    assert index.loc["Tianhe", "sd"] == pytest.approx(abs(tianhe[0] - tianhe[1]) / math.sqrt(2), rel=1e-12)
    assert index.index.isna().sum() == 1 and len(index) == 4


def counting_reads(patch) -> list:
    """moments._read_sums patched on `patch` to note the selection of each read: the list it fills."""
    reads = []
    original = moments._read_sums

    def counted(*args, **kwargs):
        reads.append(args[1])
        return original(*args, **kwargs)

    patch.setattr(moments, "_read_sums", counted)
    return reads


def test_the_csi_tile_its_month_before_and_its_trend_read_the_windows_sums_once(con, monkeypatch):
    """csi_change_with_trend's period and the period before are whole months of its window: their
    sums are the window's own groups (moments.offer_within), one read of the sums for the three, and
    the figures those of reading each (and of the respondents)."""
    placed_survey(con)
    for chosen in ({}, {"branches": ("Tianhe", "Xiamen")}, {"tiers": ("key",)}):
        march, february, spring = (Filters(**{**vars(f), **chosen}) for f in (MARCH, FEBRUARY, SPRING))
        with monkeypatch.context() as patch:
            reads = counting_reads(patch)
            once = csi.csi_change_with_trend(con, march, february, spring)
            assert reads == [spring]
        apart = csi.csi_change_with_trend(con, march, february, Filters(**{**vars(FEBRUARY), **chosen}))
        assert_same(once, (csi.csi_change(con, march, february), csi.csi_by(con, spring, "month",
                                                                           weights=csi.csi_weights(con, march))))
        assert_same(once[0], apart[0])
        assert_same(once, _from_respondents(monkeypatch, lambda: csi.csi_change_with_trend(con, march, february, spring)))


@pytest.mark.parametrize("window, period", [
    (SPRING, Filters(**{**vars(MARCH), "branches": ("Tianhe",)})),
    (SPRING, Filters(**{**vars(MARCH), "tiers": ("key",)})),
    (SPRING, Filters(date_from=date(2026, 3, 1), date_to=date(2026, 3, 15))),
    (MARCH, SPRING),
], ids=["a-branch", "a-tier", "half-a-month", "beyond-the-window"])
def test_a_window_offers_nothing_to_another_selection(con, window, period):
    """offer_within hands the window's months on only to periods of the same branches, regions and
    tiers, whole months inside it."""
    placed_survey(con)
    alone = csi.csi_score(con, period)
    with shared_results():
        moments.offer_within(con, window, period)
        assert_same(csi.csi_score(con, period), alone)


def test_the_reviews_three_months_of_sums_are_one_read(con, monkeypatch):
    """month_sums_of reads the months of several whole-month selections together and hands each its
    own groups: the review's headlines compare three months, and the figures are those of reading each."""
    placed_survey(con)
    january = Filters(date_from=date(2026, 1, 1), date_to=date(2026, 1, 31))
    for chosen in ({}, {"tiers": ("key",)}):
        march, february, first = (Filters(**{**vars(f), **chosen}) for f in (MARCH, FEBRUARY, january))
        alone = [moments.month_sums(con, f) for f in (march, february, first)]
        assert len(alone[0].months) and len(alone[1].months)
        with monkeypatch.context() as patch, shared_results():
            reads = counting_reads(patch)
            moments.month_sums_of(con, [march, february, first])
            together = [moments.month_sums(con, f) for f in (march, february, first)]
            assert len(reads) == 1
        for a, b in zip(alone, together):
            assert a is not None and b is not None
            for field in fields(moments.MonthSums):
                assert np.array_equal(getattr(a, field.name), getattr(b, field.name)), field.name
    # a branch's months are the sums by branch's: each reads its own
    with monkeypatch.context() as patch, shared_results():
        reads = counting_reads(patch)
        moments.month_sums_of(con, [Filters(**{**vars(MARCH), "branches": ("Tianhe",)}), FEBRUARY])
        assert reads == []


def test_an_answered_pattern_is_read_position_by_position():
    # as stored: '1' where the respondent rated the position; a batch imported before the survey had
    # its later items holds shorter patterns, which answered none of the positions they do not reach
    patterns = pa.array(["101", "1", "", "0110", "101"]).dictionary_encode()
    assert moments._answered(patterns, 3).tolist() == [
        [True, False, True], [True, False, False], [False, False, False], [False, True, True], [True, False, True]]
    assert moments._answered(pa.array([], type=pa.string()).dictionary_encode(), 3).shape == (0, 3)
