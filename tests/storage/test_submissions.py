"""Tests for grader/storage/submissions.py and verdicts.py: stored first, never duplicated, graded once."""

from __future__ import annotations

import dataclasses
import re
import threading
from typing import Any

import pytest

from grader.storage import (
    Account,
    Database,
    IdempotencyKeyConflict,
    InvalidSubmission,
    InvalidVerdict,
    UnknownAccount,
    UnknownSubmission,
    create_account,
    get_submission,
    list_attempts,
    list_ungraded,
    record_grading_error,
    record_submission,
    record_verdict,
    store_submission,
)

from .conftest import FakeClock

KEY = "3f2b8c1e-8d7a-4e55-9a51-0c1b2d3e4f50"


@pytest.fixture
def alice(db: Database) -> Account:
    return create_account(db, "alice", "long enough")


def answer(account: Account, **changes: Any) -> dict[str, Any]:
    """The keyword arguments of record_submission for a typical answer, with ``changes``."""
    values = dict(
        account_id=account.id,
        problem_id="eigen-2x2",
        part_id="a",
        seed=7,
        answer_kind="expression",
        response="2*x + 1",
        idempotency_key=KEY,
    )
    return {**values, **changes}


def test_submission_is_stored_pending(db: Database, alice: Account, clock: FakeClock) -> None:
    """A recorded submission is readable at once, pending, with every field as given."""
    submission = get_submission(db, record_submission(db, **answer(alice)))
    assert (submission.problem_id, submission.part_id, submission.seed) == ("eigen-2x2", "a", 7)
    assert (submission.answer_kind, submission.response, submission.idempotency_key) == ("expression", "2*x + 1", KEY)
    assert submission.status == "pending" and submission.verdict is None and submission.score is None
    assert submission.submitted_at == clock() and submission.imported is False


def test_retry_with_the_same_key_returns_the_same_id(db: Database, alice: Account, clock: FakeClock) -> None:
    """Sending the same click again, even later, stores nothing new and returns the first id."""
    first = record_submission(db, **answer(alice))
    clock.advance(minutes=5)
    assert record_submission(db, **answer(alice)) == first
    assert [s.id for s in list_attempts(db, alice.id)] == [first]


def test_store_submission_returns_the_row_as_stored(db: Database, alice: Account, clock: FakeClock) -> None:
    """A new answer comes back pending; a retry returns the first click's row, verdict included."""
    stored = store_submission(db, **answer(alice))
    assert stored == get_submission(db, stored.id)
    assert stored.status == "pending" and stored.verdict is None and stored.submitted_at == clock()
    record_verdict(db, stored.id, {"correct": True, "score": 1.0, "feedback": "Right."})
    clock.advance(minutes=5)
    again = store_submission(db, **answer(alice))
    assert again.id == stored.id and again.status == "graded"
    assert again.verdict == {"correct": True, "score": 1.0, "feedback": "Right."}
    assert again == get_submission(db, stored.id)
    with pytest.raises(IdempotencyKeyConflict, match=f"already used for submission {stored.id} "):
        store_submission(db, **answer(alice, response="x"))


def test_same_key_in_another_account_is_independent(db: Database, alice: Account) -> None:
    """Keys are scoped to the account: another user's identical key is another submission."""
    bob = create_account(db, "bob", "long enough")
    assert record_submission(db, **answer(alice)) != record_submission(db, **answer(bob))


CONFLICTS = [
    ({"response": "2*x + 2"}, "differs in response"),
    ({"part_id": "b"}, "differs in part_id"),
    ({"seed": 8, "answer_kind": "number"}, "differs in answer_kind, seed"),
]


@pytest.mark.parametrize(("changes", "message"), CONFLICTS)
def test_key_reused_for_another_answer_is_refused(
    db: Database, alice: Account, changes: dict[str, Any], message: str
) -> None:
    """A key reused for a different answer is a client bug; say so instead of returning the old id."""
    first = record_submission(db, **answer(alice))
    with pytest.raises(IdempotencyKeyConflict, match=f"already used for submission {first} .*{message}"):
        record_submission(db, **answer(alice, **changes))


