"""What the practice pages compute, without Streamlit: previews, gating, standings, mastery.

The pages read widgets and render; every decision they show is made here so it can be
tested without a browser:

- :func:`preview` reads an answer box the way the grader will (the part's own answer type),
  giving LaTeX or a located error before Submit.
- :func:`from_mathlive` turns the LaTeX the visual math field produces into the subset the
  reader accepts (its brackets and placeholders), so both inputs go through one reader.
- :func:`solution_unlocked` decides when the worked solution may be shown.
- :func:`attempts_frame`, :func:`part_standing`, :func:`problem_rows` and
  :func:`mastery_frame` turn attempts (stored, or a guest's in the browser session) into the
  problem list's status column and the progress page's charts.
- :func:`code_status_line` and :func:`trim_traceback` say what happened to a code submission.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pandas as pd

from grader.answers import ANSWER_TYPES
from grader.errors import MathInputError
from grader.problems.instance import MATH_TYPES, PartInstance
from grader.problems.model import Problem

__all__ = ["Preview", "preview", "from_mathlive", "solution_unlocked", "whole_solution_unlocked",
           "SOLUTION_AFTER_ATTEMPTS",
           "ATTEMPT_COLUMNS", "attempts_frame", "part_standing", "PartStanding", "problem_rows",
           "mastery_frame", "code_status_line", "trim_traceback", "STATUS_WORDS"]

SOLUTION_AFTER_ATTEMPTS = 3   # the global default when a problem does not set its own
ATTEMPT_COLUMNS = ["submitted_at", "problem_id", "part_id", "seed", "graded", "score", "correct"]
STATUS_WORDS = {"correct": "Correct", "partial": "Partly right", "incorrect": "Not right yet",
                "unknown": "Could not be decided", "invalid": "Could not be read"}


@dataclass(frozen=True)
class Preview:
    """How an answer box reads right now: LaTeX, or what is wrong and where."""

    latex: str | None = None
    message: str | None = None
    caret: str | None = None
    offset: int | None = None

    @property
    def ok(self) -> bool:
        return self.message is None


def preview(part: PartInstance, text: str) -> Preview | None:
    """Read ``text`` as the part's answer type reads it; None for an empty box or a non-math part."""
    if part.answer_type not in MATH_TYPES or not text.strip():
        return None
    module = ANSWER_TYPES[part.spec.type]
    try:
        value = module.parse(text, part.spec)
        return Preview(latex=module.read_as(value) or "")
    except MathInputError as exc:
        if exc.text is None:
            exc.text = text
        return Preview(message=exc.message, caret=exc.caret() or None, offset=exc.offset)
    except RecursionError:
        return Preview(message="the answer is nested too deeply to read")


_MATHLIVE = [
    (re.compile(r"\\placeholder(\[[^\]]*\])?\{\}"), ""),
    (re.compile(r"\\left\\lbrack|\\lbrack"), "["),
    (re.compile(r"\\right\\rbrack|\\rbrack"), "]"),
    (re.compile(r"\\left\\lbrace|\\lbrace|\\left\\\{"), r"\\{"),
    (re.compile(r"\\right\\rbrace|\\rbrace|\\right\\\}"), r"\\}"),
    (re.compile(r"\\exponentialE"), "e"),
    (re.compile(r"\\imaginaryI"), "i"),
    (re.compile(r"\\differentialD"), "d"),
    (re.compile(r"\\mathrm\{([A-Za-z]+)\}"), r"\1"),
    (re.compile(r"\\operatorname\{([A-Za-z]+)\}"), r"\1"),
    (re.compile(r"\\[,;:! ]"), " "),
    (re.compile(r"\\differentialD"), "d"),
    (re.compile(r"\\mleft"), r"\\left"),
    (re.compile(r"\\mright"), r"\\right"),
]


