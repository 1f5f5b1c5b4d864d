"""Remarks that answer nothing ("No comment.", "Nothing to add.", "暂无意见", "同上") are neutral comments
(issue 21): their words read negative to the rules ("no", "nothing") and a learned model took them for
their writers' scores, so that at ten million responses "No comment." was the month's most negative
verbatim at -1.0. They are scored 0.0 with the language SIGNS_ONLY: counted as comments, never a
model's label, never blended."""
from __future__ import annotations

import pytest
from conftest import reopened_before

from analytics.sentiment import sentiment_summary
from loaders.importer import import_file
from store.db import connect, rewrite_tallies
from store.sentiment_model import label_count, labelled_comments
from text.english_rules import english_polarity
from text.sentiment import SIGNS_ONLY, polarities, polarity


@pytest.mark.parametrize("text", [
    "No comment.", "no comment", "No comments!", "Nothing to add.", "nothing further", "No remarks.",
    "As above.", "See previous", "Same as last time.", "Not applicable",
    "暂无意见", "暂无意见。", "无", "没有。", "同上", "见上条", "没什么要说的", "和上次一样。",
])
def test_a_remark_that_answers_nothing_is_neutral(text):
    assert polarity(text) == (SIGNS_ONLY, 0.0)
    # whatever language the caller names (score-texts --lang en)
    assert polarities([text], "en") == [0.0] and polarities([text], "zh") == [0.0]


@pytest.mark.parametrize("text", [
    "No comment, but the queue was long.", "Nothing to add except the rude teller", "无语", "没有人理我",
    "同上，还是排队太久",
])
def test_a_text_that_says_something_besides_is_read_as_words(text):
    language, value = polarity(text)
    assert language in ("en", "zh")


def test_the_rules_read_such_a_remark_as_negative_without_it():
    # why the list is there: "no" and "nothing" are negative words to the English rules
    assert english_polarity("No comment.") < -0.05
    assert english_polarity("Nothing to add.") < -0.05


NPS_ROWS = ("Customer ID,Date,NPS,Comment\n"
            "C1,2026-10-01,2,No comment.\n"
            "C2,2026-10-02,10,No comment.\n"
            "C3,2026-10-03,1,暂无意见\n"
            "C4,2026-10-04,9,Excellent service and very helpful staff\n"
            "C5,2026-10-05,3,Terrible service and rude staff\n")


def import_remarks(con, folder):
    path = folder / "nps_remarks.csv"
    path.write_text(NPS_ROWS, encoding="utf-8")
    return import_file(con, path)


def test_such_remarks_are_counted_as_neutral_comments_and_are_no_label(con, tmp_path):
    import_remarks(con, tmp_path)
    stored = dict(con.execute("SELECT customer_id, (comment_language, sentiment) FROM nps_response").fetchall())
    assert stored["C1"] == stored["C2"] == stored["C3"] == (SIGNS_ONLY, 0.0)
    positive = english_polarity("Excellent service and very helpful staff")
    negative = english_polarity("Terrible service and rude staff")
    assert positive > 0.05 and negative < -0.05
    result = sentiment_summary(con)
    # five comments: three neutral, one positive, one negative
    assert (result.n, result.negative_n, result.positive_n) == (5, 1, 1)
    assert result.mean == pytest.approx((positive + negative) / 5)
    # the detractors' and the promoter's "No comment." teach no model: C4 and C5 are the labels
    assert label_count(con) == 2
    assert sorted(labelled_comments(con)["text"]) == ["Excellent service and very helpful staff",
                                                      "Terrible service and rude staff"]


def test_a_store_from_step_22_gets_such_remarks_neutral_in_step_23(tmp_path):
    path = tmp_path / "old.duckdb"
    con = connect(path)
    import_remarks(con, tmp_path)
    # as an older version stored them: read as words, the rules' polarity
    con.execute("UPDATE nps_response SET comment_language = 'en', sentiment = ? WHERE comment = 'No comment.'",
                [english_polarity("No comment.")])
    con.execute("UPDATE nps_response SET comment_language = 'zh', sentiment = 0.0 WHERE comment = '暂无意见'")
    rewrite_tallies(con)
    assert sentiment_summary(con).negative_n == 3
    with reopened_before(con, path, 23) as again:
        stored = dict(again.execute("SELECT customer_id, (comment_language, sentiment) FROM nps_response").fetchall())
        assert stored["C1"] == stored["C2"] == stored["C3"] == (SIGNS_ONLY, 0.0)
        assert stored["C4"][0] == stored["C5"][0] == "en"
        # the tallies written again: the sums the whole-month figures read agree with the rows
        result = sentiment_summary(again)
        assert (result.n, result.negative_n, result.positive_n) == (5, 1, 1)
