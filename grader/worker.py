"""Grading on Celery workers over Redis: the task, the queue the app sends to, the worker set-up.

    # a worker machine: the broker, the database and the problem bank, nothing else
    GRADER_BROKER_URL=redis://queue:6379/0 DATABASE_URL=postgresql://... \\
        python -m grader worker --concurrency 2        # = celery -A grader.worker worker ...

    # the app: submissions go to the queue; poll() shows the verdict once a worker wrote it
    service = GradingService(db, queue=queue_from_environment())   # None without the variable

The task message is only the submission id. A worker reads the stored submission, grades it
with the same ``grade_submission`` the app uses in-process, and writes the verdict with the
conditional ``storage.record_verdict``. What makes that exactly once:

* **Acks late, rejected when the worker is lost.** A message is acknowledged only after its
  verdict is written. If the process grading it dies (SIGKILL, out of memory, the hard time
  limit), the prefork parent puts the message back at once; if the whole worker machine dies,
  Redis hands it to another worker after the visibility timeout (``GRADER_VISIBILITY_TIMEOUT``).
* **Idempotent.** A redelivered job whose submission is graded already does nothing; two
  workers finishing the same submission write one verdict (the conditional update), the other
  gets False and its work is discarded.
* **Bounded.** Every delivery of a message counts a try in Redis (key ``grader:tries:<task id>``)
  before grading starts. A job delivered more than ``GRADER_MAX_TRIES`` times (default 3)
  because it keeps killing workers is not graded again: it gets a verdict of status
  ``unknown``, score 0, saying it could not be graded. A verdict rather than the ``failed``
  status because it is final (a late redelivery cannot grade it again and crash another
  worker) while an instructor's regrade can still replace it.
* **Recovery.** The database, not Redis, is the record: if the broker loses its jobs (a
  restart without persistence), ``python -m grader worker --requeue-pending MINUTES`` sends
  every submission still pending after that long again (``requeue_pending``).
* **Errors.** If grading raises, the submission is marked ``failed`` with the same message as
  in-process grading. If the database or the sandbox is unavailable, the job is retried with
  backoff (``RETRIES`` times); the submission stays stored whatever happens.

Process model: Celery's prefork pool with one sandbox worker per pool process. The Celery
parent process imports the grader and loads the problem bank once (its pool processes inherit
them), but never imports torch, starts a thread of ours or a sandbox; each pool process, after
the fork, sets one torch thread, starts its own ``SandboxPool`` (whose zygotes it spawns with
``subprocess``, so nothing forks a threaded process) and opens its own database engine. One
pool process grades one submission at a time, so ``--concurrency`` (default: the CPU count)
is both the number of parallel gradings and of sandbox zygotes on the machine.
"""

from __future__ import annotations

import logging
import os
import uuid
from typing import Any

from celery import Celery, signals

__all__ = ["app", "grade", "CeleryQueue", "queue_from_environment", "could_not_be_graded",
           "requeue_pending", "queue_depth", "QUEUE", "MAX_TRIES"]

log = logging.getLogger(__name__)

QUEUE = "grading"                 # the one Redis list the app sends to and workers consume
TASK = "grader.grade"
MAX_TRIES = int(os.environ.get("GRADER_MAX_TRIES", "3"))
RETRIES = 5                       # retries for an unavailable database or sandbox
# A job's hard limit: code runs at most 60 s in the sandbox (the spec's bound), math checks a
# few seconds; beyond this the pool process is killed and the job counts one try.
TIME_LIMIT = float(os.environ.get("GRADER_TIME_LIMIT", "150"))
# Seconds an unacknowledged job stays with a worker that went silent before Redis gives it to
# another one. Longer than TIME_LIMIT, or a slow job may run twice (still one verdict).
VISIBILITY_TIMEOUT = float(os.environ.get("GRADER_VISIBILITY_TIMEOUT", "300"))
TRIES_KEPT = 7 * 24 * 3600        # seconds a try counter lives in Redis


