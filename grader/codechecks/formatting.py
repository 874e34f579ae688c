"""Tensors and numbers as short, deterministic text for feedback messages."""

from __future__ import annotations

from typing import Any

import torch

SMALL = 16  # tensors with at most this many elements are shown in full


def number(value: float) -> str:
    return f"{value:.6g}"


def tensor(value: torch.Tensor) -> str:
    """`[[1, 0.5], [0.5, 2]]` for small tensors, a shape and the first entries for large ones."""
    if value.numel() > SMALL:
        flat = ", ".join(number(v) for v in value.reshape(-1)[:6].tolist())
        return f"tensor of shape {shape(value.shape)} starting [{flat}, …]"
    return _nested(value.tolist())


def _nested(data: Any) -> str:
    if isinstance(data, list):
        return "[" + ", ".join(_nested(item) for item in data) + "]"
    return number(float(data))


def shape(dims: Any) -> str:
    dims = list(dims)
    return "(" + ", ".join(str(d) for d in dims) + ("," if len(dims) == 1 else "") + ")"


def position(index: tuple[int, ...]) -> str:
    return "[" + ", ".join(str(i) for i in index) + "]"


def mismatch(got: torch.Tensor, expected: torch.Tensor, *, rtol: float, atol: float) -> str | None:
    """None if `got` is within atol + rtol·|expected| everywhere; else expected vs got, and where."""
    difference = (got - expected).abs()
    allowed = atol + rtol * expected.abs()
    bad = ~(difference <= allowed)  # NaN compares false, so NaN is bad
    if not bool(bad.any()):
        return None
    ratio = torch.where(torch.isnan(difference), torch.full_like(difference, float("inf")), difference / allowed)
    flat = int(torch.argmax(ratio.reshape(-1)))
    index = tuple(int(i) for i in torch.unravel_index(torch.tensor(flat), expected.shape)) if expected.dim() else ()
    if expected.numel() <= SMALL:
        shown = f"expected {tensor(expected)}, got {tensor(got)}"
    else:
        shown = f"at {position(index)} expected {number(float(expected[index]))}, got {number(float(got[index]))}"
    where = f" at {position(index)}" if index else ""
    return (f"{shown} (largest difference {number(float(difference[index]))}{where}; "
            f"allowed {number(float(allowed[index]))})")
