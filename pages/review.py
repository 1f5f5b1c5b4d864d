"""Monthly review: the month's story top to bottom, as a team walks through it on a shared screen,
and the same story as a report file to circulate (presentation.story, presentation.report)."""
from __future__ import annotations

import streamlit as st

from analytics.filters import months_between
from analytics.review import review_of, review_parts
from pages import _keys as keys
from pages._common import (
    call, choose, data_labels, for_reader, language, load_all, markdown_text, presenting, require_router, show_change, show_chart,
    show_findings,
    show_quote, slide_rem, t
)
from pages._filters import choose_month, review_month, selection
from presentation.charts import ENLARGED, slide_enlargement
from presentation.formats import fmt_month
from presentation.report import report_html
from presentation.slides import review_pptx
from presentation.story import story

_MARK = {"good": ":green[**▲**]", "bad": ":red[**▼**]"}

require_router()
chosen = selection()
lang = language()

months = months_between(chosen.options.date_min, chosen.options.date_max)
month = review_month(chosen)
if st.session_state.get(keys.REVIEW_MONTH) != month:  # the sidebar moved the month: follow it
    st.session_state.pop(keys.REVIEW_MONTH, None)

review = for_reader(review_of(month, chosen.current,
                              *load_all(*(call(*part) for part in review_parts(month, chosen.current)))))
told = story(review, lang, slides=presenting(), labels=data_labels())

if presenting():  # on the shared screen the sections are the slides; what they cover in one line
    st.caption(markdown_text(f"{told.title_and_period} · {told.scope}"))
else:
    st.title(markdown_text(told.title))
    st.caption(markdown_text(f"{told.period} · {told.scope}"))
    picker, download, deck = st.columns([1, 1, 1], vertical_alignment="bottom")
    with picker:
        st.selectbox(t("review.month"), months, index=months.index(month), key=keys.REVIEW_MONTH,
                     format_func=lambda m: fmt_month(m, lang), placeholder=choose(months),
                     on_change=lambda: choose_month(st.session_state[keys.REVIEW_MONTH]))
    with download:
        st.download_button(t("review.download"), data=lambda: report_html(review, lang, labels=data_labels()).encode(),
                           file_name=f"review-{month}-{lang}.html", mime="text/html", key=keys.REVIEW_DOWNLOAD,
                           icon=":material/download:", on_click="ignore", disabled=not review.has_data,
                           help=t("review.download_note"))
    with deck:
        st.download_button(t("review.download_pptx"), data=lambda: review_pptx(review, lang, data_labels()),
                           file_name=f"review-{month}-{lang}.pptx", key=keys.REVIEW_DOWNLOAD_PPTX,
                           mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
                           icon=":material/slideshow:", on_click="ignore", disabled=not review.has_data,
                           help=t("review.download_pptx_note"))

# The shared screen: the slide fills the window below the slide controls and never scrolls. Sizes
# follow the window (1080 px / 45 = 1920 px / 80 = 24 px body, 1080 / 16.875 = 1920 / 30 = 64 px
# numbers), so a projector at 1920×1080 gets them in full and a smaller screen the same slide scaled; the
# charts take what the slide's words leave (height "stretch"), the words never give way to them: a
# tile's "vs Sep 2026" goes to the next line in a narrow tile rather than ending in "…", and a tile's
# parts sit closer to make room for it.
SLIDES_CSS = """
html:root { font-size: clamp(14px, min(100vh / 45, 100vw / 80), 24px); }
[data-testid="stCaptionContainer"], [data-testid="stMetricDelta"] { font-size: 1rem; }
[data-testid="stMainBlockContainer"] button p { font-size: 1rem !important; }
[data-testid="stMetricValue"] { font-size: clamp(36px, min(100vh / 16.875, 100vw / 30), 64px); }
[data-testid="stHeader"] { background: transparent; pointer-events: none; }
[data-testid="stHeader"] * { pointer-events: auto; }
[data-testid="stMainBlockContainer"] { padding-top: 0.5rem; padding-bottom: 0.5rem; height: 100vh; }
[data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"] { height: 100%; flex-wrap: nowrap; }
[data-testid="stMainBlockContainer"] h2 { font-size: 1.6rem; padding: 0.25rem 0 0.5rem; }
[data-testid="stLayoutWrapper"]:has(> .st-key-review-slide),
[data-testid="stLayoutWrapper"]:has(> .st-key-review-slide-figures) { flex: 1 1 0; min-height: 0; }
.st-key-review-slide { height: 100%; flex-wrap: nowrap; overflow: auto; }
.st-key-review-slide > * { flex-shrink: 0; }
.st-key-review-slide [data-testid="stCaptionContainer"], .st-key-review-slide [data-testid="stCaptionContainer"] p {
  margin-bottom: 0; }
.st-key-review-slide-figures :is([data-testid="stLayoutWrapper"], [data-testid="stHorizontalBlock"],
  [data-testid="stColumn"], [data-testid="stVerticalBlock"]) { height: 100% !important; }
.st-key-review-slide-figures :is([data-testid="stLayoutWrapper"], [data-testid="stVerticalBlock"]) {
  flex: 1 1 0 !important; }
[class*="st-key-review-slide-figure-"] { height: 100% !important; overflow: hidden !important; }
[class*="st-key-review-tile-"] { gap: 0.25rem; }
"""


