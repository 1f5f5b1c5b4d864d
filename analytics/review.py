"""The month in review: everything the review page and the report file show, in the order they show it.

`month_review(con, "2026-10", filters)` gathers the month's story from the metric modules, each
change tested as DESIGN.md asks (the headline changes are findings.Change values, marked only
when their test passes), and derives two things of its own. The story is made of independent
parts (review_parts); the review page asks for them side by side through its load_all and puts
them together with review_of, as month_review does one after another.

- **Representative verbatims**: the month's most negative and most positive text (survey comments,
  NPS comments and complaint descriptions together, by stored polarity), and the *most common theme*.
  The theme is the theme (text/themes.py) of most of the month's complaints, or in a store without
  themes the month's most frequent complaint cause (the top of its Pareto); its verbatim is that
  theme's most typical complaint: the one whose words are most shared by the theme's other
  complaints, i.e. the highest mean, over the complaint's distinct words (complaints.complaint_tokens,
  cut at import), of the share of the cause's complaints that contain the word. Ties go to the newest
  complaint.
- **Areas to act on**, each with the number behind it: first the sustained declines (trends and
  year-on-year changes for the worse, analytics.trends), then the fix-first attributes of the
  importance–performance grid (most important first), the SERVQUAL dimensions whose gap 5 falls
  short (largest shortfall first, at most MAX_GAPS), the complaint causes whose count rose
  significantly (exact conditional test) and the branches whose NPS fell significantly (adjusted
  Wald), both against the month before. Every test of the review is one Benjamini–Hochberg family
  (changes.adjust_family) and nothing below the minimum n is named.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd

from analytics.alerts import alerts_for
from analytics.targets import targets_in_force
from analytics.changes import (
    Change, Family, adjust_family, complaints_headline, csi_headline, negative_share_headline, nps_headline
)
from analytics.complaints import (
    ComplaintCounts, cause_pareto, complaint_counts_of, complaint_volume_change, rising_causes
)
from analytics.csi import CsiChange, ImportancePerformance, compare_attributes, csi_change, quadrants
from analytics.filters import Filters, add_months, covered, data_range, month_filters, trend_window, where_sql
from analytics.gaps import Gap1Result, Gap5Result, GapModel, clear_side, gap1, gap5, gap_model_of, standards_gaps
from analytics.memo import shared_results
from analytics.moments import month_sums_of
from analytics.nps import compare_nps, nps_change_by, nps_scores, nps_trend
from analytics.sentiment import (
    ALL_SOURCES, SAME_TEXT, sentiment_by, sentiment_changed, sentiment_summaries, theme_months, themes_by_sentiment,
    verbatims_of_both_sides
)
from analytics.stats import MIN_N
from analytics.trends import find_trends
from store.query import fetch_df, fetch_record, number
from store.themes import WORDS_NAME_SQL

# The story's sections in the order the page and the report tell them; each is a heading id.
SECTIONS = ("headlines", "csi", "gaps", "nps", "complaints", "sentiment", "verbatims", "actions")
HEADLINE_METRICS = ("nps", "csi", "complaints", "negative_share")
VERBATIM_KINDS = ("most_negative", "most_positive", "common_theme")
ACTION_KINDS = ("trend", "year_on_year", "fix_first", "gap", "rising_cause", "branch_nps")
MAX_GAPS = 2
MAX_PER_KIND = 3

# The theme's most typical complaint (see the module's docstring), counted in DuckDB on the words the
# import cut (complaint.description_words: each complaint's distinct words, text.tokens.complaint_tokens
# being a set): a complaint's score is the mean over its words of df(word) / N, and of the highest
# scores the newest complaint wins (then by its key, batch_id and row_no); a complaint without words
# scores 0. Each complaint of `theme` (batch_id, row_no, words, ...) is scored by its key: numbering
# the theme's complaints with a window sorted them all once more.
_TYPICALITY = """words AS (
    SELECT batch_id, row_no, unnest(words) AS word FROM theme
), shared AS (
    SELECT word, count(*) AS df FROM words GROUP BY word
), scored AS (
    SELECT batch_id, row_no, avg(df) AS mean_df FROM words JOIN shared USING (word) GROUP BY batch_id, row_no
)"""
# the first of the highest scores, the complaint's words' mean share of the theme's complaints
_TYPICAL = """SELECT text, "date", branch, customer_id, sentiment,
       coalesce(mean_df / (SELECT count(*) FROM theme), 0) AS typicality
