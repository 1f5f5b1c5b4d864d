"""Import templates, one workbook per kind: bilingual headers, example rows, a sheet per column.

Built from the same field table the loaders map with, so a template always imports as is.
"""
from __future__ import annotations

import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from loaders.columns import FIELDS, KINDS, Field, template_header

TEMPLATE_FILES = {
    "survey": "survey_template.xlsx",
    "nps": "nps_template.xlsx",
    "complaints": "complaints_template.xlsx",
    "management_survey": "management_estimates_template.xlsx",
    "standards": "service_standards_template.xlsx",
}

# Example rows: field -> values, one value per example row.
_EXAMPLES = {
    "survey": {
        "respondent_id": ["R000001", "R000002"], "customer_id": ["C000101", "C000102"],
        "responded_at": ["2026-10-03", "2026-10-04"], "region": ["East", "South"],
        "branch": ["Shanghai Pudong", "Shenzhen Futian"], "channel": ["Branch", "Mobile app"],
        "product": ["Savings", "Credit card"], "segment": ["Retail", "Premier"],
        "tier": ["General", "Key"], "annual_value": ["8000", "65000"], "products_held": ["2", "5"],
        "overall_satisfaction": ["9", "4"], "likelihood_to_recommend": ["10", "3"],
        "comment": ["Friendly staff and a short queue.", "排队时间太长，手机银行经常闪退。"],
    },
    "nps": {
        "customer_id": ["C000101", "C000102"], "responded_at": ["2026-10-03", "2026-10-04"],
        "score": ["9", "5"], "touchpoint": ["Mobile app", "Branch counter"],
        "region": ["East", "South"], "branch": ["Shanghai Pudong", "Shenzhen Futian"],
        "channel": ["Mobile app", "Branch"], "segment": ["Retail", "Small business"],
        "product": ["Credit card", "Current account"], "tier": ["一般客户", "核心客户"],
        "annual_value": ["6000", "24000"], "products_held": ["1", "3"],
        "comment": ["Easy to use app", "办理业务等了四十分钟"],
    },
    "complaints": {
        "complaint_ref": ["K000001", "K000002"], "customer_id": ["C000102", "C000205"],
        "received_at": ["2026-10-04 09:30", "2026-10-05 14:10"], "channel": ["Phone", "Branch"],
        "branch": ["Shenzhen Futian", "Hangzhou Xihu"], "region": ["South", "East"],
        "product": ["Credit card", "Savings"], "segment": ["Premier", "Retail"],
        "tier": ["VIP", ""], "annual_value": ["", "12000"], "products_held": ["", "3"],
        "cause": ["Fees and charges", ""], "sub_cause": ["Annual fee", ""],
        "severity": ["Medium", "High"], "status": ["Resolved", "Open"],
        "resolved_at": ["2026-10-05 11:00", ""], "escalated": ["No", "Yes"],
        "satisfaction_after": ["4", ""],
        "description": ["Charged an annual fee I was told was waived.", "柜台排队一个小时没人处理"],
    },
    "management_survey": {
        "manager": ["Zhang Wei", "Zhang Wei"], "rated_at": ["2026-10-01", "2026-10-01"],
        "item_code": ["S01", "S05"], "item_text": ["Modern-looking equipment", "Prompt service"],
        "dimension": ["tangibles", "responsiveness"], "score": ["5", "6"],
        "scale_min": ["1", "1"], "scale_max": ["7", "7"],
    },
    "standards": {
        "standard": ["Complaint resolution time", "Queue waiting time"],
        "dimension": ["responsiveness", "responsiveness"],
        "metric": ["median hours to resolve", "average minutes in queue"],
        "unit": ["hours", "minutes"], "better": ["lower", "lower"],
        "management_view": ["24", "10"], "target": ["48", "15"], "promise": ["24", "10"],
        "actual": ["", "18"], "actual_rule": ["median_hours_to_resolve", ""],
    },
}

