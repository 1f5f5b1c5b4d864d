"""Who may change data: the analyst passphrase, kept as an argon2 hash in the store.

Set with `python -m loaders set-passphrase`; checked by the upload page. Wrong attempts are
counted in the store itself (table app_setting), not in a browser session, so reloading the page,
opening a new tab or restarting the dashboard does not reset them. They are counted per source
(the address a request came from) and for all sources together: after MAX_FAILURES wrong
passphrases in a row from one source, that source's attempts are refused unchecked for
LOCK_SECONDS, doubling with every further wrong one up to MAX_LOCK_SECONDS; only after
MAX_GLOBAL_FAILURES wrong ones in a row from all sources are everyone's attempts refused, so one
viewer cannot lock every analyst out. A right passphrase resets its source's count and the global one.

Parallel attempts: the count is checked and raised in one transaction before the argon2 check,
on one row that every attempt updates, so concurrent attempts conflict in the store and retry
instead of all reading the same count; and at most MAX_PARALLEL_CHECKS argon2 checks run at once
in a process (each takes tens of MiB), the others wait or are told the sign-in is busy.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import threading
import time
from dataclasses import dataclass

import duckdb

from store.db import transaction
from store.errors import FeedbackError, QueryError

PASSPHRASE_SETTING = "analyst_passphrase_hash"
ATTEMPTS_SETTING = "analyst_passphrase_attempts"
MIN_PASSPHRASE_LENGTH = 10
MAX_FAILURES = 5
MAX_GLOBAL_FAILURES = 20
LOCK_SECONDS = 30
MAX_LOCK_SECONDS = 3600
MAX_PARALLEL_CHECKS = 2
CHECK_WAIT_SECONDS = 15.0
# A conflict means another attempt wrote the count first: read it again, a few times.
WRITE_RETRIES = 20
# A source's entry is forgotten a day after its last wrong attempt.
FORGET_SOURCE_SECONDS = 86400
UNKNOWN_SOURCE = "unknown"
_NO_ATTEMPTS = {"global": {"failures": 0, "locked_until": None}, "sources": {}}
# An unlocked upload page locks itself again after this long.
GRANT_HOURS = 8

# made at the first hash or check: the import command loads this module (through the upload page's
# functions) but never signs in, so it need not load argon2 at start-up (issue 24's whole-process floor)
_hasher = None
_checks = threading.BoundedSemaphore(MAX_PARALLEL_CHECKS)


def _password_hasher():
    """The process's argon2 hasher (argon2-cffi's defaults, RFC 9106's second recommended profile)."""
    global _hasher
    if _hasher is None:
        from argon2 import PasswordHasher  # see _hasher
        _hasher = PasswordHasher()
    return _hasher


class AccessError(FeedbackError):
    """The caller may not change data (no analyst role), or the passphrase is unusable."""


@dataclass(frozen=True)
class Attempt:
    """The outcome of one passphrase attempt."""

    accepted: bool
    failures: int                 # wrong attempts in a row from this source, after this one
    locked_seconds: int = 0       # > 0: refused unchecked; try again after this many seconds
    grant: str | None = None      # on success: what the session keeps to prove it (see grant_valid)
    busy: bool = False            # refused unchecked: too many checks at once; try again shortly


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


# app_setting is insert-only: a setting's newest row wins (ties in order of insertion), and an empty
# value is a cleared setting, so that two processes saving one setting at once never conflict.
def _get(con: duckdb.DuckDBPyConnection, name: str) -> str | None:
    row = con.execute("SELECT value FROM app_setting WHERE name = ? ORDER BY updated_at DESC, rowid DESC LIMIT 1",
                      [name]).fetchone()
    return (row[0] or None) if row else None


def _put(con: duckdb.DuckDBPyConnection, name: str, value: str | None, now: dt.datetime) -> None:
    con.execute("INSERT INTO app_setting VALUES (?, ?, ?)", [name, value or "", now])


def _in_transaction(con: duckdb.DuckDBPyConnection, work) -> None:
    with transaction(con, "the analyst passphrase setting could not be saved"):
        work()


