"""WeChat's and Weibo's bracket codes ("[强]", "[抓狂]") read as signs (issue 21): a comment of codes alone
gets their polarity and the language SIGNS_ONLY, like a comment of emoji alone; in a text with words they
decide only where the words say nothing. Values worked by hand: a code's valence v on VADER's scale
(text/emoji.py CODE_VALENCE), a text's polarity s / sqrt(s^2 + 15) of the sum s of its signs' valences."""
from __future__ import annotations

from math import sqrt

import pytest
from conftest import import_nps_comments, reopened_before

from analytics.sentiment import sentiment_summary
from store.db import connect, rewrite_tallies
from store.sentiment_model import label_count, labelled_comments
from text.chinese_rules import chinese_polarity
from text.sentiment import SIGNS_ONLY, polarities, polarity


def signs(*valences: float) -> float:
    total = sum(valences)
    return total / sqrt(total * total + 15)


@pytest.mark.parametrize("text, expected", [
    ("[强]", 2.0 / sqrt(4 + 15)),                   # WeChat's thumbs up, as 👍 2.0: 0.4588
    ("[强][强]", 4.0 / sqrt(16 + 15)),              # 0.7184
    ("[OK]", 2.0 / sqrt(4 + 15)),                   # WeChat's, letters and all
    ("[ok] [good]", 4.0 / sqrt(16 + 15)),           # Weibo's
    ("[爱心]", 3.0 / sqrt(9 + 15)),                 # as ❤ 3.0: 0.6124
    ("[抱拳]", 1.5 / sqrt(2.25 + 15)),              # mildly positive: 0.3612
    ("[强]👍 ", 4.0 / sqrt(16 + 15)),               # codes and emoji add up
    ("[怒]", -3.0 / sqrt(9 + 15)),                  # Weibo's angry face, as 😠 -3.0: -0.6124
    ("[抓狂] [抓狂]", -5.0 / sqrt(25 + 15)),        # -2.5 twice: -0.7906
    ("[大哭]😭", -5.0 / sqrt(25 + 15)),
    ("[生病]", -1.0 / sqrt(1 + 15)),                # mildly negative: -0.25
    ("[凋谢]！", -2.5 / sqrt(6.25 + 15)),            # punctuation changes nothing: -0.5423
])
def test_a_comment_of_codes_alone_gets_their_polarity(text, expected):
    assert polarity(text) == (SIGNS_ONLY, pytest.approx(expected))


def test_a_two_sided_or_unknown_code_is_read_as_words():
    # [微笑] is left out of the table (on Weibo often a smile of contempt), [蜡烛] is no code of it: both
    # are Chinese text, whose words (微笑, 蜡烛) the lexicon does not weigh
    assert polarity("[微笑]") == ("zh", 0.0)
    assert polarity("[蜡烛]") == ("zh", 0.0)
    # a code of the table beside one the table lacks: words say nothing, so the code decides
    assert polarity("[蜡烛][强]") == ("zh", pytest.approx(signs(2.0)))


def test_a_code_inside_words_decides_only_where_the_words_say_nothing():
    # "12月3日" holds no word of the lexicon: the code decides
    assert chinese_polarity("12月3日[怒]") == 0.0
    assert polarity("12月3日[怒]") == ("zh", pytest.approx(signs(-3.0)))
    # the words praise: they decide, the code is not added
    words = chinese_polarity("服务很好[怒]")
    assert words > 0.05
    assert polarity("服务很好[怒]") == ("zh", pytest.approx(words))


def test_codes_alone_are_scored_whatever_language_score_texts_is_told():
    assert polarities(["[强]", "[怒]"], "zh") == pytest.approx([signs(2.0), signs(-3.0)])
    assert polarities(["[OK]"], "en") == pytest.approx([signs(2.0)])


# an NPS file of WeChat comments: C1..C4 codes alone, C5 words with a code, C6 a two-sided code
CODE_NPS = {"C1": (10, "[强]"), "C2": (1, "[怒][怒]"), "C3": (9, "[OK]"), "C4": (2, "[大哭]"),
            "C5": (10, "服务很好[强]"), "C6": (5, "[微笑]")}


def import_code_nps(con, tmp_path):
    import_nps_comments(con, tmp_path, "code_nps.csv", CODE_NPS)


# by hand: C1 +0.4588, C2 -6 / sqrt(36 + 15) = -0.8402, C3 +0.4588, C4 -0.5423; C5 its words; C6 0.0
CODES_SUM = signs(2.0) + signs(-6.0) + signs(2.0) + signs(-2.5)


def test_cells_of_codes_alone_are_kept_as_comments_and_counted(con, tmp_path):
    import_code_nps(con, tmp_path)
    stored = dict(con.execute("SELECT customer_id, (comment, comment_language, sentiment) FROM nps_response").fetchall())
    assert stored["C1"] == ("[强]", SIGNS_ONLY, pytest.approx(signs(2.0)))
    assert stored["C2"] == ("[怒][怒]", SIGNS_ONLY, pytest.approx(signs(-6.0)))
    assert stored["C3"] == ("[OK]", SIGNS_ONLY, pytest.approx(signs(2.0)))
    assert stored["C4"] == ("[大哭]", SIGNS_ONLY, pytest.approx(signs(-2.5)))
    words = chinese_polarity("服务很好[强]")
    assert stored["C5"] == ("服务很好[强]", "zh", pytest.approx(words)) and words > 0.05
    assert stored["C6"] == ("[微笑]", "zh", 0.0)
    result = sentiment_summary(con)
    # six comments: two negative (C2, C4), three positive (C1, C3, C5), C6 neutral
    assert (result.n, result.negative_n, result.positive_n) == (6, 2, 3)
    assert result.mean == pytest.approx((CODES_SUM + words) / 6)


def test_comments_of_codes_alone_are_no_label_for_the_word_models(con, tmp_path):
    import_code_nps(con, tmp_path)
    # C1..C4 have scores of either side but no words; C6 (NPS 5) is a detractor's: C5 and C6 are the labels
    assert label_count(con) == 2
    assert sorted(labelled_comments(con)[["text", "language", "label"]].itertuples(index=False)) == [
        ("[微笑]", "zh", 0), ("服务很好[强]", "zh", 1)]


def test_a_store_from_step_21_gets_its_code_comments_scored_as_signs_in_step_22(tmp_path):
    path = tmp_path / "old.duckdb"
    con = connect(path)
    import_code_nps(con, tmp_path)
    # as an older version stored them: read as words, Chinese ([OK] as English), the rules' polarity
    con.execute("UPDATE nps_response SET comment_language = CASE WHEN comment = '[OK]' THEN 'en' ELSE 'zh' END,"
                " sentiment = 0.0 WHERE comment_language = 'zxx'")
    rewrite_tallies(con)
    assert sentiment_summary(con).negative_n == 0
    with reopened_before(con, path, 22) as again:
        stored = dict(again.execute("SELECT customer_id, (comment_language, sentiment) FROM nps_response").fetchall())
        assert stored["C2"] == (SIGNS_ONLY, pytest.approx(signs(-6.0)))
        assert stored["C3"] == (SIGNS_ONLY, pytest.approx(signs(2.0)))
        # a text with words, and one of a code the table leaves out, stay as they were
        assert stored["C5"] == ("zh", pytest.approx(chinese_polarity("服务很好[强]")))
        assert stored["C6"] == ("zh", 0.0)
        result = sentiment_summary(again)
        assert (result.n, result.negative_n, result.positive_n) == (6, 2, 3)
        assert result.mean == pytest.approx((CODES_SUM + chinese_polarity("服务很好[强]")) / 6)
