"""Sentiment of customers' words: scoring at import, and its aggregates for the views.

Polarity is in [-1, 1]. English is scored by TextBlob's pattern analyser, Chinese by SnowNLP
as 2p - 1 (DESIGN.md, "Sentiment"); the language is decided by the share of CJK characters.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from analytics.filters import FilterError, Filters, per_selection, tallied, where_sql
from analytics.memo import offer, shared
from analytics.stats import (
    ALPHA, ProportionTest, WelchTest, benjamini_hochberg, bounded_mean_interval, two_proportion_z_test, welch_t_test,
    wilson_interval
)
from store.query import count, fetch_all, fetch_df, fetch_record, number
from store.sums import SENTIMENT_MEASURES, TALLIES, month_key_sql, month_label
from store.sentiment_model import latest_version
from store.themes import WORDS_NAME_SQL
from text.labels import NEGATIVE_BELOW, POSITIVE_ABOVE

# -- aggregates for the views -------------------------------------------------------------------
# Sentiment is scored once at import and stored; these only aggregate it, in DuckDB.

SOURCES = {
    # source: (table, text column, date column)
    "survey": ("survey_response", "comment", "responded_at"),
    "nps": ("nps_response", "comment", "responded_at"),
    "complaint": ("complaint", "description", "received_at"),
}
ALL_SOURCES = "all"
# The sources that hold a scored text at all, from their tallies' counts, in SOURCES' order.
SOURCES_WITH_TEXTS_SQL = " UNION ALL ".join(
    f"SELECT '{name}' AS source, {position} AS position"
    f" WHERE EXISTS (SELECT 1 FROM {TALLIES[table]} WHERE texts > 0)"
    for position, (name, (table, _, _)) in enumerate(SOURCES.items())) + " ORDER BY position"

SOURCE_ROWS_SQL = """
SELECT '{source}' AS source, {text} AS text, {date} AS happened_at, branch, customer_id, sentiment, batch_id
FROM {table}
WHERE sentiment IS NOT NULL AND {where}
"""

TALLY_ROWS_SQL = """
SELECT '{source}' AS source, {date} AS happened_at, branch, texts, sentiment_sum, sentiment_squares, negative, positive
FROM {tallied}
WHERE texts > 0 AND {where}
"""

SELECTED_TALLY_ROWS_SQL = """
SELECT selection, texts, sentiment_sum, sentiment_squares, negative, positive
FROM {selected}
WHERE texts > 0
"""

# n, mean, sd (stddev_samp's, from the sums: polarity lies in [-1, 1], so Σx² − (Σx)²/n loses no
# digit that matters), negative, positive
SENTIMENT_COLUMNS = """sum(texts)::BIGINT AS n,
       sum(sentiment_sum) / sum(texts) AS mean,
       CASE WHEN sum(texts) > 1 THEN sqrt(greatest(sum(sentiment_squares)
            - sum(sentiment_sum) * sum(sentiment_sum) / sum(texts), 0) / (sum(texts) - 1)) END AS sd,
       sum(negative)::BIGINT AS negative,
       sum(positive)::BIGINT AS positive"""

SENTIMENT_BY_SQL = f"""
WITH v AS ({{rows}})
SELECT {{group}} AS grp,
       {SENTIMENT_COLUMNS}
FROM v
GROUP BY 1
ORDER BY 1
"""

# The whole selection in one row.
SENTIMENT_SQL = f"""
WITH v AS ({{rows}})
SELECT {SENTIMENT_COLUMNS}
FROM v
"""

# The same text at the same time and polarity from two customers (templated survey comments) is
# told apart by where it came from, so the same selection always shows the same verbatims.
_TIES = "source, branch NULLS LAST, customer_id NULLS LAST"

VERBATIMS_SQL = f"""
WITH v AS ({{rows}})
SELECT text, source, happened_at AS "date", branch, customer_id, sentiment
FROM v
WHERE text IS NOT NULL AND trim(text) <> '' AND {{side}}
ORDER BY sentiment {{direction}}, happened_at DESC, text, {_TIES}
LIMIT $limit
"""

# The same rows, blank texts dropped only from the first `limit`: trimming every text of the period
# is most of the query's work, and the sentiment page's all-time p95 floor (bench/, 250 ms at a
# million responses) needs it gone. The loaders score no blank text (it has no sentiment), so when
# `limit` rows come back none of the first `limit` was blank, and they are VERBATIMS_SQL's answer.
VERBATIMS_FIRST_SQL = """
WITH v AS ({rows}),
first AS (SELECT * FROM v WHERE {side} ORDER BY sentiment {direction}, happened_at DESC, text, {ties} LIMIT $limit)
SELECT text, source, happened_at AS "date", branch, customer_id, sentiment
FROM first
WHERE text IS NOT NULL AND trim(text) <> ''
ORDER BY sentiment {direction}, happened_at DESC, text, {ties}
"""

# Both sides' first `limit` in one query: the review shows the most negative and the most positive
# text, and on a lake every query pays its catalog round trips whatever it reads.
VERBATIMS_BOTH_FIRST_SQL = """
WITH v AS ({rows}),
negative AS (SELECT * FROM v WHERE {negative} ORDER BY {negative_order} LIMIT $limit),
positive AS (SELECT * FROM v WHERE {positive} ORDER BY {positive_order} LIMIT $limit)
SELECT * FROM (
    SELECT 'negative' AS side, row_number() OVER (ORDER BY {negative_order}) AS rank,
           text, source, happened_at AS "date", branch, customer_id, sentiment
    FROM negative
    UNION ALL
    SELECT 'positive' AS side, row_number() OVER (ORDER BY {positive_order}) AS rank,
           text, source, happened_at AS "date", branch, customer_id, sentiment
    FROM positive)
