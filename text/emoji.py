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

_EMOTICONS = sorted((sign for sign in SIGN_VALENCE if len(sign) > 1), key=len, reverse=True)
_EMOJI = "".join(sign for sign in SIGN_VALENCE if len(sign) == 1)
# an emoticon stands apart (":/" in a link is no face); an emoji anywhere
_SIGN = re.compile("[" + re.escape(_EMOJI) + "]|(?<!\\S)(?:" + "|".join(map(re.escape, _EMOTICONS)) + ")(?!\\S)")
# a cell of emoticons and nothing else, for SQL (RE2 has no look-around): loaders/validate.py keeps such a
# cell of punctuation alone (":(", ":( :(") as a comment, where it drops "-" or "..." as no answer
_ONE_EMOTICON = "(?:" + "|".join(map(re.escape, _EMOTICONS)) + ")"
EMOTICON_CELL = "^\\s*" + _ONE_EMOTICON + "(?:\\s*" + _ONE_EMOTICON + ")*\\s*$"
# what dresses an emoji without changing it: variation selectors, skin tones, the joiner of sequences
_MODIFIERS = re.compile("[\ufe0e\ufe0f\u200d\U0001F3FB-\U0001F3FF]")
# a quick test that a text may hold a sign at all, so most texts pay one scan
_MAY_HOLD = re.compile("[" + re.escape(_EMOJI) + ":;=8<>()^T\\-]")


def sign_valences(text: str) -> list[float]:
    """The valence of each sign of SIGN_VALENCE in `text`, in order (repeats counted)."""
    if _MAY_HOLD.search(text) is None:
        return []
    return [SIGN_VALENCE[sign] for sign in _SIGN.findall(_MODIFIERS.sub("", text))]


def signs_polarity(valences: list[float]) -> float:
    """The signs' polarity, s / sqrt(s^2 + 15) of their sum s (VADER's normalisation), in [-1, 1]."""
    total = sum(valences)
    return total / sqrt(total * total + NORMALISER)


def signs_only_polarity(text: str) -> float | None:
    """The polarity of a text made of signs alone (emoji, emoticons, punctuation, digits, spaces; no
    letter of any script), by SIGN_VALENCE; None for a text with a letter or no sign of the table."""
    bare = _MODIFIERS.sub("", text)
    rest = _SIGN.sub(" ", bare)
    if any(ch.isalpha() for ch in rest):
        return None
    valences = [SIGN_VALENCE[sign] for sign in _SIGN.findall(bare)]
    return signs_polarity(valences) if valences else None
