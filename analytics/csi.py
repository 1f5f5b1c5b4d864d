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
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analytics.filters import FilterError, Filters, is_filtered, month_key_sql, month_label, survey_ratings
from analytics.query import count, fetch_df, number
from analytics.stats import WelchTest, mean_interval, welch_t_test

STATED, DERIVED, EQUAL = "stated", "derived", "equal"

GROUP_COLUMNS = {
    "month": month_key_sql("s.responded_at"),
    "branch": "s.branch",
    "region": "s.region",
    "channel": "s.channel",
    "segment": "s.segment",
    "product": "s.product",
}

# One rating row rescaled to 0–100 by its own scale.
_SCORE_100 = "100.0 * (r.score - r.scale_min) / (r.scale_max - r.scale_min)"
# Overall satisfaction rescaled to 0–1 when its scale is known, so mixed surveys correlate fairly.
_OVERALL = ("CASE WHEN s.overall_scale_max > s.overall_scale_min"
            " THEN (s.overall_satisfaction - s.overall_scale_min)"
            " / (s.overall_scale_max - s.overall_scale_min)"
            " ELSE s.overall_satisfaction END")

# Per item and kind (satisfaction, importance): plain GROUP BY aggregates, which DuckDB runs far
# faster than one row per item with FILTER clauses. The correlations need the respondent's columns.
ITEM_KIND_STATS_SQL = f"""
SELECT r.item_code, r.kind,
       min(r.item_text) AS attribute,
       min(lower(trim(r.dimension))) AS dimension,
       count(*) AS n,
       avg(r.score) AS mean_score,
       min(r.scale_min) AS scale_min,
       max(r.scale_max) AS scale_max,
       avg({_SCORE_100}) AS satisfaction,
       stddev_samp({_SCORE_100}) AS sd
       {{correlations}}
FROM {{source}}
WHERE r.kind IN ('satisfaction', 'importance') AND r.scale_max > r.scale_min AND {{where}}
GROUP BY r.item_code, r.kind
"""

CORRELATION_COLUMNS = f"""
       , corr({_SCORE_100}, {_OVERALL}) AS r_overall,
       count({_OVERALL}) AS n_overall,
       corr({_SCORE_100}, s.likelihood_to_recommend) AS r_recommend,
       count(s.likelihood_to_recommend) AS n_recommend
"""

# Each respondent's weighted mean of the attributes they answered, then its mean, sd and n.
RESPONDENT_INDEX_SQL = f"""
WITH weight AS (
    SELECT unnest($weight_codes) AS item_code, unnest($weight_values) AS weight
), respondent AS (
    SELECT {{group}} AS grp,
           sum(weight.weight * {_SCORE_100}) / sum(weight.weight) AS csi
    FROM {{source}}
    JOIN weight ON r.item_code = weight.item_code
    WHERE r.kind = 'satisfaction' AND r.scale_max > r.scale_min AND weight.weight > 0 AND {{where}}
    GROUP BY 1, r.batch_id, r.row_no
)
SELECT grp, count(*) AS n, avg(csi) AS mean, stddev_samp(csi) AS sd
FROM respondent
GROUP BY grp
"""

ATTRIBUTES_BY_GROUP_SQL = f"""
SELECT {{group}} AS grp, r.item_code, avg({_SCORE_100}) AS satisfaction, count(*) AS n
FROM {{source}}
WHERE r.kind = 'satisfaction' AND r.scale_max > r.scale_min AND {{where}}
GROUP BY 1, 2
"""

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
    """current − previous with Welch's t-test on respondent-level indices (p < 0.05 marks it)."""

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


