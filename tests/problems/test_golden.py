"""Golden files: each problem's references and anticipated mistakes, graded across seeds.

A change to the answer engine or a problem that alters any verdict or feedback fails here;
if the change is intended, refresh with ``pytest tests/problems/test_golden.py
--update-goldens`` and review the diff of tests/golden/.
"""

from __future__ import annotations

import json

import pytest

import grader
from grader.problems import instantiate
from grader.problems.grading import grade_part

from conftest import ROOT

GOLDEN = ROOT / "tests" / "golden"
SUBMISSIONS = ROOT / "tests" / "codechecks" / "submissions"
SEEDS = (0, 1, 2)
PROBLEMS = [p.id for p in grader.list_problems()]


def _record(problem_id: str) -> dict:
    problem = grader.load_problem(problem_id)
    seeds = {}
    for seed in SEEDS:
        instance = instantiate(problem, seed)
        parts = {}
        for part in instance.parts:
            graded = [("reference", part.response)] + [
                (f"mistake {j}", m.response) for j, m in enumerate(part.mistakes)]
            if part.answer_type == "code" and seed == 0:
                # typical wrong submissions of the suite (written for the tutorial's numbers)
                folder = SUBMISSIONS / part.spec.suite
                graded += [(path.stem, path.read_text()) for path in sorted(folder.glob("wrong_*.py"))]
            parts[part.id] = {
                label: {"response": response, **{k: v for k, v in
                        grade_part(instance, part.id, response).to_dict().items()
                        if k in ("correct", "score", "feedback", "tests")}}
                for label, response in graded}
        seeds[str(seed)] = {"parameters": instance.parameters, "parts": parts}
    return {"problem": problem_id, "seeds": seeds}


@pytest.mark.parametrize("problem_id", PROBLEMS)
def test_golden(problem_id, request):
    """References and mistakes grade exactly as recorded."""
    path = GOLDEN / f"{problem_id}.json"
    record = _record(problem_id)
    if request.config.getoption("--update-goldens"):
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    assert path.exists(), f"no golden file for {problem_id}; run pytest --update-goldens"
    assert json.loads(path.read_text(encoding="utf-8")) == record


def test_no_stale_golden_files():
    """Every golden file belongs to a problem."""
    stale = sorted(p.stem for p in GOLDEN.glob("*.json"))
    assert set(stale) <= set(PROBLEMS), set(stale) - set(PROBLEMS)
