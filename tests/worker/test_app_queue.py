"""The practice page over the real queue: Redis, a Celery worker and PostgreSQL.

The app (AppTest, in this process) stores and enqueues; a worker process grades; the page
shows "Grading…" and then the same verdict the in-process path shows.
"""

from __future__ import annotations

import time

import pytest

from grader import storage
from grader.service import grade_submission

from app.conftest import open_problem, signed_in, submit  # tests/app/conftest.py

pytestmark = pytest.mark.slow

WRONG_HESSIAN = "import torch\n\ndef hessian(f, x):\n    return torch.zeros(x.numel(), x.numel())\n"


def run_until(at, condition, timeout: float = 90.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        at.run()
        if condition(at):
            return at
        time.sleep(0.2)
    raise AssertionError("the page never showed the verdict")


def test_code_answer_graded_by_a_worker_reaches_the_page(stack_factory, monkeypatch):
    """A code answer goes through Redis to a worker; the page shows "Grading…" and then the
    per-test verdict, identical to in-process grading; a math answer is checked at once."""
    stack = stack_factory("postgresql")
    monkeypatch.setenv("DATABASE_URL", stack.database_url)
    monkeypatch.setenv("GRADER_BROKER_URL", stack.broker_url)
    monkeypatch.setenv("GRADER_SANDBOX_WARM", "0")
    monkeypatch.setenv("GRADER_SECRET_KEY", "queue-test-secret")
    at = signed_in(stack.db, "quinn")
    open_problem(at, "hessian-autograd")
    at.file_uploader(key="upload::hessian-autograd::0::code").upload(
        "hessian.py", WRONG_HESSIAN.encode(), "text/x-python").run()
    submit(at, "hessian-autograd", "code")
    assert any("Grading…" in info.value for info in at.info)      # no worker yet: it waits
    [stored] = storage.list_attempts(stack.db, storage.find_account(stack.db, "quinn").id)
    assert (stored.status, stored.answer_kind) == ("pending", "code")

    stack.worker("w1").wait_ready()
    run_until(at, lambda page: any("Tests:" in m.value for m in page.markdown))
    expected = grade_submission("hessian-autograd", "code", 0, WRONG_HESSIAN)
    assert storage.get_submission(stack.db, stored.id).verdict == expected
    assert not expected["correct"]
    shown = [e.value for e in at.error] + [w.value for w in at.warning]
    assert any(expected["feedback"].splitlines()[0] in text for text in shown)

    # Math answers are checked in the app's process: the verdict is there after one run.
    at.switch_page("pages/practice.py")
    at.query_params["problem"] = "eigen-2x2"
    at.run()
    at.text_input(key="answer::eigen-2x2::0::eigenvalues").set_value(
        r"\frac{5-\sqrt{5}}{2}, \frac{5+\sqrt{5}}{2}").run()
    submit(at, "eigen-2x2", "eigenvalues")
    assert "Correct" in at.success[0].value
