"""Customer satisfaction index: attribute satisfaction, the weighted index, its drivers and changes.

Attribute satisfaction on a scale min..max becomes 0–100 as 100·(mean − min)/(max − min); each
rating row carries its own scale, so a 0–10 and a 1–7 survey can share a database: every row is
rescaled to 0–100 before it is averaged (for rows on one scale this is exactly the formula).
CSI = Σ wᵢ·sᵢ / Σ wᵢ with stated, else derived, else equal weights (DESIGN.md, "CSI").
Satisfaction items are survey_rating rows of kind 'satisfaction'; an attribute is an item_code,
named by its item_text.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import timedelta

import numpy as np
import pandas as pd

from analytics import moments, ratings
from analytics.filters import FilterError, Filters, where_sql
from analytics.memo import shared, shared_results
from analytics.stats import MIN_N, WelchTest, bounded_mean_interval, welch_t_test
from store.query import count, fetch_df, fetch_record, number
from store.sums import month_key_sql, month_label

STATED, DERIVED, EQUAL = "stated", "derived", "equal"

GROUP_COLUMNS = {
    "month": month_key_sql("s.responded_at"),
    "branch": "s.branch",
    "region": "s.region",
    "channel": "s.channel",
    "segment": "s.segment",
    "product": "s.product",
    # a month and a region, and a month and a branch, in one pass over the respondents (SCOPES_SQL):
    # 'YYYYMM', then 'r' and the region or 'b' and the branch (analytics.trends reads every region's
    # and branch's monthly CSI)
    "scope_month": month_key_sql("s.responded_at"),
}
# The respondents grouped by month and region and by month and branch at once (grouping sets): the
# respondent-level index is worked out once for both. Rows without a region (branch) are in no
# region's (branch's) group.
SCOPES_SQL = ("SELECT * FROM (SELECT CAST({group} AS VARCHAR) || CASE WHEN grouping(s.region) = 0"
              " THEN 'r' || s.region ELSE 'b' || s.branch END AS grp, {columns} FROM {source}"
              " GROUP BY GROUPING SETS (({group}, s.region), ({group}, s.branch))) WHERE grp IS NOT NULL")

# Overall satisfaction rescaled to 0–1 when its scale is known, so mixed surveys correlate fairly.
_OVERALL = ("CASE WHEN s.overall_scale_max > s.overall_scale_min"
            " THEN (s.overall_satisfaction - s.overall_scale_min)"
            " / (s.overall_scale_max - s.overall_scale_min)"
            " ELSE s.overall_satisfaction END")
_RECOMMEND = "s.likelihood_to_recommend"

# Every metric below reads survey_response once: each item position's score is a column of the
# pass (analytics/ratings.py), so a filter is a WHERE and no rating is joined to its respondent.

# The respondent-level index (each respondent's weighted mean of the attributes they answered) is a
# column `csi` next to the scores; its n, mean and sd are aggregates of the same pass.
WITH_INDEX_SQL = "(SELECT s.*, {index} AS csi FROM {source}) AS s"
INDEX_COLUMNS = "count(s.csi) AS index_n, avg(s.csi) AS index_mean, stddev_samp(s.csi) AS index_sd"

STATS_COLUMNS = ["item_code", "attribute", "dimension", "n", "mean_score", "scale_min", "scale_max",
                 "satisfaction", "sd", "stated_importance", "n_importance", "r_overall", "n_overall",
                 "r_recommend", "n_recommend"]
ATTRIBUTE_COLUMNS = ["item_code", "attribute", "dimension", "n", "mean_score", "scale_min", "scale_max",
                     "satisfaction", "sd", "importance", "weight"]


@dataclass(frozen=True)
class CsiWeights:
    """Which weights the index used and their value per item_code (DESIGN.md: the page says which)."""

    source: str | None  # stated | derived | equal; None when there are no attributes
    by_item: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class CsiResult:
    """CSI (0–100) with its respondent-level 95% interval; score None when n = 0.

    `n` counts respondents with at least one weighted attribute; `attributes` has one row per
    attribute: item_code, attribute, dimension, n, mean_score (own scale), scale_min, scale_max,
    satisfaction (0–100), sd (0–100 scale), importance (stated mean or derived r), weight (share).
    """

    score: float | None
    n: int
    weights: str | None
    ci_low: float | None
    ci_high: float | None
    moe95: float | None
    index_sd: float | None
    attributes: pd.DataFrame = field(compare=False, repr=False)
    index_mean: float | None = None  # mean respondent-level index, what csi_change tests
    weight_values: CsiWeights | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class CsiChange:
    """current − previous of the CSI shown, by Welch's t-test with the respondent-level indices' sd and n."""

    current: CsiResult
    previous: CsiResult
    delta: float | None
    test: WelchTest
    significant: bool


@dataclass(frozen=True)
class ImportancePerformance:
    """Attributes placed by importance and satisfaction, quadrants split at the means.

    table columns: item_code, attribute, importance, satisfaction, n, quadrant, where quadrant is
    'fix_first' (importance ≥ mean, satisfaction < mean), 'keep_up' (importance ≥ mean,
    satisfaction ≥ mean), 'low_priority' (importance < mean, satisfaction < mean) or
    'possible_overkill' (importance < mean, satisfaction ≥ mean); None without an importance.
    """

    weights: str | None
    importance_mean: float | None
    satisfaction_mean: float | None
    table: pd.DataFrame = field(compare=False, repr=False)


def _item_columns(item: ratings.Position, correlations: bool, pooled: bool) -> list[str]:
    """The aggregates of one satisfaction position, on its own scale (rescaled to 0–100 after);
    co-moments too when its code has several positions to pool."""
    score, column = item.score(), item.column
    columns = [f"count({score}) AS {column}_n", f"avg({score}) AS {column}_mean",
               f"stddev_samp({score}) AS {column}_sd"]
    if correlations:
        for name, other in (("overall", _OVERALL), ("recommend", _RECOMMEND)):
            # Pearson r does not change when the score is rescaled, so it is taken on the raw score
            columns += [f"corr({score}, {other}) AS {column}_r_{name}",
                        f"regr_count({score}, {other}) AS {column}_n_{name}"]
            if pooled:
                columns += [f"{fn}({score}, {other}) AS {column}_{fn}_{name}"
                            for fn in ("regr_avgx", "regr_avgy", "regr_sxx", "regr_syy", "regr_sxy")]
    return columns


@shared
def attribute_stats(con, filters: Filters = Filters(), *, correlations: bool = True) -> pd.DataFrame:
    """One row per satisfaction attribute: STATS_COLUMNS, aggregated in DuckDB.

    stated_importance is the mean of the item's importance rows (NaN without); r_overall and
    r_recommend are Pearson correlations over respondents (NaN unless `correlations`).
    """
    return _attribute_pass(con, filters, correlations)[0]


def _attribute_pass(con, filters: Filters, correlations: bool,
                    index_weights: CsiWeights | None = None) -> tuple[pd.DataFrame, tuple]:
    """attribute_stats in one pass over the respondents; with `index_weights`, the same pass also
    gives the respondent-level index's (n, mean, sd) under those weights, and the period's own
    stated importance is left out (NaN): the weights say what the index used."""
    items = [p for p in ratings.positions(con, ("satisfaction", "importance")) if p.has_scale]
    satisfaction = ratings.by_code([p for p in items if p.kind == "satisfaction"])
    importance = ratings.by_code([p for p in items if p.kind == "importance" and p.item_code in satisfaction
                                  and index_weights is None])
    if not satisfaction:
        return _empty_stats(), (0, None, None)
    columns = []
    for code_items in satisfaction.values():
        for item in code_items:
            columns += _item_columns(item, correlations, len(code_items) > 1)
    for code_items in importance.values():
        for item in code_items:
            columns += [f"count({item.score()}) AS {item.column}_n", f"avg({item.score()}) AS {item.column}_mean"]
    used = [p for code_items in (*satisfaction.values(), *importance.values()) for p in code_items]
    terms = _index_terms(used, index_weights) if index_weights is not None else []
    index = bool(terms)
    sums = None if correlations else moments.month_sums(con, filters)
    if sums is not None:
        row = moments.records(sums, [p for c in satisfaction.values() for p in c],
                              [p for c in importance.values() for p in c], terms if index else None, by_month=False)[0]
    else:
        where, params = where_sql(filters, "survey_response", alias="s")
        source = ratings.scores_from(used, where)
        if index:
            source = WITH_INDEX_SQL.format(index=_index_expression(terms, params), source=source)
            columns.append(INDEX_COLUMNS)
        sql = ratings.PASS_SQL.format(columns=", ".join(columns), source=source)
        row = fetch_record(con, sql, params, what="attribute satisfaction")
    index_stats = (count(row["index_n"]), number(row["index_mean"]), number(row["index_sd"])) \
        if index else (0, None, None)
    rows = []
    for code, code_items in satisfaction.items():
        rated = [p for p in code_items if count(row[f"{p.column}_n"])]
        if not rated:
            continue
        n, satisfaction_mean, sd = ratings.pooled(
            [(count(row[f"{p.column}_n"]), p.scaled(number(row[f"{p.column}_mean"])),
              p.scaled_sd(number(row[f"{p.column}_sd"]))) for p in rated])
        _, mean_score, _ = ratings.pooled(
            [(count(row[f"{p.column}_n"]), number(row[f"{p.column}_mean"]), None) for p in rated])
        stated = [p for p in importance.get(code, []) if count(row[f"{p.column}_n"])]
        n_importance, stated_mean, _ = ratings.pooled(
            [(count(row[f"{p.column}_n"]), number(row[f"{p.column}_mean"]), None) for p in stated])
        record = {"item_code": code, "attribute": ratings.first_text(p.item_text for p in rated),
                  "dimension": _dimension(p.dimension for p in rated), "n": n, "mean_score": mean_score,
                  "scale_min": min(p.scale_min for p in rated), "scale_max": max(p.scale_max for p in rated),
                  "satisfaction": satisfaction_mean, "sd": sd,
                  "stated_importance": stated_mean if n_importance else math.nan, "n_importance": n_importance,
                  "r_overall": math.nan, "n_overall": 0, "r_recommend": math.nan, "n_recommend": 0}
        if correlations:
            for name in ("overall", "recommend"):
                record[f"n_{name}"], record[f"r_{name}"] = _correlation(row, rated, name)
        rows.append(record)
    if not rows:
        return _empty_stats(), index_stats
    stats = pd.DataFrame(rows, columns=STATS_COLUMNS).sort_values("item_code").reset_index(drop=True)
    for column in ("n", "n_importance", "n_overall", "n_recommend"):
        stats[column] = stats[column].astype("int64")
    for column in ("stated_importance", "r_overall", "r_recommend", "satisfaction", "sd", "mean_score",
                   "scale_min", "scale_max"):
        stats[column] = stats[column].astype(float)
    return stats, index_stats


def _dimension(dimensions) -> str | None:
    """min(lower(trim(dimension))) over the rated positions, as the long view's GROUP BY gave it."""
    named = [d.strip(" ").lower() for d in dimensions if d is not None]
    return min(named) if named else None


