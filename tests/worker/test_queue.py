"""Grading through Celery and Redis, end to end: real servers, real worker processes, SIGKILL."""

from __future__ import annotations

import os
import signal
import time
import uuid
from pathlib import Path

import pytest
import redis
from sqlalchemy.engine import make_url

from grader import storage
from grader.cli import main
from grader.service import GradingService, grade_submission
from grader.worker import CeleryQueue

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
HESSIAN = (ROOT / "problems/solutions/hessian-autograd.py").read_text()
# Correct, but takes its time: long enough to kill the worker grading it.
SLOW_HESSIAN = "import time\ntime.sleep(2.5)\n" + HESSIAN
WRONG_HESSIAN = "import torch\n\ndef hessian(f, x):\n    return torch.zeros(x.numel(), x.numel())\n"

ANSWERS = [  # (problem, part, seed, response)
    ("eigen-2x2", "eigenvalues", 0, "(5+sqrt(5))/2, (5-sqrt(5))/2"),
    ("eigen-2x2", "eigenvalues", 0, "2, 3"),
    ("eigen-2x2", "eigenvalues", 0, "(2, 3"),
    ("hessian-autograd", "code", 3, HESSIAN),
    ("hessian-autograd", "code", 3, WRONG_HESSIAN),
]


def submit(service: GradingService, account_id: int, problem: str, part: str, seed: int,
           response: str):
    return service.submit(account_id=account_id, problem_id=problem, part_id=part, seed=seed,
                          response=response, idempotency_key=str(uuid.uuid4()))


