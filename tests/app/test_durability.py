"""Durability of the app's Submit path: SIGKILL mid-stream loses nothing acknowledged.

A child process (durability_child.py) submits exactly as the problem page does, through
``GradingService.submit``: 20 writers × 50 answers. The test kills it with SIGKILL after
300 acknowledgements (verdicts shown), starts it again (every click retried with its
idempotency key), and checks the database: every acknowledged submission is there with the
same id, none is duplicated, and every submission ends up graded.
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
from argon2 import PasswordHasher
from sqlalchemy import func, select

from grader import storage
from grader.storage.database import reading
from grader.storage.schema import submissions

from .durability_child import click_key, response_for

WRITERS, ANSWERS, KILL_AFTER = 20, 50, 300
CHILD = Path(__file__).with_name("durability_child.py")
ROOT = Path(__file__).resolve().parents[2]


def run_child(url: str, tokens: Path, kill_after: int | None, errors: Path) -> tuple[dict, int]:
    with errors.open("w") as stderr:
        child = subprocess.Popen([sys.executable, str(CHILD), url, str(tokens), str(ANSWERS)],
                                 stdout=subprocess.PIPE, stderr=stderr, text=True, cwd=ROOT,
                                 env={**os.environ, "PYTHONPATH": str(ROOT)})
    acks: dict[str, int] = {}
    deadline = time.monotonic() + 240
    assert child.stdout is not None
    for line in child.stdout:
        if not line.endswith("\n"):
            continue   # a torn last line is no acknowledgement
        tag, key, submission_id, status = line.split()
        assert tag == "ack" and status == "graded"
        acks[key] = int(submission_id)
        if kill_after is not None and len(acks) == kill_after:
            child.send_signal(signal.SIGKILL)
        if time.monotonic() > deadline:
            child.kill()
            pytest.fail("the child took too long")
    child.stdout.close()
    return acks, child.wait(timeout=30)


@pytest.mark.slow
def test_sigkill_mid_stream_loses_no_acknowledged_submission(tmp_path):
    """Kill the app while 20 writers submit; after a restart every ack is stored once."""
    url = f"sqlite:///{tmp_path / 'durable.sqlite3'}"
    policy = storage.AccountPolicy(hasher=PasswordHasher(time_cost=1, memory_cost=8,
                                                         parallelism=1))
    with storage.open_database(url, policy=policy) as db:
        tokens = []
        for writer in range(WRITERS):
            storage.create_account(db, f"writer{writer:02}", "long enough")
            tokens.append(storage.sign_in(db, f"writer{writer:02}", "long enough").token)
    tokens_file = tmp_path / "tokens.txt"
    tokens_file.write_text("\n".join(tokens))

    first, code = run_child(url, tokens_file, KILL_AFTER, tmp_path / "first.err")
    assert code == -signal.SIGKILL, (tmp_path / "first.err").read_text()
    assert KILL_AFTER <= len(first) < WRITERS * ANSWERS

    second, code = run_child(url, tokens_file, None, tmp_path / "second.err")
    assert code == 0, (tmp_path / "second.err").read_text()
    assert len(second) == WRITERS * ANSWERS

    with storage.open_database(url) as db, reading(db) as connection:
        rows = connection.execute(select(submissions.c.id, submissions.c.idempotency_key,
                                         submissions.c.response, submissions.c.status,
                                         submissions.c.account_id)).all()
        total = connection.execute(select(func.count()).select_from(submissions)).scalar_one()
    by_key = {row.idempotency_key: row for row in rows}
    assert total == len(rows) == WRITERS * ANSWERS
    assert max(Counter(row.idempotency_key for row in rows).values()) == 1
    for key, submission_id in first.items():            # acknowledged before the kill
        assert by_key[key].id == submission_id == second[key]
    assert all(row.status == "graded" for row in rows)
    for writer in range(WRITERS):
        for number in range(ANSWERS):
            assert by_key[click_key(writer, number)].response == response_for(writer, number)
