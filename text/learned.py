"""Sentiment learned from the customers' own scores: one small linear text model per language.

A comment paired with its writer's score is a label in the business's own words (NPS 0-6
negative, 9-10 positive; overall satisfaction at the bottom quarter or the top of its scale). Per
language, TF-IDF features (English: words and word pairs; Chinese: character 1-3-grams, which need
no segmenter) feed a logistic regression (fitted by stochastic gradient descent). Its polarity
2p - 1 is blended with the baseline (English: the rules and the prior learned from public reviews;
Chinese: the rules) by w = n / (n + BLEND_LABELS), n the language's labelled comments, so a store
with few labels leans on the baseline and one with thousands on what its customers taught it.
"""
from __future__ import annotations

import pickle
import re
from dataclasses import dataclass, field

import numpy as np
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
from sklearn.linear_model import SGDClassifier
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import Pipeline, make_pipeline

from text.labels import NEGATIVE_BELOW, POSITIVE_ABOVE

BLEND_LABELS = 300
# a language gets a model only with this many labelled comments of each class
MIN_PER_CLASS = 20
# the agreement is cross-validated on at most this many distinct texts, so that retraining at
# 100k labels stays within the bench's training-time floor
AGREEMENT_SAMPLE = 10_000
AGREEMENT_FOLDS = 3
FORMAT = 1


# Hashed features: no vocabulary to build, sort and prune (most of TF-IDF's time at 100k texts) and
# none to store; 2^19 columns keep collisions rare for a store's words and character n-grams.
HASHED_FEATURES = 2 ** 19


_ENGLISH_WORD = re.compile(r"\w[\w']*")
_SPACES = re.compile(r"\s+")


def english_terms(text: str) -> list[str]:
    """An English text's words and word pairs (lower-cased)."""
    words = _ENGLISH_WORD.findall(text.lower())
    return words + [f"{a} {b}" for a, b in zip(words, words[1:])]


def chinese_terms(text: str) -> list[str]:
    """A Chinese text's characters and runs of two and three (spaces folded): no segmenter needed."""
    t = _SPACES.sub(" ", text.lower().strip())
    return [*t, *(t[i:i + 2] for i in range(len(t) - 1)), *(t[i:i + 3] for i in range(len(t) - 2))]


def _vectorizer(language: str) -> Pipeline:
    # our own analysers: list comprehensions over the text, a few times faster than scikit-learn's
    # n-gram loops, which the learned model's texts/s floor needs
    hashed = HashingVectorizer(analyzer=chinese_terms if language == "zh" else english_terms,
                               n_features=HASHED_FEATURES, alternate_sign=False, norm=None, dtype=np.float32)
    return make_pipeline(hashed, TfidfTransformer(sublinear_tf=True))


def _classifier() -> SGDClassifier:
    # logistic loss by stochastic gradient descent: as accurate as liblinear's exact fit on the public
    # review sets and many times faster, which the training-time floor at 100k labels needs
    return SGDClassifier(loss="log_loss", alpha=1e-5, max_iter=10, tol=None, class_weight="balanced",
                         random_state=0)


@dataclass(frozen=True)
class LanguageModel:
    vectorizer: Pipeline
    classifier: SGDClassifier
    labels: int                     # labelled comments it learned from (repeats counted)

    @property
    def weight(self) -> float:
        return self.labels / (self.labels + BLEND_LABELS)

    def blend(self, texts: list[str], baseline: np.ndarray) -> np.ndarray:
        learned = 2.0 * self.classifier.predict_proba(self.vectorizer.transform(texts))[:, 1] - 1.0
        return self.weight * learned + (1.0 - self.weight) * baseline


def _fit_language(language: str, texts: list[str], labels: np.ndarray, counts: np.ndarray):
    """The language's model, and its features of `texts` (the cross-validation reuses them)."""
    vectorizer = _vectorizer(language)
    features = vectorizer.fit_transform(texts)
    classifier = _classifier().fit(features, labels, sample_weight=counts)
    return LanguageModel(vectorizer, classifier, int(counts.sum())), features


