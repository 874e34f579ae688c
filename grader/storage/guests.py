"""Turning a guest into an account, keeping the work they did as a guest.

A guest's submissions live in the Streamlit session (``st.session_state``, which is held
on the server, so its verdicts were computed by us and can be trusted), not in the
database; the app keeps them as ``GuestSubmission`` values. When the guest signs up,
``create_account_from_guest`` creates the account and imports those submissions in one
transaction: either the account exists with all of them, or nothing was written (e.g.
the username was taken) and the guest can pick another name and try again.

Imported submissions keep the guest's timestamps and verdicts and are marked
``imported`` (their times come from the browser session, not from the server).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import insert

from grader.storage.accounts import Account, check_username, insert_account
from grader.storage.database import Database, writing
from grader.storage.errors import InvalidSubmission, InvalidVerdict
from grader.storage.passwords import hash_password
from grader.storage.schema import submissions
from grader.storage.submissions import submission_values
from grader.storage.verdicts import encode_verdict


@dataclass(frozen=True)
class GuestSubmission:
    """One answer a guest submitted, as the app kept it in the browser session."""

    problem_id: str
    part_id: str
    seed: int
    answer_kind: str
    response: str
    submitted_at: datetime
    verdict: Mapping[str, Any] | None = None
    idempotency_key: str = field(default_factory=lambda: str(uuid.uuid4()))


@dataclass(frozen=True)
class GuestImport:
    """The new account and the ids of the imported submissions, in the order given."""

    account: Account
    submission_ids: tuple[int, ...]


def create_account_from_guest(
    db: Database,
    username: str,
    password: str,
    submissions_to_import: Sequence[GuestSubmission],
) -> GuestImport:
    """Create a student account and import the guest's submissions into it, all or nothing.

    Always a student: signing up from a page must never be a way to become an instructor.
    """
    name = check_username(username)
    rows = [_row(position, guest) for position, guest in enumerate(submissions_to_import)]
    keys = [row["idempotency_key"] for row in rows]
    if len(set(keys)) != len(keys):
        raise InvalidSubmission("two guest submissions share an idempotency key; each needs its own")
    password_hash = hash_password(password, db.policy)
    with writing(db) as connection:
        account = insert_account(connection, name, password_hash, "student", db.now())
        ids = tuple(
            int(
                connection.execute(
                    insert(submissions).values(account_id=account.id, **row).returning(submissions.c.id)
                ).scalar_one()
            )
            for row in rows
        )
    return GuestImport(account=account, submission_ids=ids)


def _row(position: int, guest: GuestSubmission) -> dict[str, Any]:
    where = f"guest submission {position}"
    try:
        values = submission_values(
            problem_id=guest.problem_id,
            part_id=guest.part_id,
            seed=guest.seed,
            answer_kind=guest.answer_kind,
            response=guest.response,
            idempotency_key=guest.idempotency_key,
        )
    except InvalidSubmission as error:
        raise InvalidSubmission(f"{where}: {error}") from None
    if not isinstance(guest.submitted_at, datetime) or guest.submitted_at.utcoffset() is None:
        raise InvalidSubmission(f"{where}: submitted_at must be a timezone-aware datetime, got {guest.submitted_at!r}")
    values.update(submitted_at=guest.submitted_at, imported=True)
    if guest.verdict is not None:
        try:
            encoded = encode_verdict(guest.verdict)
        except InvalidVerdict as error:
            raise InvalidVerdict(f"{where}: {error}") from None
        values.update(
            status="graded",
            score=encoded.score,
            correct=encoded.correct,
            feedback=encoded.feedback,
            verdict_json=encoded.json,
            graded_at=guest.submitted_at,
        )
    return values
