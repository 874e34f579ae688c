"""Property-based tests: equal rewrites of random expressions are accepted, near misses never.

Random expressions are built in sympy, rewritten by sympy into equal forms (expand, factor,
trigonometric and exponential identities), printed as text a student could type, and checked.
"""

from __future__ import annotations

import re

import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grader.equivalence import Outcome, compare
from grader.reading import read_math

x, y = sympy.symbols("x y", real=True)
LEAVES = st.sampled_from([x, y, sympy.Integer(1), sympy.Integer(2), sympy.Integer(3),
                          sympy.Rational(1, 2), sympy.pi])


def _extend(children):
    unary = st.sampled_from([sympy.sin, sympy.cos, lambda e: -e,
                             lambda e: sympy.log(e ** 2 + 1), lambda e: sympy.sqrt(e ** 2 + 1),
                             lambda e: e / (e ** 2 + 1)])
    binary = st.sampled_from([sympy.Add, sympy.Mul, lambda a, b: a - b,
                              lambda a, b: a * sympy.exp(sympy.sin(b))])
    return st.one_of(
        st.builds(lambda f, e: f(e), unary, children),
        st.builds(lambda f, a, b: f(a, b), binary, children, children),
        st.builds(lambda e, n: e ** n, children, st.integers(2, 3)),
    )


EXPRESSIONS = st.recursive(LEAVES, _extend, max_leaves=12).filter(lambda e: e.free_symbols)

REWRITES = [
    ("expand", sympy.expand),
    ("factor", sympy.factor),
    ("expand_trig", lambda e: sympy.expand_trig(e)),
    ("exp_split", lambda e: sympy.expand(e, power_exp=True, mul=False, multinomial=False)),
    ("cancel", sympy.cancel),
    ("pythagoras", lambda e: e.subs(sympy.cos(x) ** 2, 1 - sympy.sin(x) ** 2)),
    ("double_angle", lambda e: e.subs(sympy.sin(x), 2 * sympy.sin(x / 2) * sympy.cos(x / 2))),
]

MUTATIONS = [
    ("negate", lambda e: -e),
    ("plus_one", lambda e: e + 1),
    ("double", lambda e: 2 * e),
    ("tiny_drift", lambda e: e + x / 10 ** 6),
    ("sin_to_cos", lambda e: e.subs(sympy.sin, sympy.cos) if e.has(sympy.sin) else e * x),
]


def as_text(expr) -> str:
    """How a student might type a sympy expression."""
    text = sympy.sstr(expr)
    text = re.sub(r"\bE\b", "e", text)
    return text.replace("Abs(", "abs(")


def _differ(a, b) -> bool:
    """True when a and b visibly differ at one of a few real points (sympy, high precision)."""
    for point in ({x: 0.73, y: -1.31}, {x: -1.7, y: 0.41}, {x: 2.3, y: 1.9}):
        va, vb = (sympy.N(e.subs(point), 30) for e in (a, b))
        if not (va.is_real and vb.is_real):
            continue
        if abs(va - vb) > 1e-9 * (1 + abs(va)):
            return True
    return False


def _outcome(reference, response) -> Outcome:
    ref = read_math(as_text(reference), ["x", "y"]).tree
    resp = read_math(as_text(response), ["x", "y"]).tree
    return compare(ref, resp).outcome


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expr=EXPRESSIONS, rewrite=st.sampled_from(REWRITES))
def test_equal_rewrites_are_accepted(expr, rewrite):
    """Any equal rewrite sympy produces is judged equal (never unknown, never wrong)."""
    name, function = rewrite
    rewritten = function(expr)
    assert _outcome(expr, rewritten) is Outcome.EQUAL, (name, as_text(expr), as_text(rewritten))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expr=EXPRESSIONS, mutation=st.sampled_from(MUTATIONS))
def test_near_misses_are_rejected(expr, mutation):
    """A sign, a constant, a factor, a 1e-6 drift or a swapped function is never accepted."""
    name, function = mutation
    mutated = function(expr)
    if not _differ(expr, mutated):
        return  # the mutation happened to change nothing
    assert _outcome(expr, mutated) is Outcome.NOT_EQUAL, (name, as_text(expr), as_text(mutated))


@pytest.mark.parametrize("expr", [sympy.sin(x) * sympy.exp(-x ** 2), (x + y) ** 3 / (x ** 2 + 1)])
def test_printed_form_reads_back_equal(expr):
    """The text printed for a sympy expression reads back as the same expression."""
    assert read_math(as_text(expr), ["x", "y"]).to_sympy() - expr == 0 or \
        sympy.simplify(read_math(as_text(expr), ["x", "y"]).to_sympy() - expr) == 0
