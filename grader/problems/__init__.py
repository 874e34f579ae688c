"""The problem bank: YAML problem files, their variants, validation and self-test.

``list_problems()`` and ``load_problem(id)`` read the bundled ``problems/`` folder (or
``$GRADER_PROBLEMS``); ``grade_part(problem, part, response, seed=...)`` grades one answer.
"""

from __future__ import annotations

import functools
from pathlib import Path

from grader.problems.grading import PartResult, grade_part as _grade
from grader.problems.instance import InstanceError, PartInstance, ProblemInstance, instantiate
from grader.problems.loading import ProblemBank, default_directory
from grader.problems.model import Problem

__all__ = ["list_problems", "load_problem", "grade_part", "instantiate", "Problem",
           "ProblemInstance", "PartInstance", "PartResult", "ProblemBank", "InstanceError",
           "default_bank"]


@functools.cache
def _bank(directory: Path) -> ProblemBank:
    return ProblemBank(directory)


def default_bank(directory: Path | str | None = None) -> ProblemBank:
    """The shared bank of ``directory`` (default: the bundled problems)."""
    return _bank(Path(directory) if directory else default_directory())


def list_problems(directory: Path | str | None = None) -> list[Problem]:
    """Every valid problem, by id. Broken files are left out (see ``validate``)."""
    return list(default_bank(directory).problems.values())


def load_problem(problem_id: str, directory: Path | str | None = None) -> Problem:
    """One problem by id; KeyError names the known ids."""
    return default_bank(directory).get(problem_id)


def grade_part(problem: Problem | str, part_id: str, response: str, *, seed: int = 0,
               directory: Path | str | None = None) -> PartResult:
    """Grade ``response`` to one part of a problem at a seed."""
    if isinstance(problem, str):
        problem = load_problem(problem, directory)
    return _grade(instantiate(problem, seed), part_id, response)