FROM theme LEFT JOIN scored USING (batch_id, row_no)
ORDER BY typicality DESC, "date" DESC, batch_id, row_no
LIMIT 1"""
_THEME_COLUMNS = """batch_id, row_no, description AS text, description_words AS words, received_at AS "date",
           branch, customer_id, sentiment"""
THEME_TYPICAL_SQL = f"""
WITH theme AS (
    SELECT {_THEME_COLUMNS}
    FROM complaint
    WHERE {{member}} AND {{where}}
), {_TYPICALITY}
{_TYPICAL}
"""
# The month's commonest theme and its most typical complaint from one read of the selection's
# complaints and one join of them to theme_month (common_theme_of_themes), where the themes, the
# check of their batches and the typical complaint were three queries reading them again (at ten
# million responses, and on a lake, each query's round trips). One row: how many of the selection's
# complaints with a description are of a batch theme_batch does not list (not 0: their themes are
# read by text instead, and the rest of the row is not used), the themes' complaints summed (those
# scored, as themes_by_sentiment counts them), the top theme (most complaints, then by its words)
# and its typical complaint; NULLs for a selection without a themed complaint. A text has one theme
# whatever its month, so its complaint's month and text find it as its text alone does. The join
# carries the complaints' keys only, and the top theme's complaints are taken from the read by key
# for their words, branch and customer: the join need not hold them, and a lake reads the complaints
# once.
COMMON_THEME_BY_MONTH_SQL = f"""
WITH c AS MATERIALIZED (
    SELECT received_at, batch_id, row_no, description, description_words, branch, customer_id, sentiment
    FROM complaint
    WHERE description IS NOT NULL AND {{where}}
), themed AS MATERIALIZED (
    SELECT c.batch_id, c.row_no, c.sentiment, t.theme_id
    FROM c JOIN theme_month t ON {SAME_TEXT.format(text="c.description")} AND {{months}}
), counted AS (
    SELECT theme_id, count(*) FILTER (WHERE sentiment IS NOT NULL) AS n FROM themed GROUP BY theme_id
), top AS (
    SELECT th.theme_id, {WORDS_NAME_SQL.format(theme="th")} AS theme,
           CASE WHEN th.label_edited THEN th.label END AS theme_label, k.n AS theme_count
    FROM counted k JOIN theme th ON th.theme_id = k.theme_id
    WHERE k.n > 0
    ORDER BY k.n DESC, theme
    LIMIT 1
), theme AS (
    SELECT x.* FROM (SELECT {_THEME_COLUMNS} FROM c) AS x
    SEMI JOIN (SELECT batch_id, row_no FROM themed WHERE theme_id = (SELECT theme_id FROM top)) AS k
         ON x.batch_id = k.batch_id AND x.row_no = k.row_no
), {_TYPICALITY}, typical AS (
{_TYPICAL}
)
SELECT (SELECT count(*) FROM c WHERE batch_id NOT IN (SELECT batch_id FROM theme_batch)) AS unlisted,
       (SELECT sum(n) FROM counted) AS theme_n, top.*, typical.*
