"""Writes the small sample files the loader tests read. Run once; the files are committed.

Each file is tiny and written out literally so a test's expected values can be checked by eye.
"""
from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).parent


def write_csv(name: str, text: str, encoding: str) -> None:
    (HERE / name).write_bytes(text.encode(encoding))


def write_xlsx(name: str, sheets: dict[str, list[list]]) -> None:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(HERE / name)


def main() -> None:
    write_csv("nps_gbk.csv",
              "客户编号,日期,推荐得分,触点,区域,网点,评论\n"
              "C001,2026-09-01,10,手机银行,East,Shanghai Pudong,服务很好，非常满意\n"
              "C002,2026/09/02,9,网点柜台,East,Shanghai Pudong,\n"
              "C003,2026-09-03,7,客服热线,South,Shenzhen Futian,还行\n"
              "C004,2026-09-04,6,网点柜台,South,Shenzhen Futian,排队时间太长，态度很差\n"
              "C005,2026年9月5日,0,手机银行,East,Hangzhou Xihu,The app keeps crashing. Terrible.\n",
              "gbk")
    write_csv("complaints_bom.csv",
              "Complaint ID,Customer ID,Received,Channel,Branch,Region,Cause,Severity,Status,Resolved,"
              "Escalated,Satisfaction after resolution,Description\n"
              "K1,C001,2026-09-01 09:00,Phone,Shanghai Pudong,East,Long waiting time,Medium,Resolved,"
              "2026-09-01 21:00,No,4,Waited an hour in the queue\n"
              "K2,C001,2026-09-10 10:00,Branch,Shanghai Pudong,East,Fees and charges,High,Resolved,"
              "2026-09-13 10:00,Yes,2,收费不透明\n"
              "K3,C002,2026-09-11 08:30,Online,Shenzhen Futian,South,,Low,Open,,no,,\"App crashed twice, call me on 13812345678\"\n",
              "utf-8-sig")
    write_csv("title_rows.csv",
              "October NPS export\n"
              "Generated 2026-11-01\n"
              "\n"
              "Customer ID,Date,Score,Touchpoint\n"
              "C1,2026-10-01,9,Web\n"
              "C2,2026-10-02,4,Web\n",
              "utf-8")
    write_csv("bad_encoding.csv", "", "utf-8")
    (HERE / "bad_encoding.csv").write_bytes(b"Customer,Date,Score\nC1,2026-01-01,9\n\x80\xff\xfe\x80,x,1\n")
    write_csv("nps_missing_date.csv", "Customer ID,Score\nC1,9\nC2,3\n", "utf-8")
    write_csv("nps_out_of_range.csv",
              "Customer ID,Date,Score\nC1,2026-10-01,9\nC2,2026-10-02,11\nC3,2026-10-03,-1\nC4,2026-10-04,8\n",
              "utf-8")
    write_csv("nps_bad_date.csv",
              "Customer ID,Date,Score\nC1,2026-10-01,9\nC2,31/10/2026,7\nC3,yesterday,8\n", "utf-8")
    # Headers no synonym knows: the kind and three columns have to be chosen on the upload page.
    write_csv("nps_needs_mapping.csv",
              "Member,Visited on,How likely (0-10),Why\n"
              "M1,2026-10-01,9,Quick and friendly service\n"
              "M2,2026-10-02,3,排队太久了\n"
              "M3,2026-10-03,10,\n",
              "utf-8")
    write_xlsx("empty_sheet.xlsx", {"Responses": []})
    write_xlsx("header_only.xlsx", {"Responses": [["Customer ID", "Date", "Score"]]})
    write_xlsx("survey_questions.xlsx", {
        "Responses": [
            ["Response ID", "Date", "Branch", "Overall satisfaction", "Q1", "Q2", "E_T1", "P_T1", "Comment"],
            ["R1", "2026-10-01", "Shanghai Pudong", 9, 5, 4, 6, 5, "Great service"],
            ["R2", "2026-10-02", "Shanghai Pudong", 6, 3, 0, 7, 4, None],
            ["R3", "2026-10-03", "Hangzhou Xihu", 8, 4, 5, None, None, "很满意"],
        ],
        "Questions": [
            ["Code", "Question", "Dimension", "Kind", "Scale min", "Scale max", "N/A code"],
            ["Q1", "Waiting time", "Responsiveness", "satisfaction", 1, 5, 0],
            ["Q2", "Staff courtesy", "移情性", "satisfaction", 1, 5, 0],
            ["E_T1", "Modern equipment", "tangibles", "expectation", 1, 7, None],
            ["P_T1", "Modern equipment", "tangibles", "perception", 1, 7, None],
        ],
    })
    write_xlsx("survey_bad_rating.xlsx", {
        "Responses": [
            ["Response ID", "Date", "Q1"],
            ["R1", "2026-10-01", 5],
            ["R2", "2026-10-02", 6],
        ],
        "Questions": [
            ["Code", "Question", "Kind", "Scale min", "Scale max"],
            ["Q1", "Waiting time", "satisfaction", 1, 5],
        ],
    })
    write_xlsx("survey_cn_headers.xlsx", {
        "问卷": [
            ["问卷编号", "日期", "网点", "总体满意度", "期望_设备", "感知_设备", "期望_效率", "感知_效率", "意见"],
            ["W1", "2026-10-08", "上海浦东", 4, 6, 5, 7, 4, "办理速度太慢"],
            ["W2", "2026-10-09", "上海浦东", 5, 5, 6, 6, 6, "环境不错"],
        ],
    })


if __name__ == "__main__":
    main()