# The survey template's rating columns, and its Questions sheet.
_SURVEY_RATINGS = [
    # header, question, its Chinese, dimension, kind, min, max, N/A code, example values
    ("A01", "Waiting time", "等候时间", "responsiveness", "satisfaction", 1, 5, 0, ["5", "2"]),
    ("A02", "Staff courtesy", "员工礼貌", "empathy", "satisfaction", 1, 5, 0, ["5", "0"]),
    ("I_A01", "Waiting time", "等候时间", "responsiveness", "importance", 1, 5, None, ["4", "5"]),
    ("I_A02", "Staff courtesy", "员工礼貌", "empathy", "importance", 1, 5, None, ["3", "4"]),
    ("E_S01", "Modern-looking equipment", "设备现代化", "tangibles", "expectation", 1, 7, None, ["6", "7"]),
    ("P_S01", "Modern-looking equipment", "设备现代化", "tangibles", "perception", 1, 7, None, ["6", "4"]),
]
_QUESTION_HEADERS = ["Code", "Question", "Question (中文)", "Dimension", "Kind", "Scale min", "Scale max", "N/A code"]
# A labels sheet in the complaints and NPS templates: the values the file holds, with their labels
# in both languages, which the dashboard shows in the reader's language (loaders/labels.py).
_LABEL_SHEETS = {
    "complaints": ("Causes", ["Cause", "Cause (English)", "Cause (中文)"],
                   [["Long waiting time", "Long waiting time", "等候时间长"],
                    ["Staff attitude", "Staff attitude", "员工态度"]]),
    "nps": ("Touchpoints", ["Touchpoint", "Touchpoint (English)", "Touchpoint (中文)"],
            [["Branch counter", "Branch counter", "网点柜台"], ["Mobile app", "Mobile app", "手机银行"]]),
}

_HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
_HEADER_FONT = Font(bold=True, color="FFFFFF")


def template_workbook(kind: str) -> bytes:
    """The template for one kind, as xlsx bytes (the upload page offers it for download)."""
    fields = FIELDS[kind]
    examples = _EXAMPLES[kind]
    book = Workbook()
    data = book.active
    data.title = "Responses" if kind == "survey" else "Data"
    headers = [template_header(f) for f in fields]
    rows = [[examples.get(f.name, [""] * 2)[i] for f in fields] for i in range(2)]
    if kind == "survey":
        headers += [r[0] for r in _SURVEY_RATINGS]
        for i, row in enumerate(rows):
            row += [r[8][i] for r in _SURVEY_RATINGS]
    data.append(headers)
    for row in rows:
        data.append([_typed(v) for v in row])
    _style_header(data, len(headers))
    if kind == "survey":
        questions = book.create_sheet("Questions")
        questions.append(_QUESTION_HEADERS)
        for code, text, text_zh, dimension, rating_kind, low, high, na, _ in _SURVEY_RATINGS:
            questions.append([code, text, text_zh, dimension, rating_kind, low, high, na])
        _style_header(questions, len(_QUESTION_HEADERS))
    if kind in _LABEL_SHEETS:
        title, label_headers, label_rows = _LABEL_SHEETS[kind]
        labels = book.create_sheet(title)
        labels.append(label_headers)
        for row in label_rows:
            labels.append(row)
        _style_header(labels, len(label_headers))
    guide = book.create_sheet("Columns")
    guide.append(["Column", "列名", "Meaning", "说明", "Required", "Example"])
    for f in fields:
        guide.append(_guide_row(f, examples))
    if kind == "survey":
        guide.append(["A01, A02 ...", "A01, A02 ...",
                      "Satisfaction ratings, one column per attribute; describe each on the Questions"
                      " sheet (scale, dimension, N/A code)",
                      "满意度评分，每个属性一列；在 Questions 表中说明量表、维度和不适用代码", "no", "4"])
        guide.append(["Question (中文)", "题目（中文）",
                      "Optional, on the Questions sheet: the question in Chinese (or a 题目（英文） column for"
                      " English), shown to readers of that language",
                      "可选，在 Questions 表中：题目的中文（或用“题目（英文）”列给出英文），按读者的语言显示", "no",
                      "等候时间"])
        guide.append(["E_…, P_…, I_…", "期望_…, 感知_…, 重要性_…",
                      "Expectation, perception and importance of an item; E_ and P_ columns of the same"
                      " item share its code after the prefix",
                      "题目的期望、感知和重要性；同一题目的 E_ 与 P_ 列前缀后的编号相同", "no", "6"])
    _style_header(guide, 6)
    for sheet in book.worksheets:
        for i in range(1, sheet.max_column + 1):
            sheet.column_dimensions[get_column_letter(i)].width = 26
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _guide_row(f: Field, examples: dict) -> list[str]:
    return [template_header(f), f.label_zh, f.help_en, f.help_zh, "yes" if f.required else "no",
            (examples.get(f.name) or [f.example])[0]]


def _typed(value: str):
    """Numbers as numbers so Excel does not flag them as text."""
    try:
        number = float(value)
    except ValueError:
        return value or None
    return int(number) if number.is_integer() else number


def _style_header(sheet, width: int) -> None:
    for cell in sheet[1][:width]:
        cell.fill = _HEADER_FILL
        cell.font = _HEADER_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    sheet.freeze_panes = "A2"


def write_templates(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in KINDS:
        path = folder / TEMPLATE_FILES[kind]
        path.write_bytes(template_workbook(kind))
        written.append(path)
    return written
