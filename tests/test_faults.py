"""SIGKILL at any moment of an import or an undo: the store opens afterwards and holds all or none of
that batch, every table's content as before or as after a clean run. Two imports at once land once
when their rows are the same.

The import and the undo run in a process of their own whose store connection prints each statement
before it runs it and waits for the test's word to run it, so the test kills it at chosen points,
wherever a loaded machine's scheduler puts the two processes: before the transaction, at its BEGIN,
at the first insert or delete, in the middle of the rows, at the fingerprints, at COMMIT, just after.
"""
from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from conftest import PROJECT_ROOT

from loaders.importer import import_file, undo
from store.copy import store_tables
from store.db import connect

pytestmark = pytest.mark.slow

# The command's connection, telling each statement it runs (its first words) on stdout and running
# it when a line comes on stdin.
DRIVER = textwrap.dedent("""
    import sys
    from loaders.importer import import_file, undo
    from store.db import connect

    class Telling:
        def __init__(self, con):
            self.con = con
        def execute(self, sql, *args, **kwargs):
            print(" ".join(str(sql).split()[:4]), flush=True)
            sys.stdin.readline()
            return self.con.execute(sql, *args, **kwargs)
        def __getattr__(self, name):
            return getattr(self.con, name)

    con = Telling(connect(sys.argv[1]))
    print("opened", flush=True)
    if sys.argv[2] == "import":
        print("done", import_file(con, sys.argv[3]).batch_id, flush=True)
    else:
        print("done", undo(con, sys.argv[3])[0], flush=True)
""")

# Columns whose values differ between two clean runs of the same command.
VOLATILE = {"id", "batch_id", "imported_at", "undone_at", "saved_at", "claimed_at", "claimed_by",
            "upgraded_at", "trained_at", "rescored_at", "found_at"}


