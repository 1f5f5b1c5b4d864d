"""The demo data: seeded, in the layout analysts receive, within every scale, and with the
patterns a manager is meant to find (the declining branch, the rising cause)."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from loaders import demo as demo_module
from loaders.demo import (
    CAUSE_KEYWORDS, DEMO_FOLDER, FILE_NAMES, DemoData, distinct_texts, generate, write_files
)

FRAMES = ["survey_responses", "survey_questions", "nps", "complaints", "management", "standards"]
CJK = re.compile(r"[\u4e00-\u9fff]")
EMAIL = re.compile(r"[\w.]+@example\.com")
PHONE = re.compile(r"(?<!\d)1[358]\d{9}(?!\d)")
NAME = re.compile(r"\b(?:Mr|Ms|Mrs) [A-Z][a-z]+|[王李张陈刘赵黄周](?:先生|女士)")
ATTRIBUTES = [f"A{i:02d}" for i in range(1, 11)]
SERVQUAL = [f"S{i:02d}" for i in range(1, 11)]


@pytest.fixture(scope="module")
def demo() -> DemoData:
    return generate()


@pytest.fixture(scope="module")
def written(demo, tmp_path_factory) -> dict[str, Path]:
    return write_files(demo, tmp_path_factory.mktemp("demo"))


def months_of(dates: pd.Series) -> pd.Series:
    return dates.dt.to_period("M")


def nps_of(scores: pd.Series) -> float:
    return 100 * ((scores >= 9).mean() - (scores <= 6).mean())


# --- determinism and sizes ----------------------------------------------------------------------
def test_same_arguments_give_the_same_data():
    first, second = generate(responses=500, seed=3), generate(responses=500, seed=3)
    for name in FRAMES:
        pd.testing.assert_frame_equal(getattr(first, name), getattr(second, name))


def test_another_seed_gives_other_data():
    first, second = generate(responses=500, seed=3), generate(responses=500, seed=4)
    assert not first.survey_responses.equals(second.survey_responses)
    assert not first.complaints.equals(second.complaints)


@pytest.mark.parametrize("responses, nps_rows, complaint_rows", [(4000, 6000, 1200), (500, 750, 150)])
def test_sizes_follow_responses(responses, nps_rows, complaint_rows):
    data = generate(responses=responses)
    assert len(data.survey_responses) == responses
    assert len(data.nps) == nps_rows
    assert len(data.complaints) == complaint_rows
    assert len(data.management) == 3 * 10
    assert len(data.survey_questions) == 40
    assert 6 <= len(data.standards) <= 8


@pytest.mark.parametrize("nps_rows, complaint_rows", [(800, 160), (None, 90), (700, None)])
def test_nps_and_complaint_counts_can_be_set(nps_rows, complaint_rows):
    data = generate(responses=600, seed=3, nps_responses=nps_rows, complaints=complaint_rows)
    assert len(data.survey_responses) == 600
    assert len(data.nps) == (nps_rows if nps_rows is not None else 900)
    assert len(data.complaints) == (complaint_rows if complaint_rows is not None else 180)


def test_setting_the_ratios_counts_changes_nothing_else():
    default = generate(responses=500, seed=3)
    stated = generate(responses=500, seed=3, nps_responses=750, complaints=150)
    for name in FRAMES:
        pd.testing.assert_frame_equal(getattr(default, name), getattr(stated, name))
    # the survey does not depend on how many NPS answers and complaints come with it
    other = generate(responses=500, seed=3, nps_responses=100, complaints=40)
    pd.testing.assert_frame_equal(default.survey_responses, other.survey_responses)


@pytest.mark.parametrize("nps_rows, complaint_rows", [(0, 10), (10, 0)])
def test_counts_must_be_positive(nps_rows, complaint_rows):
    with pytest.raises(ValueError):
        generate(responses=100, nps_responses=nps_rows, complaints=complaint_rows)


def test_dates_cover_the_months_ending_with_end_month():
    data = generate(months=12, responses=800, end_month="2025-06")
    months = months_of(data.survey_responses["Date"])
    assert str(months.min()) == "2024-07" and str(months.max()) == "2025-06"
    assert months.nunique() == 12
    assert str(months_of(data.complaints["Received"]).max()) == "2025-06"
    assert (months_of(data.management["Date"]) == pd.Period("2025-06", "M")).all()


# --- layouts ------------------------------------------------------------------------------------
def test_survey_headers(demo):
    expected = (["Response ID", "Customer ID", "Date", "Region", "Branch", "Channel", "Product", "Segment",
                 "Tier", "Overall satisfaction", "Likelihood to recommend"]
                + ATTRIBUTES + ["I_" + a for a in ATTRIBUTES]
                + ["E_" + s for s in SERVQUAL] + ["P_" + s for s in SERVQUAL] + ["Comment"])
    assert list(demo.survey_responses.columns) == expected
    assert list(demo.survey_questions.columns) == ["Code", "Question", "Dimension", "Kind", "Scale min",
                                                   "Scale max", "N/A code", "Question (中文)"]
    assert list(demo.survey_questions["Code"]) == expected[11:-1]


@pytest.mark.parametrize("frame, headers", [
    ("nps", ["客户编号", "日期", "推荐得分", "触点", "区域", "网点", "渠道", "客户类型", "客户等级", "产品", "评论"]),
    ("complaints", ["Complaint ID", "Customer ID", "Received", "Channel", "Region", "Branch", "Product",
                    "Segment", "Customer level", "Cause", "Sub-cause", "Severity", "Status", "Resolved", "Escalated",
                    "Satisfaction after resolution", "Description"]),
    ("management", ["Manager", "Date", "Item code", "Item", "Dimension", "Expected score", "Scale min",
                    "Scale max"]),
    ("standards", ["Standard", "Dimension", "Metric", "Unit", "Better", "Management view", "Target",
                   "Promise", "Actual", "Actual rule"]),
])
def test_headers(demo, frame, headers):
    assert list(getattr(demo, frame).columns) == headers


@pytest.mark.parametrize("code, question, dimension, kind, low, high, not_applicable", [
    ("A01", "Waiting time", "responsiveness", "satisfaction", 1, 5, 0),
    ("A05", "Branch cleanliness and comfort", "tangibles", "satisfaction", 1, 5, 0),
    ("I_A07", "Problem resolution", "reliability", "importance", 1, 5, None),
    ("E_S01", "Modern-looking equipment", "tangibles", "expectation", 1, 7, None),
    ("P_S10", "Customers' best interests at heart", "empathy", "perception", 1, 7, None),
])
def test_questions_sheet_rows(demo, code, question, dimension, kind, low, high, not_applicable):
    row = demo.survey_questions.set_index("Code").loc[code]
    assert (row["Question"], row["Dimension"], row["Kind"]) == (question, dimension, kind)
    assert (row["Scale min"], row["Scale max"]) == (low, high)
    assert (pd.isna(row["N/A code"]) if not_applicable is None else row["N/A code"] == not_applicable)


def test_identifiers(demo):
    survey, complaints = demo.survey_responses, demo.complaints
    assert survey["Response ID"].iloc[0] == "R000001" and survey["Response ID"].is_unique
    assert survey["Customer ID"].str.fullmatch(r"C\d{6}").all()
    assert complaints["Complaint ID"].iloc[-1] == "K001200" and complaints["Complaint ID"].is_unique
    assert demo.nps["客户编号"].str.fullmatch(r"C\d{6}").all()
    assert survey["Customer ID"].duplicated().mean() > 0.03  # some customers answer more than once


def test_values_join_across_sources(demo):
    survey, nps, complaints = demo.survey_responses, demo.nps, demo.complaints
    for survey_column, nps_column in [("Region", "区域"), ("Branch", "网点"), ("Channel", "渠道"),
                                      ("Segment", "客户类型"), ("Product", "产品")]:
        assert set(nps[nps_column]) == set(survey[survey_column])
        assert set(complaints[survey_column]) <= set(survey[survey_column])
    assert len(set(survey["Branch"])) == 12 and set(survey["Region"]) == {"North", "East", "South", "West"}
    assert set(nps["触点"]) >= {"网点柜台", "手机银行", "客服热线", "网上银行"}


# --- scales and blanks --------------------------------------------------------------------------
def test_every_rating_within_its_declared_scale(demo):
    survey = demo.survey_responses
    for question in demo.survey_questions.itertuples(index=False):
        values = survey[question.Code].dropna()
        in_scale = values.between(question[4], question[5])
        if pd.notna(question[6]):
            in_scale |= values == question[6]
        assert in_scale.all(), question.Code


def test_not_applicable_only_where_declared(demo):
    survey = demo.survey_responses
    share = (survey[ATTRIBUTES] == 0).to_numpy().mean()
    assert 0.02 < share < 0.04
    assert survey[ATTRIBUTES].notna().all().all()
    others = ["I_" + a for a in ATTRIBUTES] + ["E_" + s for s in SERVQUAL] + ["P_" + s for s in SERVQUAL]
    assert (survey[others].min() >= 1).all()


def test_who_answers_what(demo):
    survey = demo.survey_responses
    assert survey["I_A01"].notna().mean() == pytest.approx(0.30, abs=0.03)
    assert survey["P_S01"].notna().mean() == pytest.approx(0.20, abs=0.03)
    assert survey["Comment"].notna().mean() == pytest.approx(0.40, abs=0.04)
    # An expectation skipped while its perception is answered: an incomplete pair.
    incomplete = survey["P_S05"].notna() & survey["E_S05"].isna()
    assert 0 < incomplete.sum() < 0.1 * survey["P_S05"].notna().sum()
    assert survey["E_S05"].notna().sum() <= survey["P_S05"].notna().sum()


def test_overall_and_recommend_scales(demo):
    survey = demo.survey_responses
    assert survey["Overall satisfaction"].between(1, 10).all()
    assert survey["Likelihood to recommend"].between(0, 10).all()
    assert demo.nps["推荐得分"].between(0, 10).all()
    assert demo.management["Expected score"].between(1, 7).all()


def test_comments_are_half_english_half_chinese(demo):
    comments = demo.survey_responses["Comment"].dropna()
    assert comments.str.contains(CJK).mean() == pytest.approx(0.5, abs=0.05)
    nps_comments = demo.nps["评论"].dropna()
    assert len(nps_comments) / len(demo.nps) == pytest.approx(0.35, abs=0.03)
    assert 0.3 < nps_comments.str.contains(CJK).mean() < 0.9


CONTRAST = re.compile(r"However, |But |On the other hand, |但是|不过|可惜")  # only mixed comments say them
PERSONAL_SENTENCE = re.compile(r" (?:I am|Please reply|My phone number|This is) .*$|(?:我是|请回复到邮箱|我的电话是).*$")


def comments_by_tone(demo: DemoData) -> dict[int, pd.Series]:
    """Survey and NPS comments by their writer's score's tone (0 negative, 1 mixed, 2 positive), as
    loaders.demo sets it: overall satisfaction 1-4 / 5-7 / 8-10, NPS 0-6 / 7-8 / 9-10."""
    survey = demo.survey_responses.dropna(subset=["Comment"])
    nps = demo.nps.dropna(subset=["评论"])
    tones = pd.concat([pd.Series(np.select([survey["Overall satisfaction"] <= 4, survey["Overall satisfaction"] <= 7],
                                           [0, 1], 2), index=survey["Comment"].values),
                       pd.Series(np.select([nps["推荐得分"] <= 6, nps["推荐得分"] <= 8], [0, 1], 2),
                                 index=nps["评论"].values)])
    return {tone: pd.Series(tones.index[tones.values == tone]) for tone in (0, 1, 2)}


def test_some_comments_disagree_with_their_writers_score(demo):
    # loaders/demo.py: DISCORDANT_SHARE (0.18) of commenters write against their score, of those
    # 55% a mixed comment (praise, "but", a gripe), 25% the opposite tone, 20% a remark with no tone.
    # A promoter's or detractor's comment is mixed with probability 0.18 x 0.55 = 0.099; a passive's
    # (mixed is their own tone) unless they wrote against it: 1 - 0.18 = 0.82; a remark, whatever
    # the score, 0.18 x 0.20 = 0.036. With 600 to 1,600 comments a tone, the tolerances are three to
    # five binomial standard errors.
    by_tone = comments_by_tone(demo)
    remarks = set(demo_module.EN_REMARKS) | set(demo_module.ZH_REMARKS)
    for tone, mixed in ((0, 0.099), (1, 0.82), (2, 0.099)):
        texts = by_tone[tone]
        assert len(texts) > 600
        assert texts.str.contains(CONTRAST).mean() == pytest.approx(mixed, abs=0.05)
        without_personal_data = texts.str.replace(PERSONAL_SENTENCE, "", regex=True)
        assert without_personal_data.isin(remarks).mean() == pytest.approx(0.036, abs=0.025)
    # in both languages: a promoter's gripe and a polite detractor, and remarks
    for tone in (0, 2):
        mixed = by_tone[tone][by_tone[tone].str.contains(CONTRAST)]
        assert mixed.str.contains(CJK).any() and (~mixed.str.contains(CJK)).any()
    every = pd.concat(list(by_tone.values())).str.replace(PERSONAL_SENTENCE, "", regex=True)
    assert every.isin(set(demo_module.EN_REMARKS)).any() and every.isin(set(demo_module.ZH_REMARKS)).any()


def test_comments_against_the_score_move_nothing_else(demo, monkeypatch):
    """The writers against their score are drawn from streams of their own: with none of them, every
    other column (scores, dates, branches, the complaints) is as it is with them, and every
    promoter's and detractor's comment is in their score's tone again (no contrast, no remark)."""
    monkeypatch.setattr(demo_module, "DISCORDANT_SHARE", 0.0)
    agreeing = generate()
    for name, comment in (("survey_responses", "Comment"), ("nps", "评论")):
        pd.testing.assert_frame_equal(getattr(agreeing, name).drop(columns=comment),
                                      getattr(demo, name).drop(columns=comment))
        assert (getattr(agreeing, name)[comment].isna() == getattr(demo, name)[comment].isna()).all()
    pd.testing.assert_frame_equal(agreeing.complaints, demo.complaints)
    by_tone = comments_by_tone(agreeing)
    remarks = set(demo_module.EN_REMARKS) | set(demo_module.ZH_REMARKS)
    for tone in (0, 2):
        assert not by_tone[tone].str.contains(CONTRAST).any()
        assert not by_tone[tone].str.replace(PERSONAL_SENTENCE, "", regex=True).isin(remarks).any()


