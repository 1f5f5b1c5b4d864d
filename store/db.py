"""The one way to open the store, its schema, and identifier quoting.

A DuckDB file by default (data/feedback.duckdb, or env FEEDBACK_DB). A `ducklake:` path opens a
DuckLake catalog instead, with the extension loaded from its PyPI package, since nothing may be
downloaded at run time. Nothing else in the code base knows which store it talks to.
"""
from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path

import duckdb
import pandas as pd

from store.errors import QueryError
from store.sums import NPS_MEASURES, SENTIMENT_MEASURES, month_key_sql, tally_sql
from text.steps import handling_step
from text.tokens import complaint_token_sets

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = PROJECT_ROOT / "data" / "feedback.duckdb"
SCHEMA_SQL = (Path(__file__).with_name("schema.sql")).read_text(encoding="utf-8")
DUCKLAKE_PREFIX = "ducklake:"


# DuckDB takes up to 80% of the machine's memory by default, and a million-row import then peaked
# at 2.3 GB; with a limit it spills to its temporary files instead (1.7 GB, as fast). The dashboard's
# queries use far less. Env FEEDBACK_DUCKDB_MEMORY sets another limit ("4GB").
DEFAULT_MEMORY_LIMIT = "1GB"
_MEMORY = re.compile(r"^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$", re.IGNORECASE)


def memory_limit() -> str:
    value = os.environ.get("FEEDBACK_DUCKDB_MEMORY", "").strip() or DEFAULT_MEMORY_LIMIT
    if not _MEMORY.match(value):
        raise QueryError(f"FEEDBACK_DUCKDB_MEMORY={value!r} is not a size DuckDB takes; write it like 1GB or 512MB")
    return value


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
    limit = memory_limit()
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
        # no progress bar: a long query (a million-row import) would draw one on the app's output
        con.execute("SET enable_progress_bar = false")
        con.execute(f"SET memory_limit = {quote_literal(limit)}")
    except duckdb.Error as e:
        raise QueryError(f"DuckDB could not open {target}: {e}") from e
    if read_only:
        _refuse_outdated(con, target)
    else:
        ensure_schema(con)
    return con


def _refuse_outdated(con: duckdb.DuckDBPyConnection, target: str) -> None:
    """A read-only store cannot be upgraded (ensure_schema): say so, rather than fail in a metric."""
    found = {row[0] for row in con.execute(
        "SELECT table_name || '.' || column_name FROM information_schema.columns"
        " WHERE table_schema = current_schema() AND table_name IN ('survey_score', 'complaint')").fetchall()}
    complaint_columns = {name for name in found if name.startswith("complaint.")}
    outdated = any(name.startswith("survey_score.") for name in found) or (
        complaint_columns and not {"complaint.description_words", "complaint.handling_step"} <= complaint_columns) or any(
        _has_table(con, source) and not _has_table(con, name) for name, source in SUMS_TABLES.items())
    if outdated:
        con.close()
        raise QueryError(f"{target} was written by an earlier version of the dashboard and cannot be read"
                         " read-only: open it once with the dashboard or `python -m loaders` to bring it"
                         " up to date, then try again")


@contextlib.contextmanager
def transaction(con: duckdb.DuckDBPyConnection, failure: str):
    """The block's statements as one transaction: committed when it ends, rolled back when anything
    fails, a DuckDB error raised as a QueryError that starts with `failure`."""
    try:
        con.execute("BEGIN TRANSACTION")
        yield
        con.execute("COMMIT")
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
SUMS_TABLES = {"survey_moments": "survey_response", "survey_tally": "survey_response",
               "nps_tally": "nps_response", "complaint_tally": "complaint"}


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    _move_narrow_ratings(con)
    # a store that has the rows but not yet their sums (a new store has neither)
    missing = [name for name, source in SUMS_TABLES.items() if _has_table(con, source) and not _has_table(con, name)]
    unstepped = _has_table(con, "complaint") and not _has_column(con, "complaint", "handling_step")
    for statement in _statements(SCHEMA_SQL):
        con.execute(statement)
    _cut_old_descriptions(con)
    if unstepped:
        _step_old_complaints(con)
    if missing:
        _sum_old_batches(con, missing)