def _correlation(row, rated: list[ratings.Position], name: str) -> tuple[int, float]:
    if len(rated) == 1:
        column = rated[0].column
        r = number(row[f"{column}_r_{name}"])
        return count(row[f"{column}_n_{name}"]), r if r is not None else math.nan
    parts = []
    for p in rated:
        n = count(row[f"{p.column}_n_{name}"])
        if not n:
            continue
        # regr_*(score, other): x is the other variable, y the score, rescaled here to 0–100
        mean_x, mean_y, sxx, syy, sxy = (number(row[f"{p.column}_{fn}_{name}"]) or 0.0 for fn in
                                         ("regr_avgx", "regr_avgy", "regr_sxx", "regr_syy", "regr_sxy"))
        unit = 100.0 / p.span
        parts.append((n, mean_x, p.scaled(mean_y), sxx, syy * unit ** 2, sxy * unit))
    return ratings.pooled_correlation(parts)


def _empty_stats() -> pd.DataFrame:
    stats = pd.DataFrame({c: [] for c in STATS_COLUMNS})
    for column in ("n", "n_importance", "n_overall", "n_recommend"):
        stats[column] = stats[column].astype("int64")
    for column in ("stated_importance", "r_overall", "r_recommend", "satisfaction", "sd", "mean_score",
                   "scale_min", "scale_max"):
        stats[column] = stats[column].astype(float)
    return stats


