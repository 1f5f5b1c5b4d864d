"""What the numbers say, in words: headline changes, "what changed" bullets, and chart titles.

Every sentence is generated from analytics results, in English or Chinese, and follows DESIGN.md's
rule for change markers: a change is called up or down (and coloured good or bad) only when its
test passes (p < 0.05, or NPS's |Δ| > 1.96·SE_Δ); otherwise it is reported as a difference that is
not significant, with no direction word. Pages and charts show these sentences as they are.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analytics.changes import BAD, GOOD, HIGHER, LOWER, METRICS, NEUTRAL, Change, Family, gated
from analytics.complaints import ComplaintIceberg, ResolutionStats
from analytics.csi import ImportancePerformance
from analytics.gaps import Gap5Result, clear_side
from analytics.nps import NpsChange
from analytics.sentiment import ModelAgreement
from analytics.stats import two_proportion_z_test, wilson_interval
from loaders.learning import FIRST_MODEL_LABELS
from presentation.formats import (
    fmt_count, fmt_date, fmt_hours, fmt_month, fmt_n, fmt_number, fmt_share, fmt_signed, fmt_term
)
from presentation.i18n import translate
from presentation.labels import AS_GIVEN
from analytics.stats import MIN_N
from store.query import number


@dataclass(frozen=True)
class Finding:
    """A generated sentence and whether what it reports is good, bad or neither.

    A finding that reports a marked change also says what it is about (for `summary --json`):
    kind (trend, year_on_year, change, attribute, cause, branch), subject (a branch, region,
    attribute or cause; None for the whole selection), metric, direction, p, q and n.
    """

    text: str
    tone: str = NEUTRAL
    kind: str | None = None
    subject: str | None = None
    metric: str | None = None
    direction: str | None = None
    p: float | None = None
    q: float | None = None
    n: int | None = None

    def record(self) -> dict:
        return {"kind": self.kind, "subject": self.subject, "metric": self.metric, "direction": self.direction,
                "p": self.p, "q": self.q, "n": self.n, "sentence": self.text}


# -- how a figure reads ----------------------------------------------------------------------------

def fmt_value(metric: str, value, language: str) -> str:
    kind = METRICS[metric][0]
    if kind == "score":
        return fmt_signed(value, 1)
    if kind == "points":
        return fmt_number(value, 1)
    if kind == "share":
        return fmt_share(value)
    if kind == "polarity":
        return fmt_signed(value, 2)
    if kind == "hours":
        return fmt_hours(value, language)
    return fmt_count(value)


def fmt_delta(metric: str, delta, language: str) -> str:
    """A signed difference in the metric's unit: '+6.0', '−3.1 pp', '+15', '+2.5 h'."""
    kind = METRICS[metric][0]
    if number(delta) is None:
        return fmt_signed(None)
    if kind == "share":
        return translate("unit.pp_short", language, value=fmt_signed(100 * delta, 1))
    if kind == "polarity":
        return fmt_signed(delta, 2)
    if kind == "count":
        return fmt_signed(delta, 0)
    if kind == "hours":
        return translate("fmt.hours", language, hours=fmt_signed(delta, 1))
    return fmt_signed(delta, 1)


def fmt_amount(metric: str, delta, language: str) -> str:
    """The size of a change in words: '6.0 points', '3.1 percentage points', '15', '2.5 hours'."""
    kind = METRICS[metric][0]
    size = abs(number(delta) or 0.0)
    if kind == "share":
        return translate("unit.pp", language, value=fmt_number(100 * size, 1))
    if kind in ("score", "points"):
        return translate("unit.points", language, value=fmt_number(size, 1))
    if kind == "polarity":
        return fmt_number(size, 2)
    if kind == "hours":
        return translate("unit.hours", language, value=fmt_number(size, 1))
    return fmt_count(size)


def metric_name(metric: str, language: str) -> str:
    return translate(f"metric.{metric}", language)


def change_sentence(change: Change, language: str, vs: str, subject: str | None = None) -> str:
    """'NPS fell by 6.0 points to +12.4 vs Sep 2026 (significant)', or the not-significant wording."""
    subject = subject if subject is not None else metric_name(change.metric, language)
    value = fmt_value(change.metric, change.value, language)
    if change.value is None:
        return translate("finding.no_data", language, metric=subject)
    if change.too_few:
        return translate("finding.too_few", language, metric=subject, value=value, n=too_few_sizes(change, language))
    if change.delta is None or change.previous is None:
        return translate("finding.no_comparison", language, metric=subject, value=value, vs=vs)
    values = dict(metric=subject, value=value, vs=vs, amount=fmt_amount(change.metric, change.delta, language),
                  delta=fmt_delta(change.metric, change.delta, language))
    if change.direction == "up":
        return translate("finding.rose", language, **values)
    if change.direction == "down":
        return translate("finding.fell", language, **values)
    if not change.tested:
        return translate("finding.untested", language, **values)
    return translate("finding.not_significant", language, **values)


