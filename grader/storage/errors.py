"""The errors the storage layer raises, each saying what went wrong and what to do.

The tree, so a caller can catch as broadly or narrowly as it needs::

    StorageError (RuntimeError)
    ├── DatabaseURLError (ValueError)         the URL or DATABASE_URL is unusable
    ├── MigrationError                        the schema could not be brought to head
    ├── AccountError
    │   ├── InvalidUsername (ValueError)
    │   ├── InvalidPassword (ValueError)
    │   ├── InvalidRole (ValueError)
    │   ├── UsernameTaken (ValueError)
    │   ├── UnknownAccount (LookupError)
    │   ├── SignInFailed                      wrong username or password
    │   ├── TooManyAttempts                   rate limit hit; has retry_after
    │   ├── SessionExpired
    │   └── UnknownSession (LookupError)      never issued, or signed out
    └── SubmissionError
        ├── InvalidSubmission (ValueError)    a field is missing, too long or of the wrong type
        ├── InvalidVerdict (ValueError)       a verdict that cannot be stored as JSON
        ├── IdempotencyKeyConflict            a key reused for a different answer
        └── UnknownSubmission (LookupError)

Messages are meant to be shown as they are: the sign-in errors to a student, the others to
an operator or the app's author. Subclassing the built-ins lets generic code (``except
LookupError``) keep working.
"""

from __future__ import annotations

from datetime import timedelta


class StorageError(RuntimeError):
    """Base of every error raised on purpose by ``grader.storage``."""


class DatabaseURLError(StorageError, ValueError):
    """The database URL cannot be used (unknown backend, in-memory SQLite, unparsable)."""


class MigrationError(StorageError):
    """The database schema could not be brought up to date."""


class AccountError(StorageError):
    """Base of errors about accounts, passwords and sign-in sessions."""


class InvalidUsername(AccountError, ValueError):
    """A username that does not follow the allowed pattern."""


class InvalidPassword(AccountError, ValueError):
    """A password that is too short, too long or empty."""


class InvalidRole(AccountError, ValueError):
    """A role other than ``student`` or ``instructor``."""


class UsernameTaken(AccountError, ValueError):
    """An account with this username exists already."""


class UnknownAccount(AccountError, LookupError):
    """No account has this id or username."""


class SignInFailed(AccountError):
    """The username and password do not match an account.

    One message for "no such user" and "wrong password", so the form does not tell an
    attacker which usernames exist.
    """


class TooManyAttempts(AccountError):
    """Sign-in is paused for a username or a client after too many failures.

    ``retry_after`` is how long until the next attempt is accepted; the message rounds it
    up to whole minutes.
    """

    def __init__(self, message: str, retry_after: timedelta) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class SessionExpired(AccountError):
    """The session token was valid once but has expired; the user must sign in again."""


class UnknownSession(AccountError, LookupError):
    """The session token was never issued or was ended by signing out."""


class SubmissionError(StorageError):
    """Base of errors about submissions, verdicts, drafts and regrades."""


class InvalidSubmission(SubmissionError, ValueError):
    """A submission or draft field that is missing, too long or of the wrong type."""


class InvalidVerdict(SubmissionError, ValueError):
    """A verdict that is not a JSON-serialisable mapping with sensible score fields."""


class IdempotencyKeyConflict(SubmissionError):
    """An idempotency key that was already used by this account for a different answer."""


class UnknownSubmission(SubmissionError, LookupError):
    """No submission has this id."""
