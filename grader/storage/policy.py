"""The tunable rules for passwords, sign-in sessions and sign-in rate limiting.

Kept in one frozen value so the app reads its configuration once and tests can pass a
cheap password hasher and short lifetimes without patching module globals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from argon2 import PasswordHasher


@dataclass(frozen=True)
class AccountPolicy:
    """How accounts and sessions behave.

    Sessions are *sliding with an absolute cap*: a session ends after ``session_idle``
    without any use, and in any case ``session_lifetime`` after sign-in. Each use moves
    the idle deadline forward, but at most once per ``touch_interval`` so that a
    Streamlit rerun per keystroke does not become a database write per keystroke.

    Sign-in is paused for a username after ``max_failures_per_username`` failures within
    ``failure_window``, and for a client key (e.g. the client's address) after
    ``max_failures_per_client``. The client limit is higher by default because a whole
    classroom can share one address behind NAT.

    ``hasher`` is argon2-cffi's ``PasswordHasher``; its defaults follow RFC 9106. When
    its parameters change, each stored hash is upgraded at the user's next sign-in.
    """

    min_password_length: int = 8
    max_password_length: int = 1024
    session_idle: timedelta = timedelta(hours=12)
    session_lifetime: timedelta = timedelta(days=14)
    touch_interval: timedelta = timedelta(minutes=1)
    max_failures_per_username: int = 5
    max_failures_per_client: int = 20
    failure_window: timedelta = timedelta(minutes=15)
    hasher: PasswordHasher = field(default_factory=PasswordHasher, compare=False)


def describe_duration(duration: timedelta) -> str:
    """Return ``duration`` in the largest whole unit that fits, e.g. "15 minutes", "12 hours", "14 days"."""
    seconds = int(duration.total_seconds())
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size and seconds % size == 0:
            count = seconds // size
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return f"{seconds} second{'s' if seconds != 1 else ''}"