def tile_delta(change: Change, language: str) -> str | None:
    """The difference a headline tile shows under its figure, or None: no comparison, or one too few
    to judge (DESIGN.md, "Minimum n": no marker on too few; a grey '+0.2' still reads as a change)."""
    if change.delta is None or change.too_few:
        return None
    return fmt_delta(change.metric, change.delta, language)


def change_note(change: Change, language: str, vs: str) -> str:
    """What the change under a headline tile is measured against: 'vs Sep 2026'."""
    if change.delta is None:
        return translate("tile.no_comparison", language, vs=vs)
    if change.too_few:
        return translate("tile.too_few_to_compare", language, vs=vs)
    return translate("tile.vs", language, vs=vs)


def verdict(change: Change, language: str) -> str:
    """Whether the change passed its test: 'significant (p = 0.003)', 'not significant (p = 0.28)'.

    Once the page's family has been adjusted, the verdict is the Benjamini–Hochberg q's, so q is
    printed beside p: 'not significant (p = 0.007, q = 0.081)' — a p under 0.05 alone would read
    as a contradiction."""
    if change.delta is None:
        return ""
    if not change.tested:
        return translate("tile.untested", language)
    if change.too_few:
        return translate("tile.too_few", language, n=too_few_sizes(change, language))
    key = "tile.significant" if change.significant else "tile.not_significant"
    tests = [_fmt_p(change.p_value)] if change.p_value is not None else []
    if change.q_value is not None:
        tests.append(fmt_q(change.q_value, language))
    p = translate("tile.p", language, p=translate("tile.test_sep", language).join(tests)) if tests else ""
    return translate(key, language, p=p)


def too_few_sizes(change: Change, language: str) -> str:
    """The n a 'too few to judge' names: the figure's own, and the comparison's beside it when that is
    the side below the minimum (a branch against the company: the company's n alone would not say why)."""
    own = fmt_n(change.n, language)
    if change.delta is not None and change.n_previous < MIN_N <= change.n:
        return translate("tile.too_few_vs", language, n=own, vs_n=fmt_n(change.n_previous, language))
    return own


def _fmt_p(p: float) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


# -- what changed -----------------------------------------------------------------------------------

def _tone(metric: str, direction: str | None) -> str:
    if direction is None:
        return NEUTRAL
    return GOOD if (direction == "up") == (METRICS[metric][1] == HIGHER) else BAD


def fmt_q(q: float | None, language: str) -> str:
    if q is None:
        return ""
    return translate("tile.q", language, q="< 0.001" if q < 0.001 else f"{q:.3f}").replace("= <", "<")


def subject_name(scope: str, subject: str | None, language: str) -> str:
    if scope == "all" or subject is None:
        return translate("finding.subject_all", language)
    if scope == "region":
        return translate("finding.subject_region", language, name=subject)
    return str(subject)


def trend_findings(trends: pd.DataFrame, language: str) -> list[Finding]:
    """The trends and year-on-year changes that passed the family's test, bad news first, then by
    size (trends.find_trends' rows after changes.adjust_family)."""
    if trends is None or trends.empty:
        return []
    passed = trends[trends["significant"]]
    if passed.empty:
        return []
    # a subject's trend and its year-on-year change are told together, the trend first, ranked by the
    # larger of the two
    largest: dict[tuple, float] = {}
    for row in passed.itertuples(index=False):
        key = (row.scope, row.subject, row.metric, row.direction)
        largest[key] = max(largest.get(key, 0.0), float(row.size))
    ordered = sorted(passed.itertuples(index=False),
                     key=lambda r: (_tone(r.metric, r.direction) != BAD,
                                    -largest[(r.scope, r.subject, r.metric, r.direction)], str(r.subject), r.metric,
                                    r.kind != "trend"))
    return [trend_finding(row, language) for row in ordered]


def trend_finding(row, language: str) -> Finding:
    """One trend or year-on-year row (a find_trends row, or anything with its fields as attributes)
    as a sentence."""
    tone = _tone(row.metric, row.direction)
    values = dict(subject=subject_name(row.scope, row.subject, language), metric=metric_name(row.metric, language),
                  first=fmt_value(row.metric, row.first_value, language),
                  last=fmt_value(row.metric, row.last_value, language),
                  first_month=fmt_month(row.first_month, language), last_month=fmt_month(row.last_month, language),
                  q=fmt_q(number(row.q_value), language), n=fmt_n(int(row.n), language))
    if row.kind == "trend":
        key = "finding.trend_fell" if row.direction == "down" else "finding.trend_rose"
        text = translate(key, language, k=int(row.months), slope=fmt_delta(row.metric, row.slope, language),
                         low=fmt_delta(row.metric, row.slope_low, language),
                         high=fmt_delta(row.metric, row.slope_high, language), **values)
    else:
        key = "finding.yoy_fell" if row.direction == "down" else "finding.yoy_rose"
        text = translate(key, language, amount=fmt_amount(row.metric, row.delta, language), **values)
    return Finding(text, tone, row.kind, row.subject, row.metric, row.direction, number(row.p_value),
                   number(row.q_value), int(row.n))


