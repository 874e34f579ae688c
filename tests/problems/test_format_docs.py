"""problems/README.md documents every key of the format, and its example is a valid problem."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from grader.problems.instance import instantiate
from grader.problems.loading import load_file
from grader.problems.model import Mistake, Parameter, Part, Problem
from grader.problems.schema import problem_schema

from conftest import ROOT

GUIDE = (ROOT / "problems" / "README.md").read_text(encoding="utf-8")
EXAMPLE = re.search(r"## A complete example.*?```yaml\n(.*?)```", GUIDE, re.S).group(1)


@pytest.mark.parametrize("model", [Problem, Part, Parameter, Mistake], ids=lambda m: m.__name__)
def test_every_key_is_in_the_example(model):
    """Each key of the format appears in the guide's complete example."""
    for key in model.model_fields:
        assert re.search(rf"(^|[\s{{,]){key}:", EXAMPLE, re.M), f"{model.__name__}.{key}"


def test_example_is_a_valid_problem():
    """The guide's example loads without errors and instantiates at several seeds."""
    loaded = load_file(Path("example.yaml"), EXAMPLE, name="example.yaml")
    assert loaded.errors == ()
    for seed in range(3):
        instance = instantiate(loaded.problem, seed)
        assert instance.part("eigenvalues").response


def test_schema_file_is_current():
    """problems/schema.json is what `python -m grader schema` prints."""
    stored = json.loads((ROOT / "problems" / "schema.json").read_text(encoding="utf-8"))
    assert stored == problem_schema()


def test_schema_describes_answers():
    """The schema offers every answer type for a part's answer."""
    schema = problem_schema()
    choices = schema["$defs"]["Part"]["properties"]["answer"]["oneOf"]
    titles = {c["$ref"].rsplit("/", 1)[1] for c in choices}
    assert {"ExpressionAnswer", "SetAnswer", "MatrixAnswer", "ChoiceAnswer"} <= titles
