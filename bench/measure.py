"""Run one benchmark step in its own process and measure it: wall seconds and peak memory.

Two memory figures, both read from the kernel without extra packages:
- peak_rss_mb: the largest resident set of any single process of the step (ru_maxrss from wait4,
  exact, but blind to the sum of a process pool);
- peak_tree_mb: the largest proportional set size (Pss, /proc/<pid>/smaps_rollup) of the step's
  whole process tree, sampled every SAMPLE_SECONDS; Pss shares pages that forked workers have in
  common, so the sum is not counted twice.
"""
from __future__ import annotations

import os
import signal
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

SAMPLE_SECONDS = 0.2


@dataclass(frozen=True)
class Measured:
    seconds: float
    peak_rss_mb: float
    peak_tree_mb: float | None
    returncode: int
    stdout: str
    stderr: str
    # user + system seconds of the process and the children it waited for (wait4's rusage): on a
    # machine others load, the share of the processors a command needs, beside its wall time
    cpu_seconds: float = 0.0


def _children_by_parent() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        # the command name may hold spaces and parentheses: the fields start after the last ')'
        fields = stat[stat.rfind(b")") + 2:].split()
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    return children


def process_tree(pid: int) -> list[int]:
    """pid and every process descending from it."""
    children = _children_by_parent()
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo.extend(children.get(current, ()))
    return tree


def pss_mb(pids: list[int]) -> float:
    """Summed proportional set size of `pids`, in MiB (processes that ended count 0)."""
    total_kb = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup", "rb") as handle:
                for line in handle:
                    if line.startswith(b"Pss:"):
                        total_kb += int(line.split()[1])
                        break
        except OSError:
            continue
    return total_kb / 1024


def tree_pss_mb(pid: int) -> float:
    return pss_mb(process_tree(pid))


class _Sampler(threading.Thread):
    def __init__(self, pid: int, deadline: float | None) -> None:
        super().__init__(daemon=True)
        self.pid, self.deadline = pid, deadline
        self.peak: float | None = None
        self.timed_out = False
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(SAMPLE_SECONDS):
            try:
                value = tree_pss_mb(self.pid)
            except OSError:
                value = None
            if value:
                self.peak = max(self.peak or 0.0, value)
            if self.deadline is not None and time.monotonic() > self.deadline:
                self.timed_out = True
                try:
                    os.killpg(self.pid, signal.SIGKILL)
                except OSError:
                    pass
                return


def run(command: list[str], *, cwd: Path, env: dict | None = None, timeout: float | None = None) -> Measured:
    """Run `command` to its end; its output is kept in files, so no pipe can fill and block it."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=err,
                                   start_new_session=True)
        sampler = _Sampler(process.pid, None if timeout is None else time.monotonic() + timeout)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        sampler.done.set()
        sampler.join()
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    if sampler.timed_out:
        stderr += f"\n(killed after {timeout:.0f} s)"
    # ru_maxrss is in KiB on Linux
    return Measured(seconds, usage.ru_maxrss / 1024, sampler.peak, process.returncode, stdout, stderr,
                    usage.ru_utime + usage.ru_stime)
