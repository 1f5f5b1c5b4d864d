"""Sentiment of customers' words: scoring at import, and its aggregates for the views.

Polarity is in [-1, 1]. English is scored by TextBlob's pattern analyser, Chinese by SnowNLP
as 2p - 1 (DESIGN.md, "Sentiment"); the language is decided by the share of CJK characters.
"""
from __future__ import annotations

import os
import re
from concurrent.futures import ProcessPoolExecutor
from typing import Iterable

import pandas as pd

NEGATIVE_BELOW = -0.05
POSITIVE_ABOVE = 0.05
CJK_SHARE_FOR_CHINESE = 0.3

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")
# Below this many distinct texts, starting worker processes costs more than it saves.
_PARALLEL_FROM = 4000


def detect_language(text: str | None) -> str | None:
    """'zh' when CJK characters are at least 30% of the letters, 'en' when there are Latin letters."""
    if not text:
        return None
    cjk = len(_CJK.findall(text))
    latin = len(_LATIN.findall(text))
    if cjk + latin == 0:
        return None
    return "zh" if cjk / (cjk + latin) >= CJK_SHARE_FOR_CHINESE else "en"


def polarity(text: str | None) -> tuple[str | None, float | None]:
    """Return (language, polarity) of one text; (None, None) for text with no letters."""
    language = detect_language(text)
    if language == "en":
        from textblob.en import sentiment as pattern_sentiment

        # TextBlob(text).sentiment.polarity is this same call, without building a blob.
        return language, float(pattern_sentiment(text)[0])
    if language == "zh":
        from analytics.chinese_sentiment import positive_probability

        return language, 2.0 * float(positive_probability(text)) - 1.0
    return None, None


def _score_chunk(texts: list[str]) -> list[tuple[str | None, float | None]]:
    return [polarity(t) for t in texts]


def score_texts(texts: Iterable[str | None], workers: int | None = None,
                parallel_from: int = _PARALLEL_FROM) -> pd.DataFrame:
    """Score each distinct non-empty text once.

    Returns a frame with columns text, language, sentiment, one row per distinct text, so a
    caller joins it back to its rows; the same text is never scored twice.
    """
    distinct = sorted({t for t in texts if isinstance(t, str) and t.strip()})
    if not distinct:
        return pd.DataFrame({"text": pd.Series(dtype=str), "language": pd.Series(dtype=str),
                             "sentiment": pd.Series(dtype=float)})
    workers = workers or os.cpu_count() or 1
    if workers > 1 and len(distinct) >= parallel_from:
        chunk = -(-len(distinct) // (workers * 4))
        parts = [distinct[i:i + chunk] for i in range(0, len(distinct), chunk)]
        with ProcessPoolExecutor(max_workers=workers) as pool:
            scored = [pair for part in pool.map(_score_chunk, parts) for pair in part]
    else:
        scored = _score_chunk(distinct)
    return pd.DataFrame({
        "text": distinct,
        "language": [language for language, _ in scored],
        "sentiment": [value for _, value in scored],
    })


def sentiment_label(value: float | None) -> str | None:
    """negative below -0.05, positive above 0.05, else neutral (DESIGN.md)."""
    if value is None or pd.isna(value):
        return None
    if value < NEGATIVE_BELOW:
        return "negative"
    if value > POSITIVE_ABOVE:
        return "positive"
    return "neutral"
