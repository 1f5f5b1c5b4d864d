"""The data's own labels in both languages: read from a file's bilingual columns, kept in the store's
label table, edited by analysts on the Imports page, and shown in the reader's language on the pages,
in the report and in the slides, with the value as the data holds it on hover."""
from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from conftest import PROJECT_ROOT, copy_demo_store
from openpyxl import Workbook
from pptx import Presentation
from streamlit.testing.v1 import AppTest

from analytics.review import Verbatim, month_review
from loaders.columns import label_language
from loaders.importer import import_file
from loaders.labels import read_label_file
from presentation.export import to_csv_bytes, to_xlsx_bytes
from presentation.labels import DataLabels, data_label, labelled, theme_name
from presentation.report import report_html
from presentation.slides import review_pptx
from presentation.upload import Access, label_editor_frame, run_import_labels, run_save_labels
from loaders.access import AccessError, set_passphrase
from store.db import connect
from store.db import data_version
from store.labels import LABEL_COLUMNS, label_table, save_label_table

MONTH = "2026-10"
ANALYST = Access("open", True)
VIEWER = Access("passphrase", False)


def workbook(path: Path, sheets: dict[str, list[list]]) -> Path:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def stored(con) -> list[tuple]:
    return [tuple(r) for r in label_table(con)[["field", "value", "label_en", "label_zh", "origin"]]
            .astype(object).where(lambda f: f.notna(), None).itertuples(index=False)]


RESPONSES = [["Date", "Branch", "A01", "A02"], ["2026-10-03", "North 1", 4, 5], ["2026-10-04", "North 1", 3, 2]]


# --- from files ------------------------------------------------------------------------------------

@pytest.mark.parametrize("header, language", [
    ("Question (中文)", "zh"), ("题目（英文）", "en"), ("Text (EN)", "en"), ("Label_zh", "zh"), ("Cause (English)", "en"),
    ("触点（中文）", "zh"), ("Question", None), ("Score (0-10)", None), ("Scale min", None),
])
def test_a_header_names_its_language(header, language):
    assert label_language(header) == language


def test_a_chinese_questions_sheet_with_english_columns_gives_both_labels(con, tmp_path):
    path = workbook(tmp_path / "survey.xlsx", {
        "Responses": RESPONSES,
        "Questions": [["Code", "题目", "题目（英文）", "维度", "维度（英文）", "Kind", "Scale min", "Scale max"],
                      ["A01", "等候时间", "Waiting time", "响应性", "Responsiveness", "satisfaction", 1, 5],
                      ["A02", "服务态度", "Staff courtesy", "关怀", "Care", "satisfaction", 1, 5]]})
    import_file(con, path)
    # the items keep the file's own text; 响应性 is a SERVQUAL dimension, stored as 'responsiveness'
    assert con.execute("SELECT item_code, item_text, dimension FROM survey_item ORDER BY 1").fetchall() == [
        ("A01", "等候时间", "responsiveness"), ("A02", "服务态度", "关怀")]
    assert stored(con) == [
        ("item", "服务态度", "Staff courtesy", "服务态度", "file"),
        ("item", "等候时间", "Waiting time", "等候时间", "file"),
        ("dimension", "responsiveness", "Responsiveness", "响应性", "file"),
        ("dimension", "关怀", "Care", "关怀", "file"),
    ]


def test_the_plain_question_column_is_the_text_whatever_the_order(con, tmp_path):
    path = workbook(tmp_path / "survey.xlsx", {
        "Responses": RESPONSES,
        "Questions": [["Code", "Question (中文)", "Question", "Dimension", "Kind", "Scale min", "Scale max"],
                      ["A01", "等候时间", "Waiting time", "responsiveness", "satisfaction", 1, 5],
                      ["A02", "员工礼貌", "Staff courtesy", "empathy", "satisfaction", 1, 5]]})
    import_file(con, path)
    assert con.execute("SELECT item_text FROM survey_item ORDER BY item_code").fetchall() == [
        ("Waiting time",), ("Staff courtesy",)]
    assert stored(con) == [("item", "Staff courtesy", "Staff courtesy", "员工礼貌", "file"),
                           ("item", "Waiting time", "Waiting time", "等候时间", "file")]


