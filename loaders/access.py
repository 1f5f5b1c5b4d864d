"""Who may change data: the analyst passphrase, kept as an argon2 hash in the store.

Set with `python -m loaders set-passphrase`; checked by the upload page. Wrong attempts are
counted in the store itself (table app_setting), not in a browser session, so reloading the page,
opening a new tab or restarting the dashboard does not reset them: after MAX_FAILURES wrong
passphrases in a row, attempts are refused unchecked for LOCK_SECONDS, doubling with every
further wrong one up to MAX_LOCK_SECONDS. A right passphrase resets the count.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from dataclasses import dataclass

import duckdb
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from store.db import transaction
from store.errors import FeedbackError, QueryError

PASSPHRASE_SETTING = "analyst_passphrase_hash"
ATTEMPTS_SETTING = "analyst_passphrase_attempts"
MIN_PASSPHRASE_LENGTH = 10
MAX_FAILURES = 5
LOCK_SECONDS = 30
MAX_LOCK_SECONDS = 3600
# An unlocked upload page locks itself again after this long.
GRANT_HOURS = 8

_hasher = PasswordHasher()


class AccessError(FeedbackError):
    """The caller may not change data (no analyst role), or the passphrase is unusable."""


@dataclass(frozen=True)
class Attempt:
    """The outcome of one passphrase attempt."""

    accepted: bool
    failures: int                 # wrong attempts in a row, after this one
    locked_seconds: int = 0       # > 0: refused unchecked; try again after this many seconds
    grant: str | None = None      # on success: what the session keeps to prove it (see grant_valid)


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
    hashed = _hasher.hash(passphrase)
    now = now or _now()

    def work():
        _put(con, PASSPHRASE_SETTING, hashed, now)
        _put(con, ATTEMPTS_SETTING, None, now)

    _in_transaction(con, work)


def clear_passphrase(con: duckdb.DuckDBPyConnection) -> None:
    """Remove the passphrase: uploads are open to everyone again (the demo set-up)."""
    now = _now()

    def work():
        _put(con, PASSPHRASE_SETTING, None, now)
        _put(con, ATTEMPTS_SETTING, None, now)

    _in_transaction(con, work)


def _attempts(con) -> tuple[int, dt.datetime | None]:
    raw = _get(con, ATTEMPTS_SETTING)
    if not raw:
        return 0, None
    data = json.loads(raw)
    locked = dt.datetime.fromisoformat(data["locked_until"]) if data.get("locked_until") else None
    return int(data.get("failures", 0)), locked


def lock_seconds(failures: int) -> int:
    """How long attempts are refused after `failures` wrong ones in a row: 0, then 30 s doubling."""
    if failures < MAX_FAILURES:
        return 0
    return min(LOCK_SECONDS * 2 ** (failures - MAX_FAILURES), MAX_LOCK_SECONDS)


def locked_for(con: duckdb.DuckDBPyConnection, now: dt.datetime | None = None) -> int:
    """Seconds until the next attempt is checked (0 when it would be checked now)."""
    now = now or _now()
    _, locked_until = _attempts(con)
    if locked_until is None or locked_until <= now:
        return 0
    return int((locked_until - now).total_seconds() + 0.999)


def check_passphrase(con: duckdb.DuckDBPyConnection, attempt: str,
                     now: dt.datetime | None = None) -> Attempt:
    """Verify one attempt with argon2 (constant time), counting and rate-limiting failures."""
    now = now or _now()
    stored = passphrase_hash(con)
    if stored is None:
        raise AccessError("no analyst passphrase is set; `python -m loaders set-passphrase` sets one")
    failures, locked_until = _attempts(con)
    if locked_until is not None and locked_until > now:
        return Attempt(False, failures, int((locked_until - now).total_seconds() + 0.999))
    try:
        accepted = _hasher.verify(stored, attempt)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        accepted = False
    if accepted:
        if _hasher.check_needs_rehash(stored):
            stored = _hasher.hash(attempt)
            _in_transaction(con, lambda: _put(con, PASSPHRASE_SETTING, stored, now))
        if failures:
            _in_transaction(con, lambda: _put(con, ATTEMPTS_SETTING, None, now))
        return Attempt(True, 0, 0, grant_for(stored))
    failures += 1
    wait = lock_seconds(failures)
    state = {"failures": failures,
             "locked_until": (now + dt.timedelta(seconds=wait)).isoformat() if wait else None}
    _in_transaction(con, lambda: _put(con, ATTEMPTS_SETTING, json.dumps(state), now))
    return Attempt(False, failures, wait)


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
