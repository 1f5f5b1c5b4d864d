"""What a file may hold before we read it, and the look at it that decides, without reading it.

An import must never take the process down, whatever the file: a workbook is a zip, and a few
megabytes of it can inflate to gigabytes of XML; its used range can claim every cell of a sheet
(XFD1048576), which the workbook reader would lay out as one dense grid. So a workbook's zip entries
are looked at first (their sizes, how much each inflates, each sheet's cells and its used range),
and a csv is read with bounded fields, columns and rows. A file over a limit is refused with the
limit named and what to do. Each limit sits here, once; README ("Uploading data") lists them.

The limits keep an import's peak memory under 1.5 GB for any file up to the upload limit, and stay
far above what an analyst's file holds (a survey of 150 items, a questionnaire of 200 columns,
100,000 responses of 30 columns).
"""
from __future__ import annotations

import html
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from loaders.errors import LoadError

MB = 1024 * 1024

# The largest file read at all (Streamlit's maxUploadSize in .streamlit/config.toml is the same).
MAX_FILE_BYTES = 500 * MB
# A workbook's zip: all its entries inflated together, and any one of them.
MAX_UNZIPPED_BYTES = 1000 * MB
MAX_ENTRY_BYTES = 600 * MB
# An entry may inflate at most this many times its packed size, once it is larger than
# RATIO_FROM_BYTES: a sheet's XML packs 5-30 times; a zip bomb packs 1,000 times and more.
MAX_RATIO = 200
RATIO_FROM_BYTES = 20 * MB
# Shared strings are held in memory whole while a sheet is read.
MAX_SHARED_STRINGS_BYTES = 200 * MB
# One sheet: cells in its used range (the reader lays the range out as one grid), rows, columns.
MAX_CELLS = 8_000_000
MAX_ROWS = 2_000_000
MAX_COLUMNS = 2_000
# An old .xls workbook is no zip and cannot be looked into first; its size is the bound.
MAX_XLS_BYTES = 60 * MB
# A csv: one cell's text (a long comment is a few thousand characters).
MAX_FIELD_CHARS = 100_000

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SCAN_CHUNK = 4 * MB


@dataclass(frozen=True)
class SheetEntry:
    """A worksheet of a workbook as workbook.xml lists it."""

    name: str
    state: str          # visible | hidden | veryHidden
    part: str | None    # its XML inside the zip (xl/worksheets/sheet1.xml), when it is a worksheet


@dataclass(frozen=True)
class WorkbookLook:
    """What the look inside a workbook found: its format and its sheets in order."""

    format: str                     # xlsx | ods | xls
    sheets: tuple[SheetEntry, ...]  # empty for xls and ods (their sheets come from the reader)
    # per sheet, what the workbook reader does not say (xlsx only): the cells showing an Excel error
    # ((row, column) 0-based -> '#DIV/0!'), which it reads as blanks, and the first cell whose formula
    # has no saved result ((row, column)), which it reads as a blank too
    error_cells: dict = field(default_factory=dict, compare=False)
    uncomputed: dict = field(default_factory=dict, compare=False)
    # per sheet, the rows hidden in Excel (a filter, or rows hidden by hand): 1-based row numbers
    hidden_rows: dict = field(default_factory=dict, compare=False)

    @property
    def visible(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.sheets if s.state == "visible")

    @property
    def hidden(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.sheets if s.state != "visible")


def sniff_format(head: bytes) -> str:
    """zip | ole2 | empty | text, by the first bytes (the file's name may say otherwise)."""
    if not head:
        return "empty"
    if head.startswith(ZIP_MAGIC):
        return "zip"
    if head.startswith(OLE2_MAGIC):
        return "ole2"
    return "text"


def check_file_size(path: Path, name: str) -> int:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise LoadError(f"{name}: the file is {size / MB:,.0f} MB, over the limit of {MAX_FILE_BYTES // MB:,} MB;"
                        " split it by month or save only the used range",
                        code="file_too_large", file=name,
                        values={"size": f"{size / MB:,.0f} MB", "limit": f"{MAX_FILE_BYTES // MB:,} MB"})
    return size