def choose_weights(stats: pd.DataFrame, min_n: int = MIN_N) -> CsiWeights:
    """Stated importance where every attribute has it, else derived, else equal.

    stated: the mean stated importance score of the item (kind 'importance' rows);
    derived: Pearson r of the attribute's rating with overall satisfaction over respondents,
    negatives (and undefined r) set to 0; equal when every derived weight is 0, no respondent
    gave an overall satisfaction, or some attribute's r rests on fewer than min_n respondents
    (stats.MIN_N: r = −1 from three respondents would silently drop an attribute).
    """
    if stats.empty:
        return CsiWeights(None, {})
    codes = stats["item_code"].tolist()
    stated = [number(v) for v in stats["stated_importance"]]
    if all(v is not None for v in stated) and sum(stated) > 0:
        return CsiWeights(STATED, dict(zip(codes, stated)))
    derived = [max(number(v) or 0.0, 0.0) for v in stats["r_overall"]]
    if sum(derived) > 0 and all(int(n) >= min_n for n in stats["n_overall"]):
        return CsiWeights(DERIVED, dict(zip(codes, derived)))
    return CsiWeights(EQUAL, {code: 1.0 for code in codes})


def _weighted(satisfaction: dict[str, float], weights: dict[str, float]) -> float | None:
    total = sum(weights.get(code, 0.0) for code in satisfaction)
    if total <= 0:
        return None
    return sum(weights.get(code, 0.0) * value for code, value in satisfaction.items()) / total


