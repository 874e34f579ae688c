"""The JSON Schema of the problem format, for editors that validate YAML as you type."""

from __future__ import annotations

from typing import Any

from grader.answers import ANSWER_TYPES
from grader.problems.model import Problem

__all__ = ["problem_schema"]


def problem_schema() -> dict[str, Any]:
    """Problem file schema, with each part's ``answer`` as one of the answer types' schemas."""
    schema = Problem.model_json_schema()
    definitions = schema.setdefault("$defs", {})
    choices = []
    for name, module in sorted(ANSWER_TYPES.items()):
        answer = module.Spec.model_json_schema(ref_template="#/$defs/{model}")
        definitions.update(answer.pop("$defs", {}))
        title = f"{name.capitalize()}Answer"
        answer["title"] = title
        answer["properties"]["type"] = {"const": name, "description": f"A {name} answer."}
        answer["required"] = sorted(set(answer.get("required", [])) | {"type"})
        definitions[title] = answer
        choices.append({"$ref": f"#/$defs/{title}"})
    part = definitions["Part"]
    part["properties"]["answer"] = {"oneOf": choices, "description": "The answer spec."}
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Problem file (format 1)"
    return schema