FROM (SELECT 1) AS one LEFT JOIN top ON TRUE LEFT JOIN typical ON TRUE
"""
# what makes a complaint one of the theme's: its theme (text_theme), or its cause in a store without themes.
# A themed text is never blank (text/themes.py places only texts with a scored language), so only the
# cause asks for a description: trimming every description of the month was half the query's work.
IN_THEME = "description IN (SELECT text FROM text_theme WHERE theme_id = $theme_id)"
IN_CAUSE = "nullif(trim(cause), '') = $theme_cause AND description IS NOT NULL AND trim(description) <> ''"


@dataclass(frozen=True)
class Headline:
    """One headline figure of the month against last month and against the same month last year."""

    metric: str
    vs_previous: Change
    vs_last_year: Change


@dataclass(frozen=True)
class Verbatim:
    """A customer's own words as they were stored (masking is the page's and the report's job).

    For the common theme, `theme` is the theme's words and `theme_label` the label someone gave
    it (analytics.sentiment.themes_by_sentiment), or `theme` is the cause (`theme_from` "cause");
    `theme_count` its complaints this month and `theme_n` the month's complaints with a theme (a
    cause), and `typicality` the mean word share.
    """

    kind: str
    text: str
    source: str
    date: datetime | None
    branch: str | None
    customer_id: str | None
    sentiment: float | None
    theme: str | None = None
    theme_count: int = 0
    theme_n: int = 0
    typicality: float | None = None
    theme_from: str = "cause"               # "theme": text/themes.py's; "cause": the complaint cause
    theme_label: str | None = None


@dataclass(frozen=True)
class Action:
    """An area to act on and the numbers behind it.

    fix_first: value = satisfaction (0–100), reference = mean satisfaction of all attributes,
    detail = importance, n = ratings. gap: value = gap 5, reference = expectation, detail =
    perception, n = expectation–perception pairs. rising_cause: value = share now, reference =
    share last month, detail = complaints of the cause now, n = complaints with a cause now.
    branch_nps: value = NPS now, reference = NPS last month, detail = Δ, n = responses now.
    trend / year_on_year: `finding` is the trends row (analytics.trends.COLUMNS, with q_value);
    value = the last month's figure, reference = the first's, detail = the change.
    """

    kind: str
    subject: str
    value: float
    reference: float | None
    detail: float | None
    n: int
    p_value: float | None = None
    weights: str | None = None
    q_value: float | None = None
    finding: dict | None = field(default=None, compare=False)


@dataclass(frozen=True)
class MonthReview:
    month: str
    current: Filters
    previous: Filters
    last_year: Filters
    headlines: tuple[Headline, ...]
    csi: CsiChange = field(repr=False)
    attributes: pd.DataFrame = field(repr=False)  # csi.compare_attributes, this month vs last
    grid: ImportancePerformance = field(repr=False)
    gaps: GapModel = field(repr=False)
    nps_trend: pd.DataFrame = field(repr=False)  # the 12 months ending with this one
    counts: ComplaintCounts = field(repr=False)
    causes: pd.DataFrame = field(repr=False)  # complaints.cause_pareto of the month
    rising: pd.DataFrame = field(repr=False)  # complaints.rising_causes, this month vs last
    sentiment_trend: pd.DataFrame = field(repr=False)  # sentiment_by month, 12 months
    verbatims: tuple[Verbatim, ...] = ()
    actions: tuple[Action, ...] = ()
    family: Family | None = field(default=None, repr=False)  # every test of the review, adjusted together
    alerts: pd.DataFrame | None = field(default=None, repr=False, compare=False)  # analytics.alerts.alerts_for
    targets: dict | None = field(default=None, repr=False, compare=False)  # analytics.targets.targets_in_force

    def headline(self, metric: str) -> Headline:
        return next(h for h in self.headlines if h.metric == metric)

    @property
    def has_data(self) -> bool:
        """Whether the month has any survey response, NPS response, complaint or scored text."""
        return any(h.vs_previous.n for h in self.headlines)


@dataclass(frozen=True)
class ReviewHeadlines:
    """The headlines, with the figures behind the CSI section: its change against last month and
    the month's complaint counts."""

    headlines: tuple[Headline, ...]
    csi: CsiChange
    counts: ComplaintCounts


def month_review(con, month: str, filters: Filters = Filters()) -> MonthReview:
    """The month's story: headlines vs last month and the same month last year, then each section.

    `filters` narrows every figure (regions, branches, ...); its dates are replaced by the month's.
    """
    with shared_results():
        return review_of(month, filters, *(function(con, *args) for function, *args in review_parts(month, filters)))


def review_parts(month: str, filters: Filters = Filters()) -> tuple[tuple, ...]:
    """The review's independent parts, each `(function, *arguments)` of a metric called with the
    store first, in the order review_of takes their results: the slowest first, so that the page's
    two threads (pages._common.load_all) take the long ones at once and end close together."""
    current, previous, last_year = _periods(month, filters)
    window = trend_window(current)
    return (
        (representative_verbatims, current), (review_headlines, current, previous, last_year),
        (find_trends, current), (gap5, current), (standards_gaps, current), (gap1, current),
        (alerts_for, current), (sentiment_by, window, "month"), (nps_change_by, current, previous, "branch"),
        (nps_trend, window), (cause_pareto, current), (rising_causes, current, previous),
        (targets_in_force, current),
    )


