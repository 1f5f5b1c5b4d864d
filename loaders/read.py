"""Read a csv or xlsx file into a table of text cells, whatever its encoding or sheet layout.

Every cell is kept as text (or null when blank) so that validation, not the reader, decides
what a value means, and can point at the exact cell when it is wrong. Each row carries its
row number as the analyst sees it in the spreadsheet.
"""
from __future__ import annotations

import codecs
from array import array
import csv
import datetime as dt
import hashlib
import io
import itertools
import os
import re
import tempfile
import weakref
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from typing import Iterator
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from python_calamine import CalamineWorkbook

from loaders.bounds import (
    MAX_COLUMNS, MAX_FIELD_CHARS, MAX_ROWS, WorkbookLook, check_file_size, column_letters, look_into_ole2,
    look_into_zip, sniff_format
)
from loaders.errors import LoadError, MalformedFileError
from text.encoding import detect_encoding, is_binary

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
    header_row: int            # spreadsheet row number of the (first) header line (1-based)
    headers: tuple[str, ...]   # as written, made unique
    table: pa.Table            # ROW_COLUMN (int64) + one string column per header
    sha256: str
    header_rows: int = 1       # how many rows the header takes (survey tools write two or three)
    texts: tuple[str | None, ...] = ()   # per header: the question text of a multi-row header
    # what the reader did that the analyst should know: (code, values), worded by presentation
    # (`notice.<code>`): hidden sheets skipped, merged cells filled down, a file read as what it is
    notices: tuple[tuple[str, dict], ...] = ()
    # the cells kept on disk instead of in `table` (spill): read them with cells() and head()
    spilled: "SpilledCells | None" = field(default=None, compare=False, repr=False)

    @property
    def row_count(self) -> int:
        return self.spilled.rows if self.spilled is not None else self.table.num_rows

    def cells(self, columns: list[str] | None = None) -> pa.Table:
        """The cells (of `columns`, or all with ROW_COLUMN), from memory or from the spilled file."""
        if self.spilled is not None:
            return self.spilled.read(columns)
        return self.table if columns is None else self.table.select(columns)

    def head(self, rows: int) -> pa.Table:
        """The first `rows` rows of cells, without reading a spilled file's other rows."""
        return self.spilled.head(rows) if self.spilled is not None else self.table.slice(0, rows)

    def spill(self) -> None:
        """Keep the cells in a Parquet file instead of memory until they are released: an owner that
        holds the table between uses and reads its cells again in full only to validate them (the
        upload page, whose server holds the upload's bytes as well; issue 20's memory floor).
        Validation then reads them from the file (loaders/validate.py stages from it), a page of
        rows at a time within DuckDB's memory limit. The file goes when no copy of this table
        refers to it any more."""
        if self.spilled is not None or self.table.num_rows == 0:
            return
        spilled = SpilledCells(self.table)
        # frozen for its readers; its one owner changes it in place, as release_rows does
        object.__setattr__(self, "spilled", spilled)
        object.__setattr__(self, "table", self.table.schema.empty_table())
        # Arrow's allocator keeps what the cells took for later tables unless told to give it back
        pa.default_memory_pool().release_unused()

    def release_rows(self) -> None:
        """Let go of the cells once they are staged in the store (loaders/validate.py), so that the
        file's cells and the rows written from them are not held at once (issue 20's memory floor).
        Only for an owner that reads the rows no more: the table keeps its columns and has no rows."""
        # frozen for its readers; its one owner empties it in place, since every copy of the owner's
        # prepared file would otherwise keep the cells alive
        object.__setattr__(self, "table", self.table.schema.empty_table())
        if self.spilled is not None:
            self.spilled.remove()
            object.__setattr__(self, "spilled", None)

    def where(self, row: int | None = None, column: str | None = None) -> str:
        parts = [self.file_name]
        if self.sheet:
            parts.append(f"sheet '{self.sheet}'")
        if row is not None:
            parts.append(f"row {row}")
        if column:
            parts.append(f"column '{column}'")
        return ", ".join(parts)


# Rows per row group of spilled cells: DuckDB reads the row groups in parallel and holds a few at a
# time, and a sample of the first rows reads only the first group.
SPILL_ROW_GROUP = 65_536


class SpilledCells:
    """A table's cells in a Parquet file of their own (SourceTable.spill), removed when nothing refers
    to it any more, or at remove(), or when the process ends."""

    def __init__(self, table: pa.Table, folder: str | os.PathLike | None = None):
        handle, self.path = tempfile.mkstemp(prefix="feedback-cells-", suffix=".parquet", dir=folder)
        os.close(handle)
        self._remove = weakref.finalize(self, _remove_file, self.path)
        try:
            # uncompressed: the file lives for minutes, and is read back at the disk's speed
            _parquet().write_table(table, self.path, row_group_size=SPILL_ROW_GROUP, compression="none")
        except BaseException:
            self._remove()
            raise
        self.rows = table.num_rows
        self.schema = table.schema

    def read(self, columns: list[str] | None = None) -> pa.Table:
        return _parquet().read_table(self.path, columns=columns)

    def head(self, rows: int) -> pa.Table:
        batches = _parquet().ParquetFile(self.path).iter_batches(batch_size=max(rows, 1))
        first = next(batches, None)
        return self.schema.empty_table() if first is None else pa.Table.from_batches([first]).slice(0, rows)

    def remove(self) -> None:
        self._remove()


def _parquet():
    """pyarrow.parquet, imported when cells are first spilled (only the upload page spills them): it
    brings pyarrow's file systems and their TLS with it, which every command would otherwise load at
    start-up (issue 24's whole-process floors)."""
    import pyarrow.parquet

    return pyarrow.parquet


