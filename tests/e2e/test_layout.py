"""Nothing cut at the widths managers use: at 1280, 1440 and 1920 px, in both languages, every
chart's title is text that wraps (never drawn inside the figure, where a narrow column cuts it) and
every word a chart draws — ticks, axis titles, legends, value labels, annotations — lies inside it."""
from __future__ import annotations

import pytest

from app import PAGES, route
from presentation.i18n import translate
from tests.e2e.conftest import screenshot, wait_for_app

pytestmark = pytest.mark.e2e

CHARTED = [spec for spec in PAGES if spec.url_path != "imports"]
OUTSIDE = """() => {
  const out = [];
  for (const plot of document.querySelectorAll('.js-plotly-plot')) {
    const svg = plot.querySelector('.main-svg');
    if (!svg) continue;
    const box = svg.getBoundingClientRect();
    for (const title of plot.querySelectorAll('.gtitle')) {
      if (title.textContent.trim()) out.push(['title inside the figure', title.textContent.slice(0, 60)]);
    }
    const words = plot.querySelectorAll('.g-xtitle text, .g-ytitle text, .xtick text, .ytick text, .legendtext, '
      + '.annotation-text, .textpoint text, .bartext, .angularaxistick text, .radialaxistick text');
    for (const word of words) {
      const r = word.getBoundingClientRect();
      if (r.width === 0 || !word.textContent.trim()) continue;
      if (r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.bottom > box.bottom + 0.5 || r.top < box.top - 0.5)
        out.push([word.textContent.slice(0, 60), Math.round(r.left - box.left), Math.round(box.right - r.right)]);
    }
  }
  return out;
}"""


@pytest.mark.parametrize("width", [1280, 1440, 1920])
@pytest.mark.parametrize("language", ["en", "zh"])
def test_no_chart_word_is_cut(app_url, browser, width, language):
    """Also, on the same opens, the checks of test_no_two_tick_labels_overlap and
    test_the_gap_diagrams_words_stay_in_their_places at the screens they share with this one (the
    same address at the same width and height)."""
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="en-US")
    try:
        tab = context.new_page()
        cut, crowded, misplaced = {}, {}, {}
        for spec in CHARTED:
            tab.goto(f"{app_url}/{route(spec)}?lang={language}&month=2026-10")
            wait_for_app(tab)
            tab.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=20_000)
            tab.wait_for_timeout(300)
            found = tab.evaluate(OUTSIDE)
            if found:
                cut[spec.url_path] = found
            if route(spec) in OVERLAPS_HERE.get(width, ()) and (found := tab.evaluate(OVERLAPS)):
                crowded[route(spec) or "overview"] = found
            if route(spec) in GAP_DIAGRAMS_HERE.get(width, ()) and (found := tab.evaluate(GAP_DIAGRAM)):
                misplaced[spec.url_path] = found
            if width == 1440:
                screenshot(tab, f"layout-{spec.url_path}-{language}-{width}", width=width)
        assert (cut, crowded, misplaced) == ({}, {}, {})
    finally:
        context.close()


# Two tick labels of one axis that touch: month ticks of the half-width trends, causes of the Pareto.
# Labels turned by the same angle lie on parallel lines: they touch when their ends (where each meets
# its tick) are closer, across those lines, than the font's height.
OVERLAPS = """() => {
  const out = [];
  const turn = t => { const m = /rotate\\((-?[0-9.]+)/.exec(t.getAttribute('transform') || ''); return m ? +m[1] : 0; };
  for (const plot of document.querySelectorAll('.js-plotly-plot')) {
    for (const axis of ['xtick', 'ytick']) {
      const boxes = [...plot.querySelectorAll(`.${axis} text`)].filter(t => t.textContent.trim())
        .map(t => ({text: t.textContent, r: t.getBoundingClientRect(), angle: turn(t),
                    size: parseFloat(getComputedStyle(t).fontSize)})).filter(b => b.r.width > 0);
      for (let i = 0; i < boxes.length; i++)
        for (let j = i + 1; j < boxes.length; j++) {
          const a = boxes[i], b = boxes[j];
          // side by side: their boxes meet; one above the other: their lines closer than the font
          const touch = a.angle
            ? Math.abs(a.r.right - b.r.right) * Math.abs(Math.sin(a.angle * Math.PI / 180)) < a.size
            : a.r.left < b.r.right - 1 && b.r.left < a.r.right - 1
              && Math.abs((a.r.top + a.r.bottom) - (b.r.top + b.r.bottom)) / 2 < a.size;
          if (touch) out.push([a.text, b.text]);
        }
    }
  }
  return out;
}"""


