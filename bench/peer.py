"""The naive peer: what a typical Streamlit dashboard does with the same files.

It reads the spreadsheets with pandas and recomputes every metric of a page with pandas on every
rerun: boolean masks for the filters, groupbys for the breakdowns, the survey kept wide as the
file has it. The benchmark times the reading of each file once and the recomputing per render, and
reports the page both ways: reading its files again on every rerun (an uncached script, the peer
the floor is held to) and with the frames kept between reruns (st.cache_data on the reader). It is not made slow on purpose: months
are grouped on an integer key, nothing is recomputed twice within a page, and what the dashboard
computes once at import (sentiment, causes derived from keywords) is handed to it from the store,
untimed. The significance tests are the dashboard's own small functions (analytics.stats), so
only the data work differs. `headline()` gives the numbers that must equal the dashboard's.
"""
from __future__ import annotations

import math
from datetime import timedelta

import numpy as np
import pandas as pd

from analytics.stats import mean_interval, two_proportion_z_test, welch_t_test, wilson_interval
from text.tiers import tier_of

ATTRIBUTES = [f"A{i:02d}" for i in range(1, 11)]
IMPORTANCE = ["I_" + a for a in ATTRIBUTES]
SERVQUAL = [f"S{i:02d}" for i in range(1, 11)]
NOT_APPLICABLE = 0
SCALE = (1.0, 5.0)
SERVQUAL_SCALE = (1.0, 7.0)
SLA_HOURS = 24.0
COMPLAINT_SHARE = 0.05

# Each frame's date and filter columns, as the files name them.
SURVEY = {"date": "Date", "branch": "Branch", "region": "Region", "channel": "Channel",
          "segment": "Segment", "product": "Product", "tier": "Tier"}
NPS = {"date": "日期", "branch": "网点", "region": "区域", "channel": "渠道", "segment": "客户类型",
       "product": "产品", "touchpoint": "触点", "tier": "客户等级"}
COMPLAINTS = {"date": "Received", "branch": "Branch", "region": "Region", "channel": "Channel",
              "segment": "Segment", "product": "Product", "tier": "Customer level"}
FILTER_COLUMNS = {"regions": "region", "branches": "branch", "channels": "channel", "segments": "segment",
                  "products": "product", "touchpoints": "touchpoint", "tiers": "tier"}


READERS = {
    "survey": ("survey.csv", lambda path: pd.read_csv(path, parse_dates=["Date"])),
    "nps": ("nps.csv", lambda path: pd.read_csv(path, encoding="gbk", parse_dates=["日期"])),
    "complaints": ("complaints.csv", lambda path: pd.read_csv(path, encoding="utf-8-sig",
                                                              parse_dates=["Received", "Resolved"])),
    "management": ("management.xlsx", lambda path: pd.read_excel(path, engine="openpyxl")),
    "standards": ("standards.csv", lambda path: pd.read_csv(path)),
}
# The files each page reads: what an uncached Streamlit script reads again on every rerun.
PAGE_FILES = {
    "overview": ("survey", "nps", "complaints"),
    "review": ("survey", "nps", "complaints", "management", "standards"),
    "csi": ("survey",),
    "gaps": ("survey", "nps", "complaints", "management", "standards"),
    "nps": ("nps",),
    "sentiment": ("survey", "nps", "complaints"),
    "complaints": ("complaints",),
    "sidebar": ("survey", "nps", "complaints"),
}


def load(files: dict) -> tuple[dict, dict]:
    """The files as a pandas dashboard reads them, and the seconds each read took."""
    import time

    frames, seconds = {}, {}
    for name, (file_name, read) in READERS.items():
        started = time.perf_counter()
        frames[name] = read(files[file_name])
        seconds[name] = time.perf_counter() - started
    return frames, seconds


def attach_sentiment(frames: dict, con) -> None:
    """Sentiment (and keyword-derived causes) as the dashboard stored them at import, by file row."""
    for name, table, extra in (("survey", "survey_response", ""), ("nps", "nps_response", ""),
                               ("complaints", "complaint", ", cause")):
        stored = con.execute(f"SELECT row_no, sentiment{extra} FROM {table} ORDER BY row_no").df()
        frame = frames[name]
        position = stored["row_no"].to_numpy() - 2  # row 1 is the header
        values = np.full(len(frame), np.nan)
        values[position] = stored["sentiment"].to_numpy(dtype=float, na_value=np.nan)
        frame["sentiment"] = values
        if extra:
            causes = np.full(len(frame), None, dtype=object)
            causes[position] = stored["cause"].to_numpy(dtype=object)
            frame["Cause"] = causes


