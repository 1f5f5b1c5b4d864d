"""Every page of the dashboard, run with Streamlit's AppTest from app.py: on the demo store, on an
empty store and on a store with one kind of data; the numbers shown equal the analytics' results
for the same filters; filters and language survive the URL."""
from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import dbrows
import pytest
from conftest import copy_demo_store, shown
from streamlit.testing.v1 import AppTest

from analytics.changes import (
    complaints_headline, csi_headline, negative_share_headline, nps_headline, polarity_headline,
    resolution_headlines
)
from analytics.complaints import complaint_volume_change, repeat_complainants, resolution_change, resolution_stats
from analytics.csi import compare_attributes, csi_change
from analytics.filters import Filters, company_wide, latest_full_month, one_branch, same_period_last_year
from analytics.handling import handling_steps
from analytics.nps import nps_change
from analytics.sentiment import sentiment_change
from app import PAGES
from pages import _keys as keys
from presentation import i18n
from presentation.findings import fmt_delta, fmt_value, nps_mix_headlines, repeat_summary
from presentation.formats import fmt_hours, fmt_share
from presentation.i18n import translate
from loaders.importer import import_file
from store.db import connect

PROJECT_ROOT = Path(__file__).resolve().parent.parent
OCTOBER = Filters(date_from=date(2026, 10, 1), date_to=date(2026, 10, 31))
SEPTEMBER = Filters(date_from=date(2026, 9, 1), date_to=date(2026, 9, 30))
VIEW_PAGES = [spec.path for spec in PAGES if spec.path != "pages/imports.py"]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo_store(demo_master, tmp_path_factory) -> Path:
    return copy_demo_store(demo_master, tmp_path_factory.mktemp("pages"))


@pytest.fixture
def demo_con(demo_store):
    # the same configuration as the app's connection, so both share the one open database
    con = connect(demo_store)
    yield con
    con.close()


def open_app(store: Path, monkeypatch, page: str | None = None, **params) -> AppTest:
    monkeypatch.setenv("FEEDBACK_DB", str(store))
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60)
    at.query_params.update(params)
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metrics(at) -> list[tuple[str, str, str]]:
    return [(m.label, m.value, m.delta) for m in at.metric]


def tile(change, language="en"):
    # a comparison too few to judge shows no difference (DESIGN.md, "Minimum n")
    delta = "" if change.delta is None or change.too_few else fmt_delta(change.metric, change.delta, language)
    return (translate(f"metric.{change.metric}", language), fmt_value(change.metric, change.value, language), delta)


def figures(at) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("page", VIEW_PAGES + ["pages/imports.py"])
def test_every_page_renders_on_the_demo_store(demo_store, monkeypatch, page, language):
    i18n.unknown_keys.clear()
    at = open_app(demo_store, monkeypatch, page, lang=language, month="2026-10")
    assert not at.error, [e.value for e in at.error]
    # a key built at run time (f"group.{column}") that no locale file holds would show as itself
    assert i18n.unknown_keys == set()
    assert at.title, "every page has a title"
    assert at.session_state[keys.LANGUAGE] == language
    if page != "pages/imports.py":
        assert figures(at), "every view draws charts"


CHINESE_TEXTS = set(i18n.texts("zh").values())


@pytest.mark.parametrize("page", VIEW_PAGES + ["pages/imports.py"])
def test_every_list_box_has_a_chinese_placeholder(demo_store, monkeypatch, page):
    """Streamlit's own placeholder ('Choose an option', 'Choose options') is English in every language."""
    at = open_app(demo_store, monkeypatch, page, lang="zh", month="2026-10")
    if page == "pages/csi.py":  # the branch list is drawn when the comparison is another branch
        at.segmented_control(key=keys.CSI_AGAINST).set_value("branch").run()
    boxes = [*at.selectbox, *at.multiselect]
    # the sidebar's month, comparison and five list filters at least
    assert len(boxes) >= 7
    assert [(box.label, box.proto.placeholder) for box in boxes if box.proto.placeholder not in CHINESE_TEXTS] == []


