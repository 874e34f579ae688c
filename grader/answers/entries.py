"""Comparing lists of entries: vectors, matrix rows, tuples in a set.

Every entry is compared with the same three-valued check as an expression, so entries may
be formulas and typed decimals get the same tolerance everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from grader.deadline import Deadline
from grader.domains import Domain
from grader.equivalence import Comparison, Outcome, compare
from grader.errors import SpecError
from grader.reading import Reading
from grader.reading.nodes import Matrix, Mul, Node, Num, Seq

__all__ = ["ZERO", "Entries", "read_reference_items", "vector_items", "compare_all", "parallel",
           "is_zero"]

ZERO = Num(Fraction(0), "0", 0, 0)


@dataclass(frozen=True)
class Entries:
    """A response read as a list of scalar entries, with the reading it came from."""

    reading: Reading
    items: tuple[Node, ...]


def read_reference_items(value: Any, names: tuple[str, ...] | None,
                         path: str) -> tuple[Node, ...]:
    """The entries of a reference vector given as text ``"[1, 2]"`` or a YAML list ``[1, 2]``."""
    from grader.answers.fields import read_reference, reference_text

    if isinstance(value, (list, tuple)):
        items = []
        for k, item in enumerate(value):
            try:
                text = reference_text(item)
            except ValueError as exc:
                raise SpecError(str(exc), f"{path}[{k}]") from None
            reading = read_reference(text, names, f"{path}[{k}]")
            if reading.kind != "expression":
                raise SpecError(f"{text!r} is a {reading.kind}; expected one entry", f"{path}[{k}]")
            items.append(reading.tree)
        return tuple(items)
    reading = read_reference(reference_text(value), names, path)
    items = vector_items(reading.tree)
    if items is None:
        raise SpecError(f"{value!r} is a {reading.kind}; expected a vector such as [1, 2]", path)
    return items


def vector_items(tree: Node) -> tuple[Node, ...] | None:
    """Entries of a tree that can stand for a vector, else None.

    ``[1, 2]``, ``(1, 2)``, ``1, 2`` and a matrix with one row or one column all qualify.
    """
    if isinstance(tree, Seq) and tree.kind in ("list", "tuple", "bare"):
        if all(not isinstance(x, (Seq, Matrix)) for x in tree.items):
            return tree.items
        return None
    if isinstance(tree, Matrix):
        rows, cols = tree.shape
        if cols == 1:
            return tuple(row[0] for row in tree.rows)
        if rows == 1:
            return tree.rows[0]
    return None


def compare_all(expected: Sequence[Node], got: Sequence[Node], domains: dict[str, Domain],
                rtol: float, deadline: Deadline) -> list[Comparison]:
    return [compare(e, g, domains, rtol=rtol, deadline=deadline) for e, g in zip(expected, got)]


def is_zero(node: Node, domains: dict[str, Domain], rtol: float, deadline: Deadline) -> Outcome:
    return compare(ZERO, node, domains, rtol=rtol, deadline=deadline).outcome


def parallel(expected: Sequence[Node], got: Sequence[Node], domains: dict[str, Domain],
             rtol: float, deadline: Deadline) -> tuple[Outcome, str]:
    """Whether ``got`` is a nonzero multiple of ``expected``, and if not, why not.

    With a pivot entry p of the reference that is not zero, ``got`` is parallel exactly when
    got[i]·ref[p] = got[p]·ref[i] for every i and ``got`` is not the zero vector.
    """
    zero = [is_zero(g, domains, rtol, deadline) for g in got]
    if all(z is Outcome.EQUAL for z in zero):
        return Outcome.NOT_EQUAL, "the zero vector is not accepted: it has no direction"
    pivot = next((i for i, e in enumerate(expected)
                  if is_zero(e, domains, rtol, deadline) is Outcome.NOT_EQUAL), None)
    if pivot is None:
        return Outcome.UNKNOWN, "the expected vector could not be shown to be nonzero"
    outcomes = []
    for i in range(len(expected)):
        if i == pivot:
            continue
        left = Mul(got[i], expected[pivot])
        right = Mul(got[pivot], expected[i])
        outcomes.append(compare(right, left, domains, rtol=rtol, deadline=deadline).outcome)
    if any(o is Outcome.NOT_EQUAL for o in outcomes):
        return Outcome.NOT_EQUAL, "it is not parallel to the expected vector"
    if any(o is Outcome.UNKNOWN for o in outcomes) or any(z is Outcome.UNKNOWN for z in zero):
        return Outcome.UNKNOWN, "its direction could not be confirmed"
    return Outcome.EQUAL, ""
