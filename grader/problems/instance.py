"""A problem at one seed: text rendered with the variant's numbers, answer specs built.

Everything a page, the grader or the self-test needs about one variant is computed here once
(``instantiate`` is cached): the statement, each part's prompt, hints and solution as
Markdown; each part's answer spec with its computed reference; the anticipated mistakes as
specs of their own; and the text a student would type to be right.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, field
from typing import Any

import sympy

from grader.answers import load_spec, spec_errors
from grader.errors import SpecError
from grader.problems.authoring import (
    AuthorError, as_latex, as_text, evaluate, is_defined, why_undefined,
)
from grader.problems.model import Part, Problem
from grader.problems.templates import render
from grader.problems.variants import Variant, VariantError, draw_variant

__all__ = ["ProblemInstance", "PartInstance", "MistakeInstance", "instantiate", "InstanceError",
           "MATH_TYPES"]

MATH_TYPES = frozenset({"expression", "number", "matrix", "vector", "set"})


class InstanceError(SpecError):
    """A problem that cannot be instantiated at some seed (the author's mistake)."""


@dataclass(frozen=True)
class MistakeInstance:
    spec: Any
    feedback: str
    response: str            # the mistake typed as a student would


@dataclass(frozen=True)
class PartInstance:
    id: str
    prompt: str
    points: float
    answer_type: str
    spec: Any
    response: str            # what a student could type to be right ("" for code parts)
    reference_latex: str
    hints: tuple[str, ...]
    mistakes: tuple[MistakeInstance, ...]
    solution: str | None


@dataclass(frozen=True)
class ProblemInstance:
    problem: Problem
    seed: int
    parameters: dict[str, str]          # name -> LaTeX of its value at this seed
    statement: str
    parts: tuple[PartInstance, ...]
    solution: str
    part_ids: tuple[str, ...] = field(default=())

    def part(self, part_id: str) -> PartInstance:
        for part in self.parts:
            if part.id == part_id:
                return part
        raise KeyError(f"problem {self.problem.id!r} has no part {part_id!r}; its parts are "
                       f"{', '.join(p.id for p in self.parts)}")


_PROBLEMS: dict[str, Problem] = {}


@functools.lru_cache(maxsize=1024)
def _cached(fingerprint: str, seed: int) -> ProblemInstance:
    return _instantiate(_PROBLEMS[fingerprint], seed)


def instantiate(problem: Problem, seed: int) -> ProblemInstance:
    """The problem at ``seed``; raises InstanceError naming the key at fault.

    Instances are cached by the problem's content, so an edited file gets fresh ones.
    """
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise InstanceError(f"the seed must be a whole number ≥ 0, got {seed!r}", "seed")
    fingerprint = hashlib.sha256(problem.model_dump_json().encode()).hexdigest()
    _PROBLEMS.setdefault(fingerprint, problem)
    return _cached(fingerprint, seed)


def _instantiate(problem: Problem, seed: int) -> ProblemInstance:
    try:
        variant = draw_variant(problem, seed)
    except VariantError as exc:
        raise InstanceError(exc.message, exc.path) from None
    text = _Text(variant)
    parts = tuple(_part(part, k, variant, text) for k, part in enumerate(problem.parts))
    parameters = {name: as_latex(value) for name, value in variant.parameters.items()}
    return ProblemInstance(problem, seed, parameters, text("statement", problem.statement),
                           parts, text("solution", problem.solution),
                           tuple(p.id for p in parts))


class _Text:
    """Renders Markdown fields, naming the key when a template fails."""

    def __init__(self, variant: Variant) -> None:
        self.variant = variant

    def __call__(self, path: str, markdown: str, *, latex: bool = True) -> str:
        try:
            return render(markdown, self.variant.values, self.variant.symbols, latex=latex)
        except AuthorError as exc:
            raise InstanceError(f"at seed {self.variant.seed}: {exc}", path) from None


def _part(part: Part, k: int, variant: Variant, text: _Text) -> PartInstance:
    path = f"parts[{k}]"
    answer = dict(part.answer)
    kind = answer.get("type")
    mistakes_raw = [(m.answer, m.feedback) for m in part.mistakes]
    reference_latex = ""
    response = ""
    if kind in MATH_TYPES:
        if "reference" not in answer:
            raise InstanceError("missing required key", f"{path}.answer.reference")
        value = _compute(answer["reference"], variant, f"{path}.answer.reference")
        answer["reference"], response = _as_reference(value, kind, f"{path}.answer.reference",
                                                      variant.seed)
        reference_latex = as_latex(value)
    elif kind == "choice":
        answer["options"] = [text(f"{path}.answer.options[{j}]", str(o), latex=False)
                             for j, o in enumerate(answer.get("options") or [])]
        answer["reference"] = text(f"{path}.answer.reference", str(answer.get("reference", "")),
                                   latex=False)
        response = reference_latex = answer["reference"]
    elif kind == "labels":
        answer["items"] = [text(f"{path}.answer.items[{j}]", str(item))
                           for j, item in enumerate(answer.get("items") or [])]
        for key in ("options", "reference"):
            answer[key] = [text(f"{path}.answer.{key}[{j}]", str(item), latex=False)
                           for j, item in enumerate(answer.get(key) or [])]
        response = reference_latex = "; ".join(answer["reference"])
    elif kind == "code":
        options = answer.get("options") or {}
        if isinstance(options, dict):
            answer["options"] = {name: _number(raw, variant, f"{path}.answer.options.{name}")
                                 for name, raw in options.items()}
        answer["seed"] = variant.seed
        if isinstance(answer.get("reference"), str):
            answer["reference"] = response = text(f"{path}.answer.reference",
                                                  answer["reference"], latex=False)
    spec = _build(answer, f"{path}.answer", variant.seed)
    mistakes = []
    for j, (raw, feedback) in enumerate(mistakes_raw):
        where = f"{path}.mistakes[{j}]"
        wrong = dict(answer)
        if kind in MATH_TYPES:
            value = _compute(raw, variant, f"{where}.answer")
            wrong["reference"], typed = _as_reference(value, kind, f"{where}.answer",
                                                      variant.seed)
        elif kind == "choice":
            wrong["reference"] = typed = text(f"{where}.answer", str(raw), latex=False)
        elif kind == "labels" and isinstance(raw, list):
            wrong["reference"] = [text(f"{where}.answer[{i}]", str(r), latex=False)
                                  for i, r in enumerate(raw)]
            typed = "; ".join(wrong["reference"])
        else:
            raise InstanceError(f"anticipated mistakes are not supported for {kind} answers",
                                where)
        mistakes.append(MistakeInstance(_build(wrong, f"{where}.answer", variant.seed),
                                        text(f"{where}.feedback", feedback), typed))
    hints = tuple(text(f"{path}.hints[{j}]", h) for j, h in enumerate(part.hints))
    solution = text(f"{path}.solution", part.solution) if part.solution else None
    return PartInstance(part.id, text(f"{path}.prompt", part.prompt), part.points, str(kind),
                        spec, response, reference_latex, hints, tuple(mistakes), solution)


def _number(raw: Any, variant: Variant, path: str) -> float:
    value = _compute(raw, variant, path)
    try:
        return float(value)
    except (TypeError, ValueError):
        raise InstanceError(f"at seed {variant.seed}: expected a number, got {value}", path) \
            from None


def _compute(raw: Any, variant: Variant, path: str):
    try:
        value = evaluate(raw, variant.values, variant.symbols)
    except AuthorError as exc:
        raise InstanceError(f"at seed {variant.seed}: {exc}", path) from None
    if not is_defined(value):
        raise InstanceError(f"at seed {variant.seed}: the value is {why_undefined(value)} with "
                            f"{_shown(variant.parameters)}", path)
    return value


def _shown(parameters: dict) -> str:
    return ", ".join(f"{name} = {value}" for name, value in parameters.items()) or "no parameters"


def _build(answer: dict, path: str, seed: int):
    errors = spec_errors(answer, path)
    if errors:
        first = errors[0]
        raise InstanceError(f"at seed {seed}: {first.message}" if seed else first.message,
                            first.path)
    return load_spec(answer, path)


def _scalar_text(value, path: str, seed: int) -> str:
    if isinstance(value, (list, tuple, sympy.MatrixBase)):
        raise InstanceError(f"at seed {seed}: expected a single value, got {value}", path)
    try:
        return as_text(sympy.Integer(value) if isinstance(value, int) else value)
    except AuthorError as exc:
        raise InstanceError(f"at seed {seed}: {exc}", path) from None


def _entries(value, path: str, seed: int) -> list[str]:
    if isinstance(value, sympy.MatrixBase):
        if 1 not in value.shape:
            raise InstanceError(f"at seed {seed}: expected a vector, got a {value.shape[0]}×"
                                f"{value.shape[1]} matrix", path)
        return [_scalar_text(v, path, seed) for v in value]
    if isinstance(value, (list, tuple)):
        return [_scalar_text(v, path, seed) for v in value]
    raise InstanceError(f"at seed {seed}: expected a vector, got {value}", path)


def _as_reference(value, kind: str, path: str, seed: int) -> tuple[Any, str]:
    """The spec's reference for a computed value, and the text a student would type."""
    if kind in ("expression", "number"):
        text = _scalar_text(value, path, seed)
        return text, text
    if kind == "vector":
        entries = _entries(value, path, seed)
        return entries, f"[{', '.join(entries)}]"
    if kind == "matrix":
        if isinstance(value, sympy.MatrixBase):
            rows = [[_scalar_text(v, path, seed) for v in value.row(i)]
                    for i in range(value.rows)]
        elif isinstance(value, list) and all(isinstance(r, (list, tuple)) for r in value):
            rows = [[_scalar_text(v, path, seed) for v in r] for r in value]
        else:
            raise InstanceError(f"at seed {seed}: expected a matrix, got {value}", path)
        return rows, "[" + ", ".join("[" + ", ".join(r) + "]" for r in rows) + "]"
    # a set: scalars, or tuples/vectors
    if isinstance(value, sympy.MatrixBase) and 1 not in value.shape:
        items = [value.row(i) for i in range(value.rows)]  # a matrix lists its rows
    else:
        items = list(value) if isinstance(value, (list, tuple, sympy.MatrixBase)) else [value]
    elements: list[Any] = []
    typed: list[str] = []
    for item in items:
        if isinstance(item, (tuple, list, sympy.MatrixBase)):
            entries = _entries(item, path, seed)
            elements.append(entries)
            bracket = "({})" if isinstance(item, tuple) else "[{}]"
            typed.append(bracket.format(", ".join(entries)))
        else:
            text = _scalar_text(item, path, seed)
            elements.append(text)
            typed.append(text)
    return elements, ", ".join(typed)
