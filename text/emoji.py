"""Emoji and emoticons: the customer's feeling where a comment holds no words ("😡", "👍👍", ":(").

A comment of signs alone is plainly polar in customer feedback (app stores, WeChat, tweets, in both
languages), and the rules of both languages read words only, so without this it had no sentiment and
fell out of every count. SIGN_VALENCE is our own small table, on VADER's scale (-4 .. 4): the emoji
whose side is clear in a comment to a business, chosen with the Emoji Sentiment Ranking (Kralj Novak,
Smailović, Sluban & Mozetič 2015, "Sentiment of Emojis", PLoS ONE 10(12): e0144296; the share of
negative and positive tweets each emoji sat in), and the emoticons VADER scores, with VADER's
valences (Hutto & Gilbert 2014, ICWSM; vader_lexicon.txt). Emoji that tweets use on both sides are
left out: 😂 and 🤣 (laughing with or at), 🙏 (thanks or pleading), 😅, 😱, 😳, 🔥, 💀. A text's
signs add up as VADER adds words, s / sqrt(s^2 + 15), so "😤😤😤" is more negative than "😤".

Only a text of signs alone is scored by them (signs_only_polarity): in texts with words, adding the
signs did not raise macro-F1 on public labelled tweets and reviews that hold emoji (README
"Sentiment", issue 21's eleventh round).

Bracket codes: WeChat, Weibo and many Chinese apps send their own emoticons as a name in square
brackets ("[强]", "[抓狂]"), which a comment exported to a spreadsheet keeps as text. CODE_VALENCE holds
the codes whose side is clear in a comment to a business, by the names of WeChat's default emoticon
panel (强 弱 爱心 心碎 玫瑰 凋谢 鼓掌 OK 抱拳 拥抱 愉快 大哭 流泪 难过 快哭了 发怒 咒骂 抓狂 衰 鄙视 吐 便便
差劲 生病) and of Weibo's default set, as its posts carry them (赞 good ok 哈哈 嘻嘻 太开心 可爱 爱你 心
伤心 亲亲 抱抱 给力 威武 笑哈哈 怒 怒骂 泪 悲伤 失望). Each is set at the level of its
emoji in SIGN_VALENCE (强 赞 good OK as 👍 👌, 心 爱心 爱你 as ❤, 玫瑰 as 🌹, 心碎 as 💔, 怒 as 😠, 弱 差劲 as
👎, 吐 as 🤮, 便便 as 💩, 大哭 泪 as 😭 😢); 抱拳 (the salute of thanks) mildly positive and 生病 mildly
negative (an illness is a complaint only sometimes). The side of each code found in weibo_senti_100k's
public sample of 2,400 posts (ChineseNlpCorpus) agrees: 哈哈 91% of 526 posts positive, 嘻嘻 94%, 鼓掌
97%, 爱你 95%, 可爱 97%, 太开心 94%, 给力 93%, 亲亲 91%, 抱抱 93%, good 85%, 威武 82%, 赞 75%, 笑哈哈
74%, 心 73%; 泪 3% of 521, 抓狂 6%, 衰 1%, 怒 3%, 悲伤 0%, 失望 4%, 怒骂 0%, 伤心 6%, 生病 0%, 鄙视 0%
(that set was most likely labelled by its emoticons, so it says which side a code is on, not how it
weighs against words). Left out as two-sided: 微笑 (on Weibo often the polite smile of contempt; not in
the sample), 呵呵 (60% positive), 偷笑 (60%), 耶 (6 of 11) and WeChat's 胜利 (its ✌), 可怜, 晕 and 汗
(negative there, 3% and 10% positive, but dizziness and sweat name no side), 委屈 (30%). A code is read wherever it stands, words
around it or not; its name stays in the text the word rules read (the Chinese lexicon knows a few, 抓狂
and 失望 among them; taking them out lowered macro-F1 on that sample, README "Sentiment").
"""
from __future__ import annotations

import re
from math import sqrt

NORMALISER = 15.0

_LOVE, _GLAD, _MILD_GLAD = 3.0, 2.0, 1.5
_ANGRY, _UPSET, _MILD_UPSET = -3.0, -2.5, -1.0