def test_a_causes_sheet_in_a_complaint_workbook_labels_its_causes(con, tmp_path):
    path = workbook(tmp_path / "complaints.xlsx", {
        "Data": [["Complaint ID", "Received", "Branch", "Cause", "Description"],
                 ["K1", "2026-10-02 09:00", "North 1", "Long waiting time", "Waited an hour"],
                 ["K2", "2026-10-03 10:00", "North 1", "Staff attitude", "Rude teller"]],
        "Causes": [["Cause", "Cause (中文)"], ["Long waiting time", "等候时间长"], ["Staff attitude", "员工态度"]]})
    assert import_file(con, path).rows_accepted == 2
    assert stored(con) == [("cause", "Long waiting time", "Long waiting time", "等候时间长", "file"),
                           ("cause", "Staff attitude", "Staff attitude", "员工态度", "file")]


# --- the table and its edits -------------------------------------------------------------------------

def test_the_data_version_moves_with_every_label_edit(con):
    # the dashboard keys its copy of the labels on it: two edits within one second are two versions
    before = data_version(con)
    assert data_version(con) == before
    save_label_table(con, [("cause", "Card issues", "Card problems", "银行卡问题")])
    edited = data_version(con)
    assert edited != before
    save_label_table(con, [("cause", "Card issues", "Card trouble", "银行卡问题")])  # same count, at once
    assert data_version(con) not in (before, edited)

def test_an_analysts_edit_round_trip(con, tmp_path):
    counts = save_label_table(con, [("cause", "Card issues", "Card problems", "银行卡问题"),
                                    ("channel", "Phone", None, "电话"), ("touchpoint", "手机银行", "", "")])
    assert counts == {"added": 2, "changed": 0, "removed": 0}  # a row with no label is no row
    counts = save_label_table(con, [("cause", "Card issues", "Card trouble", "银行卡问题")])
    assert counts == {"added": 0, "changed": 1, "removed": 1}
    assert stored(con) == [("cause", "Card issues", "Card trouble", "银行卡问题", "edited")]
    # a later file's label for the same value leaves the analyst's edit as it is
    path = workbook(tmp_path / "complaints.xlsx", {
        "Data": [["Complaint ID", "Received", "Branch", "Cause", "Description"],
                 ["K1", "2026-10-02 09:00", "North 1", "Card issues", "Card swallowed"]],
        "Causes": [["Cause", "Cause (中文)"], ["Card issues", "卡片问题"]]})
    import_file(con, path)
    assert stored(con) == [("cause", "Card issues", "Card trouble", "银行卡问题", "edited")]


@pytest.mark.parametrize("write, name", [(to_csv_bytes, "labels.csv"), (to_xlsx_bytes, "labels.xlsx")])
def test_the_downloaded_table_reads_back_as_it_was_formula_safe(con, write, name):
    save_label_table(con, [("cause", "=HYPERLINK(\"x\")", "+ fees", "收费"), ("item", "Waiting time", None, "等候时间")])
    table = label_editor_frame(con)
    data = write(table)
    if name.endswith(".csv"):
        assert b"'=HYPERLINK" in data and b"'+ fees" in data  # no cell runs as a formula
    assert read_label_file(name, data) == [("item", "Waiting time", None, "等候时间"),
                                           ("cause", "=HYPERLINK(\"x\")", "+ fees", "收费")]


def test_only_an_analyst_changes_the_labels(con):
    with pytest.raises(AccessError):
        run_save_labels(con, VIEWER, pd.DataFrame([["cause", "Other", "Other", "其他"]],
                                                  columns=["field", "value", "label_en", "label_zh"]))
    with pytest.raises(AccessError):
        run_import_labels(con, VIEWER, "labels.csv", "field,value,label_en,label_zh\ncause,Other,Other,其他\n".encode())
    assert stored(con) == []
    run_import_labels(con, ANALYST, "labels.csv", "field,value,label_en,label_zh\ncause,Other,Other,其他\n".encode())
    assert stored(con) == [("cause", "Other", "Other", "其他", "edited")]


