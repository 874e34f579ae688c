"""The package's public surface is small and pinned."""

from __future__ import annotations

import subprocess
import sys

import grader

from conftest import ROOT


def test_exported_members():
    """__all__ lists exactly the public API."""
    assert sorted(grader.__all__) == sorted([
        "list_problems", "load_problem", "grade_part", "PartResult", "check_answer",
        "read_math", "Reading", "Verdict", "GraderError", "MathInputError", "SpecError",
        "CheckTimeout",
    ])
    for name in grader.__all__:
        assert hasattr(grader, name)


def test_import_does_not_load_streamlit():
    """grader is a headless library: importing it never imports streamlit."""
    code = "import sys, grader, grader.cli; print('streamlit' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, check=True)
    assert done.stdout.strip() == "False"


def test_error_tree():
    """Student and author errors are ValueErrors; a timeout is a TimeoutError."""
    assert issubclass(grader.MathInputError, (grader.GraderError, ValueError))
    assert issubclass(grader.SpecError, (grader.GraderError, ValueError))
    assert issubclass(grader.CheckTimeout, (grader.GraderError, TimeoutError))


def test_no_eval_in_the_library():
    """No eval, exec, sympify or parse_expr call anywhere in grader/."""
    import re

    pattern = re.compile(r"\b(eval|exec|sympify|parse_expr)\(")
    offenders = [str(path.relative_to(ROOT)) for path in (ROOT / "grader").rglob("*.py")
                 if pattern.search(path.read_text(encoding="utf-8"))]
    assert offenders == []
