"""The store opens as a DuckDB file and as a DuckLake catalog with the same schema."""
from __future__ import annotations

import pytest

from loaders.store import connect, quote_identifier, data_version

TABLES = {"import_batch", "survey_response", "survey_item", "survey_score", "nps_response", "complaint",
          "management_rating", "service_standard", "saved_mapping", "app_setting"}


def table_names(con) -> set[str]:
    return {r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()}


def test_duckdb_file_has_every_table(con):
    assert TABLES <= table_names(con)


def test_schema_is_accepted_by_ducklake(tmp_path):
    lake = connect(f"ducklake:{tmp_path / 'catalog.ducklake'}")
    try:
        names = {r[0] for r in lake.execute("SHOW TABLES").fetchall()}
        assert TABLES <= names
        lake.execute("INSERT INTO import_batch VALUES (uuid(), 'nps', 'f.csv', NULL, 'abc', 1, 0,"
                     " now()::TIMESTAMP, NULL, 'imported', NULL, NULL, NULL)")
        assert lake.execute("SELECT count(*) FROM import_batch").fetchone() == (1,)
        assert lake.execute("SELECT count(*) FROM survey_rating").fetchone() == (0,)
    finally:
        lake.close()


@pytest.mark.parametrize("name, quoted", [
    ("branch", '"branch"'),
    ('say "hi"', '"say ""hi"""'),
    ("门店", '"门店"'),
])
def test_quote_identifier(name, quoted):
    assert quote_identifier(name) == quoted


def test_data_version_changes_with_an_import(con):
    before = data_version(con)
    con.execute("INSERT INTO import_batch VALUES (uuid(), 'nps', 'f.csv', NULL, 'abc', 1, 0,"
                " TIMESTAMP '2026-01-01 10:00:00', NULL, 'imported', NULL, NULL, NULL)")
    assert data_version(con) != before
