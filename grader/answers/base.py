"""The contract every answer type follows, and the verdict they all return.

An answer type is a module in ``grader/answers/`` registered in ``ANSWER_TYPES``. It must:

1. Define ``Spec``, a pydantic model of the part's ``answer:`` mapping, with
   ``type: Literal["<name>"]`` and ``extra="forbid"``. Everything an author can get wrong
   is checked when the spec is built (the reference parses, the variables are valid names,
   the options are distinct), and reported as an error on the key that is wrong. The
   parsed reference is kept on the spec, so it is read once, not per response.
2. Define ``parse(text, spec)``, which reads a response into a value, or raises
   MathInputError saying what is wrong, where (offset into ``text`` as typed) and what to
   do. It never evaluates anything and never raises anything else for bad text.
3. Define ``check(value, spec, deadline)``, which returns a :class:`Verdict`. It never
   raises for a readable response: an undecidable case is a verdict with status
   ``unknown``, never a silent "wrong". Long work calls ``deadline.check()``.
4. Define ``read_as(value)``: how the parsed response reads, as LaTeX (the option's text
   for a choice).
5. Keep feedback deterministic: the same response to the same spec gives the same text.
6. Return ``read_as`` (LaTeX of how the response was read) in every verdict for a
   readable response.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["Verdict", "SpecBase", "Status", "fmt", "correct", "incorrect", "unknown", "invalid"]


class Status:
    CORRECT = "correct"
    PARTIAL = "partial"
    INCORRECT = "incorrect"
    UNKNOWN = "unknown"      # could not be decided: score 0, never presented as wrong
    INVALID = "invalid"      # could not be read: see ``error``


@dataclass(frozen=True)
class Verdict:
    """The result of checking one response. Field names are the JSON keys the CLI prints."""

    correct: bool
    score: float
    status: str
    feedback: str
    error: str | None = None               # what is unreadable, where, what to do
    error_offset: int | None = None        # 0-based offset into the response as typed
    error_caret: str | None = None         # the response with a caret under the error
    read_as: str | None = None             # LaTeX of how the response was read
    counterexample: dict[str, Any] | None = None
    notes: tuple[str, ...] = field(default=())   # one line per element or entry, if any
    tests: tuple[dict[str, Any], ...] = field(default=())  # code: {"name", "passed", "message"}
    details: dict[str, Any] = field(default_factory=dict)  # code: status, traceback, output

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["notes"] = list(self.notes)
        data["tests"] = [dict(t) for t in self.tests]
        return data


class SpecBase(BaseModel):
    """Keys every answer spec accepts."""

    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)

    timeout: float = Field(2.0, gt=0, le=60,
                           description="Seconds one check may take before it is 'unknown'.")
    counterexample: bool = Field(True, description="Show a point where a wrong answer differs.")

    def time_bound(self) -> float:
        """Seconds the whole check (reading and judging) may take."""
        return self.timeout


def fmt(value: float | None) -> str:
    """A number as feedback shows it: six significant digits, no float noise."""
    if value is None:
        return "undefined"
    if value == 0:
        return "0"
    if math.isfinite(value) and float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.6g}"


def correct(read_as: str | None, feedback: str = "Correct.", notes: tuple[str, ...] = ()) -> Verdict:
    return Verdict(True, 1.0, Status.CORRECT, feedback, read_as=read_as, notes=notes)


def incorrect(read_as: str | None, feedback: str, *, score: float = 0.0,
              counterexample: dict[str, Any] | None = None,
              notes: tuple[str, ...] = ()) -> Verdict:
    status = Status.PARTIAL if score > 0 else Status.INCORRECT
    return Verdict(False, round(score, 4), status, feedback, read_as=read_as,
                   counterexample=counterexample, notes=notes)


def unknown(read_as: str | None, reason: str, notes: tuple[str, ...] = ()) -> Verdict:
    feedback = (f"Your answer could not be confirmed either way ({reason}). It has not been "
                f"marked wrong; try an equivalent, simpler form, or ask your instructor to "
                f"review it.")
    return Verdict(False, 0.0, Status.UNKNOWN, feedback, read_as=read_as, notes=notes)


def invalid(message: str, offset: int | None, caret: str | None) -> Verdict:
    return Verdict(False, 0.0, Status.INVALID, f"Your answer could not be read: {message}",
                   error=message, error_offset=offset, error_caret=caret or None)
