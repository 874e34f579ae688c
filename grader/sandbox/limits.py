"""The resource limits one submission runs under.

Both sides read this module: the grader builds a `Limits`, sends it to each worker as JSON at
start-up, and the worker applies it to every child. It imports nothing but the standard library
because the worker loads it without importing the `grader` package (see `zygote.py`).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Any

KIB = 1024
MIB = 1024 * KIB
GIB = 1024 * MIB


@dataclass(frozen=True)
class Limits:
    """Per-submission limits; the defaults are the ones the grader is specified with.

    Wall-clock time is not here: it is a per-call argument of `SandboxPool.run`, because a
    problem may allow a slow check more time. The CPU limit follows it (`cpu_seconds`).
    """

    address_space: int = 2 * GIB  # RLIMIT_AS; torch itself maps ~600 MiB
    file_size: int = 16 * MIB  # RLIMIT_FSIZE: largest file the child may write
    open_files: int = 64  # RLIMIT_NOFILE
    threads: int = 64  # RLIMIT_NPROC, counted per sandbox uid (only enforceable after a uid drop)
    scratch_size: int = 32 * MIB  # size of the private tmpfs mounted on /tmp
    output: int = 64 * KIB  # captured stdout + stderr before the child is stopped
    result: int = MIB  # bytes on the result channel before the child is stopped
    cpu_margin: float = 1.0  # RLIMIT_CPU = ceil(timeout + cpu_margin) seconds

    def cpu_seconds(self, timeout: float) -> int:
        """CPU seconds for a run with this wall-clock `timeout` (the backstop behind the deadline)."""
        return max(1, math.ceil(timeout + self.cpu_margin))

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Limits":
        return cls(**data)
