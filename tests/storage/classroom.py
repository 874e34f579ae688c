"""A small class with known submissions, shared by the gradebook, analytics, progress and regrade tests.

    student  p1/a                              p1/b             p2/a
    ann      0.0 wrong, 0.5 wrong, 1.0 right   1.0 right        pending (no verdict)
    ben      1.0 right                         0.25 wrong
    cat      0.0 wrong, 0.0 wrong
    dan      (nothing)
    ivy      instructor: 1.0 right on p1/a

Submissions are one minute apart, in the order of the table read row by row.
"""

from __future__ import annotations

from dataclasses import dataclass

from grader.storage import Database, create_account, record_submission, record_verdict

from .conftest import FakeClock

PLAN = [
    # (username, problem, part, verdict or None for "still pending")
    ("ann", "p1", "a", {"score": 0.0, "correct": False}),
    ("ann", "p1", "a", {"score": 0.5, "correct": False}),
    ("ann", "p1", "a", {"score": 1.0, "correct": True}),
    ("ann", "p1", "b", {"score": 1.0, "correct": True}),
    ("ann", "p2", "a", None),
    ("ben", "p1", "a", {"score": 1.0, "correct": True}),
    ("ben", "p1", "b", {"score": 0.25, "correct": False}),
    ("cat", "p1", "a", {"score": 0.0, "correct": False, "feedback": "sign error"}),
    ("cat", "p1", "a", {"score": 0.0, "correct": False, "feedback": "sign error"}),
    ("ivy", "p1", "a", {"score": 1.0, "correct": True}),
]


@dataclass(frozen=True)
class Classroom:
    accounts: dict[str, int]
    submissions: list[int]  # ids in PLAN order


def fill(db: Database, clock: FakeClock) -> Classroom:
    """Create the accounts and submissions of the table above."""
    accounts = {
        name: create_account(db, name, "long enough", role="instructor" if name == "ivy" else "student").id
        for name in ("ann", "ben", "cat", "dan", "ivy")
    }
    ids = []
    for number, (name, problem, part, verdict) in enumerate(PLAN):
        clock.advance(minutes=1)
        submission_id = record_submission(
            db,
            account_id=accounts[name],
            problem_id=problem,
            part_id=part,
            seed=number % 3,
            answer_kind="number",
            response=f"answer {number}",
            idempotency_key=f"classroom-{number:04}",
        )
        if verdict is not None:
            record_verdict(db, submission_id, verdict)
        ids.append(submission_id)
    return Classroom(accounts=accounts, submissions=ids)
