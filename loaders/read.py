"""Read a csv or xlsx file into a table of text cells, whatever its encoding or sheet layout.

Every cell is kept as text (or null when blank) so that validation, not the reader, decides
what a value means, and can point at the exact cell when it is wrong. Each row carries its
row number as the analyst sees it in the spreadsheet.
"""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from loaders.errors import LoadError

ROW_COLUMN = "__row"
EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
# How many leading lines to look at when finding the header row under a title block.
HEADER_SCAN_ROWS = 30


@dataclass(frozen=True)
class SourceTable:
    """One sheet of a file, as text cells, with its provenance."""

    file_name: str
    sheet: str | None
    encoding: str | None
    header_row: int            # spreadsheet row number of the header line (1-based)
    headers: tuple[str, ...]   # as written, made unique
    table: pa.Table            # ROW_COLUMN (int64) + one string column per header
    sha256: str

    @property
    def row_count(self) -> int:
        return self.table.num_rows

    def where(self, row: int | None = None, column: str | None = None) -> str:
        parts = [self.file_name]
        if self.sheet:
            parts.append(f"sheet '{self.sheet}'")
        if row is not None:
            parts.append(f"row {row}")
        if column:
            parts.append(f"column '{column}'")
        return ", ".join(parts)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def sheet_names(path: str | os.PathLike) -> list[str]:
    """Sheets of a workbook; a csv has one unnamed sheet."""
    path = Path(path)
    if path.suffix.lower() in EXCEL_SUFFIXES:
        return list(_open_workbook(path).sheet_names)
    return []


def read_source(path: str | os.PathLike, sheet: str | None = None,
                display_name: str | None = None) -> SourceTable:
    """Read one sheet of an xlsx (or the csv) into a SourceTable.

    `display_name` is the name the analyst knows the file by (an upload keeps its original
    name while its bytes sit in a temporary file).
    """
    path = Path(path)
    name = display_name or path.name
    if not path.exists():
        raise LoadError(f"{name}: no such file")
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        return _read_workbook(path, name, sheet)
    if suffix in CSV_SUFFIXES or suffix == "":
        if sheet:
            raise LoadError(f"{name}: a csv file has no sheets, so --sheet {sheet!r} does not apply")
        return _read_csv(path, name)
    raise LoadError(f"{name}: files ending in {suffix} are not read here; save it as .xlsx or .csv")


# --- csv -------------------------------------------------------------------------------------

def detect_encoding(raw: bytes) -> str | None:
    """utf-8-sig / utf-16 by their byte-order mark, else utf-8 if it decodes, else gb18030.

    GB18030 is a superset of GBK and GB2312, so one name covers the Chinese Excel exports.
    """
    if raw.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if raw.startswith(codecs.BOM_UTF16_LE) or raw.startswith(codecs.BOM_UTF16_BE):
        return "utf-16"
    try:
        raw.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        raw.decode("gb18030")
        return "gb18030"
    except UnicodeDecodeError:
        return None


def _read_csv(path: Path, name: str) -> SourceTable:
    sha = file_sha256(path)
    with open(path, "rb") as handle:
        head = handle.read(HEAD_BYTES)
    if not head.strip():
        raise LoadError(f"{name}: the file is empty; export the sheet again with its header row")
    encoding = detect_encoding(_whole_characters(head))
    header_index = _find_header_line(_decode_head(head, encoding or "utf-8"))
    table = None
    if encoding in ("utf-8", "utf-8-sig"):
        # DuckDB reads UTF-8 fast and in parallel, and checks every byte of it as it goes.
        try:
            table = _duckdb_csv(path, header_index)
            encoding = "utf-8-sig" if head.startswith(codecs.BOM_UTF8) else "utf-8"
        except _NotUtf8:
            encoding = None
    if table is None:
        table, encoding = _transcoded_csv(path, name, header_index, encoding)
    headers = _unique_headers([str(c) for c in table.column_names])
    table = table.rename_columns(headers)
    header_row = header_index + 1
    rows = pa.array(range(header_row + 1, header_row + 1 + table.num_rows), type=pa.int64())
    table = table.add_column(0, ROW_COLUMN, rows)
    table = _drop_blank_rows(table)
    source = SourceTable(name, None, encoding, header_row, tuple(headers), table, sha)
    _require_rows(source)
    return source


HEAD_BYTES = 256 * 1024


class _NotUtf8(Exception):
    pass


def _whole_characters(head: bytes) -> bytes:
    """The head of a file cut back to a character boundary, so decoding it is fair."""
    cut = len(head)
    while cut > 0 and len(head) - cut < 4 and (head[cut - 1] & 0xC0) == 0x80:
        cut -= 1
    if cut > 0 and head[cut - 1] >= 0xC0:
        cut -= 1
    return head[:cut] if len(head) == HEAD_BYTES else head


def _decode_head(head: bytes, encoding: str) -> str:
    text = head.decode(encoding, errors="ignore")
    return text[1:] if text.startswith("\ufeff") else text


def _duckdb_csv(path: Path, header_index: int) -> pa.Table:
    con = duckdb.connect()
    try:
        return con.execute(
            "SELECT * FROM read_csv(?, all_varchar = true, header = true, skip = ?,"
            " null_padding = true, normalize_names = false)",
            [str(path), header_index],
        ).to_arrow_table()
    except duckdb.InvalidInputException as e:
        if "unicode" in str(e).lower() or "utf" in str(e).lower():
            raise _NotUtf8() from e
        raise LoadError(f"{path.name}: the csv could not be parsed ({_first_line(e)});"
                        " check that it is one table with a single header row") from e
    except duckdb.Error as e:
        raise LoadError(f"{path.name}: the csv could not be parsed ({_first_line(e)});"
                        " check that it is one table with a single header row") from e
    finally:
        con.close()


