"""``matrix``: shape first, then every entry as an expression.

    answer:
      type: matrix
      reference: [[12*x^2, -4], [-4, 12*y^2]]   # or the same as text
      variables: [x, y]
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, PrivateAttr, model_validator

from grader.answers.base import Verdict, correct, incorrect, unknown
from grader.answers.entries import compare_all, read_reference_items
from grader.answers.explanation import PRECISION_HINT, imprecise
from grader.answers.fields import MathSpec, read_reference, reference_text
from grader.deadline import Deadline
from grader.equivalence import Outcome
from grader.errors import MathInputError, SpecError
from grader.reading import Reading, read_math
from grader.reading.nodes import Matrix, Node, Seq

__all__ = ["Spec", "parse", "read_as", "check"]

Rows = tuple[tuple[Node, ...], ...]


class Spec(MathSpec):
    type: Literal["matrix"] = "matrix"
    reference: str | list[Any] = Field(description="The expected matrix: [[a, b], [c, d]].")

    _rows: Rows = PrivateAttr()

    @model_validator(mode="after")
    def _read_reference(self):
        if isinstance(self.reference, list):
            rows = []
            for k, row in enumerate(self.reference):
                if not isinstance(row, list):
                    raise SpecError("each row must be a list of entries", f"reference[{k}]")
                rows.append(read_reference_items(row, self.reference_names, f"reference[{k}]"))
            if not rows or any(len(r) != len(rows[0]) for r in rows) or not rows[0]:
                raise SpecError("rows must be non-empty and all the same length", "reference")
            self._rows = tuple(rows)
        else:
            reading = read_reference(reference_text(self.reference), self.reference_names)
            if not isinstance(reading.tree, Matrix):
                raise SpecError(f"{self.reference!r} is a {reading.kind}; expected a matrix such "
                                f"as [[1, 2], [3, 4]]", "reference")
            self._rows = reading.tree.rows
        self.infer_variables([x for row in self._rows for x in row])
        return self

    @property
    def rows(self) -> Rows:
        return self._rows

    @property
    def shape(self) -> tuple[int, int]:
        return len(self._rows), len(self._rows[0])


def read_as(value: tuple[Reading, Rows]) -> str:
    return value[0].latex


def parse(text: str, spec: Spec) -> tuple[Reading, Rows]:
    reading = read_math(text, spec.variable_names)
    tree = reading.tree
    if isinstance(tree, Matrix):
        return reading, tree.rows
    rows, cols = spec.shape
    if isinstance(tree, Seq) and tree.kind in ("list", "tuple", "bare") and (rows == 1 or cols == 1):
        # A row or column vector typed as a plain list.
        items = tree.items
        return reading, ((items,) if rows == 1 else tuple((x,) for x in items))
    raise MathInputError(f"expected a matrix such as [[1, 2], [3, 4]], but this reads as a "
                         f"{reading.kind}", 0, text, max(1, len(text)))


def _shape(rows: Rows) -> str:
    return f"{len(rows)}×{len(rows[0]) if rows else 0}"


def check(value: tuple[Reading, Rows], spec: Spec, deadline: Deadline) -> Verdict:
    reading, rows = value
    expected = spec.rows
    if len(rows) != len(expected) or len(rows[0]) != len(expected[0]):
        hint = ""
        if len(rows) == len(expected[0]) and len(rows[0]) == len(expected):
            transposed = tuple(zip(*rows))
            if _all_equal(expected, transposed, spec, deadline):
                hint = " It is the transpose of the expected matrix."
        return incorrect(reading.latex, f"Wrong shape: expected {_shape(expected)}, got "
                         f"{_shape(rows)}.{hint}")
    flat_expected = [x for row in expected for x in row]
    flat_got = [x for row in rows for x in row]
    results = compare_all(flat_expected, flat_got, spec.domains, spec.rtol, deadline)
    cols = len(expected[0])
    wrong = [(k // cols + 1, k % cols + 1) for k, r in enumerate(results)
             if r.outcome is Outcome.NOT_EQUAL]
    if not wrong:
        if any(r.outcome is Outcome.UNKNOWN for r in results):
            return unknown(reading.latex, "some entries could not be confirmed")
        return correct(reading.latex)
    if len(rows) == len(rows[0]) and len(wrong) > 1 and _all_equal(
            expected, tuple(zip(*rows)), spec, deadline):
        return incorrect(reading.latex, "Not the expected matrix: it is transposed (rows and "
                         "columns swapped).")
    listed = ", ".join(f"({i}, {j})" for i, j in wrong[:6]) + (" …" if len(wrong) > 6 else "")
    noun = "Entry" if len(wrong) == 1 else "Entries"
    verb = "is" if len(wrong) == 1 else "are"
    hint = f" {PRECISION_HINT[0].upper()}{PRECISION_HINT[1:]}." if imprecise(results) else ""
    return incorrect(reading.latex, f"Not the expected matrix: {noun.lower()} {listed} {verb} "
                     f"wrong (row, column).{hint}")


def _all_equal(expected: Rows, got, spec: Spec, deadline: Deadline) -> bool:
    flat_expected = [x for row in expected for x in row]
    flat_got = [x for row in got for x in row]
    results = compare_all(flat_expected, flat_got, spec.domains, spec.rtol, deadline)
    return all(r.outcome is Outcome.EQUAL for r in results)
