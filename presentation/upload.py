"""The upload page's logic, without Streamlit, so tests call it directly.

Reading an uploaded file, the column mapping as an editable table and back, the validation
report in the analyst's language and as a csv safe to open in Excel, the headline numbers
before and after an import, and the role check that guards every import and undo.
"""
from __future__ import annotations

import datetime as dt
import math
import re
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

import pandas as pd

from analytics.nps import nps_score
from loaders.access import AccessError
from loaders.answers import answer_set_size, answer_sets
from loaders.columns import (
    FIELDS, RATING_KINDS, ColumnMapping, RatingColumn, fields_of, infer_scale, normalise_dimension,
    normalise_rating_kind, numeric_profile, overall_scale_of, rating_kind_from_header, with_na_codes
)
from loaders.duplicates import Duplicates
from loaders.errors import LoadError, RowProblem
from loaders.importer import (
    DATE_FIELD, Decision, ImportResult, PreparedFile, check, duplicates, import_prepared, prepare, preview, refresh_decisions,
    row_counts,
    undo
)
from loaders.platforms import PLATFORMS, question_and_item
from loaders.read import CSV_SUFFIXES, EXCEL_SUFFIXES, sheet_names
from loaders.validate import StageReport, missing_required, staged_problem_list
from loaders.labels import label_frame, read_label_file
from presentation.alerts import AlertRun, after_import
from presentation.formats import clipped, fmt_count, fmt_number, fmt_signed
from presentation.i18n import translate
from presentation.problems import fix_text, load_error_text, notice_text, problem_text
from store.alerts import alert_rules, set_rule
from store.db import import_memory
from store.errors import FeedbackError
from store.labels import LABEL_COLUMNS, LABEL_FIELDS, label_table, save_label_table, values_to_label
from store.targets import set_target, written_value
from store.tiers import TierRules, save_rules, save_words, stored_words, tier_counts, tier_rules
from text.tiers import TIERS

UPLOAD_TYPES = ("xlsx", "xlsm", "xls", "ods", "csv", "txt", "tsv")
TARGET_RATING = "rating"
TARGET_IGNORE = "ignore"
MAPPING_COLUMNS = ("column", "sample", "target", "item_code", "item_text", "rating_kind", "dimension",
                   "scale_min", "scale_max", "na_code")
RATING_DETAIL_COLUMNS = MAPPING_COLUMNS[3:]
SAMPLE_VALUES = 3
# the samples cell's reach, in columns (a Chinese character counts two; formats.clipped)
SAMPLE_COLUMNS = 48
SAMPLE_SCAN_ROWS = 500
# Streamlit's markdown turns https://…, www.… and name@host.tld in text into links after parsing,
# whatever is escaped: an invisible word joiner after "https:", "www" and "@" keeps them text.
WORD_JOINER = "\u2060"
_AUTOLINK = re.compile(r"((?:https?|ftp|mailto):|\bwww(?=\.)|@)", re.IGNORECASE)
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$:&=^@'\"])")


class MappingProblem(FeedbackError):
    """The analyst's corrected mapping cannot be used as it stands; `key` names the message."""

    def __init__(self, key: str, kind: str | None = None, **values):
        super().__init__(key)
        self.key = key
        self.kind = kind
        self.values = values

    def message(self, language: str) -> str:
        values = dict(self.values)
        if "what" in values:
            values["what"] = translate(f"upload.col.{values['what']}", language)
        if "field" in values and self.kind:
            values["field"] = target_label(self.kind, values["field"], language).rstrip(" *")
        if "rating_kind" in values:
            values["rating_kind"] = translate(f"rating_kind.{values['rating_kind']}", language)
        return translate(self.key, language, **values)


def plain(text) -> str:
    """Text from a file or a person (a file name, a name) shown in markdown exactly as written: every
    character markdown, KaTeX ($), Streamlit's directives (:red[ ], :material/…:) or HTML would read
    is escaped, and addresses are broken by an invisible word joiner, so nothing becomes a live link."""
    return _MARKDOWN.sub(r"\\\1", _AUTOLINK.sub("\\1" + WORD_JOINER, str(text)))


# --- who may change data ---------------------------------------------------------------------

@dataclass(frozen=True)
class Access:
    """Who is looking at the page, decided on the server on every run.

    mode: open (nothing configured: everyone may upload), passphrase, oidc (st.login), or read_only
    (a browsing replica, FEEDBACK_READ_ONLY=1: nobody may change data on it).
    """

    mode: str
    analyst: bool
    who: str | None = None

    @property
    def imported_by(self) -> str:
        return self.who or ("analyst" if self.mode == "passphrase" else "upload page")