WHERE text IS NOT NULL AND trim(text) <> ''
ORDER BY side, rank
"""
VERBATIM_SIDES = {  # side: (the texts that qualify, the order they are shown in)
    "negative": (f"sentiment < {NEGATIVE_BELOW}", f"sentiment ASC, happened_at DESC, text, {_TIES}"),
    "positive": (f"sentiment > {POSITIVE_ABOVE}", f"sentiment DESC, happened_at DESC, text, {_TIES}"),
}

# Late materialisation of the verbatims: a period's first `limit` texts of a side are among the rows
# whose (polarity, time) comes no later, in the side's order, than the `limit`-th row's: that order
# decides before the text and the ties do. The keys are read first from the polarity and date columns
# only (BOUNDARY_KEYS_SQL); the texts are then read only for the rows at or before each side's last key
# (BOUNDED), whatever the ties among them: a month's texts are most of what the verbatims read.
KEY_ROWS_SQL = """
SELECT {date} AS happened_at, sentiment
FROM {table}
WHERE sentiment IS NOT NULL AND {where}
"""
BOUNDARY_KEYS_SQL = "WITH k AS ({rows}) {sides}"
BOUNDARY_SIDE_SQL = """
SELECT * FROM (SELECT '{side}' AS side, sentiment, happened_at FROM k WHERE {qualifies}
               ORDER BY {order} LIMIT $limit)