def change_findings(changes, language: str, vs: str) -> list[Finding]:
    """The headline changes that passed the family's test, as sentences."""
    return [Finding(change_sentence(c, language, vs), c.tone, "change", None, c.metric, c.direction, c.p_value,
                    c.q_value, c.n)
            for c in changes if c.direction is not None]


def what_changed(family: Family, language: str, vs: str) -> list[Finding]:
    """The overview's findings, in order: sustained trends and year-on-year changes (bad first),
    the headline changes, then attributes, complaint causes and branches against `vs`.

    family: changes.adjust_family over the page's headline Changes and the tables 'trends'
    (trends.find_trends), 'attributes' (csi.compare_attributes), 'causes'
    (complaints.rising_causes) and 'branches' (nps.nps_change_by(column='branch')): every marker
    has passed Benjamini–Hochberg across all of them, and too-few rows are never named.
    """
    tables = family.tables
    findings: list[Finding] = []
    findings += trend_findings(tables.get("trends"), language)
    findings += change_findings(family.changes, language, vs)
    if "attributes" in tables:
        findings += _attribute_findings(tables["attributes"], language, vs)
    if "causes" in tables:
        findings += _cause_findings(tables["causes"], language, vs)
    if "branches" in tables:
        findings += _branch_findings(tables["branches"], language, vs)
    return findings


def marked(findings: list[Finding]) -> list[Finding]:
    """The findings that report a marked change (the `findings` list of summary --json)."""
    return [f for f in findings if f.direction is not None]


def family_note(family: Family, language: str) -> str:
    """What the page says about its tests: the correction across its comparisons and the minimum n;
    when nothing on the page could be tested (every figure too few), that instead of a correction
    "for the 0 comparisons"."""
    if not family.m:
        if family.changes and not _compared_anything(family):
            return translate("page.family_note_no_comparison", language)
        return translate("page.family_note_none", language, min_n=family.min_n)
    return translate("page.family_note", language, m=family.m, min_n=family.min_n)


# the column of each comparison table that holds the comparison's own figure
_BEFORE = {"attributes": "delta", "causes": "count_before", "branches": "n_before", "touchpoints": "n_before"}


def _compared_anything(family: Family) -> bool:
    """Whether any figure on the page had a comparison to be judged against at all (the data's
    first month has none: its figures are not too few, they have nothing before them). A trend row
    counts as compared: it is judged on its own months."""
    if any(change.delta is not None for change in family.changes):
        return True
    for kind, table in family.tables.items():
        if not len(table):
            continue
        column = _BEFORE.get(kind)
        if column is None or column not in table.columns:
            return True
        before = pd.to_numeric(table[column], errors="coerce")
        if (before.notna() & (before != 0) if column != "delta" else before.notna()).any():
            return True
    return False


def _judged(table: pd.DataFrame) -> pd.DataFrame:
    """Rows with enough data to be named at all."""
    if "too_few" in table.columns and len(table):
        return table[~table["too_few"].astype(bool)]
    return table


def _attribute_findings(table: pd.DataFrame, language: str, vs: str) -> list[Finding]:
    table = _judged(table)
    known = table[table["delta"].notna()] if len(table) else table
    if known.empty:
        return []
    significant = known[known["significant"]]
    found = []
    drops = significant[significant["delta"] < 0]
    if len(drops):
        row = drops.loc[drops["delta"].idxmin()]
        found.append(Finding(translate("finding.attribute_fell", language, attribute=row["attribute"],
                                       amount=fmt_amount("attribute", row["delta"], language),
                                       value=fmt_number(row["satisfaction_now"], 1), vs=vs,
                                       n=fmt_n(row["n_now"], language)), BAD, "attribute", str(row["attribute"]),
                             "attribute", "down", number(row["p_value"]), number(row.get("q_value")),
                             int(row["n_now"])))
    rises = significant[significant["delta"] > 0]
    if len(rises):
        row = rises.loc[rises["delta"].idxmax()]
        found.append(Finding(translate("finding.attribute_rose", language, attribute=row["attribute"],
                                       amount=fmt_amount("attribute", row["delta"], language),
                                       value=fmt_number(row["satisfaction_now"], 1), vs=vs,
                                       n=fmt_n(row["n_now"], language)), GOOD, "attribute", str(row["attribute"]),
                             "attribute", "up", number(row["p_value"]), number(row.get("q_value")),
                             int(row["n_now"])))
    if not found:
        row = known.loc[known["delta"].abs().idxmax()]
        found.append(Finding(translate("finding.attribute_none", language, attribute=row["attribute"],
                                       delta=fmt_delta("attribute", row["delta"], language), vs=vs)))
    return found


def _no_complaints_before(table: pd.DataFrame) -> bool:
    """No complaint at all in the comparison period: there is nothing a cause could have risen from
    (the first month of the data), which is not the same as no cause rising."""
    return len(table) > 0 and float(pd.to_numeric(table["count_before"], errors="coerce").fillna(0).sum()) == 0


