"""Shared fixtures: a fresh store per test, in tmp_path."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

from loaders.store import connect  # noqa: E402

TEST_DATA = PROJECT_ROOT / "tests" / "data"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "feedback.duckdb"


@pytest.fixture
def con(db_path: Path):
    connection = connect(db_path)
    yield connection
    connection.close()


@pytest.fixture(autouse=True)
def navigation_mode(monkeypatch):
    """Run every AppTest run through app.py's st.navigation, as a served dashboard does.

    AppTest resets Streamlit's pages mode before each run, and with a pages/ folder next to
    app.py every run after the first would run the page file alone (legacy mode): the page's
    require_router() then reruns, which drops the click that started the run.
    """
    from streamlit.runtime.pages_manager import PagesManager

    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)
