"""Show a reading back as LaTeX, exactly as it was understood (nothing simplified).

The point is to let a student check the reading before submitting: ``1/2x`` comes back as
``\\frac{1}{2} x``, ``sin x^2`` as ``\\sin\\left(x^{2}\\right)``. Parentheses appear where the
tree needs them, never where the student's only served as grouping.
"""

from __future__ import annotations

from grader.reading.nodes import (
    Add, Call, Const, Div, Matrix, Mul, Neg, Node, Num, Op, Pow, Root, Seq, Sub, Var,
)
from grader.reading.vocabulary import GREEK

__all__ = ["to_latex"]

# Binding strength: higher binds tighter.
SUM, PRODUCT, UNARY, POWER, ATOM = 1, 2, 3, 4, 5

FUNCTION_LATEX = {
    "sin": "\\sin", "cos": "\\cos", "tan": "\\tan", "exp": "\\exp", "log": "\\ln",
    "sinh": "\\sinh", "cosh": "\\cosh", "tanh": "\\tanh", "sigmoid": "\\operatorname{sigmoid}",
    "arcsin": "\\arcsin", "arccos": "\\arccos", "arctan": "\\arctan",
}


def to_latex(node: Node) -> str:
    """LaTeX for a reading's tree."""
    if isinstance(node, Seq):
        inner = ", ".join(to_latex(x) for x in node.items)
        if node.kind == "tuple":
            return f"\\left({inner}\\right)"
        if node.kind == "set":
            return f"\\left\\{{{inner}\\right\\}}"
        if node.kind == "list":
            return f"\\left[{inner}\\right]"
        return inner
    if isinstance(node, Matrix):
        body = " \\\\ ".join(" & ".join(to_latex(x) for x in row) for row in node.rows)
        return f"\\begin{{bmatrix}} {body} \\end{{bmatrix}}"
    return _latex(node)[0]


def _latex(node: Node) -> tuple[str, int]:
    """LaTeX of ``node`` and its binding strength."""
    if isinstance(node, Num):
        return _number(node.text), ATOM
    if isinstance(node, Const):
        return ("\\pi" if node.name == "pi" else "e"), ATOM
    if isinstance(node, Var):
        return _variable(node.name), ATOM
    if isinstance(node, Add):
        return f"{_wrap(node.left, SUM)} + {_wrap(node.right, SUM + 1)}", SUM
    if isinstance(node, Sub):
        return f"{_wrap(node.left, SUM)} - {_wrap(node.right, SUM + 1)}", SUM
    if isinstance(node, Neg):
        return f"-{_wrap(node.arg, UNARY)}", UNARY
    if isinstance(node, Mul):
        left = _wrap(node.left, PRODUCT)
        # x·(-2) needs its brackets, or it would read as x - 2
        right = _wrap(node.right, PRODUCT + 1 if not isinstance(node.right, Neg) else ATOM)
        # Two numbers side by side need a visible operator, or 2·3 would read as 23.
        explicit = not node.implicit or _starts_with_digit(right)
        return f"{left} \\cdot {right}" if explicit else f"{left} {right}", PRODUCT
    if isinstance(node, Div):
        return f"\\frac{{{to_latex(node.left)}}}{{{to_latex(node.right)}}}", ATOM
    if isinstance(node, Pow):
        return _power(node), POWER
    if isinstance(node, Call):
        arg = to_latex(node.arg)
        if node.func == "sqrt":
            return f"\\sqrt{{{arg}}}", ATOM
        if node.func == "abs":
            return f"\\left|{arg}\\right|", ATOM
        return f"{FUNCTION_LATEX[node.func]}\\left({arg}\\right)", ATOM
    if isinstance(node, Root):
        return f"\\sqrt[{node.index}]{{{to_latex(node.arg)}}}", ATOM
    if isinstance(node, Op):
        args = ", ".join(to_latex(x) for x in node.args)
        return f"\\operatorname{{{node.name}}}\\left({args}\\right)", ATOM
    if isinstance(node, (Seq, Matrix)):
        return to_latex(node), ATOM
    raise TypeError(f"cannot print {type(node).__name__}")


def _power(node: Pow) -> str:
    exponent = to_latex(node.right)
    base = node.left
    if isinstance(base, Call) and base.func in FUNCTION_LATEX:
        # sin^2(x) is the conventional way to show (sin x)^2.
        return f"{FUNCTION_LATEX[base.func]}^{{{exponent}}}\\left({to_latex(base.arg)}\\right)"
    text, strength = _latex(base)
    if strength < ATOM or isinstance(base, (Div, Pow)) or (
            isinstance(base, Num) and (base.value < 0 or "\\cdot" in text)):
        text = f"\\left({text}\\right)"
    return f"{text}^{{{exponent}}}"


def _wrap(node: Node, strength: int) -> str:
    text, own = _latex(node)
    return f"\\left({text}\\right)" if own < strength else text


def _number(text: str) -> str:
    mantissa, _, exponent = text.lower().partition("e")
    if not exponent:
        return mantissa
    return f"{mantissa} \\cdot 10^{{{int(exponent)}}}"


def _variable(name: str) -> str:
    base, _, sub = name.partition("_")
    shown = f"\\{base}" if base in GREEK else base
    return f"{shown}_{{{sub}}}" if sub else shown


def _starts_with_digit(text: str) -> bool:
    return text[:1].isdigit() or text[:1] == "."