def _has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return bool(con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = ?"
        " AND table_schema = current_schema() AND table_type = 'BASE TABLE'", [name]).fetchone()[0])


def _has_column(con: duckdb.DuckDBPyConnection, table: str, column: str) -> bool:
    return bool(con.execute(
        "SELECT count(*) FROM information_schema.columns WHERE table_name = ? AND column_name = ?"
        " AND table_schema = current_schema()", [table, column]).fetchone()[0])


def _tally_measures() -> dict[str, dict[str, str]]:
    return {"survey_tally": SENTIMENT_MEASURES, "nps_tally": {**NPS_MEASURES, **SENTIMENT_MEASURES},
            "complaint_tally": SENTIMENT_MEASURES}


def write_sums(con: duckdb.DuckDBPyConnection, table: str, batch_id: str, *, scores: str | None = None) -> None:
    """A batch's rows of the sums tables of `table` (its tally, and a survey's moments), from the
    batch's rows, inside the caller's transaction. `scores`: a survey batch's score lists as a
    relation (write_survey_moments), when the caller has them at hand."""
    for name, source in SUMS_TABLES.items():
        if source == table:
            _write_sums(con, name, batch_id, scores)


def _write_sums(con: duckdb.DuckDBPyConnection, name: str, batch_id: str | None, scores: str | None = None) -> None:
    """One sums table's rows for a batch, or for every batch (batch_id None)."""
    if name == "survey_moments":
        batches = [batch_id] if batch_id is not None else [row[0] for row in con.execute(
            "SELECT DISTINCT CAST(batch_id AS VARCHAR) FROM survey_item ORDER BY 1").fetchall()]
        for batch in batches:
            write_survey_moments(con, batch, scores)
        return
    columns, select = tally_sql(SUMS_TABLES[name], _tally_measures()[name], every_batch=batch_id is None)
    con.execute(f"INSERT INTO {name} ({columns}) {select}", {"batch": batch_id} if batch_id is not None else {})


def rewrite_tallies(con: duckdb.DuckDBPyConnection) -> None:
    """Every batch's tally rows again, from the rows as they are now (after a rescoring), inside the
    caller's transaction."""
    for name in _tally_measures():
        con.execute(f"DELETE FROM {name}")
        _write_sums(con, name, None)


def write_survey_moments(con: duckdb.DuckDBPyConnection, batch_id: str, scores: str | None = None) -> None:
    """One batch's rows of survey_moments (schema.sql), from its respondents' score lists: those in
    survey_response, or `scores`, a relation of the batch's responded_at, satisfaction_scores and
    importance_scores (an import passes its staged rows: rows written in the open transaction are
    read much more slowly, and the csv import's floor, at most 3× DuckDB's read_csv, is close)."""
    lengths = dict(con.execute(
        "SELECT kind, max(position) FROM survey_item WHERE batch_id = ? AND kind IN ('satisfaction', 'importance')"
        " GROUP BY kind", [batch_id]).fetchall())
    rated, weighed = int(lengths.get("satisfaction") or 0), int(lengths.get("importance") or 0)
    if not rated and not weighed:
        return
    columns = [f"satisfaction_scores[{p}] AS s{p}" for p in range(1, rated + 1)]
    columns += [f"importance_scores[{p}] AS m{p}" for p in range(1, weighed + 1)]
    answered = ", ".join(f"CASE WHEN s{p} IS NULL THEN '0' ELSE '1' END" for p in range(1, rated + 1))
    # pairs j by j (i <= j): a batch with fewer positions writes a prefix of a longer batch's list
    products = [f"coalesce(sum(s{i} * s{j}), 0)" for j in range(1, rated + 1) for i in range(1, j + 1)]
    con.execute(
        "INSERT INTO survey_moments SELECT $batch, month, " + (f"concat({answered})" if rated else "''")
        + ", count(*), " + _list([f"coalesce(sum(s{p}), 0)" for p in range(1, rated + 1)], "DOUBLE")
        + ", " + _list(products, "DOUBLE")
        + ", " + _list([f"count(m{p})" for p in range(1, weighed + 1)], "BIGINT")
        + ", " + _list([f"coalesce(sum(m{p}), 0)" for p in range(1, weighed + 1)], "DOUBLE")
        + f" FROM (SELECT {month_key_sql('responded_at')} AS month, " + ", ".join(columns)
        + f" FROM {scores or _BATCH_SCORES} AS r"
        " WHERE (satisfaction_scores IS NOT NULL OR importance_scores IS NOT NULL)) GROUP BY ALL",
        {"batch": batch_id})


