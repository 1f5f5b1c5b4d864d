"""The team's customer-orientation self-assessment beside what its customers say (issue 23).

Each section's percentage = 100 × (sum of its statements' scores) / (5 × its statements), the
maxima 35/25/20/35/20/35/30 of store/assessment.py SECTIONS; the whole test's percentage likewise
over its 40 statements (maximum 200).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from store.assessment import HIGHEST, SECTIONS, check_scores
from store.query import fetch_all, fetch_one

SECTION_COLUMNS = ["section", "score", "maximum", "percentage", "last_percentage", "change"]

LAST_SQL = """
SELECT assessed_on, answers
FROM self_assessment
WHERE team = $team AND CAST(id AS VARCHAR) <> $excluding
ORDER BY assessed_on DESC, saved_at DESC
LIMIT 1
"""

TEAMS_SQL = "SELECT DISTINCT team FROM self_assessment ORDER BY team"


def section_percentages(answers) -> pd.DataFrame:
    """Per section: score (sum of its statements), maximum (5 × statements), percentage (0–100)."""
    scores = list(answers)
    rows, start = [], 0
    for section, n in SECTIONS:
        score = sum(scores[start:start + n])
        rows.append((section, score, HIGHEST * n, 100.0 * score / (HIGHEST * n)))
        start += n
    return pd.DataFrame(rows, columns=["section", "score", "maximum", "percentage"])


def total_percentage(answers) -> float:
    scores = list(answers)
    return 100.0 * sum(scores) / (HIGHEST * len(scores))


@dataclass(frozen=True)
class AssessmentView:
    """This assessment's sections (SECTION_COLUMNS; last_percentage and change None without a last
    one), its total, and the team's last saved assessment (its date and total). The customers' side
    of the same period is csi.csi_score and nps.nps_score, which the page loads through its cache."""

    team: str
    sections: pd.DataFrame
    total: float
    last_on: date | None
    last_total: float | None

    @property
    def total_change(self) -> float | None:
        """Percentage points since the last assessment."""
        return None if self.last_total is None else self.total - self.last_total


def teams(con) -> list[str]:
    """The teams that have saved an assessment."""
    return [row[0] for row in fetch_all(con, TEAMS_SQL, what="the teams' self-assessments")]


def last_assessment(con, team: str, excluding: str | None = None) -> tuple[date, list[int]] | None:
    """The team's latest saved assessment (by its date, then when it was saved), other than `excluding`."""
    row = fetch_one(con, LAST_SQL, {"team": team.strip(), "excluding": excluding or ""},
                    what="the team's last self-assessment")
    return (row[0], [int(s) for s in row[1]]) if row else None


def assessment_view(con, team: str, answers, excluding: str | None = None) -> AssessmentView:
    """The sections of `answers` as percentages, beside the team's last assessment other than `excluding`
    (none for a team not yet named)."""
    team, scores = (team or "").strip(), check_scores(answers)
    sections = section_percentages(scores)
    last = last_assessment(con, team, excluding) if team else None
    if last is None:
        sections["last_percentage"], sections["change"] = None, None
        last_on, last_total = None, None
    else:
        before = section_percentages(last[1])["percentage"]
        sections["last_percentage"] = before
        sections["change"] = sections["percentage"] - before
        last_on, last_total = last[0], total_percentage(last[1])
    return AssessmentView(team, sections[SECTION_COLUMNS], total_percentage(scores), last_on, last_total)


__all__ = ["AssessmentView", "SECTION_COLUMNS", "assessment_view", "last_assessment", "section_percentages",
           "teams", "total_percentage"]
