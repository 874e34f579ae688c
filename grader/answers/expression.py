"""``expression``: a formula in the part's variables, accepted in any equal form.

    answer:
      type: expression
      reference: "2*x*cos(x^2)"
      variables: {x: real}      # or a list: [x, mu, sigma]; domains: real, positive, ...
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, PrivateAttr, field_validator, model_validator

from grader.answers.base import Verdict, correct, incorrect, unknown
from grader.answers.explanation import explain
from grader.answers.fields import MathSpec, read_reference, reference_text
from grader.deadline import Deadline
from grader.equivalence import Outcome, compare
from grader.errors import MathInputError, SpecError
from grader.reading import Reading, read_math

__all__ = ["Spec", "parse", "read_as", "check", "expect_expression"]


class Spec(MathSpec):
    type: Literal["expression"] = "expression"
    reference: str = Field(description="The expected formula, in the answer language.")

    _reference: Reading = PrivateAttr()

    @field_validator("reference", mode="before")
    @classmethod
    def _as_text(cls, value):
        return reference_text(value)

    @model_validator(mode="after")
    def _read_reference(self):
        reading = read_reference(self.reference, self.reference_names)
        if reading.kind != "expression":
            raise SpecError(f"{self.reference!r} is a {reading.kind}; an expression answer "
                            f"needs a single formula", "reference")
        self.infer_variables([reading.tree])
        self._reference = reading
        return self

    @property
    def reference_reading(self) -> Reading:
        return self._reference


def expect_expression(reading: Reading) -> Reading:
    """The reading itself if it is one formula; otherwise a located error."""
    if reading.kind != "expression":
        raise MathInputError(f"expected a single expression, but this reads as a {reading.kind}; "
                             f"remove the commas or brackets", 0, reading.text,
                             max(1, len(reading.text)))
    return reading


def read_as(reading: Reading) -> str:
    return reading.latex


def parse(text: str, spec: Spec) -> Reading:
    return expect_expression(read_math(text, spec.variable_names))


def check(reading: Reading, spec: Spec, deadline: Deadline) -> Verdict:
    reference = spec.reference_reading
    if reading.latex == reference.latex:
        return correct(reading.latex)
    result = compare(reference.tree, reading.tree, spec.domains, rtol=spec.rtol,
                     deadline=deadline)
    if result.outcome is Outcome.EQUAL:
        return correct(reading.latex)
    if result.outcome is Outcome.UNKNOWN:
        return unknown(reading.latex, result.reason)
    feedback, counterexample = explain(result, spec.counterexample)
    return incorrect(reading.latex, feedback, counterexample=counterexample)
