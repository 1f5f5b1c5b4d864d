"""TextBlob's English polarity, computed to the same bits and fast enough for the English sentiment
floor of bench/ (10,000 distinct texts a second on both cores).

TextBlob(text).sentiment.polarity is pattern's Sentiment: it splits the text into tokens, looks
each lower-cased word up in a lexicon of adjectives and adverbs, lets a preceding adverb intensify
and a preceding negation halve and flip a word's score, and averages the scores it found. Here the
same steps run on plain dicts built once from TextBlob's own lexicon (no lazy-dict method lookups
per word), literal replacements are str.replace instead of re.sub, the emoticon table is one dict
instead of a scan of every emoticon for each short token, and subjectivity is not computed. The
arithmetic is the same, in the same order, so every result equals TextBlob's exactly
(tests/test_sentiment_scoring.py checks it on texts that exercise each rule).
"""
from __future__ import annotations

import re

_TOKEN = re.compile(r"(\S+)\s")
_LINEBREAK = re.compile(r"\n{2,}")
_SPACES = re.compile(r"\s+")
_QUOTES = (("“", " “ "), ("”", " ” "), ("‘", " ‘ "), ("’", " ’ "), ("'", " ' "), ('"', ' " '))
_SENTENCE_END = frozenset(("...", ".", "!", "?", "END-OF-SENTENCE"))
_SENTENCE_TAIL = frozenset(("'", '"', "”", "’", "...", ".", "!", "?", ")", "END-OF-SENTENCE"))
_EOS = "END-OF-SENTENCE"


class EnglishSentiment:
    """Polarity in [-1, 1] of an English text, as textblob.TextBlob(text).sentiment.polarity."""

    def __init__(self) -> None:
        from textblob import _text
        from textblob.en import sentiment

        len(sentiment)  # a lazy dict: this loads the lexicon, with pattern's "-ly" adverbs added
        self._score = {}        # word -> polarity, subjectivity, intensity (the scores for no POS tag)
        self._modifies = set()  # words that intensify the next known word (adverbs, "RB")
        for word, by_pos in dict.items(sentiment):
            if None in by_pos:
                self._score[word] = by_pos[None]
            if any(tag in by_pos for tag in sentiment.modifiers):
                self._modifies.add(word)
        self._negations = frozenset(sentiment.negations)
        self._emoticons: dict[str, float] = {}
        for (_, score), faces in _text.EMOTICONS.items():  # the first group a face is in decides
            for face in faces:
                self._emoticons.setdefault(face.lower(), score)
        self._punctuation = _text.PUNCTUATION            # a string: `in` is a substring test there
        leading = tuple(_text.PUNCTUATION.replace(".", ""))
        self._leading, self._trailing = leading, leading + (".",)
        # every mark is one character, so startswith/endswith of the tuple is a set test on t[0]/t[-1]
        self._leading_chars, self._trailing_chars = frozenset(leading), frozenset(leading + (".",))
        self._replacements = dict(_text.replacements)
        self._abbreviations = _text.ABBREVIATIONS
        self._abbreviation_forms = (_text.RE_ABBR1, _text.RE_ABBR2, _text.RE_ABBR3)
        self._sarcasm, self._emoticon_forms = _text.RE_SARCASM, _text.RE_EMOTICONS

    # -- pattern's find_tokens, step for step --------------------------------------------------

    def _tokens(self, string: str) -> list[str]:
        replacements = self._replacements
        for a, b in replacements.items():
            string = string.replace(a, b)  # re.sub with a literal pattern, in the same order
        for a, b in _QUOTES:
            string = string.replace(a, b)
        string = string.replace("\r\n", "\n")
        string = _LINEBREAK.sub(" %s " % _EOS, string)
        string = _SPACES.sub(" ", string)
        leading, trailing = self._leading, self._trailing
        leading_chars, trailing_chars = self._leading_chars, self._trailing_chars
        tokens: list[str] = []
        for t in _TOKEN.findall(string + " "):
            if not t:
                continue
            if t[0] not in leading_chars and t[-1] not in trailing_chars:
                tokens.append(t)  # a plain word: neither loop below would run
                continue
            tail = []
            while t.startswith(leading) and t not in replacements:
                tokens.append(t[0])
                t = t[1:]
            while t.endswith(trailing) and t not in replacements:
                if t.endswith(leading):
                    tail.append(t[-1])
                    t = t[:-1]
                if t.endswith("..."):
                    tail.append("...")
                    t = t[:-3].rstrip(".")
                if t.endswith("."):
                    if t in self._abbreviations or any(form.match(t) is not None
                                                       for form in self._abbreviation_forms):
                        break
                    tail.append(t[-1])
                    t = t[:-1]
            if t != "":
                tokens.append(t)
            tokens.extend(reversed(tail))
        sentences, i, j = [[]], 0, 0
        while j < len(tokens):
            if tokens[j] in _SENTENCE_END:
                while j < len(tokens) and tokens[j] in _SENTENCE_TAIL:
                    if tokens[j] in ("'", '"') and sentences[-1].count(tokens[j]) % 2 == 0:
                        break
                    j += 1
                sentences[-1].extend(t for t in tokens[i:j] if t != _EOS)
                sentences.append([])
                i = j
            j += 1
        sentences[-1].extend(tokens[i:j])
        words: list[str] = []
        for sentence in sentences:
            if not sentence:
                continue
            text = " ".join(sentence)
            if "!" in text:  # the sarcasm mark "(!)" needs one
                text = self._sarcasm.sub("(!)", text)
            text = self._emoticon_forms.sub(lambda m: m.group(1).replace(" ", "") + m.group(2), text)
            words.append(text)
        return " ".join(words).split()

    # -- pattern's Sentiment.assessments and the average of their polarity --------------------

    def polarity(self, text: str) -> float:
        score, modifies, negations = self._score, self._modifies, self._negations
        found: list[list] = []  # [polarity, intensity, negated]
        m = None  # the preceding modifier (a known adverb)
        n = None  # the preceding negation
        for w in self._tokens(text):
            w = w.lower()
            known = score.get(w)
            if known is not None:
                p, _, i = known
                if m is None:
                    found.append([p, i, False])
                else:
                    last = found[-1]
                    last[0] = max(-1.0, min(p * last[1], +1.0))
                    last[1] = i
                if n is not None:
                    found[-1][1] = 1.0 / found[-1][1]
                    found[-1][2] = True
                m = w if w in modifies else None
                n = w if w in negations else None
            else:
                if w in negations:
                    n = w
                elif n and len(w.strip("'")) > 1:
                    n = None
                if n is not None and m is not None and m.endswith("ly"):
                    found[-1][2] = True
                    n = None
                elif m and len(w) > 2:
                    m = None
                if w == "!" and found:
                    found[-1][0] = max(-1.0, min(found[-1][0] * 1.25, +1.0))
                if w == "(!)":
                    found.append([0.0, 1.0, False])
                if w.isalpha() is False and len(w) <= 5 and w not in self._punctuation:
                    face = self._emoticons.get(w)
                    if face is not None:
                        found.append([face, 1.0, False])
        total, count = 0, 0
        for p, _, negated in found:
            total += 1 * (p * -0.5 if negated else p)
            count += 1
        return total / float(count or 1)


_instance: EnglishSentiment | None = None


def english_polarity(text: str) -> float:
    global _instance
    if _instance is None:
        _instance = EnglishSentiment()
    return _instance.polarity(text)