def look_into_ole2(path: Path, name: str, size: int) -> WorkbookLook:
    """An OLE2 compound file: a password-protected workbook (Office keeps it encrypted in one) or an
    old .xls, which is read when it is small enough."""
    with open(path, "rb") as handle:
        head = handle.read(min(size, 4 * MB))
    if "EncryptionInfo".encode("utf-16-le") in head or "EncryptedPackage".encode("utf-16-le") in head:
        raise LoadError(f"{name}: the workbook is protected by a password, so it cannot be read; open it in"
                        " Excel, remove the password (File > Info > Protect Workbook) and save it again",
                        code="encrypted", file=name)
    if size > MAX_XLS_BYTES:
        raise LoadError(f"{name}: an old-format .xls workbook of {size / MB:,.0f} MB is over the limit of"
                        f" {MAX_XLS_BYTES // MB:,} MB for that format; save it as .xlsx",
                        code="xls_too_large", file=name,
                        values={"size": f"{size / MB:,.0f} MB", "limit": f"{MAX_XLS_BYTES // MB:,} MB"})
    return WorkbookLook("xls", ())


def look_into_zip(path: Path, name: str) -> WorkbookLook:
    """Check a zip workbook's entries against the limits before any of it is inflated for reading.

    Sizes come from the zip's directory, which a hostile file can fake, so a sheet's XML is also
    streamed through (inflating a chunk at a time, never holding it) and counted as it goes.
    """
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        raise LoadError(f"{name}: the workbook is cut off or damaged (its zip directory cannot be read);"
                        " download or export it again", code="broken_workbook", file=name) from e
    with archive:
        entries = {info.filename: info for info in archive.infolist()}
        if "xl/workbook.xml" in entries:
            fmt = "xlsx"
        elif "content.xml" in entries:
            fmt = "ods"
        else:
            raise LoadError(f"{name}: the file is a zip archive but not a workbook (no xl/workbook.xml);"
                            " save the sheet as .xlsx or .csv", code="not_a_workbook", file=name)
        total = sum(info.file_size for info in entries.values())
        if total > MAX_UNZIPPED_BYTES:
            raise _inflates(name, None, total, MAX_UNZIPPED_BYTES)
        for info in entries.values():
            if info.file_size > MAX_ENTRY_BYTES:
                raise _inflates(name, info.filename, info.file_size, MAX_ENTRY_BYTES)
            if info.file_size > RATIO_FROM_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise LoadError(
                    f"{name}: part {info.filename} inflates {info.file_size // max(info.compress_size, 1):,} times"
                    f" its packed size (limit {MAX_RATIO} times), as a zip bomb does; save only the used range"
                    " in a new workbook", code="zip_ratio", file=name,
                    values={"part": info.filename, "ratio": f"{info.file_size // max(info.compress_size, 1):,}",
                            "limit": str(MAX_RATIO)})
        shared = entries.get("xl/sharedStrings.xml")
        if shared is not None and shared.file_size > MAX_SHARED_STRINGS_BYTES:
            raise LoadError(
                f"{name}: its shared text is {shared.file_size / MB:,.0f} MB, over the limit of"
                f" {MAX_SHARED_STRINGS_BYTES // MB:,} MB; split the file or shorten the long texts",
                code="shared_strings", file=name,
                values={"size": f"{shared.file_size / MB:,.0f} MB", "limit": f"{MAX_SHARED_STRINGS_BYTES // MB:,} MB"})
        if fmt == "ods":
            _scan_ods(archive, entries["content.xml"], name)
            return WorkbookLook("ods", ())
        sheets = _workbook_sheets(archive, entries, name)
        errors, uncomputed, hidden_rows = {}, {}, {}
        for sheet in sheets:
            if sheet.part in entries:
                found = _scan_entry(archive, entries[sheet.part], name, sheet.name)
                if found.errors:
                    errors[sheet.name] = found.errors
                if found.uncomputed is not None:
                    uncomputed[sheet.name] = found.uncomputed
                if found.hidden_rows:
                    hidden_rows[sheet.name] = found.hidden_rows
        return WorkbookLook("xlsx", sheets, errors, uncomputed, hidden_rows)


def _inflates(name: str, part: str | None, size: int, limit: int) -> LoadError:
    what = f"part {part}" if part else "the workbook"
    return LoadError(f"{name}: {what} inflates to {size / MB:,.0f} MB, over the limit of {limit // MB:,} MB;"
                     " save only the used range (select the data, copy it into a new workbook) or split it",
                     code="zip_too_large", file=name,
                     values={"part": part or "", "size": f"{size / MB:,.0f} MB", "limit": f"{limit // MB:,} MB"})


_SHEET_TAG = re.compile(rb"<(?:\w+:)?sheet\b([^>]*)/?>")
_ATTRIBUTE = re.compile(rb'([\w:]+)\s*=\s*"([^"]*)"')
_RELATION = re.compile(rb"<(?:\w+:)?Relationship\b([^>]*)/?>")


