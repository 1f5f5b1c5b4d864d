"""The loaders' errors: a file that cannot be read, and the rows that break the contract."""
from __future__ import annotations

from dataclasses import dataclass, field

from loaders.problems import render
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
    """One bad cell: where it is, what it holds, and what is wrong and how to fix it, as codes with
    values (loaders/problems.py holds their words in English and Chinese)."""

    file: str
    sheet: str | None
    row: int | None  # the row number as the analyst sees it in the spreadsheet (header = 1)
    column: str | None
    value: str | None
    code: str        # the problem, e.g. outside_scale
    fix_code: str    # what to do, e.g. score_range
    values: dict = field(default_factory=dict)

    @property
    def problem(self) -> str:
        return render("problem", self.code, self.values)

    @property
    def fix(self) -> str:
        return render("fix", self.fix_code, self.values)

    def describe(self, language: str = "en") -> str:
        where = [self.file]
        if self.sheet:
            where.append(f"sheet '{self.sheet}'" if language != "zh" else f"工作表“{self.sheet}”")
        if self.row is not None:
            where.append(f"row {self.row}" if language != "zh" else f"第 {self.row} 行")
        if self.column:
            where.append(f"column '{self.column}'" if language != "zh" else f"列“{self.column}”")
        value = "" if self.value is None else f" (value {self.value!r})"
        problem, fix = render("problem", self.code, self.values, language), \
            render("fix", self.fix_code, self.values, language)
        return f"{', '.join(where)}: {problem}{value}. {fix}"


@dataclass
class ValidationError(FeedbackError):
    """Rows of a file break the spreadsheet contract; nothing was imported."""

    problems: list[RowProblem] = field(default_factory=list)
    rows_total: int = 0
    rows_invalid: int = 0
    problem_count: int | None = None   # every bad cell, when more were found than are listed

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
        count = max(self.problem_count or 0, len(self.problems))
        if count > len(shown):
            lines.append(f"  ... and {count - len(shown):,} more problems")
        return "\n".join(lines)
