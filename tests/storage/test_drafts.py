"""Tests for grader/storage/drafts.py."""

from __future__ import annotations

import pytest

from grader.storage import (
    Database,
    InvalidSubmission,
    UnknownAccount,
    create_account,
    discard_draft,
    load_draft,
    save_draft,
)

from .conftest import FakeClock


def test_draft_round_trip(db: Database, clock: FakeClock) -> None:
    """A saved draft comes back with its time; saving again replaces it."""
    alice = create_account(db, "alice", "long enough")
    where = dict(account_id=alice.id, problem_id="p1", part_id="a", seed=3)
    assert load_draft(db, **where) is None
    save_draft(db, **where, text="\\frac{1}{2}")
    clock.advance(minutes=2)
    saved = save_draft(db, **where, text="\\frac{1}{3}")
    restored = load_draft(db, **where)
    assert restored == saved and restored is not None
    assert (restored.text, restored.saved_at) == ("\\frac{1}{3}", clock())


KEYS = [
    # a draft saved for (p1, a, seed 3) must not show up under these
    {"problem_id": "p2"},
    {"part_id": "b"},
    {"seed": 4},
]


@pytest.mark.parametrize("other", KEYS)
def test_drafts_are_per_problem_part_and_seed(db: Database, other: dict[str, object]) -> None:
    """Another problem, part or seed has its own draft."""
    alice = create_account(db, "alice", "long enough")
    where = dict(account_id=alice.id, problem_id="p1", part_id="a", seed=3)
    save_draft(db, **where, text="mine")
    assert load_draft(db, **{**where, **other}) is None  # type: ignore[arg-type]


def test_drafts_are_per_account(db: Database) -> None:
    """One student's draft is invisible to another."""
    alice = create_account(db, "alice", "long enough")
    bob = create_account(db, "bob", "long enough")
    save_draft(db, account_id=alice.id, problem_id="p1", part_id="a", seed=3, text="mine")
    assert load_draft(db, account_id=bob.id, problem_id="p1", part_id="a", seed=3) is None


def test_discard_draft(db: Database) -> None:
    """Discarding removes the draft and reports whether there was one."""
    alice = create_account(db, "alice", "long enough")
    where = dict(account_id=alice.id, problem_id="p1", part_id="a", seed=3)
    save_draft(db, **where, text="x")
    assert discard_draft(db, **where) is True
    assert discard_draft(db, **where) is False
    assert load_draft(db, **where) is None


def test_draft_errors(db: Database) -> None:
    """Drafts for unknown accounts or with bad keys are refused."""
    with pytest.raises(UnknownAccount, match="no account has id 42; the draft was not saved"):
        save_draft(db, account_id=42, problem_id="p1", part_id="a", seed=3, text="x")
    with pytest.raises(InvalidSubmission, match="seed must be an integer"):
        load_draft(db, account_id=1, problem_id="p1", part_id="a", seed=None)  # type: ignore[arg-type]