# --- the one lookup --------------------------------------------------------------------------------

LABELS = DataLabels({("cause", "Mobile app problems"): ("Mobile app problems", "手机银行故障"),
                     ("touchpoint", "手机银行"): ("Mobile banking", None),
                     ("dimension", "关怀"): ("Care", None)})


@pytest.mark.parametrize("field, value, language, expected", [
    ("cause", "Mobile app problems", "zh", "手机银行故障"),
    ("cause", "Mobile app problems", "en", "Mobile app problems"),
    ("touchpoint", "手机银行", "en", "Mobile banking"),
    ("touchpoint", "手机银行", "zh", "手机银行"),       # no Chinese label: the value as it is
    ("cause", "Card issues", "zh", "Card issues"),      # no label at all
    ("dimension", "reliability", "zh", "可靠性"),       # the dashboard's own term
    ("dimension", "reliability", "en", "Reliability"),
    ("dimension", "关怀", "en", "Care"),
])
def test_data_label(field, value, language, expected):
    assert data_label(field, value, language, LABELS) == expected


def test_a_labelled_result_keeps_the_values_as_given():
    frame = pd.DataFrame({"cause": ["Mobile app problems", "Card issues"], "count": [12, 3]})
    shown = labelled(frame, LABELS, "zh")
    assert shown.to_dict("list") == {"cause": ["手机银行故障", "Card issues"], "count": [12, 3],
                                     "cause_as_given": ["Mobile app problems", "Card issues"]}
    assert frame.columns.tolist() == ["cause", "count"]  # the analytics' result is left alone


THEME_LABELS = DataLabels({("theme", "费用 · 隐藏 · 体验"): ("Hidden fees", None),
                           ("theme", "queue · counter"): ("Queues", "排队")})


@pytest.mark.parametrize("words, label, language, expected", [
    # 1. the label table's label in the reader's language
    ("费用 · 隐藏 · 体验", None, "en", "Hidden fees"),
    ("queue · counter", None, "zh", "排队"),
    ("queue · counter", "Counter queues", "en", "Queues"),      # the table's before a renamed label
    # 2. a renamed label written in the reader's language
    ("app · mobile", "Mobile app", "en", "Mobile app"),
    ("app · mobile", "手机应用", "zh", "手机应用"),
    ("费用 · 隐藏 · 体验", "隐藏费用", "zh", "隐藏费用"),
    # 3. else the customers' own words, never a label of the other language
    ("费用 · 隐藏 · 体验", None, "zh", "费用 · 隐藏 · 体验"),
    ("app · mobile", "手机应用", "en", "app · mobile"),
    ("费用 · 隐藏 · 体验", "隐藏费用", "en", "Hidden fees"),
    ("手机 · 银行", "Mobile banking", "zh", "手机 · 银行"),
    ("手机 · 银行", float("nan"), "en", "手机 · 银行"),         # no label: a frame's NaN
])
def test_theme_name(words, label, language, expected):
    assert theme_name(words, label, language, THEME_LABELS) == expected


def test_a_labelled_theme_table_keeps_the_words_for_the_hover():
    frame = pd.DataFrame({"theme": ["费用 · 隐藏 · 体验", "app · mobile"], "theme_label": [None, "手机应用"],
                          "n": [3, 11]})
    shown = labelled(frame, THEME_LABELS, "en")
    assert shown[["theme", "n", "theme_as_given"]].to_dict("list") == {
        "theme": ["Hidden fees", "app · mobile"], "n": [3, 11], "theme_as_given": ["费用 · 隐藏 · 体验", "app · mobile"]}
    assert labelled(frame, THEME_LABELS, "zh")["theme"].tolist() == ["费用 · 隐藏 · 体验", "手机应用"]


