"""Survey platforms' exports as they come: which tool wrote a file, and what its columns are.

Each platform is known by the columns it always writes (its signature). Its own columns (times,
IP addresses, durations, sources) are ignored and listed as the platform's; its date and response
id columns feed the survey's date and response id; every other column is a question, whose text
(from the header, or from the question-text row under the codes) becomes the item's text.

Layouts, from the platforms' documentation and public code that parses their exports:
Qualtrics (codes, texts, ImportId rows), SurveyMonkey (question row + "Response"/matrix-row row),
Google Forms ("Timestamp", grids as "Question [Row]"), Microsoft Forms ("ID", "Start time",
"Completion time", "Email", "Name"), 问卷星 ("序号", "提交答卷时间", "所用时间", "来源", "来自IP",
"1、…", matrix rows "3、(环境整洁)"), 腾讯问卷 ("编号", "开始答题时间", "结束答题时间", "答题时长",
"1.…", matrix rows "2.…:环境整洁").
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace

import pyarrow as pa
import pyarrow.compute as pc

from loaders.read import ROW_COLUMN, SourceTable, row_ranges


def _key(text: str) -> str:
    """Lower case, no punctuation or spacing (brackets kept: 'Duration (in seconds)' stays whole)."""
    return re.sub(r"[^0-9a-z\u3400-\u9fff]+", "", str(text).lower())


@dataclass(frozen=True)
class Platform:
    """A survey tool's export: how to know it, and which of its columns are its own."""

    name: str
    label: str
    signature: tuple[str, ...]          # keys of headers every export of it has
    date_columns: tuple[str, ...]       # keys, most wanted first (when the answers were submitted)
    id_columns: tuple[str, ...]
    own_columns: tuple[str, ...]        # keys of the platform's columns, ignored
    own_prefixes: tuple[str, ...] = ()  # keys that start one of the platform's columns
    # its status column's words (and codes) for responses that are no customer's (TEST_RESPONSES)
    test_statuses: frozenset[str] = frozenset()


# Qualtrics marks the responses that are no customer's in its Status column ("Response Type"): the
# survey's preview and test runs, and what its filter took for spam, written as words or, in a
# numeric export, as their codes (its SPSS export's value labels: 1 Survey Preview, 2 Survey Test,
# 8 Spam, 9 Survey Preview Spam, 12 Imported Spam, 17 Offline Survey Preview, 40 EX Spam). Analysts
# drop them before reading the results; so do the loaders, and say so (0 IP Address, 4 Imported,
# 16 Offline, 32 EX and 48 EX Offline are answers).
TEST_RESPONSES = frozenset({"survey preview", "survey test", "spam", "survey preview spam", "preview spam",
                            "imported spam", "offline survey preview", "ex spam",
                            "1", "2", "8", "9", "12", "17", "40"})

PLATFORMS = (
    Platform("qualtrics", "Qualtrics", ("startdate", "enddate", "responseid"),
             ("recordeddate", "enddate", "startdate"), ("responseid",),
             ("startdate", "enddate", "status", "ipaddress", "progress", "durationinseconds", "finished",
              "recordeddate", "responseid", "recipientlastname", "recipientfirstname", "recipientemail",
              "externalreference", "externaldatareference", "locationlatitude", "locationlongitude",
              "locationaccuracy", "distributionchannel", "userlanguage", "responseset", "name",
              "emailaddress"), test_statuses=TEST_RESPONSES),
    Platform("qualtrics", "Qualtrics (legacy export)", ("responseid", "responseset"),
             ("enddate", "startdate"), ("responseid",),
             ("responseid", "responseset", "name", "externaldatareference", "emailaddress", "ipaddress",
              "status", "startdate", "enddate", "finished", "locationlatitude", "locationlongitude",
              "locationaccuracy"), test_statuses=TEST_RESPONSES),
    Platform("surveymonkey", "SurveyMonkey", ("respondentid", "collectorid"),
             ("enddate", "startdate"), ("respondentid",),
             ("respondentid", "collectorid", "startdate", "enddate", "ipaddress", "emailaddress",
              "firstname", "lastname"), ("customdata",)),
    Platform("microsoft_forms", "Microsoft Forms", ("id", "starttime", "completiontime"),
             ("completiontime", "starttime"), ("id",),
             ("id", "starttime", "completiontime", "email", "name", "lastmodifiedtime", "totalpoints",
              "quizfeedback", "gradepostedtime")),
    # the same export from a Chinese Microsoft 365
    Platform("microsoft_forms", "Microsoft Forms", ("id", "开始时间", "完成时间"),
             ("完成时间", "开始时间"), ("id",),
             ("id", "开始时间", "完成时间", "电子邮件", "名称", "上次修改时间", "总分", "测验反馈")),
    Platform("wjx", "问卷星", ("提交答卷时间", "所用时间"), ("提交答卷时间",), ("序号",),
             ("序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自ip", "总分", "用户id")),
    Platform("tencent", "腾讯问卷", ("开始答题时间", "结束答题时间", "答题时长"), ("结束答题时间", "开始答题时间"), ("编号",),
             ("编号", "开始答题时间", "结束答题时间", "答题时长", "地理位置国家和地区", "地理位置省", "地理位置市",
              "自定义字段", "用户类型", "用户标识", "昵称", "ip", "ua", "referrer", "语言", "清洗数据结果",
              "智能清洗数据无效概率", "中奖时间", "中奖金额", "审核状态", "原始记录编号", "数据版本")),
    Platform("typeform", "Typeform", ("submitdateutc", "networkid"), ("submitdateutc", "startdateutc"), (),
             ("startdateutc", "stagedateutc", "submitdateutc", "networkid", "tags", "responsetype", "ending")),
    Platform("google_forms", "Google Forms", ("timestamp",), ("timestamp", "时间戳记", "时间戳"), (),
             ("timestamp", "时间戳记", "时间戳", "emailaddress", "电子邮件地址", "score", "得分")),
)


