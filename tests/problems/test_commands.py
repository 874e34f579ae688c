"""The grade and list commands and the problem API."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import grader

from conftest import ROOT


def _grader(*args, **kwargs):
    return subprocess.run([sys.executable, "-m", "grader", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, **kwargs)


def test_grade_prints_the_contract():
    """grade prints exactly the contract's keys."""
    done = _grader("grade", "--problem", "eigen-2x2", "--part", "eigenvalues", "--response",
                   "(5+sqrt(5))/2, (5-sqrt(5))/2")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result == {"problem": "eigen-2x2", "part": "eigenvalues", "seed": 0, "correct": True,
                      "score": 1.0, "feedback": "Correct.", "tests": []}


def test_grade_uses_the_seed():
    """The seed picks the variant: the tutorial's answer is wrong at another seed."""
    problem = grader.load_problem("eigen-2x2")
    other = next(s for s in range(1, 20) if grader.problems.instantiate(problem, s)
                 .part("eigenvalues").response != "5/2 - sqrt(5)/2, sqrt(5)/2 + 5/2")
    done = _grader("grade", "--problem", "eigen-2x2", "--part", "eigenvalues", "--seed",
                   str(other), "--response", "(5+sqrt(5))/2, (5-sqrt(5))/2")
    assert json.loads(done.stdout)["correct"] is False


def test_grade_reads_a_file(tmp_path):
    """--file reads the response from a file."""
    path = tmp_path / "answer.txt"
    path.write_text("2, 3")
    done = _grader("grade", "--problem", "eigen-2x2", "--part", "eigenvalues", "--file", str(path))
    result = json.loads(done.stdout)
    assert result["correct"] is False and "diagonal entries" in result["feedback"]


@pytest.mark.parametrize("args, message", [
    (["--problem", "nope", "--part", "x", "--response", "1"],
     "error: no problem 'nope'; the problems are: "),
    (["--problem", "eigen-2x2", "--part", "nope", "--response", "1"],
     "error: problem 'eigen-2x2' has no part 'nope'; its parts are eigenvalues, eigenvectors"),
    (["--problem", "eigen-2x2", "--part", "eigenvalues", "--file", "/no/such/file"],
     "error: cannot read /no/such/file"),
])
def test_grade_errors_name_the_valid_choices(args, message):
    """An unknown problem or part exits 2 with the valid ids."""
    done = _grader("grade", *args)
    assert done.returncode == 2 and message in done.stderr and done.stdout == ""


def test_list_shows_problems():
    """list prints id, title, topic and parts of every problem."""
    done = _grader("list", "--json")
    rows = {row["id"]: row for row in json.loads(done.stdout)}
    assert rows["eigen-2x2"]["parts"] == "eigenvalues, eigenvectors, verify"
    assert rows["eigen-2x2"]["topic"] == "linear-algebra"


def test_grade_part_api_feedback_for_mistake():
    """An anticipated mistake gets its own feedback first, then the general one."""
    result = grader.grade_part("eigen-2x2", "eigenvalues", "2, 3")
    assert result.mistake == 0
    assert result.feedback.startswith("Those are the diagonal entries")
    assert result.score == 0.0


def test_grade_response_may_start_with_a_minus():
    """A response such as -(x - mu)/sigma^2 is not mistaken for an option."""
    done = _grader("grade", "--problem", "eigen-2x2", "--part", "eigenvalues", "--response", "-2, 3")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["score"] == 0.0
