"""The survey's ratings summed by month (survey_moments, written at import), for selections of whole
months with no other filter than customer tiers, and the same sums by branch and region
(survey_scope_sums) for whole months of some branches or regions: the CSI's passes then read a few
thousand rows of sums, not every respondent.

A row of survey_moments holds, for the respondents of one batch, month and tier who answered one pattern
of satisfaction items, their number n, each item's score sum Sᵢ and each pair's sum of products Qᵢⱼ.
Within a pattern every respondent's index, Σ (uᵢ·scoreᵢ + cᵢ) / W over the answered items, has the
same denominator W, so with C = Σ cᵢ over the answered items

    Σ index  = (Σᵢ uᵢ Sᵢ + n C) / W
    Σ index² = (n C² + 2 C Σᵢ uᵢ Sᵢ + Σᵢⱼ uᵢ uⱼ Qᵢⱼ) / W²

exactly, for any weights; each item's n, mean and sd come from n, Sᵢ and Qᵢᵢ. The records below have
the columns of the SQL passes they replace (analytics/csi.py), so the metrics stay the same code.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, fields, replace

import duckdb
import numpy as np

from analytics import ratings
from analytics.filters import Filters, whole_months
from analytics.memo import offer, shared
from store.errors import QueryError
from store.sums import TABLES

# a group's sums, each list padded to the survey's items as the readers index them; the first three
# are all that the trends' CSI by place reads (SCOPE_SQL). The answered pattern comes as stored, a
# string of '0' and '1': each distinct one is read as the positions it answered once, in Python
# (_answered), where a list per row built in SQL cost more than all the rest of the read.
COUNT_COLUMNS = """answered,
       respondents,
       list_resize(satisfaction_sums, $rated, 0::DOUBLE) AS sums"""
SUM_COLUMNS = COUNT_COLUMNS + """,
       list_resize(satisfaction_products, $pairs, 0::DOUBLE) AS products,
       list_resize(importance_counts, $weighed, 0::BIGINT) AS importance_counts,
       list_resize(importance_sums, $weighed, 0::DOUBLE) AS importance_sums"""
# The rows come as read and are put in order and numbered by group after (_by_month_and_pattern): a
# window and a sort in the SQL cost more, and every CSI of whole months reads these sums.
# {ranges}: more conditions on the month (month_sums_of), or nothing
SUMS_SQL = """
SELECT month,
       """ + SUM_COLUMNS + """
FROM {table}
WHERE month BETWEEN $first AND $last{ranges}{chosen}
"""

# The same sums grouped by branch or region instead of by month (`month` is the place's rank, `place`
# its name; a NULL place last): one group per place and pattern, for a comparison of places.
PLACE_SUMS_SQL = """
SELECT dense_rank() OVER (ORDER BY {place} NULLS LAST) AS month, {place} AS place,
       dense_rank() OVER (ORDER BY {place} NULLS LAST, answered) - 1 AS same_pattern,
       """ + SUM_COLUMNS + """
FROM survey_scope_sums
WHERE month BETWEEN $first AND $last{chosen}
ORDER BY {place} NULLS LAST, answered
"""
PLACES = ("branch", "region")

SCOPE_SQL = """
SELECT month, branch, region,
       """ + COUNT_COLUMNS + """