def _cause_findings(table: pd.DataFrame, language: str, vs: str) -> list[Finding]:
    if table.empty:
        return []
    if _no_complaints_before(table):
        return [Finding(translate("finding.cause_no_comparison", language, vs=vs))]
    if "too_few" in table.columns and table["too_few"].astype(bool).all():
        return [Finding(translate("finding.cause_too_few", language, vs=vs))]
    table = _judged(table)
    rising = table[table["significant"].astype(bool) & (table["count_now"] > table["count_before"])] \
        if len(table) else table
    if rising.empty:
        return [Finding(translate("finding.cause_none", language, vs=vs))]
    row = rising.iloc[0]
    text = translate("finding.cause_rose", language, cause=row["cause"], share=fmt_share(row["share_now"]),
                     count_before=fmt_count(row["count_before"]), vs=vs, count=fmt_count(row["count_now"]),
                     q=fmt_q(number(row.get("q_value")), language))
    if len(rising) > 1:
        text += translate("finding.and_more", language, k=len(rising) - 1)
    return [Finding(text, BAD, "cause", str(row["cause"]), "complaints", "up", number(row["p_value"]),
                    number(row.get("q_value")), int(row["count_now"]))]


def _branch_findings(table: pd.DataFrame, language: str, vs: str) -> list[Finding]:
    table = _judged(table)
    known = table[table["delta"].notna() & table["branch"].notna()] if len(table) else table
    if known.empty:
        return []
    significant = known[known["significant"]]
    found = []
    for key, pick, tone, direction in (("finding.branch_fell", "idxmin", BAD, "down"),
                                       ("finding.branch_rose", "idxmax", GOOD, "up")):
        side = significant[significant["delta"] < 0] if direction == "down" else significant[significant["delta"] > 0]
        if len(side):
            row = side.loc[getattr(side["delta"], pick)()]
            found.append(Finding(translate(key, language, branch=row["branch"],
                                           amount=fmt_amount("nps", row["delta"], language),
                                           value=fmt_signed(row["score"], 1), vs=vs,
                                           n=fmt_n(row["n"], language)), tone, "branch", str(row["branch"]), "nps",
                                 direction, number(row.get("p_value")), number(row.get("q_value")), int(row["n"])))
    if not found:
        row = known.loc[known["delta"].abs().idxmax()]
        found.append(Finding(translate("finding.branch_none", language, branch=row["branch"],
                                       delta=fmt_delta("nps", row["delta"], language), vs=vs)))
    return found


# -- chart titles -----------------------------------------------------------------------------------

def attribute_comparison_title(table: pd.DataFrame, language: str, vs: str) -> str:
    """Radar/bar/line title: the largest significant difference between the two selections."""
    known = table[table["delta"].notna()] if len(table) else table
    if known.empty:
        return translate("title.attributes_no_comparison", language, vs=vs)
    if _judged(known).empty:  # every attribute too few to judge: none was tested, so none 'differs'
        return translate("title.attributes_too_few", language, vs=vs)
    significant = _judged(known)[_judged(known)["significant"]]
    if significant.empty:
        return translate("title.attributes_same", language, vs=vs)
    row = significant.loc[significant["delta"].abs().idxmax()]
    key = "title.attributes_lower" if row["delta"] < 0 else "title.attributes_higher"
    return translate(key, language, attribute=row["attribute"], vs=vs, k=len(significant),
                     amount=fmt_amount("attribute", row["delta"], language))


def _fix_first(grid: ImportancePerformance, min_n: int) -> pd.DataFrame:
    """The fix-first attributes rated by at least min_n respondents (fewer are too few to judge)."""
    return grid.table[(grid.table["quadrant"] == "fix_first") & (grid.table["n"] >= min_n)]


def fix_first_title(grid: ImportancePerformance, language: str, min_n: int = MIN_N) -> str:
    if grid.importance_mean is None:
        return translate("title.ip_none", language)
    fix = _fix_first(grid, min_n)
    if fix.empty:
        return translate("title.ip_nothing", language)
    return translate("title.ip_fix", language, attributes=translate("fmt.list_sep", language).join(
        fix.sort_values("importance", ascending=False)["attribute"].astype(str)))


def pareto_title(pareto: pd.DataFrame, language: str) -> str:
    vital = pareto[pareto["vital_few"]]
    if vital.empty:
        return translate("title.pareto_none", language)
    return translate("title.pareto", language, k=len(vital), m=len(pareto),
                     share=fmt_share(vital["cumulative"].iloc[-1], 0))


