"""A lake whose PostgreSQL catalog asks for a password (issue 24: credentials from the environment
or a DuckDB secret, masked in every message). Each command runs in a process of its own, with a home
folder of its own (no ~/.pgpass, no saved secret) and no PG* variable but the ones a test sets."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PROJECT_ROOT

from bench.postgres import USER, Cluster, free_port

PASSWORD = "c0rrect-h0rse-battery"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def guarded():
    """A cluster that asks every connection for the password (scram-sha-256)."""
    cluster = Cluster(password=PASSWORD).start()
    yield cluster
    cluster.stop()


@pytest.fixture
def env(tmp_path) -> dict:
    home = tmp_path / "home"
    home.mkdir()
    kept = {name: value for name, value in os.environ.items() if not name.startswith("PG")}
    return {**kept, "HOME": str(home), "FEEDBACK_LAKE_DATA": str(tmp_path / "lake-data")}


def run(env: dict, module: str, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", module, *args], cwd=PROJECT_ROOT, env=env, input=stdin,
                          capture_output=True, text=True, timeout=600)


def nps_file(folder: Path) -> Path:
    # two promoters (10, 9) and one passive (8): NPS (2 - 0) / 3 = 66.7
    path = folder / "nps.csv"
    path.write_text("Customer ID,Date,Score\nC1,2026-10-01,10\nC2,2026-10-02,9\nC3,2026-10-03,8\n", encoding="utf-8")
    return path


def import_and_summarise(env: dict, url: str, folder: Path) -> dict:
    imported = run(env, "loaders", "import", str(nps_file(folder)), "--db", url)
    assert imported.returncode == 0, imported.stderr
    summary = run(env, "analytics", "summary", "--db", url, "--json")
    assert summary.returncode == 0, summary.stderr
    return json.loads(summary.stdout)["nps"]


def test_the_password_from_the_environment(guarded, env, tmp_path):
    url = "ducklake:postgres:" + guarded.new_database()
    assert "password" not in url
    nps = import_and_summarise({**env, "PGPASSWORD": PASSWORD}, url, tmp_path)
    assert (nps["n"], nps["promoters"], nps["passives"], round(nps["score"], 6)) == (3, 2, 1, round(200 / 3, 6))


def test_the_password_from_a_saved_duckdb_secret(guarded, env, tmp_path):
    database = guarded.new_database().split()[0]            # "dbname=t_…" alone
    saved = run(env, "loaders", "save-lake-secret", "postgres", "--host", "127.0.0.1", "--port", str(guarded.port),
                "--user", USER, stdin=PASSWORD + "\n")
    assert saved.returncode == 0, saved.stderr
    assert PASSWORD not in saved.stdout + saved.stderr
    kept = Path(env["HOME"]) / ".duckdb" / "stored_secrets" / "__default_postgres.duckdb_secret"
    assert kept.stat().st_mode & 0o077 == 0                  # the owner's alone

    nps = import_and_summarise(env, "ducklake:postgres:" + database, tmp_path)
    assert (nps["n"], round(nps["score"], 6)) == (3, round(200 / 3, 6))

    removed = run(env, "loaders", "save-lake-secret", "postgres", "--remove")
    assert (removed.returncode, removed.stdout.strip()) == (0, "the lake's postgres secret was removed")
    assert not kept.exists()
    refused = run(env, "analytics", "summary", "--db", "ducklake:postgres:" + database, "--json")
    assert refused.returncode == 1
    assert "Traceback" not in refused.stderr


def test_a_wrong_or_missing_password_is_one_masked_line(guarded, env, tmp_path):
    url = "ducklake:postgres:" + guarded.new_database()
    for extra, variables in (("", {}), (" password=n0t-the-0ne", {}), ("", {"PGPASSWORD": "n0t-the-0ne"})):
        refused = run({**env, **variables}, "loaders", "import", str(nps_file(tmp_path)), "--db", url + extra)
        assert refused.returncode == 1
        lines = refused.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: DuckDB could not open ducklake:postgres:dbname=")
        assert "n0t-the-0ne" not in refused.stderr + refused.stdout
        assert ("password authentication failed" in lines[0]) or ("no password supplied" in lines[0])
        if extra:
            assert "password=***" in lines[0]
    # nothing was made: the right password finds no lake there yet
    missing = run({**env, "PGPASSWORD": PASSWORD}, "analytics", "summary", "--db", url, "--json")
    assert missing.returncode == 1 and "no lake at" in missing.stderr


def test_an_s3_data_folder_is_reached_through_the_saved_secret(postgres_cluster, env, tmp_path):
    """The httpfs extension loads from its pinned package (nothing downloaded) and the bucket is
    reached where the saved s3 secret says: here an endpoint on this machine where nothing listens,
    so the import's first data file cannot be written, and the import is one line and keeps nothing."""
    endpoint = f"127.0.0.1:{free_port()}"
    saved = run(env, "loaders", "save-lake-secret", "s3", "--key-id", "AKIAEXAMPLEKEY", "--region", "eu-west-1",
                "--endpoint", endpoint, "--url-style", "path", "--no-ssl", stdin="wJalrEXAMPLESECRET\n")
    assert saved.returncode == 0, saved.stderr
    assert "wJalrEXAMPLESECRET" not in saved.stdout + saved.stderr
    url = "ducklake:postgres:" + postgres_cluster.new_database()
    rows = "".join(f"C{i},2026-10-{i % 28 + 1:02d},{10 - i % 11}\n" for i in range(500))  # over the inlined rows
    (tmp_path / "nps.csv").write_text("Customer ID,Date,Score\n" + rows, encoding="utf-8")
    on_s3 = {**env, "FEEDBACK_LAKE_DATA": "s3://feedback-bucket/lake"}

    refused = run(on_s3, "loaders", "import", str(tmp_path / "nps.csv"), "--db", url)
    assert refused.returncode == 1
    lines = refused.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: nps.csv: the import was rolled back, nothing changed")
    assert f"http://{endpoint}/feedback-bucket/lake/" in lines[0]
    summary = run(on_s3, "analytics", "summary", "--db", url, "--json")
    assert summary.returncode == 0, summary.stderr
    assert json.loads(summary.stdout)["nps"]["n"] == 0

    assert run(env, "loaders", "save-lake-secret", "s3", "--remove").stdout.strip() == "the lake's s3 secret was removed"