def nps_csv(path: Path, rows: int, month: int) -> Path:
    lines = ["Customer ID,Date,Branch,Score"] + [
        f"C{month}-{i},2026-{month:02d}-{i % 28 + 1:02d},B{i % 7},{i % 11}" for i in range(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def contents(url: str) -> dict[str, tuple]:
    """Every table as (rows, an order-free hash of them), each row's batch named by its file."""
    con = connect(url)
    try:
        found = {}
        # the counts the learning step keeps after an import's commit (store/learning_counts.py) are
        # no part of its batch: a later import counts again where they are missing
        for table in (t for t in store_tables(con) if t != "learning_count"):
            columns = [r[0] for r in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ?"
                " AND table_catalog = current_database() AND table_schema = current_schema() ORDER BY ordinal_position",
                [table]).fetchall()]
            kept = [f't."{c}"' for c in columns if c not in VOLATILE]
            source = f'"{table}" t'
            if "batch_id" in columns:
                source += " LEFT JOIN import_batch b ON b.id = t.batch_id"
                kept.append("b.source_file")
            found[table] = con.execute(
                f"SELECT count(*), coalesce(sum(hash(row({', '.join(kept)}))::HUGEINT), 0) FROM {source}").fetchone()
        return found
    finally:
        con.close()


def whole_or_none(url: str, source_file: str, rows: int) -> str:
    """'none' or 'whole' for the batch of `source_file`; anything else fails."""
    con = connect(url)
    try:
        batch = con.execute("SELECT id, rows_accepted FROM import_batch WHERE source_file = ? AND status = 'imported'",
                            [source_file]).fetchall()
        held = con.execute("SELECT count(*) FROM nps_response r JOIN import_batch b ON b.id = r.batch_id"
                           " WHERE b.source_file = ?", [source_file]).fetchone()[0]
        tallied = con.execute("SELECT coalesce(sum(promoters + passives + detractors), 0) FROM nps_tally t"
                              " JOIN import_batch b ON b.id = t.batch_id WHERE b.source_file = ?",
                              [source_file]).fetchone()[0]
        printed = con.execute("SELECT count(*) FROM row_fingerprint r JOIN import_batch b ON b.id = r.batch_id"
                              " WHERE b.source_file = ?", [source_file]).fetchone()[0]
    finally:
        con.close()
    if not batch and held == tallied == printed == 0:
        return "none"
    assert len(batch) == 1 and batch[0][1] == held == tallied == printed == rows, (batch, held, tallied, printed)
    return "whole"


def run_until(url: str, command: str, argument: str, point: str, delay: float) -> list[str]:
    """Run the driver, letting each statement run, up to the first line starting with `point`: SIGKILL
    it there before that statement runs (`delay` 0), or `delay` seconds after letting it start. The
    lines it printed."""
    process = subprocess.Popen([sys.executable, "-c", DRIVER, url, command, argument], cwd=PROJECT_ROOT,
                               text=True, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    said = []
    for line in process.stdout:
        said.append(line.strip())
        if line.startswith(point):
            if delay:
                process.stdin.write("go\n")
                process.stdin.flush()
                time.sleep(delay)
            process.send_signal(signal.SIGKILL)
            break
        process.stdin.write("go\n")
        process.stdin.flush()
    process.wait(timeout=600)
    process.stdin.close()
    process.stdout.close()
    process.stderr.close()
    assert any(line.startswith(point) for line in said), said
    return said


ROWS = 60_000

# (the statement it was about to run or running, seconds after) for the import
IMPORT_POINTS = [
    ("opened", 0.0),                                    # before anything was read
    ("CREATE OR REPLACE TEMP", 0.0),                    # validating, before the transaction
    ("BEGIN TRANSACTION", 0.0),                         # at the transaction's start
    ("INSERT INTO import_batch", 0.0),                  # the batch row going in
    ("INSERT INTO nps_response", 0.05),                 # in the middle of the rows
    ("INSERT INTO nps_tally", 0.0),                     # the rows in, their sums going in
    ("INSERT INTO row_fingerprint", 0.0),               # the fingerprints going in
    ("COMMIT", 0.0),                                    # at commit
    ("done", 0.0),                                      # after commit
]
UNDO_POINTS = [
    ("opened", 0.0),
    ("BEGIN TRANSACTION", 0.0),
    ("DELETE FROM nps_response", 0.02),
    ("DELETE FROM row_fingerprint", 0.0),
    ("UPDATE import_batch SET", 0.0),
    ("COMMIT", 0.0),
    ("done", 0.0),
]


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    """A store with October's batch (before), the same after November's import (imported), and the
    contents of before, after a clean import, and after a clean undo of it."""
    folder = tmp_path_factory.mktemp("faults")
    before = folder / "before.duckdb"
    con = connect(before)
    import_file(con, nps_csv(folder / "october.csv", 500, 10))
    con.close()
    november = nps_csv(folder / "november.csv", ROWS, 11)
    imported = folder / "imported.duckdb"
    shutil.copyfile(before, imported)
    con = connect(imported)
    batch = import_file(con, november).batch_id
    con.close()
    undone = folder / "undone.duckdb"
    shutil.copyfile(imported, undone)
    con = connect(undone)
    undo(con, batch)
    con.close()
    return {"folder": folder, "before": before, "imported": imported, "batch": batch, "november": november,
            "contents": {name: contents(str(path)) for name, path in
                         (("before", before), ("imported", imported), ("undone", undone))}}


def copy_of(stores, name: str, tmp_path: Path) -> str:
    path = tmp_path / "store.duckdb"
    shutil.copyfile(stores[name], path)
    return str(path)


def points(found: list[tuple[str, float]], everyday: str) -> list:
    """Every point runs in CI; a local `make test` kills at the middle of the rows only (each point
    costs a process start and a store of 60,000 rows)."""
    return [pytest.param(point, delay, id=point, marks=() if point == everyday else pytest.mark.ci)
            for point, delay in found]


@pytest.mark.parametrize("point, delay", points(IMPORT_POINTS, "INSERT INTO nps_response"))
def test_an_import_killed_at_any_point_leaves_all_or_none_of_its_batch(stores, tmp_path, point, delay):
    url = copy_of(stores, "before", tmp_path)
    said = run_until(url, "import", str(stores["november"]), point, delay)
    state = whole_or_none(url, "november.csv", ROWS)
    expected = {"none": stores["contents"]["before"], "whole": stores["contents"]["imported"]}[state]
    assert contents(url) == expected
    if point in ("opened", "CREATE OR REPLACE TEMP", "BEGIN TRANSACTION"):
        assert state == "none", said
    if point == "done":
        assert state == "whole"
    # and the store takes the import again, once
    again = subprocess.run([sys.executable, "-m", "loaders", "import", str(stores["november"]), "--db", url],
                           cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=600)
    assert (again.returncode == 0) == (state == "none"), again.stderr
    assert whole_or_none(url, "november.csv", ROWS) == "whole"


@pytest.mark.parametrize("point, delay", points(UNDO_POINTS, "DELETE FROM nps_response"))
def test_an_undo_killed_at_any_point_removes_all_or_none_of_its_batch(stores, tmp_path, point, delay):
    url = copy_of(stores, "imported", tmp_path)
    run_until(url, "undo", stores["batch"], point, delay)
    state = whole_or_none(url, "november.csv", ROWS)
    expected = {"whole": stores["contents"]["imported"], "none": stores["contents"]["undone"]}[state]
    assert contents(url) == expected
    if point in ("opened", "BEGIN TRANSACTION"):
        assert state == "whole"
    if point == "done":
        assert state == "none"


# An importer that waits for a start signal (a file appearing), so that several start together.
TOGETHER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from loaders.__main__ import main
    while not Path(sys.argv[3]).exists():
        time.sleep(0.01)
    sys.exit(main(["import", sys.argv[2], "--db", sys.argv[1]]))
""")


def test_the_same_rows_in_two_files_imported_at_once_land_once(store_url, tmp_path):
    connect(store_url).close()
    first = nps_csv(tmp_path / "export-a.csv", 20_000, 10)
    # the same rows with new bytes: another name, the columns in another order
    lines = first.read_text(encoding="utf-8").splitlines()
    second = tmp_path / "export-b.csv"
    second.write_text("\n".join(",".join(reversed(line.split(","))) for line in lines) + "\n", encoding="utf-8")
    go = tmp_path / "go"
    processes = [subprocess.Popen([sys.executable, "-c", TOGETHER, store_url, str(path), str(go)], cwd=PROJECT_ROOT,
                                  text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for path in (first, second)]
    time.sleep(3)
    go.write_text("go")
    results = [p.communicate(timeout=600) + (p.returncode,) for p in processes]
    codes = sorted(code for _, _, code in results)
    refused = next(err for _, err, code in results if code != 0)
    assert codes in ([0, 1], [0, 3]), results
    assert ("20,000 of 20,000 rows are already in the store" in refused or "all 20,000 rows are already" in refused
            or "another import or undo is running" in refused), refused
    con = connect(store_url)
    try:
        assert con.execute("SELECT count(*), count(DISTINCT customer_id) FROM nps_response").fetchone() == \
            (20_000, 20_000)
        assert con.execute("SELECT count(*) FROM import_batch").fetchone() == (1,)
    finally:
        con.close()

