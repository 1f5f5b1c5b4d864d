"""One store on both kinds: a DuckDB file and a DuckLake whose catalog is in PostgreSQL
(bench/postgres.py). Every cursor sees the store, opening a current store writes nothing, a
mistyped store is an error, imports and undos claim one writer row."""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import threading
from pathlib import Path

import duckdb
import pytest
from conftest import PROJECT_ROOT

from loaders.access import check_passphrase, passphrase_hash, set_passphrase
from loaders.importer import history, import_file, save_mapping, saved_mapping, undo
from loaders.columns import ColumnMapping
from loaders.errors import LoadError
from store.db import (
    LATEST_VERSION, SharedStore, connect, cursor, layout_version, masked, unreachable_store, write_claimed
)
from store.errors import QueryError, StoreBusy


def nps_file(folder: Path, name: str = "nps.csv", rows: int = 3) -> Path:
    # scores 10, 9, 8, 7, ...: 2 promoters and 1 passive in the first three
    lines = ["Customer ID,Date,Score"] + [f"C{i},2026-10-{i % 28 + 1:02d},{10 - i % 11}" for i in range(rows)]
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def snapshots(con) -> int:
    """How many times the store has been written: a lake's snapshots, a file's bytes."""
    return con.execute("SELECT count(*) FROM ducklake_snapshots(current_database())").fetchone()[0]


