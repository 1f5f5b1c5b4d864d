"""The counts that say whether a new sentiment model or new themes are due (loaders/learning.py),
kept so that an import which cannot have made either due reads no comment.

A count taken at one moment (the labelled comments, or the distinct stored texts) bounds every later
one: the count now is at most that count plus the rows written since. The rows written since are
measured by `rows_ever`: the rows the tables hold plus those the undone batches took away, a number
that only grows (an undo takes one batch's rows away and marks it undone in one transaction). Read
before the count it goes with, it can only make the bound larger, never wrong."""
from __future__ import annotations

import datetime as dt

import duckdb

from store.db import quote_identifier, quote_literal, write_claimed
from store.errors import StoreBusy

# the tables whose rows may hold what is counted, and the kind of import that writes each
COUNTED_TABLES = {"labels": ("nps_response", "survey_response"),
                  "texts": ("survey_response", "nps_response", "complaint")}
KIND_OF_TABLE = {"survey_response": "survey", "nps_response": "nps", "complaint": "complaints"}


def rows_ever(con: duckdb.DuckDBPyConnection, what: str) -> int:
    """Rows ever written to the tables that hold `what`: those held now (a table's row count, which
    DuckDB and DuckLake know without reading the rows) and those of undone batches."""
    tables = COUNTED_TABLES[what]
    held = " + ".join(f"(SELECT count(*) FROM {quote_identifier(table)})" for table in tables)
    kinds = ", ".join(quote_literal(KIND_OF_TABLE[table]) for table in tables)
    undone = ("(SELECT coalesce(sum(rows_accepted), 0) FROM import_batch"
              f" WHERE status = 'undone' AND kind IN ({kinds}))")
    return int(con.execute(f"SELECT {held} + {undone}").fetchone()[0])


def least_margin(con: duckdb.DuckDBPyConnection, what: str) -> int | None:
    """The tightest kept count of `what` less the rows ever written when it was taken (None before
    any): the store holds at most this plus rows_ever now."""
    least = con.execute("SELECT min(counted - rows_ever) FROM learning_count WHERE what = ?", [what]).fetchone()[0]
    return None if least is None else int(least)


def keep_count(con: duckdb.DuckDBPyConnection, what: str, counted: int, rows_before: int,
               version: int | None = None) -> None:
    """Keep a count taken after `rows_before` was read, inside the caller's transaction."""
    con.execute("INSERT INTO learning_count VALUES (?, ?, ?, ?, ?)",
                [what, dt.datetime.now().replace(microsecond=0), counted, rows_before, version])


def keep_count_claimed(con: duckdb.DuckDBPyConnection, what: str, counted: int, rows_before: int) -> None:
    """keep_count in a transaction of its own, holding the store's writer row as every write after an
    import does; left unkept while another writer holds it: a later check counts again."""
    try:
        write_claimed(con, lambda: keep_count(con, what, counted, rows_before),
                      failure="the count of the texts learned from could not be kept")
    except StoreBusy:
        pass


def trained_on(con: duckdb.DuckDBPyConnection, version: int) -> int | None:
    """The labelled comments the store held when model `version` was trained (None for a model
    trained before these counts were kept)."""
    row = con.execute("SELECT max(counted) FROM learning_count WHERE what = 'labels' AND version = ?",
                      [version]).fetchone()
    return None if row[0] is None else int(row[0])