def select(frame: pd.DataFrame, columns: dict, filters) -> pd.DataFrame:
    if filters is None:
        return frame.iloc[0:0]
    mask = np.ones(len(frame), dtype=bool)
    dates = frame[columns["date"]]
    if filters.date_from is not None:
        mask &= (dates >= pd.Timestamp(filters.date_from)).to_numpy()
    if filters.date_to is not None:
        mask &= (dates < pd.Timestamp(filters.date_to + timedelta(days=1))).to_numpy()
    for field, key in FILTER_COLUMNS.items():
        values = getattr(filters, field)
        if values and key in columns:
            cells = frame[columns[key]]
            if key == "tier":  # each file names the tiers in its own words
                cells = cells.map({word: tier_of(word) for word in cells.dropna().unique()})
            mask &= cells.isin(values).to_numpy()
    return frame[mask]


def month_key(dates: pd.Series) -> pd.Series:
    return dates.dt.year * 100 + dates.dt.month


# --- NPS ---------------------------------------------------------------------------------------

def nps_counts(scores: pd.Series) -> dict:
    n = int(scores.between(0, 10).sum())
    promoters, detractors = int((scores >= 9).sum()), int((scores <= 6).sum())
    if n == 0:
        return {"score": None, "n": 0}
    p, d = promoters / n, detractors / n
    se = 100 * math.sqrt(max(p + d - (p - d) ** 2, 0.0) / n)
    return {"score": 100 * (p - d), "n": n, "promoters": promoters, "detractors": detractors, "se": se}


def nps_by(frame: pd.DataFrame, key) -> pd.DataFrame:
    scores = frame["推荐得分"]
    table = pd.DataFrame({"key": key, "promoter": scores >= 9, "detractor": scores <= 6})
    grouped = table.groupby("key", dropna=False).agg(n=("promoter", "size"), promoters=("promoter", "sum"),
                                                     detractors=("detractor", "sum"))
    grouped["score"] = 100 * (grouped["promoters"] - grouped["detractors"]) / grouped["n"]
    return grouped


def nps_change(frames, current, previous) -> dict:
    now = nps_counts(select(frames["nps"], NPS, current)["推荐得分"])
    before = nps_counts(select(frames["nps"], NPS, previous)["推荐得分"])
    if now["score"] is not None and before["score"] is not None:
        se = math.sqrt(now["se"] ** 2 + before["se"] ** 2)
        now["significant"] = abs(now["score"] - before["score"]) > 1.96 * se
    return now


# --- CSI ---------------------------------------------------------------------------------------

def _scores_100(frame: pd.DataFrame) -> pd.DataFrame:
    ratings = frame[ATTRIBUTES].astype(float)
    ratings = ratings.where(ratings != NOT_APPLICABLE)
    return 100 * (ratings - SCALE[0]) / (SCALE[1] - SCALE[0])


def csi(frame: pd.DataFrame, weights: pd.Series | None = None) -> dict:
    """Stated importance weights (else derived r with overall, else equal), respondent-level index."""
    scores = _scores_100(frame)
    satisfaction = scores.mean()
    if weights is None:
        stated = frame[IMPORTANCE].mean()
        stated.index = ATTRIBUTES
        if stated.notna().all() and stated.sum() > 0:
            weights = stated
        else:
            derived = scores.corrwith(frame["Overall satisfaction"]).clip(lower=0).fillna(0)
            weights = derived if derived.sum() > 0 else pd.Series(1.0, index=ATTRIBUTES)
    answered = scores.notna()
    weight_sum = answered.mul(weights, axis=1).sum(axis=1)
    index = scores.mul(weights, axis=1).sum(axis=1) / weight_sum.where(weight_sum > 0)
    valid = satisfaction.notna()
    score = float((satisfaction[valid] * weights[valid]).sum() / weights[valid].sum()) if valid.any() else None
    return {"score": score, "weights": weights, "satisfaction": satisfaction, "sd": scores.std(),
            "n_attribute": scores.count(), "index": index, "index_mean": index.mean(),
            "index_sd": index.std(), "n": int(index.count())}


