"""``validate``: every error of every problem file, each with file:line and key path.

Structure (YAML syntax, unknown or missing keys, types, duplicate part ids, id and file
name) comes from :mod:`loading`; here the math is checked at every seed asked for: the
variants can be drawn, every reference and anticipated mistake parses and is defined, and
the Markdown's LaTeX will render.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from grader.errors import SpecError
from grader.problems.instance import InstanceError, ProblemInstance, instantiate
from grader.problems.latex_check import latex_problems
from grader.problems.loading import LoadedFile, load_file

__all__ = ["validate_paths", "validate_loaded", "problem_files", "markdown_fields"]


def problem_files(paths: Iterable[Path]) -> list[Path]:
    """The YAML files named, or found in the folders named, in order."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(path.glob("*.yaml")))
        else:
            files.append(path)
    return files


def validate_paths(paths: Iterable[Path], seeds: int = 20) -> dict[Path, list[SpecError]]:
    """Errors per file (files without errors map to an empty list)."""
    return {path: validate_loaded(load_file(path), seeds) for path in problem_files(paths)}


def validate_loaded(loaded: LoadedFile, seeds: int = 20) -> list[SpecError]:
    errors = list(loaded.errors)
    if loaded.problem is None or loaded.source is None:
        return errors
    shown = str(loaded.path)
    reported: set = set()
    for seed in range(seeds):
        try:
            instance = instantiate(loaded.problem, seed)
        except InstanceError as exc:
            if exc.path not in reported:
                reported.add(exc.path)
                errors.append(SpecError(exc.message, exc.path, shown,
                                        loaded.source.line_of(exc.path)))
            continue
        for path, markdown in markdown_fields(instance):
            for problem in latex_problems(markdown):
                if (path, problem) not in reported:   # the same error at several seeds: once
                    reported.add((path, problem))
                    message = problem if seed == 0 else f"at seed {seed}: {problem}"
                    errors.append(SpecError(message, path, shown, loaded.source.line_of(path)))
    return errors


def markdown_fields(instance: ProblemInstance) -> list[tuple[str, str]]:
    """(key path, rendered Markdown) for every text a student may see."""
    fields = [("statement", instance.statement), ("solution", instance.solution)]
    for k, part in enumerate(instance.parts):
        fields.append((f"parts[{k}].prompt", part.prompt))
        fields.extend((f"parts[{k}].hints[{j}]", h) for j, h in enumerate(part.hints))
        fields.extend((f"parts[{k}].mistakes[{j}].feedback", m.feedback)
                      for j, m in enumerate(part.mistakes))
        if part.solution:
            fields.append((f"parts[{k}].solution", part.solution))
    return fields
