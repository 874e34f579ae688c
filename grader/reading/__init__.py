"""Read student math: plain text, pasted Unicode and a LaTeX subset, in one box.

``read_math(text, variables)`` returns a :class:`Reading` (the tree, how it was read as
LaTeX, and the variables it uses) or raises :class:`~grader.errors.MathInputError` with
the offset of the problem in ``text`` as typed. Nothing is evaluated: a lark grammar
matches tokens and our own callbacks build the tree, within :class:`Limits`.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

from grader.errors import MathInputError
from grader.reading.limits import DEFAULT_LIMITS, Limits
from grader.reading.nodes import Matrix, Node, Seq, free_variables
from grader.reading.normalize import normalize
from grader.reading.parser import parse_tokens
from grader.reading.printing import to_latex
from grader.reading.tokens import Vocabulary, tokenize

__all__ = ["Reading", "read_math", "read_author_math", "Limits", "DEFAULT_LIMITS"]

KINDS = {"tuple": "tuple", "list": "vector", "set": "set", "bare": "list"}


@dataclass(frozen=True)
class Reading:
    """What a piece of math text was read as."""

    text: str
    tree: Node
    latex: str
    variables: frozenset[str]

    @property
    def kind(self) -> str:
        """``expression``, ``tuple``, ``vector``, ``set``, ``list`` (bare commas) or ``matrix``."""
        if isinstance(self.tree, Seq):
            return KINDS[self.tree.kind]
        if isinstance(self.tree, Matrix):
            return "matrix"
        return "expression"

    def to_sympy(self):
        """The reading as a sympy object (built node by node, never from text)."""
        from grader.reading.symbolic import to_sympy
        return to_sympy(self.tree)


def read_math(text: str, variables: Iterable[str] | None = None, *,
              limits: Limits = DEFAULT_LIMITS) -> Reading:
    """Read ``text``; ``variables`` are the names allowed (None allows any letter or Greek name)."""
    if not isinstance(text, str):
        raise MathInputError(f"expected text, got {type(text).__name__}")
    names = None if variables is None else tuple(sorted(variables))
    return _read(text, names, limits)


def read_author_math(text: str, names: Iterable[str], operations: Iterable[str]) -> Reading:
    """Read an author's formula: any letter is a symbol, ``names`` (parameters, computed
    values) may be longer identifiers, and ``operations`` (such as ``diff``) are allowed."""
    if not isinstance(text, str):
        raise MathInputError(f"expected text, got {type(text).__name__}")
    return _read(text, None, DEFAULT_LIMITS, tuple(sorted(names)), tuple(sorted(operations)))


@functools.lru_cache(maxsize=4096)
def _read(text: str, variables: tuple[str, ...] | None, limits: Limits,
          extra: tuple[str, ...] = (), operations: tuple[str, ...] = ()) -> Reading:
    if len(text) > limits.max_length:
        raise MathInputError(
            f"the answer is too long ({len(text):,} characters; at most {limits.max_length:,})",
            limits.max_length, text[: limits.max_length + 1])
    normalized, origin = normalize(text)
    vocabulary = Vocabulary(variables, extra, operations)
    tokens = tokenize(text, normalized, origin, vocabulary, limits)
    tree = parse_tokens(tokens, text, limits)
    return Reading(text, tree, to_latex(tree), free_variables(tree))
