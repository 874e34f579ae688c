"""Per-problem analytics for instructors: how many solve each part, after how many tries, with what scores.

Computed from effective verdicts (regrades included) of graded attempts only: an attempt
still being graded says nothing yet. By default only students count, so instructors
trying their own problems do not skew the numbers.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from sqlalchemy import select

from grader.storage.accounts import check_role
from grader.storage.database import Database, reading
from grader.storage.regrades import effective_verdicts
from grader.storage.schema import accounts, submissions

HISTOGRAM_BINS = 10


@dataclass(frozen=True)
class PartAnalytics:
    """How the students did on one part of a problem."""

    problem_id: str
    part_id: str
    students: int
    solved: int
    attempts: int
    attempts_until_solved: tuple[int, ...]
    best_scores: tuple[float, ...]

    @property
    def solve_rate(self) -> float | None:
        """Share of students who attempted the part and solved it."""
        return self.solved / self.students if self.students else None

    @property
    def median_attempts_until_solved(self) -> float | None:
        return statistics.median(self.attempts_until_solved) if self.attempts_until_solved else None

    @property
    def score_histogram(self) -> tuple[int, ...]:
        """Counts of best scores in ten bins [0, 0.1), ..., [0.9, 1.0]; scores outside 0..1 go to the end bins."""
        counts = [0] * HISTOGRAM_BINS
        for score in self.best_scores:
            counts[min(HISTOGRAM_BINS - 1, max(0, int(score * HISTOGRAM_BINS)))] += 1
        return tuple(counts)


def problem_analytics(db: Database, problem_id: str, *, role: str | None = "student") -> list[PartAnalytics]:
    """Return analytics for each part of ``problem_id`` that has graded attempts, ordered by part id.

    ``attempts_until_solved`` has one entry per student who solved the part: how many
    graded attempts it took, the correct one included. ``best_scores`` has one entry per
    student with a scored attempt.
    """
    view = effective_verdicts()
    query = (
        select(submissions.c.part_id, submissions.c.account_id, view.score, view.correct)
        .select_from(view.source.join(accounts, accounts.c.id == submissions.c.account_id))
        .where(submissions.c.problem_id == problem_id, view.graded)
        .order_by(submissions.c.part_id, submissions.c.account_id, submissions.c.submitted_at, submissions.c.id)
    )
    if role is not None:
        query = query.where(accounts.c.role == check_role(role))
    with reading(db) as connection:
        rows = connection.execute(query).all()
    per_part: dict[str, dict[int, list[tuple[float | None, bool]]]] = {}
    for part, account, score, correct in rows:
        per_part.setdefault(part, {}).setdefault(account, []).append((score, bool(correct)))
    results = []
    for part, students in per_part.items():
        until_solved, best = [], []
        for attempts in students.values():
            solved_at = next((number for number, (_, ok) in enumerate(attempts, start=1) if ok), None)
            if solved_at is not None:
                until_solved.append(solved_at)
            scores = [score for score, _ in attempts if score is not None]
            if scores:
                best.append(max(scores))
        results.append(
            PartAnalytics(
                problem_id=problem_id,
                part_id=part,
                students=len(students),
                solved=len(until_solved),
                attempts=sum(len(attempts) for attempts in students.values()),
                attempts_until_solved=tuple(sorted(until_solved)),
                best_scores=tuple(sorted(best)),
            )
        )
    return results
