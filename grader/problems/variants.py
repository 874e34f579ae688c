"""Parameter values for a seed: seed 0 is the tutorial's numbers, other seeds vary.

A seed picks every parameter deterministically (``random.Random`` seeded by the problem id
and the seed, so variants do not change when another problem is added). Derived values are
computed in order; a variant that breaks a constraint ("a != c", "a*c - b^2 > 0") is drawn
again, up to ``MAX_DRAWS`` times.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import Any

import sympy

from grader.problems.authoring import AuthorError, evaluate, symbol_table
from grader.problems.model import Parameter, Problem

__all__ = ["Variant", "draw_variant", "VariantError", "MAX_DRAWS"]

MAX_DRAWS = 200
COMPARISON = re.compile(r"^(.*?)(!=|==|<=|>=|<|>)(.*)$")


class VariantError(ValueError):
    """No variant can be made: the message names the key at fault in ``path``."""

    def __init__(self, message: str, path: str) -> None:
        super().__init__(message)
        self.message = message
        self.path = path


@dataclass(frozen=True)
class Variant:
    seed: int
    parameters: dict[str, Any]      # name -> sympy value
    values: dict[str, Any]          # parameters and derived values, by name
    symbols: dict[str, sympy.Symbol]


def draw_variant(problem: Problem, seed: int) -> Variant:
    """The variant for ``seed``, or VariantError."""
    symbols = symbol_table(problem.symbols)
    rng = random.Random(f"{problem.id}:{seed}")
    last_failure = ""
    for _ in range(1 if seed == 0 else MAX_DRAWS):
        parameters = {name: _pick(name, spec, rng, seed == 0, symbols)
                      for name, spec in problem.parameters.items()}
        values = dict(parameters)
        for name, text in problem.derived.items():
            try:
                values[name] = evaluate(text, values, symbols)
            except AuthorError as exc:
                raise VariantError(f"at seed {seed}: {exc}", f"derived.{name}") from None
        broken = _broken_constraint(problem, values, symbols)
        if broken is None:
            return Variant(seed, parameters, values, symbols)
        last_failure = broken
        if seed == 0:
            raise VariantError(f"the tutorial values break the constraint {broken!r}",
                               "constraints")
    raise VariantError(f"no values satisfy the constraints after {MAX_DRAWS} draws at seed "
                       f"{seed} (last broken: {last_failure!r})", "constraints")


def _pick(name: str, spec: Parameter, rng: random.Random, tutorial: bool, symbols) -> Any:
    if tutorial:
        return _value(spec.tutorial, f"parameters.{name}.tutorial", symbols)
    if spec.choices is not None:
        pool = [c for c in spec.choices if c not in spec.exclude]
    else:
        low, high = spec.range  # type: ignore[misc]
        pool = [v for v in range(low, high + 1) if v not in spec.exclude]
    if not pool:
        raise VariantError("every value is excluded", f"parameters.{name}")
    return _value(rng.choice(pool), f"parameters.{name}", symbols)


def _value(raw: Any, path: str, symbols) -> Any:
    try:
        return evaluate(raw, {}, symbols)
    except AuthorError as exc:
        raise VariantError(str(exc), path) from None


def _broken_constraint(problem: Problem, values: dict, symbols) -> str | None:
    """The first constraint these values break, or None."""
    for k, text in enumerate(problem.constraints):
        match = COMPARISON.match(text)
        if match is None:
            raise VariantError(f"{text!r} is not a comparison: write e.g. 'a != c' or "
                               f"'a*c - b^2 > 0'", f"constraints[{k}]")
        left_text, operator, right_text = match.groups()
        try:
            left = evaluate(left_text.strip(), values, symbols)
            right = evaluate(right_text.strip(), values, symbols)
            difference = sympy.simplify(left - right)
        except (AuthorError, TypeError) as exc:
            raise VariantError(f"{text!r} cannot be computed: {exc}", f"constraints[{k}]") \
                from None
        if operator in ("!=", "=="):
            holds = (difference == 0) == (operator == "==")
        else:
            number = sympy.N(difference)
            if not number.is_real:
                raise VariantError(f"{text!r} does not compare two real numbers",
                                   f"constraints[{k}]")
            holds = {"<": number < 0, "<=": number <= 0, ">": number > 0,
                     ">=": number >= 0}[operator]
        if not holds:
            return text
    return None
