"""The expression answer type: accepted and rejected forms, and the feedback."""

from __future__ import annotations

import pytest

from grader import SpecError, check_answer

CHAIN = {"type": "expression", "reference": "-4x e^(-2x^2) cos(e^(-2x^2))", "variables": ["x"]}
GAUSS_MU = {"type": "expression", "reference": "-(x - mu)/sigma^2",
            "variables": {"x": "real", "mu": "real", "sigma": "positive"}}
GAUSS_SIGMA = {"type": "expression", "reference": "1/sigma - (x - mu)^2/sigma^3",
               "variables": {"x": "real", "mu": "real", "sigma": "positive"}}


@pytest.mark.parametrize("spec, response", [
    (CHAIN, "-4x e^{-2x^2} \\cos(e^{-2x^2})"),
    (CHAIN, "cos(exp(-2x^2)) * (-4 x exp(-2 x^2))"),
    (CHAIN, "-4x\\exp(-2x^2)\\cos\\left(\\exp(-2x^2)\\right)"),
    (GAUSS_MU, "(mu - x)/sigma^2"),
    (GAUSS_MU, "\\frac{\\mu - x}{\\sigma^2}"),
    (GAUSS_MU, "(μ − x)/σ²"),
    (GAUSS_SIGMA, "(sigma^2 - (x-mu)^2)/sigma^3"),
    (GAUSS_SIGMA, "1/σ − (x−μ)²/σ³"),
])
def test_accepted(spec, response):
    """Equal forms in plain text, Unicode and LaTeX all score 1."""
    verdict = check_answer(spec, response)
    assert (verdict.correct, verdict.score, verdict.status) == (True, 1.0, "correct")
    assert verdict.read_as


@pytest.mark.parametrize("spec, response, fragment", [
    (CHAIN, "4x e^(-2x^2) cos(e^(-2x^2))", "off by a sign"),
    (CHAIN, "-2x e^(-x^2) cos(e^(-x^2))", "For example, at x = 1"),
    (CHAIN, "cos(e^(-2x^2))", "the expected value is"),
    (GAUSS_MU, "(x - mu)/sigma^2", "off by a sign"),
    (GAUSS_SIGMA, "-1/sigma + (x - mu)^2/sigma^3", "off by a sign"),
    (GAUSS_SIGMA, "1/sigma - (x - mu)^2/sigma^2", "Not equal"),
])
def test_rejected_with_reason(spec, response, fragment):
    """Near misses score 0 and the feedback says why."""
    verdict = check_answer(spec, response)
    assert (verdict.correct, verdict.score, verdict.status) == (False, 0.0, "incorrect")
    assert fragment in verdict.feedback


def test_counterexample_can_be_turned_off():
    """With counterexample: false the feedback names no point."""
    verdict = check_answer({**CHAIN, "counterexample": False}, "cos(e^(-2x^2))")
    assert verdict.counterexample is None
    assert "at x =" not in verdict.feedback


def test_unreadable_response_has_located_error():
    """An unreadable response is a verdict with the error and its caret, not an exception."""
    verdict = check_answer(GAUSS_MU, "(mu - y)/sigma^2")
    assert verdict.status == "invalid" and verdict.score == 0.0
    assert verdict.error == "`y` is not a variable of this part; use `mu`, `sigma`, `x`"
    assert verdict.error_offset == 6
    assert verdict.error_caret.splitlines()[1] == "      ^"


def test_structure_is_not_an_expression():
    """A vector typed for an expression part is unreadable, with a hint."""
    verdict = check_answer(CHAIN, "[x, 1]")
    assert verdict.status == "invalid"
    assert "expected a single expression" in verdict.error


def test_variables_default_to_the_references():
    """Without a variables key the reference's own variables are allowed."""
    assert check_answer({"type": "expression", "reference": "2x"}, "x + x").correct
    assert check_answer({"type": "expression", "reference": "2x"}, "2y").status == "invalid"


def test_domain_changes_the_verdict():
    """log(sigma^2) = 2 log(sigma) only when sigma is declared positive."""
    spec = {"type": "expression", "reference": "log(sigma^2)"}
    assert not check_answer(spec, "2 log(sigma)").correct
    assert check_answer({**spec, "variables": {"sigma": "positive"}}, "2 log(sigma)").correct


def test_interval_domain():
    """An interval domain confines the comparison: sqrt(x^2) is x on [0, 1]."""
    spec = {"type": "expression", "reference": "x", "variables": {"x": "[0, 1]"}}
    assert check_answer(spec, "sqrt(x^2)").correct


@pytest.mark.parametrize("spec, path, fragment", [
    ({"type": "expression", "reference": "2y", "variables": ["x"]}, "answer.reference",
     "`y` is not a variable"),
    ({"type": "expression", "reference": "x", "variables": {"x": "posit"}}, "answer.variables",
     "unknown domain 'posit'"),
    ({"type": "expression", "reference": "x", "variables": ["e"]}, "answer.variables",
     "cannot be a variable name"),
    ({"type": "expression", "reference": "x", "varibles": ["x"]}, "answer.varibles",
     "unknown key"),
    ({"type": "expression"}, "answer.reference", "missing required key"),
    ({"type": "expression", "reference": "[1, 2]"}, "answer.reference", "is a vector"),
])
def test_author_errors_name_the_key(spec, path, fragment):
    """A broken spec raises SpecError naming the key path and what is wrong."""
    with pytest.raises(SpecError) as info:
        check_answer(spec, "x")
    assert info.value.path == path
    assert fragment in info.value.message


def test_finite_domain():
    """A label declared {0, 1} is compared only at 0 and 1."""
    spec = {"type": "expression", "reference": "p^y (1 - p)^(1 - y)",
            "variables": {"y": "{0, 1}", "p": "(0, 1)"}}
    assert check_answer(spec, "y p + (1 - y)(1 - p)").correct
    assert not check_answer({**spec, "variables": {"y": "[0, 1]", "p": "(0, 1)"}},
                            "y p + (1 - y)(1 - p)").correct


def test_check_past_its_time_bound_is_unknown_not_wrong():
    """A check that cannot finish in its time bound is 'unknown' with score 0, never 'wrong'."""
    verdict = check_answer({**CHAIN, "timeout": 1e-6}, "cos(e^(-2x^2))")
    assert (verdict.status, verdict.score, verdict.correct) == ("unknown", 0.0, False)
    assert "could not be confirmed" in verdict.feedback and "did not finish" in verdict.feedback