def _remove_file(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def sheet_names(path: str | os.PathLike, display_name: str | None = None) -> list[str]:
    """The visible sheets of a workbook, in order; a csv has none. Hidden sheets (hidden_sheets)
    are left out: nobody sees them in Excel, so nobody expects them imported."""
    path = Path(path)
    name = display_name or path.name
    look = _look(path, name)
    if look is None:
        return []
    if look.sheets:
        return list(look.visible)
    return list(_open_workbook(path, name).sheet_names)


def hidden_sheets(path: str | os.PathLike, display_name: str | None = None) -> list[str]:
    """Sheets a workbook keeps hidden (state hidden or veryHidden)."""
    path = Path(path)
    look = _look(path, display_name or path.name)
    return list(look.hidden) if look is not None else []


def is_workbook(path: str | os.PathLike, display_name: str | None = None) -> bool:
    """Whether the file's bytes are a workbook (a zip or an old .xls), whatever its name says."""
    path = Path(path)
    return _look(path, display_name or path.name) is not None


# Looks into workbooks by path, size and modification time: an upload's sheets are listed, then
# each is read, and the zip's entries need to be checked once.
_LOOKS: OrderedDict = OrderedDict()


def _look(path: Path, name: str) -> WorkbookLook | None:
    """The workbook's look (its limits checked), or None for a text file. Refuses a missing, empty or
    oversized file."""
    if not path.exists():
        raise LoadError(f"{name}: no such file", code="no_file", file=name)
    size = check_file_size(path, name)
    with open(path, "rb") as handle:
        head = handle.read(8)
    fmt = sniff_format(head)
    if fmt == "empty":
        raise LoadError(f"{name}: the file is empty (0 bytes); export the sheet again with its header row",
                        code="empty_file", file=name)
    if fmt == "text":
        return None
    stat = path.stat()
    key = (str(path), name, stat.st_size, stat.st_mtime_ns)
    if key in _LOOKS:
        _LOOKS.move_to_end(key)
        return _LOOKS[key]
    look = look_into_zip(path, name) if fmt == "zip" else look_into_ole2(path, name, size)
    _LOOKS[key] = look
    while len(_LOOKS) > 16:
        _LOOKS.popitem(last=False)
    return look


def read_source(path: str | os.PathLike, sheet: str | None = None,
                display_name: str | None = None, header_row: int | None = None) -> SourceTable:
    """Read one sheet of an xlsx (or the csv) into a SourceTable.

    `display_name` is the name the analyst knows the file by (an upload keeps its original
    name while its bytes sit in a temporary file). `header_row` (1-based, as the spreadsheet
    numbers rows) says where the header is when the analyst knows better than the guess.
    What the file is comes from its bytes: a workbook saved under a .csv name is read as the
    workbook it is, and says so in the table's notices.
    """
    path = Path(path)
    name = display_name or path.name
    suffix = path.suffix.lower()
    if header_row is not None and header_row < 1:
        raise LoadError(f"{name}: the header row is counted from 1, so {header_row} is not a row",
                        code="header_row", file=name, values={"row": header_row})
    look = _look(path, name)
    if look is not None:
        source = _read_workbook(path, name, sheet, header_row, look)
        if suffix not in EXCEL_SUFFIXES:
            source = replace(source, notices=(("read_as_workbook", {"format": look.format}),) + source.notices)
        return source
    if suffix in EXCEL_SUFFIXES:
        with open(path, "rb") as handle:
            head = handle.read(HEAD_BYTES)
        if is_binary(head):
            raise LoadError(f"{name}: the file is neither a workbook nor text, though its name ends in {suffix};"
                            " open it in Excel and save it again as .xlsx", code="not_a_workbook", file=name,
                            values={"suffix": suffix})
        source = _read_csv(path, name, header_row)
        return replace(source, notices=(("read_as_text", {"suffix": suffix}),) + source.notices)
    if suffix in CSV_SUFFIXES or suffix == "":
        if sheet:
            raise LoadError(f"{name}: a csv file has no sheets, so --sheet {sheet!r} does not apply",
                            code="csv_no_sheets", file=name, values={"sheet": sheet})
        return _read_csv(path, name, header_row)
    with open(path, "rb") as handle:
        if handle.read(2) == GZIP_MAGIC:
            raise LoadError(f"{name}: the file is compressed (gzip), so it is not a csv itself; unpack it first"
                            " (7-Zip, or gunzip) and import the csv inside", code="compressed", file=name)
    raise LoadError(f"{name}: files ending in {suffix} are not read here; save it as .xlsx or .csv",
                    code="suffix", file=name, values={"suffix": suffix})


# --- csv -------------------------------------------------------------------------------------

def _read_csv(path: Path, name: str, header_row: int | None = None) -> SourceTable:
    sha = file_sha256(path)
    with open(path, "rb") as handle:
        head = handle.read(HEAD_BYTES)
    if not head.removeprefix(codecs.BOM_UTF8).strip():
        raise LoadError(f"{name}: the file is empty; export the sheet again with its header row",
                        code="empty_file", file=name)
    if head.startswith(GZIP_MAGIC):
        raise LoadError(f"{name}: the file is compressed (gzip), so it is not a csv itself; unpack it first"
                        " (7-Zip, or gunzip) and import the csv inside", code="compressed", file=name)
    if is_binary(head):
        stray = _stray_nul_line(head)
        if stray is not None:
            raise LoadError(f"{name}, line {stray}: the text holds a zero byte (NUL), which no csv cell holds: the"
                            " export or the copy broke there; export the file again, or delete the stray"
                            " character in a text editor", code="nul_byte", file=name, row=stray)
        raise LoadError(f"{name}: the file is not text (it holds binary bytes), so it is not a csv; export the"
                        " sheet again as .csv or .xlsx", code="binary", file=name)
    encoding = detect_encoding(_whole_characters(head))
    if encoding not in ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be") and _mixed_utf8(head):
        raise _mixed_encoding(path, name)
    if encoding is None:
        raise _unknown_encoding(name)
    _refuse_markup(_decode_head(head, encoding), name)
    _refuse_json(_decode_head(head, encoding), name)
    if _cr_only(head):
        # Excel for Mac's "CSV (Macintosh)" ends its lines with CR alone, which neither DuckDB nor the
        # header's reader takes for a line break: the lines are made LF lines in the scratch copy
        table, layout, encoding, delimiter = _transcoded_csv(path, name, encoding, header_row, cr_lines=True)
    elif _doubled_cr(head):
        table, layout, encoding, delimiter = _transcoded_csv(path, name, encoding, header_row, doubled_cr=True)
    elif encoding in ("utf-8", "utf-8-sig"):
        # DuckDB reads UTF-8 fast and in parallel, and checks every byte of it as it goes.
        try:
            layout, delimiter = _csv_layout(_decode_head(head, encoding), name, header_row)
            table = _duckdb_csv(path, name, layout, delimiter)
            encoding = "utf-8-sig" if head.startswith(codecs.BOM_UTF8) else "utf-8"
        except _NotUtf8:
            if not head.isascii():
                # UTF-8 accents in the head and other bytes later: reading either way garbles one part
                raise _mixed_encoding(path, name) from None
            table, layout, encoding, delimiter = _transcoded_csv(path, name, None, header_row)
    else:
        table, layout, encoding, delimiter = _transcoded_csv(path, name, encoding, header_row)
    first_data = layout.first + layout.count + 1
    if table.num_rows > MAX_ROWS:
        raise LoadError(f"{name}: it has more than {MAX_ROWS:,} rows, the limit for one file; split it by month",
                        code="too_many_rows", file=name, row=first_data + MAX_ROWS,
                        values={"limit": f"{MAX_ROWS:,}"})
    _check_field_sizes(table, layout, name, first_data)
    table = table.rename_columns(list(layout.headers))
    # a CR CR LF file's records are counted in the lines its CR CR LFs end, not in the empty lines the
    # csv module reads between them
    rows = (None if _doubled_cr(head) else
            _record_numbers(path, encoding, delimiter, layout.first + layout.count, table.num_rows)) \
        or _row_numbers(first_data, table.num_rows)
    table = _blank_tokens_to_null(_strip_inner_boms(table.add_column(0, ROW_COLUMN, rows)))
    table = _drop_blank_rows(table)
    table, headers, texts = _drop_blank_columns(table, layout.headers, layout.texts)
    table, notices = _tidied(table, headers, delimiter in ";\t", workbook=False)
    source = SourceTable(name, None, encoding, layout.first + 1, headers, table, sha, layout.count, texts,
                         tuple(notices))
    _refuse_summary(source)
    _require_rows(source)
    return source


def _has_blank_line(path: Path, encoding: str) -> bool:
    """Whether an empty line sits anywhere in the file, looked for in its bytes a block at a time."""
    codec = {"utf-16": "utf-16-le", "utf-16-le": "utf-16-le", "utf-16-be": "utf-16-be"}.get(encoding)
    patterns = [p.encode(c) for p in ("\n\n", "\n\r\n", "\r\r")
                for c in ((codec, "utf-16-be") if codec else ("ascii",))]
    tail = b""
    with open(path, "rb") as handle:
        while block := handle.read(1 << 22):
            joined = tail + block
            if any(p in joined for p in patterns):
                return True
            tail = joined[-8:]
    return False


def _one_line_each(path: Path, encoding: str, records: int) -> bool:
    """Whether the file has exactly `records` lines (LF or CRLF, the last one with or without its
    break) and no CR standing alone: then no line is empty, since every record takes a line of its
    own. Counted in its bytes, a block at a time, which is quicker than looking for the empty lines
    themselves (issue 24's csv floor); UTF-16, whose line breaks are two bytes, is not counted."""
    if encoding.startswith("utf-16"):
        return False
    lines = crs = crlfs = 0
    last = b""
    with open(path, "rb") as handle:
        while block := handle.read(1 << 22):
            lines += block.count(b"\n")
            crs += block.count(b"\r")
            if crs:
                crlfs += block.count(b"\r\n") + (last == b"\r" and block.startswith(b"\n"))
            last = block[-1:]
    if last and last != b"\n":
        lines += 1
    return crs == crlfs and lines == records


def _record_numbers(path: Path, encoding: str, delimiter: str, before: int, count: int) -> pa.Array | None:
    """The rows' record numbers, as Excel numbers the rows, when the file has empty lines (the csv
    reader skips them, so the rows after one would be numbered one too early); None when it has
    none, or when the records do not add up to the rows read (then they are numbered in turn)."""
    if _one_line_each(path, encoding, before + count) or not _has_blank_line(path, encoding):
        return None
    numbers = array("q")
    previous = csv.field_size_limit(MAX_LINE_BYTES)
    try:
        with open(path, encoding=encoding, newline="") as text:
            reader = csv.reader(text, delimiter=delimiter, quotechar='"', doublequote=True)
            for number, record in enumerate(reader, start=1):
                if number > before and record:
                    numbers.append(number)
    except (csv.Error, UnicodeDecodeError, OSError):
        return None
    finally:
        csv.field_size_limit(previous)
    if len(numbers) != count:
        return None
    return pa.array(np.frombuffer(numbers, dtype=np.int64))


def _strip_inner_boms(table: pa.Table) -> pa.Table:
    """Two exports joined into one file (copy a.csv+b.csv) keep the second one's byte-order mark at the
    start of a line: it is no character of the first cell, and an id 'C6' with it would be another
    customer than 'C6'. Only the first column is looked at, where such a mark can be."""
    if table.num_columns < 2:
        return table
    first = table.column(1)
    marked = pc.starts_with(first, "\ufeff")
    if not pc.any(marked).as_py():
        return table
    return table.set_column(1, table.column_names[1], pc.utf8_ltrim(first, characters="\ufeff"))


def _check_field_sizes(table: pa.Table, layout: "HeaderLayout", name: str, first_data: int) -> None:
    """A cell longer than MAX_FIELD_CHARS is refused at its row and column (a runaway quote, a pasted
    document), before anything reads its text."""
    for i, column in enumerate(table.columns):
        # a cell holds no more characters than bytes, and Arrow knows the bytes without reading them
        if (pc.max(pc.binary_length(column)).as_py() or 0) <= MAX_FIELD_CHARS:
            continue
        lengths = pc.utf8_length(column)
        longest = pc.max(lengths).as_py()
        if longest is not None and longest > MAX_FIELD_CHARS:
            index = pc.index(pc.greater(lengths, MAX_FIELD_CHARS), True).as_py()
            header = layout.headers[i]
            raise LoadError(
                f"{name}, row {first_data + index}, column '{header}': the cell holds {longest:,} characters,"
                f" over the limit of {MAX_FIELD_CHARS:,}; shorten it (or check for a quote that never closes)",
                code="field_too_large", file=name, row=first_data + index, column=header,
                values={"chars": f"{longest:,}", "limit": f"{MAX_FIELD_CHARS:,}"})


HEAD_BYTES = 256 * 1024
# The longest line DuckDB reads: many long cells of one record (its own default is 2 MB).
MAX_LINE_BYTES = 16 * 1024 * 1024
# The cells come back from DuckDB in record batches of one row group each: the store reads them
# back batch by batch on both cores, and a batch's strings stay in the processor's cache while it is
# typed (DuckDB's default, a million rows a batch, leaves one core idle; issue 24's csv floor).
ARROW_BATCH_ROWS = 122_880


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


def _csv_layout(text: str, name: str, header_row: int | None) -> tuple["HeaderLayout", str]:
    """The header layout and delimiter, from the first records of the file's text."""
    delimiter = _sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, quotechar='"', doublequote=True)
    records: list[list[str]] = []
    previous = csv.field_size_limit(MAX_LINE_BYTES)
    try:
        for row in reader:
            records.append(row)
            if len(records) >= HEADER_SCAN_ROWS + 4:
                break
    except csv.Error:
        pass  # the head may stop inside a quoted cell; the records before it are enough
    finally:
        csv.field_size_limit(previous)
    layout = header_layout(records, name, header_row)
    if len(layout.headers) > MAX_COLUMNS:
        raise LoadError(f"{name}: the header has {len(layout.headers):,} columns, over the limit of {MAX_COLUMNS:,};"
                        " save only the columns that hold data", code="too_many_columns", file=name,
                        row=layout.first + 1, column=column_letters(len(layout.headers)),
                        values={"columns": f"{len(layout.headers):,}", "limit": f"{MAX_COLUMNS:,}"})
    # DuckDB's read_csv skips records, not lines: a header cell with a quoted line break (Microsoft
    # Forms writes long questions so) is one record however many lines it takes
    return replace(layout, skip_lines=layout.first + layout.count), delimiter


