"""Writes the survey-platform exports and real-world complaint logs the loader tests import.

Every file is built here from the platform's documented layout with invented rows; nothing is
copied from anyone's data. Layouts (checked against the platforms' documentation and public
code that parses their exports):

- Qualtrics csv/xlsx: row 1 question codes (StartDate ... UserLanguage, Q2_1, Q4_NPS_GROUP ...),
  row 2 question texts ("<question> - <statement>" for a matrix row), row 3 {"ImportId": ...}.
- SurveyMonkey csv: row 1 question text, left blank over the further columns of a matrix; row 2
  "Response" / "Open-Ended Response" / the matrix's row statements; Respondent ID, Collector ID,
  Start Date, End Date (MM/DD/YYYY hh:mm:ss AM), IP Address, Email Address, First Name,
  Last Name, Custom Data 1.
- Google Forms csv: Timestamp ("2026/10/15 9:23:14 AM GMT+8"), Email Address, full question
  texts, grid rows as "Question [Row]".
- Microsoft Forms xlsx: ID, Start time, Completion time, Email, Name, Last modified time, then
  the questions' full texts.
- 问卷星 xlsx: 序号, 提交答卷时间, 所用时间 ("65秒"), 来源, 来源详情, 来自IP ("1.2.3.4(上海-上海)"),
  questions numbered "1、…", matrix rows "3、(环境整洁)", unanswered "(空)", skipped "(跳过)".
- 腾讯问卷 csv (GBK, a comma after the last cell of every line): 编号, 开始答题时间, 结束答题时间,
  答题时长, 地理位置国家和地区, 地理位置省, 地理位置市, 自定义字段, questions "1.…",
  matrix rows "2.…:环境整洁".
- A consumer-complaint-database csv (Date received, Product, Sub-product, Issue, Sub-issue,
  Consumer complaint narrative with quoted line breaks, ..., Complaint ID) and a Chinese
  complaint workbook (工单编号, 受理时间, 受理渠道, 投诉类型, 问题类型, 投诉内容, 诉求, 办结时间 ...).

Run it to rewrite the files; every run writes the same cells (the xlsx files differ only in their saved-at time).
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sys
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).parent
FIXED = dt.datetime(2026, 11, 1, 9, 0, 0)

BRANCHES = ["Shanghai Pudong", "Hangzhou Xihu", "Shenzhen Futian"]
BRANCHES_ZH = ["上海浦东支行", "杭州西湖支行", "深圳福田支行"]
REGIONS = {"Shanghai Pudong": "East", "Hangzhou Xihu": "East", "Shenzhen Futian": "South"}
ITEMS = ["The branch was clean and tidy", "Staff were friendly", "You were served quickly",
         "Staff explained things clearly", "The opening hours suit you"]
ITEMS_SHORT = ["Clean and tidy branch", "Friendly staff", "Quick service", "Clear explanations",
               "Convenient opening hours"]
ITEMS_ZH = ["环境整洁", "员工态度", "办理速度", "解释清楚", "营业时间"]
COMMENTS = ["Quick and friendly, thank you.", "", "The queue was far too long.",
            "Staff could not answer my question about fees.", "", "Great service as always.",
            "", "Please open on Sundays.", "The app and the branch told me different things.",
            "", "", "Clean branch, helpful staff."]
COMMENTS_ZH = ["服务很好，非常满意", "", "排队时间太长了", "柜员解释不清楚收费标准", "", "环境干净，态度热情",
               "", "希望周末也能营业", "手机银行和网点说法不一致", "", "", "办理很快"]

# Twelve respondents; ratings[i] are the five items on 1-5 (None: not answered), overall 1-5, NPS 0-10.
RATINGS = [
    [5, 5, 4, 5, 4], [4, 4, 4, 3, 4], [2, 3, 1, 2, 3], [3, 2, 3, 1, 3],
    [4, 5, 4, 4, 5], [5, 5, 5, 5, 5], [3, 3, 3, 3, 3], [4, 4, 3, 4, 2],
    [2, 2, 2, 3, 3], [4, None, 4, 4, 4], [5, 4, 5, 4, None], [4, 5, 5, 5, 4],
]
OVERALL = [5, 4, 2, 2, 4, 5, 3, 4, 2, 4, 5, 5]
NPS = [10, 8, 3, 5, 9, 10, 7, 8, 4, 9, 10, 9]
BRANCH_OF = [0, 0, 1, 1, 2, 2, 0, 1, 2, 0, 1, 2]
MINUTE = [5, 17, 33, 48, 2, 21, 40, 55, 10, 30, 45, 58]


def when(i: int) -> dt.datetime:
    """Respondent i answered on a day of October 2026 (days 1, 3, 5, ...), at a set minute."""
    return dt.datetime(2026, 10, 1 + 2 * i, 9 + i % 8, MINUTE[i], 7 + i)


def nps_group(score: int) -> int:
    """Qualtrics' NPS group codes in a numeric export: 1 detractor, 2 passive, 3 promoter."""
    return 1 if score <= 6 else 2 if score <= 8 else 3


def blank(value):
    return "" if value is None else value