def _workbook_sheets(archive: zipfile.ZipFile, entries: dict, name: str) -> tuple[SheetEntry, ...]:
    """The sheets in workbook order with their state and XML part (read with patterns, not an XML
    parser: the parts are small, and no entity of theirs is expanded)."""
    workbook = _small_entry(archive, entries, "xl/workbook.xml", name)
    relations = {}
    rels = entries.get("xl/_rels/workbook.xml.rels")
    if rels is not None:
        for match in _RELATION.finditer(_small_entry(archive, entries, rels.filename, name)):
            attributes = dict(_ATTRIBUTE.findall(match.group(1)))
            target = html.unescape(attributes.get(b"Target", b"").decode("utf-8", "replace"))
            target = target.lstrip("/") if target.startswith("/") else "xl/" + target
            relations[attributes.get(b"Id", b"").decode("utf-8", "replace")] = target
    sheets = []
    for match in _SHEET_TAG.finditer(workbook):
        attributes = {k.split(b":")[-1] if k != b"r:id" else k: v for k, v in _ATTRIBUTE.findall(match.group(1))}
        rid = next((v for k, v in attributes.items() if k.endswith(b"id") and k != b"sheetId"), b"")
        sheets.append(SheetEntry(html.unescape(attributes.get(b"name", b"").decode("utf-8", "replace")),
                                 attributes.get(b"state", b"visible").decode("ascii", "replace"),
                                 relations.get(rid.decode("utf-8", "replace"))))
    return tuple(sheets)


def _small_entry(archive: zipfile.ZipFile, entries: dict, part: str, name: str) -> bytes:
    info = entries[part]
    if info.file_size > 16 * MB:
        raise _inflates(name, part, info.file_size, 16 * MB)
    try:
        return archive.read(info)
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as e:
        raise LoadError(f"{name}: the workbook is cut off or damaged ({part} cannot be read); download or"
                        " export it again", code="broken_workbook", file=name) from e


_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]+)?(\d+)?(?::([A-Z]+)(\d+))?"')
_PREFIX = re.compile(rb"<(\w+:)?worksheet\b")
# cells beyond column Z (two to four letters): a sheet of 26 columns or fewer has none to match
_WIDE_CELL = re.compile(rb' r="([A-Z]{2,4})\d{1,8}"')


def column_number(letters: str) -> int:
    """Excel's column letters as a number: A = 1, Z = 26, AA = 27, XFD = 16384."""
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def column_letters(number: int) -> str:
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# A cell showing an Excel error (t="e": #DIV/0!, #N/A, #VALUE!), and a formula with no saved result
# (a workbook written by a program, never opened in Excel: an empty or missing <v> after the <f>).
_ERROR_CELL = re.compile(rb'<(?:\w+:)?c\b([^>]*?\bt="e"[^>]*)>(.*?)</(?:\w+:)?c>', re.S)
_CELL_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")
_UNCOMPUTED = re.compile(rb"<(?:\w+:)?f\b[^>]*?(?:/>|>[^<]*</(?:\w+:)?f>)"
                         rb"(?:<(?:\w+:)?v\s*/>|<(?:\w+:)?v>\s*</(?:\w+:)?v>)?</(?:\w+:)?c>")
_REFERENCE = re.compile(rb'\br="([A-Z]{1,3})(\d{1,7})"')
# Error cells kept per sheet: beyond this many the sheet is refused at the next one (a sheet of
# errors is a broken export, and their positions would be held in memory)
MAX_ERROR_CELLS = 100_000


@dataclass
class SheetFound:
    """What scanning a sheet's XML found beside its size: its error cells and first uncomputed formula."""

    errors: dict = field(default_factory=dict)
    uncomputed: tuple[int, int] | None = None
    hidden_rows: list = field(default_factory=list)


# A row Excel hides (<row r="5" hidden="1">): a filter's, or hidden by hand
_HIDDEN_ROW = re.compile(rb'<(?:\w+:)?row\b[^>]*?\br="(\d{1,9})"[^>]*?\bhidden="(?:1|true)"'
                         rb'|<(?:\w+:)?row\b[^>]*?\bhidden="(?:1|true)"[^>]*?\br="(\d{1,9})"')
# Hidden rows kept per sheet (their numbers, for the notice); beyond it they are counted no further
MAX_HIDDEN_ROWS = 100_000


def _cell_position(attributes: bytes) -> tuple[int, int] | None:
    reference = _REFERENCE.search(attributes)
    if reference is None:
        return None
    return int(reference.group(2)) - 1, column_number(reference.group(1).decode()) - 1


