"""Hostile input: nothing is executed, nothing is computed without bound, nothing crashes."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from grader import check_answer

from conftest import ROOT

EXPR = {"type": "expression", "reference": "x^2", "variables": ["x"]}
MARKER = "/tmp/grader-hostile-marker"

INJECTIONS = [
    f"__import__('os').system('touch {MARKER}')",
    f"exec(\"open('{MARKER}', 'w')\")",
    f"eval(\"open('{MARKER}', 'w')\")",
    f"open('{MARKER}', 'w').write('x')",
    f"x; import os; os.system('touch {MARKER}')",
    f"(lambda: __import__('os').system('touch {MARKER}'))()",
    "Symbol('x').__class__.__mro__[-1].__subclasses__()",
    f"$(touch {MARKER})",
    f"`touch {MARKER}`",
    f"\\input{{{MARKER}}}",
    f"\\immediate\\write18{{touch {MARKER}}}",
    f"x # {MARKER}",
    "x\nimport os",
    "{{7*7}}",
    "${7*7}",
]

HUGE = [
    "9^9^9^9", "10^10^10", "factorial(10^10)", "2^2^2^2^2^2", "(10^300)^(10^300)",
    "exp(exp(exp(100)))", "x^(10^6)", "1e308 * 1e308 * x", "10^1000 x", "x^999 * x^999 * x^999",
    "(x+1)^1000 - (x+1)^1000 + x^3", "sin(10^300 x)", "e^(e^(e^(e^x)))",
]

STRANGE = [
    "(" * 10000 + "x" + ")" * 10000,
    "(" * 900 + "x" + ")" * 900,
    "-" * 1500 + "x",
    "x^" * 600 + "2",
    "x" * (1 << 20),
    "\x00x",
    "x\x1b[31m",
    "x\u202e^2",
    "\u200fx^2",
    "\ud800",
    "",
    "   ",
    "[" * 50 + "]" * 50,
    ",".join(["x"] * 1000),
    "sqrt(" * 300 + "x" + ")" * 300,
]


def _safe(verdict) -> bool:
    return verdict.error is not None or verdict.score == 0.0 or verdict.correct


@pytest.mark.timeout(30)
@pytest.mark.parametrize("text", INJECTIONS)
def test_injection_is_never_executed(text, tmp_path):
    """Code-like input is read as math or refused; the marker file is never created."""
    verdict = check_answer(EXPR, text)
    assert not verdict.correct and verdict.score == 0.0
    import os
    assert not os.path.exists(MARKER)


@pytest.mark.timeout(30)
@pytest.mark.parametrize("text", HUGE)
def test_huge_numbers_are_refused_or_bounded(text):
    """Towers and huge powers are refused with a message or judged without hanging."""
    verdict = check_answer(EXPR, text)
    assert _safe(verdict)
    if verdict.error:
        assert "too large" in verdict.error or "unknown function" in verdict.error


@pytest.mark.timeout(30)
@pytest.mark.parametrize("text", STRANGE, ids=lambda t: repr(t[:20]))
def test_strange_input_gets_a_clear_answer(text):
    """Deep nesting, megabytes, control characters: an error message, never an exception."""
    verdict = check_answer(EXPR, text)
    assert verdict.score == 0.0 and verdict.error


@pytest.mark.parametrize("text", ["x\ufeff^2", "x\u200b^2", "\u00adx^2"])
def test_invisible_joiners_are_dropped(text):
    """Zero-width spaces and byte-order marks from copy-paste are dropped, not refused."""
    assert check_answer(EXPR, text).correct


@pytest.mark.timeout(120)
def test_process_survives_the_whole_suite():
    """All hostile lines through the CLI: exit 0, one line out per line in, each an error or 0."""
    texts = INJECTIONS + HUGE + STRANGE
    source = "\n".join(json.dumps({"id": k, "answer": EXPR, "response": t})
                       for k, t in enumerate(texts))
    done = subprocess.run([sys.executable, "-m", "grader", "check"], input=source, text=True,
                          capture_output=True, cwd=ROOT, timeout=110)
    assert done.returncode == 0, done.stderr
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert [o["id"] for o in out] == list(range(len(texts)))
    assert all(o["error"] or o["score"] == 0.0 for o in out)