def write_csv(name: str, rows: list[list], encoding: str = "utf-8", delimiter: str = ",",
              trailing_comma: bool = False, lineterminator: str = "\r\n") -> None:
    if trailing_comma:
        text = _with_trailing_separator(rows, delimiter)
    else:
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=delimiter, lineterminator=lineterminator)
        for row in rows:
            writer.writerow([blank(v) for v in row])
        text = buffer.getvalue()
    (HERE / name).write_bytes(text.encode(encoding))


def _with_trailing_separator(rows: list[list], delimiter: str) -> str:
    """腾讯问卷 quotes every cell and ends every record with a separator (one more, blank column)."""
    out = []
    for row in rows:
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=delimiter, lineterminator="",
                   quoting=csv.QUOTE_ALL).writerow([blank(v) for v in row])
        out.append(buffer.getvalue() + delimiter)
    return "\r\n".join(out) + "\r\n"


def write_xlsx(name: str, sheets: dict[str, list[list]]) -> None:
    book = Workbook()
    book.remove(book.active)
    book.properties.created = FIXED
    book.properties.modified = FIXED
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    book.save(HERE / name)


# --- survey platforms ------------------------------------------------------------------------

QUALTRICS_META = [
    ("StartDate", "Start Date", '{"ImportId":"startDate","timeZone":"Asia/Shanghai"}'),
    ("EndDate", "End Date", '{"ImportId":"endDate","timeZone":"Asia/Shanghai"}'),
    ("Status", "Response Type", '{"ImportId":"status"}'),
    ("IPAddress", "IP Address", '{"ImportId":"ipAddress"}'),
    ("Progress", "Progress", '{"ImportId":"progress"}'),
    ("Duration (in seconds)", "Duration (in seconds)", '{"ImportId":"duration"}'),
    ("Finished", "Finished", '{"ImportId":"finished"}'),
    ("RecordedDate", "Recorded Date", '{"ImportId":"recordedDate","timeZone":"Asia/Shanghai"}'),
    ("ResponseId", "Response ID", '{"ImportId":"_recordId"}'),
    ("RecipientLastName", "Recipient Last Name", '{"ImportId":"recipientLastName"}'),
    ("RecipientFirstName", "Recipient First Name", '{"ImportId":"recipientFirstName"}'),
    ("RecipientEmail", "Recipient Email", '{"ImportId":"recipientEmail"}'),
    ("ExternalReference", "External Data Reference", '{"ImportId":"externalDataReference"}'),
    ("LocationLatitude", "Location Latitude", '{"ImportId":"locationLatitude"}'),
    ("LocationLongitude", "Location Longitude", '{"ImportId":"locationLongitude"}'),
    ("DistributionChannel", "Distribution Channel", '{"ImportId":"distributionChannel"}'),
    ("UserLanguage", "User Language", '{"ImportId":"userLanguage"}'),
]
MATRIX_Q = "How satisfied were you with each of the following?"


def qualtrics_rows(codes_prefix: str = "Q2", month: int = 10, extra_item: str | None = None) -> list[list]:
    codes = [c for c, _, _ in QUALTRICS_META]
    texts = [t for _, t, _ in QUALTRICS_META]
    ids = [i for _, _, i in QUALTRICS_META]
    items = ITEMS + ([extra_item] if extra_item else [])
    for k, item in enumerate(items, start=1):
        codes.append(f"{codes_prefix}_{k}")
        texts.append(f"{MATRIX_Q} - {item}")
        ids.append(json.dumps({"ImportId": f"QID2_{k}"}, separators=(",", ":")))
    codes += ["Q3", "Q4", "Q4_NPS_GROUP", "Q5", "Branch", "Region"]
    texts += ["Overall, how satisfied are you with our bank?",
              "How likely are you to recommend our bank to a friend or colleague?",
              "How likely are you to recommend our bank to a friend or colleague? - Group",
              "What could we do better?", "Branch", "Region"]
    ids += ['{"ImportId":"QID3"}', '{"ImportId":"QID4"}', '{"ImportId":"QID4_NPS_GROUP"}',
            '{"ImportId":"QID5_TEXT"}', '{"ImportId":"Branch"}', '{"ImportId":"Region"}']
    rows = [codes, texts, ids]
    for i in range(12):
        end = when(i).replace(month=month)
        start = end - dt.timedelta(seconds=95 + 7 * i)
        finished = i != 9   # respondent 10 stopped after the matrix's third row
        branch = BRANCHES[BRANCH_OF[i]]
        row = [start.strftime("%Y-%m-%d %H:%M:%S"), end.strftime("%Y-%m-%d %H:%M:%S"), 0,
               f"203.0.113.{10 + i}", 100 if finished else 60, 95 + 7 * i, 1 if finished else 0,
               end.strftime("%Y-%m-%d %H:%M:%S"), f"R_{'3kQ9x' if i % 2 else '1aZp7'}{i:02d}Lm{i * 7 % 10}Tb",
               None, None, None, None, f"31.2{i}", f"121.4{i}", "anonymous", "EN"]
        row += RATINGS[i] + ([RATINGS[i][0]] if extra_item else []) + [
            OVERALL[i], NPS[i], nps_group(NPS[i]), COMMENTS[i] or None, branch, REGIONS[branch]]
        rows.append(row)
    return rows


