"""Signing in and out, and recognising a signed-in user by an opaque session token.

The token handed to the browser is 256 random bits; only its SHA-256 is stored, so a
copy of the database does not let anyone sign in. (A slow hash like argon2 is needed for
passwords because people choose guessable ones; a random token cannot be guessed.)

Sessions slide with an absolute cap, as ``AccountPolicy`` describes: ``authenticate``
moves the idle deadline forward, ``sign_out`` ends one session, and changing a password
ends them all.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, insert, or_, select, update

from grader.storage.accounts import Account, normalize_username
from grader.storage.database import Database, reading, writing
from grader.storage.errors import SessionExpired, SignInFailed, UnknownSession
from grader.storage.passwords import spend_verification_time, verify_password
from grader.storage.policy import describe_duration
from grader.storage.schema import accounts, sessions
from grader.storage.throttle import begin_attempt, failure_message, succeed_attempt


@dataclass(frozen=True)
class SignIn:
    """A new session: keep ``token`` in the browser; it is shown only this once."""

    token: str
    account: Account
    expires_at: datetime


def sign_in(db: Database, username: str, password: str, *, client_key: str | None = None) -> SignIn:
    """Check the password and start a session, within the rate limits.

    ``client_key`` identifies where the attempt comes from (e.g. the client's address);
    pass None if the app cannot tell. Raises ``TooManyAttempts`` (with ``retry_after``)
    or ``SignInFailed``; both messages can be shown to the user as they are.
    """
    name = normalize_username(username) if isinstance(username, str) else ""
    attempt = begin_attempt(db, name, client_key)
    with reading(db) as connection:
        row = connection.execute(
            select(
                accounts.c.id, accounts.c.username, accounts.c.role, accounts.c.created_at, accounts.c.password_hash
            ).where(accounts.c.username == name)
        ).first()
    if row is None:
        spend_verification_time(str(password), db.policy.hasher)
        raise SignInFailed(failure_message(attempt, db))
    matches, needs_rehash = verify_password(row.password_hash, str(password), db.policy.hasher)
    if not matches:
        raise SignInFailed(failure_message(attempt, db))
    succeed_attempt(db, attempt)
    new_hash = db.policy.hasher.hash(password) if needs_rehash else None
    account = Account(id=row.id, username=row.username, role=row.role, created_at=row.created_at)
    token = secrets.token_urlsafe(32)
    now = db.now()
    expires_at = now + db.policy.session_lifetime
    with writing(db) as connection:
        if new_hash is not None:
            connection.execute(update(accounts).where(accounts.c.id == row.id).values(password_hash=new_hash))
        # Tidy up: sessions past either deadline can never be used again.
        connection.execute(
            delete(sessions).where(
                or_(sessions.c.expires_at <= now, sessions.c.last_seen_at <= now - db.policy.session_idle)
            )
        )
        connection.execute(
            insert(sessions).values(
                account_id=row.id, token_hash=_digest(token), created_at=now, last_seen_at=now, expires_at=expires_at
            )
        )
    return SignIn(token=token, account=account, expires_at=expires_at)


def authenticate(db: Database, token: str) -> Account:
    """Return the account signed in with ``token`` and extend its session's idle deadline.

    Raises ``SessionExpired`` if the session ran out (the message says why) and
    ``UnknownSession`` if the token was never issued or was signed out.
    """
    digest = _digest(token)
    now, policy = db.now(), db.policy
    with reading(db) as connection:
        row = connection.execute(
            select(
                sessions.c.id,
                sessions.c.last_seen_at,
                sessions.c.expires_at,
                accounts.c.id.label("account_id"),
                accounts.c.username,
                accounts.c.role,
                accounts.c.created_at,
            )
            .join(accounts, accounts.c.id == sessions.c.account_id)
            .where(sessions.c.token_hash == digest)
        ).first()
    if row is None:
        raise UnknownSession("You are not signed in (the session was ended or never existed); sign in again.")
    expired = None
    if now >= row.expires_at:
        expired = f"Your session reached its limit of {describe_duration(policy.session_lifetime)}; sign in again."
    elif now >= row.last_seen_at + policy.session_idle:
        expired = f"Your session ended after {describe_duration(policy.session_idle)} without activity; sign in again."
    if expired is not None:
        with writing(db) as connection:
            connection.execute(delete(sessions).where(sessions.c.id == row.id))
        raise SessionExpired(expired)
    if now - row.last_seen_at >= policy.touch_interval:
        with writing(db) as connection:
            connection.execute(update(sessions).where(sessions.c.id == row.id).values(last_seen_at=now))
    return Account(id=row.account_id, username=row.username, role=row.role, created_at=row.created_at)


def sign_out(db: Database, token: str) -> bool:
    """End the session of ``token``; return whether there was one to end."""
    with writing(db) as connection:
        return connection.execute(delete(sessions).where(sessions.c.token_hash == _digest(token))).rowcount > 0


def sign_out_everywhere(db: Database, account_id: int) -> int:
    """End every session of an account (e.g. after a lost laptop); return how many were ended."""
    with writing(db) as connection:
        return connection.execute(delete(sessions).where(sessions.c.account_id == account_id)).rowcount


def _digest(token: str) -> str:
    return hashlib.sha256(str(token).encode()).hexdigest()
