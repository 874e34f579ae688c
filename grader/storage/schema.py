"""The tables, as SQLAlchemy Core objects that every query is written against.

This is the schema the code expects; the migrations in ``migrations/versions`` are how a
database gets there. A test runs the migrations and compares the result with these
tables, so the two cannot drift apart silently. Never call ``metadata.create_all`` outside
tests: a database made that way has no migration history.

Portability notes:

* Ids are ``BIGINT`` on PostgreSQL and ``INTEGER`` on SQLite, where only ``INTEGER PRIMARY
  KEY`` is the auto-numbered rowid. ``sqlite_autoincrement`` keeps SQLite from reusing the
  id of a deleted last row, so an id once handed out always means the same submission.
* Timestamps are stored in UTC. PostgreSQL has ``timestamptz``; SQLite has no time zone,
  so ``UTCDateTime`` stores naive UTC there and hands back aware datetimes on both.
* JSON (verdicts) is stored as text we serialise ourselves, so both backends hold
  byte-identical documents.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
    text,
)

# Constraint names must be deterministic for migrations to refer to them later.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ROLES = ("student", "instructor")
STATUSES = ("pending", "graded", "failed")

metadata = MetaData(naming_convention=NAMING_CONVENTION)

Id = BigInteger().with_variant(Integer(), "sqlite")


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that goes in as an aware datetime and comes out as an aware UTC datetime."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r} given; pass a timezone-aware UTC datetime")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


accounts = Table(
    "accounts",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("username", String(64), nullable=False),
    Column("password_hash", String(255), nullable=False),
    Column("role", String(16), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    UniqueConstraint("username"),
    CheckConstraint("role IN ('student', 'instructor')", name="role"),
    sqlite_autoincrement=True,
)

# Only a SHA-256 of each token is stored: a leaked table does not let anyone sign in.
sessions = Table(
    "sessions",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("account_id", Id, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("token_hash", String(64), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("last_seen_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
    UniqueConstraint("token_hash"),
    Index(None, "account_id"),
    sqlite_autoincrement=True,
)

# One row per failed sign-in, per scope: ("username", "alice") and ("client", "10.0.0.7").
sign_in_failures = Table(
    "sign_in_failures",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("scope", String(16), nullable=False),
    Column("key", String(255), nullable=False),
    Column("failed_at", UTCDateTime(), nullable=False),
    CheckConstraint("scope IN ('username', 'client')", name="scope"),
    Index(None, "scope", "key", "failed_at"),
    Index(None, "failed_at"),
)

# A submission is stored before it is graded (status 'pending'); the verdict columns are
# written once, by the first grader to finish. Regrades never touch them (see regrades).
submissions = Table(
    "submissions",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("account_id", Id, ForeignKey("accounts.id"), nullable=False),
    Column("idempotency_key", String(64), nullable=False),
    Column("problem_id", String(200), nullable=False),
    Column("part_id", String(100), nullable=False),
    Column("seed", BigInteger(), nullable=False),
    Column("answer_kind", String(32), nullable=False),
    Column("response", Text(), nullable=False),
    Column("submitted_at", UTCDateTime(), nullable=False),
    Column("imported", Boolean(), nullable=False, server_default=false()),
    Column("status", String(16), nullable=False, server_default=text("'pending'")),
    Column("score", Float(), nullable=True),
    Column("correct", Boolean(), nullable=True),
    Column("feedback", Text(), nullable=True),
    Column("verdict_json", Text(), nullable=True),
    Column("graded_at", UTCDateTime(), nullable=True),
    UniqueConstraint("account_id", "idempotency_key"),
    CheckConstraint("status IN ('pending', 'graded', 'failed')", name="status"),
    Index(None, "account_id", "problem_id", "part_id", "submitted_at"),
    Index(None, "problem_id", "part_id"),
    Index(None, "status"),
    sqlite_autoincrement=True,
)

regrades = Table(
    "regrades",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("submission_id", Id, ForeignKey("submissions.id", ondelete="CASCADE"), nullable=False),
    Column("label", String(100), nullable=False, server_default=text("''")),
    Column("score", Float(), nullable=True),
    Column("correct", Boolean(), nullable=True),
    Column("feedback", Text(), nullable=True),
    Column("verdict_json", Text(), nullable=False),
    Column("regraded_at", UTCDateTime(), nullable=False),
    Index(None, "submission_id", "id"),
    sqlite_autoincrement=True,
)

drafts = Table(
    "drafts",
    metadata,
    Column("account_id", Id, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("problem_id", String(200), nullable=False),
    Column("part_id", String(100), nullable=False),
    Column("seed", BigInteger(), nullable=False),
    Column("text", Text(), nullable=False),
    Column("saved_at", UTCDateTime(), nullable=False),
    PrimaryKeyConstraint("account_id", "problem_id", "part_id", "seed"),
)
