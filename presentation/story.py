"""The month's story as the review page and the report file tell it: sections of words, figures and quotes.

Built once from an analytics.review.MonthReview in one language, so the page (pages/review.py,
drawn with Streamlit) and the report (presentation/report.py, written as HTML) show the same content
in the same order. Sentences come from presentation.findings, figures from presentation.charts. Quotes
are the customers' words as stored: the page masks them in presentation mode, the report always.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from functools import partial
from types import SimpleNamespace

from analytics import changes
from analytics.filters import month_of
from analytics.review import SECTIONS, Action, MonthReview, Verbatim
from analytics.targets import target_gap
from presentation import charts, findings
from presentation.alerts import alert_findings, target_sentence
from presentation.findings import BAD, NEUTRAL, Change, Finding
from presentation.formats import (
    fmt_count, fmt_date, fmt_month, fmt_n, fmt_number, fmt_share, fmt_signed, fmt_term
)
from presentation.i18n import translate
from presentation.labels import NO_LABELS, DataLabels, data_label


# the review's areas to act on list at most this many sustained declines (listed_actions)
MAX_DECLINES = 5
DECLINE_KINDS = ("trend", "year_on_year")


@dataclass(frozen=True)
class Comparison:
    """One headline figure against one earlier month: its change, marked only when its test passed."""

    month: str  # 'Sep 2026'
    vs: str  # 'vs Sep 2026'
    delta: str  # '+6.0', '−3.1 pp', or '—'
    verdict: str  # 'significant (p = 0.003)', 'not significant (p = 0.28)', or 'no data for Oct 2025'
    tone: str
    change: Change

    @property
    def mark(self) -> str:
        """▲ or ▼ for a significant change (DESIGN.md: no arrow for a change that does not pass)."""
        return {"up": "▲", "down": "▼"}.get(self.change.direction or "", "")


@dataclass(frozen=True)
class Tile:
    metric: str
    label: str
    value: str
    detail: str  # '± 9.7 (95%) · n = 248'
    comparisons: tuple[Comparison, ...]


@dataclass(frozen=True)
class Quote:
    kind: str
    label: str  # 'Most negative', 'Most common theme: Fees (3 of 4 complaints with a cause)'
    text: str
    meta: str  # '12 Oct 2026 · NPS comments · North'
    customer_id: str | None
    sentiment: str


@dataclass(frozen=True)
class Figure:
    """A chart, or None with the sentence that says what is missing."""

    figure: object
    empty: str


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    sentences: tuple[Finding, ...] = ()
    figures: tuple[Figure, ...] = ()
    tiles: tuple[Tile, ...] = ()
    quotes: tuple[Quote, ...] = ()
    notes: tuple[str, ...] = ()
    columns: int = 1  # figures side by side: 2 for charts drawn for half the page's width
    # on a slide every figure sits side by side, in these shares of the width (equal when empty):
    # a slide has one screen's height for them all
    slide_widths: tuple[int, ...] = ()
    numbered: bool = False  # sentences as a numbered list (the areas to act on)


@dataclass(frozen=True)
class Story:
    month: str
    title: str
    period: str  # 'Oct 2026, compared with Sep 2026 and Oct 2025'
    scope: str  # the filters, or 'all regions and branches'
    sections: tuple[Section, ...]
    has_data: bool
    # the title and the period in one line, naming the month once (the shared screen's only line of them)
    title_and_period: str = ""


def story(review: MonthReview, language: str, slides: bool = False, labels: DataLabels = NO_LABELS) -> Story:
    """The review's sections in analytics.review.SECTIONS order, in one language; `slides` for the
    shared screen, where a section's figures sit side by side (pages/review.py); `labels` the
    store's label table, for the selection the review covers (its results come labelled already)."""
    month = fmt_month(review.month, language)
    previous = fmt_month(month_of(review.previous.date_from), language)
    last_year = fmt_month(month_of(review.last_year.date_from), language)
    build = {
        "headlines": _headlines, "csi": _csi, "gaps": _gaps, "nps": _nps, "complaints": partial(_complaints, slides=slides),
        "sentiment": _sentiment, "verbatims": _verbatims, "actions": _actions,
    }
    sections = tuple(build[name](review, language, month, previous, last_year) for name in SECTIONS)
    return Story(review.month, translate("review.report_title", language, month=month),
                 translate("review.period", language, month=month, previous=previous, last_year=last_year),
                 scope(review, language, labels), sections, review.has_data,
                 translate("review.title_and_period", language, month=month, previous=previous, last_year=last_year))