def csi_change(frames, current, previous) -> dict:
    now = csi(select(frames["survey"], SURVEY, current))
    before = csi(select(frames["survey"], SURVEY, previous), now["weights"])
    test = welch_t_test(now["index_mean"], now["index_sd"], now["n"],
                        before["index_mean"], before["index_sd"], before["n"])
    return {"now": now, "before": before, "test": test}


def attribute_changes(change: dict) -> pd.DataFrame:
    now, before = change["now"], change["before"]
    rows = []
    for code in ATTRIBUTES:
        test = welch_t_test(_num(now["satisfaction"][code]), _num(now["sd"][code]), int(now["n_attribute"][code]),
                            _num(before["satisfaction"][code]), _num(before["sd"][code]),
                            int(before["n_attribute"][code]))
        rows.append((code, test.diff, test.p_value, test.significant))
    return pd.DataFrame(rows, columns=["item_code", "delta", "p_value", "significant"])


def csi_by(frame: pd.DataFrame, key: pd.Series, weights: pd.Series) -> pd.DataFrame:
    scores = _scores_100(frame)
    satisfaction = scores.groupby(key).mean()
    weighted = (satisfaction * weights).sum(axis=1) / satisfaction.notna().mul(weights, axis=1).sum(axis=1)
    answered = scores.notna()
    index = scores.mul(weights, axis=1).sum(axis=1) / answered.mul(weights, axis=1).sum(axis=1).replace(0, np.nan)
    stats = index.groupby(key).agg(["count", "mean", "std"])
    table = pd.DataFrame({"csi": weighted, "n": stats["count"], "sd": stats["std"]})
    intervals = [mean_interval(c, s, n) for c, s, n in zip(table["csi"], table["sd"], table["n"])]
    table["ci_low"] = [i.low for i in intervals]
    table["ci_high"] = [i.high for i in intervals]
    return table


def importance_performance(now: dict) -> pd.DataFrame:
    table = pd.DataFrame({"importance": now["weights"], "satisfaction": now["satisfaction"]})
    high = table["importance"] >= table["importance"].mean()
    satisfied = table["satisfaction"] >= table["satisfaction"].mean()
    table["quadrant"] = np.where(high, np.where(satisfied, "keep_up", "fix_first"),
                                 np.where(satisfied, "possible_overkill", "low_priority"))
    return table


def key_drivers(frame: pd.DataFrame) -> pd.DataFrame:
    scores = _scores_100(frame)
    return pd.DataFrame({"r_overall": scores.corrwith(frame["Overall satisfaction"]),
                         "r_recommend": scores.corrwith(frame["Likelihood to recommend"])}
                        ).sort_values("r_overall", ascending=False)


# --- gaps ----------------------------------------------------------------------------------------

def gap5(frame: pd.DataFrame) -> dict:
    perception = frame[["P_" + s for s in SERVQUAL]].to_numpy(dtype=float, na_value=np.nan)
    expectation = frame[["E_" + s for s in SERVQUAL]].to_numpy(dtype=float, na_value=np.nan)
    gaps = pd.DataFrame(perception - expectation, columns=SERVQUAL)
    items = gaps.mean()
    paired = gaps.notna().any(axis=1).sum()
    # the csv names no dimensions, so every item is in one group and the overall is their mean
    return {"items": items, "overall": float(items.mean()) if items.notna().any() else None,
            "n": int(paired), "importance": frame[IMPORTANCE].stack().mean()}


def gap1(frames: dict, frame: pd.DataFrame) -> pd.Series:
    management = frames["management"]
    span = SERVQUAL_SCALE[1] - SERVQUAL_SCALE[0]
    estimate = ((management["Expected score"] - management["Scale min"])
                / (management["Scale max"] - management["Scale min"])).groupby(management["Item code"]).mean()
    expectation = (frame[["E_" + s for s in SERVQUAL]].mean() - SERVQUAL_SCALE[0]) / span
    expectation.index = SERVQUAL
    return (estimate - expectation) * span


