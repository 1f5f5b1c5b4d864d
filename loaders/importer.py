"""Import a file as one batch, in one transaction; list batches; undo one.

read -> map -> validate -> score sentiment -> write. Either every accepted row lands with its
batch, or nothing does. A file already imported (same sha256) is refused, and so are rows already
in the store by their content or ids (loaders/duplicates.py) unless the analyst skips them.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import uuid
from array import array
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

import duckdb
import pandas as pd
import pyarrow as pa

from loaders.columns import (
    DIMENSION_WORDS, PROFILE_SAMPLE_ROWS, ColumnMapping, apply_overrides, declare_answers, infer_mapping, with_na_codes, is_column_guide_sheet, is_questions_sheet,
    detect_kind, layout_key, looks_like_questions, match_fields, normalise_header, normalise_kind, numeric_profile
)
from loaders.answers import answer_sets
from loaders.dates import DATE_ORDERS
from loaders.items import ItemChanges, item_changes
from loaders.duplicates import (
    BatchShare, Duplicates, drop_duplicates, find_duplicates, record_fingerprints, stage_fingerprints
)
from loaders.errors import DecisionNeeded, DuplicateRows, KindDecisionNeeded, LoadError, RowProblem, ValidationError
from loaders.labels import is_label_sheet, labels_from_questions, labels_from_sheet
from loaders.platforms import without_test_responses
from loaders.read import SourceTable, is_workbook, read_source, sheet_names
from loaders.validate import (
    EARLIEST_DATE, STAGED_PROBLEMS, STAGED_ROWS, STAGED_SOURCE, STAGED_TYPED, StageReport, missing_required, stage
)
from store.db import (
    RATINGS_COUNT_SQL, SCORE_LISTS, SUMS_TABLES, ItemPositions, cut_descriptions_of, import_memory, quote_identifier,
    set_import_memory, status_steps, write_claimed, write_sums
)
from store.errors import FeedbackError
from store.labels import add_file_labels
from loaders.learning import learn
from store.sentiment_model import latest_model, score_into
from store.tiers import TIER_TABLES, tier_rules, tier_sql, word_tiers
from text.causes import SharedThemes, causes_by_keywords, keyword_index

Progress = Callable[[float, str], None]

# Rejected rows kept with their batch, so an analyst can see later what was skipped.
REJECTED_KEPT = 10_000
TEXT_COLUMN = {"survey": "comment", "nps": "comment", "complaints": "description"}
# labelled complaints the cause keywords are learnt from at most, and descriptions given a cause at
# a time (_derive_causes)
MAX_CAUSE_EXAMPLES = 200_000
CAUSE_CHUNK = 20_000


@dataclass(frozen=True)
class Decision:
    """Something the analyst has to say before the import can go on, and the flag that says it."""

    code: str                    # no_date | ambiguous_dates | item_changes
    flag: str
    message: str
    values: dict = field(default_factory=dict)


@dataclass(frozen=True)
class PreparedFile:
    """A file read and mapped, ready to validate and import."""

    source: SourceTable
    questions: SourceTable | None
    mapping: ColumnMapping
    mapping_origin: str          # inferred | saved | given
    decisions: tuple[Decision, ...] = ()
    # the dates the analyst allows outside validate's range (before 1990, after today)
    dates_from: dt.date | None = None
    dates_to: dt.date | None = None
    # the data's own labels the file gives in both languages: (field, value, English, Chinese)
    labels: tuple[tuple, ...] = ()


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
    # complaints: each distinct status word, the handling step it names (None: none we know), its rows
    status_words: tuple[tuple[str, str | None, int], ...] = field(default_factory=tuple)
    # rows already in the store (by content or id) that were skipped, as the analyst asked
    duplicates: Duplicates | None = None
    # survey, NPS and complaints: each distinct tier word, the tier it names (None: none we know), its
    # rows; and the rows per tier the batch got (None: no tier)
    tier_words: tuple[tuple[str, str | None, int], ...] = field(default_factory=tuple)
    tiers: tuple[tuple[str | None, int], ...] = field(default_factory=tuple)
    # why the learning after the import (a new sentiment model, the themes) failed; the rows are in
    learning_problem: str | None = None
    # every stored text scored again after it, this version's baseline being new to the store:
    # (distinct texts scored, rows whose sentiment changed)
    rescored: tuple[int, int] | None = None

    @property
    def rows_duplicate(self) -> int:
        return self.duplicates.rows if self.duplicates is not None else 0

    @property
    def unmapped_statuses(self) -> tuple[tuple[str, int], ...]:
        return tuple((word, rows) for word, step, rows in self.status_words if step is None)

    @property
    def unmapped_tier_words(self) -> tuple[tuple[str, int], ...]:
        return tuple((word, rows) for word, tier, rows in self.tier_words if tier is None)


def _no_progress(_fraction: float, _message: str) -> None:
    pass


# --- reading and mapping ---------------------------------------------------------------------

def prepare(con: duckdb.DuckDBPyConnection | None, path: str | os.PathLike, kind: str = "auto",
            sheet: str | None = None, mapping: ColumnMapping | None = None,
            display_name: str | None = None, header_row: int | None = None,
            fieldwork_date: str | None = None, overrides: list[str] | tuple[str, ...] = (),
            date_order: str | None = None, dates_from: str | dt.date | None = None,
            dates_to: str | dt.date | None = None, answers: dict[str, float | None] | None = None,
            na_codes: dict[str, float] | None = None) -> PreparedFile:
    """Read the file (choosing its data and questions sheets) and settle its column mapping.

    A mapping saved for the same headers (last month's file) wins over inference; an explicit
    `mapping` wins over both. `fieldwork_date` (YYYY-MM-DD) dates every row of a survey;
    `overrides` are SOURCE=FIELD pairs; `date_order` (dmy|mdy) reads numeric dates; `answers`
    scores answers given as words (None: not applicable); `na_codes` sets rated items' not-applicable
    codes (column -> code). What the analyst still has to decide is listed in the result's
    `decisions`. `dates_from` / `dates_to` (YYYY-MM-DD) widen the range of dates accepted
    (validate.EARLIEST_DATE to today).
    """
    earliest, latest = allowed_date(dates_from, "--allow-dates-from"), allowed_date(dates_to, "--allow-dates-to")
    path = Path(path)
    name = display_name or path.name
    questions, labels = None, ()
    if is_workbook(path, name):
        source, questions, label_sheets = _read_workbook_sheets(path, sheet, name, header_row)
        labels = tuple(row for table in label_sheets for row in labels_from_sheet(table))
        if questions is not None:
            labels = tuple(labels_from_questions(questions, source.headers)) + labels
    else:
        source = read_source(path, sheet, display_name=name, header_row=header_row)
    source = without_test_responses(source)
    origin = "given"
    if mapping is None:
        wanted = None if kind in (None, "", "auto") else normalise_kind(kind)
        saved = saved_mapping(con, source.headers) if con is not None else None
        if saved is not None and (wanted is None or saved.kind == wanted):
            mapping, origin = saved, "saved"
        else:
            mapping = infer_mapping(source, wanted or "auto", questions if wanted in (None, "survey") else None,
                                    declared=answers)
            origin = "inferred"
    elif answers:
        mapping, origin = declare_answers(mapping, source, answers), "given"
    if answers and origin == "saved":
        mapping, origin = declare_answers(mapping, source, answers), "given"
    if overrides:
        mapping, origin = apply_overrides(mapping, source, list(overrides)), "given"
    if na_codes:
        mapping, origin = with_na_codes(mapping, na_codes), "given"
    if fieldwork_date:
        mapping, origin = with_fieldwork_date(mapping, fieldwork_date), "given"
    if date_order:
        if date_order not in DATE_ORDERS:
            raise LoadError(f"--date-order {date_order!r}: use dmy (day first) or mdy (month first)")
        mapping, origin = replace(mapping, date_order=date_order), "given"
    changes = None
    if con is not None and mapping.kind == "survey" and mapping.ratings:
        # Items are the store's items when their code or question text says so.
        changes = item_changes(con, mapping)
        mapping = changes.mapping
    prepared = PreparedFile(source, questions, mapping, origin, dates_from=earliest, dates_to=latest, labels=labels)
    return replace(prepared, decisions=decisions(prepared, changes))


def allowed_date(value: str | dt.date | None, flag: str) -> dt.date | None:
    """An analyst's YYYY-MM-DD widening the dates accepted; LoadError when it is not a date."""
    if value is None or value == "" or isinstance(value, dt.date):
        return value or None
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise LoadError(f"{flag} {value!r}: write the date as YYYY-MM-DD, e.g. 1985-01-01", code="date_flag",
                        values={"flag": flag, "value": value}) from None


def with_fieldwork_date(mapping: ColumnMapping, day: str) -> ColumnMapping:
    """Every row dated `day` (a survey file without dates): the date field takes one value."""
    try:
        dt.date.fromisoformat(day)
    except ValueError:
        raise LoadError(f"--date {day!r}: write the fieldwork date as YYYY-MM-DD, e.g. 2026-10-15") from None
    name = DATE_FIELD.get(mapping.kind)
    if name is None:
        raise LoadError(f"--date does not apply to a {mapping.kind} file")
    fields = {k: v for k, v in mapping.fields.items() if k != name}
    return replace(mapping, fields=fields, constants={**mapping.constants, name: day})


DATE_FIELD = {"survey": "responded_at", "nps": "responded_at", "complaints": "received_at",
              "management_survey": "rated_at"}


def decisions(prepared: PreparedFile, changes: ItemChanges | None = None) -> tuple[Decision, ...]:
    """What the analyst has to decide before this file can be imported as it is mapped."""
    mapping, source = prepared.mapping, prepared.source
    found = []
    date_field = DATE_FIELD.get(mapping.kind)
    if mapping.kind in ("survey", "nps", "complaints") and date_field not in mapping.fields \
            and date_field not in mapping.constants \
            and (mapping.kind != "complaints" or date_field not in match_fields(mapping.kind, list(source.headers))):
        # a list of complaints without dates (a category and the customer's words) is a month's
        # extract as often as a survey is one fieldwork's: its date is asked for, not refused; a
        # column named for the date whose cells are no dates is named instead (_refuse_misfit)
        when = ("each complaint was received. Give the date of every row" if mapping.kind == "complaints"
                else "the survey was answered. Give the fieldwork date of every row")
        found.append(Decision(
            "no_date", "--date YYYY-MM-DD",
            f"{source.where()}: no column holds the date {when} with --date YYYY-MM-DD (the page:"
            f" {'the date received' if mapping.kind == 'complaints' else 'the fieldwork date'}), or name"
            f" the date column with --map \"COLUMN={date_field}\"", {}))
    if mapping.date_order == "ambiguous":
        found.append(Decision(
            "ambiguous_dates", "--date-order dmy|mdy",
            f"{source.where()}: its dates (like 03/04/2026) could be day first or month first, and no"
            " date shows which. Say which with --date-order dmy (day first) or --date-order mdy"
            " (month first)", {}))
    if mapping.unknown_answers:
        words = sorted({w for ws in mapping.unknown_answers.values() for w in ws})
        columns = list(mapping.unknown_answers)
        found.append(Decision(
            "answer_words", '--answer "ANSWER=SCORE"',
            f"{source.where()}: {len(columns)} {'column is' if len(columns) == 1 else 'columns are'} answered"
            " with words no known scale has (" + ", ".join(repr(w) for w in words) + ", in "
            + ", ".join(f"'{c}'" for c in columns[:6]) + ("…" if len(columns) > 6 else "") + "). Give each"
            f" word its score with --answer \"{words[0]}=SCORE\" (repeatable; SCORE na for not applicable),"
            f" or leave a column out with --map \"{columns[0]}=ignore\"",
            {"columns": {c: list(ws) for c, ws in mapping.unknown_answers.items()}, "words": words}))
    if mapping.unsure_columns:
        fractional = _with_decimals(source, mapping.unsure_columns)
        coded = [c for c in mapping.unsure_columns if c not in fractional]
        first = mapping.unsure_columns[0]
        said = []
        if coded:
            said.append(f"{_listed(coded)} {'holds' if len(coded) == 1 else 'hold'} small whole"
                        " numbers that may be the numbers of the choices picked (问卷星 按选项序号, a numeric export)"
                        " rather than scores, and neither the question nor the answers tell which")
        if fractional:
            said.append(f"{_listed(fractional)} {'holds' if len(fractional) == 1 else 'hold'}"
                        " numbers on a rating's range with decimals (like 4.5): half-point ratings, or averages"
                        " copied in rather than each respondent's score")
        found.append(Decision(
            "choice_or_rating", '--map "COLUMN=ignore" or --map "COLUMN=item:CODE"',
            f"{source.where()}: {'; '.join(said)}. Say what each is: --map \"{first}=ignore\" to leave it out,"
            f" or --map \"{first}=item:CODE\" for a rating",
            {"columns": list(mapping.unsure_columns), "with_decimals": fractional}))
    if mapping.coded_names:
        field_of = {column: name for name, column in mapping.fields.items()}
        first = mapping.coded_names[0]
        found.append(Decision(
            "coded_names", f'--map "COLUMN=ignore" or --map "COLUMN={field_of.get(first, "FIELD")}"',
            f"{source.where()}: " + ", ".join(f"'{c}' ({field_of.get(c)})" for c in mapping.coded_names)
            + " hold the numbers of the choices picked, not names (问卷星 按选项序号, a numeric export): the"
            " dashboard would show them as 1, 2, 3. Export the choices' text (问卷星: 按选项文本) and import"
            f" that, or leave the column out with --map \"{first}=ignore\", or keep the numbers as names"
            f" with --map \"{first}={field_of.get(first)}\"",
            {"columns": {c: field_of.get(c) for c in mapping.coded_names}}))
    if changes is not None and changes.any:
        found.append(Decision("item_changes", "--accept-new-items", changes.message(source.where()),
                              changes.as_dict()))
    return tuple(found)


def _listed(columns) -> str:
    return ", ".join(f"'{c}'" for c in columns)


def _with_decimals(source: SourceTable, columns) -> list[str]:
    """Which of `columns` hold a number with decimals (4.5) in their first rows."""
    profile = numeric_profile(source.head(PROFILE_SAMPLE_ROWS), list(columns))
    return [c for c in columns if profile[c]["whole"] < profile[c]["numeric"]]


def _read_workbook_sheets(path: Path, sheet: str | None, name: str, header_row: int | None = None):
    names = sheet_names(path, name)
    if not names:
        # every sheet hidden (or none at all): the reader says which
        return read_source(path, sheet, display_name=name, header_row=header_row), None, []
    data = read_source(path, sheet, display_name=name, header_row=header_row) if sheet else None
    others: list[SourceTable] = []
    errors: dict[str, LoadError] = {}
    for candidate in names:
        if candidate == sheet:
            continue
        try:
            table = read_source(path, candidate, display_name=name,
                                header_row=header_row if data is None else None)
        except LoadError as e:
            errors[candidate] = e
            continue
        if data is None and not _describes_others(table):
            data = table
        else:
            others.append(table)
    later = [t for t in others if not _describes_others(t)] if sheet is None and data is not None else []
    # a notes or summary sheet before the responses (a data set's "about this data", a
    # questionnaire's tally of answers): the first later sheet of a kind the loaders know holds them.
    # Judged only in a workbook of several such sheets: the kind is worked out again for the sheet read
    if later and _of_no_kind(data):
        found = next((t for t in later if not _of_no_kind(t)), None)
        if found is not None:
            others = [data] + [t for t in others if t is not found]
            notice = ("sheet_chosen", {"sheet": found.sheet or "", "first": data.sheet or ""})
            data = replace(found, notices=(notice,) + found.notices)
    if data is None and errors:
        raise next(iter(errors.values()))
    if data is None:
        raise LoadError(f"{name}: no sheet holds data rows (sheets: {', '.join(names)});"
                        " put the responses on the first sheet or name it with --sheet")
    questions = next((t for t in others if is_questions_sheet(t.headers)
                      or looks_like_questions(t, data.headers)), None)
    label_sheets = [t for t in others if t is not questions and is_label_sheet(t.headers)]
    for candidate, error in errors.items():
        if candidate.strip().lower() in QUESTION_SHEET_NAMES:
            raise LoadError(f"{name}: sheet '{candidate}' looks like the questions sheet but cannot be"
                            f" read ({error}); fix it or remove it") from error
    return data, questions, label_sheets


def _describes_others(table: SourceTable) -> bool:
    """A questions sheet, a column guide or a sheet of labels: about the data, not the data."""
    return is_questions_sheet(table.headers) or is_column_guide_sheet(table.headers) or is_label_sheet(table.headers)


def _of_no_kind(table: SourceTable) -> bool:
    """Whether a sheet's columns are of no kind of file the loaders know (a note, a tally)."""
    try:
        detect_kind(table)
    except KindDecisionNeeded as e:
        return not e.candidates or max(c.score for c in e.candidates) < 2
    except LoadError:
        return True
    return False


QUESTION_SHEET_NAMES = {"questions", "question", "items", "item", "codebook", "题目", "问题", "题目说明"}


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
    return stage(con, prepared.source, prepared.mapping, prepared.dates_from, prepared.dates_to)


def release_staged_source(con: duckdb.DuckDBPyConnection, source: SourceTable, held_bytes: int = 0) -> None:
    """After staging: the store lets go of the file's cells, and so does `source` (its owner reads
    them no more); the memory they took goes back to the system before the rows are written.
    `held_bytes`: what the caller still holds of the file (the upload page: the upload's bytes)."""
    con.unregister(STAGED_SOURCE)
    source.release_rows()
    pa.default_memory_pool().release_unused()
    # what the cells took is DuckDB's now
    set_import_memory(con, held_bytes)


def duplicates(con: duckdb.DuckDBPyConnection, prepared: PreparedFile) -> Duplicates:
    """The valid rows of the checked file (run after `check` on the same connection) that the store
    already holds, and in which batches: what an import would refuse or, told to, skip."""
    valid = f"(SELECT * FROM {STAGED_ROWS} WHERE row_no NOT IN (SELECT row_no FROM {STAGED_PROBLEMS}))"
    stage_fingerprints(con, prepared.mapping, valid)
    return find_duplicates(con, prepared.mapping.kind, valid)


# What a misfit column's cells should have been, by the field's kind (the error's code says it).
MISFIT_CODES = {"datetime": "misfit_datetime", "number": "misfit_number", "integer": "misfit_number"}


def _refuse_misfit(prepared: PreparedFile, f) -> None:
    """A required field with a column named for it whose cells did not fit it (a 'Received' column of
    words): say so, with the first cells, rather than that no column is named for it."""
    source = prepared.source
    header = match_fields(prepared.mapping.kind, list(source.headers)).get(f.name)
    if header is None or header in prepared.mapping.fields.values():
        return
    cells = [str(v).strip() for v in source.head(50).column(header).to_pylist() if v is not None and str(v).strip()]
    sample = ", ".join(f"'{cell[:30]}'" for cell in cells[:3]) or "''"
    code = MISFIT_CODES.get(f.kind, "misfit_other")
    raise LoadError(
        f"{source.where(column=header)}: the column is named for '{f.label_en}', but its cells do not fit"
        f" it (the first: {sample}). Fix those cells, or map another column to '{f.label_en}'",
        code=code, file=source.file_name, sheet=source.sheet, column=header,
        values={"field_en": f.label_en, "field_zh": f.label_zh, "sample": sample})


def _require_columns(prepared: PreparedFile) -> None:
    missing = missing_required(prepared.mapping)
    if missing:
        f = missing[0]
        _refuse_misfit(prepared, f)
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
                remember_mapping: bool = True, accept_new_items: bool = False,
                skip_duplicates: bool = False, **options) -> ImportResult:
    """Import one file as one batch. Raises LoadError / ValidationError / DecisionNeeded /
    DuplicateRows and changes nothing then. `options` are prepare()'s (header_row, fieldwork_date,
    overrides, date_order)."""
    progress = progress or _no_progress
    progress(0.05, "reading")
    # the prepared file is this call's alone: its cells are let go of once staged
    return import_prepared(con, prepare(con, path, kind, sheet, mapping, display_name, **options),
                           skip_invalid=skip_invalid, imported_by=imported_by, progress=progress,
                           remember_mapping=remember_mapping, accept_new_items=accept_new_items,
                           skip_duplicates=skip_duplicates, release_rows=True)


