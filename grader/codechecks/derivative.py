"""Suite "chain-rule-derivative": `derivative(x)` returns d/dx f(g(x)) elementwise.

f(u) = sin(a·u²) and g(x) = e^(−b·x²); the tutorial has a = b = 1, the problem's variants set
the options ``a`` and ``b``. Then f(g(x)) = sin(a·e^(−2b·x²)) and, by the chain rule,

    d/dx f(g(x)) = cos(a·e^(−2b·x²)) · a·e^(−2b·x²) · (−4b·x),

which for a = b = 1 is −4x e^(−2x²) cos(e^(−2x²)).

The reference is that closed form, evaluated in float64 in the grader. Inputs are random
tensors of shapes from 0-d to 4-d in float32 and float64 (some with requires_grad=True), with
values where the factors matter (|x| up to 2.5). Typical wrong answers caught by the value
tests: f'(x)·g'(x) (no composition), a missing inner factor e^(−2x²), g(f(x)) instead of f(g(x)).
"""

from __future__ import annotations

import functools
import random

import torch

from grader.codechecks import formatting
from grader.codechecks.suite import Case, Property, Suite, as_tensor, check_dtype, check_shape
from grader.sandbox import values

SHAPES = ((), (1,), (4,), (7,), (3, 4), (2, 3, 4), (2, 2, 2, 3))


def reference(x: torch.Tensor, a: float = 1.0, b: float = 1.0) -> torch.Tensor:
    x = x.to(torch.float64)
    inner = torch.exp(-2 * b * x**2)
    return -4 * b * x * a * inner * torch.cos(a * inner)


class DerivativeSuite(Suite):
    name = "chain-rule-derivative"
    function_name = "derivative"
    signature = "derivative(x)"
    parameters = ("x",)
    description = ("x is a float tensor of any shape; return d/dx f(g(x)) elementwise, where f(u) = "
                   "sin(a·u²) and g(x) = e^(−b·x²) (a = b = 1 in the tutorial).")
    options = ("a", "b")

    def __init__(self) -> None:
        self.tests = (
            Property("output has the shape of x", "all", "every output is a tensor of x's shape", check_shape),
            Property("output dtype matches x", "all", "every output has x's dtype", check_dtype),
            Property("values match (float64)", "float64", "values agree with the reference to 1e-9",
                     self._check_values),
            Property("values match (float32)", "float32", "values agree with the reference to 1e-4",
                     self._check_values),
            Property("0-d and one-element inputs", "scalar", "scalars and one-element tensors give the right value",
                     self._check_values),
            Property("x with requires_grad=True", "requires_grad",
                     "inputs that already require grad give the right values", self._check_values),
            Property("leaves x unchanged", "unchanged", "x is never modified in place", lambda case, value: None),
        )

    def cases(self, seed: int, options: dict | None = None) -> list[Case]:
        options = options or {}
        return list(_cases(seed, float(options.get("a", 1)), float(options.get("b", 1))))

    @staticmethod
    def _check_values(case: Case, value: dict) -> str | None:
        got, problem = as_tensor(value, case.expected.shape)
        if problem:
            return problem
        rtol = case.info["rtol"]
        return formatting.mismatch(got, case.expected, rtol=rtol, atol=rtol * 1e-2)


def _case(x: torch.Tensor, tags: set[str], a: float, b: float,
          requires_grad: bool = False) -> Case:
    dtype = str(x.dtype).removeprefix("torch.")
    exact = x.to(torch.float64)
    shown = formatting.tensor(exact) if x.dim() else formatting.number(float(exact))
    label = f"x = {shown} ({dtype}, shape {formatting.shape(x.shape)}" + (", requires_grad=True)" if requires_grad else ")")
    scalar = {"scalar"} if x.numel() == 1 else set()
    return Case(
        args=(values.tensor_argument(x, requires_grad=requires_grad),),
        label=label,
        size=(x.numel(), x.dim(), float(exact.abs().max())),
        expected=reference(exact, a, b),
        tags=frozenset(tags | scalar | {"all", "unchanged"}),
        info={"dtype": dtype, "rtol": 1e-4 if dtype == "float32" else 1e-9},
        brief=f"{formatting.shape(x.shape)} {dtype}" + (" requires_grad" if requires_grad else ""),
    )


@functools.lru_cache(maxsize=64)
def _cases(seed: int, a: float, b: float) -> tuple[Case, ...]:
    rng = random.Random(f"chain-rule-derivative-{seed}")

    def tensor(shape: tuple[int, ...], dtype: torch.dtype, spread: float = 1.5) -> torch.Tensor:
        count = 1
        for d in shape:
            count *= d
        data = [round(rng.uniform(-spread, spread), 3) for _ in range(count)]
        return torch.tensor(data, dtype=dtype).reshape(shape)

    cases = [_case(tensor(shape, torch.float64), {"float64"}, a, b) for shape in SHAPES]
    cases += [_case(tensor(shape, torch.float32), {"float32"}, a, b)
              for shape in ((), (5,), (3, 3), (2, 2, 3))]
    cases.append(_case(tensor((6,), torch.float64, spread=2.5), {"float64"}, a, b))
    cases.append(_case(tensor((4,), torch.float64), {"requires_grad"}, a, b, requires_grad=True))
    cases.append(_case(tensor((2, 3), torch.float32), {"requires_grad"}, a, b,
                       requires_grad=True))
    return tuple(cases)
