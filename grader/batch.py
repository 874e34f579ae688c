"""Check many responses from JSON lines: the ``python -m grader check`` contract.

Each input line is ``{"id": ..., "answer": {<spec>}, "response": "<text>"}``; each output
line, in the same order, is ``{"id", "correct", "score", "feedback", "error"}``. ``error``
is non-null (and the score 0) exactly when the line cannot be graded: the response cannot
be read, or the line itself is malformed (bad JSON, a missing key, an invalid spec). One bad
line never stops the batch.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from grader.answers import check_answer
from grader.errors import SpecError

__all__ = ["check_lines", "check_record"]


def check_record(record: Any, line_number: int) -> dict[str, Any]:
    """The output object for one parsed input line."""
    if not isinstance(record, dict):
        return _error(None, f"line {line_number}: expected a JSON object with keys id, answer, "
                            f"response")
    ident = record.get("id")
    missing = [key for key in ("answer", "response") if key not in record]
    if missing:
        return _error(ident, f"line {line_number}: missing key {', '.join(map(repr, missing))}")
    if not isinstance(record["response"], str):
        return _error(ident, f"line {line_number}: response must be a string")
    try:
        verdict = check_answer(record["answer"], record["response"])
    except SpecError as exc:
        return _error(ident, f"line {line_number}: {exc}")
    error = None
    if verdict.error is not None:
        where = f" (column {verdict.error_offset + 1})" if verdict.error_offset is not None and \
            f"column {verdict.error_offset + 1}" not in verdict.error else ""
        error = f"{verdict.error}{where}"
    return {"id": ident, "correct": verdict.correct, "score": verdict.score,
            "feedback": verdict.feedback, "error": error}


def check_lines(lines: Iterable[str]) -> Iterator[str]:
    """One output JSON line per input line (blank input lines are skipped)."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except (json.JSONDecodeError, RecursionError) as exc:
            message = getattr(exc, "msg", "nested too deeply")
            yield _dumps(_error(None, f"line {number}: not valid JSON ({message})"))
            continue
        try:
            result = check_record(record, number)
        except Exception as exc:  # a bug of ours must not stop the batch; say so plainly
            result = _error(record.get("id") if isinstance(record, dict) else None,
                            f"line {number}: internal error while checking ({type(exc).__name__})")
        yield _dumps(result)


def _dumps(result: dict[str, Any]) -> str:
    text = json.dumps(result, ensure_ascii=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate in an id: keep the line valid UTF-8
        text = json.dumps(result)
    return text


def _error(ident: Any, message: str) -> dict[str, Any]:
    return {"id": ident, "correct": False, "score": 0.0, "feedback": "", "error": message}