def _index_terms(items: list[ratings.Position], weights: CsiWeights) -> list[moments.IndexTerm]:
    """The respondent's index is Σ (u·score + c) / Σ w over the satisfaction positions they answered
    with a weight above 0: w·100·(score − min)/(max − min) over w, on 0–100."""
    terms = []
    for p in items:
        weight = float(weights.by_item.get(p.item_code, 0.0))
        if p.kind == "satisfaction" and p.has_scale and weight > 0:
            terms.append(moments.IndexTerm(p, weight, 100.0 * weight / p.span, -100.0 * weight * p.scale_min / p.span))
    return terms


def _index_expression(terms: list[moments.IndexTerm], params: dict) -> str:
    """SQL for the respondent-level index of scores_from()'s satisfaction columns (NULL when they
    answered no weighted attribute); adds its parameters to `params`."""
    weighted, answered = [], []
    for i, term in enumerate(terms):
        score = term.item.score()
        params.update({f"w_{i}": term.weight, f"a_{i}": term.u, f"b_{i}": term.c})
        weighted.append(f"CASE WHEN {score} IS NOT NULL THEN $a_{i} * {score} + $b_{i} ELSE 0 END")
        answered.append(f"CASE WHEN {score} IS NOT NULL THEN $w_{i} ELSE 0 END")
    return f"({' + '.join(weighted)}) / nullif({' + '.join(answered)}, 0)"


def _index_stats(con, filters: Filters, weights: CsiWeights, group: str | None) -> pd.DataFrame:
    """The respondent-level index's n, mean and sd, overall (grp NULL) or per group."""
    items = [p for p in ratings.positions(con, ("satisfaction",)) if p.has_scale]
    terms = _index_terms(items, weights)
    if not terms:
        return pd.DataFrame({"grp": [], "n": [], "mean": [], "sd": []})
    sums = moments.month_sums(con, filters) if group in (None, "month") else None
    placed = moments.place_sums(con, filters, group) if group in moments.PLACES else None
    if sums is not None:
        frame = pd.DataFrame(moments.records(sums, [], [], terms, by_month=group == "month"))
        if group is None:
            frame["grp"] = None
    elif placed is not None:
        frame = pd.DataFrame(_placed(moments.records(placed[0], [], [], terms, by_month=True), placed[1]),
                             columns=["grp", "index_n", "index_mean", "index_sd"])
        # the types DuckDB gives the pass over the respondents (a group of one has no sd: None)
        frame = frame.astype({"index_n": "int64", "index_mean": float, "index_sd": float})
    else:
        where, params = where_sql(filters, "survey_response", alias="s")
        source = WITH_INDEX_SQL.format(index=_index_expression(terms, params),
                                       source=ratings.scores_from(items, where))
        sql = ratings.GROUPS_SQL.format(group=GROUP_COLUMNS[group] if group else "NULL", columns=INDEX_COLUMNS,
                                        source=source)
        frame = fetch_df(con, sql, params, what="the respondent-level CSI")
    if frame.empty:
        return pd.DataFrame({"grp": [], "n": [], "mean": [], "sd": []})
    frame = frame[frame["index_n"] > 0]
    return frame.rename(columns={"index_n": "n", "index_mean": "mean", "index_sd": "sd"})[["grp", "n", "mean", "sd"]]


def csi_index_by(con, filters: Filters, by: str, weights: CsiWeights) -> pd.DataFrame:
    """The respondent-level index's n, mean and sd per value of `by` (columns grp, n, mean, sd):
    what a comparison of groups tests (analytics.league)."""
    return _index_stats(con, filters, weights, by)


def _attribute_table(stats: pd.DataFrame, weights: CsiWeights) -> pd.DataFrame:
    table = stats.copy()
    if weights.source in (STATED, DERIVED):  # stated: the mean stated importance of the weighting period
        table["importance"] = table["item_code"].map(weights.by_item)
    else:
        table["importance"] = math.nan
    total = sum(weights.by_item.get(c, 0.0) for c in table["item_code"])
    table["weight"] = [weights.by_item.get(c, 0.0) / total if total > 0 else math.nan
                       for c in table["item_code"]]
    return table.reindex(columns=ATTRIBUTE_COLUMNS)


