"""Where a polarity in [-1, 1] turns negative or positive (DESIGN.md, "Sentiment"), and how many
labelled comments a learned model needs (text/learned.py; read here by loaders/learning.py, which
decides whether a model is due without loading scikit-learn)."""
from __future__ import annotations

import math

NEGATIVE_BELOW = -0.05
POSITIVE_ABOVE = 0.05

# the languages a learned model learns and blends (text/learned.py), and whose labelled comments the
# store hands it (store/sentiment_model.py): not text/sentiment.py's SIGNS_ONLY, a text of no words
LEARNED_LANGUAGES = ("en", "zh")
# a language gets a learned model only with this many labelled comments of each class (each of the
# learned model's three agreement folds then holds three)
MIN_PER_CLASS = 10
# the learned model's regularisation, stacker and agreement are cross-validated on at most this many
# distinct texts per language, so that retraining at 100k labels stays within the bench's
# training-time floor
AGREEMENT_SAMPLE = 10_000


def sentiment_label(value: float | None) -> str | None:
    """negative below -0.05, positive above 0.05, else neutral (DESIGN.md)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if value < NEGATIVE_BELOW:
        return "negative"
    if value > POSITIVE_ABOVE:
        return "positive"
    return "neutral"
