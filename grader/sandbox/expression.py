"""Test functions described as data: JSON expression trees over a whitelist of torch ops.

The student's `hessian(f, x)` receives a Python callable `f`, but callables cannot cross the
sandbox boundary without pickling. So the grader describes `f` as a tree, and this module, which
both sides import, turns the tree into a callable (in the child) or evaluates it for the
reference (in the grader, with the grader's own torch). Only the ops below exist; nothing in a
tree is ever evaluated as Python.

A node is a dict with an "op" key:

    {"op": "x"}                                   the input vector
    {"op": "const", "value": 2.5}                 a number
    {"op": "matrix", "value": [[1, 2], [3, 4]]}   a constant tensor (vector or matrix)
    {"op": "index", "args": [node], "index": 1}   node[1]
    {"op": "pow", "args": [node], "exponent": 3}  node ** 3
    {"op": OP, "args": [node, ...]}               OP in UNARY (one arg) or BINARY (two args)

Every op works under autograd and under torch.func transforms (`hessian`, `jacrev`, `vmap`),
since students may use any of them. Loaded by the worker without the `grader` package.
"""

from __future__ import annotations

import operator
from typing import Any, Callable

import torch

UNARY: dict[str, Callable[[torch.Tensor], torch.Tensor]] = {
    "neg": torch.neg,
    "exp": torch.exp,
    "log": torch.log,
    "sin": torch.sin,
    "cos": torch.cos,
    "tanh": torch.tanh,
    "sum": torch.sum,
}
BINARY: dict[str, Callable[[Any, Any], Any]] = {
    "add": operator.add,
    "sub": operator.sub,
    "mul": operator.mul,
    "div": operator.truediv,
    "matmul": torch.matmul,
}
MAX_NODES = 2000
MAX_DEPTH = 64


class ExpressionError(ValueError):
    """A tree that is not a valid expression (an authoring error in a check suite)."""


def validate(tree: dict[str, Any]) -> None:
    """Raise ExpressionError unless `tree` is a well-formed expression of bounded size."""
    count = _validate(tree, depth=0, path="f")
    if count > MAX_NODES:
        raise ExpressionError(f"expression has {count} nodes; at most {MAX_NODES} allowed")


def _validate(node: Any, depth: int, path: str) -> int:
    if depth > MAX_DEPTH:
        raise ExpressionError(f"{path}: nested deeper than {MAX_DEPTH}")
    if not isinstance(node, dict) or not isinstance(node.get("op"), str):
        raise ExpressionError(f"{path}: expected a node {{'op': ...}}, got {node!r:.60}")
    op = node["op"]
    args = node.get("args", [])
    arity = {"x": 0, "const": 0, "matrix": 0, "index": 1, "pow": 1}.get(op)
    if arity is None:
        arity = 1 if op in UNARY else 2 if op in BINARY else None
    if arity is None:
        raise ExpressionError(f"{path}: unknown op {op!r}; expected one of {sorted(_all_ops())}")
    if not isinstance(args, list) or len(args) != arity:
        raise ExpressionError(f"{path}: op {op!r} takes {arity} argument(s), got {args!r:.60}")
    if op == "const" and not isinstance(node.get("value"), (int, float)):
        raise ExpressionError(f"{path}: const needs a numeric 'value'")
    if op == "matrix" and not _is_numeric_array(node.get("value")):
        raise ExpressionError(f"{path}: matrix needs a 'value' that is a list (of lists) of numbers")
    if op == "index" and not isinstance(node.get("index"), int):
        raise ExpressionError(f"{path}: index needs an integer 'index'")
    if op == "pow" and not isinstance(node.get("exponent"), (int, float)):
        raise ExpressionError(f"{path}: pow needs a numeric 'exponent'")
    return 1 + sum(_validate(arg, depth + 1, f"{path}.{op}[{i}]") for i, arg in enumerate(args))


def _all_ops() -> set[str]:
    return {"x", "const", "matrix", "index", "pow"} | set(UNARY) | set(BINARY)


def _is_numeric_array(value: Any) -> bool:
    if isinstance(value, list) and value:
        return all(isinstance(v, (int, float)) for v in value) or all(
            isinstance(v, list) and v and all(isinstance(w, (int, float)) for w in v) for v in value
        )
    return False


