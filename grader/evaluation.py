"""Evaluate a reading's tree at points, over the reals: fast in floats, exact enough in mpmath.

Real semantics throughout: a value is defined only if every step is real and finite, so
``sqrt(x)^2`` is undefined at ``x = -1`` although its complex value would be real.
``evaluate_floats`` works on whole arrays of points at once (NaN marks "undefined");
``evaluate_precise`` works on one point at many digits (None marks "undefined") and is
used to confirm what the floats suggest.

``scaled`` lets a caller evaluate with one decimal literal nudged (by identity of its node):
that is how the tolerance that a typed decimal deserves is measured.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import mpmath
import numpy as np

from grader.reading.nodes import Add, Call, Const, Div, Mul, Neg, Node, Num, Pow, Root, Sub, Var

__all__ = ["evaluate_floats", "evaluate_precise", "decimal_literals", "Undefined"]


class Undefined(Exception):
    """The expression has no real value at this point."""


def decimal_literals(node: Node) -> list[Num]:
    from grader.reading.nodes import walk
    return [n for n in walk(node) if isinstance(n, Num) and n.decimal]


# -- floats, vectorized --------------------------------------------------------------------

def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


FLOAT_FUNCTIONS = {
    "sin": np.sin, "cos": np.cos, "tan": np.tan, "exp": np.exp, "log": np.log,
    "sqrt": np.sqrt, "abs": np.abs, "sinh": np.sinh, "cosh": np.cosh, "tanh": np.tanh,
    "sigmoid": _sigmoid, "arcsin": np.arcsin, "arccos": np.arccos, "arctan": np.arctan,
}


def evaluate_floats(node: Node, env: Mapping[str, np.ndarray],
                    scaled: Mapping[int, float] | None = None) -> np.ndarray:
    """Values of ``node`` at every point of ``env`` (arrays of equal length); NaN = undefined."""
    with np.errstate(all="ignore"):
        out = _floats(node, env, scaled or {})
        size = len(next(iter(env.values()))) if env else 1
        out = np.broadcast_to(np.asarray(out, dtype=float), (size,)).copy()
    out[~np.isfinite(out)] = np.nan
    return out


def _floats(n: Node, env, scaled):
    if isinstance(n, Num):
        value = _to_float(n.value)
        return value * scaled[id(n)] if id(n) in scaled else value
    if isinstance(n, Var):
        return env[n.name]
    if isinstance(n, Const):
        return math.pi if n.name == "pi" else math.e
    if isinstance(n, Add):
        return _floats(n.left, env, scaled) + _floats(n.right, env, scaled)
    if isinstance(n, Sub):
        return _floats(n.left, env, scaled) - _floats(n.right, env, scaled)
    if isinstance(n, Mul):
        return np.multiply(_floats(n.left, env, scaled), _floats(n.right, env, scaled))
    if isinstance(n, Div):
        return np.divide(_floats(n.left, env, scaled), _floats(n.right, env, scaled))
    if isinstance(n, Neg):
        return np.negative(_floats(n.arg, env, scaled))
    if isinstance(n, Pow):
        return _float_power(n, env, scaled)
    if isinstance(n, Call):
        return FLOAT_FUNCTIONS[n.func](np.asarray(_floats(n.arg, env, scaled), dtype=float))
    if isinstance(n, Root):
        arg = np.asarray(_floats(n.arg, env, scaled), dtype=float)
        if n.index % 2:
            return np.sign(arg) * np.abs(arg) ** (1.0 / n.index)
        return np.power(arg, 1.0 / n.index)
    raise TypeError(f"cannot evaluate {type(n).__name__}")


def _float_power(n: Pow, env, scaled):
    exponent = n.right.const
    if isinstance(n.left, Const) and n.left.name == "e":
        return np.exp(np.asarray(_floats(n.right, env, scaled), dtype=float))
    base = np.asarray(_floats(n.left, env, scaled), dtype=float)
    if exponent is not None and id(n.right) not in scaled and not _has_scaled(n.right, scaled):
        if exponent.denominator % 2 == 1 and exponent.denominator != 1:
            # An odd root of a negative number is real: (-8)^(1/3) = -2.
            magnitude = np.abs(base) ** float(exponent)
            return magnitude * np.sign(base) ** exponent.numerator
        return np.power(base, float(exponent))
    return np.power(base, np.asarray(_floats(n.right, env, scaled), dtype=float))


def _has_scaled(node: Node, scaled) -> bool:
    if not scaled:
        return False
    from grader.reading.nodes import walk
    return any(id(x) in scaled for x in walk(node))


def _to_float(value) -> float:
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


# -- mpmath, one point at a time ------------------------------------------------------------

PRECISE_FUNCTIONS = {
    "sin": mpmath.sin, "cos": mpmath.cos, "tan": mpmath.tan, "exp": mpmath.exp,
    "log": mpmath.log, "sqrt": mpmath.sqrt, "abs": abs, "sinh": mpmath.sinh,
    "cosh": mpmath.cosh, "tanh": mpmath.tanh,
    "sigmoid": lambda z: 1 / (1 + mpmath.exp(-z)),
    "arcsin": mpmath.asin, "arccos": mpmath.acos, "arctan": mpmath.atan,
}


def evaluate_precise(node: Node, point: Mapping[str, float], digits: int = 40,
                     scaled: Mapping[int, float] | None = None):
    """The value of ``node`` at one point with ``digits`` significant digits, or None."""
    with mpmath.workdps(digits):
        env = {name: mpmath.mpf(value) for name, value in point.items()}
        try:
            value = _precise(node, env, scaled or {})
        except (Undefined, ZeroDivisionError, OverflowError, ValueError):
            return None
        if not mpmath.isfinite(value):
            return None
        return +value


def _real(value):
    if isinstance(value, mpmath.mpc):
        raise Undefined
    if not mpmath.isfinite(value):
        raise Undefined
    return value


def _precise(n: Node, env, scaled):
    if isinstance(n, Num):
        value = mpmath.mpf(n.value.numerator) / n.value.denominator
        return value * mpmath.mpf(scaled[id(n)]) if id(n) in scaled else value
    if isinstance(n, Var):
        return env[n.name]
    if isinstance(n, Const):
        return mpmath.pi() if n.name == "pi" else mpmath.e()
    if isinstance(n, Add):
        return _precise(n.left, env, scaled) + _precise(n.right, env, scaled)
    if isinstance(n, Sub):
        return _precise(n.left, env, scaled) - _precise(n.right, env, scaled)
    if isinstance(n, Mul):
        return _precise(n.left, env, scaled) * _precise(n.right, env, scaled)
    if isinstance(n, Div):
        return _real(_precise(n.left, env, scaled) / _precise(n.right, env, scaled))
    if isinstance(n, Neg):
        return -_precise(n.arg, env, scaled)
    if isinstance(n, Pow):
        return _precise_power(n, env, scaled)
    if isinstance(n, Call):
        return _real(PRECISE_FUNCTIONS[n.func](_precise(n.arg, env, scaled)))
    if isinstance(n, Root):
        arg = _precise(n.arg, env, scaled)
        if n.index % 2:
            return mpmath.sign(arg) * mpmath.root(abs(arg), n.index)
        if arg < 0:
            raise Undefined
        return mpmath.root(arg, n.index)
    raise TypeError(f"cannot evaluate {type(n).__name__}")


def _precise_power(n: Pow, env, scaled):
    if isinstance(n.left, Const) and n.left.name == "e":
        return _real(mpmath.exp(_precise(n.right, env, scaled)))
    base = _precise(n.left, env, scaled)
    exponent = n.right.const
    if exponent is not None and not _has_scaled(n.right, scaled):
        if exponent.denominator == 1:
            if base == 0 and exponent < 0:
                raise Undefined
            return _real(base ** int(exponent))
        if base < 0:
            if exponent.denominator % 2 == 0:
                raise Undefined
            return _real((-1) ** exponent.numerator * mpmath.root(-base, exponent.denominator)
                         ** exponent.numerator)
        return _real(mpmath.power(base, mpmath.mpf(exponent.numerator) / exponent.denominator))
    power = _precise(n.right, env, scaled)
    if base == 0 and power <= 0:
        raise Undefined
    if base < 0:
        # Like the float path: a negative base has a real power only at whole exponents.
        if power != int(power):
            raise Undefined
        return _real(base ** int(power))
    return _real(mpmath.power(base, power))