# The selection's fields as the scope names them, with the label table's field of their values.
SCOPE_PARTS = (("regions", "region"), ("branches", "branch"), ("channels", "channel"),
               ("segments", "segment"), ("products", "product"))


def scope(review: MonthReview, language: str, labels: DataLabels = NO_LABELS) -> str:
    """What the numbers cover: 'Region: South · Channel: Branch, Phone', or all of it; each value
    by its label in `language` (the filters hold the values as the data has them)."""
    current = review.current
    parts = [(name, [data_label(field, value, language, labels) for value in getattr(current, name)])
             for name, field in SCOPE_PARTS]
    parts.append(("tiers", [translate(f"tier.{tier}", language) for tier in current.tiers]))
    words = [translate("review.scope_part", language, name=translate(f"filters.{name}", language),
                       values=translate("fmt.list_sep", language).join(values)) for name, values in parts if values]
    return " · ".join(words) if words else translate("review.scope_all", language)


def _title(section: str, language: str) -> str:
    return translate(f"review.section.{section}", language)


def _comparison(change: Change, vs: str, language: str) -> Comparison:
    delta = findings.tile_delta(change, language) or "—"
    verdict = (findings.verdict(change, language) if change.delta is not None
               else translate("tile.no_comparison", language, vs=vs))
    return Comparison(vs, translate("tile.vs", language, vs=vs), delta, verdict, change.tone, change)


def _change_findings(headline, language: str, previous: str, last_year: str) -> tuple[Finding, ...]:
    """A section's headline against last month and against last year, in a sentence each; one
    sentence when the two say the same ("No NPS data for this selection" twice)."""
    found = [Finding(findings.change_sentence(c, language, vs), c.tone)
             for c, vs in ((headline.vs_previous, previous), (headline.vs_last_year, last_year))]
    return tuple(found[:1] if found[1].text == found[0].text else found)


def _headlines(review: MonthReview, language: str, month: str, previous: str, last_year: str) -> Section:
    tiles, sentences = [], []
    for headline in review.headlines:
        now = headline.vs_previous
        detail = findings.tile_detail(replace(now, delta=None), language)  # margin and n, no verdict
        target = (review.targets or {}).get(headline.metric)
        if target is not None:
            detail += " · " + target_sentence(target_gap(now, target), language)
        tiles.append(Tile(headline.metric, findings.metric_name(headline.metric, language),
                          findings.fmt_value(headline.metric, now.value, language), detail,
                          (_comparison(headline.vs_previous, previous, language),
                           _comparison(headline.vs_last_year, last_year, language))))
        for change, vs in ((headline.vs_previous, previous), (headline.vs_last_year, last_year)):
            if change.direction is not None:
                sentences.append(Finding(findings.change_sentence(change, language, vs), change.tone))
    tested = review.family is None or review.family.m > 0
    if not sentences and review.has_data:
        # 'no headline changed significantly' claims tests; with none run, the note's reason is the sentence
        sentences.append(Finding(translate("review.no_significant_change", language, previous=previous,
                                           last_year=last_year) if tested
                                 else findings.family_note(review.family, language)))
    if review.alerts is not None and len(review.alerts) and review.has_data:
        # the month's alerts (analytics.alerts) after the headline changes: what the rules raised
        sentences += alert_findings(review.alerts, language)
    # the markers are the review's family's verdicts (analytics.review): say how many tests it holds
    notes = ((translate("review.headlines_note", language, m=review.family.m),)
             if review.family is not None and tested else ())
    if not review.has_data:
        sentences = [Finding(translate("review.no_data", language, month=month))]
    return Section("headlines", _title("headlines", language), tuple(sentences), tiles=tuple(tiles), notes=notes)


