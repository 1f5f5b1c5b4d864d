"""Every word the dashboard shows, in English and Simplified Chinese, in one table.

Pages, charts and the report ask `translate(key, language, **values)`; data values (branch
names, verbatims) are never translated. A missing key fails loudly in tests, not on screen.
"""
from __future__ import annotations

LANGUAGES = {"en": "English", "zh": "简体中文"}
DEFAULT_LANGUAGE = "en"

TEXT: dict[str, dict[str, str]] = {
    "app.title": {"en": "Voice of the customer", "zh": "客户之声"},
    "app.language": {"en": "Language", "zh": "语言"},
    "nav.imports": {"en": "Imports", "zh": "数据导入"},
    "imports.title": {"en": "Imports", "zh": "数据导入"},
    "imports.history": {"en": "Import history", "zh": "导入历史"},
    "imports.row_counts": {"en": "Rows in the store", "zh": "数据库中的行数"},
    "imports.none": {"en": "Nothing has been imported yet.", "zh": "尚未导入任何数据。"},
    "table.import_batch": {"en": "Import batches", "zh": "导入批次"},
    "table.survey_response": {"en": "Survey responses", "zh": "问卷答卷"},
    "table.survey_rating": {"en": "Survey ratings", "zh": "问卷评分"},
    "table.nps_response": {"en": "NPS responses", "zh": "NPS 回答"},
    "table.complaint": {"en": "Complaints", "zh": "投诉"},
    "table.management_rating": {"en": "Management estimates", "zh": "管理层估计"},
    "table.service_standard": {"en": "Service standards", "zh": "服务标准"},
    "col.batch": {"en": "Batch", "zh": "批次"},
    "col.kind": {"en": "Kind", "zh": "类型"},
    "col.file": {"en": "File", "zh": "文件"},
    "col.sheet": {"en": "Sheet", "zh": "工作表"},
    "col.rows": {"en": "Rows", "zh": "行数"},
    "col.skipped": {"en": "Skipped", "zh": "跳过"},
    "col.imported_at": {"en": "Imported at", "zh": "导入时间"},
    "col.imported_by": {"en": "By", "zh": "导入人"},
    "col.status": {"en": "Status", "zh": "状态"},
    "col.table": {"en": "Table", "zh": "数据表"},
    "kind.survey": {"en": "Survey", "zh": "满意度问卷"},
    "kind.nps": {"en": "NPS", "zh": "NPS"},
    "kind.complaints": {"en": "Complaints", "zh": "投诉"},
    "kind.management_survey": {"en": "Management estimates", "zh": "管理层估计"},
    "kind.standards": {"en": "Service standards", "zh": "服务标准"},
    "status.imported": {"en": "imported", "zh": "已导入"},
    "status.undone": {"en": "undone", "zh": "已撤销"},
}


def translate(key: str, language: str = DEFAULT_LANGUAGE, **values) -> str:
    entry = TEXT[key]
    text = entry.get(language) or entry[DEFAULT_LANGUAGE]
    return text.format(**values) if values else text
