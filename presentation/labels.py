"""The data's own labels in the reader's language: one lookup (data_label) and one pass that puts
them into an analytics result before it is drawn (labelled).

Analytics stay language-free: they return the values as the data holds them ("Problem resolution",
"手机银行"). What a reader sees is chosen here, from the store's label table (store/labels.py: a
file's bilingual columns, or an analyst's edits), else the dashboard's own term (the SERVQUAL
dimensions), else the value as it is. A labelled column keeps the value as given beside it
(`<column>_as_given`), which charts show on hover and tables as a column.

A theme of the comments (text/themes.py) is named by its customers' words, in the language they
wrote in; theme_name says what a reader sees instead.
"""
from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping

import pandas as pd

from analytics.review import Action, Verbatim
from presentation.formats import fmt_term
from text.sentiment import detect_language

# An analytics result's columns that hold a labelled field's values.
LABELLED_COLUMNS = {"attribute": "item", "item_text": "item", "dimension": "dimension", "cause": "cause",
                    "touchpoint": "touchpoint", "channel": "channel", "branch": "branch", "region": "region",
                    # analytics.gaps.standards_gaps' rows
                    "standard": "standard", "unit": "unit"}
AS_GIVEN = "_as_given"
# An area to act on names a subject of this field (analytics.review.Action.kind).
ACTION_FIELDS = {"fix_first": "item", "gap": "dimension", "rising_cause": "cause", "branch_nps": "branch"}
# A trend's or an alert's subject (analytics.trends, analytics.alerts: scope, subject) is a value of this field.
SCOPE_FIELDS = {"branch": "branch", "region": "region", "cause": "cause"}


@dataclasses.dataclass(frozen=True)
class DataLabels:
    """(field, value as the data holds it) -> (English, Chinese); either may be None."""

    table: Mapping = dataclasses.field(default_factory=dict)

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> DataLabels:
        """From store.labels.label_table's rows."""
        table = {}
        for field, value, en, zh in frame[["field", "value", "label_en", "label_zh"]].itertuples(index=False):
            table[(str(field), str(value))] = (_text(en), _text(zh))
        return cls(table)

    def __bool__(self) -> bool:
        return bool(self.table)


NO_LABELS = DataLabels()


def _text(value) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    text = str(value).strip()
    return text or None


def data_label(field: str, value, language: str, labels: DataLabels = NO_LABELS) -> str:
    """What a reader of `language` sees for a value of `field`: the label table's label in that
    language, else the dashboard's own term for it (a SERVQUAL dimension), else the value as it is."""
    if _text(value) is None:
        return value
    en, zh = labels.table.get((field, str(value).strip()), (None, None))
    chosen = zh if language == "zh" else en
    if chosen:
        return chosen
    if field == "dimension":
        return fmt_term("dim", value, language)
    return value


def theme_name(words: str, label: str | None, language: str, labels: DataLabels = NO_LABELS) -> str:
    """What a reader of `language` sees for a theme of the comments, in one language, never a mix.

    `words` are the theme's top words as the customers wrote them (in one language, text/themes.py),
    `label` the one someone gave it with `loaders themes --rename` (None when nobody did). The rule,
    the first that applies:

    1. the label table's label of the theme (field 'theme', its words; the Imports page) in the
       reader's language;
    2. the renamed label, when it is written in the reader's language (by its characters,
       text.sentiment.detect_language: a label of Chinese characters is a Chinese label);
    3. the theme's words, as the customers wrote them.

    So the English page shows 'Hidden fees' for a Chinese theme someone labelled in English, and
    '费用 · 隐藏 · 体验' for one nobody did: the customers' own words rather than a label of the other
    language, and the words are on hover wherever a label stands for them."""
    en, zh = labels.table.get(("theme", str(words).strip()), (None, None))
    chosen = zh if language == "zh" else en
    if chosen:
        return chosen
    if _text(label) is not None and detect_language(label) == language:
        return label.strip()
    return words


