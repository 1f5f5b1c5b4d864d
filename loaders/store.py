"""The one way to open the store, its schema, and identifier quoting.

A DuckDB file by default (data/feedback.duckdb, or env FEEDBACK_DB). A `ducklake:` path opens a
DuckLake catalog instead, with the extension loaded from its PyPI package, since nothing may be
downloaded at run time. Nothing else in the code base knows which store it talks to.
"""
from __future__ import annotations

import os
from pathlib import Path

import duckdb

from loaders.errors import QueryError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = PROJECT_ROOT / "data" / "feedback.duckdb"
SCHEMA_SQL = (Path(__file__).with_name("schema.sql")).read_text(encoding="utf-8")
DUCKLAKE_PREFIX = "ducklake:"


def default_db_path() -> str:
    return os.environ.get("FEEDBACK_DB") or str(DEFAULT_DB)


def quote_identifier(name: str) -> str:
    """Quote a name that comes from data (a header, an attribute) for use as an SQL identifier."""
    return '"' + str(name).replace('"', '""') + '"'


def _ducklake_extension_path() -> str:
    import duckdb_extension_ducklake

    package_dir = Path(duckdb_extension_ducklake.__file__).parent
    found = sorted(package_dir.glob(f"extensions/v{duckdb.__version__}/ducklake.duckdb_extension"))
    if not found:
        raise QueryError(f"the DuckLake extension for DuckDB {duckdb.__version__} is not installed")
    return str(found[0])


def connect(path: str | os.PathLike | None = None, *, read_only: bool = False,
            create: bool = True) -> duckdb.DuckDBPyConnection:
    """Open the store and make sure its tables exist.

    `path` is a DuckDB file, ":memory:", or "ducklake:<catalog>" with env FEEDBACK_LAKE_DATA
    naming the folder for its Parquet files.
    """
    target = str(path) if path is not None else default_db_path()
    try:
        if target.startswith(DUCKLAKE_PREFIX):
            con = duckdb.connect(config={"autoinstall_known_extensions": False,
                                         "autoload_known_extensions": False})
            con.execute(f"LOAD {quote_literal(_ducklake_extension_path())}")
            data_path = os.environ.get("FEEDBACK_LAKE_DATA", target[len(DUCKLAKE_PREFIX):] + ".files")
            con.execute(f"ATTACH {quote_literal(target)} AS lake (DATA_PATH {quote_literal(data_path)})")
            con.execute("USE lake")
        else:
            if target != ":memory:":
                if not create and not Path(target).exists():
                    raise QueryError(f"no database at {target}: run `python -m loaders demo` or import a file")
                Path(target).parent.mkdir(parents=True, exist_ok=True)
            con = duckdb.connect(target, read_only=read_only,
                                 config={"autoinstall_known_extensions": False})
    except duckdb.Error as e:
        raise QueryError(f"DuckDB could not open {target}: {e}") from e
    if not read_only:
        ensure_schema(con)
    return con


def quote_literal(value: str) -> str:
    """Quote a string literal where SQL takes no parameter (ATTACH, LOAD)."""
    return "'" + str(value).replace("'", "''") + "'"


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    for statement in _statements(SCHEMA_SQL):
        con.execute(statement)


def _statements(sql: str) -> list[str]:
    without_comments = "\n".join(line.split("--", 1)[0] for line in sql.splitlines())
    return [s.strip() for s in without_comments.split(";") if s.strip()]


def data_version(con: duckdb.DuckDBPyConnection) -> str:
    """Changes whenever an import or an undo lands; pages key their caches on it."""
    row = con.execute(
        "SELECT count(*), max(imported_at), max(undone_at) FROM import_batch"
    ).fetchone()
    return "|".join(str(v) for v in row)