def test_complaint_resolution(demo):
    complaints = demo.complaints
    resolved = complaints["Status"] == "Resolved"
    assert set(complaints["Status"]) == {"Resolved", "Open", "In progress"}
    assert complaints.loc[resolved, "Resolved"].notna().all()
    assert complaints.loc[~resolved, "Resolved"].isna().all()
    assert (complaints.loc[resolved, "Resolved"] > complaints.loc[resolved, "Received"]).all()
    satisfaction = complaints["Satisfaction after resolution"]
    assert satisfaction[~resolved].isna().all() and satisfaction[resolved].between(1, 5).all()
    hours = (complaints["Resolved"] - complaints["Received"]).dt.total_seconds() / 3600
    assert 14 < hours.median() < 26
    assert hours.max() > 14 * 24  # a long tail, to weeks
    by_severity = hours.groupby(complaints["Severity"]).median()
    assert by_severity["Low"] < by_severity["Medium"] < by_severity["High"]
    assert 0.01 < (complaints["Escalated"] == "Yes").mean() < 0.08
    assert set(complaints["Severity"]) == {"Low", "Medium", "High", "Critical"}


def test_repeat_complainants_within_twelve_months(demo):
    complaints = demo.complaints.sort_values("Received")
    again = complaints.groupby("Customer ID")["Received"].diff() <= pd.Timedelta(days=365)
    repeaters = complaints.loc[again, "Customer ID"].nunique()
    assert repeaters >= 40
    assert complaints.groupby("Customer ID").size().max() <= 6


