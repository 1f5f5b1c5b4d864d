"""The themes' rows in the store: written again in one transaction when the texts have grown, with
labels people edited kept for the same top words."""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import duckdb
import pandas as pd

from store.db import write_claimed
from store.errors import QueryError

if TYPE_CHECKING:
    # only named here: finding themes loads scikit-learn (loaders.learning)
    from text.themes import Themes


def has_themes(con: duckdb.DuckDBPyConnection) -> bool:
    # a store opened read-only before these tables existed has none
    return bool(con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'text_theme'"
                            " AND table_schema = current_schema()").fetchone()[0])


def themed_texts(con: duckdb.DuckDBPyConnection) -> int:
    """Distinct texts grouped in the last run (0 before any)."""
    return int(con.execute("SELECT coalesce(max(texts), 0) FROM theme").fetchone()[0])


def save_themes(con: duckdb.DuckDBPyConnection, texts: list[str], themes: Themes) -> None:
    now = dt.datetime.now().replace(microsecond=0)
    labels = [" · ".join(words) for words in themes.names]
    assigned = pd.DataFrame({"text": pd.Series(texts, dtype=object),
                             "theme_id": pd.Series(themes.assignment, dtype="int32")})

    def write() -> None:
        edited = {tuple(words): label for words, label in con.execute(
            "SELECT top_words, label FROM theme WHERE label_edited").fetchall()}
        con.execute("DELETE FROM theme")
        con.execute("DELETE FROM text_theme")
        for theme_id, (words, label) in enumerate(zip(themes.names, labels)):
            kept = edited.get(tuple(words))
            con.execute("INSERT INTO theme VALUES (?, ?, ?, ?, ?, ?)",
                        [theme_id, now, len(texts), words, kept or label or "–", kept is not None])
        con.execute("INSERT INTO text_theme SELECT text, theme_id FROM text_theme_frame")

    con.register("text_theme_frame", assigned)
    try:
        # the store's writer row, as an import's: two processes finding themes at once take turns
        write_claimed(con, write, failure="the themes could not be stored; the previous ones stay")
    finally:
        con.unregister("text_theme_frame")


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
