"""A user's own data, as plain rows: for "download my data" as JSON or CSV.

Every value is a JSON type (timestamps as ISO 8601 strings in UTC), so
``json.dumps(export_account_data(db, id))`` and ``pandas.DataFrame(rows).to_csv()`` both
work as they are. Secrets are left out: the password hash and session token hashes.
Sign-in failures are left out too; they are keyed by whatever was typed as a username,
not by account.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from grader.storage.accounts import get_account
from grader.storage.database import Database, reading
from grader.storage.schema import drafts, regrades, submissions


def export_account_data(db: Database, account_id: int) -> dict[str, Any]:
    """Return ``{"account": {...}, "submissions": [...], "regrades": [...], "drafts": [...]}`` for one account."""
    account = get_account(db, account_id)
    with reading(db) as connection:
        submission_rows = connection.execute(
            select(submissions).where(submissions.c.account_id == account_id).order_by(submissions.c.id)
        ).mappings()
        exported_submissions = [_plain(row) for row in submission_rows]
        regrade_rows = connection.execute(
            select(regrades)
            .join(submissions, submissions.c.id == regrades.c.submission_id)
            .where(submissions.c.account_id == account_id)
            .order_by(regrades.c.id)
        ).mappings()
        exported_regrades = [_plain(row) for row in regrade_rows]
        draft_rows = connection.execute(
            select(drafts).where(drafts.c.account_id == account_id).order_by(drafts.c.problem_id, drafts.c.part_id)
        ).mappings()
        exported_drafts = [_plain(row) for row in draft_rows]
    return {
        "account": {
            "id": account.id,
            "username": account.username,
            "role": account.role,
            "created_at": account.created_at.isoformat(),
        },
        "submissions": exported_submissions,
        "regrades": exported_regrades,
        "drafts": exported_drafts,
    }


def _plain(row: Any) -> dict[str, Any]:
    plain = {}
    for key, value in row.items():
        if isinstance(value, datetime):
            value = value.isoformat()
        elif key in ("correct", "imported") and value is not None:
            value = bool(value)
        plain[key] = value
    return plain