def test_blank_causes_still_name_their_problem(demo):
    complaints = demo.complaints
    assert complaints["Cause"].isna().mean() == pytest.approx(0.08, abs=0.025)
    assert (complaints["Cause"].isna() == complaints["Sub-cause"].isna()).all()
    assert complaints["Cause"].nunique() == 8


def keyword_causes(text: str) -> list[str]:
    found = []
    for cause, words in CAUSE_KEYWORDS.items():
        for word in words:
            pattern = rf"\b{re.escape(word)}\b" if word.isascii() else re.escape(word)
            if re.search(pattern, text, flags=re.IGNORECASE):
                found.append(cause)
                break
    return found


def test_each_description_has_its_own_causes_keywords_only(demo):
    given = demo.complaints.dropna(subset=["Cause"])
    for cause, description in zip(given["Cause"], given["Description"]):
        assert keyword_causes(description) == ([] if cause == "Other" else [cause]), description


def test_descriptions_are_in_both_languages(demo):
    share_chinese = demo.complaints["Description"].str.contains(CJK).mean()
    assert 0.4 < share_chinese < 0.7


def test_personal_data_for_the_review_mode_to_mask(demo):
    def with_personal_data(texts: pd.Series) -> float:
        texts = texts.dropna()
        return (texts.str.contains(EMAIL) | texts.str.contains(PHONE) | texts.str.contains(NAME)).mean()

    assert with_personal_data(demo.complaints["Description"]) == pytest.approx(0.10, abs=0.03)
    assert with_personal_data(demo.survey_responses["Comment"]) == pytest.approx(0.03, abs=0.015)
    assert with_personal_data(demo.nps["评论"]) == pytest.approx(0.03, abs=0.015)
    phones = demo.complaints["Description"].str.extract(r"(\d{11})")[0].dropna()
    assert phones.str.fullmatch(r"1[358]\d{9}").all() and len(phones) > 10


