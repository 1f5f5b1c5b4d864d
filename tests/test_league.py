"""The branch league table: each branch against the rest of the company, coloured only when the
difference survives the family's Benjamini–Hochberg correction and n reaches the minimum."""
from __future__ import annotations

from datetime import datetime

import dbrows
import pytest

from analytics.filters import Filters
from analytics.league import branch_league
from analytics.stats import nps_difference_test


def test_branches_against_the_rest_of_the_company(con):
    at = datetime(2026, 10, 5)
    dbrows.nps(con, [10] * 30 + [8] * 10, branch="North", responded_at=at)  # 30 P, 10 passive: +75
    dbrows.nps(con, [0] * 20 + [9] * 20, branch="South", responded_at=at)  # 20 P, 20 D: 0
    dbrows.nps(con, [0] * 5, branch="East", responded_at=at)  # 5 detractors: too few to judge
    dbrows.complaints(con, [{"branch": "North", "received_at": at}] * 3)
    table = branch_league(con, Filters()).set_index("branch")
    assert list(table.index) == ["North", "South", "East"]  # largest NPS first
    assert (table.loc["North", "nps"], table.loc["North", "nps_n"]) == (75.0, 40)
    assert table.loc["North", "complaints"] == 3 and table.loc["South", "complaints"] == 0
    # North against South + East (20 P, 25 D of 45): the adjusted-Wald difference test
    expected = nps_difference_test(30, 0, 40, 20, 25, 45).p_value
    assert table.loc["North", "nps_p"] == pytest.approx(expected)
    assert expected < 0.001 and table.loc["North", "nps_vs_company"] == "above"
    # South (0) against North + East (30 P, 5 D of 45, +55.6): below
    assert table.loc["South", "nps_vs_company"] == "below"
    # East's −100 from 5 responses is shown, never coloured
    assert table.loc["East", "nps"] == -100.0 and table.loc["East", "nps_too_few"]
    assert table.loc["East", "nps_vs_company"] is None and table.loc["East", "nps_q"] is None
    # two tests in the family: q = p·2/rank
    ps = sorted([table.loc["North", "nps_p"], table.loc["South", "nps_p"]])
    assert sorted([table.loc["North", "nps_q"], table.loc["South", "nps_q"]]) == pytest.approx(
        [min(ps[0] * 2, ps[1]), ps[1]])


def test_an_empty_store_has_an_empty_league(con):
    assert branch_league(con, Filters()).empty


def test_the_table_colours_only_significant_cells_and_sorts_best_first(con):
    from presentation.league import league_view

    at = datetime(2026, 10, 5)
    dbrows.nps(con, [10] * 30 + [8] * 10, branch="North", responded_at=at)
    dbrows.nps(con, [0] * 20 + [9] * 20, branch="South", responded_at=at)
    dbrows.nps(con, [0] * 5, branch="East", responded_at=at)
    cells, styles = league_view(branch_league(con, Filters()), "nps", "en")
    assert cells["Branch"].tolist() == ["North", "South", "East"]
    # adjusted Wald for 30 P of 40: n' = 43, p₊' = 30.75/43 = .715116, p₋' = .75/43 = .017442,
    # centre 69.77, SE = 100·sqrt((.732558 − .697674²)/43) = 7.561, ± 14.82 → 54.95 to 84.59
    assert cells["NPS"].iloc[0] == "+75.0 (+54.9 to +84.6; n = 40)"
    assert cells["NPS"].iloc[2] == "−100.0 (too few: n = 5)"
    assert styles["NPS"].tolist()[0].endswith("#dcefdc") and styles["NPS"].tolist()[1].endswith("#f6d5d5")
    assert styles["NPS"].tolist()[2] == ""  # too few: never coloured
    assert "±" not in " ".join(cells["NPS"])
    worst_first = league_view(branch_league(con, Filters()), "complaints", "en")[0]
    assert len(worst_first) == 3
