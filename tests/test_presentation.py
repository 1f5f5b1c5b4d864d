"""Presentation mode and the monthly review page, run with AppTest from app.py.

Presentation mode (?present=1) masks every e-mail, phone number and customer id on every page, since
the only ways a page shows a table or a customer's words are pages/_common.py's show_table,
show_verbatims, show_frame and show_quote (an AST check holds every page to that). The review page
renders on the demo and empty stores with the numbers of analytics.review; a link reproduces page,
filters, month, language and mode.
"""
from __future__ import annotations

import ast
import re
from datetime import date
from pathlib import Path

import pytest
from conftest import copy_demo_store, shown
from google.protobuf import text_format
from streamlit.testing.v1 import AppTest

from analytics.filters import Filters, latest_full_month
from analytics.review import SECTIONS, month_review
from app import PAGES
from pages import _keys as keys
from presentation.findings import fmt_value
from presentation.i18n import translate
from store.db import connect

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ALL_PAGES = [spec.path for spec in PAGES]
EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")
PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
ASCII_TOKEN = re.compile(r"[A-Za-z0-9_\-]+")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo_store(demo_master, tmp_path_factory) -> Path:
    return copy_demo_store(demo_master, tmp_path_factory.mktemp("present"))


@pytest.fixture(scope="module")
def customer_data(demo_store) -> dict[str, set[str]]:
    """Every e-mail, phone number and customer id in the demo store."""
    con = connect(demo_store)
    try:
        texts = [r[0] for r in con.execute(
            "SELECT comment FROM survey_response UNION ALL SELECT comment FROM nps_response"
            " UNION ALL SELECT description FROM complaint").fetchall() if r[0]]
        ids = {r[0] for r in con.execute(
            "SELECT customer_id FROM survey_response UNION SELECT customer_id FROM nps_response"
            " UNION SELECT customer_id FROM complaint").fetchall() if r[0]}
    finally:
        con.close()
    return {"emails": {m for t in texts for m in EMAIL.findall(t)},
            "phones": {m for t in texts for m in PHONE.findall(t)}, "ids": ids}


def open_app(store: Path, monkeypatch, page: str | None = None, **params) -> AppTest:
    monkeypatch.setenv("FEEDBACK_DB", str(store))
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=120)
    at.query_params.update(params)
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def rendered_text(at: AppTest) -> str:
    """Every word the page sent to the browser: element messages, and the cells of every table."""
    parts = []
    for node in at._tree:
        proto = getattr(node, "proto", None)
        if proto is None:
            continue
        if getattr(node, "type", None) in ("dataframe", "table"):
            frame = node.value
            parts += [str(c) for c in frame.columns] + [str(v) for v in frame.to_numpy().ravel()]
        else:
            parts.append(text_format.MessageToString(proto, as_utf8=True))
    return shown("\n".join(parts))  # markdown escapes and word joiners are not there on screen


def leaks(text: str, data: dict[str, set[str]]) -> dict[str, list[str]]:
    tokens = set(ASCII_TOKEN.findall(text))
    return {"emails": sorted(e for e in data["emails"] if e in text),
            "phones": sorted(p for p in data["phones"] if p in text),
            "ids": sorted(tokens & data["ids"])}


def test_the_leak_check_sees_customer_data_when_not_presenting(demo_store, customer_data, monkeypatch):
    assert customer_data["emails"] and customer_data["phones"] and len(customer_data["ids"]) > 1000
    at = open_app(demo_store, monkeypatch, "pages/nps.py", month="2026-10")
    found = leaks(rendered_text(at), customer_data)
    assert found["ids"], "the detractors' table shows customer ids outside presentation mode"


