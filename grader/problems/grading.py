"""Grade one part of a problem instance: the verdict plus anticipated-mistake feedback."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from grader.answers import check_parsed
from grader.answers.base import Verdict
from grader.problems.instance import PartInstance, ProblemInstance

__all__ = ["PartResult", "grade_part"]


@dataclass(frozen=True)
class PartResult:
    """The outcome of grading one response to one part.

    ``to_dict`` gives the JSON the ``grade`` command prints: problem, part, seed, correct,
    score, feedback, tests.
    """

    problem: str
    part: str
    seed: int
    verdict: Verdict
    feedback: str
    mistake: int | None = None          # index of the anticipated mistake that matched
    tests: tuple[dict[str, Any], ...] = field(default=())

    @property
    def correct(self) -> bool:
        return self.verdict.correct

    @property
    def score(self) -> float:
        return self.verdict.score

    def to_dict(self) -> dict[str, Any]:
        return {"problem": self.problem, "part": self.part, "seed": self.seed,
                "correct": self.correct, "score": self.score, "feedback": self.feedback,
                "tests": [dict(t) for t in self.tests]}


def grade_part(instance: ProblemInstance, part_id: str, response: str) -> PartResult:
    """Grade ``response`` to part ``part_id`` of ``instance`` (KeyError for an unknown part)."""
    part = instance.part(part_id)
    verdict = check_parsed(part.spec, response)
    feedback = verdict.feedback
    matched = None
    if not verdict.correct and verdict.error is None:
        matched = _mistake(part, response)
        if matched is not None:
            feedback = f"{part.mistakes[matched].feedback}\n\n{verdict.feedback}"
    tests = tuple(getattr(verdict, "tests", ()) or ())
    return PartResult(instance.problem.id, part.id, instance.seed, verdict, feedback, matched,
                      tests)


def _mistake(part: PartInstance, response: str) -> int | None:
    for index, mistake in enumerate(part.mistakes):
        if check_parsed(mistake.spec, response).correct:
            return index
    return None