def require_analyst(access: Access, what: str = "import or undo") -> None:
    """Refuse any change of data by a viewer, whatever the browser sent."""
    if not access.analyst:
        raise AccessError(f"only an analyst may {what}; sign in as one first")


def email_allowed(email: str | None, allowed: list[str] | tuple[str, ...]) -> bool:
    """An exact address, or '@example.com' for a whole domain; case does not matter."""
    if not email or "@" not in email:
        return False
    email = email.strip().lower()
    for entry in allowed:
        entry = str(entry).strip().lower()
        if entry and (email == entry or (entry.startswith("@") and email.endswith(entry))):
            return True
    return False


# --- reading an upload -----------------------------------------------------------------------

@dataclass(frozen=True)
class Reading:
    """An uploaded file read: its sheets, and the prepared file or why it could not be prepared."""

    name: str
    sheets: tuple[str, ...]
    prepared: PreparedFile | None
    error: FeedbackError | None = None


def read_upload(con, name: str, data: bytes | Path, kind: str = "auto", sheet: str | None = None,
                header_row: int | None = None, fieldwork_date: str | None = None,
                date_order: str | None = None, dates_from: str | None = None,
                dates_to: str | None = None, answers: tuple[tuple[str, float | None], ...] = (),
                overrides: tuple[str, ...] = ()) -> Reading:
    """Read an upload (its bytes, or the file the server keeps it in) as the loaders read a file on
    disk, under the file's own name, with the analyst's answers so far (the header row, the fieldwork
    date, the order of day and month, the earliest and latest dates allowed, the scores of answers no
    known scale has, what columns of numbers are).

    The page holds a reading between runs: the file's cells, once read and mapped, are kept on disk
    (SourceTable.spill) and validated from there, so the cells and DuckDB's share of the check are
    not held at once (issue 20's floor)."""
    suffix = Path(name).suffix.lower()
    if suffix not in EXCEL_SUFFIXES | CSV_SUFFIXES:
        return Reading(name, (), None, LoadError(f"{name}: only .xlsx and .csv files are read here", code="suffix",
                                                 file=name, values={"suffix": suffix or "''"}))
    if isinstance(data, Path):
        return _read_upload_file(con, name, data, kind, sheet, header_row, fieldwork_date, date_order,
                                 dates_from, dates_to, answers, overrides)
    with tempfile.TemporaryDirectory(prefix="feedback-upload-") as folder:
        # Only the suffix of the analyst's file name reaches the file system.
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(data)
        return _read_upload_file(con, name, path, kind, sheet, header_row, fieldwork_date, date_order,
                                 dates_from, dates_to, answers, overrides)


def _read_upload_file(con, name: str, path: Path, kind, sheet, header_row, fieldwork_date, date_order,
                      dates_from, dates_to, answers, overrides) -> Reading:
    try:
        sheets = tuple(sheet_names(path, name))
    except FeedbackError as e:
        return Reading(name, (), None, e)
    except OSError:
        # the analyst took the file out of the uploader while this run read it
        return Reading(name, (), None, LoadError(f"{name}: the file is no longer on the server", code="upload_gone",
                                                 file=name))
    try:
        prepared = prepare(con, path, kind, sheet or None, display_name=name, header_row=header_row,
                           fieldwork_date=fieldwork_date, date_order=date_order, dates_from=dates_from,
                           dates_to=dates_to, answers=dict(answers) or None, overrides=list(overrides))
    except FeedbackError as e:
        return Reading(name, sheets, None, e)
    prepared.source.spill()
    return Reading(name, sheets, prepared)


def released(prepared: PreparedFile) -> bool:
    """An import let go of the file's cells (run_import): what the page shows of them must be read
    again. A file read has rows (the loaders refuse one without), so no rows means let go of."""
    return prepared.source.row_count == 0


def error_text(error: FeedbackError, language: str) -> str:
    """Why a file could not be read or checked, in the analyst's language where the loaders gave a code."""
    return load_error_text(error, language) if isinstance(error, LoadError) else str(error)


def notices(prepared: PreparedFile, language: str) -> list[str]:
    """What the reader did that the analyst should know (hidden sheets skipped, merged cells filled)."""
    return [notice_text(code, values, language) for code, values in prepared.source.notices]


DATE_RANGE_CODES = ("too_early", "future")
# the widest range the page's "earliest / latest date allowed" offer
EARLIEST_ALLOWED = dt.date(1900, 1, 1)
LATEST_ALLOWED = dt.date(2100, 12, 31)


