"""Table tests for grader.reading: what each input reads as, and what each bad input says."""

from __future__ import annotations

import pytest
import sympy

from grader import MathInputError, read_math

x, y, mu, sigma = sympy.symbols("x y mu sigma", real=True)

# (typed, LaTeX it reads as)
READINGS = [
    ("2x+3", "2 x + 3"),
    ("2(x+1)", "2 \\left(x + 1\\right)"),
    ("(x+1)(x-1)", "\\left(x + 1\\right) \\left(x - 1\\right)"),
    ("x y", "x y"),
    ("2pi", "2 \\pi"),
    ("1.5e-3", "1.5 \\cdot 10^{-3}"),
    ("x**2", "x^{2}"),
    ("1/2x", "\\frac{1}{2} x"),
    ("sin x^2", "\\sin\\left(x^{2}\\right)"),
    ("sin^2 x", "\\sin^{2}\\left(x\\right)"),
    ("e^-x^2", "e^{-x^{2}}"),
    ("sin 2x", "\\sin\\left(2 x\\right)"),
    ("sin x cos x", "\\sin\\left(x\\right) \\cos\\left(x\\right)"),
    ("2^3^2", "2^{3^{2}}"),
    ("-x^2", "-x^{2}"),
    ("ln(x)", "\\ln\\left(x\\right)"),
    ("log x", "\\ln\\left(x\\right)"),
    ("sigmoid(x)", "\\operatorname{sigmoid}\\left(x\\right)"),
    ("abs(x)", "\\left|x\\right|"),
    ("sqrt(x)", "\\sqrt{x}"),
    ("exp x", "\\exp\\left(x\\right)"),
    ("xsinx", "x \\sin\\left(x\\right)"),
    ("2 * 3", "2 \\cdot 3"),
    ("x_1 + x_{2}", "x_{1} + x_{2}"),
    # Unicode as pasted
    ("3σ²", "3 \\sigma^{2}"),
    ("2π", "2 \\pi"),
    ("√2/2", "\\frac{\\sqrt{2}}{2}"),
    ("x · y", "x \\cdot y"),
    ("x × y", "x \\cdot y"),
    ("x − 1", "x - 1"),
    ("x⁻¹", "x^{-1}"),
    ("ｘ＋１", "x + 1"),
    ("x\u00a0+\u30001", "x + 1"),
    ("μ + λ + θ", "\\mu + \\lambda + \\theta"),
    # LaTeX
    ("\\frac{a}{b}", "\\frac{a}{b}"),
    ("\\sqrt{x}", "\\sqrt{x}"),
    ("\\sqrt[3]{x}", "\\sqrt[3]{x}"),
    ("a \\cdot b", "a \\cdot b"),
    ("a \\times b", "a \\cdot b"),
    ("e^{-x^{2}}", "e^{-x^{2}}"),
    ("\\sin x + \\cos x", "\\sin\\left(x\\right) + \\cos\\left(x\\right)"),
    ("\\exp(x) \\ln(x) \\log(x)", "\\exp\\left(x\\right) \\ln\\left(x\\right) \\ln\\left(x\\right)"),
    ("\\pi \\mu \\sigma \\lambda", "\\pi \\mu \\sigma \\lambda"),
    ("\\left( x + 1 \\right)^2", "\\left(x + 1\\right)^{2}"),
    ("\\operatorname{sigmoid}(x)", "\\operatorname{sigmoid}\\left(x\\right)"),
    ("\\sin\\left(x^2\\right)", "\\sin\\left(x^{2}\\right)"),
    # structures
    ("[[a, b], [c, d]]", "\\begin{bmatrix} a & b \\\\ c & d \\end{bmatrix}"),
    ("\\begin{bmatrix} a & b \\\\ c & d \\end{bmatrix}", "\\begin{bmatrix} a & b \\\\ c & d \\end{bmatrix}"),
    ("\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}", "\\begin{bmatrix} 1 \\\\ 2 \\end{bmatrix}"),
    ("[1, 2; 3, 4]", "\\begin{bmatrix} 1 & 2 \\\\ 3 & 4 \\end{bmatrix}"),
    ("[a, b]", "\\left[a, b\\right]"),
    ("(a, b)", "\\left(a, b\\right)"),
    ("{1, 2, 3}", "\\left\\{1, 2, 3\\right\\}"),
    ("\\{1, 2\\}", "\\left\\{1, 2\\right\\}"),
    ("1, 2, 3", "1, 2, 3"),
    ("(1, 1), (-1, -1)", "\\left(1, 1\\right), \\left(-1, -1\\right)"),
    ("{}", "\\left\\{\\right\\}"),
    ("\\mu_1 - \\sigma_{2}", "\\mu_{1} - \\sigma_{2}"),
    ("-[y + 1]", "-\\left(y + 1\\right)"),
    ("2\\left[x + 1\\right]^2", "2 \\left(x + 1\\right)^{2}"),
    ("arccos(1/2) + atan x", "\\arccos\\left(\\frac{1}{2}\\right) + \\arctan\\left(x\\right)"),
    ("2[1, 3]", "\\left[2 \\cdot 1, 2 \\cdot 3\\right]"),
    ("-[1, 2]", "\\left[-1, -2\\right]"),
    ("\\frac12 + \\dfrac1x", "\\frac{1}{2} + \\frac{1}{x}"),
    ("[(1, 2), (3, 4)]", "\\left[\\left(1, 2\\right), \\left(3, 4\\right)\\right]"),
]