def test_the_reviews_common_theme_is_named_by_the_same_rule():
    quote = Verbatim("common_theme", "隐藏收费太多", "complaint", None, None, None, -0.6, theme="费用 · 隐藏 · 体验",
                     theme_count=3, theme_n=9, theme_from="theme", theme_label="隐藏费用")
    assert labelled(quote, THEME_LABELS, "en").theme == "Hidden fees"
    assert labelled(quote, THEME_LABELS, "zh").theme == "隐藏费用"
    # a cause standing in for the theme is a cause's label, not a theme's
    cause = Verbatim("common_theme", "…", "complaint", None, None, None, -0.6, theme="queue · counter")
    assert labelled(cause, THEME_LABELS, "zh").theme == "queue · counter"


# --- on the pages, in the report and the slides -----------------------------------------------------

@pytest.fixture(scope="module")
def demo_store(demo_master, tmp_path_factory) -> Path:
    return copy_demo_store(demo_master, tmp_path_factory.mktemp("labels"))


def page(store: Path, monkeypatch, path: str, language: str) -> AppTest:
    monkeypatch.setenv("FEEDBACK_DB", str(store))
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=120)
    at.session_state["language"] = language
    at.run().switch_page(path).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def traces(at: AppTest) -> list[dict]:
    return [trace for chart in at.get("plotly_chart") for trace in json.loads(chart.proto.spec)["data"]]


def words(at: AppTest) -> str:
    return "\n".join(re.sub(r"\\(.)", r"\1", e.value) for e in [*at.markdown, *at.caption])


@pytest.mark.parametrize("language, attribute, hover, fix_first", [
    ("en", "Problem resolution", "Problem resolution", "Fix first: Problem resolution"),
    ("zh", "问题解决", "问题解决<br>数据原值：Problem resolution", "优先改进：问题解决"),
])
def test_the_csi_page_names_the_items_from_the_demos_questions_sheet(demo_store, monkeypatch, language, attribute,
                                                                     hover, fix_first):
    at = page(demo_store, monkeypatch, "pages/csi.py", language)
    radar = next(t for t in traces(at) if t["type"] == "scatterpolar")
    assert attribute in radar["theta"] and hover in radar["hovertext"]
    assert fix_first in words(at)


@pytest.mark.parametrize("language, cause, hover", [
    ("en", "App trouble", "App trouble<br>as in the data: Mobile app problems"),
    ("zh", "应用故障", "应用故障<br>数据原值：Mobile app problems"),
])
def test_an_edited_label_shows_on_the_complaints_page_in_both_languages(demo_store, tmp_path, monkeypatch, language,
                                                                        cause, hover):
    store = copy_demo_store(demo_store, tmp_path)
    con = connect(store)
    try:
        table = label_editor_frame(con)
        table.loc[(table["field"] == "cause") & (table["value"] == "Mobile app problems"),
                  ["label_en", "label_zh"]] = ["App trouble", "应用故障"]
        assert run_save_labels(con, ANALYST, table) == {"added": 0, "changed": 1, "removed": 0}
    finally:
        con.close()
    at = page(store, monkeypatch, "pages/complaints.py", language)
    pareto = next(t for t in traces(at) if t["type"] == "bar")
    assert cause in pareto["x"] and hover in pareto["hovertext"]


CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_sentiment_page_names_themes_in_the_readers_language(demo_store, tmp_path, monkeypatch, language):
    """Every Chinese theme given an English label on the Imports page's table: the English page's theme
    chart holds no Chinese word (the words on hover), the Chinese page names them by their words."""
    store = copy_demo_store(demo_store, tmp_path)
    con = connect(store)
    try:
        table = label_editor_frame(con)
        chinese = (table["field"] == "theme") & table["value"].map(lambda v: bool(CJK.search(v)))
        english = (table["field"] == "theme") & ~chinese
        assert chinese.sum() >= 2 and english.sum() >= 2, "the demo has themes in both languages"
        # a theme's name is in one language: all its words Chinese, or none of them
        assert all(all(CJK.search(w) for w in v.split(" · ")) for v in table.loc[chinese, "value"])
        table.loc[chinese, "label_en"] = [f"Chinese theme {i}" for i in range(chinese.sum())]
        run_save_labels(con, ANALYST, table)
        words = dict(zip(table.loc[chinese, "value"], table.loc[chinese, "label_en"]))
    finally:
        con.close()
    at = page(store, monkeypatch, "pages/sentiment.py", language)
    bars = next(t for t in traces(at) if t["type"] == "bar" and set(t.get("customdata") or ()) & set(words))
    shown = dict(zip(bars["customdata"], bars["y"]))
    hover = dict(zip(bars["customdata"], bars["hovertext"]))
    labelled_here = [w for w in shown if w in words]
    assert labelled_here
    if language == "en":
        assert not [name for name in bars["y"] if CJK.search(name)]
        assert [shown[w] for w in labelled_here] == [words[w] for w in labelled_here]
        assert [hover[w] for w in labelled_here] == [f"{words[w]}<br>as in the data: {w}" for w in labelled_here]
    else:
        assert [shown[w] for w in labelled_here] == labelled_here


@pytest.mark.slow
def test_the_imports_page_takes_a_label_file_from_an_analyst(demo_store, tmp_path, monkeypatch):
    store = copy_demo_store(demo_store, tmp_path)
    at = page(store, monkeypatch, "pages/imports.py", "en")
    assert "Labels in both languages" in [h.value for h in at.header]
    editor = next(d.value for d in at.dataframe if list(d.value.columns) == ["field", "value", "label_en", "label_zh"])
    assert editor.iloc[0].tolist() == ["question", "Accuracy of transactions", "Accuracy of transactions", "交易准确性"]
    data = "field,value,label_en,label_zh\r\ntouchpoint,理财经理,Wealth adviser,理财经理\r\n".encode("utf-8-sig")
    at.file_uploader(key="labels.file").set_value([("labels.csv", data, "text/csv")]).run()
    at.button(key="labels.import").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Labels saved: 0 added, 1 changed, 0 removed." in [s.value for s in at.success]
    con = connect(store)  # as the page's own store is open (one configuration per file and process)
    try:
        assert ("touchpoint", "理财经理", "Wealth adviser", "理财经理", "edited") in stored(con)
    finally:
        con.close()


def test_the_label_editor_shows_a_new_imports_values_on_the_next_run(demo_store, tmp_path, monkeypatch):
    # the page keeps the data's values to label by the data version: an import is seen on the next run
    from loaders.importer import import_file

    store = copy_demo_store(demo_store, tmp_path)
    at = page(store, monkeypatch, "pages/imports.py", "en")

    def branches() -> set:
        editor = next(d.value for d in at.dataframe if list(d.value.columns) == LABEL_COLUMNS)
        return set(editor.loc[editor["field"] == "branch", "value"])

    assert "Lhasa Chengguan" not in branches()
    path = tmp_path / "nps_lhasa.csv"
    path.write_text("Customer ID,Date,Likelihood to recommend,Branch\r\nL1,2026-10-05,9,Lhasa Chengguan\r\n",
                    encoding="utf-8")
    con = connect(store)  # as the page's own store is open (one configuration per file and process)
    try:
        import_file(con, path, kind="nps")
    finally:
        con.close()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Lhasa Chengguan" in branches()


def test_a_viewer_sees_no_label_editor(demo_store, tmp_path, monkeypatch):
    store = copy_demo_store(demo_store, tmp_path)
    con = connect(store)
    try:
        set_passphrase(con, "correct horse battery")
    finally:
        con.close()
    at = page(store, monkeypatch, "pages/imports.py", "en")
    assert "Labels in both languages" not in [h.value for h in at.header]
    assert not [f for f in at.get("file_uploader")]


