"""Values crossing the boundary: arguments built from data, return values encoded as data."""

import json
import math

import numpy
import pytest
import torch

from grader.sandbox import values


def test_tensor_argument_round_trips():
    """An argument descriptor rebuilds the same tensor, dtype and requires_grad in the child."""
    tensor = torch.arange(6, dtype=torch.float32).reshape(2, 3) / 7
    descriptor = json.loads(json.dumps(values.tensor_argument(tensor, requires_grad=True)))
    rebuilt = values.build_argument(descriptor)
    assert torch.equal(rebuilt, tensor) and rebuilt.dtype == torch.float32 and rebuilt.requires_grad


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (torch.tensor([[1.0, 2.0]], dtype=torch.float64),
         {"kind": "tensor", "dtype": "float64", "shape": [1, 2], "data": [1.0, 2.0],
          "requires_grad": False, "grad_fn": None, "note": ""}),
        (3, {"kind": "number", "value": 3.0}),
        (True, {"kind": "bool", "value": True}),
        (None, {"kind": "none"}),
        (10**400, {"kind": "other", "type": "int (too large for a float)"}),
        (numpy.zeros(2), {"kind": "other", "type": "numpy.ndarray"}),
        ((1.5, None), {"kind": "sequence", "type": "tuple", "length": 2,
                       "items": [{"kind": "number", "value": 1.5}, {"kind": "none"}]}),
    ],
)
def test_encode_table(value, expected):
    """Return values become plain JSON data the grader can read without unpickling."""
    assert values.encode(value) == expected


def test_encode_keeps_autograd_facts_and_caps_size():
    """A returned tensor says whether it is attached to a graph; huge ones are not sent back."""
    x = torch.ones(2, requires_grad=True)
    encoded = values.encode(x * 2)
    assert encoded["requires_grad"] and encoded["grad_fn"] == "MulBackward0"
    big = values.encode(torch.zeros(values.MAX_ELEMENTS + 1))
    assert big["data"] is None and "were not sent back" in big["note"]


def test_non_finite_values_survive_json():
    """NaN and infinities travel through Python's JSON and decode back."""
    encoded = json.loads(json.dumps(values.encode(torch.tensor([math.nan, math.inf]))))
    decoded = values.decode_tensor(encoded)
    assert math.isnan(decoded[0]) and decoded[1] == math.inf


@pytest.mark.parametrize(
    ("encoded", "phrase"),
    [
        ({"kind": "tensor", "dtype": "float32", "shape": [3], "data": None}, "a float32 tensor of shape (3,)"),
        ({"kind": "tensor", "dtype": "float64", "shape": [2, 2], "data": None}, "a float64 tensor of shape (2, 2)"),
        ({"kind": "sequence", "type": "list", "length": 3, "items": []}, "a list of length 3"),
        ({"kind": "other", "type": "builtins.str"}, "an object of type builtins.str"),
    ],
)
def test_describe_table(encoded, phrase):
    assert values.describe(encoded) == phrase
