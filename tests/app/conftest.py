"""Fixtures for the app's AppTest tests: a fresh database per test, and signed-in users.

AppTest runs the real ``app.py`` (navigation, sidebar, pages) in this process, so the
database is chosen by ``DATABASE_URL`` exactly as in production; the app's cached
resources are keyed by that URL, so each test gets its own database.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from streamlit.testing.v1 import AppTest

from grader import storage

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery"


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[storage.Database]:
    url = f"sqlite:///{tmp_path / 'app.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("GRADER_SANDBOX_WARM", "0")   # tests that need the sandbox start it
    monkeypatch.setenv("GRADER_SECRET_KEY", "app-test-secret")
    policy = storage.AccountPolicy(hasher=PasswordHasher(time_cost=1, memory_cost=8,
                                                         parallelism=1))
    with storage.open_database(url, policy=policy) as database:
        yield database


def new_app() -> AppTest:
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)


def signed_in(db: storage.Database, username: str, role: str = "student",
              at: AppTest | None = None) -> AppTest:
    """An app whose session is signed in as ``username`` (created if needed)."""
    if storage.find_account(db, username) is None:
        storage.create_account(db, username, PASSWORD, role=role)
    session = storage.sign_in(db, username, PASSWORD)
    at = at or new_app()
    at.session_state["auth"] = {"token": session.token, "account": session.account}
    return at


def open_problem(at: AppTest, problem_id: str, seed: int | str = 0) -> AppTest:
    at.switch_page("pages/practice.py")
    at.query_params["problem"] = problem_id
    at.query_params["seed"] = str(seed)
    return at.run()


def answer_box(at: AppTest, problem_id: str, part_id: str, seed: int = 0):
    return at.text_input(key=f"answer::{problem_id}::{seed}::{part_id}")


def submit(at: AppTest, problem_id: str, part_id: str, seed: int = 0) -> AppTest:
    return at.button(key=f"submit::{problem_id}::{seed}::{part_id}").click().run()


def texts(elements) -> list[str]:
    return [str(element.value) for element in elements]