def _result(score: float | None, n: int, sd: float | None, source: str | None,
            attributes: pd.DataFrame, index_mean: float | None = None,
            weights: CsiWeights | None = None) -> CsiResult:
    if score is None or n == 0:
        return CsiResult(None, 0, source, None, None, None, None, attributes, None, weights)
    interval = bounded_mean_interval(score, sd, n, 0.0, 100.0)
    moe = None if interval.high is None else interval.high - score
    return CsiResult(score, n, source, interval.low, interval.high, moe, sd, attributes, index_mean, weights)


@shared
def csi_score(con, filters: Filters = Filters(), *, weights: CsiWeights | None = None) -> CsiResult:
    r"""CSI of the filtered respondents.

    .. math:: CSI = \frac{\sum_i w_i s_i}{\sum_i w_i}, \quad s_i = 100\,\frac{\bar x_i - min_i}{max_i - min_i}

    The 95% interval is CSI ± t₀.₉₇₅,ₙ₋₁ · sd/√n, clipped to 0–100, where sd is the standard
    deviation of the respondent-level index (each respondent's weighted mean of the attributes they
    answered, on 0–100) and n the number of such respondents. Pass `weights` to score a period with another
    period's weights (as csi_change does); the result's weight_values are the weights used.
    """
    if weights is not None:
        # the weights are known: the attributes and the respondent-level index come from one pass
        stats, (n, mean, sd) = _attribute_pass(con, filters, False, weights)
        chosen = weights
    else:
        stats = _stats_for_weights(con, filters, None)
        chosen = choose_weights(stats)
        index = _index_stats(con, filters, chosen, None)
        n = count(index["n"].iloc[0]) if len(index) else 0
        sd = number(index["sd"].iloc[0]) if len(index) else None
        mean = number(index["mean"].iloc[0]) if len(index) else None
    return _scored(stats, chosen, (n, mean, sd))


def _scored(stats: pd.DataFrame, chosen: CsiWeights, index: tuple) -> CsiResult:
    """The CSI from the attribute stats and the respondent-level index's (n, mean, sd)."""
    n, mean, sd = index
    attributes = _attribute_table(stats, chosen)
    satisfaction = dict(zip(stats["item_code"], stats["satisfaction"]))
    score = _weighted(satisfaction, chosen.by_item) if satisfaction else None
    return _result(score, n, sd, chosen.source, attributes, mean, chosen)


def _stats_for_weights(con, filters: Filters, weights: CsiWeights | None) -> pd.DataFrame:
    """Attribute stats, with correlations when derived weights may be needed.

    Correlations cost a pass of their own, so they are read only when the weights cannot be
    stated: at once when some attribute has no importance item at all, else when the stated
    importance turns out incomplete for the selection.
    """
    if weights is not None:
        return attribute_stats(con, filters, correlations=False)
    items = ratings.positions(con, ("satisfaction", "importance"))
    unstated = {p.item_code for p in items if p.kind == "satisfaction"} - \
        {p.item_code for p in items if p.kind == "importance"}
    stats = attribute_stats(con, filters, correlations=bool(unstated))
    if not unstated and not stats.empty and choose_weights(stats).source != STATED:
        stats = attribute_stats(con, filters, correlations=True)
    return stats


def csi_weights(con, filters: Filters = Filters()) -> CsiWeights:
    return choose_weights(_stats_for_weights(con, filters, None))


def csi_by(con, filters: Filters = Filters(), by: str = "month", *,
           weights: CsiWeights | None = None) -> pd.DataFrame:
    """CSI per month ('YYYY-MM') or per branch/region/channel/segment/product.

    All groups use the weights of the whole selection, so their CSIs are comparable. Columns:
    <by>, csi, n (respondents), ci_low, ci_high, moe95; groups in order of <by>. 'scope_month' (each
    region's and branch's months, for analytics.trends) is read from the sums by branch where they
    answer (moments.covers_scopes): those hold no products, so its groups have no interval there.
    'branch' and 'region' of whole months are read from the same sums grouped by place
    (moments.place_sums), which hold the products: the same figures as the respondents give.
    """
    if by not in GROUP_COLUMNS:
        raise FilterError(f"CSI cannot be broken down by {by!r}; use one of " + ", ".join(GROUP_COLUMNS))
    chosen = weights if weights is not None else csi_weights(con, filters)
    if not chosen.by_item:
        return pd.DataFrame({c: [] for c in _by_columns(by)})
    if by == "scope_month" and moments.covers_scopes(filters):
        return _scope_month_table(con, filters, chosen)
    return _by_table(*_groups(con, filters, chosen, by), chosen, by)


