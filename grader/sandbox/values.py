"""Values as plain JSON, in both directions across the sandbox boundary.

Arguments go to the child as data (tensors as flat lists, functions as expression trees) and
return values come back the same way, so nothing is ever pickled: the grader only reads lists of
floats it then rebuilds with its own torch. Non-finite floats travel as JSON's usual extension
(`NaN`, `Infinity`), which Python's `json` writes and reads by default.

Argument descriptors (grader → child)::

    {"kind": "tensor", "dtype": "float64", "shape": [2, 3], "data": [...], "requires_grad": false}
    {"kind": "number", "value": 1.5}
    {"kind": "function", "expression": <tree, see expression.py>}

Encoded return values (child → grader)::

    {"kind": "tensor", "dtype": "float32", "shape": [...], "data": [...] or null,
     "requires_grad": bool, "grad_fn": "MulBackward0" or null, "note": "" or why data is null}
    {"kind": "number", "value": 2.0}    {"kind": "bool", "value": true}    {"kind": "none"}
    {"kind": "sequence", "type": "tuple", "length": 2, "items": [...]}   (at most 16 items, depth 4)
    {"kind": "other", "type": "numpy.ndarray"}

Loaded by the worker without the `grader` package: standard library and torch only.
"""

from __future__ import annotations

from typing import Any

import torch

from grader.sandbox import expression

MAX_ELEMENTS = 4096  # elements of one returned tensor sent back in full
MAX_ITEMS = 16  # items of one returned tuple or list
MAX_DEPTH = 4  # nesting of returned tuples and lists
DTYPES = {"float32": torch.float32, "float64": torch.float64}


def tensor_argument(tensor: torch.Tensor, *, requires_grad: bool = False) -> dict[str, Any]:
    """Describe a float tensor as an argument descriptor."""
    name = str(tensor.dtype).removeprefix("torch.")
    if name not in DTYPES:
        raise ValueError(f"tensor arguments must be float32 or float64, not {name}")
    return {
        "kind": "tensor",
        "dtype": name,
        "shape": list(tensor.shape),
        "data": tensor.detach().reshape(-1).tolist(),
        "requires_grad": requires_grad,
    }


def number_argument(value: float) -> dict[str, Any]:
    return {"kind": "number", "value": float(value)}


def function_argument(tree: dict[str, Any]) -> dict[str, Any]:
    expression.validate(tree)
    return {"kind": "function", "expression": tree}


def build_argument(descriptor: dict[str, Any]) -> Any:
    """Turn an argument descriptor into the object passed to the student's function."""
    kind = descriptor.get("kind")
    if kind == "tensor":
        dtype = DTYPES[descriptor["dtype"]]
        tensor = torch.tensor(descriptor["data"], dtype=dtype).reshape(descriptor["shape"])
        return tensor.requires_grad_(bool(descriptor.get("requires_grad")))
    if kind == "number":
        return float(descriptor["value"])
    if kind == "function":
        return expression.build_function(descriptor["expression"])
    raise ValueError(f"unknown argument kind {kind!r}")


def encode(value: Any, depth: int = 0) -> dict[str, Any]:
    """Encode a return value as JSON-friendly data; never raises for odd values."""
    if isinstance(value, torch.Tensor):
        return _encode_tensor(value)
    if isinstance(value, bool):
        return {"kind": "bool", "value": value}
    if isinstance(value, (int, float)):
        try:
            return {"kind": "number", "value": float(value)}
        except OverflowError:
            return {"kind": "other", "type": "int (too large for a float)"}
    if value is None:
        return {"kind": "none"}
    if isinstance(value, (tuple, list)) and depth < MAX_DEPTH:
        items = [encode(item, depth + 1) for item in list(value)[:MAX_ITEMS]]
        return {"kind": "sequence", "type": type(value).__name__, "length": len(value), "items": items}
    kind = type(value)
    return {"kind": "other", "type": f"{kind.__module__}.{kind.__qualname__}"}


def _encode_tensor(tensor: torch.Tensor) -> dict[str, Any]:
    encoded: dict[str, Any] = {
        "kind": "tensor",
        "dtype": str(tensor.dtype).removeprefix("torch."),
        "shape": list(tensor.shape),
        "data": None,
        "requires_grad": bool(tensor.requires_grad),
        "grad_fn": type(tensor.grad_fn).__name__ if tensor.grad_fn is not None else None,
        "note": "",
    }
    if tensor.layout != torch.strided:
        encoded["note"] = f"layout {tensor.layout} is not a dense tensor"
    elif tensor.is_complex():
        encoded["note"] = "complex values"
    elif tensor.numel() > MAX_ELEMENTS:
        encoded["note"] = f"{tensor.numel()} elements (more than {MAX_ELEMENTS}) were not sent back"
    else:
        flat = tensor.detach().to("cpu").reshape(-1)
        if flat.dtype == torch.bool:
            flat = flat.to(torch.int64)
        encoded["data"] = [float(v) for v in flat.tolist()]
    return encoded


def decode_tensor(encoded: dict[str, Any]) -> torch.Tensor:
    """Rebuild an encoded tensor's values as float64 (the grader compares in float64)."""
    data = encoded.get("data")
    if data is None:
        raise ValueError("the tensor's values were not sent back")
    return torch.tensor(data, dtype=torch.float64).reshape(encoded["shape"])


def describe(encoded: dict[str, Any]) -> str:
    """A short phrase naming what was returned, for feedback ("a float32 tensor of shape (3, 3)")."""
    kind = encoded.get("kind")
    if kind == "tensor":
        shape = "(" + ", ".join(str(n) for n in encoded["shape"]) + ("," if len(encoded["shape"]) == 1 else "") + ")"
        return f"a {encoded['dtype']} tensor of shape {shape}"
    if kind == "number":
        return f"the number {encoded['value']!r}"
    if kind == "bool":
        return f"the bool {encoded['value']!r}"
    if kind == "none":
        return "None"
    if kind == "sequence":
        return f"a {encoded['type']} of length {encoded['length']}"
    return f"an object of type {encoded.get('type', '?')}"