def _find_special_cells(text: bytes, found: SheetFound, name: str, sheet: str | None) -> None:
    """Record the error cells and the first uncomputed formula of `text` (whole cells only)."""
    if b't="e"' in text:
        for match in _ERROR_CELL.finditer(text):
            position = _cell_position(match.group(1))
            value = _CELL_VALUE.search(match.group(2))
            if position is None or value is None:
                continue
            if len(found.errors) >= MAX_ERROR_CELLS and position not in found.errors:
                raise LoadError(f"{name}, sheet '{sheet}': more cells than the limit of {MAX_ERROR_CELLS:,} show an"
                                " Excel error (#N/A, #DIV/0! …); fix the formulas, or paste the values without them",
                                code="error_cells", file=name, sheet=sheet,
                                values={"limit": f"{MAX_ERROR_CELLS:,}"})
            found.errors[position] = html.unescape(value.group(1).decode("utf-8", "replace")).strip()
    if found.uncomputed is None:
        match = _UNCOMPUTED.search(text)
        if match is not None:
            start = max(text.rfind(b"<c ", 0, match.start()), text.rfind(b":c ", 0, match.start()))
            if start >= 0:
                found.uncomputed = _cell_position(text[start:match.start()])


def _scan_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, sheet: str | None) -> SheetFound:
    """Stream one sheet's XML: its <dimension ref>, then its rows, cells and cell references, so the
    used range, the rows, the columns and the cells are known before the reader builds its grid.
    Counting is by byte search, a regular expression only for the references that can widen the range
    and for the cells the reader would read as blanks (SheetFound)."""
    max_row = max_column = cells = rows = inflated = 0
    carry = b""
    cell_tags = row_tags = None
    special, cell_carry = SheetFound(), b""
    try:
        with archive.open(info) as stream:
            while True:
                chunk = stream.read(SCAN_CHUNK)
                if not chunk:
                    break
                inflated += len(chunk)
                if inflated > info.file_size:
                    raise LoadError(f"{name}: part {info.filename} inflates past the size its zip directory gives,"
                                    " as a forged file does; download or export it again",
                                    code="broken_workbook", file=name, sheet=sheet)
                if inflated > MAX_ENTRY_BYTES:
                    raise _inflates(name, info.filename, inflated, MAX_ENTRY_BYTES)
                text = carry + chunk
                # a tag cut at the chunk's end is looked at whole with the next chunk
                cut = text.rfind(b"<")
                text, carry = (text[:cut], text[cut:]) if cut > 0 and len(text) - cut < 256 else (text, b"")
                if cell_tags is None:
                    prefix = _PREFIX.search(text[:65536])
                    prefix = prefix.group(1) or b"" if prefix else b""
                    cell_tags = (b"<" + prefix + b"c ", b"<" + prefix + b"c>")
                    row_tags = (b"<" + prefix + b"row ", b"<" + prefix + b"row>")
                    # a literal start, which the regular expression engine searches for fast
                    row_numbers = re.compile(re.escape(b"<" + prefix + b'row r="') + rb"(\d{1,9})")
                    dimension = _DIMENSION.search(text[:65536])
                    if dimension and dimension.group(3):
                        _check_range(name, sheet, int(dimension.group(4)), column_number(dimension.group(3).decode()))
                found = text.count(cell_tags[0]) + text.count(cell_tags[1])
                cells += found
                rows += text.count(row_tags[0]) + text.count(row_tags[1])
                if found and max_column < 26:
                    # the last single-letter column of the chunk, from Z down: a byte search each
                    for number in range(26, max_column, -1):
                        if text.find(b' r="' + bytes([64 + number])) >= 0:
                            max_column = number
                            break
                for letters in set(_WIDE_CELL.findall(text)):
                    max_column = max(max_column, column_number(letters.decode()))
                numbers = row_numbers.findall(text)
                if numbers:
                    max_row = max(max_row, max(map(int, numbers)))
                if b"hidden=" in text and len(special.hidden_rows) < MAX_HIDDEN_ROWS:
                    special.hidden_rows.extend(int(a or b) for a, b in _HIDDEN_ROW.findall(text))
                # a cell cut at the chunk's end is looked at whole with the next chunk
                whole = cell_carry + text
                if _may_hold_special_cells(whole):
                    _find_special_cells(whole, special, name, sheet)
                last = max(whole.rfind(cell_tags[0]), whole.rfind(cell_tags[1]))
                cell_carry = whole[last:] if 0 <= last and len(whole) - last < 65536 else b""
                if cells > MAX_CELLS or max_row > MAX_ROWS or max_column > MAX_COLUMNS or rows > MAX_ROWS:
                    break
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as e:
        raise LoadError(f"{name}: the workbook is cut off or damaged ({info.filename} cannot be read);"
                        " download or export it again", code="broken_workbook", file=name, sheet=sheet) from e
    _check_range(name, sheet, max(max_row, rows), max_column)
    if cells > MAX_CELLS:
        raise LoadError(f"{name}, sheet '{sheet}': it holds over {MAX_CELLS:,} cells, the limit for one sheet;"
                        " split it by month", code="sheet_cells", file=name, sheet=sheet,
                        values={"limit": f"{MAX_CELLS:,}"})
    return special