# the pages at the widths managers use; the slides at the projector's 1920×1080 they are made for;
# at 1280×900 test_no_chart_word_is_cut checks them on its own opens (OVERLAPS_HERE)
OVERLAPS_HERE = {1280: ("", "sentiment", "complaints")}
SCREENS = {1920: ("", "sentiment", "complaints", "review?present=1&slide=5", "review?present=1&slide=6")}


@pytest.mark.parametrize("width", sorted(SCREENS))
@pytest.mark.parametrize("language", ["en", "zh"])
def test_no_two_tick_labels_overlap(app_url, browser, width, language):
    context = browser.new_context(viewport={"width": width, "height": 1080 if width == 1920 else 900},
                                  locale="en-US")
    try:
        tab = context.new_page()
        crowded = {}
        for path in SCREENS[width]:
            joiner = "&" if "?" in path else "?"
            tab.goto(f"{app_url}/{path}{joiner}lang={language}&month=2026-10")
            wait_for_app(tab)
            tab.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=20_000)
            tab.wait_for_timeout(300)
            found = tab.evaluate(OVERLAPS)
            if found:
                crowded[path or "overview"] = found
        assert crowded == {}
    finally:
        context.close()


# On the shared screen a table is static text at the slides' size: a short cell (a date, a lateness,
# a branch, a status) keeps to one line, only the words of customers and of the follow-up wrap, and
# the table fits the page's width (the follow-up list: its longest table).
WRAPPED = """(wraps) => {
  const main = document.querySelector('[data-testid="stMainBlockContainer"]').getBoundingClientRect();
  const table = document.querySelector('[data-testid="stTable"] table');
  const heads = [...table.querySelectorAll('thead th')].map(th => th.innerText.trim());
  const out = [];
  for (const row of [...table.querySelectorAll('tbody tr')].slice(0, 30)) {
    [...row.children].forEach((cell, i) => {
      const bottoms = new Set(), words = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      for (let node = words.nextNode(); node; node = words.nextNode()) {
        const range = document.createRange();
        range.selectNodeContents(node);
        for (const r of range.getClientRects()) if (r.width > 0) bottoms.add(Math.round(r.bottom));
      }
      const lines = bottoms.size;
      if (lines > 1 && !wraps.includes(heads[i])) out.push([heads[i], cell.innerText]);
    });
  }
  return {wrapped: out.slice(0, 8), beyond: Math.round(table.getBoundingClientRect().right - main.right)};
}"""


@pytest.mark.parametrize("width, height", [(1280, 800), (1920, 1080)])
@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_follow_up_list_reads_on_the_shared_screen(app_url, browser, language, width, height):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="en-US")
    try:
        tab = context.new_page()
        tab.goto(f"{app_url}/follow_up?present=1&lang={language}&month=2026-10")
        wait_for_app(tab)
        tab.locator('[data-testid="stTable"] table').wait_for(timeout=20_000)
        found = tab.evaluate(WRAPPED, [translate(f"follow_up.col.{c}", language) for c in ("detail", "outcome")])
        assert found == {"wrapped": [], "beyond": found["beyond"]} and found["beyond"] <= 0, found
    finally:
        context.close()