@dataclass(frozen=True)
class Agreement:
    """Share of labelled comments whose held-out polarity has the sign of their writer's score."""
    agreeing: int
    n: int
    by_language: dict = field(default_factory=dict)   # language -> (agreeing, n)

    @property
    def share(self) -> float | None:
        return self.agreeing / self.n if self.n else None


def agrees(polarity: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """A polarity agrees with a label when it is on the label's side of the neutral band."""
    return np.where(labels == 1, polarity > POSITIVE_ABOVE, polarity < NEGATIVE_BELOW)


@dataclass(frozen=True)
class LearnedSentiment:
    models: dict[str, LanguageModel]
    agreement: Agreement

    def blend(self, language: str, texts: list[str], baseline: np.ndarray) -> np.ndarray:
        model = self.models.get(language)
        return baseline if model is None or not texts else model.blend(texts, baseline)

    def labels(self, language: str | None = None) -> int:
        return sum(m.labels for lang, m in self.models.items() if language in (None, lang))

    def to_bytes(self) -> bytes:
        return pickle.dumps((FORMAT, self), protocol=pickle.HIGHEST_PROTOCOL)

    @staticmethod
    def from_bytes(blob: bytes) -> "LearnedSentiment":
        # the store's own BLOB, written by to_bytes: never bytes from outside the store
        version, model = pickle.loads(blob)
        if version != FORMAT:
            raise ValueError(f"a sentiment model of format {version}; this version reads format {FORMAT}")
        return model


def fit_learned(texts: list[str], languages: list[str], labels: list[int], counts: list[int],
                baseline, seed: int = 0) -> LearnedSentiment:
    """Fit one model per language with enough labels of both classes, and its cross-validated
    agreement. `texts` are distinct per language, `counts` how many labelled comments carry each,
    `baseline(language, texts)` the rule polarity (an array)."""
    texts_a = np.asarray(texts, dtype=object)
    languages_a, labels_a, counts_a = np.asarray(languages), np.asarray(labels), np.asarray(counts)
    models: dict[str, LanguageModel] = {}
    agreeing = total = 0
    by_language = {}
    rng = np.random.default_rng(seed)
    for language in ("en", "zh"):
        mask = languages_a == language
        if not mask.any():
            continue
        t, y, c = texts_a[mask], labels_a[mask], counts_a[mask]
        # the agreement is measured on a sample, and only the sample needs the baseline's scores
        sample = np.arange(len(t))
        if len(sample) > AGREEMENT_SAMPLE:
            sample = np.sort(rng.choice(sample, AGREEMENT_SAMPLE, replace=False))
        base = np.asarray(baseline(language, list(t[sample])), dtype=float)
        if min(c[y == 0].sum(), c[y == 1].sum()) < MIN_PER_CLASS or min((y == 0).sum(), (y == 1).sum()) < AGREEMENT_FOLDS:
            ok = agrees(base, y[sample])
            a, n = int((ok * c[sample]).sum()), int(c[sample].sum())
        else:
            models[language], features = _fit_language(language, list(t), y, c)
            a, n = _cross_validated(features[sample], y[sample], c[sample], base, models[language].weight)
        by_language[language] = (a, n)
        agreeing, total = agreeing + a, total + n
    return LearnedSentiment(models, Agreement(agreeing, total, by_language))


def _cross_validated(features, y, c, b, weight: float) -> tuple[int, int]:
    """Held-out agreement over AGREEMENT_FOLDS folds of the sampled texts: each fold's classifier learns
    from the others (on the features of all the texts: the IDF weights know no label), blended as the
    whole model is."""
    held_out = np.empty(len(y))
    folds = StratifiedKFold(n_splits=AGREEMENT_FOLDS, shuffle=True, random_state=0)
    for train, test in folds.split(np.zeros(len(y)), y):
        classifier = _classifier().fit(features[train], y[train], sample_weight=c[train])
        learned = 2.0 * classifier.predict_proba(features[test])[:, 1] - 1.0
        held_out[test] = weight * learned + (1.0 - weight) * b[test]
    ok = agrees(held_out, y)
    return int((ok * c).sum()), int(c.sum())
