"""Check suites by name: the keys problem YAML files use under `answer: {type: code, suite: …}`."""

from __future__ import annotations

import difflib

from grader.codechecks.derivative import DerivativeSuite
from grader.codechecks.gaussian_nll import GaussianNllSuite
from grader.codechecks.hessian import HessianSuite
from grader.codechecks.hvp import HessianVectorSuite
from grader.codechecks.suite import Suite

SUITES: dict[str, Suite] = {
    suite.name: suite
    for suite in (HessianSuite(), DerivativeSuite(), GaussianNllSuite(), HessianVectorSuite())
}


def suite_names() -> tuple[str, ...]:
    return tuple(SUITES)


def get_suite(name: str) -> Suite:
    """The suite called `name`; an unknown name is an authoring error that lists the choices."""
    try:
        return SUITES[name]
    except KeyError:
        close = difflib.get_close_matches(name, SUITES, n=1)
        hint = f" — did you mean {close[0]!r}?" if close else ""
        raise KeyError(f"unknown code check suite {name!r}{hint}; expected one of {', '.join(SUITES)}") from None
