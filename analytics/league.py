"""The branch league table: every branch's NPS, CSI, complaints and negative share with n and
interval, and whether it differs from the rest of the company beyond chance (issue 19).

Each branch is compared with the company without it (the two are then independent samples): NPS
by the adjusted-Wald difference test, CSI by Welch's t on the respondent-level index, the negative
share by the two-proportion z-test. The tests of all branches and metrics are one family
(Benjamini–Hochberg, q < 0.05); a branch below the minimum n is shown, never coloured. Complaints
are counted but not tested: without the branch's number of customers there is no rate to compare.
"""
from __future__ import annotations

import pandas as pd

from analytics import ratings
from analytics.complaints import complaint_counts_by
from analytics.csi import csi_by, csi_index_by, csi_weights
from analytics.filters import Filters
from analytics.memo import shared_results
from analytics.nps import nps_by
from analytics.sentiment import sentiment_by
from analytics.stats import ALPHA, MIN_N, benjamini_hochberg, nps_difference_test, two_proportion_z_test, welch_t_test

METRICS = ("nps", "csi", "negative")
COLUMNS = ["branch", "nps", "nps_n", "nps_low", "nps_high", "csi", "csi_n", "csi_low", "csi_high", "complaints",
           "negative_share", "negative_n", "negative_low", "negative_high"] + \
    [f"{m}_{c}" for m in METRICS for c in ("p", "q", "vs_company", "too_few")]


def branch_league(con, filters: Filters = Filters(), min_n: int = MIN_N) -> pd.DataFrame:
    """One row per branch (COLUMNS), largest NPS first.

    <metric>_vs_company is 'above', 'below' or None (not significantly different after the family
    correction, or too few); <metric>_p and _q the test's p and its Benjamini–Hochberg q.
    """
    nps = nps_by(con, filters, "branch")
    nps = nps[nps["branch"].notna()]
    with shared_results():  # the branches' CSI and their respondent-level index read one set of sums
        weights = csi_weights(con, filters)
        csi = csi_by(con, filters, "branch", weights=weights) if weights.by_item else pd.DataFrame(
            {"branch": [], "csi": [], "n": [], "ci_low": [], "ci_high": []})
        index = csi_index_by(con, filters, "branch", weights) if weights.by_item else pd.DataFrame(
            {"grp": [], "n": [], "mean": [], "sd": []})
    sentiment = sentiment_by(con, filters, "branch")
    complaints = complaint_counts_by(con, filters, "branch")
    branches = sorted({b for frame, column in ((nps, "branch"), (csi, "branch"), (sentiment, "branch"))
                       for b in frame[column] if b is not None} | {b for b in complaints if b is not None})
    rows = {b: {c: None for c in COLUMNS} | {"branch": b, "complaints": 0} for b in branches}
    totals = (int(nps["promoters"].sum()), int(nps["detractors"].sum()), int(nps["n"].sum()))
    for r in nps.itertuples(index=False):
        row = rows[r.branch]
        row.update(nps=r.score, nps_n=int(r.n), nps_low=r.ci_low, nps_high=r.ci_high)
        rest = (totals[0] - r.promoters, totals[1] - r.detractors, totals[2] - r.n)
        if rest[2] > 0:
            row["nps_p"] = nps_difference_test(r.promoters, r.detractors, r.n, *rest).p_value
    for r in csi.itertuples(index=False):
        if r.branch is None:  # respondents of no branch are in the company's figures, not a row of their own
            continue
        rows[r.branch].update(csi=r.csi, csi_n=int(r.n), csi_low=r.ci_low, csi_high=r.ci_high)
    groups = {g: (int(n), m, s) for g, n, m, s in zip(index["grp"], index["n"], index["mean"], index["sd"])
              if g is not None}
    for branch, (n, mean, sd) in groups.items():
        rest_n, rest_mean, rest_sd = ratings.pooled([v for b, v in groups.items() if b != branch])
        if branch in rows and rest_n:
            rows[branch]["csi_p"] = welch_t_test(mean, sd, n, rest_mean, rest_sd, rest_n).p_value
    negatives = {b: round(s * n) for b, s, n in zip(sentiment["branch"], sentiment["negative_share"], sentiment["n"])
                 if b is not None}
    texts = {b: int(n) for b, n in zip(sentiment["branch"], sentiment["n"]) if b is not None}
    for r in sentiment[sentiment["branch"].notna()].itertuples(index=False):
        row = rows[r.branch]
        row.update(negative_share=r.negative_share, negative_n=int(r.n), negative_low=r.negative_ci_low,
                   negative_high=r.negative_ci_high)
        rest_k, rest_n = sum(negatives.values()) - negatives[r.branch], sum(texts.values()) - texts[r.branch]
        if rest_n:
            row["negative_p"] = two_proportion_z_test(negatives[r.branch], int(r.n), rest_k, rest_n).p_value
    for branch, k in complaints.items():
        if branch in rows:
            rows[branch]["complaints"] = k
    table = pd.DataFrame(list(rows.values()), columns=COLUMNS).astype({"complaints": "int64"})
    _adjust(table, min_n)
    return table.sort_values(["nps", "branch"], ascending=[False, True], na_position="last").reset_index(drop=True)


def _adjust(table: pd.DataFrame, min_n: int, alpha: float = ALPHA) -> None:
    """Benjamini–Hochberg over every branch × metric test; the verdicts in <metric>_vs_company."""
    sizes = {"nps": "nps_n", "csi": "csi_n", "negative": "negative_n"}
    values = {"nps": "nps", "csi": "csi", "negative": "negative_share"}
    members = []
    for metric in METRICS:
        few = [n is None or pd.isna(n) or int(n) < min_n for n in table[sizes[metric]]]
        table[f"{metric}_too_few"] = few
        members += [(metric, i, p) for i, (p, f) in enumerate(zip(table[f"{metric}_p"], few))
                    if not f and p is not None and not pd.isna(p)]
    q = benjamini_hochberg([p for _, _, p in members])
    for metric in METRICS:
        table[f"{metric}_q"] = None
        table[f"{metric}_vs_company"] = None
    company = {m: _company(table, values[m], sizes[m]) for m in METRICS}
    for (metric, i, _), value in zip(members, q):
        table.at[i, f"{metric}_q"] = value
        if value is not None and value < alpha and company[metric] is not None:
            shown = table.at[i, values[metric]]
            table.at[i, f"{metric}_vs_company"] = "above" if shown > company[metric] else "below"


def _company(table: pd.DataFrame, metric: str, size: str) -> float | None:
    known = table[table[metric].notna() & table[size].notna()]
    if known.empty:
        return None
    return float((known[metric] * known[size]).sum() / known[size].sum())


__all__ = ["branch_league", "COLUMNS"]