def from_mathlive(latex: str) -> str:
    """The visual editor's LaTeX in the reader's subset: MathLive's bracket macros, empty
    placeholders, ``\\mathrm``/``\\operatorname`` names and spacing commands rewritten."""
    text = latex or ""
    for pattern, replacement in _MATHLIVE:
        text = pattern.sub(replacement, text)
    return text.strip()


def solution_unlocked(problem: Problem, *, attempts: int, solved: bool,
                      default_after: int = SOLUTION_AFTER_ATTEMPTS) -> tuple[bool, str]:
    """Whether the worked solution may be shown for a part, and a sentence saying when it will.

    Shown after a correct answer, or after ``solution_after_attempts`` attempts at the part
    (the problem's own setting, else ``default_after``).
    """
    after = problem.solution_after_attempts or default_after
    if solved:
        return True, "Shown because you answered this part correctly."
    if attempts >= after:
        return True, f"Shown after {attempts} attempts."
    left = after - attempts
    return False, (f"The worked solution opens after a correct answer or after {after} attempts "
                   f"({left} more).")


def whole_solution_unlocked(problem: Problem, standings: Mapping[str, tuple[int, bool]], *,
                            default_after: int = SOLUTION_AFTER_ATTEMPTS) -> tuple[bool, str]:
    """Whether the problem's own worked solution (which answers every part) may be shown.

    ``standings`` maps each part id to (attempts, solved) at the variant. A part without a
    solution of its own shows the problem's, and that covers the other parts too: it opens
    only when every part is open, so solving one part never reveals the others' answers.
    """
    locked = [part.id for part in problem.parts
              if not solution_unlocked(problem, attempts=standings.get(part.id, (0, False))[0],
                                       solved=standings.get(part.id, (0, False))[1],
                                       default_after=default_after)[0]]
    if not locked:
        return True, "Shown because every part is answered correctly or was attempted enough."
    after = problem.solution_after_attempts or default_after
    return False, (f"The worked solution covers every part of this problem: it opens when each "
                   f"part is answered correctly or attempted {after} times (still closed: "
                   f"{', '.join(locked)}).")


