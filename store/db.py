"""The one way to open the store, its layout's upgrades, one writer at a time, and identifier quoting.

A DuckDB file by default (data/feedback.duckdb, or env FEEDBACK_DB). A `ducklake:` URL opens a
DuckLake instead, its catalog a DuckDB file or a PostgreSQL database (ducklake:postgres:dbname=…),
with the extensions loaded from their PyPI packages, since nothing may be downloaded at run time.
Nothing else in the code base knows which store it talks to.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import os
import re
import tempfile
import threading
import time
from pathlib import Path

import duckdb
import duckdb_extension_ducklake
import duckdb_extension_httpfs
import duckdb_extension_postgres_scanner
import pandas as pd

from store.errors import QueryError, StoreBusy
from store.rules import DEFAULT_RULES
from store.sums import COMPLAINT_MEASURES, NPS_MEASURES, SENTIMENT_MEASURES, month_key_sql, tally_sql
from text.sentiment import BASELINE_VERSION, NON_ANSWER_MOST, NON_ANSWERS, SIGNS_ONLY, polarity
from text.steps import handling_step
from text.tokens import complaint_token_sets

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = PROJECT_ROOT / "data" / "feedback.duckdb"
SCHEMA_SQL = (Path(__file__).with_name("schema.sql")).read_text(encoding="utf-8")
DUCKLAKE_PREFIX = "ducklake:"
POSTGRES_PREFIX = "postgres:"


# DuckDB takes up to 80% of the machine's memory by default; with a limit it spills to its temporary
# files instead. The dashboard's queries use far less; an import gets less still (import_memory).
# Env FEEDBACK_DUCKDB_MEMORY sets another limit ("4GB").
DEFAULT_MEMORY_LIMIT = "1GB"
_MEMORY = re.compile(r"^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$", re.IGNORECASE)


def memory_limit() -> str:
    return _size_setting("FEEDBACK_DUCKDB_MEMORY", DEFAULT_MEMORY_LIMIT)


# An import holds the file's cells in Python (loaders/read.py) beside DuckDB's staged and written
# rows, and issue 20's floor (1.5 GB for the whole import of any file under the upload limit) is for
# both, with Python, its libraries and the sentiment workers: DuckDB and the cells held together get
# this much during an import (env FEEDBACK_IMPORT_MEMORY), DuckDB never less than IMPORT_MEMORY_LEAST
# nor more than the store's own limit, and spills to its temporary files beyond it.
DEFAULT_IMPORT_MEMORY = "800MB"
IMPORT_MEMORY_LEAST = 256 * 2 ** 20


def import_memory_budget() -> str:
    return _size_setting("FEEDBACK_IMPORT_MEMORY", DEFAULT_IMPORT_MEMORY)


def _size_setting(variable: str, default: str) -> str:
    value = os.environ.get(variable, "").strip() or default
    if not _MEMORY.match(value):
        raise QueryError(f"{variable}={value!r} is not a size DuckDB takes; write it like 1GB or 512MB")
    return value


_UNITS = {"kb": 10 ** 3, "mb": 10 ** 6, "gb": 10 ** 9, "tb": 10 ** 12,
          "kib": 2 ** 10, "mib": 2 ** 20, "gib": 2 ** 30, "tib": 2 ** 40}


def size_bytes(size: str) -> int:
    """A size as the settings above write it ("1GB", "512 MiB"), in bytes."""
    number, unit = re.match(r"^\s*([\d.]+)\s*([A-Za-z]+)\s*$", size).groups()
    return int(float(number) * _UNITS[unit.lower()])


def import_memory_limit(held_bytes: int = 0) -> int:
    """DuckDB's memory limit, in bytes, while an import holds `held_bytes` of the file's cells."""
    budget, store = size_bytes(import_memory_budget()), size_bytes(memory_limit())
    return min(store, max(IMPORT_MEMORY_LEAST, budget - held_bytes))


def set_import_memory(con: duckdb.DuckDBPyConnection, held_bytes: int = 0, *, least: bool = False) -> None:
    """DuckDB's limit while an import holds `held_bytes` of the file's cells; `least`: while Python
    needs the memory (learning from the scores, finding the themes) and DuckDB's work is light."""
    limit = min(IMPORT_MEMORY_LEAST, size_bytes(memory_limit())) if least else import_memory_limit(held_bytes)
    con.execute(f"SET memory_limit = '{limit // 2 ** 20}MiB'")


@contextlib.contextmanager
def import_memory(con: duckdb.DuckDBPyConnection, held_bytes: int = 0):
    """The store's connection with the import's memory limit (import_memory_limit) while the block
    runs, and the store's own limit again afterwards: the dashboard imports on the connection its
    pages use."""
    set_import_memory(con, held_bytes)
    try:
        yield con
    finally:
        con.execute(f"SET memory_limit = {quote_literal(memory_limit())}")


def default_db_path() -> str:
    return os.environ.get("FEEDBACK_DB") or str(DEFAULT_DB)


def quote_identifier(name: str) -> str:
    """Quote a name that comes from data (a header, an attribute) for use as an SQL identifier."""
    return '"' + str(name).replace('"', '""') + '"'


# The extensions a lake needs, each from its pinned PyPI package (DuckDB would otherwise download
# them at run time). A lake is opened as DuckDB's own database (duckdb.connect("ducklake:…")), so
# the lake is the default catalog of its connection and of every cursor taken from it (an ATTACH
# followed by USE would hold for the first connection only). DuckDB loads the extensions it needs
# for that from an extension folder laid out as it expects: _extension_directory builds one of
# links to the packages' files.
_EXTENSION_PACKAGES = {"ducklake": duckdb_extension_ducklake,
                       "postgres_scanner": duckdb_extension_postgres_scanner,
                       "httpfs": duckdb_extension_httpfs}   # an s3:// data folder's
LAKE_EXTENSIONS = tuple(_EXTENSION_PACKAGES)


def extension_file(name: str) -> Path:
    package_dir = Path(_EXTENSION_PACKAGES[name].__file__).parent
    found = sorted(package_dir.glob(f"extensions/v{duckdb.__version__}/{name}.duckdb_extension"))
    if not found:
        raise QueryError(f"the {name} extension for DuckDB {duckdb.__version__} is not installed:"
                         " pip install -r requirements.txt")
    return found[0]


def _extension_directory() -> str:
    folder = Path(os.environ.get("FEEDBACK_EXTENSION_DIR")
                  or Path(tempfile.gettempdir()) / f"feedback-duckdb-extensions-{os.getuid()}")
    with duckdb.connect() as probe:
        platform = probe.execute("PRAGMA platform").fetchone()[0]
    place = folder / f"v{duckdb.__version__}" / platform
    place.mkdir(parents=True, exist_ok=True)
    for name in _EXTENSION_PACKAGES:
        link, target = place / f"{name}.duckdb_extension", extension_file(name)
        if not (link.is_symlink() and link.resolve() == target.resolve()):
            # made aside and renamed into place: another process may be doing the same
            aside = place / f".{name}.{os.getpid()}.{threading.get_ident()}"
            aside.unlink(missing_ok=True)
            aside.symlink_to(target)
            os.replace(aside, link)
    return str(folder)


def _lake_config(directory: str) -> dict:
    # extensions load from the folder of links, never from the network
    return {"autoinstall_known_extensions": False, "autoload_known_extensions": True,
            "extension_directory": directory}


_SECRETS = (re.compile(r"(password\s*=\s*)('[^']*'|\S+)", re.IGNORECASE),
            re.compile(r"(://[^:/@\s]+:)([^@\s]+)(@)"))


def masked(text: str) -> str:
    """`text` with every password of a connection string in it replaced by ***."""
    text = _SECRETS[0].sub(r"\1***", str(text))
    return _SECRETS[1].sub(r"\1***\3", text)


# DuckDB's errors that say the store itself could not be reached or read, not that a query was wrong:
# a lake's catalog gone (PostgreSQL stopped, restarting, refusing the user) or its files (the shared
# folder unmounted). A running dashboard keeps its lake open, so these reach its pages mid-run; the
# next run asks the catalog again, and a restarted PostgreSQL serves it.
_UNREACHABLE = (duckdb.IOException, duckdb.ConnectionException)


def unreachable_store(error: BaseException) -> QueryError | None:
    """`error` as one readable line when it says the store could not be reached (None otherwise):
    DuckDB's own words up to the query it quotes, a password masked."""
    if not isinstance(error, _UNREACHABLE):
        return None
    words = str(error).split("\nLINE ", 1)[0].strip()
    return QueryError(masked(f"the store could not be reached: {words}"))


