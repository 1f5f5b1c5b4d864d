"""Retraining the learned sentiment model when enough new labelled comments have arrived, and
rescoring every stored text with it (text/learned.py, store/sentiment_model.py); finding the themes
again when the texts have grown (text/themes.py, store/themes.py), and between those runs placing
each import's new texts in the stored themes."""
from __future__ import annotations

import time

import duckdb

from store.errors import StoreBusy
from store.learning_counts import keep_count_claimed, least_margin, rows_ever, trained_on
from store.sentiment_model import (
    STORED_TEXTS_SQL, ModelVersion, baseline_of_scores, distinct_texts_by_class, label_count, labelled_comments,
    latest_model, latest_model_current, latest_version, rescore_with_baseline, save_and_rescore, score_into
)
from store.themes import (
    add_new_batches_themes, latest_theme_model, latest_theme_model_current, place_texts, save_theme_model, themed_texts,
    unthemed_texts
)
from text.labels import AGREEMENT_SAMPLE, MIN_PER_CLASS
from text.sentiment import BASELINE_VERSION, baseline_polarities

# the first model needs this many labelled comments; a new one, this share more than the last had
FIRST_MODEL_LABELS = 100
RETRAIN_GROWTH = 0.25
# distinct labelled texts a model learns from at most: the newest store's texts beyond it add
# little and would stretch the import
MAX_TRAINING_TEXTS = 100_000
# and their characters at most: a character n-gram model of 100,000 long Chinese comments took over
# a gigabyte to fit, beside what the upload page holds (issue 20's floor); this many characters fit
# in a few hundred megabytes and still teach a model tens of thousands of comments
MAX_TRAINING_CHARS = 10_000_000


def labels_needed(con: duckdb.DuckDBPyConnection) -> float:
    """The labelled comments at which the next model is due."""
    current = latest_version(con)
    # a stored model of an older format (text/learned.py's FORMAT) is replaced as a first one would be
    if current is None or not latest_model_current(con):
        return FIRST_MODEL_LABELS
    # grown from the labels the store held when the model was trained, not from those it learned from:
    # past the training sample's caps those stay put and every import was a new model. A model trained
    # before these counts were kept has only the latter (retrained once more, it gets the former).
    held = trained_on(con, current.version)
    return max(FIRST_MODEL_LABELS, (current.labels if held is None else held) * (1 + RETRAIN_GROWTH))


def retrain_due(con: duckdb.DuckDBPyConnection) -> bool:
    return _reaches(con, "labels", labels_needed(con), label_count) or _language_can_now_learn(con)


