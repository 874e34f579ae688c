"""The set answer type: order-free matching with partial credit."""

from __future__ import annotations

import pytest

from grader import check_answer

EIGENVALUES = {"type": "set", "reference": ["(5 - sqrt(5))/2", "(5 + sqrt(5))/2"]}
POINTS = {"type": "set", "reference": [[0, 0], [1, 1], [-1, -1]]}
EIGENVECTORS = {"type": "set", "reference": [[1, "(1 + sqrt(5))/2"], [1, "(1 - sqrt(5))/2"]],
                "element": {"type": "vector", "up_to_scale": True}}


@pytest.mark.parametrize("spec, response", [
    (EIGENVALUES, "(5 + sqrt(5))/2, (5 - sqrt(5))/2"),
    (EIGENVALUES, "{3.618034, 1.381966}"),
    (EIGENVALUES, "\\left\\{\\frac{5-\\sqrt{5}}{2}, \\frac{5+\\sqrt{5}}{2}\\right\\}"),
    (EIGENVALUES, "[1.381966, 3.618034]"),
    (POINTS, "(1, 1), (-1, -1), (0, 0)"),
    (POINTS, "{(0,0), (1,1), (-1,-1)}"),
    (EIGENVECTORS, "[2, 1 + sqrt(5)], [-2, sqrt(5) - 1]"),
    (EIGENVECTORS, "[[1, 1.618034], [1, -0.618034]]"),
])
def test_accepted(spec, response):
    """Any order, any bracket style, equal forms: full credit."""
    assert check_answer(spec, response).score == 1.0


@pytest.mark.parametrize("spec, response, score, fragment", [
    (EIGENVALUES, "3.618034", 0.5, "Missing 1 of 2 expected elements."),
    (EIGENVALUES, "3.618034, 1.381966, 2", 2 / 3, "`2` is not one of the expected elements."),
    (EIGENVALUES, "3.618034, 3.618034", 1 / 3, "`3.618034` is listed more than once."),
    (EIGENVALUES, "3.62, 1.38", 0.0, "Missing 2 of 2"),
    (POINTS, "(1, 1), (-1, -1)", 2 / 3, "Missing 1 of 3"),
    (POINTS, "(1, 1), (-1, -1), (0, 0), (1, -1)", 0.75, "`(1, -1)` is not one of the expected"),
    (EIGENVECTORS, "[1, 1], [2, 1 + sqrt(5)]", 1 / 3,
     "`[1, 1]` is not parallel to any of the expected vectors."),
    (EIGENVECTORS, "[0, 0], [2, 1 + sqrt(5)]", 1 / 3, "not parallel"),
    (EIGENVALUES, "{}", 0.0, "The set is empty"),
])
def test_partial_credit(spec, response, score, fragment):
    """Missing, extra, repeated and wrong elements each cost credit and are named."""
    verdict = check_answer(spec, response)
    assert verdict.score == pytest.approx(score, abs=1e-4)
    assert fragment in verdict.feedback
    assert verdict.status == ("partial" if score else "incorrect")


def test_tuple_element_must_have_entries():
    """A plain number in a set of points is unreadable with a hint."""
    verdict = check_answer(POINTS, "(1, 1), 2")
    assert verdict.status == "invalid"
    assert "tuple or vector" in verdict.error


def test_duplicate_reference_is_an_author_error():
    """The same element twice in a reference is reported to the author."""
    from grader import SpecError

    with pytest.raises(SpecError, match="listed twice"):
        check_answer({"type": "set", "reference": [1, 1]}, "1")


def test_rounded_elements_are_named():
    """Elements that are close to the expected ones but rounded get a precision note."""
    verdict = check_answer(EIGENVALUES, "3.62, 1.38")
    assert "`3.62` is close to an expected value but not precise enough" in verdict.feedback


def test_latex_matrix_lists_its_columns_as_vectors():
    """A bmatrix typed for a set of vectors gives its columns; nested brackets give rows."""
    spec = {"type": "set", "reference": [[1, 2], [-2, 1]],
            "element": {"type": "vector", "up_to_scale": True}}
    assert check_answer(spec, "\\begin{bmatrix} 1 & -2 \\\\ 2 & 1 \\end{bmatrix}").correct
    assert check_answer(spec, "[[1, 2], [-2, 1]]").correct
    assert check_answer(spec, "\\begin{bmatrix} 1 \\\\ 2 \\end{bmatrix}, "
                              "\\begin{bmatrix} -2 \\\\ 1 \\end{bmatrix}").correct
