"""The LaTeX subset a student may type in the same box as plain text.

Each command maps to a token of the plain-text grammar, so ``\\frac{a}{b}``, ``\\sqrt[3]{x}``
and ``\\begin{bmatrix} ... \\end{bmatrix}`` need no second parser. This module only says
what a command means; the tokenizer decides where it starts and ends.
"""

from __future__ import annotations

import difflib

from grader.reading.vocabulary import FUNCTIONS, GREEK

__all__ = ["COMMANDS", "SKIPPED", "MATRIX_ENVIRONMENTS", "REFUSED", "suggest_command"]

# command name -> (token type, token value)
COMMANDS: dict[str, tuple[str, str]] = {
    "frac": ("FRAC", "frac"), "dfrac": ("FRAC", "frac"), "tfrac": ("FRAC", "frac"),
    "cfrac": ("FRAC", "frac"),
    "sqrt": ("ROOT", "sqrt"),
    "cdot": ("STAR", "*"), "times": ("STAR", "*"), "ast": ("STAR", "*"),
    "div": ("SLASH", "/"),
    "pi": ("NAME", "pi"), "exponentialE": ("NAME", "e"),
    "varepsilon": ("NAME", "epsilon"), "vartheta": ("NAME", "theta"), "varphi": ("NAME", "phi"),
    "emptyset": ("EMPTYSET", "{}"), "varnothing": ("EMPTYSET", "{}"),
}
COMMANDS.update({name: ("FUNC", name) for name in FUNCTIONS if name not in ("sqrt", "abs")})
COMMANDS.update({name: ("NAME", name) for name in GREEK})

# Commands that only change spacing or delimiter size: they are read as nothing.
SKIPPED: frozenset[str] = frozenset({
    "left", "right", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr",
    "biggl", "biggr", "quad", "qquad", "displaystyle", "textstyle", "mathrm", "operatorname",
    "mathit", "limits",
})

MATRIX_ENVIRONMENTS: frozenset[str] = frozenset({"bmatrix", "pmatrix", "matrix", "Bmatrix"})

# Commands people type that have no place in an answer, with what to do instead.
REFUSED: dict[str, str] = {
    "text": "text is not part of a math answer; type only the math",
    "infty": "infinity is not accepted as an answer value",
    "lvert": "absolute value bars are not supported; write abs(x)",
    "rvert": "absolute value bars are not supported; write abs(x)",
    "vert": "absolute value bars are not supported; write abs(x)",
    "cdots": "'...' is not accepted; list every element",
    "ldots": "'...' is not accepted; list every element",
    "dots": "'...' is not accepted; list every element",
    "sum": "sums with \\sum are not supported; write the terms out",
    "int": "integrals are not supported in answers",
    "partial": "derivative notation is not supported; type the derivative itself",
    "nabla": "derivative notation is not supported; type the gradient itself",
    "mathbf": "bold letters are not supported; type the entries of the vector",
    "vec": "vector arrows are not supported; type the entries of the vector",
}


def suggest_command(name: str) -> str | None:
    """The known command closest to a mistyped one, or None."""
    known = sorted(set(COMMANDS) | {"sqrt", "frac", "begin", "end"})
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.7)
    return close[0] if close else None
