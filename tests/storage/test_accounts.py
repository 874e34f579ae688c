"""Tests for grader/storage/accounts.py and passwords.py."""

from __future__ import annotations

import re

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from grader.storage import (
    Database,
    InvalidPassword,
    InvalidRole,
    InvalidUsername,
    UnknownAccount,
    UsernameTaken,
    create_account,
    find_account,
    get_account,
    list_accounts,
    set_password,
    set_role,
    sign_in,
)
from grader.storage.database import reading
from grader.storage.schema import accounts

from .conftest import fast_policy

GOOD_USERNAMES = [
    ("alice", "alice"),
    ("  Alice ", "alice"),
    ("a.b-c_d", "a.b-c_d"),
    ("ALICE@Example.ORG", "alice@example.org"),
    ("x1", "x1"),
    ("a" * 64, "a" * 64),
]


@pytest.mark.parametrize(("given", "stored"), GOOD_USERNAMES)
def test_usernames_are_stored_lower_cased(db: Database, given: str, stored: str) -> None:
    """Usernames are stripped and lower-cased, so sign-in is case-insensitive."""
    account = create_account(db, given, "long enough")
    assert account.username == stored
    assert find_account(db, stored.upper()) == account


BAD_USERNAMES = [
    ("", "is too short"),
    ("a", "is too short"),
    ("a" * 65, "has 65 characters; use at most 64"),
    ("al ice", "contains ' ' at position 3; use only letters, digits and . _ - @ +"),
    ("bob;drop", "contains ';' at position 4"),
    ("émile", "contains 'é' at position 1"),
    (".hidden", "must start with a letter or a digit"),
]


@pytest.mark.parametrize(("username", "message"), BAD_USERNAMES)
def test_bad_usernames_are_refused(db: Database, username: str, message: str) -> None:
    """A bad username is refused with the position of the first wrong character."""
    with pytest.raises(InvalidUsername, match=re.escape(message)):
        create_account(db, username, "long enough")


BAD_PASSWORDS = [
    ("short", "has 5 characters; use at least 8"),
    ("x" * 1025, "has 1025 characters; use at most 1024"),
]


@pytest.mark.parametrize(("password", "message"), BAD_PASSWORDS)
def test_bad_passwords_are_refused(db: Database, password: str, message: str) -> None:
    """Passwords outside the policy's length limits are refused and nothing is stored."""
    with pytest.raises(InvalidPassword, match=message):
        create_account(db, "alice", password)
    assert find_account(db, "alice") is None


def test_password_is_stored_as_argon2id_hash(db: Database) -> None:
    """Only an argon2id hash of the password is stored, never the password."""
    create_account(db, "alice", "correct horse")
    with reading(db) as connection:
        stored = connection.execute(select(accounts.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$") and "correct horse" not in stored
    assert db.policy.hasher.verify(stored, "correct horse")


def test_username_taken(db: Database) -> None:
    """A second account with the same name in another case is refused."""
    create_account(db, "alice", "long enough")
    with pytest.raises(UsernameTaken, match="the username 'alice' is taken; choose another one"):
        create_account(db, "ALICE", "long enough")


def test_roles(db: Database) -> None:
    """Accounts are students unless told otherwise; set_role promotes; unknown roles are refused."""
    alice = create_account(db, "alice", "long enough")
    assert alice.role == "student" and not alice.is_instructor
    assert set_role(db, "Alice", "instructor").is_instructor
    assert get_account(db, alice.id).role == "instructor"
    with pytest.raises(InvalidRole, match="role 'admin' is not one of: student, instructor"):
        set_role(db, "alice", "admin")
    with pytest.raises(InvalidRole):
        create_account(db, "bob", "long enough", role="teacher")
    with pytest.raises(UnknownAccount, match="no account is called 'nobody'"):
        set_role(db, "nobody", "student")


def test_list_accounts(db: Database) -> None:
    """Accounts are listed by username, optionally by role."""
    for name, role in (("carol", "student"), ("alice", "instructor"), ("bob", "student")):
        create_account(db, name, "long enough", role=role)
    assert [a.username for a in list_accounts(db)] == ["alice", "bob", "carol"]
    assert [a.username for a in list_accounts(db, role="student")] == ["bob", "carol"]


def test_get_unknown_account(db: Database) -> None:
    """Looking up an id that does not exist says which id."""
    with pytest.raises(UnknownAccount, match="no account has id 999"):
        get_account(db, 999)


def test_set_password_replaces_the_old_one(db: Database) -> None:
    """After a reset the old password fails and the new one works."""
    create_account(db, "alice", "old password")
    set_password(db, "alice", "new password")
    assert sign_in(db, "alice", "new password").account.username == "alice"
    with pytest.raises(UnknownAccount):
        set_password(db, "nobody", "new password")


def test_hash_is_upgraded_when_parameters_change(database_url: str, clock) -> None:  # type: ignore[no-untyped-def]
    """A hash made with old argon2 parameters is replaced at the next successful sign-in."""
    from grader.storage import open_database

    old = fast_policy()
    stronger = fast_policy(hasher=PasswordHasher(time_cost=2, memory_cost=16, parallelism=1))
    with open_database(database_url, policy=old, clock=clock) as db:
        create_account(db, "alice", "long enough")
    with open_database(database_url, policy=stronger, clock=clock) as db:
        with reading(db) as connection:
            before = connection.execute(select(accounts.c.password_hash)).scalar_one()
        assert stronger.hasher.check_needs_rehash(before)
        sign_in(db, "alice", "long enough")
        with reading(db) as connection:
            after = connection.execute(select(accounts.c.password_hash)).scalar_one()
    assert "m=16,t=2,p=1" in after and not stronger.hasher.check_needs_rehash(after)