def _csi(review: MonthReview, language: str, month: str, previous: str, last_year: str) -> Section:
    change = review.csi
    headline = changes.csi_headline(change)
    sentences = (Finding(findings.change_sentence(headline, language, previous), headline.tone),)
    figure = charts.attribute_radar(
        review.attributes, title=findings.attribute_comparison_title(review.attributes, language, previous),
        now_label=month, vs_label=previous, language=language)
    notes = (findings.weights_statement(change.current.weights, language),)
    return Section("csi", _title("csi", language), sentences,
                   (Figure(figure, _empty("empty.what.csi", language)),), notes=notes)


def _gaps(review: MonthReview, language: str, month: str, previous: str, last_year: str) -> Section:
    model = review.gaps
    sentences = []
    note = findings.gap5_note(model.gap5, language)
    if note:
        # a level, not a tested change: no marker (DESIGN.md: a marker only where a test passes)
        sentences.append(Finding(note, NEUTRAL))
    else:
        sentences.append(Finding(translate("empty.chart", language, what=translate("empty.what.gap5", language))))
    diagram = charts.gap_model_diagram(findings.gap_summaries(model, language), language=language,
                                       title=findings.gap_model_title(model, language))
    dimensions = charts.gap5_dimensions(model.gap5, language=language,
                                        title=findings.gap_dimensions_title(model.gap5, language))
    figures = (Figure(diagram, _empty("empty.what.gaps", language)),
               Figure(dimensions, _empty("empty.what.gap5", language)))
    # the diagram's boxes and words need the wider share
    return Section("gaps", _title("gaps", language), tuple(sentences), figures,
                   notes=tuple(findings.gap_missing_notes(model, language)), slide_widths=(2, 1))


def _nps(review: MonthReview, language: str, month: str, previous: str, last_year: str) -> Section:
    headline = review.headline("nps")
    sentences = _change_findings(headline, language, previous, last_year)
    trend = review.nps_trend
    figure = charts.nps_trend(trend, language=language, wide=True,
                              title=findings.trend_summary("nps", trend["month"], trend["score"], language))
    return Section("nps", _title("nps", language), sentences, (Figure(figure, _empty("empty.what.nps", language)),))


def _complaints(review: MonthReview, language: str, month: str, previous: str, last_year: str,
                slides: bool = False) -> Section:
    headline = review.headline("complaints")
    sentences = list(_change_findings(headline, language, previous, last_year))
    if len(review.rising) and not slides:  # on a slide the rising chart's title says it, beside it
        up = review.rising[review.rising["rising"].astype(bool)]
        sentences.append(Finding(findings.rising_title(review.rising, language, previous), BAD if len(up) else NEUTRAL))
    # a half-width slide turns the Pareto: the causes' names in rows, not slanted under narrow bars
    pareto = (charts.pareto_rows if slides else charts.pareto)(
        review.causes, language=language, title=findings.pareto_title(review.causes, language))
    rising = charts.rising_causes(review.rising, language=language,
                                  title=findings.rising_title(review.rising, language, previous),
                                  now_label=month, vs_label=previous, wide=True)
    notes = (findings.cause_coverage(review.counts, language),) if review.counts.n else ()
    return Section("complaints", _title("complaints", language), tuple(sentences),
                   (Figure(pareto, _empty("empty.what.causes", language)),
                    Figure(rising, _empty("empty.what.causes", language))), notes=notes)


def _sentiment(review: MonthReview, language: str, month: str, previous: str, last_year: str) -> Section:
    headline = review.headline("negative_share")
    sentences = _change_findings(headline, language, previous, last_year)
    trend = review.sentiment_trend
    negative = charts.negative_share_trend(
        trend, language=language,
        title=findings.trend_summary("negative_share", trend["month"], trend["negative_share"], language)) \
        if len(trend) else None
    polarity = charts.polarity_trend(
        trend, language=language, title=findings.trend_summary("polarity", trend["month"], trend["mean"], language)) \
        if len(trend) else None
    empty = _empty("empty.what.sentiment", language)
    return Section("sentiment", _title("sentiment", language), sentences,
                   (Figure(negative, empty), Figure(polarity, empty)),
                   notes=(translate("sentiment.how_scored", language),), columns=2)