def refresh_decisions(con, prepared: PreparedFile) -> PreparedFile:
    """The decisions for the mapping as it stands now (the analyst may have edited it), its items
    recoded to the store's where their code or text says so."""
    mapping, changes = prepared.mapping, None
    if con is not None and mapping.kind == "survey" and mapping.ratings:
        changes = item_changes(con, mapping)
        mapping = changes.mapping
    prepared = replace(prepared, mapping=mapping)
    return replace(prepared, decisions=decisions(prepared, changes))


def pending(prepared: PreparedFile, accept_new_items: bool = False) -> tuple[Decision, ...]:
    """The decisions still open: new items are accepted by the analyst, the others need an answer."""
    return tuple(d for d in prepared.decisions if not (d.code == "item_changes" and accept_new_items))


def import_prepared(con: duckdb.DuckDBPyConnection, prepared: PreparedFile, skip_invalid: bool = False,
                    imported_by: str | None = None, progress: Progress | None = None,
                    remember_mapping: bool = True, accept_new_items: bool = False,
                    skip_duplicates: bool = False, release_rows: bool = False,
                    checked: StageReport | None = None, held_bytes: int = 0) -> ImportResult:
    """Import a prepared file as one batch. Rows the store already holds (loaders/duplicates.py)
    refuse the import with DuplicateRows, or with `skip_duplicates` are left out and counted; the
    check runs again inside the write transaction, where another process's batch is seen.

    DuckDB works within the import's memory limit beside the file's cells (store.db.import_memory).
    `release_rows`: the caller will not import this prepared file again, so its cells are let go of
    once staged, and DuckDB may take what they took. `checked`: the report of `check(con, prepared)`
    run just before on this connection (the command line shows it first), whose staged rows are
    imported as they are when the mapping still stands, rather than validated a second time.
    `held_bytes`: what the caller holds of the file beside its cells all along (the upload page: the
    upload's bytes), left out of DuckDB's share."""
    with import_memory(con, prepared.source.table.nbytes + held_bytes):
        return _import_prepared(con, prepared, skip_invalid, imported_by, progress, remember_mapping,
                                accept_new_items, skip_duplicates, release_rows, checked, held_bytes)


