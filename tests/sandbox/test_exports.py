"""The public names of the sandbox and code-check packages are pinned."""

import grader.codechecks
import grader.sandbox


def test_sandbox_exports():
    assert sorted(grader.sandbox.__all__) == [
        "CallOutcome", "Capabilities", "ErrorInfo", "Layer", "Limits", "Parameter", "RunResult", "SandboxError",
        "SandboxPool", "function_argument", "number_argument", "tensor_argument",
    ]


def test_codechecks_exports():
    assert sorted(grader.codechecks.__all__) == [
        "Case", "CodeReport", "Property", "STATUSES", "Suite", "TestResult", "get_suite", "run_checks", "suite_names",
    ]