def _scope_month_table(con, filters: Filters, chosen: CsiWeights) -> pd.DataFrame:
    """csi_by's 'scope_month' groups from the sums by branch (moments.scope_sums), the figures _groups
    and _by_table give each group worked out for all the groups at once: each attribute's
    satisfaction pools its positions' means by their n (ratings.pooled), on 0–100 (Position.scaled);
    the CSI weighs the attributes the group rated (_weighted); n is the respondents with an index.
    The trends read a year of every region and branch: hundreds of groups. No interval: the sums by
    branch hold no products."""
    items = ratings.by_code([p for p in ratings.positions(con, ("satisfaction",)) if p.has_scale])
    used = [p for code_items in items.values() for p in code_items]
    terms = _index_terms(used, chosen)
    found = moments.scope_sums(con, filters, used, terms or None)
    weighed, weights = np.zeros(len(found.keys)), np.zeros(len(found.keys))
    for code, code_items in items.items():
        columns = [p.position - 1 for p in code_items]
        n = found.counts[:, columns]
        answered = n > 0
        scaled = np.where(answered, 100.0 * (found.sums[:, columns] / np.where(answered, n, 1.0)
                                             - np.array([p.scale_min for p in code_items]))
                          / np.array([p.span for p in code_items]), 0.0)
        rated = n.sum(axis=1)
        value = (n * scaled).sum(axis=1) / np.where(rated > 0, rated, 1.0)
        weight = float(chosen.by_item.get(code, 0.0))
        weights += np.where(rated > 0, weight, 0.0)
        weighed += np.where(rated > 0, weight * value, 0.0)
    respondents = found.index_n if found.index_n is not None else np.zeros(len(found.keys))
    rows = []
    no_attributes = pd.DataFrame()  # the groups' results are read for their figures only
    for g in np.flatnonzero((weights > 0) & (respondents > 0)).tolist():
        result = _result(float(weighed[g] / weights[g]), int(respondents[g]), None, chosen.source, no_attributes)
        rows.append([found.keys[g], result.score, result.n, result.ci_low, result.ci_high, result.moe95])
    frame = pd.DataFrame(rows, columns=_by_columns("scope_month"))
    frame["scope_month"] = pd.Series([r[0] for r in rows], dtype=object)
    return frame


def _by_columns(by: str) -> list[str]:
    return [by, "csi", "n", "ci_low", "ci_high", "moe95"]


def _by_table(satisfaction_by_group: dict, index_by_group: dict, chosen: CsiWeights, by: str) -> pd.DataFrame:
    columns = _by_columns(by)
    rows = []
    no_attributes = pd.DataFrame()  # the groups' results are read for their figures only
    for group in sorted(satisfaction_by_group, key=lambda g: (g is None, g if g is not None else "")):
        score = _weighted(satisfaction_by_group[group], chosen.by_item)
        n, _, sd = index_by_group.get(group, (0, None, None))
        result = _result(score, n, sd, chosen.source, no_attributes)
        if result.score is not None:
            label = month_label(group) if by == "month" else group
            rows.append([label, result.score, result.n, result.ci_low, result.ci_high, result.moe95])
    frame = pd.DataFrame(rows, columns=columns)
    # an object column keeps a missing branch as None (pandas would make it NaN in a text column)
    frame[by] = pd.Series([r[0] for r in rows], dtype=object)
    return frame


def _groups(con, filters: Filters, weights: CsiWeights, by: str) -> tuple[dict, dict]:
    """One pass grouped by `by`: {group: {item_code: satisfaction 0–100}} for the groups and
    attributes with ratings, and {group: (n, mean, sd)} of the respondent-level index."""
    items = ratings.by_code([p for p in ratings.positions(con, ("satisfaction",)) if p.has_scale])
    if not items:
        return {}, {}
    used = [p for code_items in items.values() for p in code_items]
    terms = _index_terms(used, weights)
    index = bool(terms)
    sums = moments.month_sums(con, filters) if by == "month" else None
    # a league of branches (regions) of whole months reads the sums by branch, not the month's respondents
    placed = moments.place_sums(con, filters, by) if by in moments.PLACES else None
    if sums is not None:
        records = moments.records(sums, used, [], terms if index else None, by_month=True)
    elif placed is not None:
        records = _placed(moments.records(placed[0], used, [], terms if index else None, by_month=True), placed[1])
    else:
        columns = [f"count({p.score()}) AS {p.column}_n, avg({p.score()}) AS {p.column}_mean" for p in used]
        where, params = where_sql(filters, "survey_response", alias="s")
        source = ratings.scores_from(used, where)
        if index:
            source = WITH_INDEX_SQL.format(index=_index_expression(terms, params), source=source)
            columns.append(INDEX_COLUMNS)
        grouped = SCOPES_SQL if by == "scope_month" else ratings.GROUPS_SQL
        sql = grouped.format(group=GROUP_COLUMNS[by], columns=", ".join(columns), source=source)
        records = fetch_df(con, sql, params, what=f"CSI by {by}").to_dict("records")
    satisfaction: dict = {}
    index_stats: dict = {}
    # the keys named once: the trends read a few hundred groups of many items
    keyed = [(code, [(f"{p.column}_n", f"{p.column}_mean", p) for p in code_items]) for code, code_items in items.items()]
    for row in records:
        group = _group_key(row["grp"])
        for code, code_items in keyed:
            n, value, _ = ratings.pooled([(count(row[n_key]), p.scaled(number(row[mean_key])), None)
                                          for n_key, mean_key, p in code_items])
            if n:
                satisfaction.setdefault(group, {})[code] = value
        if index and count(row["index_n"]):
            index_stats[group] = (count(row["index_n"]), number(row["index_mean"]), number(row["index_sd"]))
    return satisfaction, index_stats


