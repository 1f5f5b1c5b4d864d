"""Every page of the running dashboard opens on demo data with no exception shown."""
from __future__ import annotations

import pytest

from app import PAGES, route
from tests.e2e.conftest import screenshot, wait_for_app

pytestmark = pytest.mark.e2e

_CHARTS_DRAWN = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
  .filter(chart => chart.checkVisibility()).every(chart => chart.querySelector('.main-svg'))"""

# Margins Plotly had to widen after drawing a chart (its automargin), which makes it draw the chart
# again: analytics.charts reserves them beforehand, from the title's lines and the axes' labels.
_WIDENED_MARGINS = """() => [...document.querySelectorAll('.js-plotly-plot')].filter(gd => gd._fullLayout)
  .flatMap(gd => ['l', 'r', 't', 'b']
    .filter(side => gd._fullLayout._size[side] !== Math.round(gd._fullLayout.margin[side]))
    .map(side => `${(gd._fullLayout.title.text || '').slice(0, 40)}: ${side} ${gd._fullLayout.margin[side]}`
                 + ` -> ${gd._fullLayout._size[side]}`))"""


@pytest.mark.parametrize("spec", PAGES, ids=[p.url_path for p in PAGES])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_page_opens_without_exception(app_url, page, spec, lang):
    page.goto(f"{app_url}/{route(spec)}?lang={lang}")
    wait_for_app(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.get_by_text("Page not found").count() == 0
    assert page.locator('[data-testid="stMainBlockContainer"] h1').count() >= 1
    page.wait_for_function(_CHARTS_DRAWN, timeout=60_000)
    assert page.evaluate(_WIDENED_MARGINS) == []
    screenshot(page, f"smoke-{spec.url_path}-{lang}")
