"""The service-quality gap model (Parasuraman, Zeithaml & Berry).

Gap 5 = perception − expectation; gap 1 = management's estimate of expectations − customers'
expectations; gaps 2–4 compare service standards with management's view, the measured actual and the
promise. Every gap is a signed difference where negative is a shortfall (DESIGN.md, "Gap model").

References: A. Parasuraman, V. A. Zeithaml & L. L. Berry (1985), "A conceptual model of service
quality and its implications for future research", Journal of Marketing 49(4), 41–50; (1988),
"SERVQUAL: a multiple-item scale for measuring consumer perceptions of service quality",
Journal of Retailing 64(1), 12–40.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

import pandas as pd

from analytics import moments, ratings
from analytics.complaints import DEFAULT_SLA_HOURS, resolution_stats
from analytics.csi import csi_score
from analytics.filters import Filters, where_sql
from analytics.memo import shared_results
from analytics.nps import nps_score
from analytics.stats import mean_interval
from store.query import count, fetch_df, fetch_record, number

UNGROUPED = ratings.UNGROUPED  # the dimension of an item that names none

# Machine-readable reasons a gap cannot be computed; the page translates them.
NO_PERCEPTION_ITEMS = "no_perception_items"
NO_EXPECTATION_ITEMS = "no_expectation_items"
# the survey has the questions, but nobody in this selection answered them (a branch, a month)
NO_ANSWERS_IN_SELECTION = "no_answers_in_selection"
NO_MANAGEMENT_RATINGS = "no_management_ratings"
NO_MATCHING_ITEMS = "no_matching_items"
NO_SERVICE_STANDARDS = "no_service_standards"
NO_MANAGEMENT_VIEW = "no_management_view"
NO_TARGET = "no_target"
NO_PROMISE = "no_promise"
NO_ACTUAL = "no_actual"
UNKNOWN_ACTUAL_RULE = "unknown_actual_rule"
NO_DATA_FOR_ACTUAL = "no_data_for_actual"

MISSING_EXPECTATION = "missing_expectation"
MISSING_PERCEPTION = "missing_perception"
NO_PAIRED_ANSWERS = "no_paired_answers"

ACTUAL_RULES = ("median_hours_to_resolve", "share_within_sla", "escalation_rate", "nps", "csi")

_DIMENSION = f"coalesce(nullif(lower(trim({{column}})), ''), '{UNGROUPED}')"

# Gap 5 in one pass over the respondents: for each item, the respondent's perception p and
# expectation e (the mean of the item's columns of that kind, usually one), then p − e averaged
# over the respondents who gave both. The last column counts the respondents with at least one pair.
GAP5_SQL = """
WITH answer AS (
    SELECT {answers}
    FROM {source}
)
SELECT {columns}
FROM answer
"""

# Management's estimate as it stood in the period: per item, the ratings of the latest month rated on
# or before the period's end (undated ratings count as the oldest), so a later re-estimate does not
# rewrite an earlier month's gap 1.
MANAGEMENT_ITEMS_SQL = f"""
WITH standing AS (
    SELECT *, dense_rank() OVER (PARTITION BY item_code ORDER BY date_trunc('month', rated_at) DESC NULLS LAST)
              AS newest
    FROM management_rating
    WHERE scale_max > scale_min AND (rated_at IS NULL OR rated_at < $until)
)
SELECT item_code, min(item_text) AS item_text,
       {_DIMENSION.format(column="min(dimension)")} AS dimension,
       avg(score) AS management,
       avg((score - scale_min) / (scale_max - scale_min)) AS management_unit,
       count(*) AS n
FROM standing
WHERE newest = 1
GROUP BY item_code
"""

# The newest import of each standard wins, so a re-imported standards file replaces the old one.
STANDARDS_SQL = """
SELECT s.standard, s.dimension, s.metric, s.unit, lower(trim(s.better)) AS better,
       s.management_view, s.target, s.promise, s.actual, s.actual_rule
