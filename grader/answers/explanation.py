"""Sentences that say why a response differs from the reference."""

from __future__ import annotations

from typing import Any

from grader.answers.base import fmt
from grader.equivalence import Comparison

__all__ = ["explain", "point_text", "imprecise", "PRECISION_HINT"]

RELATIONS = {
    "sign": "It is off by a sign.",
    "factor": "It is off by a constant factor: check for a missing or extra coefficient.",
    "constant": "It differs from the expected answer by a constant.",
}


def point_text(point: dict[str, float]) -> str:
    return ", ".join(f"{name} = {fmt(value)}" for name, value in sorted(point.items()))


def explain(comparison: Comparison, show_point: bool) -> tuple[str, dict[str, Any] | None]:
    """Feedback for a "not equal" comparison, and the counterexample to report (or None)."""
    parts = ["Not equal to the expected answer."]
    if comparison.relation in RELATIONS:
        parts.append(RELATIONS[comparison.relation])
    counterexample = None
    if comparison.point is not None and show_point:
        where = f"at {point_text(comparison.point)}"
        if comparison.got is None and not comparison.point:
            parts.append("Your answer has no real value (a square root or logarithm of a "
                         "negative number, or a division by zero).")
        elif comparison.got is None:
            parts.append(f"Your answer is undefined {where}, where the expected answer is "
                         f"defined ({fmt(comparison.expected)}).")
        elif comparison.point:
            parts.append(f"For example, {where} the expected value is {fmt(comparison.expected)} "
                         f"but your answer gives {fmt(comparison.got)}.")
        counterexample = {"point": comparison.point, "expected": comparison.expected,
                          "got": comparison.got}
    elif comparison.relation == "undefined":
        parts.append("Your answer is undefined at some points where the expected answer is "
                     "defined.")
    return " ".join(parts), counterexample


def imprecise(comparisons) -> bool:
    """True when every difference is between constants that agree to about 1%: the student
    most likely rounded too early."""
    wrong = [c for c in comparisons if c.outcome.value == "not_equal"]
    return bool(wrong) and all(
        c.point == {} and c.expected is not None and c.got is not None and c.expected != 0
        and abs(c.got - c.expected) <= 1e-2 * abs(c.expected) for c in wrong)


PRECISION_HINT = ("the values are close but not precise enough: keep more digits (seven "
                  "significant digits) or give exact values such as sqrt(2)/2")