def test_every_chinese_phrase_encodes_in_gbk():
    pools = [demo_module.ZH_PRAISE, demo_module.ZH_GRIPE, demo_module.ZH_OPENERS, demo_module.ZH_CLOSERS,
             [demo_module.ZH_BUT, demo_module.ZH_WEEKDAYS, demo_module.ZH_DAYPARTS, demo_module.ZH_NAMES,
              demo_module.ZH_COMPLAINT_CLOSERS, demo_module.TOUCHPOINTS],
             [[zh for _, _, zh in cause[5]] for cause in demo_module.CAUSES]]
    text = repr(pools) + "".join(demo_module.NPS_COLUMNS) + "（编号）：，。！"
    text.encode("gbk")


# --- the patterns a manager can find ------------------------------------------------------------
@pytest.mark.parametrize("seed", [7, 1])
def test_guangzhou_tianhe_declines_over_the_last_six_months(seed):
    data = generate(seed=seed)
    survey, nps = data.survey_responses, data.nps
    months = sorted(months_of(survey["Date"]).unique())
    last, before = months[-6:], months[-18:-6]
    tianhe = survey["Branch"] == "Guangzhou Tianhe"
    month = months_of(survey["Date"])
    recent = survey.loc[tianhe & month.isin(last), "Overall satisfaction"].mean()
    earlier = survey.loc[tianhe & month.isin(before), "Overall satisfaction"].mean()
    others = survey.loc[~tianhe & month.isin(last), "Overall satisfaction"].mean()
    assert recent < earlier - 0.5 and recent < others - 0.4
    nps_month = months_of(nps["日期"])
    nps_tianhe = nps["网点"] == "Guangzhou Tianhe"
    assert (nps_of(nps.loc[nps_tianhe & nps_month.isin(last), "推荐得分"])
            < nps_of(nps.loc[nps_tianhe & nps_month.isin(before), "推荐得分"]) - 20)


