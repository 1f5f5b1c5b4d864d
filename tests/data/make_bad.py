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
    # --- numbers the European way: a German Excel's "CSV (Trennzeichen-getrennt)" writes ';' between
    # cells, a decimal comma in numbers and dates with dots
    european = "Respondent ID;Date;Branch;Q1 Staff friendliness;Q2 Waiting time;Q3 Cleanliness;Comment\n"
    write("decimal_comma_ratings.csv", european + "".join(
        f"R{r};0{r}.10.2026;{'Berlin' if r % 2 else 'Hamburg'};{r % 5 + 1},0;{(r + 2) % 5 + 1},0;{(r + 3) % 5 + 1},0;gut\n"
        for r in range(1, 6)), "cp1252")
    # half points: ratings, or averages pasted in? asked, never left out unsaid
    write("decimal_comma_halves.csv", european + "R1;01.10.2026;Berlin;4,5;3,0;5,0;gut\nR2;02.10.2026;Berlin;4,0;2,5;4,0;\n"
          "R3;03.10.2026;Hamburg;5,0;4,0;4,5;sehr gut\nR4;04.10.2026;Hamburg;3,5;3,0;4,0;\n", "cp1252")
    write("nps_decimal_comma.csv", "Customer ID;Date;Branch;Score;Comment\n" + "".join(
        f"C{i};0{i}.10.2026;München;{i + 5},0;gut\n" for i in range(1, 5)), "cp1252")
    write("nps_decimal_comma_half.csv", "Customer ID;Date;Branch;Score;Comment\n" + "".join(
        f"C{i};{i:02d}.10.2026;München;{i % 11},{5 if i == 3 else 0};gut\n" for i in range(1, 13)), "cp1252")
    # a workbook whose score cells are partly text "4,0" (pasted from a European system) among numbers
    write_xlsx("xlsx_text_decimal_comma.xlsx", {"Data": [["Respondent ID", "Date", "Branch", "Q1", "Q2", "Q3"]] + [
        [f"R{r}", f"2026-10-{r:02d}", "North", f"{r % 5 + 1},0" if r % 2 else r % 5 + 1, (r + 1) % 5 + 1,
         f"{(r + 2) % 5 + 1},0"] for r in range(1, 7)]})
    # --- rows of sums under the data (Excel's Total row, a report's 合计 / 平均分)
    write("totals_row.csv", NPS_HEADER + "C1,2026-10-01,North,9,fine\nC2,2026-10-02,North,7,ok\n"
          "C3,2026-10-03,South,10,great\nTotal,,,26,\nAverage,,,8.67,\n")
    write_xlsx("totals_row_cn.xlsx", {"答卷": [["编号", "日期", "网点", "环境整洁", "服务态度", "办理速度", "意见"]] + [
        [f"R{r}", f"2026-10-{r:02d}", "浦东支行" if r % 2 else "福田支行", r % 5 + 1, (r + 1) % 5 + 1, (r + 3) % 5 + 1,
         "无"] for r in range(1, 7)] + [["合计", None, None, 17, 18, 20, None], ["平均分", None, None, 2.83, 3, 3.33, None]]})
    # a row headed Total in the middle is no summary: it stays, and is named at its row
    write("total_not_last.csv", NPS_HEADER + "C1,2026-10-01,North,9,fine\nTotal,,,16,\nC2,2026-10-02,North,7,ok\n")
    # --- what survey platforms and ticket systems write around and beside the data (layouts as their
    # exports have them; the content invented)
    # a CRM report (Salesforce's "Export details"): the records, then Grand Totals and the footer lines
    write("salesforce_cases_footer.csv",
          '"Case Number","Date/Time Opened","Account Name","Case Reason","Status","Closed Date","Description"\n'
          '"00001001","10/1/2026 9:05 AM","Acme Ltd","Billing","Closed","10/2/2026 3:00 PM","Charged twice for October"\n'
          '"00001002","10/3/2026 11:20 AM","Globex","Delivery","Closed","10/5/2026 10:00 AM","Parcel arrived damaged"\n'
          '"00001003","10/13/2026 2:45 PM","Initech","Billing","New","","Invoice shows the wrong address"\n'
          '\n"Grand Totals (3 records)"\n\n"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."\n'
          '"Confidential Information - Do Not Distribute"\n"Generated By:  Jane Doe  11/2/2026 9:05 AM"\n"Acme Inc."\n')
    # a 12315-style complaint register: a title row, the records, a blank row and who made the table
    write_xlsx("complaints_12315_footer.xlsx", {"Sheet1": [
        ["XX市市场监管局12315投诉登记表（2026年10月）"],
        ["登记编号", "登记时间", "投诉人", "投诉渠道", "被投诉单位", "投诉类型", "投诉内容", "处理状态", "办结时间"],
        ["TS2026100001", "2026-10-01 09:12", "王某", "电话", "浦东支行", "服务态度", "柜员态度恶劣，办理业务时不耐烦", "已办结",
         "2026-10-03 16:00"],
        ["TS2026100002", "2026-10-02 14:30", "李某", "网络", "福田支行", "收费争议", "未经告知扣除年费两百元", "已办结",
         "2026-10-08 10:00"],
        ["TS2026100003", "2026-10-05 10:05", "张某", "来访", "浦东支行", "排队时间", "排队一个多小时无人处理", "处理中", None],
        [None] * 9, ["制表人：赵六", None, None, None, None, None, "制表日期：2026年11月2日", None, None]]})
    # a survey tool's summary report downloaded instead of the answers: 问卷星's 统计报告, SurveyMonkey's summary
    write_xlsx("wjx_summary_report.xlsx", {"Sheet1": [
        ["第1题：您对网点环境是否满意？ [单选题]"], ["选项", "小计", "比例"], ["非常满意", 40, "40%"], ["满意", 35, "35%"],
        ["一般", 15, "15%"], ["不满意", 10, "10%"], ["本题有效填写人次", 100, None], [None],
        ["第2题：您对柜员服务是否满意？ [单选题]"], ["选项", "小计", "比例"], ["非常满意", 50, "50%"], ["满意", 30, "30%"],
        ["一般", 12, "12%"], ["不满意", 8, "8%"], ["本题有效填写人次", 100, None]]})
    write("surveymonkey_summary.csv", "How satisfied are you with our branch?\nAnswer Choices,Responses,\n"
          "Very satisfied,45.00%,45\nSatisfied,35.00%,35\nNeutral,10.00%,10\nDissatisfied,10.00%,10\n,Answered,100\n"
          ",Skipped,0\n")
    # a JSON export (a form tool's or a ticket system's API) saved under a csv name
    write("json_named.csv", '[\n  {"customer_id": "C1", "date": "2026-10-01", "score": 9},\n'
          '  {"customer_id": "C2", "date": "2026-10-02", "score": 3}\n]\n')
    # Typeform's csv: '#' token, the questions, its own dates in UTC, Network ID and Tags
    write("typeform.csv", "#,How satisfied are you with our branch?,How likely are you to recommend us to a friend?,"
          "Anything we could do better?,branch,Start Date (UTC),Submit Date (UTC),Network ID,Tags\n"
          "a1b2c3,4,9,Faster queues,North,2026-10-01 09:00:00,2026-10-01 09:03:10,net1,\n"
          "d4e5f6,2,3,Rude staff,South,2026-10-02 10:00:00,2026-10-02 10:04:00,net2,\n"
          "g7h8i9,5,10,,North,2026-10-03 11:00:00,2026-10-03 11:01:30,net3,\n")
    # a Zendesk ticket export: solved tickets say when in 'Solved at'
    write("zendesk_tickets.csv", "Id,Requester,Requester id,Assignee,Group,Subject,Tags,Status,Priority,Via,Ticket type,"
          "Created at,Updated at,Solved at,Satisfaction Score,Description\n"
          "1201,Ann Lee,9001,Bob,Support,Card declined,card payments,Solved,High,Email,Problem,2026-10-01 09:00,"
          "2026-10-02 10:00,2026-10-02 10:00,Good,My card was declined twice\n"
          "1202,Ken Wu,9002,Bob,Support,App crashes,app,Open,Normal,Web Widget,Incident,2026-10-03 12:00,"
          "2026-10-03 12:30,,Unoffered,The app crashes on login\n"
          "1203,Mia Ho,9003,Cy,Billing,Fee refund,fees,Closed,Low,Phone,Question,2026-10-04 08:00,2026-10-06 09:00,"
          "2026-10-05 17:00,Bad,Asked for a refund of the fee\n")
    write("freshdesk_tickets.csv", "Ticket ID,Subject,Status,Priority,Source,Type,Agent,Group,Created time,Due by Time,"
          "Resolved time,Closed time,Last update time,Initial response time,Tags,Survey result,Product,Full name,"
          "Contact ID\n"
          "31,Late delivery,Closed,Medium,Email,Incident,Ann,Ops,2026-10-01 09:00:00,2026-10-02 09:00:00,"
          "2026-10-01 15:00:00,2026-10-01 16:00:00,2026-10-01 16:00:00,2026-10-01 09:30:00,,Awesome,Loans,Li Lei,77\n"
          "32,Wrong fee,Resolved,High,Phone,Problem,Bo,Billing,2026-10-02 10:00:00,2026-10-03 10:00:00,"
          "2026-10-04 11:00:00,,2026-10-04 11:00:00,2026-10-02 10:20:00,fees,Not Good,Cards,Han Mei,78\n"
          "33,App login,Open,Urgent,Portal,Problem,,Ops,2026-10-05 08:00:00,2026-10-05 12:00:00,,,2026-10-05 08:10:00,,"
          "app,,App,Wang Wu,79\n")
    # a Google Forms quiz: its own 'Score' (7 / 10) beside one rating question
    write("google_forms_quiz.csv", "Timestamp,Score,Branch,How satisfied were you with the service?,Comments\n"
          "2026/10/01 9:00:00 AM GMT+8,7 / 10,North,4,ok\n2026/10/02 10:00:00 AM GMT+8,9 / 10,South,5,great\n"
          "2026/10/03 11:00:00 AM GMT+8,3 / 10,North,2,slow\n")
    # a Microsoft Forms quiz: two-digit years as text, Points - / Feedback - beside each question
    write_xlsx("msforms_quiz.xlsx", {"Sheet1": [
        ["ID", "Start time", "Completion time", "Email", "Name", "Total points", "Quiz feedback",
         "How satisfied are you with our service?", "Points - How satisfied are you with our service?",
         "Feedback - How satisfied are you with our service?", "Branch"]] + [
        [i, f"10/{i}/26 9:00:00", f"10/{i}/26 9:0{i + 1}:00", "anonymous", None, 0, None, [4, 5, 2][i - 1], 0, None,
         "North" if i % 2 else "South"] for i in range(1, 4)]})
    # Excel's "sep=;" line over a European csv
    write("sep_line.csv", "sep=;\nCustomer ID;Date;Branch;Score;Comment\n" + "".join(
        f"C{i};0{i}.10.2026;Wien;{i + 5};gut\n" for i in range(1, 5)))
    # an old CRM's tab-separated "Excel" download in GBK
    write("tabs_named.xls", "Customer ID\tDate\tBranch\tScore\tComment\n" + "".join(
        f"C{i}\t2026-10-0{i}\t北区\t{i + 5}\tfine\n" for i in range(1, 5)), "gbk")
    # the responses, then a pivot of means under a blank row: named at its first row
    write_xlsx("two_tables.xlsx", {"Data": NPS_SHEET[:4] + [[None], ["Branch", "Average score"], ["North", 9.5],
                                                             ["South", 6]]})
    # an empty line between records: Excel shows it as a row, so the rows under it keep their numbers
    write("blank_line_rows.csv", NPS_HEADER + "C1,2026-10-01,North,9,fine\nC3,2026-10-01,North,8,fine\n\n"
          "C2,2026-10-02,North,11,ok\n")
    write("blank_lines_utf16.csv", ("Customer ID;Date;Branch;Score;Comment\r\nC1;2026-10-01;North;9;fine\r\n"
                                    "C4;2026-10-01;North;9;fine\r\n\r\nC2;2026-10-02;North;7;\"a\r\n\r\nb\"\r\n\r\n"
                                    "C3;2026-10-02;North;12;x\r\n"), "utf-16")
    # a complaint log with the hours taken and the follow-up call's satisfaction (4.5) in decimals
    write("complaints_cn_decimals.csv", "投诉编号,受理时间,网点,投诉类型,投诉内容,处理状态,办结时间,处理时长(小时),满意度评分\n"
          "K1,2026-10-01 09:00,浦东支行,收费,乱收费用,已办结,2026-10-01 12:30,3.5,4.5\n"
          "K2,2026-10-02 10:00,福田支行,服务,态度差,已办结,2026-10-02 10:30,0.5,2.5\n"
          "K3,2026-10-03 11:00,浦东支行,排队,排队太久,已办结,2026-10-03 18:00,7,3\n")

    # SurveyMonkey's xlsx: the matrix question merged across its rows' columns over the row labels
    def merge_question(book):
        book["Sheet"].merge_cells("F1:H1")

    write_xlsx("surveymonkey_merged_header.xlsx", {"Sheet": [
        ["Respondent ID", "Collector ID", "Start Date", "End Date", "Which branch did you visit?",
         "How satisfied were you with each of the following?", None, None, "Any other comments?"],
        [None, None, None, None, "Response", "Friendly staff", "Waiting time", "Cleanliness", "Open-Ended Response"]] + [
        [11800000 + i, 4000, f"10/{i}/2026 9:00:00 AM", f"10/{i}/2026 9:05:00 AM", "North" if i % 2 else "South",
         i % 5 + 1, (i + 1) % 5 + 1, (i + 2) % 5 + 1, "ok"] for i in range(1, 6)]}, merge_question)
    # a ticket system's times with their offset after a space, and ISO ones with theirs: kept local
    write("ticket_dates_with_offsets.csv", "Id,Created at,Status,Subject,Description\n"
          "1,2026-10-01T09:00:00+08:00,Open,A,card declined twice at the till\n"
          "2,2026-10-02T23:30:00Z,Open,B,app crashes when I log in\n"
          "3,2026-10-03 10:00:00 +0800,Open,C,charged a fee I never agreed to\n")
    # a CRM's csv for Excel: ids written ="00123" so that Excel keeps their zeros
    write("excel_text_ids.csv", NPS_HEADER + '="00123",2026-10-01,North,9,fine\n="00124",2026-10-02,North,7,ok\n'
          '="00125",2026-10-03,South,10,great\n')
    # Qualtrics' three header rows, a matrix on 1-5 and a slider on 0-10 answered with decimals
    qualtrics_codes = ["StartDate", "EndDate", "Status", "Progress", "Finished", "RecordedDate", "ResponseId",
                       "Q1_1", "Q1_2", "Q1_3", "Q2", "Branch"]
    qualtrics_texts = ["Start Date", "End Date", "Response Type", "Progress", "Finished", "Recorded Date", "Response ID",
                       "How satisfied were you with each of the following? - Cleanliness",
                       "How satisfied were you with each of the following? - Friendliness",
                       "How satisfied were you with each of the following? - Speed",
                       "Move the slider: how would you rate our mobile app?", "Branch"]
    import_ids = ['"{""ImportId"":""%s""}"' % c for c in qualtrics_codes]
    write("qualtrics_slider_decimals.csv", ",".join(qualtrics_codes) + "\n" + ",".join(
        f'"{t}"' if "," in t else t for t in qualtrics_texts) + "\n" + ",".join(import_ids) + "\n" + "".join(
        f"2026-10-0{r} 09:00:00,2026-10-0{r} 09:04:00,0,100,1,2026-10-0{r} 09:04:00,R_{r:04d},{r % 5 + 1},"
        f"{(r + 1) % 5 + 1},{(r + 2) % 5 + 1},{[7.5, 8.2, 6, 9.5, 4.8][r - 1]},North\n" for r in range(1, 6)))
    # a sheet filtered in Excel before it was sent: the rows the filter hides are still in the file

    def filter_south(book):
        sheet = book["Data"]
        sheet.auto_filter.ref = "A1:E5"
        for row in (3, 4):
            sheet.row_dimensions[row].hidden = True

    write_xlsx("filtered_rows.xlsx", {"Data": NPS_SHEET}, filter_south)
    # Google Forms and Microsoft Forms exported from Chinese accounts: 时间戳记; ID, 开始时间, 完成时间 …
    write("google_forms_cn.csv", "时间戳记,您对本次服务的满意程度？,您向朋友推荐我们的可能性有多大？,您办理业务的网点,其他意见\n"
          "2026/10/1 上午9:05:07,4,9,浦东支行,很好\n2026/10/2 下午3:10:00,2,3,福田支行,排队太久\n"
          "2026/10/3 上午11:00:00,5,10,浦东支行,\n")
    write_xlsx("microsoft_forms_cn.xlsx", {"Sheet1": [
        ["ID", "开始时间", "完成时间", "电子邮件", "名称", "上次修改时间", "您对本次服务的满意程度如何？", "您向朋友推荐我们的可能性有多大？",
         "网点"]] + [[i, dt.datetime(2026, 10, i, 9, 0), dt.datetime(2026, 10, i, 9, 3), "anonymous", None, None,
                     [4, 2, 5][i - 1], [9, 3, 10][i - 1], "浦东支行"] for i in range(1, 4)]})
    # an Austrian export with German headers (no field knows them) and two-digit years with dots
    write("german_short_years.csv", "Kunden-Nr;Datum;Filiale;Bewertung;Kommentar\nK1;01.10.26;Wien;9;gut\n"
          "K2;02.10.26 14:30;Graz;7;ok\nK3;03.10.26;Wien;10;super\n", "cp1252")
    # pandas' to_csv of a column with a blank: ids and scores as floats, the blank score named
    write("pandas_floats.csv", "customer_id,date,branch,score,comment\n1001.0,2026-10-01,North,9.0,fine\n"
          "1002.0,2026-10-02,North,,\n1003.0,2026-10-03,South,7.0,ok\n")


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        for name, data in parts.items():
            book.writestr(zipfile.ZipInfo(name, STAMP), data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


if __name__ == "__main__":
    main()