def draw(section, slide: bool = False, enlarge: float = ENLARGED) -> None:
    """A section of the story; as a slide, its figures side by side in what its words leave, their
    words `enlarge` times larger (charts.slide_enlargement)."""
    st.header(markdown_text(section.title), anchor=section.id, divider="gray")
    if section.tiles:
        for column, tile in zip(st.columns(len(section.tiles)), section.tiles):
            first, second = tile.comparisons
            with column, st.container(border=True, height="stretch", key=f"review-tile-{tile.metric}"):
                show_change(first.change, first.month, label=tile.label, border=False,
                            detail=" · ".join(part for part in (first.verdict, tile.detail) if part))
                st.markdown(f"{_MARK.get(second.tone, '')} **{markdown_text(second.delta)}** "
                            f"{markdown_text(second.vs)}  \n:gray[{markdown_text(second.verdict)}]")
    if section.numbered:
        st.markdown("\n".join(f"{i}. {markdown_text(finding.text)}" for i, finding in enumerate(section.sentences, 1)))
    else:
        show_findings(list(section.sentences))
    if section.figures and slide:
        with st.container(key="review-slide-figures"):
            places = st.columns(list(section.slide_widths) or len(section.figures), gap="medium")
            for i, (place, figure) in enumerate(zip(places, section.figures)):
                # a fixed height is what lets a chart stretch; the style gives it the slide's rest instead
                with place, st.container(height=400, border=False, key=f"review-slide-figure-{i}"):
                    show_chart(figure.figure, empty_text=figure.empty, height="stretch", enlarge=enlarge)
    elif section.figures:
        places = st.columns(2) if section.columns == 2 else [st.container() for _ in section.figures]
        for place, figure in zip(places, section.figures):
            with place:
                show_chart(figure.figure, empty_text=figure.empty)
    if section.quotes:
        for column, quote in zip(st.columns(len(section.quotes)), section.quotes):
            with column:
                show_quote(quote.label, quote.text, quote.meta, quote.customer_id, quote.sentiment)
    for note in section.notes:
        st.caption(markdown_text(note))


if presenting():
    # the shared screen: one section a screen, ← and → (or the buttons) move, the marker shows where
    st.html(f"<style>{SLIDES_CSS}</style>")
    count = len(told.sections)

    def move(step: int) -> None:
        st.session_state[keys.REVIEW_SLIDE] = min(max(st.session_state[keys.REVIEW_SLIDE] + step, 1), count)

    back, marker, forward = st.columns([1, 4, 1], vertical_alignment="center")
    with marker:
        shown = st.pagination(count, key=keys.REVIEW_SLIDE, bind="query-params", max_visible_pages=count,
                              width="stretch")
    with back:
        st.button(t("review.slide_back"), key=keys.REVIEW_SLIDE_BACK, on_click=move, args=(-1,), shortcut="Left",
                  icon=":material/arrow_back:", disabled=shown == 1)
    with forward:
        st.button(t("review.slide_next"), key=keys.REVIEW_SLIDE_NEXT, on_click=move, args=(1,), shortcut="Right",
                  icon=":material/arrow_forward:", disabled=shown == count)
    with st.container(key="review-slide"):
        draw(told.sections[shown - 1], slide=True, enlarge=slide_enlargement(slide_rem()))
else:
    for section in told.sections:
        draw(section)
