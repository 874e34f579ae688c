"""Turning a grader's verdict into what is stored: the whole verdict as JSON, plus three columns.

A verdict is whatever the grading code returns, as a mapping or a dataclass (the house
style makes results frozen dataclasses whose fields are the JSON keys). It is stored
whole, as canonical JSON, so nothing the grader said is lost and a regrade can be
diffed against it. Three keys are also copied into columns so the gradebook can be
computed in SQL:

* ``score``: a number, by convention a fraction from 0 to 1; missing means "1.0 if
  ``correct`` else 0.0" when ``correct`` is given;
* ``correct``: true or false;
* ``feedback``: text shown to the student (other types stay only in the JSON).
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from numbers import Real
from typing import Any

from grader.storage.errors import InvalidVerdict


@dataclass(frozen=True)
class EncodedVerdict:
    """A verdict ready for the database."""

    score: float | None
    correct: bool | None
    feedback: str | None
    json: str


def encode_verdict(verdict: Mapping[str, Any] | Any) -> EncodedVerdict:
    """Check ``verdict`` and return it as JSON plus the score, correct and feedback columns."""
    if dataclasses.is_dataclass(verdict) and not isinstance(verdict, type):
        verdict = dataclasses.asdict(verdict)
    if not isinstance(verdict, Mapping):
        raise InvalidVerdict(f"a verdict must be a mapping or a dataclass instance, got {type(verdict).__name__}")
    try:
        document = json.dumps(verdict, sort_keys=True, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    except (TypeError, ValueError) as error:
        raise InvalidVerdict(
            f"the verdict cannot be stored as JSON ({error}); convert such values to str, float or list first"
        ) from None
    correct = verdict.get("correct")
    if correct is not None and not isinstance(correct, bool):
        raise InvalidVerdict(f"verdict['correct'] must be true, false or missing, got {correct!r}")
    score = verdict.get("score")
    if score is None:
        score = None if correct is None else float(correct)
    elif isinstance(score, bool) or not isinstance(score, Real) or not math.isfinite(score):
        raise InvalidVerdict(f"verdict['score'] must be a finite number or missing, got {score!r}")
    feedback = verdict.get("feedback")
    return EncodedVerdict(
        score=None if score is None else float(score),
        correct=correct,
        feedback=feedback if isinstance(feedback, str) else None,
        json=document,
    )


def decode_verdict(document: str | None) -> dict[str, Any] | None:
    """Return the stored verdict as a fresh dict (or None when there is none)."""
    return None if document is None else json.loads(document)
