"""What customers talk about: their comments and complaint descriptions grouped into themes, each
named by its most telling words.

The words are text/tokens.py's (jieba for Chinese, a light stem and stopwords for English), so both
languages are read; a text's words weighted by TF-IDF, the texts grouped by k-means on those
weights (unit length, so texts sharing their telling words meet), each language's texts apart, a
theme named by the three words heaviest in its centre that are written in the theme's language (a
Chinese theme whose heaviest word is "app" is named by its heaviest Chinese words: a name never mixes
the two languages; text/tokens.py's one_script). The sentiment lexicons' words are left out: a theme
is what the text is about, and its sentiment is measured apart. A text of signs alone ("[强][强]", "👍")
or a remark that answers nothing ("No comment.", "同上") has no theme: it names no topic (its language
is text/sentiment.py's SIGNS_ONLY, which no theme is found in).

What a reader sees of a theme is chosen in presentation/labels.py (theme_name): its label in the
reader's language where one exists, else these words as the customers wrote them.
"""
from __future__ import annotations

import functools
import pickle
from dataclasses import dataclass

import numpy as np
from sklearn.cluster import MiniBatchKMeans
from sklearn.feature_extraction.text import TfidfVectorizer

from text import chinese_rules, english_rules
from text.model_format import THEME_FORMAT, read_model
from text.sentiment import scored_language
from text.tokens import complaint_tokens, one_script

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


@dataclass(frozen=True)
class _LanguageThemes:
    language: str | None
    first: int                                  # the theme id of its first theme
    vectorizer: TfidfVectorizer | None = None   # None: one theme of every text of the language
    model: MiniBatchKMeans | None = None        # None: one theme (k = 1)


@dataclass(frozen=True)
class ThemeModel:
    """Themes found on some texts (fit_themes), to place any text of their languages in one of them."""

    names: list[list[str]]
    languages: tuple[_LanguageThemes, ...]

    def assign(self, texts: list[str]) -> list[int | None]:
        """Each text's theme (an index into names), as the texts the themes were found on got theirs;
        None for a text of a language the themes were not found on."""
        assignment: list[int | None] = [None] * len(texts)
        for part in self.languages:
            at = [i for i, text in enumerate(texts) if scored_language(text) == part.language]
            if not at:
                continue
            if part.model is None:
                themes = [0] * len(at)
            else:
                themes = part.model.predict(part.vectorizer.transform([texts[i] for i in at])).tolist()
            for i, theme in zip(at, themes):
                assignment[i] = part.first + theme
        return assignment

    def to_bytes(self) -> bytes:
        """The model as the store keeps it (store/themes.py), its format first (text/model_format.py)."""
        return pickle.dumps((THEME_FORMAT, self), protocol=pickle.HIGHEST_PROTOCOL)

    @staticmethod
    def from_bytes(blob: bytes) -> "ThemeModel | None":
        """The model of a BLOB written by to_bytes, or None for one of an older format (the themes are
        then found again, loaders/learning.py)."""
        return read_model(blob, THEME_FORMAT, "theme model")


def find_themes(texts: list[str], seed: int = 0) -> Themes:
    """Group distinct `texts` into themes, each language apart (at most MAX_THEMES_PER_LANGUAGE per
    language, about one per TEXTS_PER_THEME texts)."""
    model = fit_themes(texts, seed)
    return Themes(model.assign(texts), model.names)


def fit_themes(texts: list[str], seed: int = 0) -> ThemeModel:
    """The themes of distinct `texts` (find_themes), kept to place other texts in them: a store's
    themes are found on a sample of its texts and every text is placed a chunk at a time."""
    names: list[list[str]] = []
    languages = []
    for language in ("en", "zh", None):
        chosen = [text for text in texts if scored_language(text) == language]
        if not chosen:
            continue
        part, found = _one_language(chosen, seed, language, len(names))
        languages.append(part)
        names += found
    return ThemeModel(names, tuple(languages))


def _one_language(texts: list[str], seed: int, language: str | None,
                  first: int) -> tuple[_LanguageThemes, list[list[str]]]:
    vectorizer = TfidfVectorizer(analyzer=_words, min_df=2, sublinear_tf=True)
    try:
        weights = vectorizer.fit_transform(texts)
    except ValueError:                      # no word occurs twice: one theme of everything
        return _LanguageThemes(language, first), [[]]
    k = int(min(MAX_THEMES_PER_LANGUAGE, max(1, len(texts) // TEXTS_PER_THEME)))
    if k == 1:
        centre = np.asarray(weights.mean(axis=0)).ravel()
        return _LanguageThemes(language, first), [_top(centre, vectorizer, language)]
    model = MiniBatchKMeans(n_clusters=k, random_state=seed, n_init=3, batch_size=2048).fit(weights)
    # the texts the themes were found on are placed by predict, as every other text: the same
    # theme as the fit's own labels_ (both the nearest centre)
    return (_LanguageThemes(language, first, vectorizer, model),
            [_top(centre, vectorizer, language) for centre in model.cluster_centers_])


def _top(centre: np.ndarray, vectorizer: TfidfVectorizer, language: str | None) -> list[str]:
    """The theme's name: its heaviest words in its language (one_script), at most NAME_WORDS."""
    words = vectorizer.get_feature_names_out()
    heaviest = [str(words[i]) for i in np.argsort(-centre) if centre[i] > 0]
    return one_script(heaviest, language)[:NAME_WORDS]