def resolution(frame: pd.DataFrame) -> dict:
    hours = (frame["Resolved"] - frame["Received"]).dt.total_seconds() / 3600
    resolved = hours.dropna()
    escalated = frame["Escalated"]
    within = int((resolved <= SLA_HOURS).sum())
    return {"n": len(frame), "n_resolved": len(resolved), "median": resolved.median(),
            "within_sla": within / len(resolved) if len(resolved) else None, "within_n": within,
            "sla_interval": wilson_interval(within, len(resolved)),
            "escalated_n": int(escalated.eq("Yes").sum()), "known": int(escalated.isin(["Yes", "No"]).sum())}


def standards(frames: dict, current) -> pd.DataFrame:
    table = frames["standards"].copy()
    complaints = resolution(select(frames["complaints"], COMPLAINTS, current))
    measured = {
        "median_hours_to_resolve": complaints["median"],
        "share_within_sla": None if complaints["within_sla"] is None else 100 * complaints["within_sla"],
        "escalation_rate": 100 * complaints["escalated_n"] / complaints["known"] if complaints["known"] else None,
        "nps": nps_counts(select(frames["nps"], NPS, current)["推荐得分"])["score"],
        "csi": csi(select(frames["survey"], SURVEY, current))["score"],
    }
    actual = table["Actual"].fillna(table["Actual rule"].map(measured))
    direction = np.where(table["Better"].str.lower() == "higher", 1.0, -1.0)
    table["gap2"] = direction * (table["Target"] - table["Management view"])
    table["gap3"] = direction * (actual - table["Target"])
    table["gap4"] = direction * (actual - table["Promise"])
    return table


# --- sentiment -------------------------------------------------------------------------------------

def texts(frames: dict, filters) -> pd.DataFrame:
    parts = []
    for name, columns, text in (("survey", SURVEY, "Comment"), ("nps", NPS, "评论"),
                                ("complaint", COMPLAINTS, "Description")):
        frame = select(frames["survey" if name == "survey" else "nps" if name == "nps" else "complaints"],
                       columns, filters)
        frame = frame[frame["sentiment"].notna()]
        parts.append(pd.DataFrame({"source": name, "text": frame[text].to_numpy(),
                                   "date": frame[columns["date"]].to_numpy(),
                                   "branch": frame[columns["branch"]].to_numpy(),
                                   "sentiment": frame["sentiment"].to_numpy()}))
    return pd.concat(parts, ignore_index=True)


def sentiment_summary(values: pd.Series) -> dict:
    n = len(values)
    negative, positive = int((values < -0.05).sum()), int((values > 0.05).sum())
    return {"n": n, "mean": values.mean() if n else None, "sd": values.std() if n > 1 else None,
            "negative": negative, "positive": positive,
            "negative_interval": wilson_interval(negative, n), "mean_interval": mean_interval(
                values.mean() if n else None, values.std() if n > 1 else None, n)}


def sentiment_by(table: pd.DataFrame, key) -> pd.DataFrame:
    values = table["sentiment"]
    grouped = pd.DataFrame({"key": key, "sentiment": values, "negative": values < -0.05,
                            "positive": values > 0.05}).groupby("key", dropna=False)
    return grouped.agg(n=("sentiment", "size"), mean=("sentiment", "mean"), sd=("sentiment", "std"),
                       negative=("negative", "sum"), positive=("positive", "sum"))


def verbatims(table: pd.DataFrame, which: str, limit: int = 10) -> pd.DataFrame:
    if which == "negative":
        chosen = table[table["sentiment"] < -0.05]
        return chosen.sort_values(["sentiment", "date"], ascending=[True, False]).head(limit)
    chosen = table[table["sentiment"] > 0.05]
    return chosen.sort_values(["sentiment", "date"], ascending=[False, False]).head(limit)


# --- complaints ------------------------------------------------------------------------------------

def pareto(frame: pd.DataFrame) -> pd.DataFrame:
    causes = frame["Cause"].dropna().str.strip()
    counts = causes[causes != ""].value_counts().rename_axis("cause").reset_index(name="count")
    counts = counts.sort_values(["count", "cause"], ascending=[False, True]).reset_index(drop=True)
    total = counts["count"].sum()
    running = counts["count"].cumsum()
    counts["share"] = counts["count"] / total
    counts["cumulative"] = running / total
    counts["vital_few"] = (running - counts["count"]) * 5 < total * 4
    return counts