def make_app(broker_url: str | None) -> Celery:
    """A Celery app for the grading queue (workers and senders share these settings)."""
    celery = Celery("grader", broker=broker_url, set_as_current=False)
    celery.conf.update(
        task_default_queue=QUEUE,
        task_serializer="json", accept_content=["json"],
        task_ignore_result=True,              # verdicts go to the database, not a result backend
        task_acks_late=True,                  # ack after the verdict is written
        task_reject_on_worker_lost=True,      # a killed pool process: put the job back
        task_acks_on_failure=True,
        task_acks_on_timeout=False,           # hard time limit: put it back too (counts a try)
        task_time_limit=TIME_LIMIT,
        worker_prefetch_multiplier=1,         # never hold a job another worker could start
        worker_proc_alive_timeout=120.0,      # a pool process starts torch and a sandbox (~5 s)
        worker_cancel_long_running_tasks_on_connection_loss=False,
        worker_hijack_root_logger=False,
        broker_connection_retry_on_startup=True,
        broker_transport_options={
            "visibility_timeout": VISIBILITY_TIMEOUT,
            # look for jobs of dead workers every few seconds, not every 100 s
            "unacked_restore_interval": max(1.0, min(10.0, VISIBILITY_TIMEOUT / 5)),
            "unacked_restore_throttle": 1,
        },
    )
    return celery


app = make_app(os.environ.get("GRADER_BROKER_URL"))


# ----------------------------------------------------------------------------------------------
# The app side


class CeleryQueue:
    """The ``Queue`` a ``GradingService`` sends submissions to: one Celery task per submission."""

    def __init__(self, broker_url: str) -> None:
        self.broker_url = broker_url
        self._app = make_app(broker_url)

    def enqueue(self, submission_id: int) -> None:
        # A fresh task id per send: a redelivery of this message keeps it (and counts a try),
        # a second send of the same submission (a retried click) is a job of its own.
        self._app.send_task(TASK, args=[int(submission_id)], queue=QUEUE,
                            task_id=f"submission-{int(submission_id)}-{uuid.uuid4().hex[:12]}")

    def depth(self) -> int:
        """Jobs waiting in the queue (not counting the ones being graded)."""
        return queue_depth(self._redis())

    def _redis(self):
        import redis

        return redis.Redis.from_url(self.broker_url)

    def close(self) -> None:
        self._app.close()


def queue_from_environment(environ: dict[str, str] | None = None) -> CeleryQueue | None:
    """A ``CeleryQueue`` on ``$GRADER_BROKER_URL``, or None (grade in-process) when it is unset."""
    url = (environ if environ is not None else os.environ).get("GRADER_BROKER_URL", "").strip()
    return CeleryQueue(url) if url else None


def requeue_pending(db, queue, older_than: float, *, limit: int = 100_000) -> list[int]:
    """Send again every submission still pending ``older_than`` seconds after it was stored.

    For recovery after the broker lost its jobs (a Redis restart without persistence). A
    submission whose job is in fact still queued gets a second job, which finds it graded
    and does nothing: sending again is always safe.
    """
    from datetime import timedelta

    from grader import storage

    cutoff = db.now() - timedelta(seconds=older_than)
    stale = [s.id for s in storage.list_ungraded(db, limit=limit)
             if s.status == "pending" and s.submitted_at <= cutoff]
    for submission_id in stale:
        queue.enqueue(submission_id)
    return stale


def queue_depth(client) -> int:
    """Jobs waiting in the grading queue of the Redis ``client`` (kombu keeps one list per priority)."""
    keys = [QUEUE] + [f"{QUEUE}\x06\x16{step}" for step in (1, 2, 3, 4, 5, 6, 7, 8, 9)]
    pipe = client.pipeline()
    for key in keys:
        pipe.llen(key)
    return sum(int(n) for n in pipe.execute())


# ----------------------------------------------------------------------------------------------
# The worker side: per pool process state, started after the fork


class _Process:
    """What one pool process keeps: its database, its Redis client, its sandbox."""

    db = None
    redis = None
    pool = None


