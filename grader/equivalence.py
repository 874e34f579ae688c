"""Decide whether a response equals a reference: equal, not equal, or unknown.

What "equal" means: on the variables' domains, the response is defined (real-valued)
wherever the reference is, and has the same value there. A decimal typed in the response
stands for "this number to about seven digits": the difference it may cause is allowed,
measured by nudging that literal by ``rtol`` (so ``3.618034`` is (5+√5)/2 but ``3.62`` is
not, while ``x + 0.000001x`` is still not ``x``).

How it is decided, cheapest first:
1. Evaluate both, in floats, at ~50 points of the domain (special points such as 0, ±1
   and interval ends first, then random ones), keeping the points where the reference is
   defined. Points where the floats disagree are candidates.
2. A candidate is confirmed at 40 significant digits with mpmath. One confirmed point proves
   "not equal" and is the counterexample. A float disagreement that vanishes at 40 digits
   was rounding noise and is dropped.
3. With no confirmed difference, two random points are re-checked at 40 digits (this catches
   differences smaller than float precision); agreement there means "equal".
4. If the reference is defined at too few points to judge, sympy's ``simplify`` is tried
   within the remaining time; if it cannot settle it, the outcome is "unknown" — which is
   never reported as "wrong".

A response undefined where the reference is defined counts only at random points, not at
special ones: ``x^2/x`` is accepted for ``x``, ``2 log(x)`` is not ``log(x^2)`` over the reals.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from grader.deadline import Deadline
from grader.domains import REAL, Domain, sample_points
from grader.errors import CheckTimeout
from grader.evaluation import decimal_literals, evaluate_floats, evaluate_precise
from grader.reading.nodes import Node, free_variables

__all__ = ["Outcome", "Comparison", "compare", "DEFAULT_RTOL"]

DEFAULT_RTOL = 1e-6
SAMPLES = 40            # random points on top of the special ones
MIN_VALID = 8           # points where the reference is defined, before widening the search
MIN_JUDGE = 3           # fewest defined points on which a numeric verdict is given
MAX_CONFIRM = 6         # candidates confirmed at high precision before giving up
FLOAT_RTOL = 1e-9       # float disagreement below this is treated as rounding
PRECISE_DIGITS = 40
PRECISE_RTOL = 1e-28


class Outcome(str, enum.Enum):
    EQUAL = "equal"
    NOT_EQUAL = "not_equal"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Comparison:
    """The outcome, and for "not equal" a point that shows it."""

    outcome: Outcome
    point: dict[str, float] | None = None
    expected: float | None = None      # reference value at the point (None: undefined)
    got: float | None = None           # response value at the point (None: undefined)
    relation: str | None = None        # "sign", "factor", "constant" or "undefined"
    reason: str = ""                   # why the outcome is unknown
    details: dict = field(default_factory=dict)


def compare(reference: Node, response: Node, domains: Mapping[str, Domain] | None = None, *,
            rtol: float = DEFAULT_RTOL, deadline: Deadline | None = None) -> Comparison:
    """Compare two scalar trees. ``domains`` maps variable names to domains (default real)."""
    deadline = deadline or Deadline(2.0)
    names = sorted(free_variables(reference) | free_variables(response))
    chosen = {name: (domains or {}).get(name, REAL) for name in names}
    points, n_special = _points(chosen, SAMPLES, 3.0)
    expected = evaluate_floats(reference, points)
    defined = ~np.isnan(expected)
    for spread in (30.0, 300.0, 3000.0, 1e5):
        if defined.sum() >= MIN_VALID or not names:
            break
        more, skip = _points(chosen, 3 * SAMPLES, spread)
        points = {k: np.concatenate([points[k], more[k][skip:]]) for k in points}
        expected = evaluate_floats(reference, points)
        defined = ~np.isnan(expected)
    deadline.check()
    if defined.sum() < (MIN_JUDGE if names else 1):
        return _symbolic(reference, response, deadline,
                         "the reference is undefined at almost every point of the domain")

    got = evaluate_floats(response, points)
    decimals = decimal_literals(response)
    allowed = _float_tolerance(expected, got, defined)
    for literal in decimals:
        nudged = evaluate_floats(response, points, {id(literal): 1 + rtol})
        allowed = allowed + np.nan_to_num(np.abs(nudged - got), nan=0.0)
    generic = np.arange(len(expected)) >= n_special if names else np.ones(1, bool)
    undefined = defined & np.isnan(got) & generic
    differs = defined & ~np.isnan(got) & (np.abs(got - expected) > allowed)
    candidates = np.flatnonzero(differs | undefined)
    deadline.check()

    noisy = 0
    for index in candidates[:MAX_CONFIRM]:
        found = _confirm(reference, response, _point(points, index), decimals, rtol, expected)
        deadline.check()
        if found is not None:
            return _not_equal(found, expected, got, defined)
        noisy += 1
    if len(candidates) > noisy:
        return _symbolic(reference, response, deadline,
                         "the values could not be compared reliably at enough points")

    # No visible difference: re-check two random points beyond float precision.
    random_defined = np.flatnonzero(defined & ~np.isnan(got) & generic)
    for index in _spread_choice(random_defined, 2):
        found = _confirm(reference, response, _point(points, index), decimals, rtol, expected)
        if found is not None:
            return _not_equal(found, expected, got, defined)
    return Comparison(Outcome.EQUAL, details={"points": int(defined.sum())})


def _points(domains: dict[str, Domain], count: int, spread: float):
    if not domains:
        return {}, 0
    return sample_points(domains, count, spread)


def _point(points: Mapping[str, np.ndarray], index: int) -> dict[str, float]:
    return {name: float(values[index]) for name, values in points.items()}


def _float_tolerance(expected: np.ndarray, got: np.ndarray, defined: np.ndarray) -> np.ndarray:
    scale = float(np.median(np.abs(expected[defined]))) if defined.any() else 1.0
    scale = scale if scale > 0 else 1.0
    return FLOAT_RTOL * (np.abs(expected) + np.nan_to_num(np.abs(got))) + 1e-12 * scale


def _spread_choice(indices: np.ndarray, k: int) -> list[int]:
    if len(indices) <= k:
        return [int(i) for i in indices]
    step = len(indices) / k
    return [int(indices[int(step * j + step / 2)]) for j in range(k)]


@dataclass(frozen=True)
class _Found:
    point: dict[str, float]
    expected: float
    got: float | None


def _confirm(reference: Node, response: Node, point: dict[str, float], decimals, rtol: float,
             expected_floats: np.ndarray) -> _Found | None:
    """A confirmed difference at ``point``, or None if the two agree there at high precision."""
    exact = evaluate_precise(reference, point, PRECISE_DIGITS)
    if exact is None:
        return None     # the float value was an artefact; the reference is undefined here
    value = evaluate_precise(response, point, PRECISE_DIGITS)
    if value is None:
        return _Found(point, float(exact), None)
    allowed = PRECISE_RTOL * max(abs(exact), abs(value))
    floor = float(np.nanmedian(np.abs(expected_floats))) if np.isfinite(expected_floats).any() else 1
    allowed += PRECISE_RTOL * (floor or 1.0)
    for literal in decimals:
        nudged = evaluate_precise(response, point, PRECISE_DIGITS, {id(literal): 1 + rtol})
        if nudged is not None:
            allowed += abs(nudged - value)
    if abs(exact - value) <= allowed:
        return None
    return _Found(point, float(exact), float(value))


def _not_equal(found: _Found, expected: np.ndarray, got: np.ndarray,
               defined: np.ndarray) -> Comparison:
    relation = "undefined" if found.got is None else _relation(expected, got, defined)
    return Comparison(Outcome.NOT_EQUAL, found.point, found.expected, found.got, relation)


def _relation(expected: np.ndarray, got: np.ndarray, defined: np.ndarray) -> str | None:
    """"sign", "factor" or "constant" when the response is off in that simple way."""
    both = defined & ~np.isnan(got)
    e, g = expected[both], got[both]
    if len(e) < MIN_JUDGE:
        return None
    scale = float(np.median(np.abs(e))) or 1.0
    nonzero = np.abs(e) > 1e-9 * scale
    if nonzero.sum() >= MIN_JUDGE:
        ratio = g[nonzero] / e[nonzero]
        if np.all(np.abs(ratio - ratio[0]) <= 1e-6 * max(1.0, abs(ratio[0]))):
            if abs(ratio[0] + 1) <= 1e-6:
                return "sign"
            if abs(ratio[0] - 1) > 1e-6 and abs(ratio[0]) > 1e-9:
                return "factor"
    difference = g - e
    if np.all(np.abs(difference - difference[0]) <= 1e-6 * scale) and abs(difference[0]) > 0:
        return "constant"
    return None


def _symbolic(reference: Node, response: Node, deadline: Deadline, reason: str) -> Comparison:
    """Last resort when sampling cannot judge: ask sympy, within the time left."""
    if deadline.remaining() < 0.05:
        return Comparison(Outcome.UNKNOWN, reason=reason)
    import sympy

    from grader.reading.symbolic import to_sympy
    try:
        table: dict = {}
        difference = sympy.simplify(to_sympy(reference, table) - to_sympy(response, table))
    except CheckTimeout:
        raise
    except Exception:  # sympy gives up in many ways; "unknown" is the honest answer
        return Comparison(Outcome.UNKNOWN, reason=reason)
    if difference == 0:
        return Comparison(Outcome.EQUAL, details={"symbolic": True})
    if difference.is_number and difference.is_zero is False:
        return Comparison(Outcome.NOT_EQUAL, relation="constant")
    return Comparison(Outcome.UNKNOWN, reason=reason)
