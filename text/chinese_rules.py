"""The Chinese baseline: jieba's words looked up in our own lexicon, with negation, degree adverbs,
contrast and exclamation.

text/lexicon/zh.tsv (written for this project, about 790 words of praise and complaint about
products and service: 态度差, 排队, 退款, 闪退, 周到, 干净, 上菜慢, 联系不上, 还会再来 ...) gives each
word a weight. jieba cuts the text (its own dictionary, plus the lexicon's words so they stay
whole; no HMM for unknown words, which the lexicon could not score anyway). Within a clause (up
to the next punctuation):

- a negator (不, 没有, 并不 ...) before a word flips it: praise x -0.8, a complaint x -0.5
  (不差 is faint praise, 不好 a real complaint);
- degree adverbs multiply it (非常 1.6, 很 1.3, 有点 0.7 ...); 好 at a clause's end is praise;
- a word the lexicon lacks is scored by its parts: a degree or negation prefix on a known word
  (很漂亮, 不清晰), or a verb with a negative potential complement (打不开, 登不上: -1; not one of
  seeing, finding or saying: 看不出, 挑不出, 说不出);
- after 但是/不过/可是/却 the text counts 1.5 times and before it 0.5 times;
- 就是 after something already scored concedes a small flaw ("味道不错，就是有点贵"): the rest of its
  clause counts half, as does the clause 虽然/尽管 opens ("虽然等了几天，还是很满意");
- 快 before a measure of time is "almost" (快一个月了), not praise; 等 before one is a wait measured
  in time (等了快两个小时: WAIT_WEIGHT);
- exclamation marks (up to three) add 0.3 each in the direction of the sum.

The sum s becomes a polarity as s / sqrt(s^2 + 4). Chosen over SnowNLP by macro-F1 on public
labelled review sets (README, "Sentiment").
"""
from __future__ import annotations

import logging
from functools import cache
from math import sqrt
from pathlib import Path

_LEXICON = Path(__file__).with_name("lexicon") / "zh.tsv"
NEGATORS = frozenset("不 没 没有 无 非 未 别 不是 不太 不怎么 并不 从不 毫不 绝不 不够 不会 没什么 并非 毫无 从未"
                     " 不算 不很 木有 决不 决不会 绝不会".split())
DEGREE = {"非常": 1.6, "特别": 1.5, "十分": 1.5, "极其": 1.8, "极": 1.8, "超": 1.5, "超级": 1.6, "太": 1.5,
          "真": 1.3, "真的": 1.3, "很": 1.3, "挺": 1.15, "蛮": 1.15, "相当": 1.4, "最": 1.6, "更": 1.3,
          "比较": 0.9, "还": 0.8, "还算": 0.8, "有点": 0.7, "有些": 0.7, "稍微": 0.6, "略": 0.6, "略微": 0.6,
          "好": 1.2, "巨": 1.6, "贼": 1.5, "格外": 1.4, "实在": 1.4, "简直": 1.5}
# the clause after one of these weighs more than the one before: "X, but Y", and in a complaint's story
# "X, 后来 / 最终 Y" (之前打不通，后来处理好了; 一开始挺好，后来越来越差): what happened last is the verdict
# "X, 总的来说 Y" (房间小，总的来说还可以): a summary, like what happened last, is the verdict
CONTRAST = frozenset("但是 但 可是 不过 然而 却 只是 可惜 后来 最终 总的来说 总体来说 总体而言 总的来讲 总之 整体来说 整体而言 "
                     "总而言之 综合来看 总体上".split())
# "X好，就是Y": Y is the small flaw of a text that praises X; at a text's start (就是难吃) it is only
# emphasis. Not added to jieba's words: its own frequency of 就是 is higher than the lexicon's.
CONCESSION = frozenset(["就是"])
CONCESSION_WEIGHT = 0.5
# "虽然X，Y": the clause 虽然 opens concedes X, and counts CONCESSION_WEIGHT as well
ALTHOUGH = frozenset("虽然 虽 尽管 虽说".split())
# questions that are complaints whatever their words (难道你们没看到吗？ 没有发票是怎么回事？ 什么玩意): their
# weight is the clause's, never turned by a negator before them (没有发票 is no denial of 怎么回事)
RHETORICAL = {"难道": -1.0, "怎么回事": -1.0, "搞什么": -1.0, "什么玩意": -1.5, "什么鬼": -1.5, "有没有搞错": -1.5}
_PUNCTUATION = frozenset("，,。.！!？?；;、~～…")
# a verb with one of these after it says it could not be done: 打不开, 登不上, 吃不了
_COMPLEMENTS = ("不了", "不上", "不开", "不进", "不出", "不动", "不到", "不住", "不好")
# ... but these say what could not be seen or found, or was beyond words: 挑不出毛病 and 看不出问题 deny
# a fault, 说不出的舒服 is praise, 想不到 a surprise either way
_NOT_FAILURES = frozenset("看不出 听不出 说不出 挑不出 找不出 想不到 意想不到 离不开 忘不了 少不了 免不了 大不了 忍不住".split())
# jieba without its HMM cuts a complement it does not list into characters (动不了 as 动 / 不 / 了,
# 付不了款, 连不上网): a one-character verb, 不 and one of these is the same failure. Not after a
# word that is no verb (我不去, 也不了解)
_SPLIT_COMPLEMENTS = tuple("了上开进出动到住去")
_NOT_VERBS = frozenset("我你他她它也都还就又并可真很太最更总再才只却倒")
NORMALISER = 4.0
# a measure of time: 快 before one is "almost" (快一个月了), not "fast"; 等 before one is a wait
# measured in time (等了快两个小时), a complaint whatever else the text says of the wait
_NUMERALS = frozenset("一二两三四五六七八九十百半几0123456789")
_TIME_UNITS = ("小时", "分钟", "钟头", "天", "周", "星期", "礼拜", "月", "年")
_BEFORE_DURATION = frozenset("了 快 将近 近 足足 整整 差不多 大概 至少 好".split())
WAIT_WEIGHT = -1.0


