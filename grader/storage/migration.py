"""Bring a database to the newest schema with Alembic, from code, on every start.

There is no ``alembic.ini``: the configuration is built here, and ``migrations/env.py``
runs on the connection we hand it. The whole upgrade runs in one transaction on both
backends (SQLite DDL is transactional once we send ``BEGIN`` ourselves), so a failed
migration leaves the schema as it was.

Several app replicas may start at once against one PostgreSQL. They take a transaction
level advisory lock first; the second waits, then finds the schema at head and does
nothing. On SQLite, ``BEGIN IMMEDIATE`` serialises them the same way.

For SQLite, foreign keys are switched off during the upgrade because Alembic's "batch"
mode rebuilds a table by copying it, and with foreign keys on, dropping the old copy
would cascade. ``PRAGMA foreign_key_check`` runs before commit instead.

A new migration is a file in ``migrations/versions`` written by hand after the model of
``0001``, with the change made in ``schema.py`` too; a test fails when the two disagree.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from grader.storage.database import create_engine, resolve_url
from grader.storage.errors import MigrationError

MIGRATIONS_PATH = Path(__file__).resolve().parent / "migrations"

# Key of the PostgreSQL advisory lock held while migrating ("grader" in ASCII, plus 1).
_ADVISORY_LOCK_KEY = 0x677261646572_0001


def alembic_config(connection: Connection | None = None) -> Config:
    """Return an Alembic configuration for our migrations, optionally bound to ``connection``."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_PATH))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """Return the newest revision among the migration scripts."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "no migration scripts found"
    return head


def migrate(url: str | URL | None = None) -> str:
    """Upgrade the database at ``url`` (see ``resolve_url``) to the newest schema; return its revision."""
    resolved = resolve_url(url)
    shown = resolved.render_as_string(hide_password=True)
    engine = create_engine(resolved, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            sqlite = connection.dialect.name == "sqlite"
            if sqlite:
                # Only works outside a transaction, so go around SQLAlchemy's autobegin.
                connection.connection.driver_connection.execute("PRAGMA foreign_keys = OFF")
            with connection.begin():
                if not sqlite:
                    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_LOCK_KEY})
                command.upgrade(alembic_config(connection), "head")
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise MigrationError(
                            f"migrating {shown} would break {len(broken)} foreign key(s), first: {broken[0]}; "
                            "nothing was changed"
                        )
                revision = MigrationContext.configure(connection).get_current_revision()
    except SQLAlchemyError as error:
        raise MigrationError(f"could not migrate the database {shown}: {error}") from error
    finally:
        engine.dispose()
    assert revision is not None
    return revision


def current_revision(url: str | URL | None = None) -> str | None:
    """Return the schema revision the database at ``url`` is at, or None if it was never migrated."""
    engine = create_engine(resolve_url(url), poolclass=NullPool)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()
