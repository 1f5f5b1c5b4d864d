"""Move a store to another (a DuckDB file to a lake, or back) and keep a lake in shape.

Both work on the store's own tables through the one connect(); the command line (python -m loaders
migrate / maintain) calls them.
"""
from __future__ import annotations

import duckdb

from store.db import (
    LAKE_EXTENSIONS, SEEDED_TABLES, connect, extension_file, is_lake, masked, quote_identifier, quote_literal,
    transaction
)
from store.errors import QueryError

# The tables each store's own upgrade fills; the rest are copied.
OWN_TABLES = ("store_version", "store_claim")


def store_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [row[0] for row in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_catalog = current_database()"
        " AND table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name").fetchall()]


def row_counts(con: duckdb.DuckDBPyConnection, prefix: str = "") -> dict[str, int]:
    """Rows per copied table; `prefix` names an attached catalog ("source.")."""
    return {name: con.execute(f"SELECT count(*) FROM {prefix}{quote_identifier(name)}").fetchone()[0]
            for name in store_tables(con) if name not in OWN_TABLES}


def migrate(source: str, target: str) -> dict[str, int]:
    """Copy every table of `source` into `target` (new or empty), in one transaction; the rows per
    table, equal in both (checked). The source is brought up to date first, so both have one layout."""
    # a mistyped source is an error, not a new empty store copied into the target
    connect(source, create=False).close()
    con = connect(target)
    try:
        # the target's own upgrade seeded the defaults (alert rules): the source's rows replace them
        filled = {name: rows for name, rows in row_counts(con).items() if rows and name not in SEEDED_TABLES}
        if filled:
            raise QueryError(f"{masked(target)} already holds data ({', '.join(sorted(filled))}):"
                             " migrate copies into a new or empty store only")
        tables = [name for name in store_tables(con) if name not in OWN_TABLES]
        _attach_source(con, source)
        try:
            with transaction(con, f"copying into {masked(target)} was rolled back, nothing changed"):
                for name in tables:
                    if name in SEEDED_TABLES:
                        con.execute(f"DELETE FROM {quote_identifier(name)}")
                    columns = ", ".join(quote_identifier(c[0]) for c in con.execute(
                        f"DESCRIBE {quote_identifier(name)}").fetchall())
                    con.execute(f"INSERT INTO {quote_identifier(name)} ({columns})"
                                f" SELECT {columns} FROM source.{quote_identifier(name)}")
            copied = row_counts(con)
            expected = {name: con.execute(f"SELECT count(*) FROM source.{quote_identifier(name)}").fetchone()[0]
                        for name in tables}
        finally:
            con.execute("DETACH source")
    finally:
        con.close()
    if copied != expected:
        raise QueryError(f"the copy in {masked(target)} differs from the source: {expected} rows, {copied} copied")
    return copied


def _attach_source(con: duckdb.DuckDBPyConnection, source: str) -> None:
    try:
        if is_lake(source):
            for name in LAKE_EXTENSIONS:
                con.execute(f"LOAD {quote_literal(str(extension_file(name)))}")
        con.execute(f"ATTACH {quote_literal(source)} AS source (READ_ONLY)")
    except duckdb.Error as e:
        raise QueryError(masked(f"could not open the source {source}: {e}")) from e


def maintain(url: str) -> dict[str, int]:
    """A lake's routine care (DuckLake's recommended maintenance): merge the small Parquet files each
    import writes, expire snapshots older than a week (time travel further back is given up), and
    delete the files no snapshot needs. A DuckDB file needs none: DuckDB checkpoints it itself."""
    con = connect(url, create=False)
    try:
        if not is_lake(url):
            con.execute("CHECKPOINT")
            return {}
        lake = quote_literal(con.execute("SELECT current_database()").fetchone()[0])
        merged = con.execute(f"SELECT count(*) FROM ducklake_merge_adjacent_files({lake})").fetchone()[0]
        expired = con.execute(f"SELECT count(*) FROM ducklake_expire_snapshots({lake},"
                              " older_than => now() - INTERVAL 7 DAY)").fetchone()[0]
        cleaned = con.execute(f"SELECT count(*) FROM ducklake_cleanup_old_files({lake},"
                              " older_than => now() - INTERVAL 7 DAY)").fetchone()[0]
        return {"files_merged": merged, "snapshots_expired": expired, "files_deleted": cleaned}
    except duckdb.Error as e:
        raise QueryError(masked(f"maintenance of {url} failed: {e}")) from e
    finally:
        con.close()
