"""Tests for grader/storage/gradebook.py, on the class in classroom.py."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from grader.storage import Database, best_scores, gradebook, record_regrade

from .classroom import fill
from .conftest import FakeClock

NAN = float("nan")
STUDENTS = ["ann", "ben", "cat", "dan"]

# (keyword arguments, expected columns, expected rows by username)
CASES = [
    (
        {"by": "part"},
        [("p1", "a"), ("p1", "b")],
        {"ann": [1.0, 1.0], "ben": [1.0, 0.25], "cat": [0.0, NAN], "dan": [NAN, NAN]},
    ),
    (
        {},
        ["p1"],
        {"ann": [1.0], "ben": [0.625], "cat": [0.0], "dan": [NAN]},
    ),
    (
        {"parts": {"p1": ["a", "b", "c"], "p2": ["a"]}},
        ["p1", "p2"],
        {"ann": [2 / 3, NAN], "ben": [1.25 / 3, NAN], "cat": [0.0, NAN], "dan": [NAN, NAN]},
    ),
    (
        {"parts": {"p2": ["a"], "p1": ["b"]}, "by": "part"},
        [("p2", "a"), ("p1", "b")],
        {"ann": [NAN, 1.0], "ben": [NAN, 0.25], "cat": [NAN, NAN], "dan": [NAN, NAN]},
    ),
    (
        {"role": "instructor"},
        ["p1"],
        {"ivy": [1.0]},  # parts seen among instructors: only p1/a
    ),
]


@pytest.mark.parametrize(("options", "columns", "rows"), CASES)
def test_gradebook_values(
    db: Database,
    clock: FakeClock,
    options: dict,
    columns: list,
    rows: dict[str, list[float]],  # type: ignore[type-arg]
) -> None:
    """Best score per part; per problem the mean over its parts (missing part = 0, nothing graded = NaN)."""
    fill(db, clock)
    book = gradebook(db, **options)
    assert list(book.index) == list(rows) and book.index.name == "username"
    assert list(book.columns) == columns
    for username, expected in rows.items():
        got = list(book.loc[username])
        same = [(math.isnan(a) and math.isnan(b)) or a == pytest.approx(b) for a, b in zip(got, expected, strict=True)]
        assert all(same), f"{username}: {got} != {expected}"


def test_gradebook_uses_the_latest_regrade(db: Database, clock: FakeClock) -> None:
    """A regrade replaces the original score in the gradebook."""
    classroom = fill(db, clock)
    record_regrade(db, classroom.submissions[8], {"score": 1.0, "correct": True}, label="v2")
    assert gradebook(db, by="part").loc["cat", ("p1", "a")] == 1.0


def test_gradebook_of_an_empty_class(db: Database) -> None:
    """No accounts, no submissions: an empty frame, not an error."""
    book = gradebook(db)
    assert book.empty and book.index.name == "username"
    assert gradebook(db, by="part").empty


def test_best_scores_long_form(db: Database, clock: FakeClock) -> None:
    """best_scores is the gradebook in long form, one row per graded part per student."""
    fill(db, clock)
    expected = pd.DataFrame(
        [
            ("ann", "p1", "a", 1.0),
            ("ann", "p1", "b", 1.0),
            ("ben", "p1", "a", 1.0),
            ("ben", "p1", "b", 0.25),
            ("cat", "p1", "a", 0.0),
        ],
        columns=["username", "problem_id", "part_id", "best_score"],
    )
    pd.testing.assert_frame_equal(best_scores(db), expected, check_dtype=False)


def test_unknown_grouping(db: Database) -> None:
    """A typo in by= is an error that lists the choices."""
    with pytest.raises(ValueError, match="by must be 'problem' or 'part', got 'parts'"):
        gradebook(db, by="parts")
