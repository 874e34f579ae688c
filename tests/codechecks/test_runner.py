"""The runner's judgement without a sandbox: signatures, registry errors, report shape."""

from __future__ import annotations

import pytest

from grader.codechecks import STATUSES, get_suite
from grader.codechecks.runner import _signature_problem, report
from grader.sandbox import Parameter, RunResult

P = "POSITIONAL_OR_KEYWORD"


def parameters(*specs: str) -> tuple[Parameter, ...]:
    """'f' required, 'h=' defaulted, '*args' varargs, 'k*' required keyword-only."""
    result = []
    for spec in specs:
        if spec.startswith("*"):
            result.append(Parameter(spec[1:], "VAR_POSITIONAL", False))
        elif spec.endswith("*"):
            result.append(Parameter(spec[:-1], "KEYWORD_ONLY", False))
        else:
            result.append(Parameter(spec.rstrip("="), P, spec.endswith("=")))
    return tuple(result)


@pytest.mark.parametrize(
    ("specs", "problem"),
    [
        (("f", "x"), None),
        (("f", "x", "h="), None),
        (("*args",), None),
        (("func", "point"), None),  # other names are fine when called positionally
        (("x",), "it accepts 1 argument and receives 2"),
        (("x", "f"), "parameters are in a different order"),
        (("f", "x", "h"), "it requires 3 arguments and receives 2"),
        (("f", "x", "h*"), "keyword-only parameter(s) h would never be given"),
    ],
)
def test_signature_table(specs, problem):
    found = _signature_problem(get_suite("hessian"), parameters(*specs))
    if problem is None:
        assert found is None
    else:
        assert problem in found and "the exercise calls `hessian(f, x)`" in found


def test_unknown_suite_suggests_the_closest():
    with pytest.raises(KeyError, match="unknown code check suite 'hesian' — did you mean 'hessian'"):
        get_suite("hesian")


@pytest.mark.parametrize(
    ("status", "expected"),
    [("tampered", "forbidden"), ("sandbox_error", "internal_error"), ("rejected", "error"), ("crashed", "error"),
     ("result_limit", "output_limit"), ("load_error", "error")],
)
def test_sandbox_statuses_map_to_report_statuses(status, expected):
    """Every sandbox outcome becomes one of the documented report statuses, with no tests run."""
    suite = get_suite("hessian")
    result = RunResult(status, "message for the student", None, (), None, (), "", False, 0.0)
    code_report = report(suite, suite.cases(0), result, 0)
    assert code_report.status == expected and code_report.status in STATUSES
    assert code_report.summary == "message for the student" and code_report.score == 0.0


def test_cases_are_deterministic_and_varied():
    """The same seed gives the same cases; another seed gives other inputs."""
    for name in ("hessian", "chain-rule-derivative", "gaussian-nll-grads"):
        suite = get_suite(name)
        assert [c.label for c in suite.cases(0)] == [c.label for c in suite.cases(0)]
        assert [c.label for c in suite.cases(0)] != [c.label for c in suite.cases(1)]
