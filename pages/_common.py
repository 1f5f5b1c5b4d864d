"""What every page shares: the cached store connection, cached analytics, the language, the words,
and the few ways the dashboard shows things (headline tiles, findings, charts, tables)."""
from __future__ import annotations

import importlib
import threading

import pandas as pd
import streamlit as st

from analytics.findings import NEUTRAL, Change, Finding, change_note, fmt_delta, fmt_value, tile_detail
from analytics.i18n import DEFAULT_LANGUAGE, LANGUAGES, translate
from loaders.errors import FeedbackError
from loaders.store import connect, data_version, default_db_path
from pages import _keys as keys

LANGUAGE_KEY = keys.LANGUAGE
IMPORTS_PAGE = "pages/imports.py"
_router = threading.local()


class routed:
    """Marks a script run that went through app.py's st.navigation (see require_router)."""

    def __enter__(self):
        _router.active = True

    def __exit__(self, *exc):
        _router.active = False


def require_router() -> None:
    """Hand a page opened without app.py over to the router.

    Streamlit runs its legacy pages/ mode until some session has called st.navigation, so on a
    fresh server a deep link (/nps) runs the page file alone: no sidebar, no filters, and the
    folder's files listed as pages. Switching that mode off and rerunning routes it properly.
    """
    if getattr(_router, "active", False):
        return
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False
    st.rerun()


@st.cache_resource
def _store(path: str):
    # One DuckDB connection per process; sessions run on their own threads and each query
    # takes its own cursor (DuckDB's multi-threading guide).
    return connect(path)


def cursor():
    return _store(default_db_path()).cursor()


def current_version() -> str:
    cur = cursor()
    try:
        return data_version(cur)
    finally:
        cur.close()


@st.cache_data(show_spinner=False, max_entries=512)
def _cached(store: str, version: str, function: str, args: tuple, kwargs: tuple):
    # `store` and `version` are only cache keys: a new import changes the version, so the next
    # rerender reads the new data and every other rerender costs a dictionary lookup.
    module, _, name = function.rpartition(".")
    run = getattr(importlib.import_module(module), name)
    cur = cursor()
    try:
        return run(cur, *args, **dict(kwargs))
    finally:
        cur.close()


def load(function, *args, **kwargs):
    """Call an analytics function on the store, cached by its arguments and the data version.

    Every analytics call a page makes goes through here (so a benchmark can time each one). A
    failure of the store is shown as one readable line, never a traceback.
    """
    name = f"{function.__module__}.{function.__name__}"
    try:
        return _cached(default_db_path(), current_version(), name, tuple(args), tuple(sorted(kwargs.items())))
    except FeedbackError as e:
        st.error(t("error.query", message=str(e)))
        st.stop()


def language() -> str:
    return st.session_state.get(LANGUAGE_KEY, DEFAULT_LANGUAGE)


def t(key: str, **values) -> str:
    return translate(key, language(), **values)


def labels(prefix: str):
    """A format_func for a widget's options: 'previous' → t('filters.compare.previous').

    The language is bound now, so the labels stay right when the widget formats them later.
    """
    lang = language()
    return lambda value: translate(f"{prefix}.{value}", lang)


def language_switch() -> None:
    """Sidebar language choice, kept in the URL so a shared link opens in the same language."""
    widget = keys.choice(LANGUAGE_KEY)
    if LANGUAGE_KEY not in st.session_state:
        from_url = st.query_params.get(keys.URL_LANGUAGE)
        st.session_state[LANGUAGE_KEY] = from_url if from_url in LANGUAGES else DEFAULT_LANGUAGE
    if st.session_state.get(widget) in LANGUAGES:  # the reader's click, before it is drawn again
        st.session_state[LANGUAGE_KEY] = st.session_state[widget]
    codes = list(LANGUAGES)
    st.session_state[LANGUAGE_KEY] = st.sidebar.radio(
        translate("app.language", language()), codes, index=codes.index(language()),
        format_func=LANGUAGES.get, key=widget, horizontal=True)
    if st.query_params.get(keys.URL_LANGUAGE) != st.session_state[LANGUAGE_KEY]:
        st.query_params[keys.URL_LANGUAGE] = st.session_state[LANGUAGE_KEY]