def rising_title(rising: pd.DataFrame, language: str, vs: str) -> str:
    """The first cause whose count rose significantly (after the family's correction when the table
    went through changes.adjust_family), never a too-few one."""
    if rising.empty:
        return translate("title.rising_none", language, vs=vs)
    if _no_complaints_before(rising):
        return translate("finding.cause_no_comparison", language, vs=vs)
    if "too_few" in rising.columns and rising["too_few"].astype(bool).all():
        # none was tested, so 'no cause rose significantly' would claim a comparison never made
        return translate("finding.cause_too_few", language, vs=vs)
    judged = _judged(rising)
    up = judged[judged["significant"].astype(bool) & (judged["count_now"] > judged["count_before"])] \
        if len(judged) else judged
    if up.empty:
        return translate("finding.cause_none", language, vs=vs)
    row = up.iloc[0]
    return translate("title.rising", language, cause=row["cause"], count=fmt_count(row["count_now"]),
                     count_before=fmt_count(row["count_before"]), vs=vs)


def resolution_title(stats: ResolutionStats, language: str) -> str:
    if not stats.n_resolved:
        return translate("title.resolution_none", language)
    median = stats.median_hours_to_resolve
    return translate("title.resolution", language, share=fmt_share(stats.within_sla), due=fmt_count(stats.n_sla_due),
                     sla=fmt_number(stats.sla_hours, 0), median="–" if median is None else fmt_number(median, 1),
                     open=fmt_count(stats.n_open))


def iceberg_title(iceberg: ComplaintIceberg, language: str) -> str:
    """'41 complaining customers point to an estimated 820 dissatisfied customers (820–1,066 if 1 in 20 to
    1 in 26 complain)': always an estimate with its range, and complaints without a customer id said."""
    if not iceberg.n_complaints:
        return translate("title.iceberg_none", language)
    text = translate("title.iceberg", language, customers=fmt_count(iceberg.n_complainants),
                     total=fmt_count(iceberg.silent_dissatisfied), low=fmt_count(iceberg.total_low),
                     high=fmt_count(iceberg.total_high))
    if iceberg.n_without_id:
        text += translate("title.iceberg_without_id", language, k=fmt_count(iceberg.n_without_id))
    return text


GAP5_SIDES = {-1: "short", 1: "exceeds", 0: "unclear"}


def _interval_words(low, high, language: str) -> str:
    """A gap's 95% interval as its title writes it: '95% CI −0.80 to +0.02', 'includes 0' added when
    it does; that there is none (an item with one pair) when there is none."""
    low, high = number(low), number(high)
    if low is None or high is None:
        return translate("gaps.no_interval", language)
    key = "gaps.interval_has_0" if clear_side(low, high) == 0 else "tile.interval"
    return translate(key, language, low=fmt_signed(low, 2), high=fmt_signed(high, 2))


def gap5_title(gap: Gap5Result, language: str, min_n: int = MIN_N) -> str:
    """Gap 5 overall: a shortfall or a surplus only when its 95% interval excludes 0 (clear_side),
    else 'no clear gap', with the gap and its interval either way."""
    if gap.overall is None:
        return translate("title.gap5_none", language)
    if gap.n < min_n:
        return translate("title.gap5_too_few", language, n=fmt_n(gap.n, language))
    side = GAP5_SIDES[clear_side(gap.overall_ci_low, gap.overall_ci_high)]
    return translate(f"title.gap5_{side}", language, amount=fmt_number(abs(gap.overall), 2),
                     gap=fmt_signed(gap.overall, 2), n=fmt_n(gap.n, language),
                     interval=_interval_words(gap.overall_ci_low, gap.overall_ci_high, language))


def _gap_rows_title(table: pd.DataFrame, name: str, names: list, language: str) -> str:
    """The largest clear shortfall of the rows (their interval below 0); else the lowest gap, said to
    be no clear shortfall when it is below 0, or every row meeting expectations when none is."""
    sides = [clear_side(low, high) for low, high in zip(table["ci_low"], table["ci_high"])]
    short = [i for i, side in enumerate(sides) if side < 0]
    gaps = table["gap"].astype(float).tolist()
    at = min(short or range(len(gaps)), key=lambda i: gaps[i])
    key = "short" if short else "unclear" if gaps[at] < 0 else "none_short"
    row = table.iloc[at]
    return translate(f"title.gap_{name}_{key}", language, **{name: names[at]}, gap=fmt_signed(gaps[at], 2),
                     interval=_interval_words(row["ci_low"], row["ci_high"], language))


def gap_dimensions_title(gap: Gap5Result, language: str, min_n: int = MIN_N) -> str:
    if gap.dimensions.empty:
        return translate("title.gap5_none", language)
    if gap.n < min_n:
        return translate("title.gap5_too_few", language, n=fmt_n(gap.n, language))
    dimensions = gap.dimensions.reset_index(drop=True)
    return _gap_rows_title(dimensions, "dimension", [fmt_term("dim", d, language) for d in dimensions["dimension"]],
                           language)


def gap_items_title(items: pd.DataFrame, language: str) -> str:
    if items.empty:
        return translate("title.gap5_none", language)
    items = items.reset_index(drop=True)
    return _gap_rows_title(items, "item", items["item_text"].tolist(), language)


