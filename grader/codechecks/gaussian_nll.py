"""Suite "gaussian-nll-grads": `nll_grads(x, mu, sigma)` returns (∂NLL/∂μ, ∂NLL/∂σ).

    NLL(μ, σ) = Σᵢ [ log σ + (xᵢ − μ)² / (2σ²) + ½ log 2π ]
    ∂NLL/∂μ = −Σᵢ (xᵢ − μ) / σ²          ∂NLL/∂σ = n/σ − Σᵢ (xᵢ − μ)² / σ³

Types, as the problem states them: `x` is a 1-D float tensor (float32 or float64); `mu` and
`sigma` are Python floats (sigma > 0). Their values are multiples of 1/64, exact in float32 too,
so a student who writes `torch.tensor(mu, requires_grad=True)` (float32 by default) is not
penalised for the rounding of mu itself. The answer may be a tuple or list of two Python floats
or 0-d tensors; a one-element tensor of another shape is graded for its value but fails the
"pair of scalars" test.

Tolerances are relative to the size of the terms summed (Σ|xᵢ − μ|/σ² and n/σ + Σ(xᵢ − μ)²/σ³),
not to the result, because the result itself may be a near-cancellation.
"""

from __future__ import annotations

import functools
import math
import random
from typing import Any

import torch

from grader.codechecks import formatting
from grader.codechecks.suite import Case, Property, Suite
from grader.sandbox import values


def reference(x: torch.Tensor, mu: float, sigma: float) -> tuple[float, float, float, float]:
    """(∂/∂μ, ∂/∂σ, scale of ∂/∂μ, scale of ∂/∂σ) in float64."""
    r = x.to(torch.float64) - mu
    n = x.numel()
    d_mu = float(-r.sum() / sigma**2)
    d_sigma = float(n / sigma - (r**2).sum() / sigma**3)
    return d_mu, d_sigma, float(r.abs().sum() / sigma**2) + 1e-12, float(n / sigma + (r**2).sum() / sigma**3)


class GaussianNllSuite(Suite):
    name = "gaussian-nll-grads"
    function_name = "nll_grads"
    signature = "nll_grads(x, mu, sigma)"
    parameters = ("x", "mu", "sigma")
    description = ("x is a 1-D float tensor of data, mu and sigma are Python floats (sigma > 0); return "
                   "(∂NLL/∂μ, ∂NLL/∂σ) as two Python floats or 0-d tensors.")

    def __init__(self) -> None:
        self.tests = (
            Property("returns a pair of scalars", "all",
                     "every answer is a tuple of two Python floats or 0-d tensors", self._check_pair),
            Property("∂NLL/∂μ matches", "float64", "∂NLL/∂μ agrees with the reference to 1e-6",
                     lambda case, value: self._check_component(case, value, 0)),
            Property("∂NLL/∂σ matches", "float64", "∂NLL/∂σ agrees with the reference to 1e-6",
                     lambda case, value: self._check_component(case, value, 1)),
            Property("float32 data", "float32", "both derivatives agree with the reference to 1e-4",
                     lambda case, value: self._check_component(case, value, 0) or self._check_component(case, value, 1)),
            Property("a single data point", "single", "n = 1 gives the right derivatives",
                     lambda case, value: self._check_component(case, value, 0) or self._check_component(case, value, 1)),
            Property("leaves x unchanged", "unchanged", "x is never modified in place", lambda case, value: None),
        )

    def cases(self, seed: int, options: dict | None = None) -> list[Case]:
        return list(_cases(seed))

    @staticmethod
    def _items(value: dict) -> tuple[list[dict] | None, str | None]:
        if value.get("kind") != "sequence" or value.get("length") != 2:
            return None, f"expected a pair (∂NLL/∂μ, ∂NLL/∂σ), got {values.describe(value)}"
        return value["items"], None

    def _check_pair(self, case: Case, value: dict) -> str | None:
        items, problem = self._items(value)
        if problem:
            return problem
        for name, item in zip(("∂NLL/∂μ", "∂NLL/∂σ"), items):
            if item.get("kind") == "number" or (item.get("kind") == "tensor" and item.get("shape") == []):
                continue
            return f"{name} should be a Python float or a 0-d tensor, got {values.describe(item)} (use .item() or .squeeze())"
        return None

    def _check_component(self, case: Case, value: dict, which: int) -> str | None:
        items, problem = self._items(value)
        if problem:
            return problem
        number, problem = _scalar(items[which])
        name = ("∂NLL/∂μ", "∂NLL/∂σ")[which]
        if problem:
            return f"{name}: {problem}"
        expected, scale = case.expected[which], case.expected[2 + which]
        rtol = case.info["rtol"]
        if not abs(number - expected) <= rtol * scale:  # NaN fails
            return (f"{name}: expected {formatting.number(expected)}, got {formatting.number(number)} "
                    f"(difference {formatting.number(abs(number - expected))}; allowed {formatting.number(rtol * scale)})")
        return None


def _scalar(item: dict[str, Any]) -> tuple[float, str | None]:
    if item.get("kind") == "number":
        return float(item["value"]), None
    if item.get("kind") == "tensor" and item.get("data") is not None and len(item["data"]) == 1:
        return float(item["data"][0]), None
    return math.nan, f"expected a number, got {values.describe(item)}"


def _case(x: torch.Tensor, mu: float, sigma: float, tags: set[str]) -> Case:
    dtype = str(x.dtype).removeprefix("torch.")
    exact = x.to(torch.float64)
    return Case(
        args=(values.tensor_argument(x), values.number_argument(mu), values.number_argument(sigma)),
        label=f"x = {formatting.tensor(exact)} ({dtype}), mu = {mu:g}, sigma = {sigma:g}",
        size=(x.numel(), abs(mu) + sigma),
        expected=reference(exact, mu, sigma),
        tags=frozenset(tags | ({"single"} if x.numel() == 1 else set()) | {"all", "unchanged"}),
        info={"dtype": dtype, "rtol": 1e-4 if dtype == "float32" else 1e-6},
        brief=f"n={x.numel()} {dtype}",
    )


@functools.lru_cache(maxsize=32)
def _cases(seed: int) -> tuple[Case, ...]:
    rng = random.Random(f"gaussian-nll-grads-{seed}")

    def sample(n: int, dtype: torch.dtype) -> tuple[torch.Tensor, float, float]:
        mu = rng.randint(-192, 192) / 64
        sigma = rng.randint(32, 192) / 64
        data = [round(rng.gauss(mu + rng.uniform(-1, 1), sigma * rng.uniform(0.5, 2)), 3) for _ in range(n)]
        return torch.tensor(data, dtype=dtype), mu, sigma

    cases = [_case(*sample(n, torch.float64), {"float64"}) for n in (1, 2, 3, 5, 10, 40)]
    cases += [_case(*sample(n, torch.float32), {"float32"}) for n in (1, 4, 12)]
    return tuple(cases)
