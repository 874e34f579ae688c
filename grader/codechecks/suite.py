"""The contract every check suite follows, and the grading loop they share.

A suite is a property-based test of one function against a trusted reference. Checklist:

1. `name` (the registry key), `function_name` and `signature` (shown on the problem page), and
   `parameters`: the names the exercise calls the function with, positionally; `options`: the
   numbers a problem variant may set (the problem YAML's `answer.options`).
2. `cases(seed, options)`: a list of `Case`s, each one call of the student's function described as data
   (see `grader.sandbox.values`) plus the reference answer, computed here in the grader with
   its own torch. Cases vary shapes, dtypes and functions with the seed; the same seed gives
   the same cases (cached), so feedback is deterministic.
3. `tests`: named `Property`s. Each looks at some cases and returns, per case, None (holds) or a
   sentence saying what went wrong. A test passes when it holds on all its cases; otherwise its
   message names the smallest failing input (cases are ordered by `size`).
4. Reference code never leaves the grader: only argument descriptors go to the sandbox, and the
   child returns plain values that `Property.check` reads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from grader.sandbox import CallOutcome, values

from grader.codechecks.report import TestResult


@dataclass(frozen=True)
class Case:
    """One call: its arguments as data, a description for messages, and the reference."""

    args: tuple[dict[str, Any], ...]
    label: str  # "f(x) = …, x = [...] (float64)"
    size: tuple[float, ...]  # smaller sorts first when reporting the smallest failure
    expected: Any  # the reference answer (tensors in float64), used only in the grader
    tags: frozenset[str] = field(default_factory=frozenset)  # which properties look at it
    info: dict[str, Any] = field(default_factory=dict)  # facts a property needs (dtype, n, scale)
    brief: str = ""  # a few words naming the input in a list, e.g. "n=3 float64"

    def call(self) -> dict[str, Any]:
        return {"args": list(self.args)}


Checker = Callable[[Case, dict[str, Any]], "str | None"]


@dataclass(frozen=True)
class Property:
    """A named test: `check(case, value)` on the cases tagged `tag` (None if it holds)."""

    name: str
    tag: str
    what: str  # what a pass means, e.g. "every output has shape (n, n)"
    check: Checker
    hint: str = ""  # added to a failure: what to do about it


class Suite:
    name: str
    function_name: str
    signature: str
    parameters: tuple[str, ...]
    description: str
    tests: tuple[Property, ...]
    options: tuple[str, ...] = ()  # numbers a problem's variant may set (e.g. "a", "b")

    def cases(self, seed: int, options: dict | None = None) -> list[Case]:
        raise NotImplementedError


def grade(suite: Suite, cases: Sequence[Case], calls: Sequence[CallOutcome], finished: bool) -> list[TestResult]:
    """Run every property over the call outcomes; cases without an outcome did not run."""
    results = []
    for prop in suite.tests:
        chosen = sorted((i for i, c in enumerate(cases) if prop.tag in c.tags), key=lambda i: cases[i].size)
        failures: list[tuple[int, str]] = []
        for i in chosen:
            if i >= len(calls):
                failures.append((i, "it did not run: " + ("the run stopped before this input" if not finished else "no result")))
                continue
            outcome = calls[i]
            if not outcome.ok:
                assert outcome.error is not None
                where = f" (line {outcome.error.line})" if outcome.error.line else ""
                failures.append((i, f"your function raised {outcome.error.type}{where}: {outcome.error.message}"))
                continue
            assert outcome.value is not None
            problem = prop.check(cases[i], outcome.value)
            if problem is None and prop.tag == "unchanged" and outcome.changed_inputs:
                problem = "your function modified its tensor argument in place"
            if problem:
                failures.append((i, problem))
        results.append(_result(prop, cases, chosen, failures))
    return results


def _result(prop: Property, cases: Sequence[Case], chosen: list[int], failures: list[tuple[int, str]]) -> TestResult:
    count = len(chosen)
    if not failures:
        inputs = ", ".join(cases[i].brief for i in chosen if cases[i].brief)
        listed = f" ({inputs})" if inputs else ""
        return TestResult(prop.name, True, f"Checked on {count} input{'s' * (count != 1)}{listed}: {prop.what}.")
    index, problem = failures[0]  # chosen is sorted by size: the first failure is the smallest
    return TestResult(
        prop.name,
        False,
        f"Failed on {len(failures)} of {count} inputs. Smallest failing input: {cases[index].label}. "
        f"{problem[0].upper()}{problem[1:]}." + (f" {prop.hint}" if prop.hint else ""),
    )


def as_tensor(value: dict[str, Any], expected_shape: Sequence[int]) -> tuple[Any, str | None]:
    """The returned tensor as float64 for comparison, or a sentence saying why it is not one."""
    from grader.codechecks import formatting

    want = formatting.shape(expected_shape)
    if value.get("kind") != "tensor":
        return None, f"expected a tensor of shape {want}, got {values.describe(value)}"
    if list(value["shape"]) != list(expected_shape):
        return None, f"expected shape {want}, got {values.describe(value)}"
    if value.get("data") is None:
        return None, f"the returned tensor could not be read ({value.get('note') or 'no data'})"
    return values.decode_tensor(value), None


# -- property checks several suites share -------------------------------------------------------

def check_shape(case: Case, value: dict[str, Any]) -> str | None:
    """The output is a tensor of the reference's shape."""
    return as_tensor(value, case.expected.shape)[1]


def check_dtype(case: Case, value: dict[str, Any]) -> str | None:
    """The output is a tensor with the input's dtype (``case.info["dtype"]``)."""
    if value.get("kind") != "tensor":
        return f"expected a tensor, got {values.describe(value)}"
    if value["dtype"] != case.info["dtype"]:
        return f"expected dtype {case.info['dtype']} (the dtype of x), got {value['dtype']}"
    return None


def check_close(case: Case, value: dict[str, Any]) -> str | None:
    """Entries within ``rtol`` of the reference, with an absolute floor of rtol times its
    largest entry (so tiny entries of a large output are not judged on noise)."""
    from grader.codechecks import formatting

    got, problem = as_tensor(value, case.expected.shape)
    if problem:
        return problem
    scale = float(case.expected.abs().max()) or 1.0
    rtol = case.info["rtol"]
    return formatting.mismatch(got, case.expected, rtol=rtol, atol=rtol * scale)
