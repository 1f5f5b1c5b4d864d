"""The data's own labels in both languages, as files carry them.

A questions sheet may give each item's text in both languages (`Question` beside `Question (中文)`,
`题目` beside `题目（英文）`, `Text (EN)`, `Label_zh`), and its dimension too (`Dimension (中文)`); any
workbook may carry a labels sheet, either one field's values with their labels (`Cause | Cause
(中文)`, `触点 | 触点（英文）`) or the label table's own layout (`Field | Value | English | 中文`, what the
Imports page's download writes). Rows come out as (field, value as the data holds it, English,
Chinese) for store/labels.py.
"""
from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from loaders.columns import (
    _LANGUAGE_SUFFIX, QUESTION_FIELDS, label_language, normalise_dimension, normalise_header,
    question_columns
)
from loaders.errors import LoadError
from loaders.read import SourceTable
from store.labels import LABEL_COLUMNS, LABEL_FIELDS
from text.sentiment import detect_language

# A label sheet's field column, by header; the label table's own layout by its two key columns.
FIELD_WORDS = {
    "item": ("item", "question", "attribute", "题目", "问题", "指标", "属性"),
    "dimension": ("dimension", "维度"),
    "cause": ("cause", "complaint cause", "category", "原因", "投诉原因", "投诉类型", "问题类型"),
    "touchpoint": ("touchpoint", "touch point", "触点", "接触点"),
    "channel": ("channel", "渠道", "受理渠道"),
    "branch": ("branch", "网点", "门店", "支行"),
    "region": ("region", "区域", "地区", "大区"),
    "standard": ("standard", "service standard", "标准", "服务标准"),
    "unit": ("unit", "单位"),
    "theme": ("theme", "topic", "主题", "话题"),
}
TABLE_KEYS = {"field": ("field", "字段"), "value": ("value", "值", "原值")}
TABLE_LANGUAGES = {"en": ("english", "en", "label_en", "label en", "英文"),
                   "zh": ("chinese", "zh", "label_zh", "label zh", "中文")}
LABEL_WORDS = ("label", "name", "标签", "名称")


def base_header(header: str) -> str:
    """A header without its language note, normalised: 'Label_zh' -> 'label', 'Question (中文)' -> 'question'."""
    return normalise_header(_LANGUAGE_SUFFIX.sub("", str(header).strip()))


def _matches(header: str, words) -> bool:
    return base_header(header) in {normalise_header(w) for w in words}


# What presentation/export.py puts before a cell that would start a formula; a label file the Imports
# page wrote and an analyst sends back loses it again.
_FORMULA_START = ("=", "+", "-", "@")


def _cell(value) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    text = str(value).strip()
    if text.startswith("'") and text[1:].startswith(_FORMULA_START):
        text = text[1:]
    return text or None


def _with_own_language(value: str, en: str | None, zh: str | None) -> tuple[str | None, str | None]:
    """The value as given counts as its own language's label when that one is not given."""
    own = detect_language(value)
    if own == "zh" and zh is None:
        zh = value
    elif own == "en" and en is None:
        en = value
    return en, zh


def labels_from_questions(questions: SourceTable, response_headers=None) -> list[tuple]:
    """Item and dimension labels of a questions sheet: the column the loaders read each field from
    (loaders.columns.question_columns) holds the values, its companions with a language note the labels."""
    found = question_columns(questions, response_headers)
    value_columns = {"item": found.get("question"), "dimension": found.get("dimension")}
    rows = []
    tagged = {h: label_language(h) for h in questions.headers if label_language(h)}
    for field, words in (("item", QUESTION_FIELDS["question"] + LABEL_WORDS),
                         ("dimension", QUESTION_FIELDS["dimension"])):
        source = value_columns.get(field)
        if source is None:
            continue
        languages = {lang: h for h, lang in tagged.items() if h != source and _matches(h, words)}
        if not languages:
            continue
        for row in questions.table.to_pylist():
            value = _cell(row.get(source))
            if value is None:
                continue
            en, zh = (_cell(row.get(languages[lang])) if lang in languages else None for lang in ("en", "zh"))
            en, zh = _with_own_language(value, en, zh)
            if field == "dimension":  # stored as loaders.columns.normalise_dimension gives it
                value = normalise_dimension(value)
            rows.append((field, value, en, zh))
    return rows


