"""``labels``: one option per item, e.g. classify each critical point.

    answer:
      type: labels
      items: ["$(0, 0)$", "$(1, 1)$", "$(-1, -1)$"]
      options: [minimum, maximum, saddle point]
      reference: [saddle point, minimum, minimum]

The response lists one option per item, in the items' order, separated by semicolons or
new lines (``saddle point; minimum; minimum``); the app shows one choice per item instead.
Each item is worth the same share of the score.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, model_validator

from grader.answers.base import SpecBase, Verdict, correct, incorrect
from grader.answers.choice import match_option, normal_form
from grader.deadline import Deadline
from grader.errors import MathInputError, SpecError

__all__ = ["Spec", "parse", "read_as", "check"]

SEPARATOR = re.compile(r"[;\n]")


class Spec(SpecBase):
    type: Literal["labels"] = "labels"
    items: list[str] = Field(min_length=1, description="What is labelled (Markdown).")
    options: list[str] = Field(min_length=2, description="The labels to choose from.")
    reference: list[str] = Field(description="The right option for each item, in order.")

    @model_validator(mode="after")
    def _consistent(self):
        keys = [normal_form(o) for o in self.options]
        if len(set(keys)) != len(keys):
            raise SpecError("two options are the same (case and spacing are ignored)", "options")
        if len(self.reference) != len(self.items):
            raise SpecError(f"{len(self.items)} items but {len(self.reference)} reference labels",
                            "reference")
        for k, label in enumerate(self.reference):
            if normal_form(label) not in keys:
                raise SpecError(f"{label!r} is not one of the options", f"reference[{k}]")
        return self


def parse(text: str, spec: Spec) -> tuple[str, ...]:
    pieces = [p.strip() for p in SEPARATOR.split(text)]
    if len(pieces) == 1 and len(spec.items) > 1 and "," in text:
        pieces = [p.strip() for p in text.split(",")]
    pieces = [p for p in pieces if p] if len(pieces) > len(spec.items) else pieces
    if len(pieces) != len(spec.items):
        raise MathInputError(f"expected {len(spec.items)} labels separated by `;` (one per item, "
                             f"in order), got {len(pieces)}", None, text)
    chosen = []
    offset = 0
    for piece in pieces:
        offset = text.find(piece, offset)
        match = match_option(piece, spec.options)
        if match is None:
            raise MathInputError(f"`{piece}` is not one of the options "
                                 f"({', '.join(spec.options)})", max(offset, 0), text,
                                 max(1, len(piece)))
        chosen.append(match)
        offset += len(piece)
    return tuple(chosen)


def read_as(labels: tuple[str, ...]) -> str:
    return "; ".join(labels)


def check(labels: tuple[str, ...], spec: Spec, deadline: Deadline) -> Verdict:
    wrong = [k for k, (got, want) in enumerate(zip(labels, spec.reference))
             if normal_form(got) != normal_form(want)]
    if not wrong:
        return correct(read_as(labels))
    notes = tuple(f"Item {k + 1} ({spec.items[k]}): `{labels[k]}` is not right." for k in wrong)
    score = 1 - len(wrong) / len(spec.items)
    verb = "is" if len(wrong) == 1 else "are"
    return incorrect(read_as(labels), f"{len(wrong)} of {len(spec.items)} labels {verb} wrong. "
                     + " ".join(notes), score=score, notes=notes)
