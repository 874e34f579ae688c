"""Author math: references and derived values computed with a few CAS operations.

Authors write formulas in the same language students type, plus their parameters and
derived names (any identifier) and the operations below. The text is read by the same safe
reader (never ``sympify``): the reader builds a tree, and :func:`evaluate` walks it into
sympy objects, calling the whitelisted operations itself.

    diff(f, x) diff(f, x, n)  grad(f, [x, y])  hessian(f, [x, y])  jacobian([f, g], [x, y])
    eigenvals(A)  eigenvects(A)  singular_values(A)  solve([f, g], [x, y])
    transpose(A)  det(A)  inverse(A)  trace(A)  rank(A)  dot(u, v)  norm(v)  norm(v, p)
    maxnorm(v)  diag(a, b, ...)  subs(f, x, value)  simplify(f)  expand(f)  factor(f)
    max(a, b, ...)  min(a, b, ...)  entry(A, i, j)  component(v, i)  approx(x, digits)

Vectors are sympy column matrices, so ``A*v`` is a product; eigenvalues come as a list
with multiplicity, in increasing order; ``solve`` returns the real solutions as tuples.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sympy
from sympy.printing.str import StrPrinter

from grader.errors import MathInputError
from grader.reading import read_author_math
from grader.reading.nodes import Op
from grader.reading.symbolic import to_sympy

__all__ = ["AuthorError", "OPERATIONS", "evaluate", "as_text", "as_latex", "is_defined",
           "why_undefined",
           "symbol_table"]


class AuthorError(ValueError):
    """An author formula that cannot be read or computed."""


def _vector(value) -> sympy.Matrix:
    if isinstance(value, sympy.MatrixBase):
        return value
    if isinstance(value, (list, tuple)):
        return sympy.Matrix(list(value))
    raise AuthorError(f"expected a vector, got {value}")


def _matrix(value) -> sympy.Matrix:
    if isinstance(value, sympy.MatrixBase):
        return value
    raise AuthorError(f"expected a matrix, got {value}")


def _symbols(value) -> list:
    items = list(_vector(value)) if not isinstance(value, sympy.Symbol) else [value]
    for item in items:
        if not isinstance(item, sympy.Symbol):
            raise AuthorError(f"expected variables such as [x, y], got {item}")
    return items


def _numeric_key(value):
    try:
        return (float(sympy.re(sympy.N(value))), str(value))
    except TypeError:
        return (0.0, str(value))


def _eigenvals(A) -> list:
    values = []
    for value, multiplicity in _matrix(A).eigenvals().items():
        values.extend([sympy.nsimplify(value) if value.is_Float else value] * multiplicity)
    return sorted(values, key=_numeric_key)


def _eigenvects(A) -> list:
    out = []
    for _, _, vectors in sorted(_matrix(A).eigenvects(), key=lambda t: _numeric_key(t[0])):
        out.extend(sympy.simplify(v) for v in vectors)
    return out


def _solve(equations, unknowns) -> list:
    eqs = list(_vector(equations)) if not isinstance(equations, sympy.Expr) else [equations]
    names = _symbols(unknowns)
    solutions = sympy.solve(eqs, names, dict=True)
    real = []
    for solution in solutions:
        point = tuple(sympy.simplify(solution.get(n, n)) for n in names)
        if all(v.is_real for v in point):
            real.append(point)
    return sorted(real, key=lambda p: tuple(_numeric_key(v) for v in p))


def _singular_values(A) -> list:
    """min(m, n) singular values, largest first (sympy's own adds zeros for a wide matrix)."""
    M = _matrix(A)
    gram = M * M.T if M.rows <= M.cols else M.T * M
    values = [sympy.sqrt(v) for v in _eigenvals(gram)]
    return sorted((sympy.simplify(v) for v in values), key=_numeric_key, reverse=True)


def _norm(v, p=2):
    return _vector(v).norm(p)


def _entry(A, i, j):
    return _matrix(A)[int(i) - 1, int(j) - 1]


def _component(v, i):
    """The i-th element (1-based) of a vector, or of a list such as solve()'s points."""
    if isinstance(v, (list, tuple)):
        item = v[int(i) - 1]
        # solve() in one unknown gives 1-tuples: the point (1,) is the number 1
        return item[0] if isinstance(item, tuple) and len(item) == 1 else item
    return _vector(v)[int(i) - 1]


def _approx(value, digits=4):
    """A decimal approximation, for showing a value in a solution (≈ 0.1995)."""
    if isinstance(value, (list, tuple)):
        return type(value)(_approx(v, digits) for v in value)
    return sympy.N(value, int(digits))


def _max(*args):
    items = list(args[0]) if len(args) == 1 and isinstance(args[0], (list, sympy.MatrixBase)) \
        else list(args)
    return sympy.Max(*items)


def _min(*args):
    items = list(args[0]) if len(args) == 1 and isinstance(args[0], (list, sympy.MatrixBase)) \
        else list(args)
    return sympy.Min(*items)


OPERATIONS: dict[str, Any] = {
    "diff": lambda f, x, n=1: sympy.diff(f, x, int(n)),
    "grad": lambda f, xs: sympy.Matrix([sympy.diff(f, x) for x in _symbols(xs)]),
    "hessian": lambda f, xs: sympy.hessian(f, _symbols(xs)),
    "jacobian": lambda fs, xs: _vector(fs).jacobian(_symbols(xs)),
    "eigenvals": _eigenvals,
    "eigenvects": _eigenvects,
    "singular_values": _singular_values,
    "solve": _solve,
    "transpose": lambda A: _matrix(A).T if isinstance(A, sympy.MatrixBase) else _vector(A).T,
    "det": lambda A: _matrix(A).det(),
    "inverse": lambda A: _matrix(A).inv(),
    "trace": lambda A: _matrix(A).trace(),
    "rank": lambda A: sympy.Integer(_matrix(A).rank()),
    "dot": lambda u, v: _vector(u).dot(_vector(v)),
    "norm": _norm,
    "maxnorm": lambda v: max((abs(x) for x in _vector(v)), key=_numeric_key),
    "diag": lambda *xs: sympy.diag(*xs),
    "subs": lambda f, x, value: (f.subs(x, value) if not isinstance(f, list)
                                 else [e.subs(x, value) for e in f]),
    "simplify": sympy.simplify,
    "expand": sympy.expand,
    "factor": sympy.factor,
    "max": _max,
    "min": _min,
    "entry": _entry,
    "component": _component,
    "approx": _approx,
}


def symbol_table(domains: Mapping[str, str]) -> dict[str, sympy.Symbol]:
    """sympy symbols with assumptions for declared symbol domains (default: real)."""
    table = {}
    for name, domain in domains.items():
        kind = str(domain).strip().lower()
        assumptions = {"positive": {"positive": True}, "nonnegative": {"nonnegative": True},
                       "negative": {"negative": True}}.get(kind, {"real": True})
        table[name] = sympy.Symbol(name, **assumptions)
    return table


def evaluate(text: Any, values: Mapping[str, Any], symbols: Mapping[str, sympy.Symbol]):
    """The sympy value of an author formula, with ``values`` bound to their names."""
    if isinstance(text, bool):
        raise AuthorError("true/false is not a math value")
    if isinstance(text, (int, float)):
        text = repr(text) if isinstance(text, float) else str(text)
    if isinstance(text, list):
        return [evaluate(item, values, symbols) for item in text]
    if not isinstance(text, str):
        raise AuthorError(f"expected a formula, got {type(text).__name__}")
    try:
        reading = read_author_math(text, values.keys(), OPERATIONS.keys())
    except MathInputError as exc:
        raise AuthorError(f"{text!r} cannot be read: {exc.message}") from None
    table = {**symbols, **values}
    try:
        return to_sympy(reading.tree, table, operations=_operation, vectors_as_matrices=True)
    except AuthorError:
        raise
    except (TypeError, ValueError, AttributeError, ZeroDivisionError, NotImplementedError,
            sympy.SympifyError, IndexError) as exc:
        raise AuthorError(f"{text!r} cannot be computed: {exc}") from None


def _operation(node: Op, args: list):
    function = OPERATIONS[node.name]
    try:
        return function(*args)
    except TypeError as exc:
        raise AuthorError(f"{node.name}: wrong arguments ({exc})") from None


class _TextPrinter(StrPrinter):
    """sympy values printed in the students' answer language."""

    def _print_Exp1(self, expr):
        return "e"

    def _print_Abs(self, expr):
        return f"abs({self._print(expr.args[0])})"

    def _print_ImaginaryUnit(self, expr):
        raise AuthorError("the value is not real (it contains i)")

    def _print_Infinity(self, expr):
        raise AuthorError("the value is infinite")

    _print_NegativeInfinity = _print_Infinity
    _print_ComplexInfinity = _print_Infinity

    def _print_NaN(self, expr):
        raise AuthorError("the value is undefined (nan)")

    def _print_Piecewise(self, expr):
        raise AuthorError("the value is piecewise; simplify it or add symbol domains")

    def _print_Max(self, expr):
        raise AuthorError("max() of symbolic values cannot be a reference")

    _print_Min = _print_Max

    def _print_Float(self, expr):
        return repr(float(expr))


def as_text(value) -> str:
    """A scalar sympy value in the answer language."""
    return _TextPrinter({"order": "none"}).doprint(value)


def as_latex(value) -> str:
    """LaTeX for showing a value in a statement or solution."""
    if isinstance(value, tuple):
        return "\\left(" + ", ".join(as_latex(v) for v in value) + "\\right)"
    if isinstance(value, list):
        return ", ".join(as_latex(v) for v in value)
    return sympy.latex(value, ln_notation=True, mat_delim="[")


def why_undefined(value) -> str:
    """A phrase saying what is wrong with a value that ``is_defined`` rejects."""
    items = list(value) if isinstance(value, (list, tuple, sympy.MatrixBase)) else [value]
    for item in items:
        if isinstance(item, (list, tuple, sympy.MatrixBase)):
            return why_undefined(item)
        if isinstance(item, sympy.Basic):
            if item.has(sympy.zoo):
                return "undefined (a division by zero)"
            if item.has(sympy.oo, -sympy.oo):
                return "infinite"
            if item.has(sympy.nan):
                return "undefined (0/0 or similar)"
            if item.has(sympy.I) or item.is_real is False:
                return "not a real number"
    return "undefined"


def is_defined(value) -> bool:
    """False when a computed value is infinite, undefined or not real."""
    if isinstance(value, (list, tuple)):
        return all(is_defined(v) for v in value)
    if isinstance(value, sympy.MatrixBase):
        return all(is_defined(v) for v in value)
    if not isinstance(value, sympy.Basic):
        return True
    if value.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo, sympy.I):
        return False
    return value.is_real is not False
