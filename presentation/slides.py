"""The monthly review as a PowerPoint deck a team can put in its own slides.

One slide per section of the story (presentation.story), in the same order and words as the page
and the HTML report, with native PowerPoint charts built from the review's own data, so a team can
restyle or edit them; the headline tiles carry each figure's n, interval and whether its change
passed its test, and each slide's speaker notes carry the section's findings in full. Customers'
words are always masked (presentation.masking), as in the report file.
"""
from __future__ import annotations

import html
import io
import math
import re

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION, XL_TICK_LABEL_POSITION
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from analytics.review import MonthReview
from presentation.charts import causes_shown, rising_shown
from presentation.findings import BAD, GOOD
from presentation.formats import fmt_month, fmt_term
from presentation.i18n import translate
from presentation.labels import NO_LABELS, DataLabels
from presentation.masking import BULLET_FONT, mask_text, masked_runs
from presentation.report import masked_quote
from presentation.story import Figure, Section, Story, Tile, story

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)  # 16:9
MARGIN = Inches(0.5)
INK, MUTED, CURRENT = RGBColor(0x1F, 0x29, 0x37), RGBColor(0x4B, 0x55, 0x63), RGBColor(0x1F, 0x4E, 0x79)
COMPARISON = RGBColor(0x9C, 0xA3, 0xAF)
TONES = {GOOD: RGBColor(0x1A, 0x7F, 0x37), BAD: RGBColor(0xC6, 0x28, 0x28)}
FONT = "Noto Sans CJK SC"
_TAG = re.compile(r"<[^>]+>")
BLANK_LAYOUT = 6


def review_pptx(review: MonthReview, language: str, labels: DataLabels = NO_LABELS) -> bytes:
    """The review of `review.month` as a .pptx file's bytes, in `language`, customers' data masked;
    `labels` the store's label table, for the selection's values (story.scope)."""
    told = story(review, language, labels=labels)
    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDTH, HEIGHT
    _title_slide(deck, told, language)
    for section in told.sections:
        _section_slide(deck, section, review, language)
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def plain_text(text: str) -> str:
    """A sentence as PowerPoint shows it: plain text already (data in it stays as written)."""
    return str(text).replace("  ", " ").strip()


def _chart_text(text: str) -> str:
    """A Plotly title as plain text: its line breaks dropped, the data's escaped markup as written."""
    return plain_text(html.unescape(_TAG.sub(" ", str(text))))


def _title_slide(deck, told: Story, language: str) -> None:
    slide = deck.slides.add_slide(deck.slide_layouts[BLANK_LAYOUT])
    _text(slide, told.title, MARGIN, Inches(2.2), WIDTH - 2 * MARGIN, Inches(1.2), size=44, bold=True, color=CURRENT,
          name="title")
    _text(slide, told.period, MARGIN, Inches(3.5), WIDTH - 2 * MARGIN, Inches(0.8), size=24, color=MUTED)
    _text(slide, told.scope, MARGIN, Inches(4.3), WIDTH - 2 * MARGIN, Inches(0.6), size=20, color=MUTED)
    _text(slide, translate("review.masked_note", language), MARGIN, Inches(5.2), WIDTH - 2 * MARGIN, Inches(0.6),
          size=18, color=INK)
    _notes(slide, [told.title, told.period, told.scope])


def _section_slide(deck, section: Section, review: MonthReview, language: str) -> None:
    slide = deck.slides.add_slide(deck.slide_layouts[BLANK_LAYOUT])
    slide.name = section.id
    _text(slide, section.title, MARGIN, Inches(0.3), WIDTH - 2 * MARGIN, Inches(0.8), size=32, bold=True,
          color=CURRENT, name="title")
    top, bottom = Inches(1.2), HEIGHT - Inches(0.4)
    if section.tiles:
        _tiles(slide, section.tiles, top)
        top += Inches(3.3)
    charts = _charts(section, review, language)
    if section.quotes:
        _quotes(slide, section, top, bottom)
    elif charts:
        # the section's first findings above its charts; all of them are in the notes
        sentences = [plain_text(s.text) for s in section.sentences][:2]
        if sentences:
            box = _text(slide, "\n".join(sentences), MARGIN, top, WIDTH - 2 * MARGIN, Inches(0.9), size=18,
                        name="findings")
            box.text_frame.word_wrap = True
            top += Inches(1.0)
        _place_charts(slide, charts, top, bottom)
    elif section.sentences:
        lines = [plain_text(s.text) for s in section.sentences]
        if section.numbered:
            lines = [f"{i}. {line}" for i, line in enumerate(lines, 1)]
        _text(slide, "\n".join(lines), MARGIN, top, WIDTH - 2 * MARGIN, bottom - top, size=22 if section.numbered
              else 20, name="findings")
    _notes(slide, [plain_text(s.text) for s in section.sentences] + [plain_text(n) for n in section.notes])


