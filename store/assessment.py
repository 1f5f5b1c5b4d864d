"""The team's customer-orientation self-assessment: the questionnaire's shape, and its insert-only rows.

Seven sections of statements, each scored 1-5; a section's maximum is 5 × its statements, as the
training material gives them: 35/25/20/35/20/35/30 (issue 23). The statements' words live in the
locale files (assessment.statement.<section>.<n>).
"""
from __future__ import annotations

import uuid
from datetime import date, datetime

from store.db import transaction
from store.errors import FeedbackError

SECTIONS: tuple[tuple[str, int], ...] = (
    ("know", 7), ("listen", 5), ("complaints", 4), ("promises", 7), ("empower", 4), ("together", 7),
    ("improve", 6),
)
LOWEST, HIGHEST = 1, 5
STATEMENTS = sum(n for _, n in SECTIONS)

INSERT_SQL = "INSERT INTO self_assessment (id, team, assessed_on, answers, saved_at) VALUES (?, ?, ?, ?, ?)"


class AssessmentError(FeedbackError):
    """A self-assessment that cannot be saved as given."""


def statement_keys() -> list[tuple[str, int]]:
    """(section, number from 1) of every statement, in the answers' order."""
    return [(section, i) for section, n in SECTIONS for i in range(1, n + 1)]


def check_answers(team: str, answers) -> tuple[str, list[int]]:
    """The team's name trimmed and the answers as integers, or an AssessmentError saying what is wrong."""
    name = (team or "").strip()
    if not name:
        raise AssessmentError("the self-assessment needs the team's name")
    return name, check_scores(answers)


def check_scores(answers) -> list[int]:
    """The answers as integers, one per statement from LOWEST to HIGHEST, or an AssessmentError."""
    scores = list(answers)
    if len(scores) != STATEMENTS:
        raise AssessmentError(f"the self-assessment has {STATEMENTS} statements; {len(scores)} scores were given")
    wrong = [i + 1 for i, s in enumerate(scores) if not isinstance(s, int) or not LOWEST <= s <= HIGHEST]
    if wrong:
        raise AssessmentError(f"statements {', '.join(map(str, wrong))} need a score from {LOWEST} to {HIGHEST}")
    return scores


def save_assessment(con, team: str, assessed_on: date, answers, saved_at: datetime | None = None) -> str:
    """Insert one assessment (never update one) and return its id."""
    name, scores = check_answers(team, answers)
    row_id = str(uuid.uuid4())
    with transaction(con, "the self-assessment could not be saved"):
        con.execute(INSERT_SQL, [row_id, name, assessed_on, scores,
                                 saved_at or datetime.now().replace(microsecond=0)])
    return row_id


__all__ = ["SECTIONS", "STATEMENTS", "LOWEST", "HIGHEST", "AssessmentError", "statement_keys", "check_answers", "check_scores",
           "save_assessment"]
