"""Spec pieces shared by the math answer types: variables with domains, references."""

from __future__ import annotations

from typing import Any

from pydantic import Field, PrivateAttr, field_validator, model_validator

from grader.answers.base import SpecBase
from grader.domains import REAL, Domain, parse_domain
from grader.equivalence import DEFAULT_RTOL
from grader.errors import MathInputError, SpecError
from grader.reading import Reading, read_math
from grader.reading.nodes import free_variables
from grader.reading.vocabulary import is_variable_name

__all__ = ["MathSpec", "read_reference", "reference_text"]


class MathSpec(SpecBase):
    """A spec whose reference and responses are math in a set of variables."""

    variables: list[str] | dict[str, str | None] = Field(
        default_factory=list,
        description="Variable names, or a mapping from name to domain: real (default), "
                    "positive, nonnegative, negative, an interval such as \"(0, 1)\", or a "
                    "finite set such as \"{0, 1}\".")
    rtol: float = Field(DEFAULT_RTOL, gt=0, lt=1,
                        description="Relative tolerance a typed decimal is allowed.")

    _domains: dict[str, Domain] = PrivateAttr(default_factory=dict)

    @field_validator("variables")
    @classmethod
    def _names_are_valid(cls, value):
        names = list(value) if isinstance(value, dict) else value
        for name in names:
            if not isinstance(name, str) or not is_variable_name(name):
                raise ValueError(
                    f"{name!r} cannot be a variable name; use a letter (x), a Greek name "
                    f"(sigma) or either with a numeric subscript (x_1); e and pi are constants")
        if len(set(names)) != len(names):
            raise ValueError("a variable is listed twice")
        if isinstance(value, dict):
            for name, domain in value.items():
                try:
                    parse_domain(domain)
                except SpecError as exc:
                    raise ValueError(f"{name}: {exc.message}") from None
        return value

    @model_validator(mode="after")
    def _read_domains(self):
        spec = self.variables
        items = spec.items() if isinstance(spec, dict) else ((name, None) for name in spec)
        self._domains = {name: parse_domain(domain) for name, domain in items}
        return self

    @property
    def variable_names(self) -> tuple[str, ...]:
        return tuple(self._domains)

    @property
    def reference_names(self) -> tuple[str, ...] | None:
        """Names to read the reference with: the declared ones, or None to infer them."""
        return self.variable_names if self.variables else None

    def infer_variables(self, trees) -> None:
        """Without a ``variables`` key, the reference's own variables (real) are the part's."""
        if not self.variables:
            found: set[str] = set()
            for tree in trees:
                found |= free_variables(tree)
            self._domains = {name: REAL for name in sorted(found)}

    @property
    def domains(self) -> dict[str, Domain]:
        return self._domains


def reference_text(value: Any) -> str:
    """The text of a reference given in YAML as a string or a number."""
    if isinstance(value, bool):
        raise ValueError("a reference cannot be true/false")
    if isinstance(value, (int, float)):
        return repr(value) if isinstance(value, float) else str(value)
    if isinstance(value, str):
        return value
    raise ValueError(f"expected text or a number, got {type(value).__name__}")


def read_reference(text: str, names: tuple[str, ...] | None,
                   path: str = "reference") -> Reading:
    """Read an author's reference; its errors are the author's, so they become SpecError."""
    try:
        return read_math(text, names)
    except MathInputError as exc:
        raise SpecError(f"{text!r} cannot be read: {exc.message}", path) from None
