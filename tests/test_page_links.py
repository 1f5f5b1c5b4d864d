"""A page's own choices in the link (pages._common.url_choice): the link holds the option, never the
words shown, so one view has one link in English and Chinese; a link made when it held the words
still opens its view, and one that names nothing opens the default without a message."""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import copy_demo_store
from streamlit.testing.v1 import AppTest

from pages import _keys as keys
from pages._common import option_from_link
from presentation.i18n import translate

PROJECT_ROOT = Path(__file__).resolve().parent.parent
AGAINST = ("period", "branch", "company")
STATUSES = ("open", "contacted", "resolved", "unreachable")


def against_words(language):
    return lambda option: translate(f"csi.against.{option}", language)


def status_words(language):
    return lambda option: translate(f"follow_up.status.{option}", language)


@pytest.mark.parametrize("given, expected", [
    (["company"], "company"),                                       # what the link holds now
    ([translate("csi.against.company", "en")], "company"),          # an English link of before
    ([translate("csi.against.company", "zh")], "company"),          # a Chinese one
    (["Company averag"], "period"),                                 # names nothing: the default
    ([], "period"),
    (["branch", "company"], "company"),                             # a parameter given twice: the last
])
def test_one_option_from_the_link(given, expected):
    assert option_from_link(given, AGAINST, "period", [against_words("en"), against_words("zh")]) == expected


@pytest.mark.parametrize("given, expected", [
    (["contacted", "open"], ["contacted", "open"]),
    ([translate("follow_up.status.contacted", "zh"), "open", "bogus"], ["contacted", "open"]),
    (["open", translate("follow_up.status.open", "en")], ["open"]),  # one status named twice
    (["bogus"], []),
])
def test_several_options_from_the_link(given, expected):
    assert option_from_link(given, STATUSES, [], [status_words("en"), status_words("zh")], multiple=True) == expected


@pytest.fixture(scope="module")
def demo_store(demo_master, tmp_path_factory) -> Path:
    return copy_demo_store(demo_master, tmp_path_factory.mktemp("links"))


def open_page(store: Path, monkeypatch, page: str, **params) -> AppTest:
    monkeypatch.setenv("FEEDBACK_DB", str(store))
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60)
    at.query_params.update({"month": "2026-10", **params})
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def in_link(at: AppTest, key: str) -> list[str]:
    """A parameter's values: AppTest gives a parameter named once as a string."""
    value = at.query_params[key]
    return value if isinstance(value, list) else [value]


def switch_language(at: AppTest, language: str) -> None:
    at.radio(key=keys.choice(keys.LANGUAGE)).set_value(language).run()
    assert not at.exception, [e.value for e in at.exception]


def test_the_csi_choices_hold_the_same_link_in_both_languages(demo_store, monkeypatch):
    at = open_page(demo_store, monkeypatch, "pages/csi.py", lang="en")
    at.segmented_control(key=keys.CSI_AGAINST).set_value("company").run()
    at.segmented_control(key=keys.CSI_VIEW).set_value("bars").run()
    english = {k: at.query_params[k] for k in (keys.CSI_AGAINST, keys.CSI_VIEW)}
    assert english == {keys.CSI_AGAINST: "company", keys.CSI_VIEW: "bars"}
    switch_language(at, "zh")
    assert {k: at.query_params[k] for k in english} == english
    assert at.segmented_control(key=keys.CSI_AGAINST).value == "company"
    assert at.segmented_control(key=keys.CSI_VIEW).value == "bars"
    # the default is left out of the link
    at.segmented_control(key=keys.CSI_VIEW).set_value("radar").run()
    assert keys.CSI_VIEW not in at.query_params


