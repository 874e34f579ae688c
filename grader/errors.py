"""The two error families of the grader.

    GraderError(Exception)
     ├── MathInputError(GraderError, ValueError)  a student's answer cannot be read
     ├── SpecError(GraderError, ValueError)       an author's answer spec or problem file is wrong
     └── CheckTimeout(GraderError, TimeoutError)  a check ran past its time bound

A student's error carries a character offset into the text exactly as it was typed
(before any Unicode or LaTeX rewriting), so a caret can be drawn under the spot.
An author's error carries the key path (``parts[1].answer.type``) and, when known,
the file and line.
"""

from __future__ import annotations

__all__ = ["GraderError", "MathInputError", "SpecError", "CheckTimeout"]

CARET_CONTEXT = 40  # characters shown on each side of an error in a long answer


class GraderError(Exception):
    """Base class of every error the grader raises on purpose."""


class MathInputError(GraderError, ValueError):
    """A response (or reference) that cannot be read.

    ``message`` says what is wrong and what to do; ``offset`` is the 0-based character
    position in the original text (None when the problem is the text as a whole);
    ``length`` is how many characters the caret should underline.
    """

    def __init__(self, message: str, offset: int | None = None, text: str | None = None,
                 length: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.text = text
        self.length = max(1, length)

    @property
    def column(self) -> int | None:
        """1-based column of the error, as a student counts."""
        return None if self.offset is None else self.offset + 1

    def caret(self) -> str:
        """The offending line of the text with a caret line under the error position."""
        if self.text is None or self.offset is None:
            return ""
        start = self.text.rfind("\n", 0, self.offset) + 1
        end = self.text.find("\n", self.offset)
        end = len(self.text) if end == -1 else end
        # Long input: show a window around the error, marked with ellipses.
        left = max(start, self.offset - CARET_CONTEXT)
        right = min(end, self.offset + max(self.length, 1) + CARET_CONTEXT)
        line = self.text[left:right]
        prefix = "…" if left > start else ""
        suffix = "…" if right < end else ""
        # Tabs keep their width so the caret stays under the right character.
        pad = "".join("\t" if ch == "\t" else " " for ch in prefix + line[: self.offset - left])
        width = min(self.length, max(1, right - self.offset))
        return f"{prefix}{line}{suffix}\n{pad}{'^' * width}"

    def __str__(self) -> str:
        return self.message


class SpecError(GraderError, ValueError):
    """An author's mistake: a wrong answer spec, problem file or parameter.

    ``path`` is the key path inside the spec (``answer.variables.x``); ``file`` and
    ``line`` are filled in by the problem loader when it knows them.
    """

    def __init__(self, message: str, path: str = "", file: str | None = None,
                 line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.file = file
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = f"{self.file}:{self.line}: " if self.line else f"{self.file}: "
        key = f"{self.path}: " if self.path else ""
        return f"{where}{key}{self.message}"


class CheckTimeout(GraderError, TimeoutError):
    """A check exceeded its hard time bound."""
