"""The learned sentiment model's rows in the store: the labelled comments it learns from, its
versions, and rescoring every stored text with a new version in one transaction."""
from __future__ import annotations

import datetime as dt
from array import array
from dataclasses import dataclass
from typing import TYPE_CHECKING

import duckdb
import pandas as pd
import pyarrow as pa

from store.db import rewrite_tallies, write_claimed
from store.errors import QueryError
from store.learning_counts import keep_count
from store.db import quote_identifier
from text.labels import LEARNED_LANGUAGES
from text.model_format import FORMAT, format_of
from text.sentiment import BASELINE_VERSION, chunk_size, score_chunks

if TYPE_CHECKING:
    from text.learned import LearnedSentiment

# NPS 0-6 is a detractor, 9-10 a promoter; overall satisfaction in the bottom quarter of its scale is
# negative, at the top positive. One row per labelled comment in a language a model learns, bound as
# $languages (LEARNED_LANGUAGES; 'zxx', a comment of emoji or codes alone, has no words for one:
# text/sentiment.py SIGNS_ONLY).
LABELLED_ROWS_SQL = """
    SELECT comment AS text, comment_language AS language, CASE WHEN score <= 6 THEN 0 ELSE 1 END AS label
    FROM nps_response
    WHERE comment IS NOT NULL AND list_contains($languages, comment_language) AND (score <= 6 OR score >= 9)
    UNION ALL
    SELECT comment, comment_language,
           CASE WHEN overall_satisfaction >= overall_scale_max THEN 1 ELSE 0 END
    FROM survey_response
    WHERE comment IS NOT NULL AND list_contains($languages, comment_language) AND overall_satisfaction IS NOT NULL
      AND overall_scale_max > overall_scale_min
      AND (overall_satisfaction >= overall_scale_max
           OR (overall_satisfaction - overall_scale_min) / (overall_scale_max - overall_scale_min) <= 0.25)
"""
# One row per distinct (text, language, label) with how many say it.
LABELLED_SQL = (f"SELECT text, language, label, count(*) AS n FROM ({LABELLED_ROWS_SQL})"
                " GROUP BY ALL ORDER BY language, text, label")
# the labelled comments, repeats counted: the sum of LABELLED_SQL's n, without grouping the texts
LABEL_COUNT_SQL = f"SELECT count(*) FROM ({LABELLED_ROWS_SQL})"
# distinct labelled texts by language and class, for one language
CLASS_COUNTS_SQL = (f"SELECT label, count(*) FROM (SELECT DISTINCT text, label FROM ({LABELLED_ROWS_SQL})"
                    " WHERE language = $language) GROUP BY label")

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


def labelled_comments(con: duckdb.DuckDBPyConnection, at_most: int | None = None,
                      at_most_chars: int | None = None) -> pd.DataFrame:
    """The labelled comments (LABELLED_SQL); `at_most` of them, a sample the same store always gives,
    taken in DuckDB, so that a store of a million labelled texts never holds them all in Python;
    `at_most_chars`: the longest start of that sample whose texts hold at most this many characters
    (the training's features grow with the characters, not the texts; issue 20's memory floor)."""
    sql, params = LABELLED_SQL, {"languages": list(LEARNED_LANGUAGES)}
    order = "hash(text, language, label), text, language, label"
    if at_most is not None:
        sql = f"SELECT * FROM ({LABELLED_SQL}) ORDER BY {order} LIMIT $at_most"
        params["at_most"] = at_most
    if at_most_chars is not None:
        sql = (f"SELECT * EXCLUDE (chars_so_far) FROM (SELECT *, sum(length(text)) OVER (ORDER BY {order}"
               f" ROWS UNBOUNDED PRECEDING) AS chars_so_far FROM ({sql})) WHERE chars_so_far <= $at_most_chars"
               f" ORDER BY {order}")
        params["at_most_chars"] = at_most_chars
    try:
        return con.execute(sql, params).df()
    except duckdb.Error as e:
        raise QueryError(f"the comments with their writer's score could not be read ({e})") from e


def label_count(con: duckdb.DuckDBPyConnection) -> int:
    return int(con.execute(LABEL_COUNT_SQL, {"languages": list(LEARNED_LANGUAGES)}).fetchone()[0])