@pytest.mark.parametrize("page", VIEW_PAGES)
def test_every_page_on_an_empty_store_says_where_data_comes_from(tmp_path, monkeypatch, page):
    at = open_app(tmp_path / "empty.duckdb", monkeypatch, page)
    assert [i.value for i in at.info] == [translate("empty.store", "en")]
    assert not at.metric and not figures(at)


@pytest.fixture(scope="module")
def nps_only_store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("nps_only") / "nps.duckdb"
    con = connect(path)
    dbrows.nps(con, [10, 9, 8, 3, 10], branch="North", responded_at=datetime(2026, 10, 5))
    dbrows.nps(con, [6, 9], branch="North", responded_at=datetime(2026, 9, 5))
    con.close()
    return path


@pytest.mark.parametrize("page, what", [
    ("pages/csi.py", "empty.what.csi"), ("pages/sentiment.py", "empty.what.sentiment"),
    ("pages/complaints.py", "empty.what.complaints"),
])
def test_a_selection_without_that_data_says_so(nps_only_store, monkeypatch, page, what):
    at = open_app(nps_only_store, monkeypatch, page, month="2026-10")
    expected = translate("empty.selection", "en", what=translate(what, "en"), period="Oct 2026")
    assert [i.value for i in at.info] == [expected]
    assert not at.error


def test_the_gap_page_explains_every_missing_gap(nps_only_store, monkeypatch):
    at = open_app(nps_only_store, monkeypatch, "pages/gaps.py", month="2026-10")
    infos = [shown(i.value) for i in at.info]
    for gap in ("gap1", "gap2", "gap3", "gap4", "gap5"):
        assert any(text.startswith(translate(f"gaps.missing.{gap}", "en")) for text in infos), gap


def test_overview_with_nps_only(nps_only_store, monkeypatch):
    at = open_app(nps_only_store, monkeypatch, month="2026-10")
    con = connect(nps_only_store)
    try:
        expected = tile(nps_headline(nps_change(con, OCTOBER, SEPTEMBER)))
    finally:
        con.close()
    assert metrics(at)[0] == expected


def test_the_default_period_is_the_latest_full_month(demo_store, demo_con, monkeypatch):
    at = open_app(demo_store, monkeypatch)
    last = demo_con.execute("SELECT max(received_at) FROM complaint").fetchone()[0].date()
    assert at.session_state[keys.FILTER_MONTH] == latest_full_month(last, date.today())
    assert at.query_params["month"] == at.session_state[keys.FILTER_MONTH]
    assert at.query_params["compare"] == "previous"


def test_overview_tiles_equal_the_analytics(demo_store, demo_con, monkeypatch):
    at = open_app(demo_store, monkeypatch, month="2026-10")
    resolution = resolution_change(demo_con, OCTOBER, SEPTEMBER)
    expected = [
        tile(nps_headline(nps_change(demo_con, OCTOBER, SEPTEMBER))),
        tile(csi_headline(csi_change(demo_con, OCTOBER, SEPTEMBER))),
        tile(complaints_headline(complaint_volume_change(resolution.current.n, resolution.previous.n,
                                                         OCTOBER, SEPTEMBER))),
        tile(negative_share_headline(sentiment_change(demo_con, OCTOBER, SEPTEMBER))),
    ]
    assert metrics(at) == expected
    # the month's alerts under the tiles, then what changed
    assert [s.value for s in at.subheader[:2]] == [translate("overview.alerts", "en"),
                                                   translate("overview.what_changed", "en")]


def test_nps_page_tiles_equal_the_analytics(demo_store, demo_con, monkeypatch):
    at = open_app(demo_store, monkeypatch, "pages/nps.py", month="2026-10")
    change = nps_change(demo_con, OCTOBER, SEPTEMBER)
    assert metrics(at) == [tile(nps_headline(change))] + [tile(c) for c in nps_mix_headlines(change)]


def test_csi_page_tile_and_radar_equal_the_analytics(demo_store, demo_con, monkeypatch):
    at = open_app(demo_store, monkeypatch, "pages/csi.py", month="2026-10")
    change = csi_change(demo_con, OCTOBER, SEPTEMBER)
    assert metrics(at) == [tile(csi_headline(change))]
    attributes = compare_attributes(change.current.attributes, change.previous.attributes)
    radar = figures(at)[0]["data"]
    now = next(trace for trace in radar if trace["name"] == "Oct 2026")
    assert now["r"] == pytest.approx(attributes["satisfaction_now"].tolist() + attributes["satisfaction_now"][:1].tolist())