def write_qualtrics() -> None:
    rows = qualtrics_rows()
    write_csv("qualtrics.csv", rows, "utf-8-sig")
    write_xlsx("qualtrics.xlsx", {"Sheet0": rows})
    # Next month the survey was rebuilt: the same questions under new codes (Q7_1 ...), then one
    # more matrix row besides.
    write_csv("qualtrics_next_month.csv", qualtrics_rows("Q7", month=11), "utf-8-sig")
    write_csv("qualtrics_new_item.csv", qualtrics_rows("Q7", month=11, extra_item="Parking was easy to find"),
              "utf-8-sig")


def write_surveymonkey() -> None:
    first = ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address", "Email Address",
             "First Name", "Last Name", "Custom Data 1", "Which branch did you visit?",
             "Please rate the branch on each of the following.", None, None, None, None,
             "Overall, how satisfied are you with our bank?",
             "How likely is it that you would recommend our bank to a friend or colleague?",
             "Is there anything else you would like to tell us?"]
    second = [None] * 9 + ["Response"] + ITEMS_SHORT + ["Response", "Response", "Open-Ended Response"]
    rows = [first, second]
    for i in range(12):
        end = when(i)
        start = end - dt.timedelta(seconds=80 + 11 * i)
        rows.append([11432876500 + 37 * i, 431256789, start.strftime("%m/%d/%Y %I:%M:%S %p"),
                     end.strftime("%m/%d/%Y %I:%M:%S %p"), f"198.51.100.{20 + i}", None, None, None,
                     None, BRANCHES[BRANCH_OF[i]], *RATINGS[i], OVERALL[i], NPS[i], COMMENTS[i] or None])
    write_csv("surveymonkey.csv", rows, "utf-8")


def write_google_forms() -> None:
    header = ["Timestamp", "Email Address", "Which branch did you visit?"]
    header += [f"How satisfied were you with each of the following? [{item}]" for item in ITEMS_SHORT]
    header += ["Overall, how satisfied are you with our bank?",
               "How likely is it that you would recommend us to a friend or colleague?",
               "What could we do better?"]
    rows = [header]
    for i in range(12):
        t = when(i)
        stamp = f"{t:%Y/%m/%d} {t.hour % 12 or 12}:{t:%M:%S} {'AM' if t.hour < 12 else 'PM'} GMT+8"
        rows.append([stamp, f"customer{i + 1}@example.com", BRANCHES[BRANCH_OF[i]], *RATINGS[i],
                     OVERALL[i], NPS[i], COMMENTS[i] or None])
    write_csv("google_forms.csv", rows, "utf-8")


def write_microsoft_forms() -> None:
    header = ["ID", "Start time", "Completion time", "Email", "Name", "Last modified time",
              "Which branch did you visit?"]
    header += [f"Please rate: {item.lower()}" for item in ITEMS_SHORT]
    header += ["Overall, how satisfied are you with our bank?",
               "How likely are you to recommend us to a friend or colleague?", "Any other comments?"]
    rows = [header]
    for i in range(12):
        end = when(i)
        rows.append([i + 1, end - dt.timedelta(seconds=120 + 5 * i), end, "anonymous", None, None,
                     BRANCHES[BRANCH_OF[i]], *RATINGS[i], OVERALL[i], NPS[i], COMMENTS[i] or None])
    write_xlsx("microsoft_forms.xlsx", {"Sheet1": rows})


WJX_SOURCES = [("微信", "N/A"), ("手机提交", "直接访问"), ("链接", "直接访问")]
WJX_CITIES = ["上海-上海", "浙江-杭州", "广东-深圳"]


def write_wjx() -> None:
    header = ["序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自IP", "1、您本次办理业务的网点是？"]
    header += [f"2、({item})" for item in ITEMS_ZH]
    header += ["3、您对我行服务的总体满意度？", "4、您有多大可能向朋友或同事推荐我行？", "5、您对我们还有什么意见或建议？"]
    rows = [header]
    for i in range(12):
        t = when(i)
        source, detail = WJX_SOURCES[i % 3]
        ratings = ["(跳过)" if r is None else r for r in RATINGS[i]]
        rows.append([i + 1, f"{t.year}/{t.month}/{t.day} {t.hour}:{t:%M:%S}", f"{60 + 9 * i}秒", source,
                     detail, f"101.86.{i}.{40 + i}({WJX_CITIES[BRANCH_OF[i]]})", BRANCHES_ZH[BRANCH_OF[i]],
                     *ratings, OVERALL[i], NPS[i], COMMENTS_ZH[i] or "(空)"])
    write_xlsx("wjx.xlsx", {"Sheet1": rows})


