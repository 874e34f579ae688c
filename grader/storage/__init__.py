"""Persistence and accounts for the grader: a headless library the app and the CLI call.

Open the database once per process and pass it to every function::

    from grader import storage
    db = storage.open_database()        # DATABASE_URL, else data/grader.sqlite3; migrates

Module map (each does one job): ``database`` (URL, engine, transactions), ``migration``
(Alembic, run on open), ``schema`` (tables), ``accounts``, ``passwords``, ``sessions``,
``throttle`` (sign-in rate limits), ``guests``, ``submissions``, ``verdicts``, ``drafts``,
``regrades``, ``progress``, ``gradebook``, ``analytics``, ``export``, ``cli``. The names
below are the supported API; the modules' other names may change.
"""

from grader.storage.database import Database, open_database, resolve_url
from grader.storage.errors import DatabaseURLError, MigrationError, StorageError
from grader.storage.migration import current_revision, head_revision, migrate
from grader.storage.policy import AccountPolicy

__all__ = [
    "AccountPolicy",
    "Database",
    "DatabaseURLError",
    "MigrationError",
    "StorageError",
    "current_revision",
    "head_revision",
    "migrate",
    "open_database",
    "resolve_url",
]