def _import_prepared(con, prepared: PreparedFile, skip_invalid: bool, imported_by: str | None,
                     progress: Progress | None, remember_mapping: bool, accept_new_items: bool,
                     skip_duplicates: bool, release_rows: bool, checked: StageReport | None,
                     held_bytes: int = 0) -> ImportResult:
    progress = progress or _no_progress
    mapping_checked = prepared.mapping
    prepared = refresh_decisions(con, prepared)
    source, mapping = prepared.source, prepared.mapping
    open_decisions = pending(prepared, accept_new_items)
    if open_decisions:
        first = open_decisions[0]
        raise DecisionNeeded(first.message, first.flag, first.code, first.values)
    _refuse_duplicate(con, source)
    # the staged rows of a check on another mapping (the store's items changed meanwhile) are not these
    report = checked if checked is not None and prepared.mapping == mapping_checked else None
    if report is None:
        progress(0.25, "validating")
        report = check(con, prepared)
    if (report.rows_invalid and not skip_invalid) or report.rows_valid == 0:
        raise ValidationError(list(report.problems), report.rows_total, report.rows_invalid, report.problem_count)
    if report.rows_invalid:
        # Skipped rows leave the staged rows here, so every writer below takes all that is left.
        con.execute(f"DELETE FROM {STAGED_TYPED} WHERE row_no IN (SELECT row_no FROM {STAGED_PROBLEMS})")
    stage_fingerprints(con, mapping)
    # looked for first here, so that a refusal or the skipped rows cost no sentiment scoring
    early = _settle_duplicates(con, source, mapping.kind, skip_duplicates)
    if release_rows:
        # after the refusals a caller may answer (skip the invalid rows, skip the duplicates) and
        # retry with the same prepared file
        release_staged_source(con, source, held_bytes)
    progress(0.45, "scoring sentiment")
    texts_scored = _score_sentiment(con, mapping.kind)
    if mapping.kind == "complaints":
        _derive_causes(con)
        _cut_descriptions(con)
        status_words = _map_status_words(con)
    else:
        status_words = ()
    tier_words = _map_tier_words(con) if TABLE_OF_KIND[mapping.kind] in TIER_TABLES else ()
    progress(0.7, "writing")
    batch_id = str(uuid.uuid4())
    rejected = _rejected_json(con, source) if report.rows_invalid else None
    imported_at = _now()

    def write() -> tuple[int, Duplicates]:
        # inside the transaction, so that the same file imported by another process at the same
        # moment is seen here, or conflicts on the writer row and is seen on the retry
        _refuse_duplicate(con, source)
        found = _settle_duplicates(con, source, mapping.kind, skip_duplicates, early)
        con.execute(
            "INSERT INTO import_batch (id, kind, source_file, source_sheet, sha256, rows_accepted,"
            " rows_rejected, imported_at, imported_by, status, mapping_json, rejected_json)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'imported', ?, ?)",
            [batch_id, mapping.kind, source.file_name, source.sheet, source.sha256,
             report.rows_valid - found.rows, report.rows_invalid, imported_at, imported_by, mapping.to_json(),
             rejected])
        written = _WRITERS[mapping.kind](con, batch_id, mapping)
        if mapping.kind == "survey":
            con.execute("INSERT INTO survey_rating_count VALUES (?, ?)", [batch_id, written])
        record_fingerprints(con, batch_id, mapping.kind, skipped=found.rows > 0)
        add_file_labels(con, prepared.labels)
        if remember_mapping:
            save_mapping(con, source.headers, mapping)
        return written, found

    ratings, found = write_claimed(con, write, who=imported_by,
                                   failure=f"{source.where()}: the import was rolled back, nothing changed")
    tiers = _batch_tiers(con, mapping.kind, batch_id)
    release_staged(con)
    progress(0.9, "learning from the scores")
    learning_problem, rescored = _learn_after_import(con, mapping.kind, batch_id)
    progress(1.0, "done")
    skipped = report.problems if report.rows_invalid else ()
    return ImportResult(batch_id, mapping.kind, source.file_name, source.sheet, report.rows_valid - found.rows,
                        report.rows_invalid, ratings, texts_scored, tuple(skipped),
                        report.problem_count if report.rows_invalid else 0, status_words,
                        found if found.rows else None, tier_words, tiers, learning_problem, rescored)


