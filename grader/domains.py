"""Where a variable lives, and the points at which answers are compared.

A part declares each variable's domain: ``real`` (the default), ``positive``,
``nonnegative``, ``negative``, an interval such as ``"(0, 1)"`` or ``"[0, 1]"``, or a finite
set such as ``"{0, 1}"`` (a label that is 0 or 1).
Sample points come from that domain: first a few "special" points (0, ±1, ±2, the ends
of an interval: where identities and near misses often show), then random points rounded
to three significant digits so that a counterexample reads well. The generator is seeded
with a constant: the same answer always gets the same points and the same feedback.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from grader.errors import SpecError

__all__ = ["Domain", "parse_domain", "sample_points", "DOMAIN_NAMES"]

DOMAIN_NAMES = ("real", "positive", "nonnegative", "negative")
INTERVAL = re.compile(r"^\s*([\(\[])\s*([^,]+?)\s*,\s*([^,]+?)\s*([\)\]])\s*$")
FINITE = re.compile(r"^\s*\{(.+)\}\s*$")


@dataclass(frozen=True)
class Domain:
    low: float = -math.inf
    high: float = math.inf
    low_closed: bool = False
    high_closed: bool = False
    values: tuple[float, ...] | None = None     # a finite domain such as {0, 1}

    def describe(self) -> str:
        if self.values is not None:
            return "{" + ", ".join(_show(v) for v in self.values) + "}"
        if self == REAL:
            return "real"
        left = "[" if self.low_closed else "("
        right = "]" if self.high_closed else ")"
        return f"{left}{_show(self.low)}, {_show(self.high)}{right}"

    def contains(self, values: np.ndarray) -> np.ndarray:
        if self.values is not None:
            return np.isin(values, self.values)
        above = values >= self.low if self.low_closed else values > self.low
        below = values <= self.high if self.high_closed else values < self.high
        return above & below

    def special_points(self) -> list[float]:
        if self.values is not None:
            return list(self.values)
        if math.isinf(self.low) and math.isinf(self.high):
            return [0.0, 1.0, -1.0, 2.0, -2.0, 0.5, -0.5, 3.0, -0.1, 0.1]
        if math.isinf(self.high):
            base = [1.0, 2.0, 0.5, 3.0, 0.1, 10.0, 0.01]
            points = [self.low + p for p in base] if self.low else base
            return ([self.low] if self.low_closed else []) + points
        if math.isinf(self.low):
            base = [-1.0, -2.0, -0.5, -3.0, -0.1, -10.0, -0.01]
            points = [self.high + p for p in base] if self.high else base
            return ([self.high] if self.high_closed else []) + points
        width = self.high - self.low
        inside = [self.low + width * f for f in (0.5, 0.25, 0.75, 0.001, 0.999, 0.1, 0.9)]
        ends = ([self.low] if self.low_closed else []) + ([self.high] if self.high_closed else [])
        return ends + inside

    def random(self, rng: np.random.Generator, n: int, spread: float) -> np.ndarray:
        """``n`` random points; ``spread`` widens the range for unbounded domains."""
        if self.values is not None:
            return rng.choice(np.array(self.values, dtype=float), n)
        if math.isinf(self.low) and math.isinf(self.high):
            values = rng.uniform(-spread, spread, n)
        elif math.isinf(self.high):
            values = self.low + np.exp(rng.uniform(np.log(0.05), np.log(spread), n))
        elif math.isinf(self.low):
            values = self.high - np.exp(rng.uniform(np.log(0.05), np.log(spread), n))
        else:
            width = self.high - self.low
            values = self.low + width * rng.uniform(0.0005, 0.9995, n)
        rounded = _round3(values)
        # Rounding can land on an open end (100.05 -> 100) or on a special value such as
        # -1.00, where a removable hole may sit: keep such points unrounded.
        special = np.isclose(rounded * 2, np.round(rounded * 2), rtol=0, atol=1e-12)
        return np.where(self.contains(rounded) & ~special, rounded, values)


REAL = Domain()
NAMED = {
    "real": REAL,
    "positive": Domain(0.0, math.inf),
    "nonnegative": Domain(0.0, math.inf, low_closed=True),
    "negative": Domain(-math.inf, 0.0),
}


def parse_domain(spec: object, path: str = "") -> Domain:
    """A Domain from a spec value: a name from DOMAIN_NAMES or an interval string."""
    if spec is None:
        return REAL
    if isinstance(spec, str) and spec.strip().lower() in NAMED:
        return NAMED[spec.strip().lower()]
    finite = FINITE.match(spec) if isinstance(spec, str) else None
    if finite is not None:
        values = sorted({_bound(v, path) for v in finite.group(1).split(",")})
        if any(math.isinf(v) for v in values) or len(values) > 50:
            raise SpecError(f"a finite domain such as \"{{0, 1}}\" needs at most 50 finite "
                            f"numbers, got {spec!r}", path)
        return Domain(values[0], values[-1], True, True, tuple(values))
    match = INTERVAL.match(spec) if isinstance(spec, str) else None
    if match is None:
        raise SpecError(f"unknown domain {spec!r}; expected one of {', '.join(DOMAIN_NAMES)}, "
                        f"an interval such as \"(0, 1)\" or \"[0, 1]\", or a finite set such "
                        f"as \"{{0, 1}}\"", path)
    low, high = (_bound(match.group(k), path) for k in (2, 3))
    if not low < high:
        raise SpecError(f"interval {spec!r} is empty: its lower end must be below its upper end",
                        path)
    return Domain(low, high, match.group(1) == "[" and not math.isinf(low),
                  match.group(4) == "]" and not math.isinf(high))


def sample_points(domains: dict[str, Domain], count: int, spread: float = 3.0,
                  seed: int = 20261125) -> tuple[dict[str, np.ndarray], int]:
    """Points for all variables at once, and how many of them (leading) are special points.

    Special points come first. With several variables, variable k takes the special points
    rotated by k, so that (0, 0) appears but not only equal coordinates.
    """
    rng = np.random.default_rng(seed)
    names = sorted(domains)
    specials = {name: domains[name].special_points() for name in names}
    n_special = max((len(v) for v in specials.values()), default=0)
    points: dict[str, np.ndarray] = {}
    for k, name in enumerate(names):
        values = specials[name]
        rotated = [values[(i + k * (i > 0)) % len(values)] for i in range(n_special)]
        points[name] = np.concatenate([np.array(rotated, dtype=float),
                                       domains[name].random(rng, count, spread)])
    return points, n_special


def _bound(text: str, path: str) -> float:
    cleaned = text.strip().lower().replace(" ", "")
    if cleaned in ("inf", "+inf", "infinity", "oo"):
        return math.inf
    if cleaned in ("-inf", "-infinity", "-oo"):
        return -math.inf
    try:
        return float(cleaned)
    except ValueError:
        raise SpecError(f"interval end {text!r} is not a number", path) from None


def _round3(values: np.ndarray) -> np.ndarray:
    magnitude = np.floor(np.log10(np.abs(values) + 1e-300))
    factor = 10.0 ** (2 - magnitude)
    return np.round(values * factor) / factor


def _show(value: float) -> str:
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return f"{value:g}"
