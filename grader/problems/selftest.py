"""``selftest``: prove every problem right before a student sees it.

For every problem, part and seed: the reference answer, typed as a student would, scores 1;
every anticipated mistake scores below 1 and gets its own feedback; hints and solutions
render (templates compute, LaTeX is supported).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from grader.problems.grading import grade_part
from grader.problems.instance import InstanceError, instantiate
from grader.problems.latex_check import latex_problems
from grader.problems.model import Problem
from grader.problems.validation import markdown_fields

__all__ = ["SelftestRow", "selftest", "format_table"]


@dataclass
class SelftestRow:
    problem: str
    part: str
    seeds: int = 0
    reference_passed: int = 0
    mistakes_passed: int = 0
    mistakes_total: int = 0
    rendered: int = 0
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


def selftest(problems: Iterable[Problem], seeds: int = 20) -> list[SelftestRow]:
    rows: list[SelftestRow] = []
    for problem in problems:
        table = {part.id: SelftestRow(problem.id, part.id) for part in problem.parts}
        rows.extend(table.values())
        for seed in range(seeds):
            try:
                instance = instantiate(problem, seed)
            except InstanceError as exc:
                for row in table.values():
                    row.failures.append(f"seed {seed}: {exc}")
                continue
            rendering = {path: latex_problems(text) for path, text in markdown_fields(instance)}
            for part in instance.parts:
                row = table[part.id]
                row.seeds += 1
                result = grade_part(instance, part.id, part.response)
                if result.score == 1.0:
                    row.reference_passed += 1
                else:
                    row.failures.append(f"seed {seed}: the reference {part.response!r} scored "
                                        f"{result.score}: {result.feedback}")
                for j, mistake in enumerate(part.mistakes):
                    row.mistakes_total += 1
                    graded = grade_part(instance, part.id, mistake.response)
                    if graded.score < 1 and mistake.feedback in graded.feedback:
                        row.mistakes_passed += 1
                    else:
                        row.failures.append(
                            f"seed {seed}: mistake {j} ({mistake.response!r}) scored "
                            f"{graded.score} with feedback {graded.feedback[:80]!r}")
                own = [f"{path}: {p}" for path, problems in rendering.items()
                       if path.startswith(("statement", "solution")) or
                       path.startswith(f"parts[{instance.part_ids.index(part.id)}]")
                       for p in problems]
                if own:
                    row.failures.extend(f"seed {seed}: {p}" for p in own)
                else:
                    row.rendered += 1
    return rows


def format_table(rows: list[SelftestRow]) -> str:
    header = ("problem", "part", "seeds", "reference", "mistakes", "rendered", "result")
    body = [(r.problem, r.part, str(r.seeds), f"{r.reference_passed}/{r.seeds}",
             f"{r.mistakes_passed}/{r.mistakes_total}", f"{r.rendered}/{r.seeds}",
             "ok" if r.ok else "FAIL") for r in rows]
    widths = [max(len(x) for x in column) for column in zip(header, *body)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(header, widths))]
    lines.append("  ".join("-" * w for w in widths))
    lines.extend("  ".join(c.ljust(w) for c, w in zip(line, widths)) for line in body)
    for row in rows:
        for failure in row.failures[:5]:
            lines.append(f"FAIL {row.problem}/{row.part}: {failure}")
        if len(row.failures) > 5:
            lines.append(f"FAIL {row.problem}/{row.part}: ... {len(row.failures) - 5} more")
    return "\n".join(lines)
