"""The rule baselines, by hand: VADER's valences (vader_lexicon.txt) and ours (text/lexicon/), the
rules' multipliers, then s / sqrt(s^2 + 15) for English and s / sqrt(s^2 + 4) for Chinese. The English
baseline blends the rules with the learned prior (tests/test_english_prior.py checks that blend)."""
from __future__ import annotations

from math import sqrt

import pytest

from text.chinese_rules import chinese_polarity
from text.english_prior import prior_polarity
from text.english_rules import RULE_SHARE, english_rule_polarity, english_words, service_patterns
from text.sentiment import polarities, polarity


def en(s: float) -> float:
    return s / sqrt(s * s + 15)


def en_baseline(rules: float, words: list[str]) -> float:
    return RULE_SHARE * rules + (1 - RULE_SHARE) * prior_polarity(words)


def zh(s: float) -> float:
    return s / sqrt(s * s + 4)


# valences: rude -2.0, helpful 1.8, good 1.9 (VADER); slow -1.5, queue -0.8, "on hold" -1.5,
# waited -1.2, "doesn't work" -2.2 (text/lexicon/en.tsv)
@pytest.mark.parametrize("text, expected", [
    ("The staff were rude", en(-2.0)),
    ("The staff were not helpful", en(1.8 * -0.74)),                          # negation
    ("The staff were very helpful", en(1.8 + 0.293)),                         # intensifier
    ("The queue was slow but the staff were helpful", en(0.5 * (-0.8 - 1.5) + 1.5 * 1.8)),  # contrast
    ("good!!", en(1.9 + 2 * 0.292)),                                          # exclamation
    ("I waited forty minutes on hold", en(-1.2 - 1.5 - 3.0)),                 # our phrase, a wait pattern
    ("It doesn't work", en(-2.2 - 2.0)),                     # our phrase led by a negator, and a failure pattern
    ("The branch opens at nine", 0.0),
])
def test_english_rules(text, expected):
    assert english_rule_polarity(text) == pytest.approx(expected)


# issue 21's fifth round (text/lexicon/en.tsv): "still waiting" -1.8, refund -1.5, bricked -2.5, "thanks for
# nothing" -2.5; please and help 0 (VADER's 1.3 and 1.7 unscored); thanks 1.9 and helpful 1.8 (VADER); the
# seventh round's patterns (SERVICE_PATTERNS): "still ..." -2.5 (it covers "waiting for a refund", whose
# own pattern then does not count), "thanks ... for nothing" -3.0
@pytest.mark.parametrize("text, expected", [
    ("Still waiting for a refund", en(-1.8 - 1.5 - 2.5)),
    ("Please help", 0.0),                                                    # a request
    ("Thanks, the staff were helpful", en(1.9 + 1.8)),
    ("Thanks for the update that bricked my phone", en(-2.5)),               # thanks in a complaint
    ("Thanks for nothing", en(-2.5 - 3.0)),                                  # our phrase and the pattern, not thanks
])
def test_english_complaint_words(text, expected):
    assert english_rule_polarity(text) == pytest.approx(expected)


# issue 21's seventh round, SERVICE_PATTERNS: each pattern's valence added where it starts, besides the
# words' own; VADER: disappointed -2.1, problems -1.7, great 3.1, slow -1.5 (ours), "on hold" -1.5 (ours)
@pytest.mark.parametrize("text, expected", [
    ("On hold for 2 hours", en(-1.5 - 3.0)),                                 # "on hold for hours": a wait
    ("Never disappointed", en(-2.1 * -0.74 + 3.0)),                          # a double negative
    ("No problems at all", en(-1.7 * -0.74 + 2.5)),                          # "no" a negator, not a word
    ("Great customer service, on hold for an hour", en(3.1 - 1.5 - 3.0 - 3.1)),  # sarcasm: the praise dropped
    ("The staff were great but I waited 40 minutes", en(0.5 * 3.1 + 1.5 * (-1.2 - 3.0))),  # contrast
    ("The queue was long but the staff were great", en(0.5 * -0.8 + 1.5 * 3.1)),  # no pattern: a queue, no time
])
def test_english_service_patterns(text, expected):
    assert english_rule_polarity(text) == pytest.approx(expected)