def _sniff_delimiter(text: str) -> str:
    sample = text[:16384]
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        first = sample.split("\n", 1)[0]
        return max(",;\t|", key=first.count) if first else ","


def _duckdb_csv(path: Path, name: str, layout: "HeaderLayout", delimiter: str) -> pa.Table:
    """Every record as text, the dialect fixed (not guessed), so a quoted line break stays in its
    cell and a record with more cells than the header is refused instead of shifted. One row past
    MAX_ROWS is read, so that a file over it is refused without reading the rest."""
    con = duckdb.connect()
    columns = {f"c{i}": "VARCHAR" for i in range(len(layout.headers))}
    sql = ("SELECT * FROM read_csv(?, header = false, skip = ?, delim = ?, quote = '\"', escape = '\"',"
           " null_padding = true, strict_mode = true, auto_detect = false, columns = ?,"
           " max_line_size = ?, buffer_size = ?, parallel = ?) LIMIT ?")
    params = [str(path), layout.skip_lines, delimiter, columns, MAX_LINE_BYTES, 2 * MAX_LINE_BYTES, True, MAX_ROWS + 1]
    try:
        try:
            return con.execute(sql, params).to_arrow_table(ARROW_BATCH_ROWS)
        except duckdb.Error as e:
            if "parallel=false" not in str(e):
                raise
            # DuckDB's parallel reader cannot pad short rows once a quoted cell holds a line break
            params[-2] = False
            return con.execute(sql, params).to_arrow_table(ARROW_BATCH_ROWS)
    except duckdb.InvalidInputException as e:
        if "unicode" in str(e).lower() or "utf" in str(e).lower():
            raise _NotUtf8() from e
        raise _malformed(path, name, layout, delimiter, e) from e
    except duckdb.Error as e:
        raise _malformed(path, name, layout, delimiter, e) from e
    finally:
        con.close()


def _malformed(path: Path, name: str, layout: "HeaderLayout", delimiter: str, error: Exception) -> LoadError:
    """Where the csv breaks, as a spreadsheet row number (the file's record, as Excel numbers its rows):
    Python's csv module walks the records."""
    width = len(layout.headers)
    row = layout.first + layout.count
    previous = csv.field_size_limit(MAX_LINE_BYTES)
    try:
        with open(path, encoding="utf-8-sig", errors="replace", newline="") as handle:
            reader = csv.reader(handle, delimiter=delimiter, quotechar='"', doublequote=True, strict=True)
            try:
                for k, record in enumerate(reader):
                    if k < layout.first + layout.count:
                        continue
                    row = k + 1
                    long = next((i for i, cell in enumerate(record) if len(cell) > MAX_FIELD_CHARS), None)
                    if long is not None:
                        column = layout.headers[long] if long < width else column_letters(long + 1)
                        return MalformedFileError(
                            f"{name}, row {row}, column '{column}': the cell holds {len(record[long]):,} characters,"
                            f" over the limit of {MAX_FIELD_CHARS:,}; shorten it (or check for a quote that never"
                            " closes)", row=row, code="field_too_large", file=name, column=column,
                            values={"chars": f"{len(record[long]):,}", "limit": f"{MAX_FIELD_CHARS:,}"})
                    extra = [c for c in record[width:] if c.strip()]
                    if extra:
                        return MalformedFileError(
                            f"{name}, row {row}: has {len(record)} cells but the header has {width}; a cell"
                            " holds the separator without quotes, or the row was pasted into the wrong place."
                            " Nothing was imported", row=row, code="too_many_cells", file=name,
                            column=column_letters(width + 1), values={"cells": len(record), "width": width})
            except csv.Error as e:
                if "field larger" in str(e):
                    column = _long_field_column(path, delimiter, row)
                    column = layout.headers[column] if column < width else column_letters(column + 1)
                    return MalformedFileError(
                        f"{name}, row {row + 1}, column '{column}': the cell holds more than {MAX_LINE_BYTES:,}"
                        f" characters, over the limit of {MAX_FIELD_CHARS:,}; shorten it (or check for a quote"
                        " that never closes)", row=row + 1, code="field_too_large", file=name, column=column,
                        values={"chars": f"{MAX_LINE_BYTES:,}", "limit": f"{MAX_FIELD_CHARS:,}"})
                return MalformedFileError(
                    f"{name}, row {row + 1}: a quoted cell opens here and never closes, so the file is cut"
                    " off or broken (a download that stopped?). Download or export it again. Nothing was"
                    " imported", row=row + 1, code="unclosed_quote", values={}, file=name)
    finally:
        csv.field_size_limit(previous)
    return MalformedFileError(f"{name}: the csv could not be parsed ({_first_line(error)});"
                              " check that it is one table", row=None, code="unparsable",
                              values={"detail": _first_line(error)}, file=name)


