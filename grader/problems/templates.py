"""``{{ formula }}`` in problem text: replaced by the variant's value, as LaTeX or as text.

The formula is author math (parameters, derived names, operations), so a statement can say
``$A = {{A}}$`` or a solution ``$\\lambda = {{ (a + c)/2 }}$``.
"""

from __future__ import annotations

import re
from typing import Any

from grader.problems.authoring import AuthorError, as_latex, as_text, evaluate

__all__ = ["render", "TEMPLATE"]

# The innermost pair of double braces, so \frac{1}{{{k}}} works: the formula holds no braces.
TEMPLATE = re.compile(r"\{\{([^{}]+?)\}\}")


def render(text: str, values: dict[str, Any], symbols: dict[str, Any], *,
           latex: bool = True) -> str:
    """``text`` with every ``{{ formula }}`` replaced; AuthorError names the formula."""

    def substitute(match: re.Match) -> str:
        value = evaluate(match.group(1).strip(), values, symbols)
        if latex:
            return as_latex(value)
        if isinstance(value, (list, tuple)):
            raise AuthorError(f"{{{{{match.group(1).strip()}}}}} is a list; only a single "
                              f"value can be written as text here")
        return as_text(value)

    return TEMPLATE.sub(substitute, text)