def rising(now: pd.DataFrame, before: pd.DataFrame) -> pd.DataFrame:
    counts = pd.DataFrame({"now": now["Cause"].value_counts(), "before": before["Cause"].value_counts()}).fillna(0)
    total_now, total_before = int(counts["now"].sum()), int(counts["before"].sum())
    tests = [two_proportion_z_test(int(a), total_now, int(b), total_before)
             for a, b in zip(counts["now"], counts["before"])]
    counts["significant"] = [t.significant for t in tests]
    return counts


def repeat_complainants(frame: pd.DataFrame, filters) -> dict:
    undated = frame if filters is None else select(frame, COMPLAINTS, _without_dates(filters))
    end = filters.date_to if filters is not None and filters.date_to is not None else undated["Received"].max().date()
    start = pd.Timestamp(end + timedelta(days=1)) - pd.DateOffset(months=12)
    window = undated[(undated["Received"] >= start) & (undated["Received"] < pd.Timestamp(end + timedelta(days=1)))]
    per_customer = window["Customer ID"].dropna().value_counts()
    return {"customers": len(per_customer), "repeat": int((per_customer >= 2).sum())}


def _without_dates(filters):
    from dataclasses import replace

    return replace(filters, date_from=None, date_to=None)


def _num(value) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)


# --- the pages, recomputed on every rerun -------------------------------------------------------------

def page_overview(frames, selection) -> None:
    current, previous, trend = selection["current"], selection["previous"], selection["trend"]
    nps_change(frames, current, previous)
    change = csi_change(frames, current, previous)
    a, b = resolution(select(frames["complaints"], COMPLAINTS, current)), \
        resolution(select(frames["complaints"], COMPLAINTS, previous))
    two_proportion_z_test(a["within_n"], a["n_resolved"], b["within_n"], b["n_resolved"])
    two_proportion_z_test(a["escalated_n"], a["known"], b["escalated_n"], b["known"])
    sentiment_change(frames, current, previous)
    rising(select(frames["complaints"], COMPLAINTS, current), select(frames["complaints"], COMPLAINTS, previous))
    for filters in (current, previous):
        frame = select(frames["nps"], NPS, filters)
        nps_by(frame, frame["网点"])
    nps_trend = select(frames["nps"], NPS, trend)
    nps_by(nps_trend, month_key(nps_trend["日期"]))
    complaint_trend = select(frames["complaints"], COMPLAINTS, trend)
    complaint_trend.groupby(month_key(complaint_trend["Received"])).size()
    survey_trend = select(frames["survey"], SURVEY, trend)
    csi_by(survey_trend, month_key(survey_trend["Date"]), change["now"]["weights"])
    trend_texts = texts(frames, trend)
    sentiment_by(trend_texts, month_key(pd.to_datetime(trend_texts["date"])))


def page_csi(frames, selection) -> None:
    change = csi_change(frames, selection["current"], selection["previous"])
    attribute_changes(change)
    importance_performance(change["now"])
    survey_trend = select(frames["survey"], SURVEY, selection["trend"])
    csi_by(survey_trend, month_key(survey_trend["Date"]), change["now"]["weights"])


def page_gaps(frames, selection) -> None:
    survey_now = select(frames["survey"], SURVEY, selection["current"])
    gap5(survey_now)
    gap1(frames, survey_now)
    standards(frames, selection["current"])


def page_nps(frames, selection) -> None:
    current, previous = selection["current"], selection["previous"]
    nps_change(frames, current, previous)
    trend = select(frames["nps"], NPS, selection["trend"])
    nps_by(trend, month_key(trend["日期"]))
    now, before = select(frames["nps"], NPS, current), select(frames["nps"], NPS, previous)
    for frame in (now, before):
        nps_by(frame, frame["触点"])
        nps_by(frame, frame["网点"])
    detractors = now[(now["推荐得分"] <= 6) & now["评论"].notna()]
    detractors.sort_values("日期", ascending=False).head(50)


def sentiment_change(frames, current, previous) -> None:
    now, before = texts(frames, current), texts(frames, previous)
    a, b = sentiment_summary(now["sentiment"]), sentiment_summary(before["sentiment"])
    welch_t_test(a["mean"], a["sd"], a["n"], b["mean"], b["sd"], b["n"])
    two_proportion_z_test(a["negative"], a["n"], b["negative"], b["n"])


