"""The alerts and the targets' gaps in the running dashboard, at a laptop's 1440 px, in English and
Chinese: the overview's alert list under its tiles and each tile's line about its target, and the
review's headlines telling the month's alerts. Screenshots go to artifacts/screenshots."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect
from conftest import alerted_demo_store

from bench.browser import start_app, stop_app
from presentation.i18n import translate
from tests.e2e.conftest import screenshot, wait_for_app, worker_port

pytestmark = pytest.mark.e2e

LAPTOP = {"width": 1440, "height": 900}
WORDS = {"en": {"alerts": "Alerts", "tianhe": "Guangzhou Tianhe: NPS has fallen over the last 12 months",
                "target": "Target +30.0:",
                "cause": "Mobile app problems"},
         "zh": {"alerts": "预警", "tianhe": "广州天河：NPS近 12 个月持续下降", "target": "目标 +30.0：",
                "cause": "手机银行故障"}}


@pytest.fixture(scope="module")
def alerted_url(committed_demo_master, tmp_path_factory):
    store = alerted_demo_store(committed_demo_master, tmp_path_factory.mktemp("e2e-alerts"))
    port = worker_port()
    process = start_app(store, port)
    yield f"http://127.0.0.1:{port}"
    stop_app(process)


@pytest.fixture
def laptop(browser):
    context = browser.new_context(viewport=LAPTOP, locale="en-US")
    tab = context.new_page()
    yield tab
    context.close()


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_overview_shows_the_alerts_and_the_gaps(alerted_url, laptop, language):
    laptop.goto(f"{alerted_url}/?lang={language}&month=2026-10")
    wait_for_app(laptop)
    laptop.locator('[data-testid="stPlotlyChart"]').first.wait_for(timeout=30_000)
    main = laptop.locator('[data-testid="stMain"]')
    # a loaded machine may still be redrawing after the page writes its defaults into the URL
    expect(main).to_contain_text(WORDS[language]["tianhe"], timeout=30_000)
    assert laptop.locator('[data-testid="stException"]').count() == 0
    assert main.get_by_role("heading", name=WORDS[language]["alerts"]).is_visible()
    text = main.inner_text()
    assert WORDS[language]["tianhe"] in text and WORDS[language]["cause"] in text
    assert WORDS[language]["target"] in text
    # the alerts come right under the tiles: before "What changed"
    assert text.index(WORDS[language]["tianhe"]) < text.index("What changed" if language == "en" else "本期变化")
    screenshot(laptop, f"alerts-overview-{language}-1440", width=LAPTOP["width"])


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_review_tells_the_alerts(alerted_url, laptop, language):
    laptop.goto(f"{alerted_url}/review?lang={language}&month=2026-10")
    wait_for_app(laptop)
    laptop.locator('[data-testid="stPlotlyChart"]').first.wait_for(timeout=30_000)
    expect(laptop.locator('[data-testid="stMain"]')).to_contain_text(WORDS[language]["tianhe"], timeout=30_000)
    assert laptop.locator('[data-testid="stException"]').count() == 0
    text = laptop.locator('[data-testid="stMain"]').inner_text()
    # told among the headlines, before the first chart's section
    assert WORDS[language]["tianhe"] in text
    assert text.index(WORDS[language]["tianhe"]) < text.index(translate("review.section.csi", language))
    screenshot(laptop, f"alerts-review-{language}-1440", width=LAPTOP["width"])


def test_the_review_slide_shows_the_alerts(alerted_url, laptop):
    """Presentation mode: the alerts are on the headlines slide, with their branch and cause names."""
    laptop.goto(f"{alerted_url}/review?lang=en&month=2026-10&present=1&slide=1")
    wait_for_app(laptop)
    expect(laptop.locator('[data-testid="stMain"]')).to_contain_text(WORDS["en"]["tianhe"], timeout=30_000)
    text = laptop.locator('[data-testid="stMain"]').inner_text()
    assert WORDS["en"]["tianhe"] in text and "Mobile app problems" in text
    screenshot(laptop, "alerts-review-present-en-1440", width=LAPTOP["width"])


def test_the_imports_page_sets_targets_and_rules(alerted_url, laptop):
    """The demo's uploads are open to anyone (no passphrase): the controls are drawn, the targets in
    force listed."""
    laptop.goto(f"{alerted_url}/imports?lang=en")
    wait_for_app(laptop)
    main = laptop.locator('[data-testid="stMain"]')
    heading = main.get_by_role("heading", name="Targets and alerts")
    heading.scroll_into_view_if_needed()
    assert heading.is_visible()
    assert main.get_by_role("button", name="Save the rules").count() == 1
    text = main.inner_text()
    # the targets in force are a data grid (drawn on a canvas); the rules' switches are text
    assert "Targets in force" in text and "A branch's NPS falls significantly against last month" in text
    screenshot(laptop, "alerts-imports-en-1440", width=LAPTOP["width"])