# issue 21's tenth round. VADER: disappointed -2.1, impressed 2.1, happier 2.4, better 1.9, stopped -0.9, rude -2.0;
# ours: slow -1.5, "too small" and "too loud" -1.2; "so" a booster (+0.293); patterns: coming back and buying again
# +2.5, "couldn't be happier" +3.0, "could be better" -2.0 (and its praise dropped, as beside any failure in a short
# text), a failure at what a thing is for -2.0, stopped or keeps failing -2.5, "will not be back" -3.0, advice to
# keep away -2.5; idioms "what a joke" -2.0, "dropped the ball" -2.0, "save your money" -2.2; "get it together" -2.0, "kidding me" -1.8
@pytest.mark.parametrize("text, expected", [
    ("I have never been so disappointed", en((-2.1 - 0.293) * 1.25)),         # never ... so: intensified, not flipped
    ("We were less than impressed", en(2.1 * -0.74)),                        # "less than" negates
    ("Slow delivery but also rude staff", en(-1.5 - 2.0)),                   # "but also" contrasts nothing
    ("Slow delivery, nothing but rude staff", en(-1.5 - 2.0)),               # nor does "nothing but"
    ("Slow delivery but rude staff", en(0.5 * -1.5 + 1.5 * -2.0)),           # a contrast still (as before)
    ("We will be back", en(2.5)),
    ("I would buy it again", en(2.5)),
    ("I will never buy it again", en(-3.0)),                   # "never ... again" (as before), not buying again
    ("Couldn't be happier", en(2.4 * -0.74 + 3.0)),
    ("The service could be better", en(-2.0)),
    ("It won't charge", en(-2.0)),
    ("Nothing works", en(-2.0)),                                             # nothing did what it was for
    ("Nothing has been done", en(-2.0)),                                     # not "done", "works" as praise
    ("nothing ever gets fixed", en(-2.0)),
    ("It stopped charging", en(-0.9 - 2.5)),
    ("The portions were too small", en(-1.2)),
    ("It is not too loud", en(-1.2 * -0.74)),                                # excess negated: mild praise
    ("Will not be back", en(-3.0)),                                          # not coming back
    ("Stay away from this place", en(-2.5)),                                 # advice to keep away
    ("Skip this one", en(-2.5)),
    ("What a joke", en(-2.0)),                                               # idioms: not VADER's joke (+1.2)
    ("They dropped the ball", en(-2.0)),
    ("Save your money", en(-2.2)),
    ("Get it together", en(-2.0)),                                           # exasperation at a company
    ("You gotta be kidding me", en(-1.8)),                                   # not VADER's kidding (+0.4)
])
def test_english_tenth_round_rules(text, expected):
    assert english_rule_polarity(text) == pytest.approx(expected)


def test_a_problem_fixed_on_request_is_no_praise():
    # "need these problems fixed" asks: the pattern wants a verb between, or the problem first
    assert service_patterns(english_words("need all these problems fixed")) == []
    assert service_patterns(english_words("Problem solved in minutes")) == [(0, 2.5)]
    assert service_patterns(english_words("my problems were fixed")) == [(1, 2.5)]


def test_the_prior_leaves_a_negative_word_it_weighs_positive_to_the_rules():
    from text.english_prior import read_prior, PRIOR_FILE, _prior

    shipped, _ = read_prior(PRIOR_FILE)
    assert shipped["rude"] > 0                                # as fitted on public reviews
    # held at a weight of 0: the prior knows the word (its bias counts for it), the rules judge it
    assert _prior(False)[0]["rude"] == 0.0 and _prior(True)[0]["rude"] == 0.0
    assert _prior(False)[0]["terrible"] == shipped["terrible"] < 0
    # a word of praise the prior weighs negative keeps its weight ("I wish I had"), but for the few a
    # service comment uses plainly
    assert _prior(False)[0]["wish"] == shipped["wish"] < 0
    assert shipped["reliable"] < 0 and _prior(False)[0]["reliable"] == 0.0


def test_never_worked_with_a_person_is_no_failure():
    # nicer: no valence in VADER; "never worked with" is not a thing failing, so no pattern fires
    assert service_patterns(english_words("I've never worked with a nicer team")) == []
    assert service_patterns(english_words("It never worked")) == [(1, -2.0)]