def release_staged(con: duckdb.DuckDBPyConnection) -> None:
    """Drop what a check and an import staged on this connection (every temporary table and view of
    ours) once the rows are written. They held a batch's rows in DuckDB's memory through the learning
    that follows: at ten million responses, the fifth 1.8 M-row part's themes then ran out of the
    learning's 256 MiB (its staged rows alone took all of it, with 884 MiB more spilled), after the
    rows had been committed."""
    views = con.execute("SELECT view_name FROM duckdb_views() WHERE temporary AND NOT internal").fetchall()
    tables = con.execute("SELECT table_name FROM duckdb_tables() WHERE temporary").fetchall()
    for (name,) in views:
        con.execute(f"DROP VIEW IF EXISTS temp.main.{quote_identifier(name)}")
    for (name,) in tables:
        con.execute(f"DROP TABLE IF EXISTS temp.main.{quote_identifier(name)}")


def _learn_after_import(con, kind: str, batch_id: str) -> tuple[str | None, tuple[int, int] | None]:
    """The learning after a committed import (loaders/learning.py learn): why it failed, or None, and
    what its rescoring of the stored texts did, or None. It fails on its own: the batch stays
    imported, its texts scored by the model they were scored with, and the next import's learning
    finds what is due again (a model, the themes, the texts to place)."""
    # the model and the themes are Python's work: DuckDB lets go of what the written rows took
    set_import_memory(con, least=True)
    column = TEXT_COLUMN.get(kind)
    try:
        rescored = learn(con, None if column is None else
                         (f"SELECT {column} FROM {TABLE_OF_KIND[kind]} WHERE batch_id = ?", [batch_id]))
    except (FeedbackError, duckdb.Error) as e:
        release_staged(con)
        # DuckDB's own advice on its later lines (SET threads, memory_limit) is not the analyst's to take
        first = str(e).strip().splitlines()[0]
        return first + ")" * max(0, first.count("(") - first.count(")")), None
    return None, rescored


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


