"""``set``: elements in any order, with partial credit.

    answer:
      type: set
      reference: ["(5 - sqrt(5))/2", "(5 + sqrt(5))/2"]
      element: {type: vector, up_to_scale: true}   # optional: expression (default),
                                                    # tuple, or vector
Elements of the response are matched one-to-one to elements of the reference (a maximum
matching, so order never matters). Score = matched / (reference elements + unmatched
response elements): a missing element and an extra one each cost credit, and an element
listed twice counts once, the repeat as an extra. Fully correct means every reference
element matched exactly once and nothing else given.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator

from grader.answers.base import Verdict, correct, incorrect, unknown
from grader.answers.entries import Entries, compare_all, read_reference_items, vector_items
from grader.answers.fields import MathSpec, read_reference, reference_text
from grader.answers.vector import judge
from grader.deadline import Deadline
from grader.equivalence import Outcome, compare
from grader.errors import MathInputError, SpecError
from grader.reading import Reading, read_math
from grader.evaluation import evaluate_precise
from grader.reading.nodes import Matrix, Node, Seq, free_variables, is_structure
from grader.reading.printing import to_latex

__all__ = ["Spec", "ElementSpec", "parse", "read_as", "check"]

Element = Node | tuple[Node, ...]


class ElementSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    type: Literal["expression", "number", "tuple", "vector"] = Field(
        "expression", description="What each element is.")
    up_to_scale: bool = Field(False, description="Vectors: accept any nonzero multiple.")


class Spec(MathSpec):
    type: Literal["set"] = "set"
    reference: str | list[Any] = Field(description="The expected elements.")
    element: ElementSpec | None = Field(None, description="The kind of element; inferred "
                                        "from the reference when absent.")

    _elements: tuple[Element, ...] = PrivateAttr()
    _kind: str = PrivateAttr()

    @model_validator(mode="after")
    def _read_reference(self):
        names = self.reference_names
        declared = self.element.type if self.element else None
        if isinstance(self.reference, list):
            elements: list[Element] = []
            for k, item in enumerate(self.reference):
                path = f"reference[{k}]"
                if isinstance(item, (list, tuple)):
                    elements.append(read_reference_items(item, names, path))
                    continue
                tree = read_reference(_text(item, path), names, path).tree
                entries = vector_items(tree) if is_structure(tree) else None
                if is_structure(tree) and entries is None:
                    raise SpecError(f"{item!r} is not an element: expected a number, an "
                                    f"expression, a tuple or a vector", path)
                elements.append(entries if entries is not None else tree)
        else:
            reading = read_reference(reference_text(self.reference), names)
            elements, _ = _elements(reading.tree, declared)
        structured = [isinstance(e, tuple) for e in elements]
        if any(structured) and not all(structured):
            raise SpecError("mix of plain elements and tuples/vectors; use one kind", "reference")
        kind = declared or ("tuple" if any(structured) else "expression")
        if (kind in ("tuple", "vector")) != all(structured) and elements:
            raise SpecError(f"element type {kind!r} does not match the reference's elements",
                            "element.type")
        if len({_key(e) for e in elements}) < len(elements):
            raise SpecError("the same element is listed twice", "reference")
        self.infer_variables([x for e in elements for x in (e if isinstance(e, tuple) else (e,))])
        self._elements = tuple(elements)
        self._kind = kind
        return self

    @property
    def elements(self) -> tuple[Element, ...]:
        return self._elements

    @property
    def kind(self) -> str:
        return self._kind

    @property
    def up_to_scale(self) -> bool:
        return bool(self.element and self.element.up_to_scale)


def _key(element: Element) -> str:
    if isinstance(element, tuple):
        return "(" + ", ".join(to_latex(x) for x in element) + ")"
    return to_latex(element)


def _text(item: Any, path: str) -> str:
    try:
        return reference_text(item)
    except ValueError as exc:
        raise SpecError(str(exc), path) from None


def _elements(tree: Node, declared: str | None) -> tuple[list[Element], str]:
    """Split a reading into elements; raise MathInputError where an element has the wrong form."""
    structured_wanted = declared in ("tuple", "vector")
    if isinstance(tree, Matrix):
        if tree.latex:  # an eigenvector matrix typed in LaTeX: its columns are the vectors
            return [tuple(column) for column in zip(*tree.rows)], declared or "vector"
        return [tuple(row) for row in tree.rows], declared or "vector"
    if isinstance(tree, Seq) and tree.kind in ("set", "list", "bare", "tuple"):
        items = tree.items
        if structured_wanted and items and not any(is_structure(x) for x in items) \
                and tree.kind in ("list", "tuple"):
            return [items], declared  # type: ignore[list-item]
        if any(is_structure(x) for x in items):
            elements: list[Element] = []
            for x in items:
                entries = vector_items(x)
                if entries is None:
                    raise MathInputError(
                        f"element at column {x.start + 1} should be a tuple or vector like the "
                        f"others", x.start, None, max(1, x.end - x.start))
                elements.append(entries)
            return elements, declared or "tuple"
        if structured_wanted and items:
            raise MathInputError("each element should be a tuple or vector such as (1, 2)",
                                 items[0].start, None)
        return list(items), declared or "expression"
    if structured_wanted:
        raise MathInputError("each element should be a tuple or vector such as (1, 2)", 0, None)
    return [tree], declared or "expression"


def read_as(value: tuple[Reading, tuple[Element, ...]]) -> str:
    return value[0].latex


def parse(text: str, spec: Spec) -> tuple[Reading, tuple[Element, ...]]:
    reading = read_math(text, spec.variable_names)
    wanted = spec.kind if spec.kind in ("tuple", "vector") else None
    try:
        elements, _ = _elements(reading.tree, wanted)
    except MathInputError as exc:
        exc.text = text
        raise
    if wanted is None and any(isinstance(e, tuple) for e in elements):
        raise MathInputError("expected numbers or expressions as elements, not tuples or vectors",
                             0, text, max(1, len(text)))
    return reading, tuple(elements)


def _outcome(expected: Element, got: Element, spec: Spec, deadline: Deadline) -> Outcome:
    if isinstance(expected, tuple):
        assert isinstance(got, tuple)
        if spec.kind == "vector":
            return judge(expected, Entries(None, got), spec, spec.up_to_scale, deadline)[0]  # type: ignore[arg-type]
        if len(expected) != len(got):
            return Outcome.NOT_EQUAL
        results = compare_all(expected, got, spec.domains, spec.rtol, deadline)
        if any(r.outcome is Outcome.NOT_EQUAL for r in results):
            return Outcome.NOT_EQUAL
        return Outcome.UNKNOWN if any(r.outcome is Outcome.UNKNOWN for r in results) \
            else Outcome.EQUAL
    assert not isinstance(got, tuple)
    return compare(expected, got, spec.domains, rtol=spec.rtol, deadline=deadline).outcome


def _matching(edges: list[list[int]], n_got: int) -> dict[int, int]:
    """Maximum matching reference -> response (Kuhn's augmenting paths; sets are small)."""
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in edges[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(edges)):
        augment(i, set())
    return {i: j for j, i in owner.items()}


def check(value: tuple[Reading, tuple[Element, ...]], spec: Spec, deadline: Deadline) -> Verdict:
    reading, got = value
    expected = spec.elements
    table = [[_outcome(e, g, spec, deadline) for g in got] for e in expected]
    equal = [[j for j, o in enumerate(row) if o is Outcome.EQUAL] for row in table]
    matched = _matching(equal, len(got))
    used = set(matched.values())
    extras = [j for j in range(len(got)) if j not in used]
    missing = [i for i in range(len(expected)) if i not in matched]
    read_as = reading.latex
    total = len(expected) + len(extras)
    score = len(matched) / total if total else 1.0
    if not extras and not missing:
        return correct(read_as)

    notes = []
    for j in extras:
        shown = f"`{_shown(reading, got[j])}`"
        if any(table[i][j] is Outcome.EQUAL for i in matched):
            notes.append(f"{shown} is listed more than once.")
        elif any(table[i][j] is Outcome.UNKNOWN for i in missing):
            notes.append(f"{shown} could not be confirmed either way.")
        elif spec.kind == "vector" and spec.up_to_scale:
            notes.append(f"{shown} is not parallel to any of the expected vectors.")
        elif any(_close(expected[i], got[j]) for i in missing):
            notes.append(f"{shown} is close to an expected value but not precise enough: keep "
                         f"more digits or give the exact value.")
        else:
            notes.append(f"{shown} is not one of the expected elements.")
    undecided = [j for j in extras if any(table[i][j] is Outcome.UNKNOWN for i in missing)]
    if undecided and len(undecided) == len(extras) == len(missing):
        return unknown(read_as, "some elements could not be confirmed", tuple(notes))
    parts = []
    if missing:
        parts.append(f"Missing {len(missing)} of {len(expected)} expected "
                     f"element{'s' if len(expected) != 1 else ''}.")
    parts.extend(notes)
    if not got:
        parts = [f"The set is empty, but {len(expected)} element"
                 f"{'s are' if len(expected) != 1 else ' is'} expected."]
    return incorrect(read_as, " ".join(parts), score=score, notes=tuple(notes))


def _close(expected: Element, got: Element) -> bool:
    """Both constants, within 1% of each other: the student rounded too early."""
    pairs = list(zip(expected, got)) if isinstance(expected, tuple) and isinstance(got, tuple) \
        and len(expected) == len(got) else [(expected, got)]
    for e, g in pairs:
        if isinstance(e, tuple) or isinstance(g, tuple) or free_variables(e) or free_variables(g):
            return False
        a, b = evaluate_precise(e, {}), evaluate_precise(g, {})
        if a is None or b is None or a == 0 or abs(a - b) > 1e-2 * abs(a):
            return False
    return True


def _shown(reading: Reading, element: Element) -> str:
    if isinstance(element, tuple):
        if not element:
            return "()"
        start, end = element[0].start, element[-1].end
        # Include the brackets around a tuple or vector when the student typed them.
        text = reading.text
        while start > 0 and text[start - 1] in " ([{":
            start -= 1
            if text[start] in "([{":
                break
        while end < len(text) and text[end] in " )]}":
            end += 1
            if text[end - 1] in ")]}":
                break
        return text[start:end].strip()
    return reading.text[element.start:element.end].strip()