def is_lake(target: str | os.PathLike) -> bool:
    return str(target).startswith(DUCKLAKE_PREFIX)


def _lake_catalog(target: str) -> tuple[str, str]:
    """("postgres", libpq connection string) or ("duckdb", catalog file) of a `ducklake:` URL."""
    rest = target[len(DUCKLAKE_PREFIX):]
    if rest.startswith(POSTGRES_PREFIX):
        return "postgres", rest[len(POSTGRES_PREFIX):]
    if re.match(r"^[a-z]{2,}:", rest):
        raise QueryError(f"{masked(target)}: a lake's catalog is a DuckDB file (ducklake:/path/catalog.ducklake)"
                         " or PostgreSQL (ducklake:postgres:dbname=… host=…)")
    return "duckdb", rest


# The secrets a lake reads, by kind: "postgres" for its catalog's server, "s3" for the bucket of an
# s3:// data folder; each its extension (whose type the secret is) and what it holds (the names of
# DuckDB's CREATE SECRET, from here only: a kind or a name never comes from what someone typed).
LAKE_SECRETS = {"postgres": ("postgres_scanner", ("HOST", "PORT", "USER", "PASSWORD")),
                "s3": ("httpfs", ("KEY_ID", "SECRET", "REGION", "ENDPOINT", "URL_STYLE", "USE_SSL"))}


def save_lake_secret(kind: str, **values) -> None:
    """Keep a lake's credentials as DuckDB's default secret of `kind` (LAKE_SECRETS; the values by
    their lower-case names, None left out), persistent: DuckDB writes it in its secret folder
    (~/.duckdb/stored_secrets), readable by this user alone, and every lake this user opens takes
    from it what its URL leaves out (a URL's own host= or user= still wins). Replaces the one of
    `kind` saved before."""
    _, names = LAKE_SECRETS[kind]
    given = {name.lower(): values[name.lower()] for name in names if values.get(name.lower()) is not None}
    options = ", ".join(f"{name.upper()} ${name}" for name in given)
    try:
        with duckdb.connect(config=_lake_config(_extension_directory())) as keeper:
            keeper.execute(f"CREATE OR REPLACE PERSISTENT SECRET (TYPE {kind}, {options})", given)
    except duckdb.Error as e:
        said = masked(f"DuckDB could not save the secret: {e}")
        for hidden in (given.get("password"), given.get("secret")):
            said = said.replace(hidden, "***") if hidden else said
        raise QueryError(said) from e


def remove_lake_secret(kind: str) -> bool:
    """Remove the secret of `kind` save_lake_secret keeps; False when there was none."""
    extension, _ = LAKE_SECRETS[kind]
    name = f"__default_{kind}"
    try:
        with duckdb.connect(config=_lake_config(_extension_directory())) as keeper:
            keeper.execute(f"LOAD {extension}")  # loaded, the extension reads its secrets' files
            if not keeper.execute("SELECT count(*) FROM duckdb_secrets() WHERE name = $name AND persistent",
                                  {"name": name}).fetchone()[0]:
                return False
            keeper.execute(f"DROP PERSISTENT SECRET {name}")
            return True
    except duckdb.Error as e:
        raise QueryError(f"DuckDB could not remove the secret: {e}") from e


def _lake_exists(target: str, directory: str) -> bool:
    """Whether `target` names a DuckLake catalog that has been created, without creating one."""
    kind, where = _lake_catalog(target)
    if kind == "duckdb":
        return Path(where).exists()
    with duckdb.connect(config=_lake_config(directory)) as probe:
        # no progress bar: the catalog another process is making held this long enough for one
        probe.execute("SET enable_progress_bar = false")
        probe.execute(f"ATTACH {quote_literal(where)} AS catalog_check (TYPE postgres, READ_ONLY)")
        # DuckLake keeps its settings in ducklake_metadata, in the schema the catalog was made in
        return bool(probe.execute(
            "SELECT count(*) FROM postgres_query('catalog_check', 'SELECT 1 FROM information_schema.tables"
            " WHERE table_name = ''ducklake_metadata''')").fetchone()[0])


def _create_lake(target: str, directory: str) -> None:
    kind, where = _lake_catalog(target)
    data_path = os.environ.get("FEEDBACK_LAKE_DATA", "").strip()
    if not data_path:
        if kind == "postgres":
            raise QueryError("a new lake needs a folder for its data files that every process can reach:"
                             " set FEEDBACK_LAKE_DATA (a shared folder, or s3://… with the httpfs extension)")
        data_path = where + ".files"
    if "://" not in data_path:
        # the catalog keeps the path as given, and every process reads a relative one from its own
        # working folder: a command run elsewhere wrote its files where the replicas never look
        data_path = str(Path(data_path).resolve())
        Path(data_path).mkdir(parents=True, exist_ok=True)
    with duckdb.connect(config=_lake_config(directory)) as creator:
        # no progress bar: making a lake on a busy catalog took long enough for DuckDB to draw one
        # on stdout (where a command prints its --json)
        creator.execute("SET enable_progress_bar = false")
        creator.execute(f"ATTACH {quote_literal(target)} AS new_lake (DATA_PATH {quote_literal(data_path)})")
        creator.execute("DETACH new_lake")


# Lakes this process has found or made: a lake is not deleted under a running dashboard, so each is
# looked for once per process.
_known_lakes: set[str] = set()


def _open_lake(target: str, *, read_only: bool, create: bool) -> duckdb.DuckDBPyConnection:
    directory = _extension_directory()
    if target not in _known_lakes and not _lake_exists(target, directory):
        if not create:
            raise QueryError(f"no lake at {masked(target)}: check the URL, or create it with"
                             " `python -m loaders demo` or an import")
        try:
            _create_lake(target, directory)
        except duckdb.Error:
            # replicas started together on a new catalog: one creates it, the others find it made
            time.sleep(1.0)
            if not _lake_exists(target, directory):
                raise
    _known_lakes.add(target)
    return duckdb.connect(target, read_only=read_only, config=_lake_config(directory))


# A name DuckDB would read as another kind of database ("postgres:dbname=…", "md:…", "sqlite:…"),
# not a file (DuckDB takes the word before the colon for an extension): a lake URL without its
# ducklake: drew DuckDB's advice to install one. Two letters at least: a Windows drive (C:) is a path.
_OTHER_STORE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:")


def connect(path: str | os.PathLike | None = None, *, read_only: bool = False,
            create: bool = True, lock_wait: float | None = None) -> duckdb.DuckDBPyConnection:
    """Open the store and bring its layout up to date (upgrade).

    `path` is a DuckDB file, ":memory:", or a lake: "ducklake:/path/catalog.ducklake" or
    "ducklake:postgres:dbname=… host=…" (credentials from PG* variables or ~/.pgpass; a password in
    the URL is masked in every message), with env FEEDBACK_LAKE_DATA naming the folder of its Parquet
    files when it is created. Only `create` (never with read_only) makes a new store: a path that
    names none is an error. `lock_wait`: how long to wait for another program to let go of a DuckDB
    file (default FEEDBACK_LOCK_WAIT), saying meanwhile that a program waits (waiting_programs).
    """
    target = str(path) if path is not None else default_db_path()
    limit = memory_limit()
    create = create and not read_only
    try:
        if is_lake(target):
            con = _open_lake(target, read_only=read_only, create=create)
        else:
            if _OTHER_STORE.match(target):
                raise QueryError(f"{masked(target)} is not a store this dashboard opens: a store is a DuckDB file"
                                 " (data/feedback.duckdb) or a lake (ducklake:postgres:dbname=… host=…)")
            if target != ":memory:":
                if not create and not Path(target).exists():
                    raise QueryError(f"no database at {target}: run `python -m loaders demo` or import a file")
                Path(target).parent.mkdir(parents=True, exist_ok=True)
            con = _open_file(target, read_only, lock_wait)
        # no progress bar: a long query (a million-row import) would draw one on the app's output
        con.execute("SET enable_progress_bar = false")
        con.execute(f"SET memory_limit = {quote_literal(limit)}")
    except duckdb.Error as e:
        raise QueryError(masked(f"DuckDB could not open {target}: {e}")) from e
    try:
        if read_only:
            _refuse_outdated(con, masked(target))
        else:
            upgrade(con)
    except BaseException:
        con.close()
        raise
    return con


