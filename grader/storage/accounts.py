"""Local accounts: usernames, roles and password hashes.

Usernames are compared case-insensitively by storing them lower-cased: "Alice" signs in
as "alice". Roles are ``student`` (the default) and ``instructor``; only the command line
grants the instructor role (``python -m grader users add NAME --role instructor``), so
no page of the app can promote anyone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Row, delete, select, update

from grader.storage.database import Database, reading, upsert_statement, writing
from grader.storage.errors import InvalidRole, InvalidUsername, UnknownAccount, UsernameTaken
from grader.storage.passwords import hash_password
from grader.storage.schema import ROLES, accounts, sessions

USERNAME_MAX_LENGTH = 64
USERNAME_CHARACTERS = "letters, digits and . _ - @ +"
_ALLOWED = re.compile(r"[a-z0-9._@+-]")


@dataclass(frozen=True)
class Account:
    """An account as the app sees it; the password hash never leaves this package."""

    id: int
    username: str
    role: str
    created_at: datetime

    @property
    def is_instructor(self) -> bool:
        return self.role == "instructor"


def normalize_username(username: str) -> str:
    """Return ``username`` as it is stored and compared: stripped and lower-cased."""
    return username.strip().lower()


def check_username(username: str) -> str:
    """Return the normalised ``username``, or raise ``InvalidUsername`` saying what to change."""
    if not isinstance(username, str):
        raise InvalidUsername(f"the username must be text, got {type(username).__name__}")
    name = normalize_username(username)
    if len(name) < 2:
        raise InvalidUsername(
            f"the username {username!r} is too short; use 2 to {USERNAME_MAX_LENGTH} characters: {USERNAME_CHARACTERS}"
        )
    if len(name) > USERNAME_MAX_LENGTH:
        raise InvalidUsername(f"the username has {len(name)} characters; use at most {USERNAME_MAX_LENGTH}")
    for position, character in enumerate(name, start=1):
        if not _ALLOWED.fullmatch(character):
            raise InvalidUsername(
                f"the username {name!r} contains {character!r} at position {position}; use only {USERNAME_CHARACTERS}"
            )
    if not name[0].isalnum():
        raise InvalidUsername(f"the username {name!r} must start with a letter or a digit")
    return name


def check_role(role: str) -> str:
    """Return ``role`` if it is a known role, else raise ``InvalidRole``."""
    if role not in ROLES:
        raise InvalidRole(f"role {role!r} is not one of: {', '.join(ROLES)}")
    return role


def create_account(db: Database, username: str, password: str, *, role: str = "student") -> Account:
    """Create an account and return it; raise ``UsernameTaken`` if the name is in use."""
    name, role = check_username(username), check_role(role)
    password_hash = hash_password(password, db.policy)  # slow on purpose: outside the transaction
    with writing(db) as connection:
        return insert_account(connection, name, password_hash, role, db.now())


def insert_account(connection: Connection, username: str, password_hash: str, role: str, now: datetime) -> Account:
    """Insert an already checked account inside the caller's transaction."""
    statement = (
        upsert_statement(connection, accounts)
        .values(username=username, password_hash=password_hash, role=role, created_at=now)
        .on_conflict_do_nothing(index_elements=["username"])
        .returning(accounts.c.id)
    )
    account_id = connection.execute(statement).scalar()
    if account_id is None:
        raise UsernameTaken(f"the username {username!r} is taken; choose another one")
    return Account(id=account_id, username=username, role=role, created_at=now)


def get_account(db: Database, account_id: int) -> Account:
    """Return the account with this id, or raise ``UnknownAccount``."""
    with reading(db) as connection:
        row = connection.execute(select(*_COLUMNS).where(accounts.c.id == account_id)).first()
    if row is None:
        raise UnknownAccount(f"no account has id {account_id}")
    return _account(row)


def find_account(db: Database, username: str) -> Account | None:
    """Return the account called ``username`` (any case), or None."""
    with reading(db) as connection:
        row = connection.execute(select(*_COLUMNS).where(accounts.c.username == normalize_username(username))).first()
    return None if row is None else _account(row)


def list_accounts(db: Database, *, role: str | None = None) -> list[Account]:
    """Return every account, or those with ``role``, ordered by username."""
    query = select(*_COLUMNS).order_by(accounts.c.username)
    if role is not None:
        query = query.where(accounts.c.role == check_role(role))
    with reading(db) as connection:
        return [_account(row) for row in connection.execute(query)]


def set_role(db: Database, username: str, role: str) -> Account:
    """Give the account called ``username`` the ``role``; return the updated account."""
    role = check_role(role)
    with writing(db) as connection:
        row = connection.execute(
            update(accounts)
            .where(accounts.c.username == normalize_username(username))
            .values(role=role)
            .returning(*_COLUMNS)
        ).first()
    if row is None:
        raise UnknownAccount(f"no account is called {normalize_username(username)!r}")
    return _account(row)


def set_password(db: Database, username: str, password: str) -> None:
    """Replace the password of ``username`` and end all of its sessions (a reset locks others out)."""
    password_hash = hash_password(password, db.policy)
    with writing(db) as connection:
        account_id = connection.execute(
            update(accounts)
            .where(accounts.c.username == normalize_username(username))
            .values(password_hash=password_hash)
            .returning(accounts.c.id)
        ).scalar()
        if account_id is None:
            raise UnknownAccount(f"no account is called {normalize_username(username)!r}")
        connection.execute(delete(sessions).where(sessions.c.account_id == account_id))


_COLUMNS = (accounts.c.id, accounts.c.username, accounts.c.role, accounts.c.created_at)


def _account(row: Row) -> Account:
    return Account(id=row.id, username=row.username, role=row.role, created_at=row.created_at)
