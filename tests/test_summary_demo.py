"""`python -m analytics summary --json` on the demo store equals plain pandas on the demo files.

The pandas side reads the committed spreadsheets with pandas/openpyxl and applies DESIGN.md's
definitions directly; the only shared code is the sentiment scorer and the keyword cause
deriver, which are the definitions of those two fields (the loaders store what they return).
"""
from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from conftest import PROJECT_ROOT, copy_demo_store
from openpyxl import load_workbook

from loaders.demo import DEMO_FOLDER, FILE_NAMES
from store.db import connect
from text.causes import derive_causes
from store.sentiment_model import latest_model
from text.sentiment import polarities, polarity

MONTH_FROM, MONTH_TO = "2026-10-01", "2026-10-31"
SLA_HOURS = 24


def sheet(name: str, title: str) -> pd.DataFrame:
    rows = list(load_workbook(DEMO_FOLDER / name, read_only=True)[title].values)
    width = len(rows[0])
    return pd.DataFrame([list(r) + [None] * (width - len(r)) for r in rows[1:]], columns=rows[0])


@pytest.fixture(scope="module")
def demo_db(committed_demo_master, tmp_path_factory):
    return copy_demo_store(committed_demo_master, tmp_path_factory.mktemp("summary"))


@pytest.fixture(scope="module")
def cli_summary(demo_db):
    done = subprocess.run([sys.executable, "-m", "analytics", "summary", "--db", str(demo_db),
                           "--from", MONTH_FROM, "--to", MONTH_TO, "--json"],
                          capture_output=True, text=True, cwd=PROJECT_ROOT, check=True)
    return json.loads(done.stdout)


def in_period(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    at = pd.to_datetime(frame[column])
    return frame[(at >= MONTH_FROM) & (at < pd.Timestamp(MONTH_TO) + pd.Timedelta(days=1))]


@pytest.fixture(scope="module")
def survey():
    return in_period(sheet(FILE_NAMES["survey"], "Responses"), "Date")


@pytest.fixture(scope="module")
def questions():
    return sheet(FILE_NAMES["survey"], "Questions")


@pytest.mark.slow
def test_period(cli_summary):
    assert cli_summary["period"] == {"from": MONTH_FROM, "to": MONTH_TO}


def test_nps_equals_pandas(cli_summary):
    nps = in_period(pd.read_csv(DEMO_FOLDER / FILE_NAMES["nps"], encoding="gbk"), "日期")
    scores = nps["推荐得分"]
    n = len(scores)
    promoters, detractors = int((scores >= 9).sum()), int((scores <= 6).sum())
    p_plus, p_minus = promoters / n, detractors / n
    # adjusted Wald (Rocks 2016): n' = n + 3, ¾ added to promoters and to detractors
    a_plus, a_minus = (promoters + 0.75) / (n + 3), (detractors + 0.75) / (n + 3)
    se = 100 * np.sqrt((a_plus + a_minus - (a_plus - a_minus) ** 2) / (n + 3))
    got = cli_summary["nps"]
    assert (got["n"], got["promoters"], got["detractors"], got["passives"]) == (
        n, promoters, detractors, n - promoters - detractors)
    assert got["score"] == pytest.approx(100 * (p_plus - p_minus), abs=1e-9)
    assert got["se"] == pytest.approx(se, abs=1e-9)
    centre = 100 * (a_plus - a_minus)
    assert got["ci95"] == [pytest.approx(centre - 1.959964 * se, abs=1e-4), pytest.approx(centre + 1.959964 * se, abs=1e-4)]
    assert got["too_few"] is False


@pytest.mark.slow
def test_attribute_satisfaction_and_csi_with_stated_weights_equal_pandas(cli_summary, survey, questions):
    attributes = questions[questions["Kind"] == "satisfaction"]
    satisfaction, weights = {}, {}
    for q in attributes.itertuples(index=False):
        answers = survey[q.Code]
        answers = answers[answers.notna() & (answers != q[6])]       # column 6: the N/A code
        satisfaction[q.Question] = 100 * (answers.mean() - q[4]) / (q[5] - q[4])
        weights[q.Question] = survey["I_" + q.Code].dropna().mean()   # stated importance
    csi = sum(weights[a] * satisfaction[a] for a in satisfaction) / sum(weights.values())
    got = cli_summary["csi"]
    assert got["weights"] == "stated"
    assert got["attributes"] == pytest.approx(satisfaction, abs=1e-9)
    assert got["score"] == pytest.approx(csi, abs=1e-9)


def test_gap5_per_dimension_and_overall_equal_pandas(cli_summary, survey, questions):
    items = questions[questions["Kind"] == "perception"]
    item_gaps = {}
    for q in items.itertuples(index=False):
        code = q.Code[2:]
        pairs = survey[["E_" + code, "P_" + code]].dropna()
        item_gaps[code] = ((pairs["P_" + code] - pairs["E_" + code]).mean(), q.Dimension)
    by_dimension = pd.DataFrame(item_gaps.values(), columns=["gap", "dimension"]).groupby("dimension")["gap"].mean()
    got = cli_summary["gaps"]
    assert got["gap5"] == pytest.approx(by_dimension.to_dict(), abs=1e-9)
    assert got["gap5_overall"] == pytest.approx(by_dimension.mean(), abs=1e-9)


def test_gap1_equals_pandas(cli_summary, survey):
    management = sheet(FILE_NAMES["management"], "Estimates")      # one estimate: not filtered by period
    estimate = management.groupby("Item code")["Expected score"].mean()
    dimension = management.groupby("Item code")["Dimension"].first()
    gaps = {code: estimate[code] - survey["E_" + code].dropna().mean() for code in estimate.index}
    by_dimension = pd.Series(gaps).groupby(dimension).mean()
    assert cli_summary["gaps"]["gap1"] == pytest.approx(by_dimension.to_dict(), abs=1e-9)


@pytest.fixture(scope="module")
def complaints():
    every = pd.read_csv(DEMO_FOLDER / FILE_NAMES["complaints"], encoding="utf-8-sig")
    labelled = every.dropna(subset=["Cause", "Description"])
    blank = every["Cause"].isna() & every["Description"].notna()
    derived = derive_causes(pd.DataFrame({"text": labelled["Description"], "cause": labelled["Cause"]}),
                            every.loc[blank, "Description"].tolist())
    every.loc[blank, "Cause"] = derived
    return in_period(every, "Received")


def test_complaint_causes_and_resolution_equal_pandas(cli_summary, complaints):
    counts = complaints["Cause"].value_counts()
    with_cause = int(counts.sum())
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))   # ties by name
    cumulative, expected = 0, []
    for cause, count in ordered[:10]:
        cumulative += count
        expected.append({"cause": cause, "count": int(count), "share": pytest.approx(count / with_cause),
                         "cumulative": pytest.approx(cumulative / with_cause)})
    got = cli_summary["complaints"]
    assert got["n"] == len(complaints)
    assert [{k: c[k] for k in ("cause", "count", "share", "cumulative")} for c in got["top_causes"]] == expected
    # as of the file's last moment (the latest received or resolved time of any complaint), an open
    # complaint has been open that long: it is censored in the Kaplan–Meier median and, once its SLA
    # time has passed, counts as missed
    every = pd.read_csv(DEMO_FOLDER / FILE_NAMES["complaints"], encoding="utf-8-sig")
    as_of = max(pd.to_datetime(every["Received"]).max(), pd.to_datetime(every["Resolved"]).max())
    received, resolved = pd.to_datetime(complaints["Received"]), pd.to_datetime(complaints["Resolved"])
    hours = ((resolved.fillna(as_of) - received).dt.total_seconds() / 3600).to_numpy()
    ended = resolved.notna().to_numpy()
    survival, median = 1.0, None
    for t in sorted(set(hours[ended])):  # product-limit, by hand
        survival *= 1 - ((hours == t) & ended).sum() / (hours >= t).sum()
        if survival <= 0.5:
            median = t
            break
    assert got["n_open"] == int((~ended).sum())
    assert got["median_hours_to_resolve"] == pytest.approx(median, abs=1e-9)
    due = ((as_of - received).dt.total_seconds() / 3600) >= SLA_HOURS
    assert got["within_sla"] == pytest.approx((due & ended & (hours <= SLA_HOURS)).sum() / due.sum(), abs=1e-12)


