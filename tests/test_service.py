"""The grading service: store first, grade once, never lose a submission."""

from __future__ import annotations

import uuid

import pytest

from grader import storage
from grader.service import GradingService
from storage.conftest import postgres  # noqa: F401  (the session's PostgreSQL server)
from worker.conftest import cheap_database, fresh_database


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)])
def service(request, tmp_path):
    """The service on a fresh database of each kind (PostgreSQL stores in autocommit mode)."""
    url, _ = fresh_database(request.param, request, tmp_path)
    db = cheap_database(url)
    request.addfinalizer(db.close)
    account = storage.create_account(db, "alice", "correct horse battery")
    return GradingService(db), account


def _submit(service, account, response, key=None, part="eigenvalues"):
    return service.submit(account_id=account.id, problem_id="eigen-2x2", part_id=part, seed=0,
                          response=response, idempotency_key=key or str(uuid.uuid4()))


def test_submission_is_stored_and_graded(service):
    """A submission gets an id, a verdict with feedback, and is in the attempt history."""
    svc, account = service
    outcome = _submit(svc, account, "(5+sqrt(5))/2, (5-sqrt(5))/2")
    assert (outcome.status, outcome.verdict["correct"], outcome.verdict["score"]) == (
        "graded", True, 1.0)
    attempts = storage.list_attempts(svc.db, account.id, problem_id="eigen-2x2")
    assert [a.id for a in attempts] == [outcome.submission_id]


def test_retried_click_is_not_graded_twice(service):
    """The same idempotency key returns the same stored verdict."""
    svc, account = service
    key = str(uuid.uuid4())
    first = _submit(svc, account, "2, 3", key=key)
    again = _submit(svc, account, "2, 3", key=key)
    assert again.submission_id == first.submission_id and again.verdict == first.verdict
    assert len(storage.list_attempts(svc.db, account.id)) == 1


def test_unreadable_answer_is_stored_with_its_error(service):
    """An unreadable answer is a graded submission whose verdict carries the located error."""
    svc, account = service
    outcome = _submit(svc, account, "(2, 3")
    assert outcome.verdict["status"] == "invalid" and outcome.verdict["error_offset"] == 0


def test_grading_failure_keeps_the_submission(service, monkeypatch):
    """If grading crashes, the answer is kept and marked failed, with a message."""
    svc, account = service
    import grader.service as module

    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(module, "grade_submission", boom)
    outcome = _submit(svc, account, "2, 3")
    assert outcome.status == "failed" and "your answer is saved" in outcome.message
    stored = storage.get_submission(svc.db, outcome.submission_id)
    assert (stored.response, stored.status) == ("2, 3", "failed")
    assert svc.poll(outcome.submission_id).status == "failed"


def test_queue_mode_returns_pending(service):
    """With a queue, submit stores and enqueues; poll says pending until a verdict exists."""
    svc, account = service
    queued = []
    svc.queue = type("Q", (), {"enqueue": lambda self, i: queued.append(i)})()
    outcome = _submit(svc, account, "2, 3")
    assert outcome.status == "pending" and queued == [outcome.submission_id]
    assert svc.poll(outcome.submission_id).status == "pending"
    storage.record_verdict(svc.db, outcome.submission_id, {"score": 0.0, "correct": False,
                                                           "feedback": "no"})
    assert svc.poll(outcome.submission_id).status == "graded"


def test_guest_grading_stores_nothing(service):
    """grade_only returns the verdict and writes no row."""
    svc, account = service
    record = svc.grade_only("eigen-2x2", "eigenvalues", 0, "2, 3")
    assert record["mistake"] == 0 and storage.list_attempts(svc.db, account.id) == []


def test_unreachable_queue_marks_failed_and_the_same_click_resends(service):
    """If the queue cannot be reached the answer is kept as failed; retrying the click re-sends."""
    svc, account = service
    sent = []

    class Flaky:
        def enqueue(self, submission_id):
            if not sent:
                sent.append(None)
                raise ConnectionError("broker down")
            sent.append(submission_id)

    svc.queue = Flaky()
    key = str(uuid.uuid4())
    first = _submit(svc, account, "2, 3", key=key)
    assert first.status == "failed" and "your answer is saved" in first.message
    assert "ConnectionError" in svc.poll(first.submission_id).message
    again = _submit(svc, account, "2, 3", key=key)
    assert (again.status, sent) == ("pending", [None, first.submission_id])


def test_queue_depth_is_none_without_a_queue_that_can_tell(service):
    """queue_depth asks the queue if it can, and never raises for a progress hint."""
    svc, _ = service
    assert svc.queue_depth() is None
    svc.queue = type("Q", (), {"enqueue": lambda self, i: None, "depth": lambda self: 7})()
    assert svc.queue_depth() == 7
    svc.queue = type("Q", (), {"enqueue": lambda self, i: None, "depth": lambda self: 1 / 0})()
    assert svc.queue_depth() is None


def test_only_the_queued_kinds_go_to_the_queue(service):
    """With queued_kinds={"code"}, a math answer is graded here and a code answer is queued."""
    svc, account = service
    queued = []
    svc = GradingService(svc.db, queue=type("Q", (), {"enqueue": lambda self, i: queued.append(i)})(),
                         queued_kinds={"code"})
    math = svc.submit(account_id=account.id, problem_id="eigen-2x2", part_id="eigenvalues",
                      seed=0, response="2, 3", idempotency_key=str(uuid.uuid4()),
                      answer_kind="set")
    code = svc.submit(account_id=account.id, problem_id="hessian-autograd", part_id="code",
                      seed=0, response="def hessian(f, x):\n    return x\n",
                      idempotency_key=str(uuid.uuid4()), answer_kind="code")
    assert (math.status, math.verdict["correct"]) == ("graded", False)
    assert (code.status, queued) == ("pending", [code.submission_id])


def test_service_from_environment(tmp_path):
    """No broker: grade here. A broker: code is queued, math too with GRADER_QUEUE_MATH=1."""
    from grader.service import service_from_environment
    from grader.worker import CeleryQueue

    db = storage.open_database(f"sqlite:///{tmp_path}/grader.sqlite3")
    assert service_from_environment(db, environ={}).queue is None
    broker = {"GRADER_BROKER_URL": "redis://127.0.0.1:1/0"}   # nothing is sent here
    code_only = service_from_environment(db, environ=broker)
    assert isinstance(code_only.queue, CeleryQueue)
    assert code_only.queue.broker_url == broker["GRADER_BROKER_URL"]
    assert code_only.queued_kinds == frozenset({"code"})
    everything = service_from_environment(db, environ={**broker, "GRADER_QUEUE_MATH": "1"})
    assert everything.queued_kinds is None