def _placed(records: list[dict], places: dict) -> list[dict]:
    """place_sums' records with each group's place name (None for rows without one) as its key."""
    return [{**row, "grp": places[row["grp"]]} for row in records]


def _group_key(value):
    """A group value as a plain Python key: None for NULL, int for a month key, else itself."""
    if value is None or value is pd.NA or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, (int, float, np.integer, np.floating)):
        return int(value)
    return value


def csi_change(con, current: Filters, previous: Filters) -> CsiChange:
    """CSI of two periods on the current period's weights, and Welch's t-test of the difference.

    One set of weights keeps the change about satisfaction, not about a shift in derived weights.
    The test compares the respondent-level indices (mean, sd, n) of the two periods.
    """
    with shared_results():  # the period's attribute pass serves both its weights and its score
        now = csi_score(con, current)
        before = csi_score(con, previous, weights=csi_weights(con, current))
        return _changed(now, before)


def _changed(now: CsiResult, before: CsiResult) -> CsiChange:
    """The change of the CSI shown (the weighted attribute means), tested by Welch's t with the
    respondent-level index's sd and n as each period's spread: the test is of the quantity the page
    shows, so its verdict and its sign always agree with the delta beside it (issue 19)."""
    test = welch_t_test(now.score, now.index_sd, now.n, before.score, before.index_sd, before.n)
    delta = (now.score - before.score) if now.score is not None and before.score is not None else None
    return CsiChange(now, before, delta, test, test.significant)


def csi_change_with_trend(con, current: Filters, previous: Filters,
                          window: Filters) -> tuple[CsiChange, pd.DataFrame]:
    """csi_change(current, previous) and csi_by(window, "month") on the current period's weights,
    as the pages show them: the trend's last month is the period's tile.

    When the period is whole months of the window, its respondent-level index is pooled from those
    months' (n, mean, sd) in the trend (ratings.pooled, exact) instead of a pass of its own.
    """
    with shared_results():
        moments.offer_within(con, window, current, previous)
        weights = csi_weights(con, current)
        before = csi_score(con, previous, weights=weights)
        months = _whole_months(current, window)
        if months is None or not weights.by_item:
            trend = csi_by(con, window, "month", weights=weights)
            now = csi_score(con, current)
        else:
            satisfaction_by_month, index_by_month = _groups(con, window, weights, "month")
            trend = _by_table(satisfaction_by_month, index_by_month, weights, "month")
            index = ratings.pooled([index_by_month[m] for m in months if m in index_by_month])
            now = _scored(_stats_for_weights(con, current, None), weights, index)
        return _changed(now, before), trend


