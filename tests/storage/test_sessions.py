"""Tests for grader/storage/sessions.py and throttle.py: sign-in, rate limits, expiry, sign-out."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from grader.storage import (
    Database,
    SessionExpired,
    SignInFailed,
    TooManyAttempts,
    UnknownSession,
    authenticate,
    create_account,
    open_database,
    set_password,
    sign_in,
    sign_out,
    sign_out_everywhere,
)

from .conftest import FakeClock, fast_policy

RIGHT, WRONG = "right password", "wrong password"
WRONG_1 = "Wrong username or password."
LEFT_2 = "Wrong username or password. 2 attempts left before sign-in is paused for 15 minutes."
LEFT_1 = "Wrong username or password. 1 attempt left before sign-in is paused for 15 minutes."
PAUSED = "Wrong username or password. Sign-in is now paused; try again in 15 minutes."


def locked(minutes: int, who: str = "for 'alice'") -> tuple[type[Exception], str]:
    plural = "s" if minutes != 1 else ""
    return TooManyAttempts, f"Too many failed sign-in attempts {who}. Try again in {minutes} minute{plural}."


# Each step: (minutes to wait first, username, password, client key, expected result).
SCENARIOS = {
    "five failures then a pause, then the right password works after 15 minutes": [
        (0, "alice", WRONG, None, (SignInFailed, WRONG_1)),
        (0, "alice", WRONG, None, (SignInFailed, WRONG_1)),
        (0, "alice", WRONG, None, (SignInFailed, LEFT_2)),
        (0, "alice", WRONG, None, (SignInFailed, LEFT_1)),
        (0, "alice", WRONG, None, (SignInFailed, PAUSED)),
        (0, "alice", RIGHT, None, locked(15)),
        (10, "alice", RIGHT, None, locked(5)),
        (4.5, "alice", RIGHT, None, locked(1)),
        (0.5, "alice", RIGHT, None, "ok"),
    ],
    "the window slides: the oldest failure expiring frees one attempt": [
        (0, "alice", WRONG, None, (SignInFailed, WRONG_1)),
        (1, "alice", WRONG, None, (SignInFailed, WRONG_1)),
        (1, "alice", WRONG, None, (SignInFailed, LEFT_2)),
        (1, "alice", WRONG, None, (SignInFailed, LEFT_1)),
        (1, "alice", WRONG, None, (SignInFailed, PAUSED)),
        (1, "alice", RIGHT, None, locked(10)),
        (10, "alice", WRONG, None, (SignInFailed, PAUSED)),
        (0, "alice", RIGHT, None, locked(1)),
        (1, "alice", RIGHT, None, "ok"),
    ],
    "a success forgets the username's earlier failures": [
        *[(0, "alice", WRONG, None, (SignInFailed, message)) for message in (WRONG_1, WRONG_1, LEFT_2, LEFT_1)],
        (0, "alice", RIGHT, None, "ok"),
        *[(0, "alice", WRONG, None, (SignInFailed, message)) for message in (WRONG_1, WRONG_1, LEFT_2, LEFT_1)],
        (0, "alice", RIGHT, None, "ok"),
    ],
    "unknown usernames are limited the same way, so the limit reveals nothing": [
        *[(0, "ghost", RIGHT, None, (SignInFailed, message)) for message in (WRONG_1, WRONG_1, LEFT_2, LEFT_1, PAUSED)],
        (0, "ghost", RIGHT, None, locked(15, "for 'ghost'")),
    ],
    "usernames are limited case-insensitively": [
        *[(0, name, WRONG, None, (SignInFailed, None)) for name in ("alice", "ALICE", "Alice", " alice", "aLiCe")],
        (0, "alice", RIGHT, None, locked(15)),
    ],
    "a client key is limited across usernames (limit 3 in this policy)": [
        (0, "alice", WRONG, "10.0.0.7", (SignInFailed, None)),
        (0, "bob", WRONG, "10.0.0.7", (SignInFailed, None)),
        (0, "carol", WRONG, "10.0.0.7", (SignInFailed, None)),
        (0, "bob", RIGHT, "10.0.0.7", locked(15, "from your network")),
        (0, "bob", RIGHT, "10.0.0.8", "ok"),
    ],
    "one correct sign-in does not reset a client's failures": [
        (0, "alice", WRONG, "10.0.0.7", (SignInFailed, None)),
        (0, "carol", WRONG, "10.0.0.7", (SignInFailed, None)),
        (0, "bob", RIGHT, "10.0.0.7", "ok"),
        (0, "carol", WRONG, "10.0.0.7", (SignInFailed, None)),
        (0, "alice", RIGHT, "10.0.0.7", locked(15, "from your network")),
    ],
}


@pytest.mark.parametrize("steps", list(SCENARIOS.values()), ids=list(SCENARIOS))
def test_sign_in_rate_limits(database_url: str, clock: FakeClock, steps: list) -> None:  # type: ignore[type-arg]
    """Sign-in failures pause further attempts per username (5) and per client key, with a clear wait time."""
    with open_database(database_url, policy=fast_policy(max_failures_per_client=3), clock=clock) as db:
        for name in ("alice", "bob", "carol"):
            create_account(db, name, RIGHT)
        for number, (wait, username, password, client, expected) in enumerate(steps):
            clock.advance(minutes=wait)
            if expected == "ok":
                assert sign_in(db, username, password, client_key=client).account.username == username.strip().lower()
                continue
            error, message = expected
            with pytest.raises(error) as caught:
                sign_in(db, username, password, client_key=client)
            if message is not None:
                assert str(caught.value) == message, f"step {number}"


def test_too_many_attempts_carries_the_wait(db: Database, clock: FakeClock) -> None:
    """TooManyAttempts.retry_after is the exact time until the next accepted attempt."""
    create_account(db, "alice", RIGHT)
    for _ in range(5):
        with pytest.raises(SignInFailed):
            sign_in(db, "alice", WRONG)
    clock.advance(minutes=3, seconds=20)
    with pytest.raises(TooManyAttempts, match=re.escape("Try again in 12 minutes.")) as caught:
        sign_in(db, "alice", RIGHT)
    assert caught.value.retry_after == timedelta(minutes=11, seconds=40)


def test_sign_in_returns_a_token_that_authenticates(db: Database) -> None:
    """The token from sign_in identifies the account; only its hash is stored."""
    alice = create_account(db, "alice", RIGHT)
    session = sign_in(db, "Alice", RIGHT)
    assert session.account == alice
    assert len(session.token) >= 43
    assert authenticate(db, session.token) == alice
    with db.engine.connect() as connection:
        stored = connection.exec_driver_sql("SELECT token_hash FROM sessions").scalar_one()
    assert stored != session.token and len(stored) == 64


# Each step: (hours to wait, expected result of authenticate).
EXPIRY = {
    "used within the idle limit": [(11.9, "ok")],
    "idle for 12 hours": [(12, (SessionExpired, "Your session ended after 12 hours without activity; sign in again."))],
    "each use slides the idle deadline": [(11, "ok"), (11, "ok"), (11, "ok")],
    "uses less than a minute apart do not slide it": [(11.99, "ok"), (0.005, "ok"), (0.01, "ok")],
    "the absolute limit holds however active": [
        *[(11, "ok")] * 30,
        (5.9, "ok"),
        (0.1, (SessionExpired, "Your session reached its limit of 14 days; sign in again.")),
    ],
    "an expired session is gone for good": [
        (13, (SessionExpired, None)),
        (0, (UnknownSession, "You are not signed in")),
    ],
}


@pytest.mark.parametrize("steps", list(EXPIRY.values()), ids=list(EXPIRY))
def test_session_expiry(db: Database, clock: FakeClock, steps: list) -> None:  # type: ignore[type-arg]
    """Sessions end after 12 idle hours and after 14 days in any case (the default policy)."""
    create_account(db, "alice", RIGHT)
    token = sign_in(db, "alice", RIGHT).token
    for number, (hours, expected) in enumerate(steps):
        clock.advance(hours=hours)
        if expected == "ok":
            assert authenticate(db, token).username == "alice", f"step {number}"
            continue
        error, message = expected
        with pytest.raises(error) as caught:
            authenticate(db, token)
        if message is not None:
            assert str(caught.value).startswith(message), f"step {number}"


def test_touch_interval_means_no_write_per_rerun(db: Database, clock: FakeClock) -> None:
    """A burst of authentications within a minute updates last_seen_at at most once."""
    create_account(db, "alice", RIGHT)
    token = sign_in(db, "alice", RIGHT).token
    signed_in_at = clock()
    for _ in range(5):
        clock.advance(seconds=5)
        authenticate(db, token)
    with db.engine.connect() as connection:
        last_seen = connection.exec_driver_sql("SELECT last_seen_at FROM sessions").scalar_one()
    assert str(last_seen).startswith(signed_in_at.strftime("%Y-%m-%d %H:%M:%S"))


def test_sign_out(db: Database) -> None:
    """Signing out ends that session only; signing out twice is harmless."""
    create_account(db, "alice", RIGHT)
    first, second = sign_in(db, "alice", RIGHT), sign_in(db, "alice", RIGHT)
    assert sign_out(db, first.token) is True
    assert sign_out(db, first.token) is False
    with pytest.raises(UnknownSession):
        authenticate(db, first.token)
    assert authenticate(db, second.token).username == "alice"


def test_sign_out_everywhere_and_password_change(db: Database) -> None:
    """Ending all sessions, or changing the password, invalidates every token of the account."""
    alice = create_account(db, "alice", RIGHT)
    bob = create_account(db, "bob", RIGHT)
    tokens = [sign_in(db, "alice", RIGHT).token for _ in range(3)]
    bobs = sign_in(db, "bob", RIGHT).token
    assert sign_out_everywhere(db, alice.id) == 3
    token = sign_in(db, "alice", RIGHT).token
    set_password(db, "alice", "another password")
    for old in [*tokens, token]:
        with pytest.raises(UnknownSession):
            authenticate(db, old)
    assert authenticate(db, bobs) == bob


def test_unknown_token(db: Database) -> None:
    """A token that was never issued is an UnknownSession, not a crash."""
    with pytest.raises(UnknownSession, match="sign in again"):
        authenticate(db, "made-up")