def _quote(verbatim: Verbatim, language: str) -> Quote:
    if verbatim.kind == "common_theme":
        key = "review.quote.common_theme" + ("_found" if verbatim.theme_from == "theme" else "")
        label = translate(key, language, theme=verbatim.theme,
                          k=fmt_count(verbatim.theme_count), n=fmt_count(verbatim.theme_n))
    else:
        label = translate(f"review.quote.{verbatim.kind}", language)
    meta = [fmt_date(verbatim.date, language) if verbatim.date else None, fmt_term("source", verbatim.source, language),
            verbatim.branch]
    return Quote(verbatim.kind, label, verbatim.text, " · ".join(m for m in meta if m), verbatim.customer_id,
                 translate("review.quote.sentiment", language, value=fmt_signed(verbatim.sentiment, 2)))


def _verbatims(review: MonthReview, language: str, month: str, previous: str, last_year: str) -> Section:
    quotes = tuple(_quote(v, language) for v in review.verbatims)
    sentences = () if quotes else (Finding(translate("empty.chart", language,
                                                     what=translate("empty.what.sentiment", language))),)
    return Section("verbatims", _title("verbatims", language), sentences, quotes=quotes,
                   notes=(translate("review.theme_definition", language),))


def listed_actions(actions: tuple[Action, ...]) -> tuple[Action, ...]:
    """The areas a shared screen lists: the MAX_DECLINES largest sustained declines and every other
    area. With thousands of responses a branch, nearly every decline passes its test (at ten million
    responses, 34 year-on-year changes and 11 trends in one month), and a team reads a short list;
    the overview's "What changed" lists them all. A branch whose NPS decline is listed is not
    listed again for its fall against last month."""
    declines = [a for a in actions if a.kind in DECLINE_KINDS][:MAX_DECLINES]
    named = {a.subject for a in declines if a.finding["metric"] == "nps" and a.finding["scope"] == "branch"}
    return tuple(a for a in actions if (a.kind not in DECLINE_KINDS or any(a is d for d in declines))
                 and not (a.kind == "branch_nps" and a.subject in named))


def action_text(action: Action, language: str, previous: str) -> str:
    """An area to act on in one sentence that states the numbers behind it."""
    if action.kind == "fix_first":
        digits = 2 if action.weights == "derived" else 1
        return translate("review.action.fix_first", language, attribute=action.subject,
                         value=fmt_number(action.value, 1), average=fmt_number(action.reference, 1),
                         importance=fmt_number(action.detail, digits), n=fmt_n(action.n, language))
    if action.kind == "gap":
        return translate("review.action.gap", language, dimension=fmt_term("dim", action.subject, language),
                         gap=fmt_signed(action.value, 2), perception=fmt_number(action.detail, 2),
                         expectation=fmt_number(action.reference, 2), n=fmt_n(action.n, language))
    if action.kind in ("trend", "year_on_year"):
        # the row itself, not a one-row frame through trend_findings: a review has dozens of these
        return findings.trend_finding(SimpleNamespace(**action.finding), language).text
    if action.kind == "rising_cause":
        q = action.q_value if action.q_value is not None else action.p_value
        return translate("review.action.rising_cause", language, cause=action.subject, share=fmt_share(action.value),
                         vs=previous, k=fmt_count(action.detail), n=fmt_count(action.n),
                         count_before=fmt_count((action.finding or {}).get("count_before")),
                         q=findings.fmt_q(q, language))
    return translate("review.action.branch_nps", language, branch=action.subject, value=fmt_signed(action.value, 1),
                     before=fmt_signed(action.reference, 1), vs=previous, amount=fmt_number(abs(action.detail), 1),
                     n=fmt_n(action.n, language))


def _actions(review: MonthReview, language: str, month: str, previous: str, last_year: str) -> Section:
    listed = listed_actions(review.actions)
    sentences = tuple(Finding(action_text(a, language, previous), BAD) for a in listed)
    if not sentences:
        sentences = (Finding(translate("review.action.none", language, vs=previous)),)
    notes = (translate("review.actions_note", language),)
    unlisted = sum(a.kind in DECLINE_KINDS for a in review.actions) - sum(a.kind in DECLINE_KINDS for a in listed)
    if unlisted:
        notes = (translate("review.actions_more", language, k=unlisted),) + notes
    if review.family is not None:
        notes += (findings.family_note(review.family, language),)
    return Section("actions", _title("actions", language), sentences, notes=notes, numbered=bool(review.actions))


def _empty(what: str, language: str) -> str:
    return translate("empty.chart", language, what=translate(what, language))