def attribute_stats(con, filters: Filters = Filters(), *, correlations: bool = True) -> pd.DataFrame:
    """One row per satisfaction attribute: STATS_COLUMNS, aggregated in DuckDB.

    stated_importance is the mean of the item's importance rows (NaN without); r_overall and
    r_recommend are Pearson correlations over respondents (NaN unless `correlations`).
    """
    source, where, params = survey_ratings(filters, needs_respondent=correlations)
    sql = ITEM_KIND_STATS_SQL.format(correlations=CORRELATION_COLUMNS if correlations else "",
                                     source=source, where=where)
    frame = fetch_df(con, sql, params, what="attribute satisfaction")
    satisfaction = frame[frame["kind"] == "satisfaction"].drop(columns="kind")
    importance = frame[frame["kind"] == "importance"][["item_code", "mean_score", "n"]].rename(
        columns={"mean_score": "stated_importance", "n": "n_importance"})
    stats = satisfaction.merge(importance, on="item_code", how="left")
    for column in ("r_overall", "r_recommend"):
        if column not in stats:
            stats[column] = math.nan
    for column in ("n_overall", "n_recommend"):
        if column not in stats:
            stats[column] = 0
    stats["n_importance"] = stats["n_importance"].fillna(0)
    stats = stats.reindex(columns=STATS_COLUMNS).sort_values("item_code").reset_index(drop=True)
    for column in ("n", "n_importance", "n_overall", "n_recommend"):
        stats[column] = stats[column].astype("int64")
    for column in ("stated_importance", "r_overall", "r_recommend", "satisfaction", "sd", "mean_score"):
        stats[column] = stats[column].astype(float)
    return stats


def choose_weights(stats: pd.DataFrame) -> CsiWeights:
    """Stated importance where every attribute has it, else derived, else equal.

    stated: the mean stated importance score of the item (kind 'importance' rows);
    derived: Pearson r of the attribute's rating with overall satisfaction over respondents,
    negatives (and undefined r) set to 0; equal when every derived weight is 0 or no respondent
    gave an overall satisfaction.
    """
    if stats.empty:
        return CsiWeights(None, {})
    codes = stats["item_code"].tolist()
    stated = [number(v) for v in stats["stated_importance"]]
    if all(v is not None for v in stated) and sum(stated) > 0:
        return CsiWeights(STATED, dict(zip(codes, stated)))
    derived = [max(number(v) or 0.0, 0.0) for v in stats["r_overall"]]
    if sum(derived) > 0:
        return CsiWeights(DERIVED, dict(zip(codes, derived)))
    return CsiWeights(EQUAL, {code: 1.0 for code in codes})


def _weighted(satisfaction: dict[str, float], weights: dict[str, float]) -> float | None:
    total = sum(weights.get(code, 0.0) for code in satisfaction)
    if total <= 0:
        return None
    return sum(weights.get(code, 0.0) * value for code, value in satisfaction.items()) / total


def _index_stats(con, filters: Filters, weights: CsiWeights, group: str | None) -> pd.DataFrame:
    source, where, params = survey_ratings(filters, needs_respondent=group is not None)
    codes = list(weights.by_item)
    params = {**params, "weight_codes": codes, "weight_values": [float(weights.by_item[c]) for c in codes]}
    group_sql = GROUP_COLUMNS[group] if group else "NULL"
    if not codes:
        return pd.DataFrame({"grp": [], "n": [], "mean": [], "sd": []})
    return fetch_df(con, RESPONDENT_INDEX_SQL.format(group=group_sql, source=source, where=where), params,
                    what="the respondent-level CSI")


def _attribute_table(stats: pd.DataFrame, weights: CsiWeights) -> pd.DataFrame:
    table = stats.copy()
    if weights.source == STATED:
        table["importance"] = table["stated_importance"]
    elif weights.source == DERIVED:
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
    interval = mean_interval(score, sd, n)
    moe = None if interval.high is None else interval.high - score
    return CsiResult(score, n, source, interval.low, interval.high, moe, sd, attributes, index_mean, weights)


