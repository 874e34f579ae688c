"""Fixtures for the queue tests: a real Redis server, a real PostgreSQL server, real workers.

Both servers are started once per test session, only when a test asks for them, on
127.0.0.1 and free ports, and stopped at the end. PostgreSQL comes from the storage tests'
fixture (``postgres``), so there is one way to start it.
"""

from __future__ import annotations

import itertools
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from argon2 import PasswordHasher

from grader import storage
from grader.storage.migration import migrate
from storage.conftest import postgres  # noqa: F401  (the session's PostgreSQL server)
from storage.postgres_server import SUPERUSER

from .servers import RedisServer, WorkerProcess


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    try:
        server = RedisServer(tmp_path_factory.mktemp("redis")).start()
    except FileNotFoundError as error:
        if os.environ.get("CI"):
            pytest.fail(str(error))
        pytest.skip(str(error))
    try:
        yield server
    finally:
        server.stop()


# What a worker machine's database role may do (docs/deploy.md): read and update submissions;
# accounts, sessions and everything else stay out of its reach.
WORKER_GRANTS = """
CREATE ROLE {role} LOGIN;
GRANT CONNECT ON DATABASE {database} TO {role};
GRANT USAGE ON SCHEMA public TO {role};
GRANT SELECT, UPDATE ON submissions TO {role};
"""


def fresh_database(kind: str, request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, str]:
    """A new, migrated database of ``kind``: (the app's URL, a worker's URL).

    On PostgreSQL the worker's URL logs in as a role that may only read and update submissions.
    """
    if kind == "sqlite":
        url = f"sqlite:///{tmp_path / 'grader.sqlite3'}"
        migrate(url)
        return url, url
    server = request.getfixturevalue("postgres")
    name = f"worker_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(server.url("postgres"), autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    url = server.url(name)
    migrate(url)
    role = f"{name}_grader"
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(WORKER_GRANTS.format(role=role, database=name))
    return url, url.replace(f"//{SUPERUSER}@", f"//{role}@")


def cheap_database(url: str) -> storage.Database:
    policy = storage.AccountPolicy(hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    return storage.open_database(url, policy=policy, migrate=False)


class Stack:
    """A database, a broker and the workers a test started (stopped at the end)."""

    def __init__(self, urls: tuple[str, str], broker_url: str, folder: Path) -> None:
        (self.database_url, self.worker_database_url), self.broker_url = urls, broker_url
        self.folder = folder
        self.db = cheap_database(self.database_url)
        self.workers: list[WorkerProcess] = []

    def worker(self, name: str, **environment: str) -> WorkerProcess:
        env = {"GRADER_BROKER_URL": self.broker_url, "DATABASE_URL": self.worker_database_url,
               "GRADER_VISIBILITY_TIMEOUT": "10", **environment}
        worker = WorkerProcess(name, self.folder / f"{name}.log", env).start()
        self.workers.append(worker)
        return worker

    def close(self) -> None:
        for worker in self.workers:      # all at once: each warm shutdown takes ~2 s
            if worker.process.poll() is None:
                worker.process.terminate()
        for worker in self.workers:
            worker.stop()
        self.db.close()


_redis_databases = itertools.count()  # one per stack: no test sees another's jobs


@pytest.fixture
def stack_factory(request, redis_server, tmp_path):
    """Make a ``Stack`` on SQLite or PostgreSQL; every worker it started is stopped afterwards."""
    stacks: list[Stack] = []

    def make(kind: str = "postgresql") -> Stack:
        stack = Stack(fresh_database(kind, request, tmp_path), redis_server.url(next(_redis_databases) % 16),
                      tmp_path)
        stacks.append(stack)
        return stack

    yield make
    for stack in stacks:
        stack.close()
