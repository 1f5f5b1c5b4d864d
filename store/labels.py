"""The data's own labels in both languages (table data_label): read them, and write them from a
file's bilingual columns or from an analyst's edits, one row per field and value."""
from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from store.db import quote_identifier, write_claimed
from store.errors import QueryError
from store.sums import TALLIES
from store.themes import WORDS_NAME_SQL

# The fields whose values a reader sees as labels; the order the Imports page lists them in.
LABEL_FIELDS = ("item", "dimension", "cause", "touchpoint", "channel", "branch", "region", "standard", "unit",
                "theme")
LABEL_COLUMNS = ["field", "value", "label_en", "label_zh"]


def label_table(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every label: field, value, label_en, label_zh, origin; by field (LABEL_FIELDS order), then value."""
    frame = con.execute("SELECT field, value, label_en, label_zh, origin FROM data_label").df()
    order = {name: i for i, name in enumerate(LABEL_FIELDS)}
    frame = frame.assign(_order=frame["field"].map(order).fillna(len(order)))
    return frame.sort_values(["_order", "value"]).drop(columns="_order").reset_index(drop=True)


def _clean(value) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return None
    text = str(value).strip()
    return text or None


def clean_rows(rows) -> list[tuple[str, str, str | None, str | None]]:
    """(field, value, en, zh) rows with blanks as None, fields checked, the last row of a field and
    value winning, and rows without any label left out."""
    kept: dict[tuple[str, str], tuple[str | None, str | None]] = {}
    for field, value, en, zh in rows:
        field, value = _clean(field), _clean(value)
        if field is None or value is None:
            continue
        field = field.lower()
        if field not in LABEL_FIELDS:
            raise QueryError(f"'{field}' is not a labelled field; use one of {', '.join(LABEL_FIELDS)}")
        en, zh = _clean(en), _clean(zh)
        if en is None and zh is None:
            kept.pop((field, value), None)
            continue
        kept[(field, value)] = (en, zh)
    return [(field, value, en, zh) for (field, value), (en, zh) in kept.items()]


def add_file_labels(con: duckdb.DuckDBPyConnection, rows) -> int:
    """A file's labels, inside the caller's transaction (an import's): a field and value an analyst
    edited keeps the edit; any other is replaced. How many were written."""
    rows = clean_rows(rows)
    if not rows:
        return 0
    now = dt.datetime.now().replace(microsecond=0)
    edited = {(f, v) for f, v in con.execute("SELECT field, value FROM data_label WHERE origin = 'edited'").fetchall()}
    written = 0
    for field, value, en, zh in rows:
        if (field, value) in edited:
            continue
        con.execute("DELETE FROM data_label WHERE field = ? AND value = ?", [field, value])
        con.execute("INSERT INTO data_label VALUES (?, ?, ?, ?, 'file', ?)", [field, value, en, zh, now])
        written += 1
    return written


def save_label_table(con: duckdb.DuckDBPyConnection, rows, who: str | None = None) -> dict[str, int]:
    """The table as an analyst left it (the Imports page's editor, or a csv/xlsx of it): rows that
    changed become 'edited', rows left out are removed, unchanged rows keep their origin. Counts of
    added, changed and removed rows."""
    rows = clean_rows(rows)
    now = dt.datetime.now().replace(microsecond=0)

    def write() -> dict[str, int]:
        before = {(f, v): (en, zh, origin) for f, v, en, zh, origin in con.execute(
            "SELECT field, value, label_en, label_zh, origin FROM data_label").fetchall()}
        after = {(f, v): (en, zh) for f, v, en, zh in rows}
        counts = {"added": 0, "changed": 0, "removed": 0}
        for key in before.keys() - after.keys():
            con.execute("DELETE FROM data_label WHERE field = ? AND value = ?", list(key))
            counts["removed"] += 1
        for key, (en, zh) in after.items():
            old = before.get(key)
            if old is not None and old[:2] == (en, zh):
                continue
            counts["changed" if old is not None else "added"] += 1
            con.execute("DELETE FROM data_label WHERE field = ? AND value = ?", list(key))
            con.execute("INSERT INTO data_label VALUES (?, ?, ?, ?, 'edited', ?)", [*key, en, zh, now])
        return counts

    return write_claimed(con, write, who=who, failure="the labels could not be saved; the previous ones stay")


# Where each labelled field's values live in the store. A filter column's are read from its table's
# tally (store/sums.py), which holds every value of every row, as the sidebar's choices are
# (analytics.filters._choices_sql): a few thousand rows where the table has millions.
_TALLIED = tuple(TALLIES.values())
FIELD_SOURCES = {
    "item": (("survey_item", "item_text"), ("management_rating", "item_text")),
    "dimension": (("survey_item", "dimension"), ("management_rating", "dimension"), ("service_standard", "dimension")),
    "cause": (("complaint", "cause"),),
    "touchpoint": ((TALLIES["nps_response"], "touchpoint"),),
    "channel": tuple((tally, "channel") for tally in _TALLIED),
    "branch": tuple((tally, "branch") for tally in _TALLIED),
    "region": tuple((tally, "region") for tally in _TALLIED),
    # a service standard's name and its unit (hours, minutes) as the standards file writes them
    "standard": (("service_standard", "standard"),),
    "unit": (("service_standard", "unit"),),
    # a theme by its words (store.themes.WORDS_NAME_SQL), which stay its name while it is found again
    "theme": (("theme", None),),
}


def values_to_label(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every distinct value of a labelled field in the data: field, value (LABEL_FIELDS order, then value)."""
    parts, params = [], []
    for order, field in enumerate(LABEL_FIELDS):
        for table, column in FIELD_SOURCES[field]:
            value = (WORDS_NAME_SQL.format(theme=quote_identifier(table)) if column is None
                     else f"CAST({quote_identifier(column)} AS VARCHAR)")
            parts.append(f"SELECT DISTINCT ? AS field, {value} AS value, ? AS field_order"
                         f" FROM {quote_identifier(table)} WHERE {value} IS NOT NULL AND trim({value}) <> ''")
            params += [field, order]
    sql = f"SELECT DISTINCT field, value, field_order FROM ({' UNION ALL '.join(parts)}) ORDER BY field_order, value"
    return con.execute(sql, params).df()[["field", "value"]]
