"""Tests for grader/storage/progress.py, on the class in classroom.py."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from grader.storage import Database, part_statuses, progress_frame

from .classroom import fill
from .conftest import FakeClock


def minute(n: int) -> datetime:
    """The time of the n-th classroom submission (the fake clock starts at 09:00 and steps a minute)."""
    return datetime(2026, 3, 2, 9, n, tzinfo=timezone.utc)


# (student, problem, part, attempts, graded, best score, solved, first solved at, last attempt at)
STATUSES = [
    ("ann", "p1", "a", 3, 3, 1.0, True, minute(3), minute(3)),
    ("ann", "p1", "b", 1, 1, 1.0, True, minute(4), minute(4)),
    ("ann", "p2", "a", 1, 0, None, False, None, minute(5)),
    ("ben", "p1", "a", 1, 1, 1.0, True, minute(6), minute(6)),
    ("ben", "p1", "b", 1, 1, 0.25, False, None, minute(7)),
    ("cat", "p1", "a", 2, 2, 0.0, False, None, minute(9)),
]


@pytest.mark.parametrize(
    ("student", "problem", "part", "attempts", "graded", "best", "solved", "solved_at", "last_at"), STATUSES
)
def test_part_statuses(
    db: Database,
    clock: FakeClock,
    student: str,
    problem: str,
    part: str,
    attempts: int,
    graded: int,
    best: float | None,
    solved: bool,
    solved_at: datetime | None,
    last_at: datetime,
) -> None:
    """Per part: attempts, how many are graded, best score, solved and when."""
    classroom = fill(db, clock)
    statuses = {(s.problem_id, s.part_id): s for s in part_statuses(db, classroom.accounts[student])}
    status = statuses[(problem, part)]
    assert (status.attempts, status.graded, status.pending) == (attempts, graded, attempts - graded)
    assert (status.best_score, status.solved) == (best, solved)
    assert (status.first_solved_at, status.last_attempt_at) == (solved_at, last_at)


def test_statuses_are_ordered_and_filterable(db: Database, clock: FakeClock) -> None:
    """Statuses come ordered by problem and part; a problem filter narrows them; no attempts, no rows."""
    classroom = fill(db, clock)
    ann = classroom.accounts["ann"]
    assert [(s.problem_id, s.part_id) for s in part_statuses(db, ann)] == [("p1", "a"), ("p1", "b"), ("p2", "a")]
    assert [(s.problem_id, s.part_id) for s in part_statuses(db, ann, problem_id="p2")] == [("p2", "a")]
    assert part_statuses(db, classroom.accounts["dan"]) == []


def test_progress_frame(db: Database, clock: FakeClock) -> None:
    """One row per attempt, oldest first, with aware UTC times and the effective score."""
    classroom = fill(db, clock)
    frame = progress_frame(db, classroom.accounts["ann"])
    assert list(frame["submission_id"]) == classroom.submissions[:5]
    assert list(frame["score"].fillna(-1)) == [0.0, 0.5, 1.0, 1.0, -1]
    assert list(frame["correct"]) == [False, False, True, True, None]
    assert list(frame["graded"]) == [True, True, True, True, False]
    assert list(frame["status"]) == ["graded"] * 4 + ["pending"]
    assert frame["submitted_at"].iloc[0] == minute(1)
    assert progress_frame(db, classroom.accounts["dan"]).empty
