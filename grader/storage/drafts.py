"""Drafts: the unsent text of an answer box, saved as the student types and restored on return.

One draft per (account, problem, part, seed): the same part with another seed is another
exercise, with other numbers in it. Saving overwrites; drafts are never versioned
(submissions are the history).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from grader.storage.database import Database, reading, upsert_statement, writing
from grader.storage.errors import UnknownAccount
from grader.storage.schema import drafts
from grader.storage.submissions import TEXT_LIMITS, check_response, check_seed, check_text


@dataclass(frozen=True)
class Draft:
    """A saved draft and when it was saved (e.g. for "restored your draft from 10:42")."""

    text: str
    saved_at: datetime


def save_draft(db: Database, *, account_id: int, problem_id: str, part_id: str, seed: int, text: str) -> Draft:
    """Save ``text`` as the draft of this part, replacing any earlier draft."""
    key = _key(account_id, problem_id, part_id, seed)
    text, now = check_response(text), db.now()
    try:
        with writing(db) as connection:
            connection.execute(
                upsert_statement(connection, drafts)
                .values(**key, text=text, saved_at=now)
                .on_conflict_do_update(
                    index_elements=["account_id", "problem_id", "part_id", "seed"],
                    set_={"text": text, "saved_at": now},
                )
            )
    except IntegrityError:
        raise UnknownAccount(f"no account has id {account_id}; the draft was not saved") from None
    return Draft(text=text, saved_at=now)


def load_draft(db: Database, *, account_id: int, problem_id: str, part_id: str, seed: int) -> Draft | None:
    """Return the saved draft of this part, or None if there is none."""
    key = _key(account_id, problem_id, part_id, seed)
    with reading(db) as connection:
        row = connection.execute(
            select(drafts.c.text, drafts.c.saved_at).where(*(drafts.c[name] == value for name, value in key.items()))
        ).first()
    return None if row is None else Draft(text=row.text, saved_at=row.saved_at)


def discard_draft(db: Database, *, account_id: int, problem_id: str, part_id: str, seed: int) -> bool:
    """Delete the draft of this part (e.g. once it was submitted); return whether there was one."""
    key = _key(account_id, problem_id, part_id, seed)
    with writing(db) as connection:
        result = connection.execute(delete(drafts).where(*(drafts.c[name] == value for name, value in key.items())))
        return result.rowcount > 0


def _key(account_id: int, problem_id: str, part_id: str, seed: int) -> dict[str, object]:
    return {
        "account_id": account_id,
        "problem_id": check_text("problem_id", problem_id, TEXT_LIMITS["problem_id"]),
        "part_id": check_text("part_id", part_id, TEXT_LIMITS["part_id"]),
        "seed": check_seed(seed),
    }
