"""The monthly review as one self-contained HTML file, to circulate after the meeting.

The same story as the review page (presentation.story), always masked (presentation.masking), with every
chart drawn inline by plotly.js, which is embedded once: no external script, stylesheet, font or
image, so the file opens offline in any browser. The page is presentation/templates/report.html.j2,
autoescaped, with its style sheet report.css beside it. The key numbers are also in the file in
machine-readable form (each headline tile's data-* attributes and a JSON block `review-numbers`),
so a test or a script can check them against `python -m analytics summary`.
"""
from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape
from plotly.offline import get_plotlyjs

from analytics.review import MonthReview, summary_numbers
from analytics.summary import plain
from presentation.charts import masked
from presentation.findings import Change
from presentation.i18n import translate
from presentation.labels import NO_LABELS, DataLabels
from presentation.masking import mask_id, mask_text, masked_runs
from presentation.story import Figure, Quote, Story, Tile, story

PLOTLY_CONFIG = {"displayModeBar": False, "displaylogo": False, "responsive": True}
HTML_LANG = {"en": "en", "zh": "zh-CN"}
TEMPLATES = Path(__file__).resolve().parent / "templates"


def _words(value) -> Markup:
    """Plain text for HTML, escaped: sentences about the data carry its names, so no markup of theirs
    (not even **bold**) is read; None is no text. A run of mask bullets is one span in a font whose
    bullets are narrow (masking.BULLET_FONT)."""
    if value is None:
        return Markup("")
    return Markup("").join(Markup('<span class="bullets">{}</span>').format(piece) if bullets else escape(piece)
                           for piece, bullets in masked_runs(value))


@cache
def _environment() -> Environment:
    environment = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
                              trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    environment.filters["words"] = _words
    # tojson escapes <, >, & and ' as \u003c …, so the numbers cannot close their <script> element.
    environment.policies["json.dumps_kwargs"] = {"ensure_ascii": False, "allow_nan": False, "sort_keys": False}
    return environment


def report_html(review: MonthReview, language: str, *, generated: datetime | None = None,
                plotly_js: str | None = None, labels: DataLabels = NO_LABELS) -> str:
    """The review of `review.month` as one HTML document in `language`, customers' data masked.

    `plotly_js` is the plotly.js bundle to embed (default: the installed plotly's, ~4.8 MB);
    `labels` the store's label table, for the selection's values (story.scope).
    """
    told = _masked(story(review, language, labels=labels))
    if plotly_js is None:
        plotly_js = get_plotlyjs()
    generated = generated or datetime.now()
    return _environment().get_template("report.html.j2").render(
        story=told, language=language, html_lang=HTML_LANG.get(language, language),
        plotly_js=Markup(_script(plotly_js)), numbers=plain(summary_numbers(review)),
        masked_note=translate("review.masked_note", language), contents=translate("review.contents", language),
        generated=translate("review.generated", language, when=generated.strftime("%Y-%m-%d %H:%M")),
        tile_data=_tile_data, drawn=_drawn)


def _script(code: str) -> str:
    # Inline script text must not close its own element early.
    return code.replace("</script", "<\\/script")


def _number(value) -> str:
    value = plain(value)
    return "" if value is None else json.dumps(value)


def _tile_data(tile: Tile) -> dict[str, str]:
    """A headline tile's numbers as its data-* attributes, for scripts and tests to read."""
    previous, last_year = tile.comparisons
    data = {"metric": tile.metric, "value": _number(previous.change.value), "n": _number(previous.change.n)}
    for name, comparison in (("previous", previous), ("last-year", last_year)):
        change: Change = comparison.change
        data.update({f"{name}-value": _number(change.previous), f"{name}-n": _number(change.n_previous),
                     f"{name}-delta": _number(change.delta), f"{name}-p": _number(change.p_value),
                     f"{name}-significant": "true" if change.significant else "false"})
    return data


def _drawn(figure: Figure, div_id: str) -> Markup:
    """A chart as plotly draws it inline, calling the plotly.js embedded once in the head; its labels
    masked like the quotes."""
    return Markup(masked(figure.figure).to_html(full_html=False, include_plotlyjs=False, config=PLOTLY_CONFIG,
                                                div_id=div_id))


def masked_quote(quote: Quote) -> Quote:
    """A quote with the customer's e-mails, phones and honorific names masked, and the id but its tail."""
    return replace(quote, text=mask_text(quote.text), customer_id=mask_id(quote.customer_id))


def _masked(told: Story) -> Story:
    """The story with every quote masked, before any of it reaches the template."""
    return replace(told, sections=tuple(
        replace(section, quotes=tuple(masked_quote(quote) for quote in section.quotes)) for section in told.sections))


__all__ = ["report_html", "masked_quote"]