# the baseline (rules and the shipped prior) on phrases customers write, each sign checked by hand: the
# prior alone had the first five the wrong way (issue 21); the others keep their sign
@pytest.mark.parametrize("text, negative", [
    ("never flying with you again", True),
    ("thanks for nothing", True),
    ("been on hold for 2 hours", True),
    ("cancelled my flight without notice", True),
    ("never disappointed", False),
    ("Still no refund after three calls", True),
    ("Nobody called me back", True),
    ("They lost my package and refused to refund me", True),
    ("Great job losing my bag again", True),
    ("Love waiting 20 minutes for a coffee", True),
    ("Worst customer service ever", True),
    ("I will never shop here again", True),
    ("2.5 hours since we ordered our pizza", True),
    ("Days late and smashed. Nice work", True),
    ("Reached out to the help desk and still got nothing", True),
    ("The power is out again", True),
    ("I had to call them back 3 times", True),
    ("you can never get the order right", True),
    ("Having problems on your site again, help?", True),
    ("can't complain", False),
    ("no problems so far", False),
    ("not bad at all", False),
    ("I switched banks and never looked back", False),
    ("Hassle-free delivery", False),
    ("They never fail me", False),
    ("I can't wait to try the new app", False),
    ("Great service, thanks a lot", False),
    ("The opening hours suit me well", False),
    ("Used it for a week and still learning what it can do, love it", False),
    ("Day 2: late-night parties and a packed session", False),
    ("Price keeps dropping and never have a problem", False),
    # the bias counted as far as the prior holds the words (issue 21's fifteenth round) leaves it at +0.03:
    # the rules' +0.19 against the prior's -0.08 ("issues", "app")
    pytest.param("Don't have any issues with the app", False, marks=pytest.mark.xfail(
        strict=True, reason="neutral since the prior's lean counts only as far as it holds the words")),
    ("been on hold forever", True),                          # a wait measured without a number
    ("waiting for ages for a reply", True),
    ("Nothing beats this service", False),                  # nothing better exists
    ("nothing compares to their staff", False),
    ("Customer care second to none", False),
    ("get your act together", True),                        # exasperation at a company
    ("@bank get your life together", True),
    ("let's get together soon", False),
    ("s/o @shop for this really great charger that works so well! #not", True),   # sarcasm marked
    ("Love being on hold all morning #sarcasm", True),
    ("#notgood but the staff were great", False),            # a hashtag that only starts with "not"
    ("hey my phone keeps glitching", True),                  # keeps failing at what it is for
    ("the app keeps logging me out", True),
    ("my card keeps declining at the till", True),
    # issue 21's tenth round: each of these had the wrong sign, or none, before it
    ("The service could be better", True),
    ("It won't charge", True),
    ("We were less than impressed", True),
    ("Will not be back.", True),
    ("Bookmarks are an excellent feature, but not on this player", True),
    # issue 21's fourteenth round: each of these had the wrong sign, or none, before it
    ("The staff was rude", True),                            # the prior's "rude" (+1.66) left to the rules
    ("Manager was rude and dismissive", True),
    ("Problem solved in minutes", False),                    # a problem solved
    ("The issue was resolved quickly", False),
    ("Exceeded my expectations", False),
    ("1 star", True),                                        # a rating in digits, read as in words
    ("1.0 out of 5 stars Look elsewhere", True),
    ("Room was spotless", False),
    ("Reliable service", False),                             # the prior's "reliable" (-1.69) left to the rules
    ("Very professional staff", False),
    ("Long queues at the branch", True),
    ("ATM out of order again", True),
    # issue 21's fifteenth round: each of these had no sign, or the wrong one, before it (the prior's lean
    # for words it never saw)
    ("Unreliable service", True),
    ("Unhelpful and unprofessional", True),
    ("Stranded at the airport", True),
    ("Issue still not resolved after 3 calls", True),        # and these kept theirs
    ("They never resolved my issue", True),
    ("5.0 out of 5 stars Love it", False),
    # issue 21's seventeenth round: each of these had the wrong sign before it (sarcastic thanks for a
    # failure, one failure more, customers kept waiting; "another" was sarcasm whatever followed); the last
    # two keep theirs
    ("@Delta thanks for the 3 hour delay", True),
    ("thanks for keeping me on hold", True),
    ("thanks for the long wait", True),
    ("great, another delay", True),
    ("@airline thanks for having us sit on the tarmac for three hours", True),
    ("thanks for another great flight", False),
    ("thanks for keeping me updated", False),
    ("thanks for the upgrade, no more delays please", False),
])
def test_english_baseline_signs(text, negative):
    score = polarity(text)[1]
    assert (score < -0.05) if negative else (score > 0.05)


