"""A freshly started server imports the first page's modules and opens the store before it answers
a browser (app.warm_up, run by the st.App that `streamlit run app.py` finds in app.py), so its
first reader's page does neither; a store it cannot open is still the page's clear error."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import streamlit as st
from conftest import copy_demo_store
from streamlit.web.server.app_discovery import discover_asgi_app

import app

PROJECT_ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow

# Run in a process of its own, so that nothing a test imported before counts as warmed up: the warm-up
# (or not), then the default page as a new session opens it. It prints the modules the page's run
# imported that the warm-up is there to have imported (ours, pandas, numpy, DuckDB, Pillow's Image),
# and what the page showed.
FIRST_PAGE = """
import json, sys
from streamlit.testing.v1 import AppTest
from bench.page_calls import served_navigation
import app
if sys.argv[1] == "warm":
    app.warm_up()
before = set(sys.modules)
with served_navigation():
    at = AppTest.from_file(sys.argv[2], default_timeout=120).run()
ours = ("analytics", "presentation", "pages", "store", "loaders", "text", "pandas", "numpy", "duckdb")
imported = sorted(m for m in set(sys.modules) - before if m.split(".")[0] in ours or m == "PIL.Image")
print(json.dumps({"imported": imported, "errors": [e.value for e in at.error],
                  "exceptions": len(at.exception), "title": [t.value for t in at.title]}))
"""


def first_page(store: Path, warm: bool) -> tuple[dict, str]:
    """What the default page's first run imported and showed, and what the process wrote to stderr."""
    done = subprocess.run([sys.executable, "-c", FIRST_PAGE, "warm" if warm else "cold", str(PROJECT_ROOT / "app.py")],
                          cwd=PROJECT_ROOT, env=dict(os.environ, FEEDBACK_DB=str(store)),
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1]), done.stderr


def test_streamlit_run_serves_app_py_through_its_st_app():
    assert discover_asgi_app(PROJECT_ROOT / "app.py").import_string == "app:app"
    assert isinstance(app.app, st.App)


def test_the_first_page_after_the_warm_up_imports_nothing_it_needs(demo_master, tmp_path):
    store = copy_demo_store(demo_master, tmp_path)
    cold, _ = first_page(store, warm=False)
    warm, _ = first_page(store, warm=True)
    # without the warm-up the page's run imports the pages' modules and pandas itself
    assert {"pages._common", "analytics.overview", "presentation.charts", "pandas"} <= set(cold["imported"])
    assert warm["imported"] == []
    assert warm["exceptions"] == 0 and warm["errors"] == []
    assert warm["title"] == cold["title"] != []


def test_a_store_the_warm_up_cannot_open_is_the_pages_error(tmp_path):
    store = tmp_path / "feedback.duckdb"
    store.write_text("not a DuckDB file\n")
    shown, said = first_page(store, warm=True)
    assert shown["exceptions"] == 0
    assert len(shown["errors"]) == 1 and shown["errors"][0].startswith("The data could not be read: DuckDB could not open")
    assert "Traceback" not in said
