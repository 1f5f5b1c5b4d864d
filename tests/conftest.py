"""Shared fixtures: a fresh store per test, in tmp_path."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

from postgres import Cluster
from store.db import connect

TEST_DATA = PROJECT_ROOT / "tests" / "data"


def build_demo_store(path: Path) -> Path:
    """The demo store the page, report and browser tests read: 1,500 survey responses, written by
    `python -m loaders demo` as an analyst would, its files beside it."""
    subprocess.run([sys.executable, "-m", "loaders", "demo", "--db", str(path), "--responses", "1500",
                    "--files", str(path.parent / "demo-files")],
                   cwd=PROJECT_ROOT, check=True, capture_output=True, text=True)
    return path


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "feedback.duckdb"


def pytest_addoption(parser) -> None:
    parser.addoption("--store", choices=("file", "lake"), default="file",
                     help="the store the `con` fixture opens: a DuckDB file, or a DuckLake with its catalog"
                          " in a throw-away PostgreSQL cluster")


@pytest.fixture
def con(request, db_path: Path, tmp_path: Path, monkeypatch):
    if request.config.getoption("--store") == "lake":
        monkeypatch.setenv("FEEDBACK_LAKE_DATA", str(tmp_path / "lake-data"))
        connection = connect(request.getfixturevalue("postgres_cluster").lake_url())
    else:
        connection = connect(db_path)
    yield connection
    connection.close()


@pytest.fixture(autouse=True)
def navigation_mode():
    """Every AppTest run goes through app.py's st.navigation, as a served dashboard's does."""
    from bench.page_calls import served_navigation

    with served_navigation():
        yield


# -- the two stores -------------------------------------------------------------------------------
# Tests that take `store_url` run on a DuckDB file and on a DuckLake whose catalog is in PostgreSQL
# (a throw-away cluster for the session, tests/postgres.py), each test on a store of its own.

@pytest.fixture(scope="session")
def postgres_cluster():
    cluster = Cluster().start()
    yield cluster
    cluster.stop()


@pytest.fixture(params=["file", "lake"])
def store_url(request, tmp_path: Path, monkeypatch) -> str:
    if request.param == "file":
        return str(tmp_path / "feedback.duckdb")
    monkeypatch.setenv("FEEDBACK_LAKE_DATA", str(tmp_path / "lake-data"))
    return request.getfixturevalue("postgres_cluster").lake_url()
