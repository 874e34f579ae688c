"""The instructor's gradebook: students by problems, best effective score in each cell.

Storage only knows the parts that someone has submitted to; the problem bank knows them
all. Pass ``parts`` (problem id -> its part ids, in display order) to get every column
and to count a part nobody submitted as 0 in a problem's total.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
from sqlalchemy import func, select

from grader.storage.accounts import check_role
from grader.storage.database import Database, reading
from grader.storage.regrades import effective_verdicts
from grader.storage.schema import accounts, submissions


def best_scores(db: Database, *, role: str | None = "student") -> pd.DataFrame:
    """Return one row per (username, problem_id, part_id) with a graded attempt, and its ``best_score``."""
    view = effective_verdicts()
    query = (
        select(accounts.c.username, submissions.c.problem_id, submissions.c.part_id, func.max(view.score))
        .select_from(view.source.join(accounts, accounts.c.id == submissions.c.account_id))
        .where(view.graded)
        .group_by(accounts.c.username, submissions.c.problem_id, submissions.c.part_id)
        .order_by(accounts.c.username, submissions.c.problem_id, submissions.c.part_id)
    )
    if role is not None:
        query = query.where(accounts.c.role == check_role(role))
    with reading(db) as connection:
        rows = [tuple(row) for row in connection.execute(query)]
    frame = pd.DataFrame.from_records(rows, columns=["username", "problem_id", "part_id", "best_score"])
    frame["best_score"] = frame["best_score"].astype(float)
    return frame


def gradebook(
    db: Database,
    *,
    parts: Mapping[str, Sequence[str]] | None = None,
    by: str = "problem",
    role: str | None = "student",
) -> pd.DataFrame:
    """Return the gradebook as a DataFrame indexed by username (every account with ``role``).

    ``by="problem"``: one column per problem, the mean over its parts of the best score
    per part, a part without a graded attempt counting 0; NaN when the student has no
    graded attempt on any part of that problem (not attempted is not the same as 0).

    ``by="part"``: one column per (problem_id, part_id), the best score, NaN when there is
    no graded attempt.
    """
    if by not in ("problem", "part"):
        raise ValueError(f"by must be 'problem' or 'part', got {by!r}")
    query = select(accounts.c.username).order_by(accounts.c.username)
    if role is not None:
        query = query.where(accounts.c.role == check_role(role))
    with reading(db) as connection:
        usernames = list(connection.execute(query).scalars())
    best = best_scores(db, role=role)
    if parts is None:
        columns = list(best[["problem_id", "part_id"]].drop_duplicates().itertuples(index=False, name=None))
        columns.sort()
    else:
        columns = [(problem, part) for problem, part_ids in parts.items() for part in part_ids]
    index = pd.Index(usernames, name="username")
    scores = {(username, problem, part): score for username, problem, part, score in best.itertuples(index=False)}
    by_part = pd.DataFrame(
        [[scores.get((username, *column), float("nan")) for column in columns] for username in usernames],
        index=index,
        columns=pd.MultiIndex.from_arrays(
            [[problem for problem, _ in columns], [part for _, part in columns]], names=["problem_id", "part_id"]
        ),
        dtype=float,
    )
    if by == "part":
        return by_part
    problems = list(dict.fromkeys(problem for problem, _ in columns))
    totals = pd.DataFrame(index=index, columns=pd.Index(problems, name="problem_id"), dtype=float)
    for problem in problems:
        cells = by_part.loc[:, [column for column in columns if column[0] == problem]]
        totals[problem] = cells.fillna(0.0).mean(axis=1).where(cells.notna().any(axis=1))
    return totals
