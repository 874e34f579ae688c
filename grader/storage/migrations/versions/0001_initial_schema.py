"""Initial schema: accounts, sessions, sign-in failures, submissions, regrades, drafts.

Revision ID: 0001
Revises:
Create Date: 2026-11-25

Written for both SQLite and PostgreSQL: ids are BIGINT except on SQLite, where only
INTEGER PRIMARY KEY is auto-numbered. Types are spelled out here rather than imported from
``grader.storage.schema`` so that this file keeps meaning what it meant when the schema
module changes later.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def Timestamp() -> sa.DateTime:  # noqa: N802 - reads like the other column types
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("created_at", Timestamp(), nullable=False),
        sa.CheckConstraint("role IN ('student', 'instructor')", name=op.f("ck_accounts_role")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accounts")),
        sa.UniqueConstraint("username", name=op.f("uq_accounts_username")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "sessions",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("account_id", Id, nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", Timestamp(), nullable=False),
        sa.Column("last_seen_at", Timestamp(), nullable=False),
        sa.Column("expires_at", Timestamp(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_sessions_account_id_accounts"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sessions")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_sessions_token_hash")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_sessions_account_id"), "sessions", ["account_id"])
    op.create_table(
        "sign_in_failures",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("scope", sa.String(16), nullable=False),
        sa.Column("key", sa.String(255), nullable=False),
        sa.Column("failed_at", Timestamp(), nullable=False),
        sa.CheckConstraint("scope IN ('username', 'client')", name=op.f("ck_sign_in_failures_scope")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_failures")),
    )
    op.create_index(op.f("ix_sign_in_failures_scope_key_failed_at"), "sign_in_failures", ["scope", "key", "failed_at"])
    op.create_index(op.f("ix_sign_in_failures_failed_at"), "sign_in_failures", ["failed_at"])
    op.create_table(
        "submissions",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("account_id", Id, nullable=False),
        sa.Column("idempotency_key", sa.String(64), nullable=False),
        sa.Column("problem_id", sa.String(200), nullable=False),
        sa.Column("part_id", sa.String(100), nullable=False),
        sa.Column("seed", sa.BigInteger(), nullable=False),
        sa.Column("answer_kind", sa.String(32), nullable=False),
        sa.Column("response", sa.Text(), nullable=False),
        sa.Column("submitted_at", Timestamp(), nullable=False),
        sa.Column("imported", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("status", sa.String(16), server_default=sa.text("'pending'"), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("correct", sa.Boolean(), nullable=True),
        sa.Column("feedback", sa.Text(), nullable=True),
        sa.Column("verdict_json", sa.Text(), nullable=True),
        sa.Column("graded_at", Timestamp(), nullable=True),
        sa.CheckConstraint("status IN ('pending', 'graded', 'failed')", name=op.f("ck_submissions_status")),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], name=op.f("fk_submissions_account_id_accounts")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_submissions")),
        sa.UniqueConstraint("account_id", "idempotency_key", name=op.f("uq_submissions_account_id_idempotency_key")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_submissions_account_id_problem_id_part_id_submitted_at"),
        "submissions",
        ["account_id", "problem_id", "part_id", "submitted_at"],
    )
    op.create_index(op.f("ix_submissions_problem_id_part_id"), "submissions", ["problem_id", "part_id"])
    op.create_index(op.f("ix_submissions_status"), "submissions", ["status"])
    op.create_table(
        "regrades",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("submission_id", Id, nullable=False),
        sa.Column("label", sa.String(100), server_default=sa.text("''"), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("correct", sa.Boolean(), nullable=True),
        sa.Column("feedback", sa.Text(), nullable=True),
        sa.Column("verdict_json", sa.Text(), nullable=False),
        sa.Column("regraded_at", Timestamp(), nullable=False),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submissions.id"],
            name=op.f("fk_regrades_submission_id_submissions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_regrades")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_regrades_submission_id_id"), "regrades", ["submission_id", "id"])
    op.create_table(
        "drafts",
        sa.Column("account_id", Id, nullable=False),
        sa.Column("problem_id", sa.String(200), nullable=False),
        sa.Column("part_id", sa.String(100), nullable=False),
        sa.Column("seed", sa.BigInteger(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("saved_at", Timestamp(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_drafts_account_id_accounts"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("account_id", "problem_id", "part_id", "seed", name=op.f("pk_drafts")),
    )


def downgrade() -> None:
    # Dropping a table drops its indexes too.
    for table in ("drafts", "regrades", "submissions", "sign_in_failures", "sessions", "accounts"):
        op.drop_table(table)
