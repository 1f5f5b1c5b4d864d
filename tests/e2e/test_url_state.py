"""Every control that changes what a page shows is in the link: change each one, copy the URL into
a fresh browser (no shared session), and the page shows the same thing."""
from __future__ import annotations

from urllib.parse import parse_qs, quote, urlsplit

import pytest

from app import PAGES
from presentation.i18n import translate
from tests.e2e.conftest import screenshot, wait_for_app

pytestmark = pytest.mark.e2e

# page → the controls a manager changes there: (widget key = URL parameter, option label to click)
CONTROLS = {
    "csi": [("csi.against", "csi.against.company"), ("csi.view", "csi.view.bars")],
    "sentiment": [("sentiment.source", "source.nps"), ("sentiment.which", "sentiment.which.positive")],
}
ACTIVE = '[data-testid="stMainBlockContainer"] [role="radio"][aria-checked="true"]'


def main_text(tab) -> str:
    """What the page says, charts' words included: the same view reads the same."""
    return tab.locator('[data-testid="stMainBlockContainer"]').inner_text()


def active_options(tab) -> list[str]:
    return sorted(tab.locator(ACTIVE).all_inner_texts())


@pytest.mark.parametrize("path", sorted(CONTROLS))
def test_a_copied_link_reopens_every_choice_of_the_page(app_url, browser, page, path):
    page.goto(f"{app_url}/{path}?lang=en&month=2026-09")
    wait_for_app(page)
    before = main_text(page)
    for key, label_key in CONTROLS[path]:
        page.get_by_role("radio", name=translate(label_key, "en"), exact=True).click()
        wait_for_app(page)
        assert f"{key}=" in page.url, page.url
    assert main_text(page) != before  # the choices changed what the page shows
    reopened_the_same(browser, page)


def test_the_iceberg_share_is_in_the_link(app_url, browser, page):
    page.goto(f"{app_url}/complaints?lang=en&month=2026-09")
    wait_for_app(page)
    label = translate("complaints.iceberg_share", "en")
    slider = page.locator('[data-testid="stSlider"]').filter(has_text=label).get_by_role("slider")
    default = slider.get_attribute("aria-valuetext")
    slider.focus()
    page.keyboard.press("ArrowRight")
    wait_for_app(page)
    moved = slider.get_attribute("aria-valuetext")
    assert moved != default and "complaints.iceberg_share=" in page.url, page.url
    fresh = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="en-US")
    try:
        reopened = fresh.new_page()
        reopened.goto(page.url)
        wait_for_app(reopened)
        again = reopened.locator('[data-testid="stSlider"]').filter(has_text=label).get_by_role("slider")
        assert again.get_attribute("aria-valuetext") == moved
        assert main_text(reopened) == main_text(page)
    finally:
        fresh.close()


def test_the_customer_tier_is_in_the_link(app_url, browser, page):
    """The sidebar's tier filter, picked by its name in the reader's language, goes into the link; a
    fresh browser opened on that link shows the same numbers for the same tier."""
    # the tier filter is the sidebar's sixth list, below a 1000-px window: its dropdown opens in view
    # only when the box is in view without scrolling the sidebar under the pointer
    page.set_viewport_size({"width": 1600, "height": 1500})
    page.goto(f"{app_url}/?lang=zh&month=2026-09")
    wait_for_app(page)
    before = main_text(page)
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.locator('[data-testid="stMultiSelect"]').filter(has_text=translate("filters.tiers", "zh")).click()
    page.get_by_role("option", name=translate("tier.key", "zh"), exact=True).click()
    page.keyboard.press("Escape")
    wait_for_app(page)
    assert "tier=key" in page.url, page.url
    shown = main_text(page)
    assert shown != before  # key customers' numbers are not everyone's
    screenshot(page, "tiers-overview-key-zh")
    fresh = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN")
    try:
        reopened = fresh.new_page()
        reopened.goto(page.url)
        wait_for_app(reopened)
        chosen = reopened.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').filter(
            has_text=translate("filters.tiers", "zh"))
        assert translate("tier.key", "zh") in chosen.inner_text()
        assert main_text(reopened) == shown
    finally:
        fresh.close()


def test_the_overview_by_its_name_lands_on_the_overview_in_the_same_state(app_url, browser, page):
    """The overview is the app's root; a link or bookmark that names it (/overview?…) opens it in the
    same state at the root, never Streamlit's "Page not found"."""
    query = "lang=zh&month=2026-08&region=South&region=North&compare=last_year"
    page.goto(f"{app_url}/?{query}")
    wait_for_app(page)
    shown = main_text(page)
    assert shown.startswith(translate("overview.title", "zh"))
    fresh = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="en-US")
    try:
        bookmarked = fresh.new_page()
        bookmarked.goto(f"{app_url}/{PAGES[0].url_path}?{query}")
        bookmarked.wait_for_url(f"{app_url}/?*", timeout=30_000)
        wait_for_app(bookmarked)
        assert bookmarked.get_by_role("dialog").count() == 0  # Streamlit's "Page not found"
        landed = urlsplit(bookmarked.url)
        assert landed.path == "/"
        assert parse_qs(landed.query) == parse_qs(urlsplit(page.url).query)
        assert main_text(bookmarked) == shown
    finally:
        fresh.close()


