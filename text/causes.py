"""A cause for complaints that arrive without one, from keywords learnt on those that have one."""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from typing import Iterable

import pandas as pd

from text.tokens import complaint_tokens, word_language

_MIN_PRECISION = 0.6


def learn_cause_keywords(labelled: pd.DataFrame) -> dict[str, dict[str, float]]:
    """Keywords per cause from complaints whose cause is known (columns text, cause).

    A word is a keyword of a cause when at least 60% of the labelled complaints containing it have
    that cause, and it appears in at least 2 of them (1 for a cause with fewer than 5 examples).
    Its weight is that precision × ln(1 + number of the cause's complaints containing it).
    """
    word_total: Counter[str] = Counter()
    word_by_cause: dict[str, Counter[str]] = defaultdict(Counter)
    examples: Counter[str] = Counter()
    cut: dict[str, list[str]] = {}
    for text, cause in zip(labelled["text"], labelled["cause"]):
        if not isinstance(cause, str) or not cause.strip():
            continue
        cause = cause.strip()
        words = complaint_tokens(text, cut)
        if not words:
            continue
        examples[cause] += 1
        word_total.update(words)
        word_by_cause[cause].update(words)
    keywords: dict[str, dict[str, float]] = {}
    for cause in sorted(word_by_cause):
        least = 2 if examples[cause] >= 5 else 1
        chosen = {}
        for word, hits in word_by_cause[cause].items():
            precision = hits / word_total[word]
            if hits >= least and precision >= _MIN_PRECISION:
                chosen[word] = precision * math.log1p(hits)
        if chosen:
            keywords[cause] = chosen
    return keywords


def keyword_index(labelled: pd.DataFrame) -> dict[str, list[tuple[str, float]]]:
    """Each keyword of learn_cause_keywords with the causes it weighs for, and its weight."""
    by_word: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for cause, words in learn_cause_keywords(labelled).items():
        for word, weight in words.items():
            by_word[word].append((cause, weight))
    return dict(by_word)


def causes_by_keywords(by_word: dict[str, list[tuple[str, float]]],
                       texts: Iterable[str | None]) -> list[str | None]:
    """A cause for each text from a keyword_index (derive_causes); a caller with many texts passes
    them a chunk at a time."""
    derived: list[str | None] = []
    memo: dict[str, str | None] = {}
    cut: dict[str, list[str]] = {}
    for text in texts:
        key = text if isinstance(text, str) else ""
        if key not in memo:
            scores: dict[str, float] = defaultdict(float)
            for word in complaint_tokens(key, cut):
                for cause, weight in by_word.get(word, ()):
                    scores[cause] += weight
            memo[key] = min(scores, key=lambda c: (-scores[c], c)) if scores else None
        derived.append(memo[key])
    return derived


def derive_causes(labelled: pd.DataFrame, unlabelled_texts: Iterable[str | None]) -> list[str | None]:
    """A cause for each unlabelled complaint text, from keywords learnt on labelled complaints.

    Pure (no database, no downloads): the loaders call it at import time for complaints without a
    cause. Each text scores the sum of its keywords' weights per cause; the highest score wins, ties
    go to the cause name that sorts first, and a text with no keyword gets None.
    """
    return causes_by_keywords(keyword_index(labelled), unlabelled_texts)


class SharedThemes:
    """theme_causes over texts read a chunk at a time, in two passes over the same chunks: `count`
    every chunk, then `lead` every chunk, then `names`. Only the words' counts are held between
    chunks, never the texts (issue 20's memory floor: a log of a million descriptions without causes)."""

    def __init__(self, least: int = 2) -> None:
        self.least = least
        self.frequency: Counter[str] = Counter()
        self.beside: dict[str, Counter[str]] = defaultdict(Counter)
        self._shared: set[str] | None = None

    def count(self, texts: Iterable[str | None]) -> None:
        cut: dict[str, list[str]] = {}
        for text in texts:
            self.frequency.update(complaint_tokens(text, cut))

    def lead(self, texts: Iterable[str | None]) -> list[str | None]:
        """Each text's lead word (its most widespread shared word; ties: the word that sorts first)."""
        if self._shared is None:
            self._shared = {w for w, n in self.frequency.items() if n >= self.least}
        shared, frequency = self._shared, self.frequency
        leads = []
        cut: dict[str, list[str]] = {}
        for text in texts:
            words = complaint_tokens(text, cut)
            lead = min((w for w in words if w in shared), key=lambda w: (-frequency[w], w), default=None)
            if lead is not None:
                self.beside[lead].update(w for w in words if w != lead and w in shared)
            leads.append(lead)
        return leads

    def names(self) -> dict[str, str]:
        """Each lead word's theme name: the word and the word of its language most often beside it
        ("queue / wait"; a Chinese lead word is never paired with "app": a name is in one language)."""
        names = {}
        for lead, neighbours in self.beside.items():
            alike = [w for w in neighbours if word_language(w) == word_language(lead)]
            second = min(alike, key=lambda w: (-neighbours[w], w)) if alike else None
            names[lead] = f"{lead} / {second}" if second else lead
        return names


def theme_causes(texts: Iterable[str | None], least: int = 2) -> list[str | None]:
    """A cause for complaints when none has one: the themes the texts themselves share.

    Each word in at least `least` texts (jieba for Chinese, stopwords dropped) may name a theme; a
    text joins the theme of its most widespread such word (ties: the word that sorts first), and the
    theme is named by that word and the word most often beside it in the theme's texts
    ("queue / wait"). A text with no shared word keeps no cause.
    """
    texts = list(texts)
    themes = SharedThemes(least)
    themes.count(texts)
    leads = themes.lead(texts)
    names = themes.names()
    return [names[lead] if lead is not None else None for lead in leads]