INVALID = [
    ({"problem_id": ""}, "problem_id is empty"),
    ({"part_id": "x" * 101}, "part_id has 101 characters; at most 100 are stored"),
    ({"seed": "7"}, "seed must be an integer"),
    ({"seed": True}, "seed must be an integer"),
    ({"seed": 2**63}, "seed must be an integer between"),
    ({"response": None}, "response must be text, got NoneType"),
    ({"response": "x" * 100_001}, "the response has 100001 characters; at most 100000 are stored"),
    ({"idempotency_key": "1"}, "too short to be unique; use str(uuid.uuid4()) per Submit click"),
    ({"idempotency_key": "k" * 65}, "idempotency_key has 65 characters; at most 64"),
    ({"answer_kind": 3}, "answer_kind must be text, got int"),
]


@pytest.mark.parametrize(("changes", "message"), INVALID)
def test_invalid_fields_are_refused(db: Database, alice: Account, changes: dict[str, Any], message: str) -> None:
    """Fields that cannot be stored are refused with the field's name and the limit."""
    with pytest.raises(InvalidSubmission, match=re.escape(message)):
        record_submission(db, **answer(alice, **changes))


def test_empty_response_is_an_answer(db: Database, alice: Account) -> None:
    """An empty answer box is still a submission (the grader will say it is empty)."""
    assert get_submission(db, record_submission(db, **answer(alice, response=""))).response == ""


def test_unknown_account(db: Database) -> None:
    """A submission for an account that does not exist is refused and not stored."""
    ghost = Account(id=999, username="ghost", role="student", created_at=None)  # type: ignore[arg-type]
    with pytest.raises(UnknownAccount, match="no account has id 999; the submission was not stored"):
        record_submission(db, **answer(ghost))


VERDICTS = [
    # (verdict, stored score, correct, feedback)
    ({"score": 1.0, "correct": True, "feedback": "Well done."}, 1.0, True, "Well done."),
    ({"score": 0.5, "correct": False, "feedback": "Half."}, 0.5, False, "Half."),
    ({"correct": True}, 1.0, True, None),
    ({"correct": False, "feedback": ["a", "list"]}, 0.0, False, None),
    ({"score": 3, "max": 4}, 3.0, None, None),
    ({"message": "unreadable"}, None, None, None),
]


@pytest.mark.parametrize(("verdict", "score", "correct", "feedback"), VERDICTS)
def test_verdict_columns(
    db: Database,
    alice: Account,
    verdict: dict[str, Any],
    score: float | None,
    correct: bool | None,
    feedback: str | None,
) -> None:
    """score, correct and feedback are copied into columns; the whole verdict is kept as JSON."""
    submission_id = record_submission(db, **answer(alice))
    assert record_verdict(db, submission_id, verdict) is True
    stored = get_submission(db, submission_id)
    assert (stored.status, stored.score, stored.correct, stored.feedback) == ("graded", score, correct, feedback)
    assert stored.verdict == verdict


def test_verdict_from_a_dataclass(db: Database, alice: Account) -> None:
    """A frozen result dataclass is stored as its fields."""

    @dataclasses.dataclass(frozen=True)
    class Verdict:
        correct: bool
        score: float
        feedback: str

    submission_id = record_submission(db, **answer(alice))
    record_verdict(db, submission_id, Verdict(True, 1.0, "ok"))
    assert get_submission(db, submission_id).verdict == {"correct": True, "score": 1.0, "feedback": "ok"}


BAD_VERDICTS = [
    (["not", "a", "mapping"], "must be a mapping or a dataclass instance, got list"),
    ({"score": float("nan")}, "cannot be stored as JSON"),
    ({"score": "high"}, "verdict['score'] must be a finite number or missing, got 'high'"),
    ({"score": True}, "verdict['score'] must be a finite number"),
    ({"correct": "yes"}, "verdict['correct'] must be true, false or missing, got 'yes'"),
    ({"expr": object()}, "cannot be stored as JSON"),
]


@pytest.mark.parametrize(("verdict", "message"), BAD_VERDICTS)
def test_bad_verdicts_are_refused(db: Database, alice: Account, verdict: Any, message: str) -> None:
    """A verdict that cannot be stored faithfully is refused and the submission stays pending."""
    submission_id = record_submission(db, **answer(alice))
    with pytest.raises(InvalidVerdict, match=re.escape(message)):
        record_verdict(db, submission_id, verdict)
    assert get_submission(db, submission_id).status == "pending"


