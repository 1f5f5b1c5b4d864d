"""The baseline's version (text/sentiment.py BASELINE_VERSION): a store records the baseline its texts
were last all scored with, and the first import after the baseline changed scores every stored text
again, language and all, in one recorded transaction, so that no trend mixes the scores of two
baselines (issue 21: "trends never mix two models silently")."""
from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta

import pytest
from conftest import PROJECT_ROOT, import_nps_comments, reopened_before

import loaders.learning as learning
import store.sentiment_model as sentiment_model
from analytics.sentiment import sentiment_summary
from store.db import connect, rewrite_tallies
from store.sentiment_model import baseline_of_scores
from text.sentiment import BASELINE_VERSION, SIGNS_ONLY, polarity

# The files that decide a text's baseline polarity and language (VADER's lexicon comes with the pinned
# vaderSentiment package), and their fingerprints by version. Changed one? Raise BASELINE_VERSION
# and record the new fingerprint under it; a change that moves no score (a comment) may add its
# fingerprint to the version it keeps.
BASELINE_FILES = ("text/lexicon", "text/sentiment.py", "text/english_rules.py", "text/english_prior.py",
                  "text/chinese_rules.py", "text/emoji.py", "text/labels.py")
FINGERPRINTS = {1: {"de735dca220d94260792a7b95c733dd5f5e0aaca555389ac5a7b0be0c7f7416f"},
                2: {"1e107d78a1d4c399e5cc33608bdb257652203f4214d35fdf871a25027d933177"},
                3: {"b621ae71a22b949c1f04219a9c3178ac9a77f50b393211cda2964e418205175c"}}


def fingerprint() -> str:
    digest = hashlib.sha256()
    for name in BASELINE_FILES:
        path = PROJECT_ROOT / name
        for file in sorted(path.iterdir()) if path.is_dir() else [path]:
            digest.update(file.relative_to(PROJECT_ROOT).as_posix().encode() + b"\0" + file.read_bytes() + b"\0")
    return digest.hexdigest()


def test_the_baseline_files_are_the_ones_of_its_version():
    assert fingerprint() in FINGERPRINTS.get(BASELINE_VERSION, set()), (
        "the baseline's rules or lexicons changed: raise text/sentiment.py BASELINE_VERSION (every store's"
        f" texts are then scored again at its next import) and record {fingerprint()} under it here")


# C1..C4 words, C5 an emoji alone, C6 no comment
COMMENTS = {"C1": (10, "Friendly staff and quick service"), "C2": (2, "Rude teller and a long queue"),
            "C3": (9, "服务很好"), "C4": (1, "一直没解决"), "C5": (3, "😡"), "C6": (8, "Nothing to add.")}
LATER = {"D1": (10, "Great branch"), "D2": (0, "Terrible app")}


def stored(con) -> dict:
    return dict(con.execute("SELECT comment, (comment_language, sentiment) FROM nps_response").fetchall())


def assert_scored_now(con) -> None:
    for text, (language, value) in stored(con).items():
        assert (language, value) == (polarity(text)[0], pytest.approx(polarity(text)[1])), text


def test_a_new_store_is_of_this_baseline_and_its_imports_score_nothing_again(tmp_path):
    con = connect(tmp_path / "new.duckdb")
    try:
        assert baseline_of_scores(con) == BASELINE_VERSION
        import_nps_comments(con, tmp_path, "first.csv", COMMENTS)
        import_nps_comments(con, tmp_path, "later.csv", LATER)
        # the row the store was made with, and no rescoring since
        assert con.execute("SELECT baseline, texts, rows_changed FROM baseline_rescore").fetchall() == [
            (BASELINE_VERSION, 0, 0)]
        assert_scored_now(con)
    finally:
        con.close()


# as an earlier baseline stored them: C1 and C2 the other polarity, C5 read as words, C4 neutral
EARLIER_SCORES = ("UPDATE nps_response SET sentiment = -sentiment WHERE customer_id IN ('C1', 'C2')",
                  "UPDATE nps_response SET comment_language = 'en', sentiment = -0.2 WHERE customer_id = 'C5'",
                  "UPDATE nps_response SET sentiment = 0.0 WHERE customer_id = 'C4'")


def an_older_store(tmp_path, *earlier: str):
    """A store of COMMENTS whose rows the `earlier` statements gave an earlier baseline's scores (the
    tallies written from them), its layout from before upgrade step 24: the path, closed."""
    path = tmp_path / "old.duckdb"
    con = connect(path)
    import_nps_comments(con, tmp_path, "first.csv", COMMENTS)
    for statement in earlier:
        con.execute(statement)
    rewrite_tallies(con)
    with reopened_before(con, path, 24, "baseline_rescore"):
        pass
    return path


def test_an_older_stores_texts_are_scored_again_at_its_next_import(tmp_path):
    again = connect(an_older_store(tmp_path, *EARLIER_SCORES))
    try:
        # opening reads no text: the step only says the scores' baseline is not known
        assert baseline_of_scores(again) is None
        assert stored(again)["😡"] == ("en", -0.2)
        assert sentiment_summary(again).negative_n == 2          # C1 and C5
        import_nps_comments(again, tmp_path, "later.csv", LATER)
        assert_scored_now(again)
        assert stored(again)["😡"][0] == SIGNS_ONLY
        # eight distinct texts scored; C1, C2, C4, C5 changed
        assert again.execute("SELECT baseline, texts, rows_changed FROM baseline_rescore").fetchall() == [
            (BASELINE_VERSION, 8, 4)]
        # the tallies agree with the rows: C2, C4, C5 and D2 negative, C1, C3 and D1 positive
        result = sentiment_summary(again)
        assert (result.n, result.negative_n, result.positive_n) == (8, 4, 3)
    finally:
        again.close()



