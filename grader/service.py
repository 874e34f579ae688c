"""Grading as the app uses it: store the submission, grade it, store the verdict.

    service = GradingService(db)
    outcome = service.submit(account_id=..., problem_id="eigen-2x2", part_id="eigenvalues",
                             seed=0, response="2, 3", idempotency_key=key)
    outcome.status        # "graded" (or "pending" when a task queue grades it later)
    service.poll(outcome.submission_id)

The submission is committed before it is graded, so nothing a student submits is lost even
if grading fails or the process dies; a retried click (same idempotency key) never grades or
stores twice. Grading runs in this process (math checks; code goes to the sandbox pool)
unless a queue is configured (``GRADER_BROKER_URL``, see grader.worker), in which case
``submit`` returns "pending" and ``poll`` reports the verdict when a worker has written it.
``service_from_environment`` builds the app's service: with a broker, code answers go to the
queue and math answers (a millisecond each) are checked here, unless ``GRADER_QUEUE_MATH=1``
sends them to the queue too.
If the queue cannot be reached, the submission is marked "failed" with a message, and the
same click (same idempotency key) sends it again. ``queue_depth`` tells how many submissions
wait for a worker, for a "grading…" message. Guests have no account: ``grade_only`` grades
without storing.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from grader import storage
from grader.problems import default_bank
from grader.problems.grading import PartResult, grade_part
from grader.problems.instance import instantiate

__all__ = ["GradingService", "Outcome", "verdict_record", "grade_submission", "Queue",
           "service_from_environment"]


@dataclass(frozen=True)
class Outcome:
    """What a page shows after Submit: the stored id, and the verdict once there is one."""

    submission_id: int | None
    status: str                      # "graded", "pending" or "failed"
    verdict: dict[str, Any] | None   # verdict_record(...) of the result, once graded
    message: str = ""                # for "failed": what went wrong, for the student


class Queue(Protocol):
    """Where submissions go when they are graded elsewhere (a Celery queue, in grader.worker)."""

    def enqueue(self, submission_id: int) -> None: ...


def verdict_record(result: PartResult) -> dict[str, Any]:
    """Everything a page or report needs about a graded part, as JSON values."""
    verdict = result.verdict
    return {**result.to_dict(), "status": verdict.status, "read_as": verdict.read_as,
            "error": verdict.error, "error_offset": verdict.error_offset,
            "error_caret": verdict.error_caret, "counterexample": verdict.counterexample,
            "notes": list(verdict.notes), "mistake": result.mistake,
            "details": dict(verdict.details)}


def grade_submission(problem_id: str, part_id: str, seed: int, response: str,
                     problems_directory=None) -> dict[str, Any]:
    """Grade one response (used in-process and by queue workers alike)."""
    problem = default_bank(problems_directory).get(problem_id)
    return verdict_record(grade_part(instantiate(problem, seed), part_id, response))


class GradingService:
    def __init__(self, db: storage.Database, *, queue: Queue | None = None,
                 queued_kinds: Collection[str] | None = None, problems_directory=None) -> None:
        """``queued_kinds``: the answer kinds (``"code"``, ``"expression"``, ...) the queue
        grades; None means every kind. Other kinds are graded in this process."""
        self.db = db
        self.queue = queue
        self.queued_kinds = None if queued_kinds is None else frozenset(queued_kinds)
        self.problems_directory = problems_directory

    def _queues(self, answer_kind: str) -> bool:
        return self.queued_kinds is None or answer_kind in self.queued_kinds

    def submit(self, *, account_id: int, problem_id: str, part_id: str, seed: int,
               response: str, idempotency_key: str, answer_kind: str = "") -> Outcome:
        """Store, then grade (here or by the queue). Never loses the submission."""
        stored = storage.store_submission(
            self.db, account_id=account_id, problem_id=problem_id, part_id=part_id, seed=seed,
            answer_kind=answer_kind or "text", response=response,
            idempotency_key=idempotency_key)
        submission_id = stored.id
        if stored.status == "graded":             # a retried click: the verdict stands
            return Outcome(submission_id, "graded", stored.verdict)
        if self.queue is not None and self._queues(answer_kind or "text"):
            try:
                self.queue.enqueue(submission_id)
            except Exception as exc:  # broker down: the answer is stored; a retried click re-sends
                message = (f"grading is unavailable right now ({type(exc).__name__}); your "
                           "answer is saved: submit again in a moment")
                storage.record_grading_error(self.db, submission_id, message)
                return Outcome(submission_id, "failed", None, message)
            return Outcome(submission_id, "pending", None)
        try:
            record = grade_submission(problem_id, part_id, seed, response,
                                      self.problems_directory)
        except Exception as exc:  # the submission is stored; say so, and let it be regraded
            message = f"grading failed ({type(exc).__name__}); your answer is saved"
            storage.record_grading_error(self.db, submission_id, message)
            return Outcome(submission_id, "failed", None, message)
        storage.record_verdict(self.db, submission_id, record)
        return Outcome(submission_id, "graded", storage.get_submission(self.db,
                                                                      submission_id).verdict)

    def poll(self, submission_id: int) -> Outcome:
        submission = storage.get_submission(self.db, submission_id)
        if submission.status == "graded":
            return Outcome(submission_id, "graded", submission.verdict)
        if submission.status == "failed":
            return Outcome(submission_id, "failed", None, submission.feedback or "")
        return Outcome(submission_id, "pending", None)

    def queue_depth(self) -> int | None:
        """Submissions waiting for a worker (None without a queue, or if it cannot tell)."""
        depth = getattr(self.queue, "depth", None)
        if depth is None:
            return None
        try:
            return int(depth())
        except Exception:  # a progress hint is not worth an error page
            return None

    def grade_only(self, problem_id: str, part_id: str, seed: int, response: str) -> dict:
        """Grade without storing (guests keep their progress in the browser session)."""
        return grade_submission(problem_id, part_id, seed, response, self.problems_directory)


def service_from_environment(db: storage.Database, *, problems_directory=None,
                             environ: Mapping[str, str] | None = None) -> GradingService:
    """The app's service: a Celery queue when ``GRADER_BROKER_URL`` is set (code answers; all
    answers with ``GRADER_QUEUE_MATH=1``), else grading in this process."""
    environ = os.environ if environ is None else environ
    broker_url = environ.get("GRADER_BROKER_URL", "").strip()
    queue = None
    if broker_url:
        from grader.worker import CeleryQueue  # imports Celery only when it is used

        queue = CeleryQueue(broker_url)
    queue_math = environ.get("GRADER_QUEUE_MATH", "").strip() == "1"
    return GradingService(db, queue=queue, queued_kinds=None if queue_math else {"code"},
                          problems_directory=problems_directory)