@pytest.mark.parametrize("seed", [7, 1])
def test_mobile_app_problems_rise_over_the_last_four_months(seed):
    complaints = generate(seed=seed).complaints.dropna(subset=["Cause"])
    month = months_of(complaints["Received"])
    months = sorted(month.unique())
    is_app = complaints["Cause"] == "Mobile app problems"
    share_recent = is_app[month.isin(months[-4:])].mean()
    share_before = is_app[month.isin(months[-16:-4])].mean()
    share_last_month = is_app[month == months[-1]].mean()
    assert share_recent > 1.5 * share_before
    assert share_last_month > 2 * share_before


def test_attributes_drive_overall_satisfaction_unequally(demo):
    survey = demo.survey_responses
    correlation = survey[ATTRIBUTES].replace(0, np.nan).corrwith(survey["Overall satisfaction"])
    assert (correlation > 0.15).all()
    assert correlation["A07"] > correlation["A09"] + 0.3  # problem resolution matters, hours much less
    assert survey["Overall satisfaction"].corr(survey["Likelihood to recommend"]) > 0.6


def test_gaps_one_and_five_show(demo):
    survey = demo.survey_responses
    expected = {s: survey["E_" + s].mean() for s in SERVQUAL}
    perceived = {s: survey["P_" + s].mean() for s in SERVQUAL}
    assert np.mean([perceived[s] - expected[s] for s in SERVQUAL]) < -0.4
    management = demo.management.groupby("Item code")["Expected score"].mean()
    assert management["S05"] < expected["S05"] - 0.8  # prompt service underestimated
    assert management["S09"] < expected["S09"] - 0.8  # individual attention underestimated