def _language_can_now_learn(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether a language the newest model learned nothing of, while the store held labels it did not
    learn from, now has enough of both classes for a model (text/learned.py fit_learned's minimum,
    and that many expected in its agreement sample). Growth alone missed it: a store whose first
    comments were all promoters kept a model of no text model, and detractors short of a quarter
    more labels never brought one (2,079 positive tweets imported, then 398 negative: the baseline
    stayed, macro-F1 0.671 against 0.796 for the same comments imported at once)."""
    current = latest_version(con)
    if current is None or not latest_model_current(con):
        return False
    held = trained_on(con, current.version)
    # the model learned from every label the store held then: no language was left without one
    if held is None or held <= current.labels:
        return False
    for language, learned in (("en", current.labels_en), ("zh", current.labels_zh)):
        if learned:
            continue
        negative, positive = distinct_texts_by_class(con, language)
        expected_in_sample = min(1.0, AGREEMENT_SAMPLE / max(negative + positive, 1))
        if min(negative, positive) * expected_in_sample >= MIN_PER_CLASS:
            return True
    return False


def _reaches(con: duckdb.DuckDBPyConnection, what: str, needed: float, count) -> bool:
    """Whether `count(con)` (of `what`, store/learning_counts.py) is at least `needed`, counted only
    when the kept counts and the rows written since allow it; a count taken is kept when it bounds
    later ones more tightly."""
    rows_before = rows_ever(con, what)
    least = least_margin(con, what)
    if least is not None and least + rows_before < needed:
        return False
    counted = count(con)
    if least is None or counted - rows_before < least:
        keep_count_claimed(con, what, counted, rows_before)
    return counted >= needed


def retrain(con: duckdb.DuckDBPyConnection) -> ModelVersion:
    """Train a model on the store's labelled comments, store it as the next version and rescore
    every stored text with it, all in one transaction (save_and_rescore)."""
    # imported here for start-up time: scikit-learn loads only when a model is due, not with every
    # import (an NPS file without comments has nothing to learn from)
    from text.learned import fit_learned

    rows_before = rows_ever(con, "labels")
    labels_held = label_count(con)
    labelled = labelled_comments(con, at_most=MAX_TRAINING_TEXTS, at_most_chars=MAX_TRAINING_CHARS)
    started = time.perf_counter()
    model = fit_learned(labelled["text"].tolist(), labelled["language"].tolist(), labelled["label"].tolist(),
                        labelled["n"].tolist(), baseline_polarities)
    seconds = time.perf_counter() - started
    del labelled
    # every stored text, streamed to the scorer from the store
    score_into(con, STORED_TEXTS_SQL, "rescored_texts", model)
    try:
        return save_and_rescore(con, model, "rescored_texts", train_seconds=round(seconds, 3),
                                labels_counted=(labels_held, rows_before))
    finally:
        con.execute("DROP TABLE IF EXISTS rescored_texts")


def retrain_if_due(con: duckdb.DuckDBPyConnection) -> ModelVersion | None:
    return retrain(con) if retrain_due(con) else None


def rescore_if_baseline_changed(con: duckdb.DuckDBPyConnection) -> tuple[int, int] | None:
    """Every stored text scored again, with this version's baseline and the store's model, when the
    stored scores are of another baseline (text/sentiment.py BASELINE_VERSION; store/sentiment_model.py
    baseline_of_scores); (distinct texts scored, rows changed), None when they were already this
    baseline's."""
    if baseline_of_scores(con) == BASELINE_VERSION:
        return None
    total = score_into(con, STORED_TEXTS_SQL, "rescored_texts", latest_model(con))
    try:
        changed = rescore_with_baseline(con, "rescored_texts")
    finally:
        con.execute("DROP TABLE IF EXISTS rescored_texts")
    return total, changed


# themes are found again when the distinct texts have grown by this share (or on the first texts)
THEMES_GROWTH = 0.25


# distinct texts the themes are found on at most, a sample the same texts always give; every text
# is then placed in the nearest theme a chunk at a time (issue 20's memory floor: a million
# descriptions and their words at once in Python are over a gigabyte)
MAX_THEME_TEXTS = 50_000


def distinct_texts(con: duckdb.DuckDBPyConnection) -> int:
    return int(con.execute(f"SELECT count(*) FROM ({STORED_TEXTS_SQL})").fetchone()[0])


def refresh_themes_if_due(con: duckdb.DuckDBPyConnection) -> bool:
    before = themed_texts(con)
    # the first themes come with the first text, and so do themes no stored model of this format
    # found (a store's themes from before the model was kept, store upgrade 17): a new text could not
    # be placed in them. Later ones when the texts have grown by the share.
    needed = before * (1 + THEMES_GROWTH) if before and latest_theme_model_current(con) else 1
    if not _reaches(con, "texts", needed, distinct_texts):
        return False
    # imported here for start-up time, as fit_learned in retrain
    from text.themes import fit_themes

    sample = sorted(row[0] for row in con.execute(
        f"SELECT text FROM (SELECT #1 AS text FROM ({STORED_TEXTS_SQL})) ORDER BY hash(text), text LIMIT ?",
        [MAX_THEME_TEXTS]).fetchall())
    model = fit_themes(sample)
    del sample
    save_theme_model(con, model, STORED_TEXTS_SQL)
    return True


def place_new_texts(con: duckdb.DuckDBPyConnection, texts_sql: str, params: list | None = None) -> int:
    """The distinct texts of the first column of `texts_sql` (an import's comments or descriptions)
    that have no theme placed in the stored themes (store/themes.py place_texts); how many. The
    stored model, and scikit-learn with it, is loaded only when there is such a text."""
    if not unthemed_texts(con, texts_sql, params):
        return 0
    stored = latest_theme_model(con)
    return 0 if stored is None else place_texts(con, *stored, texts_sql, params)


def learn(con: duckdb.DuckDBPyConnection, new_texts: tuple[str, list] | None = None) -> tuple[int, int] | None:
    """After an import: a new sentiment model when it is due, every stored text scored again when the
    baseline changed since they were (rescore_if_baseline_changed), and new themes when they are due; when the themes are
    not found again, the import's texts (`new_texts`: a query of them and its parameters) placed in
    the stored ones, so that no text waits for the next run for its theme, and then the new batches'
    themed texts by month (store/db.py add_theme_months: after the placing, which gives them their
    themes). What the baseline's rescoring did (distinct texts, rows changed), or None: the analyst
    is told that every stored text's sentiment may have moved."""
    retrain_if_due(con)
    # after a retraining, which scores every text with this baseline too: then nothing is left to do
    rescored = rescore_if_baseline_changed(con)
    if refresh_themes_if_due(con):
        return rescored
    try:
        if new_texts is not None:
            place_new_texts(con, *new_texts)
        add_new_batches_themes(con)
    except StoreBusy:
        # the import itself is committed: another writer holding the store leaves its texts without
        # a theme until the themes are found again, and this batch unlisted, read through text_theme
        # with the same figures, until the next import's learning lists every batch not yet listed
        pass
    return rescored