# The gap diagram's boxes hold their words, and no gap's words run into a box or another gap's.
GAP_DIAGRAM = """() => {
  const plot = [...document.querySelectorAll('.js-plotly-plot')].find(p =>
    [...p.querySelectorAll('.shapelayer path')].some(s => getComputedStyle(s).fill === 'rgb(238, 244, 251)'));
  if (!plot) return ['no gap diagram'];
  const inside = (a, b) => a.left >= b.left - 1 && a.right <= b.right + 1 && a.top >= b.top - 1 && a.bottom <= b.bottom + 1;
  const meet = (a, b) => a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
  const boxes = [...plot.querySelectorAll('.shapelayer path')].filter(s => getComputedStyle(s).fill === 'rgb(238, 244, 251)')
    .map(s => s.getBoundingClientRect());
  const traces = [...plot.querySelectorAll('.scatterlayer .trace')];
  const words = t => [...traces[t].querySelectorAll('.textpoint text')].map(e => ({text: e.textContent, r: e.getBoundingClientRect()}));
  const out = [];
  for (const w of words(0)) {
    const cx = (w.r.left + w.r.right) / 2, cy = (w.r.top + w.r.bottom) / 2;
    const box = boxes.find(b => cx > b.left && cx < b.right && cy > b.top && cy < b.bottom);
    if (!box || !inside(w.r, box)) out.push(['out of its box', w.text]);
  }
  const gaps = words(3);
  for (const g of gaps) {
    if (boxes.some(b => meet(g.r, b))) out.push(['over a box', g.text]);
    for (const h of gaps) if (h !== g && meet(g.r, h.r)) out.push(['over another gap', g.text]);
  }
  return out;
}"""


# gaps at 1280×900 and 1440×900: test_no_chart_word_is_cut checks them on its own opens (GAP_DIAGRAMS_HERE)
GAP_DIAGRAMS_HERE = {1280: ("gaps",), 1440: ("gaps",)}


@pytest.mark.parametrize("path, width, height", [("gaps", 1920, 1080), ("review?present=1&slide=3", 1920, 1080)])
@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_gap_diagrams_words_stay_in_their_places(app_url, browser, language, path, width, height):
    joiner = "&" if "?" in path else "?"
    url = f"{app_url}/{path}{joiner}lang={language}&month=2026-10"
    assert drawn_and_checked(browser, url, width, height, GAP_DIAGRAM) == []


# The diagram keeps x and y at one scale; Plotly met that by widening the axes' ranges, and widened
# them again from the widened ones at every new size, so each resize (or a slide's first draw at one
# size and its stretch to another) shrank the drawing for good and its words ran out of their boxes.
GAP_BOXES = """() => {
  const plot = [...document.querySelectorAll('.js-plotly-plot')].find(p =>
    [...p.querySelectorAll('.shapelayer path')].some(s => getComputedStyle(s).fill === 'rgb(238, 244, 251)'));
  return [...plot.querySelectorAll('.shapelayer path')].filter(s => getComputedStyle(s).fill === 'rgb(238, 244, 251)')
    .map(s => Math.round(s.getBoundingClientRect().width));
}"""


@pytest.mark.parametrize("path", ["gaps", "review?present=1&slide=3"])
def test_the_gap_diagram_is_drawn_the_same_after_the_window_is_resized(app_url, browser, path):
    joiner = "&" if "?" in path else "?"
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="en-US")
    try:
        tab = context.new_page()
        tab.goto(f"{app_url}/{path}{joiner}month=2026-10")
        wait_for_app(tab)
        tab.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=20_000)
        tab.wait_for_timeout(300)
        first = tab.evaluate(GAP_BOXES)
        for width, height in [(1280, 800), (1920, 1080), (1440, 900)]:
            tab.set_viewport_size({"width": width, "height": height})
            tab.wait_for_timeout(600)
            wait_for_app(tab)
            tab.wait_for_timeout(600)
        assert tab.evaluate(GAP_BOXES) == first
        assert tab.evaluate(GAP_DIAGRAM) == []
    finally:
        context.close()


