"""``code``: a Python file defining a function, run in the sandbox against a check suite.

    answer:
      type: code
      suite: hessian                  # a check suite in grader/codechecks (names the function)
      options: {a: "a", b: "b"}       # optional: variant numbers the suite uses
      reference: solutions/hessian-autograd.py   # a correct submission (problems/ folder)
      timeout: 5                      # seconds the student's code may run

The suite names the function and its signature (``hessian(f, x)``), generates the inputs,
computes the expected values with the grader's own torch and judges what the sandboxed child
returns. The reference solution never goes near a student's run; it is what ``selftest``
submits to prove the part right, and what instructors may read.

Student code runs only in the sandbox's worker processes: a shared pool, started on first use
(or handed in with :func:`configure_pool`, as the app does), never in this process.
"""

from __future__ import annotations

import atexit
import threading
from typing import Any, Literal

from pydantic import Field, field_validator

from grader.answers.base import SpecBase, Status, Verdict
from grader.deadline import Deadline
from grader.errors import MathInputError

__all__ = ["Spec", "parse", "read_as", "check", "configure_pool", "shared_pool", "MAX_SOURCE"]

MAX_SOURCE = 200_000  # characters of a submission
POOL_SIZE = 2

_pool = None
_pool_lock = threading.Lock()


class Spec(SpecBase):
    type: Literal["code"] = "code"
    suite: str = Field(description="The check suite: hessian, chain-rule-derivative, "
                                   "gaussian-nll-grads or hessian-vector-product.")
    options: dict[str, float] = Field(default_factory=dict,
                                      description="Numbers of the variant the suite uses.")
    reference: str | None = Field(None, description="A correct submission: a .py file in the "
                                  "problems/ folder (its text once loaded).")
    timeout: float = Field(5.0, gt=0, le=60, description="Seconds the code may run.")
    seed: int = Field(0, ge=0, description="Set by the problem bank to the variant's seed: "
                                           "the test inputs vary with it.")

    @field_validator("suite")
    @classmethod
    def _known_suite(cls, value: str) -> str:
        from grader.codechecks import get_suite

        try:
            get_suite(value)
        except KeyError as exc:
            raise ValueError(exc.args[0]) from None
        return value

    def time_bound(self) -> float:
        # The sandbox enforces the run's own deadline; this only guards the grader's wait.
        return self.timeout + 30.0

    @property
    def suite_info(self):
        from grader.codechecks import get_suite

        return get_suite(self.suite)


def configure_pool(pool) -> None:
    """Use ``pool`` (a started SandboxPool) for every code check in this process."""
    global _pool
    with _pool_lock:
        _pool = pool


def shared_pool():
    """The process's sandbox pool, started on first use and closed at exit."""
    global _pool
    with _pool_lock:
        if _pool is None:
            from grader.sandbox import SandboxPool

            _pool = SandboxPool(size=POOL_SIZE).start()
            atexit.register(_pool.close)
        return _pool


def parse(text: str, spec: Spec) -> str:
    if not text.strip():
        raise MathInputError("the file is empty; define "
                             f"`def {spec.suite_info.signature}:`", None, text)
    if len(text) > MAX_SOURCE:
        raise MathInputError(f"the file is too large ({len(text):,} characters; at most "
                             f"{MAX_SOURCE:,})", None, text[:200])
    if "\x00" in text:
        raise MathInputError("the file contains a NUL byte; upload a plain-text .py file",
                             text.index("\x00"), text[:200])
    return text


def read_as(source: str) -> str:
    return ""


STATUS = {
    "passed": Status.CORRECT,
    "failed": Status.INCORRECT,
    "syntax_error": Status.INVALID,
    "missing_function": Status.INVALID,
    "wrong_signature": Status.INVALID,
    "internal_error": Status.UNKNOWN,
}


def check(source: str, spec: Spec, deadline: Deadline) -> Verdict:
    from grader.codechecks import run_checks

    report = run_checks(spec.suite, source, shared_pool(), seed=spec.seed, timeout=spec.timeout,
                        options=dict(spec.options))
    tests = tuple({"name": t.name, "passed": t.passed, "message": t.message} for t in report.tests)
    status = STATUS.get(report.status, Status.INCORRECT)
    score = report.score if status != Status.UNKNOWN else 0.0
    correct = report.status == "passed"
    if status == Status.INCORRECT and 0 < score < 1:
        status = Status.PARTIAL
    feedback = report.summary
    if report.status == "internal_error":
        feedback += " This is the grader's fault, not yours: please submit again."
    error = None
    if status == Status.INVALID:
        error = report.summary + (f"\n{report.traceback}" if report.traceback else "")
    details: dict[str, Any] = {"code_status": report.status, "traceback": report.traceback,
                               "output": report.output}
    return Verdict(correct, 1.0 if correct else round(score, 4), status, feedback, error=error,
                   read_as="", tests=tests, details=details)