def dates_refused(checked: "Checked") -> bool:
    """Whether rows were refused for a date outside the range allowed (the page then offers to widen it)."""
    return any(p.code in DATE_RANGE_CODES for p in checked.problems)


# --- the mapping as a table ------------------------------------------------------------------

def target_options(kind: str) -> list[str]:
    options = [f.name for f in fields_of(kind)]
    if kind == "survey":
        options.append(TARGET_RATING)
    return options + [TARGET_IGNORE]


def target_label(kind: str, target: str | None, language: str) -> str:
    if target in (None, "", TARGET_IGNORE):
        return translate("upload.target.ignore", language)
    if target == TARGET_RATING:
        return translate("upload.target.rating", language)
    for f in FIELDS[kind]:
        if f.name == target:
            label = f.label_zh if language == "zh" else f.label_en
            return label + (" *" if f.required else "")
    return str(target)


def _samples(first_rows, header: str) -> str:
    values: list[str] = []
    # The first rows are enough for a few distinct samples; a million-row column is not converted.
    for value in first_rows.column(header).to_pylist():
        if value is not None and value.strip() and value not in values:
            values.append(value.strip())
            if len(values) == SAMPLE_VALUES:
                break
    text = " · ".join(values)
    return clipped(text, SAMPLE_COLUMNS)


def mapping_table(prepared: PreparedFile) -> pd.DataFrame:
    """One row per source column: where it goes, and for a rating its item, kind and scale."""
    mapping = prepared.mapping
    field_of = {column: name for name, column in mapping.fields.items()}
    rating_of = {r.column: r for r in mapping.ratings}
    rows = []
    first_rows = prepared.source.head(SAMPLE_SCAN_ROWS)
    for header in prepared.source.headers:
        row = {"column": header, "sample": _samples(first_rows, header),
               "target": field_of.get(header) or (TARGET_RATING if header in rating_of else TARGET_IGNORE)}
        r = rating_of.get(header)
        row.update({"item_code": r.item_code if r else None, "item_text": r.item_text if r else None,
                    "rating_kind": r.kind if r else None, "dimension": r.dimension if r else None,
                    "scale_min": float(r.scale_min) if r else math.nan,
                    "scale_max": float(r.scale_max) if r else math.nan,
                    "na_code": float(r.na_code) if r and r.na_code is not None else math.nan})
        rows.append(row)
    frame = pd.DataFrame(rows, columns=list(MAPPING_COLUMNS))
    for name in ("scale_min", "scale_max", "na_code"):
        frame[name] = frame[name].astype("float64")
    return frame