@pytest.mark.parametrize("language, present, absent", [
    ("en", ["Problem resolution", "Mobile app problems", "Reliability"], ["问题解决", "手机银行故障"]),
    ("zh", ["问题解决", "手机银行故障", "可靠性"], ["Problem resolution", "Mobile app problems"]),
])
@pytest.mark.slow
def test_the_report_and_the_slides_name_the_datas_values_in_their_language(demo_store, language, present, absent):
    con = connect(demo_store, read_only=True)
    try:
        review = labelled(month_review(con, MONTH), DataLabels.from_frame(label_table(con)), language)
    finally:
        con.close()
    # the charts' data is JSON in the page, its Chinese written as \uXXXX escapes
    html = re.sub(r"\\u([0-9a-f]{4})", lambda m: chr(int(m.group(1), 16)), report_html(review, language))
    deck = Presentation(io.BytesIO(review_pptx(review, language)))
    categories = [c for s in deck.slides for sh in s.shapes if sh.has_chart for c in sh.chart.plots[0].categories]
    for text in present:
        assert text in html
        assert text in categories
    for text in absent:
        assert text not in categories


# --- branches and regions (issue 22): their labels wherever a reader sees them ------------------------

PLACES = DataLabels({("branch", "Guangzhou Tianhe"): ("Guangzhou Tianhe", "广州天河"),
                     ("region", "South"): ("South", "华南"),
                     ("cause", "Mobile app problems"): ("Mobile app problems", "手机银行故障")})


def test_a_branch_league_and_a_trend_name_branches_and_regions_by_their_labels():
    league = pd.DataFrame({"branch": ["Guangzhou Tianhe", "Xiamen Siming"], "region": ["South", "South"]})
    assert labelled(league, PLACES, "zh").to_dict("list") == {
        "branch": ["广州天河", "Xiamen Siming"], "region": ["华南", "华南"],
        "branch_as_given": ["Guangzhou Tianhe", "Xiamen Siming"], "region_as_given": ["South", "South"]}
    trends = pd.DataFrame({"scope": ["branch", "region", "all"],
                           "subject": pd.Series(["Guangzhou Tianhe", "South", None], dtype=object)})
    assert labelled(trends, PLACES, "zh")["subject"].tolist() == ["广州天河", "华南", None]
    alerts = pd.DataFrame({"rule": ["cause_above_mean"], "scope": ["cause"], "subject": ["Mobile app problems"]})
    assert labelled(alerts, PLACES, "zh")["subject"].tolist() == ["手机银行故障"]


def test_an_area_to_act_on_names_its_branch_by_its_label():
    from analytics.review import Action

    branch = Action("branch_nps", "Guangzhou Tianhe", -51.9, -20.0, -31.9, 27)
    trend = Action("trend", "South", -20.3, 36.2, -56.5, 829, finding={"scope": "region", "subject": "South"})
    assert labelled(branch, PLACES, "zh").subject == "广州天河"
    assert labelled(trend, PLACES, "zh").finding == {"scope": "region", "subject": "华南"}
    assert labelled(branch, PLACES, "en").subject == "Guangzhou Tianhe"


def test_a_branch_chart_shows_the_label_and_gives_back_the_stored_name():
    from presentation import charts

    table = labelled(pd.DataFrame({"branch": ["Guangzhou Tianhe"], "negative_share": [0.4], "negative_ci_low": [0.3],
                                   "negative_ci_high": [0.5], "n": [40]}), PLACES, "zh")
    bars = charts.group_negative_share(table, "branch", title="t", language="zh").to_dict()["data"][0]
    assert list(bars["y"]) == ["广州天河"] and list(bars["customdata"]) == ["Guangzhou Tianhe"]


