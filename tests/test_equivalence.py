"""Three-valued equivalence: equal forms accepted, near misses never, unknown never 'wrong'."""

from __future__ import annotations

import pytest

from grader.deadline import Deadline
from grader.domains import parse_domain
from grader.equivalence import Outcome, compare
from grader.reading import read_math

POSITIVE = {"sigma": "positive", "x": "positive"}

# (reference, response, domains, expected outcome)
CASES = [
    ("2x cos(x^2)", "cos(x^2) * 2 * x", None, Outcome.EQUAL),
    ("(x+1)^2", "x^2 + 2x + 1", None, Outcome.EQUAL),
    ("sin(x)^2 + cos(x)^2", "1", None, Outcome.EQUAL),
    ("exp(x) exp(y)", "exp(x + y)", None, Outcome.EQUAL),
    ("sigmoid(x) (1 - sigmoid(x))", "e^(-x) / (1 + e^(-x))^2", None, Outcome.EQUAL),
    ("log(sigma^2)", "2 log(sigma)", {"sigma": "positive"}, Outcome.EQUAL),
    ("sqrt(x^2)", "abs(x)", None, Outcome.EQUAL),
    ("sqrt(x^2)", "x", {"x": "nonnegative"}, Outcome.EQUAL),
    ("x^(1/3)", "\\sqrt[3]{x}", None, Outcome.EQUAL),
    ("x", "x^2/x", None, Outcome.EQUAL),                      # removable point at 0
    ("(5+sqrt(5))/2", "3.618034", None, Outcome.EQUAL),         # decimal within 1e-6
    ("log(x - 500)", "2 log(sqrt(x - 500))", None, Outcome.EQUAL),  # domain far away
    ("tanh(x)", "(e^x - e^-x)/(e^x + e^-x)", None, Outcome.EQUAL),
    ("1/(sigma sqrt(2pi)) e^(-(x-mu)^2/(2 sigma^2))",
     "exp(-(x-mu)^2/(2sigma^2))/sqrt(2 pi sigma^2)", {"sigma": "positive"}, Outcome.EQUAL),
    # near misses
    ("sqrt(x^2)", "x", None, Outcome.NOT_EQUAL),
    ("log(sigma^2)", "2 log(sigma)", None, Outcome.NOT_EQUAL),  # undefined for sigma < 0
    ("(5+sqrt(5))/2", "3.62", None, Outcome.NOT_EQUAL),
    ("x", "x + 1e-6 x", None, Outcome.NOT_EQUAL),
    ("x", "x + 10^(-12) x", None, Outcome.NOT_EQUAL),
    ("0", "sin(pi x)", None, Outcome.NOT_EQUAL),
    ("2x cos(x^2)", "-2x cos(x^2)", None, Outcome.NOT_EQUAL),
    ("2x cos(x^2)", "x cos(x^2)", None, Outcome.NOT_EQUAL),
    ("x^2 + 1", "x^2", None, Outcome.NOT_EQUAL),
    ("-4x e^(-2x^2) cos(e^(-2x^2))", "-2x e^(-x^2) cos(e^(-x^2))", None, Outcome.NOT_EQUAL),
    ("(x - mu)/sigma^2", "(mu - x)/sigma^2", {"sigma": "positive"}, Outcome.NOT_EQUAL),
]


def _domains(spec):
    return {name: parse_domain(d) for name, d in (spec or {}).items()}


@pytest.mark.parametrize("reference, response, domains, outcome", CASES)
def test_outcome(reference, response, domains, outcome):
    """Equal forms are equal; near misses are not."""
    result = compare(read_math(reference).tree, read_math(response).tree, _domains(domains))
    assert result.outcome is outcome


@pytest.mark.parametrize("reference, response, relation", [
    ("2x cos(x^2)", "-2x cos(x^2)", "sign"),
    ("2x cos(x^2)", "6x cos(x^2)", "factor"),
    ("x^2 + 1", "x^2", "constant"),
    ("log(x^2)", "2 log(x)", "undefined"),
])
def test_relation_names_the_kind_of_mistake(reference, response, relation):
    """A simple mistake is named: off by a sign, a factor, a constant, or undefined."""
    result = compare(read_math(reference).tree, read_math(response).tree)
    assert result.relation == relation


def test_counterexample_is_a_real_difference():
    """The counterexample point really separates the two expressions."""
    result = compare(read_math("sqrt(x^2)").tree, read_math("x").tree)
    assert result.outcome is Outcome.NOT_EQUAL
    assert result.point["x"] < 0
    assert result.expected == pytest.approx(-result.point["x"])
    assert result.got == pytest.approx(result.point["x"])


def test_same_input_same_counterexample():
    """Feedback is deterministic: the same pair gives the same point every time."""
    first = compare(read_math("x^3").tree, read_math("x^2").tree)
    second = compare(read_math("x^3").tree, read_math("x^2").tree)
    assert first == second


def test_reference_undefined_everywhere_is_unknown_not_wrong():
    """When the reference has no real values on the domain, the outcome is unknown."""
    result = compare(read_math("sqrt(-1 - x^2)").tree, read_math("x").tree)
    assert result.outcome is Outcome.UNKNOWN
    assert "undefined" in result.reason


def test_expired_deadline_stops_the_check():
    """A check past its deadline raises CheckTimeout rather than running on."""
    from grader.errors import CheckTimeout

    with pytest.raises(CheckTimeout):
        compare(read_math("x").tree, read_math("x + 1").tree, deadline=Deadline(-1))
