"""The number answer type."""

from __future__ import annotations

import pytest

from grader import check_answer

HALF_ROOT_TWO = {"type": "number", "reference": "sqrt(2)/2"}


@pytest.mark.parametrize("response", ["0.70710678", "sqrt(2)/2", "1/sqrt(2)", "\\frac{\\sqrt{2}}{2}",
                                      "√2/2", "0.7071067811865476", "2^(-1/2)"])
def test_accepted(response):
    """Decimals within rtol and exact forms are accepted."""
    assert check_answer(HALF_ROOT_TWO, response).correct


@pytest.mark.parametrize("response, fragment", [
    ("0.7071", "close"),
    ("0.7", "Not equal"),
    ("-sqrt(2)/2", "off by a sign"),
    ("sqrt(-2)", "no real value"),
    ("1/0", "no real value"),
])
def test_rejected(response, fragment):
    """Numbers outside the tolerance are wrong, and the feedback says how."""
    verdict = check_answer(HALF_ROOT_TWO, response)
    assert not verdict.correct and fragment in verdict.feedback


def test_tolerance_is_configurable():
    """rtol and atol come from the spec."""
    spec = {"type": "number", "reference": 3.1416, "rtol": 1e-3}
    assert check_answer(spec, "pi").correct
    assert not check_answer({"type": "number", "reference": 3.1416}, "pi").correct


def test_yaml_number_reference():
    """A reference given as a YAML number works."""
    assert check_answer({"type": "number", "reference": 4}, "2^2").correct


def test_variables_are_refused():
    """A number part accepts no variables."""
    verdict = check_answer(HALF_ROOT_TWO, "x/2")
    assert verdict.status == "invalid" and "not a variable" in verdict.error
