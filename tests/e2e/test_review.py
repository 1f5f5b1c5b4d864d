"""The monthly review in the running dashboard: presentation mode at a projector's 1920×1080 in English
and Chinese, a copied link that reopens it, and the downloaded report opened offline from file://.
Screenshots go to artifacts/screenshots."""
from __future__ import annotations

import re

import pytest

from analytics.review import SECTIONS
from presentation.i18n import translate
from tests.e2e.conftest import ARTIFACTS, screenshot, wait_for_app

pytestmark = pytest.mark.e2e

PROJECTOR = {"width": 1920, "height": 1080}
EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")
PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


@pytest.fixture
def projector(browser):
    context = browser.new_context(viewport=PROJECTOR, locale="en-US", accept_downloads=True)
    tab = context.new_page()
    yield tab
    context.close()


def open_review(tab, app_url, query: str) -> None:
    tab.goto(f"{app_url}/review?{query}")
    wait_for_app(tab)
    tab.locator('[data-testid="stPlotlyChart"]').first.wait_for(timeout=30_000)
    tab.wait_for_timeout(800)


def first_screen(tab, name: str) -> None:
    """What the room sees before anyone scrolls: exactly 1920×1080."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / f"{name}.png"))


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_review_in_presentation_mode_on_a_projector(app_url, projector, language):
    """Slide by slide (one section a screen, tests/e2e/test_slides_mode.py): every section, larger
    text, the filters gone but the switch kept, and no customer's data on any slide."""
    text = ""
    for number, section in enumerate(SECTIONS, 1):
        projector.goto(f"{app_url}/review?lang={language}&month=2026-10&present=1&slide={number}")
        wait_for_app(projector)
        assert projector.locator('[data-testid="stException"]').count() == 0
        assert projector.locator(f"#{section}").count() == 1, section
        text += projector.locator('[data-testid="stMain"]').inner_text()
        if number == 1:
            first_screen(projector, f"review-present-{language}-1920x1080")
    assert text.startswith(translate("review.report_title", language,
                                     month="Oct 2026" if language == "en" else "2026年10月"))
    assert projector.evaluate("() => getComputedStyle(document.documentElement).fontSize") == "24px"
    sidebar = projector.locator('[data-testid="stSidebar"]')
    assert sidebar.locator('[data-testid="stMultiSelect"]').count() == 0
    assert sidebar.get_by_text(translate("present.toggle", language)).is_visible()
    assert not EMAIL.search(text) and not PHONE.search(text)
    assert not re.search(r"\bC\d{6}\b", text), "customer ids are masked"
    assert "•••••" in text


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_review_in_normal_mode(app_url, projector, language):
    open_review(projector, app_url, f"lang={language}&month=2026-10")
    assert projector.evaluate("() => getComputedStyle(document.documentElement).fontSize") == "16px"
    assert projector.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').count() == 6  # region, branch, channel, segment, product, tier
    text = projector.locator('[data-testid="stMain"]').inner_text()
    assert re.search(r"\bC\d{6}\b", text), "outside presentation mode analysts see the ids"
    first_screen(projector, f"review-normal-{language}-1920x1080")
    screenshot(projector, f"review-normal-{language}", width=1920)


def test_a_copied_link_reopens_the_review_and_the_mode_switches_off(app_url, projector):
    open_review(projector, app_url, "lang=zh&month=2026-08&region=South&compare=last_year&present=1&slide=2")
    for part in ("lang=zh", "month=2026-08", "region=South", "compare=last_year", "present=1", "slide=2"):
        assert part in projector.url
    caption = projector.locator('[data-testid="stMain"] [data-testid="stCaptionContainer"]').first.inner_text()
    assert caption.startswith(translate("review.report_title", "zh", month="2026年8月"))
    projector.locator('[data-testid="stSidebar"]').get_by_text(translate("present.toggle", "zh")).click()
    projector.wait_for_function("() => !location.search.includes('present=1')", timeout=20_000)
    wait_for_app(projector)
    assert projector.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').count() == 6  # region, branch, channel, segment, product, tier
    assert "region=South" in projector.url and "month=2026-08" in projector.url


def test_the_downloaded_report_opens_offline(app_url, projector, browser, tmp_path):
    open_review(projector, app_url, "lang=en&month=2026-10")
    button = projector.get_by_role("button", name=translate("review.download", "en"))
    with projector.expect_download(timeout=120_000) as download:
        button.click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.name == "review-2026-10-en.html"

    offline = browser.new_context(viewport={"width": 1400, "height": 1000}, offline=True)
    requests = []
    offline.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                  else (requests.append(route.request.url), route.abort()))
    tab = offline.new_page()
    tab.goto(path.as_uri())
    tab.wait_for_function("() => document.querySelectorAll('.js-plotly-plot .main-svg').length >= 8",
                          timeout=30_000)
    tab.wait_for_timeout(800)
    assert requests == []
    for section in SECTIONS:
        assert tab.locator(f"section#{section} h2").count() == 1
    assert tab.locator(".js-plotly-plot").count() >= 8
    text = tab.locator("body").inner_text()
    assert not EMAIL.search(text) and not PHONE.search(text) and not re.search(r"\bC\d{6}\b", text)
    height = tab.evaluate("() => document.body.scrollHeight")
    tab.set_viewport_size({"width": 1400, "height": min(int(height), 8000)})
    tab.wait_for_timeout(800)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / "report-offline-en.png"))
    offline.close()
