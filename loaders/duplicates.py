"""Rows already in the store, by content and by their own ids, not only by the file's bytes.

A file re-saved by Excel, renamed, with its columns in another order, or a monthly export that
overlaps last month's has new bytes but rows the store holds. Each imported row of a survey, NPS or
complaint batch leaves its fingerprint in `row_fingerprint` (schema.sql): a hash of the row as
validation typed it (every field by name, every rating by its item), and its natural id where the
file has one (a complaint's reference; a survey response's id with its time, since survey tools
number each survey's responses from 1). A staged row is already in the store when its id is, or
when the store holds as many rows of its content as the file has up to and including it: two
identical NPS rows (same day, branch and score, no id) are two answers, and a file with three of
them after a batch with two brings one new row.

Management estimates and service standards are checked by the file's bytes only: a new standards
file repeats the standards that did not change, and those rows are the new batch's too.
"""
from __future__ import annotations

from dataclasses import dataclass

import duckdb

from loaders.columns import ColumnMapping, fields_of
from loaders.validate import STAGED_ROWS, STAGED_TYPED
from store.db import quote_identifier

CONTENT_KINDS = ("survey", "nps", "complaints")
STAGED_FINGERPRINTS = "staged_fingerprints"
FINGERPRINT_ROWS = "staged_fingerprint_rows"
FINGERPRINT_ITEMS = "staged_fingerprint_items"
STAGED_DUPLICATES = "staged_duplicates"

# The natural id of a staged row, where its kind has one.
NATURAL_ID = {
    "complaints": "complaint_ref",
    "survey": "CASE WHEN respondent_id IS NOT NULL THEN respondent_id || '@'"
              " || coalesce(strftime(responded_at, '%Y-%m-%d %H:%M:%S'), '') END",
}


@dataclass(frozen=True)
class BatchShare:
    """How many of a file's rows one stored batch already holds."""

    batch_id: str
    source_file: str
    imported_at: object
    rows: int


@dataclass(frozen=True)
class Duplicates:
    """The staged rows the store already holds, and in which batches (most rows first)."""

    rows: int
    total: int
    batches: tuple[BatchShare, ...] = ()

    @property
    def new_rows(self) -> int:
        return self.total - self.rows


def fingerprint_sql(mapping: ColumnMapping) -> tuple[str, dict]:
    """The expression of a staged row's fingerprint and its parameters.

    The fields in name order and the ratings in (kind, item code) order, so that the order of the
    file's columns does not matter; the items' codes are part of the hash, as parameters.
    """
    fields = sorted(f.name for f in fields_of(mapping.kind))
    ratings = sorted(range(len(mapping.ratings)),
                     key=lambda i: (mapping.ratings[i].kind, mapping.ratings[i].item_code, i))
    parts = [quote_identifier(name) for name in fields]
    params: dict = {}
    if ratings:
        params["items"] = "|".join(f"{mapping.ratings[i].kind}:{mapping.ratings[i].item_code}" for i in ratings)
        parts += ["$items::VARCHAR"] + [f"rating_{i}" for i in ratings]
    # DuckDB's own hash of the typed values: md5 over their text costs more than the csv import's
    # floor (bench/: at most 3x DuckDB's read_csv) can spare. It is the pinned engine's: a DuckDB that
    # hashed otherwise would miss the older batches' contents, not refuse new rows (their ids still hold).
    return f"hash({', '.join(parts)})", params


def stage_fingerprints(con: duckdb.DuckDBPyConnection, mapping: ColumnMapping, rows: str = STAGED_ROWS) -> None:
    """The valid staged rows' (`rows`: staged_rows or a query of them) row_no, fingerprint and
    natural_id, as the view staged_fingerprint_rows; for a kind checked by bytes only, an empty table
    staged_fingerprints. The hashes are kept in the table staged_fingerprints only when a stored
    batch of the kind is to be looked in (find_duplicates): the first batch of a kind (a new store's
    import) hashes its rows once, into row_fingerprint (issue 24's csv floor)."""
    con.execute(f"DROP TABLE IF EXISTS {STAGED_FINGERPRINTS}")
    if mapping.kind not in CONTENT_KINDS:
        con.execute(f"CREATE TEMP TABLE {STAGED_FINGERPRINTS} (row_no INTEGER, fingerprint UBIGINT,"
                    " natural_id VARCHAR)")
        return
    expression, params = fingerprint_sql(mapping)
    natural = NATURAL_ID.get(mapping.kind, "NULL::VARCHAR")
    items = ""
    if "items" in params:
        # a view takes no parameters: the items' codes (the file's text) wait in a one-row table
        con.execute(f"CREATE OR REPLACE TEMP TABLE {FINGERPRINT_ITEMS} AS SELECT $items::VARCHAR AS items", params)
        expression = expression.replace("$items::VARCHAR", "i.items")
        items = f", {FINGERPRINT_ITEMS} i"
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW {FINGERPRINT_ROWS} AS SELECT row_no, {expression} AS fingerprint,"
        f" ({natural})::VARCHAR AS natural_id FROM {rows}{items}")