def _settle_duplicates(con, source: SourceTable, kind: str, skip: bool,
                       earlier: Duplicates | None = None) -> Duplicates:
    """Refuse the rows the store already holds, or drop them from the staged rows (`skip`); every
    row dropped so far, with the batches that hold them, counted together with `earlier`'s."""
    found = find_duplicates(con, kind)
    if found.rows and (not skip or found.rows == found.total):
        raise DuplicateRows(source.file_name, _together(earlier, found) if earlier else found)
    if found.rows:
        drop_duplicates(con)
    return _together(earlier, found) if earlier else found


def _together(earlier: Duplicates, later: Duplicates) -> Duplicates:
    """Rows skipped before the transaction and those found inside it, as one count per batch."""
    shares: dict[str, BatchShare] = {b.batch_id: b for b in earlier.batches}
    for b in later.batches:
        held = shares.get(b.batch_id)
        shares[b.batch_id] = replace(b, rows=b.rows + (held.rows if held else 0))
    ordered = tuple(sorted(shares.values(), key=lambda b: (-b.rows, b.imported_at, b.batch_id)))
    return Duplicates(earlier.rows + later.rows, earlier.total, ordered)


def _rejected_json(con, source: SourceTable) -> str:
    rows = con.execute(
        f"SELECT row_no, column_name, value, problem, fix, vals FROM {STAGED_PROBLEMS}"
        f" ORDER BY row_no LIMIT {REJECTED_KEPT}").fetchall()
    return json.dumps([{"row": r[0], "column": r[1], "value": r[2], "code": r[3], "fix_code": r[4],
                        "values": json.loads(r[5]) if r[5] else {}} for r in rows], ensure_ascii=False)


def _score_sentiment(con, kind: str) -> int:
    """The temporary table scored_texts (text, language, sentiment) of the staged rows' distinct texts,
    streamed to the scorer (score_into)."""
    column = TEXT_COLUMN.get(kind)
    if column is None:
        return 0
    # the newest learned model scores the batch as it scores every stored text (loaders/learning.py)
    return score_into(con, f"SELECT {column} FROM {STAGED_ROWS}", "scored_texts", latest_model(con))


