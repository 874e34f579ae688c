"""The grading task's decisions, run in this process (no broker, no worker): fast."""

from __future__ import annotations

import subprocess
import sys
import uuid

import pytest

import grader.worker as worker
from grader import storage
from grader.service import grade_submission

from .conftest import cheap_database


@pytest.fixture
def process(tmp_path, monkeypatch):
    """This process set up as a grading process on a SQLite file, with one stored submission."""
    url = f"sqlite:///{tmp_path / 'grader.sqlite3'}"
    storage.migrate(url)
    db = cheap_database(url)
    account = storage.create_account(db, "dana", "correct horse battery")
    submission_id = storage.record_submission(
        db, account_id=account.id, problem_id="eigen-2x2", part_id="eigenvalues", seed=0,
        answer_kind="text", response="2, 3", idempotency_key=str(uuid.uuid4()))
    counter = {}

    class Redis:
        def pipeline(self):
            return Pipeline()

    class Pipeline:
        def incr(self, key):
            counter[key] = counter.get(key, 0) + 1
            self.key = key

        def expire(self, key, seconds):
            pass

        def execute(self):
            return [counter[self.key], True]

    monkeypatch.setattr(worker._Process, "db", db)
    monkeypatch.setattr(worker._Process, "redis", Redis())
    yield db, submission_id, counter
    db.close()


def run(submission_id, task_id="submission-1-test"):
    return worker.grade.apply(args=[submission_id], task_id=task_id).get()


def test_a_job_grades_and_writes_the_verdict_once(process):
    """The first delivery writes the in-process verdict; a redelivery does nothing."""
    db, submission_id, counter = process
    assert run(submission_id) == "graded"
    assert storage.get_submission(db, submission_id).verdict == grade_submission(
        "eigen-2x2", "eigenvalues", 0, "2, 3")
    assert run(submission_id) == "already graded"
    assert counter == {"grader:tries:submission-1-test:0": 2}


def test_a_job_delivered_too_often_is_not_graded_again(process, monkeypatch):
    """After MAX_TRIES deliveries the next one writes the "could not be graded" verdict."""
    db, submission_id, counter = process
    monkeypatch.setattr(worker, "MAX_TRIES", 2)
    counter["grader:tries:submission-1-test:0"] = 2          # two deliveries crashed before
    assert run(submission_id) == "abandoned"
    verdict = storage.get_submission(db, submission_id).verdict
    assert (verdict["status"], verdict["score"], verdict["correct"]) == ("unknown", 0.0, False)
    assert verdict["feedback"].startswith("This submission could not be graded: grading it "
                                          "stopped the grading worker 2 times.")
    assert set(verdict) == set(grade_submission("eigen-2x2", "eigenvalues", 0, "2, 3"))


def test_a_grading_error_marks_the_submission_failed_as_in_process(process, monkeypatch):
    """An exception while grading gives the same "failed" message as in-process grading."""
    db, submission_id, _ = process

    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("grader.service.grade_submission", boom)
    assert run(submission_id) == "failed"
    stored = storage.get_submission(db, submission_id)
    assert (stored.status, stored.feedback) == (
        "failed", "grading failed (RuntimeError); your answer is saved")


def test_queue_from_environment():
    """Without GRADER_BROKER_URL there is no queue; with it, a Celery queue on that URL."""
    assert worker.queue_from_environment({}) is None
    assert worker.queue_from_environment({"GRADER_BROKER_URL": " "}) is None
    queue = worker.queue_from_environment({"GRADER_BROKER_URL": "redis://127.0.0.1:1/0"})
    assert isinstance(queue, worker.CeleryQueue) and queue.broker_url == "redis://127.0.0.1:1/0"


def test_the_celery_parent_never_imports_torch_nor_starts_threads():
    """What the prefork parent runs before it forks (the module, then the preload) leaves torch
    out and starts no thread, so pool processes start without an OpenMP pool to deadlock in."""
    code = ("import sys, threading, grader.worker; grader.worker._preload(); "
            "print('torch' in sys.modules, threading.active_count())")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.split() == ["False", "1"]


def test_worker_command_without_a_broker_says_what_to_set(monkeypatch, capsys):
    """`python -m grader worker` with no broker exits 2 and names the variable."""
    from grader.cli import main

    monkeypatch.delenv("GRADER_BROKER_URL", raising=False)
    assert main(["worker"]) == 2
    assert "set GRADER_BROKER_URL" in capsys.readouterr().err


def test_requeue_sends_only_submissions_pending_for_long_enough(process):
    """requeue_pending re-sends pending submissions older than the age given, never graded ones."""
    db, submission_id, _ = process
    sent = []
    queue = type("Q", (), {"enqueue": lambda self, i: sent.append(i)})()
    assert worker.requeue_pending(db, queue, 3600) == [] and sent == []
    assert worker.requeue_pending(db, queue, 0) == [submission_id] and sent == [submission_id]
    storage.record_verdict(db, submission_id, {"score": 1.0, "correct": True})
    assert worker.requeue_pending(db, queue, 0) == []