def test_csi_page_compares_with_the_company_average(demo_store, demo_con, monkeypatch):
    at = open_app(demo_store, monkeypatch, "pages/csi.py", month="2026-10", region="South")
    at.segmented_control(key=keys.CSI_AGAINST).set_value("company").run()
    south = replace(OCTOBER, regions=("South",))
    change = csi_change(demo_con, south, company_wide(south))
    assert metrics(at) == [tile(csi_headline(change))]
    assert "company average" in at.metric[0].proto.delta_description


@pytest.mark.parametrize("language, note", [
    ("en", "too few to compare with Beijing Chaoyang"), ("zh", "较北京朝阳：样本太少"),  # the branch's label
])
def test_csi_tile_against_a_branch_too_few_to_judge_shows_no_difference(demo_store, demo_con, monkeypatch,
                                                                         language, note):
    # the demo's October against one branch's respondents, under the minimum of 30
    at = open_app(demo_store, monkeypatch, "pages/csi.py", month="2026-10", lang=language)
    at.segmented_control(key=keys.CSI_AGAINST).set_value("branch").run()
    at.selectbox(key=keys.CSI_BRANCH).set_value("Beijing Chaoyang").run()
    change = csi_headline(csi_change(demo_con, OCTOBER, one_branch(OCTOBER, "Beijing Chaoyang")))
    assert change.too_few and change.n_previous < 30 and change.delta is not None
    assert at.metric[0].value == fmt_value("csi", change.value, language)
    assert at.metric[0].delta == "" and at.metric[0].proto.delta_description == note


def test_sentiment_page_tiles_follow_the_source(demo_store, demo_con, monkeypatch):
    at = open_app(demo_store, monkeypatch, "pages/sentiment.py", month="2026-10")
    at.segmented_control(key=keys.SENTIMENT_SOURCE).set_value("complaint").run()
    change = sentiment_change(demo_con, OCTOBER, SEPTEMBER, "complaint")
    assert metrics(at) == [tile(polarity_headline(change)), tile(negative_share_headline(change))]


def complaints_store(folder: Path, text: str):
    """A store of one complaint log written as `text`, and a connection to it for the test to close."""
    path = folder / "complaints.csv"
    path.write_text(text, encoding="utf-8")
    store = folder / "store.duckdb"
    con = connect(store)
    import_file(con, path, kind="complaints")
    return store, con


def test_the_sentiment_page_opens_on_a_source_that_has_texts(tmp_path, monkeypatch):
    """A store of a complaint system's export alone (no survey, no NPS): the page opens on the
    complaints' descriptions, where it had opened on the survey's comments and found none."""
    store, con = complaints_store(tmp_path, "Date received,Issue,Consumer complaint narrative,Complaint ID\n"
                                            "2026-10-02,Fees,They charged me twice and nobody calls back,1\n"
                                            "2026-10-03,Fees,Terrible service and a rude agent,2\n"
                                            "2026-10-05,Card,The card works fine now thank you,3\n")
    change = sentiment_change(con, OCTOBER, SEPTEMBER, "complaint")
    con.close()
    at = open_app(store, monkeypatch, "pages/sentiment.py", month="2026-10")
    assert at.segmented_control(key=keys.SENTIMENT_SOURCE).value == "complaint"
    assert change.current.n == 3 and metrics(at)[:2] == [tile(polarity_headline(change)),
                                                          tile(negative_share_headline(change))]


@pytest.mark.parametrize("language, says", [
    ("en", "not reached: fewer than half of 4 resolved yet"), ("zh", "尚未达到：4 件中已解决的不到一半")])
