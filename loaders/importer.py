"""Import a file as one batch, in one transaction; list batches; undo one.

read -> map -> validate -> score sentiment -> write. Either every accepted row lands with its
batch, or nothing does. A file already imported (same sha256) is refused.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import duckdb
import pandas as pd

from loaders.columns import (
    DIMENSION_WORDS, ColumnMapping, infer_mapping, is_column_guide_sheet, is_questions_sheet, layout_key,
    normalise_header, normalise_kind
)
from loaders.errors import LoadError, RowProblem, ValidationError
from loaders.read import EXCEL_SUFFIXES, SourceTable, read_source, sheet_names
from loaders.validate import STAGED_PROBLEMS, STAGED_ROWS, StageReport, missing_required, stage
from store.db import (
    RATINGS_COUNT_SQL, SCORE_LISTS, SUMS_TABLES, ItemPositions, cut_descriptions, write_claimed, write_sums
)
from store.errors import FeedbackError
from text.causes import derive_causes
from text.sentiment import score_texts

Progress = Callable[[float, str], None]

# Rejected rows kept with their batch, so an analyst can see later what was skipped.
REJECTED_KEPT = 10_000
TEXT_COLUMN = {"survey": "comment", "nps": "comment", "complaints": "description"}


@dataclass(frozen=True)
class PreparedFile:
    """A file read and mapped, ready to validate and import."""

    source: SourceTable
    questions: SourceTable | None
    mapping: ColumnMapping
    mapping_origin: str          # inferred | saved | given


@dataclass(frozen=True)
class ImportResult:
    batch_id: str
    kind: str
    file_name: str
    sheet: str | None
    rows_accepted: int
    rows_rejected: int
    ratings: int = 0
    texts_scored: int = 0
    skipped: tuple[RowProblem, ...] = field(default_factory=tuple)   # the first skipped problems
    skipped_problems: int = 0                                          # how many in all


def _no_progress(_fraction: float, _message: str) -> None:
    pass


# --- reading and mapping ---------------------------------------------------------------------

def prepare(con: duckdb.DuckDBPyConnection | None, path: str | os.PathLike, kind: str = "auto",
            sheet: str | None = None, mapping: ColumnMapping | None = None,
            display_name: str | None = None) -> PreparedFile:
    """Read the file (choosing its data and questions sheets) and settle its column mapping.

    A mapping saved for the same headers (last month's file) wins over inference; an explicit
    `mapping` wins over both.
    """
    path = Path(path)
    name = display_name or path.name
    questions = None
    if path.suffix.lower() in EXCEL_SUFFIXES:
        source, questions = _read_workbook_sheets(path, sheet, name)
    else:
        source = read_source(path, sheet, display_name=name)
    if mapping is not None:
        return PreparedFile(source, questions, mapping, "given")
    wanted = None if kind in (None, "", "auto") else normalise_kind(kind)
    if con is not None:
        saved = saved_mapping(con, source.headers)
        if saved is not None and (wanted is None or saved.kind == wanted):
            return PreparedFile(source, questions, saved, "saved")
    inferred = infer_mapping(source, wanted or "auto", questions if wanted in (None, "survey") else None)
    return PreparedFile(source, questions, inferred, "inferred")


def _read_workbook_sheets(path: Path, sheet: str | None, name: str):
    names = sheet_names(path)
    if not names:
        raise LoadError(f"{name}: the workbook has no sheets")
    data = read_source(path, sheet, display_name=name) if sheet else None
    questions = None
    first_error: LoadError | None = None
    for candidate in names:
        if candidate == sheet:
            continue
        try:
            table = read_source(path, candidate, display_name=name)
        except LoadError as e:
            first_error = first_error or e
            continue
        if is_questions_sheet(table.headers):
            questions = questions or table
        elif data is None and not is_column_guide_sheet(table.headers):
            data = table
    if data is None and first_error is not None:
        raise first_error
    if data is None:
        raise LoadError(f"{name}: no sheet holds data rows (sheets: {', '.join(names)});"
                        " put the responses on the first sheet or name it with --sheet")
    return data, questions


def saved_mapping(con: duckdb.DuckDBPyConnection, headers) -> ColumnMapping | None:
    row = con.execute(
        "SELECT mapping_json FROM saved_mapping WHERE layout_key = ? ORDER BY saved_at DESC, rowid DESC LIMIT 1",
        [layout_key(headers)]).fetchone()
    return ColumnMapping.from_json(row[0]) if row else None


def save_mapping(con: duckdb.DuckDBPyConnection, headers, mapping: ColumnMapping) -> None:
    """Insert-only (the newest row of a layout wins, saved_mapping): two imports of one layout at the
    same moment never conflict over it. saved_at keeps its microseconds, to order two saves."""
    con.execute("INSERT INTO saved_mapping VALUES (?, ?, ?, ?)",
                [layout_key(headers), mapping.kind, mapping.to_json(), dt.datetime.now()])


# --- validation ------------------------------------------------------------------------------

def check(con: duckdb.DuckDBPyConnection, prepared: PreparedFile) -> StageReport:
    """Validate without importing (the upload page's report). Leaves only temp tables behind."""
    _require_columns(prepared)
    return stage(con, prepared.source, prepared.mapping)


def _require_columns(prepared: PreparedFile) -> None:
    missing = missing_required(prepared.mapping)
    if missing:
        f = missing[0]
        names = ", ".join(f"'{m.label_en}' / '{m.label_zh}'" for m in missing)
        raise LoadError(
            f"{prepared.source.where()}: no column for {names}. Name a column '{f.label_en}' or"
            f" '{f.label_zh}' (or any of: {', '.join(f.synonyms[:6])}), or map one to it"
        )
    if prepared.mapping.kind == "survey" and not prepared.mapping.ratings and \
            "overall_satisfaction" not in prepared.mapping.fields:
        raise LoadError(f"{prepared.source.where()}: no rating columns were found; a survey needs"
                        " columns of scores (e.g. A01, E_S01) or a Questions sheet naming them")


# --- import ----------------------------------------------------------------------------------

def import_file(con: duckdb.DuckDBPyConnection, path: str | os.PathLike, kind: str = "auto",
                sheet: str | None = None, mapping: ColumnMapping | None = None,
                skip_invalid: bool = False, display_name: str | None = None,
                imported_by: str | None = None, progress: Progress | None = None,
                remember_mapping: bool = True) -> ImportResult:
    """Import one file as one batch. Raises LoadError / ValidationError and changes nothing then."""
    progress = progress or _no_progress
    progress(0.05, "reading")
    prepared = prepare(con, path, kind, sheet, mapping, display_name)
    return import_prepared(con, prepared, skip_invalid=skip_invalid, imported_by=imported_by,
                           progress=progress, remember_mapping=remember_mapping)


def import_prepared(con: duckdb.DuckDBPyConnection, prepared: PreparedFile, skip_invalid: bool = False,
                    imported_by: str | None = None, progress: Progress | None = None,
                    remember_mapping: bool = True) -> ImportResult:
    progress = progress or _no_progress
    source, mapping = prepared.source, prepared.mapping
    _refuse_duplicate(con, source)
    progress(0.25, "validating")
    report = check(con, prepared)
    if (report.rows_invalid and not skip_invalid) or report.rows_valid == 0:
        raise ValidationError(list(report.problems), report.rows_total, report.rows_invalid, report.problem_count)
    if report.rows_invalid:
        # Skipped rows leave the staged rows here, so every writer below takes all that is left.
        con.execute(f"DELETE FROM {STAGED_ROWS} WHERE row_no IN (SELECT row_no FROM {STAGED_PROBLEMS})")
    progress(0.45, "scoring sentiment")
    texts_scored = _score_sentiment(con, mapping.kind)
    if mapping.kind == "complaints":
        _derive_causes(con)
        _cut_descriptions(con)
    progress(0.7, "writing")
    batch_id = str(uuid.uuid4())
    rejected = _rejected_json(con, source) if report.rows_invalid else None
    imported_at = _now()

    def write() -> int:
        # inside the transaction, so that the same file imported by another process at the same
        # moment is seen here, or conflicts on the writer row and is seen on the retry
        _refuse_duplicate(con, source)
        con.execute(
            "INSERT INTO import_batch (id, kind, source_file, source_sheet, sha256, rows_accepted,"
            " rows_rejected, imported_at, imported_by, status, mapping_json, rejected_json)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'imported', ?, ?)",
            [batch_id, mapping.kind, source.file_name, source.sheet, source.sha256, report.rows_valid,
             report.rows_invalid, imported_at, imported_by, mapping.to_json(), rejected])
        written = _WRITERS[mapping.kind](con, batch_id, mapping)
        if remember_mapping:
            save_mapping(con, source.headers, mapping)
        return written

    ratings = write_claimed(con, write, who=imported_by,
                            failure=f"{source.where()}: the import was rolled back, nothing changed")
    progress(1.0, "done")
    skipped = report.problems if report.rows_invalid else ()
    return ImportResult(batch_id, mapping.kind, source.file_name, source.sheet, report.rows_valid,
                        report.rows_invalid, ratings, texts_scored, tuple(skipped),
                        report.problem_count if report.rows_invalid else 0)


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def _refuse_duplicate(con, source: SourceTable) -> None:
    row = con.execute(
        "SELECT id::VARCHAR, imported_at, source_file FROM import_batch WHERE sha256 = ? AND status = 'imported'"
        " ORDER BY imported_at LIMIT 1", [source.sha256]).fetchone()
    if row:
        raise LoadError(
            f"{source.file_name}: this file was already imported on {row[1]:%Y-%m-%d %H:%M} as batch"
            f" {row[0][:8]} ({row[2]}); nothing was imported again. Undo that batch first to re-import it"
        )


def _rejected_json(con, source: SourceTable) -> str:
    rows = con.execute(
        f"SELECT row_no, column_name, value, problem, fix, vals FROM {STAGED_PROBLEMS}"
        f" ORDER BY row_no LIMIT {REJECTED_KEPT}").fetchall()
    return json.dumps([{"row": r[0], "column": r[1], "value": r[2], "code": r[3], "fix_code": r[4],
                        "values": json.loads(r[5])} for r in rows], ensure_ascii=False)


def _score_sentiment(con, kind: str) -> int:
    column = TEXT_COLUMN.get(kind)
    if column is None:
        return 0
    texts = [r[0] for r in con.execute(
        f"SELECT DISTINCT {column} FROM {STAGED_ROWS} WHERE {column} IS NOT NULL").fetchall()]
    scored = score_texts(texts)
    con.register("scored_texts_frame", scored)
    con.execute("CREATE OR REPLACE TEMP TABLE scored_texts AS SELECT text, language,"
                " sentiment::DOUBLE AS sentiment FROM scored_texts_frame")
    con.unregister("scored_texts_frame")
    return len(scored)


def _derive_causes(con) -> None:
    """Complaints without a cause get one from the words of their description."""
    missing = con.execute(
        f"SELECT DISTINCT description FROM {STAGED_ROWS} WHERE cause IS NULL AND description IS NOT NULL"
    ).fetchall()
    derived = pd.DataFrame({"text": pd.Series(dtype=str), "cause": pd.Series(dtype=str)})
    if missing:
        labelled = con.execute(
            f"SELECT description AS text, cause FROM {STAGED_ROWS} WHERE cause IS NOT NULL"
            " AND description IS NOT NULL UNION ALL SELECT description, cause FROM complaint"
            " WHERE cause_source = 'given' AND description IS NOT NULL").df()
        texts = [r[0] for r in missing]
        causes = derive_causes(labelled, texts)
        derived = pd.DataFrame({"text": texts, "cause": list(causes)})
    con.register("derived_cause_frame", derived)
    con.execute("CREATE OR REPLACE TEMP TABLE derived_cause AS SELECT text::VARCHAR AS text,"
                " cause::VARCHAR AS cause FROM derived_cause_frame WHERE cause IS NOT NULL")
    con.unregister("derived_cause_frame")


def _cut_descriptions(con) -> None:
    """Each distinct description's words, stored with the complaint so the dashboard finds a cause's
    most typical complaint in SQL, without loading jieba."""
    texts = [r[0] for r in con.execute(
        f"SELECT DISTINCT description FROM {STAGED_ROWS} WHERE description IS NOT NULL").fetchall()]
    cut_descriptions(con, texts, "description_words")




def _write_survey(con, batch_id: str, mapping: ColumnMapping) -> int:
    low, high = mapping.overall_scale or (None, None)
    ratings = mapping.ratings
    positions = ItemPositions.of_store(con).assign(
        [(r.kind, r.item_code, r.item_text, r.dimension, r.scale_min, r.scale_max) for r in ratings])
    lists = []
    for kind, column in SCORE_LISTS.items():
        scores = {}
        for i, (rating, position) in enumerate(zip(ratings, positions)):
            if rating.kind == kind:
                na = "" if rating.na_code is None else f" AND s.rating_{i} <> {float(rating.na_code)}"
                scores[position] = f"CASE WHEN s.rating_{i} IS NOT NULL{na} THEN s.rating_{i} END"
        if not scores:
            lists.append("NULL::DOUBLE[]")
            continue
        elements = ", ".join(scores.get(p, "NULL::DOUBLE") for p in range(1, max(scores) + 1))
        # a respondent who rated nothing of this kind gets no list, which costs nothing to scan
        lists.append(f"CASE WHEN coalesce({', '.join(scores.values())}) IS NULL THEN NULL"
                     f" ELSE [{elements}]::DOUBLE[] END")
    con.execute(
        "INSERT INTO survey_response (batch_id, row_no, respondent_id, customer_id, responded_at, branch,"
        " region, channel, product, segment, overall_satisfaction, overall_scale_min, overall_scale_max,"
        " likelihood_to_recommend, comment, comment_language, sentiment, " + ", ".join(SCORE_LISTS.values())
        + ") SELECT $batch, s.row_no, s.respondent_id, s.customer_id,"
        " s.responded_at, s.branch, s.region, s.channel, s.product, s.segment,"
        " s.overall_satisfaction, $low, $high, s.likelihood_to_recommend, s.comment,"
        f" t.language, t.sentiment, {', '.join(lists)} FROM {STAGED_ROWS} s"
        " LEFT JOIN scored_texts t ON t.text = s.comment ORDER BY s.row_no",
        {"batch": batch_id, "low": low, "high": high})
    if not ratings:
        write_sums(con, "survey_response", batch_id)
        return 0
    con.executemany(
        "INSERT INTO survey_item VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [[batch_id, i, r.column, r.item_code, r.item_text, r.dimension, r.kind, float(r.scale_min),
          float(r.scale_max), None if r.na_code is None else float(r.na_code), position]
         for i, (r, position) in enumerate(zip(ratings, positions))])
    # the monthly sums read the staged rows' score lists, the same expressions as the rows just written
    by_kind = dict(zip(SCORE_LISTS, lists))
    staged = (f"(SELECT s.responded_at, {by_kind['satisfaction']} AS satisfaction_scores,"
              f" {by_kind['importance']} AS importance_scores FROM {STAGED_ROWS} s)")
    write_sums(con, "survey_response", batch_id, scores=staged)
    return con.execute(RATINGS_COUNT_SQL + " WHERE batch_id = ?", [batch_id]).fetchone()[0]


