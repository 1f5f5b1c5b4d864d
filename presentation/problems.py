"""The loaders' row problems in words: a problem is two codes with values (loaders.errors.RowProblem),
its problem and fix read from the translation files (`problem.<code>`, `fix.<fix_code>`), for the
upload page and for `python -m loaders import` alike.
"""
from __future__ import annotations

from typing import Iterable

from loaders.columns import FIELDS
from loaders.errors import LoadError, RowProblem, ValidationError
from presentation.formats import fmt_count
from presentation.i18n import has_text, translate

# Problems a command line lists before it says how many more there are.
LISTED = 50


def _values(problem: RowProblem, language: str) -> dict[str, str]:
    values = dict(problem.values)
    if "field" in values:
        values["field"] = field_label(values.get("kind"), values["field"], language)
    return values


def field_label(kind: str | None, name: str, language: str) -> str:
    """A field's label as the analyst reads it; the field of the file's kind first, then of any kind."""
    kinds = ([kind] if kind in FIELDS else []) + list(FIELDS)
    for candidate in kinds:
        for f in FIELDS[candidate]:
            if f.name == name:
                return f.label_zh if language == "zh" else f.label_en
    return name


def problem_text(problem: RowProblem, language: str) -> str:
    return translate(f"problem.{problem.code}", language, **_values(problem, language))


def fix_text(problem: RowProblem, language: str) -> str:
    return translate(f"fix.{problem.fix_code}", language, **_values(problem, language))


def problem_line(problem: RowProblem, language: str) -> str:
    """One line: file, sheet, row and column, what is wrong (with the cell's value), and the fix."""
    where = [problem.file]
    if problem.sheet:
        where.append(translate("problems.at_sheet", language, sheet=problem.sheet))
    if problem.row is not None:
        where.append(translate("problems.at_row", language, row=problem.row))
    if problem.column:
        where.append(translate("problems.at_column", language, column=problem.column))
    key = "problems.line_no_value" if problem.value is None else "problems.line"
    return translate(key, language, where=translate("problems.at_sep", language).join(where),
                     problem=problem_text(problem, language), value=problem.value,
                     fix=fix_text(problem, language))


def problem_lines(problems: Iterable[RowProblem], count: int, language: str, listed: int = LISTED) -> list[str]:
    """The first `listed` problems as lines, then how many more of `count` there are, exactly."""
    problems = list(problems)[:listed]
    lines = [problem_line(p, language) for p in problems]
    if count > len(problems):
        lines.append(translate("problems.more", language, count=f"{count - len(problems):,}"))
    return lines


def refusal(error: ValidationError, language: str, listed: int = LISTED) -> str:
    """Why nothing was imported, with the problems, as the command line prints it."""
    total, invalid = f"{error.rows_total:,}", f"{error.rows_invalid:,}"
    if error.rows_invalid >= error.rows_total:
        head = translate("problems.refused_all", language, total=total)
    else:
        head = translate("problems.refused", language, invalid=invalid, total=total)
    return "\n".join([head] + ["  " + line for line in problem_lines(error.problems, error.problem_count,
                                                                      language, listed)])


def load_error_text(error: LoadError, language: str) -> str:
    """Why a file could not be read, in the reader's language: where (file, sheet, row, column), what
    is wrong and what to do. An error without a code (or one no translation file words yet) is shown
    as its English message."""
    if not error.code or not has_text(f"load.{error.code}"):
        return str(error)
    where = [error.file] if error.file else []
    if error.sheet:
        where.append(translate("problems.at_sheet", language, sheet=error.sheet))
    if error.row is not None:
        where.append(translate("problems.at_row", language, row=error.row))
    if error.column:
        where.append(translate("problems.at_column", language, column=error.column))
    return translate("load.line", language, where=translate("problems.at_sep", language).join(where),
                     problem=translate(f"load.{error.code}", language, **error.values),
                     fix=translate(f"loadfix.{error.code}", language, **error.values))


def notice_text(code: str, values: dict, language: str) -> str:
    """What the reader did that the analyst should know (hidden sheets skipped, merged cells filled)."""
    return translate(f"notice.{code}", language, **values)


def blanked_notices(blanked: Iterable[tuple[str, str, int]], language: str) -> list[str]:
    """A check's cells stored blank for saying there is no value (StageReport.blanked: column, the
    cell as written, rows), a sentence per column: which cells, how many, and how to keep one."""
    by_column: dict[str, list[tuple[str, int]]] = {}
    for column, cell, rows in blanked:
        by_column.setdefault(column, []).append((cell, rows))
    return [translate("notice.no_value_cells", language, column=column, rows=fmt_count(sum(n for _, n in cells)),
                      cells=translate("notice.no_value_sep", language).join(
                          translate("notice.no_value_cell", language, cell=cell, rows=fmt_count(n))
                          for cell, n in cells))
            for column, cells in by_column.items()]


def duplicates_where(duplicates, language: str) -> str:
    """Which batches already hold a file's rows and how many each: '3 rows in batch 1a2b3c4d (…)'."""
    return translate("duplicates.sep", language).join(
        translate("duplicates.in_batch", language, rows=f"{b.rows:,}", batch=b.batch_id[:8], file=b.source_file,
                  when=f"{b.imported_at:%Y-%m-%d %H:%M}") for b in duplicates.batches)


def duplicates_refusal(file_name: str, duplicates, language: str, on_page: bool = False) -> str:
    """Why nothing was imported: how many rows are already in which batch, and what the analyst may
    do (the command line's --skip-duplicates, or the page's tick box)."""
    values = {"file": file_name, "rows": f"{duplicates.rows:,}", "total": f"{duplicates.total:,}",
              "where": duplicates_where(duplicates, language)}
    if not duplicates.new_rows:
        return translate("duplicates.refused_all", language, **values)
    how = translate("duplicates.how_page" if on_page else "duplicates.how_cli", language, new=f"{duplicates.new_rows:,}")
    return translate("duplicates.refused", language, how=how, **values)


def duplicates_skipped(duplicates, language: str) -> str:
    return translate("duplicates.skipped", language, rows=f"{duplicates.rows:,}",
                     where=duplicates_where(duplicates, language))