def review_of(month: str, filters: Filters, verbatims: tuple[Verbatim, ...], headlines: ReviewHeadlines,
              trends: pd.DataFrame, five: Gap5Result, standards: pd.DataFrame, one: Gap1Result,
              alerts: pd.DataFrame | None, sentiment_trend: pd.DataFrame, branches: pd.DataFrame,
              trend: pd.DataFrame, causes: pd.DataFrame, rising: pd.DataFrame,
              targets: dict | None = None) -> MonthReview:
    """The MonthReview from the results of review_parts(month, filters), in their order: every test
    the review chooses among adjusted as one family (changes.adjust_family)."""
    current, previous, last_year = _periods(month, filters)
    csi = headlines.csi
    raw = headlines.headlines
    family = adjust_family([c for h in raw for c in (h.vs_previous, h.vs_last_year)],
                           {"trends": trends,
                            "attributes": compare_attributes(csi.current.attributes, csi.previous.attributes),
                            "causes": rising, "branches": branches})
    adjusted = iter(family.changes)
    adjusted_headlines = tuple(Headline(h.metric, next(adjusted), next(adjusted)) for h in raw)
    grid = quadrants(csi.current.attributes, csi.current.weights)
    gaps = gap_model_of(five, one, standards)
    return MonthReview(
        month=month, current=current, previous=previous, last_year=last_year, headlines=adjusted_headlines,
        csi=csi, attributes=family.tables["attributes"], grid=grid,
        gaps=gaps, nps_trend=trend, counts=headlines.counts, causes=causes, rising=family.tables["causes"],
        sentiment_trend=sentiment_trend, verbatims=verbatims,
        actions=areas_to_act_on(grid, gaps, family.tables["causes"], family.tables["branches"],
                                family.tables["trends"]),
        family=family, alerts=alerts, targets=targets)


def _periods(month: str, filters: Filters) -> tuple[Filters, Filters, Filters]:
    """The month, the month before and the same month last year, each with `filters`' other choices."""
    return (month_filters(filters, month), month_filters(filters, _shift(month, -1)),
            month_filters(filters, _shift(month, -12)))


def _shift(month: str, months: int) -> str:
    day = add_months(month_filters(Filters(), month).date_from, months)
    return f"{day.year:04d}-{day.month:02d}"


def review_headlines(con, current: Filters, previous: Filters, last_year: Filters) -> ReviewHeadlines:
    """NPS, CSI, complaints and the negative share, each against last month and last year."""
    periods = (current, previous, last_year)
    with shared_results():  # the month's own figures serve both comparisons
        # each metric's three periods from one query: on a lake every query pays catalog round trips
        nps_now, *nps_before = nps_scores(con, periods)
        nps = [nps_headline(compare_nps(nps_now, other)) for other in nps_before]
        month_sums_of(con, periods)         # the CSI's sums of the three months, read together
        csi_vs_previous = csi_change(con, current, previous)
        csi = [csi_headline(csi_vs_previous), csi_headline(csi_change(con, current, last_year))]
        counts = dict(zip(("now", "previous", "last_year"), complaint_counts_of(con, periods, customers=False)))
        data_from = data_range(con)[0]
        complaints = [complaints_headline(complaint_volume_change(counts["now"].n, counts[name].n, current, other),
                                          compared=covered(other, data_from))
                      for name, other in (("previous", previous), ("last_year", last_year))]
        sentiment_now, *sentiment_before = sentiment_summaries(con, periods)
        negative = [negative_share_headline(sentiment_changed(sentiment_now, other)) for other in sentiment_before]
    headlines = tuple(Headline(metric, *pair) for metric, pair in
                      zip(HEADLINE_METRICS, (nps, csi, complaints, negative)))
    return ReviewHeadlines(headlines, csi_vs_previous, counts["now"])


# -- verbatims ----------------------------------------------------------------------------------------

def representative_verbatims(con, current: Filters) -> tuple[Verbatim, ...]:
    """The most negative, the most positive and the most common theme's most typical verbatim.

    A kind without a qualifying text (no negative text this month, no complaint with a cause) is
    left out.
    """
    found = []
    sides = verbatims_of_both_sides(con, current, ALL_SOURCES, 1)
    for kind, which in (("most_negative", "negative"), ("most_positive", "positive")):
        rows = sides[which]
        if len(rows):
            row = rows.iloc[0]
            found.append(Verbatim(kind, str(row["text"]), str(row["source"]), _when(row["date"]),
                                  _text_or_none(row["branch"]), _text_or_none(row["customer_id"]),
                                  number(row["sentiment"])))
    theme = common_theme_of_themes(con, current) or common_theme(con, current, cause_pareto(con, current))
    if theme is not None:
        found.append(theme)
    return tuple(found)