# -- how things are shown ----------------------------------------------------------------------------

_TONE_COLOR = {"good": "green", "bad": "red", "neutral": "gray"}
_TONE_MARK = {"good": ":green[**▲**]", "bad": ":red[**▼**]", "neutral": ":gray[**•**]"}


def show_change(change: Change, vs: str, *, label: str | None = None, detail: str | None = None) -> None:
    """A headline tile: the figure, its change vs the comparison (marked only when significant), its n."""
    lang = language()
    delta = None if change.delta is None else fmt_delta(change.metric, change.delta, lang)
    arrow = {"up": "up", "down": "down"}.get(change.direction, "off")
    st.metric(label or t(f"metric.{change.metric}"), fmt_value(change.metric, change.value, lang),
              delta=delta, delta_color=_TONE_COLOR[change.tone], delta_arrow=arrow,
              delta_description=change_note(change, lang, vs), border=True)
    st.caption(detail if detail is not None else tile_detail(change, lang))


def show_findings(findings: list[Finding]) -> None:
    """Generated sentences as bullets; a good or bad finding carries an arrow as well as its colour."""
    for finding in findings:
        mark = _TONE_MARK.get(finding.tone, _TONE_MARK[NEUTRAL])
        st.markdown(f"{mark} {finding.text}")


def show_chart(figure, *, empty: str = "empty.what.data", key: str | None = None, select: bool = False):
    """A Plotly figure from analytics.charts, drawn with its own theme (not Streamlit's).

    A chart function returns None when it has nothing to draw: the reader gets a sentence saying
    what is missing (`empty` names it), never an empty axis.
    """
    if figure is None:
        st.info(t("empty.chart", what=t(empty)))
        return None
    config = {"displayModeBar": False, "displaylogo": False, "responsive": True}
    if select:
        return st.plotly_chart(figure, theme=None, config=config, key=key, on_select="rerun",
                               selection_mode="points")
    return st.plotly_chart(figure, theme=None, config=config, key=key)


def selected(event, field: str = "customdata"):
    """The value carried by the first selected point of a chart event, or None."""
    points = getattr(getattr(event, "selection", None), "points", None) or []
    if not points:
        return None
    value = points[0].get(field)
    if isinstance(value, (list, tuple)):
        value = value[0] if value else None
    return value


def _masked(frame: pd.DataFrame) -> pd.DataFrame:
    # Presentation mode (issue 7) masks customer names, emails, phones and ids here, for every
    # table and verbatim of every page, since they all pass through show_table.
    return frame


def show_table(frame: pd.DataFrame, columns: dict[str, str], *, formats: dict[str, str] | None = None,
               customer_data: bool = False, height: int | None = None, row_height: int | None = None) -> None:
    """A table with translated headers: `columns` maps a column to its label key, in display order.

    Every table of the dashboard goes through here; tables with customer data (verbatims, ids)
    say so, so presentation mode can mask them in one place.
    """
    shown = frame[list(columns)]
    if customer_data:
        shown = _masked(shown)
    config = {}
    for column, key in columns.items():
        fmt = (formats or {}).get(column)
        label = t(key)
        if fmt == "date":
            config[column] = st.column_config.DatetimeColumn(label, format="YYYY-MM-DD")
        elif fmt == "text":
            config[column] = st.column_config.TextColumn(label, width="large")
        elif fmt == "short":
            config[column] = st.column_config.TextColumn(label, width="small")
        elif fmt:
            config[column] = st.column_config.NumberColumn(label, format=fmt)
        else:
            config[column] = st.column_config.Column(label)
    kwargs = {"height": height} if height else {}
    if row_height:
        kwargs["row_height"] = row_height
    st.dataframe(shown, hide_index=True, width="stretch", column_config=config, placeholder="—", **kwargs)


def show_verbatims(frame: pd.DataFrame, columns: dict[str, str], formats: dict[str, str] | None = None) -> None:
    """Customers' own words (and who said them): always customer data, always through show_table.

    Rows are tall enough for a comment of two or three lines to wrap.
    """
    show_table(frame, columns, formats=formats, customer_data=True, row_height=66, height=560)
