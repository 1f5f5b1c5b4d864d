"""The English baseline: VADER's lexicon with our own words for service complaints and five rules,
blended with a prior learned from public labelled reviews and tweets (text/english_prior.py).

The lexicon is the one the vaderSentiment package ships (vader_lexicon.txt, valence -4..4, read
from the installed package; nothing is downloaded), with text/lexicon/en.tsv, written for this
project, added on top: words and phrases customers use about service that VADER lacks ("refund",
"stopped working", "on hold") or weighs otherwise; a word it gives 0 is VADER's word unscored ("please",
"help": a request to a business, not praise). The rules:

- negation: a negator within the three words before a word flips and damps it (x -0.74, VADER's);
- intensifiers: "very", "extremely" add 0.293 to a word's strength, "slightly" takes it away,
  less for a word two or three places on;
- contrast: after "but", "however", "although" the text counts 1.5 times and before it 0.5 times;
- exclamation marks (up to four) add 0.292 each in the direction of the sum;
- thanks ("thanks", "thank", "thx", "ty") counts only where the rest of the text is not negative: in
  a complaint it is sarcasm or a formula ("thanks for an update that bricked my phone").

The sum s becomes a polarity as VADER normalises it: s / sqrt(s^2 + 15). The baseline is
RULE_SHARE x that + (1 - RULE_SHARE) x the prior's polarity over the same words; a text that reads
as a social-media post (an @handle or a #hashtag, is_social) reads the prior fitted with more tweets,
leaning to negative (ADDRESSED_SHIFT) where it opens with an @handle. Chosen over TextBlob, VADER and
the rules or the prior alone by macro-F1 on public labelled review sets and tweets (see README,
"Sentiment"); a plain loop over a regex's words and dict lookups, several times faster than VADER's
own analyser.
"""
from __future__ import annotations

import re
from functools import cache
from importlib import resources
from math import sqrt
from pathlib import Path

from text.english_prior import prior_polarity

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?|!")
# @handles and links name someone or something, they say nothing of the writer's feeling: read as
# words ("@united" -> "united", "http://t.co/x" -> "http t co x") they carried the weights those
# words have elsewhere (measured on public brand tweets, README "Sentiment")
_HANDLE_OR_LINK = re.compile(r"@\w+|https?://\S+|www\.\S+")
# an @handle or a #hashtag that starts a word: not an e-mail address (name@host), "#1", "F@#K" or an
# HTML entity (&#39;)
_SOCIAL_MARK = re.compile(r"(?<![\w@#&])[@#][a-z_]", re.IGNORECASE)
_ADDRESSED = re.compile(r"\s*@[a-z_]", re.IGNORECASE)
# added to the social prior's margin for a post that opens with an @handle, addressed to someone (a
# reply, or a message to a company's account): on public tweets at companies those were complaints
# more often than the posts that only mention or tag one (chosen by macro-F1 on public tweets, README
# "Sentiment")
ADDRESSED_SHIFT = -0.75
_DOMAIN_LEXICON = Path(__file__).with_name("lexicon") / "en.tsv"
NEGATION_SCALAR = -0.74
BOOST_STEP = 0.293
EXCLAMATION_STEP = 0.292
NORMALISER = 15.0
NEGATIONS = frozenset(
    "not no never none nobody nothing neither nor cannot cant dont doesnt didnt isnt wasnt arent werent"
    " wont wouldnt shouldnt couldnt hasnt havent hadnt without hardly barely ain't aren't can't couldn't"
    " didn't doesn't don't hadn't hasn't haven't isn't wasn't weren't won't wouldn't shouldn't".split())
_BOOSTERS = dict.fromkeys("very really extremely so too incredibly super absolutely totally completely highly"
                          " truly especially exceptionally most quite utterly".split(), BOOST_STEP)
_BOOSTERS.update(dict.fromkeys("slightly somewhat barely little kinda sorta fairly rather".split(), -BOOST_STEP))
CONTRAST = frozenset(("but", "however", "although", "though", "yet"))
_DISTANCE = (1.0, 0.95, 0.9)
# the rules' share of the baseline; the learned prior has the rest (chosen by macro-F1 on the
# public review sets, README "Sentiment")
RULE_SHARE = 0.4
# thanks counts only in a text that is not otherwise negative (rule_polarity)
THANKS = frozenset(("thanks", "thank", "thx", "ty"))
# the prior reads a word up to this many places after a negator as a term of its own ("~word")
NEGATION_SCOPE = 3


def _read_tsv(text: str) -> dict[str, float]:
    scores = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            word, valence = line.split("\t")[:2]
            scores[word] = float(valence)
    return scores


