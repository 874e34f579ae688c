"""Tests for grader/storage/export.py."""

from __future__ import annotations

import io
import json

import pandas as pd

from grader.storage import Database, export_account_data, record_regrade, save_draft

from .classroom import fill
from .conftest import FakeClock


def test_export_is_json_and_csv_ready(db: Database, clock: FakeClock) -> None:
    """The export holds the account's own rows only, as JSON types, without secrets."""
    classroom = fill(db, clock)
    ann = classroom.accounts["ann"]
    record_regrade(db, classroom.submissions[0], {"score": 0.25}, label="v2")
    record_regrade(db, classroom.submissions[7], {"score": 1.0}, label="v2")  # cat's, not exported
    save_draft(db, account_id=ann, problem_id="p2", part_id="b", seed=1, text="half done")
    export = export_account_data(db, ann)
    text = json.dumps(export)
    assert "password" not in text and "token" not in text
    assert export["account"]["username"] == "ann"
    assert [row["id"] for row in export["submissions"]] == classroom.submissions[:5]
    assert export["submissions"][0]["submitted_at"] == "2026-03-02T09:01:00+00:00"
    assert export["submissions"][2]["correct"] is True
    assert [row["submission_id"] for row in export["regrades"]] == [classroom.submissions[0]]
    assert [row["text"] for row in export["drafts"]] == ["half done"]
    csv = io.StringIO()
    pd.DataFrame(export["submissions"]).to_csv(csv, index=False)
    assert csv.getvalue().count("\n") == 6


def test_export_of_an_account_without_data(db: Database, clock: FakeClock) -> None:
    """An account with nothing stored exports empty lists."""
    classroom = fill(db, clock)
    export = export_account_data(db, classroom.accounts["dan"])
    assert (export["submissions"], export["regrades"], export["drafts"]) == ([], [], [])
