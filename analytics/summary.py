"""The month's numbers in one plain dict: what `python -m analytics summary --json` prints.

Every value is a JSON number, string, list, dict or null: a figure without data is null, never NaN.
"""
from __future__ import annotations

import math
from dataclasses import replace
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd

from analytics.changes import Change, Family
from analytics.complaints import DEFAULT_SLA_HOURS, cause_pareto, complaint_counts, resolution_stats
from analytics.handling import handling_steps, steps_summary
from analytics.csi import csi_score
from analytics.filters import Filters, previous_period, resolve_period
from analytics.follow_up import FollowUpOutcome, Share, follow_up_outcome
from analytics.gaps import gap1, gap5
from analytics.nps import nps_score
from analytics.overview import overview
from analytics.sentiment import model_agreement, sentiment_by, sentiment_summary
from analytics.stats import MIN_N, too_few

TOP_CAUSES = 10


def plain(value: Any) -> Any:
    """numpy and pandas scalars to Python ones; NaN, NA and NaT to None; recursive over dicts and lists."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, date):
        return value.isoformat()
    return value


# The digits `summary --json` writes. DuckDB adds a sum's rows in the order its threads reach them,
# which moves the last of a double's 16 digits between two runs, and between a store and its
# migrated copy: 12 keep every figure exact to far below anything shown, and equal wherever the rows are.
JSON_DIGITS = 12


def significant(value: Any, digits: int = JSON_DIGITS) -> Any:
    """`value` (plain()'s output) with every float rounded to `digits` significant digits."""
    if isinstance(value, dict):
        return {k: significant(v, digits) for k, v in value.items()}
    if isinstance(value, list):
        return [significant(v, digits) for v in value]
    if isinstance(value, float) and value != 0.0:
        return round(value, digits - 1 - math.floor(math.log10(abs(value))))
    return value


def _attribute_names(attributes) -> dict[str, float]:
    """Attributes by question text; a text shared by two item codes is told apart by its code."""
    texts = attributes["attribute"].tolist()
    named = {}
    for code, text, satisfaction in zip(attributes["item_code"], texts, attributes["satisfaction"]):
        name = text if texts.count(text) == 1 else f"{text} ({code})"
        named[name] = satisfaction
    return named


def summary_period(con, filters: Filters) -> tuple[Filters, Filters | None]:
    """The period a summary covers (the data's whole range without dates) and the one before it."""
    period = resolve_period(con, filters)
    if period.date_from is None or period.date_to is None:
        return replace(filters), None  # no data at all: nothing to narrow
    return period, previous_period(period)


def summary_family(con, filters: Filters = Filters(), min_n: int = MIN_N) -> Family | None:
    """The overview's family of tests for the summary's period against the period before it."""
    period, previous = summary_period(con, filters)
    return overview(con, period, previous, min_n) if previous is not None else None


def _ci(low, high) -> list | None:
    return None if low is None or high is None else [low, high]


def _change(change: Change) -> dict:
    return {"value": change.value, "previous": change.previous, "delta": change.delta, "n": change.n,
            "n_previous": change.n_previous, "ci95": _ci(change.ci_low, change.ci_high), "too_few": change.too_few,
            "p": change.p_value, "q": change.q_value, "significant": change.significant,
            "direction": change.direction}


def _share(share: Share) -> dict:
    return {"k": share.k, "n": share.n, "share": share.share, "ci95": _ci(share.ci.low, share.ci.high),
            "too_few": share.too_few}


def follow_up_block(outcome: FollowUpOutcome) -> dict:
    """The `follow_up` block: the period's items, open and overdue ones, those whose rows are gone,
    the detractors contacted within 48 h and the reached customers whose next score rose (each k of
    n with its Wilson interval), and the same rise among those not reached."""
    return {"items": outcome.items, "open": outcome.open, "overdue": outcome.overdue,
            "source_gone": outcome.source_gone, "as_of": outcome.as_of.isoformat(sep=" "),
            "contacted_within_48h": _share(outcome.contacted_48h), "next_score_rose": _share(outcome.recovered),
            "next_score_rose_not_reached": _share(outcome.not_reached_rose)}


def summary(con, filters: Filters = Filters(), sla_hours: float = DEFAULT_SLA_HOURS, min_n: int = MIN_N,
            family: Family | None = None, as_of: datetime | None = None) -> dict:
    """NPS, CSI, gaps, complaints and sentiment of one period, as issue 4's JSON shape, with every
    figure's n, 95% interval (`ci95`) and `too_few`, and the headline changes against the period
    before with their p and family-adjusted q (issue 19).

    Without dates the period is the whole range of the data. `family` is summary_family's result
    when the caller has it (the CLI, which also words its findings). `as_of`: the moment the
    follow-up's overdue items and 48 hours are judged at (now by default).
    """
    period, previous = summary_period(con, filters)
    if family is None and previous is not None:
        family = overview(con, period, previous, min_n)

    nps = nps_score(con, period)
    csi = csi_score(con, period)
    five = gap5(con, period)
    one = gap1(con, period)
    counts = complaint_counts(con, period)
    pareto = cause_pareto(con, period).head(TOP_CAUSES)
    resolution = resolution_stats(con, period, sla_hours)
    sentiment = sentiment_summary(con, period)
    learned = model_agreement(con)
    by_month = sentiment_by(con, period, by="month")

    result = {
        "period": {"from": period.date_from, "to": period.date_to},
        "filters": {"regions": list(filters.regions), "branches": list(filters.branches)},
        "min_n": int(min_n),
        "nps": {"score": nps.score, "n": nps.n, "promoters": nps.promoters, "passives": nps.passives,
                "detractors": nps.detractors, "se": nps.se, "moe95": nps.moe95,
                "ci95": _ci(nps.ci_low, nps.ci_high), "too_few": too_few(nps.n, min_n)},
        "csi": {"score": csi.score, "n": csi.n, "weights": csi.weights, "ci_low": csi.ci_low,
                "ci_high": csi.ci_high, "ci95": _ci(csi.ci_low, csi.ci_high), "too_few": too_few(csi.n, min_n),
                "attributes": _attribute_names(csi.attributes)},
        "gaps": {
            "gap5": dict(zip(five.dimensions["dimension"], five.dimensions["gap"])),
            "gap5_overall": five.overall,
            "gap5_overall_weighted": five.overall_weighted,
            "gap5_n": five.n,
            "gap5_too_few": too_few(five.n, min_n),
            "gap1": (dict(zip(one.dimensions["dimension"], one.dimensions["gap"]))
                     if one.missing is None else None),
        },
        "complaints": {
            "n": counts.n,
            "too_few": too_few(counts.n, min_n),
            "n_with_cause": counts.n_with_cause,
            "top_causes": [{"cause": c, "count": k, "share": s, "cumulative": cu, "vital_few": v}
                           for c, k, s, cu, v in pareto.itertuples(index=False, name=None)],
            "median_hours_to_resolve": resolution.median_hours_to_resolve,
            "median_method": "kaplan-meier",
            "n_resolved": resolution.n_resolved,
            "n_open": resolution.n_open,
            "within_sla": resolution.within_sla,
            "within_sla_n": resolution.n_sla_due,
            "within_sla_ci95": _ci(resolution.within_sla_ci_low, resolution.within_sla_ci_high),
            "n_open_past_sla": resolution.n_open_past_sla,
            "sla_hours": resolution.sla_hours,
            "escalation_rate": resolution.escalation_rate,
            "steps": steps_summary(handling_steps(con, period, sla_hours)),
        },
        "sentiment": {
            "n": sentiment.n, "mean": sentiment.mean, "ci95": _ci(sentiment.ci_low, sentiment.ci_high),
            "negative_share": sentiment.negative_share,
            "negative_share_ci95": _ci(sentiment.negative_ci_low, sentiment.negative_ci_high),
            "too_few": too_few(sentiment.n, min_n),
            "by_month": [{"month": m, "mean": mean, "n": n}
                         for m, mean, n in zip(by_month.get("month", []), by_month.get("mean", []),
                                               by_month.get("n", []))],
            "model": {"version": learned.version, "labels": learned.labels,
                      "agreement": learned.share, "agreement_n": learned.n},
        },
        "follow_up": follow_up_block(follow_up_outcome(con, period, as_of, min_n)),
        "comparison": ({"from": previous.date_from, "to": previous.date_to} if previous is not None else None),
        "changes": ({c.metric: _change(c) for c in family.changes} if family is not None else {}),
        "tests_in_family": family.m if family is not None else 0,
    }
    return plain(result)
