"""Several processes on one store, as replicas of the dashboard and the command line share it: each
sees the others' imports on its next query, two imports at once both land whole or one is refused
(never half, never twice), an undo in one is seen in the others."""
from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from conftest import PROJECT_ROOT

from store.db import connect

pytestmark = pytest.mark.slow

# A replica: opens the store once, as the dashboard does, then answers one command a line, each on
# a cursor of its own as a page's query is.
REPLICA = textwrap.dedent("""
    import sys
    from loaders.importer import import_file, undo
    from store.db import connect, cursor
    con = connect(sys.argv[1])
    print("ready", flush=True)
    for line in sys.stdin:
        command, _, argument = line.strip().partition(" ")
        cur = cursor(con)
        if command == "count":
            print(cur.execute("SELECT count(*) FROM nps_response").fetchone()[0], flush=True)
        elif command == "import":
            print(import_file(cur, argument).batch_id, flush=True)
        elif command == "undo":
            print(undo(cur, argument)[0], flush=True)
        cur.close()
""")

# An importer that waits for a start signal (a file appearing), so that two start together.
IMPORTER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from loaders.__main__ import main
    while not Path(sys.argv[3]).exists():
        time.sleep(0.01)
    sys.exit(main(["import", sys.argv[2], "--db", sys.argv[1]]))
""")


# A replica starting: opens the store (making it, if it is new) and reads it.
OPENER = textwrap.dedent("""
    import sys
    from store.db import SharedStore, cursor
    print(cursor(SharedStore(sys.argv[1]).connection()).execute("SELECT count(*) FROM import_batch").fetchone()[0])
""")


def nps_csv(path: Path, rows: int, first_day: int = 1) -> Path:
    lines = ["Customer ID,Date,Score"] + [f"C{i},2026-10-{(i + first_day) % 28 + 1:02d},{i % 11}"
                                          for i in range(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


class Replica:
    def __init__(self, url: str) -> None:
        self.process = subprocess.Popen([sys.executable, "-c", REPLICA, url], cwd=PROJECT_ROOT, text=True,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert self.process.stdout.readline().strip() == "ready", self.process.stderr.read()

    def ask(self, line: str) -> str:
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline().strip()
        assert answer, self.process.stderr.read()
        return answer

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=60)


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "loaders", *args], cwd=PROJECT_ROOT, text=True,
                          capture_output=True, timeout=600)


@pytest.fixture
def lake_url(postgres_cluster, tmp_path, monkeypatch) -> str:
    monkeypatch.setenv("FEEDBACK_LAKE_DATA", str(tmp_path / "lake-data"))
    url = postgres_cluster.lake_url()
    connect(url).close()
    return url


def test_replicas_and_the_command_line_see_each_others_imports_and_undos(lake_url, tmp_path):
    first, second = Replica(lake_url), Replica(lake_url)
    try:
        assert (first.ask("count"), second.ask("count")) == ("0", "0")
        imported = cli("import", str(nps_csv(tmp_path / "october.csv", 5)), "--db", lake_url)
        assert imported.returncode == 0, imported.stderr
        assert (first.ask("count"), second.ask("count")) == ("5", "5")
        batch = first.ask(f"import {nps_csv(tmp_path / 'november.csv', 7, first_day=3)}")
        assert second.ask("count") == "12"
        assert second.ask(f"undo {batch}") == batch
        assert first.ask("count") == "5"
        again = cli("undo", batch[:8], "--db", lake_url)
        assert again.returncode == 1 and "was already undone" in again.stderr
    finally:
        first.close()
        second.close()


def whole_batches(url: str) -> list[tuple]:
    """Each batch's recorded rows beside the rows it has: equal when it landed whole."""
    con = connect(url, read_only=True)
    try:
        return con.execute(
            "SELECT b.source_file, b.rows_accepted, (SELECT count(*) FROM nps_response r WHERE r.batch_id = b.id)"
            " FROM import_batch b ORDER BY b.source_file").fetchall()
    finally:
        con.close()


def start_together(url: str, files: list[Path], signal: Path) -> list[subprocess.CompletedProcess]:
    processes = [subprocess.Popen([sys.executable, "-c", IMPORTER, url, str(path), str(signal)], cwd=PROJECT_ROOT,
                                  text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for path in files]
    time.sleep(3)  # both started and waiting
    signal.write_text("go")
    results = []
    for process in processes:
        out, err = process.communicate(timeout=600)
        results.append(subprocess.CompletedProcess(process.args, process.returncode, out, err))
    return results


REFUSED = ("another import or undo is running", "already imported", "is open in another program")


def test_two_imports_at_once_both_land_whole_or_one_is_refused(store_url, tmp_path):
    connect(store_url).close()
    files = [nps_csv(tmp_path / "east.csv", 20_000), nps_csv(tmp_path / "west.csv", 30_000, first_day=5)]
    results = start_together(store_url, files, tmp_path / "go")
    landed = [r for r in results if r.returncode == 0]
    for refused in (r for r in results if r.returncode != 0):
        assert any(reason in refused.stderr for reason in REFUSED), refused.stderr
    assert landed
    batches = whole_batches(store_url)
    assert len(batches) == len(landed)
    assert all(recorded == stored for _, recorded, stored in batches)


def test_one_file_imported_twice_at_once_lands_once(store_url, tmp_path):
    connect(store_url).close()
    path = nps_csv(tmp_path / "october.csv", 20_000)
    results = start_together(store_url, [path, path], tmp_path / "go")
    assert sorted(r.returncode for r in results) == [0, 1], [r.stderr for r in results]
    refused = next(r for r in results if r.returncode == 1)
    assert any(reason in refused.stderr for reason in REFUSED[:2]), refused.stderr
    assert whole_batches(store_url) == [("october.csv", 20_000, 20_000)]


def test_replicas_started_together_on_a_new_lake_make_it_once(postgres_cluster, tmp_path, monkeypatch):
    monkeypatch.setenv("FEEDBACK_LAKE_DATA", str(tmp_path / "lake-data"))
    url = postgres_cluster.lake_url()
    # each opens the store as a replica does (a read-only command never makes one)
    processes = [subprocess.Popen([sys.executable, "-c", OPENER, url], cwd=PROJECT_ROOT,
                                  text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(3)]
    outputs = [process.communicate(timeout=600) for process in processes]
    assert [process.returncode for process in processes] == [0, 0, 0], outputs
    assert [out for out, _ in outputs] == ["0\n"] * 3
    con = connect(url, read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM store_version").fetchone() == (1,)
        assert con.execute("SELECT count(*) FROM store_claim").fetchone() == (1,)
    finally:
        con.close()
