"""Tests for grader/storage/regrades.py, on the class in classroom.py."""

from __future__ import annotations

import pytest

from grader.storage import (
    Database,
    InvalidSubmission,
    UnknownSubmission,
    get_submission,
    record_regrade,
    regrade_changes,
    submissions_for_regrade,
)

from .classroom import fill
from .conftest import FakeClock


def test_submissions_for_regrade(db: Database, clock: FakeClock) -> None:
    """Every stored submission of the problem, graded or not and from any role, oldest first."""
    classroom = fill(db, clock)
    assert [s.id for s in submissions_for_regrade(db, "p1")] == [
        classroom.submissions[n] for n in (0, 1, 2, 3, 5, 6, 7, 8, 9)
    ]
    assert [s.id for s in submissions_for_regrade(db, "p1", part_id="b")] == [classroom.submissions[n] for n in (3, 6)]
    assert [s.status for s in submissions_for_regrade(db, "p2")] == ["pending"]


def test_regrade_keeps_the_original(db: Database, clock: FakeClock) -> None:
    """The submission's own verdict is untouched; the regrade is listed against it with its time."""
    classroom = fill(db, clock)
    target = classroom.submissions[8]
    clock.advance(days=1)
    regrade_id = record_regrade(db, target, {"score": 1.0, "correct": True, "feedback": "fixed checker"}, label="v2")
    original = get_submission(db, target)
    assert (original.score, original.correct, original.feedback) == (0.0, False, "sign error")
    (change,) = regrade_changes(db, "p1")
    assert (change.regrade_id, change.submission_id, change.username, change.label) == (regrade_id, target, "cat", "v2")
    assert (change.before_score, change.after_score) == (0.0, 1.0)
    assert (change.before_correct, change.after_correct) == (False, True)
    assert (change.before_feedback, change.after_feedback) == ("sign error", "fixed checker")
    assert change.before_verdict == {"score": 0.0, "correct": False, "feedback": "sign error"}
    assert change.regraded_at == clock() and change.changed


# (verdicts of successive regrades of cat's first p1/a attempt, label asked for, expected (before, after, changed) rows)
CHAINS = [
    ([("v2", {"score": 0.0, "correct": False, "feedback": "sign error"})], None, [(0.0, 0.0, False)]),
    ([("v2", {"score": 0.5}), ("v3", {"score": 1.0})], None, [(0.0, 0.5, True), (0.5, 1.0, True)]),
    ([("v2", {"score": 0.5}), ("v3", {"score": 1.0})], "v3", [(0.5, 1.0, True)]),
    ([("v2", {"score": 0.5})], "v9", []),
]


@pytest.mark.parametrize(("regrades", "label", "expected"), CHAINS)
def test_each_regrade_is_compared_with_what_it_replaced(
    db: Database,
    clock: FakeClock,
    regrades: list,
    label: str | None,
    expected: list,  # type: ignore[type-arg]
) -> None:
    """A second regrade is diffed against the first, not against the original."""
    classroom = fill(db, clock)
    for run, verdict in regrades:
        record_regrade(db, classroom.submissions[7], verdict, label=run)
    changes = regrade_changes(db, "p1", part_id="a", label=label)
    assert [(c.before_score, c.after_score, c.changed) for c in changes] == expected


def test_pending_submission_can_be_regraded(db: Database, clock: FakeClock) -> None:
    """A submission that never got a verdict can get one by regrade; 'before' is empty."""
    classroom = fill(db, clock)
    record_regrade(db, classroom.submissions[4], {"score": 1.0, "correct": True})
    (change,) = regrade_changes(db, "p2")
    assert (change.before_score, change.before_verdict, change.after_score) == (None, None, 1.0)


def test_regrade_errors(db: Database) -> None:
    """Unknown submissions and over-long labels are refused."""
    with pytest.raises(UnknownSubmission, match="no submission has id 77; nothing to regrade"):
        record_regrade(db, 77, {"score": 1})
    with pytest.raises(InvalidSubmission, match="label must be text of at most 100 characters"):
        record_regrade(db, 77, {"score": 1}, label="x" * 101)