def passphrase_hash(con: duckdb.DuckDBPyConnection) -> str | None:
    """The stored argon2 hash, or None when no passphrase is set (uploads open)."""
    return _get(con, PASSPHRASE_SETTING)


def set_passphrase(con: duckdb.DuckDBPyConnection, passphrase: str, now: dt.datetime | None = None) -> None:
    """Store the argon2 hash of a new passphrase; ends every unlocked session and clears the lock."""
    if len(passphrase.strip()) < MIN_PASSPHRASE_LENGTH:
        raise AccessError(f"the passphrase must have at least {MIN_PASSPHRASE_LENGTH} characters")
    hashed = _password_hasher().hash(passphrase)
    now = now or _now()

    def work():
        _put(con, PASSPHRASE_SETTING, hashed, now)
        # the count's row exists before the first attempt, so that attempts only ever update it
        _put(con, ATTEMPTS_SETTING, json.dumps(_NO_ATTEMPTS), now)

    _in_transaction(con, work)


def clear_passphrase(con: duckdb.DuckDBPyConnection) -> None:
    """Remove the passphrase: uploads are open to everyone again (the demo set-up)."""
    now = _now()

    def work():
        _put(con, PASSPHRASE_SETTING, None, now)
        _put(con, ATTEMPTS_SETTING, None, now)

    _in_transaction(con, work)


def lock_seconds(failures: int, limit: int = MAX_FAILURES) -> int:
    """How long attempts are refused after `failures` wrong ones in a row: 0, then 30 s doubling."""
    if failures < limit:
        return 0
    return min(LOCK_SECONDS * 2 ** (failures - limit), MAX_LOCK_SECONDS)


def source_key(address: str | None) -> str:
    """Where attempts come from, as stored: a digest of the address, not the address itself."""
    if not address:
        return UNKNOWN_SOURCE
    return hashlib.sha256(address.encode("utf-8")).hexdigest()[:16]


def _state(con) -> dict:
    raw = _get(con, ATTEMPTS_SETTING)
    data = json.loads(raw) if raw else {}
    if "global" not in data:  # a count written before counts were kept per source
        data = {"global": {"failures": int(data.get("failures", 0)), "locked_until": data.get("locked_until")},
                "sources": {}}
    return data


def _remaining(entry: dict | None, now: dt.datetime) -> int:
    until = (entry or {}).get("locked_until")
    if not until:
        return 0
    left = (dt.datetime.fromisoformat(until) - now).total_seconds()
    return max(int(left + 0.999), 0)


def _count_failure(entry: dict | None, limit: int, now: dt.datetime) -> dict:
    failures = int((entry or {}).get("failures", 0)) + 1
    wait = lock_seconds(failures, limit)
    return {"failures": failures, "last": now.isoformat(),
            "locked_until": (now + dt.timedelta(seconds=wait)).isoformat() if wait else None}


def _write_state(con, state: dict, now: dt.datetime) -> None:
    # An UPDATE of the one row, so that two attempts writing at once conflict in the store (the
    # later one retries) rather than both adding a row.
    value = json.dumps(state, sort_keys=True)
    if con.execute("SELECT count(*) FROM app_setting WHERE name = ?", [ATTEMPTS_SETTING]).fetchone()[0]:
        con.execute("UPDATE app_setting SET value = ?, updated_at = ? WHERE name = ?", [value, now, ATTEMPTS_SETTING])
    else:
        con.execute("INSERT INTO app_setting VALUES (?, ?, ?)", [ATTEMPTS_SETTING, value, now])


def _retrying(con, work, failure: str):
    """`work()` in one transaction, again after a write-write conflict with another attempt."""
    for attempt in range(WRITE_RETRIES - 1):
        try:
            with transaction(con, failure):
                return work()
        except QueryError as e:
            if not isinstance(e.__cause__, duckdb.TransactionException):
                raise
            time.sleep(0.005 * (attempt + 1))
    with transaction(con, failure):
        return work()