def csi_score(con, filters: Filters = Filters(), *, weights: CsiWeights | None = None) -> CsiResult:
    r"""CSI of the filtered respondents.

    .. math:: CSI = \frac{\sum_i w_i s_i}{\sum_i w_i}, \quad s_i = 100\,\frac{\bar x_i - min_i}{max_i - min_i}

    The 95% interval is CSI ± t₀.₉₇₅,ₙ₋₁ · sd/√n, where sd is the standard deviation of the
    respondent-level index (each respondent's weighted mean of the attributes they answered, on
    0–100) and n the number of such respondents. Pass `weights` to score a period with another
    period's weights (as csi_change does); the result's weight_values are the weights used.
    """
    stats = _stats_for_weights(con, filters, weights)
    chosen = weights if weights is not None else choose_weights(stats)
    attributes = _attribute_table(stats, chosen)
    satisfaction = dict(zip(stats["item_code"], stats["satisfaction"]))
    score = _weighted(satisfaction, chosen.by_item) if satisfaction else None
    index = _index_stats(con, filters, chosen, None)
    n = count(index["n"].iloc[0]) if len(index) else 0
    sd = number(index["sd"].iloc[0]) if len(index) else None
    mean = number(index["mean"].iloc[0]) if len(index) else None
    return _result(score, n, sd, chosen.source, attributes, mean, chosen)


def _stats_for_weights(con, filters: Filters, weights: CsiWeights | None) -> pd.DataFrame:
    """Attribute stats, with correlations when derived weights may be needed.

    Unfiltered, the ratings are read without their respondents (no join) and the correlations are
    fetched only when the weights cannot be stated; filtered, the join is made anyway and the
    correlations come with it.
    """
    joined = is_filtered(filters, "survey_response")
    stats = attribute_stats(con, filters, correlations=joined and weights is None)
    if not joined and weights is None and not stats.empty and choose_weights(stats).source != STATED:
        stats = attribute_stats(con, filters, correlations=True)
    return stats


def csi_weights(con, filters: Filters = Filters()) -> CsiWeights:
    return choose_weights(_stats_for_weights(con, filters, None))


def csi_by(con, filters: Filters = Filters(), by: str = "month", *,
           weights: CsiWeights | None = None) -> pd.DataFrame:
    """CSI per month ('YYYY-MM') or per branch/region/channel/segment/product.

    All groups use the weights of the whole selection, so their CSIs are comparable. Columns:
    <by>, csi, n (respondents), ci_low, ci_high, moe95; groups in order of <by>.
    """
    if by not in GROUP_COLUMNS:
        raise FilterError(f"CSI cannot be broken down by {by!r}; use one of " + ", ".join(GROUP_COLUMNS))
    chosen = weights if weights is not None else csi_weights(con, filters)
    source, where, params = survey_ratings(filters, needs_respondent=True)
    columns = [by, "csi", "n", "ci_low", "ci_high", "moe95"]
    if not chosen.by_item:
        return pd.DataFrame({c: [] for c in columns})
    by_group = fetch_df(con, ATTRIBUTES_BY_GROUP_SQL.format(group=GROUP_COLUMNS[by], source=source, where=where),
                        params, what=f"CSI by {by}")
    index = _index_stats(con, filters, chosen, by)
    index_by_group = {_group_key(row.grp): row for row in index.itertuples()}
    satisfaction_by_group: dict = {}
    for group, code, value in zip(by_group["grp"], by_group["item_code"], by_group["satisfaction"]):
        satisfaction_by_group.setdefault(_group_key(group), {})[code] = value
    rows = []
    for group in sorted(satisfaction_by_group, key=lambda g: (g is None, g if g is not None else "")):
        score = _weighted(satisfaction_by_group[group], chosen.by_item)
        stats = index_by_group.get(group)
        result = _result(score, count(stats.n) if stats is not None else 0,
                         number(stats.sd) if stats is not None else None, chosen.source, pd.DataFrame())
        if result.score is not None:
            label = month_label(group) if by == "month" else group
            rows.append([label, result.score, result.n, result.ci_low, result.ci_high, result.moe95])
    frame = pd.DataFrame(rows, columns=columns)
    # an object column keeps a missing branch as None (pandas would make it NaN in a text column)
    frame[by] = pd.Series([r[0] for r in rows], dtype=object)
    return frame


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
    now = csi_score(con, current)
    before = csi_score(con, previous, weights=now.weight_values or CsiWeights(None, {}))
    test = welch_t_test(now.index_mean, now.index_sd, now.n, before.index_mean, before.index_sd, before.n)
    delta = (now.score - before.score) if now.score is not None and before.score is not None else None
    return CsiChange(now, before, delta, test, test.significant)


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
