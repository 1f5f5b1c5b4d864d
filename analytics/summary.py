"""The month's numbers in one plain dict: what `python -m analytics summary --json` prints.

Every value is a JSON number, string, list, dict or null: a figure without data is null, never NaN.
"""
from __future__ import annotations

import math
from dataclasses import replace
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from analytics.complaints import DEFAULT_SLA_HOURS, cause_pareto, complaint_counts, resolution_stats
from analytics.csi import csi_score
from analytics.filters import Filters, resolve_period
from analytics.gaps import gap1, gap5
from analytics.nps import nps_score
from analytics.sentiment import model_agreement, sentiment_by, sentiment_summary

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


def _attribute_names(attributes) -> dict[str, float]:
    """Attributes by question text; a text shared by two item codes is told apart by its code."""
    texts = attributes["attribute"].tolist()
    named = {}
    for code, text, satisfaction in zip(attributes["item_code"], texts, attributes["satisfaction"]):
        name = text if texts.count(text) == 1 else f"{text} ({code})"
        named[name] = satisfaction
    return named


def summary(con, filters: Filters = Filters(), sla_hours: float = DEFAULT_SLA_HOURS) -> dict:
    """NPS, CSI, gaps, complaints and sentiment of one period, as issue 4's JSON shape.

    Without dates the period is the whole range of the data.
    """
    period = resolve_period(con, filters)
    if period.date_from is None or period.date_to is None:
        period = replace(filters)  # no data at all: nothing to narrow

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
        "nps": {"score": nps.score, "n": nps.n, "promoters": nps.promoters, "passives": nps.passives,
                "detractors": nps.detractors, "se": nps.se, "moe95": nps.moe95},
        "csi": {"score": csi.score, "n": csi.n, "weights": csi.weights, "ci_low": csi.ci_low,
                "ci_high": csi.ci_high, "attributes": _attribute_names(csi.attributes)},
        "gaps": {
            "gap5": dict(zip(five.dimensions["dimension"], five.dimensions["gap"])),
            "gap5_overall": five.overall,
            "gap5_overall_weighted": five.overall_weighted,
            "gap5_n": five.n,
            "gap1": (dict(zip(one.dimensions["dimension"], one.dimensions["gap"]))
                     if one.missing is None else None),
        },
        "complaints": {
            "n": counts.n,
            "n_with_cause": counts.n_with_cause,
            "top_causes": [{"cause": c, "count": k, "share": s, "cumulative": cu, "vital_few": v}
                           for c, k, s, cu, v in pareto.itertuples(index=False, name=None)],
            "median_hours_to_resolve": resolution.median_hours_to_resolve,
            "n_resolved": resolution.n_resolved,
            "within_sla": resolution.within_sla,
            "sla_hours": resolution.sla_hours,
            "escalation_rate": resolution.escalation_rate,
        },
        "sentiment": {
            "n": sentiment.n, "mean": sentiment.mean, "negative_share": sentiment.negative_share,
            "by_month": [{"month": m, "mean": mean, "n": n}
                         for m, mean, n in zip(by_month.get("month", []), by_month.get("mean", []),
                                               by_month.get("n", []))],
            "model": {"version": learned.version, "labels": learned.labels,
                      "agreement": learned.share, "agreement_n": learned.n},
        },
    }
    return plain(result)