def locked_for(con: duckdb.DuckDBPyConnection, now: dt.datetime | None = None,
               source: str = UNKNOWN_SOURCE) -> int:
    """Seconds until the next attempt from `source` is checked (0 when it would be checked now)."""
    now = now or _now()
    state = _state(con)
    return max(_remaining(state["sources"].get(source), now), _remaining(state["global"], now))


def _reserve(con, source: str, now: dt.datetime) -> tuple[int, int, int]:
    """Count the attempt as wrong before it is checked, in one transaction: (failures, 0, the lock
    if it is wrong), or (failures, seconds, seconds) when the source or everyone is locked and it is
    refused unchecked.

    Counted first, a check that runs is already on the count; a right passphrase takes it back
    (_record_success). So N attempts at once make at most as many checks as the count allows.
    """
    def work():
        state = _state(con)
        entry = state["sources"].get(source)
        wait = max(_remaining(entry, now), _remaining(state["global"], now))
        if wait:
            return int((entry or {}).get("failures", 0)), wait, wait
        forget = (now - dt.timedelta(seconds=FORGET_SOURCE_SECONDS)).isoformat()
        state["sources"] = {key: value for key, value in state["sources"].items()
                            if key == source or (value.get("last") or "") >= forget}
        state["sources"][source] = _count_failure(entry, MAX_FAILURES, now)
        state["global"] = _count_failure(state["global"], MAX_GLOBAL_FAILURES, now)
        _write_state(con, state, now)
        return state["sources"][source]["failures"], 0, locked_for(con, now, source)

    return _retrying(con, work, "the sign-in attempt could not be counted")


def _record_success(con, source: str, now: dt.datetime) -> None:
    def work():
        state = _state(con)
        state["sources"].pop(source, None)
        state["global"] = {"failures": 0, "locked_until": None}
        _write_state(con, state, now)

    _retrying(con, work, "the sign-in could not be recorded")


def check_passphrase(con: duckdb.DuckDBPyConnection, attempt: str, now: dt.datetime | None = None,
                     source: str = UNKNOWN_SOURCE) -> Attempt:
    """Verify one attempt from `source` (source_key) with argon2 (constant time), counting and
    rate-limiting failures in the store, at most MAX_PARALLEL_CHECKS checks at a time."""
    stored = passphrase_hash(con)
    if stored is None:
        raise AccessError("no analyst passphrase is set; `python -m loaders set-passphrase` sets one")
    if not _checks.acquire(timeout=CHECK_WAIT_SECONDS):
        return Attempt(False, 0, busy=True)
    # The success is recorded before the slot is given back: an attempt is counted wrong until it
    # is, so with the slot released first, right attempts waiting to record their success (slow on
    # a busy lake) would add up to a lock against the very source that got it right.
    try:
        now = now or _now()
        failures, wait, wait_if_wrong = _reserve(con, source, now)
        if wait:
            return Attempt(False, failures, wait)
        hasher = _password_hasher()
        from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError  # see _hasher
        try:
            accepted = hasher.verify(stored, attempt)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            accepted = False
        if not accepted:
            return Attempt(False, failures, wait_if_wrong)
        if hasher.check_needs_rehash(stored):
            stored = hasher.hash(attempt)
            # insert-only, but on a lake it can meet another sign-in's update of the attempts row in
            # the same table (a conflict DuckLake reports at commit): tried again, as that update is
            _retrying(con, lambda: _put(con, PASSPHRASE_SETTING, stored, now),
                      "the analyst passphrase setting could not be saved")
        _record_success(con, source, now)
    finally:
        _checks.release()
    return Attempt(True, 0, 0, grant_for(stored))


def grant_for(stored_hash: str) -> str:
    """What an unlocked session keeps: a fingerprint of the hash it was unlocked with.

    A new passphrase changes the hash, so every session unlocked with the old one is locked again.
    """
    return hashlib.sha256(stored_hash.encode("utf-8")).hexdigest()


def grant_valid(con: duckdb.DuckDBPyConnection, grant: str | None) -> bool:
    """Whether a session's grant still matches the passphrase in force."""
    stored = passphrase_hash(con)
    if not grant or stored is None:
        return False
    return hmac.compare_digest(grant, grant_for(stored))
