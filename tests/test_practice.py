"""grader.practice: previews, MathLive LaTeX, solution gating, standings and mastery."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from grader.practice import (
    PartStanding, attempts_frame, whole_solution_unlocked, code_status_line, from_mathlive, mastery_frame, part_standing, preview,
    problem_rows, solution_unlocked, trim_traceback,
)
from grader.problems import default_bank, instantiate

ROOT = Path(__file__).resolve().parent.parent


def part(problem_id: str, part_id: str, seed: int = 0):
    return instantiate(default_bank().get(problem_id), seed).part(part_id)


@pytest.mark.parametrize("text, latex", [
    (r"\frac{5-\sqrt5}{2}, 3", r"\frac{5 - \sqrt{5}}{2}, 3"),
    ("2, 3", "2, 3"),
])
def test_preview_reads_as_the_part_reads(text, latex):
    """The preview is the part's own answer type reading the text."""
    assert preview(part("eigen-2x2", "eigenvalues"), text).latex == latex


@pytest.mark.parametrize("text, fragment, caret", [
    ("(1, 2", "never closed", "(1, 2\n^"),
    ("sinn(1), 2", "sinn", "sinn(1), 2\n^^^^"),
])
def test_preview_locates_errors(text, fragment, caret):
    """An unreadable box gets the message and a caret under the spot."""
    reading = preview(part("eigen-2x2", "eigenvalues"), text)
    assert not reading.ok and fragment in reading.message and reading.caret.startswith(caret)


def test_preview_is_none_for_empty_and_non_math():
    """Nothing to preview in an empty box or a choice part."""
    assert preview(part("eigen-2x2", "eigenvalues"), "  ") is None
    assert preview(part("transpose-identities", "rule"), "B A") is None


@pytest.mark.parametrize("latex, text", [
    (r"\left\lbrack1,2\right\rbrack", "[1,2]"),
    (r"\frac{1}{2}\placeholder{}", r"\frac{1}{2}"),
    (r"\exponentialE^{x}", "e^{x}"),
    (r"\operatorname{sigmoid}(x)", "sigmoid(x)"),
    (r"x\,y", "x y"),
])
def test_from_mathlive(latex, text):
    """MathLive's macros become the reader's subset."""
    assert from_mathlive(latex) == text


def test_solution_gating():
    """Locked until correct or N attempts; the problem's own N wins over the default."""
    problem = default_bank().get("eigen-2x2")
    assert solution_unlocked(problem, attempts=0, solved=False)[0] is False
    assert "3 attempts (1 more)" in solution_unlocked(problem, attempts=2, solved=False)[1]
    assert solution_unlocked(problem, attempts=1, solved=True)[0]
    assert solution_unlocked(problem, attempts=3, solved=False)[0]
    assert solution_unlocked(problem, attempts=1, solved=False, default_after=1)[0]
    own = problem.model_copy(update={"solution_after_attempts": 5})
    assert not solution_unlocked(own, attempts=3, solved=False, default_after=1)[0]


def _records():
    at = datetime(2026, 1, 1, tzinfo=timezone.utc)
    return attempts_frame([
        {"submitted_at": at, "problem_id": "eigen-2x2", "part_id": "eigenvalues", "seed": 0,
         "graded": True, "score": 0.5, "correct": False},
        {"submitted_at": at, "problem_id": "eigen-2x2", "part_id": "eigenvalues", "seed": 0,
         "graded": True, "score": 1.0, "correct": True},
        {"submitted_at": at, "problem_id": "eigen-2x2", "part_id": "verify", "seed": 4,
         "graded": False, "score": None, "correct": None},
    ])


def test_part_standing():
    """Attempts, best score and solved, per part and optionally per seed."""
    frame = _records()
    assert part_standing(frame, "eigen-2x2", "eigenvalues") == PartStanding(2, 1.0, True)
    standing = part_standing(frame, "eigen-2x2", "verify")
    assert (standing.attempts, standing.best_score, standing.solved) == (1, None, False)
    assert part_standing(frame, "eigen-2x2", "eigenvalues", seed=3).attempts == 0


def test_problem_rows_and_mastery():
    """Scores are points-weighted best scores; mastery sums them per topic or concept."""
    problems = list(default_bank().problems.values())
    rows = problem_rows(problems, _records()).set_index("id")
    assert rows.loc["eigen-2x2", "status"] == "in progress"
    assert rows.loc["eigen-2x2", "score"] == pytest.approx(2 / 5)   # 2 of 5 points
    assert rows.loc["p-norms", "status"] == "not started"
    topics = mastery_frame(problems, _records(), by="topic").set_index("topic")
    assert topics.loc["linear-algebra", "points_earned"] == 2
    concepts = mastery_frame(problems, _records(), by="concept").set_index("concept")
    assert concepts.loc["eigenvalues", "mastery"] > 0
    with pytest.raises(ValueError):
        mastery_frame(problems, _records(), by="week")


def test_empty_attempts():
    """No attempts: everything not started, mastery zero."""
    problems = list(default_bank().problems.values())
    frame = attempts_frame([])
    assert set(problem_rows(problems, frame)["status"]) == {"not started"}
    assert mastery_frame(problems, frame)["mastery"].sum() == 0


@pytest.mark.parametrize("status, words", [
    ("timeout", "Time limit"), ("memory_limit", "Memory limit"), ("error", "Crash"),
    ("forbidden", "Forbidden"), ("passed", None), (None, None),
])
def test_code_status_line(status, words):
    """Time-outs, memory limits and crashes get a clear line of their own."""
    line = code_status_line({"code_status": status})
    assert (line is None) if words is None else (words in line)


def test_trim_traceback_keeps_the_students_frames():
    """Frames outside the student's file are dropped."""
    traceback = ('Traceback (most recent call last):\n  File "/sandbox/harness.py", line 3, in run\n'
                 '    call()\n  File "submission.py", line 2, in hessian\n    return 1/0\n'
                 'ZeroDivisionError: division by zero')
    trimmed = trim_traceback(traceback)
    assert "harness" not in trimmed and 'File "submission.py"' in trimmed
    assert trimmed.endswith("ZeroDivisionError: division by zero")


def test_new_modules_do_not_import_streamlit():
    """The app's headless modules stay headless."""
    code = ("import sys, grader.practice, grader.insights, grader.regrading, grader.reports,"
            " grader.guest_state;"
            "print('streamlit' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "False"


def test_whole_solution_waits_for_every_part():
    """The problem's solution opens only when every part's would."""
    problem = default_bank().get("eigen-2x2")
    closed, why = whole_solution_unlocked(problem, {"eigenvalues": (1, True)})
    assert not closed and "still closed: eigenvectors, verify" in why
    opened, _ = whole_solution_unlocked(problem, {"eigenvalues": (1, True),
                                                  "eigenvectors": (3, False),
                                                  "verify": (1, True)})
    assert opened
