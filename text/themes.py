"""What customers talk about: their comments and complaint descriptions grouped into themes, each
named by its most telling words.

The words are text/tokens.py's (jieba for Chinese, a light stem and stopwords for English), so both
languages are read; a text's words weighted by TF-IDF, the texts grouped by k-means on those
weights (unit length, so texts sharing their telling words meet), each language's texts apart, a
theme named by the three words heaviest in its centre. The sentiment lexicons' words are left out:
a theme is what the text is about, and its sentiment is measured apart.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
from sklearn.cluster import MiniBatchKMeans
from sklearn.feature_extraction.text import TfidfVectorizer

from text import chinese_rules, english_rules
from text.sentiment import detect_language
from text.tokens import complaint_tokens

MAX_THEMES_PER_LANGUAGE = 10
TEXTS_PER_THEME = 40          # fewer distinct texts than this per theme make fewer themes
NAME_WORDS = 3


@functools.cache
def _sentiment_words() -> frozenset[str]:
    english, phrases = english_rules._lexicon()
    return frozenset([*english, *chinese_rules._lexicon(), *english_rules.NEGATIONS, *chinese_rules.NEGATORS,
                      *chinese_rules.DEGREE])


def _words(text: str) -> list[str]:
    """The words that say what a text is about: its tokens less the sentiment lexicons' words (a theme
    is a topic, its sentiment is measured apart) and single characters."""
    sentiment = _sentiment_words()
    return sorted(w for w in complaint_tokens(text) if len(w) > 1 and w not in sentiment)


@dataclass(frozen=True)
class Themes:
    assignment: list[int]           # each text's theme (an index into names)
    names: list[list[str]]          # each theme's top words, heaviest first


def find_themes(texts: list[str], seed: int = 0) -> Themes:
    """Group distinct `texts` into themes, each language apart (at most MAX_THEMES_PER_LANGUAGE per
    language, about one per TEXTS_PER_THEME texts)."""
    assignment = [0] * len(texts)
    names: list[list[str]] = []
    for language in ("en", "zh", None):
        at = [i for i, text in enumerate(texts) if detect_language(text) == language]
        if not at:
            continue
        found = _one_language([texts[i] for i in at], seed)
        for i, theme in zip(at, found.assignment):
            assignment[i] = len(names) + theme
        names += found.names
    return Themes(assignment, names)


def _one_language(texts: list[str], seed: int) -> Themes:
    vectorizer = TfidfVectorizer(analyzer=_words, min_df=2, sublinear_tf=True)
    try:
        weights = vectorizer.fit_transform(texts)
    except ValueError:                      # no word occurs twice: one theme of everything
        return Themes([0] * len(texts), [[]])
    k = int(min(MAX_THEMES_PER_LANGUAGE, max(1, len(texts) // TEXTS_PER_THEME)))
    if k == 1:
        centre = np.asarray(weights.mean(axis=0)).ravel()
        return Themes([0] * len(texts), [_top(centre, vectorizer)])
    model = MiniBatchKMeans(n_clusters=k, random_state=seed, n_init=3, batch_size=2048).fit(weights)
    return Themes(model.labels_.tolist(), [_top(centre, vectorizer) for centre in model.cluster_centers_])


def _top(centre: np.ndarray, vectorizer: TfidfVectorizer) -> list[str]:
    words = vectorizer.get_feature_names_out()
    return [str(words[i]) for i in np.argsort(-centre)[:NAME_WORDS] if centre[i] > 0]