@pytest.mark.parametrize("page", ALL_PAGES)
@pytest.mark.parametrize("month", ["2026-10", "2026-07"])
def test_presentation_mode_masks_customer_data_on_every_page(demo_store, customer_data, monkeypatch, page, month):
    # the review shows one section a screen: every slide is read
    slides = [str(n) for n in range(1, len(SECTIONS) + 1)] if page == "pages/review.py" else [None]
    text = ""
    for slide in slides:
        at = open_app(demo_store, monkeypatch, page, month=month, present="1", **({"slide": slide} if slide else {}))
        assert at.session_state[keys.PRESENT] is True
        assert not at.error, [e.value for e in at.error]
        text += rendered_text(at)
    assert leaks(text, customer_data) == {"emails": [], "phones": [], "ids": []}
    if page in ("pages/nps.py", "pages/sentiment.py", "pages/review.py"):
        assert "•••••" in text  # their customer ids are there, masked


def test_presentation_mode_tucks_the_filters_away_but_keeps_its_switch(demo_store, monkeypatch):
    at = open_app(demo_store, monkeypatch, "pages/csi.py", month="2026-10", region="South", present="1")
    assert not at.sidebar.multiselect and not at.sidebar.selectbox  # no filter widgets
    assert at.sidebar.toggle(key=keys.choice(keys.PRESENT)).value is True
    assert translate("present.showing", "en", period="Oct 2026 · South") in [c.value for c in at.sidebar.caption]
    assert at.query_params["region"] == "South"  # the hidden filters still hold
    at.sidebar.toggle(key=keys.choice(keys.PRESENT)).set_value(False).run()
    assert "present" not in at.query_params
    assert at.multiselect(key=keys.choice(keys.FILTER_REGIONS)).value == ["South"]
    assert at.selectbox(key=keys.choice(keys.FILTER_MONTH)).value == "2026-10"


def test_the_toggle_writes_the_mode_into_the_link(demo_store, monkeypatch):
    at = open_app(demo_store, monkeypatch, "pages/nps.py", month="2026-10")
    assert "present" not in at.query_params and not at.table
    at.sidebar.toggle(key=keys.choice(keys.PRESENT)).set_value(True).run()
    assert at.query_params["present"] == "1"
    assert at.table and not at.dataframe  # tables drawn as text that grows with the page


# -- the review page -----------------------------------------------------------------------------------

@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_review_page_tells_the_month_in_order(demo_store, monkeypatch, language):
    at = open_app(demo_store, monkeypatch, "pages/review.py", month="2026-10", lang=language)
    assert not at.error
    assert [shown(h.value) for h in at.header] == [translate(f"review.section.{s}", language) for s in SECTIONS]
    assert [h.proto.anchor for h in at.header] == list(SECTIONS)
    con = connect(demo_store)
    try:
        review = month_review(con, "2026-10", Filters(date_from=date(2026, 10, 1), date_to=date(2026, 10, 31)))
    finally:
        con.close()
    assert [(shown(m.label), m.value) for m in at.metric] == [
        (translate(f"metric.{h.metric}", language), fmt_value(h.metric, h.vs_previous.value, language))
        for h in review.headlines]
    assert shown(at.title[0].value) == translate("review.report_title", language,
                                          month="Oct 2026" if language == "en" else "2026年10月")
    assert at.get("download_button")
    assert len(at.get("plotly_chart")) >= 7


def test_the_review_page_on_an_empty_store(tmp_path, monkeypatch):
    at = open_app(tmp_path / "empty.duckdb", monkeypatch, "pages/review.py")
    assert [i.value for i in at.info] == [translate("empty.store", "en")]
    assert not at.metric and not at.get("plotly_chart")


def test_a_month_without_data_says_so(demo_store, monkeypatch):
    # Beijing Chaoyang is in the North, so South's Beijing Chaoyang has no data at all
    at = open_app(demo_store, monkeypatch, "pages/review.py", month="2026-10", region="South",
                  branch="Beijing Chaoyang")
    assert not at.error
    assert any(translate("review.no_data", "en", month="Oct 2026") in shown(m.value) for m in at.markdown)
    assert at.get("download_button")[0].proto.disabled


