"""Hard time bounds for checks that run inside the calling thread.

A check mostly runs our own bounded numeric code, which calls :meth:`Deadline.check` as it
goes. The rare symbolic fallback runs sympy, which can take arbitrarily long and does not
ask; for it :func:`time_limit` has a watchdog thread raise an exception *inside* the
checking thread when time is up (``PyThreadState_SetAsyncExc``). That works for Python code,
which is what sympy is; it works from any thread, unlike ``signal.alarm``, which Streamlit's
script threads cannot use. The exception derives from BaseException so that sympy's many
``except Exception`` blocks cannot swallow it; it becomes a CheckTimeout at the boundary.
"""

from __future__ import annotations

import ctypes
import heapq
import itertools
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from grader.errors import CheckTimeout

__all__ = ["Deadline", "time_limit"]

REFIRE_SECONDS = 0.05  # raise again if a broad except clause swallowed the first one


class _Expired(BaseException):
    """Raised asynchronously in a thread whose time limit passed."""


class Deadline:
    """A point in time after which cooperative code stops with CheckTimeout."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expires = time.monotonic() + seconds

    def remaining(self) -> float:
        return self.expires - time.monotonic()

    def check(self) -> None:
        if time.monotonic() > self.expires:
            raise CheckTimeout(f"the check took longer than its {self.seconds:g} s limit")


class _Watchdog:
    """One daemon thread that interrupts threads whose limits have passed."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.wake = threading.Condition(self.lock)
        self.heap: list[tuple[float, int, int]] = []   # (when, ticket, thread id)
        self.active: dict[int, int] = {}               # ticket -> thread id
        self.tickets = itertools.count()
        self.thread: threading.Thread | None = None

    def start(self, seconds: float) -> int:
        with self.lock:
            ticket = next(self.tickets)
            ident = threading.get_ident()
            self.active[ticket] = ident
            heapq.heappush(self.heap, (time.monotonic() + seconds, ticket, ident))
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self._run, name="grader-watchdog",
                                               daemon=True)
                self.thread.start()
            self.wake.notify()
            return ticket

    def stop(self, ticket: int) -> None:
        with self.lock:
            ident = self.active.pop(ticket, None)
            if ident is not None:
                # Clear an interruption that was sent but not yet delivered.
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident), None)

    def _run(self) -> None:
        with self.lock:
            while True:
                while not self.heap:
                    self.wake.wait()
                when, ticket, ident = self.heap[0]
                delay = when - time.monotonic()
                if delay > 0:
                    self.wake.wait(delay)
                    continue
                heapq.heappop(self.heap)
                if ticket in self.active:
                    ctypes.pythonapi.PyThreadState_SetAsyncExc(
                        ctypes.c_ulong(ident), ctypes.py_object(_Expired))
                    heapq.heappush(self.heap, (time.monotonic() + REFIRE_SECONDS, ticket, ident))


_WATCHDOG = _Watchdog()


@contextmanager
def time_limit(seconds: float) -> Iterator[Deadline]:
    """Run the block for at most ``seconds``; raise CheckTimeout if it takes longer."""
    deadline = Deadline(seconds)
    ticket = _WATCHDOG.start(seconds)
    try:
        yield deadline
    except _Expired:
        raise CheckTimeout(f"the check took longer than its {seconds:g} s limit") from None
    finally:
        try:
            _WATCHDOG.stop(ticket)
        except _Expired:
            # Delivered while we were already leaving: the limit has passed, say so.
            _WATCHDOG.stop(ticket)
            raise CheckTimeout(f"the check took longer than its {seconds:g} s limit") from None