def _write_nps(con, batch_id: str, mapping: ColumnMapping) -> int:
    con.execute(
        "INSERT INTO nps_response SELECT $batch, s.row_no, s.customer_id, s.responded_at,"
        " s.score::INTEGER, s.touchpoint, s.branch, s.region, s.channel, s.segment, s.product,"
        f" s.comment, t.language, t.sentiment FROM {STAGED_ROWS} s"
        " LEFT JOIN scored_texts t ON t.text = s.comment ORDER BY s.row_no",
        {"batch": batch_id})
    write_sums(con, "nps_response", batch_id)
    return 0


def _write_complaints(con, batch_id: str, mapping: ColumnMapping) -> int:
    con.execute(
        "INSERT INTO complaint SELECT $batch, s.row_no, s.complaint_ref, s.customer_id, s.received_at,"
        " s.channel, s.branch, s.region, s.product, s.segment, COALESCE(s.cause, d.cause),"
        " CASE WHEN s.cause IS NOT NULL THEN 'given' WHEN d.cause IS NOT NULL THEN 'keywords' END,"
        " s.sub_cause, s.severity, s.status, s.resolved_at, s.escalated, s.satisfaction_after,"
        f" s.description, t.language, t.sentiment, w.words FROM {STAGED_ROWS} s"
        " LEFT JOIN scored_texts t ON t.text = s.description"
        " LEFT JOIN derived_cause d ON d.text = s.description AND s.cause IS NULL"
        " LEFT JOIN description_words w ON w.text = s.description"
        " ORDER BY s.row_no",
        {"batch": batch_id})
    write_sums(con, "complaint", batch_id)
    return 0


