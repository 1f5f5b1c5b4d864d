"""Comments of emoji or emoticons alone get a sentiment from text/emoji.py's table and count in the
sentiment figures (issue 21); in a text with words the signs decide only where the words say nothing.
Values worked by hand: a sign's valence v on VADER's scale, a text's polarity s / sqrt(s^2 + 15) of the
sum s of its signs' valences."""
from __future__ import annotations

import subprocess
import sys
from math import sqrt

import pytest
from conftest import import_nps_comments, reopened_before

from analytics.sentiment import sentiment_by, sentiment_summary
from analytics.summary import summary
from store.db import PROJECT_ROOT, connect, rewrite_tallies
from store.sentiment_model import label_count, labelled_comments
from text.chinese_rules import chinese_polarity
from text.english_rules import english_polarity
from text.sentiment import SIGNS_ONLY, polarities, polarity


def signs(*valences: float) -> float:
    total = sum(valences)
    return total / sqrt(total * total + 15)


@pytest.mark.parametrize("text, expected", [
    ("😡", -3.0 / sqrt(9 + 15)),                 # pouting face, -3.0: -0.6124
    ("👍👍", 4.0 / sqrt(16 + 15)),               # thumbs up twice, 2.0 + 2.0: 0.7184
    ("🙂", 1.5 / sqrt(2.25 + 15)),               # 0.3612
    (":(", -1.9 / sqrt(3.61 + 15)),              # VADER's -1.9: -0.4404
    ("😤😤😤", -7.5 / sqrt(56.25 + 15)),         # -2.5 three times: -0.8885
    ("❤️", 3.0 / sqrt(9 + 15)),                  # the heart with its variation selector: 0.6124
    ("👎", -3.0 / sqrt(9 + 15)),
    ("👍🏽 !!", 2.0 / sqrt(4 + 15)),               # a skin tone and punctuation change nothing: 0.4588
    (":D", 2.3 / sqrt(5.29 + 15)),               # an emoticon with a letter is still no word: 0.5106
    ("😂👍", 2.0 / sqrt(4 + 15)),                # 😂 is left out of the table (both sides)
])
def test_a_text_of_signs_alone_gets_their_polarity(text, expected):
    assert polarity(text) == (SIGNS_ONLY, pytest.approx(expected))


@pytest.mark.parametrize("text", ["🍕", "😂", "123", "..."])
def test_a_text_without_letters_or_a_sign_of_the_table_stays_unscored(text):
    assert polarity(text) == (None, None)


def test_the_words_decide_a_text_they_lean_on():
    # the signs agree here, but they are not added: mixing them in did not help (README "Sentiment")
    assert polarity("slow again 😡") == ("en", pytest.approx(english_polarity("slow again 😡")))
    assert polarity("服务很好👍") == ("zh", pytest.approx(chinese_polarity("服务很好👍")))
    assert chinese_polarity("服务很好👍") == pytest.approx(chinese_polarity("服务很好"))


def test_the_signs_decide_where_the_words_say_nothing():
    # "12月3日" holds no word of the Chinese lexicon (polarity 0), "Went in on Monday" none of the rules' and
    # words the English prior weighs within the neutral band
    assert chinese_polarity("12月3日😡") == 0.0
    assert polarity("12月3日😡") == ("zh", pytest.approx(signs(-3.0)))
    assert english_polarity("Went in on Monday :(") == pytest.approx(0.0, abs=0.05)
    assert polarity("Went in on Monday :(") == ("en", pytest.approx(signs(-1.9)))


def test_score_texts_scores_signs_whatever_language_it_is_told():
    assert polarities(["😡", "👍👍", "🍕"]) == pytest.approx([signs(-3.0), signs(2.0, 2.0), 0.0])
    assert polarities(["😡"], "en") == pytest.approx([signs(-3.0)])
    assert polarities(["😡"], "zh") == pytest.approx([signs(-3.0)])


