"""A cause for complaints that arrive without one, from keywords learnt on those that have one."""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from typing import Iterable

import pandas as pd

from text.tokens import complaint_tokens

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


def derive_causes(labelled: pd.DataFrame, unlabelled_texts: Iterable[str | None]) -> list[str | None]:
    """A cause for each unlabelled complaint text, from keywords learnt on labelled complaints.

    Pure (no database, no downloads): the loaders call it at import time for complaints without a
    cause. Each text scores the sum of its keywords' weights per cause; the highest score wins, ties
    go to the cause name that sorts first, and a text with no keyword gets None.
    """
    keywords = learn_cause_keywords(labelled)
    by_word: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for cause, words in keywords.items():
        for word, weight in words.items():
            by_word[word].append((cause, weight))
    derived: list[str | None] = []
    memo: dict[str, str | None] = {}
    cut: dict[str, list[str]] = {}
    for text in unlabelled_texts:
        key = text if isinstance(text, str) else ""
        if key not in memo:
            scores: dict[str, float] = defaultdict(float)
            for word in complaint_tokens(key, cut):
                for cause, weight in by_word.get(word, ()):
                    scores[cause] += weight
            memo[key] = min(scores, key=lambda c: (-scores[c], c)) if scores else None
        derived.append(memo[key])
    return derived


def theme_causes(texts: Iterable[str | None], least: int = 2) -> list[str | None]:
    """A cause for complaints when none has one: the themes the texts themselves share.

    Each word in at least `least` texts (jieba for Chinese, stopwords dropped) may name a theme; a
    text joins the theme of its most widespread such word (ties: the word that sorts first), and the
    theme is named by that word and the word most often beside it in the theme's texts
    ("queue / wait"). A text with no shared word keeps no cause.
    """
    texts = list(texts)
    cut: dict[str, list[str]] = {}
    words = [complaint_tokens(t, cut) for t in texts]
    frequency: Counter[str] = Counter(w for ws in words for w in ws)
    shared = {w for w, n in frequency.items() if n >= least}
    leads = [min((w for w in ws if w in shared), key=lambda w: (-frequency[w], w), default=None)
             for ws in words]
    beside: dict[str, Counter[str]] = defaultdict(Counter)
    for lead, ws in zip(leads, words):
        if lead is not None:
            beside[lead].update(w for w in ws if w != lead and w in shared)
    names = {}
    for lead, neighbours in beside.items():
        second = min(neighbours, key=lambda w: (-neighbours[w], w)) if neighbours else None
        names[lead] = f"{lead} / {second}" if second else lead
    for lead in leads:
        if lead is not None and lead not in names:
            names[lead] = lead
    return [names[lead] if lead is not None else None for lead in leads]