def _write_management(con, batch_id: str, mapping: ColumnMapping) -> int:
    con.execute(
        "INSERT INTO management_rating SELECT $batch, s.row_no, s.manager, s.rated_at, s.item_code,"
        " s.item_text, s.dimension, s.score, COALESCE(s.scale_min, 1), COALESCE(s.scale_max, 7)"
        f" FROM {STAGED_ROWS} s ORDER BY s.row_no",
        {"batch": batch_id})
    _normalise_dimensions(con, "management_rating", batch_id)
    return 0


def _write_standards(con, batch_id: str, mapping: ColumnMapping) -> int:
    con.execute(
        "INSERT INTO service_standard SELECT $batch, s.row_no, s.standard, s.dimension, s.metric,"
        " s.unit, s.better, s.management_view, s.target, s.promise, s.actual, s.actual_rule"
        f" FROM {STAGED_ROWS} s ORDER BY s.row_no",
        {"batch": batch_id})
    _normalise_dimensions(con, "service_standard", batch_id)
    return 0


def _normalise_dimensions(con, table: str, batch_id: str) -> None:
    for dimension, words in DIMENSION_WORDS.items():
        keys = [normalise_header(w) for w in words]
        con.execute(
            f"UPDATE {table} SET dimension = ? WHERE batch_id = ?"
            " AND regexp_replace(lower(dimension), '[^0-9a-z\u3400-\u9fff]+', '', 'g') IN (SELECT unnest(?))",
            [dimension, batch_id, keys])