# How long an open waits for another process to let go of a DuckDB file (env FEEDBACK_LOCK_WAIT,
# seconds): a DuckDB file is open for writing in one process at a time, and then in no other.
DEFAULT_LOCK_WAIT = 30.0


def _open_file(target: str, read_only: bool, lock_wait: float | None = None) -> duckdb.DuckDBPyConnection:
    wait = float(os.environ.get("FEEDBACK_LOCK_WAIT") or DEFAULT_LOCK_WAIT) if lock_wait is None else lock_wait
    deadline = time.monotonic() + wait
    pause = 0.05
    sign = None
    try:
        while True:
            try:
                return duckdb.connect(target, read_only=read_only, config={"autoinstall_known_extensions": False})
            except duckdb.IOException as e:
                if "could not set lock" not in str(e).lower():
                    raise
                if time.monotonic() > deadline:
                    raise StoreBusy(f"{target} is open in another program (the dashboard, or an import):"
                                    " try again when it has finished") from e
                if sign is None and lock_wait is None:
                    sign = _announce_waiting(target)
            time.sleep(pause)
            pause = min(pause * 2, 1.0)
    finally:
        if sign is not None:
            sign.unlink(missing_ok=True)


# A program that waits for a DuckDB file says so with a file beside it (<store>.waiting-<pid>), and
# the dashboard, which keeps the file open while its pages are drawn, then lets go of it as soon as
# the runs holding it end and opens it for no new one (SharedStore): with readers clicking through
# pages all the time, an import or undo from the command line would otherwise never find a pause.
WAITING_SUFFIX = ".waiting-"


def _announce_waiting(target: str) -> Path | None:
    sign = Path(f"{target}{WAITING_SUFFIX}{os.getpid()}")
    try:
        sign.touch()
    except OSError:  # a folder we may not write to: the wait still works, only more slowly
        return None
    return sign


def waiting_programs(target: str) -> int:
    """How many live programs wait to open the DuckDB file `target` (a sign left by a program that
    was killed is removed)."""
    found = 0
    for sign in Path(target).parent.glob(Path(target).name + WAITING_SUFFIX + "*"):
        pid = sign.name.rsplit("-", 1)[-1]
        try:
            os.kill(int(pid), 0)
        except ValueError:
            continue
        except ProcessLookupError:
            sign.unlink(missing_ok=True)
            continue
        except PermissionError:  # alive, another user's
            pass
        found += 1
    return found


