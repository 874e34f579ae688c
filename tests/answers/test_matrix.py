"""The matrix answer type: shape first, then entries."""

from __future__ import annotations

import pytest

from grader import check_answer

HESSIAN = {"type": "matrix", "reference": [["12x^2", -4], [-4, "12y^2"]], "variables": ["x", "y"]}
PLAIN = {"type": "matrix", "reference": "[[1, 2], [3, 4]]"}


@pytest.mark.parametrize("spec, response", [
    (HESSIAN, "[[12x^2, -4], [-4, 12y^2]]"),
    (HESSIAN, "\\begin{bmatrix} 12x^2 & -4 \\\\ -4 & 12y^2 \\end{bmatrix}"),
    (HESSIAN, "[12 x^2, -4; -4, 12 y^2]"),
    (PLAIN, "[[1, 2], [3, 4]]"),
    (PLAIN, "\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}"),
    (PLAIN, "[[1.0, 2.0], [3, 4]]"),
])
def test_accepted(spec, response):
    """Lists of rows, LaTeX matrices and semicolon rows are all accepted."""
    assert check_answer(spec, response).correct


@pytest.mark.parametrize("spec, response, feedback", [
    (PLAIN, "[[1, 2, 0], [3, 4, 0]]", "Wrong shape: expected 2×2, got 2×3."),
    (PLAIN, "[[1, 3], [2, 4]]", "Not the expected matrix: it is transposed (rows and columns swapped)."),
    (PLAIN, "[[1, 2], [3, 5]]", "Not the expected matrix: entry (2, 2) is wrong (row, column)."),
    (HESSIAN, "[[12x^2, 4], [4, 12y^2]]",
     "Not the expected matrix: entries (1, 2), (2, 1) are wrong (row, column)."),
])
def test_rejected(spec, response, feedback):
    """Wrong shape, transposition and wrong entries are each named."""
    verdict = check_answer(spec, response)
    assert (verdict.correct, verdict.feedback) == (False, feedback)


def test_transposed_shape_is_named():
    """A 3×2 answer to a 2×3 matrix that is its transpose says so."""
    spec = {"type": "matrix", "reference": [[1, 2, 3], [4, 5, 6]]}
    verdict = check_answer(spec, "[[1, 4], [2, 5], [3, 6]]")
    assert verdict.feedback == ("Wrong shape: expected 2×3, got 3×2. It is the transpose of the "
                                "expected matrix.")


def test_not_a_matrix():
    """A scalar typed for a matrix part is unreadable with a hint."""
    verdict = check_answer(PLAIN, "5")
    assert verdict.status == "invalid" and "expected a matrix" in verdict.error


@pytest.mark.parametrize("response", ["1/6 [[5, -2], [-2, 2]]", "[[5, -2], [-2, 2]]/6",
                                      "\\frac{1}{6}\\begin{bmatrix}5&-2\\\\-2&2\\end{bmatrix}"])
def test_number_times_matrix(response):
    """A number in front of (or dividing) a matrix scales every entry."""
    assert check_answer({"type": "matrix", "reference": "[[5/6, -1/3], [-1/3, 1/3]]"},
                        response).correct
