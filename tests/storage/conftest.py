"""Fixtures that give each test a fresh, migrated database on SQLite and on PostgreSQL.

Tests that take ``db`` run twice, once per backend (ids ``sqlite`` and ``postgresql``);
the PostgreSQL half is marked ``slow``, so ``-m "not slow"`` runs only SQLite. The
PostgreSQL server is started once per test session, only if a test asks for it, and
stopped at the end. Tests take turns on one migrated database, emptied before each;
migration tests get an empty database of their own.

The server runs with ``fsync=off``: the durability tests kill the *app* process, never
the database server, so server-side fsync would only slow the run down.
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import psycopg
import pytest
from argon2 import PasswordHasher

from grader.storage import AccountPolicy, Database, open_database
from grader.storage.migration import migrate
from grader.storage.schema import metadata

from .postgres_server import PostgresServer, find_bindir

# PostgreSQL needs a server started for the run: slow by the house rule, so
# `pytest -m "not slow"` stays on SQLite. CI runs both.
BACKENDS = ("sqlite", pytest.param("postgresql", marks=pytest.mark.slow))
SHARED = "grader_test"


class FakeClock:
    """A clock that stands still until a test moves it."""

    def __init__(self, start: datetime = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **amount: float) -> None:
        self.now += timedelta(**amount)


def fast_policy(**overrides: object) -> AccountPolicy:
    """The default policy with argon2 at its cheapest, so a test hashes in microseconds."""
    overrides.setdefault("hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    return AccountPolicy(**overrides)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """A running throwaway PostgreSQL server with one migrated database that tests share in turn."""
    bindir = find_bindir()
    if bindir is None:
        message = "PostgreSQL server binaries (initdb, pg_ctl) not found; tests/run installs them with apt-get"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    server = PostgresServer(bindir)
    try:
        server.start()
        _admin(server, f"CREATE DATABASE {SHARED}")
        migrate(server.url(SHARED))
        yield server
    finally:
        server.stop()


def _admin(server: PostgresServer, sql: str, dbname: str = "postgres") -> None:
    with psycopg.connect(server.url(dbname), autocommit=True) as connection:
        connection.execute("SET lock_timeout = '10s'")  # a leaked transaction fails the test, not hangs it
        connection.execute(sql)


@pytest.fixture
def postgresql_url(request: pytest.FixtureRequest) -> str:
    """The URL of the shared migrated PostgreSQL database, emptied for this test.

    Emptying (TRUNCATE, ~10 ms) is much cheaper than a database per test (~250 ms).
    """
    server: PostgresServer = request.getfixturevalue("postgres")
    tables = ", ".join(table.name for table in metadata.sorted_tables)
    _admin(server, f"TRUNCATE {tables} RESTART IDENTITY CASCADE", SHARED)
    return server.url(SHARED)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated once, for tests to copy (copying is faster than migrating)."""
    path = tmp_path_factory.mktemp("template") / "grader.sqlite3"
    migrate(f"sqlite:///{path}")  # closes its connections, so the WAL is folded into the file
    return path


@pytest.fixture
def sqlite_url(tmp_path: Path, sqlite_template: Path) -> str:
    """The URL of a fresh copy of the migrated SQLite template."""
    shutil.copyfile(sqlite_template, tmp_path / "grader.sqlite3")
    return f"sqlite:///{tmp_path / 'grader.sqlite3'}"


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest) -> str:
    """The URL of a database without rows, once per backend; it may be migrated already."""
    return str(request.getfixturevalue(f"{request.param}_url"))


_numbers = itertools.count()


@pytest.fixture(params=BACKENDS)
def empty_database_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """The URL of a database with no tables at all, once per backend, for migration tests."""
    if request.param == "sqlite":
        yield f"sqlite:///{request.getfixturevalue('tmp_path') / 'empty.sqlite3'}"
        return
    server: PostgresServer = request.getfixturevalue("postgres")
    name = f"empty_{next(_numbers)}"
    _admin(server, f"CREATE DATABASE {name}")
    yield server.url(name)
    _admin(server, f"DROP DATABASE {name} WITH (FORCE)")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def db(database_url: str, clock: FakeClock) -> Iterator[Database]:
    """An open, migrated database with a fake clock and a cheap password hasher."""
    database = open_database(database_url, policy=fast_policy(), clock=clock, migrate=False)  # migrated already
    yield database
    database.close()
