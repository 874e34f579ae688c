"""Wrong answers grouped by mathematical equivalence, for the instructor's analytics page.

Students type the same misconception in many forms (``3, 1``, ``{1, 3}``, ``\\{3,1\\}``);
counting typed strings would scatter it. :func:`group_wrong_answers` clusters the wrong
answers to one part so each group is one mathematical answer:

- an answer that matched an anticipated mistake joins that mistake's group, across seeds;
- other math answers are clustered per seed (another seed has other numbers), greedily: each
  answer is checked against each group's representative *as if the representative were the
  reference*, with the part's own answer type, variables and tolerances; the first group it
  equals takes it, otherwise it starts a new group;
- unreadable answers group by their error message, code by what failed (status and failing
  tests), choices and labels by the normalised text.

Each group carries its count, the students, a few typed forms, the feedback it got, and a
ready-to-paste ``mistakes:`` YAML snippet, so a common wrong answer becomes an anticipated
mistake with specific feedback.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from grader.answers import check_parsed, load_spec
from grader.errors import GraderError
from grader.problems.instance import MATH_TYPES, InstanceError, instantiate
from grader.problems.model import Problem

__all__ = ["AnswerGroup", "group_wrong_answers", "mistake_snippet", "MAX_DISTINCT"]

MAX_DISTINCT = 400      # distinct wrong answers compared per part (the rest are counted as is)
CHECK_TIMEOUT = 1.0     # seconds per comparison


@dataclass(frozen=True)
class AnswerGroup:
    """One wrong answer, however it was typed, and how often it was given."""

    kind: str                      # "mistake", "math", "unreadable", "code", "text"
    representative: str            # one response as typed
    count: int                     # submissions in the group
    students: int                  # distinct accounts
    responses: tuple[str, ...]     # distinct typed forms, most common first (up to 5)
    feedback: str                  # the feedback most of them got
    mean_score: float
    seed: int | None = None        # the variant, for groups formed within one seed
    mistake: int | None = None     # index of the anticipated mistake it matched
    read_as: str | None = None
    snippet: str = ""              # a `mistakes:` entry to paste into the problem file
    parameters: dict[str, str] = field(default_factory=dict)


@dataclass
class _Member:
    response: str
    account_id: int
    verdict: dict[str, Any]


@dataclass
class _Group:
    key: tuple
    kind: str
    members: list[_Member] = field(default_factory=list)
    spec: Any = None
    seed: int | None = None
    mistake: int | None = None


def _is_wrong(submission) -> bool:
    verdict = submission.verdict
    return (submission.status == "graded" and verdict is not None
            and not verdict.get("correct") and verdict.get("status") != "unknown")


def group_wrong_answers(problem: Problem, part_id: str, submissions: Sequence[Any]) -> list[AnswerGroup]:
    """Group the graded wrong answers to ``part_id`` among ``submissions`` (storage
    ``Submission`` values of any parts); the largest group first."""
    part = next((p for p in problem.parts if p.id == part_id), None)
    if part is None:
        raise KeyError(f"problem {problem.id!r} has no part {part_id!r}")
    kind = str(part.answer.get("type"))
    groups: dict[tuple, _Group] = {}
    math_groups: dict[int, list[_Group]] = {}
    compared = 0
    for submission in submissions:
        if submission.part_id != part_id or not _is_wrong(submission):
            continue
        verdict = submission.verdict
        member = _Member(submission.response, submission.account_id, verdict)
        if verdict.get("status") == "invalid" or verdict.get("error"):
            key: tuple = ("unreadable", (verdict.get("error") or "").splitlines()[0][:200])
            groups.setdefault(key, _Group(key, "unreadable")).members.append(member)
        elif verdict.get("mistake") is not None:
            key = ("mistake", int(verdict["mistake"]))
            groups.setdefault(key, _Group(key, "mistake", mistake=int(verdict["mistake"]))) \
                .members.append(member)
        elif kind == "code":
            failed = tuple(t.get("name", "") for t in verdict.get("tests") or ()
                           if not t.get("passed"))
            key = ("code", (verdict.get("details") or {}).get("code_status"), failed)
            groups.setdefault(key, _Group(key, "code")).members.append(member)
        elif kind in MATH_TYPES:
            seed_groups = math_groups.setdefault(submission.seed, [])
            target = None
            for group in seed_groups:
                if group.members[0].response == member.response:
                    target = group
                    break
            if target is None and compared < MAX_DISTINCT:
                compared += 1
                target = next((g for g in seed_groups if _equal(g.spec, member.response)), None)
            if target is None:
                key = ("math", submission.seed, len(seed_groups))
                target = _Group(key, "math", spec=_spec_for(part.answer, member.response),
                                seed=submission.seed)
                seed_groups.append(target)
                groups[key] = target
            target.members.append(member)
        else:
            key = ("text", " ".join(member.response.lower().split()))
            groups.setdefault(key, _Group(key, "text")).members.append(member)
    result = [_summary(problem, part_id, group) for group in groups.values()]
    result.sort(key=lambda g: (-g.count, g.kind, g.representative))
    return result


def _spec_for(answer: dict, response: str):
    """The part's answer spec with ``response`` as its reference (None if that cannot be)."""
    mapping = {key: value for key, value in answer.items() if key not in ("reference",)}
    mapping.update(reference=response, timeout=CHECK_TIMEOUT, counterexample=False)
    try:
        return load_spec(mapping)
    except (GraderError, ValueError, TypeError):
        return None


