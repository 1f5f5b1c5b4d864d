"""Scoring at import: the language rule and score_texts; the references the baselines beat (TextBlob,
SnowNLP), kept for the bench and the evaluation, computed exactly as those packages do."""
from __future__ import annotations

import pytest

from text.chinese_sentiment import ChineseSentiment
from text.labels import sentiment_label
from text.sentiment import detect_language, score_texts


@pytest.mark.parametrize("text, language", [
    ("The staff were friendly", "en"),
    ("服务很好", "zh"),
    # 3 CJK characters of 3 + 9 letters = 25% < 30% -> English
    ("App 闪退了 crashes", "en"),
    # 4 CJK of 4 + 3 = 57% -> Chinese
    ("App 一直闪退", "zh"),
    ("12345 !!!", None),
    ("", None),
    (None, None),
])
def test_language_by_share_of_cjk_characters(text, language):
    assert detect_language(text) == language


@pytest.mark.parametrize("text", [
    "服务很好，非常满意", "等了很久，态度很差", "手机银行App闪退 call 13812345678", "ｘｙｚ 你好 abc 123",
    "。。。", "排队时间太长了，柜员态度差，再也不来了", "客户经理很专业，解释得清楚，赞！",
    "𠀀𠀁未知字", "一般般吧，没什么特别的", "收费不透明，年费说好免了结果还是扣了",
])
@pytest.mark.slow
def test_chinese_score_equals_snownlp_exactly(text):
    from snownlp import SnowNLP

    assert ChineseSentiment().positive_probability(text) == SnowNLP(text).sentiments


@pytest.mark.slow
def test_chinese_score_equals_snownlp_on_the_demo_comments():
    import random

    from snownlp import sentiment as snow_sentiment

    from loaders.demo import distinct_texts, generate

    demo = generate(responses=400)
    texts = distinct_texts(300, "zh") + [t for t in demo.complaints["Description"].dropna() if not t.isascii()]
    # characters the segmenter has never seen, and runs of them, take its other path
    rng = random.Random(3)
    texts += ["".join(chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(rng.randint(1, 12))) for _ in range(100)]
    scorer = ChineseSentiment()
    assert [scorer.positive_probability(t) for t in texts] == [snow_sentiment.classify(t) for t in texts]


def test_chinese_models_are_snownlps_own():
    from snownlp import normal

    assert ChineseSentiment()._stop == normal.stop


@pytest.mark.slow
def test_every_trigram_of_the_segmenter_ends_in_a_seen_bigram():
    # the segmenter skips the trigram lookup behind a bigram count of 0, which is exact only so
    from text.chinese_sentiment import _segmenter

    tagger = _segmenter()
    assert all(tagger.bi_d.get((second, third), 0) != 0 for _, second, third in tagger.tri_d)


@pytest.mark.parametrize("text", [
    "The queue was terribly slow but the staff were very helpful", "not good", "not very good",
    "really not good", "I don't like it", "It isn't bad at all!", "good!!!", "good (!)", "( ! ) sarcastic",
    "so :-) happy :D", "bad :( XD", "x-D o.O >.> :'(", "wow ;) ;-] <3 ♥", "Mr. Smith was rude.",
    "U.S. bank... terrible...", "e.g. fine", '"great" service', "It's 'ok'", "never really helpful",
    "no no no", "Not a good one", "extremely slow\n\nvery poor", "TERRIBLE queue, AWESOME staff",
    "I can't say it was unhelpful", "terribly good", "The app crashed :/ again... (ref. 12345)", "", "!!!",
])
@pytest.mark.slow
def test_english_score_equals_textblob_exactly(text):
    from textblob import TextBlob

    from text.english_sentiment import EnglishSentiment

    assert EnglishSentiment().polarity(text) == TextBlob(text).sentiment.polarity


def test_english_score_equals_textblob_on_the_demo_comments():
    from textblob.en import sentiment as pattern_sentiment

    from loaders.demo import distinct_texts, generate
    from text.english_sentiment import EnglishSentiment

    demo = generate(responses=400)
    texts = distinct_texts(300, "en") + [t for t in demo.complaints["Description"].dropna() if t.isascii()]
    scorer = EnglishSentiment()
    assert [scorer.polarity(t) for t in texts] == [pattern_sentiment(t)[0] for t in texts]


def test_each_distinct_text_is_scored_once():
    scored = score_texts(["good service", "good service", None, "", "服务很好", "good service"])
    assert sorted(scored["text"]) == ["good service", "服务很好"]


def test_parallel_scoring_gives_the_same_numbers():
    texts = [f"the branch number {i} was {'great' if i % 2 else 'awful'}" for i in range(300)]
    texts += [f"第{i}号网点{'很好' if i % 2 else '很差'}" for i in range(300)]
    serial = score_texts(texts, workers=1)
    parallel = score_texts(texts, workers=2, parallel_from=10)
    assert serial.equals(parallel)


@pytest.mark.parametrize("value, label", [(-0.06, "negative"), (-0.05, "neutral"), (0.05, "neutral"),
                                          (0.051, "positive"), (None, None)])
def test_labels_use_the_design_thresholds(value, label):
    assert sentiment_label(value) == label