"""
KEY_ORDER = {"negative": "sentiment ASC, happened_at DESC", "positive": "sentiment DESC, happened_at DESC"}
BOUNDED = {  # side: the rows at or before its last key (the sentiment alone first, for the scan)
    "negative": ("sentiment <= $negative_bound", "(sentiment < $negative_bound"
                 " OR (sentiment = $negative_bound AND {date} >= $negative_since))"),
    "positive": ("sentiment >= $positive_bound", "(sentiment > $positive_bound"
                 " OR (sentiment = $positive_bound AND {date} >= $positive_since))"),
}

SENTIMENT_GROUPS = {"month": month_key_sql("happened_at"), "branch": "branch", "source": "source"}


def _chosen(source: str) -> list[str]:
    if source == ALL_SOURCES:
        return list(SOURCES)
    if source in SOURCES:
        return [source]
    raise FilterError(f"no sentiment source {source!r}; use one of {', '.join([*SOURCES, ALL_SOURCES])}")


def _source_rows(filters: Filters, source: str, prefix: str = "f", *, keys_only: bool = False,
                 within: str = "TRUE") -> tuple[str, dict]:
    """The selected texts themselves, for the verbatims and the themes; `keys_only`: their dates
    and polarities alone; `within`: a further condition on each table's rows ({date}: its date
    column)."""
    parts, params = [], {}
    for name in _chosen(source):
        table, text, date_column = SOURCES[name]
        where, part_params = where_sql(filters, table, prefix=prefix)
        where = f"{where} AND {within.format(date=date_column)}"
        template = KEY_ROWS_SQL if keys_only else SOURCE_ROWS_SQL
        parts.append(template.format(source=name, text=text, date=date_column, table=table, where=where))
        params.update(part_params)
    return " UNION ALL ".join(parts), params


def _verbatim_rows(con, filters: Filters, source: str, sides, limit: int) -> tuple[str, dict]:
    """The selected texts that can be among the first `limit` of `sides` (see BOUNDED), as
    _source_rows gives them."""
    keys, params = _source_rows(filters, source, keys_only=True)
    asked = " UNION ALL ".join(BOUNDARY_SIDE_SQL.format(side=side, qualifies=VERBATIM_SIDES[side][0],
                                                        order=KEY_ORDER[side]) for side in sides)
    found = fetch_all(con, BOUNDARY_KEYS_SQL.format(rows=keys, sides=asked), {**params, "limit": int(limit)},
                      what="verbatims")
    keys_of: dict[str, list] = {}
    for side, sentiment, happened_at in found:
        keys_of.setdefault(side, []).append((sentiment, happened_at))
    reach, bounds = [], {}
    for side, side_keys in keys_of.items():
        # the last of the side's order (polarity from its end, then the newest first), whatever order
        # the union gave the rows in
        bound = (max if side == "negative" else min)(sentiment for sentiment, _ in side_keys)
        since = min(happened_at for sentiment, happened_at in side_keys if sentiment == bound)
        reach.append(BOUNDED[side])
        bounds.update({f"{side}_bound": bound, f"{side}_since": since})
    if not reach:
        return _source_rows(filters, source, within="FALSE")
    within = "(" + " OR ".join(first for first, _ in reach) + ") AND (" + " OR ".join(exact for _, exact in reach) + ")"
    rows, params = _source_rows(filters, source, within=within)
    return rows, {**params, **bounds}


def _tally_rows(filters: Filters, source: str, prefix: str = "f") -> tuple[str, dict]:
    """The selected texts' measures (SENTIMENT_MEASURES), from the tallies for whole months;
    `prefix` names the parameters (where_sql)."""
    parts, params = [], {}
    for name in _chosen(source):
        table, _, date_column = SOURCES[name]
        where, part_params = where_sql(filters, table, prefix=prefix)
        parts.append(TALLY_ROWS_SQL.format(source=name, date=date_column, where=where,
                                           tallied=tallied(table, SENTIMENT_MEASURES, filters)))
        params.update(part_params)
    return " UNION ALL ".join(parts), params


@dataclass(frozen=True)
class SentimentResult:
    """Mean polarity and the shares of negative (< −0.05) and positive (> 0.05) texts, with n.

    mean's 95% interval by Student's t, bounded to [−1, 1]; the shares' by Wilson's score interval.
    None when n = 0.
    """

    n: int
    mean: float | None
    sd: float | None
    ci_low: float | None
    ci_high: float | None
    negative_n: int
    negative_share: float | None
    negative_ci_low: float | None
    negative_ci_high: float | None
    positive_n: int
    positive_share: float | None
    positive_ci_low: float | None
    positive_ci_high: float | None

    @classmethod
    def from_summary(cls, n, mean, sd, negative, positive) -> "SentimentResult":
        n, negative, positive = count(n), count(negative), count(positive)
        if n == 0:
            return cls(0, None, None, None, None, 0, None, None, None, 0, None, None, None)
        mean, sd = number(mean), number(sd)
        interval = bounded_mean_interval(mean, sd, n, -1.0, 1.0)
        neg, pos = wilson_interval(negative, n), wilson_interval(positive, n)
        return cls(n, mean, sd, interval.low, interval.high, negative, negative / n, neg.low, neg.high,
                   positive, positive / n, pos.low, pos.high)


@dataclass(frozen=True)
class SentimentChange:
    """Now vs before: Welch's t-test on the mean, a two-proportion z-test on the negative share."""

    current: SentimentResult
    previous: SentimentResult
    mean_test: WelchTest
    negative_test: ProportionTest


def _sentiment_frame(con, filters: Filters, source: str, group: str):
    rows, params = _tally_rows(filters, source)
    sql = SENTIMENT_BY_SQL.format(rows=rows, group=SENTIMENT_GROUPS[group])
    return fetch_df(con, sql, params, what="sentiment")


def sources_with_texts(con) -> tuple[str, ...]:
    """The sources (SOURCES) whose rows hold a scored text, in SOURCES' order: a page opens on the
    first of them, not on one without a text (a store of a complaint system's export alone)."""
    return tuple(row[0] for row in fetch_all(con, SOURCES_WITH_TEXTS_SQL, what="the sources with texts"))


@shared
def sentiment_summary(con, filters: Filters | None = None, source: str = ALL_SOURCES) -> SentimentResult:
    """Sentiment of survey comments, NPS comments, complaint descriptions, or all three together."""
    rows, params = _tally_rows(filters or Filters(), source)
    row = fetch_record(con, SENTIMENT_SQL.format(rows=rows), params, what="sentiment")
    return SentimentResult.from_summary(row["n"], row["mean"], row["sd"], row["negative"], row["positive"])


BY_COLUMNS = ["n", "mean", "ci_low", "ci_high", "negative_share", "negative_ci_low", "negative_ci_high",
              "positive_share", "positive_ci_low", "positive_ci_high"]