def labelled(result, labels: DataLabels, language: str):
    """`result` (a DataFrame, a frozen dataclass of them, a tuple, a dict) with the values of every
    labelled column shown in `language`, each such column's values as given kept beside it.

    Only DataFrames' LABELLED_COLUMNS and themes (a `theme` beside its `theme_label`, theme_name),
    an area to act on's subject and a verbatim's theme change;
    ids, codes and numbers are left as they are, so a result labelled once reads the same to the
    functions that word and draw it."""
    if isinstance(result, pd.DataFrame):
        return _labelled_frame(result, labels, language)
    if isinstance(result, Action):
        if isinstance(result.finding, dict) and result.finding.get("scope") in SCOPE_FIELDS:  # a trend's
            finding = result.finding
            return dataclasses.replace(result, finding={
                **finding, "subject": data_label(SCOPE_FIELDS[finding["scope"]], finding.get("subject"), language,
                                                 labels)})
        field = ACTION_FIELDS.get(result.kind)
        return result if field is None else dataclasses.replace(
            result, subject=data_label(field, result.subject, language, labels))
    if isinstance(result, Verbatim):
        theme = result.theme
        if theme is not None and result.theme_from == "cause":
            theme = data_label("cause", theme, language, labels)
        elif theme is not None and result.theme_from == "theme":
            theme = theme_name(theme, result.theme_label, language, labels)
        return dataclasses.replace(result, theme=theme, branch=data_label("branch", result.branch, language, labels))
    if dataclasses.is_dataclass(result) and not isinstance(result, type):
        changed = {}
        for item in dataclasses.fields(result):
            if not item.init:
                continue
            value = getattr(result, item.name)
            new = labelled(value, labels, language)
            if new is not value:
                changed[item.name] = new
        return dataclasses.replace(result, **changed) if changed else result
    if isinstance(result, tuple) and not hasattr(result, "_fields"):
        items = [labelled(v, labels, language) for v in result]
        return tuple(items) if any(a is not b for a, b in zip(items, result)) else result
    if isinstance(result, dict):
        items = {k: labelled(v, labels, language) for k, v in result.items()}
        return items if any(items[k] is not result[k] for k in result) else result
    return result


def _labelled_frame(frame: pd.DataFrame, labels: DataLabels, language: str) -> pd.DataFrame:
    columns = [c for c in frame.columns if c in LABELLED_COLUMNS and f"{c}{AS_GIVEN}" not in frame.columns]
    trends = {"scope", "subject"} <= set(frame.columns) and f"subject{AS_GIVEN}" not in frame.columns
    themes = {"theme", "theme_label"} <= set(frame.columns) and f"theme{AS_GIVEN}" not in frame.columns
    if not (columns or trends or themes) or frame.empty:
        return frame
    out = frame.copy()
    if themes:  # analytics.sentiment's themes: their words and the label given them, if any
        out["theme"] = _column(frame, [theme_name(words, label, language, labels)
                                       for words, label in zip(frame["theme"], frame["theme_label"])])
        out[f"theme{AS_GIVEN}"] = frame["theme"]
    if trends:  # analytics.trends' rows: a branch's or a region's name in `subject`
        out["subject"] = _column(frame, [data_label(SCOPE_FIELDS[scope], subject, language, labels)
                                         if scope in SCOPE_FIELDS else subject
                                         for scope, subject in zip(frame["scope"], frame["subject"])])
        out[f"subject{AS_GIVEN}"] = frame["subject"]
    for column in columns:
        field = LABELLED_COLUMNS[column]
        given = frame[column]
        out[column] = _column(frame, [data_label(field, v, language, labels) for v in given])
        out[f"{column}{AS_GIVEN}"] = given
    return out


def _column(frame: pd.DataFrame, values: list) -> pd.Series:
    """Labels as a column that keeps a missing value None (a list of strings would become a text
    column, its None a NaN that reads "nan")."""
    return pd.Series(values, index=frame.index, dtype=object)


def as_given(frame: pd.DataFrame, column: str) -> list | None:
    """The values as given of a labelled column, where any differs from what is shown; else None."""
    kept = f"{column}{AS_GIVEN}"
    if kept not in frame.columns:
        return None
    shown, given = frame[column].astype(str).tolist(), frame[kept].astype(str).tolist()
    return given if shown != given else None

