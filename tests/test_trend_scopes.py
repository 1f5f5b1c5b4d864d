"""A region or branch whose monthly series is the whole selection's is not tested again
(analytics.trends.distinct_series): with one branch selected, the whole, its region and the branch
are the same rows."""
from __future__ import annotations

from analytics.trends import distinct_series

WHOLE = {202609: [5, 3, 2], 202610: [4, 4, 2]}


def test_a_region_and_a_branch_that_are_the_whole_selection_are_left_out():
    found = [("all", None, WHOLE), ("region", "South", {202609: [5, 3, 2], 202610: [4, 4, 2]}),
             ("branch", "Xiamen", {202609: [5, 3, 2], 202610: [4, 4, 2]})]
    assert distinct_series(found) == [("all", None, WHOLE)]


def test_subjects_with_other_rows_beside_them_stay_even_when_two_branches_match_by_chance():
    one = {202609: [1, 0, 0], 202610: [0, 1, 0]}
    found = [("all", None, WHOLE), ("region", "South", {202609: [5, 3, 1], 202610: [4, 4, 2]}),
             ("branch", "Xiamen", one), ("branch", "Fuzhou", dict(one)),
             # the same months but one more answer in October: other rows are there
             ("branch", "Shenzhen", {202609: [5, 3, 2], 202610: [4, 4, 3]}),
             # the whole's counts in fewer months: not the same rows
             ("branch", "Guangzhou", {202610: [4, 4, 2]})]
    assert distinct_series(found) == found


def test_csi_values_of_two_groupings_of_the_same_rows_match_to_their_last_bits():
    whole = {202609: (62.80000000000001, 186), 202610: (61.2, 190)}
    same = {202609: (62.8, 186), 202610: (61.20000000000002, 190)}
    other = {202609: (62.8, 185), 202610: (61.2, 190)}       # one respondent fewer
    found = [("all", None, whole), ("branch", "Xiamen", same), ("branch", "Fuzhou", other)]
    assert distinct_series(found) == [("all", None, whole), ("branch", "Fuzhou", other)]
