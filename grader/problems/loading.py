"""Load problem files: structure checks with file:line errors, and a bank that reloads.

A broken file never takes the others down: the bank keeps its errors and serves the rest.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from grader.errors import SpecError
from grader.problems.model import Problem
from grader.problems.source import Source, SourceError, read_source

__all__ = ["load_file", "LoadedFile", "ProblemBank", "default_directory"]


def default_directory() -> Path:
    """``$GRADER_PROBLEMS``, or the ``problems/`` folder next to the package."""
    configured = os.environ.get("GRADER_PROBLEMS")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parent.parent.parent / "problems"


@dataclass(frozen=True)
class LoadedFile:
    path: Path
    problem: Problem | None
    errors: tuple[SpecError, ...]
    source: Source | None


def load_file(path: Path, text: str | None = None, *, name: str | None = None) -> LoadedFile:
    """Read and structurally check one problem file; never raises for a bad file."""
    shown = name or str(path)
    try:
        source = read_source(path, text)
    except SourceError as exc:
        return LoadedFile(path, None, (SpecError(exc.message, "", shown, exc.line),), None)
    except (OSError, UnicodeDecodeError) as exc:
        return LoadedFile(path, None, (SpecError(f"cannot read the file: {exc}", "", shown),), None)
    errors = [SpecError("duplicate key (the later one would silently win)", key, shown, line)
              for key, line in source.duplicates]
    data = source.data
    if not isinstance(data, dict):
        errors.append(SpecError("a problem file must be a mapping of keys (format, id, title, "
                                "...)", "", shown, 1))
        return LoadedFile(path, None, tuple(errors), source)
    errors.extend(_duplicate_parts(data, source, shown))
    errors.extend(_read_solution_files(data, path, source, shown))
    problem = None
    try:
        problem = Problem.model_validate(data)
    except ValidationError as exc:
        errors.extend(_from_pydantic(exc, source, shown))
    if problem is not None and problem.id != path.stem and name is None:
        errors.append(SpecError(f"id {problem.id!r} does not match the file name; rename the "
                                f"file to {problem.id}.yaml or set id: {path.stem}", "id", shown,
                                source.line_of("id")))
    if errors:
        problem = None
    return LoadedFile(path, problem, tuple(errors), source)


def _read_solution_files(data: dict, path: Path, source: Source, shown: str) -> list[SpecError]:
    """Replace each code part's ``reference: file.py`` by the file's text (next to the YAML)."""
    errors = []
    parts = data.get("parts")
    for k, part in enumerate(parts if isinstance(parts, list) else []):
        answer = part.get("answer") if isinstance(part, dict) else None
        if not isinstance(answer, dict) or answer.get("type") != "code":
            continue
        reference = answer.get("reference")
        if not isinstance(reference, str) or "\n" in reference:
            continue
        key = f"parts[{k}].answer.reference"
        file = (path.parent / reference).resolve()
        if not reference.endswith(".py") or not file.is_relative_to(path.parent.resolve()):
            errors.append(SpecError(f"{reference!r} must be a .py file inside the problems folder",
                                    key, shown, source.line_of(key)))
            continue
        try:
            answer["reference"] = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            errors.append(SpecError(f"cannot read the reference solution {reference!r}: "
                                    f"{exc.strerror if isinstance(exc, OSError) else exc}", key,
                                    shown, source.line_of(key)))
    return errors


def _duplicate_parts(data: dict, source: Source, shown: str) -> list[SpecError]:
    seen: dict[str, int] = {}
    errors = []
    parts = data.get("parts")
    for k, part in enumerate(parts if isinstance(parts, list) else []):
        if isinstance(part, dict) and isinstance(part.get("id"), str):
            if part["id"] in seen:
                errors.append(SpecError(f"duplicate part id {part['id']!r} (also parts"
                                        f"[{seen[part['id']]}])", f"parts[{k}].id", shown,
                                        source.line_of(f"parts[{k}].id")))
            seen.setdefault(part["id"], k)
    return errors


def _from_pydantic(exc: ValidationError, source: Source, shown: str) -> list[SpecError]:
    errors = []
    for error in exc.errors():
        path = ""
        for part in error["loc"]:
            if isinstance(part, int):
                path += f"[{part}]"
            elif part in ("int", "float", "str", "list[any]", "list[union[int,float,str]]",
                          "tuple[int,int]"):
                continue  # pydantic names the union member it tried; the key is enough
            else:
                path += f".{part}" if path else str(part)
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] == "extra_forbidden":
            key = path.rsplit(".", 1)[-1]
            message = f"unknown key {key!r}"
        elif error["type"] == "missing":
            message = "missing required key"
        elif error["type"] == "literal_error":
            message = f"{error['input']!r} is not allowed; {error['msg'].lower()}"
        if "duplicate part id" in message:
            continue  # reported with its exact key by _duplicate_parts
        errors.append(SpecError(message, path, shown, source.line_of(path)))
    # A union that failed on every member is reported once per key, not once per member.
    unique: dict[tuple[str, str], SpecError] = {}
    for error in errors:
        unique.setdefault((error.path, error.message), error)
    return list(unique.values())


class ProblemBank:
    """All problem files of a folder, reloaded when a file changes (thread-safe)."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = Path(directory) if directory else default_directory()
        self._lock = threading.Lock()
        self._stamps: dict[Path, tuple[float, int]] = {}
        self._files: dict[Path, LoadedFile] = {}

    def refresh(self) -> bool:
        """Reload new, changed and removed files; True if anything changed."""
        with self._lock:
            paths = sorted(self.directory.glob("*.yaml")) if self.directory.is_dir() else []
            changed = False
            current = set(paths)
            for gone in set(self._files) - current:
                del self._files[gone]
                self._stamps.pop(gone, None)
                changed = True
            for path in paths:
                try:
                    stat = path.stat()
                except OSError:
                    continue
                stamp = (stat.st_mtime, stat.st_size)
                if self._stamps.get(path) != stamp:
                    self._files[path] = load_file(path)
                    self._stamps[path] = stamp
                    changed = True
            return changed

    @property
    def problems(self) -> dict[str, Problem]:
        self.refresh()
        found = {f.problem.id: f.problem for f in self._files.values() if f.problem}
        return dict(sorted(found.items()))

    @property
    def errors(self) -> dict[str, tuple[SpecError, ...]]:
        self.refresh()
        return {str(p): f.errors for p, f in sorted(self._files.items()) if f.errors}

    def get(self, problem_id: str) -> Problem:
        problems = self.problems
        if problem_id not in problems:
            known = ", ".join(problems) or "none"
            raise KeyError(f"no problem {problem_id!r}; the problems are: {known}")
        return problems[problem_id]