@pytest.mark.parametrize("language, said", [
    ("en", "every stored text was scored again (8 distinct texts): the sentiment of 4 rows changed."),
    ("zh", "所有已存文本都已重新评分：共 8 条不同文本，4 行的情感值有变化。"),
])
def test_the_import_that_scores_every_text_again_says_so(tmp_path, capsys, language, said):
    from loaders.__main__ import main as loaders_main

    path = an_older_store(tmp_path, *EARLIER_SCORES)
    later = tmp_path / "later.csv"
    later.write_text("Customer,Date,NPS,Comment\nD1,2026-03-20,10,Great branch\nD2,2026-03-21,0,Terrible app\n",
                     encoding="utf-8")
    assert loaders_main(["import", str(later), "--kind", "nps", "--db", str(path), "--lang", language]) == 0
    assert said in capsys.readouterr().err
    # the next import finds them current and says nothing of it; --json gives the figures or null
    again = tmp_path / "again.csv"
    again.write_text("Customer,Date,NPS,Comment\nE1,2026-03-22,9,Quick and friendly\n", encoding="utf-8")
    assert loaders_main(["import", str(again), "--kind", "nps", "--db", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["rescored"] is None



def test_the_import_json_gives_the_rescoring(tmp_path, capsys):
    from loaders.__main__ import main as loaders_main

    path = an_older_store(tmp_path, *EARLIER_SCORES)
    later = tmp_path / "later.csv"
    later.write_text("Customer,Date,NPS,Comment\nD1,2026-03-20,10,Great branch\n", encoding="utf-8")
    assert loaders_main(["import", str(later), "--kind", "nps", "--db", str(path), "--json"]) == 0
    # seven distinct texts (C1..C6 and D1); C1, C2, C4, C5 changed
    assert json.loads(capsys.readouterr().out)["rescored"] == {"texts": 7, "rows_changed": 4}


def test_a_new_baseline_scores_every_text_again_once(tmp_path, monkeypatch):
    con = connect(tmp_path / "store.duckdb")
    try:
        import_nps_comments(con, tmp_path, "first.csv", COMMENTS)
        monkeypatch.setattr(learning, "BASELINE_VERSION", BASELINE_VERSION + 1)
        monkeypatch.setattr(sentiment_model, "BASELINE_VERSION", BASELINE_VERSION + 1)
        import_nps_comments(con, tmp_path, "later.csv", LATER)
        import_nps_comments(con, tmp_path, "third.csv", {"E1": (9, "Quick and friendly")})
        # the first import after the change rescored the eight texts (none moved: the rules are the
        # same); the one after it found them current
        rows = con.execute("SELECT baseline, texts, rows_changed FROM baseline_rescore ORDER BY rescored_at, baseline"
                           ).fetchall()
        assert rows == [(BASELINE_VERSION, 0, 0), (BASELINE_VERSION + 1, 8, 0)]
        assert baseline_of_scores(con) == BASELINE_VERSION + 1
    finally:
        con.close()


def test_migrate_keeps_the_sources_baseline(tmp_path):
    from store.copy import migrate

    source = tmp_path / "source.duckdb"
    con = connect(source)
    try:
        import_nps_comments(con, tmp_path, "first.csv", COMMENTS)
        # as if another version of the dashboard had scored them again since
        con.execute("INSERT INTO baseline_rescore VALUES (?, ?, 6, 0)",
                    [BASELINE_VERSION + 5, datetime.now() + timedelta(seconds=1)])
    finally:
        con.close()
    migrate(str(source), str(tmp_path / "copy.duckdb"))
    copy = connect(tmp_path / "copy.duckdb")
    try:
        # the copy's texts are the source's, scored by the source's baseline: its next import rescores them
        assert baseline_of_scores(copy) == BASELINE_VERSION + 5
        assert copy.execute("SELECT count(*) FROM baseline_rescore").fetchone()[0] == 2
    finally:
        copy.close()


def test_the_rescore_command_does_now_what_the_next_import_would(tmp_path):
    import subprocess
    import sys

    path = an_older_store(tmp_path, EARLIER_SCORES[0])
    run = [sys.executable, "-m", "loaders", "rescore", "--db", str(path)]
    first = subprocess.run(run, capture_output=True, text=True, cwd=PROJECT_ROOT)
    assert first.returncode == 0, first.stderr
    # six distinct texts, C1 and C2 changed
    assert first.stdout.startswith(f"6 distinct texts scored again with baseline {BASELINE_VERSION}")
    assert "2 rows changed" in first.stdout
    again = subprocess.run(run, capture_output=True, text=True, cwd=PROJECT_ROOT)
    assert again.returncode == 0 and "nothing to do" in again.stdout
    con = connect(path)
    try:
        assert_scored_now(con)
        assert baseline_of_scores(con) == BASELINE_VERSION
    finally:
        con.close()