def test_score_texts_command_prints_the_signs_polarity():
    done = subprocess.run([sys.executable, "-m", "analytics", "score-texts", "--lang", "en"], input="😡\n:)\n",
                          capture_output=True, text=True, cwd=PROJECT_ROOT, check=True, encoding="utf-8")
    assert [float(line) for line in done.stdout.split()] == pytest.approx([signs(-3.0), signs(2.0)], abs=1e-4)


# an NPS file of emoji comments, written in both stores (con's store parameter): C1..C7 in March
EMOJI_NPS = {"C1": (2, "😡"), "C2": (10, "👍👍"), "C3": (9, "🙂"), "C4": (3, ":("), "C5": (1, "😤😤😤"),
             "C6": (10, "❤️"), "C7": (4, "👎"), "C8": (8, "Friendly staff and quick service")}


def import_emoji_nps(con, tmp_path):
    import_nps_comments(con, tmp_path, "emoji_nps.csv", EMOJI_NPS)


# by hand: negative C1 😡 -0.6124, C4 :( -0.4404, C5 -0.8885, C7 👎 -0.6124; positive C2 0.7184, C3 0.3612,
# C6 0.6124; C8's words positive
EMOJI_SUM = signs(-3.0) + signs(-1.9) + signs(-7.5) + signs(-3.0) + signs(4.0) + signs(1.5) + signs(3.0)


def test_emoji_comments_of_an_nps_import_count_in_the_sentiment(con, tmp_path):
    import_emoji_nps(con, tmp_path)
    stored = dict(con.execute("SELECT customer_id, (comment_language, sentiment) FROM nps_response").fetchall())
    assert stored["C1"] == (SIGNS_ONLY, pytest.approx(signs(-3.0)))
    assert stored["C5"] == (SIGNS_ONLY, pytest.approx(signs(-7.5)))
    assert stored["C6"] == (SIGNS_ONLY, pytest.approx(signs(3.0)))
    words = english_polarity("Friendly staff and quick service")
    assert stored["C8"] == ("en", pytest.approx(words)) and words > 0.05
    result = sentiment_summary(con)
    # eight comments: four negative (C1, C4, C5, C7), four positive (C2, C3, C6, C8)
    assert (result.n, result.negative_n, result.positive_n) == (8, 4, 4)
    assert result.mean == pytest.approx((EMOJI_SUM + words) / 8)
    march = sentiment_by(con, by="month")
    assert march[["n", "negative_share"]].to_dict("records") == [{"n": 8, "negative_share": 0.5}]
    figures = summary(con)["sentiment"]
    assert (figures["n"], figures["negative_share"]) == (8, 0.5)


def test_emoji_comments_are_no_label_for_the_word_models(con, tmp_path):
    import_emoji_nps(con, tmp_path)
    # C1..C7 have scores of either side, but no words for a model: only C8 (NPS 8, neither side) could be
    # one, and it is passive: no label at all
    assert label_count(con) == 0
    assert labelled_comments(con).empty


def test_a_store_from_step_20_gets_its_emoji_comments_scored_in_step_21(tmp_path):
    path = tmp_path / "old.duckdb"
    con = connect(path)
    import_emoji_nps(con, tmp_path)
    # as an older version stored them: no language, no sentiment, and tallies without them
    con.execute("UPDATE nps_response SET comment_language = NULL, sentiment = NULL WHERE comment_language = 'zxx'")
    rewrite_tallies(con)
    assert sentiment_summary(con).n == 1
    with reopened_before(con, path, 21) as again:
        assert again.execute("SELECT count(*) FROM nps_response WHERE comment_language = 'zxx'").fetchone()[0] == 7
        result = sentiment_summary(again)
        assert (result.n, result.negative_n, result.positive_n) == (8, 4, 4)
        assert result.mean == pytest.approx((EMOJI_SUM + english_polarity("Friendly staff and quick service")) / 8)