def _tiles(slide, tiles: tuple[Tile, ...], top: Emu) -> None:
    gap = Inches(0.25)
    width = (WIDTH - 2 * MARGIN - gap * (len(tiles) - 1)) / max(len(tiles), 1)
    for i, tile in enumerate(tiles):
        left = MARGIN + i * (width + gap)
        box = slide.shapes.add_textbox(int(left), top, int(width), Inches(3.1))
        box.name = f"tile-{tile.metric}"
        frame = box.text_frame
        frame.word_wrap = True
        _run(frame.paragraphs[0], tile.label, 18, color=MUTED)
        _run(frame.add_paragraph(), tile.value, 48, bold=True, color=INK)
        _run(frame.add_paragraph(), tile.detail, 14, color=MUTED)
        for comparison in tile.comparisons:
            line = frame.add_paragraph()
            if comparison.mark:
                _run(line, comparison.mark + " ", 16, bold=True, color=TONES.get(comparison.tone, INK))
            _run(line, f"{comparison.delta} {comparison.vs}", 16, bold=True,
                 color=TONES.get(comparison.tone, INK))
            _run(frame.add_paragraph(), comparison.verdict, 13, color=MUTED)


def _quotes(slide, section: Section, top: Emu, bottom: Emu) -> None:
    gap = Inches(0.3)
    count = len(section.quotes)
    width = (WIDTH - 2 * MARGIN - gap * (count - 1)) / count
    for i, quote in enumerate(masked_quote(q) for q in section.quotes):
        box = slide.shapes.add_textbox(int(MARGIN + i * (width + gap)), top, int(width), bottom - top)
        box.name = f"quote-{quote.kind}"
        frame = box.text_frame
        frame.word_wrap = True
        _run(frame.paragraphs[0], quote.label, 18, bold=True, color=CURRENT)
        _run(frame.add_paragraph(), f"“{quote.text}”", 20, color=INK)
        who = f" · {quote.customer_id}" if quote.customer_id else ""
        _run(frame.add_paragraph(), f"{quote.meta}{who} · {quote.sentiment}", 14, color=MUTED)


# -- charts from the review's data ----------------------------------------------------------------

class _Chart:
    """A native chart to draw: its type, title, categories and named series (None where missing)."""

    def __init__(self, kind, title: str, categories: list[str], series: list[tuple[str, list]],
                 percent: bool = False, name: str = ""):
        self.kind, self.title, self.categories, self.series = kind, title, categories, series
        self.percent, self.name = percent, name


def _figure_title(figure: Figure, fallback: str) -> str:
    layout_title = getattr(getattr(figure.figure, "layout", None), "title", None)
    text = getattr(layout_title, "text", None) if layout_title is not None else None
    return _chart_text(text) if text else fallback


def _values(column) -> list:
    return [None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v) for v in column]


def _categories(values) -> list[str]:
    """A chart's category names masked as every other word of the deck (a name or number a cause or
    an item may carry)."""
    return [mask_text(str(v)) for v in values]


def _charts(section: Section, review: MonthReview, language: str) -> list[_Chart]:
    titles = [_figure_title(f, plain_text(f.empty)) for f in section.figures]
    months = lambda column: [fmt_month(m, language) for m in column]  # noqa: E731
    if section.id == "csi" and len(review.attributes):
        table = review.attributes
        return [_Chart(XL_CHART_TYPE.RADAR_MARKERS, titles[0], _categories(table["attribute"]),
                       [(fmt_month(review.month, language), _values(table["satisfaction_now"])),
                        (translate("tile.vs", language, vs=fmt_month(_month(review.previous), language)),
                         _values(table["satisfaction_before"]))], name="csi-radar")]
    if section.id == "gaps":
        dims = review.gaps.gap5.dimensions
        if not len(dims):
            return []
        labels = _categories(fmt_term("dim", d, language) for d in dims["dimension"])
        return [_Chart(XL_CHART_TYPE.BAR_CLUSTERED, titles[1] if len(titles) > 1 else titles[0], labels,
                       [(translate("gap.gap5", language), _values(dims["gap"]))], name="gap5-dimensions")]
    if section.id == "nps" and len(review.nps_trend):
        trend = review.nps_trend
        return [_Chart(XL_CHART_TYPE.LINE_MARKERS, titles[0], months(trend["month"]),
                       [(translate("metric.nps", language), _values(trend["score"]))], name="nps-trend")]
    if section.id == "complaints" and len(review.causes):
        causes = causes_shown(review.causes, language)
        charts = [_Chart(XL_CHART_TYPE.COLUMN_CLUSTERED, titles[0], _categories(causes["cause"]),
                         [(translate("metric.complaints", language), _values(causes["count"]))],
                         name="cause-pareto")]
        if len(review.rising):
            rising = rising_shown(review.rising)
            charts.append(_Chart(XL_CHART_TYPE.BAR_CLUSTERED, titles[1], _categories(rising["cause"]),
                                 [(fmt_month(review.month, language), _values(rising["share_now"])),
                                  (fmt_month(_month(review.previous), language), _values(rising["share_before"]))],
                                 percent=True, name="rising-causes"))
        return charts
    if section.id == "sentiment" and len(review.sentiment_trend):
        trend = review.sentiment_trend
        return [_Chart(XL_CHART_TYPE.LINE_MARKERS, titles[0], months(trend["month"]),
                       [(translate("metric.negative_share", language), _values(trend["negative_share"]))],
                       percent=True, name="negative-share-trend"),
                _Chart(XL_CHART_TYPE.LINE_MARKERS, titles[1], months(trend["month"]),
                       [(translate("metric.polarity", language), _values(trend["mean"]))], name="polarity-trend")]
    return []