def gap1_title(items: pd.DataFrame, language: str) -> str:
    if items.empty:
        return translate("title.gap1_none", language)
    row = items.loc[items["gap"].abs().idxmax()]
    key = "title.gap1_under" if row["gap"] < 0 else "title.gap1_over"
    return translate(key, language, item=row["item_text"], gap=fmt_signed(row["gap"], 2))


def group_nps_title(table: pd.DataFrame, column: str, language: str, vs: str) -> str:
    """By touchpoint or branch: the largest significant fall, else the lowest score among the groups
    with enough responses to judge (never a group below the minimum n)."""
    known = table[table["score"].notna()]
    if known.empty:
        return translate("title.group_none", language)
    group_name = translate(f"group.{column}", language)
    judged = _judged(known)
    if judged.empty:
        return translate("title.group_too_few", language, what=group_name)
    falls = judged[judged["significant"] & (judged["delta"] < 0)]
    if len(falls):
        row = falls.loc[falls["delta"].idxmin()]
        return translate("title.group_nps_fell", language, group=row[column],
                         amount=fmt_amount("nps", row["delta"], language), vs=vs,
                         value=fmt_signed(row["score"], 1))
    row = judged.loc[judged["score"].idxmin()]
    return translate("title.group_nps_lowest", language, group=row[column] if row[column] is not None
                     else translate("fmt.unknown", language), what=group_name,
                     value=fmt_signed(row["score"], 1), n=fmt_n(row["n"], language))


def group_sentiment_title(table: pd.DataFrame, column: str, language: str, min_n: int = MIN_N) -> str:
    """The group with the largest negative share among those with at least min_n texts."""
    known = table[table["negative_share"].notna()] if len(table) else table
    if known.empty:
        return translate("title.group_none", language)
    known = known[known["n"] >= min_n]
    if known.empty:
        return translate("title.group_too_few", language, what=translate(f"group.{column}", language))
    row = known.loc[known["negative_share"].idxmax()]
    name = row[column]
    if column == "source":
        name = fmt_term("source", name, language)
    return translate("title.group_negative_most", language, group=name if name is not None
                     else translate("fmt.unknown", language), share=fmt_share(row["negative_share"]),
                     n=fmt_n(row["n"], language))


def gap_summaries(model, language: str) -> dict[str, tuple[str, str]]:
    """Each gap's value as the diagram writes it, and its tone (a shortfall is bad).

    Gaps 1 and 5 are points on the customers' scale; gaps 2–4 compare standards in their own units,
    so they read as how many standards fall short. A gap without data reads 'no data'.
    """
    status = {s.gap: s for s in model.status}
    summaries: dict[str, tuple[str, str]] = {}
    five = model.gap5
    if five.overall is not None:
        side = clear_side(five.overall_ci_low, five.overall_ci_high)
        summaries["gap5"] = (translate("gapvalue.points", language, value=fmt_signed(five.overall, 2),
                                       n=fmt_n(five.n, language)), {-1: BAD, 1: GOOD, 0: NEUTRAL}[side])
    one = model.gap1
    if one.overall is not None:
        summaries["gap1"] = (translate("gapvalue.items", language, value=fmt_signed(one.overall, 2),
                                       k=one.n_items), BAD if one.overall < 0 else GOOD)
    for gap in ("gap2", "gap3", "gap4"):
        if not status.get(gap) or not status[gap].available:
            continue
        values = model.standards[gap].dropna()
        short = int((values < 0).sum())
        summaries[gap] = (translate("gapvalue.standards", language, k=short, m=len(values)),
                          BAD if short else GOOD)
    for gap in ("gap1", "gap2", "gap3", "gap4", "gap5"):
        summaries.setdefault(gap, (translate("gapvalue.none", language), NEUTRAL))
    return summaries


def gap_model_title(model, language: str) -> str:
    return gap5_title(model.gap5, language)


def fmt_interval(metric: str, low, high, language: str) -> str:
    """'95% CI 12.3 to 45.6' in the metric's unit (a share as percentages); '' without one."""
    if number(low) is None or number(high) is None:
        return ""
    return translate("tile.interval", language, low=fmt_value(metric, low, language),
                     high=fmt_value(metric, high, language))


def median_not_reached(median: float | None, timed: int, language: str) -> str | None:
    """Why a Kaplan–Meier median to resolve is blank when it has complaints: fewer than half of them
    are resolved yet, so the median lies beyond the log's last time (analytics.complaints
    ResolutionStats.n_timed); None when there is a median or nothing to take one of."""
    if median is not None or not timed:
        return None
    return translate("tile.median_not_reached", language, n=fmt_count(timed))


def tile_detail(change: Change, language: str, extra: str | None = None) -> str:
    """The line under a tile: the test's verdict (or 'too few to judge'), the 95% interval, and n."""
    if change.too_few and change.value is not None:
        parts = [translate("tile.too_few", language, n=too_few_sizes(change, language))]
    else:
        parts = [verdict(change, language)]
        parts.append(fmt_interval(change.metric, change.ci_low, change.ci_high, language))
        parts.append(fmt_n(change.n, language))
    if extra:
        parts.append(extra)
    return " · ".join(part for part in parts if part)


