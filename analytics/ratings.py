"""Survey ratings as the metrics read them: straight from each respondent's score lists.

survey_response holds a respondent's ratings as one list per kind (satisfaction_scores, ...), and
survey_item says which item sits at which position of the list; an item keeps its position in every
batch (store/db.py). So a metric aggregates every respondent's ratings in one pass over
survey_response, with the sidebar's filters as a plain WHERE on the respondent's own columns and no
join. The long view survey_rating stays the definition; these helpers give the same numbers as one
GROUP BY item_code over it would. Positions that share an item_code (an item reworded or put on
another scale between surveys) are aggregated apart and combined here by the pooled formulas.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from analytics.memo import shared
from store.db import SCORE_LISTS
from store.query import fetch_all

POSITIONS_SQL = """
SELECT kind, position, min(item_code), min(item_text), min(dimension), min(scale_min), max(scale_max)
FROM survey_item
GROUP BY kind, position
ORDER BY kind, position
"""

UNGROUPED = "other"  # the dimension of an item that names none

# One pass over the selected respondents. `source` (scores_from) reads each listed item position's
# score out of its list once per respondent, as a column of its own; the aggregates use the columns.
PASS_SQL = "SELECT {columns} FROM {source}"
GROUPS_SQL = "SELECT {group} AS grp, {columns} FROM {source} GROUP BY 1"


@dataclass(frozen=True)
class Position:
    """One item's place in its kind's score list, with what the item is."""

    kind: str
    position: int
    item_code: str
    item_text: str
    dimension: str | None
    scale_min: float
    scale_max: float

    @property
    def column(self) -> str:
        """The score's column in scores_from(): satisfaction3 is satisfaction position 3."""
        return f"{self.kind}{self.position}"

    def score(self, table: str = "s") -> str:
        """The respondent's score of the item in scores_from() (NULL when not rated)."""
        return f"{table}.{self.column}"

    @property
    def span(self) -> float:
        return self.scale_max - self.scale_min

    def scaled(self, value: float | None) -> float | None:
        """A mean score on 0–100: 100·(mean − min)/(max − min), the mean of the rescaled rows."""
        return None if value is None else 100.0 * (value - self.scale_min) / self.span

    def scaled_sd(self, value: float | None) -> float | None:
        """A standard deviation on the 0–100 scale."""
        return None if value is None else 100.0 * value / self.span

    @property
    def has_scale(self) -> bool:
        return self.scale_max > self.scale_min


def scores_from(items: list[Position], where: str) -> str:
    """FROM clause: the respondents `where` selects, with each item's score as a column `s.<column>`.

    Each list element is read once per row and the aggregates run on the plain columns, rather than
    repeating the element in every aggregate: the CSI page with a branch and gap 5 read rows this
    way, and their p95 floor (bench/) needs it.
    """
    extracts = "".join(f", s.{SCORE_LISTS[p.kind]}[{p.position}] AS {p.column}" for p in items)
    # A respondent without any of these lists adds nothing to an aggregate of their scores; skipping
    # them up front spares reading the lists (most respondents answer no SERVQUAL items).
    lists = sorted({SCORE_LISTS[p.kind] for p in items})
    rated = " OR ".join(f"s.{column} IS NOT NULL" for column in lists) or "TRUE"
    return f"(SELECT s.*{extracts} FROM survey_response AS s WHERE ({where}) AND ({rated})) AS s"


def positions(con, kinds: tuple[str, ...]) -> list[Position]:
    """Every item position of the given kinds in the store, by kind and position."""
    return [p for p in _every_position(con) if p.kind in kinds]


@shared
def _every_position(con) -> tuple[Position, ...]:
    """Every kind's positions at once: a page's calls ask for several kinds, and one read serves
    them all (analytics.memo)."""
    rows = fetch_all(con, POSITIONS_SQL, what="the survey's items")
    return tuple(Position(kind, int(position), code, text, dimension, float(low), float(high))
                 for kind, position, code, text, dimension, low, high in rows)


def by_code(items: list[Position]) -> dict[str, list[Position]]:
    """Positions grouped by item_code, codes in order."""
    grouped: dict[str, list[Position]] = {}
    for item in sorted(items, key=lambda p: (p.item_code, p.kind, p.position)):
        grouped.setdefault(item.item_code, []).append(item)
    return grouped


def mean_of(expressions: list[str]) -> str:
    """The mean of the non-NULL values among `expressions` (NULL when all are): one item rated in
    two columns counts as their average, as the long view's avg over a respondent's rows does."""
    if len(expressions) == 1:
        return expressions[0]
    total = " + ".join(f"coalesce({e}, 0)" for e in expressions)
    answered = " + ".join(f"CAST({e} IS NOT NULL AS INTEGER)" for e in expressions)
    return f"(({total}) / nullif({answered}, 0))"


def dimension_of(dimensions) -> str:
    """An item's dimension as the metrics name it: lower case, trimmed, 'other' when it has none."""
    named = [d for d in dimensions if d is not None]
    text = min(named).strip(" ").lower() if named else ""
    return text or UNGROUPED


def first_text(texts) -> str | None:
    named = [t for t in texts if t is not None]
    return min(named) if named else None


# -- combining positions ---------------------------------------------------------------------

def pooled(parts: list[tuple[int, float | None, float | None]]) -> tuple[int, float | None, float | None]:
    r"""(n, mean, sd) of the union of groups given as (n, mean, sd) each (sd with divisor n − 1).

    .. math:: \bar x = \frac{\sum n_g \bar x_g}{n}, \quad
              s^2 = \frac{\sum (n_g - 1) s_g^2 + \sum n_g (\bar x_g - \bar x)^2}{n - 1}

    One group is returned as it is, so a single position keeps DuckDB's own figures.
    """
    parts = [(int(n), mean, sd) for n, mean, sd in parts if n]
    if not parts:
        return 0, None, None
    if len(parts) == 1:
        return parts[0]
    n = sum(p[0] for p in parts)
    mean = sum(p[0] * p[1] for p in parts) / n
    if n < 2:
        return n, mean, None
    squares = sum((p[0] - 1) * (p[2] or 0.0) ** 2 + p[0] * (p[1] - mean) ** 2 for p in parts)
    return n, mean, math.sqrt(squares / (n - 1))


def pooled_correlation(parts: list[tuple]) -> tuple[int, float]:
    r"""(n, Pearson r) of the union of groups given as (n, mean_x, mean_y, Sxx, Syy, Sxy) each
    (DuckDB's regr_count, regr_avgx, regr_avgy, regr_sxx, regr_syy, regr_sxy).

    .. math:: S_{xy} = \sum_g \left[S_{xy,g} + n_g (\bar x_g - \bar x)(\bar y_g - \bar y)\right],
              \quad r = S_{xy} / \sqrt{S_{xx} S_{yy}}

    NaN with fewer than 2 pairs or no variance.
    """
    parts = [p for p in parts if p[0]]
    n = sum(int(p[0]) for p in parts)
    if n < 2:
        return n, math.nan
    mean_x = sum(p[0] * p[1] for p in parts) / n
    mean_y = sum(p[0] * p[2] for p in parts) / n
    sxx = sum(p[3] + p[0] * (p[1] - mean_x) ** 2 for p in parts)
    syy = sum(p[4] + p[0] * (p[2] - mean_y) ** 2 for p in parts)
    sxy = sum(p[5] + p[0] * (p[1] - mean_x) * (p[2] - mean_y) for p in parts)
    if sxx <= 0 or syy <= 0:
        return n, math.nan
    return n, sxy / math.sqrt(sxx * syy)
