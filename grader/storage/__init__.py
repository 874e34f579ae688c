"""Persistence and accounts for the grader: a headless library the app and the CLI call.

Open the database once per process and pass it to every function::

    from grader import storage
    db = storage.open_database()        # DATABASE_URL, else data/grader.sqlite3; migrates
    account = storage.create_account(db, "alice", "correct horse battery")
    session = storage.sign_in(db, "alice", "correct horse battery", client_key=address)
    submission_id = storage.record_submission(db, account_id=account.id, ..., idempotency_key=key)
    storage.record_verdict(db, submission_id, verdict)

Module map (each does one job): ``database`` (URL, engine, transactions), ``migration``
(Alembic, run on open), ``schema`` (tables), ``accounts``, ``passwords``, ``sessions``,
``throttle`` (sign-in rate limits), ``guests``, ``submissions``, ``verdicts``, ``drafts``,
``regrades``, ``progress``, ``gradebook``, ``analytics``, ``export``, ``cli``. The names
below are the supported API; the modules' other names may change.
"""

from grader.storage.accounts import (
    Account,
    create_account,
    find_account,
    get_account,
    list_accounts,
    set_password,
    set_role,
)
from grader.storage.analytics import PartAnalytics, problem_analytics
from grader.storage.database import Database, open_database, resolve_url
from grader.storage.drafts import Draft, discard_draft, load_draft, save_draft
from grader.storage.errors import (
    AccountError,
    DatabaseURLError,
    IdempotencyKeyConflict,
    InvalidPassword,
    InvalidRole,
    InvalidSubmission,
    InvalidUsername,
    InvalidVerdict,
    MigrationError,
    SessionExpired,
    SignInFailed,
    StorageError,
    SubmissionError,
    TooManyAttempts,
    UnknownAccount,
    UnknownSession,
    UnknownSubmission,
    UsernameTaken,
)
from grader.storage.export import export_account_data
from grader.storage.gradebook import best_scores, gradebook
from grader.storage.guests import GuestImport, GuestSubmission, create_account_from_guest
from grader.storage.migration import current_revision, head_revision, migrate
from grader.storage.policy import AccountPolicy
from grader.storage.progress import PartStatus, part_statuses, progress_frame
from grader.storage.regrades import RegradeChange, record_regrade, regrade_changes, submissions_for_regrade
from grader.storage.sessions import SignIn, authenticate, sign_in, sign_out, sign_out_everywhere
from grader.storage.submissions import (
    Submission,
    get_submission,
    list_attempts,
    list_ungraded,
    record_grading_error,
    record_submission,
    record_verdict,
    store_submission,
)

__all__ = [
    # opening and migrating
    "AccountPolicy",
    "Database",
    "current_revision",
    "head_revision",
    "migrate",
    "open_database",
    "resolve_url",
    # accounts and sessions
    "Account",
    "GuestImport",
    "GuestSubmission",
    "SignIn",
    "authenticate",
    "create_account",
    "create_account_from_guest",
    "find_account",
    "get_account",
    "list_accounts",
    "set_password",
    "set_role",
    "sign_in",
    "sign_out",
    "sign_out_everywhere",
    # submissions and drafts
    "Draft",
    "Submission",
    "discard_draft",
    "get_submission",
    "list_attempts",
    "list_ungraded",
    "load_draft",
    "record_grading_error",
    "record_submission",
    "record_verdict",
    "save_draft",
    "store_submission",
    # queries
    "PartAnalytics",
    "PartStatus",
    "RegradeChange",
    "best_scores",
    "export_account_data",
    "gradebook",
    "part_statuses",
    "problem_analytics",
    "progress_frame",
    "record_regrade",
    "regrade_changes",
    "submissions_for_regrade",
    # errors
    "AccountError",
    "DatabaseURLError",
    "IdempotencyKeyConflict",
    "InvalidPassword",
    "InvalidRole",
    "InvalidSubmission",
    "InvalidUsername",
    "InvalidVerdict",
    "MigrationError",
    "SessionExpired",
    "SignInFailed",
    "StorageError",
    "SubmissionError",
    "TooManyAttempts",
    "UnknownAccount",
    "UnknownSession",
    "UnknownSubmission",
    "UsernameTaken",
]