def test_the_review_month_picker_moves_the_shared_month_and_the_link(demo_store, monkeypatch):
    at = open_app(demo_store, monkeypatch, "pages/review.py", month="2026-10")
    at.selectbox(key=keys.REVIEW_MONTH).set_value("2026-08").run()
    assert at.query_params["month"] == "2026-08"
    assert at.session_state[keys.FILTER_MONTH] == "2026-08"
    assert at.selectbox(key=keys.choice(keys.FILTER_MONTH)).value == "2026-08"  # the sidebar follows
    assert shown(at.title[0].value) == translate("review.report_title", "en", month="Aug 2026")
    # and the other way round: the sidebar's month moves the review
    at.selectbox(key=keys.choice(keys.FILTER_MONTH)).set_value("2026-09").run()
    assert at.selectbox(key=keys.REVIEW_MONTH).value == "2026-09"
    assert shown(at.title[0].value) == translate("review.report_title", "en", month="Sep 2026")


def test_a_link_reopens_the_review_with_its_filters_month_language_and_mode(demo_store, monkeypatch):
    params = {"lang": "zh", "month": "2026-08", "region": "South", "compare": "last_year", "present": "1"}
    at = open_app(demo_store, monkeypatch, "pages/review.py", **params)
    assert {k: at.query_params[k] for k in params} == params
    assert at.session_state[keys.PRESENT] is True
    # on the shared screen the title is one line above the slides, and the month comes from the link
    caption = shown(at.caption[0].value)
    assert caption.startswith(translate("review.report_title", "zh", month="2026年8月"))
    # ...naming the month once, then what it is compared with: last month and August 2025
    assert caption.count("2026年8月") == 1 and "2026年7月" in caption and "2025年8月" in caption
    assert not at.title and not at.selectbox
    con = connect(demo_store)
    try:
        review = month_review(con, "2026-08", Filters(regions=("South",)))
    finally:
        con.close()
    assert [m.value for m in at.metric] == [fmt_value(h.metric, h.vs_previous.value, "zh") for h in review.headlines]


def test_a_custom_range_reviews_the_latest_full_month(demo_store, monkeypatch):
    at = open_app(demo_store, monkeypatch, "pages/review.py", **{"from": "2026-09-15", "to": "2026-10-14"})
    last_day = at.session_state[keys.SELECTION].options.date_max
    assert at.selectbox(key=keys.REVIEW_MONTH).value == latest_full_month(last_day, date.today())
    assert (at.query_params["from"], at.query_params["to"]) == ("2026-09-15", "2026-10-14")  # until a month is picked


# -- no page shows customer data any other way ---------------------------------------------------------

TABLE_CALLS = {"dataframe", "table", "data_editor", "json", "write", "text", "code"}
SHOWN_BY_COMMON = {"show_table", "show_verbatims", "show_frame", "show_quote"}
# The upload section's mapping editor and error messages: drawn only outside presentation mode
# (pages/imports.py hides the upload section while presenting); they show the analyst's own file.
# the analysts' editors (mappings, labels, tiers, the follow-up list): never shown in presentation
# mode, and Streamlit's own export is off everywhere (client.disableDataExport)
ALLOWED = {("imports.py", "data_editor"), ("imports.py", "code"), ("follow_up.py", "data_editor")}


def direct_table_calls(path: Path) -> list[str]:
    calls = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in TABLE_CALLS:
            if (path.name, node.func.attr) not in ALLOWED and not _writes_only_words(node):
                calls.append(f"{path.name}:{node.lineno} {node.func.attr}")
    return calls


def _writes_only_words(node: ast.Call) -> bool:
    """st.write(t('...')) shows the dashboard's own words, not data."""
    return node.func.attr == "write" and all(
        isinstance(a, ast.Call) and getattr(a.func, "id", None) == "t" for a in node.args)


@pytest.mark.parametrize("path", sorted((PROJECT_ROOT / "pages").glob("*.py")), ids=lambda p: p.name)
def test_pages_show_tables_only_through_common(path):
    if path.name == "_common.py":
        return
    assert direct_table_calls(path) == []


def test_the_table_check_catches_a_direct_table(tmp_path):
    page = tmp_path / "page.py"
    page.write_text("import streamlit as st\nst.dataframe(frame)\nst.write(frame)\nst.write(t('a'))\n")
    assert direct_table_calls(page) == ["page.py:2 dataframe", "page.py:3 write"]
