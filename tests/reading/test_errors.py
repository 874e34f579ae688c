"""Unreadable input: what the message says and where the caret lands (offset as typed)."""

from __future__ import annotations

import pytest

from grader import MathInputError, read_math

# (typed, variables, message fragment, offset of the caret)
ERRORS = [
    ("", None, "empty", None),
    ("(x+1", None, "`(` at column 1 is never closed — add the matching `)`", 0),
    ("x + (y", None, "`(` at column 5 is never closed", 4),
    ("x+1)", None, "`)` at column 4 has no matching `(`", 3),
    ("[x+1)", None, "`)` at column 5 does not match `[` at column 1", 4),
    ("sinn(x)", ["x"], "unknown function `sinn` at column 1 — did you mean `sin`?", 0),
    ("y + 1", ["x", "mu", "sigma"], "`y` is not a variable of this part; use `mu`, `sigma`, `x`", 0),
    ("xy", ["x"], "`y` (in `xy` at column 1) is not a variable", 0),
    ("2 + ", None, "ends too early: something is missing after `+`", 2),
    ("*2", None, "`*` at column 1 needs a value before it", 0),
    ("x 2", None, "a number right after `x`", 2),
    ("2 3", None, "two numbers in a row at column 3", 2),
    ("sin", None, "`sin` at column 1 needs an argument", 0),
    ("sin + 1", None, "`sin` at column 1 needs an argument", 0),
    ("|x|", None, "write abs(x)", 0),
    ("x = 2", None, "type only the value", 2),
    ("3!", None, "factorial is not supported", 1),
    ("x @ 2", None, "unexpected character `@` at column 3", 2),
    ("\\sine x", None, "unknown LaTeX command `\\sine` at column 1 — did you mean `\\sin`?", 0),
    ("\\frac{1}{2", None, "`{` at column 9 is never closed", 8),
    ("\\text{hello}", None, "text is not part of a math answer", 0),
    ("\\begin{array}1\\end{array}", None, "only the matrix environments", 0),
    ("log(x, 2)", None, "takes one argument", 3),
    ("sin^-1 x", None, "ambiguous (inverse or reciprocal?)", 0),
    ("[1, 2] + 1", None, "a vector cannot be used in a sum", 0),
    ("[[1, 2], [3]]", None, "row 2 of the matrix has 1 entries but row 1 has 2", 10),
    ("1 & 2", None, "only allowed inside \\begin{bmatrix}", 2),
    ("2xy(-sin t)", ["t"], "`x` (in `xy` at column 2) is not a variable of this part", 1),
    ("(7±5)/2", None, "type the two values separated by a comma", 2),
    ("60°", None, "give the angle in radians", 2),
    ("c = 1", ["x"], "`=` at column 3: type only the value", 2),
    ("log2(8)", None, "`log2` at column 1: logarithms here are natural; for base 2 write "
                      "log(x)/log(2)", 0),
    ("log10(x)", None, "for base 10 write log(x)/log(10)", 0),
    ("log_2(8)", None, "logarithms here are natural", 0),
    ("\\sigma(z)", ["z"], "for the sigmoid function write sigmoid(z)", 0),
    ("mu1 + mu_2", ["mu_1", "mu_2"], "`mu` is not a variable of this part; use `mu_1`, `mu_2` — "
                                     "did you mean `mu_1`?", 0),
    # offsets stay on what was typed, through Unicode rewriting
    ("π + (", None, "`(` at column 5 is never closed", 4),
    ("√x + σ²)", None, "`)` at column 8 has no matching `(`", 7),
    ("x\u202e+1", None, "invisible formatting character (U+202E", 1),
    ("x\x07", None, "invisible control character (U+0007) at column 2", 1),
    # limits
    ("9^9^9^9", None, "too large to work with", 2),
    ("10^10^10", None, "too large to work with", 0),
    ("e^(10^10)", None, "the exponent at column 4 is too large", 3),
    ("x^5000", None, "the exponent at column 3 is too large", 2),
    ("factorial(10^10)", None, "unknown function `factorial`", 0),
    ("1" * 80, None, "has 80 digits", 0),
    ("1e400", None, "exponent is limited", 0),
]


@pytest.mark.parametrize("typed, variables, fragment, offset", ERRORS)
def test_error_says_what_and_where(typed, variables, fragment, offset):
    """Each bad input gets a message with the fragment, and the caret at the offset."""
    with pytest.raises(MathInputError) as info:
        read_math(typed, variables)
    assert fragment in info.value.message
    assert info.value.offset == offset


def test_caret_lands_under_the_error():
    """The caret line puts ^ under the offending character as typed."""
    with pytest.raises(MathInputError) as info:
        read_math("π + (x")
    assert info.value.caret() == "π + (x\n    ^"


def test_caret_of_a_long_answer_shows_a_window():
    """In a long answer the caret line shows only the neighbourhood of the error."""
    with pytest.raises(MathInputError) as info:
        read_math("x+" * 500 + ")")
    first, second = info.value.caret().split("\n")
    assert len(first) < 100 and first.startswith("…")
    assert second.index("^") == first.index(")")


def test_errors_are_value_errors():
    """Student errors subclass ValueError, so callers may catch either."""
    assert issubclass(MathInputError, ValueError)