SIGN_VALENCE: dict[str, float] = {
    **dict.fromkeys("❤♥💕💖💗💓💞💘💝💙💚💛💜🧡😍🥰🤩😻", _LOVE),
    **dict.fromkeys("👍👌👏🙌🎉🎊😊☺😀😃😄😁😆😋😘😚🤗💪⭐🌟🏆🥇💐🌹", _GLAD),
    **dict.fromkeys("🙂😉😌😎✅", _MILD_GLAD),
    **dict.fromkeys("😡😠🤬🤮🤢💩👎", _ANGRY),
    **dict.fromkeys("😤😒😞😩😫😖😣😭💔😢☹🙁😔😟😕🙄😓😰😨", _UPSET),
    **dict.fromkeys("😑😐", _MILD_UPSET),
    # emoticons, VADER's valences
    ":)": 2.0, ":-)": 1.3, ":]": 2.2, "=)": 2.2, "(:": 2.2, ":D": 2.3, ":-D": 2.3, ":3": 2.3,
    ";)": 0.9, ";-)": 1.0, ":P": 1.4, ":p": 1.0, ":-*": 1.7, "<3": 1.9,
    ":(": -1.9, ":-(": -1.5, ":[": -2.0, "):": -1.8, ":'(": -2.2, ":'-(": -2.4, ">:(": -2.7, ">:-(": -2.7,
    ":/": -1.4, ":-/": -1.2, ":\\": -1.3, "</3": -3.0, ":|": -0.4, ":-|": -0.7,
    # not VADER's: the Asian emoticons of joy, weariness and tears, ours. VADER's "8)" is left out: a
    # number closing a bracket ("(ref. 8)") is far more common in a comment than the face
    "^_^": 2.0, "-_-": -1.0, "T_T": -2.5,
}

# WeChat's and Weibo's bracket codes, by name (module docstring); "[OK]" is WeChat's, "[ok]" Weibo's
CODE_VALENCE: dict[str, float] = {
    **dict.fromkeys(["心", "爱心", "爱你"], _LOVE),
    **dict.fromkeys(["强", "赞", "good", "OK", "ok", "鼓掌", "哈哈", "嘻嘻", "笑哈哈", "太开心", "愉快", "可爱", "玫瑰",
                     "给力", "威武", "亲亲", "抱抱", "拥抱"], _GLAD),
    "抱拳": _MILD_GLAD,
    **dict.fromkeys(["怒", "发怒", "怒骂", "咒骂", "弱", "差劲", "吐", "便便"], _ANGRY),
    **dict.fromkeys(["抓狂", "大哭", "泪", "流泪", "快哭了", "难过", "悲伤", "伤心", "心碎", "失望", "衰", "鄙视", "凋谢"],
                    _UPSET),
    "生病": _MILD_UPSET,
}
_CODE_SIGNS = {f"[{name}]": valence for name, valence in CODE_VALENCE.items()}

_EMOTICONS = sorted((sign for sign in SIGN_VALENCE if len(sign) > 1), key=len, reverse=True)
_EMOJI = "".join(sign for sign in SIGN_VALENCE if len(sign) == 1)
# an emoticon stands apart (":/" in a link is no face); an emoji anywhere, and so a bracket code, which
# WeChat and Weibo put between words without a space ("服务好[强]")
_SIGN = re.compile("[" + re.escape(_EMOJI) + "]|(?:" + "|".join(map(re.escape, _CODE_SIGNS)) + ")"
                   "|(?<!\\S)(?:" + "|".join(map(re.escape, _EMOTICONS)) + ")(?!\\S)")
_VALENCE = {**SIGN_VALENCE, **_CODE_SIGNS}
# a cell of emoticons and nothing else, for SQL (RE2 has no look-around): loaders/validate.py keeps such a
# cell of punctuation alone (":(", ":( :(") as a comment, where it drops "-" or "..." as no answer
_ONE_EMOTICON = "(?:" + "|".join(map(re.escape, _EMOTICONS)) + ")"
EMOTICON_CELL = "^\\s*" + _ONE_EMOTICON + "(?:\\s*" + _ONE_EMOTICON + ")*\\s*$"
# what dresses an emoji without changing it: variation selectors, skin tones, the joiner of sequences
_MODIFIERS = re.compile("[\ufe0e\ufe0f\u200d\U0001F3FB-\U0001F3FF]")
# a quick test that a text may hold a sign at all, so most texts pay one scan
_MAY_HOLD = re.compile("[" + re.escape(_EMOJI) + ":;=8<>()^T\\-\\[]")


def sign_valences(text: str) -> list[float]:
    """The valence of each sign of SIGN_VALENCE or CODE_VALENCE in `text`, in order (repeats counted)."""
    if _MAY_HOLD.search(text) is None:
        return []
    return [_VALENCE[sign] for sign in _SIGN.findall(_MODIFIERS.sub("", text))]


def signs_polarity(valences: list[float]) -> float:
    """The signs' polarity, s / sqrt(s^2 + 15) of their sum s (VADER's normalisation), in [-1, 1]."""
    total = sum(valences)
    return total / sqrt(total * total + NORMALISER)


def signs_only_polarity(text: str) -> float | None:
    """The polarity of a text made of signs alone (emoji, emoticons, bracket codes of CODE_VALENCE,
    punctuation, digits, spaces; no other letter of any script), by SIGN_VALENCE and CODE_VALENCE; None
    for a text with a letter outside a code of the table, or no sign of the tables."""
    bare = _MODIFIERS.sub("", text)
    rest = _SIGN.sub(" ", bare)
    if any(ch.isalpha() for ch in rest):
        return None
    valences = [_VALENCE[sign] for sign in _SIGN.findall(bare)]
    return signs_polarity(valences) if valences else None
