"""Where a polarity in [-1, 1] turns negative or positive (DESIGN.md, "Sentiment")."""
from __future__ import annotations

import math

NEGATIVE_BELOW = -0.05
POSITIVE_ABOVE = 0.05


def sentiment_label(value: float | None) -> str | None:
    """negative below -0.05, positive above 0.05, else neutral (DESIGN.md)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if value < NEGATIVE_BELOW:
        return "negative"
    if value > POSITIVE_ABOVE:
        return "positive"
    return "neutral"
