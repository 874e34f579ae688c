"""Suite "hessian": `hessian(f, x)` returns the (n, n) Hessian of a scalar function at x.

Functions are random sums of polynomial, exponential, logarithmic and trigonometric terms with
cross terms between coordinates, sent to the child as expression trees; n runs from 1 to 6.
The reference is `torch.autograd.functional.hessian` on the grader's own evaluation of the tree,
in float64. Any correct autograd approach passes (nested `autograd.grad` with `create_graph`,
`torch.autograd.functional.hessian`, `torch.func.hessian`). What fails, and where:

- finite differences: float32 values, and "exact where finite differences fail": functions
  carrying a constant 1e10, whose rounding error (~1e-6) divided by h² swamps any step h,
  while autograd is unaffected (the constant's derivatives are exactly zero);
- diagonal-only: "mixed partial derivatives"; wrong shape: "shape"; hard-coded or detached
  zeros: every value test.
"""

from __future__ import annotations

import functools
import random
from typing import Any

import torch

from grader.codechecks import formatting
from grader.codechecks.suite import Case, Property, Suite, as_tensor, check_close, check_dtype, check_shape
from grader.sandbox import expression, values

X = {"op": "x"}
FD_OFFSET = 1e10


def _node(op: str, *args: dict, **extra: Any) -> dict:
    return {"op": op, "args": list(args), **extra}


def _const(value: float) -> dict:
    return {"op": "const", "value": value}


def _at(i: int) -> dict:
    return _node("index", X, index=i)


def _coefficient(rng: random.Random) -> float:
    return rng.choice([-1, 1]) * rng.choice([0.5, 1.0, 1.5, 2.0, 3.0])


def _term(rng: random.Random, n: int, kind: str) -> dict:
    i, j = rng.sample(range(n), 2) if n > 1 else (0, 0)
    c = _const(_coefficient(rng))
    if kind == "poly":
        base = _node("mul", _at(i), _at(j)) if i != j else _node("pow", _at(i), exponent=rng.choice([2, 3, 4]))
        return _node("mul", c, base)
    if kind == "exp":
        return _node("mul", c, _node("exp", _node("mul", _const(rng.choice([0.5, -0.5, 1.0])), _at(i))))
    if kind == "log":
        return _node("mul", c, _node("log", _node("add", _const(1), _node("pow", _at(i), exponent=2))))
    if kind == "sin":
        return _node("mul", c, _node("sin", _node("mul", _at(i), _at(j))))
    if kind == "cos":
        return _node("mul", c, _node("cos", _node("add", _at(i), _node("mul", _const(0.5), _at(j)))))
    return _node("mul", c, _node("tanh", _node("sub", _at(i), _node("mul", _const(0.5), _at(j)))))


def random_function(rng: random.Random, n: int, *, cross: bool = False) -> dict:
    """A sum of 3–4 terms of different kinds; `cross` adds a term coupling every pair of coordinates.

    Kept small on purpose: the student's code evaluates it dozens of times per Hessian, and a
    verdict should take tens of milliseconds.
    """
    kinds = ["poly", "exp", "log", "sin", "cos", "tanh"]
    terms = [_term(rng, n, kind) for kind in rng.sample(kinds, rng.randint(3, 4))]
    if cross:
        pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
        for i, j in pairs:
            terms.append(_node("mul", _const(_coefficient(rng)), _node("sin", _node("mul", _at(i), _at(j)))))
    tree = terms[0]
    for term in terms[1:]:
        tree = _node("add", tree, term)
    return tree


def quadratic_form(rng: random.Random, n: int) -> dict:
    """x @ A @ x + sum(exp(x)) with a constant (non-symmetric) matrix A: Hessian A + Aᵀ + diag(eˣ)."""
    matrix = [[float(rng.randint(-3, 3)) for _ in range(n)] for _ in range(n)]
    form = _node("matmul", X, _node("matmul", {"op": "matrix", "value": matrix}, X))
    return _node("add", form, _node("sum", _node("exp", X)))


