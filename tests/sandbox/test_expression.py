"""Expression trees: the whitelist, evaluation under autograd and torch.func, readable text."""

import pytest
import torch

from grader.sandbox import expression

X = {"op": "x"}


def node(op, *args, **extra):
    return {"op": op, "args": list(args), **extra}


SIN_CROSS = node("sin", node("mul", node("index", X, index=0), node("index", X, index=1)))
POLY = node("sum", node("pow", X, exponent=3))
QUADRATIC_FORM = node("matmul", X, node("matmul", {"op": "matrix", "value": [[2.0, 1.0], [1.0, 3.0]]}, X))


@pytest.mark.parametrize(
    ("tree", "text"),
    [
        (SIN_CROSS, "sin(x[0]*x[1])"),
        (POLY, "sum(x**3)"),
        (node("sub", X, node("add", X, {"op": "const", "value": 1})), "x - (x + 1)"),
        (node("div", X, node("mul", X, X)), "x/(x*x)"),
        (node("exp", node("neg", X)), "exp(-(x))"),
        (QUADRATIC_FORM, "x@([[2, 1], [1, 3]]@x)"),
    ],
)
def test_describe_renders_readable_text(tree, text):
    """Feedback shows the function in plain notation with only the needed parentheses."""
    assert expression.describe(tree) == text


@pytest.mark.parametrize(
    ("tree", "fragment"),
    [
        ({"op": "system", "args": []}, "unknown op 'system'"),
        (node("sin"), "takes 1 argument"),
        ({"op": "const", "value": "1"}, "numeric 'value'"),
        (node("index", X, index="0"), "integer 'index'"),
        ({"op": "matrix", "value": [["a"]]}, "list (of lists) of numbers"),
        ("x", "expected a node"),
    ],
)
def test_validate_rejects_malformed_trees(tree, fragment):
    """A malformed tree names the problem and where it is."""
    with pytest.raises(expression.ExpressionError, match=None) as raised:
        expression.validate(tree)
    assert fragment in str(raised.value)


def test_validate_bounds_depth():
    """Trees nested deeper than MAX_DEPTH are refused before any evaluation."""
    tree = X
    for _ in range(expression.MAX_DEPTH + 2):
        tree = node("sin", tree)
    with pytest.raises(expression.ExpressionError, match="nested deeper"):
        expression.validate(tree)


# torch.func warns once about torch.jit.script internally; not ours to fix.
@pytest.mark.filterwarnings("ignore:`torch.jit.script` is deprecated:DeprecationWarning")
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_functions_work_with_autograd_and_torch_func(dtype):
    """A built function gives the same Hessian through autograd.functional and torch.func."""
    f = expression.build_function(node("add", SIN_CROSS, node("add", POLY, QUADRATIC_FORM)))
    x = torch.tensor([0.3, -0.7], dtype=dtype)
    by_autograd = torch.autograd.functional.hessian(f, x)
    by_func = torch.func.hessian(f)(x)
    a, b = x.tolist()
    c = torch.cos(torch.tensor(a * b, dtype=torch.float64)).item()
    s = torch.sin(torch.tensor(a * b, dtype=torch.float64)).item()
    expected = torch.tensor(
        [[-(b**2) * s + 6 * a + 4, c - a * b * s + 2], [c - a * b * s + 2, -(a**2) * s + 6 * b + 6]],
        dtype=torch.float64,
    )
    tolerance = 1e-5 if dtype == torch.float32 else 1e-12
    assert torch.allclose(by_autograd.double(), expected, atol=tolerance)
    assert torch.allclose(by_func.double(), expected, atol=tolerance)
    assert by_autograd.dtype == dtype
