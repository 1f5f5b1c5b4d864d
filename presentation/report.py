"""The monthly review as one self-contained HTML file, to circulate after the meeting.

The same story as the review page (presentation.story), always masked (presentation.masking), with every
chart drawn inline by plotly.js, which is embedded once: no external script, stylesheet, font or
image, so the file opens offline in any browser. The key numbers are also in the file in
machine-readable form (each headline tile's data-* attributes and a JSON block `review-numbers`),
so a test or a script can check them against `python -m analytics summary`.
"""
from __future__ import annotations

import html
import json
from dataclasses import replace
from datetime import datetime

from analytics.review import MonthReview, summary_numbers
from analytics.summary import plain
from presentation.charts import masked
from presentation.findings import Change
from presentation.i18n import translate
from presentation.masking import mask_id, mask_text
from presentation.story import Figure, Quote, Section, Tile, story

PLOTLY_CONFIG = {"displayModeBar": False, "displaylogo": False, "responsive": True}
HTML_LANG = {"en": "en", "zh": "zh-CN"}

STYLE = """
:root { --ink: #1f2937; --muted: #4b5563; --line: #e5e7eb; --good: #1a7f37; --bad: #c62828;
        --current: #1f4e79; --paper: #ffffff; --band: #f3f6fa; }
* { box-sizing: border-box; }
html { font-size: 18px; }
body { margin: 0; background: var(--band); color: var(--ink);
       font-family: "Noto Sans", "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei",
                    Arial, sans-serif; line-height: 1.5; }
main { max-width: 1320px; margin: 0 auto; padding: 2rem 2.5rem 3rem; background: var(--paper); }
header h1 { font-size: 2.2rem; margin: 0 0 .4rem; color: var(--current); }
header p { margin: .2rem 0; color: var(--muted); font-size: 1.05rem; }
header .masked { font-weight: 600; color: var(--ink); }
nav { margin: 1.5rem 0 1rem; padding: .8rem 1.2rem; border: 1px solid var(--line); border-radius: 8px; }
nav h2 { font-size: 1.1rem; margin: 0 0 .3rem; }
nav ol { margin: 0; padding: 0; list-style: none; columns: 2; }
nav a { color: var(--current); text-decoration: none; }
section { margin-top: 2.4rem; padding-top: 1.2rem; border-top: 2px solid var(--line); break-inside: avoid-page; }
section h2 { font-size: 1.7rem; margin: 0 0 .8rem; color: var(--current); }
.tiles { display: grid; grid-template-columns: repeat(4, 1fr); gap: 1rem; margin-bottom: 1rem; }
.tile { border: 1px solid var(--line); border-radius: 10px; padding: .9rem 1rem; }
.tile .label { font-size: 1.05rem; color: var(--muted); }
.tile .value { font-size: 2.4rem; font-weight: 700; line-height: 1.2; }
.tile .detail { font-size: .9rem; color: var(--muted); margin-bottom: .4rem; }
.tile .cmp { font-size: .95rem; margin-top: .25rem; }
.tile .cmp b { font-size: 1.05rem; }
.tile .verdict { display: block; color: var(--muted); font-size: .85rem; }
.good, .tone-good b { color: var(--good); }
.bad, .tone-bad b { color: var(--bad); }
ul.findings { margin: .4rem 0 .8rem; padding-left: 0; list-style: none; font-size: 1.1rem; }
ul.findings li { margin: .3rem 0; padding-left: 1.6rem; text-indent: -1.6rem; }
ul.findings li::before { display: inline-block; width: 1.6rem; text-indent: 0; content: "•"; color: var(--muted); }
ul.findings li.good::before { content: "▲"; color: var(--good); }
ul.findings li.bad::before { content: "▼"; color: var(--bad); }
ul.findings li.good, ul.findings li.bad { color: var(--ink); }
ol.actions { margin: .4rem 0 .8rem; padding-left: 1.8rem; font-size: 1.15rem; }
ol.actions li { margin: .35rem 0; padding-left: .3rem; }
ol.actions li::marker { font-weight: 700; color: var(--bad); }
.figures { display: grid; grid-template-columns: 1fr; gap: 1.2rem; }
.figures.two { grid-template-columns: 1fr 1fr; }
.figure { min-width: 0; }
.empty { padding: .8rem 1rem; background: var(--band); border-radius: 8px; color: var(--muted); }
.note { font-size: .9rem; color: var(--muted); margin: .5rem 0; }
.quotes { display: grid; grid-template-columns: repeat(3, 1fr); gap: 1rem; }
blockquote { margin: 0; padding: 1rem 1.2rem; border-left: 5px solid var(--current); background: var(--band);
             border-radius: 0 10px 10px 0; }
blockquote .kind { font-weight: 700; font-size: 1rem; color: var(--current); margin-bottom: .4rem; }
blockquote p { font-size: 1.2rem; margin: 0 0 .6rem; }
blockquote footer { font-size: .9rem; color: var(--muted); }
body > footer { max-width: 1320px; margin: 0 auto; padding: 1rem 2.5rem 2rem; color: var(--muted); font-size: .85rem; }
@media (max-width: 1000px) { .tiles, .quotes { grid-template-columns: 1fr 1fr; } .figures.two { grid-template-columns: 1fr; } }
@media print { body { background: white; } main { padding: 0; } nav { display: none; } }
"""


