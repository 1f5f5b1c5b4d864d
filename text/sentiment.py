"""Scoring customers' words at import: language by the share of CJK characters, polarity in [-1, 1].

Without a learned model, English is scored by our rules on VADER's lexicon blended with a prior
learned offline from public labelled reviews (text/english_rules.py, text/english_prior.py),
Chinese by our jieba rules and lexicon (text/chinese_rules.py); both beat
TextBlob and SnowNLP on public labelled reviews (README, "Sentiment"). With the store's learned
model (text/learned.py) each language's rule polarity is blended with what the model learned from
the customers' own scores.

Emoji, emoticons and WeChat's and Weibo's bracket codes (text/emoji.py): a text of signs alone ("😡",
"👍👍", ":(", "[强][强]", "[抓狂]") gets their polarity
and the language SIGNS_ONLY, "zxx", ISO 639-2's code for "no linguistic content": no word model
learns from it or blends it (text/labels.py LEARNED_LANGUAGES), the themes read it as before (by
its letters: a text of codes as Chinese), and it counts in every sentiment figure, which reads the
polarity, not the language. In a text with words the signs decide only where the words lean neither
way (a polarity within the neutral band): measured on public labelled tweets and reviews that hold
emoji, that set right 13 of 15 such texts, while mixing the signs into a text the words already
decide did not help (README "Sentiment", issue 21's eleventh round). Bracket codes follow the same
rule: the only public labelled set with them at hand (Weibo posts) was most likely labelled by its
emoticons, so it cannot say how far a code should outweigh words (README, twelfth round).
"""
from __future__ import annotations

import os
import re
from collections import deque
from typing import TYPE_CHECKING, Iterable, Iterator

import pandas as pd

import numpy as np

from text.chinese_rules import chinese_polarity
from text.emoji import sign_valences, signs_only_polarity, signs_polarity
from text.english_rules import english_polarity
from text.labels import NEGATIVE_BELOW, POSITIVE_ABOVE
if TYPE_CHECKING:
    # only named here: scikit-learn, which the learned model needs, loads with a stored model
    # (store.sentiment_model.latest_model) or a training (text.learned), not with every command
    from text.learned import LearnedSentiment

# The baseline's version: raised with every change to a rule, a lexicon or a prior that can change a
# stored text's polarity or language. A store records the baseline its texts were last all scored with
# (store/sentiment_model.py, table baseline_rescore), and the first import after a change scores them
# all again (loaders/learning.py), so that no trend mixes two baselines silently.
# tests/test_baseline_version.py fails when the baseline's files change and this does not.
BASELINE_VERSION = 3

CJK_SHARE_FOR_CHINESE = 0.3

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")
# a text of emoji or emoticons alone (no word model can read it; text/emoji.py)
SIGNS_ONLY = "zxx"
# every emoticon with a letter has one letter at most (":D", ":P", "T_T"): a text with two in a row has words
_TWO_LETTERS = re.compile(r"[A-Za-z]{2}")
# a bracket code, of text/emoji.py's table or not ("[强]", "[蜡烛]")
_ANY_CODE = re.compile(r"\[[^\[\]]*\]")
# Scoring runs on every core because the sentiment floors of bench/ (10,000 distinct English and
# 1,000 Chinese texts a second, both cores) need both; below this many distinct texts, starting
# worker processes costs more than it saves.
_PARALLEL_FROM = 4000
_CHUNKS_PER_WORKER = 32
# A chunk holds at most this many texts, and at most this many chunks per worker are handed out and
# not yet taken back: what Python holds of a file's texts stays bounded whatever the file's size
# (issue 20's memory floor for an import).
MAX_CHUNK_TEXTS = 5000
CHUNKS_IN_FLIGHT_PER_WORKER = 4


def detect_language(text: str | None) -> str | None:
    """'zh' when CJK characters are at least 30% of the letters, 'en' when there are Latin letters."""
    if not text:
        return None
    cjk = len(_CJK.findall(text))
    latin = len(_LATIN.findall(text))
    if cjk + latin == 0:
        return None
    return "zh" if cjk / (cjk + latin) >= CJK_SHARE_FOR_CHINESE else "en"


