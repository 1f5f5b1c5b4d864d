"""Every page of the running dashboard opens on demo data with no exception shown; in CI (marker
`ci`), every chart is drawn once."""
from __future__ import annotations

import time

import pytest

from app import PAGES, route
from tests.e2e.conftest import screenshot, wait_for_app

pytestmark = pytest.mark.e2e

_CHARTS_DRAWN = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
  .filter(chart => chart.checkVisibility()).every(chart => chart.querySelector('.main-svg'))"""

# Margins Plotly had to widen after drawing a chart (its automargin), which makes it draw the chart
# again: presentation.charts reserves them beforehand, from the title's lines and the axes' labels.
_WIDENED_MARGINS = """() => [...document.querySelectorAll('.js-plotly-plot')].filter(gd => gd._fullLayout)
  .flatMap(gd => ['l', 'r', 't', 'b']
    .filter(side => gd._fullLayout._size[side] !== Math.round(gd._fullLayout.margin[side]))
    .map(side => `${(gd._fullLayout.title.text || '').slice(0, 40)}: ${side} ${gd._fullLayout.margin[side]}`
                 + ` -> ${gd._fullLayout._size[side]}`))"""


def _plotly_draws(coverage: dict) -> int:
    """How many times Plotly drew a chart's traces (its drawData ran), from V8's call counts."""
    return sum(function["ranges"][0]["count"] for script in coverage["result"] if "PlotlyChart" in script["url"]
               for function in script["functions"] if function["functionName"].endswith(".drawData"))


def _opened(tab, url: str) -> tuple[int, int]:
    """Open `url` in `tab` and wait until it is drawn: (charts, how many times Plotly drew one)."""
    calls = tab.context.new_cdp_session(tab)
    calls.send("Profiler.enable")
    calls.send("Profiler.startPreciseCoverage", {"callCount": True, "detailed": False})
    tab.goto(url)
    wait_for_app(tab)
    tab.wait_for_function(_CHARTS_DRAWN, timeout=60_000)
    draws = _plotly_draws(calls.send("Profiler.takePreciseCoverage"))
    tab.wait_for_timeout(500)  # nothing more may come
    return tab.locator(".js-plotly-plot").count(), draws + _plotly_draws(calls.send("Profiler.takePreciseCoverage"))


def assert_opened_cleanly(tab) -> None:
    """No exception, a page that exists with its title, and no margin Plotly had to widen."""
    assert tab.locator('[data-testid="stException"]').count() == 0
    assert tab.get_by_text("Page not found").count() == 0
    # a page's title, or on the review's slides (presentation mode) the section on screen
    assert tab.locator('[data-testid="stMainBlockContainer"] h1, [data-testid="stMainBlockContainer"] h2').count() >= 1
    assert tab.evaluate(_WIDENED_MARGINS) == []


@pytest.mark.parametrize("spec", PAGES, ids=[p.url_path for p in PAGES])
# one Chinese run per page, in presentation mode: its larger fonts need the widest margins, and
# Chinese has the wider labels (Chinese outside presentation mode: test_every_chart_is_drawn_once,
# tests/e2e/test_views.py and tests/test_pages.py)
@pytest.mark.parametrize("lang", ["en", "zh&present=1"])
def test_page_opens_without_exception(app_url, page, spec, lang):
    page.goto(f"{app_url}/{route(spec)}?lang={lang}")
    wait_for_app(page)
    page.wait_for_function(_CHARTS_DRAWN, timeout=60_000)
    assert_opened_cleanly(page)
    screenshot(page, f"smoke-{spec.url_path}-{lang.replace('&present=1', '-presenting')}")


# Streamlit gives each chart its figure a second time just after drawing it (a styled copy), and
# sets a pickable chart's click and drag modes: neither may make Plotly draw the chart again
# (presentation.charts.drawn_once, pages._common.show_chart); that would show on every open. Now and
# then (about one open in seven of the gap page, rarer elsewhere) a chart is still drawn twice, at
# the same size from the same figure: Streamlit's own doing, not yet understood. So a page is
# opened up to OPENS times, a few seconds apart, until one open draws every chart once. (A full run
# once saw four opens in a row of the Chinese complaints page draw one chart twice while the other
# worker's lake tests loaded both cores; alone, and after every other browser test on one server,
# it drew each once.)
OPENS = 6
RETRY_PAUSE_SECONDS = 3


@pytest.mark.ci
@pytest.mark.parametrize("spec", PAGES, ids=[p.url_path for p in PAGES])
@pytest.mark.parametrize("lang", ["en", "zh", "zh&present=1"])
def test_every_chart_is_drawn_once(app_url, page, spec, lang):
    url = f"{app_url}/{route(spec)}?lang={lang}"
    charts, draws = _opened(page, url)
    assert_opened_cleanly(page)
    seen = [draws]
    while draws != charts and len(seen) < OPENS:
        time.sleep(RETRY_PAUSE_SECONDS)
        tab = page.context.new_page()
        charts, draws = _opened(tab, url)
        tab.close()
        seen.append(draws)
    assert draws == charts, f"{charts} charts drawn {seen} times in {len(seen)} opens"
