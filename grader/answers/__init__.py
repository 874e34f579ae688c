"""Answer types and the one entry point that checks a response against a spec.

The registry maps each ``type:`` name to its module; every module follows the contract in
:mod:`grader.answers.base`.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from types import ModuleType
from typing import Any

from pydantic import ValidationError

from grader.answers import (
    choice, code, expression, labels, matrix, number, set as set_type, vector,
)
from grader.answers.base import Verdict, invalid, unknown
from grader.deadline import time_limit
from grader.errors import CheckTimeout, MathInputError, SpecError

__all__ = ["ANSWER_TYPES", "load_spec", "spec_errors", "check_answer", "check_parsed", "Verdict"]

ANSWER_TYPES: dict[str, ModuleType] = {
    "expression": expression,
    "number": number,
    "matrix": matrix,
    "vector": vector,
    "set": set_type,
    "choice": choice,
    "labels": labels,
    "code": code,
}


def register(name: str, module: ModuleType) -> None:
    """Add an answer type (a module following the contract in grader.answers.base)."""
    ANSWER_TYPES[name] = module


def load_spec(mapping: Mapping[str, Any], path: str = "answer"):
    """Build the spec of an ``answer:`` mapping, or raise the first SpecError found."""
    errors = spec_errors(mapping, path)
    if errors:
        raise errors[0]
    return _build(mapping)


def _build(mapping: Mapping[str, Any]):
    return ANSWER_TYPES[mapping["type"]].Spec.model_validate(dict(mapping))


def spec_errors(mapping: Any, path: str = "answer") -> list[SpecError]:
    """Every error in an ``answer:`` mapping, each with its key path; empty when it is valid."""
    if not isinstance(mapping, Mapping):
        return [SpecError(f"expected a mapping with a `type:` key, got {type(mapping).__name__}",
                          path)]
    kind = mapping.get("type")
    if kind not in ANSWER_TYPES:
        known = ", ".join(sorted(ANSWER_TYPES))
        close = difflib.get_close_matches(str(kind), list(ANSWER_TYPES), n=1, cutoff=0.6)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        if kind is None:
            return [SpecError(f"missing `type`; expected one of {known}", f"{path}.type")]
        return [SpecError(f"unknown answer type {kind!r}; expected one of {known}{hint}",
                          f"{path}.type")]
    try:
        _build(mapping)
    except ValidationError as exc:
        return [_from_pydantic(error, path) for error in exc.errors()]
    except SpecError as exc:
        return [SpecError(exc.message, _join(path, exc.path))]
    return []


def _from_pydantic(error: dict, path: str) -> SpecError:
    location = path
    for part in error["loc"]:
        location += f"[{part}]" if isinstance(part, int) else f".{part}"
    cause = (error.get("ctx") or {}).get("error")
    if isinstance(cause, SpecError):
        return SpecError(cause.message, _join(location, cause.path))
    message = error["msg"].removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        message = "unknown key"
    elif error["type"] == "missing":
        message = "missing required key"
    return SpecError(message, location)


def _join(path: str, key: str) -> str:
    if not key:
        return path
    return f"{path}{key}" if key.startswith("[") else f"{path}.{key}"


def check_answer(spec: Mapping[str, Any] | Any, response: str, *,
                 timeout: float | None = None) -> Verdict:
    """Check ``response`` against an answer spec (a mapping, or a spec built by load_spec).

    Never raises for anything a student can type: unreadable input is a verdict with
    ``error`` set; a check that cannot be decided in time is a verdict with status
    ``unknown``. An invalid spec raises SpecError (the author's mistake, not the student's).
    """
    built = load_spec(spec) if isinstance(spec, Mapping) else spec
    return check_parsed(built, response, timeout=timeout)


def check_parsed(spec: Any, response: str, *, timeout: float | None = None) -> Verdict:
    module = ANSWER_TYPES[spec.type]
    seconds = timeout if timeout is not None else spec.time_bound()
    if not isinstance(response, str):
        return invalid(f"expected text, got {type(response).__name__}", None, None)
    read_as = None
    try:
        with time_limit(seconds) as deadline:
            try:
                value = module.parse(response, spec)
            except MathInputError as exc:
                if exc.text is None:
                    exc.text = response
                return invalid(exc.message, exc.offset, exc.caret())
            read_as = module.read_as(value)
            return module.check(value, spec, deadline)
    except CheckTimeout:
        return unknown(read_as, f"the check did not finish within {seconds:g} s")
    except RecursionError:
        return invalid("the answer is nested too deeply to read", None, None)
