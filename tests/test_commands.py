"""presentation.commands.run_command: a command's process ends with its own exit code, everything it
wrote, and its atexit functions run, though Python's teardown is skipped; a thread still running is
waited for; and a store written by the command line is left closed."""
from __future__ import annotations

import subprocess
import sys

import duckdb
import pytest
from conftest import PROJECT_ROOT, TEST_DATA

SCRIPT = """
import atexit, sys, threading, time
sys.path.insert(0, {root!r})
from presentation.commands import run_command

def main():
    atexit.register(lambda: open({marker!r}, "w").write("atexit ran"))
    sys.stdout.write("a line without its end")
    sys.stderr.write("and a word on stderr")
    if {thread}:
        def late():
            time.sleep(0.5)
            open({finished!r}, "w").write("thread finished")
        threading.Thread(target=late).start()
    return 3

run_command(main)
print("never printed")
"""


def run_script(tmp_path, thread: bool) -> subprocess.CompletedProcess:
    script = SCRIPT.format(root=str(PROJECT_ROOT), marker=str(tmp_path / "atexit.txt"),
                           finished=str(tmp_path / "thread.txt"), thread=thread)
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)


def test_a_command_ends_with_its_code_its_unflushed_output_and_its_atexit_functions(tmp_path):
    done = run_script(tmp_path, thread=False)
    assert done.returncode == 3
    # neither stream ended its line, so neither was flushed by a newline: run_command flushed them
    assert done.stdout == "a line without its end"
    assert done.stderr == "and a word on stderr"
    assert (tmp_path / "atexit.txt").read_text() == "atexit ran"


def test_a_thread_the_command_left_running_is_waited_for(tmp_path):
    done = run_script(tmp_path, thread=True)
    assert done.returncode == 3
    assert (tmp_path / "thread.txt").read_text() == "thread finished"
    assert (tmp_path / "atexit.txt").read_text() == "atexit ran"


@pytest.mark.slow
def test_a_store_written_by_the_command_line_is_left_closed(tmp_path):
    # the process ends without Python's teardown: the command must have closed its store itself, its
    # write-ahead log checkpointed into the file, as an ordinary exit leaves it
    store = tmp_path / "store.duckdb"
    command = [sys.executable, "-m", "loaders", "import", str(TEST_DATA / "nps_gbk.csv"), "--db", str(store)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=300)
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "store.duckdb.wal").exists()
    with duckdb.connect(str(store), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM nps_response").fetchone()[0] == 5   # the file's five rows