def test_service_standards_give_gaps_two_to_four(demo):
    standards = demo.standards.set_index("Standard")
    assert set(standards["Better"]) == {"higher", "lower"}
    rules = standards["Actual rule"].dropna()
    assert set(rules) == {"median_hours_to_resolve", "share_within_sla", "escalation_rate", "nps", "csi"}
    assert standards.loc[rules.index, "Actual"].isna().all()
    assert standards.drop(rules.index)["Actual"].notna().all()
    row = standards.loc["Complaint resolution time"]
    assert (row["Unit"], row["Better"], row["Management view"], row["Target"], row["Promise"]) == (
        "hours", "lower", 24, 48, 24)
    sign = np.where(standards["Better"] == "higher", 1, -1)
    gap2 = sign * (standards["Target"] - standards["Management view"])
    assert (gap2 != 0).all()
    measured = standards["Actual"].dropna()
    gap3 = (sign[standards["Actual"].notna()] * (measured - standards.loc[measured.index, "Target"]))
    assert (gap3 < 0).all()  # the measured standards fall short


@pytest.mark.parametrize("language", ["en", "zh"])
def test_comment_sentiment_matches_the_scores(demo, language):
    from text.sentiment import polarity

    survey = demo.survey_responses.dropna(subset=["Comment"])
    survey = survey[survey["Comment"].str.contains(CJK) == (language == "zh")]
    happy = survey.loc[survey["Overall satisfaction"] >= 8, "Comment"].head(60)
    unhappy = survey.loc[survey["Overall satisfaction"] <= 4, "Comment"].head(60)
    mean_happy = np.mean([polarity(text)[1] for text in happy])
    mean_unhappy = np.mean([polarity(text)[1] for text in unhappy])
    assert len(unhappy) >= 30
    assert mean_happy > 0.3 and mean_unhappy < -0.3


# --- distinct texts for the benchmark -----------------------------------------------------------
@pytest.mark.parametrize("language", ["en", "zh"])
def test_distinct_texts_are_distinct(language):
    texts = distinct_texts(20_000, language=language)
    assert len(set(texts)) == 20_000
    assert np.mean([bool(CJK.search(t)) for t in texts[:500]]) == (1.0 if language == "zh" else 0.0)


def test_distinct_comments_mode_repeats_no_text():
    data = generate(responses=3000, distinct_comments=True)
    texts = pd.concat([data.survey_responses["Comment"], data.nps["评论"], data.complaints["Description"]])
    texts = texts.dropna()
    assert texts.is_unique
    plain = generate(responses=3000)
    pd.testing.assert_frame_equal(data.survey_responses.drop(columns="Comment"),
                                  plain.survey_responses.drop(columns="Comment"))


# --- the files ----------------------------------------------------------------------------------
def test_write_files_names(written):
    assert {kind: path.name for kind, path in written.items()} == FILE_NAMES


def test_survey_workbook_reads_back(demo, written):
    sheets = pd.read_excel(written["survey"], sheet_name=None, engine="calamine")
    assert list(sheets) == ["Responses", "Questions", "Labels"]
    responses = sheets["Responses"]
    assert responses.shape == demo.survey_responses.shape
    assert list(responses.columns) == list(demo.survey_responses.columns)
    assert pd.api.types.is_datetime64_any_dtype(responses["Date"])  # real Excel dates
    assert (responses["Date"] == demo.survey_responses["Date"]).all()
    assert responses["Response ID"].iloc[0] == "R000001"
    assert responses["I_A01"].isna().sum() == demo.survey_responses["I_A01"].isna().sum()
    assert (responses["Comment"].fillna("") == demo.survey_responses["Comment"].fillna("")).all()
    assert sheets["Questions"].shape == (40, 8)
    # 5 dimensions, 12 branches, 4 regions, 8 causes, 5 touchpoints, 4 channels, 8 standards, 3 units (not "%")
    assert sheets["Labels"].shape == (49, 4)


