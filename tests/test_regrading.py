"""grader.regrading and grader.reports: regrade runs with their diff, and exports."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pandas as pd
import pytest
from argon2 import PasswordHasher

from grader import storage
from grader.problems import default_bank
from grader.regrading import changes_frame, regrade_problem
from grader.reports import to_csv_bytes, to_excel_bytes
from grader.service import GradingService

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def db(tmp_path):
    policy = storage.AccountPolicy(hasher=PasswordHasher(time_cost=1, memory_cost=8,
                                                         parallelism=1))
    with storage.open_database(f"sqlite:///{tmp_path / 'r.sqlite3'}", policy=policy) as database:
        yield database


def test_regrade_after_the_yaml_changed_reports_the_diff(db, tmp_path):
    """A new anticipated mistake changes the feedback of a stored answer; the diff shows it."""
    folder = tmp_path / "problems"
    folder.mkdir()
    shutil.copy(ROOT / "problems/eigen-2x2.yaml", folder / "eigen-2x2.yaml")
    student = storage.create_account(db, "ann", "long enough")
    service = GradingService(db, problems_directory=folder)
    service.submit(account_id=student.id, problem_id="eigen-2x2", part_id="eigenvalues", seed=0,
                   response="1, 2", idempotency_key="key-0000001")
    unchanged = regrade_problem(db, "eigen-2x2", label="same", problems_directory=folder)
    assert (unchanged.regraded, unchanged.changes) == (1, ())
    text = (folder / "eigen-2x2.yaml").read_text()
    text = text.replace('      - answer: "[a, c]"', '      - answer: "[1, 2]"\n'
                        '        feedback: You guessed small numbers.\n'
                        '      - answer: "[a, c]"', 1)
    (folder / "eigen-2x2.yaml").write_text(text)
    default_bank(folder).refresh()
    report = regrade_problem(db, "eigen-2x2", label="with mistake", problems_directory=folder)
    [change] = report.changes
    assert "You guessed small numbers." in change.after_feedback
    assert "You guessed" not in change.before_feedback
    frame = changes_frame(report.changes)
    assert list(frame["student"]) == ["ann"]
    # The original verdict is untouched.
    assert "You guessed" not in storage.list_attempts(db, student.id)[0].feedback


def test_regrade_reports_submissions_it_cannot_grade(db, tmp_path):
    """A part that no longer exists is reported, not a crash."""
    student = storage.create_account(db, "bo", "long enough")
    storage.record_submission(db, account_id=student.id, problem_id="eigen-2x2", part_id="gone",
                              seed=0, answer_kind="set", response="1", idempotency_key="key-0000002")
    report = regrade_problem(db, "eigen-2x2")
    assert report.regraded == 0 and "KeyError" in report.failed[0][1]


def test_exports_round_trip():
    """CSV and Excel hold the gradebook, (problem, part) columns flattened."""
    frame = pd.DataFrame([[1.0, 0.5]], index=pd.Index(["ann"], name="username"),
                         columns=pd.MultiIndex.from_tuples([("p", "a"), ("p", "b")]))
    csv = to_csv_bytes(frame).decode()
    assert csv.splitlines()[0] == "username,p/a,p/b"
    back = pd.read_excel(io.BytesIO(to_excel_bytes({"book": frame})), sheet_name="book")
    assert list(back.columns) == ["username", "p/a", "p/b"] and back.iloc[0, 2] == 0.5
