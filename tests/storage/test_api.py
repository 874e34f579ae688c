"""The public API of grader.storage: pinned, documented, and free of UI imports."""

from __future__ import annotations

import inspect
import subprocess
import sys

import grader.storage
from grader.storage.database import PROJECT_ROOT

EXPECTED = {
    "Account", "AccountError", "AccountPolicy", "Database", "DatabaseURLError", "Draft", "GuestImport",
    "GuestSubmission", "IdempotencyKeyConflict", "InvalidPassword", "InvalidRole", "InvalidSubmission",
    "InvalidUsername", "InvalidVerdict", "MigrationError", "PartAnalytics", "PartStatus", "RegradeChange",
    "SessionExpired", "SignIn", "SignInFailed", "StorageError", "Submission", "SubmissionError",
    "TooManyAttempts", "UnknownAccount", "UnknownSession", "UnknownSubmission", "UsernameTaken",
    "authenticate", "best_scores", "create_account", "create_account_from_guest", "current_revision",
    "discard_draft", "export_account_data", "find_account", "get_account", "get_submission", "gradebook",
    "head_revision", "list_accounts", "list_attempts", "list_ungraded", "load_draft", "migrate",
    "open_database", "part_statuses", "problem_analytics", "progress_frame", "record_grading_error",
    "record_regrade", "record_submission", "record_verdict", "regrade_changes", "resolve_url", "save_draft",
    "set_password", "set_role", "sign_in", "sign_out", "sign_out_everywhere", "store_submission",
    "submissions_for_regrade",
}  # fmt: skip


def test_public_names_are_pinned() -> None:
    """Adding or removing a public name is a deliberate change to this list."""
    assert set(grader.storage.__all__) == EXPECTED
    assert len(grader.storage.__all__) == len(EXPECTED)


def test_every_public_name_is_documented() -> None:
    """Each exported function and class says what it is for."""
    undocumented = [name for name in grader.storage.__all__ if not inspect.getdoc(getattr(grader.storage, name))]
    assert undocumented == []


def test_errors_subclass_builtins_callers_already_catch() -> None:
    """Lookups are LookupErrors and bad input is a ValueError, so generic handlers keep working."""
    assert issubclass(grader.storage.UnknownSubmission, LookupError)
    assert issubclass(grader.storage.InvalidSubmission, ValueError)
    assert issubclass(grader.storage.TooManyAttempts, grader.storage.StorageError)


def test_storage_imports_no_ui() -> None:
    """grader.storage is headless: importing it loads neither streamlit nor anything under it."""
    probe = "import sys, grader.storage, grader.storage.cli; print(sorted(m for m in sys.modules if 'streamlit' in m))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=PROJECT_ROOT, check=True)
    assert result.stdout.strip() == "[]"


README = (PROJECT_ROOT / "grader" / "storage" / "README.md").read_text()


def test_readme_names_every_public_name() -> None:
    """Each exported name is mentioned in grader/storage/README.md."""
    assert [name for name in grader.storage.__all__ if f"`{name}`" not in README] == []


def test_readme_documents_every_command() -> None:
    """Each registered CLI command has a row in the README's command table."""
    import argparse

    from grader.storage.cli import register_commands

    subparsers = argparse.ArgumentParser().add_subparsers()
    register_commands(subparsers)
    commands = [
        f"{group} {command}"
        for group, parser in subparsers.choices.items()
        for action in parser._subparsers._group_actions  # type: ignore[union-attr]
        for command in action.choices
    ]
    assert len(commands) == 5
    assert [command for command in commands if f"| `{command}" not in README] == []


def test_readme_example_runs(sqlite_url: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The README's example runs as written, with stand-ins for what the page provides."""
    import types
    import uuid

    example = README.split("```python\n", 1)[1].split("```", 1)[0]
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    page = {
        "st": types.SimpleNamespace(session_state={}),  # what Streamlit would provide
        "uuid": uuid,
        "address": "192.0.2.1",
        "part": "a",
        "text": "2*x + 1",
        "verdict": {"score": 1.0, "correct": True},
    }
    exec(compile(example, "README.md", "exec"), page)  # noqa: S102 - our own documentation
    assert page["storage"].get_submission(page["db"], page["submission_id"]).status == "graded"
    page["db"].close()
