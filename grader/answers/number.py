"""``number``: one real number, typed as a decimal or as an exact expression.

    answer:
      type: number
      reference: "sqrt(2)/2"     # or 0.7071067811865476
      rtol: 1e-6                 # accepted when |got - expected| <= atol + rtol * |expected|
      atol: 1e-9
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, PrivateAttr, field_validator, model_validator

from grader.answers.base import SpecBase, Verdict, correct, fmt, incorrect
from grader.answers.expression import expect_expression
from grader.answers.fields import read_reference, reference_text
from grader.deadline import Deadline
from grader.equivalence import DEFAULT_RTOL
from grader.errors import SpecError
from grader.evaluation import evaluate_precise
from grader.reading import Reading, read_math

__all__ = ["Spec", "parse", "read_as", "check"]


class Spec(SpecBase):
    type: Literal["number"] = "number"
    reference: str = Field(description="The expected number, as a number or exact expression.")
    rtol: float = Field(DEFAULT_RTOL, ge=0, lt=1, description="Relative tolerance.")
    atol: float = Field(1e-9, ge=0, description="Absolute tolerance.")

    _value: float = PrivateAttr()
    _reading: Reading = PrivateAttr()

    @field_validator("reference", mode="before")
    @classmethod
    def _as_text(cls, value):
        return reference_text(value)

    @model_validator(mode="after")
    def _evaluate_reference(self):
        reading = read_reference(self.reference, ())
        if reading.kind != "expression":
            raise SpecError(f"{self.reference!r} is a {reading.kind}, not a number", "reference")
        value = evaluate_precise(reading.tree, {})
        if value is None:
            raise SpecError(f"{self.reference!r} has no real value", "reference")
        self._value = value
        self._reading = reading
        return self

    @property
    def value(self):
        return self._value


def read_as(reading: Reading) -> str:
    return reading.latex


def parse(text: str, spec: Spec) -> Reading:
    return expect_expression(read_math(text, ()))


def check(reading: Reading, spec: Spec, deadline: Deadline) -> Verdict:
    got = evaluate_precise(reading.tree, {})
    expected = spec.value
    if got is None:
        return incorrect(reading.latex, "Your answer has no real value (a square root or "
                         "logarithm of a negative number, or a division by zero).")
    if abs(got - expected) <= spec.atol + spec.rtol * abs(expected):
        return correct(reading.latex)
    feedback = "Not equal to the expected answer."
    if expected != 0 and abs(got + expected) <= spec.atol + spec.rtol * abs(expected):
        feedback += " It is off by a sign."
    elif expected != 0 and abs(got - expected) <= 1e-2 * abs(expected):
        feedback += (f" It is close ({fmt(float(got))}) but not within the required precision "
                     f"(relative {spec.rtol:g}): keep more digits or give the exact value.")
    return incorrect(reading.latex, feedback)
