"""The problem file format (version 1), as pydantic models.

These models check the shape of a file: keys, types, ranges. What needs the math (do the
references parse, are they defined at every seed, does the LaTeX render) is checked when a
problem is instantiated, in :mod:`grader.problems.instance` and
:mod:`grader.problems.validation`. ``problems/README.md`` documents every key by example and
a test keeps the two in step.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

__all__ = ["Problem", "Part", "Parameter", "Mistake", "TOPICS", "FORMAT_VERSION"]

FORMAT_VERSION = 1
TOPICS = ("linear-algebra", "calculus", "probability", "optimization", "information-theory")
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")

Value = int | float | str


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Parameter(_Strict):
    """How one parameter varies between variants."""

    tutorial: Value = Field(description="The value at seed 0: the tutorial's own number.")
    choices: list[Value] | None = Field(None, min_length=1,
                                        description="Pick one of these values.")
    range: tuple[int, int] | None = Field(None, description="Pick a whole number from the first "
                                          "to the second, both included.")
    exclude: list[Value] = Field(default_factory=list,
                                 description="Values never picked (e.g. 0).")

    @model_validator(mode="after")
    def _one_source(self):
        if (self.choices is None) == (self.range is None):
            raise ValueError("give exactly one of `choices` or `range`")
        if self.range is not None and self.range[0] > self.range[1]:
            raise ValueError(f"range {list(self.range)} is empty: the first number must not "
                             f"exceed the second")
        return self


class Mistake(_Strict):
    """An anticipated wrong answer and what to tell a student who gives it."""

    answer: Value | list[Any] = Field(description="The wrong answer, written like a reference "
                                      "(parameters and author operations allowed).")
    feedback: str = Field(min_length=1, description="What to tell the student (Markdown).")


class Part(_Strict):
    """One question of a problem, graded on its own."""

    id: str = Field(description="Short id, unique in the problem (lowercase, dashes).")
    prompt: str = Field(min_length=1, description="The question (Markdown with LaTeX).")
    answer: dict[str, Any] = Field(description="The answer spec: `type` and its keys.")
    points: float = Field(1.0, gt=0, description="Weight of the part in the problem's score.")
    hints: list[str] = Field(default_factory=list,
                             description="Progressive hints, shown one at a time (Markdown).")
    mistakes: list[Mistake] = Field(default_factory=list,
                                    description="Anticipated mistakes with their feedback.")
    solution: str | None = Field(None, description="Worked solution of this part (Markdown).")

    @field_validator("id")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not SLUG.match(value):
            raise ValueError(f"{value!r} is not a valid id: use lowercase letters, digits and "
                             f"dashes, e.g. 'critical-points'")
        return value


class Problem(_Strict):
    """A problem file."""

    format: Literal[1] = Field(description="Format version of this file: 1.")
    id: str = Field(description="Equal to the file name without .yaml.")
    title: str = Field(min_length=1)
    topic: Literal["linear-algebra", "calculus", "probability", "optimization",
                   "information-theory"]
    concepts: list[str] = Field(min_length=1, description="What the problem practises.")
    difficulty: int = Field(ge=1, le=5, description="1 (warm-up) to 5 (hard).")
    source: str | None = Field(None, description="Where the problem comes from.")
    parameters: dict[str, Parameter] = Field(
        default_factory=dict, description="Values that vary between variants (seeds).")
    constraints: list[str] = Field(
        default_factory=list, description="Conditions every variant must meet, such as "
                                          "'a != c' or 'a*c - b^2 > 0'.")
    symbols: dict[str, str] = Field(
        default_factory=dict, description="Domains of the symbols used in computed values "
                                          "(default real), e.g. {sigma: positive}.")
    derived: dict[str, Value | list[Any]] = Field(
        default_factory=dict, description="Values computed from the parameters, in order, "
                                          "with author operations such as diff or eigenvals.")
    statement: str = Field(min_length=1, description="The problem text (Markdown with LaTeX).")
    parts: list[Part] = Field(min_length=1)
    solution: str = Field(min_length=1, description="Worked solution (Markdown with LaTeX).")
    solution_after_attempts: int | None = Field(
        None, ge=1, description="Show the solution after this many attempts at a part, "
                                "as well as after a correct answer.")

    @field_validator("id")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not SLUG.match(value):
            raise ValueError(f"{value!r} is not a valid id: use lowercase letters, digits and "
                             f"dashes, e.g. 'eigen-2x2'")
        return value

    @field_validator("parameters", "derived")
    @classmethod
    def _names(cls, value: dict) -> dict:
        from grader.problems.authoring import OPERATIONS
        from grader.reading.vocabulary import CONSTANTS, FUNCTIONS

        for name in value:
            if not isinstance(name, str) or not NAME.match(name):
                raise ValueError(f"{name!r} is not a valid name: start with a letter, then "
                                 f"letters, digits or _ (A, lambdas, H0, grad_f)")
            if name in FUNCTIONS or name in CONSTANTS or name in OPERATIONS:
                raise ValueError(f"{name!r} is already the name of a function or constant; "
                                 f"choose another")
        return value

    @model_validator(mode="after")
    def _unique_parts(self):
        seen: set[str] = set()
        for k, part in enumerate(self.parts):
            if part.id in seen:
                raise ValueError(f"parts[{k}].id: duplicate part id {part.id!r}")
            seen.add(part.id)
        clash = set(self.parameters) & set(self.derived)
        if clash:
            raise ValueError(f"{', '.join(sorted(clash))} is both a parameter and a derived value")
        return self
