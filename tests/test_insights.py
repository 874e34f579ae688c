"""grader.insights: wrong answers grouped by mathematical equivalence."""

from __future__ import annotations

from types import SimpleNamespace

import yaml

from grader.insights import group_wrong_answers
from grader.problems import default_bank
from grader.service import grade_submission


def submissions(problem_id, part_id, answers):
    """(account, seed, response) -> graded submission-like values."""
    return [SimpleNamespace(part_id=part_id, status="graded", response=response, seed=seed,
                            account_id=account,
                            verdict=grade_submission(problem_id, part_id, seed, response))
            for account, seed, response in answers]


def test_equivalent_answers_form_one_group():
    """'1, 2', '2,1' and '{1, 2}' are one answer; right answers are left out."""
    problem = default_bank().get("eigen-2x2")
    groups = group_wrong_answers(problem, "eigenvalues", submissions("eigen-2x2", "eigenvalues", [
        (1, 0, "1, 2"), (2, 0, "2,1"), (3, 0, r"\{1, 2\}"), (4, 0, "7, 8"),
        (5, 0, "5/2 - sqrt(5)/2, 5/2 + sqrt(5)/2")]))
    assert [(g.kind, g.count, g.students) for g in groups] == [("math", 3, 3), ("math", 1, 1)]
    assert set(groups[0].responses) == {"1, 2", "2,1", r"\{1, 2\}"}
    assert "Missing" in groups[0].feedback


def test_anticipated_mistakes_group_across_seeds():
    """The diagonal-entries mistake at two seeds is one group, named by its index."""
    problem = default_bank().get("eigen-2x2")
    groups = group_wrong_answers(problem, "eigenvalues", submissions("eigen-2x2", "eigenvalues", [
        (1, 0, "2, 3"), (2, 0, "3, 2")]))
    [group] = groups
    assert (group.kind, group.mistake, group.count) == ("mistake", 0, 2)
    assert "diagonal entries" in group.feedback and group.snippet == ""


def test_other_seeds_are_other_groups():
    """The same numbers at another seed are another exercise: separate groups."""
    problem = default_bank().get("eigen-2x2")
    groups = group_wrong_answers(problem, "eigenvalues", submissions("eigen-2x2", "eigenvalues", [
        (1, 0, "1, 2"), (2, 5, "1, 2")]))
    assert sorted(g.seed for g in groups) == [0, 5]


def test_snippet_is_valid_yaml_with_the_variant():
    """The snippet parses as a mistakes: list and names the seed's parameters."""
    problem = default_bank().get("eigen-2x2")
    [group] = group_wrong_answers(problem, "eigenvalues", submissions("eigen-2x2", "eigenvalues", [
        (1, 0, "1, 2")]))
    assert "seed 0 (a = 2, b = 1, c = 3)" in group.snippet
    parsed = yaml.safe_load(group.snippet)
    assert parsed["mistakes"][0]["answer"] == "1, 2"


def test_unreadable_answers_group_by_message():
    """Unreadable answers are grouped by what was wrong with them."""
    problem = default_bank().get("eigen-2x2")
    groups = group_wrong_answers(problem, "eigenvalues", submissions("eigen-2x2", "eigenvalues", [
        (1, 0, "(1, 2"), (2, 0, "(1, 2")]))
    assert [(g.kind, g.count) for g in groups] == [("unreadable", 2)]


def test_choice_answers_group_by_text():
    """Choices group by the normalised option text."""
    problem = default_bank().get("transpose-identities")
    groups = group_wrong_answers(problem, "rule", submissions("transpose-identities", "rule", [
        (1, 0, "B A"), (2, 0, "b a"), (3, 0, "A B^T")]))
    assert [g.count for g in groups] == [2, 1] or groups[0].kind == "mistake"


def test_code_answers_group_by_failing_tests():
    """Code answers group by status and failing tests (verdicts made by hand here)."""
    problem = default_bank().get("hessian-autograd")
    verdict = {"correct": False, "score": 0.5, "status": "partial", "feedback": "2 failed",
               "tests": [{"name": "symmetric", "passed": False}, {"name": "shape", "passed": True}],
               "details": {"code_status": "failed"}}
    items = [SimpleNamespace(part_id="code", status="graded", response=f"# {n}", seed=0,
                             account_id=n, verdict=verdict) for n in range(3)]
    [group] = group_wrong_answers(problem, "code", items)
    assert (group.kind, group.count) == ("code", 3)


def test_unknown_part_is_a_key_error():
    """Asking for a part the problem does not have says which."""
    import pytest

    with pytest.raises(KeyError, match="no part 'nope'"):
        group_wrong_answers(default_bank().get("eigen-2x2"), "nope", [])
