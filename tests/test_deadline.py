"""The hard time bound interrupts Python code that never checks the clock."""

from __future__ import annotations

import time

import pytest

from grader.deadline import time_limit
from grader.errors import CheckTimeout


def test_time_limit_interrupts_a_busy_loop():
    """A loop that never looks at the clock is stopped close to the limit."""
    start = time.monotonic()
    with pytest.raises(CheckTimeout):
        with time_limit(0.2):
            while True:
                pass
    assert time.monotonic() - start < 1.0


def test_time_limit_survives_broad_except():
    """Code that swallows Exception cannot swallow the interruption."""
    with pytest.raises(CheckTimeout):
        with time_limit(0.2):
            while True:
                try:
                    time.sleep(0.01)
                except Exception:  # noqa: BLE001 - this is what sympy does
                    pass


def test_finished_block_is_not_interrupted_later():
    """After a block ends in time, no stray interruption arrives afterwards."""
    with time_limit(0.05):
        total = sum(range(1000))
    time.sleep(0.2)
    assert total == 499500
