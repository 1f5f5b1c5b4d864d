"""The themes' rows in the store: written again in one transaction when the texts have grown, with
labels people edited kept for the same top words and the fitted model kept beside them (versioned),
so that every import places its new texts in them."""
from __future__ import annotations

import datetime as dt
from array import array
from typing import TYPE_CHECKING

import duckdb
import pandas as pd
import pyarrow as pa

from store.db import ROW_BATCHES_SQL, add_theme_months, rewrite_theme_months, write_claimed
from store.errors import QueryError
from text.model_format import THEME_FORMAT, format_of

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
    """Themes given as found (find_themes), without their model: none is kept, and no stored model
    places texts in these themes (they are found again at the next import, loaders/learning.py)."""
    assigned = pd.DataFrame({"text": pd.Series(texts, dtype=object),
                             "theme_id": pd.Series(themes.assignment, dtype="int32")})
    con.register("text_theme_frame", assigned)
    try:
        _write_themes(con, themes.names, len(texts), "SELECT text, theme_id FROM text_theme_frame", None)
    finally:
        con.unregister("text_theme_frame")


def save_theme_model(con: duckdb.DuckDBPyConnection, model: ThemeModel, texts_sql: str) -> int:
    """The themes of `model` and the model itself stored (its next version), with every distinct text
    of the first column of `texts_sql` placed in one of them, in one transaction; how many texts that
    was. The texts stay in DuckDB and go to the model a chunk at a time: Python holds each text's
    number and theme, never the texts at once (issue 20's memory floor: a store's million
    descriptions are hundreds of MB)."""
    total = _number_texts(con, f"SELECT DISTINCT #1 AS text FROM ({texts_sql}) WHERE #1 IS NOT NULL")
    try:
        con.register("text_theme_keys", _placed(con, model, total))
        try:
            _write_themes(con, model.names, total, _PLACED_SQL, model)
        finally:
            con.unregister("text_theme_keys")
        return total
    finally:
        con.execute("DROP TABLE IF EXISTS texts_to_theme")


# the numbered texts (_number_texts) with the theme each was placed in (_placed)
_PLACED_SQL = "SELECT t.text, a.theme_id FROM texts_to_theme t JOIN text_theme_keys a USING (k)"
# the distinct texts of a query's first column that have no theme yet
_UNTHEMED_SQL = ("SELECT DISTINCT n.text FROM (SELECT #1 AS text FROM ({texts})) n WHERE n.text IS NOT NULL"
                 " AND NOT EXISTS (SELECT 1 FROM text_theme tt WHERE tt.text = n.text)")


def _number_texts(con: duckdb.DuckDBPyConnection, texts_sql: str, params: list | None = None) -> int:
    """The temporary table texts_to_theme (text, k) of the distinct texts `texts_sql` gives, numbered
    in order; how many."""
    con.execute("CREATE OR REPLACE TEMP TABLE texts_to_theme AS SELECT text, row_number() OVER (ORDER BY text) AS k"
                f" FROM ({texts_sql}) ORDER BY k", params or [])
    return int(con.execute("SELECT count(*) FROM texts_to_theme").fetchone()[0])


def _placed(con: duckdb.DuckDBPyConnection, model: ThemeModel, total: int) -> pa.Table:
    """Each of texts_to_theme's `total` texts' number and theme, placed by `model` a chunk at a time; a
    text of a language the model's texts had none of is left out (it stays without a theme)."""
    keys, themes = array("q"), array("q")
    for start in range(0, total, THEME_CHUNK):
        rows = con.execute("SELECT k, text FROM texts_to_theme WHERE k > ? AND k <= ? ORDER BY k",
                           [start, start + THEME_CHUNK]).fetchall()
        for (k, _), theme in zip(rows, model.assign([text for _, text in rows])):
            if theme is not None:
                keys.append(k)
                themes.append(theme)
        del rows
    return pa.table({"k": pa.array(keys, type=pa.int64()), "theme_id": pa.array(themes, type=pa.int32())})


