"""Every page of the dashboard on a lake shows what it shows on the DuckDB file it was migrated from."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest
from conftest import PROJECT_ROOT, TEST_DATA
from streamlit.testing.v1 import AppTest

from app import PAGES
from loaders.__main__ import main
from loaders.importer import import_file
from store.db import connect, quote_identifier, quote_literal

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def two_stores(postgres_cluster, tmp_path_factory) -> tuple[str, str]:
    folder = tmp_path_factory.mktemp("two-stores")
    source = str(folder / "feedback.duckdb")
    con = connect(source)
    try:
        for name in ("nps_gbk.csv", "complaints_bom.csv", "survey_questions.xlsx"):
            import_file(con, TEST_DATA / name)
    finally:
        con.close()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FEEDBACK_LAKE_DATA", str(folder / "lake-data"))
        lake = postgres_cluster.lake_url()
        assert main(["migrate", "--db", source, "--to", lake]) == 0
    return source, lake


def shown(store: str, page: str, monkeypatch) -> tuple:
    monkeypatch.setenv("FEEDBACK_DB", store)
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return [(m.label, m.value, m.delta) for m in at.metric], [c.proto.spec for c in at.get("plotly_chart")]


@pytest.mark.parametrize("page", [spec.path for spec in PAGES])
def test_a_page_on_a_lake_shows_what_it_shows_on_the_file(two_stores, page, monkeypatch):
    source, lake = two_stores
    assert shown(lake, page, monkeypatch) == shown(source, page, monkeypatch)


HOLDER = """
import sys, time
from store.db import connect
con = connect(sys.argv[1])
print("holding", flush=True)
sys.stdin.readline()
con.close()
"""


def test_a_page_says_an_import_is_finishing_while_another_program_holds_the_file(tmp_path, monkeypatch):
    path = str(tmp_path / "feedback.duckdb")
    connect(path).close()
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, path], cwd=PROJECT_ROOT, text=True,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert holder.stdout.readline().strip() == "holding"
        monkeypatch.setenv("FEEDBACK_DB", path)
        monkeypatch.setenv("FEEDBACK_LOCK_WAIT", "1")
        at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=120)
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        assert [i.value for i in at.info] == ["An import is finishing; the page shows it in a moment: reload then."]
    finally:
        holder.stdin.close()
        holder.wait(timeout=60)


def test_a_page_whose_catalog_cannot_be_reached_says_so_and_shows_the_data_again_after(
        postgres_cluster, lake_template, tmp_path, monkeypatch):
    # a replica keeps its lake open: PostgreSQL stopped under it (here: the catalog's database closed
    # to connections, its sessions ended) reaches the next run's queries, not the open
    url = postgres_cluster.copied_lake_url(lake_template, tmp_path / "lake-data")
    con = connect(url)
    try:
        import_file(con, TEST_DATA / "nps_gbk.csv")
    finally:
        con.close()
    monkeypatch.setenv("FEEDBACK_DB", url)
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=120)
    at.run()
    assert not at.exception and not at.error, [e.value for e in [*at.exception, *at.error]]
    before = [(m.label, m.value) for m in at.metric]
    name = re.search(r"dbname=(\S+)", url).group(1)
    postgres_cluster._psql(f"ALTER DATABASE {quote_identifier(name)} ALLOW_CONNECTIONS false",
                           "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                           f" WHERE datname = {quote_literal(name)}")
    try:
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        assert [e.value.split(" (")[0] for e in at.error] == [
            "The data cannot be read just now; the page shows it again once the store is back: reload then."]
        assert "the store could not be reached" in at.error[0].value
    finally:
        postgres_cluster._psql(f"ALTER DATABASE {quote_identifier(name)} ALLOW_CONNECTIONS true")
    at.run()
    assert not at.exception and not at.error, [e.value for e in [*at.exception, *at.error]]
    assert [(m.label, m.value) for m in at.metric] == before