def _whole_months(period: Filters, window: Filters) -> list[int] | None:
    """The month keys (YYYYMM) of `period` when it is whole calendar months inside `window` with
    the same other filters; else None."""
    start, end = period.date_from, period.date_to
    if start is None or end is None or window.date_from is None or window.date_to is None:
        return None
    if replace(period, date_from=None, date_to=None) != replace(window, date_from=None, date_to=None):
        return None
    if start.day != 1 or (end + timedelta(days=1)).day != 1 or start < window.date_from or end > window.date_to:
        return None
    months, key = [], start.year * 100 + start.month
    while key <= end.year * 100 + end.month:
        months.append(key)
        key = key + 1 if key % 100 < 12 else (key // 100 + 1) * 100 + 1
    return months


ATTRIBUTE_CHANGE_COLUMNS = ["item_code", "attribute", "satisfaction_now", "n_now", "satisfaction_before",
                            "n_before", "delta", "t", "df", "p_value", "significant"]


def compare_attributes(now: pd.DataFrame, before: pd.DataFrame) -> pd.DataFrame:
    """Each attribute's satisfaction in two selections, with Welch's t-test per attribute.

    `now` and `before` have one row per attribute with item_code, attribute, satisfaction (0–100),
    sd and n: attribute_stats' rows or a CsiResult's attributes, so a page that already has two
    CsiResults (csi_change) compares their attributes without another query. Columns:
    ATTRIBUTE_CHANGE_COLUMNS; attributes present in either selection; delta NaN when one is empty.
    """
    now = now.set_index("item_code")
    before = before.set_index("item_code")
    rows = []
    for code in sorted(set(now.index) | set(before.index)):
        a = now.loc[code] if code in now.index else None
        b = before.loc[code] if code in before.index else None
        test = welch_t_test(number(a["satisfaction"]) if a is not None else None,
                            number(a["sd"]) if a is not None else None,
                            count(a["n"]) if a is not None else 0,
                            number(b["satisfaction"]) if b is not None else None,
                            number(b["sd"]) if b is not None else None,
                            count(b["n"]) if b is not None else 0)
        rows.append({
            "item_code": code,
            "attribute": (a if a is not None else b)["attribute"],
            "satisfaction_now": number(a["satisfaction"]) if a is not None else math.nan,
            "n_now": test.n1,
            "satisfaction_before": number(b["satisfaction"]) if b is not None else math.nan,
            "n_before": test.n2,
            "delta": test.diff if test.diff is not None else math.nan,
            "t": test.t if test.t is not None else math.nan,
            "df": test.df if test.df is not None else math.nan,
            "p_value": test.p_value if test.p_value is not None else math.nan,
            "significant": test.significant,
        })
    return pd.DataFrame(rows, columns=ATTRIBUTE_CHANGE_COLUMNS)


def attribute_changes(con, current: Filters, previous: Filters) -> pd.DataFrame:
    """Each attribute's satisfaction now and before, with Welch's t-test per attribute.

    Columns: item_code, attribute, satisfaction_now, n_now, satisfaction_before, n_before, delta,
    t, df, p_value, significant. Attributes present in either period; delta NaN when one is empty.
    """
    return compare_attributes(attribute_stats(con, current, correlations=False),
                              attribute_stats(con, previous, correlations=False))


def quadrants(attributes: pd.DataFrame, weights: str | None) -> ImportancePerformance:
    """The importance–performance grid of an attribute table (a CsiResult's attributes).

    Quadrants split at the mean importance and the mean satisfaction; without stated or derived
    importance (equal weights) there is no grid and every quadrant is None.
    """
    table = attributes[["item_code", "attribute", "importance", "satisfaction", "n"]]
    if table.empty or weights not in (STATED, DERIVED):
        table = table.assign(quadrant=None)
        return ImportancePerformance(weights, None, number(table["satisfaction"].mean()), table)
    importance_mean = float(table["importance"].mean())
    satisfaction_mean = float(table["satisfaction"].mean())

    def quadrant(importance: float, satisfaction: float) -> str:
        high = importance >= importance_mean
        satisfied = satisfaction >= satisfaction_mean
        if high:
            return "keep_up" if satisfied else "fix_first"
        return "possible_overkill" if satisfied else "low_priority"

    table = table.assign(quadrant=[quadrant(i, s) for i, s in zip(table["importance"], table["satisfaction"])])
    return ImportancePerformance(weights, importance_mean, satisfaction_mean, table)


def importance_performance(con, filters: Filters = Filters()) -> ImportancePerformance:
    """The importance–performance grid; importance is stated or derived, as for the CSI weights."""
    stats = _stats_for_weights(con, filters, None)
    weights = choose_weights(stats)
    return quadrants(_attribute_table(stats, weights), weights.source)


def key_drivers(con, filters: Filters = Filters()) -> pd.DataFrame:
    """Pearson r of each attribute's rating with overall satisfaction and with likelihood to recommend.

    Columns: item_code, attribute, r_overall, n_overall, r_recommend, n_recommend (n = respondents
    with both values); r is NaN with fewer than 2 pairs or no variance. Strongest r_overall first.
    """
    stats = attribute_stats(con, filters)
    table = stats[["item_code", "attribute", "r_overall", "n_overall", "r_recommend", "n_recommend"]].copy()
    for column in ("r_overall", "r_recommend"):
        table[column] = [number(v) if number(v) is not None else math.nan for v in table[column]]
    return table.sort_values(["r_overall", "item_code"], ascending=[False, True],
                             na_position="last").reset_index(drop=True)


__all__ = ["CsiWeights", "CsiResult", "CsiChange", "ImportancePerformance", "attribute_stats",
           "choose_weights", "csi_score", "csi_weights", "csi_by", "csi_change", "compare_attributes",
           "attribute_changes", "quadrants", "importance_performance", "key_drivers"]
