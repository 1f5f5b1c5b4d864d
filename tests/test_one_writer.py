"""One DuckDB file, the dashboard and the command line on one machine: a program that waits for the
file gets it from a dashboard whose readers never pause, and the readers meanwhile see the data as
it was or as it is after, never half of it and never an error but StoreBusy (store/db.py
SharedStore, waiting_programs)."""
from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import PROJECT_ROOT

from loaders.importer import import_file
from store.db import SharedStore, connect, cursor, waiting_programs
from store.errors import StoreBusy

pytestmark = pytest.mark.slow


def nps_csv(path: Path, rows: int, month: int = 10) -> Path:
    lines = ["Customer ID,Date,Score"] + [f"C{month}-{i},2026-{month:02d}-{i % 28 + 1:02d},{i % 11}"
                                          for i in range(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *args], cwd=PROJECT_ROOT, text=True, capture_output=True,
                          timeout=600)


class Readers:
    """Threads that read the store through the dashboard's SharedStore as page runs do, staggered so
    that some run always holds it: the dashboard is never idle."""

    def __init__(self, store: SharedStore, threads: int = 6) -> None:
        self.store = store
        self.stop = threading.Event()
        self.seen: list[int] = []
        self.busy = 0
        self.errors: list[BaseException] = []
        self.threads = [threading.Thread(target=self.read, args=(i,), daemon=True) for i in range(threads)]

    def read(self, offset: int) -> None:
        time.sleep(0.03 * offset)
        while not self.stop.is_set():
            ticket = self.store.hold()
            try:
                cur = cursor(self.store.connection(ticket))
                try:
                    self.seen.append(cur.execute("SELECT count(*) FROM nps_response").fetchone()[0])
                finally:
                    cur.close()
                time.sleep(0.15)   # the rest of the page's run
            except StoreBusy:
                self.busy += 1
                time.sleep(0.15)
            except BaseException as e:  # noqa: BLE001 - every other failure is what this test counts
                self.errors.append(e)
            finally:
                self.store.release(ticket)

    def __enter__(self) -> "Readers":
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=30)

    def wait_for(self, count: int, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while not (self.seen and self.seen[-1] == count) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert self.seen and self.seen[-1] == count, self.seen[-5:]


def test_the_command_line_imports_undoes_and_reads_while_readers_never_pause(tmp_path):
    path = tmp_path / "feedback.duckdb"
    con = connect(path)
    import_file(con, nps_csv(tmp_path / "october.csv", 300))
    con.close()
    store = SharedStore(str(path))
    november = nps_csv(tmp_path / "november.csv", 2_000, month=11)
    with Readers(store) as readers:
        readers.wait_for(300)
        started = time.monotonic()
        imported = cli("loaders", "import", str(november), "--db", str(path))
        assert imported.returncode == 0, imported.stderr
        readers.wait_for(2_300)
        batch = imported.stdout.rsplit("as batch ", 1)[1].strip()
        undone = cli("loaders", "undo", batch[:8], "--db", str(path))
        assert undone.returncode == 0, undone.stderr
        readers.wait_for(300)
        listed = cli("loaders", "history", "--db", str(path))
        assert listed.returncode == 0 and "undone" in listed.stdout
        summary = cli("analytics", "summary", "--db", str(path), "--json")
        assert summary.returncode == 0, summary.stderr
        elapsed = time.monotonic() - started
    assert readers.errors == []
    assert set(readers.seen) == {300, 2_300}              # before or after, never part of a batch
    assert readers.busy > 0                              # the readers did give way
    # each command waited for the readers' runs to end, not for FEEDBACK_LOCK_WAIT (30 s) to pass
    assert elapsed < 4 * 30
    assert waiting_programs(str(path)) == 0


def test_while_another_program_has_the_file_a_query_is_refused_at_once(tmp_path):
    path = tmp_path / "feedback.duckdb"
    connect(path).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from store.db import connect; c = connect(sys.argv[1]);"
         " print('open', flush=True); time.sleep(60)", str(path)],
        cwd=PROJECT_ROOT, text=True, stdout=subprocess.PIPE)
    try:
        assert holder.stdout.readline().strip() == "open"
        store = SharedStore(str(path))
        store.hold()
        started = time.monotonic()
        with pytest.raises(StoreBusy):
            store.connection()
        with pytest.raises(StoreBusy):        # the next run is refused without waiting again
            store.connection()
        assert time.monotonic() - started < 5
        store.release()
    finally:
        holder.kill()
        holder.wait()
    time.sleep(SharedStore.BUSY_SECONDS)
    store.hold()
    assert store.connection().execute("SELECT count(*) FROM import_batch").fetchone() == (0,)
    store.release()


def test_a_sign_left_by_a_killed_program_is_ignored_and_removed(tmp_path):
    path = tmp_path / "feedback.duckdb"
    connect(path).close()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    sign = Path(f"{path}.waiting-{dead.stdout.strip()}")
    sign.touch()
    assert waiting_programs(str(path)) == 0 and not sign.exists()
    store = SharedStore(str(path))
    store.hold()
    assert store.connection().execute("SELECT count(*) FROM import_batch").fetchone() == (0,)
    store.release()
