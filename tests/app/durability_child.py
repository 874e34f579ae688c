"""Plays the app for test_durability.py: writer threads submitting through GradingService.

Usage: python durability_child.py DATABASE_URL TOKENS_FILE ANSWERS_PER_WRITER

Each writer does what the problem page does on a Submit click: authenticate the session
token, then ``GradingService.submit`` with the click's idempotency key (store, grade, store
the verdict). When ``submit`` returns, the verdict would be shown: the writer prints
``ack KEY ID STATUS`` with one ``os.write`` on stdout (a pipe the test reads). Keys come from
(writer, answer number), so a second run retries exactly the same clicks, as browsers
resending after a restart would.
"""

from __future__ import annotations

import os
import sys
import threading
import uuid

from grader.service import GradingService
from grader.storage import authenticate, open_database

NAMESPACE = uuid.UUID("0b7d3a52-8a0e-4d8b-9d0c-52a1d8f1e6a1")
ANSWERS = ("2, 3", "1, 2", r"\frac{5-\sqrt{5}}{2}, \frac{5+\sqrt{5}}{2}", "5/2", "(1, 2")


def click_key(writer: int, number: int) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{writer}/{number}"))


def response_for(writer: int, number: int) -> str:
    return ANSWERS[(writer + number) % len(ANSWERS)]


def main() -> int:
    url, tokens_file, answers = sys.argv[1], sys.argv[2], int(sys.argv[3])
    tokens = open(tokens_file).read().split()
    db = open_database(url, pool_size=len(tokens))
    service = GradingService(db)
    failures: list[BaseException] = []

    def write(writer: int, token: str) -> None:
        try:
            account = authenticate(db, token)
            for number in range(answers):
                key = click_key(writer, number)
                outcome = service.submit(account_id=account.id, problem_id="eigen-2x2",
                                         part_id="eigenvalues", seed=0,
                                         response=response_for(writer, number),
                                         idempotency_key=key, answer_kind="set")
                os.write(1, f"ack {key} {outcome.submission_id} {outcome.status}\n".encode())
        except BaseException as error:  # noqa: BLE001 - reported by the exit code
            failures.append(error)
            raise

    threads = [threading.Thread(target=write, args=(n, t)) for n, t in enumerate(tokens)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    db.close()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