def write_tencent() -> None:
    header = ["编号", "开始答题时间", "结束答题时间", "答题时长", "地理位置国家和地区", "地理位置省", "地理位置市", "自定义字段",
              "1.您本次办理业务的网点是？"]
    header += [f"2.请您对以下方面打分:{item}" for item in ITEMS_ZH]
    header += ["3.您对我行服务的总体满意度？", "4.您向朋友推荐我行的可能性有多大？", "5.您还有什么意见或建议？"]
    rows = [header]
    provinces = [("上海", "上海"), ("浙江", "杭州"), ("广东", "深圳")]
    for i in range(12):
        end = when(i)
        start = end - dt.timedelta(seconds=70 + 6 * i)
        province, city = provinces[BRANCH_OF[i]]
        rows.append([i + 1, start.strftime("%Y-%m-%d %H:%M:%S"), end.strftime("%Y-%m-%d %H:%M:%S"),
                     70 + 6 * i, "中国", province, city, None, BRANCHES_ZH[BRANCH_OF[i]], *RATINGS[i],
                     OVERALL[i], NPS[i], COMMENTS_ZH[i] or None])
    write_csv("tencent.csv", rows, "gbk", trailing_comma=True)


# --- answers exported as words, and choices exported as numbers --------------------------------

SATISFIED = {1: "Very dissatisfied", 2: "Dissatisfied", 3: "Neither satisfied nor dissatisfied", 4: "Satisfied",
             5: "Very satisfied"}
QUALTRICS_AGREE = {1: "Strongly disagree", 2: "Somewhat disagree", 3: "Neither agree nor disagree",
                   4: "Somewhat agree", 5: "Strongly agree"}
QUALTRICS_SATISFIED = {1: "Extremely dissatisfied", 2: "Somewhat dissatisfied",
                       3: "Neither satisfied nor dissatisfied", 4: "Somewhat satisfied", 5: "Extremely satisfied"}
QUALITY_4 = {1: "Poor", 2: "Fair", 3: "Good", 4: "Excellent"}
SATISFIED_ZH = {1: "非常不满意", 2: "不太满意", 3: "一般", 4: "比较满意", 5: "非常满意"}
GOOD_ZH = {1: "很差", 2: "差", 3: "一般", 4: "好", 5: "很好"}
# The Qualtrics file's own recommend scores: the generator's NPS with respondent 4's 5 as a 0, so
# that "0 - Not at all likely" appears; still 6 promoters and 3 detractors of 12 -> NPS 25.
NPS_WITH_ZERO = [10, 8, 3, 0, 9, 10, 7, 8, 4, 9, 10, 9]


def likely_words(score: int) -> str:
    """Qualtrics' choice text of an NPS question: the end points carry their labels."""
    return {0: "0 - Not at all likely", 10: "10 - Extremely likely"}.get(score, str(score))


def write_microsoft_forms_words() -> None:
    """A Likert question: one column per statement, the answers as the words chosen; unanswered
    statements answered "N/A" (an option of the question)."""
    header = ["ID", "Start time", "Completion time", "Email", "Name", "Last modified time",
              "Which branch did you visit?", *ITEMS_SHORT,
              "Overall, how satisfied are you with our bank?",
              "How likely are you to recommend us to a friend or colleague?", "Any other comments?"]
    rows = [header]
    for i in range(12):
        end = when(i)
        rows.append([i + 1, end - dt.timedelta(seconds=120 + 5 * i), end, "anonymous", None, None,
                     BRANCHES[BRANCH_OF[i]], *["N/A" if r is None else SATISFIED[r] for r in RATINGS[i]],
                     SATISFIED[OVERALL[i]], NPS[i], COMMENTS[i] or None])
    write_xlsx("microsoft_forms_words.xlsx", {"Sheet1": rows})


def write_google_forms_words() -> None:
    """A multiple-choice grid rated Poor / Fair / Good / Excellent (a 5 is an Excellent), the overall
    question as a multiple choice, the recommend question as a linear scale (numbers)."""
    header = ["Timestamp", "Email Address", "Which branch did you visit?"]
    header += [f"How would you rate the following? [{item}]" for item in ITEMS_SHORT]
    header += ["Overall, how satisfied are you with our bank?",
               "How likely is it that you would recommend us to a friend or colleague?",
               "What could we do better?"]
    rows = [header]
    for i in range(12):
        t = when(i)
        stamp = f"{t:%Y/%m/%d} {t.hour % 12 or 12}:{t:%M:%S} {'AM' if t.hour < 12 else 'PM'} GMT+8"
        grid = [None if r is None else QUALITY_4[min(r, 4)] for r in RATINGS[i]]
        rows.append([stamp, f"customer{i + 1}@example.com", BRANCHES[BRANCH_OF[i]], *grid,
                     SATISFIED[OVERALL[i]], NPS[i], COMMENTS[i] or None])
    write_csv("google_forms_words.csv", rows, "utf-8")
    # The same form with a grid of the form owner's own words: So-so and Bad are on no known scale.
    own = {1: "Bad", 2: "So-so", 3: "Good", 4: "Excellent"}
    rows = [header]
    for i in range(12):
        t = when(i)
        stamp = f"{t:%Y/%m/%d} {t.hour % 12 or 12}:{t:%M:%S} {'AM' if t.hour < 12 else 'PM'} GMT+8"
        grid = [None if r is None else own[min(r, 4)] for r in RATINGS[i]]
        rows.append([stamp, f"customer{i + 1}@example.com", BRANCHES[BRANCH_OF[i]], *grid,
                     SATISFIED[OVERALL[i]], NPS[i], COMMENTS[i] or None])
    write_csv("google_forms_own_words.csv", rows, "utf-8")


