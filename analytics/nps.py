"""Net Promoter Score: the score with its margin, its trend, its breakdowns and its changes.

NPS = 100 × (promoters − detractors) / n; promoters score 9–10, passives 7–8, detractors 0–6,
n counts valid scores 0–10 (DESIGN.md, "NPS"). Reference: F. F. Reichheld (2003), "The One Number
You Need to Grow", Harvard Business Review 81(12).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from analytics.filters import FilterError, Filters, per_selection, tallied, where_sql
from analytics.memo import offer, shared
from analytics.stats import Z_95, nps_adjusted_wald, nps_difference_test
from store.db import quote_identifier
from store.query import count, fetch_all, fetch_df
from store.sums import NPS_MEASURES, month_key_sql, month_label

BREAKDOWN_COLUMNS = ("touchpoint", "branch", "region", "channel", "segment", "product")

_VALID = "promoters + passives + detractors"

_NPS_COUNTS = "sum(promoters)::BIGINT AS promoters, sum(passives)::BIGINT AS passives, sum(detractors)::BIGINT AS detractors"
NPS_COUNTS_SQL = f"""
SELECT {_NPS_COUNTS}
FROM {{counted}}
WHERE {{where}}
"""
NPS_COUNTS_BY_SELECTION_SQL = f"SELECT selection, {_NPS_COUNTS} FROM {{selected}} GROUP BY 1"

NPS_BY_GROUP_SQL = f"""
SELECT {{group}} AS {{alias}},
       sum({_VALID})::BIGINT AS n,
       sum(promoters)::BIGINT AS promoters,
       sum(passives)::BIGINT AS passives,
       sum(detractors)::BIGINT AS detractors
