"""Tests for grader/storage/migration.py and the migration scripts."""

from __future__ import annotations

import threading

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.pool import NullPool

from grader.storage import MigrationError, current_revision, head_revision, migrate
from grader.storage.database import create_engine, resolve_url
from grader.storage.migration import alembic_config
from grader.storage.schema import metadata


def test_migrations_build_exactly_the_schema_module(empty_database_url: str) -> None:
    """Migrating an empty database yields the tables, columns, indexes and keys schema.py declares."""
    migrate(empty_database_url)
    engine = create_engine(resolve_url(empty_database_url), poolclass=NullPool)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, metadata)
    engine.dispose()
    assert differences == []


def test_migrate_is_idempotent(empty_database_url: str) -> None:
    """Migrating twice is a no-op the second time and reports the head revision."""
    assert migrate(empty_database_url) == head_revision()
    assert migrate(empty_database_url) == head_revision()
    assert current_revision(empty_database_url) == head_revision()


def test_downgrade_to_nothing_and_back(empty_database_url: str) -> None:
    """The migrations can be undone completely and redone."""
    migrate(empty_database_url)
    engine = create_engine(resolve_url(empty_database_url), poolclass=NullPool)
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), "base")
    with engine.connect() as connection:
        assert set(inspect(connection).get_table_names()) <= {"alembic_version"}
    engine.dispose()
    assert current_revision(empty_database_url) is None
    assert migrate(empty_database_url) == head_revision()


def test_replicas_starting_together_migrate_once(empty_database_url: str) -> None:
    """Four app processes' worth of concurrent migrate() calls on an empty database all succeed."""
    results: list[object] = []

    def start() -> None:
        try:
            results.append(migrate(empty_database_url))
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            results.append(error)

    threads = [threading.Thread(target=start) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [head_revision()] * 4


def test_unreachable_database_is_a_migration_error() -> None:
    """A server that does not answer gives a MigrationError naming the URL without its password."""
    with pytest.raises(MigrationError, match="could not migrate the database") as caught:
        migrate("postgresql://someone:secret@127.0.0.1:1/nothing?connect_timeout=2")
    assert "secret" not in str(caught.value)