def _blank(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or \
        (isinstance(value, str) and not value.strip()) or value is pd.NA


def _number(value, column: str, what: str) -> float | None:
    if _blank(value):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise MappingProblem("upload.mapping.not_number", column=column, what=what) from None
    if math.isnan(number) or math.isinf(number):
        raise MappingProblem("upload.mapping.not_number", column=column, what=what)
    return number


def mapping_from_table(table: pd.DataFrame, prepared: PreparedFile) -> ColumnMapping:
    """The mapping the analyst's (possibly corrected) table says; MappingProblem when it cannot be.

    Rows are taken in the file's column order; the table's own column names are not trusted.
    Blank rating details are filled as the loaders would infer them.
    """
    kind = prepared.mapping.kind
    headers = list(prepared.source.headers)
    if len(table) != len(headers):
        raise MappingProblem("upload.mapping.rows_changed")
    options = set(target_options(kind))
    records = table.to_dict("records")
    fields: dict[str, str] = {}
    rating_rows: list[tuple[str, dict]] = []
    for header, record in zip(headers, records):
        target = record.get("target")
        target = TARGET_IGNORE if _blank(target) else str(target)
        if target not in options:
            raise MappingProblem("upload.mapping.unknown_target", column=header)
        if target == TARGET_RATING:
            rating_rows.append((header, record))
        elif target != TARGET_IGNORE:
            if target in fields:
                raise MappingProblem("upload.mapping.twice", kind, field=target, first=fields[target],
                                     second=header)
            fields[target] = header
    ratings = _ratings(prepared, rating_rows)
    overall_scale = None
    if "overall_satisfaction" in fields:
        column = fields["overall_satisfaction"]
        if prepared.mapping.fields.get("overall_satisfaction") == column and prepared.mapping.overall_scale:
            overall_scale = prepared.mapping.overall_scale
        else:
            overall_scale = overall_scale_of(prepared.source, column, prepared.mapping)
    used = set(fields.values()) | {r.column for r in ratings}
    # The tool, the fieldwork date and the date order the loaders settled stay with the edited mapping.
    mapping = replace(prepared.mapping, fields=fields, ratings=ratings, overall_scale=overall_scale,
                      ignored=tuple(h for h in headers if h not in used))
    return prepared.mapping if mapping == prepared.mapping else mapping


def _ratings(prepared: PreparedFile, rows: list[tuple[str, dict]]) -> tuple[RatingColumn, ...]:
    if not rows:
        return ()
    need_profile = [h for h, r in rows if _blank(r.get("scale_min")) or _blank(r.get("scale_max"))]
    profile = numeric_profile(prepared.source.cells(need_profile), need_profile) if need_profile else {}
    ratings, seen = [], {}
    for header, record in rows:
        marked = rating_kind_from_header(header)
        code = str(record.get("item_code")).strip() if not _blank(record.get("item_code")) else \
            (marked[1] if marked else header)
        kind_text = record.get("rating_kind")
        rating_kind = (normalise_rating_kind(str(kind_text)) if not _blank(kind_text) else None) or \
            (marked[0] if marked else "satisfaction")
        if not _blank(kind_text) and normalise_rating_kind(str(kind_text)) is None:
            raise MappingProblem("upload.mapping.rating_kind", column=header)
        low = _number(record.get("scale_min"), header, "scale_min")
        high = _number(record.get("scale_max"), header, "scale_max")
        na = _number(record.get("na_code"), header, "na_code")
        if low is None or high is None:
            p = profile[header]
            if p["numeric"] == 0 and p["filled"]:
                raise MappingProblem("upload.mapping.no_scores", column=header)
            guess_low, guess_high = infer_scale(p["min"], p["max"])
            low = guess_low if low is None else low
            high = guess_high if high is None else high
        if high <= low:
            raise MappingProblem("upload.mapping.scale", column=header, low=f"{low:g}", high=f"{high:g}")
        if (code, rating_kind) in seen:
            raise MappingProblem("upload.mapping.item_twice", code=code, rating_kind=rating_kind,
                                 first=seen[(code, rating_kind)], second=header)
        seen[(code, rating_kind)] = header
        text = record.get("item_text")
        dimension = record.get("dimension")
        ratings.append(RatingColumn(
            column=header, item_code=code, item_text=code if _blank(text) else str(text).strip(),
            kind=rating_kind, dimension=None if _blank(dimension) else normalise_dimension(str(dimension)),
            scale_min=low, scale_max=high, na_code=na))
    return tuple(ratings)


# --- answers given as words ------------------------------------------------------------------

ANSWER_COLUMNS = ("column", "answer", "score", "read_on")


def answers_table(mapping: ColumnMapping, language: str) -> pd.DataFrame:
    """One row per answer of each scored column given as words: its score (blank: not applicable)
    and the known set it was read on, with the other sets its words would also fit."""
    scored = set(mapping.fields.values()) | {r.column for r in mapping.ratings}
    rows = []
    for column, scores in mapping.answers.items():
        if column not in scored:
            continue
        sets = answer_sets(scores)
        read_on = _set_words(sets["answer_set"], scores, language)
        if sets["also"]:
            read_on += " · " + translate("upload.answers.also", language, sets=", ".join(
                str(answer_set_size(name)) for name in sets["also"]))
        for answer, score in scores.items():
            rows.append({"column": column, "answer": answer, "score": math.nan if score is None else float(score),
                         "read_on": read_on})
    frame = pd.DataFrame(rows, columns=list(ANSWER_COLUMNS))
    frame["score"] = frame["score"].astype("float64")
    return frame


def _set_words(name: str | None, scores: dict[str, float | None], language: str) -> str:
    if name == "numbered":
        return translate("upload.answers.numbered", language)
    if name is None:
        return translate("upload.answers.own", language)
    return translate("upload.answers.points", language, n=answer_set_size(name), words=" < ".join(
        answer for answer, score in sorted(scores.items(), key=lambda kv: kv[1] or 0) if score is not None))


def answers_from_table(table: pd.DataFrame, mapping: ColumnMapping) -> ColumnMapping:
    """The mapping with the scores the analyst's (possibly corrected) table of answers gives."""
    answers = {column: dict(scores) for column, scores in mapping.answers.items()}
    for record in table.to_dict("records"):
        column, answer = record.get("column"), record.get("answer")
        if column not in answers or answer not in answers[column]:
            raise MappingProblem("upload.mapping.rows_changed")
        answers[column][answer] = _number(record.get("score"), column, "answers.score")
    if answers == mapping.answers:
        return mapping
    return replace(mapping, answers=answers)


def choice_overrides(choices: dict[str, str | None]) -> tuple[str, ...]:
    """The analyst's word on columns of numbers: a rating (an item coded as its column) or a choice."""
    overrides = []
    for column, choice in choices.items():
        if choice == "rating":
            overrides.append(f"{column}=item:{question_and_item(column, None)[1]}")
        elif choice == "choice":
            overrides.append(f"{column}=ignore")
    return tuple(overrides)


def zero_na_columns(problems) -> tuple[str, ...]:
    """Rated columns whose 0s are outside their 1-based scale: most often a tool's 'not applicable'."""
    return tuple(dict.fromkeys(p.column for p in problems if p.code == "outside_scale_zero"))


def with_zero_na(mapping: ColumnMapping, columns) -> ColumnMapping:
    """The analyst's 'read 0 as not applicable' for these rated columns (those still rated)."""
    rated = {r.column for r in mapping.ratings}
    codes = {column: 0.0 for column in columns if column in rated}
    return with_na_codes(mapping, codes) if codes else mapping


# --- the validation report -------------------------------------------------------------------

@dataclass(frozen=True)
class Checked:
    """A prepared upload validated: the report, every problem, and the preview of stored rows."""

    report: StageReport
    problems: tuple[RowProblem, ...]
    preview: dict[str, pd.DataFrame]
    duplicates: Duplicates | None = None     # the good rows the store already holds, by batch


def check_upload(con, prepared: PreparedFile, held_bytes: int = 0) -> Checked:
    """Validate without importing. `con` should be a cursor of its own (the check leaves temp tables).

    DuckDB validates within the import's memory budget beside the file's cells held in memory (none
    once read_upload spilled them) and `held_bytes` (the upload's bytes the server holds), as the
    import itself does (issue 20's memory floor)."""
    with import_memory(con, prepared.source.table.nbytes + held_bytes):
        report = check(con, prepared)
        problems = tuple(staged_problem_list(con, prepared.source)) if report.rows_invalid else ()
        shown = preview(con, prepared)
        return Checked(report, problems, shown, duplicates(con, prepared))


def missing_fields(mapping: ColumnMapping, language: str) -> str | None:
    """The required fields the mapping leaves without a column, as the analyst reads them."""
    missing = missing_required(mapping)
    if not missing:
        return None
    return ", ".join(target_label(mapping.kind, f.name, language).rstrip(" *") for f in missing)


def only_the_date_missing(mapping: ColumnMapping) -> bool:
    """A survey, NPS or complaint file whose one missing field is its date: the page asks for the date
    of every row (the fieldwork date, the date received), as the command line's --date gives it."""
    return mapping.kind in ("survey", "nps", "complaints") and \
        [f.name for f in missing_required(mapping)] == [DATE_FIELD[mapping.kind]]


def lacks_ratings(mapping: ColumnMapping) -> bool:
    return mapping.kind == "survey" and not mapping.ratings and "overall_satisfaction" not in mapping.fields


_PREVIEW_KEYS = {"row_no": "upload.report.row", "item_code": "upload.col.item_code",
                 "item_text": "upload.col.item_text", "kind": "upload.col.rating_kind",
                 "dimension": "upload.col.dimension", "score": "upload.report.value",
                 "scale_min": "upload.col.scale_min", "scale_max": "upload.col.scale_max"}


def preview_labels(kind: str, table: str, columns, language: str) -> dict[str, str]:
    """Column headings of a preview table in the analyst's language."""
    labels = {}
    for column in columns:
        if table == "survey_rating" or column == "row_no":
            labels[column] = translate(_PREVIEW_KEYS[column], language)
        else:
            labels[column] = target_label(kind, column, language).rstrip(" *")
    return labels


def imported_as(batches: pd.DataFrame, sha256: str) -> dict | None:
    """The batch that already holds this file, if one does (it would be refused as a duplicate)."""
    if batches.empty:
        return None
    same = batches[(batches["sha256"] == sha256) & (batches["status"] == "imported")]
    return None if same.empty else same.iloc[-1].to_dict()


REPORT_COLUMNS = ("row", "column", "value", "problem", "fix")


def problems_frame(problems: list[RowProblem] | tuple[RowProblem, ...], language: str) -> pd.DataFrame:
    """One row per bad cell, its problem and fix in the analyst's language, headed in it too."""
    rows = [{"row": p.row, "column": p.column, "value": p.value,
             "problem": problem_text(p, language), "fix": fix_text(p, language)} for p in problems]
    frame = pd.DataFrame(rows, columns=list(REPORT_COLUMNS))
    frame["row"] = frame["row"].astype("Int64")
    return frame.rename(columns={c: translate(f"upload.report.{c}", language) for c in REPORT_COLUMNS})


def report_file_name(file_name: str) -> str:
    stem = re.sub(r"[^\w\-.]+", "_", Path(file_name).stem, flags=re.UNICODE).strip("._") or "upload"
    return f"{stem}-problems.csv"


# --- importing and undoing -------------------------------------------------------------------

HEADLINE_TABLES = ("survey_response", "survey_rating", "nps_response", "complaint", "management_rating",
                   "service_standard")


def headline(con) -> dict[str, float | None]:
    """The numbers an import can move: rows per table, and NPS when the analytics offer it."""
    counts = row_counts(con)
    numbers: dict[str, float | None] = {f"table.{t}": counts[t] for t in HEADLINE_TABLES}
    numbers["upload.headline.nps"] = nps_score(con).score
    return numbers


@dataclass(frozen=True)
class Change:
    key: str                       # translation key of what changed
    before: float | None
    after: float | None


@dataclass(frozen=True)
class ImportOutcome:
    result: ImportResult
    changes: tuple[Change, ...] = field(default_factory=tuple)
    alerts: AlertRun | None = None


def change_delta(change: Change, language: str) -> str:
    """An import's change as the page writes it under the figure: '+450', '−0.3', 'unchanged' (a change
    that rounds to nothing never shows a sign), or 'no figure before' when there was none."""
    if change.before is None or change.after is None:
        return translate("upload.no_previous", language)
    whole = float(change.before).is_integer() and float(change.after).is_integer()
    text = fmt_signed(change.after - change.before, 0 if whole else 1)
    return text if text[0] in "+−" else translate("upload.unchanged", language)


def change_value(change: Change) -> str:
    """The figure after the import: a count whole, any other figure to one decimal."""
    whole = change.after is not None and float(change.after).is_integer()
    return fmt_count(change.after) if whole else fmt_number(change.after, 1)


def changes(before: dict, after: dict) -> tuple[Change, ...]:
    return tuple(Change(k, before.get(k), after[k]) for k in after if before.get(k) != after[k])


def run_import(con, access: Access, prepared: PreparedFile, skip_invalid: bool,
               progress: Callable[[float, str], None] | None = None,
               accept_new_items: bool = False, skip_duplicates: bool = False,
               held_bytes: int = 0) -> ImportOutcome:
    """Import one prepared upload as one batch, for an analyst only; `held_bytes`: the upload's bytes
    the server holds meanwhile (left out of DuckDB's share of the import's memory).

    The file's cells are let go of once staged, as the command line does (issue 20's memory floor:
    the server holds the upload's bytes as well): a page that needs them again reads the upload
    again (released)."""
    require_analyst(access)
    before = headline(con)
    result = import_prepared(con, prepared, skip_invalid=skip_invalid, imported_by=access.imported_by,
                             progress=progress, accept_new_items=accept_new_items,
                             skip_duplicates=skip_duplicates, release_rows=True, held_bytes=held_bytes)
    return ImportOutcome(result, changes(before, headline(con)), checked_alerts(con, access.imported_by))


def checked_alerts(con, who: str | None = None) -> AlertRun:
    """The alert rules checked after an import (presentation.alerts.after_import); the import has
    landed whatever happens here, so a failure is reported, not raised."""
    try:
        return after_import(con, who)
    except FeedbackError as e:
        return AlertRun(None, pd.DataFrame(), problem=str(e))


def run_undo(con, access: Access, batch_id: str) -> tuple:
    """Remove exactly one batch, for an analyst only."""
    require_analyst(access)
    return undo(con, batch_id)


def run_tier_change(con, access: Access, rules: TierRules | None = None,
                    words: dict[str, str] | None = None) -> dict[str, int]:
    """Set the tier rules and/or the analyst's tier words, and every row's tier with them, for an
    analyst only (the same rule as importing); the rows whose tier changed, per table."""
    require_analyst(access)
    changed: dict[str, int] = {}
    if rules is not None:
        changed = save_rules(con, rules, who=access.imported_by)
    if words:
        for table, rows in save_words(con, words, who=access.imported_by).items():
            changed[table] = changed.get(table, 0) + rows
    return changed


# --- customer tiers on the Imports page ----------------------------------------------------------

NO_TIER = "none"
TIER_CHOICES = (*TIERS, NO_TIER)


@dataclass(frozen=True)
class TierOverview:
    """The tier rules in force, each stored tier word with its tier (NO_TIER: names none) and rows,
    and the rows per source and tier (one column per tier and one for rows without)."""

    rules: TierRules
    words: pd.DataFrame     # word, tier, rows
    counts: pd.DataFrame    # source, key, core, general, none


def tier_overview(con, language: str) -> TierOverview:
    """What the Imports page shows of the tiers; the sources named in `language`."""
    words = stored_words(con)
    words["tier"] = words["tier"].fillna(NO_TIER)
    counts = tier_counts(con)
    counts["tier"] = counts["tier"].fillna(NO_TIER)
    table = (counts.pivot_table(index="source", columns="tier", values="rows", aggfunc="sum", fill_value=0)
             .reindex(columns=list(TIER_CHOICES), fill_value=0).reset_index())
    table.columns.name = None
    table["source"] = [translate(f"table.{source}", language) for source in table["source"]]
    return TierOverview(tier_rules(con), words, table)


def rescored_note(rescored: tuple[int, int], language: str) -> str:
    """What an import's rescoring did (ImportResult.rescored: distinct texts, rows changed): every
    stored text scored again with this version's sentiment rules, so trends keep one version."""
    texts, rows = rescored
    return translate("upload.rescored", language, texts=f"{texts:,}", rows=f"{rows:,}")


def word_changes(shown: pd.DataFrame, edited: pd.DataFrame) -> dict[str, str]:
    """The words whose tier the analyst changed in the table, with the new tier (or NO_TIER)."""
    before = dict(zip(shown["word"], shown["tier"]))
    return {word: tier for word, tier in zip(edited["word"], edited["tier"])
            if tier in TIER_CHOICES and before.get(word) != tier}


def run_set_target(con, access: Access, metric: str, written: float | None, place: str) -> None:
    """Set (or clear, written None) a target, for an analyst only; `place` is 'all', 'region:NAME'
    or 'branch:NAME' (target_places)."""
    require_analyst(access)
    scope, _, subject = place.partition(":")
    set_target(con, metric, written, scope, subject or None, who=access.imported_by)


def run_set_rules(con, access: Access, rules: dict[str, tuple[bool, float]]) -> None:
    """Switch alert rules on or off and set their thresholds, for an analyst only; only what changed
    is written."""
    require_analyst(access)
    current = alert_rules(con)
    for name, (enabled, threshold) in rules.items():
        if (enabled, float(threshold)) != (current[name].enabled, current[name].threshold):
            set_rule(con, name, enabled, threshold, who=access.imported_by)


def target_places(regions, branches) -> list[str]:
    """What a target can be for: the company, each region, each branch (run_set_target's `place`)."""
    return ["all"] + [f"region:{r}" for r in regions] + [f"branch:{b}" for b in branches]


def place_label(place: str, language: str) -> str:
    scope, _, subject = place.partition(":")
    if scope == "all":
        return translate("target.place_all", language)
    return translate("finding.subject_region", language, name=subject) if scope == "region" else subject


def target_placeholder(metric: str) -> str:
    """What the target's box shows before anything is typed: a share is written in percent."""
    return "90 (%)" if written_value(metric, 1.0) == 100.0 else "30"


def rule_lines(rules, language: str) -> str:
    """The alert rules as a reader who may not change them sees them: a markdown list."""
    return "\n".join(f"- {translate('alert.enabled', language) if rule.enabled else '—'} · "
                     f"{translate(f'alert.rule.{rule.name}', language)} · "
                     f"{translate(f'alert.threshold.{rule.name}', language)}: {rule.threshold:g}"
                     for rule in rules.values())


def targets_table(book: pd.DataFrame, language: str) -> pd.DataFrame:
    """The targets in force as the Imports page lists them: metric and place in words, shares in percent."""
    return pd.DataFrame({
        "metric": [translate(f"metric.{m}", language) for m in book["metric"]],
        "place": [place_label("all" if s == "all" else f"{s}:{n}", language) for s, n in zip(book["scope"], book["subject"])],
        "target": [written_value(m, v) for m, v in zip(book["metric"], book["target"])],
        "set_at": book["set_at"],
        "set_by": [who if isinstance(who, str) and who else "—" for who in book["set_by"]],
    })


# --- the data's own labels -------------------------------------------------------------------

def label_editor_frame(con, values: pd.DataFrame | None = None) -> pd.DataFrame:
    """The label table as the Imports page edits it: every stored label, and every value of a labelled
    field in the data that has none yet, with blank labels to fill (field, value, label_en, label_zh).
    `values`: store.labels.values_to_label's frame where the caller has it (the page keeps it with its
    figures, by the data version: it reads every row's branch, region and channel)."""
    stored = label_table(con)[LABEL_COLUMNS]
    known = set(zip(stored["field"], stored["value"]))
    values = values_to_label(con) if values is None else values
    missing = [(f, v) for f, v in values.itertuples(index=False) if (f, v) not in known]
    frame = pd.concat([stored, label_frame((f, v, None, None) for f, v in missing)], ignore_index=True)
    order = {name: i for i, name in enumerate(LABEL_FIELDS)}
    frame = frame.assign(_order=frame["field"].map(order)).sort_values(["_order", "value"], kind="stable")
    frame = frame.drop(columns="_order").reset_index(drop=True).astype(object)
    return frame.where(frame.notna(), None)


def run_save_labels(con, access: Access, table: pd.DataFrame) -> dict[str, int]:
    """Save the label table as the analyst left it, for an analyst only (the same rule as an import)."""
    require_analyst(access, "change labels")
    return save_label_table(con, table[LABEL_COLUMNS].itertuples(index=False), who=access.imported_by)


def run_import_labels(con, access: Access, name: str, data: bytes) -> dict[str, int]:
    """A label file (csv or xlsx, as the page's download writes it, or a field's column beside its
    labels) laid over the stored labels, for an analyst only."""
    require_analyst(access, "change labels")
    rows = [(f, v, en, zh) for f, v, en, zh in read_label_file(name, data)]
    stored = label_table(con)[LABEL_COLUMNS]
    return save_label_table(con, [*stored.itertuples(index=False), *rows], who=access.imported_by)


def open_decisions(con, prepared: PreparedFile) -> tuple[Decision, ...]:
    """What the analyst still has to decide for the mapping as the page shows it."""
    return refresh_decisions(con, prepared).decisions


def platform_label(name: str | None) -> str | None:
    """The survey tool's name as its users know it."""
    return next((p.label for p in PLATFORMS if p.name == name), None)


def kind_candidates(error: FeedbackError) -> tuple[str, ...]:
    """The kinds a file could be, best first, when the loaders asked (none: they could not tell)."""
    return tuple(e.kind for e in getattr(error, "candidates", ()) if e.score > 0)


def item_change_counts(decision: Decision) -> dict[str, int | str]:
    """An item-change decision's numbers, for the page's words."""
    values = decision.values
    return {"new": len(values.get("new_items") or ()), "close": len(values.get("close_text") or ()),
            "rescaled": len(values.get("scale_changes") or ()), "weights": values.get("weights") or ""}


def with_mapping(prepared: PreparedFile, mapping: ColumnMapping) -> PreparedFile:
    if mapping is prepared.mapping:
        return prepared
    return replace(prepared, mapping=mapping, mapping_origin="edited")


# -- the upload widget's own words ------------------------------------------------------------------

def widget_class(key: str) -> str:
    """The class Streamlit gives the element of a widget with this key (its other characters as '-')."""
    return "st-key-" + re.sub(r"[^A-Za-z0-9_-]", "-", key)


def _css_string(text: str) -> str:
    """A CSS string literal of `text`: quotes, backslashes and line breaks as CSS escapes."""
    return '"' + "".join(f"\\{ord(c):x} " if c in '"\\\n' else c for c in text) + '"'


def uploader_words_css(key: str, types, limit_mb: int, language: str) -> str:
    """Style that shows the file uploader's own words (its "Upload" button and its "500MB per file •
    CSV, XLSX" line) in `language`; empty for English, which Streamlit writes itself.

    Streamlit 1.67 writes them in English only and has no parameter for them (streamlit/streamlit
    issue 13500, open): its text is hidden and ours drawn in its place, for the one uploader `key`.
    """
    if language == "en":
        return ""
    scope = f".{widget_class(key)} [data-testid=\"stFileUploaderDropzone\"]"
    button = translate("upload.widget_button", language)
    limit = translate("upload.widget_limit", language, mb=limit_mb,
                      types=translate("fmt.list_sep", language).join(str(t).upper() for t in types))
    return (f"{scope} button [data-testid=\"stMarkdownContainer\"] p {{ display: none; }}\n"
            f"{scope} button [data-testid=\"stMarkdownContainer\"]::after {{ content: {_css_string(button)}; }}\n"
            f"{scope} [data-testid=\"stFileUploaderDropzoneInstructions\"] span {{ display: none; }}\n"
            f"{scope} [data-testid=\"stFileUploaderDropzoneInstructions\"] > div::after {{ "
            f"content: {_css_string(limit)}; font-size: 14px; line-height: 1.6; color: rgba(27, 38, 49, 0.7); }}\n")
