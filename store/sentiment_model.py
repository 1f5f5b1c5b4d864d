"""The learned sentiment model's rows in the store: the labelled comments it learns from, its
versions, and rescoring every stored text with a new version in one transaction."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import pandas as pd

from store.db import rewrite_tallies, write_claimed
from store.errors import QueryError
from text.learned import LearnedSentiment

# NPS 0-6 is a detractor, 9-10 a promoter; overall satisfaction in the bottom quarter of its scale is
# negative, at the top positive. One row per distinct (text, language, label) with how many say it.
LABELLED_SQL = """
SELECT text, language, label, count(*) AS n FROM (
    SELECT comment AS text, comment_language AS language, CASE WHEN score <= 6 THEN 0 ELSE 1 END AS label
    FROM nps_response
    WHERE comment IS NOT NULL AND comment_language IS NOT NULL AND (score <= 6 OR score >= 9)
    UNION ALL
    SELECT comment, comment_language,
           CASE WHEN overall_satisfaction >= overall_scale_max THEN 1 ELSE 0 END
    FROM survey_response
    WHERE comment IS NOT NULL AND comment_language IS NOT NULL AND overall_satisfaction IS NOT NULL
      AND overall_scale_max > overall_scale_min
      AND (overall_satisfaction >= overall_scale_max
           OR (overall_satisfaction - overall_scale_min) / (overall_scale_max - overall_scale_min) <= 0.25)
) GROUP BY ALL ORDER BY language, text, label
"""
LABEL_COUNT_SQL = f"SELECT coalesce(sum(n), 0) FROM ({LABELLED_SQL})"

# the stored texts a model scores: (table, text column, language column)
SCORED_COLUMNS = (("survey_response", "comment", "comment_language"),
                  ("nps_response", "comment", "comment_language"),
                  ("complaint", "description", "description_language"))


@dataclass(frozen=True)
class ModelVersion:
    version: int
    trained_at: dt.datetime
    labels: int
    labels_en: int
    labels_zh: int
    agreeing: int
    agreement_n: int
    train_seconds: float | None

    @property
    def agreement(self) -> float | None:
        return self.agreeing / self.agreement_n if self.agreement_n else None


_VERSION_COLUMNS = "version, trained_at, labels, labels_en, labels_zh, agreeing, agreement_n, train_seconds"


def labelled_comments(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    try:
        return con.execute(LABELLED_SQL).df()
    except duckdb.Error as e:
        raise QueryError(f"the comments with their writer's score could not be read ({e})") from e


def label_count(con: duckdb.DuckDBPyConnection) -> int:
    return int(con.execute(LABEL_COUNT_SQL).fetchone()[0])


def _has_models(con: duckdb.DuckDBPyConnection) -> bool:
    # a store opened read-only before this table existed has none
    return bool(con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'sentiment_model'"
                            " AND table_schema = current_schema()").fetchone()[0])


def latest_version(con: duckdb.DuckDBPyConnection) -> ModelVersion | None:
    if not _has_models(con):
        return None
    row = con.execute(f"SELECT {_VERSION_COLUMNS} FROM sentiment_model ORDER BY version DESC LIMIT 1").fetchone()
    return ModelVersion(*row) if row else None


def latest_model(con: duckdb.DuckDBPyConnection) -> LearnedSentiment | None:
    if not _has_models(con):
        return None
    row = con.execute("SELECT model FROM sentiment_model ORDER BY version DESC LIMIT 1").fetchone()
    return LearnedSentiment.from_bytes(bytes(row[0])) if row else None


def stored_texts(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every distinct stored text a model scores."""
    union = " UNION ".join(f"SELECT {column} FROM {table} WHERE {column} IS NOT NULL"
                           for table, column, _ in SCORED_COLUMNS)
    try:
        return [row[0] for row in con.execute(union).fetchall()]
    except duckdb.Error as e:
        raise QueryError(f"the stored texts could not be read for rescoring ({e})") from e


def save_and_rescore(con: duckdb.DuckDBPyConnection, model: LearnedSentiment, scored: pd.DataFrame,
                     train_seconds: float | None = None) -> ModelVersion:
    """Store `model` as the next version and give every stored text its score from `scored` (text,
    language, sentiment), rewriting the monthly tallies, in one transaction; record the rescoring."""
    now = dt.datetime.now().replace(microsecond=0)

    def write() -> None:
        version = int(con.execute("SELECT coalesce(max(version), 0) + 1 FROM sentiment_model").fetchone()[0])
        con.execute("CREATE OR REPLACE TEMP TABLE rescored AS SELECT text::VARCHAR AS text,"
                    " sentiment::DOUBLE AS sentiment FROM rescored_frame")
        changed = 0
        for table, column, _ in SCORED_COLUMNS:
            changed += int(con.execute(
                f"SELECT count(*) FROM {table} t JOIN rescored r ON t.{column} = r.text"
                " WHERE t.sentiment IS DISTINCT FROM r.sentiment").fetchone()[0])
            con.execute(f"UPDATE {table} SET sentiment = r.sentiment FROM rescored r"
                        f" WHERE {table}.{column} = r.text")
        rewrite_tallies(con)
        con.execute(
            f"INSERT INTO sentiment_model ({_VERSION_COLUMNS}, model) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [version, now, model.labels(), model.labels("en"), model.labels("zh"), model.agreement.agreeing,
             model.agreement.n, train_seconds, model.to_bytes()])
        con.execute("INSERT INTO sentiment_rescore VALUES (?, ?, ?, ?)", [version, now, len(scored), changed])

    con.register("rescored_frame", scored)
    try:
        # the store's writer row, as an import's: it rewrites rows and tallies an import or undo writes
        write_claimed(con, write,
                      failure="the texts could not be rescored with the new sentiment model; nothing changed")
    finally:
        con.unregister("rescored_frame")
    return latest_version(con)