def detect_platform(headers: tuple[str, ...] | list[str]) -> Platform | None:
    """The platform whose signature columns the headers all have (Google Forms: 'Timestamp' first)."""
    keys = {_key(h) for h in headers}
    for platform in PLATFORMS:
        if platform.name == "google_forms":
            # a Chinese Google account's export names it 时间戳记
            if headers and _key(headers[0]) in ("timestamp", "时间戳记", "时间戳"):
                return platform
            continue
        if set(platform.signature) <= keys:
            return platform
    return None


@dataclass(frozen=True)
class PlatformColumns:
    """What a platform's export says about its columns."""

    platform: Platform
    date_column: str | None
    id_column: str | None
    own: tuple[str, ...]                       # the platform's columns, ignored and listed
    questions: dict[str, str]                  # header -> question (the whole question's text)
    items: dict[str, str]                      # header -> item text (a matrix row's statement)


def platform_columns(source: SourceTable, platform: Platform) -> PlatformColumns:
    headers = list(source.headers)
    keys = {h: _key(h) for h in headers}
    date_column = next((h for k in platform.date_columns for h in headers if keys[h] == k), None)
    id_column = next((h for k in platform.id_columns for h in headers if keys[h] == k), None)
    own = []
    for header in headers:
        key = keys[header]
        if key in platform.own_columns or header.endswith("_NPS_GROUP") or \
                (platform.name == "qualtrics" and re.match(r"^Q_[A-Za-z]", header)) or \
                (platform.name == "microsoft_forms" and QUIZ_COLUMN.match(header)) or \
                any(key.startswith(p) for p in platform.own_prefixes):
            own.append(header)
    texts = source.texts or (None,) * len(headers)
    questions, items = {}, {}
    for header, text in zip(headers, texts):
        if header in own:
            continue
        questions[header], items[header] = question_and_item(header, text)
    items = _matrix_rows(questions, items, texts_given=any(texts))
    return PlatformColumns(platform, date_column, id_column, tuple(own), questions, items)


# A Microsoft Forms quiz writes each question's points and feedback beside its answer
QUIZ_COLUMN = re.compile(r"^\s*(Points|Feedback)\s+-\s+\S")
# A question's number before its text: "Q1. ", "1) ", "3、", "Q2：", "Q4_Comments", "(1) ", "一、", "第1题 "; a
# number that goes on ("3.5 stars", Qualtrics' code "Q2_1") is no numbering.
NUMBERING = re.compile(r"^\s*(?:(?:Q\s*)?\d+\s*[、.．:：)）](?!\d)|Q\d+_(?=\D)|[(（]\d+[)）]|[一二三四五六七八九十]+[、.．]"
                       r"|第\s*\d+\s*题[、.．:：]?)\s*")
GRID = re.compile(r"^(?P<question>.+?)\s*\[(?P<row>[^\[\]]+)\]\s*$")
WRAPPED = re.compile(r"^\s*[（(](?P<inner>.+)[)）]\s*$")


def question_and_item(header: str, text: str | None) -> tuple[str, str]:
    """The question a column asks and the item it rates, without the tool's numbering.

    'How satisfied ... [Friendly staff]' -> (the question, 'Friendly staff'); '3、(环境整洁)' ->
    ('环境整洁', '环境整洁'); a Qualtrics code 'Q2_1' with text 'How ... - Staff were friendly'
    keeps the text (the matrix row is split off below, once the siblings are known).
    """
    base = (text or header).strip()
    base = NUMBERING.sub("", base, count=1)
    grid = GRID.match(base)
    if grid:
        return grid["question"].strip(), grid["row"].strip()
    wrapped = WRAPPED.match(base)
    if wrapped:
        inner = wrapped["inner"].strip()
        return inner, inner
    return base, base


def _matrix_rows(questions: dict[str, str], items: dict[str, str], texts_given: bool) -> dict[str, str]:
    """A matrix's columns share the question before ' - ' (Qualtrics, SurveyMonkey) or ':' (腾讯问卷):
    each item is the part after it."""
    result = dict(items)
    for separator in (" - ", ":", "："):
        stems = Counter(q.rsplit(separator, 1)[0] for q in questions.values() if separator in q)
        for header, question in questions.items():
            if separator in question and result[header] == question:
                stem, row = question.rsplit(separator, 1)
                if stems[stem] >= 2 and row.strip():
                    result[header] = row.strip()
                    questions[header] = stem.strip()
    return result


def without_test_responses(source: SourceTable) -> SourceTable:
    """The export without the rows its platform marks as previews, tests or spam (its
    test_statuses), with a notice naming them; any other file as it is."""
    platform = detect_platform(source.headers)
    if platform is None or not platform.test_statuses or source.spilled is not None:
        return source
    status = next((h for h in source.headers if _key(h) == "status"), None)
    if status is None:
        return source
    words = pc.utf8_lower(pc.utf8_trim_whitespace(source.table.column(status)))
    marked = pc.fill_null(pc.is_in(words, value_set=pa.array(sorted(platform.test_statuses))), False)
    count = pc.sum(marked).as_py() or 0
    if not count:
        return source
    rows = source.table.filter(marked).column(ROW_COLUMN).to_pylist()
    kinds = source.table.filter(marked).column(status).to_pylist()
    notice = ("test_responses_left_out", {"count": str(count), "rows": row_ranges(rows),
                                          "statuses": ", ".join(sorted({str(k).strip() for k in kinds})),
                                          "column": status})
    return replace(source, table=source.table.filter(pc.invert(marked)), notices=source.notices + (notice,))