def report_html(review: MonthReview, language: str, *, generated: datetime | None = None,
                plotly_js: str | None = None) -> str:
    """The review of `review.month` as one HTML document in `language`, customers' data masked.

    `plotly_js` is the plotly.js bundle to embed (default: the installed plotly's, ~4.8 MB).
    """
    told = story(review, language)
    if plotly_js is None:
        from plotly.offline import get_plotlyjs

        plotly_js = get_plotlyjs()
    generated = generated or datetime.now()
    numbers = json.dumps(plain(summary_numbers(review)), ensure_ascii=False, allow_nan=False)
    body = "\n".join(_section(section) for section in told.sections)
    contents = "".join(f'<li><a href="#{s.id}">{_text(s.title)}</a></li>' for s in told.sections)
    return f"""<!DOCTYPE html>
<html lang="{HTML_LANG.get(language, language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_text(told.title)}</title>
<style>{STYLE}</style>
<script>{_script(plotly_js)}</script>
</head>
<body data-month="{told.month}" data-language="{language}">
<main>
<header>
<h1 id="top">{_text(told.title)}</h1>
<p class="period">{_text(told.period)}</p>
<p class="scope">{_text(told.scope)}</p>
<p class="masked">{_text(translate("review.masked_note", language))}</p>
</header>
<nav><h2>{_text(translate("review.contents", language))}</h2><ol>{contents}</ol></nav>
{body}
</main>
<footer>{_text(translate("review.generated", language, when=generated.strftime("%Y-%m-%d %H:%M")))}</footer>
<script type="application/json" id="review-numbers">{_script(numbers)}</script>
</body>
</html>
"""


def _text(value) -> str:
    """Plain text (sentences about the data carry its names) for HTML: escaped, never markup."""
    return html.escape(str(value), quote=True)


def _script(code: str) -> str:
    # Inline script text must not close its own element early.
    return code.replace("</script", "<\\/script")


def _number(value) -> str:
    value = plain(value)
    return "" if value is None else html.escape(json.dumps(value))


def _section(section: Section) -> str:
    parts = [f'<section id="{section.id}" aria-labelledby="{section.id}-heading">',
             f'<h2 id="{section.id}-heading">{_text(section.title)}</h2>']
    if section.tiles:
        parts.append('<div class="tiles">' + "".join(_tile(tile) for tile in section.tiles) + "</div>")
    if section.sentences and section.numbered:
        parts.append('<ol class="actions">' + "".join(
            f"<li>{_text(finding.text)}</li>" for finding in section.sentences) + "</ol>")
    elif section.sentences:
        parts.append('<ul class="findings">' + "".join(
            f'<li class="{finding.tone}">{_text(finding.text)}</li>' for finding in section.sentences) + "</ul>")
    if section.figures:
        two = " two" if section.columns == 2 else ""
        parts.append(f'<div class="figures{two}">' + "".join(
            _figure(figure, f"{section.id}-figure-{i}") for i, figure in enumerate(section.figures)) + "</div>")
    if section.quotes:
        parts.append('<div class="quotes">' + "".join(_quote(quote) for quote in section.quotes) + "</div>")
    parts += [f'<p class="note">{_text(note)}</p>' for note in section.notes]
    parts.append("</section>")
    return "\n".join(parts)


def _tile(tile: Tile) -> str:
    previous, last_year = tile.comparisons
    data = {"metric": tile.metric, "value": _number(previous.change.value), "n": _number(previous.change.n)}
    for name, comparison in (("previous", previous), ("last-year", last_year)):
        change: Change = comparison.change
        data.update({f"{name}-value": _number(change.previous), f"{name}-n": _number(change.n_previous),
                     f"{name}-delta": _number(change.delta), f"{name}-p": _number(change.p_value),
                     f"{name}-significant": "true" if change.significant else "false"})
    attributes = " ".join(f'data-{key}="{value}"' for key, value in data.items())
    lines = "".join(
        f'<div class="cmp tone-{c.tone}"><span class="{c.tone}">{c.mark}</span> <b>{_text(c.delta)}</b> '
        f'{_text(c.vs)}<span class="verdict">{_text(c.verdict)}</span></div>' for c in tile.comparisons)
    return (f'<div class="tile" {attributes}><div class="label">{_text(tile.label)}</div>'
            f'<div class="value">{_text(tile.value)}</div><div class="detail">{_text(tile.detail)}</div>{lines}</div>')


def _figure(figure: Figure, div_id: str) -> str:
    if figure.figure is None:
        return f'<div class="figure"><p class="empty">{_text(figure.empty)}</p></div>'
    drawn = masked(figure.figure).to_html(full_html=False, include_plotlyjs=False, config=PLOTLY_CONFIG, div_id=div_id)
    return f'<div class="figure">{drawn}</div>'


def masked_quote(quote: Quote) -> Quote:
    """A quote with the customer's e-mails, phones and honorific names masked, and the id but its tail."""
    return replace(quote, text=mask_text(quote.text), customer_id=mask_id(quote.customer_id))


def _quote(quote: Quote) -> str:
    quote = masked_quote(quote)
    who = f" · {_text(quote.customer_id)}" if quote.customer_id else ""
    return (f'<blockquote data-kind="{quote.kind}"><div class="kind">{_text(quote.label)}</div>'
            f"<p>{_text(quote.text)}</p><footer>{_text(quote.meta)}{who} · {_text(quote.sentiment)}</footer>"
            "</blockquote>")


__all__ = ["report_html", "masked_quote", "STYLE"]