def unthemed_texts(con: duckdb.DuckDBPyConnection, texts_sql: str, params: list | None = None) -> int:
    """How many distinct texts of the first column of `texts_sql` have no theme."""
    return int(con.execute(f"SELECT count(*) FROM ({_UNTHEMED_SQL.format(texts=texts_sql)})", params or []
                           ).fetchone()[0])


def latest_theme_model_current(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the newest stored theme model is of the format this version reads, from its BLOB's
    first opcodes, without loading it (text/model_format.py)."""
    row = con.execute("SELECT model FROM theme_model ORDER BY version DESC LIMIT 1").fetchone()
    return row is not None and format_of(bytes(row[0])) >= THEME_FORMAT


def latest_theme_model(con: duckdb.DuckDBPyConnection) -> tuple[int, ThemeModel] | None:
    """The newest stored theme model and its version; None when there is none of this format."""
    row = con.execute("SELECT version, model FROM theme_model ORDER BY version DESC LIMIT 1").fetchone()
    if not row:
        return None
    # imported here for start-up time: scikit-learn (the model's own library) loads only when an
    # import brings texts to place, not with every import and summary
    from text.themes import ThemeModel
    model = ThemeModel.from_bytes(bytes(row[1]))
    return None if model is None else (int(row[0]), model)


def place_texts(con: duckdb.DuckDBPyConnection, version: int, model: ThemeModel, texts_sql: str,
                params: list | None = None) -> int:
    """The distinct texts of the first column of `texts_sql` that have no theme (an import's new
    comments and descriptions) placed in the themes of the stored model `version`, as a run of the
    themes places every text (nearest centre), in one transaction; how many were placed. Nothing is
    placed when the themes were found again meanwhile (by another process): that run placed the
    texts the store held."""
    _number_texts(con, _UNTHEMED_SQL.format(texts=texts_sql), params)
    try:
        total = int(con.execute("SELECT count(*) FROM texts_to_theme").fetchone()[0])
        con.register("text_theme_keys", _placed(con, model, total))

        def write() -> int:
            newest = con.execute("SELECT max(version) FROM theme_model").fetchone()[0]
            if newest != version:
                return 0
            placed = con.execute(f"SELECT count(*) FROM ({_PLACED_SQL}) p WHERE NOT EXISTS"
                                 " (SELECT 1 FROM text_theme tt WHERE tt.text = p.text)").fetchone()[0]
            # not placed twice: another process's import of the same texts may have placed them
            con.execute(f"INSERT INTO text_theme SELECT * FROM ({_PLACED_SQL}) p WHERE NOT EXISTS"
                        " (SELECT 1 FROM text_theme tt WHERE tt.text = p.text)")
            return int(placed)

        try:
            # the writer row: an import's placing and another's new themes (which rewrite the table) take turns
            return write_claimed(con, write, failure="the new texts could not be placed in the themes;"
                                                     " they are placed when the themes are found again")
        finally:
            con.unregister("text_theme_keys")
    finally:
        con.execute("DROP TABLE IF EXISTS texts_to_theme")


def _write_themes(con: duckdb.DuckDBPyConnection, names: list[list[str]], texts: int, assigned_sql: str,
                  model: ThemeModel | None) -> None:
    """The themes `names`, the texts' themes (`assigned_sql`: text, theme_id) and the `model` that
    found them (its next version; None: the stored ones go, none placing texts in these themes) in
    place of the stored ones, in one transaction."""
    now = dt.datetime.now().replace(microsecond=0)
    labels = [NAME_JOINER.join(words) for words in names]
    blob = None if model is None else model.to_bytes()

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
        if blob is None:
            con.execute("DELETE FROM theme_model")
        else:
            con.execute("INSERT INTO theme_model SELECT coalesce(max(version), 0) + 1, ?, ?, ? FROM theme_model",
                        [now, texts, blob])
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
