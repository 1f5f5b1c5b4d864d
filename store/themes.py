"""The themes' rows in the store: written again in one transaction when the texts have grown, with
labels people edited kept for the same top words."""
from __future__ import annotations

import datetime as dt
from array import array
from typing import TYPE_CHECKING

import duckdb
import pandas as pd
import pyarrow as pa

from store.db import ROW_BATCHES_SQL, add_theme_months, rewrite_theme_months, write_claimed
from store.errors import QueryError

if TYPE_CHECKING:
    # only named here: finding and placing themes loads scikit-learn (loaders.learning)
    from text.themes import ThemeModel, Themes

# distinct texts placed in a theme at a time (save_theme_model)
THEME_CHUNK = 20_000
NAME_JOINER = " · "
NO_WORDS = "–"
# A theme's name from its words, as _write_themes writes it for a theme nobody renamed: the value the
# label table (store/labels.py, field 'theme') labels, since a theme found again with the same top words
# is the same theme. `{theme}` is the theme table's alias.
WORDS_NAME_SQL = f"coalesce(nullif(array_to_string({{theme}}.top_words, '{NAME_JOINER}'), ''), '{NO_WORDS}')"


def themed_texts(con: duckdb.DuckDBPyConnection) -> int:
    """Distinct texts grouped in the last run (0 before any)."""
    return int(con.execute("SELECT coalesce(max(texts), 0) FROM theme").fetchone()[0])


def save_themes(con: duckdb.DuckDBPyConnection, texts: list[str], themes: Themes) -> None:
    assigned = pd.DataFrame({"text": pd.Series(texts, dtype=object),
                             "theme_id": pd.Series(themes.assignment, dtype="int32")})
    con.register("text_theme_frame", assigned)
    try:
        _write_themes(con, themes.names, len(texts), "SELECT text, theme_id FROM text_theme_frame")
    finally:
        con.unregister("text_theme_frame")


def save_theme_model(con: duckdb.DuckDBPyConnection, model: ThemeModel, texts_sql: str) -> int:
    """The themes of `model` stored, with every distinct text of the first column of `texts_sql`
    placed in one of them; how many texts that was. The texts stay in DuckDB and go to the model
    a chunk at a time: Python holds each text's number and theme, never the texts at once (issue
    20's memory floor: a store's million descriptions are hundreds of MB)."""
    con.execute("CREATE OR REPLACE TEMP TABLE texts_to_theme AS SELECT text, row_number() OVER (ORDER BY text) AS k"
                f" FROM (SELECT DISTINCT #1 AS text FROM ({texts_sql}) WHERE #1 IS NOT NULL) ORDER BY k")
    try:
        total = con.execute("SELECT count(*) FROM texts_to_theme").fetchone()[0]
        keys, themes = array("q"), array("q")
        for start in range(0, total, THEME_CHUNK):
            rows = con.execute("SELECT k, text FROM texts_to_theme WHERE k > ? AND k <= ? ORDER BY k",
                               [start, start + THEME_CHUNK]).fetchall()
            for (k, _), theme in zip(rows, model.assign([text for _, text in rows])):
                # a text of a language the sample had none of stays without a theme
                if theme is not None:
                    keys.append(k)
                    themes.append(theme)
            del rows
        assigned = pa.table({"k": pa.array(keys, type=pa.int64()), "theme_id": pa.array(themes, type=pa.int32())})
        del keys, themes
        con.register("text_theme_keys", assigned)
        try:
            _write_themes(con, model.names, total, "SELECT t.text, a.theme_id FROM texts_to_theme t"
                                                   " JOIN text_theme_keys a USING (k)")
        finally:
            con.unregister("text_theme_keys")
        return total
    finally:
        con.execute("DROP TABLE IF EXISTS texts_to_theme")


def _write_themes(con: duckdb.DuckDBPyConnection, names: list[list[str]], texts: int, assigned_sql: str) -> None:
    """The themes `names` and the texts' themes (`assigned_sql`: text, theme_id) in place of the
    stored ones, in one transaction."""
    now = dt.datetime.now().replace(microsecond=0)
    labels = [NAME_JOINER.join(words) for words in names]

    def write() -> None:
        edited = {tuple(words): label for words, label in con.execute(
            "SELECT top_words, label FROM theme WHERE label_edited").fetchall()}
        con.execute("DELETE FROM theme")
        con.execute("DELETE FROM text_theme")
        for theme_id, (words, label) in enumerate(zip(names, labels)):
            kept = edited.get(tuple(words))
            con.execute("INSERT INTO theme VALUES (?, ?, ?, ?, ?, ?)",
                        [theme_id, now, texts, words, kept or label or NO_WORDS, kept is not None])
        con.execute(f"INSERT INTO text_theme {assigned_sql}")
        rewrite_theme_months(con)

    # the store's writer row, as an import's: two processes finding themes at once take turns
    write_claimed(con, write, failure="the themes could not be stored; the previous ones stay")


def add_new_batches_themes(con: duckdb.DuckDBPyConnection) -> int:
    """The themed texts by month (theme_month) of the batches imported since they were last written;
    how many batches that was."""
    # looked at before taking the writer row: an import of rows without new batches writes nothing
    if not con.execute(f"SELECT count(*) FROM ({ROW_BATCHES_SQL})"
                       " WHERE batch_id NOT IN (SELECT batch_id FROM theme_batch)").fetchone()[0]:
        return 0
    return write_claimed(con, lambda: add_theme_months(con), failure="the themed texts by month could not be stored")


def rename_theme(con: duckdb.DuckDBPyConnection, theme_id: int, label: str) -> None:
    """Give a theme a label of one's own; it stays when the themes are found again with the same top words."""
    if not label.strip():
        raise QueryError("a theme's label cannot be empty")

    def write() -> None:
        found = con.execute("SELECT count(*) FROM theme WHERE theme_id = ?", [theme_id]).fetchone()[0]
        if not found:
            raise QueryError(f"there is no theme {theme_id}; `python -m loaders themes` lists them")
        con.execute("UPDATE theme SET label = ?, label_edited = true WHERE theme_id = ?", [label.strip(), theme_id])

    # the writer row: a rename and an import's new themes (which rewrite the table) take turns
    write_claimed(con, write, failure=f"theme {theme_id} could not be renamed")


def theme_list(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute("SELECT theme_id, label, top_words, label_edited FROM theme ORDER BY theme_id").fetchall()
