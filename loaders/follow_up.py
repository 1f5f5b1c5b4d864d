"""The follow-up list as a spreadsheet coming back: the file the dashboard exported, edited by the
team, read again. Its owner, due date, status, outcome and contact time columns update the items
its id column names, all in one transaction or not at all; a bad cell is named by row and column.

The words of its headers and statuses are the reader's (English or Chinese); the caller passes them
(FollowUpWords), so this module reads any language the dashboard exports in.
"""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from loaders.errors import LoadError, RowProblem, ValidationError
from loaders.read import ROW_COLUMN, read_source
from store.follow_up import (
    KEEP, MAX_OUTCOME, MAX_OWNER, STATUSES, FollowUpChange, SavedChanges, known_items, save_follow_ups
)

# The fields a file may set, besides the id that names the item.
ID_FIELD = "item_key"
FIELDS = ("owner", "due_on", "status", "outcome", "contacted_at")
# presentation/export.py puts an apostrophe before a cell that would start a formula; reading the
# file again takes it off, so a text comes back as it was written
_ESCAPED = ("'=", "'+", "'-", "'@", "'\t", "'\r")


@dataclass(frozen=True)
class FollowUpWords:
    """What the headers and statuses may say: field → its headers, and a status word → its status
    (both compared without case or surrounding spaces)."""

    headers: dict[str, tuple[str, ...]]
    statuses: dict[str, str]

    def field_of(self, header: str) -> str | None:
        wanted = header.strip().casefold()
        for name, labels in self.headers.items():
            if wanted == name or wanted in (label.strip().casefold() for label in labels):
                return name
        return None

    def status_of(self, word: str) -> str | None:
        wanted = word.strip().casefold()
        if wanted in STATUSES:
            return wanted
        return {k.strip().casefold(): v for k, v in self.statuses.items()}.get(wanted)


def unescaped(text: str | None) -> str | None:
    if text is not None and text.startswith(_ESCAPED):
        return text[1:]
    return text


def _date(text: str) -> date:
    return _time(text).date()


def _time(text: str) -> datetime:
    """ISO dates and times as the export writes them (2026-10-03, 2026-10-03 09:30:00), or with slashes."""
    return datetime.fromisoformat(text.strip().replace("/", "-"))


def _cell_change(field: str, text: str | None, words: FollowUpWords):
    """The cell's value for the change, or (code, fix_code, values) of its problem."""
    if text is None or not text.strip():
        return None
    if field == "status":
        status = words.status_of(text)
        if status is None:
            return ("followup_status", "followup_status", {"value": text})
        return status
    if field in ("due_on", "contacted_at"):
        try:
            return _date(text) if field == "due_on" else _time(text)
        except ValueError:
            return ("followup_date", "followup_date", {"value": text})
    limit = MAX_OWNER if field == "owner" else MAX_OUTCOME
    if len(text.strip()) > limit:
        return ("followup_too_long", "followup_too_long", {"limit": str(limit)})
    return text


def read_follow_up_changes(con, path: str | os.PathLike, words: FollowUpWords,
                           display_name: str | None = None) -> list[FollowUpChange]:
    """The changes a follow-up file asks for, one per row; a ValidationError listing every bad cell
    (row as the spreadsheet numbers it, column as headed) when any is bad."""
    source = read_source(path, display_name=display_name, header_row=1)
    name = source.file_name
    columns = {header: words.field_of(header) for header in source.headers}
    id_header = next((h for h, f in columns.items() if f == ID_FIELD), None)
    if id_header is None:
        problem = RowProblem(name, source.sheet, None, None, None, "followup_no_id", "followup_no_id")
        raise ValidationError([problem], source.row_count, source.row_count)
    frame = source.table.to_pandas()
    ids = [unescaped(v).strip() if isinstance(v, str) else None for v in frame[id_header]]
    known = known_items(con, [i for i in ids if i])
    problems: list[RowProblem] = []
    changes: list[FollowUpChange] = []
    seen: dict[str, int] = {}
    bad_rows: set[int] = set()

    def refuse(row, header, value, code, fix, values=None):
        problems.append(RowProblem(name, source.sheet, row, header, value, code, fix, values or {}))
        bad_rows.add(row)

    for position, item_key in enumerate(ids):
        row = int(frame[ROW_COLUMN].iloc[position])
        if not item_key:
            refuse(row, id_header, None, "followup_no_item", "followup_keep_id")
            continue
        if item_key not in known:
            refuse(row, id_header, item_key, "followup_unknown_item", "followup_keep_id")
        if item_key in seen:
            refuse(row, id_header, item_key, "followup_twice", "followup_once", {"first": str(seen[item_key])})
        seen.setdefault(item_key, row)
        values = {}
        for header, field in columns.items():
            if field not in FIELDS:
                continue
            raw = frame[header].iloc[position]
            text = unescaped(raw) if isinstance(raw, str) else None
            value = _cell_change(field, text, words)
            if isinstance(value, tuple):
                refuse(row, header, text, *value)
            else:
                values[field] = value
        changes.append(FollowUpChange(item_key, **{f: values[f] if f in values else KEEP for f in FIELDS}))
    if problems:
        raise ValidationError(problems, len(ids), len(bad_rows))
    return changes


def import_follow_up_file(con, path: str | os.PathLike, words: FollowUpWords, who: str | None = None,
                          display_name: str | None = None) -> SavedChanges:
    """Read a follow-up file and save every row's change in one transaction (read_follow_up_changes)."""
    return save_follow_ups(con, read_follow_up_changes(con, path, words, display_name), who)


def import_follow_up_bytes(con, name: str, data: bytes, words: FollowUpWords, who: str | None = None) -> SavedChanges:
    """The same for an upload's bytes: written to a temporary file that keeps only the name's suffix."""
    suffix = Path(name).suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise LoadError(f"{name}: a follow-up list comes back as the .csv or .xlsx the dashboard exported")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"follow-up{suffix}"
        path.write_bytes(data)
        return import_follow_up_file(con, path, words, who, display_name=name)


__all__ = ["FIELDS", "ID_FIELD", "FollowUpWords", "import_follow_up_bytes", "import_follow_up_file",
           "read_follow_up_changes", "unescaped"]