# weights: 周到 1, 不好 -1, 干净 1, 太差 -2 (text/lexicon/zh.tsv); 很 x1.3; 非常满意 2
@pytest.mark.parametrize("text, expected", [
    ("服务很周到", zh(1.3)),                                   # degree adverb
    ("态度不好", zh(-1.0)),
    ("服务不太好", zh(1.0 * -0.8)),                             # negated praise; 好 ends the clause
    ("房间很干净，但是隔音太差", zh(0.5 * 1.3 + 1.5 * -2.0)),    # contrast
    ("手机银行打不开", zh(-1.0)),                               # a verb that could not be done
    ("非常满意！", zh(2.0 + 0.3)),                              # exclamation
    ("今天下午三点去的", 0.0),
])
def test_chinese_rules(text, expected):
    assert chinese_polarity(text) == pytest.approx(expected)


# issue 21's words of restaurants, delivery and hotels (text/lexicon/zh.tsv): 还可以 0.6, 上菜慢 -1.2,
# 服务态度差 -1.5, 送餐快 1, 还是热的 0.8, 不会去了 -1.2, 量少 -1, 腻 -0.8, 才送到 -1, 凉了 -1,
# 联系不上 -1.2, 很一般 -1.2, 环境好 1, 还会再来 1.5, 丰富 1, 入味 1, 霉味 -1; 有点 x0.7, 非常 x1.6
@pytest.mark.parametrize("text, expected", [
    ("味道还可以", zh(0.6)),
    ("上菜慢，服务态度差", zh(-1.2 - 1.5)),
    ("送餐快，还是热的", zh(1.0 + 0.8)),
    ("下次不会去了", zh(-1.2)),
    ("量少，有点腻", zh(-1.0 + 0.7 * -0.8)),
    ("一个半小时才送到，都凉了", zh(-1.0 - 1.0)),
    ("预约了三次都联系不上", zh(-1.2)),
    ("菜品很一般", zh(-1.2)),
    ("环境好，还会再来", zh(1.0 + 1.5)),
    ("种类不丰富", zh(1.0 * -0.8)),                             # negated praise
    ("非常入味", zh(1.6 * 1.0)),                                 # degree adverb
    ("房间有霉味", zh(-1.0)),
    # not as promised, no answer at all, no fault to find: 跟宣传的不一样 -1.2, 没有任何回复 -1.2, 不怎样 -1,
    # 挑不出毛病 1.2 (cut as 挑不出 + 毛病 it read as two complaints), 没毛病 1
    ("实物跟宣传的不一样", zh(-1.2)),
    ("发了三次邮件没有任何回复", zh(-1.2)),
    ("服务不怎样", zh(-1.0)),
    ("挑不出毛病", zh(1.2)),
    ("没毛病", zh(1.0)),
    ("性能低于预期", zh(-1.2)),
    # a measure of time: 等 before one is a wait (WAIT_WEIGHT -1.0, not 等's -0.3), 快 before one "almost", not
    # praise (快 0.8); 排队 -1, 发货快 1
    ("等了快两个小时", zh(-1.0)),
    ("排队等了一个多小时", zh(-1.0 - 1.0)),
    ("快一个月了", 0.0),
    ("等一下", zh(-0.3)),
    ("发货快", zh(1.0)),
    ("虽然等了几天，还是很满意", zh(0.5 * -1.0 + 1.0)),   # the conceded clause counts half (很满意 1)
    ("看不出", 0.0),                                             # seeing, not a thing that failed
    ("手机银行打不开", zh(-1.0)),                               # ... which this is
    # a problem solved or not: 解决了 1, 已解决 1, 一直没解决 -1.2, 没有解决 -1 (解决 alone is asked for:
    # "给我解决啊" is no verdict); 问题 -0.6, 投诉 -1.6
    ("问题已解决", zh(-0.6 + 1.0)),
    ("问题一直没解决", zh(-0.6 - 1.2)),
    ("投诉了三次都没有解决", zh(-1.6 - 1.0)),
    ("给我解决啊", 0.0),
    # what happened last weighs more: 后来 and 最终 as 但是 (before x0.5, after x1.5); 打不通 -1 (不通
    # as a complement is not one of _COMPLEMENTS: the lexicon's), 处理好了 1, 越来越差 -1.5, 挺好 1.1
    ("之前打不通，后来处理好了", zh(0.5 * -1.0 + 1.5 * 1.0)),
    ("一开始挺好的，后来越来越差", zh(0.5 * 1.1 + 1.5 * -1.5)),
    ("等了很久，最终解决了", zh(0.5 * (-0.3 + 1.3 * -1.0) + 1.5 * 1.0)),  # 等 -0.3, 很 x1.3 久 -1
    # a question that is a complaint (RHETORICAL), never turned by a negator before it: 怎么回事 -1,
    # 什么玩意 -1.5, 难道 -1; 没有 before 发票 negates no scored word
    ("没有发票是怎么回事？", zh(-1.0)),
    ("什么玩意儿", zh(-1.5)),
    ("难道你们没看到吗？", zh(-1.0)),
    # a complement jieba cuts into characters is a failure as one it lists (登不上 -1): 动 / 不 / 了;
    # not after a word that is no verb, and not in idioms (离不开: cannot do without)
    ("手机银行一直停在首页，动不了。", zh(-1.0)),
    ("付不了款", zh(-1.0)),
    ("连不上网", zh(-1.0)),
    ("我不去", 0.0),
    ("离不开", 0.0),
    # what a takeout or a branch's customer says of coming back, and of the notes not followed
    ("强烈推荐", zh(1.5)),
    ("下次还点", zh(1.0)),
    ("没按备注", zh(-1.0)),
    # issue 21's seventeenth round: a summary is the verdict, as what happened last (总的来说 as 但是); 决不会
    # negates as 绝不 does (后悔 -1.6); 偏贵 -1, 性价比不高 -1.2 (性价比 alone is praise, 1)
    ("等了很久，总的来说还可以", zh(0.5 * (-0.3 + 1.3 * -1.0) + 1.5 * 0.6)),
    ("决不会后悔", zh(-1.6 * -0.5)),
    ("价格偏贵，性价比不高", zh(-1.0 - 1.2)),
])
def test_chinese_service_words(text, expected):
    assert chinese_polarity(text) == pytest.approx(expected)