def attempts_frame(records: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Attempts as one frame (``ATTEMPT_COLUMNS``), oldest first, from stored or guest records."""
    rows = [{column: record.get(column) for column in ATTEMPT_COLUMNS} for record in records]
    frame = pd.DataFrame(rows, columns=ATTEMPT_COLUMNS)
    frame["submitted_at"] = pd.to_datetime(frame["submitted_at"], utc=True)
    frame["graded"] = frame["graded"].fillna(False).astype(bool)
    frame["score"] = pd.to_numeric(frame["score"], errors="coerce").astype(float)
    return frame.sort_values("submitted_at", kind="stable").reset_index(drop=True)


@dataclass(frozen=True)
class PartStanding:
    attempts: int
    best_score: float | None
    solved: bool


def part_standing(frame: pd.DataFrame, problem_id: str, part_id: str,
                  seed: int | None = None) -> PartStanding:
    """Attempts, best score and solved flag for one part (at one seed, or any seed)."""
    rows = frame[(frame["problem_id"] == problem_id) & (frame["part_id"] == part_id)]
    if seed is not None:
        rows = rows[rows["seed"] == seed]
    scores = rows.loc[rows["graded"], "score"].dropna()
    solved = bool((rows["correct"] == True).any())  # noqa: E712 - True/False/None column
    return PartStanding(len(rows), float(scores.max()) if len(scores) else None, solved)


def _problem_score(problem: Problem, frame: pd.DataFrame) -> tuple[float, int, bool]:
    """(points-weighted best score in 0..1, attempts, every part solved)."""
    total = sum(part.points for part in problem.parts)
    earned, attempts, all_solved = 0.0, 0, True
    for part in problem.parts:
        standing = part_standing(frame, problem.id, part.id)
        attempts += standing.attempts
        earned += part.points * (standing.best_score or 0.0)
        all_solved &= standing.solved
    return (earned / total if total else 0.0), attempts, all_solved


def problem_rows(problems: Sequence[Problem], frame: pd.DataFrame) -> pd.DataFrame:
    """The problem list: one row per problem with the student's status and score."""
    rows = []
    for problem in problems:
        score, attempts, solved = _problem_score(problem, frame)
        status = ("solved" if solved else "in progress" if attempts else "not started")
        rows.append({"id": problem.id, "title": problem.title, "topic": problem.topic,
                     "concepts": ", ".join(problem.concepts), "difficulty": problem.difficulty,
                     "parts": len(problem.parts), "status": status, "score": round(score, 4),
                     "attempts": attempts})
    return pd.DataFrame(rows, columns=["id", "title", "topic", "concepts", "difficulty", "parts",
                                       "status", "score", "attempts"])


def mastery_frame(problems: Sequence[Problem], frame: pd.DataFrame, *,
                  by: str = "topic") -> pd.DataFrame:
    """Mastery per topic or concept: the share of the points on offer that the student earned
    (best score per part, weighted by points), with the points and how many problems count."""
    if by not in ("topic", "concept"):
        raise ValueError(f"by must be 'topic' or 'concept', got {by!r}")
    totals: dict[str, list[float]] = {}
    for problem in problems:
        keys = [problem.topic] if by == "topic" else list(problem.concepts)
        for part in problem.parts:
            standing = part_standing(frame, problem.id, part.id)
            for key in keys:
                entry = totals.setdefault(key, [0.0, 0.0, 0, 0])
                entry[0] += part.points * (standing.best_score or 0.0)
                entry[1] += part.points
                entry[3] += standing.attempts
        for key in keys:
            totals[key][2] += 1
    rows = [{by: key, "mastery": round(earned / possible, 4) if possible else 0.0,
             "points_earned": round(earned, 2), "points_possible": possible, "problems": count,
             "attempts": attempts}
            for key, (earned, possible, count, attempts) in sorted(totals.items())]
    return pd.DataFrame(rows, columns=[by, "mastery", "points_earned", "points_possible",
                                       "problems", "attempts"])


_CODE_LINES = {
    "timeout": "Time limit: your code ran past the time allowed and was stopped.",
    "memory_limit": "Memory limit: your code used more memory than allowed and was stopped.",
    "output_limit": "Output limit: your code printed too much and was stopped.",
    "forbidden": "Forbidden operation: your code tried something the sandbox does not allow "
                 "(files, network, processes).",
    "error": "Crash: your code raised an exception (your traceback is below).",
    "syntax_error": "Syntax error: the file could not be loaded (see the line below).",
    "missing_function": "Missing function: the file does not define the function asked for.",
    "wrong_signature": "Wrong signature: the function does not take the arguments asked for.",
    "internal_error": "The grader failed on its side; this is not your fault. Submit again.",
}


def code_status_line(details: Mapping[str, Any] | None) -> str | None:
    """One clear sentence for a code run that did not simply pass or fail its tests."""
    status = (details or {}).get("code_status")
    return _CODE_LINES.get(str(status)) if status else None


def trim_traceback(traceback: str | None, *, keep: int = 12) -> str:
    """The student's own traceback: frames in their file only, at most ``keep`` lines."""
    if not traceback:
        return ""
    lines = traceback.rstrip().splitlines()
    kept: list[str] = []
    skip = False
    for line in lines:
        if line.startswith('  File "'):
            skip = "submission" not in line
        elif not line.startswith("    "):
            skip = False
        if not skip:
            kept.append(line)
    if len(kept) > keep:
        kept = ["  …"] + kept[-keep:]
    return "\n".join(kept)


def when(moment: datetime | None) -> str:
    """A timestamp as a page shows it (UTC, to the minute)."""
    return "" if moment is None else pd.Timestamp(moment).tz_convert("UTC").strftime(
        "%Y-%m-%d %H:%M UTC")