@cache
def _lexicon() -> tuple[dict[str, float], dict[str, list[tuple[list[str], float]]]]:
    """(word -> valence, first word -> [(the phrase's other words, valence)], longest first)."""
    scores = _read_tsv(resources.files("vaderSentiment").joinpath("vader_lexicon.txt").read_text("utf-8"))
    phrases: dict[str, list[tuple[list[str], float]]] = {}
    for phrase, valence in _read_tsv(_DOMAIN_LEXICON.read_text("utf-8")).items():
        words = phrase.split(" ")
        if len(words) == 1 and not valence:
            # a word VADER scores that says nothing of the writer's feeling in a comment to a business
            # ("please", "help": a request)
            scores.pop(phrase, None)
        elif len(words) == 1:
            scores[phrase] = valence
        else:
            phrases.setdefault(words[0], []).append((words[1:], valence))
    for options in phrases.values():
        options.sort(key=lambda option: -len(option[0]))
    return scores, phrases


def english_words(text: str) -> list[str]:
    """The words (lower-cased, apostrophes kept, a typographic apostrophe read as one) and exclamation
    marks the rules and the prior read; @handles and links are left out."""
    text = text.lower()
    if "@" in text or "http" in text or "www." in text:
        text = _HANDLE_OR_LINK.sub(" ", text)
    return _WORD.findall(text.replace("\u2019", "'"))


def is_social(text: str) -> bool:
    """Whether a text reads as a social-media post: it holds an @handle or a #hashtag. Such posts
    read the prior fitted with more tweets, better on public tweets than the other and worse on some
    review sets (README "Sentiment", issue 21's fifth and sixth rounds)."""
    return ("@" in text or "#" in text) and _SOCIAL_MARK.search(text) is not None


def english_polarity(text: str) -> float:
    """The English baseline: RULE_SHARE of the rules' polarity plus the rest of the learned prior's
    (text/english_prior.py; the social posts' prior for a text is_social finds one, its margin
    lowered by ADDRESSED_SHIFT where the text opens with an @handle), in [-1, 1]."""
    words = english_words(text)
    social = is_social(text)
    shift = ADDRESSED_SHIFT if social and _ADDRESSED.match(text) is not None else 0.0
    return RULE_SHARE * rule_polarity(words) + (1.0 - RULE_SHARE) * prior_polarity(
        words, negated_words(words), social, shift)


def negated_words(words: list[str]) -> list[str]:
    """The prior's negated terms: "~" + each of the NEGATION_SCOPE words after a negator (a contrast
    word or "!" ends the scope, another negator starts it again)."""
    if NEGATIONS.isdisjoint(words):
        return []
    negated, left = [], 0
    for word in words:
        if word in NEGATIONS:
            left = NEGATION_SCOPE
        elif word in CONTRAST or word == "!":
            left = 0
        elif left:
            negated.append("~" + word)
            left -= 1
    return negated


def english_rule_polarity(text: str) -> float:
    """The rules alone (module docstring), in [-1, 1]."""
    return rule_polarity(english_words(text))


def rule_polarity(words: list[str]) -> float:
    """The rules' polarity of a text cut by english_words."""
    scores, phrases = _lexicon()
    before = after = thanks_before = thanks_after = 0.0
    contrast = False
    bangs = 0
    i, n = 0, len(words)
    while i < n:
        word = words[i]
        if word == "!":
            bangs += 1
            i += 1
            continue
        if word in CONTRAST:
            contrast = True
            before, after = before + after, 0.0
            thanks_before, thanks_after = thanks_before + thanks_after, 0.0
            i += 1
            continue
        valence, span = None, 1
        for rest, phrase_valence in phrases.get(word, ()):
            if words[i + 1:i + 1 + len(rest)] == rest:
                valence, span = phrase_valence, 1 + len(rest)
                break
        if valence is None:
            valence = scores.get(word)
        # a phrase of our lexicon that starts with a negator ("doesn't work", "never arrived") carries
        # its negation in its valence; a negator alone has none
        if valence is not None and (span > 1 or word not in NEGATIONS):
            for distance in (1, 2, 3):
                j = i - distance
                if j < 0:
                    break
                previous = words[j]
                boost = _BOOSTERS.get(previous)
                if boost is not None:
                    step = boost * _DISTANCE[distance - 1]
                    valence += step if valence > 0 else -step
                elif previous in NEGATIONS:
                    valence *= NEGATION_SCALAR
                    break
                elif previous in CONTRAST:
                    break
            if span == 1 and word in THANKS:
                thanks_after += valence
            else:
                after += valence
        i += span
    total = (before * 0.5 + after * 1.5) if contrast else after
    # thanks in a complaint is sarcasm or a formula ("thanks @x for an update that bricked my phone"):
    # it counts only where the rest of the text is not negative
    if total >= 0:
        total += (thanks_before * 0.5 + thanks_after * 1.5) if contrast else thanks_after
    if not total:
        return 0.0
    total += min(bangs, 4) * EXCLAMATION_STEP * (1 if total > 0 else -1)
    return total / sqrt(total * total + NORMALISER)
