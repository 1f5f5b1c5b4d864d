"""The loaders' errors: a file that cannot be read, and the rows that break the contract."""
from __future__ import annotations

from dataclasses import dataclass, field

from store.errors import FeedbackError


class LoadError(FeedbackError):
    """A file could not be read or imported as a whole (encoding, empty sheet, duplicate file).

    The message is English, for logs; `code` with `values` (language-free text) and where it is
    (`file`, `sheet`, `row` as the spreadsheet numbers it, `column`) let presentation/problems.py
    word it in the reader's language (keys `load.<code>` and `loadfix.<code>`). An error raised
    without a code is shown as its message.
    """

    def __init__(self, message: str, *, code: str | None = None, file: str | None = None,
                 sheet: str | None = None, row: int | None = None, column: str | None = None,
                 values: dict | None = None):
        super().__init__(message)
        self.code = code
        self.file = file
        self.sheet = sheet
        self.row = row
        self.column = column
        self.values = {k: str(v) for k, v in (values or {}).items()}

    def as_dict(self) -> dict:
        return {"code": self.code, "file": self.file, "sheet": self.sheet, "row": self.row,
                "column": self.column, "values": self.values, "message": str(self)}


class MalformedFileError(LoadError):
    """The file is not a whole, regular table (cut off inside a quoted cell, a row too wide)."""

    def __init__(self, message: str, row: int | None = None, code: str = "unparsable",
                 values: dict | None = None, **where):
        super().__init__(message, code=code, row=row, values=values, **where)


class UnknownKindError(LoadError):
    """The headers do not say which kind of file this is; the analyst (or --kind) has to."""


class KindDecisionNeeded(UnknownKindError):
    """Two kinds fit the file about as well, or the best would leave columns out: the analyst decides."""

    def __init__(self, message: str, candidates: tuple = ()):
        super().__init__(message)
        self.candidates = candidates


class DecisionNeeded(LoadError):
    """The import cannot go on without the analyst saying something (a date, new items, a date order)."""

    def __init__(self, message: str, flag: str, code: str, values: dict | None = None):
        super().__init__(message)
        self.flag = flag
        self.code = code
        self.values = values or {}


@dataclass(frozen=True)
class RowProblem:
    """One bad cell: where it is, what it holds, what is wrong and what to do, as codes with values.

    `values` hold what the words need (a scale's ends, a field's name) as language-free text;
    presentation/problems.py renders the problem and the fix in the reader's language from the
    translation files (keys `problem.<code>` and `fix.<fix_code>`).
    """

    file: str
    sheet: str | None
    row: int | None  # the row number as the analyst sees it in the spreadsheet (header = 1)
    column: str | None
    value: str | None
    code: str       # what is wrong, e.g. outside_scale
    fix_code: str   # what to do, e.g. score_range
    values: dict[str, str] = field(default_factory=dict)


@dataclass
class ValidationError(FeedbackError):
    """Rows of a file break the spreadsheet contract; nothing was imported.

    `problems` holds the first problems found (validate.PROBLEM_DETAIL_LIMIT); `problem_count` is
    how many there are in all.
    """

    problems: list[RowProblem] = field(default_factory=list)
    rows_total: int = 0
    rows_invalid: int = 0
    problem_count: int | None = None

    def __post_init__(self) -> None:
        if self.problem_count is None:
            self.problem_count = len(self.problems)

    def __str__(self) -> str:
        # For logs and tracebacks; the CLI and the upload page render the problems in words.
        first = ""
        if self.problems:
            p = self.problems[0]
            values = ", ".join(f"{k}={v}" for k, v in p.values.items())
            first = (f"; first: {p.file} row {p.row} column {p.column!r}: {p.code}/{p.fix_code}"
                     + (f" ({values})" if values else ""))
        return (f"{self.rows_invalid} of {self.rows_total} rows are invalid ({self.problem_count} problems)"
                f"{first}")


class DuplicateRows(LoadError):
    """Rows of the file are already in the store (by content or by their ids); nothing was imported.

    `duplicates` (loaders.duplicates.Duplicates) says how many and in which batches; when some rows
    are new, importing only those (--skip-duplicates, the page's tick box) is the analyst's choice.
    """

    flag = "--skip-duplicates"

    def __init__(self, file_name: str, duplicates):
        self.file_name = file_name
        self.duplicates = duplicates
        # in English for logs; the command line and the page word it in the reader's language
        # (presentation.problems.duplicates_refusal)
        where = "; ".join(f"batch {b.batch_id[:8]} ({b.source_file}, imported {b.imported_at:%Y-%m-%d %H:%M}):"
                          f" {b.rows}" for b in duplicates.batches)
        new = duplicates.new_rows
        advice = (f"import only the new ones ({new}) with {self.flag}, or undo those batches first" if new
                  else "undo those batches first to import them again")
        super().__init__(f"{file_name}: rows already in the store: {duplicates.rows} of {duplicates.total}"
                         f" ({where}); nothing was imported. To go on, {advice}")
