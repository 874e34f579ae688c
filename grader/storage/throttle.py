"""Rate limiting of sign-in attempts, per username and per client, kept in the database.

Being in the database (not in process memory) makes the limit hold across app replicas
and restarts. Each attempt is written *before* the password is checked and counted
afterwards, so parallel guesses from many replicas all see each other: an attacker
cannot slip in extra guesses by sending them at the same instant. A successful sign-in
removes the attempt again and clears the username's failures; the client's earlier
failures stay, because one person signing in correctly must not reset the count for
everyone behind the same address.

The window slides: after N failures within ``failure_window``, the next attempt is
accepted once the oldest of those N is older than the window.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, delete, insert, select

from grader.storage.database import Database, writing
from grader.storage.errors import TooManyAttempts
from grader.storage.policy import describe_duration
from grader.storage.schema import sign_in_failures

KEY_LENGTH = 255


@dataclass(frozen=True)
class Attempt:
    """A sign-in attempt in progress: the rows that count it, and how many failures remain."""

    username_key: str
    row_ids: tuple[int, ...]
    failures_left: int


def begin_attempt(db: Database, username_key: str, client_key: str | None) -> Attempt:
    """Count a sign-in attempt as a failure until proven otherwise; raise ``TooManyAttempts`` if over a limit."""
    policy, now = db.policy, db.now()
    since = now - policy.failure_window
    scopes = [("username", username_key[:KEY_LENGTH], policy.max_failures_per_username)]
    if client_key:
        scopes.append(("client", client_key[:KEY_LENGTH], policy.max_failures_per_client))
    with writing(db) as connection:
        connection.execute(delete(sign_in_failures).where(sign_in_failures.c.failed_at < since))
        ids = tuple(
            connection.execute(
                insert(sign_in_failures).values(scope=scope, key=key, failed_at=now).returning(sign_in_failures.c.id)
            ).scalar_one()
            for scope, key, _ in scopes
        )
    # Counted in a second transaction, so the rows of attempts running in parallel are visible.
    with writing(db) as connection:
        left, refusal = [], None
        for (scope, key, limit), own_id in zip(scopes, ids, strict=True):
            earlier = _failure_times(connection, scope, key, since, own_id)
            if len(earlier) >= limit:
                # A refused attempt is not a failure: paused sign-in must not extend the pause.
                connection.execute(delete(sign_in_failures).where(sign_in_failures.c.id.in_(ids)))
                wait = earlier[len(earlier) - limit] + policy.failure_window - now
                refusal = TooManyAttempts(_locked_message(scope, key, wait), retry_after=wait)
                break
            left.append(limit - len(earlier) - 1)
    if refusal is not None:
        raise refusal  # only now: raising inside the block would roll the delete back
    return Attempt(username_key=scopes[0][1], row_ids=ids, failures_left=min(left))


def succeed_attempt(db: Database, attempt: Attempt) -> None:
    """Forget this attempt and every earlier failure for its username."""
    with writing(db) as connection:
        connection.execute(delete(sign_in_failures).where(sign_in_failures.c.id.in_(attempt.row_ids)))
        connection.execute(
            delete(sign_in_failures).where(
                sign_in_failures.c.scope == "username", sign_in_failures.c.key == attempt.username_key
            )
        )


def failure_message(attempt: Attempt, db: Database) -> str:
    """Return what to tell someone whose sign-in just failed: the reason and, near the limit, what comes next."""
    pause = describe_duration(db.policy.failure_window)
    if attempt.failures_left <= 0:
        return f"Wrong username or password. Sign-in is now paused; try again in {pause}."
    if attempt.failures_left <= 2:
        plural = "s" if attempt.failures_left != 1 else ""
        return (
            f"Wrong username or password. {attempt.failures_left} attempt{plural} left "
            f"before sign-in is paused for {pause}."
        )
    return "Wrong username or password."


def _failure_times(connection: Connection, scope: str, key: str, since: datetime, own_id: int) -> list[datetime]:
    return list(
        connection.execute(
            select(sign_in_failures.c.failed_at)
            .where(
                sign_in_failures.c.scope == scope,
                sign_in_failures.c.key == key,
                sign_in_failures.c.failed_at > since,
                sign_in_failures.c.id != own_id,
            )
            .order_by(sign_in_failures.c.failed_at)
        ).scalars()
    )


def _locked_message(scope: str, key: str, wait: timedelta) -> str:
    minutes = max(1, math.ceil(wait.total_seconds() / 60))
    plural = "s" if minutes != 1 else ""
    who = f"for {key!r}" if scope == "username" else "from your network"
    return f"Too many failed sign-in attempts {who}. Try again in {minutes} minute{plural}."
