"""The analyst passphrase: argon2 hash in the store, constant-time check, server-side rate limit."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from argon2 import PasswordHasher
from conftest import PROJECT_ROOT

from loaders import access
from loaders.access import (
    MAX_FAILURES, MAX_GLOBAL_FAILURES, MAX_PARALLEL_CHECKS, AccessError, Attempt, check_passphrase,
    clear_passphrase, grant_valid, lock_seconds, locked_for, passphrase_hash, set_passphrase, source_key
)
from store.db import connect

RIGHT = "correct horse battery"
T0 = dt.datetime(2026, 11, 2, 9, 0, 0)


def at(seconds: float) -> dt.datetime:
    return T0 + dt.timedelta(seconds=seconds)


def test_the_hash_is_argon2_and_never_the_passphrase(con):
    set_passphrase(con, RIGHT, now=T0)
    stored = passphrase_hash(con)
    assert stored.startswith("$argon2id$")
    assert RIGHT not in stored
    assert con.execute("SELECT count(*) FROM app_setting WHERE value LIKE ?", [f"%{RIGHT}%"]).fetchone()[0] == 0


def test_a_short_passphrase_is_refused(con):
    with pytest.raises(AccessError, match="at least 10 characters"):
        set_passphrase(con, "short")
    assert passphrase_hash(con) is None


@pytest.mark.slow
def test_right_passphrase_is_accepted_and_grants_until_it_changes(con):
    set_passphrase(con, RIGHT, now=T0)
    attempt = check_passphrase(con, RIGHT, now=at(1))
    assert (attempt.accepted, attempt.failures, attempt.locked_seconds) == (True, 0, 0)
    assert grant_valid(con, attempt.grant)
    set_passphrase(con, "a brand new passphrase", now=at(2))
    assert not grant_valid(con, attempt.grant)
    assert not grant_valid(con, None)


@pytest.mark.slow
def test_wrong_passphrase_is_refused_and_counted(con):
    set_passphrase(con, RIGHT, now=T0)
    attempt = check_passphrase(con, "correct horse battery ", now=at(1))
    assert (attempt.accepted, attempt.failures, attempt.locked_seconds, attempt.grant) == (False, 1, 0, None)


@pytest.mark.parametrize("failures, seconds", [
    (1, 0), (4, 0),
    (5, 30),            # MAX_FAILURES wrong in a row: locked 30 s
    (6, 60), (7, 120),  # doubling with each further wrong one
    (12, 3600), (40, 3600),  # 30 * 2**7 = 3840 > the one-hour cap
])
def test_lock_grows_with_failures(failures, seconds):
    assert lock_seconds(failures) == seconds


@pytest.mark.slow
def test_five_failures_lock_even_the_right_passphrase_until_the_delay_passes(con):
    set_passphrase(con, RIGHT, now=T0)
    for i in range(MAX_FAILURES):
        attempt = check_passphrase(con, f"guess {i}", now=at(i))
    assert (attempt.failures, attempt.locked_seconds) == (5, 30)
    # locked at t=4 until t=34: the right passphrase is refused unchecked
    refused = check_passphrase(con, RIGHT, now=at(20))
    assert (refused.accepted, refused.locked_seconds) == (False, 14)
    assert locked_for(con, now=at(20)) == 14
    # after the delay, one more wrong one locks for 60 s
    again = check_passphrase(con, "guess 5", now=at(35))
    assert (again.accepted, again.failures, again.locked_seconds) == (False, 6, 60)
    # after that delay the right one gets through and resets the count
    ok = check_passphrase(con, RIGHT, now=at(96))
    assert (ok.accepted, ok.failures) == (True, 0)
    assert check_passphrase(con, "wrong again", now=at(97)).failures == 1


@pytest.mark.slow
def test_the_limit_lives_in_the_store_not_in_a_session(db_path):
    first = connect(db_path)
    set_passphrase(first, RIGHT, now=T0)
    for i in range(MAX_FAILURES):
        check_passphrase(first, "nope nope nope", now=at(i))
    first.close()
    second = connect(db_path)          # a restart, another tab, another replica
    try:
        assert check_passphrase(second, RIGHT, now=at(10)).locked_seconds == 24
    finally:
        second.close()


@pytest.mark.slow
def test_setting_a_new_passphrase_clears_the_lock(con):
    set_passphrase(con, RIGHT, now=T0)
    for i in range(MAX_FAILURES):
        check_passphrase(con, "nope nope nope", now=at(i))
    set_passphrase(con, "another good passphrase", now=at(5))
    assert check_passphrase(con, "another good passphrase", now=at(6)).accepted


def test_clear_opens_uploads_again(con):
    set_passphrase(con, RIGHT)
    clear_passphrase(con)
    assert passphrase_hash(con) is None
    with pytest.raises(AccessError, match="no analyst passphrase is set"):
        check_passphrase(con, RIGHT)


def run_cli(*args, stdin: str = ""):
    return subprocess.run([sys.executable, "-m", "loaders", *args], input=stdin, capture_output=True,
                          text=True, cwd=PROJECT_ROOT)


@pytest.mark.slow
def test_cli_set_passphrase_reads_stdin_and_clear_removes_it(db_path):
    done = run_cli("set-passphrase", "--db", str(db_path), stdin=RIGHT + "\n")
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"analyst passphrase set in {db_path}; the upload page asks for it from now on\n"
    con = connect(db_path)
    try:
        assert check_passphrase(con, RIGHT).accepted
    finally:
        con.close()
    cleared = run_cli("set-passphrase", "--clear", "--db", str(db_path))
    assert cleared.returncode == 0
    assert cleared.stdout == f"analyst passphrase removed from {db_path}: uploads are open to everyone\n"


@pytest.mark.slow
def test_cli_refuses_a_short_passphrase(db_path):
    done = run_cli("set-passphrase", "--db", str(db_path), stdin="short\n")
    assert done.returncode == 1
    assert done.stderr == "error: the passphrase must have at least 10 characters\n"


# --- attempts at the same moment -------------------------------------------------------------------
# Each thread takes its own cursor, as each Streamlit session does; the hasher is wrapped to count
# the argon2 checks that really ran and how many ran at once.

class CountingHasher:
    def __init__(self, real, pause: float = 0.0):
        self.real, self.pause = real, pause
        self.checks = self.running = self.most_at_once = 0
        self.lock = threading.Lock()

    def verify(self, stored, attempt):
        with self.lock:
            self.checks += 1
            self.running += 1
            self.most_at_once = max(self.most_at_once, self.running)
        try:
            time.sleep(self.pause)
            return self.real.verify(stored, attempt)
        finally:
            with self.lock:
                self.running -= 1

    def __getattr__(self, name):
        return getattr(self.real, name)


# a cheap argon2 for these tests: what they count is checks, not their cost
CHEAP_ARGON2 = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture
def counting(monkeypatch):
    hasher = CountingHasher(CHEAP_ARGON2, pause=0.05)
    monkeypatch.setattr(access, "_hasher", hasher)
    # What these tests count is checks and locks: every attempt waits its turn, however slowly a
    # loaded machine writes the lake's counts. A wait longer than CHECK_WAIT_SECONDS answers "busy",
    # which test_checks_beyond_the_parallel_limit_wait_then_are_told_the_sign_in_is_busy checks.
    monkeypatch.setattr(access, "CHECK_WAIT_SECONDS", 600.0)
    return hasher


def in_parallel(con, attempts: list[tuple[str, str]]) -> list[Attempt]:
    """Every (passphrase, source) at once, each on its own thread and cursor, released together."""
    start = threading.Barrier(len(attempts))

    def one(item):
        passphrase, source = item
        cur = con.cursor()
        try:
            start.wait()
            return check_passphrase(cur, passphrase, now=at(100), source=source)
        finally:
            cur.close()

    with ThreadPoolExecutor(max_workers=len(attempts)) as pool:
        return list(pool.map(one, attempts))


def test_parallel_wrong_attempts_from_one_source_make_only_the_allowed_checks(con, counting):
    set_passphrase(con, RIGHT, now=T0)
    results = in_parallel(con, [(f"guess number {i}", "viewer") for i in range(16)])
    # counted before checking, in one transaction: 5 checks, the other 11 refused unchecked
    assert counting.checks == MAX_FAILURES
    assert sum(not r.locked_seconds for r in results) == MAX_FAILURES - 1   # 1st..4th: not yet locked
    assert sorted(r.failures for r in results if not r.accepted)[-1] == MAX_FAILURES
    assert not any(r.accepted for r in results)
    assert locked_for(con, now=at(100), source="viewer") == 30
    assert counting.most_at_once <= MAX_PARALLEL_CHECKS


def test_parallel_right_attempts_are_checked_a_few_at_a_time_and_never_crash(con, counting):
    set_passphrase(con, RIGHT, now=T0)
    results = in_parallel(con, [(RIGHT, "analyst") for _ in range(24)])
    assert counting.most_at_once <= MAX_PARALLEL_CHECKS
    # each check that ran was counted first and taken back when right: no lock, every one accepted
    assert counting.checks == 24 and all(r.accepted for r in results)
    assert locked_for(con, now=at(100), source="analyst") == 0


def test_right_attempts_slow_to_record_their_success_never_lock_their_source(con, counting, monkeypatch):
    # On a busy lake the success can take a while to write. Every attempt is counted wrong until its
    # success is written, so if the next attempts were let in before that, MAX_FAILURES of them
    # would lock the source that got it right every time.
    record_success = access._record_success

    def slowly(*args):
        time.sleep(0.2)
        record_success(*args)

    monkeypatch.setattr(access, "_record_success", slowly)
    set_passphrase(con, RIGHT, now=T0)
    results = in_parallel(con, [(RIGHT, "analyst") for _ in range(3 * MAX_FAILURES)])
    assert [r.locked_seconds for r in results] == [0] * (3 * MAX_FAILURES)
    assert counting.checks == 3 * MAX_FAILURES and all(r.accepted for r in results)


@pytest.mark.slow
def test_one_viewer_cannot_lock_the_analysts_out(con):
    set_passphrase(con, RIGHT, now=T0)
    for i in range(12):
        check_passphrase(con, f"guess number {i}", now=at(i), source=source_key("10.0.0.66"))
    assert locked_for(con, now=at(12), source=source_key("10.0.0.66")) > 0
    assert locked_for(con, now=at(12), source=source_key("10.0.0.7")) == 0
    assert check_passphrase(con, RIGHT, now=at(12), source=source_key("10.0.0.7")).accepted
    # the viewer stays locked after the analyst's success
    assert check_passphrase(con, RIGHT, now=at(13), source=source_key("10.0.0.66")).locked_seconds > 0


def test_many_sources_together_lock_everyone_after_the_global_limit(con, counting):
    set_passphrase(con, RIGHT, now=T0)
    results = in_parallel(con, [(f"guess number {i}", f"source {i}") for i in range(MAX_GLOBAL_FAILURES + 10)])
    assert counting.checks == MAX_GLOBAL_FAILURES
    assert sum(bool(r.locked_seconds) for r in results) == 10 + 1  # 10 refused; the 20th locked everyone
    assert locked_for(con, now=at(100), source="a new source") == 30
    refused = check_passphrase(con, RIGHT, now=at(101), source="a new source")
    assert (refused.accepted, refused.locked_seconds) == (False, 29)
    assert check_passphrase(con, RIGHT, now=at(131), source="a new source").accepted


@pytest.mark.slow
def test_checks_beyond_the_parallel_limit_wait_then_are_told_the_sign_in_is_busy(con, monkeypatch):
    set_passphrase(con, RIGHT, now=T0)
    slow = CountingHasher(CHEAP_ARGON2, pause=0.6)
    monkeypatch.setattr(access, "_hasher", slow)
    monkeypatch.setattr(access, "CHECK_WAIT_SECONDS", 0.2)
    results = in_parallel(con, [(RIGHT, f"source {i}") for i in range(MAX_PARALLEL_CHECKS + 3)])
    assert slow.checks == MAX_PARALLEL_CHECKS
    assert sum(r.busy for r in results) == 3
    assert sum(r.accepted for r in results) == MAX_PARALLEL_CHECKS


def test_the_address_is_stored_as_a_digest():
    assert source_key("192.0.2.10") == hashlib.sha256(b"192.0.2.10").hexdigest()[:16]
    assert source_key(None) == source_key("") == "unknown"


def test_a_count_kept_before_sources_still_locks(con):
    set_passphrase(con, RIGHT, now=T0)
    old = json.dumps({"failures": 5, "locked_until": at(30).isoformat()})
    con.execute("UPDATE app_setting SET value = ? WHERE name = ?", [old, access.ATTEMPTS_SETTING])
    assert check_passphrase(con, RIGHT, now=at(10), source="anyone").locked_seconds == 20