def test_the_branches_page_shows_an_analysts_branch_label(demo_store, tmp_path, monkeypatch):
    store = copy_demo_store(demo_store, tmp_path)
    con = connect(store)
    try:
        table = label_editor_frame(con)
        assert not table[table["field"] == "branch"].empty  # every branch of the data is offered to label
        table.loc[(table["field"] == "branch") & (table["value"] == "Guangzhou Tianhe"),
                  ["label_en", "label_zh"]] = ["Tianhe flagship", "天河旗舰网点"]
        run_save_labels(con, ANALYST, table)
    finally:
        con.close()
    at = page(store, monkeypatch, "pages/branches.py", "zh")
    league = at.dataframe[0].value
    league = getattr(league, "data", league)  # a Styler holds the frame it colours
    assert "天河旗舰网点" in league["网点"].tolist() and "广州天河" not in league["网点"].tolist()
    nps = next(t for t in traces(at) if t["type"] == "bar")
    assert "天河旗舰网点" in nps["y"] and "Guangzhou Tianhe" in nps["customdata"]


def test_the_demo_names_its_branches_and_regions_in_both_languages(demo_store):
    """A Chinese reader of the demo reads 广州天河 and 华南大区, not "Guangzhou Tianhe" and "South大区"
    (the overview's alerts in Chinese: tests/e2e/test_alerts.py)."""
    con = connect(demo_store, read_only=True)
    try:
        labels = label_table(con)
        places = {(f, v): (en, zh) for f, v, en, zh in
                  labels[labels["field"].isin(["branch", "region"])][["field", "value", "label_en", "label_zh"]]
                  .itertuples(index=False)}
        stored = {("branch", b) for (b,) in con.execute("SELECT DISTINCT branch FROM nps_response").fetchall()}
        stored |= {("region", r) for (r,) in con.execute("SELECT DISTINCT region FROM nps_response").fetchall()}
    finally:
        con.close()
    assert set(places) == stored and len(stored) == 12 + 4
    assert places[("branch", "Guangzhou Tianhe")] == ("Guangzhou Tianhe", "广州天河")
    assert places[("region", "South")] == ("South", "华南")


def standards_shown(at: AppTest) -> pd.DataFrame:
    """The gaps page's table of gaps 2–4 (the page's only table), by the page's column names."""
    return at.dataframe[0].value


def test_the_demos_gaps_table_names_its_standards_and_units_in_chinese(demo_store, monkeypatch):
    at = page(demo_store, monkeypatch, "pages/gaps.py", "zh")
    table = standards_shown(at)
    shown = dict(zip(table["standard"], table["unit"]))
    # the demo's eight standards (loaders/demo.py SERVICE_STANDARDS) and their Labels sheet's names
    assert shown == {"投诉处理时长": "小时", "24小时内办结的投诉": "%", "排队等候时间": "分钟",
                     "20秒内接听的来电": "%", "首次接触解决率": "%", "投诉升级率": "%", "净推荐值": "分",
                     "客户满意度指数": "分"}
    as_given = dict(zip(table["standard"], table["standard_as_given"]))
    assert as_given["20秒内接听的来电"] == "Calls answered within 20 s"
    english = standards_shown(page(demo_store, monkeypatch, "pages/gaps.py", "en"))
    assert "Calls answered within 20 s" in english["standard"].tolist() and "hours" in english["unit"].tolist()
    assert "standard_as_given" not in english.columns  # the English labels are the values as given


@pytest.mark.slow
def test_an_analysts_label_for_a_standard_shows_on_the_gaps_page(demo_store, tmp_path, monkeypatch):
    store = copy_demo_store(demo_store, tmp_path)
    con = connect(store)
    try:
        table = label_editor_frame(con)
        offered = set(table.loc[table["field"] == "standard", "value"])
        assert "Queue waiting time" in offered and len(offered) == 8  # every standard of the data is offered
        table.loc[(table["field"] == "standard") & (table["value"] == "Queue waiting time"),
                  ["label_en", "label_zh"]] = ["Counter queue", "柜台排队时长"]
        assert run_save_labels(con, ANALYST, table) == {"added": 0, "changed": 1, "removed": 0}
    finally:
        con.close()
    for language, name in (("zh", "柜台排队时长"), ("en", "Counter queue")):
        shown = standards_shown(page(store, monkeypatch, "pages/gaps.py", language))["standard"].tolist()
        assert name in shown and "Queue waiting time" not in shown
