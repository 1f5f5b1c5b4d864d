"""Writes tests/data/bad/: hostile-but-realistic files, each small, each with its expected outcome in
tests/test_bad_files.py. Deterministic (no clock, no randomness without a seed): running it again
writes the same bytes. Run with `python tests/data/make_bad.py`; the files are committed.

The huge ones are built small: a zip bomb packs its repeated XML about a thousand times, and a
used range reaching XFD1048576 needs one cell there. The 1 GB inflating workbook of the memory test
is made in a temporary folder at test time (make_inflating_workbook).
"""
from __future__ import annotations

import datetime as dt
import gzip
import io
import random
import re
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

HERE = Path(__file__).parent
BAD = HERE / "bad"
STAMP = (2026, 1, 1, 0, 0, 0)
NPS_HEADER = "Customer ID,Date,Branch,Score,Comment\n"


def nps_rows(n: int = 4, start: int = 1) -> str:
    return "".join(f"C{i},2026-10-{i:02d},North,{i % 11},fine\n" for i in range(start, start + n))


def write(name: str, data: bytes | str, encoding: str = "utf-8") -> None:
    (BAD / name).write_bytes(data.encode(encoding) if isinstance(data, str) else data)


def stable_zip(source: bytes) -> bytes:
    """The same zip with every entry's time fixed, so a workbook's bytes do not depend on the day."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as old, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            entry = zipfile.ZipInfo(info.filename, STAMP)
            entry.compress_type = zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED
            data = old.read(info)
            if info.filename == "docProps/core.xml":   # openpyxl stamps the time of saving
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2026-01-01T00:00:00Z", data)
            new.writestr(entry, data)
    return out.getvalue()


def workbook_bytes(sheets: dict[str, list[list]], setup=None) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet: Worksheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    if setup:
        setup(book)
    book.properties.created = book.properties.modified = dt.datetime(2026, 1, 1)
    buffer = io.BytesIO()
    book.save(buffer)
    return stable_zip(buffer.getvalue())


def write_xlsx(name: str, sheets: dict[str, list[list]], setup=None) -> None:
    write(name, workbook_bytes(sheets, setup))


NPS_SHEET = [["Customer ID", "Date", "Branch", "Score", "Comment"]] + [
    [f"C{i}", f"2026-10-{i:02d}", "North", i % 11, "fine"] for i in range(1, 5)]

# A minimal workbook written by hand, for sheets no library would write (a used range to XFD1048576).
CONTENT_TYPES = (b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                 b'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                 b'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
                 b'"/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.'
                 b'main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
                 b'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
ROOT_RELS = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
             b'2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
             b'2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
WORKBOOK = (b'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
            b'2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
            b'<sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>')
WORKBOOK_RELS = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                 b'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                 b'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
SHEET_HEAD = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
              b'spreadsheetml/2006/main">')


def header_cells() -> bytes:
    names = ["Customer ID", "Date", "Branch", "Score", "Comment"]
    return b'<row r="1">' + b"".join(
        f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{n}</t></is></c>'.encode() for i, n in enumerate(names)) + b"</row>"


def data_row(r: int) -> bytes:
    return (f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>C{r}</t></is></c><c r="B{r}" t="inlineStr"><is><t>'
            f'2026-10-01</t></is></c><c r="C{r}" t="inlineStr"><is><t>North</t></is></c><c r="D{r}"><v>9</v></c>'
            f'</row>').encode()


def score_row(r: int, score_cell: str, branch_cell: str | None = None) -> bytes:
    """A data row of a hand-written sheet whose Score cell (and Branch cell) is the raw XML given."""
    branch = branch_cell or f'<c r="C{r}" t="inlineStr"><is><t>North</t></is></c>'
    return (f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>C{r}</t></is></c><c r="B{r}" t="inlineStr"><is><t>'
            f'2026-10-0{r}</t></is></c>{branch}{score_cell.format(r=r)}</row>').encode()


def raw_xlsx(sheet_xml, extra: dict[str, bytes] | None = None, workbook: bytes = WORKBOOK) -> bytes:
    """A workbook of one sheet whose XML is `sheet_xml` (bytes, or an iterable of byte chunks
    streamed into the zip, for a sheet too large to hold)."""
    out = io.BytesIO()
    write_raw_xlsx(out, sheet_xml, extra, workbook)
    return out.getvalue()


def write_raw_xlsx(target, sheet_xml, extra: dict[str, bytes] | None = None, workbook: bytes = WORKBOOK) -> None:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as book:
        for part, data in (("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", ROOT_RELS),
                           ("xl/workbook.xml", workbook), ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
                           *(extra or {}).items()):
            book.writestr(zipfile.ZipInfo(part, STAMP), data, zipfile.ZIP_DEFLATED)
        info = zipfile.ZipInfo("xl/worksheets/sheet1.xml", STAMP)
        info.compress_type = zipfile.ZIP_DEFLATED
        if isinstance(sheet_xml, bytes):
            book.writestr(info, sheet_xml, zipfile.ZIP_DEFLATED, 9)
        else:
            with book.open(info, "w", force_zip64=True) as stream:
                for chunk in sheet_xml:
                    stream.write(chunk)


BOMB_ROW = (b'<row><c t="inlineStr"><is><t>C1</t></is></c><c t="inlineStr"><is><t>2026-10-01</t></is></c>'
            b'<c t="inlineStr"><is><t>North</t></is></c><c><v>9</v></c><c t="inlineStr"><is><t>fine</t></is></c>'
            b"</row>")


def bomb_chunks(rows: int):
    """A sheet of `rows` identical rows without cell references (which OOXML allows), yielded in pieces:
    it inflates to len(BOMB_ROW) = 195 bytes a row and packs about a thousand times."""
    yield SHEET_HEAD + b"<sheetData>" + header_cells()
    batch = b"".join([BOMB_ROW] * 10_000)
    for _ in range(rows // 10_000):
        yield batch
    yield b"".join([BOMB_ROW] * (rows % 10_000)) + b"</sheetData></worksheet>"


def make_inflating_workbook(path: Path, megabytes: int = 1024) -> None:
    """A workbook whose sheet inflates to about `megabytes` MB of XML (a few MB packed)."""
    rows = megabytes * 1024 * 1024 // len(BOMB_ROW)
    with open(path, "wb") as handle:
        write_raw_xlsx(handle, bomb_chunks(rows))


def ole2(stream_names: list[str]) -> bytes:
    """The start of an OLE2 compound file with a directory naming `stream_names` (enough for the
    format to be recognised; no reader gets further than that)."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    directory = b"".join(name.encode("utf-16-le").ljust(128, b"\x00") for name in ["Root Entry", *stream_names])
    return header + directory.ljust(4096, b"\x00")


