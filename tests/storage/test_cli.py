"""Tests for grader/storage/cli.py: the users and db commands, driven through argparse."""

from __future__ import annotations

import argparse
import io
import subprocess
import sys

import pytest

from grader.storage import create_account, find_account, open_database, sign_in
from grader.storage.cli import register_commands
from grader.storage.database import PROJECT_ROOT

from .conftest import fast_policy


def run(argv: list[str], monkeypatch: pytest.MonkeyPatch, stdin: str = "", tty: bool = False) -> int:
    """Parse ``argv`` as the main CLI would (after register_commands) and run the command."""
    fake_stdin = io.StringIO(stdin)
    fake_stdin.isatty = lambda: tty  # type: ignore[method-assign]
    monkeypatch.setattr(sys, "stdin", fake_stdin)
    parser = argparse.ArgumentParser(prog="grader")
    register_commands(parser.add_subparsers(dest="command", required=True))
    arguments = parser.parse_args(argv)
    return int(arguments.func(arguments))


def test_add_instructor_with_password_on_stdin(sqlite_url: str, monkeypatch: pytest.MonkeyPatch, capsys) -> None:  # type: ignore[no-untyped-def]
    """`users add NAME --role instructor --password-stdin` creates an instructor who can sign in."""
    code = run(
        ["users", "add", "Ivy", "--role", "instructor", "--password-stdin", "--database-url", sqlite_url],
        monkeypatch,
        "s3cret pass\n",
    )
    assert code == 0
    assert capsys.readouterr().out == "created instructor account 'ivy' (id 1)\n"
    with open_database(sqlite_url, policy=fast_policy()) as db:
        assert sign_in(db, "ivy", "s3cret pass").account.is_instructor


def test_database_url_comes_from_the_environment(sqlite_url: str, monkeypatch: pytest.MonkeyPatch, capsys) -> None:  # type: ignore[no-untyped-def]
    """Without --database-url the command uses DATABASE_URL, like the app."""
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    assert run(["users", "add", "sam", "--password-stdin"], monkeypatch, "long enough\n") == 0
    with open_database(sqlite_url) as db:
        assert find_account(db, "sam") is not None


def test_prompted_password_is_asked_twice(sqlite_url: str, monkeypatch: pytest.MonkeyPatch, capsys) -> None:  # type: ignore[no-untyped-def]
    """On a terminal the password is prompted for twice (getpass, no echo)."""
    answers = iter(["typed password", "typed password"])
    prompts: list[str] = []
    monkeypatch.setattr("getpass.getpass", lambda prompt: prompts.append(prompt) or next(answers))
    assert run(["users", "add", "ivy", "--database-url", sqlite_url], monkeypatch, tty=True) == 0
    assert prompts == ["Password for ivy: ", "Repeat the password: "]


# (argv after the url is added, stdin, is a terminal, getpass answers, expected error text)
REFUSALS = [
    (
        ["users", "add", "ivy", "--password", "hunter22"],
        "",
        True,
        [],
        "refusing --password: a password in the command line shows in 'ps'",
    ),
    (
        ["users", "add", "ivy"],
        "",
        False,
        [],
        "cannot prompt for a password: standard input is not a terminal; use --password-stdin",
    ),
    (["users", "add", "ivy", "--password-stdin"], "\n", False, [], "--password-stdin read an empty password"),
    (
        ["users", "add", "ivy", "--password-stdin"],
        "short\n",
        False,
        [],
        "the password has 5 characters; use at least 8",
    ),
    (
        ["users", "add", "ivy"],
        "",
        True,
        ["one password", "another one"],
        "the two passwords differ; nothing was changed",
    ),
    (["users", "add", "i v"], "long enough\n", False, [], "contains ' ' at position 2"),
    (
        ["users", "add", "old", "--password-stdin", "--role", "instructor"],
        "long enough\n",
        False,
        [],
        "an account called 'old' exists already (student); to change its role run: "
        "python -m grader users set-role old instructor",
    ),
    (["users", "set-role", "nobody", "instructor"], "", False, [], "no account is called 'nobody'"),
    (
        ["users", "set-password", "nobody", "--password-stdin"],
        "long enough\n",
        False,
        [],
        "no account is called 'nobody'; create it with",
    ),
]


@pytest.mark.parametrize(("argv", "stdin", "tty", "answers", "message"), REFUSALS)
def test_refusals_explain_what_to_do(
    sqlite_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys,
    argv: list[str],
    stdin: str,
    tty: bool,
    answers: list[str],
    message: str,  # type: ignore[no-untyped-def]
) -> None:
    """Each refusal exits 1 with one 'error: ...' line that says what to do instead."""
    with open_database(sqlite_url, policy=fast_policy()) as db:
        create_account(db, "old", "long enough")
    replies = iter(answers)
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(replies))
    assert run([*argv, "--database-url", sqlite_url], monkeypatch, stdin, tty) == 1
    error = capsys.readouterr().err
    assert error.startswith("error: ") and message in error, error
    with open_database(sqlite_url) as db:
        assert find_account(db, "ivy") is None


def test_set_role_set_password_and_list(sqlite_url: str, monkeypatch: pytest.MonkeyPatch, capsys) -> None:  # type: ignore[no-untyped-def]
    """Promote a student, reset a password, and list the accounts."""
    url = ["--database-url", sqlite_url]
    run(["users", "add", "sam", "--password-stdin", *url], monkeypatch, "first password\n")
    assert run(["users", "set-role", "SAM", "instructor", *url], monkeypatch) == 0
    assert run(["users", "set-password", "sam", "--password-stdin", *url], monkeypatch, "second password\r\n") == 0
    capsys.readouterr()
    assert run(["users", "list", *url], monkeypatch) == 0
    assert capsys.readouterr().out.split("\t")[:3] == ["1", "sam", "instructor"]
    with open_database(sqlite_url, policy=fast_policy()) as db:
        assert sign_in(db, "sam", "second password").account.is_instructor


def test_db_migrate(empty_database_url: str, monkeypatch: pytest.MonkeyPatch, capsys) -> None:  # type: ignore[no-untyped-def]
    """`db migrate` brings an empty database to the head revision and says so, hiding any password."""
    assert run(["db", "migrate", "--database-url", empty_database_url], monkeypatch) == 0
    assert capsys.readouterr().out.rstrip().endswith("is at schema revision 0001")


def test_runs_as_a_module(sqlite_url: str) -> None:
    """`python -m grader.storage users add` works from a shell, password piped in."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "grader.storage",
            "users",
            "add",
            "ivy",
            "--role",
            "instructor",
            "--password-stdin",
            "--database-url",
            sqlite_url,
        ],
        input="long enough\n",
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        check=False,
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "created instructor account 'ivy' (id 1)\n", "")


def test_every_command_has_help() -> None:
    """Each registered command documents itself in --help."""
    parser = argparse.ArgumentParser(prog="grader")
    subparsers = parser.add_subparsers(dest="command")
    register_commands(subparsers)
    for group, commands in (("users", ["add", "set-role", "set-password", "list"]), ("db", ["migrate"])):
        help_text = subparsers.choices[group].format_help()
        for command in commands:
            assert command in help_text
