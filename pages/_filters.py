"""The one sidebar of filters every page shares, kept in the URL.

app.py draws it before the page runs; pages read the result with `selection()`. The period is a
month (the latest full month of data by default) or a custom date range, compared with the
previous period or the same period last year. Every choice is written to the URL
(?month=2026-10&region=South&compare=previous&lang=zh), and a new session opened from such a link
starts from it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import streamlit as st

from analytics.filters import (
    FilterOptions, Filters, filter_options, latest_full_month, month_filters, months_between, previous_period,
    same_period_last_year
)
from pages import _keys as keys
from pages._common import IMPORTS_PAGE, choose, data_labels, labels, language, load, markdown_text, presenting, t
from presentation.formats import fmt_month, fmt_period
from presentation.i18n import translate
from presentation.labels import data_label

CUSTOM = "custom"
COMPARE_PREVIOUS = "previous"
COMPARE_LAST_YEAR = "last_year"
COMPARISONS = (COMPARE_PREVIOUS, COMPARE_LAST_YEAR)


@dataclass(frozen=True)
class Selection:
    """What the sidebar selected: the period's Filters, its comparison, and what the store offers."""

    current: Filters
    comparison: Filters | None
    compare: str
    options: FilterOptions

    def period(self) -> str:
        return fmt_period(self.current, language())

    def vs(self) -> str:
        return fmt_period(self.comparison, language()) if self.comparison is not None else t("filters.no_comparison")


def _options() -> FilterOptions:
    return load(filter_options)


def _from_url(options: FilterOptions, months: list[str], default_month: str) -> None:
    """Seed the choices once per session: from the URL where it names valid values, else defaults."""
    params = st.query_params
    if keys.FILTER_MONTH not in st.session_state:
        month = params.get(keys.URL_MONTH)
        start, end = _parse_date(params.get(keys.URL_FROM)), _parse_date(params.get(keys.URL_TO))
        if month in months:
            st.session_state[keys.FILTER_MONTH] = month
        elif start and end and start <= end:
            st.session_state[keys.FILTER_MONTH] = CUSTOM
            st.session_state[keys.FILTER_DATES] = (_clamp(start, options), _clamp(end, options))
        else:
            st.session_state[keys.FILTER_MONTH] = default_month
    if keys.FILTER_COMPARE not in st.session_state:
        compare = params.get(keys.URL_COMPARE)
        st.session_state[keys.FILTER_COMPARE] = compare if compare in COMPARISONS else COMPARE_PREVIOUS
    for key, (param, field) in keys.LIST_FILTERS.items():
        if key not in st.session_state:
            st.session_state[key] = [v for v in params.get_all(param) if v in getattr(options, field)]


def _parse_date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _clamp(day: date, options: FilterOptions) -> date:
    return min(max(day, options.date_min), options.date_max)


def _adopt(key: str, valid) -> None:
    """Take the reader's latest change, still in the widget's state, into the plain choice."""
    value = st.session_state.get(keys.choice(key))
    if value is not None and valid(value):
        st.session_state[key] = value


def _settle(options: FilterOptions, months: list[str], default_month: str) -> None:
    """The plain choices after the reader's last change, without values the store no longer has."""
    _adopt(keys.FILTER_MONTH, lambda v: v in months or v == CUSTOM)
    _adopt(keys.FILTER_COMPARE, lambda v: v in COMPARISONS)
    _adopt(keys.FILTER_DATES, lambda v: len(v) == 2)
    if st.session_state.get(keys.FILTER_MONTH) not in [*months, CUSTOM]:
        st.session_state[keys.FILTER_MONTH] = default_month
    dates = st.session_state.get(keys.FILTER_DATES)
    if not dates or len(dates) != 2:
        st.session_state[keys.FILTER_DATES] = (options.date_min, options.date_max)
    else:
        st.session_state[keys.FILTER_DATES] = (_clamp(dates[0], options), _clamp(dates[1], options))
    for key, (_, field) in keys.LIST_FILTERS.items():
        allowed = getattr(options, field)
        _adopt(key, lambda v: isinstance(v, list))
        st.session_state[key] = [v for v in st.session_state.get(key, []) if v in allowed]


def _to_url(month: str, dates: tuple[date, date], compare: str, lists: dict[str, list[str]]) -> None:
    wanted: dict[str, str | list[str] | None] = {
        keys.URL_MONTH: month if month != CUSTOM else None,
        keys.URL_FROM: dates[0].isoformat() if month == CUSTOM else None,
        keys.URL_TO: dates[1].isoformat() if month == CUSTOM else None,
        keys.URL_COMPARE: compare,
    }
    for key, (param, _) in keys.LIST_FILTERS.items():
        wanted[param] = lists[key] or None
    for param, value in wanted.items():
        current = st.query_params.get_all(param)
        if value is None:
            if current:
                del st.query_params[param]
        elif (current if isinstance(value, list) else (current[-1] if current else None)) != value:
            st.query_params[param] = value


