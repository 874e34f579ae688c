"""The names a student may type: functions, constants and Greek letters."""

from __future__ import annotations

__all__ = ["FUNCTIONS", "FUNCTION_ALIASES", "CONSTANTS", "GREEK", "is_variable_name", "ALL_NAMES"]

# Functions of one argument. ``log`` and ``ln`` are both the natural logarithm.
FUNCTIONS: frozenset[str] = frozenset(
    {"sin", "cos", "tan", "exp", "log", "ln", "sqrt", "abs", "sinh", "cosh", "tanh", "sigmoid",
     "arcsin", "arccos", "arctan", "asin", "acos", "atan"})

# Other spellings that mean one of the functions above.
FUNCTION_ALIASES: dict[str, str] = {"ln": "log", "asin": "arcsin", "acos": "arccos",
                                    "atan": "arctan"}

CONSTANTS: frozenset[str] = frozenset({"pi", "e"})

GREEK: frozenset[str] = frozenset({
    "alpha", "beta", "gamma", "delta", "epsilon", "theta", "lambda", "mu", "sigma", "tau",
    "phi", "rho", "omega", "eta", "kappa", "nu", "xi", "psi", "chi", "zeta",
})

ALL_NAMES: frozenset[str] = FUNCTIONS | CONSTANTS | GREEK


def is_variable_name(name: str) -> bool:
    """True for names a part may declare: a letter or Greek name, optionally ``_<digits>``."""
    base, _, sub = name.partition("_")
    if sub and not sub.isdigit():
        return False
    if base in CONSTANTS or base in FUNCTIONS:
        return False
    return (len(base) == 1 and base.isascii() and base.isalpha()) or base in GREEK