def test_sentiment_equals_pandas(cli_summary, survey, complaints, demo_db):
    nps = in_period(pd.read_csv(DEMO_FOLDER / FILE_NAMES["nps"], encoding="gbk"), "日期")
    texts = pd.concat([survey["Comment"], nps["评论"], complaints["Description"]]).dropna()
    # the demo's comments with their writers' scores trained a model at import, which scores every text
    con = connect(demo_db, read_only=True)
    try:
        model = latest_model(con)
    finally:
        con.close()
    assert model is not None
    scored = [(language, value) for language, value in (polarity(t) for t in texts)]
    scores = pd.Series([value for (language, _), value in zip(scored, polarities(list(texts), model=model))
                        if language is not None])
    got = cli_summary["sentiment"]
    assert got["n"] == len(scores)
    assert got["mean"] == pytest.approx(scores.mean(), abs=1e-9)
    assert got["negative_share"] == pytest.approx((scores < -0.05).mean(), abs=1e-12)
    assert got["by_month"] == [{"month": "2026-10", "mean": pytest.approx(scores.mean(), abs=1e-9),
                                "n": len(scores)}]


def test_the_first_findings_are_the_demos_planted_stories(cli_summary):
    # the demo's planted stories (loaders.demo): the mobile-app complaints' spike, which doubles
    # October's complaints on a year before (smallest p), and Guangzhou Tianhe's NPS sliding over the
    # last six months
    first, second = cli_summary["findings"][:2]
    assert (first["kind"], first["subject"], first["metric"], first["direction"]) == (
        "year_on_year", None, "complaints", "up")
    assert (second["kind"], second["subject"], second["metric"], second["direction"]) == (
        "trend", "Guangzhou Tianhe", "nps", "down")
    assert second["q"] < 0.05 and second["p"] <= second["q"] and second["n"] >= 30
    assert second["sentence"].startswith("Guangzhou Tianhe: NPS has fallen over the last 12 months")
    # every finding passed the family's test and carries its numbers
    assert all(f["q"] < 0.05 and f["direction"] in ("up", "down") for f in cli_summary["findings"])
    assert cli_summary["tests_in_family"] > 20


def test_the_reviews_first_areas_to_act_on_are_the_complaints_and_guangzhou_tianhe(demo_db):
    from analytics.review import month_review
    from presentation.story import story

    con = connect(demo_db, read_only=True, create=False)
    try:
        review = month_review(con, "2026-10")
    finally:
        con.close()
    first, second = review.actions[:2]
    assert (first.kind, first.finding["metric"]) == ("year_on_year", "complaints")
    assert (second.kind, second.subject, second.finding["metric"]) == ("trend", "Guangzhou Tianhe", "nps")
    actions = next(s for s in story(review, "en").sections if s.id == "actions")
    assert actions.sentences[1].text.startswith("Guangzhou Tianhe: NPS has fallen")
