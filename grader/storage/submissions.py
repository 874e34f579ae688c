"""Submissions: stored before they are graded, never duplicated, graded exactly once.

The order a page follows, so that a crash at any point loses nothing::

    key = st.session_state.setdefault(("submit", widget), str(uuid.uuid4()))  # one per click
    submission_id = record_submission(db, ..., idempotency_key=key)          # durable from here
    verdict = grade_part(...)                                                # may crash
    record_verdict(db, submission_id, verdict)

* **Idempotency.** The client makes one key (a UUID) per Submit click and sends the
  same key when it retries. The first write stores the answer; any retry, even after a
  restart, returns the same id. Reusing a key for a *different* answer raises
  ``IdempotencyKeyConflict`` rather than silently returning the old one.
* **Exactly one verdict.** ``record_verdict`` is a conditional update (``WHERE status <>
  'graded'``): when several workers (or a retried Celery task) finish the same
  submission, the first one's verdict is kept and the others get ``False``. A verdict
  can follow ``record_grading_error``; a regrade never overwrites it (see ``regrades``).
* ``list_ungraded`` finds what a crash left ungraded, for a worker to pick up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, select, update
from sqlalchemy.exc import IntegrityError

from grader.storage.database import Database, reading, single_statement, upsert_statement, writing
from grader.storage.errors import (
    IdempotencyKeyConflict,
    InvalidSubmission,
    UnknownAccount,
    UnknownSubmission,
)
from grader.storage.schema import accounts, submissions
from grader.storage.verdicts import decode_verdict, encode_verdict

MAX_RESPONSE_LENGTH = 100_000
# (field, longest allowed) for the text that identifies what was answered.
TEXT_LIMITS = {"problem_id": 200, "part_id": 100, "answer_kind": 32, "idempotency_key": 64}
MIN_KEY_LENGTH = 8
_SEED_RANGE = (-(2**63), 2**63 - 1)


@dataclass(frozen=True)
class Submission:
    """One stored answer and, once graded, its original verdict (``verdict`` is a fresh dict)."""

    id: int
    account_id: int
    idempotency_key: str
    problem_id: str
    part_id: str
    seed: int
    answer_kind: str
    response: str
    submitted_at: datetime
    imported: bool
    status: str
    score: float | None
    correct: bool | None
    feedback: str | None
    verdict: dict[str, Any] | None
    graded_at: datetime | None


def check_text(field: str, value: object, longest: int) -> str:
    """Return ``value`` if it is non-empty text of at most ``longest`` characters, else raise."""
    if not isinstance(value, str):
        raise InvalidSubmission(f"{field} must be text, got {type(value).__name__}")
    if not value.strip():
        raise InvalidSubmission(f"{field} is empty")
    if len(value) > longest:
        raise InvalidSubmission(f"{field} has {len(value)} characters; at most {longest} are stored")
    return value


def check_seed(seed: object) -> int:
    """Return ``seed`` if it is an integer that fits in 64 bits, else raise."""
    if isinstance(seed, bool) or not isinstance(seed, int) or not _SEED_RANGE[0] <= seed <= _SEED_RANGE[1]:
        raise InvalidSubmission(f"seed must be an integer between -2**63 and 2**63-1, got {seed!r}")
    return seed


def check_response(response: object) -> str:
    """Return ``response`` if it is text of storable length (empty is allowed: it is an answer too)."""
    if not isinstance(response, str):
        raise InvalidSubmission(f"response must be text, got {type(response).__name__}")
    if len(response) > MAX_RESPONSE_LENGTH:
        raise InvalidSubmission(
            f"the response has {len(response)} characters; at most {MAX_RESPONSE_LENGTH} are stored"
        )
    return response


def submission_values(
    *, problem_id: str, part_id: str, seed: int, answer_kind: str, response: str, idempotency_key: str
) -> dict[str, Any]:
    """Return the checked column values that identify an answer."""
    values: dict[str, Any] = {
        field: check_text(field, value, TEXT_LIMITS[field])
        for field, value in (
            ("problem_id", problem_id),
            ("part_id", part_id),
            ("answer_kind", answer_kind),
            ("idempotency_key", idempotency_key),
        )
    }
    if len(idempotency_key) < MIN_KEY_LENGTH:
        raise InvalidSubmission(
            f"idempotency_key {idempotency_key!r} is too short to be unique; use str(uuid.uuid4()) per Submit click"
        )
    values["seed"] = check_seed(seed)
    values["response"] = check_response(response)
    return values


def record_submission(
    db: Database,
    *,
    account_id: int,
    problem_id: str,
    part_id: str,
    seed: int,
    answer_kind: str,
    response: str,
    idempotency_key: str,
) -> int:
    """Store an answer before it is graded and return its id; a retry with the same key returns the same id."""
    return store_submission(
        db,
        account_id=account_id,
        problem_id=problem_id,
        part_id=part_id,
        seed=seed,
        answer_kind=answer_kind,
        response=response,
        idempotency_key=idempotency_key,
    ).id


def store_submission(
    db: Database,
    *,
    account_id: int,
    problem_id: str,
    part_id: str,
    seed: int,
    answer_kind: str,
    response: str,
    idempotency_key: str,
) -> Submission:
    """Store an answer before it is graded and return it as stored, like ``record_submission``.

    A new answer comes back pending. A retry with the same key returns the submission the
    first click stored, with its verdict if it has one by now. The insert is one statement
    (``ON CONFLICT DO NOTHING ... RETURNING``), so a new answer costs one round trip.
    """
    values = submission_values(
        problem_id=problem_id,
        part_id=part_id,
        seed=seed,
        answer_kind=answer_kind,
        response=response,
        idempotency_key=idempotency_key,
    )
    try:
        with single_statement(db, write=True) as connection:
            row = connection.execute(
                upsert_statement(connection, submissions)
                .values(account_id=account_id, submitted_at=db.now(), **values)
                .on_conflict_do_nothing(index_elements=["account_id", "idempotency_key"])
                .returning(*submissions.c)
            ).first()
            if row is not None:
                return to_submission(row)
            # The key was used before, by a committed row (PostgreSQL waits for a row still
            # being inserted, then does nothing if it committed): read it back.
            existing = connection.execute(
                select(submissions).where(
                    submissions.c.account_id == account_id, submissions.c.idempotency_key == idempotency_key
                )
            ).one()
    except IntegrityError:
        # The only constraint the checks above cannot rule out is the account's foreign key.
        with reading(db) as connection:
            if connection.execute(select(accounts.c.id).where(accounts.c.id == account_id)).first() is None:
                raise UnknownAccount(f"no account has id {account_id}; the submission was not stored") from None
        raise
    check_same_answer(existing, values)
    return to_submission(existing)


def check_same_answer(existing: Row, values: dict[str, Any]) -> None:
    """Raise ``IdempotencyKeyConflict`` if a stored row does not hold the answer ``values`` describe."""
    differing = [field for field, value in values.items() if getattr(existing, field) != value]
    if differing:
        raise IdempotencyKeyConflict(
            f"idempotency key {values['idempotency_key']!r} was already used for submission {existing.id} "
            f"(problem {existing.problem_id!r}, part {existing.part_id!r}), which differs in "
            f"{', '.join(differing)}; make a new key for each Submit click and reuse it only to retry that click"
        )


def record_verdict(db: Database, submission_id: int, verdict: Any) -> bool:
    """Store the verdict of a submission if it has none yet; return True if this call stored it.

    False means another grader got there first; its verdict stands. Raises
    ``UnknownSubmission`` for an id that was never stored and ``InvalidVerdict`` for a
    verdict that cannot be stored.
    """
    encoded = encode_verdict(verdict)
    with single_statement(db, write=True) as connection:
        stored = connection.execute(
            update(submissions)
            .where(submissions.c.id == submission_id, submissions.c.status != "graded")
            .values(
                status="graded",
                score=encoded.score,
                correct=encoded.correct,
                feedback=encoded.feedback,
                verdict_json=encoded.json,
                graded_at=db.now(),
            )
        ).rowcount
        if stored:
            return True
        known = connection.execute(select(submissions.c.id).where(submissions.c.id == submission_id)).first()
    if known is None:
        raise UnknownSubmission(f"no submission has id {submission_id}; store it with record_submission first")
    return False


def record_grading_error(db: Database, submission_id: int, message: str) -> bool:
    """Mark a pending submission as failed to grade (the answer stays stored); return True if marked.

    The submission can still get a verdict later, from a retry or a regrade.
    """
    with writing(db) as connection:
        marked = connection.execute(
            update(submissions)
            .where(submissions.c.id == submission_id, submissions.c.status == "pending")
            .values(status="failed", feedback=str(message)[:MAX_RESPONSE_LENGTH])
        ).rowcount
        if marked:
            return True
        known = connection.execute(select(submissions.c.id).where(submissions.c.id == submission_id)).first()
    if known is None:
        raise UnknownSubmission(f"no submission has id {submission_id}")
    return False


def get_submission(db: Database, submission_id: int) -> Submission:
    """Return the submission with this id, or raise ``UnknownSubmission``."""
    with single_statement(db, write=False) as connection:
        row = connection.execute(select(submissions).where(submissions.c.id == submission_id)).first()
    if row is None:
        raise UnknownSubmission(f"no submission has id {submission_id}")
    return to_submission(row)


def list_attempts(
    db: Database, account_id: int, *, problem_id: str | None = None, part_id: str | None = None
) -> list[Submission]:
    """Return an account's submissions, oldest first, optionally for one problem or part: its attempt history."""
    query = select(submissions).where(submissions.c.account_id == account_id)
    if problem_id is not None:
        query = query.where(submissions.c.problem_id == problem_id)
    if part_id is not None:
        query = query.where(submissions.c.part_id == part_id)
    with reading(db) as connection:
        rows = connection.execute(query.order_by(submissions.c.submitted_at, submissions.c.id))
        return [to_submission(row) for row in rows]


def list_ungraded(db: Database, *, limit: int = 100) -> list[Submission]:
    """Return up to ``limit`` submissions still pending or failed, oldest first, for a worker to grade."""
    query = select(submissions).where(submissions.c.status != "graded").order_by(submissions.c.id).limit(limit)
    with reading(db) as connection:
        return [to_submission(row) for row in connection.execute(query)]


def to_submission(row: Row) -> Submission:
    """Build a ``Submission`` from a full row of the submissions table."""
    return Submission(
        id=row.id,
        account_id=row.account_id,
        idempotency_key=row.idempotency_key,
        problem_id=row.problem_id,
        part_id=row.part_id,
        seed=row.seed,
        answer_kind=row.answer_kind,
        response=row.response,
        submitted_at=row.submitted_at,
        imported=bool(row.imported),
        status=row.status,
        score=row.score,
        correct=None if row.correct is None else bool(row.correct),
        feedback=row.feedback,
        verdict=decode_verdict(row.verdict_json),
        graded_at=row.graded_at,
    )
