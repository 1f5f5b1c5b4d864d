"""The branch league table as the Branches page shows it: one text cell per figure (value, interval,
n) and a colour only where the branch differs from the rest of the company (analytics.league)."""
from __future__ import annotations

import pandas as pd

from analytics.stats import MIN_N
from presentation import charts
from presentation.formats import fmt_count, fmt_share, fmt_signed, fmt_number
from presentation.i18n import translate

SORTS = ("nps", "csi", "complaints", "negative")
# how a column sorts (best first) and which direction of difference is good
_SORT = {"nps": ("nps", False), "csi": ("csi", False), "complaints": ("complaints", True),
         "negative": ("negative_share", True)}
_GOOD, _BAD = "background-color: #dcefdc", "background-color: #f6d5d5"
COLUMNS = {"branch": "col.branch", "nps": "col.nps", "csi": "col.csi", "complaints": "col.complaints",
           "negative_share": "col.negative_share"}


def _cell(value, low, high, n, too_few: bool, fmt, language: str) -> str:
    if value is None or pd.isna(value):
        return "—"
    if too_few:
        return translate("branches.cell_too_few", language, value=fmt(value), n=fmt_count(n))
    return translate("branches.cell", language, value=fmt(value), low=fmt(low), high=fmt(high), n=fmt_count(n))


def league_view(league: pd.DataFrame, sort: str, language: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(cells, styles): the table's text with translated headers, sorted by `sort` best first, and a
    same-shaped frame of CSS for the cells that differ significantly (green better, red worse)."""
    column, ascending = _SORT[sort]
    ordered = league.sort_values([column, "branch"], ascending=[ascending, True], na_position="last")
    cells = pd.DataFrame({
        "branch": ordered["branch"],
        "nps": [_cell(v, lo, hi, n, f, lambda x: fmt_signed(x, 1), language) for v, lo, hi, n, f in
                zip(ordered["nps"], ordered["nps_low"], ordered["nps_high"], ordered["nps_n"], ordered["nps_too_few"])],
        "csi": [_cell(v, lo, hi, n, f, lambda x: fmt_number(x, 1), language) for v, lo, hi, n, f in
                zip(ordered["csi"], ordered["csi_low"], ordered["csi_high"], ordered["csi_n"], ordered["csi_too_few"])],
        "complaints": [fmt_count(v) for v in ordered["complaints"]],
        "negative_share": [_cell(v, lo, hi, n, f, fmt_share, language) for v, lo, hi, n, f in
                           zip(ordered["negative_share"], ordered["negative_low"], ordered["negative_high"],
                               ordered["negative_n"], ordered["negative_too_few"])],
    })
    styles = pd.DataFrame("", index=cells.index, columns=cells.columns)
    for metric, shown, higher_is_better in (("nps", "nps", True), ("csi", "csi", True),
                                            ("negative", "negative_share", False)):
        for index, verdict in zip(ordered.index, ordered[f"{metric}_vs_company"]):
            if verdict in ("above", "below"):
                styles.at[index, shown] = _GOOD if (verdict == "above") == higher_is_better else _BAD
    cells = cells.reset_index(drop=True)
    styles = styles.reset_index(drop=True)
    headers = {c: translate(key, language) for c, key in COLUMNS.items()}
    return cells.rename(columns=headers), styles.rename(columns=headers)


def league_note(league: pd.DataFrame, language: str, min_n: int = MIN_N) -> str:
    m = int(sum(league[f"{metric}_q"].notna().sum() for metric in ("nps", "csi", "negative")))
    return translate("branches.note", language, m=m, min_n=min_n)


def league_chart(league: pd.DataFrame, language: str):
    """NPS by branch with its adjusted-Wald interval (charts.group_nps), titled by what it shows:
    the branches whose NPS differs from the rest of the company, or that none does."""
    table = pd.DataFrame({"branch": league["branch"], "score": league["nps"], "n": league["nps_n"],
                          "ci_low": league["nps_low"], "ci_high": league["nps_high"],
                          "delta": float("nan"), "significant": False})
    if "branch_as_given" in league.columns:  # labelled (presentation.labels): the names as stored beside
        table["branch_as_given"] = league["branch_as_given"]
    table = table[table["score"].notna()]
    below = league[league["nps_vs_company"] == "below"]["branch"].tolist()
    above = league[league["nps_vs_company"] == "above"]["branch"].tolist()
    separator = translate("fmt.list_sep", language)
    if below or above:
        title = translate("branches.chart_title", language, below=separator.join(below) or "—",
                          above=separator.join(above) or "—")
    else:
        title = translate("branches.chart_title_none", language)
    return charts.group_nps(table, "branch", title=title, language=language)
