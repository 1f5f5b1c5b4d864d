"""The alerts and targets on the pages (AppTest from app.py): the overview shows the month's alerts
and each tile's gap to its target in both languages; the Imports page lets an analyst set a target
and refuses a viewer whatever the browser sends."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import PROJECT_ROOT, alerted_demo_store, shown
from streamlit.testing.v1 import AppTest

from analytics.changes import nps_headline
from analytics.filters import Filters
from analytics.nps import nps_change
from analytics.targets import Target, target_gap
from loaders.access import AccessError, set_passphrase
from presentation.alerts import target_sentence
from presentation.upload import Access, run_set_rules, run_set_target
from store.alerts import alert_rules
from store.db import connect
from store.targets import targets

pytestmark = pytest.mark.slow
OCTOBER = Filters(date_from=date(2026, 10, 1), date_to=date(2026, 10, 31))
SEPTEMBER = Filters(date_from=date(2026, 9, 1), date_to=date(2026, 9, 30))


@pytest.fixture(scope="module")
def alerted_store(committed_demo_master, tmp_path_factory) -> Path:
    return alerted_demo_store(committed_demo_master, tmp_path_factory.mktemp("alert-pages"))


def open_page(store: Path, monkeypatch, page: str, **params) -> AppTest:
    monkeypatch.setenv("FEEDBACK_DB", str(store))
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=120)
    at.query_params.update(params)
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at: AppTest) -> list[str]:
    return [shown(m.value) for m in at.markdown] + [shown(c.value) for c in at.caption]


@pytest.mark.parametrize("lang, alert, cause, target, header", [
    ("en", "Guangzhou Tianhe: NPS has fallen over the last 12 months, from +37.9 in Nov 2025 to −51.9 in Oct 2026",
     "Mobile app problems", "Target +30.0: ", "Alerts"),
    # the cause by its label in the reader's language, as the charts name it
    ("zh", "广州天河：NPS近 12 个月持续下降，从2025年11月的 +37.9 降至2026年10月的 −51.9",
     "手机银行故障", "目标 +30.0：", "预警"),
])
def test_the_overview_shows_the_alerts_and_the_gap_to_target(alerted_store, monkeypatch, lang, alert, cause, target,
                                                             header):
    at = open_page(alerted_store, monkeypatch, "pages/overview.py", month="2026-10", lang=lang)
    assert header in [s.value for s in at.subheader]
    found = texts(at)
    assert any(alert in text for text in found)
    assert any(cause in text for text in found)
    assert lang == "en" or not any("Mobile app problems" in text for text in found)
    # the NPS tile's line about its target: the tile's own figure and interval against +30
    con = connect(alerted_store)
    try:
        tile = nps_headline(nps_change(con, OCTOBER, SEPTEMBER))
    finally:
        con.close()
    expected = target_sentence(target_gap(tile, Target("nps", 30.0)), lang)
    assert expected.startswith(target) and ":material/flag: " + expected in found


def test_the_complaints_tile_is_below_its_sla_target(alerted_store, monkeypatch):
    at = open_page(alerted_store, monkeypatch, "pages/complaints.py", month="2026-10")
    assert any(text.startswith(":material/flag: Target 95.0%: below it (gap −") for text in texts(at))


def test_a_month_without_alerts_says_so(alerted_store, monkeypatch):
    at = open_page(alerted_store, monkeypatch, "pages/overview.py", month="2026-05")
    assert "No alert for May 2026." in texts(at)


def test_the_review_tells_the_alerts_after_the_headlines(alerted_store, monkeypatch):
    at = open_page(alerted_store, monkeypatch, "pages/review.py", month="2026-10")
    assert any("Mobile app problems: 46 complaints in Oct 2026" in text for text in texts(at))
    # the NPS tile says how it stands against its target, as the overview's does
    assert any("Target +30.0: below it (gap −34.8;" in text for text in texts(at))


def test_an_analyst_sets_a_target_on_the_imports_page(alerted_store, tmp_path, monkeypatch):
    store = tmp_path / "store.duckdb"
    store.write_bytes(alerted_store.read_bytes())
    at = open_page(store, monkeypatch, "pages/imports.py")  # no passphrase: the demo's open uploads
    at.selectbox(key="imports.target_metric").set_value("csi")
    at.selectbox(key="imports.target_place").set_value("branch:Guangzhou Tianhe")
    at.number_input(key="imports.target_value").set_value(70.0).run()  # the browser reruns as the value is typed
    at.button(key="imports.target_save").click().run()
    assert not at.exception
    con = connect(store)  # as the app opened it: DuckDB shares one open file only with one configuration
    try:
        book = targets(con)
    finally:
        con.close()
    row = book[book["metric"] == "csi"].iloc[0]
    assert (row["scope"], row["subject"], row["target"]) == ("branch", "Guangzhou Tianhe", 70.0)
    assert "Target saved." in [s.value for s in at.success]


def test_a_viewer_gets_no_controls_and_is_refused(alerted_store, tmp_path, monkeypatch):
    store = tmp_path / "store.duckdb"
    store.write_bytes(alerted_store.read_bytes())
    con = connect(store)
    try:
        set_passphrase(con, "a long enough passphrase")
    finally:
        con.close()
    at = open_page(store, monkeypatch, "pages/imports.py")
    assert not [w for w in at.selectbox if w.key == "imports.target_metric"]
    assert not [w for w in at.checkbox if w.key and w.key.startswith("imports.rule_enabled")]
    # the rules and targets are still shown, read-only
    assert any("A branch's NPS falls significantly against last month" in text for text in texts(at))
    con = connect(store)
    try:
        viewer = Access("passphrase", False)
        with pytest.raises(AccessError):
            run_set_target(con, viewer, "nps", 50, "all")
        with pytest.raises(AccessError):
            run_set_rules(con, viewer, {"branch_nps_fall": (False, 0.0)})
        assert targets(con).loc[lambda b: b["metric"] == "nps", "target"].tolist() == [30.0]
        assert alert_rules(con)["branch_nps_fall"].enabled
    finally:
        con.close()
