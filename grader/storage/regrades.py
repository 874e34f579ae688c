"""Regrades: grading stored answers again (after a checker fix) without losing the original verdict.

A regrade is a new row next to the submission; the submission's own verdict is never
changed, so "what the student was told at the time" stays on record. From then on the
*latest* regrade is the submission's effective verdict: the gradebook, statuses and
analytics all use ``effective_verdicts()``. ``regrade_changes`` lists each regrade
against what was effective just before it, which is the diff an instructor reviews.

A typical run::

    for submission in submissions_for_regrade(db, "eigen-2x2"):
        verdict = grade_part(problem, submission.part_id, submission.seed, submission.response)
        record_regrade(db, submission.id, verdict, label="checker v2")
    changes = [c for c in regrade_changes(db, "eigen-2x2", label="checker v2") if c.changed]
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, FromClause, case, func, insert, or_, select

from grader.storage.database import Database, reading, writing
from grader.storage.errors import InvalidSubmission, UnknownSubmission
from grader.storage.schema import accounts, regrades, submissions
from grader.storage.submissions import Submission, to_submission
from grader.storage.verdicts import decode_verdict, encode_verdict

MAX_LABEL_LENGTH = 100


@dataclass(frozen=True)
class EffectiveVerdicts:
    """Submissions joined to their latest regrade, with the columns that pick the effective verdict."""

    source: FromClause
    score: ColumnElement[Any]
    correct: ColumnElement[Any]
    graded: ColumnElement[bool]


def effective_verdicts() -> EffectiveVerdicts:
    """Return the submissions table joined to each submission's latest regrade, if any.

    Select from ``source`` and use ``score``/``correct`` instead of the submission's own
    columns; ``graded`` is true when there is any verdict (original or regrade).
    """
    latest = regrades.alias("latest_regrade")
    latest_id = (
        select(func.max(regrades.c.id))
        .where(regrades.c.submission_id == submissions.c.id)
        .correlate(submissions)
        .scalar_subquery()
    )
    regraded = latest.c.id.is_not(None)
    return EffectiveVerdicts(
        source=submissions.outerjoin(latest, latest.c.id == latest_id),
        score=case((regraded, latest.c.score), else_=submissions.c.score),
        correct=case((regraded, latest.c.correct), else_=submissions.c.correct),
        graded=or_(submissions.c.status == "graded", regraded),
    )


@dataclass(frozen=True)
class RegradeChange:
    """One regrade next to the verdict that was effective before it (the original, or an earlier regrade)."""

    regrade_id: int
    label: str
    regraded_at: datetime
    submission_id: int
    account_id: int
    username: str
    problem_id: str
    part_id: str
    seed: int
    response: str
    before_score: float | None
    after_score: float | None
    before_correct: bool | None
    after_correct: bool | None
    before_feedback: str | None
    after_feedback: str | None
    before_verdict: dict[str, Any] | None
    after_verdict: dict[str, Any] | None

    @property
    def changed(self) -> bool:
        """Whether the score, correctness or feedback differ."""
        return (self.before_score, self.before_correct, self.before_feedback) != (
            self.after_score,
            self.after_correct,
            self.after_feedback,
        )


def submissions_for_regrade(db: Database, problem_id: str, *, part_id: str | None = None) -> list[Submission]:
    """Return every stored submission of a problem (or one part), graded or not, oldest first."""
    query = select(submissions).where(submissions.c.problem_id == problem_id)
    if part_id is not None:
        query = query.where(submissions.c.part_id == part_id)
    with reading(db) as connection:
        return [to_submission(row) for row in connection.execute(query.order_by(submissions.c.id))]


def record_regrade(db: Database, submission_id: int, verdict: Any, *, label: str = "") -> int:
    """Store a new verdict for a submission next to its original; return the regrade's id.

    ``label`` names the run (e.g. "checker v2") so its changes can be listed together.
    """
    if not isinstance(label, str) or len(label) > MAX_LABEL_LENGTH:
        raise InvalidSubmission(f"label must be text of at most {MAX_LABEL_LENGTH} characters, got {label!r}")
    encoded = encode_verdict(verdict)
    with writing(db) as connection:
        if connection.execute(select(submissions.c.id).where(submissions.c.id == submission_id)).first() is None:
            raise UnknownSubmission(f"no submission has id {submission_id}; nothing to regrade")
        return int(
            connection.execute(
                insert(regrades)
                .values(
                    submission_id=submission_id,
                    label=label,
                    score=encoded.score,
                    correct=encoded.correct,
                    feedback=encoded.feedback,
                    verdict_json=encoded.json,
                    regraded_at=db.now(),
                )
                .returning(regrades.c.id)
            ).scalar_one()
        )


def regrade_changes(
    db: Database, problem_id: str, *, part_id: str | None = None, label: str | None = None
) -> list[RegradeChange]:
    """Return the regrades of a problem's submissions, each with the verdict it replaced, oldest first.

    With ``label``, only that run's regrades are returned (still compared with whatever
    was effective before each of them).
    """
    query = (
        select(
            regrades.c.id.label("regrade_id"),
            regrades.c.label,
            regrades.c.regraded_at,
            regrades.c.score.label("new_score"),
            regrades.c.correct.label("new_correct"),
            regrades.c.feedback.label("new_feedback"),
            regrades.c.verdict_json.label("new_verdict"),
            submissions,
            accounts.c.username,
        )
        .join(submissions, submissions.c.id == regrades.c.submission_id)
        .join(accounts, accounts.c.id == submissions.c.account_id)
        .where(submissions.c.problem_id == problem_id)
        .order_by(submissions.c.id, regrades.c.id)
    )
    if part_id is not None:
        query = query.where(submissions.c.part_id == part_id)
    with reading(db) as connection:
        rows = connection.execute(query).all()
    changes, before, current_submission = [], None, None
    for row in rows:
        if row.id != current_submission:
            current_submission = row.id
            before = (row.score, _bool(row.correct), row.feedback, row.verdict_json)
        assert before is not None
        after = (row.new_score, _bool(row.new_correct), row.new_feedback, row.new_verdict)
        if label is None or row.label == label:
            changes.append(
                RegradeChange(
                    regrade_id=row.regrade_id,
                    label=row.label,
                    regraded_at=row.regraded_at,
                    submission_id=row.id,
                    account_id=row.account_id,
                    username=row.username,
                    problem_id=row.problem_id,
                    part_id=row.part_id,
                    seed=row.seed,
                    response=row.response,
                    before_score=before[0],
                    after_score=after[0],
                    before_correct=before[1],
                    after_correct=after[1],
                    before_feedback=before[2],
                    after_feedback=after[2],
                    before_verdict=decode_verdict(before[3]),
                    after_verdict=decode_verdict(after[3]),
                )
            )
        before = after
    return changes


def _bool(value: object) -> bool | None:
    return None if value is None else bool(value)