def trend_summary(metric: str, months, values, language: str) -> str:
    """A trend's title without a direction word: 'CSI 62.4 in Oct 2026; 58.9 to 66.0 over 12 months'."""
    pairs = [(m, number(v)) for m, v in zip(months, values) if number(v) is not None]
    if not pairs:
        return translate("finding.no_data", language, metric=metric_name(metric, language))
    shown = [v for _, v in pairs]
    return translate("finding.trend", language, metric=metric_name(metric, language),
                     value=fmt_value(metric, pairs[-1][1], language), month=fmt_month(pairs[-1][0], language),
                     low=fmt_value(metric, min(shown), language), high=fmt_value(metric, max(shown), language),
                     k=len(pairs))


def weights_statement(weights: str | None, language: str) -> str:
    """What the CSI page says about its weights (DESIGN.md: the page says which weights it used)."""
    return translate(f"csi.weights.{weights or 'none'}", language)


def fix_first_findings(grid: ImportancePerformance, language: str, min_n: int = MIN_N) -> list[Finding]:
    """The 'fix first' attributes with at least min_n ratings, most important first, each with its
    satisfaction and importance."""
    if grid.importance_mean is None:
        return []
    fix = _fix_first(grid, min_n).sort_values("importance", ascending=False)
    if fix.empty:
        return [Finding(translate("title.ip_nothing", language))]
    digits = 2 if grid.weights == "derived" else 1
    return [Finding(translate("finding.fix_first", language, attribute=row.attribute,
                              satisfaction=fmt_number(row.satisfaction, 1),
                              average=fmt_number(grid.satisfaction_mean, 1),
                              importance=fmt_number(row.importance, digits)), BAD)
            for row in fix.itertuples(index=False)]


def weights_table(attributes: pd.DataFrame, language: str) -> pd.DataFrame:
    """The CSI attributes as the page lists them: translated dimension, weight as a percentage."""
    return pd.DataFrame({
        "attribute": attributes["attribute"],
        "dimension": [fmt_term("dim", d, language) for d in attributes["dimension"]],
        "satisfaction": attributes["satisfaction"].astype(float),
        "importance": attributes["importance"].astype(float),
        "weight": 100.0 * attributes["weight"].astype(float),
        "n": attributes["n"].astype("int64"),
    }).sort_values("weight", ascending=False).reset_index(drop=True)


def gap_missing_notes(model, language: str) -> list[str]:
    """For each gap without data: what it measures and which data would fill it, in plain words."""
    return [translate(f"gaps.missing.{status.gap}", language) + " "
            + translate(f"gaps.reason.{status.missing}", language)
            for status in model.status if not status.available]


def gap5_note(gap: Gap5Result, language: str) -> str:
    if gap.overall is None:
        return ""
    text = translate("gaps.overall", language, value=fmt_signed(gap.overall, 2), n=fmt_n(gap.n, language))
    if gap.overall_ci_low is not None and gap.overall_ci_high is not None:
        text += translate("gaps.overall_interval", language, low=fmt_signed(gap.overall_ci_low, 2),
                          high=fmt_signed(gap.overall_ci_high, 2))
    if gap.overall_weighted is not None:
        text += translate("gaps.overall_weighted", language, value=fmt_signed(gap.overall_weighted, 2))
    if len(gap.unpaired_items):
        text += translate("gaps.unpaired", language, items=translate("fmt.list_sep", language).join(
            str(v) for v in gap.unpaired_items["item_text"]))
    return text


def standards_table(standards: pd.DataFrame, language: str) -> pd.DataFrame:
    """Gaps 2–4 per standard with their words translated (direction, where the actual came from); a
    standard's name and unit as labelled (presentation.labels), their values as given kept beside."""
    table = pd.DataFrame({
        "standard": standards["standard"],
        "unit": standards["unit"],
        "better": [translate(f"better.{b}", language) if b in (HIGHER, LOWER) else b for b in standards["better"]],
        "management_view": standards["management_view"].astype(float),
        "target": standards["target"].astype(float),
        "promise": standards["promise"].astype(float),
        "actual": standards["actual"].astype(float),
        "actual_source": [translate(f"actual.{s}", language) if s in ("given", "measured")
                          else translate("actual.none", language) for s in standards["actual_source"]],
        "gap2": standards["gap2"].astype(float),
        "gap3": standards["gap3"].astype(float),
        "gap4": standards["gap4"].astype(float),
    })
    for column in ("standard", "unit"):
        if f"{column}{AS_GIVEN}" in standards.columns:
            table[f"{column}{AS_GIVEN}"] = standards[f"{column}{AS_GIVEN}"]
    return table