def is_label_sheet(headers) -> bool:
    return _table_layout(headers) is not None or _field_layout(headers) is not None


def _table_layout(headers) -> dict[str, str] | None:
    """The label table's own layout: field, value, English, Chinese columns."""
    found = {}
    for key, words in {**TABLE_KEYS, **TABLE_LANGUAGES}.items():
        header = next((h for h in headers if normalise_header(h) in {normalise_header(w) for w in words}), None)
        if header is not None:
            found[key] = header
    return found if {"field", "value"} <= found.keys() and found.keys() & {"en", "zh"} else None


def _field_layout(headers) -> tuple[str, str, dict[str, str]] | None:
    """One field's values and their labels: (field, value column, {language: column})."""
    for field, words in FIELD_WORDS.items():
        plain = next((h for h in headers if not label_language(h) and _matches(h, words)), None)
        languages = {label_language(h): h for h in headers if label_language(h) and _matches(h, words)}
        if plain is not None and languages:
            return field, plain, languages
    return None


def labels_from_sheet(table: SourceTable) -> list[tuple]:
    """(field, value, en, zh) rows of a labels sheet, in either layout."""
    return labels_from_frame(pd.DataFrame(table.table.to_pylist(), columns=list(table.headers)), table.where())


def labels_from_frame(frame: pd.DataFrame, where: str) -> list[tuple]:
    headers = [str(c) for c in frame.columns]
    frame = frame.set_axis(headers, axis=1)
    layout = _table_layout(headers)
    rows = []
    if layout is not None:
        for record in frame.to_dict("records"):
            field, value = _cell(record.get(layout["field"])), _cell(record.get(layout["value"]))
            if field is None or value is None:
                continue
            field = _field_name(field)
            if field is None:
                raise LoadError(f"{where}: '{record.get(layout['field'])}' is not a labelled field; use one of"
                                f" {', '.join(LABEL_FIELDS)}")
            rows.append((field, value, *(_cell(record.get(layout[lang])) if lang in layout else None
                                         for lang in ("en", "zh"))))
        return rows
    one = _field_layout(headers)
    if one is None:
        raise LoadError(f"{where}: a labels table needs the columns field, value, English and Chinese"
                        " (or one field's column beside its labels, as 'Cause' and 'Cause (中文)')")
    field, plain, languages = one
    for record in frame.to_dict("records"):
        value = _cell(record.get(plain))
        if value is None:
            continue
        en, zh = (_cell(record.get(languages[lang])) if lang in languages else None for lang in ("en", "zh"))
        rows.append((field, value, *_with_own_language(value, en, zh)))
    return rows


def _field_name(text: str) -> str | None:
    key = normalise_header(text)
    if key in LABEL_FIELDS:
        return key
    return next((field for field, words in FIELD_WORDS.items() if key in {normalise_header(w) for w in words}), None)


def read_label_file(name: str, content: bytes) -> list[tuple]:
    """A label table as a csv (UTF-8, UTF-8 with BOM or GBK) or xlsx file: its (field, value, en, zh) rows."""
    suffix = Path(name).suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            frame = pd.read_excel(io.BytesIO(content), dtype=str, keep_default_na=False, engine="calamine")
        elif suffix == ".csv":
            frame = None
            for encoding in ("utf-8-sig", "gb18030"):
                try:
                    frame = pd.read_csv(io.BytesIO(content), dtype=str, keep_default_na=False, encoding=encoding)
                    break
                except UnicodeDecodeError:
                    continue
            if frame is None:
                raise LoadError(f"{name}: the file is neither UTF-8 nor GBK text")
        else:
            raise LoadError(f"{name}: a label table is a .csv or .xlsx file")
    except LoadError:
        raise
    except Exception as e:  # pandas' own readers raise many kinds
        raise LoadError(f"{name}: the file could not be read ({e})") from e
    return labels_from_frame(frame, name)


def label_frame(rows) -> pd.DataFrame:
    """Rows as the label table's columns (field, value, label_en, label_zh)."""
    return pd.DataFrame(list(rows), columns=LABEL_COLUMNS)