FROM service_standard AS s
LEFT JOIN import_batch AS b ON b.id = s.batch_id
QUALIFY row_number() OVER (PARTITION BY s.standard
                           ORDER BY b.imported_at DESC NULLS LAST, s.batch_id DESC, s.row_no DESC) = 1
ORDER BY s.standard
"""


@dataclass(frozen=True)
class Gap5Result:
    """Gap 5 per item, per dimension and overall.

    items: item_code, item_text, dimension, perception, expectation, gap, n (pairs), ci_low, ci_high
    (the gap's 95% interval, Student's t on the pairs' differences; NaN below two pairs);
    dimensions: dimension, perception, expectation, gap (mean of its item gaps), n_items, n (pairs),
    importance (mean stated importance of the dimension, NaN without), ci_low, ci_high; overall: mean
    of dimension gaps, with overall_ci_low..overall_ci_high; overall_weighted: Σ wᵈ·gapᵈ / Σ wᵈ over
    dimensions with stated importance, None without; n: respondents with at least one pair;
    unpaired_items: item_code, item_text, reason.

    The intervals of a dimension and of the whole are conservative: a mean of item gaps gets the
    mean of the items' half-widths. The items are answered by the same respondents, so their means
    are correlated and independence would make the interval too narrow; the standard deviation of
    a weighted sum is at most the weighted sum of the standard deviations (Minkowski's inequality),
    which holds whatever the correlation, so the interval covers at least 95% (to the accuracy of
    each item's own t interval). None where an item has fewer than two pairs.
    """

    items: pd.DataFrame = field(compare=False, repr=False)
    dimensions: pd.DataFrame = field(compare=False, repr=False)
    overall: float | None = None
    overall_weighted: float | None = None
    n: int = 0
    unpaired_items: pd.DataFrame = field(default_factory=pd.DataFrame, compare=False, repr=False)
    missing: str | None = None
    overall_ci_low: float | None = None
    overall_ci_high: float | None = None


def clear_side(low, high) -> int:
    """Which side of 0 a gap 5 lies on, by its 95% interval: −1 (a shortfall) when the whole interval
    is below 0, +1 (a surplus) when it is above, 0 (no clear gap) when it includes 0 or is unknown.
    A gap is called a shortfall or a surplus, in words or in colour, only when this says so."""
    low, high = number(low), number(high)
    if low is None or high is None:
        return 0
    return -1 if high < 0 else 1 if low > 0 else 0


@dataclass(frozen=True)
class Gap1Result:
    """Gap 1 per item and per dimension; missing says why there is none.

    items: item_code, item_text, dimension, management (on the customers' scale), expectation, gap,
    n_management, n_customers; dimensions: dimension, gap (mean of its item gaps), n_items.
    """

    items: pd.DataFrame = field(compare=False, repr=False)
    dimensions: pd.DataFrame = field(compare=False, repr=False)
    overall: float | None = None
    n_items: int = 0
    missing: str | None = None


@dataclass(frozen=True)
class GapStatus:
    """Whether a gap has data; when not, `missing` names the data that would fill it."""

    gap: str
    available: bool
    missing: str | None
    n: int


@dataclass(frozen=True)
class GapModel:
    gap5: Gap5Result
    gap1: Gap1Result
    standards: pd.DataFrame = field(compare=False, repr=False)
    status: tuple[GapStatus, ...] = ()


def _unpaired_reason(n_perception: int, n_expectation: int) -> str:
    if n_expectation == 0:
        return MISSING_EXPECTATION
    if n_perception == 0:
        return MISSING_PERCEPTION
    return NO_PAIRED_ANSWERS


def gap5(con, filters: Filters = Filters()) -> Gap5Result:
    r"""Gap 5 = perception − expectation, paired by item within a respondent.

    .. math::

        G_i = \frac{1}{n_i}\sum_r (P_{ri} - E_{ri}), \quad
        G_d = \frac{1}{|d|}\sum_{i \in d} G_i, \quad
        G = \frac{1}{D}\sum_d G_d, \quad
        G_w = \frac{\sum_d w_d G_d}{\sum_d w_d}

    on the items' own scale (SERVQUAL's 1–7 points). Items answered for perception but never with
    an expectation (or the reverse) are left out of every mean and listed in unpaired_items.
    """
    items = ratings.positions(con, ("perception", "expectation", "importance"))
    stored = {p.kind for p in items}
    raw, importance = _gap5_items(con, filters, items)
    totals = raw[raw["item_code"].isna()]
    kinds = raw[raw["item_code"].notna()].sort_values("item_code").reset_index(drop=True)
    paired = kinds["n"] > 0
    items = (kinds[paired][["item_code", "item_text", "dimension", "perception", "expectation", "gap", "n",
                            "ci_low", "ci_high"]]
             .reset_index(drop=True).astype({"n": "int64"}))
    unpaired = kinds[~paired]
    unpaired = pd.DataFrame({
        "item_code": unpaired["item_code"].tolist(),
        "item_text": unpaired["item_text"].tolist(),
        "reason": [_unpaired_reason(int(p), int(e))
                   for p, e in zip(unpaired["n_perception"], unpaired["n_expectation"])],
    }, columns=["item_code", "item_text", "reason"])
    n = count(totals["n"].iloc[0]) if len(totals) and len(items) else 0
    dimension_columns = ["dimension", "perception", "expectation", "gap", "n_items", "n", "importance",
                         "ci_low", "ci_high"]
    if items.empty:
        if not {"perception", "expectation"} <= stored:
            missing = NO_PERCEPTION_ITEMS if "perception" not in stored else NO_EXPECTATION_ITEMS
        else:
            missing = NO_ANSWERS_IN_SELECTION
        return Gap5Result(items, pd.DataFrame({c: [] for c in dimension_columns}), None, None, 0,
                          unpaired, missing)
    items["half"] = items["ci_high"] - items["gap"]
    dimensions = (items.groupby("dimension", sort=True)
                  .agg(perception=("perception", "mean"), expectation=("expectation", "mean"),
                       gap=("gap", "mean"), n_items=("item_code", "count"), n=("n", "sum"),
                       # NaN when any item of the dimension has no interval (the module's note)
                       half=("half", lambda halves: halves.mean(skipna=False)))
                  .reset_index())
    items = items.drop(columns="half")
    dimensions["importance"] = dimensions["dimension"].map(importance).astype(float)
    dimensions["ci_low"] = dimensions["gap"] - dimensions["half"]
    dimensions["ci_high"] = dimensions["gap"] + dimensions["half"]
    half = dimensions["half"].mean(skipna=False)
    dimensions = dimensions[dimension_columns]
    overall = float(dimensions["gap"].mean())
    overall_ci = (None, None) if math.isnan(half) else (overall - float(half), overall + float(half))
    weighted_rows = dimensions[dimensions["importance"].notna() & (dimensions["importance"] > 0)]
    overall_weighted = (float((weighted_rows["importance"] * weighted_rows["gap"]).sum()
                              / weighted_rows["importance"].sum())
                        if len(weighted_rows) else None)
    return Gap5Result(items, dimensions, overall, overall_weighted, n, unpaired, None, *overall_ci)


GAP5_COLUMNS = ["item_code", "item_text", "dimension", "perception", "expectation", "gap", "n", "n_perception",
                "n_expectation", "ci_low", "ci_high"]


def _interval(mean, sd, n) -> dict[str, float | None]:
    """An item's gap interval: Student's t on its pairs' differences (None below two pairs)."""
    interval = mean_interval(number(mean), number(sd), count(n))
    return {"ci_low": interval.low, "ci_high": interval.high}


def _gap5_items(con, filters: Filters, positions: list[ratings.Position]) -> tuple[pd.DataFrame, dict]:
    """Per item code: item_text, dimension, perception, expectation, gap, n (pairs), n_perception,
    n_expectation, for the items rated in the selection; then one row (item_code None) whose n
    counts the respondents with at least one pair. And, from the same pass, the mean stated
    importance per dimension (lower case, 'other' when an item names none)."""
    codes = ratings.by_code([p for p in positions if p.kind in ("perception", "expectation")])
    # SERVQUAL's own importance: importance items of the perception/expectation items, never the CSI
    # attributes' (which share the dimension names but weigh another questionnaire)
    importance = [p for p in positions if p.kind == "importance" and p.item_code in codes]
    if not codes:
        return pd.DataFrame({c: [] for c in GAP5_COLUMNS}), {}
    answers, columns, pairs = [], [], []
    for j, (code, items) in enumerate(codes.items()):
        p, e = f"answer_p{j}", f"answer_e{j}"
        for kind, name in (("perception", p), ("expectation", e)):
            scores = [item.score() for item in items if item.kind == kind]
            answers.append(f"{ratings.mean_of(scores) if scores else 'NULL::DOUBLE'} AS {name}")
        answers += [f"{item.score()} AS {item.column}" for item in items]
        # CASE rather than FILTER (same results): DuckDB 1.5.5 runs sixty filtered aggregates of one
        # pass much more slowly, and the gaps page's all-time p95 floor (bench/) needs the CASE form
        columns += [f"avg(CASE WHEN {e} IS NOT NULL THEN {p} END) AS perception_{j}",
                    f"avg(CASE WHEN {p} IS NOT NULL THEN {e} END) AS expectation_{j}",
                    f"avg({p} - {e}) AS gap_{j}", f"count({p} - {e}) AS n_{j}",
                    f"stddev_samp({p} - {e}) AS gap_sd_{j}",
                    f"count({p}) AS n_perception_{j}", f"count({e}) AS n_expectation_{j}"]
        columns += [f"count({item.column}) AS {item.column}_n" for item in items]
        pairs.append(f"{p} - {e} IS NOT NULL")
    columns.append(f"coalesce(sum(CAST({' OR '.join(pairs)} AS INTEGER)), 0) AS respondents")
    # whole months read the stated importance from the monthly sums, and the pass then reads only
    # the respondents with SERVQUAL ratings (a few in ten) instead of all who stated an importance
    sums = moments.month_sums(con, filters)
    weighed = [] if sums is not None else importance
    answers += [f"{item.score()} AS {item.column}" for item in weighed]
    columns += [f"count({item.column}) AS {item.column}_n, avg({item.column}) AS {item.column}_mean"
                for item in weighed]
    where, params = where_sql(filters, "survey_response", alias="s")
    source = ratings.scores_from([item for items in codes.values() for item in items] + weighed, where)
    row = fetch_record(con, GAP5_SQL.format(answers=", ".join(answers), columns=", ".join(columns), source=source),
                       params, what="gap 5")
    if sums is not None:
        row.update(moments.records(sums, [], importance, None, by_month=False)[0])
    records = []
    for j, (code, items) in enumerate(codes.items()):
        rated = [item for item in items if count(row[f"{item.column}_n"])]
        if not rated:
            continue
        records.append({"item_code": code, "item_text": ratings.first_text(p.item_text for p in rated),
                        "dimension": ratings.dimension_of([ratings.first_text(p.dimension for p in rated)]),
                        "perception": number(row[f"perception_{j}"]), "expectation": number(row[f"expectation_{j}"]),
                        "gap": number(row[f"gap_{j}"]), "n": count(row[f"n_{j}"]),
                        **_interval(row[f"gap_{j}"], row[f"gap_sd_{j}"], row[f"n_{j}"]),
                        "n_perception": count(row[f"n_perception_{j}"]),
                        "n_expectation": count(row[f"n_expectation_{j}"])})
    records.append({"item_code": None, "n": count(row["respondents"])})
    frame = pd.DataFrame(records, columns=GAP5_COLUMNS)
    for column in ("perception", "expectation", "gap", "ci_low", "ci_high"):
        frame[column] = frame[column].astype(float)
    by_dimension: dict[str, list] = {}
    for item in importance:
        by_dimension.setdefault(ratings.dimension_of([item.dimension]), []).append(
            (count(row[f"{item.column}_n"]), number(row[f"{item.column}_mean"]), None))
    means = {}
    for dimension, groups in by_dimension.items():
        n, mean, _ = ratings.pooled(groups)
        if n:
            means[dimension] = mean
    return frame, means


def gap1(con, filters: Filters = Filters()) -> Gap1Result:
    r"""Gap 1 = management's estimate of customers' expectation − customers' expectation, per item.

    Management items meet survey items by item_code. Both means are taken on a 0–1 unit scale
    ((score − min)/(max − min)) and the difference is put back on the customers' scale, so it is
    the plain difference of means when both use one scale. Per dimension: the mean of its item
    gaps. Management ratings are one estimate for every branch; of them the period uses, per item,
    the latest month's rated on or before its end (MANAGEMENT_ITEMS_SQL).
    """
    until = (datetime.combine(filters.date_to + timedelta(days=1), time.min) if filters.date_to is not None
             else datetime(9999, 1, 1))
    management = fetch_df(con, MANAGEMENT_ITEMS_SQL, {"until": until}, what="management's estimates")
    item_columns = ["item_code", "item_text", "dimension", "management", "expectation", "gap",
                    "n_management", "n_customers"]
    empty_dimensions = pd.DataFrame({"dimension": [], "gap": [], "n_items": []})
    if management.empty:
        return Gap1Result(pd.DataFrame({c: [] for c in item_columns}), empty_dimensions,
                          missing=NO_MANAGEMENT_RATINGS)
    customers = _expectation_items(con, filters)
    if customers.empty:
        stored = any(p.has_scale for p in ratings.positions(con, ("expectation",)))
        return Gap1Result(pd.DataFrame({c: [] for c in item_columns}), empty_dimensions,
                          missing=NO_ANSWERS_IN_SELECTION if stored else NO_EXPECTATION_ITEMS)
    merged = customers.merge(management, on="item_code", suffixes=("", "_management"))
    if merged.empty:
        return Gap1Result(pd.DataFrame({c: [] for c in item_columns}), empty_dimensions,
                          missing=NO_MATCHING_ITEMS)
    span = merged["scale_max"] - merged["scale_min"]
    items = pd.DataFrame({
        "item_code": merged["item_code"],
        "item_text": merged["item_text"],
        "dimension": merged["dimension"],
        "management": merged["scale_min"] + merged["management_unit"] * span,
        "expectation": merged["expectation"],
        "gap": (merged["management_unit"] - merged["expectation_unit"]) * span,
        "n_management": merged["n_management"].astype("int64"),
        "n_customers": merged["n"].astype("int64"),
    }).sort_values("item_code").reset_index(drop=True)
    dimensions = (items.groupby("dimension", sort=True)
                  .agg(gap=("gap", "mean"), n_items=("item_code", "count")).reset_index())
    return Gap1Result(items, dimensions, float(dimensions["gap"].mean()), len(items), None)


def _expectation_items(con, filters: Filters) -> pd.DataFrame:
    """Customers' expectation per item, on its own scale and on 0–1, to meet management's estimate:
    item_code, item_text, dimension, expectation, expectation_unit, scale_min, scale_max, n."""
    columns = ["item_code", "item_text", "dimension", "expectation", "expectation_unit", "scale_min", "scale_max", "n"]
    codes = ratings.by_code([p for p in ratings.positions(con, ("expectation",)) if p.has_scale])
    if not codes:
        return pd.DataFrame({c: [] for c in columns})
    used = [p for items in codes.values() for p in items]
    aggregates = [f"count({p.score()}) AS {p.column}_n, avg({p.score()}) AS {p.column}_mean" for p in used]
    where, params = where_sql(filters, "survey_response", alias="s")
    sql = ratings.PASS_SQL.format(columns=", ".join(aggregates), source=ratings.scores_from(used, where))
    row = fetch_record(con, sql, params, what="customers' expectations")
    records = []
    for code, items in codes.items():
        rated = [p for p in items if count(row[f"{p.column}_n"])]
        if not rated:
            continue
        parts = [(count(row[f"{p.column}_n"]), number(row[f"{p.column}_mean"])) for p in rated]
        n, mean, _ = ratings.pooled([(k, value, None) for k, value in parts])
        # (mean − min)/(max − min): the mean on 0–1, pooled over the item's scales
        _, unit, _ = ratings.pooled([(k, (value - p.scale_min) / p.span, None)
                                     for (k, value), p in zip(parts, rated)])
        records.append({"item_code": code, "item_text": ratings.first_text(p.item_text for p in rated),
                        "dimension": ratings.dimension_of([ratings.first_text(p.dimension for p in rated)]),
                        "expectation": mean, "expectation_unit": unit,
                        "scale_min": min(p.scale_min for p in rated), "scale_max": max(p.scale_max for p in rated),
                        "n": n})
    return pd.DataFrame(records, columns=columns)


def _parse_rule(rule: str | None) -> tuple[str | None, float | None]:
    """'share_within_sla' or 'share_within_sla:48' (hours) → (name, parameter)."""
    if rule is None or (isinstance(rule, float) and math.isnan(rule)) or not str(rule).strip():
        return None, None
    name, _, argument = str(rule).strip().lower().partition(":")
    try:
        value = float(argument) if argument.strip() else None
    except ValueError:
        return name, math.nan
    return name.strip(), value


def measure_actual(con, filters: Filters, rule: str | None,
                   sla_hours: float = DEFAULT_SLA_HOURS) -> tuple[float | None, int, str | None]:
    """Measure a standard's actual from the data of the period: (value, n, reason when None).

    Rules: median_hours_to_resolve (hours), share_within_sla[:hours] (percent 0–100, SLA default
    24 h), escalation_rate (percent), nps (points), csi (0–100).
    """
    name, argument = _parse_rule(rule)
    if name is None:
        return None, 0, NO_ACTUAL
    if name not in ACTUAL_RULES or (argument is not None and (math.isnan(argument) or argument <= 0)):
        return None, 0, UNKNOWN_ACTUAL_RULE
    if name in ("median_hours_to_resolve", "share_within_sla", "escalation_rate"):
        stats = resolution_stats(con, filters, argument if argument is not None else sla_hours)
        if name == "median_hours_to_resolve":
            value, n = stats.median_hours_to_resolve, stats.n
        elif name == "share_within_sla":
            value = None if stats.within_sla is None else 100.0 * stats.within_sla
            n = stats.n_sla_due
        else:
            value = None if stats.escalation_rate is None else 100.0 * stats.escalation_rate
            n = stats.n_escalation_known
    elif name == "nps":
        result = nps_score(con, filters)
        value, n = result.score, result.n
    else:
        result = csi_score(con, filters)
        value, n = result.score, result.n
    return value, n, (None if value is not None else NO_DATA_FOR_ACTUAL)


STANDARD_COLUMNS = ["standard", "dimension", "metric", "unit", "better", "management_view", "target",
                    "promise", "actual", "actual_source", "actual_rule", "actual_n", "gap2", "gap3", "gap4",
                    "missing"]


def standards_gaps(con, filters: Filters = Filters(), sla_hours: float = DEFAULT_SLA_HOURS) -> pd.DataFrame:
    r"""Gaps 2–4 per service standard, each a signed shortfall (negative = short of it).

    With d = +1 when higher is better and −1 when lower is better:

    .. math::

        gap_2 = d\,(target - management\_view), \quad
        gap_3 = d\,(actual - target), \quad
        gap_4 = d\,(actual - promise)

    `actual` is the number given, else measured by actual_rule in the filtered period
    (measure_actual). Columns: STANDARD_COLUMNS; actual_source is 'given', 'measured' or None;
    missing lists the reasons (comma-separated codes) a gap of the row is absent, '' when none.
    """
    with shared_results():  # several standards measure their actual from the same resolution figures
        return _standards_gaps(con, filters, sla_hours)


def _standards_gaps(con, filters: Filters, sla_hours: float) -> pd.DataFrame:
    frame = fetch_df(con, STANDARDS_SQL, what="service standards")
    if frame.empty:
        return pd.DataFrame({c: [] for c in STANDARD_COLUMNS})
    measured: dict[str, tuple[float | None, int, str | None]] = {}
    rows = []
    for row in frame.itertuples(index=False):
        direction = 1.0 if row.better == "higher" else -1.0
        management_view, target, promise = number(row.management_view), number(row.target), number(row.promise)
        actual, actual_n, source, reasons = number(row.actual), 0, None, []
        if actual is not None:
            source = "given"
        else:
            rule = row.actual_rule if isinstance(row.actual_rule, str) else None
            if rule is not None and rule not in measured:
                measured[rule] = measure_actual(con, filters, rule, sla_hours)
            actual, actual_n, reason = measured[rule] if rule is not None else (None, 0, NO_ACTUAL)
            if actual is not None:
                source = "measured"
            else:
                reasons.append(reason)
        if management_view is None:
            reasons.append(NO_MANAGEMENT_VIEW)
        if target is None:
            reasons.append(NO_TARGET)
        if promise is None:
            reasons.append(NO_PROMISE)

        def signed(a: float | None, b: float | None) -> float:
            return direction * (a - b) if a is not None and b is not None else math.nan

        rows.append({
            "standard": row.standard, "dimension": row.dimension, "metric": row.metric, "unit": row.unit,
            "better": row.better, "management_view": management_view if management_view is not None else math.nan,
            "target": target if target is not None else math.nan,
            "promise": promise if promise is not None else math.nan,
            "actual": actual if actual is not None else math.nan, "actual_source": source,
            "actual_rule": row.actual_rule if isinstance(row.actual_rule, str) else None,
            "actual_n": int(actual_n),
            "gap2": signed(target, management_view), "gap3": signed(actual, target),
            "gap4": signed(actual, promise), "missing": ",".join(reasons),
        })
    return pd.DataFrame(rows, columns=STANDARD_COLUMNS)


def _standard_status(standards: pd.DataFrame, gap: str, needs: tuple[str, str]) -> GapStatus:
    if standards.empty:
        return GapStatus(gap, False, NO_SERVICE_STANDARDS, 0)
    n = int(standards[gap].notna().sum())
    if n:
        return GapStatus(gap, True, None, n)
    # name the first input that no standard has
    for column, reason in zip(needs, _REASONS[gap]):
        if standards[column].isna().all():
            return GapStatus(gap, False, reason, 0)
    return GapStatus(gap, False, _REASONS[gap][0], 0)


_REASONS = {"gap2": (NO_TARGET, NO_MANAGEMENT_VIEW), "gap3": (NO_ACTUAL, NO_TARGET),
            "gap4": (NO_ACTUAL, NO_PROMISE)}


def gap_model(con, filters: Filters = Filters(), sla_hours: float = DEFAULT_SLA_HOURS) -> GapModel:
    """All five gaps for the filtered period, and which of them have data.

    The three parts read different lists; a page asks for them side by side (gap5, gap1,
    standards_gaps through its load_all) and puts them together with gap_model_of.
    """
    with shared_results():
        return gap_model_of(gap5(con, filters), gap1(con, filters), standards_gaps(con, filters, sla_hours))


def gap_model_of(five: Gap5Result, one: Gap1Result, standards: pd.DataFrame) -> GapModel:
    """The gap model from its parts, with which gaps have data."""
    status = (
        GapStatus("gap1", one.missing is None, one.missing, one.n_items),
        _standard_status(standards, "gap2", ("target", "management_view")),
        _standard_status(standards, "gap3", ("actual", "target")),
        _standard_status(standards, "gap4", ("actual", "promise")),
        GapStatus("gap5", five.missing is None, five.missing, five.n),
    )
    return GapModel(five, one, standards, status)