def sidebar_filters() -> None:
    """Draw the shared filters and leave this run's Selection in session state (None without data)."""
    options = _options()
    if options.date_max is None:
        st.session_state[keys.SELECTION] = None
        return
    months = months_between(options.date_min, options.date_max)
    default_month = latest_full_month(options.date_max, date.today()) or months[0]
    if default_month not in months:
        default_month = months[0]
    _from_url(options, months, default_month)
    _settle(options, months, default_month)
    lang = language()
    state = st.session_state
    if presenting():
        # the choices stand as they are, out of sight; the sidebar says what is shown
        month = state[keys.FILTER_MONTH]
        if month != CUSTOM:
            chosen = month_filters(Filters(), month)
            state[keys.FILTER_DATES] = (chosen.date_from, chosen.date_to)
        lists = {key: list(state[key]) for key in keys.LIST_FILTERS}
        shown_labels = data_labels()
        _select(state[keys.FILTER_DATES], state[keys.FILTER_COMPARE], lists, options)
        _to_url(month, state[keys.FILTER_DATES], state[keys.FILTER_COMPARE], lists)
        chosen = state[keys.SELECTION]
        st.sidebar.caption(t("present.showing", period=markdown_text(" · ".join(
            [chosen.period()] + [", ".join(_shown(key, lang, shown_labels)(v) for v in values)
                                 for key, values in lists.items() if values]))))
        return
    # a list box goes on showing its choice in the words of the language it was picked in (Streamlit
    # keeps the words it showed), so after a language switch each is told its choice again
    retell = state.get(keys.FILTERS_DRAWN_IN, lang) != lang
    state[keys.FILTERS_DRAWN_IN] = lang
    with st.sidebar:
        st.subheader(t("filters.title"))
        periods = [*months, CUSTOM]
        month_at = None if _retold(keys.FILTER_MONTH, retell) else periods.index(state[keys.FILTER_MONTH])
        month = st.selectbox(t("filters.period"), periods, index=month_at, key=keys.choice(keys.FILTER_MONTH),
                             format_func=lambda m: translate("filters.custom", lang) if m == CUSTOM
                             else fmt_month(m, lang), placeholder=choose(periods))
        state[keys.FILTER_MONTH] = month
        if month != CUSTOM:
            chosen = month_filters(Filters(), month)
            # "custom", when picked next, starts from this month
            state[keys.FILTER_DATES] = (chosen.date_from, chosen.date_to)
        else:
            picked = st.date_input(t("filters.dates"), value=state[keys.FILTER_DATES], min_value=options.date_min,
                                   max_value=options.date_max, key=keys.choice(keys.FILTER_DATES),
                                   format="YYYY-MM-DD")
            if len(picked) == 2:  # while a range is being picked, the last whole range stands
                state[keys.FILTER_DATES] = tuple(picked)
        dates = state[keys.FILTER_DATES]
        state[keys.FILTER_COMPARE] = st.selectbox(
            t("filters.compare"), COMPARISONS,
            index=None if _retold(keys.FILTER_COMPARE, retell) else COMPARISONS.index(state[keys.FILTER_COMPARE]),
            key=keys.choice(keys.FILTER_COMPARE), format_func=labels("filters.compare"),
            placeholder=choose(COMPARISONS))
        lists = {}
        shown_labels = data_labels()
        for key, (_, field) in keys.LIST_FILTERS.items():
            # the values are the data's (the URL and the queries keep them); the reader sees their labels
            lists[key] = state[key] = st.multiselect(
                t(f"filters.{field}"), getattr(options, field), default=None if _retold(key, retell) else state[key],
                key=keys.choice(key),
                placeholder=t("filters.all"), format_func=_shown(key, lang, shown_labels))
    _select(dates, state[keys.FILTER_COMPARE], lists, options)
    _to_url(month, dates, state[keys.FILTER_COMPARE], lists)


def _retold(key: str, retell: bool) -> bool:
    """Whether the widget of the choice kept under `key` is told it again (through its state, so it
    takes no default this run)."""
    if retell:
        st.session_state[keys.choice(key)] = st.session_state[key]
    return retell


def _shown(key: str, lang: str, shown_labels):
    """How a list filter's values read: a tier by its name in the reader's language, the rest by the
    data's own label in it (presentation.labels), else as stored."""
    if key == keys.FILTER_TIERS:
        return labels("tier")
    name = keys.LIST_FILTERS[key][0]
    return lambda value: data_label(name, value, lang, shown_labels)


def _select(dates: tuple[date, date], compare: str, lists: dict[str, list[str]], options: FilterOptions) -> None:
    current = Filters(date_from=dates[0], date_to=dates[1],
                      **{field: lists[key] for key, (_, field) in keys.LIST_FILTERS.items()})
    comparison = previous_period(current) if compare == COMPARE_PREVIOUS else same_period_last_year(current)
    st.session_state[keys.SELECTION] = Selection(current, comparison, compare, options)


def choose_month(month: str) -> None:
    """Make `month` the shared period, as if picked in the sidebar (a page's own month picker calls
    this as its on_change callback, before the sidebar is drawn again)."""
    st.session_state[keys.FILTER_MONTH] = month
    st.session_state.pop(keys.choice(keys.FILTER_MONTH), None)


def review_month(chosen: Selection) -> str:
    """The month the review shows: the sidebar's month, or the latest full month for a custom range."""
    months = months_between(chosen.options.date_min, chosen.options.date_max)
    month = st.session_state.get(keys.FILTER_MONTH)
    if month in months:
        return month
    latest = latest_full_month(chosen.options.date_max, date.today())
    return latest if latest in months else months[0]


def selection() -> Selection:
    """This run's Selection; with an empty store, says where data comes from and ends the page."""
    chosen = st.session_state.get(keys.SELECTION)
    if chosen is None:
        st.info(t("empty.store"))
        st.page_link(IMPORTS_PAGE, label=t("empty.go_import"), icon=":material/upload_file:")
        st.stop()
    return chosen


def no_data(what_key: str, chosen: Selection, *, stop: bool = True) -> None:
    """'No NPS responses for Oct 2026 with these filters' — and the page (or section) ends there."""
    st.info(t("empty.selection", what=t(what_key), period=chosen.period()))
    if stop:
        st.stop()