# 就是 after a scored word concedes a small flaw: the rest of its clause counts 0.5. 不错 1.2, 挺好 1.1,
# 贵 -0.8 (有点 x0.7), 上菜慢 -1.2, 难吃 -1
@pytest.mark.parametrize("text, expected", [
    ("味道不错，就是有点贵", zh(1.2 + 0.5 * 0.7 * -0.8)),
    ("挺好的，就是有点贵，上菜慢", zh(1.1 + 0.5 * 0.7 * -0.8 - 1.2)),  # the next clause counts whole
    ("就是难吃", zh(-1.0)),                                         # at the start it only stresses
])
def test_chinese_concession(text, expected):
    assert chinese_polarity(text) == pytest.approx(expected)


def test_polarity_picks_the_language_rules():
    rude = en_baseline(en(-2.0), ["the", "staff", "were", "rude"])
    assert polarity("The staff were rude") == ("en", pytest.approx(rude))
    assert polarity("态度不好") == ("zh", pytest.approx(zh(-1.0)))


def test_polarities_keep_order_and_force_a_language():
    rude = en_baseline(en(-2.0), ["the", "staff", "were", "rude"])
    assert polarities(["The staff were rude", "态度不好", "123"]) == pytest.approx([rude, zh(-1.0), 0.0])
    # read as Chinese, English words score nothing
    assert polarities(["The staff were rude"], "zh") == [0.0]
