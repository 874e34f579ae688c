"""The `python -m grader check` contract: JSON lines in, JSON lines out, same order."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from grader.batch import check_lines

from conftest import ROOT

KEYS = {"id", "correct", "score", "feedback", "error"}
EXPR = {"type": "expression", "reference": "2x", "variables": ["x"]}


def _run(lines: list[str]) -> list[dict]:
    return [json.loads(out) for out in check_lines(lines)]


def test_output_keys_and_order():
    """Each output line has exactly the contract's keys, in input order."""
    lines = [json.dumps({"id": k, "answer": EXPR, "response": r})
             for k, r in enumerate(["x + x", "3x", "2y"])]
    out = _run(lines)
    assert [set(o) for o in out] == [KEYS] * 3
    assert [(o["id"], o["correct"], o["score"]) for o in out] == [(0, True, 1.0), (1, False, 0.0),
                                                                  (2, False, 0.0)]
    assert [o["error"] is None for o in out] == [True, True, False]


@pytest.mark.parametrize("line, fragment", [
    ("not json", "line 1: not valid JSON"),
    ("[1, 2]", "line 1: expected a JSON object"),
    (json.dumps({"id": 7, "answer": EXPR}), "line 1: missing key 'response'"),
    (json.dumps({"id": 7, "answer": EXPR, "response": 5}), "response must be a string"),
    (json.dumps({"id": 7, "answer": {"type": "vectr"}, "response": "1"}),
     "answer.type: unknown answer type 'vectr'"),
    ("[" * 100000, "line 1: not valid JSON"),
])
def test_malformed_line_gets_an_error_line(line, fragment):
    """A malformed line yields an error line with score 0, never a traceback."""
    (out,) = _run([line])
    assert fragment in out["error"]
    assert (out["correct"], out["score"]) == (False, 0.0)


def test_error_exactly_when_unreadable():
    """error is set for an unreadable response and null for a wrong one."""
    out = _run([json.dumps({"id": 1, "answer": EXPR, "response": "(x"}),
                json.dumps({"id": 2, "answer": EXPR, "response": "x"})])
    assert "never closed" in out[0]["error"] and out[0]["score"] == 0.0
    assert out[1]["error"] is None and out[1]["feedback"].startswith("Not equal")


def test_one_bad_line_never_stops_the_batch():
    """Lines after a bad one are still checked."""
    lines = ["{", json.dumps({"id": 2, "answer": EXPR, "response": "2x"}), ""]
    out = _run(lines)
    assert [o["id"] for o in out] == [None, 2] and out[1]["correct"]


def test_command_line(tmp_path):
    """The real command reads stdin and writes stdout."""
    source = "\n".join(json.dumps({"id": k, "answer": EXPR, "response": r})
                       for k, r in enumerate(["2x", "sinn(x)"]))
    done = subprocess.run([sys.executable, "-m", "grader", "check"], input=source, text=True,
                          capture_output=True, cwd=ROOT, timeout=60, check=True)
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert [o["score"] for o in out] == [1.0, 0.0]
    assert "did you mean `sin`?" in out[1]["error"]
