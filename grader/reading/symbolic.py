"""Turn a reading's tree into sympy objects, node by node (never through sympify or text).

Used where real algebra is wanted: author-side operations (derivatives, eigenvalues), the
symbolic fallback of the equivalence check, and the naive baseline in the benchmark.
The tree's limits were checked when it was read, so sympy never meets ``9^9^9``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import sympy

from grader.reading.nodes import (
    Add, Call, Const, Div, Matrix, Mul, Neg, Node, Num, Op, Pow, Root, Seq, Sub, Var,
)

__all__ = ["to_sympy", "SYMPY_FUNCTIONS"]

SYMPY_FUNCTIONS = {
    "sin": sympy.sin, "cos": sympy.cos, "tan": sympy.tan, "exp": sympy.exp, "log": sympy.log,
    "sqrt": sympy.sqrt, "abs": sympy.Abs, "sinh": sympy.sinh, "cosh": sympy.cosh,
    "tanh": sympy.tanh, "sigmoid": lambda z: 1 / (1 + sympy.exp(-z)),
    "arcsin": sympy.asin, "arccos": sympy.acos, "arctan": sympy.atan,
}


def to_sympy(node: Node, symbols: Mapping[str, object] | None = None, *,
             operations: Callable[[Op, list], object] | None = None,
             vectors_as_matrices: bool = False):
    """A sympy expression (or tuple, list, Matrix) for ``node``.

    ``symbols`` maps variable names to the sympy objects to use (symbols with their
    assumptions, or values); names not in it become real symbols. ``operations`` computes
    author operations (:class:`Op` nodes); without it they are refused. With
    ``vectors_as_matrices``, ``[a, b]`` becomes a column matrix, as author math wants.
    """
    table = dict(symbols or {})

    def build(n: Node):
        if isinstance(n, Num):
            return sympy.Float(n.text, 30) if n.decimal else sympy.Rational(
                n.value.numerator, n.value.denominator)
        if isinstance(n, Const):
            return sympy.pi if n.name == "pi" else sympy.E
        if isinstance(n, Var):
            if n.name not in table:
                table[n.name] = sympy.Symbol(n.name, real=True)
            return table[n.name]
        if isinstance(n, Neg):
            return -build(n.arg)
        if isinstance(n, Add):
            return build(n.left) + build(n.right)
        if isinstance(n, Sub):
            return build(n.left) - build(n.right)
        if isinstance(n, Mul):
            return build(n.left) * build(n.right)
        if isinstance(n, Div):
            return build(n.left) / build(n.right)
        if isinstance(n, Pow):
            base = build(n.left)
            if base == sympy.E:
                return sympy.exp(build(n.right))
            return base ** build(n.right)
        if isinstance(n, Call):
            return SYMPY_FUNCTIONS[n.func](build(n.arg))
        if isinstance(n, Root):
            arg = build(n.arg)
            if n.index % 2:
                return sympy.sign(arg) * sympy.Abs(arg) ** sympy.Rational(1, n.index)
            return sympy.root(arg, n.index)
        if isinstance(n, Op):
            if operations is None:
                raise TypeError(f"{n.name}() is an author operation")
            return operations(n, [build(x) for x in n.args])
        if isinstance(n, Seq):
            items = [build(x) for x in n.items]
            if n.kind == "tuple":
                return tuple(items)
            if vectors_as_matrices and n.kind == "list" and all(
                    not isinstance(x, (list, tuple, sympy.MatrixBase)) for x in items):
                return sympy.Matrix(items)
            return items
        if isinstance(n, Matrix):
            return sympy.Matrix([[build(x) for x in row] for row in n.rows])
        raise TypeError(f"cannot convert {type(n).__name__}")

    return build(node)