def _derive_causes(con) -> None:
    """Complaints without a cause get one from the words of their description: keywords learnt on
    the complaints that have a cause, or (when none has) the themes the descriptions share, each
    named by its top words and marked 'derived'. The descriptions stay in DuckDB and are read a
    chunk at a time (issue 20's memory floor); Python holds each one's number and cause."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE causes_to_derive AS SELECT text, row_number() OVER (ORDER BY text) AS k"
        f" FROM (SELECT DISTINCT description AS text FROM {STAGED_ROWS} WHERE cause IS NULL"
        " AND description IS NOT NULL) ORDER BY k")
    try:
        total = con.execute("SELECT count(*) FROM causes_to_derive").fetchone()[0]
        keys, causes, names, source = array("q"), [], [], "keywords"
        if total:
            labelled = con.execute(
                f"SELECT * FROM (SELECT description AS text, cause FROM {STAGED_ROWS} WHERE cause IS NOT NULL"
                " AND description IS NOT NULL UNION ALL SELECT description, cause FROM complaint"
                " WHERE cause_source = 'given' AND description IS NOT NULL)"
                # a sample the same rows always give, taken in DuckDB: a million complaints' texts in Python
                # would break issue 20's memory floor, and this many teach the keywords as well
                " ORDER BY hash(text, cause), text, cause LIMIT ?", [MAX_CAUSE_EXAMPLES]).df()

            def chunks():
                for start in range(0, total, CAUSE_CHUNK):
                    rows = con.execute("SELECT k, text FROM causes_to_derive WHERE k > ? AND k <= ? ORDER BY k",
                                       [start, start + CAUSE_CHUNK]).fetchall()
                    yield [k for k, _ in rows], [text for _, text in rows]

            if labelled.empty:
                themes, source = SharedThemes(), "derived"
                for _, texts in chunks():
                    themes.count(texts)
                found = ((k, themes.lead(texts)) for k, texts in chunks())
            else:
                index = keyword_index(labelled)
                found = ((k, causes_by_keywords(index, texts)) for k, texts in chunks())
            del labelled
            named: dict[str, int] = {}
            for numbers, derived in found:
                for k, cause in zip(numbers, derived):
                    if cause is not None:
                        keys.append(k)
                        causes.append(named.setdefault(cause, len(named)))
            names = list(named)
            if source == "derived":
                # a theme is named once every text has had its lead word
                theme_names = themes.names()
                names = [theme_names[lead] for lead in names]
        derived = pa.table({"k": pa.array(keys, type=pa.int64()),
                            "cause": pa.DictionaryArray.from_arrays(pa.array(causes, type=pa.int32()),
                                                                    pa.array(names, type=pa.string()))})
        con.register("derived_cause_keys", derived)
        try:
            con.execute("CREATE OR REPLACE TEMP TABLE derived_cause AS SELECT t.text, d.cause::VARCHAR AS cause,"
                        " $source::VARCHAR AS source FROM causes_to_derive t JOIN derived_cause_keys d USING (k)",
                        {"source": source})
        finally:
            con.unregister("derived_cause_keys")
    finally:
        con.execute("DROP TABLE IF EXISTS causes_to_derive")


def _map_status_words(con) -> tuple[tuple[str, str | None, int], ...]:
    """Each distinct status word of the staged complaints with its handling step and row count, most
    rows first; the temporary table staged_status_steps holds the mapping for the writer."""
    counts = con.execute(
        f"SELECT status, count(*) FROM {STAGED_ROWS} WHERE status IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1"
    ).fetchall()
    status_steps(con, [r[0] for r in counts], "staged_status_steps")
    steps = dict(con.execute("SELECT status, step FROM staged_status_steps").fetchall())
    return tuple((word, steps.get(word), int(rows)) for word, rows in counts)


def _map_tier_words(con) -> tuple[tuple[str, str | None, int], ...]:
    """Each distinct tier word of the staged rows with the tier it names and its row count, most rows
    first; the temporary table staged_tier_words holds the mapping for the writer."""
    counts = con.execute(
        f"SELECT tier, count(*) FROM {STAGED_ROWS} WHERE tier IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1").fetchall()
    word_tiers(con, [r[0] for r in counts], "staged_tier_words")
    tiers = dict(con.execute("SELECT word, tier FROM staged_tier_words").fetchall())
    return tuple((word, tiers.get(word), int(rows)) for word, rows in counts)


def _tier_columns(con, joined: bool = True) -> tuple[str, dict]:
    """The staged rows' tier word, values and tier as the writers select them (s: the staged rows,
    w: staged_tier_words, unless not `joined`: no tier words), with the rules' parameters; the rules
    read inside the import's transaction."""
    tier, params = tier_sql(tier_rules(con), word_tier="w.tier" if joined else "NULL::VARCHAR",
                            value="s.annual_value", products="s.products_held")
    return f"s.tier AS tier_label, s.annual_value, s.products_held, {tier} AS tier", params


_TIER_COLUMNS = "tier_label, annual_value, products_held, tier"
_TIER_JOIN = " LEFT JOIN staged_tier_words w ON w.word = s.tier"


def _text_and_tier_joins(mapping: ColumnMapping) -> bool:
    """Whether a survey or NPS file's rows need the scored texts and tier words joined to them: not
    when it maps neither a comment nor a tier column. Without the joins the staged rows are written
    in their own order, with no sort by row number, which the csv ingest floor (issue 24) needs."""
    return "comment" in mapping.fields or "tier" in mapping.fields


def _batch_tiers(con, kind: str, batch_id: str) -> tuple[tuple[str | None, int], ...]:
    table = TABLE_OF_KIND[kind]
    if table not in TIER_TABLES:
        return ()
    return tuple(con.execute(f"SELECT tier, count(*) FROM {table} WHERE batch_id = ? GROUP BY 1"
                             " ORDER BY 1 NULLS LAST", [batch_id]).fetchall())


