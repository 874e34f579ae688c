"""``vector``: a list of entries; with ``up_to_scale``, any nonzero multiple (eigenvectors).

    answer:
      type: vector
      reference: [1, 1]          # or "[1, 1]"; entries may be formulas in the variables
      up_to_scale: true
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, PrivateAttr, model_validator

from grader.answers.base import Verdict, correct, incorrect, unknown
from grader.answers.entries import Entries, compare_all, parallel, read_reference_items, vector_items
from grader.answers.explanation import PRECISION_HINT, imprecise, point_text
from grader.answers.fields import MathSpec
from grader.deadline import Deadline
from grader.equivalence import Outcome
from grader.errors import MathInputError
from grader.reading import read_math
from grader.reading.nodes import Node

__all__ = ["Spec", "parse", "read_as", "check", "read_vector", "judge"]


class Spec(MathSpec):
    type: Literal["vector"] = "vector"
    reference: str | list[Any] = Field(description="The expected vector: [a, b, ...].")
    up_to_scale: bool = Field(False, description="Accept any nonzero multiple of the reference.")

    _items: tuple[Node, ...] = PrivateAttr()

    @model_validator(mode="after")
    def _read_reference(self):
        self._items = read_reference_items(self.reference, self.reference_names, "reference")
        self.infer_variables(self._items)
        return self

    @property
    def items(self) -> tuple[Node, ...]:
        return self._items


def read_vector(text: str, names: tuple[str, ...]) -> Entries:
    reading = read_math(text, names)
    items = vector_items(reading.tree)
    if items is None:
        if reading.kind == "expression":
            raise MathInputError("expected a vector of entries in brackets, such as [1, 2]", 0,
                                 text, max(1, len(text)))
        raise MathInputError(f"expected a vector such as [1, 2], but this reads as a "
                             f"{reading.kind}", 0, text, max(1, len(text)))
    return Entries(reading, items)


def read_as(value: Entries) -> str:
    return value.reading.latex


def parse(text: str, spec: Spec) -> Entries:
    return read_vector(text, spec.variable_names)


def judge(expected: tuple[Node, ...], got: Entries, spec: Any, up_to_scale: bool,
          deadline: Deadline) -> tuple[Outcome, str]:
    """Outcome and a reason for one vector against one reference (used by sets too)."""
    if len(got.items) != len(expected):
        return Outcome.NOT_EQUAL, (f"wrong length: expected {len(expected)} entries, "
                                   f"got {len(got.items)}")
    if up_to_scale:
        return parallel(expected, got.items, spec.domains, spec.rtol, deadline)
    results = compare_all(expected, got.items, spec.domains, spec.rtol, deadline)
    wrong = [k for k, r in enumerate(results, start=1) if r.outcome is Outcome.NOT_EQUAL]
    if wrong:
        first = results[wrong[0] - 1]
        where = f" (at {point_text(first.point)})" if first.point and spec.counterexample else ""
        listed = ", ".join(map(str, wrong))
        noun = "entry" if len(wrong) == 1 else "entries"
        hint = f"; {PRECISION_HINT}" if imprecise(results) else ""
        return Outcome.NOT_EQUAL, (f"{noun} {listed} {'is' if len(wrong) == 1 else 'are'} "
                                   f"wrong{where}{hint}")
    if any(r.outcome is Outcome.UNKNOWN for r in results):
        return Outcome.UNKNOWN, "some entries could not be confirmed"
    return Outcome.EQUAL, ""


def check(value: Entries, spec: Spec, deadline: Deadline) -> Verdict:
    outcome, reason = judge(spec.items, value, spec, spec.up_to_scale, deadline)
    read_as = value.reading.latex
    if outcome is Outcome.EQUAL:
        return correct(read_as)
    if outcome is Outcome.UNKNOWN:
        return unknown(read_as, reason)
    return incorrect(read_as, f"Not the expected vector: {reason}.")
