"""Scoring customers' words at import: language by the share of CJK characters, polarity in [-1, 1].

English is scored by TextBlob's pattern analyser, Chinese by SnowNLP as 2p - 1 (DESIGN.md,
"Sentiment").
"""
from __future__ import annotations

import os
import re
from concurrent.futures import ProcessPoolExecutor
from typing import Iterable

import pandas as pd

from text.chinese_sentiment import positive_probability
from text.english_sentiment import english_polarity

CJK_SHARE_FOR_CHINESE = 0.3

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")
# Scoring runs on every core because the sentiment floors of bench/ (10,000 distinct English and
# 1,000 Chinese texts a second, both cores) need both; below this many distinct texts, starting
# worker processes costs more than it saves.
_PARALLEL_FROM = 4000
_CHUNKS_PER_WORKER = 32


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
        # TextBlob(text).sentiment.polarity to the same bits (text/english_sentiment.py)
        return language, float(english_polarity(text))
    if language == "zh":
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
        # The English lexicon loads here, once per process, before the pool forks, so the workers
        # share it. SnowNLP's models are not loaded here: they are large, and the import process
        # already holds the file; each worker loads them when it meets Chinese text.
        polarity("good")
        # Many small chunks: the texts are sorted, so Chinese (several times slower per text)
        # comes last; with a few large chunks one worker is left scoring the last one alone.
        chunk = -(-len(distinct) // (workers * _CHUNKS_PER_WORKER))
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
