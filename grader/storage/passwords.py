"""Checking, hashing and verifying passwords with argon2.

Only argon2 hashes are ever stored. ``verify_password`` also says when a hash was made
with parameters other than the hasher's current ones, so the caller can store a fresh
hash while it still has the plain password in hand (at sign-in): raising the cost later
upgrades every active account without a reset.
"""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from grader.storage.errors import InvalidPassword
from grader.storage.policy import AccountPolicy


def check_password_rules(password: str, policy: AccountPolicy) -> None:
    """Raise ``InvalidPassword`` unless ``password`` is a string of an allowed length."""
    if not isinstance(password, str):
        raise InvalidPassword(f"the password must be text, got {type(password).__name__}")
    if len(password) < policy.min_password_length:
        raise InvalidPassword(f"the password has {len(password)} characters; use at least {policy.min_password_length}")
    if len(password) > policy.max_password_length:
        raise InvalidPassword(f"the password has {len(password)} characters; use at most {policy.max_password_length}")


def hash_password(password: str, policy: AccountPolicy) -> str:
    """Return the argon2 hash of ``password`` after checking the password rules."""
    check_password_rules(password, policy)
    return policy.hasher.hash(password)


def verify_password(stored_hash: str, password: str, hasher: PasswordHasher) -> tuple[bool, bool]:
    """Return ``(matches, needs_rehash)`` for ``password`` against ``stored_hash``.

    A malformed stored hash counts as a mismatch rather than an error, so one corrupt row
    cannot be told apart from a wrong password by someone probing the sign-in form.
    """
    try:
        hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False, False
    return True, hasher.check_needs_rehash(stored_hash)


def spend_verification_time(password: str, hasher: PasswordHasher) -> None:
    """Verify ``password`` against a throwaway hash, so an unknown username takes as long as a known one."""
    verify_password(_dummy_hash(hasher), password, hasher)


@lru_cache(maxsize=8)
def _dummy_hash(hasher: PasswordHasher) -> str:
    # Made with the same hasher, so verifying against it costs what a real check costs.
    return hasher.hash("not the password of anyone")