def write_qualtrics_choice_text() -> None:
    """Qualtrics' "Export with choice text": the matrix answered Strongly disagree ... Strongly agree,
    the overall question Extremely dissatisfied ... Extremely satisfied, the NPS question with its
    end points labelled, its group as words, a gender question as words."""
    codes = [c for c, _, _ in QUALTRICS_META]
    texts = [t for _, t, _ in QUALTRICS_META]
    ids = [i for _, _, i in QUALTRICS_META]
    codes.append("Q1")
    texts.append("What is your gender?")
    ids.append('{"ImportId":"QID1"}')
    for k, item in enumerate(ITEMS, start=1):
        codes.append(f"Q2_{k}")
        texts.append(f"How much do you agree with each of the following? - {item}")
        ids.append(json.dumps({"ImportId": f"QID2_{k}"}, separators=(",", ":")))
    codes += ["Q3", "Q4", "Q4_NPS_GROUP", "Q5"]
    texts += ["Overall, how satisfied are you with our bank?",
              "How likely are you to recommend our bank to a friend or colleague?",
              "How likely are you to recommend our bank to a friend or colleague? - Group",
              "What could we do better?"]
    ids += ['{"ImportId":"QID3"}', '{"ImportId":"QID4"}', '{"ImportId":"QID4_NPS_GROUP"}',
            '{"ImportId":"QID5_TEXT"}']
    rows = [codes, texts, ids]
    genders = ["Female", "Male", "Prefer not to say"]
    for i in range(12):
        end = when(i)
        start = end - dt.timedelta(seconds=95 + 7 * i)
        score = NPS_WITH_ZERO[i]
        group = "Detractor" if score <= 6 else "Passive" if score <= 8 else "Promoter"
        row = [start.strftime("%Y-%m-%d %H:%M:%S"), end.strftime("%Y-%m-%d %H:%M:%S"), "IP Address",
               f"203.0.113.{10 + i}", 100, 95 + 7 * i, "True", end.strftime("%Y-%m-%d %H:%M:%S"),
               f"R_{'7bN2c' if i % 2 else '4hW8e'}{i:02d}Qx{i * 3 % 10}Za", None, None, None, None,
               f"31.2{i}", f"121.4{i}", "anonymous", "EN", genders[i % 3]]
        row += [None if r is None else QUALTRICS_AGREE[r] for r in RATINGS[i]]
        row += [QUALTRICS_SATISFIED[OVERALL[i]], likely_words(score), group, COMMENTS[i] or None]
        rows.append(row)
    write_csv("qualtrics_choice_text.csv", rows, "utf-8-sig")


def write_qualtrics_numeric_choices() -> None:
    """Qualtrics' "Export with numeric values": the multiple-choice questions' answers are their
    recode values. Gender (1-3), visits this month (how many: 1-4) and the channel used (which: 1-3)
    are choices; the matrix and the overall question are ratings; "Q9" (staff knowledge, 1-4) says
    neither by its words and is asked about."""
    rows = qualtrics_rows()
    rows[0] += ["Q1", "Q6", "Q8", "Q9"]
    rows[1] += ["What is your gender?", "How many times did you visit a branch this month?",
                "Which channel do you use most?", "Staff knowledge of our products"]
    rows[2] += ['{"ImportId":"QID1"}', '{"ImportId":"QID6"}', '{"ImportId":"QID8"}', '{"ImportId":"QID9"}']
    for i, row in enumerate(rows[3:]):
        row += [1 + i % 3, 1 + (i * 5) % 4, 1 + (i * 7) % 3, 1 + (i * 3) % 4]
    write_csv("qualtrics_numeric_choices.csv", rows, "utf-8-sig")


def write_wjx_text() -> None:
    """问卷星 "按选项文本": gender 男/女, the matrix 非常不满意 ... 非常满意 (skipped rows "(跳过)"), the overall
    question in words, the branch's surroundings rated 很差 ... 很好 (one 不适用), NPS as numbers."""
    header = ["序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自IP", "1、您的性别", "2、您本次办理业务的网点是？"]
    header += [f"3、({item})" for item in ITEMS_ZH]
    header += ["4、您对我行服务的总体满意度？", "5、您对网点周边停车的评价", "6、您有多大可能向朋友或同事推荐我行？",
               "7、您对我们还有什么意见或建议？"]
    rows = [header]
    for i in range(12):
        t = when(i)
        source, detail = WJX_SOURCES[i % 3]
        matrix = ["(跳过)" if r is None else SATISFIED_ZH[r] for r in RATINGS[i]]
        parking = "不适用" if i == 6 else GOOD_ZH[RATINGS[i][0]]
        rows.append([i + 1, f"{t.year}/{t.month}/{t.day} {t.hour}:{t:%M:%S}", f"{60 + 9 * i}秒", source,
                     detail, f"101.86.{i}.{40 + i}({WJX_CITIES[BRANCH_OF[i]]})", "女" if i % 2 else "男",
                     BRANCHES_ZH[BRANCH_OF[i]], *matrix, SATISFIED_ZH[OVERALL[i]], parking, NPS[i],
                     COMMENTS_ZH[i] or "(空)"])
    write_xlsx("wjx_text.xlsx", {"Sheet1": rows})