def _long_field_column(path: Path, delimiter: str, records_before: int) -> int:
    """The position of the first cell over MAX_FIELD_CHARS in the record after `records_before`
    records, counted by walking its characters (the csv module refuses to hold the cell)."""
    previous = csv.field_size_limit(MAX_LINE_BYTES)
    try:
        with open(path, encoding="utf-8-sig", errors="replace", newline="") as handle:
            reader = csv.reader(handle, delimiter=delimiter, quotechar='"', doublequote=True)
            for _ in range(records_before):
                next(reader)
            column, length, quoted = 0, 0, False
            while chunk := handle.read(1 << 16):
                for character in chunk:
                    if character == '"':
                        quoted = not quoted
                    elif character == delimiter and not quoted:
                        column, length = column + 1, 0
                        continue
                    length += 1
                    if length > MAX_FIELD_CHARS:
                        return column
    finally:
        csv.field_size_limit(previous)
    return column


def _transcoded_csv(path: Path, name: str, encoding: str | None, header_row: int | None,
                    cr_lines: bool = False, doubled_cr: bool = False):
    """GBK/GB18030, UTF-16 or single-byte text, re-encoded as UTF-8 for DuckDB in a scratch file, a
    chunk at a time (a large file is never held whole). `cr_lines`: the lines end in CR alone, and
    are written with LF. `doubled_cr`: the lines end in CR CR LF (_doubled_cr), and every CR LF is
    written LF, as the program meant it."""
    if encoding is None or (encoding in ("utf-8", "utf-8-sig") and not (cr_lines or doubled_cr)):
        encoding = _encoding_of_rest(path)
        if encoding is None:
            raise _unknown_encoding(name)
    with open(path, "rb") as handle:
        head = handle.read(HEAD_BYTES)
    head_text = _decode_head(head, encoding)
    if doubled_cr:
        head_text = head_text.replace("\r\n", "\n")
    layout, delimiter = _csv_layout(head_text.replace("\r", "\n") if cr_lines else head_text, name, header_row)
    handle, scratch = tempfile.mkstemp(suffix=".csv")
    try:
        # newline=None reads CR, LF and CRLF alike as LF (a quoted line break too, as Excel wrote it)
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out, \
                open(path, encoding=encoding, newline=None if cr_lines else "") as text:
            first = True
            held = ""
            try:
                while True:
                    chunk = text.read(1 << 20)
                    if not chunk:
                        break
                    if first and chunk.startswith("\ufeff"):
                        chunk = chunk[1:]
                    first = False
                    if doubled_cr:
                        # a CR at a chunk's end may be the first half of a CR LF the next chunk ends
                        chunk = held + chunk
                        held = "\r" if chunk.endswith("\r") else ""
                        chunk = chunk[:len(chunk) - len(held)].replace("\r\n", "\n")
                    out.write(chunk)
                out.write(held)
            except UnicodeDecodeError as e:
                # the error's offset is into bytes the text reader read ahead, not into the chunk
                line = _undecodable_line(path, encoding, cr_lines)
                raise LoadError(
                    f"{name}, line {line}: a character cannot be read as {encoding} (the file mixes encodings?);"
                    " in Excel use 'Save As' > 'CSV UTF-8 (Comma delimited)' and import that file",
                    code="encoding_mixed", file=name, row=line, values={"encoding": encoding}) from e
        try:
            table = _duckdb_csv(Path(scratch), name, layout, delimiter)
        except _NotUtf8 as e:
            raise LoadError(f"{name}: the csv could not be parsed", code="unparsable", file=name,
                            values={"detail": "utf-8"}) from e
    finally:
        os.unlink(scratch)
    return table, layout, encoding, delimiter


def _undecodable_line(path: Path, encoding: str, cr_lines: bool) -> int:
    """The line of the first byte of `path` that `encoding` cannot read: 1 and the line breaks of the
    text before it, a quoted cell's among them (a text editor's line, which is the spreadsheet's row
    until a cell holds a line break). Counted in the decoded text, not in its bytes: in UTF-16 the
    byte 0x0A is half of many a character."""
    line_break = "\r" if cr_lines else "\n"
    line = 1
    decoder = codecs.getincrementaldecoder(encoding)()
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            state = decoder.getstate()
            try:
                line += decoder.decode(block).count(line_break)
            except UnicodeDecodeError as e:
                # the offset counts the bytes of a character the block before ended inside of, and
                # a failed decode leaves a CJK decoder without them
                decoder.setstate(state)
                return line + decoder.decode(block[:max(0, e.start - len(state[0]))]).count(line_break)
    return line


GZIP_MAGIC = b"\x1f\x8b"


def _stray_nul_line(head: bytes) -> int | None:
    """The line of the first zero byte of text that is otherwise text (a few NULs from a broken export
    or a copy padded with them, not a binary file), or None."""
    sample = head[:65536]
    cleaned = sample.replace(b"\x00", b"")
    if not cleaned.strip() or len(sample) - len(cleaned) > 0.01 * len(sample) + 512 or is_binary(cleaned):
        return None
    return sample.count(b"\n", 0, sample.index(b"\x00")) + 1


def _doubled_cr(head: bytes) -> bool:
    """Lines ended by CR CR LF: Python's csv writer on Windows ends each record with CR LF, and a file
    opened in text mode (without newline='') makes its LF CR LF again. Judged on the first line's end,
    which no other file writes so; in UTF-16 the bytes differ and the file reads as it did."""
    end = head.find(b"\n")
    return end >= 2 and head[end - 2:end] == b"\r\r"


def _cr_only(head: bytes) -> bool:
    """Lines ended by CR alone (classic Mac): a CR and no LF in the file's head."""
    return b"\r" in head and b"\n" not in head


# What a "spreadsheet" that is a web page or Excel 2003's XML starts with: old CRM and ERP systems
# export an HTML table under an .xls name, and Excel opens both, so analysts take them for workbooks.
_HTML_START = re.compile(r"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|table|meta)\b", re.I | re.S)
_SPREADSHEET_ML = "urn:schemas-microsoft-com:office:spreadsheet"


def _refuse_markup(text: str, name: str) -> None:
    """A web page or an Excel 2003 XML workbook is refused as what it is: read as a csv, its markup
    would be taken for one header cell with no rows under it."""
    start = text[:4096]
    if _SPREADSHEET_ML in start and start.lstrip().startswith("<"):
        raise LoadError(f"{name}: the file is an Excel 2003 XML spreadsheet, which is not read here; open it in"
                        " Excel and save it as .xlsx (File > Save As > Excel Workbook)", code="xml_spreadsheet",
                        file=name)
    if _HTML_START.match(start):
        raise LoadError(f"{name}: the file is a web page (an HTML table), though its name says spreadsheet, as"
                        " some systems export 'Excel' files; open it in Excel and save it as .xlsx (File > Save"
                        " As > Excel Workbook)", code="html_table", file=name)