_WRITERS = {"survey": _write_survey, "nps": _write_nps, "complaints": _write_complaints,
            "management_survey": _write_management, "standards": _write_standards}


# --- history and undo ------------------------------------------------------------------------

def history(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every batch, newest first."""
    return con.execute(
        "SELECT id::VARCHAR AS id, kind, source_file, source_sheet, rows_accepted, rows_rejected,"
        " imported_at, imported_by, status, undone_at, sha256 FROM import_batch"
        " ORDER BY imported_at DESC, id"
    ).df()


def find_batch(con: duckdb.DuckDBPyConnection, batch_ref: str) -> tuple:
    matches = con.execute(
        "SELECT id::VARCHAR, kind, source_file, status, rows_accepted FROM import_batch"
        " WHERE starts_with(id::VARCHAR, ?)",
        [batch_ref.strip().lower()]).fetchall()
    if not matches:
        raise LoadError(f"no batch {batch_ref!r}; `python -m loaders history` lists them")
    if len(matches) > 1:
        raise LoadError(f"{batch_ref!r} matches {len(matches)} batches; give more of its id")
    return matches[0]


BATCH_TABLES = ("survey_item", "survey_response", "nps_response", "complaint", "management_rating",
                "service_standard", *SUMS_TABLES)


def undo(con: duckdb.DuckDBPyConnection, batch_ref: str) -> tuple:
    """Remove exactly one batch's rows, in one transaction; the batch stays in history as undone."""
    batch_id, kind, source_file, status, rows = find_batch(con, batch_ref)
    if status != "imported":
        raise LoadError(f"batch {batch_id[:8]} ({source_file}) was already undone")

    def remove() -> None:
        status_now = con.execute("SELECT status FROM import_batch WHERE id = ?", [batch_id]).fetchone()[0]
        if status_now != "imported":  # undone by another process meanwhile
            raise LoadError(f"batch {batch_id[:8]} ({source_file}) was already undone")
        for table in BATCH_TABLES:
            con.execute(f"DELETE FROM {table} WHERE batch_id = ?", [batch_id])
        con.execute("UPDATE import_batch SET status = 'undone', undone_at = ? WHERE id = ?",
                    [_now(), batch_id])

    write_claimed(con, remove, failure=f"undo of batch {batch_id[:8]} was rolled back, nothing changed")
    return batch_id, kind, source_file, rows


def rejected_rows(con: duckdb.DuckDBPyConnection, batch_id: str) -> tuple[RowProblem, ...]:
    """The problems of the rows a batch skipped (imported with skip-invalid).

    Batches recorded before problems were codes hold English sentences; they come back with the
    codes 'recorded', whose words are those sentences as written.
    """
    row = con.execute("SELECT rejected_json, source_file, source_sheet FROM import_batch WHERE id = ?",
                      [batch_id]).fetchone()
    if not row or not row[0]:
        return ()
    return tuple(
        RowProblem(row[1], row[2], r["row"], r["column"], r["value"], r["code"], r["fix_code"], r["values"])
        if "code" in r else RowProblem(row[1], row[2], r["row"], r["column"], r["value"], "recorded", "recorded",
                                       {"problem": r["problem"], "fix": r["fix"]})
        for r in json.loads(row[0]))


# --- preview ---------------------------------------------------------------------------------

TABLE_OF_KIND = {"survey": "survey_response", "nps": "nps_response", "complaints": "complaint",
                 "management_survey": "management_rating", "standards": "service_standard"}
PREVIEW_ROWS = 10
PREVIEW_RATINGS = 60


def preview(con: duckdb.DuckDBPyConnection, prepared: PreparedFile,
            limit: int = PREVIEW_ROWS) -> dict[str, pd.DataFrame]:
    """The first valid rows as the import would store them, per table.

    Run after `check(con, prepared)` on the same connection (it reads the staged rows). Only the
    mapped columns are shown; language, sentiment and derived causes come at import.
    """
    mapping = prepared.mapping
    table = TABLE_OF_KIND[mapping.kind]
    valid = f"row_no NOT IN (SELECT row_no FROM {STAGED_PROBLEMS})"
    stored = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]
    columns = ["row_no"] + [c for c in stored if c in mapping.fields]
    frames = {table: con.execute(
        f"SELECT {', '.join(columns)} FROM {STAGED_ROWS} WHERE {valid} ORDER BY row_no LIMIT ?",
        [limit]).df()}
    if mapping.kind == "survey" and mapping.ratings:
        selects, params = [], {"limit": limit, "shown": PREVIEW_RATINGS}
        for i, r in enumerate(mapping.ratings):
            params.update({f"code{i}": r.item_code, f"text{i}": r.item_text, f"dim{i}": r.dimension,
                           f"kind{i}": r.kind, f"min{i}": float(r.scale_min), f"max{i}": float(r.scale_max)})
            na = "" if r.na_code is None else f" AND rating_{i} <> {float(r.na_code)}"
            selects.append(
                f"SELECT row_no, {i} AS position, $code{i} AS item_code, $text{i} AS item_text,"
                f" $dim{i} AS dimension, $kind{i} AS kind, rating_{i} AS score, $min{i} AS scale_min,"
                f" $max{i} AS scale_max FROM first_rows WHERE rating_{i} IS NOT NULL{na}")
        frames["survey_rating"] = con.execute(
            f"WITH first_rows AS (SELECT * FROM {STAGED_ROWS} WHERE {valid} ORDER BY row_no LIMIT $limit)"
            " SELECT row_no, item_code, item_text, dimension, kind, score, scale_min, scale_max FROM ("
            + " UNION ALL ".join(selects) + ") ORDER BY row_no, position LIMIT $shown", params).df()
    return frames


def row_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    tables = ("import_batch", "survey_response", "survey_rating", "nps_response", "complaint",
              "management_rating", "service_standard")
    # survey_rating is counted in its lists: unfolding ten million ratings only to count them is slow
    return {table: con.execute(RATINGS_COUNT_SQL if table == "survey_rating" else f"SELECT count(*) FROM {table}"
                               ).fetchone()[0] for table in tables}


__all__ = ["prepare", "check", "import_file", "import_prepared", "history", "undo", "row_counts",
           "preview", "rejected_rows",
           "PreparedFile", "ImportResult", "FeedbackError", "saved_mapping", "save_mapping"]
