"""Property-based checks for the coding exercises, run in the sandbox and judged here.

    from grader.sandbox import SandboxPool
    from grader.codechecks import run_checks, get_suite

    with SandboxPool(size=2) as pool:
        report = run_checks("hessian", source, pool, seed=7)
        print(report.status, report.score, report.summary)

Suites: "hessian" (`hessian(f, x)`), "chain-rule-derivative" (`derivative(x)`),
"gaussian-nll-grads" (`nll_grads(x, mu, sigma)`). `suite.py` holds the contract they follow.
"""

from grader.codechecks.registry import get_suite, suite_names
from grader.codechecks.report import STATUSES, CodeReport, TestResult
from grader.codechecks.runner import run_checks
from grader.codechecks.suite import Case, Property, Suite

__all__ = ["STATUSES", "Case", "CodeReport", "Property", "Suite", "TestResult", "get_suite", "run_checks", "suite_names"]