def test_verdict_is_written_once(db: Database, alice: Account, clock: FakeClock) -> None:
    """The first verdict stands; later ones are refused with False and change nothing."""
    submission_id = record_submission(db, **answer(alice))
    assert record_verdict(db, submission_id, {"score": 1.0, "correct": True}) is True
    graded_at = clock()
    clock.advance(minutes=1)
    assert record_verdict(db, submission_id, {"score": 0.0, "correct": False}) is False
    stored = get_submission(db, submission_id)
    assert (stored.score, stored.correct, stored.graded_at) == (1.0, True, graded_at)


def test_concurrent_workers_write_one_verdict(db: Database, alice: Account) -> None:
    """Eight threads racing to grade one submission: exactly one wins, and its verdict is the stored one."""
    submission_id = record_submission(db, **answer(alice))
    results: dict[int, bool] = {}
    start = threading.Barrier(8)

    def grade(worker: int) -> None:
        start.wait()
        results[worker] = record_verdict(db, submission_id, {"score": worker / 10, "worker": worker})

    threads = [threading.Thread(target=grade, args=(worker,)) for worker in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winners = [worker for worker, won in results.items() if won]
    assert len(results) == 8 and len(winners) == 1
    assert get_submission(db, submission_id).verdict == {"score": winners[0] / 10, "worker": winners[0]}


def test_concurrent_retries_store_one_submission(db: Database, alice: Account) -> None:
    """Eight threads sending the same click at once all get the same id; one row is stored."""
    ids: list[int] = []
    start = threading.Barrier(8)

    def submit() -> None:
        start.wait()
        ids.append(record_submission(db, **answer(alice)))

    threads = [threading.Thread(target=submit) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(ids) == 8 and len(set(ids)) == 1
    assert len(list_attempts(db, alice.id)) == 1


def test_verdict_for_unknown_submission(db: Database) -> None:
    """Grading an id that was never stored is an error, not a silent no-op."""
    with pytest.raises(UnknownSubmission, match="no submission has id 12345"):
        record_verdict(db, 12345, {"score": 1})
    with pytest.raises(UnknownSubmission):
        get_submission(db, 12345)
    with pytest.raises(UnknownSubmission):
        record_grading_error(db, 12345, "boom")


def test_grading_error_then_verdict(db: Database, alice: Account) -> None:
    """A failed grading keeps the answer, shows up as ungraded, and can still get its one verdict."""
    submission_id = record_submission(db, **answer(alice))
    assert record_grading_error(db, submission_id, "grader crashed: TimeoutError") is True
    assert record_grading_error(db, submission_id, "again") is False
    failed = get_submission(db, submission_id)
    assert (failed.status, failed.feedback) == ("failed", "grader crashed: TimeoutError")
    assert [s.id for s in list_ungraded(db)] == [submission_id]
    assert record_verdict(db, submission_id, {"correct": True}) is True
    assert record_grading_error(db, submission_id, "late") is False
    assert list_ungraded(db) == []


def test_attempt_history(db: Database, alice: Account, clock: FakeClock) -> None:
    """Attempts come back oldest first, filtered by problem and part."""
    ids = []
    for number, (problem, part) in enumerate([("p1", "a"), ("p1", "b"), ("p2", "a"), ("p1", "a")]):
        ids.append(
            record_submission(db, **answer(alice, problem_id=problem, part_id=part, idempotency_key=f"key-{number:04}"))
        )
        clock.advance(seconds=30)
    assert [s.id for s in list_attempts(db, alice.id)] == ids
    assert [s.id for s in list_attempts(db, alice.id, problem_id="p1")] == [ids[0], ids[1], ids[3]]
    assert [s.id for s in list_attempts(db, alice.id, problem_id="p1", part_id="a")] == [ids[0], ids[3]]
    assert list_attempts(db, alice.id, problem_id="p9") == []


def test_list_ungraded_is_oldest_first_and_limited(db: Database, alice: Account) -> None:
    """Pending submissions are listed for a worker in the order they came in."""
    ids = [record_submission(db, **answer(alice, idempotency_key=f"key-{n:04}")) for n in range(5)]
    record_verdict(db, ids[1], {"score": 1})
    assert [s.id for s in list_ungraded(db, limit=3)] == [ids[0], ids[2], ids[3]]
