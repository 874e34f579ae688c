"""One sandbox pool per test module, and a way to see every process it left behind."""

from __future__ import annotations

import os
from typing import Iterator

import pytest

from grader.sandbox import SandboxPool


@pytest.fixture(scope="module")
def pool() -> Iterator[SandboxPool]:
    with SandboxPool(size=2) as started:
        yield started


def processes() -> dict[int, tuple[int, int]]:
    """{pid: (parent pid, real uid)} for every process on the machine, from /proc."""
    table = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status") as handle:
                fields = dict(line.split(":", 1) for line in handle if ":" in line)
        except OSError:  # exited while we looked
            continue
        table[int(entry)] = (int(fields["PPid"]), int(fields["Uid"].split()[0]))
    return table


def survivors(pool: SandboxPool) -> list[int]:
    """Processes that descend from a worker or run as a sandbox uid (there must be none between runs)."""
    table = processes()
    workers = set(pool.worker_pids())
    found = []
    for pid, (parent, uid) in table.items():
        if uid in pool.child_uids:
            found.append(pid)
            continue
        ancestor, hops = parent, 0
        while ancestor > 1 and hops < 64:
            if ancestor in workers:
                found.append(pid)
                break
            ancestor, hops = table.get(ancestor, (0, 0))[0], hops + 1
    return sorted(found)