def _month(filters) -> str:
    return f"{filters.date_from.year:04d}-{filters.date_from.month:02d}"


def _place_charts(slide, charts: list[_Chart], top: Emu, bottom: Emu) -> None:
    gap = Inches(0.3)
    width = (WIDTH - 2 * MARGIN - gap * (len(charts) - 1)) / len(charts)
    for i, chart in enumerate(charts):
        data = CategoryChartData(number_format="0%" if chart.percent else "0.0")
        data.categories = chart.categories
        for name, values in chart.series:
            data.add_series(name, values)
        frame = slide.shapes.add_chart(chart.kind, int(MARGIN + i * (width + gap)), top, int(width), bottom - top,
                                       data)
        frame.name = chart.name
        drawn = frame.chart
        drawn.has_title = True
        drawn.chart_title.text_frame.text = chart.title
        for paragraph in drawn.chart_title.text_frame.paragraphs:
            for run in paragraph.runs:
                run.font.size, run.font.bold = Pt(16), True
        drawn.font.size = Pt(14)
        if chart.kind != XL_CHART_TYPE.RADAR_MARKERS:
            # labels at the edge of the plot, not on the zero line a negative value crosses
            drawn.category_axis.tick_label_position = XL_TICK_LABEL_POSITION.LOW
            if chart.percent:
                drawn.value_axis.tick_labels.number_format = "0%"
                drawn.value_axis.tick_labels.number_format_is_linked = False
        drawn.has_legend = len(chart.series) > 1
        if drawn.has_legend:
            drawn.legend.position = XL_LEGEND_POSITION.BOTTOM
            drawn.legend.include_in_layout = False
        for k, plot_series in enumerate(drawn.plots[0].series):
            color = CURRENT if k == 0 else COMPARISON
            if chart.kind in (XL_CHART_TYPE.LINE_MARKERS, XL_CHART_TYPE.RADAR_MARKERS):
                plot_series.format.line.color.rgb = color
            else:
                plot_series.format.fill.solid()
                plot_series.format.fill.fore_color.rgb = color


# -- text ---------------------------------------------------------------------------------------------

def _run(paragraph, text: str, size: int, *, bold: bool = False, color: RGBColor = INK) -> None:
    """The text as runs of FONT, a run of mask bullets in masking.BULLET_FONT (for both scripts, so
    that neither draws them full width)."""
    for piece, bullets in masked_runs(plain_text(text)) or [("", False)]:
        run = paragraph.add_run()
        run.text = piece
        run.font.size, run.font.bold, run.font.name = Pt(size), bold, BULLET_FONT if bullets else FONT
        run.font.color.rgb = color
        if bullets:
            for tag in ("a:ea", "a:cs"):
                element = run.font._rPr.find(qn(tag))
                if element is None:
                    element = run.font._rPr.makeelement(qn(tag), {})
                    run.font._rPr.append(element)
                element.set("typeface", BULLET_FONT)


def _text(slide, text: str, left, top, width, height, *, size: int, bold: bool = False, color: RGBColor = INK,
          name: str = ""):
    box = slide.shapes.add_textbox(left, top, width, height)
    if name:
        box.name = name
    frame = box.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = MSO_ANCHOR.TOP
    for i, line in enumerate(str(text).split("\n")):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.alignment = PP_ALIGN.LEFT
        _run(paragraph, line, size, bold=bold, color=color)
    return box


def _notes(slide, lines: list[str]) -> None:
    slide.notes_slide.notes_text_frame.text = "\n".join(line for line in lines if line)


__all__ = ["review_pptx", "plain_text"]