class HessianSuite(Suite):
    name = "hessian"
    function_name = "hessian"
    signature = "hessian(f, x)"
    parameters = ("f", "x")
    description = "f maps a 1-D float tensor to a scalar tensor; return the (n, n) Hessian of f at x."

    def __init__(self) -> None:
        self.tests = (
            Property("output shape is (n, n)", "all", "every output is a tensor of shape (n, n)", check_shape),
            Property("output dtype matches x", "all", "every output has the dtype of x (float32 or float64)",
                     check_dtype),
            Property("values match the Hessian (float64)", "float64", "entries agree with the reference to 1e-7",
                     check_close),
            Property("values match the Hessian (float32)", "float32", "entries agree with the reference to 1e-3",
                     check_close),
            Property("mixed partial derivatives", "cross", "off-diagonal entries ∂²f/∂xᵢ∂xⱼ are right",
                     self._check_mixed, hint="Row i of the Hessian is the gradient of ∂f/∂xᵢ with respect to all of x, "
                     "not only xᵢ."),
            Property("Hessian is symmetric", "float64", "outputs are symmetric", self._check_symmetric),
            Property("x with requires_grad=True", "requires_grad",
                     "inputs that already require grad give the right Hessian", check_close),
            Property("exact where finite differences fail", "fd_trap",
                     f"on functions with a {FD_OFFSET:.0e} offset, where finite differences lose every digit, "
                     "entries agree with the reference to 1e-7 (autograd is exact there)", check_close,
                     hint="Finite differences cannot be accurate here: f's rounding error (about 1e-6) divided by "
                     "h² swamps every step size h. Compute the Hessian with autograd, e.g. "
                     "torch.autograd.grad(..., create_graph=True) twice, or torch.autograd.functional.hessian."),
            Property("leaves x unchanged", "unchanged", "x is never modified in place", self._check_nothing),
        )

    def cases(self, seed: int, options: dict | None = None) -> list[Case]:
        return list(_cases(seed))

    # -- properties ----------------------------------------------------------------------------

    @staticmethod
    def _check_mixed(case: Case, value: dict) -> str | None:
        got, problem = as_tensor(value, case.expected.shape)
        if problem:
            return problem
        n = case.info["n"]
        off = ~torch.eye(n, dtype=torch.bool)
        scale = float(case.expected.abs().max()) or 1.0
        wrong = formatting.mismatch(got[off], case.expected[off], rtol=1e-6, atol=1e-6 * scale)
        if wrong is None:
            return None
        if float(got[off].abs().max()) == 0.0:
            return (f"every off-diagonal entry is 0, but mixed partials ∂²f/∂xᵢ∂xⱼ are not: expected "
                    f"{formatting.tensor(case.expected)}, got {formatting.tensor(got)}")
        return f"off-diagonal entries are wrong: expected {formatting.tensor(case.expected)}, got {formatting.tensor(got)}"

    @staticmethod
    def _check_symmetric(case: Case, value: dict) -> str | None:
        got, problem = as_tensor(value, case.expected.shape)
        if problem:
            return problem
        scale = float(got.abs().max()) or 1.0
        asymmetry = float((got - got.T).abs().max())
        if asymmetry > 1e-9 * scale:
            return f"H - Hᵀ has entries up to {formatting.number(asymmetry)}: got {formatting.tensor(got)}"
        return None

    @staticmethod
    def _check_nothing(case: Case, value: dict) -> str | None:
        return None  # the grading loop checks `changed_inputs` for the "unchanged" tag


def _make_case(tree: dict, x: torch.Tensor, tags: set[str], *, requires_grad: bool = False) -> Case:
    n = x.numel()
    dtype = str(x.dtype).removeprefix("torch.")
    reference_x = x.to(torch.float64)  # the exact values the child receives
    expected = torch.autograd.functional.hessian(lambda v: expression.evaluate(tree, v), reference_x)
    text = f"f(x) = {expression.describe(tree)}, x = {formatting.tensor(reference_x)} ({dtype}"
    text += ", requires_grad=True)" if requires_grad else ")"
    return Case(
        args=(values.function_argument(tree), values.tensor_argument(x, requires_grad=requires_grad)),
        label=text,
        size=(n, len(expression.describe(tree)), float(reference_x.abs().max())),
        expected=expected.detach(),
        tags=frozenset(tags | {"all", "unchanged"}),
        info={"n": n, "dtype": dtype, "rtol": 1e-3 if dtype == "float32" else 1e-7},
        brief=f"n={n} {dtype}" + (" requires_grad" if requires_grad else ""),
    )


@functools.lru_cache(maxsize=32)
def _cases(seed: int) -> tuple[Case, ...]:
    rng = random.Random(f"hessian-{seed}")

    def point(n: int, dtype: torch.dtype) -> torch.Tensor:
        return torch.tensor([round(rng.uniform(-1.5, 1.5), 3) for _ in range(n)], dtype=dtype)

    # 11 calls: every test sees several inputs because a case may carry several tags.
    cases = []
    for n in (1, 2, 3, 5, 6):
        tags = {"float64", "requires_grad"} if n == 3 else {"float64"}
        cases.append(_make_case(random_function(rng, n), point(n, torch.float64), tags, requires_grad=n == 3))
    cases.append(_make_case(random_function(rng, 2), point(2, torch.float32), {"float32", "requires_grad"},
                            requires_grad=True))
    cases.append(_make_case(random_function(rng, 4), point(4, torch.float32), {"float32"}))
    for n in (2, 3):
        cases.append(_make_case(random_function(rng, n, cross=True), point(n, torch.float64), {"float64", "cross"}))
    cases.append(_make_case(quadratic_form(rng, 3), point(3, torch.float64), {"float64", "cross"}))
    trap = _node("add", _const(FD_OFFSET), random_function(rng, 3, cross=True))
    cases.append(_make_case(trap, point(3, torch.float64), {"fd_trap"}))
    return tuple(cases)