def cursor(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """A cursor of the store for one thread's queries (DuckDB's multi-threading guide). A lake is its
    connection's default catalog (_open_lake), so a cursor sees the store's tables on both kinds."""
    return con.cursor()


@contextlib.contextmanager
def reading(cur: duckdb.DuckDBPyConnection):
    """The block's queries in one read transaction: one snapshot of the store for all of them.

    On a lake each transaction asks the catalog for the newest snapshot and the tables' files
    anew; a figure's several queries in one transaction ask about half as often (issue 24's lake
    page floor, bench/ lake_queries). Nothing is written, so the commit never conflicts.
    """
    cur.execute("BEGIN TRANSACTION")
    try:
        yield cur
    except BaseException:
        try:
            cur.execute("ROLLBACK")
        except duckdb.Error:
            pass
        raise
    cur.execute("COMMIT")


def _refuse_outdated(con: duckdb.DuckDBPyConnection, target: str) -> None:
    """A read-only store cannot be upgraded: say so, rather than fail in a metric. Only a store that
    has taken every step opens, so every table of schema.sql is there and no reader needs to ask."""
    version = layout_version(con)
    if version == LATEST_VERSION:
        return
    if version is not None and version > LATEST_VERSION:
        raise QueryError("this store was written by a newer version of the dashboard: update this copy")
    if version is None and not _has_table(con, "import_batch"):
        raise QueryError(f"{target} holds no store of the dashboard yet: open it once with the dashboard or"
                         " `python -m loaders` (not read-only) to make one, then try again")
    raise QueryError(f"{target} was written by an earlier version of the dashboard and cannot be read"
                     " read-only: open it once with the dashboard or `python -m loaders` to bring it"
                     " up to date, then try again")


# Writes this process has committed (transaction, write_claimed): what a reader has read of the
# store still holds while this count stands, unless another process wrote (pages/_common reads the
# data version once per script run on that ground).
_commits = itertools.count(1)
_committed = 0


def _count_commit() -> None:
    global _committed
    _committed = next(_commits)


def commits() -> int:
    """How many writes this process has committed so far."""
    return _committed


@contextlib.contextmanager
def transaction(con: duckdb.DuckDBPyConnection, failure: str):
    """The block's statements as one transaction: committed when it ends, rolled back when anything
    fails, a DuckDB error raised as a QueryError that starts with `failure`."""
    try:
        con.execute("BEGIN TRANSACTION")
        yield
        con.execute("COMMIT")
        _count_commit()
    except BaseException as e:
        try:
            con.execute("ROLLBACK")
        except duckdb.Error:
            pass
        if isinstance(e, duckdb.Error):
            raise QueryError(f"{failure} ({e})") from e
        raise


def quote_literal(value: str) -> str:
    """Quote a string literal where SQL takes no parameter (ATTACH, LOAD)."""
    return "'" + str(value).replace("'", "''") + "'"


# The tables of sums the loaders write beside each batch's rows (schema.sql), and whose rows they sum.
SUMS_TABLES = {"survey_moments": "survey_response", "survey_scope_sums": "survey_response",
               "survey_tally": "survey_response",
               "nps_tally": "nps_response", "complaint_tally": "complaint"}


# -- the store's layout, step by step --------------------------------------------------------------
# A store records the last numbered step it has taken (store_version). Opening for writing runs the
# steps after it, once, all in one transaction; a store that is up to date is only read (one query),
# so opening writes nothing. When two processes upgrade one lake at the same moment, one commits and
# the other's transaction conflicts: it waits, looks again and finds the work done. A change to
# schema.sql that an existing store needs comes with a new step here.

# Several steps make schema.sql's tables; within one upgrade (one transaction, one schema.sql) the
# first does it for all, so a new store is not given the same forty statements eight times.
_upgrading = threading.local()


def _create_tables(con: duckdb.DuckDBPyConnection) -> None:
    if getattr(_upgrading, "schema_made", False):
        return
    for statement in _statements(SCHEMA_SQL):
        con.execute(statement)
    if hasattr(_upgrading, "schema_made"):
        _upgrading.schema_made = True


_ADD_COLUMN = re.compile(r"^ALTER TABLE (\w+) ADD COLUMN IF NOT EXISTS ", re.IGNORECASE)


def _add_schema_columns(con: duckdb.DuckDBPyConnection) -> None:
    """The columns schema.sql adds to tables the store already has, before any step runs: DuckDB
    refuses to commit a transaction that alters a table after changing its rows, and the steps
    change rows (step 1 survey_response's, steps 3 and 6 complaint's) that a later step's columns
    (the tiers of step 10) belong to."""
    # the store's tables looked up once, not once a statement (a new store's upgrade asked for each)
    tables = _base_tables(con)
    for statement in _statements(SCHEMA_SQL):
        match = _ADD_COLUMN.match(statement)
        if match and match.group(1) in tables:
            con.execute(statement)


def _sum_unsummed_batches(con: duckdb.DuckDBPyConnection) -> None:
    """Batches imported before a sums table existed get their rows in it."""
    # the sums are keyed by schema.sql's filter columns as they are now (the tier since step 10), which
    # a store that took step 2 long ago may lack
    _create_tables(con)
    for name, source in SUMS_TABLES.items():
        batches = [row[0] for row in con.execute(
            f"SELECT DISTINCT CAST(batch_id AS VARCHAR) FROM {source}"
            f" WHERE batch_id NOT IN (SELECT batch_id FROM {name}) ORDER BY 1").fetchall()]
        for batch in batches:
            _write_sums(con, name, batch)


def _seed_claim(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("INSERT INTO store_claim SELECT 'writer', NULL, NULL"
                " WHERE NOT EXISTS (SELECT 1 FROM store_claim WHERE name = 'writer')")


def _targets_and_alerts(con: duckdb.DuckDBPyConnection) -> None:
    """The target, alert rule and alert event tables, and the rules' defaults (store/rules.py)."""
    _create_tables(con)
    for rule, (enabled, threshold, _low, _high) in DEFAULT_RULES.items():
        con.execute("INSERT INTO alert_rule SELECT ?, ?, ?, now()::TIMESTAMP, 'default'"
                    " WHERE NOT EXISTS (SELECT 1 FROM alert_rule WHERE rule = ?)", [rule, enabled, threshold, rule])


# The tables an upgrade fills with defaults: a store copied into (store/copy.py) has them replaced by
# the source's rows (the copied texts' scores are of the source's baseline, baseline_rescore says which).
SEEDED_TABLES = ("alert_rule", "baseline_rescore")


# (number, what it does); run in order, each once
UPGRADES = (
    (1, "ratings move onto survey_response as score lists", lambda con: _move_narrow_ratings(con)),
    (2, "every table and view of schema.sql", _create_tables),
    (3, "complaints get their descriptions' words", lambda con: _cut_old_descriptions(con)),
    (4, "every batch gets its monthly sums", _sum_unsummed_batches),
    (5, "the writers' claim row", _seed_claim),
    (6, "complaints get their handling steps", lambda con: _step_old_complaints(con)),
    (7, "the self-assessment, learned-sentiment and theme tables", _create_tables),
    (8, "the imported rows' fingerprints, to find rows already in the store", lambda con: _fingerprint_old_batches(con)),
    (9, "the follow-up list", _create_tables),
    (10, "customer tiers: the rows' tier columns, the tallies' tier key, the analyst's rules and words",
     _create_tables),
    (11, "targets, alert rules (with their defaults) and alert events", _targets_and_alerts),
    (12, "labels in both languages", _create_tables),
    (13, "the survey's satisfaction sums by month, branch and region", _sum_unsummed_batches),
    (14, "the survey's sums kept per customer tier as well", lambda con: rewrite_survey_sums(con)),
    (15, "the counts that say when a sentiment model or themes are due", _create_tables),
    (16, "each survey batch's count of its ratings", lambda con: _count_old_ratings(con)),
    (17, "the themes' fitted model, to place each import's new texts in them", _create_tables),
    (18, "the complaints' monthly tallies count the complaints too", lambda con: _recount_complaint_tally(con)),
    (19, "the themed texts by month", lambda con: _theme_months_anew(con)),
    (20, "the survey's sums by branch keep the pairs' products and the stated importance",
     lambda con: _scope_sums_anew(con)),
    (21, "texts of emoji or emoticons alone get their language and sentiment",
     lambda con: _score_signs_alone(con, _STORED_UNREAD)),
    (22, "texts of WeChat's and Weibo's bracket codes alone are scored as signs, not words",
     lambda con: _score_signs_alone(con, _STORED_AS_WORDS_WITH_A_CODE)),
    (23, "remarks that answer nothing (\"No comment.\", \"暂无意见\") are neutral, not read as words",
     lambda con: _score_signs_alone(con, _STORED_NON_ANSWERS)),
    (24, "the baseline the stored texts were scored with", lambda con: _baseline_rescores(con)),
    (25, "complaints whose qualified status (\"Closed with explanation\") named no step get one",
     lambda con: _step_old_complaints(con, unstepped_only=True)),
)
LATEST_VERSION = UPGRADES[-1][0]
UPGRADE_ATTEMPTS = 5


# Each kind's fingerprint as its stored rows give it: the fields loaders/duplicates.py hashes, in name
# order, with the types validation gives them (a score is a DOUBLE there, a complaint's cause only
# when the file gave it). tests/test_duplicates.py checks that these equal the import's own.
FINGERPRINTED_ROWS = {
    "nps_response": ("annual_value, branch, channel, comment, customer_id, product, products_held, region,"
                     " responded_at, score::DOUBLE, segment, tier_label, touchpoint", "NULL::VARCHAR"),
    "complaint": ("annual_value, branch, CASE WHEN cause_source = 'given' THEN cause END, channel, complaint_ref,"
                  " customer_id, description, escalated, product, products_held, received_at, region, resolved_at,"
                  " satisfaction_after, segment, severity, status, sub_cause, tier_label", "complaint_ref"),
}
# A survey response's id with its time (loaders/duplicates.py NATURAL_ID); its ratings' fingerprint
# needs the file's columns, so older survey batches are known by their ids only.
SURVEY_ID = "respondent_id || '@' || strftime(responded_at, '%Y-%m-%d %H:%M:%S')"


def _fingerprint_old_batches(con: duckdb.DuckDBPyConnection) -> None:
    """Batches imported before fingerprints get them from their rows (an upgrade step), so that the
    next overlapping export is known by the rows the store already held."""
    _create_tables(con)
    for table, (fields, natural) in FINGERPRINTED_ROWS.items():
        con.execute(f"INSERT INTO row_fingerprint SELECT batch_id, hash({fields}), {natural} FROM {table}"
                    " WHERE batch_id NOT IN (SELECT batch_id FROM row_fingerprint)")
    con.execute(f"INSERT INTO row_fingerprint SELECT batch_id, NULL, {SURVEY_ID} FROM survey_response"
                " WHERE respondent_id IS NOT NULL AND batch_id NOT IN (SELECT batch_id FROM row_fingerprint)")


def layout_version(con: duckdb.DuckDBPyConnection) -> int | None:
    """The last upgrade step the store has taken; None for a store from before the steps were counted."""
    try:
        return con.execute("SELECT max(version) FROM store_version").fetchone()[0]
    except duckdb.CatalogException:
        return None


def upgrade(con: duckdb.DuckDBPyConnection) -> None:
    """Bring the store's layout up to date (UPGRADES); nothing is written when it is."""
    for attempt in range(1, UPGRADE_ATTEMPTS + 1):
        version = layout_version(con)
        if version is not None and version > LATEST_VERSION:
            raise QueryError("this store was written by a newer version of the dashboard: update this copy")
        if version == LATEST_VERSION:
            return
        try:
            with transaction(con, "the store could not be brought up to date"):
                con.execute("CREATE TABLE IF NOT EXISTS store_version"
                            " (version INTEGER NOT NULL, upgraded_at TIMESTAMP NOT NULL)")
                done = con.execute("SELECT coalesce(max(version), 0) FROM store_version").fetchone()[0]
                if done >= LATEST_VERSION:
                    # another process brought it up to date after this one looked (a replica
                    # started beside it on a new lake): its steps and its version row stand
                    return
                _add_schema_columns(con)
                _upgrading.schema_made = False
                try:
                    for number, _what, step in UPGRADES:
                        if number > done:
                            step(con)
                finally:
                    del _upgrading.schema_made
                con.execute("INSERT INTO store_version VALUES (?, now()::TIMESTAMP)", [LATEST_VERSION])
            return
        except QueryError as e:
            if attempt == UPGRADE_ATTEMPTS or not _is_conflict(e.__cause__):
                raise
            # another process upgrading at the same moment: give it time to commit, then look again
            time.sleep(0.2 * attempt)


# -- one writer at a time --------------------------------------------------------------------------
# Imports and undos from any process update the one row of store_claim first thing in their
# transaction. Two at the same moment then conflict on that row: DuckDB refuses the second update
# at once, a lake refuses the later commit (DuckLake's conflict check: both deleted from one table).
# The loser rolls back, runs its work again (which re-checks for a duplicate), and refuses clearly
# if it conflicts again.

def _is_conflict(error: BaseException) -> bool:
    text = str(error).lower()
    return isinstance(error, duckdb.TransactionException) or "conflict" in text


def write_claimed(con: duckdb.DuckDBPyConnection, work, *, failure: str, who: str | None = None):
    """`work()`'s statements in one transaction that holds the store's writer row; its result.

    A DuckDB error rolls everything back and is raised as a QueryError starting with `failure`; a
    conflict with another writer is tried once more, then raised as StoreBusy."""
    for attempt in (1, 2):
        try:
            con.execute("BEGIN TRANSACTION")
            con.execute("UPDATE store_claim SET claimed_at = ?, claimed_by = ? WHERE name = 'writer'",
                        [dt.datetime.now(), who or "python -m loaders"])
            result = work()
            con.execute("COMMIT")
            _count_commit()
            return result
        except BaseException as e:
            try:
                con.execute("ROLLBACK")
            except duckdb.Error:
                pass
            if not isinstance(e, duckdb.Error):
                raise
            if not _is_conflict(e):
                raise QueryError(f"{failure} ({e})") from e
            if attempt == 2:
                raise StoreBusy(f"{failure}: another import or undo is running on this store;"
                                " try again when it has finished") from e
            time.sleep(0.5)


def _base_tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    """The names of the store's own tables (not its views, nor temporary tables)."""
    return {row[0] for row in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_catalog = current_database()"
        " AND table_schema = current_schema() AND table_type = 'BASE TABLE'").fetchall()}


def _has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return name in _base_tables(con)


def _tally_measures() -> dict[str, dict[str, str]]:
    return {"survey_tally": SENTIMENT_MEASURES, "nps_tally": {**NPS_MEASURES, **SENTIMENT_MEASURES},
            "complaint_tally": {**COMPLAINT_MEASURES, **SENTIMENT_MEASURES}}


def write_sums(con: duckdb.DuckDBPyConnection, table: str, batch_id: str, *, scores: str | None = None,
               rows: str | None = None, params: dict | None = None) -> None:
    """A batch's rows of the sums tables of `table` (its tally, and a survey's moments), from the
    batch's rows, inside the caller's transaction. `scores`: a survey batch's score lists as a
    relation (write_survey_moments), when the caller has them at hand; `rows`: the batch's rows as a
    relation with `table`'s columns (its tally reads them instead of the table); `params`: the
    parameters of the relation given, besides $batch."""
    for name, source in SUMS_TABLES.items():
        if source == table:
            _write_sums(con, name, batch_id, scores, rows, params)


def _write_sums(con: duckdb.DuckDBPyConnection, name: str, batch_id: str | None, scores: str | None = None,
                rows: str | None = None, params: dict | None = None) -> None:
    """One sums table's rows for a batch, or for every batch (batch_id None)."""
    if name in ("survey_moments", "survey_scope_sums"):
        batches = [batch_id] if batch_id is not None else [row[0] for row in con.execute(
            "SELECT DISTINCT CAST(batch_id AS VARCHAR) FROM survey_item ORDER BY 1").fetchall()]
        write = write_survey_moments if name == "survey_moments" else write_survey_scope_sums
        for batch in batches:
            write(con, batch, scores, params)
        return
    if batch_id is None:
        columns, select = tally_sql(SUMS_TABLES[name], _tally_measures()[name], every_batch=True)
        con.execute(f"INSERT INTO {name} ({columns}) {select}")
        return
    columns, select = tally_sql(SUMS_TABLES[name], _tally_measures()[name], rows=rows)
    con.execute(f"INSERT INTO {name} ({columns}) {select}", {**((params or {}) if rows else {}), "batch": batch_id})


def rewrite_tallies(con: duckdb.DuckDBPyConnection) -> None:
    """Every batch's tally rows again, from the rows as they are now (after a rescoring), inside the
    caller's transaction."""
    for name in _tally_measures():
        con.execute(f"DELETE FROM {name}")
        _write_sums(con, name, None)


def _recount_complaint_tally(con: duckdb.DuckDBPyConnection) -> None:
    """Every batch's complaint_tally rows again, now with their count of complaints (an upgrade step)."""
    con.execute("DELETE FROM complaint_tally")
    _write_sums(con, "complaint_tally", None)


# the stored texts and their language columns: (table, text column, language column)
_TEXT_COLUMNS = (("survey_response", "comment", "comment_language"), ("nps_response", "comment", "comment_language"),
                 ("complaint", "description", "description_language"))


# Which stored texts an upgrade step reads again as signs alone (a condition on {language}, the text's
# language column, and {text}): step 21, those stored without a language (emoji and emoticons, which no
# rule read before); step 22, those stored in a language whose text holds a bracket code ("[强]" was
# read as a Chinese word, "[OK]" as English).
_STORED_UNREAD = ("{language} IS NULL", [])
_STORED_AS_WORDS_WITH_A_CODE = ("{language} <> ? AND contains({text}, '[')", [SIGNS_ONLY])
# step 23, the remarks that answer nothing ("No comment.", "暂无意见": text/sentiment.py NON_ANSWERS),
# stored as words; their letters and digits found in SQL, then polarity() decides as an import does
_STORED_NON_ANSWERS = ("{language} <> ? AND length({text}) <= ?"
                       " AND lower(regexp_replace({text}, '[^\\pL\\pN]', '', 'g')) IN (SELECT unnest(?::VARCHAR[]))",
                       [SIGNS_ONLY, NON_ANSWER_MOST, sorted(NON_ANSWERS)])


def _score_signs_alone(con: duckdb.DuckDBPyConnection, stored: tuple[str, list]) -> None:
    """Texts of signs alone (emoji, emoticons, bracket codes: text/emoji.py) or remarks that answer
    nothing (text/sentiment.py NON_ANSWERS) among those `stored` selects get their language SIGNS_ONLY
    and their sentiment, and the tallies are written again (an upgrade step). No learned model blends
    such a text, so the baseline's polarity is the one an import now stores."""
    condition, params = stored
    scored_any = False
    for table, column, language_column in _TEXT_COLUMNS:
        texts = [row[0] for row in con.execute(
            f"SELECT DISTINCT {column} FROM {table} WHERE {column} IS NOT NULL"
            f" AND {condition.format(language=language_column, text=column)}", params).fetchall()]
        scored = [(language, value, text) for text in texts for language, value in (polarity(text),)
                  if language == SIGNS_ONLY]
        if scored:
            con.executemany(f"UPDATE {table} SET {language_column} = ?, sentiment = ? WHERE {column} = ?", scored)
            scored_any = True
    if scored_any:
        rewrite_tallies(con)


def _baseline_rescores(con: duckdb.DuckDBPyConnection) -> None:
    """The table baseline_rescore (schema.sql); a store without texts gets the row of this version's
    baseline, which will score every text it gets. A store with texts gets none: they were scored by
    some earlier baseline, and the next import scores them all again (loaders/learning.py); the step
    itself reads no text, so that opening an older store stays quick."""
    _create_tables(con)
    if not con.execute(f"SELECT EXISTS ({ROW_BATCHES_SQL})").fetchone()[0]:
        con.execute("INSERT INTO baseline_rescore VALUES (?, ?, 0, 0)", [BASELINE_VERSION, dt.datetime.now()])


# Every row's text with the month it was written in and its batch, of the three tables with texts.
TEXT_MONTHS_SQL = """
SELECT batch_id, date_trunc('month', responded_at) AS month, comment AS text FROM survey_response WHERE comment IS NOT NULL
UNION ALL
SELECT batch_id, date_trunc('month', responded_at), comment FROM nps_response WHERE comment IS NOT NULL
UNION ALL
SELECT batch_id, date_trunc('month', received_at), description FROM complaint WHERE description IS NOT NULL
"""
ROW_BATCHES_SQL = ("SELECT batch_id FROM survey_response UNION SELECT batch_id FROM nps_response"
                   " UNION SELECT batch_id FROM complaint")


def rewrite_theme_months(con: duckdb.DuckDBPyConnection) -> None:
    """theme_month (schema.sql) again from text_theme and every batch's rows, and every batch listed
    in theme_batch, inside the caller's transaction."""
    con.execute("DELETE FROM theme_month")
    con.execute("DELETE FROM theme_batch")
    con.execute(f"INSERT INTO theme_month SELECT DISTINCT r.month, r.text, t.theme_id FROM ({TEXT_MONTHS_SQL}) r"
                " JOIN text_theme t ON t.text = r.text ORDER BY 1, 2")
    con.execute(f"INSERT INTO theme_batch SELECT batch_id FROM ({ROW_BATCHES_SQL})")


def add_theme_months(con: duckdb.DuckDBPyConnection) -> int:
    """theme_month's rows of the batches theme_batch does not list yet (a month's text already there
    is not added twice), and those batches listed, inside the caller's transaction; how many batches."""
    batches = [row[0] for row in con.execute(
        f"SELECT CAST(batch_id AS VARCHAR) FROM ({ROW_BATCHES_SQL})"
        " WHERE batch_id NOT IN (SELECT batch_id FROM theme_batch) ORDER BY 1").fetchall()]
    if not batches:
        return 0
    con.execute(f"""
        INSERT INTO theme_month
        SELECT DISTINCT r.month, r.text, t.theme_id
        FROM ({TEXT_MONTHS_SQL}) r JOIN text_theme t ON t.text = r.text
        WHERE r.batch_id IN (SELECT CAST(unnest($batches) AS UUID))
          AND NOT EXISTS (SELECT 1 FROM theme_month m WHERE m.month = r.month AND m.text = r.text)
        ORDER BY 1, 2""", {"batches": batches})
    con.execute("INSERT INTO theme_batch SELECT CAST(unnest($batches) AS UUID)", {"batches": batches})
    return len(batches)


def _theme_months_anew(con: duckdb.DuckDBPyConnection) -> None:
    _create_tables(con)
    rewrite_theme_months(con)


def rewrite_survey_sums(con: duckdb.DuckDBPyConnection) -> None:
    """Every batch's survey_moments and survey_scope_sums again, from the rows as they are now
    (after their tiers changed), inside the caller's transaction."""
    for name in ("survey_moments", "survey_scope_sums"):
        con.execute(f"DELETE FROM {name}")
        _write_sums(con, name, None)


def _scope_sums_anew(con: duckdb.DuckDBPyConnection) -> None:
    """Every batch's survey_scope_sums again, now with the products and the stated importance (an
    upgrade step)."""
    _create_tables(con)
    con.execute("DELETE FROM survey_scope_sums")
    _write_sums(con, "survey_scope_sums", None)


def write_survey_moments(con: duckdb.DuckDBPyConnection, batch_id: str, scores: str | None = None,
                         params: dict | None = None) -> None:
    """One batch's rows of survey_moments (schema.sql), from its respondents' score lists: those in
    survey_response, or `scores`, a relation of the batch's responded_at, satisfaction_scores and
    importance_scores with `params`, its parameters (an import passes its staged rows: rows written
    in the open transaction are read much more slowly, and the csv import's floor, at most 3×
    DuckDB's read_csv, is close)."""
    rated, weighed = _positions(con, batch_id)
    if not rated and not weighed:
        return
    columns = [f"satisfaction_scores[{p}] AS s{p}" for p in range(1, rated + 1)]
    columns += [f"importance_scores[{p}] AS m{p}" for p in range(1, weighed + 1)]
    answered = ", ".join(f"CASE WHEN s{p} IS NULL THEN '0' ELSE '1' END" for p in range(1, rated + 1))
    # pairs j by j (i <= j): a batch with fewer positions writes a prefix of a longer batch's list
    products = [f"coalesce(sum(s{i} * s{j}), 0)" for j in range(1, rated + 1) for i in range(1, j + 1)]
    if len(products) > PRODUCTS_PER_QUERY:
        _write_wide_moments(con, batch_id, scores, params, columns, answered, products, rated, weighed)
        return
    con.execute(
        f"INSERT INTO survey_moments ({_MOMENTS_COLUMNS}) SELECT $batch, month, tier, "
        + (f"concat({answered})" if rated else "''")
        + ", count(*), " + _list([f"coalesce(sum(s{p}), 0)" for p in range(1, rated + 1)], "DOUBLE")
        + ", " + _list(products, "DOUBLE")
        + ", " + _list([f"count(m{p})" for p in range(1, weighed + 1)], "BIGINT")
        + ", " + _list([f"coalesce(sum(m{p}), 0)" for p in range(1, weighed + 1)], "DOUBLE")
        + f" FROM (SELECT {month_key_sql('responded_at')} AS month, tier, " + ", ".join(columns)
        + f" FROM {scores or _BATCH_SCORES} AS r"
        " WHERE (satisfaction_scores IS NOT NULL OR importance_scores IS NOT NULL)) GROUP BY ALL",
        {"batch": batch_id, **(params or {})})


def write_survey_scope_sums(con: duckdb.DuckDBPyConnection, batch_id: str, scores: str | None = None,
                            params: dict | None = None) -> None:
    """One batch's rows of survey_scope_sums (schema.sql): its respondents with scores, grouped by
    month, branch, region, tier and pattern of answered satisfaction positions, with what
    survey_moments holds for them (each position's score sum, the pairs' products, the importance
    counts and sums), the products NULL when there are more pairs than PRODUCTS_PER_QUERY. `scores`
    and `params` as for write_survey_moments, with the rows' branch, region and tier as well."""
    rated, weighed = _positions(con, batch_id)
    if not rated and not weighed:
        return
    columns = [f"satisfaction_scores[{p}] AS s{p}" for p in range(1, rated + 1)]
    columns += [f"importance_scores[{p}] AS m{p}" for p in range(1, weighed + 1)]
    answered = ", ".join(f"CASE WHEN s{p} IS NULL THEN '0' ELSE '1' END" for p in range(1, rated + 1))
    products = [f"coalesce(sum(s{i} * s{j}), 0)" for j in range(1, rated + 1) for i in range(1, j + 1)]
    # a wide survey's pairs by branch would outgrow its rows: its branches read the respondents
    paired = _list(products, "DOUBLE") if len(products) <= PRODUCTS_PER_QUERY else "NULL::DOUBLE[]"
    con.execute(
        "INSERT INTO survey_scope_sums (batch_id, month, branch, region, tier, answered, respondents,"
        " satisfaction_sums, satisfaction_products, importance_counts, importance_sums)"
        " SELECT $batch, month, branch, region, tier, " + (f"concat({answered})" if rated else "''")
        + ", count(*), " + _list([f"coalesce(sum(s{p}), 0)" for p in range(1, rated + 1)], "DOUBLE")
        + f", {paired}"
        + ", " + _list([f"count(m{p})" for p in range(1, weighed + 1)], "BIGINT")
        + ", " + _list([f"coalesce(sum(m{p}), 0)" for p in range(1, weighed + 1)], "DOUBLE")
        + f" FROM (SELECT {month_key_sql('responded_at')} AS month, branch, region, tier, " + ", ".join(columns)
        + f" FROM {scores or _BATCH_SCORES} AS r"
        # in month order, so that a month's reading of the sums (a page of one month) skips the
        # stored blocks of the others
        " WHERE (satisfaction_scores IS NOT NULL OR importance_scores IS NOT NULL)) GROUP BY ALL"
        " ORDER BY month, branch NULLS LAST, region NULLS LAST",
        {"batch": batch_id, **(params or {})})


def _positions(con: duckdb.DuckDBPyConnection, batch_id: str) -> tuple[int, int]:
    """How many satisfaction and importance positions a batch's score lists have."""
    lengths = dict(con.execute(
        "SELECT kind, max(position) FROM survey_item WHERE batch_id = ? AND kind IN ('satisfaction', 'importance')"
        " GROUP BY kind", [batch_id]).fetchall())
    return int(lengths.get("satisfaction") or 0), int(lengths.get("importance") or 0)


# named, since a store from before the tier has it last and a new one in its place
_MOMENTS_COLUMNS = ("batch_id, month, tier, answered, respondents, satisfaction_sums, satisfaction_products,"
                    " importance_counts, importance_sums")

# A survey of many items has many pairs of them (150 items: 11,325): one GROUP BY with that many sums
# ran DuckDB out of its memory limit, so the pairs' sums are taken this many at a time.
PRODUCTS_PER_QUERY = 1000


def _write_wide_moments(con: duckdb.DuckDBPyConnection, batch_id: str, scores: str | None, params: dict | None,
                        columns: list[str], answered: str, products: list[str], rated: int, weighed: int) -> None:
    """write_survey_moments for a survey of many items: the rows grouped once into a temporary
    table, the pairs' sums in slices of PRODUCTS_PER_QUERY, joined back by group."""
    # the groups are joined back by their key, and a join matches no NULL: a row of no tier is ''
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE moments_source AS SELECT *, concat({answered}) AS answered FROM"
        f" (SELECT {month_key_sql('responded_at')} AS month, coalesce(tier, '') AS tier, " + ", ".join(columns)
        + f" FROM {scores or _BATCH_SCORES} AS r"
        " WHERE (satisfaction_scores IS NOT NULL OR importance_scores IS NOT NULL))",
        {"batch": batch_id, **(params or {})} if scores is None else params)
    try:
        con.execute(
            "CREATE OR REPLACE TEMP TABLE moments_groups AS SELECT month, tier, answered, count(*) AS respondents, "
            + _list([f"coalesce(sum(s{p}), 0)" for p in range(1, rated + 1)], "DOUBLE") + " AS sums, "
            + _list([f"count(m{p})" for p in range(1, weighed + 1)], "BIGINT") + " AS counts, "
            + _list([f"coalesce(sum(m{p}), 0)" for p in range(1, weighed + 1)], "DOUBLE") + " AS msums"
            " FROM moments_source GROUP BY month, tier, answered")
        slices = range(0, len(products), PRODUCTS_PER_QUERY)
        for k, start in enumerate(slices):
            con.execute(f"CREATE OR REPLACE TEMP TABLE moments_slice_{k} AS SELECT month, tier, answered, "
                        + _list(products[start:start + PRODUCTS_PER_QUERY], "DOUBLE")
                        + " AS products FROM moments_source GROUP BY month, tier, answered")
        joined = " ".join(f"JOIN moments_slice_{k} p{k} USING (month, tier, answered)" for k in range(len(slices)))
        concatenated = "flatten([" + ", ".join(f"p{k}.products" for k in range(len(slices))) + "])"
        con.execute(f"INSERT INTO survey_moments ({_MOMENTS_COLUMNS}) SELECT $batch, month, nullif(tier, ''),"
                    f" answered, g.respondents, g.sums, {concatenated}, g.counts, g.msums"
                    f" FROM moments_groups g {joined}", {"batch": batch_id})
    finally:
        for table in ("moments_source", "moments_groups",
                      *(f"moments_slice_{k}" for k in range(-(-len(products) // PRODUCTS_PER_QUERY)))):
            con.execute(f"DROP TABLE IF EXISTS {table}")


_BATCH_SCORES = ("(SELECT responded_at, branch, region, tier, satisfaction_scores, importance_scores"
                 " FROM survey_response WHERE batch_id = $batch)")


def _list(elements: list[str], type_name: str) -> str:
    return f"[{', '.join(elements)}]::{type_name}[]"


def cut_descriptions(con: duckdb.DuckDBPyConnection, texts: list[str], table: str) -> None:
    """A temporary `table` (text, words): each distinct text's words as complaint_tokens gives them."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE {quote_identifier(table)} (text VARCHAR, words VARCHAR[])")
    _add_description_words(con, texts, table)


# Descriptions cut a chunk at a time: a file of a million distinct descriptions would otherwise hold
# every one with its words in Python at once (issue 20's memory floor for an import).
CUT_CHUNK = 20_000


def cut_descriptions_of(con: duckdb.DuckDBPyConnection, texts_sql: str, table: str) -> None:
    """cut_descriptions of the distinct texts in the first column of `texts_sql`, read from the store
    a chunk at a time."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE {quote_identifier(table)} (text VARCHAR, words VARCHAR[])")
    con.execute("CREATE OR REPLACE TEMP TABLE texts_to_cut AS SELECT text, row_number() OVER (ORDER BY text) AS k"
                f" FROM (SELECT DISTINCT #1 AS text FROM ({texts_sql}) WHERE #1 IS NOT NULL) ORDER BY k")
    try:
        total = con.execute("SELECT count(*) FROM texts_to_cut").fetchone()[0]
        for start in range(0, total, CUT_CHUNK):
            texts = [r[0] for r in con.execute("SELECT text FROM texts_to_cut WHERE k > ? AND k <= ? ORDER BY k",
                                               [start, start + CUT_CHUNK]).fetchall()]
            _add_description_words(con, texts, table)
    finally:
        con.execute("DROP TABLE IF EXISTS texts_to_cut")


def _add_description_words(con: duckdb.DuckDBPyConnection, texts: list[str], table: str) -> None:
    words = complaint_token_sets(texts)
    frame = pd.DataFrame({"text": pd.Series(list(words), dtype=object),
                          "words": pd.Series([sorted(w) for w in words.values()], dtype=object)})
    con.register("description_words_frame", frame)
    try:
        con.execute(f"INSERT INTO {quote_identifier(table)} SELECT text::VARCHAR AS text,"
                    " words::VARCHAR[] AS words FROM description_words_frame")
    finally:
        con.unregister("description_words_frame")


def _cut_old_descriptions(con: duckdb.DuckDBPyConnection) -> None:
    """Complaints imported before their words were stored get them (an upgrade step)."""
    texts = [r[0] for r in con.execute(
        "SELECT DISTINCT description FROM complaint WHERE description_words IS NULL AND description IS NOT NULL"
    ).fetchall()]
    if not texts:
        return
    cut_descriptions(con, texts, "old_description_words")
    try:
        con.execute("UPDATE complaint SET description_words = w.words FROM old_description_words w"
                    " WHERE complaint.description = w.text AND complaint.description_words IS NULL")
    finally:
        con.execute("DROP TABLE IF EXISTS old_description_words")


# -- complaint handling steps (issue 23) --

def status_steps(con: duckdb.DuckDBPyConnection, statuses: list[str], table: str) -> None:
    """A temporary `table` (status, step): each distinct status word with the handling step it
    names (text.steps.handling_step), NULL for a word that names none."""
    frame = pd.DataFrame({"status": pd.Series(list(statuses), dtype=object),
                          "step": pd.Series([handling_step(s) for s in statuses], dtype=object)})
    con.register("status_steps_frame", frame)
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {quote_identifier(table)} AS SELECT status::VARCHAR AS status,"
                    " step::VARCHAR AS step FROM status_steps_frame")
    finally:
        con.unregister("status_steps_frame")


def _step_old_complaints(con: duckdb.DuckDBPyConnection, unstepped_only: bool = False) -> None:
    """Complaints imported before handling steps get the column, and their steps from their status
    words (an upgrade step, inside the upgrade's transaction); with `unstepped_only`, only those
    whose status word named no step when they were imported, once the words known have grown."""
    con.execute("ALTER TABLE complaint ADD COLUMN IF NOT EXISTS handling_step VARCHAR")
    statuses = [r[0] for r in con.execute(
        "SELECT DISTINCT status FROM complaint WHERE status IS NOT NULL"
        " AND (handling_step IS NULL OR NOT ?)", [unstepped_only]).fetchall()]
    if not statuses:
        return
    status_steps(con, statuses, "old_status_steps")
    try:
        con.execute("UPDATE complaint SET handling_step = m.step FROM old_status_steps m"
                    " WHERE complaint.status = m.status AND (m.step IS NOT NULL AND complaint.handling_step IS NULL"
                    " OR NOT ?)", [unstepped_only])
    finally:
        con.execute("DROP TABLE IF EXISTS old_status_steps")


# The score list of each kind of rated item on survey_response (schema.sql).
SCORE_LISTS = {"satisfaction": "satisfaction_scores", "importance": "importance_scores",
               "perception": "perception_scores", "expectation": "expectation_scores"}

# How many ratings the lists hold (one survey_rating row each), without unfolding them.
RATINGS_IN_ROW_SQL = ("coalesce(sum(" + " + ".join(
    f"coalesce(list_aggregate({column}, 'count'), 0)" for column in SCORE_LISTS.values()) + "), 0)")
RATINGS_COUNT_SQL = f"SELECT {RATINGS_IN_ROW_SQL} FROM survey_response"


def _count_old_ratings(con: duckdb.DuckDBPyConnection) -> None:
    """Survey batches imported before survey_rating_count get their counts from their rows."""
    _create_tables(con)
    con.execute(f"INSERT INTO survey_rating_count SELECT batch_id, {RATINGS_IN_ROW_SQL} FROM survey_response"
                " WHERE batch_id NOT IN (SELECT batch_id FROM survey_rating_count) GROUP BY batch_id")


class ItemPositions:
    """Places items in their kind's score list: an item (kind, code, text, dimension, scale) seen in
    any batch keeps its position, so every batch's ratings of it line up; a new item, or a second
    column of one file describing the same item, takes the next free position."""

    def __init__(self, known=()) -> None:
        self.by_item: dict[tuple, list[int]] = {}
        self.last: dict[str, int] = {}
        for kind, position, *definition in known:
            self._remember(kind, tuple(definition), int(position))

    @classmethod
    def of_store(cls, con) -> "ItemPositions":
        return cls(con.execute(
            "SELECT DISTINCT kind, position, item_code, item_text, dimension, scale_min, scale_max"
            " FROM survey_item ORDER BY kind, position").fetchall())

    def _remember(self, kind: str, definition: tuple, position: int) -> None:
        key = (kind, *self._normal(definition))
        places = self.by_item.setdefault(key, [])
        if position not in places:
            places.append(position)
            places.sort()
        self.last[kind] = max(self.last.get(kind, 0), position)

    @staticmethod
    def _normal(definition: tuple) -> tuple:
        code, text, dimension, low, high = definition
        return code, text, dimension, float(low), float(high)

    def assign(self, items) -> list[int]:
        """Positions for one batch's items, each (kind, code, text, dimension, scale_min, scale_max)."""
        taken: set[tuple[str, int]] = set()
        positions = []
        for kind, *definition in items:
            key = (kind, *self._normal(tuple(definition)))
            free = [p for p in self.by_item.get(key, []) if (kind, p) not in taken]
            position = free[0] if free else self.last.get(kind, 0) + 1
            self._remember(kind, tuple(definition), position)
            taken.add((kind, position))
            positions.append(position)
        return positions


def _move_narrow_ratings(con: duckdb.DuckDBPyConnection) -> None:
    """Rewrite a store from before ratings moved onto survey_response (a survey_score table with one
    row per rating) into the score lists (an upgrade step); the ratings and their view stay the same."""
    if not _has_table(con, "survey_score"):
        return
    items = con.execute(
        "SELECT i.batch_id, i.item_no, i.kind, i.item_code, i.item_text, i.dimension, i.scale_min, i.scale_max"
        " FROM survey_item i LEFT JOIN import_batch b ON b.id = i.batch_id"
        " ORDER BY b.imported_at NULLS LAST, i.batch_id, i.item_no").fetchall()
    positions = ItemPositions()
    placed: list[tuple] = []
    for batch_id in dict.fromkeys(row[0] for row in items):
        batch = [row for row in items if row[0] == batch_id]
        for row, position in zip(batch, positions.assign([row[2:] for row in batch])):
            placed.append((position, row[0], row[1]))
    con.execute("DROP VIEW IF EXISTS survey_rating")
    for column in SCORE_LISTS.values():
        con.execute(f"ALTER TABLE survey_response ADD COLUMN {column} DOUBLE[]")
    con.execute("ALTER TABLE survey_item ADD COLUMN position SMALLINT DEFAULT 0")
    con.executemany("UPDATE survey_item SET position = ? WHERE batch_id = ? AND item_no = ?", placed)
    for kind, column in SCORE_LISTS.items():
        last = positions.last.get(kind)
        if last is None:
            continue
        elements = ", ".join(f"max(s.score) FILTER (WHERE i.position = {p})" for p in range(1, last + 1))
        con.execute(
            f"UPDATE survey_response r SET {column} = l.scores FROM ("
            f" SELECT s.batch_id, s.row_no, [{elements}]::DOUBLE[] AS scores"
            " FROM survey_score s JOIN survey_item i ON i.batch_id = s.batch_id AND i.item_no = s.item_no"
            " WHERE i.kind = ? GROUP BY s.batch_id, s.row_no) l"
            " WHERE r.batch_id = l.batch_id AND r.row_no = l.row_no", [kind])
    con.execute("DROP TABLE survey_score")


def _statements(sql: str) -> list[str]:
    without_comments = "\n".join(line.split("--", 1)[0] for line in sql.splitlines())
    return [s.strip() for s in without_comments.split(";") if s.strip()]


# What the pages show changes with every write but a sign-in's: imports and undos (import_batch),
# whatever write_claimed writes (it stamps the writer row: tiers, themes, labels, alerts, models)
# and the insert-only tables written without it (follow-up, targets, alert rules, self-assessments),
# whose rows count their savings.
_FILE_VERSION_SQL = """
SELECT count(*), max(imported_at), max(undone_at),
       (SELECT max(claimed_at) FROM store_claim), (SELECT count(*) FROM follow_up),
       (SELECT count(*) FROM metric_target), (SELECT count(*) FROM alert_rule),
       (SELECT count(*) FROM self_assessment)
FROM import_batch
"""


def lake_snapshot(con: duckdb.DuckDBPyConnection) -> int | None:
    """A lake's current snapshot, which every commit from any process moves on (one question to the
    catalog, where reading a table would be several); None for a DuckDB file."""
    kind = con.execute("SELECT type FROM duckdb_databases() WHERE database_name = current_database()").fetchone()
    if kind is None or kind[0] != "ducklake":
        return None
    return int(con.execute("SELECT id FROM ducklake_current_snapshot(current_database())").fetchone()[0])


def data_version(con: duckdb.DuckDBPyConnection) -> str:
    """Changes whenever the store's data or settings change; pages key their caches on it: a lake's
    snapshot, a file's read from its tables."""
    snapshot = lake_snapshot(con)
    if snapshot is not None:
        return f"snapshot|{snapshot}"
    return "|".join(str(v) for v in con.execute(_FILE_VERSION_SQL).fetchone())


class SharedStore:
    """The dashboard's store, shared by its sessions' threads.

    A DuckDB file is open in one process at a time when it is open for writing, and then in no other
    (DuckDB locks the file), so the dashboard keeps a file open only while script runs hold it
    (hold/release around each run), and closes it once none has for IDLE_SECONDS: an import from the
    command line opens the file in such a pause, and the next view opens it again and sees the
    import. The pause spares a reader clicking through pages an open per click. When a program waits
    for the file (waiting_programs), the dashboard opens it for no new query and closes it as soon as
    the runs holding it end, however busy its readers are; while another program has the file, a
    query is refused at once (StoreBusy: the page shows what it had, or a short notice) rather than
    waiting for it. A lake is shared by many processes through its catalog, and stays open.

    With env FEEDBACK_READ_ONLY=1 the store is opened read-only: a replica for browsing, which
    cannot import, undo or record a sign-in.
    """

    IDLE_SECONDS = 2.0
    # how long one open waits for another program to let go of the file, and how long after a failed
    # open the next is refused without trying: twenty sessions then do not queue up behind the lock
    OPEN_WAIT_SECONDS = 0.5
    BUSY_SECONDS = 1.0

    def __init__(self, target: str, *, idle_seconds: float | None = None) -> None:
        self.target = target
        self.read_only = os.environ.get("FEEDBACK_READ_ONLY", "").strip() == "1"
        self.stays_open = is_lake(target)
        self.idle_seconds = self.IDLE_SECONDS if idle_seconds is None else idle_seconds
        self._con: duckdb.DuckDBPyConnection | None = None
        self._holders: set[int] = set()     # the runs going on (their tickets)
        self._users: set[int] = set()       # those of them that have queried the open store
        self._tickets = 0
        self._closing: threading.Timer | None = None
        self._busy_until = 0.0
        self._lock = threading.Lock()
        self.last_version: str | None = None   # the data version last read, for pages while busy

    def hold(self) -> int:
        """A run begins: the store stays open until it ends (release with the ticket returned)."""
        with self._lock:
            self._tickets += 1
            self._holders.add(self._tickets)
            if self._closing is not None:
                self._closing.cancel()
                self._closing = None
            return self._tickets

    def release(self, ticket: int | None = None) -> None:
        with self._lock:
            if ticket is None:  # the oldest run, for a caller that kept no ticket
                ticket = min(self._holders, default=None)
            self._holders.discard(ticket)
            self._users.discard(ticket)
            if self.stays_open or self._con is None:
                return
            if not self._users and self._someone_waits():
                self._close()
            elif not self._holders:
                if self.idle_seconds <= 0:
                    self._close()
                else:
                    self._closing = threading.Timer(self.idle_seconds, self._close_if_idle)
                    self._closing.daemon = True
                    self._closing.start()

    def _someone_waits(self) -> bool:
        return not self.stays_open and self.target != ":memory:" and waiting_programs(self.target) > 0

    def _close_if_idle(self) -> None:
        with self._lock:
            if not self._holders:
                self._close()

    def _close(self) -> None:
        self._users.clear()
        if self._con is not None:
            self._con.close()
            self._con = None

    def connection(self, ticket: int | None = None) -> duckdb.DuckDBPyConnection:
        """The open store (opened now if no run had it open); its cursors go to the caller's queries.

        `ticket` names the run asking (hold). While another program waits for the file, only the
        runs already querying it go on, and the file is closed when they end; every other run, and
        every run while another program has the file, gets StoreBusy at once."""
        with self._lock:
            if self._someone_waits() and ticket not in self._users:
                if not self._users:
                    self._close()
                raise StoreBusy(f"{self.target}: an import or undo from another program is finishing")
            if self._con is None:
                if time.monotonic() < self._busy_until:
                    raise StoreBusy(f"{self.target} is open in another program")
                try:
                    self._con = connect(self.target, read_only=self.read_only,
                                        lock_wait=None if self.stays_open else self.OPEN_WAIT_SECONDS)
                except StoreBusy:
                    self._busy_until = time.monotonic() + self.BUSY_SECONDS
                    raise
            if ticket is not None and ticket in self._holders:
                self._users.add(ticket)
            return self._con
