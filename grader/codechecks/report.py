"""What a check run reports: frozen values whose fields are the JSON keys the CLI prints.

CodeReport.status, from best to worst news:

    passed            every test passed
    failed            the function ran on every input but some test failed
    syntax_error      the file does not parse (see `traceback` for the line and caret)
    missing_function  the file defines no function of the required name
    wrong_signature   the function cannot be called as the exercise calls it
    error             the student's code raised (or exited, or crashed); `traceback` is theirs
    timeout           the time limit was reached
    memory_limit      an allocation hit the memory limit
    output_limit      too much printed output, returned data or file data
    forbidden         a refused operation: network, processes, files outside the scratch dir,
                      or writing to the grader's result channel
    internal_error    the sandbox failed; not the student's fault, safe to resubmit
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

STATUSES = (
    "passed", "failed", "syntax_error", "missing_function", "wrong_signature", "error", "timeout",
    "memory_limit", "output_limit", "forbidden", "internal_error",
)


@dataclass(frozen=True)
class TestResult:
    """One property test: what was checked, and on failure the smallest failing input."""

    __test__ = False  # not a pytest test class

    name: str
    passed: bool
    message: str


@dataclass(frozen=True)
class CodeReport:
    suite: str
    status: str  # one of STATUSES
    score: float  # fraction of tests passed, in [0, 1]
    summary: str  # one sentence for the student
    tests: tuple[TestResult, ...]
    traceback: str  # the student's own traceback (syntax error caret, exception), or ""
    output: str  # what the student's code printed, trimmed
    seed: int
    elapsed: float  # seconds the student's code ran

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)