def _prepare_process(**_: Any) -> None:
    """Set up this pool process: one torch thread, its own sandbox, database and Redis client."""
    if _Process.db is not None:
        return
    for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ[name] = "1"   # before torch is imported here: no OpenMP pool to break
    import redis
    import torch

    from grader import storage
    from grader.answers import code
    from grader.problems import default_bank
    from grader.sandbox import SandboxPool

    torch.set_num_threads(1)
    pool = SandboxPool(size=int(os.environ.get("GRADER_SANDBOX_SIZE", "1"))).start()
    code.configure_pool(pool)
    _Process.pool = pool
    # The app migrates; a worker only reads and writes submissions.
    _Process.db = storage.open_database(migrate=False)
    _Process.redis = redis.Redis.from_url(app.conf.broker_url)
    default_bank()              # load the problem bank now, not during the first job
    log.info("grading process %d ready (sandbox of %d)", os.getpid(), pool.size)


def _preload(**_: Any) -> None:
    """In the Celery parent, before it forks: import the grader and load the problem bank once,
    so pool processes start with them (copy-on-write). Neither imports torch or starts a thread."""
    from grader.problems import default_bank
    from grader.service import grade_submission  # noqa: F401

    default_bank()


def _close_process(**_: Any) -> None:
    if _Process.pool is not None:
        _Process.pool.close()
    if _Process.db is not None:
        _Process.db.close()


signals.worker_init.connect(_preload, weak=False)
signals.worker_process_init.connect(_prepare_process, weak=False)
signals.worker_process_shutdown.connect(_close_process, weak=False)


def count_try(task_id: str, retries: int) -> int:
    """Count one more delivery of this job (a retry is a job of its own) and return the count."""
    key = f"grader:tries:{task_id}:{retries}"
    pipe = _Process.redis.pipeline()
    pipe.incr(key)
    pipe.expire(key, TRIES_KEPT)
    return int(pipe.execute()[0])


def could_not_be_graded(submission, tries: int) -> dict[str, Any]:
    """The final verdict of a job that stopped a grading worker ``tries`` times."""
    from grader.answers.base import Status, Verdict
    from grader.problems.grading import PartResult
    from grader.service import verdict_record

    feedback = (f"This submission could not be graded: grading it stopped the grading worker "
                f"{tries} times. Your answer is saved; your instructor can regrade it.")
    result = PartResult(submission.problem_id, submission.part_id, submission.seed,
                        Verdict(False, 0.0, Status.UNKNOWN, feedback), feedback)
    record = verdict_record(result)
    record["details"] = {"grading": "abandoned", "tries": tries}
    return record


@app.task(name=TASK, bind=True, max_retries=RETRIES)
def grade(self, submission_id: int) -> str:
    """Grade one stored submission and write its verdict once; returns what happened."""
    from sqlalchemy.exc import InterfaceError, OperationalError

    from grader import storage
    from grader.sandbox import SandboxError
    from grader.service import grade_submission

    _prepare_process()          # no-op after worker_process_init; needed with --pool solo
    db = _Process.db
    tries = count_try(self.request.id, self.request.retries)
    try:
        submission = storage.get_submission(db, submission_id)
        if submission.status == "graded":
            return "already graded"
        if tries > MAX_TRIES:
            storage.record_verdict(db, submission_id, could_not_be_graded(submission, tries - 1))
            log.error("submission %d abandoned after %d tries", submission_id, tries - 1)
            return "abandoned"
        try:
            record = grade_submission(submission.problem_id, submission.part_id,
                                      submission.seed, submission.response)
        except SandboxError:
            raise
        except Exception as exc:  # the same outcome as grading in the app's process
            log.exception("grading submission %d failed", submission_id)
            storage.record_grading_error(
                db, submission_id, f"grading failed ({type(exc).__name__}); your answer is saved")
            return "failed"
        written = storage.record_verdict(db, submission_id, record)
        return "graded" if written else "duplicate"
    except (OperationalError, InterfaceError, SandboxError) as exc:
        # The database or the sandbox is unavailable, not the submission at fault: try later.
        raise self.retry(exc=exc, countdown=min(60, 2 ** self.request.retries))