# Remarks that answer nothing: a comment box's "No comment.", "Nothing to add.", "As above.", "暂无意见",
# "同上". They carry no feeling about the service, yet their words read negative to the rules ("no",
# "nothing": "No comment." scored -0.27, "Nothing to add." -0.35), and a learned model took them for
# whatever their writers' scores were (-1.0 for each of five such remarks at ten million responses,
# so that "No comment." was the month's most negative verbatim). They are scored 0.0, with the
# language SIGNS_ONLY, so that no model learns from or blends them; they still count as comments.
# Whole texts only, compared by their letters and digits lower-cased ("No comment!" = "no comment").
# A bare "n/a", "nil" or "none" is no comment at all: loaders/validate.py NO_TEXT_WORDS.
NON_ANSWERS = frozenset({
    "nocomment", "nocomments", "nocommentsthanks", "nocommentthanks", "nothing", "nothingtoadd",
    "nothingtosay", "nothingtoreport", "nothingfurther", "nothingelse", "nothingmore", "noremarks",
    "noremark", "nofeedback", "nosuggestions", "nosuggestion", "nofurthercomments", "noothercomments",
    "notapplicable", "asabove", "seeabove", "seeprevious", "sameasabove", "sameasbefore",
    "sameaslasttime", "sameasprevious",
    "无", "没有", "暂无", "无意见", "没意见", "没有意见", "暂无意见", "无建议", "没有建议", "暂无建议",
    "没什么", "没什么说的", "没什么要说的", "没有什么要说的", "无补充", "没有补充", "暂时没有", "没有了",
    "无其他意见", "没有其他意见", "同上", "见上", "见上条", "同上次", "和上次一样", "跟上次一样",
})
# the longest of them, in characters with punctuation and spaces: a longer text is never one
NON_ANSWER_MOST = 40


def says_nothing(text: str) -> bool:
    """Whether `text` is one of NON_ANSWERS."""
    return len(text) <= NON_ANSWER_MOST and "".join(ch for ch in text.lower() if ch.isalnum()) in NON_ANSWERS


def _signs_alone(text: str, language: str | None) -> float | None:
    """The signs' polarity of a text of emoji, emoticons or bracket codes alone (text/emoji.py), 0.0
    for a remark that answers nothing (NON_ANSWERS), else None."""
    if says_nothing(text):
        return 0.0
    # a bracket code's name is letters ("[强]", "[OK]"): a text's words are its letters outside the brackets
    words = _ANY_CODE.sub(" ", text) if "[" in text else text
    if (language == "zh" and (words is text or _CJK.search(words) is not None)) or (
            language == "en" and _TWO_LETTERS.search(words) is not None):
        return None
    return signs_only_polarity(text)


def _where_words_say_nothing(text: str, value: float) -> float:
    """The words' polarity, or the text's signs' where the words lean neither way."""
    if NEGATIVE_BELOW <= value <= POSITIVE_ABOVE:
        valences = sign_valences(text)
        if valences:
            return signs_polarity(valences)
    return value


def _english(text: str) -> float:
    return _where_words_say_nothing(text, english_polarity(text))


def _chinese(text: str) -> float:
    return _where_words_say_nothing(text, chinese_polarity(text))


def scored_language(text: str | None) -> str | None:
    """The language a text is scored in: SIGNS_ONLY for a text of signs alone or a remark that answers
    nothing (_signs_alone), else detect_language's."""
    found = detect_language(text)
    if text and _signs_alone(text, found) is not None:
        return SIGNS_ONLY
    return found


def polarity(text: str | None) -> tuple[str | None, float | None]:
    """Return (language, polarity) of one text: SIGNS_ONLY for a text of emoji, emoticons or bracket
    codes alone;
    (None, None) for a text with neither letters nor such signs."""
    language = detect_language(text)
    if text:
        signs = _signs_alone(text, language)
        if signs is not None:
            return SIGNS_ONLY, signs
    if language == "en":
        return language, _english(text)
    if language == "zh":
        return language, _chinese(text)
    return None, None


def baseline_polarities(language: str, texts: list[str]) -> np.ndarray:
    """The rule baseline's polarity of each text, all in `language` ('en', 'zh' or SIGNS_ONLY)."""
    score = {"en": _english, "zh": _chinese}.get(language)
    if score is None:
        return np.array([signs_only_polarity(t) or 0.0 for t in texts], dtype=float)
    return np.fromiter((score(t) for t in texts), dtype=float, count=len(texts))


