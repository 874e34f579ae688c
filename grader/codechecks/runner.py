"""`run_checks`: run a suite's cases in the sandbox and turn everything into a CodeReport.

Every way a submission can go wrong ends here as a status and one sentence; nothing raises to
the caller except an unknown suite name (an authoring error). Values are judged in this process
with the grader's torch, so a student's monkeypatched `torch.allclose` or a printed "all tests
passed" changes nothing.
"""

from __future__ import annotations

import difflib
from typing import Sequence

from grader.codechecks.registry import get_suite
from grader.codechecks.report import CodeReport, TestResult
from grader.codechecks.suite import Case, Suite, grade
from grader.sandbox import CallOutcome, Parameter, RunResult, SandboxPool

# RunResult statuses that end the run before grading, and what the student is told.
_SANDBOX_STATUS = {
    "syntax_error": "syntax_error",
    "missing_function": "missing_function",
    "load_error": "error",
    "exited": "error",
    "crashed": "error",
    "rejected": "error",
    "forbidden": "forbidden",
    "tampered": "forbidden",
    "memory_limit": "memory_limit",
    "timeout": "timeout",
    "output_limit": "output_limit",
    "result_limit": "output_limit",
    "sandbox_error": "internal_error",
}
_CATEGORY_STATUS = {"forbidden": "forbidden", "memory_limit": "memory_limit", "file_limit": "output_limit", "exit": "error",
                    "exception": "error"}
_CATEGORY_SENTENCE = {
    "forbidden": "tried an operation the sandbox forbids (network, starting processes, or files outside its "
                 "scratch directory)",
    "memory_limit": "ran out of memory (the limit is 2 GiB)",
    "file_limit": "wrote a file beyond the 16 MiB size limit",
    "exit": "called sys.exit or raised SystemExit",
    "exception": "raised an exception",
}


def run_checks(suite: str, source: str, pool: SandboxPool, *, seed: int = 0, timeout: float = 5.0,
               options: dict | None = None) -> CodeReport:
    """Check `source` against suite `suite`; the same seed (and options) gives the same inputs
    and feedback. `options` are the variant's numbers the suite uses (see `Suite.options`)."""
    spec = get_suite(suite)
    cases = spec.cases(seed, options or {})
    result = pool.run(source, spec.function_name, [case.call() for case in cases], timeout=timeout)
    return report(spec, cases, result, seed)


def report(spec: Suite, cases: Sequence[Case], result: RunResult, seed: int) -> CodeReport:
    """Build the CodeReport for one RunResult (separate from run_checks so it can be tested alone)."""

    def make(status: str, summary: str, tests: Sequence[TestResult] = (), traceback: str = "") -> CodeReport:
        score = sum(t.passed for t in tests) / len(tests) if tests else 0.0
        return CodeReport(spec.name, status, round(score, 4), summary, tuple(tests), traceback, result.output, seed,
                          round(result.elapsed, 4))

    error_text = result.error.traceback if result.error else ""
    if result.status == "missing_function":
        return make("missing_function", _missing(spec, result.names))
    if result.status in ("timeout", "output_limit", "result_limit", "crashed", "exited") and result.parameters is not None:
        # the function loaded and some calls may have finished: grade them, the rest fail
        tests = grade(spec, cases, result.calls, finished=False)
        return make(_SANDBOX_STATUS[result.status], result.message, tests, _first_traceback(result.calls) or error_text)
    if result.status != "completed":
        return make(_SANDBOX_STATUS[result.status], result.message, traceback=error_text)
    wrong = _signature_problem(spec, result.parameters)
    if wrong:
        return make("wrong_signature", wrong)
    tests = grade(spec, cases, result.calls, finished=True)
    failed = [t for t in tests if not t.passed]
    raised = [c for c in result.calls if not c.ok and c.error is not None]
    if raised:
        worst = _worst(raised)
        assert worst.error is not None
        line = f" on line {worst.error.line}" if worst.error.line else ""
        summary = (f"Your `{spec.function_name}` {_CATEGORY_SENTENCE[worst.error.category]} on {len(raised)} of "
                   f"{len(cases)} inputs ({worst.error.type}{line}: {worst.error.message}).")
        return make(_CATEGORY_STATUS[worst.error.category], summary, tests, worst.error.traceback)
    if not failed:
        return make("passed", f"All {len(tests)} checks passed on {len(cases)} inputs.", tests)
    return make("failed", f"Your `{spec.function_name}` passed {len(tests) - len(failed)} of {len(tests)} checks; "
                f"the first that failed is “{failed[0].name}”.", tests)


def _worst(raised: list[CallOutcome]) -> CallOutcome:
    order = ("forbidden", "memory_limit", "file_limit", "exit", "exception")
    return min(raised, key=lambda c: order.index(c.error.category) if c.error else len(order))


def _first_traceback(calls: Sequence[CallOutcome]) -> str:
    return next((c.error.traceback for c in calls if c.error is not None), "")


def _missing(spec: Suite, names: Sequence[str]) -> str:
    close = difflib.get_close_matches(spec.function_name, names, n=1)
    if close:
        return f"Your file defines `{close[0]}` but no `{spec.function_name}` — did you mean `def {spec.signature}:`?"
    defined = f" (it defines {', '.join(f'`{n}`' for n in names)})" if names else ""
    return f"Your file does not define `{spec.function_name}`{defined}; add `def {spec.signature}:`."


def _signature_problem(spec: Suite, parameters: tuple[Parameter, ...] | None) -> str | None:
    """Can the function be called as spec.function_name(*spec.parameters)? If not, say why."""
    if parameters is None:
        return None
    wanted = len(spec.parameters)
    positional = [p for p in parameters if p.kind in ("POSITIONAL_ONLY", "POSITIONAL_OR_KEYWORD")]
    varargs = any(p.kind == "VAR_POSITIONAL" for p in parameters)
    required = [p for p in positional if not p.has_default]
    required_keywords = [p.name for p in parameters if p.kind == "KEYWORD_ONLY" and not p.has_default]
    shown = ", ".join(p.name if p.kind != "VAR_POSITIONAL" else f"*{p.name}" for p in parameters
                      if p.kind != "VAR_KEYWORD")
    yours = f"Your function is `{spec.function_name}({shown})`, but the exercise calls `{spec.signature}`"
    if len(required) > wanted:
        return f"{yours}: it requires {len(required)} arguments and receives {wanted}."
    if len(positional) < wanted and not varargs:
        return f"{yours}: it accepts {len(positional)} argument{'s' * (len(positional) != 1)} and receives {wanted}."
    if required_keywords:
        return f"{yours}: the keyword-only parameter(s) {', '.join(required_keywords)} would never be given."
    names = [p.name for p in positional[:wanted]]
    if sorted(names) == sorted(spec.parameters) and names != list(spec.parameters):
        return f"{yours}: the parameters are in a different order; use `{spec.signature}`."
    return None