def distinct_texts_by_class(con: duckdb.DuckDBPyConnection, language: str) -> tuple[int, int]:
    """(negative, positive): the distinct labelled texts of `language` in each class."""
    counts = dict(con.execute(CLASS_COUNTS_SQL, {"languages": list(LEARNED_LANGUAGES), "language": language}).fetchall())
    return int(counts.get(0, 0)), int(counts.get(1, 0))


def latest_version(con: duckdb.DuckDBPyConnection) -> ModelVersion | None:
    row = con.execute(f"SELECT {_VERSION_COLUMNS} FROM sentiment_model ORDER BY version DESC LIMIT 1").fetchone()
    return ModelVersion(*row) if row else None


def latest_model(con: duckdb.DuckDBPyConnection) -> LearnedSentiment | None:
    row = con.execute("SELECT model FROM sentiment_model ORDER BY version DESC LIMIT 1").fetchone()
    if not row:
        return None
    # imported here for start-up time: scikit-learn (the model's own library) loads only when a
    # store holds a model, not with every import and summary of a store that has none
    from text.learned import LearnedSentiment
    return LearnedSentiment.from_bytes(bytes(row[0]))


def latest_model_current(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the newest stored model is of the format this version blends with, read from its
    BLOB without loading it (text/model_format.py; latest_model gives None for an older one)."""
    row = con.execute("SELECT model FROM sentiment_model ORDER BY version DESC LIMIT 1").fetchone()
    return row is not None and format_of(bytes(row[0])) >= FORMAT


STORED_TEXTS_SQL = " UNION ".join(f"SELECT {column} FROM {table} WHERE {column} IS NOT NULL"
                                  for table, column, _ in SCORED_COLUMNS)


def score_into(con: duckdb.DuckDBPyConnection, texts_sql: str, table: str,
               model: LearnedSentiment | None = None) -> int:
    """A temporary `table` (text, language, sentiment) of the distinct texts in the first column of
    `texts_sql` (NULLs and texts of spaces get no row), as text.sentiment.score_texts scores them;
    how many texts it holds.

    The texts stay in DuckDB, numbered in order, and go to the scorer a chunk at a time; Python holds
    each text's number, language and score, never the texts at once (issue 20's memory floor: a
    file of long, distinct comments, or the store's texts when a new model rescores them, hold
    hundreds of MB of them)."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE texts_to_score AS SELECT text, row_number() OVER (ORDER BY text) AS k"
        f" FROM (SELECT DISTINCT #1 AS text FROM ({texts_sql}) WHERE #1 IS NOT NULL) ORDER BY k")
    total = con.execute("SELECT count(*) FROM texts_to_score").fetchone()[0]
    size = chunk_size(total)
    keys = array("q")

    def chunks():
        for start in range(0, total, size):
            rows = con.execute("SELECT k, text FROM texts_to_score WHERE k > ? AND k <= ? ORDER BY k",
                               [start, start + size]).fetchall()
            # a text of spaces is no text: score_texts gives it no row either
            kept = [(k, text) for k, text in rows if text.strip()]
            keys.extend(k for k, _ in kept)
            yield [text for _, text in kept]

    languages: list[str | None] = []
    scores: list[float | None] = []
    for part in score_chunks(chunks(), total, model=model):
        for language, value in part:
            languages.append(language)
            scores.append(value)
    scored = pa.table({"k": pa.array(keys, type=pa.int64()), "language": pa.array(languages, type=pa.string()),
                       "sentiment": pa.array(scores, type=pa.float64())})
    con.register("scored_keys_frame", scored)
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {quote_identifier(table)} AS SELECT t.text, s.language,"
                    " s.sentiment::DOUBLE AS sentiment FROM texts_to_score t JOIN scored_keys_frame s USING (k)")
    finally:
        con.unregister("scored_keys_frame")
        con.execute("DROP TABLE texts_to_score")
    return len(keys)


# two polarities closer than this are the same score (rows changed, as the rescoring records count them)
SAME_SCORE = 1e-9