@pytest.mark.slow
def test_the_csi_branch_is_the_branch_as_stored(demo_store, monkeypatch):
    """The demo labels 'Guangzhou Tianhe' 广州天河 in Chinese; the link names it as the data does."""
    at = open_page(demo_store, monkeypatch, "pages/csi.py", lang="zh", **{keys.CSI_AGAINST: "branch"})
    at.selectbox(key=keys.CSI_BRANCH).set_value("Guangzhou Tianhe").run()
    assert at.query_params[keys.CSI_BRANCH] == "Guangzhou Tianhe"
    assert at.selectbox(key=keys.CSI_BRANCH).format_func("Guangzhou Tianhe") == "广州天河"
    at.segmented_control(key=keys.CSI_AGAINST).set_value("company").run()
    assert keys.CSI_BRANCH not in at.query_params  # no branch list drawn, none in the link


@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_link_that_held_the_words_opens_the_same_view(demo_store, monkeypatch, language):
    """A link made before the change, in Chinese, opened in either language."""
    old = {keys.CSI_AGAINST: translate("csi.against.branch", "zh"), keys.CSI_BRANCH: "广州天河",
           keys.CSI_VIEW: translate("csi.view.bars", "zh")}
    at = open_page(demo_store, monkeypatch, "pages/csi.py", lang=language, **old)
    assert at.segmented_control(key=keys.CSI_AGAINST).value == "branch"
    assert at.selectbox(key=keys.CSI_BRANCH).value == "Guangzhou Tianhe"
    assert at.segmented_control(key=keys.CSI_VIEW).value == "bars"
    assert {k: at.query_params[k] for k in old} == {keys.CSI_AGAINST: "branch", keys.CSI_BRANCH: "Guangzhou Tianhe",
                                                    keys.CSI_VIEW: "bars"}


def test_a_link_that_names_nothing_opens_the_default_quietly(demo_store, monkeypatch):
    at = open_page(demo_store, monkeypatch, "pages/branches.py", lang="zh", **{keys.BRANCHES_SORT: "by shoe size"})
    assert at.segmented_control(key=keys.BRANCHES_SORT).value == "nps"
    assert keys.BRANCHES_SORT not in at.query_params
    assert not at.error and not at.warning


@pytest.mark.slow
def test_the_branches_sort_and_sentiment_choices_are_options_in_the_link(demo_store, monkeypatch):
    at = open_page(demo_store, monkeypatch, "pages/branches.py", lang="zh",
                   **{keys.BRANCHES_SORT: translate("branches.sort.complaints", "en")})
    assert at.segmented_control(key=keys.BRANCHES_SORT).value == "complaints"
    assert at.query_params[keys.BRANCHES_SORT] == "complaints"
    at = open_page(demo_store, monkeypatch, "pages/sentiment.py", lang="zh")
    at.segmented_control(key=keys.SENTIMENT_SOURCE).set_value("nps").run()
    at.segmented_control(key=keys.SENTIMENT_WHICH).set_value("positive").run()
    assert (at.query_params[keys.SENTIMENT_SOURCE], at.query_params[keys.SENTIMENT_WHICH]) == ("nps", "positive")


def test_the_follow_up_filters_are_statuses_and_kinds_in_the_link(demo_store, monkeypatch):
    at = open_page(demo_store, monkeypatch, "pages/follow_up.py", lang="zh",
                   **{keys.FOLLOW_UP_STATUS: [translate("follow_up.status.open", "en"), "contacted"]})
    assert at.multiselect(key=keys.FOLLOW_UP_STATUS).value == ["open", "contacted"]
    assert in_link(at, keys.FOLLOW_UP_STATUS) == ["open", "contacted"]
    at.multiselect(key=keys.FOLLOW_UP_SOURCE).select("complaint").run()
    assert in_link(at, keys.FOLLOW_UP_SOURCE) == ["complaint"]
    switch_language(at, "en")
    assert in_link(at, keys.FOLLOW_UP_STATUS) == ["open", "contacted"]
    assert at.multiselect(key=keys.FOLLOW_UP_STATUS).value == ["open", "contacted"]