def test_a_median_to_resolve_not_reached_says_so(tmp_path, monkeypatch, language, says):
    """Four complaints in October, one resolved (after 5 h) and three still open as of the last
    moment (the fourth received on 20 Oct): Kaplan–Meier's survival never falls to ½ (3/4 after 5 h),
    so there is no median. The tile and the handling's median say why, where they showed a bare "—"."""
    store, con = complaints_store(tmp_path, "Received,Resolved,Issue,Description\n"
                                            "2026-10-02 09:00,2026-10-02 14:00,Fees,They charged me twice\n"
                                            "2026-10-03 09:00,,Fees,Nobody calls back\n"
                                            "2026-10-05 09:00,,Card,My card was blocked\n"
                                            "2026-10-20 09:00,,Card,The app rejects my card\n")
    stats = resolution_stats(con, OCTOBER)
    con.close()
    assert (stats.n, stats.n_timed, stats.median_hours_to_resolve) == (4, 4, None)
    at = open_app(store, monkeypatch, "pages/complaints.py", month="2026-10", lang=language)
    captions = [shown(c.value) for c in at.caption]
    assert any(c.endswith(says) and c.startswith("n = 4") for c in captions), captions   # under the tile
    assert says in captions   # under the handling's median


@pytest.mark.parametrize("params, whose", [
    ({}, "all branches"),
    ({"branch": "Guangzhou Tianhe"}, "Guangzhou Tianhe"),
    ({"region": "North"}, "North"),
])
def test_sentiment_verbatims_say_whose_comments_they_are(demo_store, monkeypatch, params, whose):
    # the sidebar's branch or region, not "all branches", when one is chosen
    at = open_app(demo_store, monkeypatch, "pages/sentiment.py", month="2026-10", **params)
    assert any(c.value.startswith(f"Oct 2026 · {whose}. Click a month") for c in at.caption), [c.value for c in at.caption]


def test_complaints_page_tiles_equal_the_analytics(demo_store, demo_con, monkeypatch):
    at = open_app(demo_store, monkeypatch, "pages/complaints.py", month="2026-10")
    resolution = resolution_change(demo_con, OCTOBER, SEPTEMBER)
    heads = resolution_headlines(resolution)
    value, _ = repeat_summary(repeat_complainants(demo_con, OCTOBER), "en")
    handling = handling_steps(demo_con, OCTOBER)
    assert metrics(at) == [
        tile(complaints_headline(complaint_volume_change(resolution.current.n, resolution.previous.n,
                                                         OCTOBER, SEPTEMBER))),
        tile(heads["within_sla"]), tile(heads["median_hours"]), tile(heads["escalation_rate"]),
        # beside the handling funnel
        (translate("metric.confirmed_satisfaction", "en"), fmt_share(handling.confirmed_share), ""),
        (translate("metric.km_median", "en"), fmt_hours(handling.median_hours_to_resolve, "en"), ""),
        (translate("metric.repeat", "en"), value, ""),  # beside the iceberg
    ]
    pareto = figures(at)[0]["data"]
    assert sum(pareto[0]["y"]) == resolution.current.n - demo_con.execute(
        "SELECT count(*) FROM complaint WHERE cause IS NULL AND received_at >= '2026-10-01'"
        " AND received_at < '2026-11-01'").fetchone()[0]


def test_a_link_reopens_the_same_page_filters_and_language(demo_store, demo_con, monkeypatch):
    params = {"lang": "zh", "month": "2026-08", "region": "South", "channel": ["Branch", "Phone"],
              "compare": "last_year"}
    at = open_app(demo_store, monkeypatch, "pages/nps.py", **params)
    # what the URL carries after the page ran: the same choices
    assert {k: at.query_params[k] for k in params} == params
    assert at.title[0].value == translate("nps.title", "zh")
    august = Filters(date_from=date(2026, 8, 1), date_to=date(2026, 8, 31), regions=("South",),
                     channels=("Branch", "Phone"))
    change = nps_change(demo_con, august, same_period_last_year(august))
    assert metrics(at)[0] == tile(nps_headline(change), "zh")
    assert at.caption[0].value == translate("page.period", "zh", period="2026年8月", vs="2025年8月")


def test_custom_dates_come_back_from_the_url(demo_store, monkeypatch):
    at = open_app(demo_store, monkeypatch, "pages/complaints.py", **{"from": "2026-09-15", "to": "2026-10-14"})
    assert at.session_state[keys.FILTER_MONTH] == "custom"
    assert (at.query_params["from"], at.query_params["to"]) == ("2026-09-15", "2026-10-14")
    assert "month" not in at.query_params
    assert at.caption[0].value.startswith("15 Sep – 14 Oct 2026")