def test_every_cursor_sees_the_store_on_any_thread(store_url, tmp_path):
    con = connect(store_url)
    try:
        import_file(con, nps_file(tmp_path))
        seen = []

        def count() -> None:
            cur = cursor(con)
            try:
                seen.append(cur.execute("SELECT count(*) FROM nps_response").fetchone()[0])
            finally:
                cur.close()

        threads = [threading.Thread(target=count) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert seen == [3, 3, 3]
    finally:
        con.close()


def file_digest(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def test_opening_a_current_store_writes_nothing(store_url):
    connect(store_url).close()
    if store_url.startswith("ducklake:"):
        con = connect(store_url)
        before = snapshots(con)
        con.close()
        for _ in range(3):
            connect(store_url).close()
        con = connect(store_url)
        try:
            assert snapshots(con) == before
            assert layout_version(con) == LATEST_VERSION
        finally:
            con.close()
    else:
        before = file_digest(store_url)
        for _ in range(3):
            connect(store_url).close()
        assert file_digest(store_url) == before


def test_a_new_store_takes_every_step_once(store_url):
    con = connect(store_url)
    try:
        assert con.execute("SELECT version FROM store_version").fetchall() == [(LATEST_VERSION,)]
        assert con.execute("SELECT name FROM store_claim").fetchall() == [("writer",)]
    finally:
        con.close()


@pytest.mark.slow
def test_a_mistyped_lake_is_an_error_and_creates_nothing(postgres_cluster, tmp_path, monkeypatch):
    monkeypatch.setenv("FEEDBACK_LAKE_DATA", str(tmp_path / "data"))
    empty = "ducklake:postgres:" + postgres_cluster.new_database()
    for attempt in ({"read_only": True}, {"create": False}, {"read_only": True}):
        with pytest.raises(QueryError, match="no lake at ducklake:postgres:dbname=t_"):
            connect(empty, **attempt)
    missing = "ducklake:postgres:" + postgres_cluster.connection("no_such_database")
    with pytest.raises(QueryError, match='database "no_such_database" does not exist'):
        connect(missing)
    with pytest.raises(QueryError, match="no lake at"):
        connect(f"ducklake:{tmp_path / 'nowhere.ducklake'}", read_only=True)
    assert not (tmp_path / "nowhere.ducklake").exists()


def test_a_mistyped_file_is_an_error_and_creates_nothing(tmp_path):
    with pytest.raises(QueryError, match="no database at"):
        connect(tmp_path / "feedbak.duckdb", read_only=True)
    assert not (tmp_path / "feedbak.duckdb").exists()


@pytest.mark.parametrize("command", [["history"], ["undo", "abc123"], ["themes"], ["tiers"], ["targets"],
                                     ["set-target", "nps", "40"], ["alert-rules"], ["check-alerts"], ["maintain"],
                                     ["set-passphrase", "--clear"]])
def test_a_command_on_a_store_that_is_not_there_is_an_error_and_creates_nothing(store_url, command, capsys):
    # only import, demo, migrate (its target) and set-passphrase make a new store: a mistyped --db
    # (a lake URL naming another database, a file path) would otherwise be an empty store, silently
    from loaders.__main__ import main

    assert main([*command, "--db", store_url]) == 1
    assert ("no lake at" if store_url.startswith("ducklake:") else "no database at") in capsys.readouterr().err
    with pytest.raises(QueryError, match="no (lake|database) at"):
        connect(store_url, read_only=True)


@pytest.mark.parametrize("url", ["postgres:dbname=feedback password=s3cr3t", "md:feedback", "s3://bucket/feedback.duckdb"])
def test_a_url_of_another_kind_of_database_is_refused_plainly(url, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(QueryError) as raised:
        connect(url)
    assert str(raised.value) == (f"{masked(url)} is not a store this dashboard opens: a store is a DuckDB file"
                                 " (data/feedback.duckdb) or a lake (ducklake:postgres:dbname=… host=…)")
    assert "s3cr3t" not in str(raised.value)
    assert list(tmp_path.iterdir()) == []


def test_a_password_never_appears_in_a_message(postgres_cluster):
    url = ("ducklake:postgres:" + postgres_cluster.connection("no_such_database")
           + " password=hunter2secret")
    with pytest.raises(QueryError) as raised:
        connect(url)
    assert "hunter2secret" not in str(raised.value)
    assert "password=***" in str(raised.value)


@pytest.mark.parametrize("text, expected", [
    ("dbname=x host=h password=s3cr3t user=u", "dbname=x host=h password=*** user=u"),
    ("password='two words' host=h", "password=*** host=h"),
    ("PASSWORD = abc", "PASSWORD = ***"),
    ("postgresql://lake:s3cr3t@db.example:5432/lake", "postgresql://lake:***@db.example:5432/lake"),
    ("dbname=x host=h", "dbname=x host=h"),
])
def test_masked(text, expected):
    assert masked(text) == expected


@pytest.mark.parametrize("error, expected", [
    # DuckLake's words when PostgreSQL is down, with the query it quotes (which names the catalog)
    (duckdb.IOException("IO Error: Failed to query most recent snapshot for DuckLake: Unable to connect to"
                        " Postgres at \"dbname=f password=s3cr3t host=h\": Connection refused\nLINE 2: SELECT *"
                        " FROM postgres_query('__ducklake_metadata_postgres:dbname=f password=s3cr3t host=h')"),
     "the store could not be reached: IO Error: Failed to query most recent snapshot for DuckLake: Unable to"
     " connect to Postgres at \"dbname=f password=*** host=h\": Connection refused"),
    (duckdb.ConnectionException("Connection Error: Connection already closed!"),
     "the store could not be reached: Connection Error: Connection already closed!"),
    # a query's own mistake is no failure of the store: raised as it is
    (duckdb.BinderException("Binder Error: Referenced column \"x\" not found"), None),
    (ValueError("password=s3cr3t"), None),
])
def test_a_store_out_of_reach_is_one_masked_line(error, expected):
    failure = unreachable_store(error)
    assert (failure if failure is None else str(failure)) == expected


def test_a_lake_needs_a_shared_data_folder(postgres_cluster, monkeypatch):
    monkeypatch.delenv("FEEDBACK_LAKE_DATA", raising=False)
    with pytest.raises(QueryError, match="set FEEDBACK_LAKE_DATA"):
        connect("ducklake:postgres:" + postgres_cluster.new_database())


@pytest.mark.slow
def test_a_relative_data_folder_is_the_same_folder_for_every_process(postgres_cluster, tmp_path, monkeypatch):
    (tmp_path / "here").mkdir()
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "here")
    monkeypatch.setenv("FEEDBACK_LAKE_DATA", "lake-data")
    url = postgres_cluster.lake_url()
    con = connect(url)
    try:
        # more rows than DuckLake keeps in its catalog: they go to a Parquet file
        import_file(con, nps_file(tmp_path, rows=200))
    finally:
        con.close()
    # a command run from another folder reads the rows' files where they were written
    monkeypatch.chdir(tmp_path / "elsewhere")
    con = connect(url, read_only=True)
    try:
        # C0 … C199: the sum of 0 … 199 is 199 × 200 / 2
        assert con.execute("SELECT sum(CAST(customer_id[2:] AS INTEGER)) FROM nps_response").fetchone() == (19_900,)
    finally:
        con.close()
    assert any((tmp_path / "here" / "lake-data").rglob("*.parquet"))


def test_import_and_undo_on_both_stores(store_url, tmp_path):
    con = connect(store_url)
    try:
        result = import_file(con, nps_file(tmp_path))
        with pytest.raises(LoadError, match="already imported"):
            import_file(con, nps_file(tmp_path))
        undo(con, result.batch_id[:8])
        assert history(con)["status"].tolist() == ["undone"]
        assert con.execute("SELECT count(*) FROM nps_response").fetchone() == (0,)
        assert con.execute("SELECT claimed_by FROM store_claim").fetchall() == [("python -m loaders",)]
    finally:
        con.close()


def test_a_writer_that_conflicts_twice_is_refused_and_changes_nothing(store_url):
    con = connect(store_url)
    calls = []

    def conflicting() -> None:
        calls.append(1)
        con.execute("INSERT INTO app_setting VALUES ('x', 'y', now()::TIMESTAMP)")
        raise duckdb.TransactionException("TransactionContext Error: Conflict on update")

    try:
        with pytest.raises(StoreBusy, match="another import or undo is running"):
            write_claimed(con, conflicting, failure="the test write was rolled back")
        assert len(calls) == 2
        assert con.execute("SELECT count(*) FROM app_setting").fetchone() == (0,)
    finally:
        con.close()


def test_the_newest_saved_mapping_and_setting_win(store_url):
    con = connect(store_url)
    try:
        headers = ("Customer ID", "Date", "Score")
        first = ColumnMapping("nps", {"customer_id": "Customer ID", "responded_at": "Date", "score": "Score"})
        second = ColumnMapping("nps", {"responded_at": "Date", "score": "Score"})
        save_mapping(con, headers, first)
        save_mapping(con, headers, second)
        assert saved_mapping(con, headers) == second
        assert con.execute("SELECT count(*) FROM saved_mapping").fetchone() == (2,)
        set_passphrase(con, "correct horse battery")
        assert check_passphrase(con, "correct horse battery").accepted
        assert passphrase_hash(con) is not None
    finally:
        con.close()


def claim(con, who: str) -> None:
    con.execute("BEGIN TRANSACTION")
    con.execute("UPDATE store_claim SET claimed_by = ? WHERE name = 'writer'", [who])


def test_two_writers_at_once_conflict_on_the_claim_row(store_url):
    con = connect(store_url)
    # A second process: a lake's own instance (DuckDB shares one per URL in a process, and the
    # extra space only makes the URL another key); a file's writers share one process, as cursors.
    other = connect(store_url + " ") if store_url.startswith("ducklake:") else cursor(con)
    first = cursor(con)
    try:
        claim(first, "first")
        if store_url.startswith("ducklake:"):
            claim(other, "second")
            first.execute("COMMIT")
            with pytest.raises(duckdb.TransactionException, match="conflict"):
                other.execute("COMMIT")  # a lake refuses the later commit
        else:
            with pytest.raises(duckdb.TransactionException, match="Conflict on update"):
                claim(other, "second")  # DuckDB refuses the second update at once
            first.execute("COMMIT")
        assert con.execute("SELECT claimed_by FROM store_claim").fetchall() == [("first",)]
    finally:
        other.close()
        first.close()
        con.close()


def history_from_another_process(url: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "loaders", "history", "--db", url], cwd=PROJECT_ROOT,
                          text=True, capture_output=True, env={**os.environ, "FEEDBACK_LOCK_WAIT": "1"},
                          timeout=300)


@pytest.mark.slow
def test_the_dashboard_lets_go_of_a_file_between_runs(tmp_path):
    path = str(tmp_path / "feedback.duckdb")
    store = SharedStore(path, idle_seconds=0.5)
    store.hold()  # a page view is running
    assert store.connection().execute("SELECT count(*) FROM import_batch").fetchone() == (0,)
    busy = history_from_another_process(path)
    assert busy.returncode == 1
    assert "is open in another program (the dashboard, or an import)" in busy.stderr
    store.release()  # no page view is running: the file is let go of after half a second
    assert history_from_another_process(path).stdout == "no imports yet\n"
    store.hold()
    assert store.connection().execute("SELECT count(*) FROM import_batch").fetchone() == (0,)
    store.release()


def test_the_dashboard_keeps_a_lake_open(store_url):
    store = SharedStore(store_url, idle_seconds=0)
    store.hold()
    first = store.connection()
    store.release()
    assert (store.connection() is first) is store_url.startswith("ducklake:")


def test_a_browsing_replica_reads_and_cannot_write(store_url, tmp_path, monkeypatch):
    con = connect(store_url)
    import_file(con, nps_file(tmp_path))
    con.close()
    monkeypatch.setenv("FEEDBACK_READ_ONLY", "1")
    store = SharedStore(store_url)
    store.hold()
    try:
        browsing = cursor(store.connection())
        assert browsing.execute("SELECT count(*) FROM nps_response").fetchone() == (3,)
        with pytest.raises(QueryError, match="the import was rolled back, nothing changed.*read-only"):
            # three of its rows are October's: the one new row is what it would write
            import_file(browsing, nps_file(tmp_path, "november.csv", rows=4), skip_duplicates=True)
        browsing.close()
    finally:
        store.release()
