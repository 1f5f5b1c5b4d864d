"""`python -m loaders migrate` copies a store into a new or empty one, checked; `maintain` keeps a
lake in shape."""
from __future__ import annotations

import json

import pytest
from conftest import TEST_DATA

from loaders.__main__ import main, same_figures
from loaders.importer import import_file
from store.db import connect, quote_identifier
from store.errors import QueryError

pytestmark = pytest.mark.slow


def small_store(path) -> None:
    con = connect(path)
    try:
        import_file(con, TEST_DATA / "nps_gbk.csv")
        import_file(con, TEST_DATA / "complaints_bom.csv")
    finally:
        con.close()


def counts(url) -> dict:
    con = connect(url, read_only=True)
    try:
        return {table: con.execute("SELECT count(*) FROM " + quote_identifier(table)).fetchone()[0]
                for table in ("import_batch", "nps_response", "nps_tally", "complaint", "saved_mapping")}
    finally:
        con.close()


def test_a_file_moves_to_a_lake_and_back(postgres_cluster, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("FEEDBACK_LAKE_DATA", str(tmp_path / "lake-data"))
    source, lake, back = tmp_path / "feedback.duckdb", postgres_cluster.lake_url(), tmp_path / "back.duckdb"
    small_store(source)
    assert main(["migrate", "--db", str(source), "--to", lake]) == 0
    assert "every table's rows and the summary are equal" in capsys.readouterr().out
    assert counts(lake) == counts(source)
    assert counts(source)["nps_response"] > 0
    assert main(["migrate", "--db", lake, "--to", str(back)]) == 0
    assert counts(back) == counts(source)
    # a store that holds data is never a target
    assert main(["migrate", "--db", str(source), "--to", lake]) == 1
    assert "already holds data (complaint" in capsys.readouterr().err
    assert counts(lake) == counts(source)
    assert main(["maintain", "--db", lake]) == 0
    assert "snapshots expired: 0" in capsys.readouterr().out
    assert counts(lake) == counts(source)


def test_a_mistyped_source_is_an_error_and_creates_nothing(postgres_cluster, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("FEEDBACK_LAKE_DATA", str(tmp_path / "lake-data"))
    lake = postgres_cluster.lake_url()
    assert main(["migrate", "--db", str(tmp_path / "feedbak.duckdb"), "--to", lake]) == 1
    assert f"no database at {tmp_path / 'feedbak.duckdb'}" in capsys.readouterr().err
    assert not (tmp_path / "feedbak.duckdb").exists()
    with pytest.raises(QueryError, match="no lake at"):
        connect(lake, read_only=True)


@pytest.mark.parametrize("first, second, same", [
    ({"mean": -0.13263834634764665, "n": 33}, {"mean": -0.13263834634764668, "n": 33}, True),
    ({"mean": -0.13263}, {"mean": -0.13264}, False),
    ({"n": 33}, {"n": 34}, False),
    ({"by_month": [{"m": "2026-05"}]}, {"by_month": []}, False),
    ({"score": None}, {"score": None}, True),
    ({"score": None}, {"score": 0.0}, False),
])
def test_same_figures(first, second, same):
    assert same_figures(json.loads(json.dumps(first)), second) is same
