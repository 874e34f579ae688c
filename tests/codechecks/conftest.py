"""One sandbox pool per test module."""

from __future__ import annotations

from typing import Iterator

import pytest

from grader.sandbox import SandboxPool


@pytest.fixture(scope="module")
def pool() -> Iterator[SandboxPool]:
    with SandboxPool(size=2) as started:
        yield started
