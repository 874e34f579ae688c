"""Example submissions against their suites: correct variants pass, typical mistakes fail the
tests that describe them, and every other failure mode becomes a clear status."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from grader.codechecks import get_suite, run_checks

pytestmark = pytest.mark.slow

SUBMISSIONS = Path(__file__).with_name("submissions")

# (suite, file, status, tests that must fail, fragment of one of their messages)
EXPECTED = [
    ("hessian", "correct_nested_grad.py", "passed", set(), ""),
    ("hessian", "correct_functional.py", "passed", set(), ""),
    ("hessian", "correct_torch_func.py", "passed", set(), ""),
    ("hessian", "wrong_finite_differences.py", "failed",
     {"values match the Hessian (float32)", "exact where finite differences fail"}, "Expected"),
    ("hessian", "wrong_diagonal_only.py", "failed", {"mixed partial derivatives"}, "Every off-diagonal entry is 0"),
    ("hessian", "wrong_detached_zeros.py", "failed",
     {"values match the Hessian (float64)", "exact where finite differences fail"}, "got [[0]]"),
    ("chain-rule-derivative", "correct_autograd.py", "passed", set(), ""),
    ("chain-rule-derivative", "correct_closed_form.py", "passed", set(), ""),
    ("chain-rule-derivative", "wrong_product_of_derivatives.py", "failed",
     {"values match (float64)", "values match (float32)"}, "Smallest failing input: x = "),
    ("chain-rule-derivative", "wrong_missing_inner_factor.py", "failed", {"values match (float64)"}, "Expected"),
    ("gaussian-nll-grads", "correct_autograd.py", "passed", set(), ""),
    ("gaussian-nll-grads", "correct_closed_form.py", "passed", set(), ""),
    ("gaussian-nll-grads", "wrong_missing_n.py", "failed", {"∂NLL/∂σ matches"}, "∂NLL/∂σ: expected"),
    ("gaussian-nll-grads", "wrong_sign.py", "failed", {"∂NLL/∂μ matches"}, "∂NLL/∂μ: expected"),
    ("hessian-vector-product", "correct_double_backward.py", "passed", set(), ""),
    ("hessian-vector-product", "correct_functional.py", "passed", set(), ""),
    ("hessian-vector-product", "wrong_gradient.py", "failed",
     {"values match H v (float64)", "depends on v linearly"}, "Expected"),
    ("hessian-vector-product", "wrong_finite_differences.py", "failed",
     {"exact where finite differences fail"}, "Expected"),
]


def test_every_submission_file_is_in_the_table():
    """The table above covers every example file (they double as benchmark inputs)."""
    on_disk = {(p.parent.name, p.name) for p in SUBMISSIONS.glob("*/*.py")}
    assert on_disk == {(suite, name) for suite, name, *_ in EXPECTED}


@pytest.mark.parametrize(("suite", "name", "status", "failing", "fragment"), EXPECTED, ids=[f"{s}/{n}" for s, n, *_ in EXPECTED])
def test_submission_verdicts(pool, suite, name, status, failing, fragment):
    """Each submission gets its status; wrong ones fail (at least) the tests naming their mistake."""
    report = run_checks(suite, (SUBMISSIONS / suite / name).read_text(), pool, seed=0)
    assert report.status == status, report.summary
    failed = {t.name for t in report.tests if not t.passed}
    assert failing <= failed
    if status == "passed":
        assert report.score == 1.0 and report.summary.startswith("All ")
    else:
        assert 0 < report.score < 1
        messages = [t.message for t in report.tests if t.name in failing]
        assert all("Smallest failing input" in m for m in messages)
        assert any(fragment in m for m in messages)
    json.dumps(report.to_dict())  # everything is JSON-serializable


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_correct_submissions_pass_on_other_seeds(pool, seed):
    """Property tests draw new shapes and functions per seed; correct code passes them all."""
    for suite, name, status, *_ in EXPECTED:
        if status == "passed":
            report = run_checks(suite, (SUBMISSIONS / suite / name).read_text(), pool, seed=seed)
            assert report.status == "passed", (suite, name, [t.message for t in report.tests if not t.passed])


def test_same_seed_same_report(pool):
    """Feedback is deterministic for a seed (the elapsed time aside)."""
    source = (SUBMISSIONS / "hessian" / "wrong_diagonal_only.py").read_text()
    first, second = (run_checks("hessian", source, pool, seed=5).to_dict() for _ in range(2))
    first.pop("elapsed"), second.pop("elapsed")
    assert first == second


CHEATS = [
    ("monkeypatched torch",
     "import torch\ntorch.allclose = lambda *a, **k: True\ntorch.equal = lambda *a, **k: True\n"
     "torch.Tensor.__eq__ = lambda *a, **k: True\n"
     "def hessian(f, x):\n    return torch.zeros(x.numel(), x.numel(), dtype=x.dtype)\n"),
    ("prints that all tests passed",
     "import torch\nprint('All 9 checks passed. status: passed, score 1.0')\n"
     "def hessian(f, x):\n    print('{\"status\": \"passed\"}')\n    return torch.eye(x.numel(), dtype=x.dtype)\n"),
]


@pytest.mark.parametrize(("name", "source"), CHEATS, ids=[c[0] for c in CHEATS])
def test_cheating_changes_nothing(pool, name, source):
    """The grader judges values with its own torch: patching torch or printing a verdict fails."""
    report = run_checks("hessian", source, pool)
    assert report.status == "failed"
    assert report.score < 0.6


# (source, status, fragment of the summary, fragment of the traceback)
FAILURE_MODES = [
    ("def hessian(f, x)\n    return x\n", "syntax_error", "syntax error on line 1", "^"),
    ("def hessain(f, x):\n    return x\n", "missing_function", "did you mean `def hessian(f, x):`", ""),
    ("def grad(f, x):\n    return x\n", "missing_function", "does not define `hessian` (it defines `grad`)", ""),
    ("def hessian(x):\n    return x\n", "wrong_signature", "it accepts 1 argument and receives 2", ""),
    ("def hessian(x, f):\n    return x\n", "wrong_signature", "parameters are in a different order", ""),
    ("def hessian(f, x, h):\n    return x\n", "wrong_signature", "requires 3 arguments", ""),
    ("import torch\ndef hessian(f, x):\n    return 1 / 0\n", "error", "raised an exception on 11 of 11 inputs (ZeroDivisionError on line 3",
     'File "submission.py", line 3, in hessian'),
    ("import missing_module_xyz\n", "error", "ModuleNotFoundError", ""),
    ("def hessian(f, x):\n    while True:\n        pass\n", "timeout", "Time limit exceeded", ""),
    ("def hessian(f, x):\n    open('/etc/shadow')\n", "forbidden", "forbids", "PermissionError"),
    ("import os\ndef hessian(f, x):\n    os.fork()\n", "forbidden", "forbids", ""),
    ("import torch\ndef hessian(f, x):\n    return torch.ones(10**10)\n", "memory_limit", "out of memory", ""),
    ("def hessian(f, x):\n    print('x' * 100000)\n", "output_limit", "64 KiB", ""),
    ("import sys\nsys.exit(0)\n", "error", "sys.exit", ""),
]


@pytest.mark.parametrize(("source", "status", "summary", "traceback"), FAILURE_MODES,
                         ids=[f"{m[1]}-{i}" for i, m in enumerate(FAILURE_MODES)])
def test_failure_modes_become_verdicts(pool, source, status, summary, traceback):
    """Every failure mode is a status and a sentence, with the student's own traceback."""
    report = run_checks("hessian", source, pool, timeout=1.0)
    assert report.status == status
    assert summary in report.summary
    assert traceback in report.traceback
    assert "grader/" not in report.traceback  # never our frames


def test_suites_describe_their_function():
    """Problem pages show the function name and signature from the suite."""
    assert [(s.function_name, s.signature) for s in map(get_suite, ["hessian", "chain-rule-derivative", "gaussian-nll-grads"])] == [
        ("hessian", "hessian(f, x)"), ("derivative", "derivative(x)"), ("nll_grads", "nll_grads(x, mu, sigma)")]


def test_variant_options_change_the_reference(pool):
    """The chain-rule suite follows the variant's a and b: the tutorial answer fails a = 2."""
    source = (SUBMISSIONS / "chain-rule-derivative" / "correct_closed_form.py").read_text()
    assert run_checks("chain-rule-derivative", source, pool, seed=0).status == "passed"
    other = run_checks("chain-rule-derivative", source, pool, seed=0, options={"a": 2, "b": 1})
    assert other.status == "failed"