def _cut_descriptions(con) -> None:
    """Each distinct description's words, stored with the complaint so the dashboard finds a cause's
    most typical complaint in SQL, without loading jieba."""
    cut_descriptions_of(con, f"SELECT description FROM {STAGED_ROWS}", "description_words")




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
    joined = _text_and_tier_joins(mapping)
    tiers, tier_params = _tier_columns(con, joined)
    columns = ("batch_id, row_no, respondent_id, customer_id, responded_at, branch, region, channel, product,"
               " segment, overall_satisfaction, overall_scale_min, overall_scale_max, likelihood_to_recommend,"
               " comment, comment_language, sentiment, " + ", ".join(SCORE_LISTS.values()) + f", {_TIER_COLUMNS}")
    rows = ("SELECT $batch AS batch_id, s.row_no, s.respondent_id, s.customer_id, s.responded_at, s.branch,"
            " s.region, s.channel, s.product, s.segment, s.overall_satisfaction, $low AS overall_scale_min,"
            " $high AS overall_scale_max, s.likelihood_to_recommend, s.comment, "
            f"{_scored(joined)}, "
            + ", ".join(f"{expression} AS {name}" for expression, name in zip(lists, SCORE_LISTS.values()))
            + f", {tiers} FROM {STAGED_ROWS} s{_joins(joined)}")
    params = {"batch": batch_id, "low": low, "high": high, **tier_params}
    if joined:
        _insert_in_file_order(con, "survey_response", columns, rows, params)
    else:
        con.execute(f"INSERT INTO survey_response ({columns}) {rows}", params)
    if not ratings:
        write_sums(con, "survey_response", batch_id)
        return 0
    con.executemany(
        "INSERT INTO survey_item VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [[batch_id, i, r.column, r.item_code, r.item_text, r.dimension, r.kind, float(r.scale_min),
          float(r.scale_max), None if r.na_code is None else float(r.na_code), position]
         for i, (r, position) in enumerate(zip(ratings, positions))])
    # the monthly sums read the staged rows' score lists and tiers, the same expressions as the rows
    # just written
    by_kind = dict(zip(SCORE_LISTS, lists))
    staged = (f"(SELECT s.responded_at, s.branch, s.region, {tiers}, {by_kind['satisfaction']} AS satisfaction_scores,"
              f" {by_kind['importance']} AS importance_scores FROM {STAGED_ROWS} s{_TIER_JOIN if joined else ''})")
    write_sums(con, "survey_response", batch_id, scores=staged, params=tier_params)
    return con.execute(RATINGS_COUNT_SQL + " WHERE batch_id = ?", [batch_id]).fetchone()[0]


_NPS_COLUMNS = ("batch_id, row_no, customer_id, responded_at, score, touchpoint, branch, region, channel,"
                f" segment, product, comment, comment_language, sentiment, {_TIER_COLUMNS}")


def _write_nps(con, batch_id: str, mapping: ColumnMapping) -> int:
    joined = _text_and_tier_joins(mapping)
    tiers, tier_params = _tier_columns(con, joined)
    # the batch's rows as written, named as nps_response names them: the insert takes them in the
    # file's order, and the tally sums them as they are, or as joined once (rows written in the open
    # transaction are read back much more slowly; issue 24's csv floor)
    rows = (f"SELECT $batch AS batch_id, s.row_no, s.customer_id, s.responded_at, s.score::INTEGER AS score,"
            " s.touchpoint, s.branch, s.region, s.channel, s.segment, s.product, s.comment,"
            f" {_scored(joined)}, {tiers} FROM {STAGED_ROWS} s{_joins(joined)}")
    if not joined:
        con.execute(f"INSERT INTO nps_response ({_NPS_COLUMNS}) SELECT {_NPS_COLUMNS} FROM ({rows})",
                    {"batch": batch_id, **tier_params})
        write_sums(con, "nps_response", batch_id, rows=f"({rows})", params=tier_params)
        return 0
    _insert_in_file_order(con, "nps_response", _NPS_COLUMNS, rows, {"batch": batch_id, **tier_params}, keep=True)
    write_sums(con, "nps_response", batch_id, rows=ROWS_TO_WRITE)
    con.execute(f"DROP TABLE {ROWS_TO_WRITE}")
    return 0


def _scored(joined: bool) -> str:
    return ("t.language AS comment_language, t.sentiment" if joined
            else "NULL::VARCHAR AS comment_language, NULL::DOUBLE AS sentiment")


def _joins(joined: bool) -> str:
    """The scored texts and tier words joined to the staged rows (s); the joins do not keep the
    file's order (_insert_in_file_order restores it), while rows written without them keep it
    (DuckDB preserves insertion order)."""
    if not joined:
        return ""
    return f" LEFT JOIN scored_texts t ON t.text = s.comment{_TIER_JOIN}"


_COMPLAINT_COLUMNS = (
    "batch_id, row_no, complaint_ref, customer_id, received_at, channel, branch, region, product, segment, cause,"
    " cause_source, sub_cause, severity, status, resolved_at, escalated, satisfaction_after, description,"
    f" description_language, sentiment, description_words, handling_step, {_TIER_COLUMNS}")


def _write_complaints(con, batch_id: str, mapping: ColumnMapping) -> int:
    tiers, tier_params = _tier_columns(con)
    # the description's facts in one table first, so the rows meet one table keyed by the text
    con.execute("CREATE OR REPLACE TEMP TABLE described AS SELECT w.text, w.words, t.language, t.sentiment"
                " FROM description_words w LEFT JOIN scored_texts t USING (text)")
    _insert_in_file_order(con, "complaint", _COMPLAINT_COLUMNS, (
        "SELECT $batch AS batch_id, s.row_no, s.complaint_ref, s.customer_id, s.received_at,"
        " s.channel, s.branch, s.region, s.product, s.segment, COALESCE(s.cause, d.cause) AS cause,"
        " CASE WHEN s.cause IS NOT NULL THEN 'given' WHEN d.cause IS NOT NULL THEN d.source END AS cause_source,"
        " s.sub_cause, s.severity, s.status, s.resolved_at, s.escalated, s.satisfaction_after,"
        " s.description, x.language AS description_language, x.sentiment, x.words AS description_words,"
        f" m.step AS handling_step, {tiers} FROM {STAGED_ROWS} s"
        " LEFT JOIN described x ON x.text = s.description"
        " LEFT JOIN staged_status_steps m ON m.status = s.status"
        " LEFT JOIN derived_cause d ON d.text = s.description AND s.cause IS NULL"
        f"{_TIER_JOIN}"), {"batch": batch_id, **tier_params})
    con.execute("DROP TABLE described")
    write_sums(con, "complaint", batch_id)
    return 0