FROM survey_scope_sums
WHERE month BETWEEN $first AND $last{chosen}
"""

# A filter on any of these columns needs the respondents themselves.
_RESPONDENT_FILTERS = tuple(TABLES["survey_response"].columns)
# survey_moments is keyed by the tier as well, survey_scope_sums by these
_MOMENT_FILTERS = {"tiers": "tier"}
_SCOPE_FILTERS = {"branches": "branch", "regions": "region", **_MOMENT_FILTERS}


@dataclass(frozen=True)
class IndexTerm:
    """One satisfaction position's part in a respondent's index: u·score + c when answered, and its
    weight w in the denominator (analytics/csi.py _index_terms)."""

    item: ratings.Position
    weight: float
    u: float
    c: float


@dataclass(frozen=True)
class MonthSums:
    """survey_moments' rows of the selected months, summed over batches: G groups of (month, pattern),
    in month order."""

    months: np.ndarray             # (G,) YYYYMM
    answered: np.ndarray           # (G, L) bool, position p at column p − 1
    respondents: np.ndarray        # (G,)
    sums: np.ndarray               # (G, L)
    products: np.ndarray           # (G, L, L), symmetric
    importance_counts: np.ndarray  # (G, K)
    importance_sums: np.ndarray    # (G, K)


def covers(filters: Filters) -> bool:
    """Whether survey_moments answers for `filters`: whole calendar months, filtered by nothing but
    tiers."""
    return whole_months(filters) and not any(
        getattr(filters, name) for name in _RESPONDENT_FILTERS if name not in _MOMENT_FILTERS)


def covers_places(filters: Filters) -> bool:
    """Whether survey_scope_sums answers for `filters` in survey_moments' stead: whole calendar months
    of some branches or regions, filtered by nothing else but tiers (month_sums)."""
    return bool(filters.branches or filters.regions) and covers_scopes(filters)


def covers_scopes(filters: Filters) -> bool:
    """Whether survey_scope_sums answers for `filters`: whole calendar months, filtered by nothing
    but branches, regions and tiers."""
    return whole_months(filters) and not any(
        getattr(filters, name) for name in _RESPONDENT_FILTERS if name not in _SCOPE_FILTERS)


@dataclass(frozen=True)
class ScopeSums:
    """The survey's sums of each region's and each branch's months (scope_sums): per group its key
    ('YYYYMM', then 'r' and the region or 'b' and the branch), in order of the keys, and per
    satisfaction position (the column position - 1) how many answered it and their scores' sum;
    under index terms, each group's respondents with an index (the CSI's n)."""

    keys: list[str]
    counts: np.ndarray           # groups × positions, whole numbers
    sums: np.ndarray             # groups × positions
    index_n: np.ndarray | None   # groups, whole numbers


def scope_sums(con, filters: Filters, satisfaction: list[ratings.Position],
               terms: list[IndexTerm] | None) -> ScopeSums:
    """What analytics/csi.py's pass by month and region and by month and branch counts, from
    survey_scope_sums, for selections covers_scopes allows (a row without a region or branch is in
    no group of that kind). The sums hold no products, so there is no sd: the trends read each
    group's CSI and n only, and the CSI of a few hundred groups is worked out on these arrays. A
    respondent has an index when they answered a position of the terms (a weight above 0)."""
    rated = max((p.position for p in satisfaction), default=0)
    first, last = _month_keys(filters)
    chosen, params = _chosen(filters, _SCOPE_FILTERS)
    try:
        table = con.execute(SCOPE_SQL.format(chosen=chosen),
                            {**params, "rated": rated, "first": first, "last": last}).to_arrow_table()
    except duckdb.Error as e:
        raise QueryError(f"DuckDB raised an error while reading the survey's sums by branch: {e}") from e
    rows = table.num_rows
    if not rows or not rated:
        return ScopeSums([], np.zeros((0, rated)), np.zeros((0, rated)), None if terms is None else np.zeros(0))
    answered = _answered(table["answered"].combine_chunks().dictionary_encode(), rated).astype(float)
    sums = np.asarray(table["sums"].combine_chunks().flatten()).reshape(rows, rated).astype(float)
    n = np.asarray(table["respondents"]).astype(float)
    values = [answered * n[:, None], sums]
    if terms is not None:
        weight, _, _ = _term_vectors(terms, rated)
        values.append(np.where(answered @ weight > 0, n, 0.0))
    months = np.asarray(table["month"])
    keys, totals = [], [[] for _ in values]
    for letter, column in (("r", "region"), ("b", "branch")):
        kind_keys, kind_totals = _scope_totals(months, letter, table[column].combine_chunks().dictionary_encode(),
                                               values)
        keys += kind_keys
        for found, total in zip(totals, kind_totals):
            found.append(total)
    order = sorted(range(len(keys)), key=keys.__getitem__)
    counts, summed, *index = (np.concatenate(parts)[order] for parts in totals)
    return ScopeSums([keys[i] for i in order], np.rint(counts), summed, np.rint(index[0]) if index else None)


def _scope_totals(months: np.ndarray, letter: str, names, values: list[np.ndarray]) -> tuple[list[str], list[np.ndarray]]:
    """scope_sums' groups of one kind (`names`: the rows' region or branch, dictionary encoded; rows
    without a name are in no group): their keys, and each of `values` (rows, or rows × positions)
    added up per group, each cell row by row."""
    kept = np.asarray(names.indices.is_valid())
    if not kept.any():
        return [], [np.zeros((0, *v.shape[1:])) for v in values]
    codes = np.asarray(names.indices.fill_null(0)).astype(np.int64)[kept]
    width = len(names.dictionary)
    keys, group = np.unique(months[kept].astype(np.int64) * width + codes, return_inverse=True)

    def total(value: np.ndarray) -> np.ndarray:
        value = value[kept]
        if value.ndim == 1:
            return np.bincount(group, weights=value, minlength=len(keys))
        return np.stack([np.bincount(group, weights=value[:, k], minlength=len(keys))
                         for k in range(value.shape[1])], axis=1)

    labels = names.dictionary.to_pylist()
    return ([f"{key // width}{letter}{labels[key % width]}" for key in keys.tolist()],
            [total(value) for value in values])


@shared
def _chosen(filters: Filters, columns: dict[str, str]) -> tuple[str, dict]:
    """The sums' rows `filters` chooses by `columns` (filter name → the sums' column): an SQL
    fragment of ANDs and its parameters."""
    chosen, params = "", {}
    for name, column in columns.items():
        values = getattr(filters, name)
        if values:
            names = [f"{column}_{i}" for i in range(len(values))]
            params.update({n: str(v) for n, v in zip(names, values)})
            chosen += f" AND {column} IN (" + ", ".join("$" + n for n in names) + ")"
    return chosen, params


@shared
def month_sums(con, filters: Filters) -> MonthSums | None:
    """The sums of the months (and tiers) `filters` selects, and of its branches or regions; None when
    it filters more than that, or when a batch of the branches' months kept no products by branch
    (schema.sql survey_scope_sums)."""
    if covers(filters):
        return _read_sums(con, filters, SUMS_SQL.format(table="survey_moments", ranges="", chosen="{chosen}"),
                          _MOMENT_FILTERS)[0]
    if covers_places(filters):
        # the same sums by branch and region (and tier), summed over the selected ones: a branch's page
        # reads a few hundred rows of them, not a year of its respondents (issue 24's floor)
        return _read_sums(con, filters, SUMS_SQL.format(table="survey_scope_sums", ranges="", chosen="{chosen}"),
                          _SCOPE_FILTERS)[0]
    return None


@shared
def place_sums(con, filters: Filters, place: str) -> tuple[MonthSums, dict] | None:
    """The sums of `filters`' whole months grouped by branch or region (`place`), for selections
    covers_scopes allows: a MonthSums whose `months` are the places' ranks, and {rank: the place's
    name, None for rows without one}; None otherwise, or when a batch kept no products by branch."""
    if place not in PLACES or not covers_scopes(filters):
        return None
    found = _read_sums(con, filters, PLACE_SUMS_SQL.format(place=place, chosen="{chosen}"), _SCOPE_FILTERS)
    if found[0] is None:
        return None
    return found



def month_sums_of(con, selections) -> None:
    """Inside shared_results(), month_sums of each of `selections` read in one query and handed on
    (analytics.memo.offer): on a lake every query pays its catalog round trips, and the review's
    headlines compare three months. Each selection's groups are the groups of its months, which no
    other month shares; their sums are of integer scores, exact in any order. Nothing is read when
    the selections are not all of whole months filtered by the same tiers alone (each then reads its
    own), or when a batch of theirs kept no products."""
    chosen = list(dict.fromkeys(selections))
    if len(chosen) < 2 or not all(covers(f) for f in chosen) or len({f.tiers for f in chosen}) != 1:
        return
    keys = [_month_keys(f) for f in chosen]
    span = replace(chosen[0], date_from=None if any(f.date_from is None for f in chosen) else min(f.date_from for f in chosen),
                   date_to=None if any(f.date_to is None for f in chosen) else max(f.date_to for f in chosen))
    # $first and $last span every selection's months, and these keep each one's
    ranges = " AND (" + " OR ".join(f"month BETWEEN $first_{i} AND $last_{i}" for i in range(len(keys))) + ")"
    bounds = {name: value for i, (first, last) in enumerate(keys) for name, value in ((f"first_{i}", first), (f"last_{i}", last))}
    whole = _read_sums(con, span, SUMS_SQL.format(table="survey_moments", ranges=ranges, chosen="{chosen}"),
                       _MOMENT_FILTERS, bounds)[0]
    if whole is not None:
        for selection in chosen:
            _offer_months(whole, selection)


def _read_sums(con, filters: Filters, sql: str, keys: dict[str, str],
               bounds: dict | None = None) -> tuple[MonthSums | None, dict]:
    """The sums `sql` reads (SUMS_SQL's columns; `month` the group), summed over batches and tiers
    within each group and pattern, and {group: place} when the rows name a place; `bounds`: more of
    the query's parameters."""
    positions = ratings.positions(con, ("satisfaction", "importance"))
    rated = max((p.position for p in positions if p.kind == "satisfaction"), default=0)
    weighed = max((p.position for p in positions if p.kind == "importance"), default=0)
    first, last = _month_keys(filters)
    chosen, params = _chosen(filters, keys)
    try:
        table = con.execute(sql.format(chosen=chosen),
                            {**params, **(bounds or {}), "rated": rated, "pairs": rated * (rated + 1) // 2,
                             "weighed": weighed, "first": first, "last": last}).to_arrow_table()
    except duckdb.Error as e:
        raise QueryError(f"DuckDB raised an error while reading the survey's monthly sums: {e}") from e
    rows = table.num_rows
    if table["products"].null_count:
        return None, {}

    def matrix(name: str, width: int) -> np.ndarray:
        values = table[name].combine_chunks().flatten() if rows else []
        return np.asarray(values).reshape(rows, width)

    months = np.asarray(table["month"]).astype(np.int64) if rows else np.zeros(0, dtype=np.int64)
    places = dict(zip(months.tolist(), table["place"].to_pylist())) if "place" in table.column_names else {}
    patterns = table["answered"].combine_chunks().dictionary_encode()
    answered = _answered(patterns, rated)
    if "same_pattern" in table.column_names:  # PLACE_SUMS_SQL numbers and orders its groups itself
        order, groups = slice(None), (np.asarray(table["same_pattern"]) if rows else np.zeros(0, dtype=np.int64))
    else:
        order, groups = _by_month_and_pattern(months, patterns)
    months, answered = months[order], answered[order]
    widths = (1, rated, rated * (rated + 1) // 2, weighed, weighed)
    columns = np.concatenate([
        (np.asarray(table["respondents"]) if rows else np.zeros(0)).reshape(rows, 1),
        *(matrix(name, width) for name, width in zip(("sums", "products", "importance_counts", "importance_sums"),
                                                     widths[1:]))], axis=1).astype(float)[order]
    # several batches may share a month and pattern: their sums are added into one group, every
    # column in one reduceat (each cell is still added up row by row), and the stored pairs are
    # spread into each group's symmetric matrix only after
    same = _Groups(groups)
    respondents, sums, pairs, importance_counts, importance_sums = np.split(same.add(columns),
                                                                            np.cumsum(widths)[:-1], axis=1)
    products = np.zeros((len(pairs), rated, rated))
    upper_j, upper_i = _pairs(rated)
    products[:, upper_i, upper_j] = pairs
    products[:, upper_j, upper_i] = pairs
    return MonthSums(months[same.first], answered[same.first], respondents[:, 0], sums, products,
                     importance_counts, importance_sums), places


def _answered(patterns, rated: int) -> np.ndarray:
    """The rows' answered patterns (dictionary encoded: the distinct strings and each row's index) as
    a rows × `rated` matrix of booleans, position k true where the pattern's k-th character is '1';
    a pattern shorter than `rated` answered none of the positions it does not reach."""
    names = patterns.dictionary.to_pylist()
    # fixed-width bytes, padded with NUL past a short pattern's end: one comparison for every cell
    cells = np.array([name.encode()[:rated] for name in names], dtype=f"S{max(rated, 1)}")
    decoded = (cells.view(np.uint8).reshape(len(names), max(rated, 1))[:, :rated] == ord("1"))
    return decoded[np.asarray(patterns.indices, dtype=np.int64)] if len(patterns) else np.zeros((0, rated), dtype=bool)


def _by_month_and_pattern(months: np.ndarray, patterns) -> tuple[np.ndarray, np.ndarray]:
    """SUMS_SQL's rows in order of month and pattern, and each row's group (month, pattern) numbered
    from 0 in that order: what ORDER BY month, answered and dense_rank() OVER (ORDER BY month,
    answered) - 1 give. The sort is stable: a group's rows keep the order they were read in.
    Patterns are strings of '0' and '1' (dictionary encoded), whose order is the same in Python and
    in DuckDB."""
    if not len(months):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    names = np.array(patterns.dictionary.to_pylist(), dtype=object)
    rank = np.empty(len(names), dtype=np.int64)
    rank[np.argsort(names, kind="stable")] = np.arange(len(names))
    codes = rank[np.asarray(patterns.indices, dtype=np.int64)]
    order = np.lexsort((codes, months))
    months, codes = months[order], codes[order]
    return order, np.cumsum(np.r_[False, (months[1:] != months[:-1]) | (codes[1:] != codes[:-1])])


def offer_within(con, window: Filters, *periods: Filters) -> None:
    """Inside shared_results(), let the sums of `window` answer month_sums for each period of whole
    months inside it with the same other filters: one read of the window's rows instead of one per
    period (a page's CSI tile, its month before and its trend). The groups are the window's own, so
    the figures are those a read of the period gives."""
    sums = month_sums(con, window)
    if sums is None or window.date_from is None or window.date_to is None:
        return
    for period in periods:
        if (period.date_from is None or period.date_to is None or not whole_months(period)
                or period.date_from < window.date_from or period.date_to > window.date_to
                or replace(period, date_from=None, date_to=None) != replace(window, date_from=None, date_to=None)):
            continue
        _offer_months(sums, period)


def _offer_months(sums: MonthSums, period: Filters) -> None:
    """Let the groups of `sums` in `period`'s months answer month_sums(period)."""
    first, last = _month_keys(period)
    keep = (sums.months >= first) & (sums.months <= last)
    offer(month_sums, MonthSums(*(getattr(sums, f.name)[keep] for f in fields(MonthSums))), period)


def _pairs(rated: int) -> tuple[np.ndarray, np.ndarray]:
    """(j, i) of each stored product, j by j with i ≤ j, 0-based."""
    pairs = [(j, i) for j in range(rated) for i in range(j + 1)]
    return (np.array([p[0] for p in pairs], dtype=int), np.array([p[1] for p in pairs], dtype=int))


class _Groups:
    """Rows numbered by group in ascending order (0, 0, 1, 2, 2, ...): sums by group in one
    reduceat each, many times faster than np.add.at."""

    def __init__(self, sorted_groups: np.ndarray) -> None:
        rows = len(sorted_groups)
        self.first = np.flatnonzero(np.r_[True, sorted_groups[1:] != sorted_groups[:-1]]) if rows \
            else np.zeros(0, dtype=int)

    def add(self, values: np.ndarray) -> np.ndarray:
        if not len(self.first):
            return np.zeros((0, *values.shape[1:]))
        return np.add.reduceat(values, self.first, axis=0)


def records(sums: MonthSums, satisfaction: list[ratings.Position], importance: list[ratings.Position],
            terms: list[IndexTerm] | None, *, by_month: bool) -> list[dict]:
    """Rows with the columns of analytics/csi.py's passes: <column>_n, _mean (and _sd for satisfaction
    positions) per position, and index_n, index_mean, index_sd under `terms` (when given); one row in
    all, or one per month (key `grp`, months in order)."""
    # the groups come in month order (SUMS_SQL), so a month's groups are one run of rows
    by = _Groups(sums.months if by_month else np.zeros(len(sums.months), dtype=np.int64))
    months = sums.months[by.first]
    n = sums.respondents
    counts = _total(by, sums.answered * n[:, None])
    totals = _total(by, sums.sums)
    squares = _total(by, np.diagonal(sums.products, axis1=1, axis2=2))
    weighed_counts = _total(by, sums.importance_counts)
    weighed_totals = _total(by, sums.importance_sums)
    index = _index_sums(sums, terms, by) if terms is not None else None
    rows = []
    for g in range(max(len(months), 0 if by_month else 1)):
        row: dict = {"grp": int(months[g])} if by_month else {}
        for p in satisfaction:
            k = p.position - 1
            row.update(_moments(p.column, *(_at(a, g, k) for a in (counts, totals, squares))))
        for p in importance:
            k = p.position - 1
            count, total = _at(weighed_counts, g, k), _at(weighed_totals, g, k)
            row[f"{p.column}_n"] = int(count)
            row[f"{p.column}_mean"] = total / count if count else None
        if index is not None:
            row.update(_moments("index", *(a[g] for a in index)))
        rows.append(row)
    return rows


def _total(by: _Groups, values: np.ndarray) -> np.ndarray:
    """Sums by group; one group of zeros when there are no rows (a store without ratings yet)."""
    return by.add(values) if len(by.first) else np.zeros((1, *values.shape[1:]))


def _at(values: np.ndarray, group: int, position: int) -> float:
    return float(values[group, position]) if position < values.shape[1] else 0.0


def _index_sums(sums: MonthSums, terms: list[IndexTerm], by: _Groups) -> tuple:
    """(n, Σ index, Σ index²) per output group, over the respondents with an index."""
    rated = sums.answered.shape[1]
    weight, u, c = _term_vectors(terms, rated)
    answered = sums.answered.astype(float)
    denominator = answered @ weight
    constant = answered @ c
    linear = sums.sums @ u
    quadratic = np.einsum("gij,i,j->g", sums.products, u, u)
    indexed = denominator > 0
    safe = np.where(indexed, denominator, 1.0)
    n = np.where(indexed, sums.respondents, 0.0)
    total = np.where(indexed, (linear + n * constant) / safe, 0.0)
    square = np.where(indexed, (n * constant ** 2 + 2 * constant * linear + quadratic) / safe ** 2, 0.0)
    return tuple(_total(by, part) for part in (n, total, square))


def _term_vectors(terms: list[IndexTerm], rated: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The index terms as vectors over the `rated` positions: weight w, u and c (a position's terms
    added; one beyond the sums' positions has no scores there and is left out)."""
    weight, u, c = (np.zeros(rated) for _ in range(3))
    for term in terms:
        k = term.item.position - 1
        if k < rated:
            weight[k] += term.weight
            u[k] += term.u
            c[k] += term.c
    return weight, u, c


def _month_keys(filters: Filters) -> tuple[int, int]:
    """The selection's first and last month as YYYYMM (open ends as 0 and 999999)."""
    first = filters.date_from.year * 100 + filters.date_from.month if filters.date_from else 0
    last = filters.date_to.year * 100 + filters.date_to.month if filters.date_to else 999999
    return first, last


def _moments(column: str, n: float, total: float, square: float) -> dict:
    """count, avg and stddev_samp as DuckDB names them, from n, Σx and Σx²."""
    n = int(round(n))
    mean = total / n if n else None
    sd = math.sqrt(max(square - total * total / n, 0.0) / (n - 1)) if n >= 2 else None
    return {f"{column}_n": n, f"{column}_mean": mean, f"{column}_sd": sd}


__all__ = ["IndexTerm", "MonthSums", "covers", "covers_places", "covers_scopes", "month_sums", "offer_within", "place_sums", "records", "scope_sums", "ScopeSums"]