_JSON_START = re.compile(r'^\ufeff?\s*(\[\s*[\[{"]|\{\s*")')


def _refuse_json(text: str, name: str) -> None:
    """A JSON export (a survey tool's or a ticket system's API) is no table: read as a csv, its first
    bracket would be taken for the header."""
    if _JSON_START.match(text[:4096]):
        raise LoadError(f"{name}: the file is JSON (a program's export), not a table; export the responses from"
                        " the tool as .csv or .xlsx", code="json_file", file=name)


# The headers of a survey tool's summary report: each question's choices with how many picked them.
SUMMARY_CHOICE = {"选项", "answerchoices", "answerchoice", "answer", "choice", "option", "options"}
SUMMARY_COUNT = {"小计", "人数", "回复数", "回答数", "计数", "比例", "百分比", "responses", "count", "percent",
                 "percentage", ""}


def _refuse_summary(source: SourceTable) -> None:
    """A survey tool's summary (问卷星's 统计报告, SurveyMonkey's summary export: answers counted per
    choice, a question at a time) is refused as what it is: it holds no respondent's answers."""
    keys = [re.sub(r"[^0-9a-z\u3400-\u9fff%]+", "", h.lower()).replace("%", "") for h in source.headers]
    named = [k for k in keys if not k.startswith("column")]
    if len(named) <= 4 and named and named[0] in SUMMARY_CHOICE \
            and any(k in SUMMARY_COUNT - {""} for k in named[1:]) and all(k in SUMMARY_COUNT for k in named[1:]):
        raise LoadError(f"{source.where()}: the file is a survey tool's summary report (each choice with how many"
                        " picked it), not one row per respondent; download the individual responses instead"
                        " (问卷星: 下载答卷数据; 腾讯问卷: 下载数据 > 原始数据; SurveyMonkey: Export > All individual"
                        " responses)", code="summary_report", file=source.file_name, sheet=source.sheet,
                        row=source.header_row,
                        values={"headers": ", ".join(h for h in source.headers[:4] if not h.startswith("column_"))})


def _unknown_encoding(name: str) -> LoadError:
    return LoadError(
        f"{name}: the text is neither UTF-8 nor GBK/GB18030 nor a Windows code page, so its characters cannot"
        " be read; in Excel use 'Save As' > 'CSV UTF-8 (Comma delimited)' and import that file",
        code="encoding", file=name)


def _mixed_utf8(raw: bytes) -> bool:
    """UTF-8 text with some bytes of another encoding: its accents read as UTF-8 outnumber the bytes
    that do not (GBK or Windows-1252 text read as UTF-8 is nearly all bytes that do not)."""
    text = _whole_characters(raw).decode("utf-8", errors="replace")
    replaced = text.count("\ufffd")
    accents = sum(1 for c in text if ord(c) > 127) - replaced
    return replaced > 0 and accents >= replaced


def _mixed_encoding(path: Path, name: str) -> LoadError:
    """A file that starts as UTF-8 and later is not, refused at the line of its first foreign byte."""
    line = 1
    with open(path, "rb") as handle:
        decoder = codecs.getincrementaldecoder("utf-8")()
        while block := handle.read(1 << 20):
            try:
                decoder.decode(block)
            except UnicodeDecodeError as e:
                line += block.count(b"\n", 0, e.start)
                break
            line += block.count(b"\n")
    return LoadError(
        f"{name}, line {line}: a character cannot be read as utf-8 (the file mixes encodings?); in Excel use"
        " 'Save As' > 'CSV UTF-8 (Comma delimited)' and import that file",
        code="encoding_mixed", file=name, row=line, values={"encoding": "utf-8"})


def _encoding_of_rest(path: Path) -> str | None:
    """A file whose head is UTF-8 but whose later bytes are not: the encoding of the first part
    that is not."""
    with open(path, "rb") as handle:
        decoder = codecs.getincrementaldecoder("utf-8")()
        while True:
            block = handle.read(1 << 20)
            if not block:
                return None
            try:
                decoder.decode(block)
            except UnicodeDecodeError as e:
                return detect_encoding(block[max(0, e.start - 4096):])


# --- where the header is ---------------------------------------------------------------------

# Survey tools write one or two rows of question text (and Qualtrics a row of import ids) under
# the row of column names; SurveyMonkey's second row says "Response" over a single question.
IMPORT_ID = re.compile(r'^\s*\{\s*"ImportId"\s*:', re.I)
LEGACY_CODE = re.compile(r"^V\d+$")
RESPONSE_WORDS = {"response", "open-ended response", "open ended response", "other (please specify)"}
NUMERIC_CELL = re.compile(r"^\s*-?\d+(?:[.,]\d+)?\s*$")


@dataclass(frozen=True)
class HeaderLayout:
    """Where the header is: its first row (0-based), how many rows, the names and question texts."""

    first: int
    count: int
    headers: tuple[str, ...]
    texts: tuple[str | None, ...]
    skip_lines: int = 0


def header_layout(rows: list[list], name: str = "", header_row: int | None = None) -> HeaderLayout:
    """Find the header in the first rows of a sheet (cells as text or None).

    The first row as wide as the table (under any title rows) names the columns, unless
    `header_row` says which. The rows under it belong to the header too when they are an import-id
    row, SurveyMonkey's "Response" row, or text over columns whose data below are numbers.
    """
    cells = [[_cell_text(c) for c in row] for row in rows[:HEADER_SCAN_ROWS + 4]]
    if header_row is not None:
        first = header_row - 1
        if first >= len(cells):
            raise LoadError(f"{name}: there is no row {header_row} to take the header from")
    else:
        first = _header_index([sum(1 for c in row if c is not None) for row in cells[:HEADER_SCAN_ROWS]])
    # The header's rows set the width: a wider row further down is a broken row, not more columns;
    # the two rows under the header widen it only with blank cells (a separator ending every line).
    named = len(cells[first]) if first < len(cells) else 0
    width = max([named] + [len(r) for r in cells[first + 1:first + 3]
                           if all(c is None for c in r[named:])])
    grid = [(row + [None] * (width - len(row)))[:width] for row in cells]
    names = grid[first] if first < len(grid) else [None] * width
    if header_row is None:
        _refuse_data_as_header(grid, first, name)
    count = 1
    if _share(names, lambda c: bool(LEGACY_CODE.match(c))) >= 0.5 and first + 1 < len(grid):
        # Qualtrics' legacy export: V1, V2 ... over the meta columns, their names on the row below.
        second = grid[first + 1]
        names = [below if top is not None and LEGACY_CODE.match(top) and below else top
                 for top, below in zip(names, second)]
        return HeaderLayout(first, 2, tuple(_unique_headers(names)), tuple(second))
    if first + 2 < len(grid) and _share(grid[first + 2], lambda c: bool(IMPORT_ID.match(c))) >= 0.5:
        count = 3
    elif first + 1 < len(grid) and (_share(grid[first + 1], lambda c: c.lower() in RESPONSE_WORDS) > 0
                                     or _text_over_numbers(grid, first + 1)):
        count = 2
    if count == 1:
        return HeaderLayout(first, 1, tuple(_unique_headers(names)), (None,) * width)
    second = grid[first + 1]
    if count == 3 or all(c is not None for c in names):
        # Codes on the first row, question texts on the second (Qualtrics).
        return HeaderLayout(first, count, tuple(_unique_headers(names)), tuple(second))
    # Question texts on the first row, left blank over a matrix's further columns; the matrix's
    # rows (or "Response") on the second (SurveyMonkey).
    filled, combined, texts = None, [], []
    for top, below in zip(names, second):
        filled = top if top is not None else filled
        statement = below if below is not None and below.lower() not in RESPONSE_WORDS else None
        if filled is None:
            combined.append(statement)
        else:
            combined.append(f"{filled} - {statement}" if statement else filled)
        texts.append(statement or filled)
    return HeaderLayout(first, count, tuple(_unique_headers(combined)), tuple(texts))