def sentiment_by(con, filters: Filters | None = None, by: str = "month", source: str = ALL_SOURCES) -> pd.DataFrame:
    """Sentiment per month ('YYYY-MM'), branch or source.

    Columns: <by>, n, mean, ci_low, ci_high, negative_share, negative_ci_low, negative_ci_high,
    positive_share, positive_ci_low, positive_ci_high; groups in order, only those with texts.
    """
    if by not in SENTIMENT_GROUPS:
        raise FilterError(f"sentiment cannot be broken down by {by!r}; use one of {', '.join(SENTIMENT_GROUPS)}")
    return _by_table(_sentiment_frame(con, filters or Filters(), source, by), by)


def _by_table(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    """sentiment_by's table from a frame of (grp, n, mean, sd, negative, positive), groups in order."""
    rows = []
    for record in frame.itertuples(index=False):
        result = SentimentResult.from_summary(record.n, record.mean, record.sd, record.negative, record.positive)
        group = None if pd.isna(record.grp) else record.grp
        if by == "month" and group is not None:
            group = month_label(group)
        rows.append([group] + [getattr(result, c) for c in BY_COLUMNS])
    table = pd.DataFrame(rows, columns=[by, *BY_COLUMNS])
    table[by] = pd.Series([r[0] for r in rows], dtype=object)  # a missing branch stays None, not NaN
    return table.astype({"n": "int64"}) if len(table) else table


def sentiment_verbatims(con, filters: Filters | None = None, source: str = ALL_SOURCES, which: str = "negative",
                        limit: int = 10) -> pd.DataFrame:
    """The most negative (or most positive) texts of the period: text, source, date, branch,
    customer_id, sentiment. Only texts labelled negative (or positive) qualify; ties go to the newest.
    """
    if which not in VERBATIM_SIDES:
        raise FilterError(f"verbatims are 'negative' or 'positive', not {which!r}")
    side = VERBATIM_SIDES[which][0]
    direction = "ASC" if which == "negative" else "DESC"
    rows, params = _verbatim_rows(con, filters or Filters(), source, (which,), limit)
    found = fetch_df(con, VERBATIMS_FIRST_SQL.format(rows=rows, side=side, direction=direction, ties=_TIES),
                     {**params, "limit": int(limit)}, what="verbatims")
    if len(found) == int(limit):
        return found
    # fewer came back (a blank text among the first, or fewer texts than `limit`): every text of the
    # side is read, as the definition says
    rows, params = _source_rows(filters or Filters(), source)
    return fetch_df(con, VERBATIMS_SQL.format(rows=rows, side=side, direction=direction),
                    {**params, "limit": int(limit)}, what="verbatims")


def verbatims_of_both_sides(con, filters: Filters | None = None, source: str = ALL_SOURCES,
                            limit: int = 10) -> dict[str, pd.DataFrame]:
    """{"negative": ..., "positive": ...}, each what sentiment_verbatims gives for that side, from
    one reading of both sides' keys and one of their few texts (_verbatim_rows; a side with a blank
    text among its first `limit` is asked again on its own)."""
    rows, params = _verbatim_rows(con, filters or Filters(), source, VERBATIM_SIDES, limit)
    (negative, negative_order), (positive, positive_order) = VERBATIM_SIDES["negative"], VERBATIM_SIDES["positive"]
    found = fetch_df(con, VERBATIMS_BOTH_FIRST_SQL.format(rows=rows, negative=negative, negative_order=negative_order,
                                                          positive=positive, positive_order=positive_order),
                     {**params, "limit": int(limit)}, what="verbatims")
    sides = {}
    for which in VERBATIM_SIDES:
        part = found[found["side"] == which].drop(columns=["side", "rank"]).reset_index(drop=True)
        sides[which] = part if len(part) == int(limit) else sentiment_verbatims(con, filters, source, which, limit)
    return sides


def sentiment_change(con, current: Filters, previous: Filters, source: str = ALL_SOURCES) -> SentimentChange:
    """Change of mean polarity (Welch) and of the negative share (two-proportion z) between periods."""
    return sentiment_changed(sentiment_summary(con, current, source), sentiment_summary(con, previous, source))


def sentiment_changed(now: SentimentResult, before: SentimentResult) -> SentimentChange:
    """sentiment_change of two summaries already at hand."""
    return SentimentChange(
        now, before,
        welch_t_test(now.mean, now.sd, now.n, before.mean, before.sd, before.n),
        two_proportion_z_test(now.negative_n, now.n, before.negative_n, before.n))


def sentiment_summaries(con, selections, source: str = ALL_SOURCES) -> list[SentimentResult]:
    """sentiment_summary of each selection (a review's periods), from one scan of each source;
    inside shared_results() each is sentiment_summary's answer from then on."""
    selections = list(selections)
    parts, params = [], {}
    for name in _chosen(source):
        table, _, _ = SOURCES[name]
        selected, part_params = per_selection(tallied(table, SENTIMENT_MEASURES, *selections), table, selections)
        parts.append(SELECTED_TALLY_ROWS_SQL.format(selected=selected))
        params.update(part_params)
    frame = fetch_df(con, SENTIMENT_BY_SQL.format(rows=" UNION ALL ".join(parts), group="selection"), params,
                     what="sentiment")
    found = {int(r.grp): SentimentResult.from_summary(r.n, r.mean, r.sd, r.negative, r.positive)
             for r in frame.itertuples(index=False)}
    empty = SentimentResult.from_summary(0, None, None, 0, 0)
    results = [found.get(index, empty) for index in range(len(selections))]
    for chosen, result in zip(selections, results):
        offer(sentiment_summary, result, chosen, source)
    return results


# A sentiment view's figure in a query of several (sentiment_views): SENTIMENT_SQL's or
# SENTIMENT_BY_SQL's answer for its own rows, named; a total has its row even without texts.
VIEW_FIGURE_SQL = f"""
(SELECT '{{figure}}' AS figure, {{month}}::BIGINT AS month, {{label}}::VARCHAR AS label, {SENTIMENT_COLUMNS}
 FROM ({{rows}}) {{group}})
"""


@dataclass(frozen=True)
class SentimentViews:
    """What the sentiment view shows at its top: the change now against before, the trend by month,
    the current period by branch (the chosen source) and by source (all three)."""
    change: SentimentChange
    trend: pd.DataFrame
    by_branch: pd.DataFrame
    by_source: pd.DataFrame


def sentiment_views(con, current: Filters, previous: Filters | None, window: Filters,
                    source: str = ALL_SOURCES) -> SentimentViews:
    """sentiment_change(current, previous, source), sentiment_by(window, "month", source),
    sentiment_by(current, "branch", source) and sentiment_by(current, "source") from one query, each
    figure its own part of it, read as that call reads it: on a lake every query pays its catalog
    round trips whatever it reads (issue 24's page floor). A previous period of None is the whole
    store, as sentiment_summary reads None."""
    asked = [  # figure, selection, source, month, label, GROUP BY
        ("current", current, source, "NULL", "NULL", ""),
        ("previous", previous or Filters(), source, "NULL", "NULL", ""),
        ("month", window, source, SENTIMENT_GROUPS["month"], "NULL", "GROUP BY 2"),
        ("branch", current, source, "NULL", "branch", "GROUP BY 3"),
        ("source", current, ALL_SOURCES, "NULL", "source", "GROUP BY 3")]
    parts, params = [], {}
    for index, (figure, selection, of, month, label, group) in enumerate(asked):
        rows, part_params = _tally_rows(selection, of, prefix=f"v{index}")
        parts.append(VIEW_FIGURE_SQL.format(figure=figure, month=month, label=label, rows=rows, group=group))
        params.update(part_params)
    frame = fetch_df(con, " UNION ALL ".join(parts) + " ORDER BY figure, month, label", params, what="sentiment")
    figures = {figure: part.drop(columns="figure").reset_index(drop=True) for figure, part in frame.groupby("figure")}

    def summary(figure: str) -> SentimentResult:
        row = figures[figure].iloc[0]  # a period without texts: NULL sums, NaN in the frame
        return SentimentResult.from_summary(*(None if pd.isna(row[c]) else row[c]
                                              for c in ("n", "mean", "sd", "negative", "positive")))

    def by(figure: str, key: str) -> pd.DataFrame:
        part = figures.get(figure, pd.DataFrame(columns=["n", "mean", "sd", "negative", "positive"]))
        return _by_table(part.rename(columns={key: "grp"}), figure)

    now, before = summary("current"), summary("previous")
    offer(sentiment_summary, now, current, source)
    offer(sentiment_summary, before, previous, source)
    return SentimentViews(sentiment_changed(now, before), by("month", "month"), by("branch", "label"),
                          by("source", "label"))


@dataclass(frozen=True)
class ModelAgreement:
    """The learned sentiment model in use: how many labelled comments taught it and how often its
    cross-validated polarity agrees with the customer's own score (version None: none yet, the rule
    baseline scores every text)."""
    version: int | None
    trained_at: object
    labels: int
    agreeing: int
    n: int

    @property
    def share(self) -> float | None:
        return self.agreeing / self.n if self.n else None


def model_agreement(con) -> ModelAgreement:
    current = latest_version(con)
    if current is None:
        return ModelAgreement(None, None, 0, 0, 0)
    return ModelAgreement(current.version, current.trained_at, current.labels, current.agreeing, current.agreement_n)


# -- themes --------------------------------------------------------------------------------------
# A text's theme is looked up by the text itself (store/themes.py); texts imported after the themes
# were last found were placed in them by their import (loaders/learning.py place_new_texts).

_THEME_STATS = f"""
SELECT th.theme_id, {WORDS_NAME_SQL.format(theme="th")} AS words, CASE WHEN th.label_edited THEN th.label END AS edited,
       count(*)::BIGINT AS n, avg(v.sentiment) AS mean, stddev_samp(v.sentiment) AS sd,
       count(*) FILTER (WHERE v.sentiment < {NEGATIVE_BELOW})::BIGINT AS negative,
       count(*) FILTER (WHERE v.sentiment > {POSITIVE_ABOVE})::BIGINT AS positive
FROM {{themed}} v JOIN theme th ON th.theme_id = v.theme_id
GROUP BY ALL
"""
# A text meets its theme (text_theme or theme_month, alias t) by its 64-bit hash, as the loaders' row
# fingerprints identify rows: the join's hash table then holds integers, not the texts, and takes about
# half the time at ten million responses (bench/RESULTS.md, "The theme joins by hash"). Two different
# texts would need the same hash: for a month of a million distinct texts on each side the odds are
# about 1 in 20 million, and such a pair would count one text under the other's theme.
SAME_TEXT = "hash(t.text) = hash({text})"
# The texts' themes by the texts themselves: every themed text of the store is read.
_BY_TEXT = f"(SELECT v.sentiment, t.theme_id FROM v JOIN text_theme t ON {SAME_TEXT.format(text='v.text')})"
# By each row's month and text (store schema.sql theme_month), right for the rows of the batches
# theme_batch lists: a month's themes read that month's themed texts (issue 24's floor).
_BY_MONTH = ("(SELECT v.sentiment, t.theme_id FROM v JOIN theme_month t ON " + SAME_TEXT.format(text="v.text")
             + " AND {months})")
_UNLISTED = "(SELECT count(*) FROM v WHERE batch_id NOT IN (SELECT batch_id FROM theme_batch))"

THEMES_SQL = f"""
WITH v AS ({{rows}})
{_THEME_STATS.format(themed=_BY_TEXT)}
ORDER BY n DESC, words
"""
# THEMES_SQL's rows by month, each with the count of the selection's texts of unlisted batches (one
# row of NULLs besides it when no text has a theme): when that count is not 0, THEMES_SQL answers.
THEMES_BY_MONTH_SQL = f"""
WITH v AS MATERIALIZED ({{rows}})
SELECT u.unlisted, s.* FROM (SELECT {_UNLISTED} AS unlisted) u
LEFT JOIN ({_THEME_STATS.format(themed=_BY_MONTH)}) s ON TRUE
ORDER BY n DESC, words
"""

# Both periods' texts joined to text_theme in one pass (period 0 now, 1 before), each theme's count of
# each; a theme neither period has counts 0 and 0. One subquery per theme and period joined the
# texts to text_theme twice (issue 24's floor: a month's half million texts, a million and a half
# themed texts at ten million responses).
_THEME_COUNTS = f"""
WITH v AS {{materialized}} (SELECT 0 AS period, text, happened_at, batch_id FROM ({{now}})
                          UNION ALL SELECT 1, text, happened_at, batch_id FROM ({{before}})),
counted AS (
    SELECT t.theme_id, count(*) FILTER (WHERE v.period = 0) AS count_now,
           count(*) FILTER (WHERE v.period = 1) AS count_before
    FROM v JOIN {{themes}} t ON {{on}}
    GROUP BY t.theme_id)
SELECT {{unlisted}} AS unlisted, {WORDS_NAME_SQL.format(theme="th")} AS words,
       CASE WHEN th.label_edited THEN th.label END AS edited,
       coalesce(c.count_now, 0) AS count_now, coalesce(c.count_before, 0) AS count_before
FROM theme th LEFT JOIN counted c ON c.theme_id = th.theme_id
"""
THEME_COUNTS_SQL = _THEME_COUNTS.format(materialized="", themes="text_theme", on=SAME_TEXT.format(text="v.text"),
                                        unlisted="0", now="{now}", before="{before}")
# The same by month (THEMES_BY_MONTH_SQL): right when every row's `unlisted` is 0.
THEME_COUNTS_BY_MONTH_SQL = _THEME_COUNTS.format(
    materialized="MATERIALIZED", themes="theme_month", unlisted=_UNLISTED, now="{now}", before="{before}",
    on=SAME_TEXT.format(text="v.text") + " AND {months}")
# THEMES_BY_MONTH_SQL's figures for now (period 0) and THEME_COUNTS_BY_MONTH_SQL's counts of both
# periods from one join of both periods' texts to theme_month (themes_and_rising); n is count_now.
THEMES_AND_COUNTS_BY_MONTH_SQL = f"""
WITH v AS MATERIALIZED (SELECT 0 AS period, text, happened_at, batch_id, sentiment FROM ({{now}})
                        UNION ALL SELECT 1, text, happened_at, batch_id, sentiment FROM ({{before}})),
counted AS (
    SELECT t.theme_id, count(*) FILTER (WHERE v.period = 0)::BIGINT AS n,
           avg(v.sentiment) FILTER (WHERE v.period = 0) AS mean,
           stddev_samp(v.sentiment) FILTER (WHERE v.period = 0) AS sd,
           count(*) FILTER (WHERE v.period = 0 AND v.sentiment < {NEGATIVE_BELOW})::BIGINT AS negative,
           count(*) FILTER (WHERE v.period = 0 AND v.sentiment > {POSITIVE_ABOVE})::BIGINT AS positive,
           count(*) FILTER (WHERE v.period = 1)::BIGINT AS count_before
    FROM v JOIN theme_month t ON {SAME_TEXT.format(text="v.text")} AND {{months}}
    GROUP BY t.theme_id)
SELECT {_UNLISTED} AS unlisted, th.theme_id, {WORDS_NAME_SQL.format(theme="th")} AS words,
       CASE WHEN th.label_edited THEN th.label END AS edited, coalesce(c.n, 0) AS n, c.mean, c.sd,
       coalesce(c.negative, 0) AS negative, coalesce(c.positive, 0) AS positive,
       coalesce(c.count_before, 0) AS count_before
FROM theme th LEFT JOIN counted c ON c.theme_id = th.theme_id
ORDER BY n DESC, words
"""


def theme_months(*selections: Filters, happened: str = "v.happened_at") -> tuple[str, dict]:
    """What a join of the selections' rows to theme_month (alias t) asks of its month, beside the
    text: the row's month (`happened`, its date), within the months the selections' dates can fall
    in; and its parameters. theme_month is written in month order, so DuckDB then reads only those
    months' blocks: its join on the month and the text bounded neither side's scan, and a month's
    page read and hashed every month's themed texts (at ten million responses, nine tenths of the
    sentiment page's time). When every selection lies within one calendar month, that month alone:
    theme_month holds a month's text once, so the rows join on their text alone, one key instead of
    two (the review's commonest theme at ten million responses: bench/RESULTS.md)."""
    starts = [f.date_from for f in selections]
    ends = [f.date_to for f in selections]
    bounded_from = bool(starts) and all(day is not None for day in starts)
    bounded_to = bool(ends) and all(day is not None for day in ends)
    if bounded_from and bounded_to and _month_of(min(starts)) == _month_of(max(ends)):
        return "t.month = $theme_month", {"theme_month": _month_of(min(starts))}
    clauses, params = [f"t.month = date_trunc('month', {happened})"], {}
    if bounded_from:
        clauses.append("t.month >= $theme_month_from")
        params["theme_month_from"] = _month_of(min(starts))
    if bounded_to:
        clauses.append("t.month <= $theme_month_to")
        params["theme_month_to"] = _month_of(max(ends))
    return " AND ".join(clauses), params


def _month_of(day) -> datetime:
    return datetime(day.year, day.month, 1)


def themes_by_sentiment(con, filters: Filters | None = None, source: str = ALL_SOURCES) -> pd.DataFrame:
    """Each theme's volume and sentiment in the selection.

    Columns: theme, theme_label, theme_id, n, mean, ci_low, ci_high, negative_share, negative_ci_low,
    negative_ci_high, positive_share, positive_ci_low, positive_ci_high; most texts first. `theme` is
    the theme's words (one language), `theme_label` the label someone gave it with `loaders themes
    --rename` or None: which a reader sees is presentation.labels.theme_name's choice.
    """
    return themes_and_how(con, filters, source)[0]


def themes_and_how(con, filters: Filters | None = None, source: str = ALL_SOURCES) -> tuple[pd.DataFrame, bool]:
    """themes_by_sentiment's frame, and whether it was read by month (every text of the selection is
    of a batch theme_batch lists: a theme's texts of the selection are then theme_month's)."""
    filters = filters or Filters()
    rows, params = _source_rows(filters, source)
    months, month_params = theme_months(filters)
    frame = fetch_df(con, THEMES_BY_MONTH_SQL.format(rows=rows, months=months), {**params, **month_params},
                     what="themes")
    by_month = not len(frame) or int(frame["unlisted"].iloc[0]) == 0
    if by_month:
        frame = frame.dropna(subset=["theme_id"])
    else:
        frame = fetch_df(con, THEMES_SQL.format(rows=rows), params, what="themes")
    return _themes_table(frame.itertuples(index=False)), by_month


def _themes_table(records) -> pd.DataFrame:
    """themes_by_sentiment's frame from records of (theme_id, words, edited, n, mean, sd, negative,
    positive), most texts first."""
    columns = ["theme", "theme_label", "theme_id", *BY_COLUMNS]
    table = []
    for r in records:
        result = SentimentResult.from_summary(r.n, r.mean, r.sd, r.negative, r.positive)
        table.append([r.words, r.edited, int(r.theme_id)] + [getattr(result, c) for c in BY_COLUMNS])
    return pd.DataFrame(table, columns=columns).astype({"n": "int64"}) if table else pd.DataFrame({c: [] for c in columns})


def rising_themes(con, current: Filters, previous: Filters | None, source: str = ALL_SOURCES) -> pd.DataFrame:
    """Each theme's texts now and in the previous period and its share of the themed texts, with a
    two-proportion z-test; the themes tested are one family (the project's rule: many comparisons
    controlled as a family), their p-values adjusted by Benjamini–Hochberg (stats.benjamini_hochberg;
    a theme without a test, no text in either period, is no member). rising = q below ALPHA and a
    larger share now. Largest rise in share first.

    Columns: theme, theme_label (as themes_by_sentiment's), count_now, count_before, total_now,
    total_before (the themed texts of each period), share_now, share_before, p_value, q_value, rising.
    """
    if previous is None:
        return pd.DataFrame({c: [] for c in RISING_COLUMNS})
    now_rows, now_params = _source_rows(current, source, prefix="now")
    before_rows, before_params = _source_rows(previous, source, prefix="before")
    params = {**now_params, **before_params}
    months, month_params = theme_months(current, previous)
    rows = fetch_all(con, THEME_COUNTS_BY_MONTH_SQL.format(now=now_rows, before=before_rows, months=months),
                     {**params, **month_params}, what="rising themes")
    if any(int(r[0]) for r in rows):  # texts of batches theme_month does not hold yet
        rows = fetch_all(con, THEME_COUNTS_SQL.format(now=now_rows, before=before_rows), params, what="rising themes")
    return _rising_table([r[1:] for r in rows])


RISING_COLUMNS = ["theme", "theme_label", "count_now", "count_before", "total_now", "total_before", "share_now",
                  "share_before", "p_value", "q_value", "rising"]


def _rising_table(rows) -> pd.DataFrame:
    """rising_themes's frame from each theme's (words, edited, count now, count before)."""
    total_now, total_before = sum(int(r[2]) for r in rows), sum(int(r[3]) for r in rows)
    tests = [two_proportion_z_test(int(now), total_now, int(before), total_before) for _, _, now, before in rows]
    q_values = benjamini_hochberg([test.p_value for test in tests])
    table = []
    for (words, edited, now, before), test, q in zip(rows, tests, q_values):
        rise = (test.p1 or 0.0) - (test.p2 or 0.0)
        table.append((-rise, words, edited, int(now), int(before), total_now, total_before, test.p1, test.p2,
                      test.p_value, q, bool(q is not None and q < ALPHA and test.diff is not None and test.diff > 0)))
    table.sort(key=lambda row: row[:2])
    return pd.DataFrame([row[1:] for row in table], columns=RISING_COLUMNS)


def themes_and_rising(con, current: Filters, previous: Filters | None,
                      source: str = ALL_SOURCES) -> tuple[pd.DataFrame, pd.DataFrame]:
    """themes_by_sentiment(current) and rising_themes(current, previous), the same frames, from one
    join of both periods' texts to theme_month when every text of both is of a batch it lists (the
    sentiment page shows both; two joins of the month's texts were most of its time at ten million
    responses), else from the two functions."""
    if previous is None:
        return themes_by_sentiment(con, current, source), rising_themes(con, current, previous, source)
    now_rows, now_params = _source_rows(current, source, prefix="now")
    before_rows, before_params = _source_rows(previous, source, prefix="before")
    months, month_params = theme_months(current, previous)
    frame = fetch_df(con, THEMES_AND_COUNTS_BY_MONTH_SQL.format(now=now_rows, before=before_rows, months=months),
                     {**now_params, **before_params, **month_params}, what="themes")
    if len(frame) and int(frame["unlisted"].iloc[0]):
        return themes_by_sentiment(con, current, source), rising_themes(con, current, previous, source)
    themes = _themes_table(r for r in frame.itertuples(index=False) if r.n)
    # rising_themes lists every theme in the store's order of themes, its own sort decides
    counts = frame.sort_values("theme_id")
    return themes, _rising_table(list(zip(counts["words"], counts["edited"], counts["n"], counts["count_before"])))