def reopened_the_same(browser, page) -> None:
    """The page's URL opened in a fresh browser shows what the page shows, with the same choices."""
    shown, chosen = main_text(page), active_options(page)
    fresh = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="en-US")
    try:
        reopened = fresh.new_page()
        reopened.goto(page.url)
        wait_for_app(reopened)
        assert active_options(reopened) == chosen
        assert main_text(reopened) == shown
    finally:
        fresh.close()


def test_the_csi_against_one_branch_is_in_the_link(app_url, browser, page):
    """CSI's third comparison: one branch, picked in a list that shows only for it."""
    page.goto(f"{app_url}/csi?lang=en&month=2026-09")
    wait_for_app(page)
    page.get_by_role("radio", name=translate("csi.against.branch", "en"), exact=True).click()
    wait_for_app(page)
    first = main_text(page)
    page.locator('[data-testid="stMain"] [data-testid="stSelectbox"]').filter(
        has_text=translate("csi.branch", "en")).click()
    page.get_by_role("option").nth(2).click()
    wait_for_app(page)
    assert "csi.against=" in page.url and "csi.branch=" in page.url, page.url
    assert main_text(page) != first  # another branch, other numbers
    reopened_the_same(browser, page)


def test_the_nps_comparison_is_in_the_link(app_url, browser, page):
    """The NPS page's only choice is the sidebar's comparison: against the same month last year."""
    page.goto(f"{app_url}/nps?lang=en&month=2026-09")
    wait_for_app(page)
    before = main_text(page)
    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(
        has_text=translate("filters.compare", "en")).click()
    page.get_by_role("option", name=translate("filters.compare.last_year", "en"), exact=True).click()
    wait_for_app(page)
    assert "compare=last_year" in page.url, page.url
    assert main_text(page) != before
    reopened_the_same(browser, page)


def test_a_link_made_in_english_opens_the_same_view_in_chinese(app_url, browser, page):
    """The CSI page against one branch (the demo labels its branches in Chinese) and as bars: the link
    holds the options as stored, so it is one string in both languages and reopens the same choices
    with the Chinese words; the sidebar's lists too show their choices in Chinese after the switch."""
    page.goto(f"{app_url}/csi?lang=en&month=2026-09&region=South")
    wait_for_app(page)
    page.get_by_role("radio", name=translate("csi.against.branch", "en"), exact=True).click()
    wait_for_app(page)
    page.locator('[data-testid="stMain"] [data-testid="stSelectbox"]').filter(
        has_text=translate("csi.branch", "en")).click()
    page.get_by_role("option", name="Guangzhou Tianhe", exact=True).click()
    wait_for_app(page)
    page.get_by_role("radio", name=translate("csi.view.bars", "en"), exact=True).click()
    wait_for_app(page)
    english = parse_qs(urlsplit(page.url).query)
    assert {k: english[k] for k in ("csi.against", "csi.branch", "csi.view")} == {
        "csi.against": ["branch"], "csi.branch": ["Guangzhou Tianhe"], "csi.view": ["bars"]}

    # the reader switches the language: the same choices, the same link but for the language
    page.locator('[data-testid="stSidebar"]').get_by_text("简体中文", exact=True).click()
    wait_for_app(page)
    chinese = parse_qs(urlsplit(page.url).query)
    assert chinese.pop("lang") == ["zh"] and english.pop("lang") == ["en"]
    assert chinese == english
    chosen_in_chinese = [translate("csi.against.branch", "zh"), translate("csi.view.bars", "zh")]
    assert active_options(page) == sorted(chosen_in_chinese)
    branch = page.locator('[data-testid="stMain"] [data-testid="stSelectbox"]').filter(
        has_text=translate("csi.branch", "zh"))
    assert branch.get_by_role("combobox").input_value() == "广州天河"
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert sidebar.locator('[data-testid="stSelectbox"]').filter(has_text=translate("filters.period", "zh")).get_by_role(
        "combobox").input_value() == "2026年9月"
    assert "华南" in sidebar.locator('[data-testid="stMultiSelect"]').filter(
        has_text=translate("filters.regions", "zh")).inner_text()
    screenshot(page, "csi-branch-bars-zh")

    # the English link opened with the Chinese language parameter, in a fresh browser
    fresh = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN")
    try:
        reopened = fresh.new_page()
        reopened.goto(page.url)
        wait_for_app(reopened)
        assert active_options(reopened) == sorted(chosen_in_chinese)
        assert reopened.locator('[data-testid="stMain"] [data-testid="stSelectbox"]').filter(
            has_text=translate("csi.branch", "zh")).get_by_role("combobox").input_value() == "广州天河"
        assert main_text(reopened) == main_text(page)
    finally:
        fresh.close()


def test_a_link_that_holds_the_words_shown_still_opens_its_view(app_url, page):
    """A link copied before the link held options (the Chinese words of a sort order): the same view,
    no error box, and the link now names the option."""
    sort = translate("branches.sort.complaints", "zh")
    page.goto(f"{app_url}/branches?lang=en&month=2026-09&branches.sort={quote(sort)}")
    wait_for_app(page)
    assert active_options(page) == [translate("branches.sort.complaints", "en")]
    assert parse_qs(urlsplit(page.url).query)["branches.sort"] == ["complaints"]
    page.goto(f"{app_url}/branches?lang=en&month=2026-09&branches.sort=nonsense")
    wait_for_app(page)
    assert active_options(page) == [translate("branches.sort.nps", "en")]
    assert page.locator('[data-testid="stMain"] [data-testid="stAlert"], [data-testid="stException"]').count() == 0