def _may_hold_special_cells(text: bytes) -> bool:
    """Whether XML may hold an error cell or a formula (byte searches: most sheets hold neither)."""
    return b't="e"' in text or b"f>" in text or b"<f " in text or b":f " in text


# An ODS row or cell may stand for many ("repeated"): the reader lays out every repeated cell that
# holds a value (empty repeats, which LibreOffice writes to the sheet's edge, it drops).
_ODS_TAG = re.compile(rb"<table:table-row\b([^>]*)>|</table:table-row>|<table:table-cell\b([^>]*)>")
_ROWS_REPEATED = re.compile(rb'number-rows-repeated="(\d{1,12})"')
_COLUMNS_REPEATED = re.compile(rb'number-columns-repeated="(\d{1,12})"')


def _scan_ods(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> None:
    """Stream an ODS's content.xml: the rows and cells its repeats stand for, summed per table as
    the reader would lay them out, before it does."""
    rows = cells = columns = row_repeat = row_cells = 0
    carry, inflated = b"", 0
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(SCAN_CHUNK):
                inflated += len(chunk)
                if inflated > MAX_ENTRY_BYTES:
                    raise _inflates(name, info.filename, inflated, MAX_ENTRY_BYTES)
                text = carry + chunk
                cut = text.rfind(b"<")
                text, carry = (text[:cut], text[cut:]) if cut > 0 and len(text) - cut < 4096 else (text, b"")
                for match in _ODS_TAG.finditer(text):
                    row, cell = match.group(1), match.group(2)
                    if row is not None:
                        repeated = _ROWS_REPEATED.search(row)
                        row_repeat, row_cells = (int(repeated.group(1)) if repeated else 1), 0
                    elif cell is not None:
                        repeated = _COLUMNS_REPEATED.search(cell)
                        width = int(repeated.group(1)) if repeated else 1
                        if b"value-type" in cell:
                            row_cells += width
                            columns = max(columns, row_cells)
                    elif row_cells:
                        rows += row_repeat
                        cells += row_repeat * row_cells
                if columns > MAX_COLUMNS or rows > MAX_ROWS or cells > MAX_CELLS:
                    break
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as e:
        raise LoadError(f"{name}: the workbook is cut off or damaged ({info.filename} cannot be read);"
                        " download or export it again", code="broken_workbook", file=name) from e
    _check_range(name, None, rows, columns)
    if cells > MAX_CELLS:
        raise LoadError(f"{name}: its sheets hold over {MAX_CELLS:,} cells, the limit; split it by month",
                        code="sheet_cells", file=name, values={"limit": f"{MAX_CELLS:,}"})


def _check_range(name: str, sheet: str | None, rows: int, columns: int) -> None:
    where = f"{name}, sheet '{sheet}'" if sheet else name
    last = f"{column_letters(columns)}{rows}" if columns else str(rows)
    if columns > MAX_COLUMNS:
        raise LoadError(f"{where}: its used range reaches column {column_letters(columns)} ({columns:,} columns),"
                        f" over the limit of {MAX_COLUMNS:,}; delete the empty columns after the data"
                        " (or save only the used range in a new workbook)", code="used_range_columns",
                        file=name, sheet=sheet, column=column_letters(columns),
                        values={"last": last, "columns": f"{columns:,}", "limit": f"{MAX_COLUMNS:,}"})
    if rows > MAX_ROWS:
        raise LoadError(f"{where}: its used range reaches row {rows:,}, over the limit of {MAX_ROWS:,} rows;"
                        " delete the empty rows under the data (or save only the used range), or split it",
                        code="used_range_rows", file=name, sheet=sheet, row=rows,
                        values={"last": last, "rows": f"{rows:,}", "limit": f"{MAX_ROWS:,}"})
    if rows * columns > MAX_CELLS:
        raise LoadError(f"{where}: its used range A1:{last} spans {rows * columns:,} cells, over the limit of"
                        f" {MAX_CELLS:,}; save only the used range (delete the empty rows and columns around"
                        " the data) or split it", code="used_range_cells", file=name, sheet=sheet,
                        values={"last": last, "cells": f"{rows * columns:,}", "limit": f"{MAX_CELLS:,}"})
