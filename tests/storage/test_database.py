"""Tests for grader/storage/database.py: URL resolution, SQLite settings, timestamps."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import select, text

from grader.storage import Database, DatabaseURLError, open_database, resolve_url
from grader.storage.database import DEFAULT_SQLITE_PATH, PROJECT_ROOT, reading, single_statement, writing
from grader.storage.schema import accounts

URLS = [
    # (given, DATABASE_URL, expected)
    ("postgresql://u:p@db:5432/grader", None, "postgresql+psycopg://u:p@db:5432/grader"),
    ("postgres://u:p@db/grader", None, "postgresql+psycopg://u:p@db/grader"),
    ("postgresql+psycopg://u@db/grader", None, "postgresql+psycopg://u@db/grader"),
    ("sqlite:////srv/grader.sqlite3", None, "sqlite+pysqlite:////srv/grader.sqlite3"),
    ("sqlite+pysqlite:///rel.sqlite3", None, "sqlite+pysqlite:///rel.sqlite3"),
    (None, "postgresql://u@db/env", "postgresql+psycopg://u@db/env"),
    ("sqlite:////given.sqlite3", "postgresql://u@db/env", "sqlite+pysqlite:////given.sqlite3"),
    (None, "", f"sqlite+pysqlite:///{DEFAULT_SQLITE_PATH}"),
    (None, None, f"sqlite+pysqlite:///{DEFAULT_SQLITE_PATH}"),
]


@pytest.mark.parametrize(("given", "environment", "expected"), URLS)
def test_resolve_url(given: str | None, environment: str | None, expected: str) -> None:
    """The explicit URL wins over DATABASE_URL, which wins over the default file; postgresql gets psycopg."""
    environ = {} if environment is None else {"DATABASE_URL": environment}
    assert resolve_url(given, environ=environ).render_as_string(hide_password=False) == expected


BAD_URLS = [
    ("mysql://u:secret@db/grader", "names database 'mysql', which is not supported"),
    ("sqlite://", "in-memory SQLite database, which loses every submission"),
    ("sqlite:///:memory:", "in-memory SQLite database"),
    ("not a url", "is not a database URL"),
    ("sqlite+aiosqlite:///x.sqlite3", "uses SQLite driver 'aiosqlite'"),
]


@pytest.mark.parametrize(("url", "message"), BAD_URLS)
def test_resolve_url_refuses(url: str, message: str) -> None:
    """Unusable URLs are refused with a reason, and never echo a password."""
    with pytest.raises(DatabaseURLError, match=message) as caught:
        resolve_url(url, environ={})
    assert "secret" not in str(caught.value)


def test_default_path_is_under_the_project_root() -> None:
    """The embedded database lives in data/ next to the grader package."""
    assert DEFAULT_SQLITE_PATH == PROJECT_ROOT / "data" / "grader.sqlite3"
    assert (PROJECT_ROOT / "grader" / "storage").is_dir()


def test_first_start_creates_the_file_and_folder(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Opening a database whose folder does not exist yet creates both and migrates."""
    path = tmp_path / "new" / "folder" / "grader.sqlite3"
    with open_database(f"sqlite:///{path}") as db:
        with reading(db) as connection:
            assert connection.execute(select(accounts.c.id)).all() == []
    assert path.exists()


PRAGMAS = [("journal_mode", "wal"), ("foreign_keys", 1), ("busy_timeout", 15000), ("synchronous", 2)]


@pytest.mark.parametrize(("pragma", "expected"), PRAGMAS)
def test_sqlite_connection_settings(sqlite_url: str, pragma: str, expected: object) -> None:
    """Every pooled SQLite connection has WAL, foreign keys, a busy timeout and synchronous=FULL."""
    with open_database(sqlite_url) as db, db.engine.connect() as connection:
        assert connection.exec_driver_sql(f"PRAGMA {pragma}").scalar() == expected


def test_naive_clock_is_refused(sqlite_url: str) -> None:
    """A clock that returns naive datetimes is a bug; say so instead of storing local time."""
    with open_database(sqlite_url, clock=lambda: datetime(2026, 1, 1)) as db:
        with pytest.raises(ValueError, match="naive datetime"):
            db.now()


def test_timestamps_come_back_as_aware_utc(db: Database) -> None:
    """A timestamp given in another zone is stored as UTC and read back timezone-aware."""
    from datetime import timedelta

    moment = datetime(2026, 5, 1, 12, 30, tzinfo=timezone(timedelta(hours=2)))
    with writing(db) as connection:
        connection.execute(
            accounts.insert().values(username="tz", password_hash="x", role="student", created_at=moment)
        )
    with reading(db) as connection:
        stored = connection.execute(select(accounts.c.created_at)).scalar_one()
    assert stored == moment
    assert stored.tzinfo == timezone.utc and stored.hour == 10


def test_backend_name(db: Database, database_url: str) -> None:
    """Database.backend names the dialect the URL chose."""
    assert db.backend == ("sqlite" if database_url.startswith("sqlite") else "postgresql")


def test_single_statement_leaves_later_transactions_whole(db: Database) -> None:
    """After a single-statement (autocommit on PostgreSQL) connection goes back to the pool,
    a ``writing`` block that fails still rolls back all of its statements."""
    with single_statement(db, write=False) as connection:
        assert connection.execute(text("SELECT 1")).scalar_one() == 1
        if db.backend == "postgresql":
            assert connection.connection.dbapi_connection.autocommit is True
    for _ in range(3):  # whichever pooled connection comes next
        with pytest.raises(RuntimeError), writing(db) as connection:
            connection.execute(text("INSERT INTO accounts (username, password_hash, role, created_at) "
                                    "VALUES ('ghost', 'x', 'student', CURRENT_TIMESTAMP)"))
            raise RuntimeError("abandon the transaction")
        with single_statement(db, write=False) as connection:
            assert connection.execute(text("SELECT count(*) FROM accounts")).scalar_one() == 0