_BATCH_SCORES = ("(SELECT responded_at, satisfaction_scores, importance_scores FROM survey_response"
                 " WHERE batch_id = $batch)")


def _list(elements: list[str], type_name: str) -> str:
    return f"[{', '.join(elements)}]::{type_name}[]"


def _sum_old_batches(con: duckdb.DuckDBPyConnection, names: list[str]) -> None:
    """A store from before some sums tables gets them for every batch, once, in one transaction."""
    with transaction(con, "the store's imports could not be summed by month"):
        for name in names:
            _write_sums(con, name, None)


def cut_descriptions(con: duckdb.DuckDBPyConnection, texts: list[str], table: str) -> None:
    """A temporary `table` (text, words): each distinct text's words as complaint_tokens gives them."""
    words = complaint_token_sets(texts)
    frame = pd.DataFrame({"text": pd.Series(list(words), dtype=object),
                          "words": pd.Series([sorted(w) for w in words.values()], dtype=object)})
    con.register("description_words_frame", frame)
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {quote_identifier(table)} AS SELECT text::VARCHAR AS text,"
                    " words::VARCHAR[] AS words FROM description_words_frame")
    finally:
        con.unregister("description_words_frame")


def _cut_old_descriptions(con: duckdb.DuckDBPyConnection) -> None:
    """Complaints imported before their words were stored get them, once, in one transaction."""
    texts = [r[0] for r in con.execute(
        "SELECT DISTINCT description FROM complaint WHERE description_words IS NULL AND description IS NOT NULL"
    ).fetchall()]
    if not texts:
        return
    cut_descriptions(con, texts, "old_description_words")
    try:
        with transaction(con, "the store's complaints could not be given their words"):
            con.execute("UPDATE complaint SET description_words = w.words FROM old_description_words w"
                        " WHERE complaint.description = w.text AND complaint.description_words IS NULL")
    finally:
        con.execute("DROP TABLE IF EXISTS old_description_words")


# -- complaint handling steps (issue 23): one additive column, kept apart from the other upgrades --

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


def _step_old_complaints(con: duckdb.DuckDBPyConnection) -> None:
    """Complaints imported before handling steps get theirs from their status words, once."""
    statuses = [r[0] for r in con.execute(
        "SELECT DISTINCT status FROM complaint WHERE status IS NOT NULL").fetchall()]
    if not statuses:
        return
    status_steps(con, statuses, "old_status_steps")
    try:
        with transaction(con, "the store's complaints could not be given their handling steps"):
            con.execute("UPDATE complaint SET handling_step = m.step FROM old_status_steps m"
                        " WHERE complaint.status = m.status")
    finally:
        con.execute("DROP TABLE IF EXISTS old_status_steps")


# The score list of each kind of rated item on survey_response (schema.sql).
SCORE_LISTS = {"satisfaction": "satisfaction_scores", "importance": "importance_scores",
               "perception": "perception_scores", "expectation": "expectation_scores"}

# How many ratings the lists hold (one survey_rating row each), without unfolding them.
RATINGS_COUNT_SQL = ("SELECT coalesce(sum(" + " + ".join(
    f"coalesce(list_aggregate({column}, 'count'), 0)" for column in SCORE_LISTS.values())
    + "), 0) FROM survey_response")


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
    row per rating) into the score lists, in one transaction; the ratings and their view stay the same."""
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
    with transaction(con, "the store's survey ratings could not be moved to the new layout"):
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


def data_version(con: duckdb.DuckDBPyConnection) -> str:
    """Changes whenever an import or an undo lands; pages key their caches on it."""
    row = con.execute(
        "SELECT count(*), max(imported_at), max(undone_at) FROM import_batch"
    ).fetchone()
    return "|".join(str(v) for v in row)
