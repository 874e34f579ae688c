"""What one student has done: status per part and the attempts over time.

Both use each submission's effective verdict (the latest regrade if there is one, see
``regrades``). Pending and failed submissions count as attempts but have no score.
Topics and concepts come from the problem bank, which the app joins on ``problem_id``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pandas as pd
from sqlalchemy import select

from grader.storage.database import Database, reading
from grader.storage.regrades import effective_verdicts
from grader.storage.schema import submissions

PROGRESS_COLUMNS = [
    "submission_id",
    "submitted_at",
    "problem_id",
    "part_id",
    "seed",
    "answer_kind",
    "status",
    "graded",
    "score",
    "correct",
]


@dataclass(frozen=True)
class PartStatus:
    """A student's standing on one part of one problem, across all seeds."""

    problem_id: str
    part_id: str
    attempts: int
    graded: int
    best_score: float | None
    solved: bool
    first_solved_at: datetime | None
    last_attempt_at: datetime

    @property
    def pending(self) -> int:
        """Attempts with no verdict yet (being graded, or grading failed)."""
        return self.attempts - self.graded


def part_statuses(db: Database, account_id: int, *, problem_id: str | None = None) -> list[PartStatus]:
    """Return the status of every part the student has attempted, ordered by problem and part."""
    frame = progress_frame(db, account_id, problem_id=problem_id)
    statuses = []
    for (problem, part), attempts in frame.groupby(["problem_id", "part_id"], sort=True):
        graded = attempts[attempts["graded"]]
        solved = graded[graded["correct"] == True]  # noqa: E712 - a column of True/False/None
        scores = graded["score"].dropna()
        statuses.append(
            PartStatus(
                problem_id=str(problem),
                part_id=str(part),
                attempts=len(attempts),
                graded=len(graded),
                best_score=float(scores.max()) if len(scores) else None,
                solved=bool(len(solved)),
                first_solved_at=solved["submitted_at"].iloc[0].to_pydatetime() if len(solved) else None,
                last_attempt_at=attempts["submitted_at"].iloc[-1].to_pydatetime(),
            )
        )
    return statuses


def progress_frame(db: Database, account_id: int, *, problem_id: str | None = None) -> pd.DataFrame:
    """Return one row per attempt, oldest first, with the effective score: for plotting progress over time."""
    view = effective_verdicts()
    query = (
        select(
            submissions.c.id.label("submission_id"),
            submissions.c.submitted_at,
            submissions.c.problem_id,
            submissions.c.part_id,
            submissions.c.seed,
            submissions.c.answer_kind,
            submissions.c.status,
            view.graded.label("graded"),
            view.score.label("score"),
            view.correct.label("correct"),
        )
        .select_from(view.source)
        .where(submissions.c.account_id == account_id)
        .order_by(submissions.c.submitted_at, submissions.c.id)
    )
    if problem_id is not None:
        query = query.where(submissions.c.problem_id == problem_id)
    with reading(db) as connection:
        rows = [tuple(row) for row in connection.execute(query)]
    frame = pd.DataFrame.from_records(rows, columns=PROGRESS_COLUMNS)
    frame["graded"] = frame["graded"].astype(bool)
    frame["score"] = frame["score"].astype(float)
    frame["correct"] = frame["correct"].astype(object).where(frame["correct"].notna(), None)
    frame["submitted_at"] = pd.to_datetime(frame["submitted_at"], utc=True)
    return frame
