"""``choice``: one of a list of options, matched ignoring case and spacing.

    answer:
      type: choice
      options: [minimum, maximum, saddle point]
      reference: saddle point
"""

from __future__ import annotations

import difflib
from typing import Literal

from pydantic import Field, model_validator

from grader.answers.base import SpecBase, Verdict, correct, incorrect
from grader.deadline import Deadline
from grader.errors import MathInputError, SpecError

__all__ = ["Spec", "parse", "read_as", "check", "normal_form", "match_option"]


def normal_form(text: str) -> str:
    """Case and spacing do not matter: `B^TA^T` is `B^T A^T`."""
    return "".join(str(text).split()).casefold()


class Spec(SpecBase):
    type: Literal["choice"] = "choice"
    options: list[str] = Field(min_length=2, description="The options shown to the student.")
    reference: str = Field(description="The correct option.")

    @model_validator(mode="after")
    def _reference_is_an_option(self):
        seen: dict[str, str] = {}
        for k, option in enumerate(self.options):
            key = normal_form(option)
            if not key:
                raise SpecError("an option is empty", f"options[{k}]")
            if key in seen:
                raise SpecError(f"{option!r} is the same option as {seen[key]!r} (case and "
                                f"spacing are ignored)", f"options[{k}]")
            seen[key] = option
        if normal_form(self.reference) not in seen:
            raise SpecError(f"{self.reference!r} is not one of the options "
                            f"{', '.join(map(repr, self.options))}", "reference")
        return self


def read_as(option: str) -> str:
    return option


def match_option(text: str, options: list[str]) -> str | None:
    """The option ``text`` names: equal ignoring case and spacing, or the start of exactly one
    option (`saddle` for `saddle point`, `t` for `true`; `m` is refused beside `minimum` and
    `maximum`)."""
    key = normal_form(text)
    for option in options:
        if normal_form(option) == key:
            return option
    starts = [o for o in options if key and normal_form(o).startswith(key)]
    return starts[0] if len(starts) == 1 else None


def parse(text: str, spec: Spec) -> str:
    key = normal_form(text)
    option = match_option(text, spec.options)
    if option is not None:
        return option
    if not key:
        raise MathInputError("no option chosen; pick one of: " + ", ".join(spec.options), None, text)
    close = difflib.get_close_matches(key, [normal_form(o) for o in spec.options], n=1, cutoff=0.6)
    hint = ""
    if close:
        hint = " — did you mean " + next(f"`{o}`" for o in spec.options if normal_form(o) == close[0]) + "?"
    raise MathInputError(f"`{text.strip()}` is not one of the options ("
                         f"{', '.join(spec.options)}){hint}", 0, text, max(1, len(text)))


def check(option: str, spec: Spec, deadline: Deadline) -> Verdict:
    if normal_form(option) == normal_form(spec.reference):
        return correct(option)
    return incorrect(option, f"`{option}` is not the right choice.")