def _fingerprints_kept(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(con.execute("SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name = ?",
                            [STAGED_FINGERPRINTS]).fetchone()[0])


def _keep_fingerprints(con: duckdb.DuckDBPyConnection) -> None:
    """staged_fingerprints from the view, once: a later look (inside the write transaction) and the
    recording read the same hashes, of the rows as they were staged."""
    if not _fingerprints_kept(con):
        con.execute(f"CREATE TEMP TABLE {STAGED_FINGERPRINTS} AS SELECT * FROM {FINGERPRINT_ROWS}")


def find_duplicates(con: duckdb.DuckDBPyConnection, kind: str, rows: str = STAGED_ROWS) -> Duplicates:
    """Which staged rows (those left in `rows`) the store already holds; leaves them in the temporary
    table staged_duplicates (row_no, batch_id). Run inside an import's transaction, so that a batch
    committed a moment ago by another process is counted."""
    total = con.execute(f"SELECT count(*) FROM {rows}").fetchone()[0]
    if not con.execute("SELECT count(*) FROM (SELECT 1 FROM import_batch WHERE kind = ? AND status = 'imported'"
                       " LIMIT 1)", [kind]).fetchone()[0]:
        # the first batch of its kind: nothing to look up (a new store's import)
        con.execute(f"CREATE OR REPLACE TEMP TABLE {STAGED_DUPLICATES} (row_no BIGINT, batch_id UUID)")
        return Duplicates(0, int(total))
    _keep_fingerprints(con)
    # Only the staged rows whose content or id the store holds are numbered among their equals (all
    # valid rows of the file, so that a row skipped before keeps its number); a file of new rows
    # costs two lookups.
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {STAGED_DUPLICATES} AS"
        " WITH stored AS ("
        "   SELECT r.fingerprint, r.natural_id, r.batch_id, b.imported_at FROM row_fingerprint r"
        "   JOIN import_batch b ON b.id = r.batch_id WHERE b.kind = $kind AND b.status = 'imported'"
        f"   AND (r.fingerprint IN (SELECT fingerprint FROM {STAGED_FINGERPRINTS})"
        f"        OR r.natural_id IN (SELECT natural_id FROM {STAGED_FINGERPRINTS} WHERE natural_id IS NOT NULL))),"
        " by_content AS (SELECT fingerprint, count(*) AS held, arg_min(batch_id, imported_at) AS batch_id"
        "   FROM stored GROUP BY fingerprint),"
        " by_id AS (SELECT natural_id, arg_min(batch_id, imported_at) AS batch_id FROM stored"
        "   WHERE natural_id IS NOT NULL GROUP BY natural_id),"
        " known AS ("
        "   SELECT f.row_no, f.fingerprint, f.natural_id,"
        "   row_number() OVER (PARTITION BY f.fingerprint ORDER BY f.row_no) AS occurrence"
        f"   FROM {STAGED_FINGERPRINTS} f WHERE f.fingerprint IN (SELECT fingerprint FROM by_content)"
        "   OR f.natural_id IN (SELECT natural_id FROM by_id))"
        " SELECT s.row_no, coalesce(i.batch_id, c.batch_id) AS batch_id FROM known s"
        " LEFT JOIN by_content c ON c.fingerprint = s.fingerprint AND s.occurrence <= c.held"
        " LEFT JOIN by_id i ON i.natural_id = s.natural_id"
        f" WHERE (c.fingerprint IS NOT NULL OR i.natural_id IS NOT NULL) AND s.row_no IN (SELECT row_no FROM {rows})",
        {"kind": kind})
    shares = con.execute(
        f"SELECT d.batch_id::VARCHAR, b.source_file, b.imported_at, count(*) FROM {STAGED_DUPLICATES} d"
        " JOIN import_batch b ON b.id = d.batch_id GROUP BY ALL ORDER BY 4 DESC, 3, 1").fetchall()
    batches = tuple(BatchShare(batch, source, when, int(rows)) for batch, source, when, rows in shares)
    return Duplicates(sum(b.rows for b in batches), int(total), batches)


def drop_duplicates(con: duckdb.DuckDBPyConnection) -> None:
    """Leave only the new rows staged (an import told to skip the duplicates)."""
    con.execute(f"DELETE FROM {STAGED_TYPED} WHERE row_no IN (SELECT row_no FROM {STAGED_DUPLICATES})")


def record_fingerprints(con: duckdb.DuckDBPyConnection, batch_id: str, kind: str, skipped: bool) -> None:
    """The imported rows' fingerprints and ids, beside the batch, inside the import's transaction
    (`skipped`: rows the store held were left out, and so are their fingerprints)."""
    if kind not in CONTENT_KINDS:
        return
    kept = f" WHERE f.row_no IN (SELECT row_no FROM {STAGED_ROWS})" if skipped else ""
    # the hashes kept when a stored batch was looked in, else the staged rows hashed now (the view:
    # the rows left after any dropped, in their staged order)
    source = STAGED_FINGERPRINTS if _fingerprints_kept(con) else FINGERPRINT_ROWS
    con.execute(
        f"INSERT INTO row_fingerprint SELECT $batch, f.fingerprint, f.natural_id FROM {source} f{kept}",
        {"batch": batch_id})
