"""Command-line commands for accounts and the database, to hang under the main ``grader`` CLI.

The main CLI calls ``register_commands(subparsers)``; each command sets ``func`` on the
parsed arguments, a callable taking the ``argparse.Namespace`` and returning the exit
code (0 done, 1 refused with a message on stderr). ``python -m grader.storage`` runs
these commands on their own.

Passwords are never taken from argv, where ``ps`` and the shell history would show them:
they are read from a prompt (asked twice), or with ``--password-stdin`` from the first
line of standard input, as ``docker login`` does::

    python -m grader users add alice --role instructor             # prompts
    printf '%s\\n' "$PASSWORD" | python -m grader users add alice --password-stdin
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from typing import Any

from grader.storage.accounts import (
    check_username,
    create_account,
    find_account,
    list_accounts,
    set_password,
    set_role,
)
from grader.storage.database import open_database, resolve_url
from grader.storage.errors import StorageError
from grader.storage.migration import migrate
from grader.storage.schema import ROLES


class CommandError(Exception):
    """A refusal to print as ``error: ...`` with exit code 1."""


def register_commands(subparsers: Any) -> None:
    """Add the ``users`` and ``db`` command groups to an ``argparse`` subparsers object."""
    users = subparsers.add_parser("users", help="create accounts, grant roles, reset passwords")
    user_commands = users.add_subparsers(dest="users_command", metavar="COMMAND", required=True)

    add = user_commands.add_parser("add", help="create an account (prompts for its password)")
    add.add_argument("username")
    add.add_argument("--role", choices=ROLES, default="student", help="default: student")
    _password_arguments(add)
    _database_argument(add)
    add.set_defaults(func=_guarded(run_users_add))

    role = user_commands.add_parser("set-role", help="make an account a student or an instructor")
    role.add_argument("username")
    role.add_argument("role", choices=ROLES)
    _database_argument(role)
    role.set_defaults(func=_guarded(run_users_set_role))

    password = user_commands.add_parser("set-password", help="reset a password and sign the account out everywhere")
    password.add_argument("username")
    _password_arguments(password)
    _database_argument(password)
    password.set_defaults(func=_guarded(run_users_set_password))

    listing = user_commands.add_parser("list", help="list accounts and their roles")
    listing.add_argument("--role", choices=ROLES, help="only accounts with this role")
    _database_argument(listing)
    listing.set_defaults(func=_guarded(run_users_list))

    database = subparsers.add_parser("db", help="database maintenance")
    database_commands = database.add_subparsers(dest="db_command", metavar="COMMAND", required=True)
    upgrade = database_commands.add_parser("migrate", help="bring the schema up to date (the app does this on start)")
    _database_argument(upgrade)
    upgrade.set_defaults(func=_guarded(run_db_migrate))


def run_users_add(arguments: argparse.Namespace) -> int:
    check_username(arguments.username)  # before the prompt: do not ask for a password in vain
    with open_database(arguments.database_url) as db:
        existing = find_account(db, arguments.username)
        if existing is not None:
            raise CommandError(
                f"an account called {existing.username!r} exists already ({existing.role}); to change its role run: "
                f"python -m grader users set-role {existing.username} {arguments.role}"
            )
        password = read_password(arguments, arguments.username)
        account = create_account(db, arguments.username, password, role=arguments.role)
    _say(arguments, f"created {account.role} account {account.username!r} (id {account.id})")
    return 0


def run_users_set_role(arguments: argparse.Namespace) -> int:
    with open_database(arguments.database_url) as db:
        account = set_role(db, arguments.username, arguments.role)
    _say(arguments, f"{account.username!r} is now {'an' if account.role == 'instructor' else 'a'} {account.role}")
    return 0


def run_users_set_password(arguments: argparse.Namespace) -> int:
    with open_database(arguments.database_url) as db:
        account = find_account(db, arguments.username)
        if account is None:
            raise CommandError(
                f"no account is called {arguments.username!r}; create it with: python -m grader users add"
            )
        set_password(db, account.username, read_password(arguments, account.username))
    _say(arguments, f"changed the password of {account.username!r} and signed it out everywhere")
    return 0


def run_users_list(arguments: argparse.Namespace) -> int:
    with open_database(arguments.database_url) as db:
        for account in list_accounts(db, role=arguments.role):
            _say(arguments, f"{account.id}\t{account.username}\t{account.role}\t{account.created_at:%Y-%m-%d}")
    return 0


def run_db_migrate(arguments: argparse.Namespace) -> int:
    url = resolve_url(arguments.database_url)
    revision = migrate(url)
    _say(arguments, f"{url.render_as_string(hide_password=True)} is at schema revision {revision}")
    return 0


def read_password(arguments: argparse.Namespace, username: str) -> str:
    """Return the password from stdin (``--password-stdin``) or from a prompt asked twice."""
    if arguments.password is not None:
        raise CommandError(
            "refusing --password: a password in the command line shows in 'ps' and the shell history; "
            "pipe it in with --password-stdin, or leave both out to be prompted"
        )
    if arguments.password_stdin:
        line = sys.stdin.readline()
        password = line[:-1] if line.endswith("\n") else line
        password = password[:-1] if password.endswith("\r") else password
        if not password:
            raise CommandError("--password-stdin read an empty password; pipe the password in, e.g. printf '%s\\n' ...")
        return password
    if not sys.stdin.isatty():
        raise CommandError("cannot prompt for a password: standard input is not a terminal; use --password-stdin")
    password = getpass.getpass(f"Password for {username}: ")
    if getpass.getpass("Repeat the password: ") != password:
        raise CommandError("the two passwords differ; nothing was changed")
    return password


def _password_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--password-stdin", action="store_true", help="read the password from the first line of standard input"
    )
    # Accepted only to refuse it with an explanation instead of argparse's bare "unrecognized".
    parser.add_argument("--password", help=argparse.SUPPRESS)


def _database_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--database-url",
        metavar="URL",
        default=None,
        help="default: $DATABASE_URL, else the SQLite file data/grader.sqlite3",
    )


def _guarded(command: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Turn library errors into 'error: ...' on stderr and exit code 1: errors become CLI errors only here."""

    def run(arguments: argparse.Namespace) -> int:
        try:
            return command(arguments)
        except (StorageError, CommandError) as error:
            print(f"error: {error}", file=sys.stderr)
            return 1

    run.__name__ = command.__name__
    run.__doc__ = command.__doc__
    return run


def _say(arguments: argparse.Namespace, message: str) -> None:
    print(message)


def main(argv: list[str] | None = None) -> int:
    """Run ``python -m grader.storage COMMAND ...``."""
    parser = argparse.ArgumentParser(prog="python -m grader.storage", description="Accounts and database commands.")
    register_commands(parser.add_subparsers(dest="command", metavar="COMMAND", required=True))
    arguments = parser.parse_args(argv)
    return int(arguments.func(arguments))
