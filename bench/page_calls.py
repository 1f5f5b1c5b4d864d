"""What each page of the dashboard asks of the analytics, recorded by running the page.

Every page of app.PAGES is run with Streamlit's AppTest from app.py, as a served dashboard runs it,
on the benchmark's store and with the URL of a filter variant (?month=2026-10&branch=...). Each
call that goes through pages._common.load or load_all is recorded with the arguments the page gave it, so the
benchmark times exactly what the pages ask for and follows them when they change. The sidebar's
calls (the filter choices) are kept apart: every page makes them, once per rerun.

The Imports page reads the history and the row counts straight from the store, not through load;
those two are recorded too.
"""
from __future__ import annotations

import contextlib
import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SIDEBAR = "sidebar"
SIDEBAR_FUNCTIONS = ("analytics.filters.filter_options",)
# Called by the Imports page without load(): (module, name).
DIRECT_CALLS = (("loaders.importer", "history"), ("loaders.importer", "row_counts"))


@contextlib.contextmanager
def served_navigation():
    """Run AppTest through app.py's st.navigation, as a served dashboard does.

    AppTest resets Streamlit's pages mode before each run, and with a pages/ folder next to
    app.py every run after the first would run the page file alone (legacy mode): the page's
    require_router() then reruns, which drops the click that started the run.
    """
    from streamlit.runtime.pages_manager import PagesManager

    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = init
    try:
        yield
    finally:
        PagesManager.__init__ = original


@contextlib.contextmanager
def recording(calls: list):
    """Append (function path, args, kwargs, group) for every analytics call the dashboard makes.

    group numbers the calls a page asks for together with load_all (computed two at a time, and
    timed so); it is None for a call made alone.
    """
    import importlib

    from pages import _common

    cached, load_all = _common._cached, _common.load_all
    group = {"now": None, "last": 0}

    def recorded(store, version, function, args, kwargs):
        if group["now"] is None:
            calls.append((function, tuple(args), dict(kwargs), None))
        return cached(store, version, function, args, kwargs)

    def grouped(*asked):
        if len(asked) == 1:
            return load_all(*asked)
        group["last"] += 1
        group["now"] = group["last"]
        # recorded here, in the page's order: the pool's threads reach _cached in any order
        calls.extend((f"{c.function.__module__}.{c.function.__name__}", c.args, dict(c.kwargs), group["now"])
                     for c in asked)
        try:
            return load_all(*asked)
        finally:
            group["now"] = None

    originals = []
    for module_name, name in DIRECT_CALLS:
        module = importlib.import_module(module_name)
        function = getattr(module, name)

        def direct(*args, _function=function, _path=f"{module_name}.{name}", **kwargs):
            calls.append((_path, tuple(args[1:]), dict(kwargs), None))  # args[0] is the page's cursor
            return _function(*args, **kwargs)

        originals.append((module, name, function))
        setattr(module, name, direct)
    _common._cached, _common.load_all = recorded, grouped
    try:
        yield calls
    finally:
        _common._cached, _common.load_all = cached, load_all
        for module, name, function in originals:
            setattr(module, name, function)


def record(db: Path, url: dict[str, str], timeout: float = 600) -> dict[str, list[tuple]]:
    """Every page's calls (and the sidebar's) when opened at `url`'s filters on the store `db`:
    (function path, args, kwargs, group) in the order the page makes them (see recording)."""
    from streamlit.testing.v1 import AppTest

    from app import PAGES

    os.environ["FEEDBACK_DB"] = str(db)
    pages: dict[str, list[tuple]] = {}
    sidebar: list[tuple] = []
    with served_navigation():
        for spec in PAGES:
            calls: list = []
            at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=timeout)
            at.query_params.update(url)
            with recording(calls):
                at.run()
                if spec != PAGES[0]:
                    del calls[:]
                    at.switch_page(spec.path).run()
            if at.exception:
                raise RuntimeError(f"{spec.url_path} raised: {at.exception[0].message}")
            page_calls = [c for c in calls if c[0] not in SIDEBAR_FUNCTIONS]
            sidebar = sidebar or [c for c in calls if c[0] in SIDEBAR_FUNCTIONS]
            pages[spec.url_path] = page_calls
    pages[SIDEBAR] = sidebar
    return pages
