"""The loaders' errors: a file that cannot be read, and the rows that break the contract."""
from __future__ import annotations

from dataclasses import dataclass, field

from store.errors import FeedbackError


class LoadError(FeedbackError):
    """A file could not be read or imported as a whole (encoding, empty sheet, duplicate file)."""


class MalformedFileError(LoadError):
    """The file is not a whole, regular table (cut off inside a quoted cell, a row too wide)."""

    def __init__(self, message: str, row: int | None = None, code: str = "unparsable",
                 values: dict | None = None):
        super().__init__(message)
        self.row = row
        self.code = code
        self.values = values or {}


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
    """One bad cell: where it is, what it holds, and how to fix it."""

    file: str
    sheet: str | None
    row: int | None  # the row number as the analyst sees it in the spreadsheet (header = 1)
    column: str | None
    value: str | None
    problem: str
    fix: str

    def describe(self) -> str:
        where = [self.file]
        if self.sheet:
            where.append(f"sheet '{self.sheet}'")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        value = "" if self.value is None else f" (value {self.value!r})"
        return f"{', '.join(where)}: {self.problem}{value}. {self.fix}"


@dataclass
class ValidationError(FeedbackError):
    """Rows of a file break the spreadsheet contract; nothing was imported."""

    problems: list[RowProblem] = field(default_factory=list)
    rows_total: int = 0
    rows_invalid: int = 0

    def __str__(self) -> str:
        shown = self.problems[:50]
        if self.rows_invalid >= self.rows_total:
            head = (f"all {self.rows_total} rows are invalid; nothing was imported."
                    " Fix them and import again.")
        else:
            head = (f"{self.rows_invalid} of {self.rows_total} rows are invalid; nothing was imported."
                    " Fix them and import again, or import the valid rows with --skip-invalid.")
        lines = [head]
        lines += ["  " + p.describe() for p in shown]
        if len(self.problems) > len(shown):
            lines.append(f"  ... and {len(self.problems) - len(shown)} more problems")
        return "\n".join(lines)
