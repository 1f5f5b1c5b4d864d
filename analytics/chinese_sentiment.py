"""SnowNLP's sentiment score, computed faster and to the same bits.

SnowNLP segments a sentence with a character-based trigram model and then scores the words with
a naive Bayes classifier. Both steps spend their time recomputing the same probabilities through
several layers of method calls: the segmenter asks for the same (tag, tag, tag) trigram thousands
of times per sentence. Here the same arithmetic, in the same order, is memoised, so every result
equals `snownlp.SnowNLP(text).sentiments` exactly (tests/test_sentiment_scoring.py checks it),
about ten times faster. The trained models are SnowNLP's own, read from its package.
"""
from __future__ import annotations

import re
from math import exp, log

_NEG_INF = float("-inf")
# Clauses recur across comments ("排队时间太长"); segmenting each once pays, up to this many.
_SEGMENT_CACHE_SIZE = 200_000
_CHINESE_RUN = re.compile("([\u4E00-\u9FA5]+)")  # the same character class SnowNLP splits on


class _Tagger:
    """SnowNLP's CharacterBasedGenerativeModel.tag, with each lookup done once per position.

    The states, their order, the float expressions and the strict '>' of the original are kept,
    so ties and -inf paths resolve the same way; paths are linked nodes instead of copied lists.
    """

    _BOS = ("", "BOS")

    def __init__(self, model):
        self.status = model.status
        self.uni_d, self.uni_total = model.uni.d, model.uni.total
        self.bi_d, self.tri_d = model.bi.d, model.tri.d
        self.l1, self.l2, self.l3 = model.l1, model.l2, model.l3

    def tag(self, data: str) -> list[str]:
        status, uni_d, bi_d, tri_d = self.status, self.uni_d, self.bi_d, self.tri_d
        uni_total, l1, l2, l3 = self.uni_total, self.l1, self.l2, self.l3
        # An entry: ((previous (char, tag), current (char, tag)), log probability, path node);
        # a path node is (tag, parent node).
        now = [((self._BOS, self._BOS), 0.0, None)]
        for w in data:
            counts = [uni_d.get((w, s), 0) for s in status]
            stage: dict = {}
            if not any(float(c) / uni_total != 0 for c in counts):
                for s in status:
                    ws = (w, s)
                    for pre in now:
                        stage[(pre[0][1], ws)] = (pre[1], (s, pre[2]))
                now = [(k, v[0], v[1]) for k, v in stage.items()]
                continue
            prepared = []
            for pre in now:
                ws1, ws2 = pre[0]
                prepared.append((pre, ws1, ws2, bi_d.get((ws1, ws2), 0), uni_d.get(ws2, 0)))
            for si, s in enumerate(status):
                ws = (w, s)
                uni = l1 * (float(counts[si]) / uni_total)
                bi_by_ws2: dict = {}
                for pre, ws1, ws2, bi12, uni2 in prepared:
                    bi = bi_by_ws2.get(ws2)
                    if bi is None:
                        bi = 0 if uni2 == 0 else float(l2 * bi_d.get((ws2, ws), 0)) / uni2
                        bi_by_ws2[ws2] = bi
                    tri = 0 if bi12 == 0 else float(l3 * tri_d.get((ws1, ws2, ws), 0)) / bi12
                    total = uni + bi + tri
                    p = pre[1] + (_NEG_INF if total == 0 else log(total))
                    key = (ws2, ws)
                    held = stage.get(key)
                    if held is None or p > held[0]:
                        stage[key] = (p, (s, pre[2]))
            now = [(k, v[0], v[1]) for k, v in stage.items()]
        node = max(now, key=lambda x: x[1])[2]
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


class ChineseSentiment:
    """Probability that a Chinese text is positive, as SnowNLP computes it."""

    def __init__(self):
        from snownlp import normal
        from snownlp import seg as snow_seg
        from snownlp import sentiment as snow_sentiment

        self._tagger = _Tagger(snow_seg.segger.segger)
        self._stop = normal.stop
        classifier = snow_sentiment.classifier.classifier
        self._classes = list(classifier.d)
        self._class_counts = {k: classifier.d[k] for k in self._classes}
        self._prior = {k: log(classifier.d[k].getsum()) - log(classifier.total) for k in self._classes}
        self._word_log: dict = {}
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

    def _log_freq(self, k, word) -> float:
        key = (k, word)
        value = self._word_log.get(key)
        if value is None:
            counts = self._class_counts[k]
            value = log(float(counts.d.get(word, counts.none)) / counts.total)
            self._word_log[key] = value
        return value

    def positive_probability(self, text: str) -> float:
        words = self._words(text)
        scores = {}
        for k in self._classes:
            score = self._prior[k]
            for word in words:
                score += self._log_freq(k, word)
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