def _equal(spec, response: str) -> bool:
    if spec is None:
        return False
    try:
        return bool(check_parsed(spec, response).correct)
    except Exception:  # a comparison that fails is "not shown equal", never a crash
        return False


def _summary(problem: Problem, part_id: str, group: _Group) -> AnswerGroup:
    typed = Counter(member.response for member in group.members)
    feedback = Counter(str(member.verdict.get("feedback") or "") for member in group.members)
    scores = [float(member.verdict.get("score") or 0.0) for member in group.members]
    representative = typed.most_common(1)[0][0]
    read_as = next((m.verdict.get("read_as") for m in group.members
                    if m.response == representative and m.verdict.get("read_as")), None)
    parameters: dict[str, str] = {}
    if group.seed is not None:
        try:
            parameters = dict(instantiate(problem, group.seed).parameters)
        except InstanceError:
            parameters = {}
    top_feedback = feedback.most_common(1)[0][0]
    snippet = ""
    if group.kind == "math":
        snippet = mistake_snippet(representative, group.seed, parameters, len(group.members))
    return AnswerGroup(
        kind=group.kind, representative=representative, count=len(group.members),
        students=len({m.account_id for m in group.members}),
        responses=tuple(text for text, _ in typed.most_common(5)), feedback=top_feedback,
        mean_score=round(sum(scores) / len(scores), 4) if scores else 0.0, seed=group.seed,
        mistake=group.mistake, read_as=read_as, snippet=snippet, parameters=parameters)


def mistake_snippet(response: str, seed: int | None, parameters: dict[str, str],
                    count: int) -> str:
    """A ``mistakes:`` entry for the problem file, with a comment saying which variant the
    numbers come from (rewrite them with the parameters so every seed matches)."""
    values = ", ".join(f"{name} = {value}" for name, value in parameters.items())
    entry = yaml.safe_dump([{"answer": response,
                             "feedback": "Explain the misconception here."}],
                           allow_unicode=True, sort_keys=False, width=1000)
    lines = [f"# given {count} time{'s' if count != 1 else ''} at seed {seed}"
             + (f" ({values})" if values else "")
             + "; write the answer with the parameters so it matches every seed",
             "mistakes:"] + ["  " + line for line in entry.rstrip().splitlines()]
    return "\n".join(lines)