# A date and time where a column's name belongs, with another under it: the file's first row is a
# response (an export saved without its header row, or the header cut off)
DATA_DATE = re.compile(r"^\s*(\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})"
                       r"([ T]\d{1,2}:\d{2}(:\d{2})?\s*([AaPp][Mm])?)?\s*$")


def _refuse_data_as_header(grid: list[list], first: int, name: str) -> None:
    if first + 1 >= len(grid):
        return
    for names_cell, below in zip(grid[first], grid[first + 1]):
        if names_cell is not None and below is not None and DATA_DATE.match(names_cell) and DATA_DATE.match(below):
            raise LoadError(
                f"{name}, row {first + 1}: the row where the column names belong holds a date ('{names_cell}'), as"
                " the rows of answers under it do, so the file has no header row. Add a row of column names"
                " above the data (the template shows them) and import it again. Nothing was imported",
                code="no_header", file=name, row=first + 1, values={"cell": names_cell})


def _share(row: list, test) -> float:
    filled = [c for c in row if c is not None]
    return sum(1 for c in filled if test(c)) / len(filled) if filled else 0.0


def _text_over_numbers(grid: list[list], candidate: int) -> bool:
    """A row of words above columns of numbers is a header row, not a respondent's answers."""
    body = grid[candidate + 1: candidate + 1 + 30]
    if not body:
        return False
    over = 0
    for col, cell in enumerate(grid[candidate]):
        if cell is None or NUMERIC_CELL.match(cell):
            continue
        values = [r[col] for r in body if r[col] is not None]
        if len(values) >= 2 and sum(1 for v in values if NUMERIC_CELL.match(v)) >= 0.9 * len(values):
            over += 1
    numeric_cells = sum(1 for c in grid[candidate] if c is not None and NUMERIC_CELL.match(c))
    return over >= 2 and numeric_cells == 0