def write_wjx_codes() -> None:
    """问卷星 "按选项序号": every choice question's answer is the position of the choice picked. Gender,
    city and service type are choices (1 男 2 女; 1 上海 2 杭州 3 深圳; 1-4 a service); the matrix and the
    overall question are ratings; "柜员的业务熟练度" (1-4) says neither by its words; the branch question
    (asked last, numbered 9 in this questionnaire) gives 1-3, not the branch's name."""
    header = ["序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自IP", "1、您的性别", "2、您来自哪个城市",
              "3、您使用的服务类型", "9、您本次办理业务的网点是？"]
    header += [f"4、({item})" for item in ITEMS_ZH]
    header += ["5、您对我行服务的总体满意度？", "6、您有多大可能向朋友或同事推荐我行？", "7、柜员的业务熟练度",
               "8、您对我们还有什么意见或建议？"]
    rows = [header]
    for i in range(12):
        t = when(i)
        source, detail = WJX_SOURCES[i % 3]
        matrix = ["(跳过)" if r is None else r for r in RATINGS[i]]
        rows.append([i + 1, f"{t.year}/{t.month}/{t.day} {t.hour}:{t:%M:%S}", f"{60 + 9 * i}秒", source,
                     detail, f"101.86.{i}.{40 + i}({WJX_CITIES[BRANCH_OF[i]]})", 1 + i % 2, 1 + BRANCH_OF[i],
                     1 + i % 4, 1 + BRANCH_OF[i], *matrix, OVERALL[i], NPS[i], 1 + (i * 3) % 4,
                     COMMENTS_ZH[i] or "(空)"])
    write_xlsx("wjx_codes.xlsx", {"Sheet1": rows})


# --- surveys the issue met -----------------------------------------------------------------

AIRLINE_RATINGS = ["Inflight wifi service", "Departure/Arrival time convenient", "Ease of Online booking",
                   "Gate location", "Food and drink", "Online boarding", "Seat comfort",
                   "Inflight entertainment", "On-board service", "Leg room service", "Baggage handling",
                   "Checkin service", "Inflight service", "Cleanliness"]


def write_airline_like() -> None:
    """A passenger survey in the public benchmark's layout (invented rows), with a date column."""
    header = ["id", "Date", "Gender", "Customer Type", "Age", "Type of Travel", "Class", "Flight Distance",
              *AIRLINE_RATINGS, "Departure Delay in Minutes", "Arrival Delay in Minutes", "satisfaction"]
    rows = [header]
    travel = ["Business travel", "Personal Travel"]
    classes = ["Business", "Eco", "Eco Plus"]
    for i in range(20):
        ratings = [(i * 3 + k * 5) % 6 for k in range(14)]   # 0-5, 0 = not applicable
        happy = sum(ratings) >= 40
        rows.append([70000 + 13 * i, f"2026-10-{1 + i:02d}", "Female" if i % 2 else "Male",
                     "Loyal Customer" if i % 5 else "disloyal Customer", 20 + 2 * i, travel[i % 2],
                     classes[i % 3], 300 + 97 * i, *ratings, (i * 7) % 30, float((i * 7) % 30 + i % 3),
                     "satisfied" if happy else "neutral or dissatisfied"])
    write_csv("airline_like.csv", rows, "utf-8", lineterminator="\n")


def write_id_date_questions() -> None:
    """Headers ID, Date, Q1..Q6: a survey by its content, never a complaint log by its 'ID'."""
    rows = [["ID", "Date", "Q1", "Q2", "Q3", "Q4", "Q5", "Q6"]]
    for i in range(10):
        rows.append([i + 1, f"2026-10-{1 + i:02d}", *[(i + k) % 5 + 1 for k in range(6)]])
    write_csv("id_date_questions.csv", rows, "utf-8")


def write_complaints_with_scores() -> None:
    """A complaint log whose follow-up call asked three 1-5 questions: complaints or survey? It asks."""
    rows = [["Ticket", "Opened", "Description", "Q1", "Q2", "Q3"]]
    texts = ["Waited an hour at the counter", "Card blocked abroad without warning", "Rude staff member",
             "App crashed during a transfer", "Fee charged twice", "Nobody called back"]
    for i, text in enumerate(texts):
        rows.append([f"T{i + 1}", f"2026-10-{2 + i:02d}", text, 1 + i % 5, 2 + i % 4, 3 + i % 3])
    write_csv("complaints_with_scores.csv", rows, "utf-8")


def write_survey_without_dates() -> None:
    rows = [["Customer", "Branch", "Cleanliness", "Friendliness", "Speed", "Comment"]]
    for i in range(8):
        rows.append([f"C{100 + i}", BRANCHES[i % 3], RATINGS[i][0], RATINGS[i][1], RATINGS[i][2],
                     COMMENTS[i] or None])
    write_csv("survey_no_dates.csv", rows, "utf-8")