def test_nps_file_is_gbk_and_not_utf8(demo, written):
    raw = written["nps"].read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert raw.decode("gbk").startswith("客户编号,日期,推荐得分")
    nps = pd.read_csv(written["nps"], encoding="gbk", dtype={"客户编号": str})
    assert len(nps) == len(demo.nps)
    assert nps["日期"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
    assert nps["推荐得分"].tolist() == demo.nps["推荐得分"].tolist()


def test_complaints_file_is_utf8_with_bom(demo, written):
    raw = written["complaints"].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfComplaint ID,")
    complaints = pd.read_csv(written["complaints"], encoding="utf-8-sig")
    assert len(complaints) == len(demo.complaints)
    assert complaints["Received"].str.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}").all()
    assert complaints["Resolved"].isna().sum() == (demo.complaints["Status"] != "Resolved").sum()


def test_management_and_standards_files_read_back(demo, written):
    estimates = pd.read_excel(written["management"], sheet_name="Estimates", engine="calamine")
    assert estimates.shape == (30, 8)
    assert pd.api.types.is_datetime64_any_dtype(estimates["Date"])
    standards = pd.read_csv(written["standards"], encoding="utf-8")
    assert list(standards.columns) == list(demo.standards.columns)
    assert standards.set_index("Standard").loc["Queue waiting time", "Actual"] == 18.5


def test_committed_demo_files_are_what_generate_writes(written):
    """Written in another process, byte for byte the same: the files are reproducible too."""
    for kind, path in written.items():
        committed = DEMO_FOLDER / path.name
        assert committed.exists(), f"regenerate data/demo: {path.name} is missing"
        assert (hashlib.sha256(committed.read_bytes()).hexdigest()
                == hashlib.sha256(path.read_bytes()).hexdigest()), f"data/demo/{path.name} is stale"


def test_committed_demo_files_are_small():
    assert sum(path.stat().st_size for path in DEMO_FOLDER.iterdir()) < 3_000_000


# --- scale ----------------------------------------------------------------------------------------
@pytest.mark.slow
def test_two_hundred_thousand_responses():
    data = generate(responses=200_000, distinct_comments=True)
    assert len(data.survey_responses) == 200_000
    assert len(data.nps) == 300_000
    assert len(data.complaints) == 60_000
    comments = data.survey_responses["Comment"].dropna()
    chinese = comments.str.contains(CJK)
    assert comments[chinese].nunique() > 35_000 and comments[~chinese].nunique() > 35_000


def test_a_customer_has_one_tier_in_every_file(demo):
    """The demo names tiers in each file's own words (Key / 重点客户 / VIP ...), and one customer's tier
    is the same in all three files, so the tier filter selects the same customers everywhere."""
    survey, nps, complaints = demo.survey_responses, demo.nps, demo.complaints
    as_tier = {"Key": "key", "Core": "core", "General": "general", "重点客户": "key", "核心客户": "core",
               "一般客户": "general", "VIP": "key", "Gold": "core", "Standard": "general"}
    tiers = pd.concat([
        pd.DataFrame({"customer": survey["Customer ID"], "tier": survey["Tier"].map(as_tier)}),
        pd.DataFrame({"customer": nps["客户编号"], "tier": nps["客户等级"].map(as_tier)}),
        pd.DataFrame({"customer": complaints["Customer ID"], "tier": complaints["Customer level"].map(as_tier)}),
    ])
    assert tiers["tier"].notna().all()
    assert (tiers.groupby("customer")["tier"].nunique() == 1).all()
    shares = tiers.drop_duplicates("customer")["tier"].value_counts(normalize=True)
    # TIER_SHARES weighted by SEGMENT_SHARES: key 0.7*0.05 + 0.18*0.40 + 0.12*0.15 = 0.125
    assert shares["key"] == pytest.approx(0.125, abs=0.02)
    assert shares["general"] > shares["core"] > shares["key"]