def common_theme(con, current: Filters, causes: pd.DataFrame) -> Verbatim | None:
    """The top cause of the month's Pareto and its most typical complaint (see the module's docstring)."""
    if causes.empty:
        return None
    cause, count = str(causes["cause"].iloc[0]), int(causes["count"].iloc[0])
    where, params = where_sql(current, "complaint")
    rows = fetch_df(con, THEME_TYPICAL_SQL.format(where=where, member=IN_CAUSE), {**params, "theme_cause": cause},
                    what="the most typical complaint of the month's most common cause")
    if rows.empty:
        return None
    row = rows.iloc[0]
    return Verbatim("common_theme", str(row["text"]), "complaint", _when(row["date"]),
                    _text_or_none(row["branch"]), _text_or_none(row["customer_id"]), number(row["sentiment"]),
                    theme=cause, theme_count=count, theme_n=int(causes["count"].sum()),
                    typicality=float(row["typicality"]))


def common_theme_of_themes(con, current: Filters) -> Verbatim | None:
    """The theme (store/themes.py) of most of the month's complaints and its most typical complaint;
    None when the store has no themes for them (then the top cause stands for the theme). Read by
    month (COMMON_THEME_BY_MONTH_SQL) when every complaint of the selection is of a batch theme_month
    holds, else through the texts' themes."""
    where, params = where_sql(current, "complaint")
    months, month_params = theme_months(current, happened="c.received_at")
    row = fetch_record(con, COMMON_THEME_BY_MONTH_SQL.format(where=where, months=months), {**params, **month_params},
                       what="the month's most common theme and its most typical complaint")
    if row.get("unlisted"):
        return _common_theme_by_text(con, current)
    if row.get("theme_id") is None or row.get("text") is None:
        return None
    return _theme_verbatim(row, row["theme"], int(row["theme_count"]), int(row["theme_n"]), row["theme_label"])


def _common_theme_by_text(con, current: Filters) -> Verbatim | None:
    """common_theme_of_themes through text_theme: some complaint of the selection is of a batch whose
    themed texts theme_month does not hold yet."""
    themes = themes_by_sentiment(con, current, "complaint")
    if themes.empty:
        return None
    top = themes.iloc[0]                       # most complaints first, then by label
    where, params = where_sql(current, "complaint")
    rows = fetch_df(con, THEME_TYPICAL_SQL.format(where=where, member=IN_THEME),
                    {**params, "theme_id": int(top["theme_id"])},
                    what="the most typical complaint of the month's most common theme")
    if rows.empty:
        return None
    return _theme_verbatim(rows.iloc[0], top["theme"], int(top["n"]), int(themes["n"].sum()), top["theme_label"])


def _theme_verbatim(row, theme, count: int, total: int, label) -> Verbatim:
    return Verbatim("common_theme", str(row["text"]), "complaint", _when(row["date"]),
                    _text_or_none(row["branch"]), _text_or_none(row["customer_id"]), number(row["sentiment"]),
                    theme=str(theme), theme_count=count, theme_n=total, typicality=float(row["typicality"]),
                    theme_from="theme", theme_label=_text_or_none(label))


def _when(value) -> datetime | None:
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).to_pydatetime()


def _text_or_none(value) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return str(value)


# -- areas to act on ----------------------------------------------------------------------------------