def write_servqual_questions_sheet() -> None:
    """A workbook whose questions sheet is headed Item | Question | Dimension | Kind | Scale min | Scale max."""
    items = [("S01", "Modern-looking equipment", "Tangibles"), ("S02", "Keeps promises", "Reliability"),
             ("S03", "Prompt service", "Responsiveness"), ("S04", "Staff inspire confidence", "Assurance"),
             ("S05", "Individual attention", "Empathy")]
    questions = [["Item", "Question", "Dimension", "Kind", "Scale min", "Scale max"]]
    for code, text, dimension in items:
        questions.append([f"E_{code}", text, dimension, "Expectation", 1, 7])
        questions.append([f"P_{code}", text, dimension, "Perception", 1, 7])
    header = ["Respondent", "Date"] + [f"{p}_{code}" for code, _, _ in items for p in ("E", "P")]
    responses = [header]
    for i in range(6):
        scores = []
        for k in range(5):
            scores += [6 + (i + k) % 2, 4 + (i * k) % 3]
        responses.append([f"R{i + 1}", dt.datetime(2026, 10, 3 + i), *scores])
    write_xlsx("servqual_item_sheet.xlsx", {"Responses": responses, "Items": questions})


# --- complaint logs --------------------------------------------------------------------------

CFPB_HEADER = ["Date received", "Product", "Sub-product", "Issue", "Sub-issue", "Consumer complaint narrative",
               "Company public response", "Company", "State", "ZIP code", "Tags", "Consumer consent provided?",
               "Submitted via", "Date sent to company", "Company response to consumer", "Timely response?",
               "Consumer disputed?", "Complaint ID"]
CFPB_ROWS = [
    ("2026-10-02", "Checking or savings account", "Checking account", "Managing an account",
     "Deposits and withdrawals",
     "I deposited a check on XX/XX/2026 and the funds were never made available.\n\nI called twice and was told to wait.",
     "CA", "900XX", "Web", "Closed with explanation"),
    ("2026-10-03", "Credit card or prepaid card", "General-purpose credit card or charge card",
     "Problem with a purchase shown on your statement", "Credit card company isn't resolving a dispute",
     "", "TX", "75001", "Phone", "Closed with monetary relief"),
    ("2026-10-05", "Debt collection", "I do not know", "Attempts to collect debt not owed", "Debt is not yours",
     "A collector keeps calling about a debt that is not mine.\nI sent a letter; \"they ignored it\".",
     "FL", "335XX", "Web", "In progress"),
    ("2026-10-08", "Mortgage", "Conventional home mortgage", "Trouble during payment process", "",
     "My payment was applied late even though I paid on time.", "NY", "10001", "Referral",
     "Closed with explanation"),
    ("2026-10-09", "Checking or savings account", "Savings account", "Managing an account",
     "Banking errors", "", "GA", "30301", "Web", "Closed with non-monetary relief"),
    ("2026-10-12", "Credit card or prepaid card", "Store credit card", "Fees or interest",
     "Problem with fees", "I was charged a late fee although autopay was set up.\r\nPlease refund it.",
     "WA", "98101", "Web", "Closed with monetary relief"),
    ("2026-10-15", "Debt collection", "Medical debt", "Written notification about debt",
     "Didn't receive enough information to verify debt", "", "OH", "43215", "Postal mail",
     "Closed with explanation"),
    ("2026-10-20", "Checking or savings account", "Checking account", "Closing an account",
     "Funds not received from closed account",
     "They closed my account and I have not received the remaining balance after six weeks.",
     "IL", "606XX", "Web", "In progress"),
]


def write_cfpb_like() -> None:
    rows = [CFPB_HEADER]
    for k, (received, product, sub, issue, sub_issue, narrative, state, zip_code, via, response) in \
            enumerate(CFPB_ROWS):
        sent = (dt.date.fromisoformat(received) + dt.timedelta(days=k % 2)).isoformat()
        rows.append([received, product, sub, issue, sub_issue, narrative or None,
                     "Company has responded to the consumer and the CFPB and chooses not to provide a public response"
                     if k % 3 else None, "EXAMPLE BANK, N.A.", state, zip_code, "Older American" if k == 4 else None,
                     "Consent provided" if narrative else "Consent not provided", via, sent, response,
                     "Yes", "N/A", 9100000 + 17 * k])
    write_csv("consumer_complaints.csv", rows, "utf-8", lineterminator="\n")


