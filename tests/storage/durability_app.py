"""A stand-in for the app under load, for test_durability.py: writer threads that submit answers.

Usage: python durability_app.py DATABASE_URL TOKENS_FILE ANSWERS_PER_WRITER

Each line of TOKENS_FILE is the session token of one student (one writer thread). Every
writer does what a page does on each Submit click, through the public API only:
authenticate the session, ``record_submission`` with the click's idempotency key, then
``record_verdict``. After ``record_submission`` returns, the writer prints
``ack KEY ID`` with one ``os.write`` on stdout, a pipe the test reads: once written, the
line is in the kernel and survives this process being killed. Keys are derived from
(writer, answer number), so running the script again retries exactly the same clicks, as
browsers resending after a restart would.

Before writing, the script grades whatever earlier runs left ungraded, as a worker
starting after a crash would.
"""

from __future__ import annotations

import os
import sys
import threading
import uuid

from grader.storage import authenticate, list_ungraded, open_database, record_submission, record_verdict

NAMESPACE = uuid.UUID("6b1f5c1e-2f4a-4c4e-9a57-3c1d2e0f9b10")


def click_key(writer: int, number: int) -> str:
    """The idempotency key of writer ``writer``'s ``number``-th Submit click."""
    return str(uuid.uuid5(NAMESPACE, f"{writer}/{number}"))


def verdict_for(response: str) -> dict[str, object]:
    """A deterministic verdict, so the test can check the stored one."""
    score = (sum(map(ord, response)) % 5) / 4
    return {"score": score, "correct": score == 1.0, "feedback": f"graded {response}"}


def main() -> int:
    url, tokens_file, answers = sys.argv[1], sys.argv[2], int(sys.argv[3])
    tokens = open(tokens_file).read().split()
    db = open_database(url, pool_size=len(tokens))
    for pending in list_ungraded(db, limit=100_000):
        record_verdict(db, pending.id, verdict_for(pending.response))
    failures: list[BaseException] = []

    def write(writer: int, token: str) -> None:
        try:
            account = authenticate(db, token)
            for number in range(answers):
                key, response = click_key(writer, number), f"writer {writer} answer {number}"
                submission_id = record_submission(
                    db,
                    account_id=account.id,
                    problem_id=f"p{number % 5}",
                    part_id="a",
                    seed=writer,
                    answer_kind="number",
                    response=response,
                    idempotency_key=key,
                )
                os.write(1, f"ack {key} {submission_id}\n".encode())
                record_verdict(db, submission_id, verdict_for(response))
        except BaseException as error:  # noqa: BLE001 - reported below
            failures.append(error)
            raise

    threads = [threading.Thread(target=write, args=(n, token)) for n, token in enumerate(tokens)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    db.close()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