def areas_to_act_on(grid: ImportancePerformance, gaps: GapModel, rising: pd.DataFrame,
                    branches: pd.DataFrame, trends: pd.DataFrame | None = None,
                    min_n: int = MIN_N) -> tuple[Action, ...]:
    """Sustained declines, fix-first attributes, shortfall gaps, rising causes, branches whose NPS fell.

    trends: analytics.trends.find_trends after changes.adjust_family (its 'significant' is the
    family's verdict); grid: csi.quadrants; gaps: gaps.gap_model; rising: complaints.rising_causes;
    branches: nps.nps_change_by(column='branch'), both after the family adjustment when the review
    made one. Declines come first, the largest first, one per metric and subject (the larger of a
    trend and a year-on-year change); every fix-first attribute with at least min_n ratings is
    listed (as the CSI page lists them); gaps need min_n pairs; the other kinds keep their most
    pressing MAX_PER_KIND items (MAX_GAPS for gaps). Nothing too few is named. Every decline is
    returned: how many a screen shows is the story's choice (presentation.story.listed_actions).
    """
    actions: list[Action] = []
    if trends is not None and len(trends) and "significant" in trends.columns:
        worse = trends[trends["significant"].astype(bool)]
        worse = worse[pd.Series([(m == "complaints") == (d == "up") for m, d in zip(worse["metric"], worse["direction"])],
                                index=worse.index, dtype=bool)]
        worse = worse.sort_values(["size", "kind"], ascending=[False, True])
        # one area per metric and subject: a branch's complaints that rose over the year and on a year
        # before are one thing to act on, named by the larger change
        worse = worse.drop_duplicates(["metric", "scope", "subject"])
        actions += [Action(str(row["kind"]), str(row["subject"]) if row["subject"] is not None else "",
                           float(row["last_value"]), float(row["first_value"]), float(row["delta"]), int(row["n"]),
                           p_value=number(row["p_value"]), q_value=number(row["q_value"]), finding=row.to_dict())
                    for _, row in worse.iterrows()]
    if grid.importance_mean is not None:
        fix = grid.table[(grid.table["quadrant"] == "fix_first") & (grid.table["n"] >= min_n)]
        fix = fix.sort_values(["importance", "attribute"], ascending=[False, True])
        actions += [Action("fix_first", str(row.attribute), float(row.satisfaction), grid.satisfaction_mean,
                           float(row.importance), int(row.n), weights=grid.weights)
                    for row in fix.itertuples(index=False)]
    dimensions = gaps.gap5.dimensions
    if len(dimensions):
        # a shortfall only where the dimension's interval lies below 0 (a gap that may be 0 is none to close)
        clear = [clear_side(low, high) < 0 for low, high in zip(dimensions["ci_low"], dimensions["ci_high"])]
        short = dimensions[pd.Series(clear, index=dimensions.index, dtype=bool) & (dimensions["n"] >= min_n)]
        short = short.sort_values(["gap", "dimension"])
        actions += [Action("gap", str(row.dimension), float(row.gap), float(row.expectation),
                           float(row.perception), int(row.n))
                    for row in short.head(MAX_GAPS).itertuples(index=False)]
    if len(rising):
        total = int(rising["count_now"].sum())
        up = rising[rising["significant"].astype(bool) & (rising["count_now"] > rising["count_before"])]
        if "too_few" in up.columns:
            up = up[~up["too_few"].astype(bool)]
        actions += [Action("rising_cause", str(row.cause), float(row.share_now), number(row.share_before),
                           float(row.count_now), total, p_value=number(row.p_value),
                           q_value=number(getattr(row, "q_value", None)),
                           finding={"count_before": int(row.count_before)})
                    for row in up.head(MAX_PER_KIND).itertuples(index=False)]
    if len(branches):
        fell = branches[branches["significant"] & (branches["delta"] < 0) & branches["branch"].notna()]
        fell = fell[(fell["n"] >= min_n) & (fell["n_before"] >= min_n)]
        fell = fell.sort_values(["delta", "branch"])
        actions += [Action("branch_nps", str(row.branch), float(row.score), number(row.score_before),
                           float(row.delta), int(row.n))
                    for row in fell.head(MAX_PER_KIND).itertuples(index=False)]
    return tuple(actions)


def summary_numbers(review: MonthReview) -> dict[str, float | int | None]:
    """The month's key numbers as `python -m analytics summary` names them, for the report's data."""
    nps, csi = review.headline("nps").vs_previous, review.headline("csi").vs_previous
    complaints, negative = review.headline("complaints").vs_previous, review.headline("negative_share").vs_previous
    return {"nps": nps.value, "nps_n": nps.n, "csi": csi.value, "csi_n": csi.n,
            "complaints": complaints.n, "negative_share": negative.value, "sentiment_n": negative.n,
            "gap5_overall": review.gaps.gap5.overall}


__all__ = ["SECTIONS", "Headline", "Verbatim", "Action", "MonthReview", "ReviewHeadlines", "month_review",
           "review_parts", "review_of", "review_headlines", "common_theme", "areas_to_act_on",
           "representative_verbatims", "summary_numbers"]
