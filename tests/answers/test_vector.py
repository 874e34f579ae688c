"""The vector answer type, with and without up_to_scale."""

from __future__ import annotations

import pytest

from grader import check_answer

EIGEN = {"type": "vector", "reference": "[1, (1 + sqrt(5))/2]", "up_to_scale": True}
GRADIENT = {"type": "vector", "reference": ["4x^3 - 4y", "4y^3 - 4x"], "variables": ["x", "y"]}


@pytest.mark.parametrize("spec, response", [
    (EIGEN, "[1, 1.618034]"),
    (EIGEN, "[2, 1 + sqrt(5)]"),
    (EIGEN, "[-1, -(1+√5)/2]"),
    (EIGEN, "((sqrt(5) - 1)/2, 1)"),
    (EIGEN, "\\begin{bmatrix} 2 \\\\ 1 + \\sqrt{5} \\end{bmatrix}"),
    (GRADIENT, "[4x^3 - 4y, 4y^3 - 4x]"),
    (GRADIENT, "(4(x^3 - y), 4(y^3 - x))"),
])
def test_accepted(spec, response):
    """Multiples (for up_to_scale) and equal entries are accepted."""
    assert check_answer(spec, response).correct


@pytest.mark.parametrize("spec, response, fragment", [
    (EIGEN, "[0, 0]", "the zero vector is not accepted"),
    (EIGEN, "[1, 1]", "not parallel"),
    (EIGEN, "[1, 2, 3]", "wrong length: expected 2 entries, got 3"),
    (GRADIENT, "[4x^3 - 4y, 4y^3 + 4x]", "entry 2 is wrong"),
    ({**EIGEN, "up_to_scale": False}, "[2, 1 + sqrt(5)]", "entries 1, 2 are wrong"),
])
def test_rejected(spec, response, fragment):
    """The zero vector, wrong directions, lengths and entries are named."""
    verdict = check_answer(spec, response)
    assert not verdict.correct and fragment in verdict.feedback


def test_rounded_too_early_is_named():
    """Entries that are close but imprecise get a hint to keep more digits."""
    verdict = check_answer({"type": "vector", "reference": ["-1/3", "sqrt(2)/2"]},
                           "[-0.3333, 0.7071]")
    assert not verdict.correct and "close but not precise enough" in verdict.feedback