def polarities(texts: list[str], language: str = "auto", model: LearnedSentiment | None = None) -> list[float]:
    """One polarity per text, in order: each text's detected language, or `language` ('en', 'zh') for
    all but a text of emoji or emoticons alone, which their table scores whatever `language` says;
    the rule baseline blended with `model` when given; 0.0 for a text with neither letters nor signs."""
    languages = []
    for text in texts:
        found = scored_language(text)
        if found != SIGNS_ONLY and language != "auto":
            found = language
        languages.append(found)
    result = np.zeros(len(texts))
    for lang in ("en", "zh", SIGNS_ONLY):
        at = [i for i, found in enumerate(languages) if found == lang]
        if not at:
            continue
        chosen = [texts[i] for i in at]
        scores = baseline_polarities(lang, chosen)
        result[at] = model.blend(lang, chosen, scores) if model is not None else scores
    return result.tolist()


# The model the pool's workers blend with: set before the pool forks, so each worker inherits it
# instead of unpickling it for every chunk.
_chunk_model: LearnedSentiment | None = None


def _score_chunk(texts: list[str]) -> list[tuple[str | None, float | None]]:
    scored = [polarity(t) for t in texts]
    if _chunk_model is None:
        return scored
    languages = [language for language, _ in scored]
    values = [value for _, value in scored]
    for language in _chunk_model.models:
        at = [i for i, found in enumerate(languages) if found == language]
        if at:
            # a language's texts at once: the learned model's sparse matrix products
            blended = _chunk_model.blend(language, [texts[i] for i in at], np.array([values[i] for i in at]))
            for i, value in zip(at, blended):
                values[i] = float(value)
    return list(zip(languages, values))


def chunk_size(total: int, workers: int | None = None) -> int:
    """How many texts one chunk of score_chunks holds, for `total` distinct texts."""
    workers = workers or os.cpu_count() or 1
    # Many small chunks: the texts are sorted, so Chinese (several times slower per text) comes
    # last; with a few large chunks one worker is left scoring the last one alone.
    return max(1, min(MAX_CHUNK_TEXTS, -(-total // (workers * _CHUNKS_PER_WORKER))))


def score_chunks(chunks: Iterable[list[str]], total: int, workers: int | None = None,
                 parallel_from: int = _PARALLEL_FROM,
                 model: LearnedSentiment | None = None) -> Iterator[list[tuple[str | None, float | None]]]:
    """(language, polarity) of each text of each chunk, a chunk at a time and in order; `total` is
    how many texts the chunks hold in all (it decides whether the worker processes pay). The
    chunks are read only as the workers take them, so a caller streams them from the store."""
    global _chunk_model
    workers = workers or os.cpu_count() or 1
    _chunk_model = model
    try:
        if workers > 1 and total >= parallel_from:
            # Both lexicons and jieba's dictionary load here, once, before the pool forks, so the
            # workers share them.
            polarity("good")
            polarity("好")
            # loaded only when a large batch of texts is scored: most imports (a file without texts)
            # never fork, and need not load multiprocessing at start-up (issue 24's whole-process floor)
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
                waiting: deque = deque()
                for chunk in chunks:
                    waiting.append(pool.submit(_score_chunk, chunk))
                    while len(waiting) >= workers * CHUNKS_IN_FLIGHT_PER_WORKER:
                        yield waiting.popleft().result()
                while waiting:
                    yield waiting.popleft().result()
        else:
            for chunk in chunks:
                yield _score_chunk(chunk)
    finally:
        _chunk_model = None


def score_texts(texts: Iterable[str | None], workers: int | None = None,
                parallel_from: int = _PARALLEL_FROM, model: LearnedSentiment | None = None) -> pd.DataFrame:
    """Score each distinct non-empty text once, by the rule baseline blended with `model` when given.

    Returns a frame with columns text, language, sentiment, one row per distinct text, so a
    caller joins it back to its rows; the same text is never scored twice.
    """
    distinct = sorted({t for t in texts if isinstance(t, str) and t.strip()})
    if not distinct:
        return pd.DataFrame({"text": pd.Series(dtype=str), "language": pd.Series(dtype=str),
                             "sentiment": pd.Series(dtype=float)})
    size = chunk_size(len(distinct), workers)
    parts = (distinct[i:i + size] for i in range(0, len(distinct), size))
    scored = [pair for part in score_chunks(parts, len(distinct), workers, parallel_from, model) for pair in part]
    return pd.DataFrame({
        "text": distinct,
        "language": [language for language, _ in scored],
        "sentiment": np.array([np.nan if value is None else value for _, value in scored], dtype=float),
    })