def nps_mix_headlines(change: NpsChange, min_n: int = MIN_N) -> list[Change]:
    """The promoters' and detractors' shares with Wilson intervals and two-proportion z-tests of
    their change, judged against the minimum n like every other tile."""
    now, before = change.current, change.previous
    found = []
    for metric, attr in (("promoter_share", "promoters"), ("detractor_share", "detractors")):
        test = two_proportion_z_test(getattr(now, attr), now.n, getattr(before, attr), before.n)
        interval = wilson_interval(getattr(now, attr), now.n)
        found.append(gated(Change(metric, test.p1, test.p2, test.diff, test.significant, now.n, before.n,
                                  test.p_value, ci_low=interval.low, ci_high=interval.high), min_n))
    return found


def repeat_summary(repeat, language: str) -> tuple[str, str]:
    """(value, detail) for the repeat-complainants tile."""
    if not repeat.n_customers:
        return fmt_share(None), translate("complaints.repeat_none", language)
    return fmt_share(repeat.share), translate(
        "complaints.repeat_detail", language, k=fmt_count(repeat.n_repeat), m=fmt_count(repeat.n_customers),
        start=fmt_date(repeat.window_from, language), end=fmt_date(repeat.window_to, language))


def cause_coverage(counts, language: str) -> str:
    """'1,200 complaints; 1,150 have a cause, 80 of them derived from the complaint's words'."""
    return translate("complaints.coverage", language, n=fmt_count(counts.n), k=fmt_count(counts.n_with_cause),
                     derived=fmt_count(counts.n_cause_from_keywords))


def with_terms(frame: pd.DataFrame, columns: dict[str, str], language: str) -> pd.DataFrame:
    """A table with the dashboard's own terms translated ({'source': 'source'} → '问卷评论'); data untouched."""
    return frame.assign(**{column: [fmt_term(kind, v, language) for v in frame[column]]
                           for column, kind in columns.items()})


def handling_title(result, language: str) -> str:
    """The handling funnel's finding: where complaints stall and how many closed with confirmed satisfaction."""
    if not result.n_closed and result.stalls_most is None:
        return translate("title.handling_none", language)
    if result.stalls_most is None:
        return translate("title.handling_no_stall", language, share=fmt_share(result.confirmed_share, 0))
    row = result.steps.set_index("step").loc[result.stalls_most]
    return translate("title.handling", language, step=translate(f"step.{result.stalls_most}", language),
                     k=fmt_count(row["stalled"]), hours=fmt_number(result.stall_hours, 0),
                     share=fmt_share(result.confirmed_share, 0))


def assessment_title(view, language: str) -> str:
    """The self-assessment radar's finding: the team's total, strongest and weakest section."""
    ordered = view.sections.sort_values("percentage", kind="stable")
    return translate("title.assessment" if view.team else "title.assessment_unnamed", language, team=view.team,
                     total=fmt_share(view.total / 100, 0),
                     best=translate(f"assessment.section.{ordered['section'].iloc[-1]}", language),
                     worst=translate(f"assessment.section.{ordered['section'].iloc[0]}", language))


def customer_side(csi, nps, language: str) -> list[tuple[str, str, str]]:
    """The period's CSI and NPS as (label, value, n) for the self-assessment's side column."""
    return [(translate(f"metric.{metric}", language), fmt_value(metric, result.score, language),
             fmt_n(result.n, language)) for metric, result in (("csi", csi), ("nps", nps))]


def model_note(agreement: ModelAgreement, language: str) -> str:
    """The learned sentiment model's line on the sentiment page: what taught it and how often it
    agrees with the customers' own scores."""
    if agreement.version is None or agreement.share is None:
        return translate("sentiment.model_none", language, needed=fmt_count(FIRST_MODEL_LABELS))
    return translate("sentiment.model", language, labels=fmt_count(agreement.labels),
                     version=agreement.version, trained=f"{agreement.trained_at:%Y-%m-%d}",
                     share=f"{agreement.share:.0%}", n=fmt_count(agreement.n))


def rising_themes_note(rising: pd.DataFrame, language: str, vs: str) -> str:
    """The themes whose share of the themed texts rose significantly against the comparison period
    (analytics.sentiment.rising_themes: q < 0.05, Benjamini–Hochberg over the themes tested), each with
    both periods' themed texts, its p and its q; the family's size said once."""
    up = rising[rising["rising"].astype(bool)] if len(rising) else rising
    if up.empty:
        return translate("sentiment.no_rising_themes", language, vs=vs)
    parts = [translate("sentiment.rising_theme", language, theme=row.theme, now=fmt_share(row.share_now),
                       n_now=fmt_count(row.total_now), before=fmt_share(row.share_before),
                       n_before=fmt_count(row.total_before), p=_fmt_p(float(row.p_value)),
                       q=fmt_q(float(row.q_value), language))
             for row in up.itertuples(index=False)]
    tested = int(rising["q_value"].notna().sum())
    return translate("sentiment.rising_themes", language, vs=vs, m=tested,
                     themes=translate("sentiment.rising_theme_sep", language).join(parts))

