"""The bundled bank: the tutorial's five exercises with their fixed part ids, and a problem
for every concept, each with parameters, hints, a worked solution and anticipated mistakes."""

from __future__ import annotations

import pytest

import grader
from grader.problems import instantiate

PROBLEMS = {p.id: p for p in grader.list_problems()}

TUTORIAL = {
    "eigen-2x2": {"eigenvalues", "eigenvectors"},
    "chain-rule-composite": {"derivative", "autograd"},
    "quartic-critical-points": {"gradient", "hessian", "critical-points", "classification"},
    "gaussian-nll-gradients": {"grad-mu", "grad-sigma", "code"},
    "hessian-autograd": {"code"},
}


def test_bank_size_and_no_broken_files():
    """At least 18 problems load, and no bundled file is broken."""
    assert len(PROBLEMS) >= 18
    assert grader.problems.default_bank().errors == {}


@pytest.mark.parametrize("problem_id, parts", sorted(TUTORIAL.items()))
def test_tutorial_exercises_have_their_parts(problem_id, parts):
    """The five tutorial exercises exist with the part ids the tutorial uses."""
    assert parts <= {part.id for part in PROBLEMS[problem_id].parts}


@pytest.mark.parametrize("problem_id", sorted(PROBLEMS))
def test_every_problem_is_complete(problem_id):
    """Parameters, hints, a worked solution and at least two anticipated mistakes."""
    problem = PROBLEMS[problem_id]
    assert problem.parameters, "no parameters: every seed would be the same"
    assert all(part.hints for part in problem.parts), "a part without hints"
    assert problem.solution.strip()
    assert sum(len(part.mistakes) for part in problem.parts) >= 2


@pytest.mark.parametrize("problem_id", sorted(PROBLEMS))
def test_variants_differ(problem_id):
    """Other seeds give other numbers than the tutorial's seed 0."""
    problem = PROBLEMS[problem_id]
    tutorial = instantiate(problem, 0).parameters
    assert any(instantiate(problem, seed).parameters != tutorial for seed in range(1, 6))


def test_tutorial_numbers_at_seed_zero():
    """Seed 0 is the tutorial's own numbers: A = [[2, 1], [1, 3]], f = x^4 + y^4 - 4xy + 1."""
    eigen = instantiate(PROBLEMS["eigen-2x2"], 0)
    assert eigen.parameters == {"a": "2", "b": "1", "c": "3"}
    quartic = instantiate(PROBLEMS["quartic-critical-points"], 0)
    assert quartic.part("critical-points").response == "(-1, -1), (0, 0), (1, 1)"
    chain = instantiate(PROBLEMS["chain-rule-composite"], 0)
    assert grader.grade_part(PROBLEMS["chain-rule-composite"], "derivative",
                             "-4x e^(-2x^2) cos(e^(-2x^2))").correct
    assert chain.part("autograd").spec.options == {"a": 1.0, "b": 1.0}