def ods(rows: list[list[str]], tail: str = "") -> bytes:
    """An OpenDocument spreadsheet of text cells; `tail` is raw XML after the rows (repeats)."""
    cells = "".join("<table:table-row>" + "".join(
        f'<table:table-cell office:value-type="string"><text:p>{c}</text:p></table:table-cell>' for c in row)
        + "</table:table-row>" for row in rows) + tail
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:'
               'opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body>'
               f'<office:spreadsheet><table:table table:name="Data">{cells}</table:table></office:spreadsheet>'
               '</office:body></office:document-content>').encode()
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
                'opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/"'
                ' manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry '
                'manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>').encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as book:
        book.writestr(zipfile.ZipInfo("mimetype", STAMP), b"application/vnd.oasis.opendocument.spreadsheet")
        book.writestr(zipfile.ZipInfo("META-INF/manifest.xml", STAMP), manifest, zipfile.ZIP_DEFLATED)
        book.writestr(zipfile.ZipInfo("content.xml", STAMP), content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def long_comment(chars: int = 3_000_000) -> str:
    """An NPS csv whose second row's comment is `chars` long (3 MB: made at test time, not committed)."""
    return NPS_HEADER + nps_rows(1) + "C2,2026-10-02,North,8," + "x" * chars + "\n" + nps_rows(1, 3)


def survey_rows(items: int, respondents: int = 40) -> list[list]:
    rng = random.Random(items)
    header = ["Respondent ID", "Date", "Branch", "Comment"] + [f"Q{i:03d}" for i in range(1, items + 1)]
    return [header] + [[f"R{r}", f"2026-10-{r % 28 + 1:02d}", "North" if r % 2 else "South", "ok"]
                       + [rng.randint(1, 5) for _ in range(items)] for r in range(1, respondents + 1)]


def main() -> None:
    BAD.mkdir(exist_ok=True)
    for old in BAD.iterdir():
        old.unlink()
    accents = ("Customer ID,Date,Branch,Score,Comment\nC1,2026-10-01,Café Crème,9,très bien\n"
               "C2,2026-10-02,Müllerstraße,3,déçu, ça traîne\n")
    accents = accents.replace("déçu, ça traîne", '"déçu, ça traîne"')
    # --- encodings
    write("utf16le_no_bom.csv", accents, "utf-16-le")
    write("utf16be_no_bom.csv", accents, "utf-16-be")
    write("utf16_bom_tabs.txt", accents.replace(",", "\t").replace('"déçu\t ça traîne"', "déçu, ça traîne"), "utf-16")
    write("windows1252.csv", accents, "cp1252")
    write("windows1250.csv", "Customer ID,Date,Branch,Score,Comment\nC1,2026-10-01,Łódź,9,Zażółć gęślą jaźń\n"
          "C2,2026-10-02,Brno,7,příliš žluťoučký kůň\n", "cp1250")
    write("windows1251.csv", "Customer ID,Date,Branch,Score,Comment\nC1,2026-10-01,Москва,9,Отличный сервис\n"
          "C2,2026-10-02,Казань,4,Долго ждали\n", "cp1251")
    write("gbk.csv", "客户编号,日期,网点,推荐得分,评论\nC1,2026-10-01,浦东支行,9,服务很好\nC2,2026-10-02,福田支行,3,排队太久了\n",
          "gbk")
    write("gb18030_rare.csv", "客户编号,日期,网点,推荐得分,评论\nC1,2026-10-01,浦东支行,9,𠀀𪚥好\nC2,2026-10-02,福田支行,3,很慢\n",
          "gb18030")
    write("utf8_bom.csv", accents, "utf-8-sig")
    write("unknown_encoding.csv", b"Customer,Date,Score\nC1,2026-01-01,9\n\x80\xff\xfe\x80,x,1\n")
    write("mixed_encoding.csv", (NPS_HEADER + "C1,2026-10-01,Café,9,très bien\nC2,2026-10-02,Crème,9,déjà\n").encode()
          + "C3,2026-10-03,Crème,9,déjà vu\n".encode("cp1252"))
    # Excel for Mac's "CSV (Macintosh)": lines end in CR alone, a quoted line break too
    write("cr_only_lines.csv", (accents + 'C3,2026-10-03,North,8,"first line\nsecond line"\n').replace("\n", "\r"),
          "cp1252")
    # --- not what the name says, empty, cut off, junk
    # an old CRM's "Excel export": an HTML table in GBK under an .xls name; Excel 2003's XML workbook
    write("html_table.xls", "<html><head><meta http-equiv=Content-Type content='text/html; charset=gb2312'></head>"
          "<body><table border=1><tr><td>客户编号</td><td>日期</td><td>网点</td><td>推荐得分</td></tr>"
          "<tr><td>C1</td><td>2026-10-01</td><td>浦东支行</td><td>9</td></tr></table></body></html>\n", "gbk")
    write("spreadsheetml_2003.xls", '<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n<Workbook'
          ' xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:'
          'spreadsheet"><Worksheet ss:Name="Data"><Table><Row><Cell><Data ss:Type="String">Customer ID</Data>'
          '</Cell><Cell><Data ss:Type="String">Score</Data></Cell></Row><Row><Cell><Data ss:Type="String">C1'
          '</Data></Cell><Cell><Data ss:Type="Number">9</Data></Cell></Row></Table></Worksheet></Workbook>\n')
    junk = random.Random(20).randbytes(3000)
    write("binary_junk.csv", junk)
    # a csv as a reporting tool mails it, gzip-compressed under its own name (no time stamp: same bytes)
    write("gzipped.csv", gzip.compress((NPS_HEADER + nps_rows()).encode(), mtime=0))
    write("gzipped.csv.gz", gzip.compress((NPS_HEADER + nps_rows()).encode(), mtime=0))
    # one zero byte inside a comment (an export that broke there), and a copy padded with zeros
    write("nul_in_cell.csv", NPS_HEADER + nps_rows(2) + "C3,2026-10-03,North,9,fi\x00ne\n")
    write("nul_padded.csv", NPS_HEADER + nps_rows() + "\x00" * 256)
    write("binary_junk.xlsx", b"\x00\x01" + junk)
    write("text_named.xlsx", NPS_HEADER + nps_rows())
    write("workbook_named.csv", workbook_bytes({"Data": NPS_SHEET}))
    write("empty.csv", b"")
    write("empty.xlsx", b"")
    write("blank_lines.csv", "\n\n   \n\n")
    write("bom_only.csv", b"\xef\xbb\xbf")
    write("header_only.csv", NPS_HEADER)
    whole = workbook_bytes({"Data": NPS_SHEET})
    write("truncated.xlsx", whole[: len(whole) // 2])
    write("truncated_quote.csv", NPS_HEADER + nps_rows(2) + 'C3,2026-10-03,North,9,"it stops her')
    write("truncated_mid_row.csv", NPS_HEADER + nps_rows(3) + "C4,2026-10-0")
    write("encrypted.xlsx", ole2(["EncryptionInfo", "EncryptedPackage"]))
    write("old_format.xls", ole2(["Workbook"]))
    write("not_a_workbook.xlsx", stable_zip(_zip({"readme.txt": b"hello"})))
    macro = zipfile.ZipFile(io.BytesIO(whole))
    parts = {i.filename: macro.read(i) for i in macro.infolist()}
    parts["xl/vbaProject.bin"] = b"\x00" * 64
    write("macros.xlsm", stable_zip(_zip(parts)))
    write("sheet.ods", ods([["Customer ID", "Date", "Branch", "Score", "Comment"],
                            ["C1", "2026-10-01", "North", "9", "fine"], ["C2", "2026-10-02", "South", "4", "slow"]]))
    ods_header = [["Customer ID", "Date", "Branch", "Score", "Comment"], ["C1", "2026-10-01", "North", "9", "fine"]]
    # LibreOffice's own edge: empty cells and rows repeated to the end of the sheet
    write("sheet_libreoffice_edge.ods", ods(ods_header, '<table:table-row table:number-rows-repeated="1048574">'
                                            '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>'))
    write("ods_repeated_bomb.ods", ods(ods_header, '<table:table-row table:number-rows-repeated="6000">'
                                       '<table:table-cell table:number-columns-repeated="1900" office:value-type='
                                       '"float" office:value="1"><text:p>1</text:p></table:table-cell>'
                                       '</table:table-row>'))
    # --- sizes
    write("zip_bomb.xlsx", raw_xlsx(bomb_chunks(250_000)))
    write("used_range_xfd.xlsx", raw_xlsx(SHEET_HEAD + b'<dimension ref="A1:XFD1048576"/><sheetData>' + header_cells()
                                          + data_row(2) + b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
                                          b"</sheetData></worksheet>"))
    write("used_range_rows.xlsx", raw_xlsx(SHEET_HEAD + b'<dimension ref="A1:E2000001"/><sheetData>' + header_cells()
                                           + data_row(2) + b"</sheetData></worksheet>"))
    write("used_range_cells.xlsx", raw_xlsx(SHEET_HEAD + b'<dimension ref="A1:ZZ20000"/><sheetData>' + header_cells()
                                            + data_row(2) + b"</sheetData></worksheet>"))
    write("lying_dimension.xlsx", raw_xlsx(SHEET_HEAD + b'<dimension ref="A1:E3"/><sheetData>' + header_cells()
                                           + data_row(2) + b'<row r="3000000"><c r="C3000000"><v>1</v></c></row>'
                                           b"</sheetData></worksheet>"))
    write("too_many_columns.csv", ",".join(f"c{i}" for i in range(2500)) + "\n" + ",".join("1" * 2500) + "\n")
    write_xlsx("questionnaire_200.xlsx", {"Responses": survey_rows(200)})
    write("survey_150.csv", "\n".join(",".join(str(c) for c in row) for row in survey_rows(150)) + "\n")
    # --- broken rows
    write("unquoted_comma.csv", NPS_HEADER + nps_rows(1) + "C2,2026-10-02,North,7,slow, and rude\n" + nps_rows(2, 3))
    write("unquoted_semicolon.csv", (NPS_HEADER + nps_rows(2)).replace(",", ";")
          + "C3;2026-10-03;North;7;slow; rude\n")
    write("multiline_cells.csv", NPS_HEADER + 'C1,2026-10-01,North,9,"line one\nline two"\n'
          'C2,2026-10-02,South,4,"a\r\nb\r\nc"\nC3,2026-10-03,North,8,fine\n')
    write("multiline_then_bad_score.csv", NPS_HEADER + 'C1,2026-10-01,North,9,"one\ntwo\nthree"\n'
          'C2,2026-10-02,South,4,"a\nb"\nC3,2026-10-03,North,eleven,fine\n' + nps_rows(10, 4))
    write("multiline_then_extra_cell.csv", NPS_HEADER + 'C1,2026-10-01,North,9,"one\ntwo\nthree"\n'
          "C2,2026-10-02,South,4,slow, rude\n")
    # --- values
    for name, value in (("nan_score.csv", "NaN"), ("nan_lower_score.csv", "nan"), ("na_excel_score.csv", "#N/A"),
                        ("inf_score.csv", "inf"), ("minus_inf_score.csv", "-Infinity"), ("div0_score.csv", "#DIV/0!")):
        write(name, NPS_HEADER + nps_rows(1) + f"C2,2026-10-02,North,{value},fine\n" + nps_rows(10, 3))
    write("survey_nan_rating.csv", "Respondent ID,Date,Branch,Q1,Q2,Q3\n" + "".join(
        f"R{r},2026-10-{r:02d},North,{r % 5 + 1},{(r + 1) % 5 + 1},{(r + 2) % 5 + 1}\n" for r in range(1, 21))
        + "R21,2026-10-21,North,4,NaN,3\n")
    write("xlsx_nan_text.xlsx", workbook_bytes({"Data": NPS_SHEET[:2] + [["C9", "2026-10-09", "North", "NaN", "x"]]
                                                + [[f"C{i}", f"2026-10-{i:02d}", "North", i % 11, "ok"]
                                                   for i in range(10, 22)]}))
    # --- dates
    write("date_1926.csv", NPS_HEADER + nps_rows(1) + "C2,1926-10-02,North,7,fine\n" + nps_rows(2, 3))
    write("date_1989.csv", NPS_HEADER + nps_rows(2) + "C3,1989-12-31,North,7,fine\n")
    write("date_future.csv", NPS_HEADER + nps_rows(1) + "C2,2099-01-01,North,7,fine\n")
    write("date_1926_slashes.csv", NPS_HEADER + nps_rows(1) + "C2,1926/10/02,North,7,fine\n")
    write("complaint_resolved_1926.csv",
          "Complaint ID,Customer ID,Received,Branch,Cause,Status,Resolved,Description\n"
          "K1,C1,2026-10-01 09:00,North,Fees,Resolved,2026-10-01 12:00,fee too high\n"
          "K2,C2,2026-10-02 09:00,North,Queue,Resolved,1926-10-02 12:00,long queue\n")
    write_xlsx("xlsx_date_1926.xlsx", {"Data": NPS_SHEET[:3] + [[
        "C9", dt.datetime(1926, 10, 9), "North", 8, "fine"]]})
    # --- sheets
    write_xlsx("hidden_first_sheet.xlsx", {"Old": [["Customer ID", "Date", "Score"], ["X1", "2020-01-01", 1]],
                                           "Data": NPS_SHEET}, lambda b: setattr(b["Old"], "sheet_state", "hidden"))
    write_xlsx("very_hidden_sheet.xlsx", {"Lookup": [["Customer ID", "Date", "Score"], ["X1", "2020-01-01", 1]],
                                          "Data": NPS_SHEET},
               lambda b: setattr(b["Lookup"], "sheet_state", "veryHidden"))
    every_hidden = WORKBOOK.replace(b'r:id="rId1"/>', b'r:id="rId1" state="hidden"/>')
    write("all_sheets_hidden.xlsx", raw_xlsx(SHEET_HEAD + b"<sheetData>" + header_cells() + data_row(2)
                                             + b"</sheetData></worksheet>", workbook=every_hidden))

    def merge_branch(book):
        book["Data"].merge_cells("C2:C4")

    merged = [NPS_SHEET[0]] + [[f"C{i}", f"2026-10-0{i}", "North" if i == 1 else None, i, "ok"] for i in range(1, 4)] \
        + [["C4", "2026-10-04", "South", 4, "ok"]]
    write_xlsx("merged_branch.xlsx", {"Data": merged}, merge_branch)

    def merge_title(book):
        book["Data"].merge_cells("A1:E1")
        book["Data"].merge_cells("C3:C5")

    titled = [["October NPS"]] + [NPS_SHEET[0]] + [[f"C{i}", f"2026-10-0{i}", "East" if i == 1 else None, i, "ok"]
                                                   for i in range(1, 4)]
    write_xlsx("merged_title_and_branch.xlsx", {"Data": titled}, merge_title)
    write_xlsx("empty_sheet.xlsx", {"Data": []})
    write_xlsx("header_only.xlsx", {"Data": [NPS_SHEET[0]]})
    write_xlsx("no_such_rows_hidden_data.xlsx", {"Notes": [["read me"]], "Data": NPS_SHEET},
               lambda b: setattr(b["Data"], "sheet_state", "hidden"))
    # --- formulas: as Excel saves them (a result with each, t="e" for an error), and as a program
    # writes them (no result: the reader would see blanks)
    computed = ['<c r="D{r}"><f>4+5</f><v>9</v></c>', '<c r="D{r}"><f t="shared" ref="D3:D4" si="0">4+3</f><v>7</v></c>',
                '<c r="D{r}"><f t="shared" si="0"/><v>7</v></c>']
    write("formulas_computed.xlsx", raw_xlsx(SHEET_HEAD + b"<sheetData>" + header_cells() + b"".join(
        score_row(r, cell) for r, cell in zip(range(2, 5), computed)) + b"</sheetData></worksheet>"))
    errors = computed[:1] + ['<c r="D{r}" t="e"><f>1/0</f><v>#DIV/0!</v></c>',
                             '<c r="D{r}" t="e"><f>VLOOKUP(A{r},Scores!A:B,2,FALSE)</f><v>#N/A</v></c>'] + computed[:1] * 3
    write("xlsx_error_cells.xlsx", raw_xlsx(SHEET_HEAD + b"<sheetData>" + header_cells() + b"".join(
        score_row(r, cell) for r, cell in zip(range(2, 8), errors)) + b"</sheetData></worksheet>"))
    lookup = '<c r="C{r}" t="e"><f>VLOOKUP(A{r},Branches!A:B,2,FALSE)</f><v>#N/A</v></c>'
    write("xlsx_error_branch.xlsx", raw_xlsx(SHEET_HEAD + b"<sheetData>" + header_cells() + b"".join(
        score_row(r, computed[0], lookup.format(r=r) if r == 3 else None) for r in range(2, 6))
        + b"</sheetData></worksheet>"))

    def totals(book):
        book["Data"]["D6"] = "=SUM(D2:D5)"
    write_xlsx("formula_not_computed.xlsx", {"Data": NPS_SHEET + [["Total", None, None, None, None]]}, totals)
    # --- how people write numbers and dates: a score typed with a Chinese input method in full-width
    # mode; a score column headed 推荐分数; English month names (Excel's d-mmm-yy, a CRM's, US reports')
    write("fullwidth_score.csv", NPS_HEADER + "C1,2026-10-01,North,１０,fine\nC2,2026-10-02,North,９,fine\n"
          "C3,2026-10-03,North,　０,fine\nC4,2026-10-04,North,７,fine\n")
    write("score_header_cn.csv", "客户编号,日期,网点,推荐分数,评论\nC1,2026-10-01,浦东支行,9,服务很好\n"
          "C2,2026-10-02,福田支行,3,排队太久了\n")
    write("date_month_names.csv", NPS_HEADER + "C1,5-Oct-26,North,9,ok\nC2,06-Oct-2026 14:30,North,9,ok\n"
          'C3,7 October 2026,North,9,ok\nC4,"Oct 8, 2026",North,9,ok\nC5,"Oct 9, 2026 2:30 PM",North,9,ok\n')
    # a Chinese Windows' csv: the time of day as 上午/下午 before the time
    write("date_cn_am_pm.csv", NPS_HEADER + "C1,2026/10/5 下午 3:05:00,North,9,ok\nC2,2026/10/6 上午 11:20,North,9,ok\n"
          "C3,2026-10-07 上午 12:30:00,North,9,ok\nC4,2026/10/8 下午12:10,North,9,ok\n")
    # --- separators and layout
    write("semicolons.csv", (NPS_HEADER + nps_rows()).replace(",", ";"))
    write("pipes.csv", (NPS_HEADER + nps_rows()).replace(",", "|"))
    # two exports joined (copy a.csv+b.csv): the second's byte-order mark starts a line
    write("joined_exports_bom.csv", "\ufeff" + NPS_HEADER + nps_rows(2) + "\ufeff" + nps_rows(2, 3))
    write("crlf.csv", (NPS_HEADER + nps_rows()).replace("\n", "\r\n"))
    write("control_chars.csv", NPS_HEADER + "C1,2026-10-01,North,9,\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0e\n" * 3)


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        for name, data in parts.items():
            book.writestr(zipfile.ZipInfo(name, STAMP), data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


if __name__ == "__main__":
    main()