FROM {{counted}}
WHERE {{where}}
GROUP BY 1
HAVING sum({_VALID}) > 0
ORDER BY {{order}}
"""

DETRACTOR_VERBATIMS_SQL = f"""
SELECT responded_at, customer_id, branch, touchpoint, score, comment, sentiment
FROM nps_response
WHERE score BETWEEN 0 AND 6 AND comment IS NOT NULL AND trim(comment) <> '' AND {{where}}
ORDER BY responded_at DESC, batch_id, row_no
LIMIT $limit
"""


@dataclass(frozen=True)
class NpsResult:
    """NPS with its counts and its adjusted-Wald uncertainty; score, se and the interval are None when n = 0.

    se is the adjusted-Wald standard error in points, ci_low..ci_high its 95% interval clipped to
    [−100, 100] (stats.nps_adjusted_wald, Rocks 2016); moe95 = 1.96·se, the half-width before clipping.
    """

    score: float | None
    n: int
    promoters: int
    passives: int
    detractors: int
    se: float | None
    moe95: float | None
    ci_low: float | None = None
    ci_high: float | None = None

    @classmethod
    def from_counts(cls, promoters: int, passives: int, detractors: int) -> "NpsResult":
        """NPS = 100·(P − D)/n with the adjusted-Wald interval (n' = n + 3, ¾ added to P and D)."""
        n = promoters + passives + detractors
        if n == 0:
            return cls(None, 0, 0, 0, 0, None, None)
        interval = nps_adjusted_wald(promoters, detractors, n)
        return cls(100.0 * (promoters - detractors) / n, n, promoters, passives, detractors,
                   interval.se, Z_95 * interval.se, interval.low, interval.high)


@dataclass(frozen=True)
class NpsChange:
    """current − previous (raw scores), tested on the adjusted-Wald estimates (stats.nps_difference_test)."""

    current: NpsResult
    previous: NpsResult
    delta: float | None
    se_diff: float | None
    significant: bool
    p_value: float | None = None


@shared
def nps_score(con, filters: Filters = Filters()) -> NpsResult:
    """NPS of the filtered responses."""
    where, params = where_sql(filters, "nps_response")
    counted = tallied("nps_response", NPS_MEASURES, filters)
    row = fetch_all(con, NPS_COUNTS_SQL.format(counted=counted, where=where), params, what="NPS")[0]
    return NpsResult.from_counts(count(row[0]), count(row[1]), count(row[2]))


def nps_scores(con, selections) -> list[NpsResult]:
    """nps_score of each selection (a review's periods), from one scan; inside shared_results() each
    is nps_score's answer from then on."""
    selections = list(selections)
    selected, params = per_selection(tallied("nps_response", NPS_MEASURES, *selections), "nps_response", selections)
    rows = fetch_all(con, NPS_COUNTS_BY_SELECTION_SQL.format(selected=selected), params, what="NPS")
    found = {int(index): (count(p), count(a), count(d)) for index, p, a, d in rows}
    results = [NpsResult.from_counts(*found.get(index, (0, 0, 0))) for index in range(len(selections))]
    for chosen, result in zip(selections, results):
        offer(nps_score, result, chosen)
    return results


def _with_scores(frame: pd.DataFrame) -> pd.DataFrame:
    results = [NpsResult.from_counts(int(p), int(a), int(d))
               for p, a, d in zip(frame["promoters"], frame["passives"], frame["detractors"])]
    frame = frame.astype({"n": "int64", "promoters": "int64", "passives": "int64",
                          "detractors": "int64"})
    frame["score"] = [r.score for r in results]
    frame["se"] = [r.se for r in results]
    frame["moe95"] = [r.moe95 for r in results]
    frame["ci_low"] = [r.ci_low for r in results]
    frame["ci_high"] = [r.ci_high for r in results]
    return frame


def nps_trend(con, filters: Filters = Filters()) -> pd.DataFrame:
    """NPS per calendar month: month ('YYYY-MM'), score, n, promoters, passives, detractors, se, moe95,
    ci_low, ci_high (adjusted Wald).

    Only months with responses appear, in calendar order.
    """
    where, params = where_sql(filters, "nps_response")
    sql = NPS_BY_GROUP_SQL.format(group=month_key_sql("responded_at"), alias="month", where=where, order="1",
                                  counted=tallied("nps_response", NPS_MEASURES, filters))
    frame = _with_scores(fetch_df(con, sql, params, what="the NPS trend"))
    frame["month"] = pd.Series([month_label(k) for k in frame["month"]], dtype=object)
    return frame[["month", "score", "n", "promoters", "passives", "detractors", "se", "moe95", "ci_low", "ci_high"]]


def nps_by(con, filters: Filters = Filters(), column: str = "touchpoint") -> pd.DataFrame:
    """NPS per value of one column of nps_response (touchpoint, branch, region, ...).

    Columns: <column>, score, n, promoters, passives, detractors, se, moe95, ci_low, ci_high; largest n first,
    a missing value grouped as None.
    """
    if column not in BREAKDOWN_COLUMNS:
        raise FilterError(f"NPS cannot be broken down by {column!r}; use one of "
                          + ", ".join(BREAKDOWN_COLUMNS))
    where, params = where_sql(filters, "nps_response")
    quoted = quote_identifier(column)
    sql = NPS_BY_GROUP_SQL.format(group=quoted, alias=quoted, where=where, order=f"n DESC, {quoted} NULLS LAST",
                                  counted=tallied("nps_response", NPS_MEASURES, filters))
    frame = _with_scores(fetch_df(con, sql, params, what=f"NPS by {column}"))
    frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    return frame[[column, "score", "n", "promoters", "passives", "detractors", "se", "moe95", "ci_low", "ci_high"]]


def compare_nps(current: NpsResult, previous: NpsResult) -> NpsChange:
    """Δ = NPS₁ − NPS₂, tested on the adjusted-Wald estimates: z = (Ñ₁ − Ñ₂)/sqrt(SE₁² + SE₂²), p < 0.05.

    The same standard errors as the intervals shown (Rocks 2016), so a change is never called
    significant while both intervals say the data cannot tell. No change is reported if either n = 0.
    """
    if current.score is None or previous.score is None:
        return NpsChange(current, previous, None, None, False)
    test = nps_difference_test(current.promoters, current.detractors, current.n,
                               previous.promoters, previous.detractors, previous.n)
    se_diff = math.sqrt(current.se ** 2 + previous.se ** 2)
    return NpsChange(current, previous, current.score - previous.score, se_diff, test.significant, test.p_value)


def nps_change(con, current: Filters, previous: Filters) -> NpsChange:
    """NPS of two periods (or any two selections) and whether their difference is real."""
    return compare_nps(nps_score(con, current), nps_score(con, previous))


def detractor_verbatims(con, filters: Filters = Filters(), limit: int = 50) -> pd.DataFrame:
    """Comments of detractors (0–6), newest first.

    Columns: responded_at, customer_id, branch, touchpoint, score, comment, sentiment.
    """
    where, params = where_sql(filters, "nps_response")
    params = {**params, "limit": int(limit)}
    return fetch_df(con, DETRACTOR_VERBATIMS_SQL.format(where=where), params,
                    what="detractor comments")


NPS_CHANGE_BY_GROUP_SQL = f"""
SELECT {{group}} AS {{alias}},
       coalesce(sum(promoters) FILTER (WHERE {{now}}), 0)::BIGINT AS promoters,
       coalesce(sum(passives) FILTER (WHERE {{now}}), 0)::BIGINT AS passives,
       coalesce(sum(detractors) FILTER (WHERE {{now}}), 0)::BIGINT AS detractors,
       coalesce(sum(promoters) FILTER (WHERE {{before}}), 0)::BIGINT AS promoters_before,
       coalesce(sum(passives) FILTER (WHERE {{before}}), 0)::BIGINT AS passives_before,
       coalesce(sum(detractors) FILTER (WHERE {{before}}), 0)::BIGINT AS detractors_before
FROM {{counted}}
WHERE ({{now}}) OR ({{before}})
GROUP BY 1
HAVING sum({_VALID}) > 0
"""

CHANGE_BY_COLUMNS = ["score", "n", "moe95", "promoters", "passives", "detractors", "score_before", "n_before",
                     "moe95_before", "delta", "significant", "ci_low", "ci_high", "p_value"]


def nps_change_by(con, current: Filters, previous: Filters, column: str = "branch") -> pd.DataFrame:
    """NPS per value of one column in two periods, and whether each group's change is real.

    One pass over nps_response for both periods. Columns: <column>, then CHANGE_BY_COLUMNS:
    score, n, moe95, promoters, passives, detractors (current period), score_before, n_before,
    moe95_before, delta (NaN unless both periods have responses), significant (p < 0.05 by the
    adjusted-Wald difference test, as compare_nps, before any family correction), ci_low, ci_high
    (adjusted Wald, current period) and p_value. Largest current n first, then by name.
    """
    if column not in BREAKDOWN_COLUMNS:
        raise FilterError(f"NPS cannot be broken down by {column!r}; use one of "
                          + ", ".join(BREAKDOWN_COLUMNS))
    now_sql, now_params = where_sql(current, "nps_response", prefix="now")
    before_sql, before_params = where_sql(previous, "nps_response", prefix="before")
    quoted = quote_identifier(column)
    sql = NPS_CHANGE_BY_GROUP_SQL.format(group=quoted, alias=quoted, now=now_sql, before=before_sql,
                                         counted=tallied("nps_response", NPS_MEASURES, current, previous))
    frame = fetch_df(con, sql, {**now_params, **before_params}, what=f"the NPS change by {column}")
    rows = []
    for record in frame.itertuples(index=False, name=None):
        group, counts_now, counts_before = record[0], record[1:4], record[4:7]
        change = compare_nps(NpsResult.from_counts(*map(count, counts_now)),
                             NpsResult.from_counts(*map(count, counts_before)))
        now, before = change.current, change.previous
        rows.append([None if pd.isna(group) else group, now.score, now.n, now.moe95, now.promoters,
                     now.passives, now.detractors, before.score, before.n, before.moe95,
                     change.delta, change.significant, now.ci_low, now.ci_high, change.p_value])
    table = pd.DataFrame(rows, columns=[column, *CHANGE_BY_COLUMNS])
    table[column] = pd.Series([r[0] for r in rows], dtype=object)
    for name in ("score", "moe95", "score_before", "moe95_before", "delta", "ci_low", "ci_high", "p_value"):
        table[name] = table[name].astype(float)
    table = table.astype({"n": "int64", "n_before": "int64", "promoters": "int64", "passives": "int64",
                          "detractors": "int64", "significant": bool})
    order = sorted(range(len(table)), key=lambda i: (-table["n"].iat[i], table[column].iat[i] is None,
                                                      str(table[column].iat[i])))
    return table.iloc[order].reset_index(drop=True)


__all__ = ["NpsResult", "NpsChange", "nps_score", "nps_scores", "nps_trend", "nps_by", "compare_nps",
           "nps_change", "nps_change_by", "detractor_verbatims"]