def evaluate(tree: dict[str, Any], x: torch.Tensor) -> torch.Tensor:
    """Evaluate the tree at `x` (no validation: call `validate` once beforehand)."""
    value = _evaluate(tree, x)
    return value if isinstance(value, torch.Tensor) else torch.tensor(value, dtype=x.dtype)


def _evaluate(tree: dict[str, Any], x: torch.Tensor) -> Any:
    # Constants stay Python floats (the arithmetic operators accept them): creating a tensor per
    # constant per call would double the cost of a small Hessian.
    op = tree["op"]
    if op == "x":
        return x
    if op == "const":
        return float(tree["value"])
    if op == "matrix":
        return torch.tensor(tree["value"], dtype=x.dtype)
    args = [_evaluate(arg, x) for arg in tree["args"]]
    if op == "index":
        return args[0][tree["index"]]
    if op == "pow":
        return _tensor(args[0], x) ** tree["exponent"]
    if op in UNARY:
        return UNARY[op](_tensor(args[0], x))
    if op == "matmul":
        return torch.matmul(_tensor(args[0], x), _tensor(args[1], x))
    return BINARY[op](args[0], args[1])


def _tensor(value: Any, x: torch.Tensor) -> torch.Tensor:
    return value if isinstance(value, torch.Tensor) else torch.tensor(value, dtype=x.dtype)


def build_function(tree: dict[str, Any]) -> Callable[[torch.Tensor], torch.Tensor]:
    """A Python callable f(x) for the tree, as the student's function receives it."""
    validate(tree)

    def f(x: torch.Tensor) -> torch.Tensor:
        return evaluate(tree, x)

    f.__doc__ = f"f(x) = {describe(tree)}"
    return f


_INFIX = {"add": ("+", 1), "sub": ("-", 1), "mul": ("*", 2), "div": ("/", 2), "matmul": ("@", 2)}


def describe(tree: dict[str, Any]) -> str:
    """Readable text for feedback, e.g. "sin(x[0]*x[1]) + exp(0.5*x[2])"."""
    text, _ = _describe(tree)
    return text


def _describe(node: dict[str, Any]) -> tuple[str, int]:
    """Return (text, precedence); 3 binds tightest."""
    op = node["op"]
    if op == "x":
        return "x", 3
    if op == "const":
        value = node["value"]
        text = repr(int(value)) if float(value).is_integer() and abs(value) < 1e6 else f"{value:.6g}"
        return (text, 3) if value >= 0 else (f"({text})", 3)
    if op == "matrix":
        return _describe_array(node["value"]), 3
    if op == "index":
        inner, prec = _describe(node["args"][0])
        return (f"{inner}[{node['index']}]" if prec == 3 else f"({inner})[{node['index']}]"), 3
    if op == "pow":
        inner, prec = _describe(node["args"][0])
        exponent = node["exponent"]
        exponent_text = repr(int(exponent)) if float(exponent).is_integer() else f"{exponent:g}"
        return (f"{inner}**{exponent_text}" if prec == 3 else f"({inner})**{exponent_text}"), 3
    if op in UNARY:
        inner, _ = _describe(node["args"][0])
        return (f"-({inner})", 2) if op == "neg" else (f"{op}({inner})", 3)
    symbol, prec = _INFIX[op]
    left, left_prec = _describe(node["args"][0])
    right, right_prec = _describe(node["args"][1])
    if left_prec < prec:
        left = f"({left})"
    if right_prec <= prec and not (op in ("add", "mul") and right_prec == prec):
        right = f"({right})"
    return f"{left} {symbol} {right}" if prec == 1 else f"{left}{symbol}{right}", prec


def _describe_array(value: list[Any]) -> str:
    def number(v: float) -> str:
        return repr(int(v)) if float(v).is_integer() else f"{v:.4g}"

    if value and isinstance(value[0], list):
        return "[" + ", ".join("[" + ", ".join(number(v) for v in row) + "]" for row in value) + "]"
    return "[" + ", ".join(number(v) for v in value) + "]"

