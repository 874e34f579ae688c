"""Regrade every stored submission of a problem after its YAML changed, and report the diff.

The original verdicts stay on record (see ``grader.storage.regrades``); each run gets a
label, and :func:`regrade_problem` returns that run's changes: who, which answer, score and
feedback before and after.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

import pandas as pd

from grader import storage
from grader.service import grade_submission

__all__ = ["RegradeReport", "regrade_problem", "changes_frame"]


@dataclass(frozen=True)
class RegradeReport:
    label: str
    regraded: int
    failed: tuple[tuple[int, str], ...]          # (submission id, why it could not be graded)
    changes: tuple[storage.RegradeChange, ...]   # only those whose verdict changed


def regrade_problem(db: storage.Database, problem_id: str, *, part_id: str | None = None,
                    label: str | None = None, problems_directory=None) -> RegradeReport:
    """Grade every stored answer to ``problem_id`` again with the current problem file."""
    label = label or f"regrade {datetime.now(timezone.utc):%Y-%m-%d %H:%M:%S}"
    regraded, failed = 0, []
    for submission in storage.submissions_for_regrade(db, problem_id, part_id=part_id):
        try:
            record = grade_submission(problem_id, submission.part_id, submission.seed,
                                      submission.response, problems_directory)
        except Exception as exc:  # a part that no longer exists, a broken file: report it
            failed.append((submission.id, f"{type(exc).__name__}: {exc}"))
            continue
        storage.record_regrade(db, submission.id, record, label=label)
        regraded += 1
    changes = tuple(c for c in storage.regrade_changes(db, problem_id, part_id=part_id,
                                                       label=label) if c.changed)
    return RegradeReport(label, regraded, tuple(failed), changes)


def changes_frame(changes) -> pd.DataFrame:
    """The changes as a table an instructor reads: one row per changed verdict."""
    return pd.DataFrame(
        [{"submission": c.submission_id, "student": c.username, "part": c.part_id,
          "seed": c.seed, "response": c.response, "score before": c.before_score,
          "score after": c.after_score, "feedback before": c.before_feedback,
          "feedback after": c.after_feedback} for c in changes],
        columns=["submission", "student", "part", "seed", "response", "score before",
                 "score after", "feedback before", "feedback after"])
