"""Tests for grader/storage/analytics.py, on the class in classroom.py."""

from __future__ import annotations

import pytest

from grader.storage import Database, problem_analytics, record_regrade

from .classroom import fill
from .conftest import FakeClock

# (problem, role, part, field, expected)
CASES = [
    ("p1", "student", "a", "students", 3),
    ("p1", "student", "a", "solved", 2),
    ("p1", "student", "a", "attempts", 6),
    ("p1", "student", "a", "attempts_until_solved", (1, 3)),
    ("p1", "student", "a", "best_scores", (0.0, 1.0, 1.0)),
    ("p1", "student", "a", "score_histogram", (1, 0, 0, 0, 0, 0, 0, 0, 0, 2)),
    ("p1", "student", "a", "solve_rate", pytest.approx(2 / 3)),
    ("p1", "student", "a", "median_attempts_until_solved", 2.0),
    ("p1", "student", "b", "students", 2),
    ("p1", "student", "b", "solved", 1),
    ("p1", "student", "b", "best_scores", (0.25, 1.0)),
    ("p1", "student", "b", "score_histogram", (0, 0, 1, 0, 0, 0, 0, 0, 0, 1)),
    ("p1", None, "a", "students", 4),
    ("p1", None, "a", "attempts_until_solved", (1, 1, 3)),
]


@pytest.mark.parametrize(("problem", "role", "part", "field", "expected"), CASES)
def test_problem_analytics(
    db: Database, clock: FakeClock, problem: str, role: str | None, part: str, field: str, expected: object
) -> None:
    """Counts, attempts until solved and score distribution per part, students only by default."""
    fill(db, clock)
    parts = {analytics.part_id: analytics for analytics in problem_analytics(db, problem, role=role)}
    assert getattr(parts[part], field) == expected


def test_pending_attempts_are_not_analysed(db: Database, clock: FakeClock) -> None:
    """p2 has only a pending attempt: nothing to report yet."""
    fill(db, clock)
    assert problem_analytics(db, "p2") == []
    assert problem_analytics(db, "no-such-problem") == []


def test_analytics_follow_regrades(db: Database, clock: FakeClock) -> None:
    """Regrading cat's second attempt as correct makes cat a solver after 2 attempts."""
    classroom = fill(db, clock)
    record_regrade(db, classroom.submissions[8], {"score": 1.0, "correct": True}, label="v2")
    (part_a, _) = problem_analytics(db, "p1")
    assert (part_a.solved, part_a.attempts_until_solved) == (3, (1, 2, 3))