def _write_scores(con: duckdb.DuckDBPyConnection, source: str) -> int:
    """Every stored text's sentiment and language from `source` (text, language, sentiment), the
    monthly tallies written again, inside the caller's transaction; how many rows changed. A text
    `source` has no row for (one of spaces) keeps what it has."""
    con.execute("CREATE OR REPLACE TEMP TABLE rescored AS SELECT text::VARCHAR AS text,"
                f" language::VARCHAR AS language, sentiment::DOUBLE AS sentiment FROM {source}")
    changed = 0
    for table, column, language in SCORED_COLUMNS:
        # a score that moved in its last bits only (the model's sums over a batch of another size) is
        # no change to tell an analyst of; it is written all the same
        changed += int(con.execute(
            f"SELECT count(*) FROM {table} t JOIN rescored r ON t.{column} = r.text"
            f" WHERE (t.sentiment IS NULL) <> (r.sentiment IS NULL) OR abs(t.sentiment - r.sentiment) > {SAME_SCORE}"
            f" OR t.{language} IS DISTINCT FROM r.language"
        ).fetchone()[0])
        con.execute(f"UPDATE {table} SET sentiment = r.sentiment, {language} = r.language FROM rescored r"
                    f" WHERE {table}.{column} = r.text")
    rewrite_tallies(con)
    return changed


def baseline_of_scores(con: duckdb.DuckDBPyConnection) -> int | None:
    """The baseline (text/sentiment.py BASELINE_VERSION) every stored text was last scored with; None
    for a store whose texts were scored before the baseline's versions were kept."""
    row = con.execute("SELECT baseline FROM baseline_rescore ORDER BY rescored_at DESC, baseline DESC"
                      " LIMIT 1").fetchone()
    return None if row is None else int(row[0])


def rescore_with_baseline(con: duckdb.DuckDBPyConnection, scored: str) -> int:
    """Every stored text given its score and language from the temporary table `scored` (score_into,
    with this version's baseline and the store's model), the tallies written again and the rescoring
    recorded with BASELINE_VERSION, in one transaction; how many rows changed."""
    count = con.execute(f"SELECT count(*) FROM {quote_identifier(scored)}").fetchone()[0]

    def write() -> int:
        changed = _write_scores(con, quote_identifier(scored))
        # to the microsecond, as the store's first row (store/db.py): the newest row is the one that holds
        con.execute("INSERT INTO baseline_rescore VALUES (?, ?, ?, ?)",
                    [BASELINE_VERSION, dt.datetime.now(), count, changed])
        return changed

    return write_claimed(con, write, failure="the texts could not be scored again with this version's baseline;"
                                             " nothing changed")


def save_and_rescore(con: duckdb.DuckDBPyConnection, model: LearnedSentiment, scored: pd.DataFrame | str,
                     train_seconds: float | None = None, labels_counted: tuple[int, int] | None = None
                     ) -> ModelVersion:
    """Store `model` as the next version and give every stored text its score from `scored` (text,
    language, sentiment: a frame, or the temporary table score_into wrote), rewriting the monthly
    tallies, in one transaction; record the rescoring. `labels_counted`: the labelled comments the
    store held when the model was trained and the rows ever written read before them
    (store/learning_counts.py), kept with the version: the next model is due from them."""
    now = dt.datetime.now().replace(microsecond=0)
    source = quote_identifier(scored) if isinstance(scored, str) else "rescored_frame"
    count = con.execute(f"SELECT count(*) FROM {source}").fetchone()[0] if isinstance(scored, str) else len(scored)

    def write() -> None:
        version = int(con.execute("SELECT coalesce(max(version), 0) + 1 FROM sentiment_model").fetchone()[0])
        changed = _write_scores(con, source)
        con.execute(
            f"INSERT INTO sentiment_model ({_VERSION_COLUMNS}, model) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [version, now, model.labels(), model.labels("en"), model.labels("zh"), model.agreement.agreeing,
             model.agreement.n, train_seconds, model.to_bytes()])
        con.execute("INSERT INTO sentiment_rescore VALUES (?, ?, ?, ?)", [version, now, count, changed])
        # every text was scored with this version's baseline, blended
        con.execute("INSERT INTO baseline_rescore VALUES (?, ?, ?, ?)",
                    [BASELINE_VERSION, dt.datetime.now(), count, changed])
        if labels_counted is not None:
            keep_count(con, "labels", *labels_counted, version=version)

    if not isinstance(scored, str):
        con.register("rescored_frame", scored)
    try:
        # the store's writer row, as an import's: it rewrites rows and tallies an import or undo writes
        write_claimed(con, write,
                      failure="the texts could not be rescored with the new sentiment model; nothing changed")
    finally:
        if not isinstance(scored, str):
            con.unregister("rescored_frame")
    return latest_version(con)
