"""Each view in the running dashboard: opened from the sidebar, its key chart drawn, screenshots
in English and Chinese (artifacts/screenshots); a selected point shows the comments behind it."""
from __future__ import annotations

import pytest

from app import PAGES, route
from presentation.i18n import translate
from tests.e2e.conftest import screenshot, wait_for_app

pytestmark = pytest.mark.e2e

# page → a piece of its key chart that only that chart draws
KEY_CHARTS = {
    "overview": ".js-plotly-plot .scatterlayer",            # the trends
    "csi": ".js-plotly-plot .polarlayer",                   # the radar
    "gaps": ".js-plotly-plot .shapelayer path",             # the five-gap diagram's boxes
    "nps": ".js-plotly-plot .barlayer",                     # promoters, passives, detractors by month
    "sentiment": ".js-plotly-plot .scatterlayer .fills",    # trends with their interval bands
    "complaints": ".js-plotly-plot .overplot",              # the Pareto's second axis
}
VIEWS = [spec for spec in PAGES if spec.url_path in KEY_CHARTS]


def open_from_sidebar(tab, app_url, spec, language):
    tab.goto(f"{app_url}/?lang={language}")
    wait_for_app(tab)
    tab.locator('[data-testid="stSidebarNavLink"]').filter(has_text=translate(spec.title_key, language)).click()
    tab.wait_for_url(f"**/{route(spec)}*")
    wait_for_app(tab)


@pytest.mark.parametrize("spec", VIEWS, ids=[s.url_path for s in VIEWS])
def test_view_from_the_sidebar(app_url, page, spec):
    open_from_sidebar(page, app_url, spec, "en")
    page.locator(KEY_CHARTS[spec.url_path]).first.wait_for(timeout=20_000)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert "lang=en" in page.url and "month=" in page.url  # the link carries the view
    screenshot(page, f"view-{spec.url_path}-en")


@pytest.mark.parametrize("spec", VIEWS, ids=[s.url_path for s in VIEWS])
def test_view_in_chinese(app_url, page, spec):
    page.goto(f"{app_url}/{route(spec)}?lang=zh")
    wait_for_app(page)
    page.locator(KEY_CHARTS[spec.url_path]).first.wait_for(timeout=20_000)
    assert page.locator('[data-testid="stException"]').count() == 0
    screenshot(page, f"view-{spec.url_path}-zh")


def test_a_copied_link_reopens_the_view(app_url, page):
    page.goto(f"{app_url}/nps?lang=zh&month=2026-08&region=South&compare=last_year")
    wait_for_app(page)
    assert page.locator("h1").first.inner_text() == translate("nps.title", "zh")
    assert "month=2026-08" in page.url and "region=South" in page.url and "compare=last_year" in page.url
    caption = translate("page.period", "zh", period="2026年8月", vs="2025年8月")
    assert page.get_by_text(caption).count() == 1


def test_selecting_a_month_shows_its_comments(app_url, page):
    page.goto(f"{app_url}/sentiment?lang=en&month=2026-10")
    wait_for_app(page)
    trend = page.locator(".js-plotly-plot").first
    trend.evaluate("element => element.scrollIntoView({block: 'center'})")
    page.wait_for_timeout(500)
    first_month = trend.locator(".scatterlayer .trace .points path").first.bounding_box()
    # plotly's drag layer lies over the points: click where the point is drawn
    page.mouse.click(first_month["x"] + first_month["width"] / 2, first_month["y"] + first_month["height"] / 2)
    page.get_by_text("Nov 2025 · all branches", exact=False).wait_for(timeout=20_000)
    screenshot(page, "view-sentiment-selected-month")


def test_language_and_filters_follow_the_reader_across_pages(app_url, page):
    page.goto(f"{app_url}/?lang=zh&month=2026-09&region=South")
    wait_for_app(page)
    nps = next(spec for spec in PAGES if spec.url_path == "nps")
    page.locator('[data-testid="stSidebarNavLink"]').filter(has_text=translate(nps.title_key, "zh")).click()
    page.wait_for_url("**/nps*")
    page.get_by_text(translate("nps.title", "zh"), exact=True).wait_for(timeout=20_000)
    wait_for_app(page)
    for part in ("lang=zh", "month=2026-09", "region=South"):
        assert part in page.url
