"""The analyst passphrase: argon2 hash in the store, constant-time check, server-side rate limit."""
from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest
from conftest import PROJECT_ROOT

from loaders.access import (
    MAX_FAILURES, AccessError, check_passphrase, clear_passphrase, grant_valid, lock_seconds, locked_for,
    passphrase_hash, set_passphrase
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


def test_right_passphrase_is_accepted_and_grants_until_it_changes(con):
    set_passphrase(con, RIGHT, now=T0)
    attempt = check_passphrase(con, RIGHT, now=at(1))
    assert (attempt.accepted, attempt.failures, attempt.locked_seconds) == (True, 0, 0)
    assert grant_valid(con, attempt.grant)
    set_passphrase(con, "a brand new passphrase", now=at(2))
    assert not grant_valid(con, attempt.grant)
    assert not grant_valid(con, None)


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


def test_cli_refuses_a_short_passphrase(db_path):
    done = run_cli("set-passphrase", "--db", str(db_path), stdin="short\n")
    assert done.returncode == 1
    assert done.stderr == "error: the passphrase must have at least 10 characters\n"