# Rows written per statement when they are joined to their texts: DuckDB sorts a whole statement's
# rows in memory in proportion to their size, and a large upload's rows with their long texts need
# more than an import's share has beside what the server holds (issue 20's floor); a range of row
# numbers at a time does not, and the rows still land in the file's order.
WRITE_CHUNK_ROWS = 100_000
ROWS_TO_WRITE = "rows_to_write"


def _insert_in_file_order(con, table: str, columns: str, rows_sql: str, params: dict,
                          keep: bool = False) -> None:
    """INSERT INTO `table` (`columns`) the rows `rows_sql` selects (`columns`, named so, row_no among
    them) in row_no's order: the joins run once, into the temporary table ROWS_TO_WRITE, which is
    then written WRITE_CHUNK_ROWS row numbers at a time, each range sorted. `keep`: leave that table
    for the caller (the tally reads it) to drop."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE {ROWS_TO_WRITE} AS {rows_sql}", params)
    low, high = con.execute(f"SELECT min(row_no), max(row_no) FROM {ROWS_TO_WRITE}").fetchone()
    if low is not None:
        for start in range(low, high + 1, WRITE_CHUNK_ROWS):
            con.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {ROWS_TO_WRITE}"
                        " WHERE row_no >= ? AND row_no < ? ORDER BY row_no", [start, start + WRITE_CHUNK_ROWS])
    if not keep:
        con.execute(f"DROP TABLE {ROWS_TO_WRITE}")


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
                "service_standard", "row_fingerprint", "survey_rating_count", *SUMS_TABLES)


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
        RowProblem(row[1], row[2], r["row"], r["column"], r["value"], r["code"], r["fix_code"],
                   r.get("values") or {})
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


# survey_rating's rows: each batch's count as its import wrote it (survey_rating_count), and the lists
# of a batch that has items but no count (rows written some other way) counted where they lie. A batch
# with no count is looked for among survey_item's few rows: asking survey_response's ten million which
# of its rows lack a count costs what counting their lists does.
RATINGS_SQL = f"""
SELECT (SELECT coalesce(sum(ratings), 0) FROM survey_rating_count)
     + ({RATINGS_COUNT_SQL} WHERE batch_id IN (
            SELECT batch_id FROM survey_item WHERE batch_id NOT IN (SELECT batch_id FROM survey_rating_count)))
"""


def row_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    tables = ("import_batch", "survey_response", "survey_rating", "nps_response", "complaint",
              "management_rating", "service_standard")
    # survey_rating is counted in its lists: unfolding ten million ratings only to count them is slow
    return {table: int(con.execute(RATINGS_SQL if table == "survey_rating" else f"SELECT count(*) FROM {table}"
                                   ).fetchone()[0]) for table in tables}


__all__ = ["prepare", "check", "import_file", "import_prepared", "history", "undo", "row_counts",
           "preview", "rejected_rows",
           "PreparedFile", "ImportResult", "FeedbackError", "saved_mapping", "save_mapping"]


# --- the whole decision, for the command line's --json and the page ---------------------------

def describe(prepared: PreparedFile, report: StageReport | None = None) -> dict:
    """Everything the loaders decided about a file: kind, platform, sheet, header rows, each
    column's target (a field, an item with its scale and N/A code, or ignored), the decisions
    still open, and (after validation) the row counts and the first problems."""
    source, mapping = prepared.source, prepared.mapping
    field_of = {column: name for name, column in mapping.fields.items()}
    rating_of = {r.column: r for r in mapping.ratings}
    texts = dict(zip(source.headers, source.texts or ()))
    columns = []
    for header in source.headers:
        entry: dict = {"column": header}
        if texts.get(header) and texts[header] != header:
            entry["question"] = texts[header]
        if header in field_of:
            entry["target"] = field_of[header]
        elif header in rating_of:
            r = rating_of[header]
            entry.update({"target": f"item:{r.item_code}", "item_text": r.item_text, "rating_kind": r.kind,
                          "dimension": r.dimension, "scale_min": r.scale_min, "scale_max": r.scale_max,
                          "na_code": r.na_code})
        else:
            entry["target"] = "ignore"
            if header in mapping.platform_columns:
                entry["platform_column"] = True
            if header in mapping.choice_columns:
                entry["choice_numbers"] = True
            if header in mapping.unsure_columns:
                entry["choice_or_rating"] = True
            if header in mapping.unknown_answers:
                entry["unknown_answers"] = list(mapping.unknown_answers[header])
        if header in mapping.answers:
            entry["answers"] = dict(mapping.answers[header])
            entry.update(answer_sets(mapping.answers[header]))
        columns.append(entry)
    described = {
        "file": source.file_name, "sheet": source.sheet, "kind": mapping.kind, "platform": mapping.platform,
        "encoding": source.encoding,
        "header_rows": list(range(source.header_row, source.header_row + source.header_rows)),
        "rows": source.row_count, "mapping_origin": prepared.mapping_origin, "columns": columns,
        "ignored": list(mapping.ignored), "platform_columns": list(mapping.platform_columns),
        "choice_columns": list(mapping.choice_columns),
        "constants": dict(mapping.constants), "date_order": mapping.date_order,
        "overall_scale": list(mapping.overall_scale) if mapping.overall_scale else None,
        "decisions": [{"code": d.code, "flag": d.flag, "message": d.message, "values": d.values}
                      for d in prepared.decisions],
        "notices": [{"code": code, "values": values} for code, values in source.notices],
        "dates_allowed": [(prepared.dates_from or EARLIEST_DATE).isoformat(),
                          prepared.dates_to.isoformat() if prepared.dates_to else "today"],
        "mapping": json.loads(mapping.to_json()),
    }
    if report is not None:
        described["validation"] = {
            "rows_total": report.rows_total, "rows_valid": report.rows_valid, "rows_invalid": report.rows_invalid,
            "problem_count": report.problem_count,
            "problems": [problem_dict(p) for p in report.problems[:50]],
            "blanked": [{"column": column, "cell": cell, "rows": rows} for column, cell, rows in report.blanked],
        }
    return described


def problem_dict(problem: RowProblem) -> dict:
    """A row problem as data: where, the cell, and its codes with values (presentation words them)."""
    return {"row": problem.row, "column": problem.column, "value": problem.value, "code": problem.code,
            "fix_code": problem.fix_code, "values": problem.values}