ZH_COMPLAINTS = [
    ("GD20261001", "2026-10-01 09:12", "电话", "C0001", "上海浦东支行", "服务态度", "柜员态度", "柜员态度冷淡，问了三次都不耐烦", "道歉", "已办结", "2026-10-01 17:30", 4),
    ("GD20261002", "2026-10-02 10:40", "网点", "C0002", "杭州西湖支行", "等候时间", "排队", "排队等了一个多小时，只开了两个窗口", "增加窗口", "已办结", "2026-10-03 11:00", 3),
    ("GD20261003", "2026-10-03 14:05", "手机银行", "C0003", "深圳福田支行", "系统故障", "APP闪退", "手机银行转账时闪退，钱扣了没到账", "退款", "处理中", None, None),
    ("GD20261004", "2026-10-05 08:55", "电话", "C0001", "上海浦东支行", "收费问题", "年费", "信用卡年费没有提前告知", "退还年费", "已办结", "2026-10-06 09:00", 2),
    ("GD20261005", "2026-10-07 16:20", "网点", "C0004", "深圳福田支行", "等候时间", "排队", "周末排队太久，叫号系统出错", None, "已办结", "2026-10-07 18:00", 4),
    ("GD20261006", "2026-10-09 11:11", "在线客服", "C0005", "杭州西湖支行", "系统故障", "短信验证码", "收不到短信验证码，无法登录", "尽快修复", "未处理", None, None),
]


def write_chinese_complaints() -> None:
    header = ["工单编号", "受理时间", "受理渠道", "客户编号", "所属网点", "投诉类型", "问题类型", "投诉内容", "诉求", "处理状态",
              "办结时间", "回访满意度"]
    write_xlsx("complaints_zh.xlsx", {"投诉台账": [header, *[list(r) for r in ZH_COMPLAINTS]]})


def write_complaints_without_causes() -> None:
    rows = [["编号", "日期", "网点", "投诉内容"]]
    texts = ["排队时间太长，等了一个小时", "排队太久，窗口太少", "等候时间长，叫号慢", "手机银行闪退，无法转账",
             "手机银行登录失败，一直闪退", "APP转账闪退", "柜员态度很差，不耐烦", "工作人员态度冷淡", "年费乱收费，没有告知",
             "收费不透明，扣了手续费"]
    for i, text in enumerate(texts):
        rows.append([f"T{i + 1:03d}", f"2026-10-{1 + i:02d}", BRANCHES_ZH[i % 3], text])
    write_csv("complaints_no_cause_zh.csv", rows, "utf-8-sig")
    english = [["Ticket", "Opened", "Description"]]
    texts_en = ["Waited in the queue for an hour", "The queue was very long and slow", "Long wait at the counter",
                "The mobile app crashes when I log in", "App crashed during a transfer", "The app keeps crashing",
                "Rude staff at the counter", "The staff member was rude and impatient",
                "Unexpected annual fee on my card", "Hidden fees on my account"]
    for i, text in enumerate(texts_en):
        english.append([f"T{i + 1:03d}", f"2026-10-{1 + i:02d}", text])
    write_csv("complaints_no_cause_en.csv", english, "utf-8")


# --- files that are broken or unusual --------------------------------------------------------

def write_broken_and_unusual() -> None:
    (HERE / "truncated.csv").write_bytes(
        b"Complaint ID,Received,Cause,Description\r\n"
        b"K1,2026-10-01,Fees,\"Charged twice\"\r\n"
        b"K2,2026-10-02,Queue,\"Waited an hour,\r\nthen left\"\r\n"
        b"K3,2026-10-03,App,\"The download stopped in the mid")
    (HERE / "too_many_fields.csv").write_bytes(
        b"Customer ID,Date,Score,Comment\n"
        b"C1,2026-10-01,9,Fine\n"
        b"C2,2026-10-02,4,Slow\n"
        b"C3,2026-10-03,7,ok,but,this,row,has,extra,cells\n"
        b"C4,2026-10-04,10,Great\n")
    text = "Customer ID\tDate\tScore\tComment\r\n" + "".join(
        f"C{i}\t2026-10-{i:02d}\t{(i * 3) % 11}\t{'很好' if i % 2 else 'Slow, but fine'}\r\n" for i in range(1, 7))
    (HERE / "nps_utf16.txt").write_bytes(text.encode("utf-16"))
    # Two title rows, a blank row, then a two-row header: groups above, columns below.
    rows = [["October branch survey"], ["Exported 2026-11-01 from the branch survey tool"], [],
            ["", "", "Service", None, None, "Overall"],
            ["Respondent", "Date", "Cleanliness", "Friendliness", "Speed", "Satisfaction"]]
    for i in range(6):
        rows.append([f"R{i + 1}", dt.datetime(2026, 10, 10 + i), *RATINGS[i][:3], OVERALL[i]])
    write_xlsx("title_two_header_rows.xlsx", {"Survey": rows})


def main() -> None:
    write_qualtrics()
    write_surveymonkey()
    write_google_forms()
    write_microsoft_forms()
    write_wjx()
    write_tencent()
    write_microsoft_forms_words()
    write_google_forms_words()
    write_qualtrics_choice_text()
    write_qualtrics_numeric_choices()
    write_wjx_text()
    write_wjx_codes()
    write_airline_like()
    write_id_date_questions()
    write_survey_without_dates()
    write_complaints_with_scores()
    write_servqual_questions_sheet()
    write_cfpb_like()
    write_chinese_complaints()
    write_complaints_without_causes()
    write_broken_and_unusual()


if __name__ == "__main__":
    sys.exit(main())