def _transcoded_csv(path: Path, name: str, header_index: int, encoding: str | None):
    """GBK/GB18030 or UTF-16 text, re-encoded as UTF-8 for DuckDB in a scratch file."""
    raw = path.read_bytes()
    candidates = [encoding] if encoding and encoding not in ("utf-8", "utf-8-sig") else ["gb18030"]
    for candidate in candidates:
        try:
            text = raw.decode(candidate)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise LoadError(
            f"{name}: the text is neither UTF-8 nor GBK/GB18030, so its characters cannot be read;"
            " in Excel use 'Save As' > 'CSV UTF-8 (Comma delimited)' and import that file"
        )
    del raw
    if text.startswith("\ufeff"):
        text = text[1:]
    handle, scratch = tempfile.mkstemp(suffix=".csv")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        del text
        try:
            table = _duckdb_csv(Path(scratch), header_index)
        except _NotUtf8 as e:
            raise LoadError(f"{name}: the csv could not be parsed") from e
    finally:
        os.unlink(scratch)
    return table, candidate


def _find_header_line(text: str) -> int:
    """Index of the header line: the first line as wide as the table, under any title lines."""
    head = text[: 256 * 1024]
    sample = io.StringIO(head)
    try:
        dialect = csv.Sniffer().sniff(head[:16384], delimiters=",;\t|")
        reader = csv.reader(sample, dialect)
    except csv.Error:
        reader = csv.reader(sample)
    widths = []
    for i, row in enumerate(reader):
        if i >= HEADER_SCAN_ROWS:
            break
        widths.append(sum(1 for cell in row if cell.strip()))
    return _header_index(widths)


def _header_index(widths: list[int]) -> int:
    if not widths:
        return 0
    widest = max(widths)
    for i, width in enumerate(widths):
        if width >= max(2, widest // 2 + 1) or (widest == 1 and width == 1):
            return i
    return 0


# --- xlsx ------------------------------------------------------------------------------------

def _open_workbook(path: Path):
    from python_calamine import CalamineWorkbook

    try:
        return CalamineWorkbook.from_path(str(path))
    except Exception as e:  # calamine raises its own error types per format
        raise LoadError(f"{path.name}: the workbook could not be opened ({_first_line(e)});"
                        " check that it is a real .xlsx file and not password-protected") from e


def _read_workbook(path: Path, name: str, sheet: str | None) -> SourceTable:
    workbook = _open_workbook(path)
    names = list(workbook.sheet_names)
    if sheet is None:
        sheet = names[0] if names else None
    if sheet not in names:
        raise LoadError(f"{name}: there is no sheet named {sheet!r}; its sheets are "
                        + ", ".join(repr(n) for n in names))
    rows = workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    sha = file_sha256(path)
    widths = [sum(1 for cell in row if _cell_text(cell) is not None) for row in rows[:HEADER_SCAN_ROWS]]
    if not any(widths):
        raise LoadError(f"{name}, sheet '{sheet}': the sheet is empty; put a header row and data"
                        " rows on it, or choose another sheet")
    header_index = _header_index(widths)
    header_cells = rows[header_index]
    width = max((len(r) for r in rows[header_index:]), default=0)
    headers = _unique_headers([
        _cell_text(header_cells[i]) if i < len(header_cells) else None for i in range(width)
    ])
    body = rows[header_index + 1:]
    columns = [[] for _ in range(width)]
    for row in body:
        length = len(row)
        for i in range(width):
            columns[i].append(_cell_text(row[i]) if i < length else None)
    arrays = [pa.array(range(header_index + 2, header_index + 2 + len(body)), type=pa.int64())]
    arrays += [pa.array(col, type=pa.string()) for col in columns]
    table = pa.Table.from_arrays(arrays, names=[ROW_COLUMN] + headers)
    table = _drop_blank_rows(table)
    # Blank trailing columns that Excel leaves behind carry nothing; drop them.
    keep = [ROW_COLUMN] + [h for h in headers
                           if not (h.startswith("column_") and table.column(h).null_count == table.num_rows)]
    table = table.select(keep)
    source = SourceTable(name, sheet, None, header_index + 1, tuple(keep[1:]), table, sha)
    _require_rows(source)
    return source


def _cell_text(value) -> str | None:
    """An Excel cell as text: integers without '.0', dates in ISO form, blanks as None."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value != value:
            return None
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value.total_seconds() / 3600)
    text = str(value).strip()
    return text or None


# --- shared ----------------------------------------------------------------------------------

def _unique_headers(raw: list[str | None]) -> list[str]:
    seen: dict[str, int] = {}
    headers = []
    for i, header in enumerate(raw):
        text = (header or "").strip() or f"column_{i + 1}"
        if text in seen:
            seen[text] += 1
            text = f"{text} ({seen[text]})"
        else:
            seen[text] = 1
        headers.append(text)
    return headers


def _drop_blank_rows(table: pa.Table) -> pa.Table:
    """Rows with no value in any cell (Excel leaves them between blocks) are not data.

    Only nulls are looked at: both readers give a null for an empty cell, and null bitmaps are
    cheap to combine even at a million rows.
    """
    import pyarrow.compute as pc

    if table.num_columns <= 1 or table.num_rows == 0:
        return table
    any_value = None
    for name in table.column_names[1:]:
        has = pc.is_valid(table.column(name))
        any_value = has if any_value is None else pc.or_(any_value, has)
    if pc.all(any_value).as_py():
        return table
    return table.filter(any_value)


def _require_rows(source: SourceTable) -> None:
    if source.row_count == 0:
        raise LoadError(f"{source.where()}: there are no data rows under the header (row "
                        f"{source.header_row}); add rows or choose the sheet that holds them")


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
