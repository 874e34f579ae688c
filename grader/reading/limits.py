"""Limits checked while reading, before any algebra, so hostile input costs nothing."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Limits", "DEFAULT_LIMITS"]


@dataclass(frozen=True)
class Limits:
    max_length: int = 2000            # characters in a response
    max_depth: int = 60               # nesting of brackets
    max_tree_depth: int = 200         # nesting of operations (``-----x``, ``x^x^x^...``)
    max_number_digits: int = 60       # significant digits in one literal
    max_scientific_exponent: int = 300  # ``1e300`` at most
    max_power_digits: int = 1000      # digits of an exact power such as ``2^3000``
    max_exponent: int = 1000          # |n| in ``x^n`` for a non-constant base
    max_items: int = 100              # elements of a list, set or vector
    max_matrix_side: int = 20         # rows or columns of a matrix


DEFAULT_LIMITS = Limits()
