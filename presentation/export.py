"""Tables written for a spreadsheet, safe to open: no cell can run as a formula.

A cell starting with = + - @ (or a tab / carriage return, which some spreadsheets skip before
reading a formula) is prefixed with an apostrophe, OWASP's advice for CSV injection. Numbers
stay numbers, so a negative score is still -0.4, not text.
"""
from __future__ import annotations

import io

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value):
    """A cell as it goes into a spreadsheet: text that would start a formula gets an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_text(value) -> str:
    """A cell as safe text: empty for a missing value, else its text through safe_cell."""
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return ""
    return safe_cell(str(value))


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(safe_cell)
    safe.columns = [safe_cell(str(c)) for c in safe.columns]
    return safe


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens Chinese text correctly; CRLF lines (RFC 4180)."""
    return safe_frame(frame).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def to_xlsx_bytes(frame: pd.DataFrame, sheet: str = "Data") -> bytes:
    out = io.BytesIO()
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        safe_frame(frame).to_excel(writer, sheet_name=sheet[:31], index=False)
    return out.getvalue()
