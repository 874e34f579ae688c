"""Suite "hessian-vector-product": `hvp(f, x, v)` returns H(x) v without forming H.

f maps a 1-D float tensor to a scalar tensor (the same random functions as the Hessian suite);
x and v are 1-D tensors of the same length n (1 to 6). The reference is
`torch.autograd.functional.hvp` on the grader's own evaluation of f, in float64. Correct
approaches: differentiate g·v where g = ∇f with create_graph=True (double backward),
`torch.autograd.functional.hvp`, `torch.func.jvp` of `torch.func.grad`, or even the full Hessian
times v (correct, just slower). Finite differences of the gradient fail "exact where finite
differences fail" (a 1e10·x₀ term puts a huge constant into the gradient, whose rounding
error swamps any step); returning ∇f, H alone or v·∇f fails the value tests.
"""

from __future__ import annotations

import functools
import random

import torch

from grader.codechecks import formatting
from grader.codechecks.hessian import FD_OFFSET, _const, _node, quadratic_form, random_function
from grader.codechecks.suite import Case, Property, Suite, check_close, check_dtype, check_shape
from grader.sandbox import expression, values


class HessianVectorSuite(Suite):
    name = "hessian-vector-product"
    function_name = "hvp"
    signature = "hvp(f, x, v)"
    parameters = ("f", "x", "v")
    description = ("f maps a 1-D float tensor to a scalar tensor; x and v are 1-D tensors of the "
                   "same length n; return the Hessian-vector product H(x) v, a tensor of shape (n,).")

    def __init__(self) -> None:
        self.tests = (
            Property("output shape is (n,)", "all", "every output is a tensor of shape (n,)",
                     check_shape),
            Property("output dtype matches x", "all", "every output has the dtype of x",
                     check_dtype),
            Property("values match H v (float64)", "float64",
                     "entries agree with the reference to 1e-7", check_close),
            Property("values match H v (float32)", "float32",
                     "entries agree with the reference to 1e-3", check_close),
            Property("depends on v linearly", "linear",
                     "scaling v by 3 scales the result by 3 (inputs with v and 3v)",
                     check_close, hint="H v is linear in v: return the product of the "
                     "Hessian with v, not the gradient or a function of v alone."),
            Property("x with requires_grad=True", "requires_grad",
                     "inputs that already require grad give the right product", check_close),
            Property("exact where finite differences fail", "fd_trap",
                     f"on functions with a {FD_OFFSET:.0e}·x₀ term, where finite differences of "
                     "the gradient lose every digit, entries agree with the reference to 1e-7",
                     check_close, hint="Use autograd: differentiate (∇f · v) with respect "
                     "to x, with create_graph=True for the first gradient."),
            Property("leaves x and v unchanged", "unchanged", "x and v are never modified in place",
                     lambda case, value: None),
        )

    def cases(self, seed: int, options: dict | None = None) -> list[Case]:
        return list(_cases(seed))


def _make_case(tree: dict, x: torch.Tensor, v: torch.Tensor, tags: set[str], *,
               requires_grad: bool = False) -> Case:
    n = x.numel()
    dtype = str(x.dtype).removeprefix("torch.")
    x64, v64 = x.to(torch.float64), v.to(torch.float64)
    _, expected = torch.autograd.functional.hvp(lambda t: expression.evaluate(tree, t), x64, v64)
    text = (f"f(x) = {expression.describe(tree)}, x = {formatting.tensor(x64)}, "
            f"v = {formatting.tensor(v64)} ({dtype}" + (", requires_grad=True)" if requires_grad
                                                       else ")"))
    return Case(
        args=(values.function_argument(tree), values.tensor_argument(x, requires_grad=requires_grad),
              values.tensor_argument(v)),
        label=text,
        size=(n, len(expression.describe(tree)), float(x64.abs().max())),
        expected=expected.detach(),
        tags=frozenset(tags | {"all", "unchanged"}),
        info={"n": n, "dtype": dtype, "rtol": 1e-3 if dtype == "float32" else 1e-7},
        brief=f"n={n} {dtype}" + (" requires_grad" if requires_grad else ""),
    )


@functools.lru_cache(maxsize=32)
def _cases(seed: int) -> tuple[Case, ...]:
    rng = random.Random(f"hessian-vector-product-{seed}")

    def vector(n: int, dtype: torch.dtype) -> torch.Tensor:
        return torch.tensor([round(rng.uniform(-1.5, 1.5), 3) for _ in range(n)], dtype=dtype)

    cases = []
    for n in (1, 2, 3, 5):
        cases.append(_make_case(random_function(rng, n, cross=n > 1), vector(n, torch.float64),
                                vector(n, torch.float64), {"float64"}))
    f, x, v = random_function(rng, 3, cross=True), vector(3, torch.float64), vector(3, torch.float64)
    cases.append(_make_case(f, x, v, {"linear", "float64"}))
    cases.append(_make_case(f, x, 3 * v, {"linear"}))
    cases.append(_make_case(quadratic_form(rng, 4), vector(4, torch.float64),
                            vector(4, torch.float64), {"float64", "requires_grad"},
                            requires_grad=True))
    cases.append(_make_case(random_function(rng, 2, cross=True), vector(2, torch.float32),
                            vector(2, torch.float32), {"float32"}))
    cases.append(_make_case(random_function(rng, 4), vector(4, torch.float32),
                            vector(4, torch.float32), {"float32", "requires_grad"},
                            requires_grad=True))
    # A steep linear term: the gradient carries a 1e10 constant, so finite differences of the
    # gradient lose every digit to rounding, while its exact Hessian contribution is zero.
    steep = _node("mul", _const(FD_OFFSET), _node("index", {"op": "x"}, index=0))
    trap = _node("add", steep, random_function(rng, 3, cross=True))
    cases.append(_make_case(trap, vector(3, torch.float64), vector(3, torch.float64), {"fd_trap"}))
    return tuple(cases)
