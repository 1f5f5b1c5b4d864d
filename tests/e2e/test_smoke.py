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

# Counts, for every chart, the layouts Plotly is given (gd.layout set) and the times it computes the
# chart from its data (gd.calcdata set to a new array), through accessors on every div. Streamlit
# gives each chart its figure a second time just after drawing it (a styled copy): that must find
# nothing changed rather than draw the chart again (analytics.charts.drawn_once).
_COUNT_DRAWS = """
const counts = new WeakMap();
const of = (gd) => counts.get(gd) || counts.set(gd, {layouts: 0, computed: 0}).get(gd);
for (const [name, key] of [['layout', 'layouts'], ['calcdata', 'computed']]) {
  const values = new WeakMap();
  Object.defineProperty(HTMLDivElement.prototype, name, {configurable: true,
    get() { return values.get(this); },
    set(value) { values.set(this, value); if (name === 'layout' || Array.isArray(value)) of(this)[key] += 1; }});
}
window.drawCounts = () => [...document.querySelectorAll('.js-plotly-plot')].map(gd => ({
  title: ((gd._fullLayout && gd._fullLayout.title.text) || '').slice(0, 40), ...of(gd)}));
"""


@pytest.mark.parametrize("spec", PAGES, ids=[p.url_path for p in PAGES])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_page_opens_without_exception(app_url, page, spec, lang):
    page.add_init_script(_COUNT_DRAWS)
    page.goto(f"{app_url}/{route(spec)}?lang={lang}")
    wait_for_app(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.get_by_text("Page not found").count() == 0
    assert page.locator('[data-testid="stMainBlockContainer"] h1').count() >= 1
    page.wait_for_function(_CHARTS_DRAWN, timeout=60_000)
    assert page.evaluate(_WIDENED_MARGINS) == []
    page.wait_for_function("() => drawCounts().every(chart => chart.layouts >= 2)", timeout=10_000)
    assert [chart for chart in page.evaluate("drawCounts()") if chart["computed"] != 1] == []
    screenshot(page, f"smoke-{spec.url_path}-{lang}")
