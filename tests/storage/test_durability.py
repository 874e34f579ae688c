"""Durability: a killed app loses no acknowledged submission, and retries after restart duplicate none.

A child process (durability_app.py) plays the app: 20 writer threads each submit 50
answers through the public API and report each acknowledged id on a pipe. The test
kills it with SIGKILL in mid-stream, starts it again (the same clicks are retried with
the same idempotency keys), and then checks the database against every acknowledgement.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from grader.storage import Database, create_account, get_submission, open_database, sign_in
from grader.storage.database import PROJECT_ROOT, reading
from grader.storage.schema import submissions

from .conftest import fast_policy
from .durability_app import click_key, verdict_for

WRITERS, ANSWERS = 20, 50
KILL_AFTER_ACKS = 300
APP = Path(__file__).with_name("durability_app.py")


def start_app(url: str, tokens_file: Path, stderr: Path) -> subprocess.Popen[str]:
    with stderr.open("w") as errors:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(
            [sys.executable, str(APP), url, str(tokens_file), str(ANSWERS)],
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
            cwd=PROJECT_ROOT,
            env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
        )


def read_acks(app: subprocess.Popen[str], kill_after: int | None, deadline: float) -> dict[str, int]:
    """Collect 'ack KEY ID' lines until the app exits; SIGKILL it once ``kill_after`` acks are in."""
    acks: dict[str, int] = {}
    assert app.stdout is not None
    for line in app.stdout:
        if not line.endswith("\n"):
            continue  # a torn last line would not be an acknowledgement (os.write makes none)
        tag, key, submission_id = line.split()
        assert tag == "ack" and key not in acks
        acks[key] = int(submission_id)
        if kill_after is not None and len(acks) == kill_after:
            app.send_signal(signal.SIGKILL)
        if time.monotonic() > deadline:
            app.kill()
            pytest.fail("the app took too long")
    app.stdout.close()
    app.wait(timeout=max(1.0, deadline - time.monotonic()))
    return acks


@pytest.mark.slow
def test_killed_app_loses_no_acknowledged_submission(database_url: str, tmp_path: Path) -> None:
    """Kill the app mid-stream, restart it, retry every click: all acked ids present, none duplicated."""
    with open_database(database_url, policy=fast_policy()) as db:
        tokens = []
        for writer in range(WRITERS):
            create_account(db, f"writer{writer:02}", "long enough")
            tokens.append(sign_in(db, f"writer{writer:02}", "long enough").token)
    tokens_file = tmp_path / "tokens.txt"
    tokens_file.write_text("\n".join(tokens))
    deadline = time.monotonic() + 60

    first = start_app(database_url, tokens_file, tmp_path / "first.err")
    acked = read_acks(first, KILL_AFTER_ACKS, deadline)
    assert first.returncode == -signal.SIGKILL, (tmp_path / "first.err").read_text()
    assert KILL_AFTER_ACKS <= len(acked) < WRITERS * ANSWERS, "the kill did not land mid-stream"

    second = start_app(database_url, tokens_file, tmp_path / "second.err")
    retried = read_acks(second, None, deadline)
    assert second.returncode == 0, (tmp_path / "second.err").read_text()

    everything = {click_key(w, n) for w in range(WRITERS) for n in range(ANSWERS)}
    assert set(retried) == everything
    changed = {key: (acked[key], retried[key]) for key in acked if retried[key] != acked[key]}
    assert changed == {}, "a retried click got a new id"
    assert len(set(retried.values())) == WRITERS * ANSWERS
    with open_database(database_url) as db:
        check_database(db, retried)


def check_database(db: Database, ids: dict[str, int]) -> None:
    """Exactly one row per click, each with its answer and its one verdict."""
    with reading(db) as connection:
        rows = connection.execute(select(submissions.c.idempotency_key, submissions.c.id)).all()
        statuses = dict(
            connection.execute(select(submissions.c.status, func.count()).group_by(submissions.c.status)).all()
        )
    assert Counter(key for key, _ in rows).most_common(1)[0][1] == 1, "a click was stored twice"
    assert dict(rows) == ids
    assert statuses == {"graded": WRITERS * ANSWERS}
    for key, submission_id in list(ids.items())[::97]:
        stored = get_submission(db, submission_id)
        assert stored.idempotency_key == key
        assert stored.verdict == verdict_for(stored.response)