def _header_index(widths: list[int]) -> int:
    """The first row about as wide as the table's rows usually are (the upper quartile of the
    filled widths, so neither a title line nor one over-wide broken row sets the bar)."""
    filled = sorted(w for w in widths if w)
    if not filled:
        return 0
    typical = filled[(len(filled) * 3) // 4 if len(filled) > 1 else 0]
    for i, width in enumerate(widths):
        if width >= max(2, typical // 2 + 1) or (typical == 1 and width == 1):
            return i
    return 0


# --- xlsx ------------------------------------------------------------------------------------

def _open_workbook(path: Path, name: str | None = None):
    name = name or path.name
    try:
        return CalamineWorkbook.from_path(str(path))
    except Exception as e:  # calamine raises its own error types per format
        raise LoadError(f"{name}: the workbook could not be opened ({_first_line(e)}); it may be cut off or"
                        " damaged: open it in Excel and save it again as .xlsx", code="broken_workbook",
                        file=name) from e


def _read_workbook(path: Path, name: str, sheet: str | None, header_row: int | None = None,
                   look: WorkbookLook | None = None) -> SourceTable:
    workbook = _open_workbook(path, name)
    names = list(workbook.sheet_names)
    hidden = [n for n in (look.hidden if look is not None else ()) if n in names]
    visible = [n for n in names if n not in hidden]
    if sheet is None:
        if not visible:
            raise LoadError(f"{name}: every sheet of the workbook is hidden ({', '.join(hidden)}); unhide the one"
                            " to import (right-click a sheet tab > Unhide) or name it with --sheet",
                            code="all_sheets_hidden", file=name, values={"sheets": ", ".join(hidden)})
        sheet = visible[0]
    if sheet not in names:
        raise LoadError(f"{name}: there is no sheet named {sheet!r}; its sheets are "
                        + ", ".join(repr(n) for n in visible), code="no_sheet", file=name, sheet=sheet,
                        values={"sheets": ", ".join(visible)})
    errors = look.error_cells.get(sheet, {}) if look is not None else {}
    try:
        grid = workbook.get_sheet_by_name(sheet)
        rows, merged = _sheet_rows(grid, errors)
        head = list(itertools.islice(rows, HEADER_SCAN_ROWS + 4))
    except LoadError:
        raise
    except Exception as e:  # calamine's own errors: a sheet's XML cut off or broken
        raise LoadError(f"{name}, sheet '{sheet}': the sheet cannot be read ({_first_line(e)}); open the workbook"
                        " in Excel and save it again", code="broken_sheet", file=name, sheet=sheet) from e
    sha = file_sha256(path)
    widths = [sum(1 for cell in row if _cell_text(cell) is not None) for row in head[:HEADER_SCAN_ROWS]]
    if not any(widths):
        raise LoadError(f"{name}, sheet '{sheet}': the sheet is empty; put a header row and data"
                        " rows on it, or choose another sheet", code="empty_sheet", file=name, sheet=sheet)
    layout = header_layout(head, f"{name}, sheet '{sheet}'", header_row)
    start = layout.first + layout.count
    width = max(len(layout.headers), max((len(r) for r in head), default=0))
    headers = list(layout.headers) + _unique_headers([None] * width)[len(layout.headers):]
    uncomputed = look.uncomputed.get(sheet) if look is not None else None
    if uncomputed is not None:
        row, column = uncomputed
        column = headers[column] if column < len(headers) else column_letters(column + 1)
        raise LoadError(f"{name}, sheet '{sheet}', row {row + 1}, column '{column}': the cell holds a formula whose"
                        " result was never saved (a program wrote the workbook, and Excel never calculated it);"
                        " open it in Excel and save it again, so each formula's result is saved with it",
                        code="formula_not_computed", file=name, sheet=sheet, row=row + 1, column=column)
    texts = list(layout.texts) + [None] * (width - len(layout.texts))
    columns, count = _text_columns(itertools.chain(head[start:], rows), width)
    del head
    arrays = [_row_numbers(start + 1, count), *columns]
    table = pa.Table.from_arrays(arrays, names=[ROW_COLUMN] + headers)
    table = _drop_blank_rows(_blank_tokens_to_null(table))
    table, kept, kept_texts = _drop_blank_columns(table, tuple(headers), tuple(texts))
    table, tidied = _tidied(table, kept, comma_decimals=False, workbook=True)
    notices = []
    if hidden:
        notices.append(("hidden_sheets", {"sheets": ", ".join(hidden)}))
    if merged:
        notices.append(("merged_filled", {"ranges": ", ".join(merged), "count": str(len(merged))}))
    hidden_rows = look.hidden_rows.get(sheet) if look is not None else None
    if hidden_rows:
        # read as every reader reads them, but said: a filter's hidden rows may be rows to leave out
        numbers = table.column(ROW_COLUMN)
        read = pc.filter(numbers, pc.is_in(numbers, value_set=pa.array(hidden_rows, pa.int64()))).to_pylist()
        if read:
            notices.append(("hidden_rows", {"rows": row_ranges(sorted(read)), "count": str(len(read))}))
    notices += tidied
    source = SourceTable(name, sheet, None, layout.first + 1, kept, table, sha, layout.count, kept_texts,
                         tuple(notices))
    _refuse_summary(source)
    _require_rows(source)
    return source


# Rows turned into text a batch at a time: only one batch of Python strings is held, the rest is Arrow.
ROW_BATCH = 50_000


def _text_columns(rows, width: int) -> tuple[list[pa.ChunkedArray], int]:
    """The cells of `rows` as text, one Arrow column per position, and how many rows there were."""
    chunks: list[list[pa.Array]] = [[] for _ in range(width)]
    batch: list[list] = [[] for _ in range(width)]
    count = 0
    for row in rows:
        length = len(row)
        for i in range(width):
            batch[i].append(_cell_text(row[i]) if i < length else None)
        count += 1
        if count % ROW_BATCH == 0:
            for i in range(width):
                chunks[i].append(pa.array(batch[i], type=pa.string()))
                batch[i] = []
    for i in range(width):
        chunks[i].append(pa.array(batch[i], type=pa.string()))
    return [pa.chunked_array(c, type=pa.string()) for c in chunks], count


def _sheet_rows(grid, errors: dict | None = None) -> tuple[Iterator[list], list[str]]:
    """The sheet's rows from A1, one at a time (blank rows and columns before the data kept, so the
    spreadsheet's numbers hold), and its cells merged down a column filled with the value of their
    top cell: a branch merged down a column belongs to every row it spans. The second value lists
    the merged ranges filled (C2:C5), complete once the rows have been read. `errors` ((row, column)
    -> '#N/A', from the look into the zip) are put back as text: the reader gives blanks for them,
    and a score of #DIV/0! is not an unanswered question."""
    by_row: dict[int, list[tuple[int, str]]] = {}
    for (r, c), value in (errors or {}).items():
        by_row.setdefault(r, []).append((c, value))
    left = grid.start[1] if grid.start else 0
    pad = [None] * left
    starts: dict[int, list] = {}
    for (top, first), (bottom, last) in grid.merged_cell_ranges or ():
        # only down: a title merged across a row stays one cell, or it would pass for a header
        if bottom > top:
            starts.setdefault(top, []).append((first, bottom, last))
    filled: list[str] = []

    def rows():
        active: list[tuple[int, int, object]] = []   # (column, last row, value) of merges being filled
        for r, row in enumerate(grid.iter_rows()):
            if left:
                row = pad + row
            for column, value in by_row.get(r, ()):
                if column >= len(row):
                    row = row + [None] * (column + 1 - len(row))
                row[column] = value
            if active:
                active[:] = [a for a in active if a[1] >= r]
                for column, _, value in active:
                    if column < len(row):
                        row[column] = value
            for first, bottom, last in starts.get(r, ()):
                value = row[first] if first < len(row) else None
                if _cell_text(value) is not None:
                    active.append((first, bottom, value))
                    filled.append(f"{column_letters(first + 1)}{r + 1}:{column_letters(last + 1)}{bottom + 1}")
            yield row

    return rows(), filled


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
        # a line break or run of spaces inside a header cell (a long question wrapped in Excel or a
        # form tool's export) is one space: the mapping, the items and the messages show one line
        text = " ".join((header or "").split()) or f"column_{i + 1}"
        if text in seen:
            seen[text] += 1
            text = f"{text} ({seen[text]})"
        else:
            seen[text] = 1
        headers.append(text)
    return headers


# Cells survey tools write for "no answer": 问卷星's unanswered (空) and skipped-by-logic (跳过).
BLANK_TOKENS = ("(空)", "(跳过)")


# what every one of BLANK_TOKENS starts with ("(")
BLANK_TOKEN_START = os.path.commonprefix(BLANK_TOKENS)


def _blank_tokens_to_null(table: pa.Table) -> pa.Table:
    tokens = pa.array(BLANK_TOKENS, type=pa.string())
    for i, name in enumerate(table.column_names):
        if name == ROW_COLUMN:
            continue
        column = table.column(i)
        # a column none of whose cells starts as a token does is passed over: comparing each cell's
        # first byte costs a fraction of hashing every cell to look it up (issue 24's csv floor)
        if not pc.any(pc.starts_with(column, BLANK_TOKEN_START)).as_py():
            continue
        marked = pc.is_in(column, value_set=tokens)
        if pc.any(marked).as_py():
            table = table.set_column(i, name, pc.if_else(marked, pa.scalar(None, pa.string()), column))
    return table


def _drop_blank_columns(table: pa.Table, headers: tuple[str, ...], texts: tuple[str | None, ...]):
    """Unnamed columns with nothing in them (Excel's leftovers, a separator ending every line)."""
    keep = [i for i, h in enumerate(headers)
            if not (h.startswith("column_") and table.column(h).null_count == table.num_rows)]
    if len(keep) == len(headers):
        return table, tuple(headers), tuple(texts)
    kept = tuple(headers[i] for i in keep)
    return table.select([ROW_COLUMN, *kept]), kept, tuple(texts[i] for i in keep)


def _drop_blank_rows(table: pa.Table) -> pa.Table:
    """Rows with no value in any cell (Excel leaves them between blocks) are not data.

    Only nulls are looked at: both readers give a null for an empty cell, and null bitmaps are
    cheap to combine even at a million rows.
    """
    if table.num_columns <= 1 or table.num_rows == 0:
        return table
    any_value = None
    for name in table.column_names[1:]:
        has = pc.is_valid(table.column(name))
        any_value = has if any_value is None else pc.or_(any_value, has)
    if pc.all(any_value).as_py():
        return table
    return table.filter(any_value)


def _row_numbers(first: int, count: int) -> pa.Array:
    """The spreadsheet row numbers first, first + 1, ... of `count` rows, made by numpy: Arrow built
    from a Python range walks a million Python integers (issue 24's csv floor)."""
    return pa.array(np.arange(first, first + count, dtype=np.int64))


def _require_rows(source: SourceTable) -> None:
    if source.row_count == 0:
        raise LoadError(f"{source.where()}: there are no data rows under the header (row "
                        f"{source.header_row}); add rows or choose the sheet that holds them", code="no_rows",
                        file=source.file_name, sheet=source.sheet, row=source.header_row + source.header_rows)


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


# --- numbers written the European way, and the rows of sums under the data --------------------

# A number with a decimal comma (4,5 3,0 -12,25), a plain whole number, and (in a workbook, whose
# number cells the reader writes with a point) a number with a decimal point.
DECIMAL_COMMA = r"^\s*[+-]?\d+,\d+\s*$"
WHOLE_OR_COMMA = r"^\s*[+-]?\d+(,\d+)?\s*$"
WHOLE_POINT_OR_COMMA = r"^\s*[+-]?\d+([.,]\d+)?\s*$"
DECIMAL_COMMA_SAMPLE = 5000
# 1,234 is one thousand two hundred and thirty-four where the comma groups thousands
THOUSANDS = r"^\s*[+-]?\d{1,3},\d{3}\s*$"


def _decimal_commas(table: pa.Table, headers: tuple[str, ...], comma_decimals: bool,
                    workbook: bool) -> tuple[pa.Table, list[str]]:
    """Columns of numbers written with a decimal comma (a European Excel's export: 4,5 for 4.5) as the
    numbers they are, and which columns those were. A column is read so only when every filled cell is
    such a number or a whole one. `comma_decimals`: the file's separator is ';' or a tab, as where the
    comma is the decimal sign; elsewhere (a quoted "4,5" in a comma csv, a text cell in a workbook) a
    column holding a cell like 1,234, which could be a thousand and more, is left as text for
    validation to name. In a workbook, number cells (written with a point) may sit among them."""
    changed = []
    for i, name, column in _columns_showing(table, headers, DECIMAL_COMMA):
        cells = column.drop_null()
        if not pc.all(pc.match_substring_regex(cells, WHOLE_POINT_OR_COMMA if workbook else WHOLE_OR_COMMA)).as_py():
            continue
        if not comma_decimals and pc.any(pc.match_substring_regex(cells, THOUSANDS)).as_py():
            continue
        table = table.set_column(i, name, pc.replace_substring(column, ",", "."))
        changed.append(name)
    return table, changed


# What a row of sums or means under the data says in its first filled cell.
TOTAL_LABELS = frozenset({
    "total", "totals", "grand total", "sum", "subtotal", "sub-total", "average", "avg", "mean", "count",
    "overall", "summary", "gesamt", "summe", "durchschnitt", "mittelwert", "moyenne",
    "合计", "总计", "小计", "汇总", "总和", "平均", "平均值", "平均分", "均值", "计数", "总数"})
# A row of sums is among the last few rows of the sheet; more are not looked for.
TOTAL_ROWS_AT_MOST = 3
NUMBER_OR_SHARE = re.compile(r"^\s*[+-]?(\d+([.,]\d*)?|\.\d+)\s*%?\s*$")


def _total_label(cell: str | None) -> str | None:
    text = (cell or "").strip().rstrip(":：").strip()
    return text if text.lower() in TOTAL_LABELS else None


# What a line of a report's footer starts with: who made it and when, the source, a note, the rights.
FOOTER_WORDS = ("制表", "审核", "填报", "打印", "导出", "统计时间", "统计日期", "数据来源", "来源：", "注：", "注:",
                "备注：", "说明：", "prepared by", "generated by", "printed", "exported", "report generated",
                "run by", "copyright", "©", "(c)", "confidential", "source:", "note:", "notes:")
# How many rows at the end are looked at for sums and a footer.
SUMMARY_ROWS_AT_MOST = 10


def _summary_row(record: dict, first_column: str) -> str | None:
    """'total' for a row of sums (a label, then only numbers), 'note' for a line of text in the first
    column, or with a footer's words (制表人：…, Generated By …), else None: a row of data."""
    cells = [(k, v.strip()) for k, v in record.items() if k != ROW_COLUMN and v is not None and v.strip()]
    if not cells:
        return None
    if _total_label(cells[0][1]) is not None and all(NUMBER_OR_SHARE.match(v) for _, v in cells[1:]):
        return "total"
    if len(cells) <= 2 and not any(NUMBER_OR_SHARE.match(v) for _, v in cells):
        if any(v.lower().startswith(FOOTER_WORDS) for _, v in cells):
            return "note"
        if len(cells) == 1 and cells[0][0] == first_column:
            return "line"   # a note only when a blank row parts it from the data
    return None


def _trailing_summary(table: pa.Table) -> tuple[pa.Table, list[tuple[int, str, str]]]:
    """The rows at the end of a sheet that are no response: its sums or means (Total, Average, 合计 in
    the first filled cell, nothing but numbers after it; at most TOTAL_ROWS_AT_MOST) and its footer
    (制表人：…, a report's "Generated By …" and copyright lines, or lines of text in the first column
    under a blank row), as (row, what, first cell), left out. The sums would read as scores, the
    footer as rows without a date."""
    if table.num_rows < 2 or table.num_columns < 3:
        return table, []
    first_column = table.column_names[1]
    tail = table.slice(max(0, table.num_rows - SUMMARY_ROWS_AT_MOST)).to_pylist()
    block = []
    for record in reversed(tail):
        what = _summary_row(record, first_column)
        if what is None:
            break
        label = next(v.strip() for k, v in record.items() if k != ROW_COLUMN and v is not None and v.strip())
        block.append((record[ROW_COLUMN], what, label))
    block.reverse()
    if not block or len(block) >= table.num_rows:
        return table, []
    before = table.column(ROW_COLUMN)[table.num_rows - len(block) - 1].as_py()
    parted = block[0][0] > before + 1
    if any(what == "line" for _, what, _ in block) and not parted:
        # lines of text right under the data may be responses with one cell filled: validation names them
        block = block[next(i for i, (_, what, _) in enumerate(block) if what == "line") + 1:]
        block = [] if any(what == "line" for _, what, _ in block) else block
    if sum(1 for _, what, _ in block if what == "total") > TOTAL_ROWS_AT_MOST or not block:
        return table, []
    return table.slice(0, table.num_rows - len(block)), block


def row_ranges(rows: list[int], at_most: int = 8) -> str:
    """5-9, 12, 20-21: consecutive rows as one range, the first few ranges."""
    ranges: list[list[int]] = []
    for row in rows:
        if ranges and row == ranges[-1][1] + 1:
            ranges[-1][1] = row
        else:
            ranges.append([row, row])
    words = [f"{a}" if a == b else f"{a}-{b}" for a, b in ranges[:at_most]]
    return ", ".join(words) + (", …" if len(ranges) > at_most else "")


def _shortened(text: str, at_most: int = 60) -> str:
    return text if len(text) <= at_most else text[:at_most - 1] + "…"


# Excel's way to keep a csv cell as text (leading zeros, a long number): ="00123"
EXCEL_TEXT_FORMULA = r'^="(.*)"$'


def _columns_showing(table: pa.Table, headers: tuple[str, ...], pattern: str):
    """(index, name, column) of each of `headers`' columns whose first rows hold a cell matching
    `pattern` (a large file's columns of text are not scanned whole to find out)."""
    for i, name in enumerate(table.column_names):
        if name not in headers:
            continue
        column = table.column(i)
        sample = column.slice(0, DECIMAL_COMMA_SAMPLE).drop_null()
        if len(sample) and pc.any(pc.match_substring_regex(sample, pattern)).as_py():
            yield i, name, column


def _excel_text_formulas(table: pa.Table, headers: tuple[str, ...]) -> tuple[pa.Table, list[str]]:
    """Cells written ="00123" (a CRM's csv for Excel, so that ids and phone numbers keep their zeros)
    as the text they hold, and which columns had them."""
    changed = []
    for i, name, column in _columns_showing(table, headers, EXCEL_TEXT_FORMULA):
        table = table.set_column(i, name, pc.replace_substring_regex(column, EXCEL_TEXT_FORMULA, r"\1"))
        changed.append(name)
    return table, changed


def _repeated_headers(table: pa.Table, headers: tuple[str, ...]) -> tuple[pa.Table, list[int]]:
    """The table without the rows that repeat its header (exports pasted one under another, each
    with its header): rows whose filled cells, two or more, are nearly all their columns' names.
    Their file row numbers, for the notice."""
    names = [h for h in headers if h.strip()]
    if len(names) < 2 or table.num_rows == 0:
        return table, []
    # a repeat writes the first columns' names as the header does: a look at them, as written, tells
    # whether any row can be one before every column is read (a million rows' import pays the look)
    if not any(pc.any(pc.equal(table.column(h), h)).as_py() for h in names[:2]):
        return table, []
    same = pa.array([0] * table.num_rows, pa.int64())
    filled = pa.array([0] * table.num_rows, pa.int64())
    for h in names:
        cells = pc.utf8_trim_whitespace(table.column(h))
        same = pc.add(same, pc.cast(pc.fill_null(pc.equal(cells, h.strip()), False), pa.int64()))
        filled = pc.add(filled, pc.cast(pc.fill_null(pc.not_equal(cells, ""), False), pa.int64()))
    repeated = pc.and_(pc.greater_equal(same, 2), pc.greater_equal(pc.multiply(same, 5), pc.multiply(filled, 4)))
    if not pc.any(repeated).as_py():
        return table, []
    rows = table.filter(repeated).column(ROW_COLUMN).to_pylist()
    return table.filter(pc.invert(repeated)), rows


def _tidied(table: pa.Table, headers: tuple[str, ...], comma_decimals: bool,
            workbook: bool) -> tuple[pa.Table, list[tuple[str, dict]]]:
    """The sheet without its trailing rows of sums and footer, its decimal commas read, and notices
    saying so."""
    notices = []
    table, repeated = _repeated_headers(table, headers)
    if repeated:
        notices.append(("header_repeated", {"rows": row_ranges(repeated), "count": str(len(repeated))}))
    table, summary = _trailing_summary(table)
    totals = [(row, label) for row, what, label in summary if what == "total"]
    footer = [(row, label) for row, what, label in summary if what != "total"]
    if totals:
        notices.append(("totals_left_out", {"rows": ", ".join(str(r) for r, _ in totals),
                                            "labels": ", ".join(dict.fromkeys(label for _, label in totals)),
                                            "count": str(len(totals))}))
    if footer:
        notices.append(("footer_left_out", {"rows": ", ".join(str(r) for r, _ in footer),
                                            "first": _shortened(footer[0][1]), "count": str(len(footer))}))
    if not workbook:
        table, _ = _excel_text_formulas(table, headers)
    table, commas = _decimal_commas(table, headers, comma_decimals, workbook)
    if commas:
        notices.append(("decimal_commas", {"columns": ", ".join(commas), "count": str(len(commas))}))
    return table, notices
