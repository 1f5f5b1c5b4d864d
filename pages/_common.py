"""What every page shares: the cached store connection, the language, and the words."""
from __future__ import annotations

import threading

import streamlit as st

from analytics.i18n import DEFAULT_LANGUAGE, LANGUAGES, translate
from loaders.store import connect, data_version, default_db_path

LANGUAGE_KEY = "language"
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


def language() -> str:
    return st.session_state.get(LANGUAGE_KEY, DEFAULT_LANGUAGE)


def t(key: str, **values) -> str:
    return translate(key, language(), **values)


def language_switch() -> None:
    """Sidebar language choice, kept in the URL so a shared link opens in the same language."""
    from_url = st.query_params.get("lang")
    if LANGUAGE_KEY not in st.session_state:
        st.session_state[LANGUAGE_KEY] = from_url if from_url in LANGUAGES else DEFAULT_LANGUAGE
    st.sidebar.radio(translate("app.language", language()), list(LANGUAGES),
                     format_func=LANGUAGES.get, key=LANGUAGE_KEY, horizontal=True)
    st.query_params["lang"] = st.session_state[LANGUAGE_KEY]