def page_sentiment(frames, selection) -> None:
    sentiment_change(frames, selection["current"], selection["previous"])
    trend = texts(frames, selection["trend"])
    sentiment_by(trend, month_key(pd.to_datetime(trend["date"])))
    now = texts(frames, selection["current"])
    sentiment_by(now, now["branch"])
    sentiment_by(now, now["source"])
    verbatims(now, "negative", 20)


def page_complaints(frames, selection) -> None:
    now = select(frames["complaints"], COMPLAINTS, selection["current"])
    before = select(frames["complaints"], COMPLAINTS, selection["previous"])
    a, b = resolution(now), resolution(before)
    two_proportion_z_test(a["within_n"], a["n_resolved"], b["within_n"], b["n_resolved"])
    two_proportion_z_test(a["escalated_n"], a["known"], b["escalated_n"], b["known"])
    repeat_complainants(frames["complaints"], selection["current"])
    pareto(now)
    now["Cause"].notna().sum()
    rising(now, before)
    hours = (now["Resolved"] - now["Received"]).dt.total_seconds() / 3600
    pd.cut(hours.dropna(), [0, 4, 8, 12, 24, 48, 72, 168, np.inf]).value_counts(sort=False)
    len(now), now["Customer ID"].nunique()


def page_review(frames, selection) -> None:
    """The monthly review: headlines against last month and the same month last year, then the
    CSI grid, the gap model, the causes, the branches, the trends and the verbatims."""
    current, previous, last_year = selection["current"], selection["previous"], selection["last_year"]
    change = csi_change(frames, current, previous)
    csi_change(frames, current, last_year)
    for other in (previous, last_year):
        nps_change(frames, current, other)
        sentiment_change(frames, current, other)
    now = select(frames["complaints"], COMPLAINTS, current)
    before = select(frames["complaints"], COMPLAINTS, previous)
    len(now), len(before), len(select(frames["complaints"], COMPLAINTS, last_year))
    attribute_changes(change)
    importance_performance(change["now"])
    page_gaps(frames, selection)
    causes = pareto(now)
    rising(now, before)
    for filters in (current, previous):
        frame = select(frames["nps"], NPS, filters)
        nps_by(frame, frame["网点"])
    nps_trend = select(frames["nps"], NPS, selection["trend"])
    nps_by(nps_trend, month_key(nps_trend["日期"]))
    trend_texts = texts(frames, selection["trend"])
    sentiment_by(trend_texts, month_key(pd.to_datetime(trend_texts["date"])))
    now_texts = texts(frames, current)
    verbatims(now_texts, "negative", 1)
    verbatims(now_texts, "positive", 1)
    if len(causes):
        typical = now[now["Cause"] == causes["cause"].iloc[0]]
        typical.sort_values("sentiment").head(1)


def page_sidebar(frames, selection) -> None:
    for key in ("region", "branch", "channel", "segment", "product", "touchpoint"):
        values = set()
        for frame, columns in ((frames["survey"], SURVEY), (frames["nps"], NPS), (frames["complaints"], COMPLAINTS)):
            if key in columns:
                values.update(frame[columns[key]].dropna().unique())
        sorted(values)
    min(frames["survey"]["Date"].min(), frames["nps"]["日期"].min(), frames["complaints"]["Received"].min())


PAGES = {"overview": page_overview, "review": page_review, "csi": page_csi, "gaps": page_gaps, "nps": page_nps,
         "sentiment": page_sentiment, "complaints": page_complaints, "sidebar": page_sidebar}


def headline(frames: dict, current) -> dict:
    """The dashboard's headline numbers, recomputed by the peer (bench/steps.headline is ours)."""
    complaints = select(frames["complaints"], COMPLAINTS, current)
    top = pareto(complaints)
    return {
        "nps": nps_counts(select(frames["nps"], NPS, current)["推荐得分"])["score"],
        "csi": csi(select(frames["survey"], SURVEY, current))["score"],
        "gap5": gap5(select(frames["survey"], SURVEY, current))["overall"],
        "sentiment_mean": _num(texts(frames, current)["sentiment"].mean()),
        "complaints": len(complaints),
        "top_cause_count": int(top["count"].iloc[0]) if len(top) else None,
    }