def drawn_and_checked(browser, url: str, width: int, height: int, check: str):
    """What the script `check` finds on `url` once its charts are drawn, in a fresh browser of that size."""
    context = browser.new_context(viewport={"width": width, "height": height}, locale="en-US")
    try:
        tab = context.new_page()
        tab.goto(url)
        wait_for_app(tab)
        tab.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=20_000)
        tab.wait_for_timeout(300)
        return tab.evaluate(check)
    finally:
        context.close()


# A dot is drawn whole: one at the edge of the plot (a cause at 0% of complaints) is not cut in half
# by the plot's clipping, which a range that ends exactly at the value does.
CLIPPED_MARKERS = """() => {
  const out = [];
  for (const plot of document.querySelectorAll('.js-plotly-plot')) {
    const area = plot.querySelector('.draglayer .xy .nsewdrag');
    if (!area) continue;
    const box = area.getBoundingClientRect();
    for (const point of plot.querySelectorAll('.scatterlayer .points path.point')) {
      const r = point.getBoundingClientRect();
      if (r.width === 0 || !point.closest('[clip-path]')) continue;
      if (r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5)
        out.push([point.closest('.trace').__data__?.[0]?.trace?.name || '', Math.round(r.left - box.left),
                  Math.round(box.right - r.right)]);
    }
  }
  return out;
}"""


# In the North in Oct 2026 two causes had no complaint: their dots sit at 0%, the plot's left edge.
@pytest.mark.parametrize("path", ["complaints?region=North", "review?present=1&slide=6&region=North"])
@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_dot_at_the_edge_of_a_plot_is_drawn_whole(app_url, browser, language, path):
    url = f"{app_url}/{path}&lang={language}&month=2026-10"
    assert drawn_and_checked(browser, url, 1440, 900, CLIPPED_MARKERS) == []


# The radar's scale (20 … 100) is read between two attributes: no line of the chart runs through
# one of its numbers. A line is sampled every 2 px along its path, in the page's coordinates.
TICKS_ON_LINES = """() => {
  const out = [];
  for (const plot of document.querySelectorAll('.js-plotly-plot')) {
    const ticks = [...plot.querySelectorAll('.polarlayer .radial-axis .xtick text')].filter(t => t.textContent.trim())
      .map(t => ({text: t.textContent, r: t.getBoundingClientRect()}));
    if (!ticks.length) continue;
    for (const line of plot.querySelectorAll('.scatterlayer .trace path.js-line')) {
      const matrix = line.getScreenCTM(), length = line.getTotalLength();
      for (let at = 0; at <= length; at += 2) {
        const p = line.getPointAtLength(at), x = matrix.a * p.x + matrix.c * p.y + matrix.e,
              y = matrix.b * p.x + matrix.d * p.y + matrix.f;
        for (const tick of ticks)
          if (x > tick.r.left - 1 && x < tick.r.right + 1 && y > tick.r.top - 1 && y < tick.r.bottom + 1
              && !out.includes(tick.text)) out.push(tick.text);
      }
    }
  }
  return out;
}"""


@pytest.mark.parametrize("width, height", [(1280, 900), (1440, 900), (1920, 1080)])
@pytest.mark.parametrize("language", ["en", "zh"])
def test_no_line_of_the_radar_runs_through_its_scale(app_url, browser, language, width, height):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="en-US")
    try:
        tab = context.new_page()
        found = {}
        for path in ("csi", "review?present=1&slide=2"):
            joiner = "&" if "?" in path else "?"
            tab.goto(f"{app_url}/{path}{joiner}lang={language}&month=2026-10")
            wait_for_app(tab)
            tab.locator(".js-plotly-plot .radial-axis .xtick").first.wait_for(timeout=20_000)
            tab.wait_for_timeout(300)
            crossed = tab.evaluate(TICKS_ON_LINES)
            if crossed:
                found[path] = crossed
        assert found == {}
    finally:
        context.close()