@pytest.mark.parametrize("typed, latex", READINGS)
def test_reading_shows_how_input_was_read(typed, latex):
    """Each input reads as the documented LaTeX."""
    assert read_math(typed).latex == latex


# (typed, plain explicit form with the same meaning)
MEANINGS = [
    ("1/2x", "(1/2)*x"),
    ("sin x^2", "sin(x^2)"),
    ("sin^2 x", "(sin(x))^2"),
    ("e^-x^2", "exp(-(x^2))"),
    ("e^x", "exp(x)"),
    ("2^3^2", "2^(3^2)"),
    ("-x^2", "-(x^2)"),
    ("sin 2x", "sin(2*x)"),
    ("ln x", "log(x)"),
    ("\\frac{1}{2}x^{2}", "x^2/2"),
    ("\\sqrt[3]{8}", "2"),
]


@pytest.mark.parametrize("typed, explicit", MEANINGS)
def test_ambiguous_input_follows_the_documented_rule(typed, explicit):
    """Ambiguous input means what the cheat sheet says."""
    assert read_math(typed).to_sympy() == read_math(explicit).to_sympy()


@pytest.mark.parametrize("typed, kind", [
    ("x + 1", "expression"), ("[1, 2]", "vector"), ("(1, 2)", "tuple"), ("{1, 2}", "set"),
    ("1, 2", "list"), ("[[1, 2], [3, 4]]", "matrix"), ("\\begin{bmatrix}1\\end{bmatrix}", "matrix"),
])
def test_reading_kind(typed, kind):
    """The kind of a reading follows its outer brackets."""
    assert read_math(typed).kind == kind


def test_variables_restrict_names():
    """With variables given, other letters are refused and Greek names are allowed."""
    reading = read_math("log(sigma^2) + mu", ["mu", "sigma"])
    assert reading.variables == {"mu", "sigma"}
    with pytest.raises(MathInputError, match="`x` is not a variable of this part"):
        read_math("x + mu", ["mu", "sigma"])


def test_letters_split_into_known_names():
    """A run of letters splits into the part's names: xy is x·y when both are variables."""
    assert read_math("xy", ["x", "y"]).latex == "x y"
    assert read_math("sigmax", ["sigma", "x"]).latex == "\\sigma x"


def test_to_sympy_builds_objects():
    """A reading converts node by node to sympy."""
    assert read_math("2x cos(x^2)").to_sympy() == 2 * x * sympy.cos(x ** 2)
    assert read_math("[[1, 2], [3, 4]]").to_sympy() == sympy.Matrix([[1, 2], [3, 4]])