def _is_duration(words: list[str], i: int) -> bool:
    """Whether words[i] opens a measure of time: a numeral (一个多, 40, 半天) with a unit in it or next."""
    word = words[i]
    if not word or word[0] not in _NUMERALS:
        return False
    return any(unit in word for unit in _TIME_UNITS) or (
        i + 1 < len(words) and any(words[i + 1].startswith(unit) for unit in _TIME_UNITS))


def _waited(words: list[str], i: int) -> bool:
    """Whether 等 at words[i] is followed by how long (等了快两个小时, 等了半天)."""
    j = i + 1
    while j < len(words) and words[j] in _BEFORE_DURATION:
        j += 1
    return j < len(words) and _is_duration(words, j)


@cache
def _lexicon() -> dict[str, float]:
    weights = {}
    for line in _LEXICON.read_text("utf-8").splitlines():
        if line and not line.startswith("#"):
            word, weight = line.split("\t")
            weights[word] = float(weight)
    return weights


@cache
def _tokenizer():
    # imported here for start-up time, as in text/tokens.py: jieba loads with the first Chinese text
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    for word in [*_lexicon(), *NEGATORS, *DEGREE, *CONTRAST, *RHETORICAL]:
        if len(word) > 1:
            tokenizer.add_word(word, freq=2000)
    tokenizer.initialize()
    return tokenizer


def _negated(weight: float) -> float:
    return weight * (-0.8 if weight > 0 else -0.5)


def _unknown(word: str, lexicon: dict[str, float]) -> float | None:
    if len(word) < 2:
        return None
    for cut in (2, 1):
        head, rest = word[:cut], word[cut:]
        weight = lexicon.get(rest)
        if weight is not None:
            if head in DEGREE:
                return weight * DEGREE[head]
            if head in NEGATORS:
                return _negated(weight)
    if len(word) >= 3 and word[-2:] in _COMPLEMENTS and word not in _NOT_FAILURES:
        return -1.0
    return None


def _split_failure(verb: str, complement: str) -> bool:
    """Whether `verb`, 不 and `complement`, cut apart by jieba, say a thing could not be done."""
    return (len(verb) == 1 and "\u4e00" <= verb <= "\u9fff" and verb not in _NOT_VERBS
            and complement[:1] in _SPLIT_COMPLEMENTS and verb + "不" + complement[:1] not in _NOT_FAILURES)


def chinese_polarity(text: str) -> float:
    """Polarity in [-1, 1] of a Chinese text (module docstring)."""
    lexicon = _lexicon()
    before = after = 0.0
    contrast = negated = False
    boost = damp = 1.0
    words = _tokenizer().lcut(text, HMM=False)
    last = len(words) - 1
    skip = 0
    for i, word in enumerate(words):
        if skip:
            skip -= 1
            continue
        if word in _PUNCTUATION or word.isspace():
            negated, boost, damp = False, 1.0, 1.0
            continue
        if word in CONCESSION and (before or after):
            damp = CONCESSION_WEIGHT
            continue
        if word in ALTHOUGH:
            damp = CONCESSION_WEIGHT
            continue
        if word in CONTRAST:
            contrast = True
            before, after = before + after, 0.0
            negated, boost = False, 1.0
            continue
        if word in RHETORICAL:
            after += RHETORICAL[word] * damp
            negated, boost = False, 1.0
            continue
        if word in NEGATORS:
            negated = not negated
            continue
        degree = DEGREE.get(word)
        # 好 and 真 are degree adverbs before a word (好大, 真好) and praise on their own (服务不太好)
        if degree is not None and not (word in lexicon and (i == last or words[i + 1] in _PUNCTUATION)):
            boost *= degree
            continue
        if word == "快" and i < last and _is_duration(words, i + 1):
            continue                      # "almost": 快一个月了
        if i + 2 <= last and words[i + 1] == "不" and _split_failure(word, words[i + 2]):
            weight, skip = -1.0, 2               # 动不了: the verb, 不 and the complement
        else:
            weight = WAIT_WEIGHT if word == "等" and _waited(words, i) else lexicon.get(word)
        if weight is None:
            weight = _unknown(word, lexicon)
            if weight is None:
                continue
        weight *= boost * damp
        after += _negated(weight) if negated else weight
        negated, boost = False, 1.0
    total = (before * 0.5 + after * 1.5) if contrast else after
    if not total:
        return 0.0
    bangs = text.count("！") + text.count("!")
    total += min(bangs, 3) * 0.3 * (1 if total > 0 else -1)
    return total / sqrt(total * total + NORMALISER)
