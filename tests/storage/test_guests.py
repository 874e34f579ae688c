"""Tests for grader/storage/guests.py."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest

from grader.storage import (
    Database,
    GuestSubmission,
    InvalidSubmission,
    InvalidVerdict,
    UsernameTaken,
    create_account,
    create_account_from_guest,
    find_account,
    list_attempts,
    part_statuses,
    record_submission,
    sign_in,
)

START = datetime(2026, 3, 1, 14, 0, tzinfo=timezone.utc)


def guest_work() -> list[GuestSubmission]:
    return [
        GuestSubmission("p1", "a", 4, "number", "3", START, {"score": 0.0, "correct": False}, "guest-key-0001"),
        GuestSubmission("p1", "a", 4, "number", "4", START + timedelta(minutes=2), {"score": 1.0, "correct": True}),
        GuestSubmission("p2", "a", 0, "expression", "x^2", START + timedelta(minutes=5)),
    ]


def test_guest_becomes_an_account_with_its_work(db: Database) -> None:
    """The account is created and each guest submission is imported with its own time and verdict."""
    result = create_account_from_guest(db, "Gail", "long enough", guest_work())
    assert result.account.username == "gail" and result.account.role == "student"
    attempts = list_attempts(db, result.account.id)
    assert [a.id for a in attempts] == list(result.submission_ids)
    assert [(a.response, a.status, a.score, a.imported) for a in attempts] == [
        ("3", "graded", 0.0, True),
        ("4", "graded", 1.0, True),
        ("x^2", "pending", None, True),
    ]
    assert attempts[1].submitted_at == START + timedelta(minutes=2)
    assert attempts[0].idempotency_key == "guest-key-0001"
    assert sign_in(db, "gail", "long enough").account == result.account
    assert [s.solved for s in part_statuses(db, result.account.id)] == [True, False]


def test_imported_keys_still_deduplicate(db: Database) -> None:
    """A retry of a guest click after sign-up (same key) returns the imported submission."""
    result = create_account_from_guest(db, "gail", "long enough", guest_work())
    again = record_submission(
        db,
        account_id=result.account.id,
        problem_id="p1",
        part_id="a",
        seed=4,
        answer_kind="number",
        response="3",
        idempotency_key="guest-key-0001",
    )
    assert again == result.submission_ids[0]


def test_nothing_is_kept_when_the_username_is_taken(db: Database) -> None:
    """All or nothing: a taken username imports nothing, and the guest can try another name."""
    create_account(db, "gail", "long enough")
    with pytest.raises(UsernameTaken):
        create_account_from_guest(db, "gail", "long enough", guest_work())
    assert list_attempts(db, find_account(db, "gail").id) == []  # type: ignore[union-attr]
    assert len(create_account_from_guest(db, "gail2", "long enough", guest_work()).submission_ids) == 3


BAD_GUESTS = [
    (GuestSubmission("p1", "", 1, "number", "3", START), InvalidSubmission, "guest submission 1: part_id is empty"),
    (
        GuestSubmission("p1", "a", 1, "number", "3", datetime(2026, 3, 1)),
        InvalidSubmission,
        "guest submission 1: submitted_at must be a timezone-aware datetime",
    ),
    (
        GuestSubmission("p1", "a", 1, "number", "3", START, {"score": "A+"}),
        InvalidVerdict,
        "guest submission 1: verdict['score'] must be a finite number",
    ),
    (
        GuestSubmission("p1", "a", 1, "number", "3", START, None, "guest-key-0001"),
        InvalidSubmission,
        "two guest submissions share an idempotency key",
    ),
]


@pytest.mark.parametrize(("bad", "error", "message"), BAD_GUESTS)
def test_bad_guest_submissions_create_nothing(db: Database, bad: GuestSubmission, error: type, message: str) -> None:
    """A guest submission that cannot be stored is named by position, and no account is created."""
    with pytest.raises(error, match=re.escape(message)):
        create_account_from_guest(db, "gail", "long enough", [guest_work()[0], bad])
    assert find_account(db, "gail") is None


def test_guest_with_no_work(db: Database) -> None:
    """Signing up as a guest who submitted nothing is just creating an account."""
    result = create_account_from_guest(db, "gail", "long enough", [])
    assert result.submission_ids == () and find_account(db, "gail") == result.account