def wait_graded(service: GradingService, submission_id: int, timeout: float = 60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        outcome = service.poll(submission_id)
        if outcome.status != "pending":
            return outcome
        time.sleep(0.05)
    raise AssertionError(f"submission {submission_id} still pending after {timeout} s")


def tries(broker_url: str) -> dict[str, int]:
    client = redis.Redis.from_url(broker_url)
    return {key.decode(): int(client.get(key)) for key in client.scan_iter("grader:tries:*")}


def wait_for(condition, timeout: float = 30.0, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_queued_submissions_get_the_same_verdicts_as_in_process(stack_factory, kind, monkeypatch,
                                                                capsys):
    """Math and code answers graded by a worker get exactly the verdicts the app would give,
    also after the broker lost the jobs and they were sent again from the database."""
    stack = stack_factory(kind)
    account = storage.create_account(stack.db, "alice", "correct horse battery")
    service = GradingService(stack.db, queue=CeleryQueue(stack.broker_url))
    # Sent before any worker runs: the job waits in Redis.
    outcomes = [submit(service, account.id, *answer) for answer in ANSWERS]
    assert {o.status for o in outcomes} == {"pending"} and service.queue_depth() == len(ANSWERS)
    redis.Redis.from_url(stack.broker_url).delete("grading")     # as a restart without persistence
    assert service.queue_depth() == 0
    monkeypatch.setenv("GRADER_BROKER_URL", stack.broker_url)
    monkeypatch.setenv("DATABASE_URL", stack.database_url)
    assert main(["worker", "--requeue-pending", "0"]) == 0
    assert capsys.readouterr().out.startswith(f"sent {len(ANSWERS)} pending submissions")
    assert service.queue_depth() == len(ANSWERS)
    stack.worker("w1").wait_ready()
    for outcome, (problem, part, seed, response) in zip(outcomes, ANSWERS):
        graded = wait_graded(service, outcome.submission_id)
        assert graded.status == "graded"
        assert graded.verdict == grade_submission(problem, part, seed, response)
    assert service.queue_depth() == 0


def test_a_worker_needs_no_access_to_accounts(stack_factory):
    """The worker's database role (see docs/deploy.md) cannot read accounts or sessions."""
    import psycopg

    stack = stack_factory("postgresql")
    with psycopg.connect(stack.worker_database_url) as connection:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            connection.execute("SELECT password_hash FROM accounts")


def test_worker_killed_mid_job_the_job_is_graded_once_by_another(stack_factory):
    """SIGKILL of the whole worker grading a job: Redis redelivers it, one verdict is written."""
    stack = stack_factory("postgresql")
    account = storage.create_account(stack.db, "bob", "correct horse battery")
    service = GradingService(stack.db, queue=CeleryQueue(stack.broker_url))
    first = stack.worker("first")
    first.wait_ready()
    outcome = submit(service, account.id, "hessian-autograd", "code", 0, SLOW_HESSIAN)
    wait_for(lambda: tries(stack.broker_url), what="the job to start")
    time.sleep(0.5)                      # inside the student's sleep
    first.kill()
    assert service.poll(outcome.submission_id).status == "pending"
    second = stack.worker("second")
    second.wait_ready()                  # Redis hands the job back after the visibility timeout
    graded = wait_graded(service, outcome.submission_id, timeout=60)
    assert graded.status == "graded" and graded.verdict["correct"] is True
    assert list(tries(stack.broker_url).values()) == [2]   # delivered twice, graded once
    assert "succeeded" in second.log() and "succeeded" not in first.log()
    assert storage.record_verdict(stack.db, outcome.submission_id, {"score": 0.0}) is False


def test_a_dropped_database_connection_does_not_lose_the_next_job(stack_factory):
    """The database ends the worker's connection between two jobs (a restart, a failover): the
    next job is still graded, on a fresh connection."""
    import psycopg

    stack = stack_factory("postgresql")
    account = storage.create_account(stack.db, "dora", "correct horse battery")
    service = GradingService(stack.db, queue=CeleryQueue(stack.broker_url))
    worker = stack.worker("w1")
    worker.wait_ready()
    first = submit(service, account.id, "hessian-autograd", "code", 3, HESSIAN)
    assert wait_graded(service, first.submission_id).verdict["correct"] is True
    role = make_url(stack.worker_database_url).username
    with psycopg.connect(stack.database_url, autocommit=True) as connection:
        ended = connection.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                   "WHERE usename = %s", (role,)).fetchone()[0]
    assert ended == 1                    # the worker's one pooled connection
    second = submit(service, account.id, "hessian-autograd", "code", 3, WRONG_HESSIAN)
    graded = wait_graded(service, second.submission_id, timeout=60)
    assert graded.status == "graded"
    assert graded.verdict == grade_submission("hessian-autograd", "code", 3, WRONG_HESSIAN)


def test_job_that_keeps_killing_workers_ends_as_could_not_be_graded(stack_factory):
    """A job whose grading process dies is put back at once, whether it was SIGKILLed or hit
    the hard time limit, and after GRADER_MAX_TRIES deliveries gets a final "could not be
    graded" verdict."""
    stack = stack_factory("postgresql")
    account = storage.create_account(stack.db, "carol", "correct horse battery")
    service = GradingService(stack.db, queue=CeleryQueue(stack.broker_url))
    # A long visibility timeout: here only dying pool processes may bring the job back (a
    # restarted pool process can take seconds on a busy machine while its job waits).
    worker = stack.worker("crashy", GRADER_MAX_TRIES="2", GRADER_TIME_LIMIT="1.5",
                          GRADER_VISIBILITY_TIMEOUT="120")
    first_process = worker.wait_ready()[0]
    outcome = submit(service, account.id, "hessian-autograd", "code", 0, SLOW_HESSIAN)
    wait_for(lambda: 1 in tries(stack.broker_url).values(), what="the first try")
    time.sleep(0.3)
    os.kill(first_process, signal.SIGKILL)           # as the OOM killer would
    # The second try sleeps past the 1.5 s hard time limit: Celery kills that process too.
    graded = wait_graded(service, outcome.submission_id, timeout=60)
    assert (graded.status, graded.verdict["status"], graded.verdict["score"]) == (
        "graded", "unknown", 0.0)
    assert "could not be graded" in graded.verdict["feedback"]
    assert graded.verdict["details"] == {"grading": "abandoned", "tries": 2}
    assert list(tries(stack.broker_url).values()) == [3]
    log = worker.log()
    assert "Hard time limit (1.5s) exceeded" in log and len(worker.ready_pids()) == 3