def test_a_sidebar_change_updates_the_numbers_and_the_url(demo_store, demo_con, monkeypatch):
    at = open_app(demo_store, monkeypatch, "pages/nps.py", month="2026-10")
    at.multiselect(key=keys.choice(keys.FILTER_REGIONS)).set_value(["North"]).run()
    assert at.query_params["region"] == "North"
    north = replace(OCTOBER, regions=("North",))
    assert metrics(at)[0] == tile(nps_headline(nps_change(demo_con, north, replace(SEPTEMBER, regions=("North",)))))
    at.radio(key=keys.choice(keys.LANGUAGE)).set_value("zh").run()
    assert at.query_params["lang"] == "zh"
    assert at.title[0].value == translate("nps.title", "zh")
    assert at.query_params["region"] == "North"  # the filter survives the language switch


def test_invalid_url_values_fall_back_to_defaults(demo_store, monkeypatch):
    at = open_app(demo_store, monkeypatch, month="1999-01", region="Atlantis", compare="sideways", lang="fr")
    assert at.session_state[keys.FILTER_REGIONS] == []
    assert at.query_params["compare"] == "previous"
    assert at.query_params["lang"] == "en"
    assert at.query_params["month"] != "1999-01"


@pytest.mark.parametrize("page, first, last", [
    # what the table is for comes first; a laptop's table scrolls to the right for the rest
    ("pages/gaps.py", ["standard", "gap2", "gap3", "gap4"], "actual_source"),
    ("pages/nps.py", ["responded_at", "customer_id", "branch", "touchpoint", "score", "comment"], "touchpoint_as_given"),
])
def test_a_tables_key_columns_come_first(demo_store, monkeypatch, page, first, last):
    at = open_app(demo_store, monkeypatch, page, month="2026-10")
    table = at.dataframe[0].value
    columns = list(getattr(table, "data", table).columns)  # a Styler holds the frame it colours
    assert columns[:len(first)] == first and columns[-1] == last


@pytest.fixture(scope="module")
def bare_store(tmp_path_factory) -> Path:
    """Files with their required columns and little more, as a first export often is: no region,
    branch, touchpoint or channel anywhere."""
    folder = tmp_path_factory.mktemp("bare")
    files = {
        "survey.csv": "Date,Overall satisfaction,Staff courtesy,Waiting time\n"
                      + "".join(f"2026-10-{d:02d},{3 + d % 3},{2 + d % 4},{1 + d % 5}\n" for d in range(1, 29)),
        "nps.csv": "Date,Score\n" + "".join(f"2026-10-{d:02d},{d % 11}\n" for d in range(1, 29)),
        "complaints.csv": "Received,Description\n"
                          + "".join(f"2026-10-{d:02d} 10:00,Waited too long at the counter {d}\n" for d in range(1, 29)),
    }
    path = folder / "bare.duckdb"
    con = connect(path)
    try:
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf-8")
            import_file(con, folder / name, accept_new_items=True)
    finally:
        con.close()
    return path


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("page", VIEW_PAGES)
def test_every_page_renders_files_without_groups(bare_store, monkeypatch, page, language):
    """Two breakdowns of one page (NPS by touchpoint and by branch) are then the same "(not given)"
    bar: Streamlit refused the second chart as a duplicate element, and the page broke."""
    at = open_app(bare_store, monkeypatch, page, lang=language, month="2026-10")
    assert not at.error, [e.value for e in at.error]
    assert at.title
    infos = [i.value for i in at.info]
    if page == "pages/nps.py":  # no "(not given)" bar repeating the NPS: what is missing, in words
        for group in ("touchpoint", "branch"):
            assert translate("empty.chart", language, what=translate(f"empty.what.nps_{group}", language)) in infos
    if page == "pages/branches.py":  # not "no survey responses, NPS responses or complaints": there are
        assert len(infos) == 1 and translate("empty.what.branch_feedback", language) in infos[0]
