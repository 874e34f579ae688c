"""The non-root path: the sandbox started by an unprivileged user degrades honestly and holds.

On a root machine (CI) the probe script runs as uid 65534 via `setpriv`. The interpreter lives
under /root/.pyenv and /root is mode 0700, so uid 65534 could not even start Python: the test
first enters a private mount namespace (`unshare --mount`), covers each root-only ancestor of
the interpreter and the repository with an empty 0755 tmpfs, and moves the needed subtree back
into place there, the same trick the sandbox itself uses for its children. The host's
directories are never changed.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from grader.sandbox import confinement

pytestmark = pytest.mark.slow

REPOSITORY = Path(__file__).resolve().parents[2]
PROBE = Path(__file__).with_name("unprivileged_probe.py")
NOBODY = 65534


def unprivileged_command() -> list[str]:
    python = os.path.realpath(sys.executable)
    environment = ["PATH=/usr/bin:/bin", "HOME=/nonexistent", "PYTHONDONTWRITEBYTECODE=1"]
    environment += [f"{k}={os.environ[k]}" for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE") if k in os.environ]
    run = ["env", "-i", *environment, python, "-I", str(PROBE)]
    if os.geteuid() != 0:
        return run  # already unprivileged
    needed = tuple(confinement.plan(confinement.Limits(), NOBODY, "/nonexistent").read_paths) + (str(REPOSITORY),)
    lines = ["set -e"]
    for number, (ancestor, keep) in enumerate(confinement._covers(needed, NOBODY)):
        holders = []
        for index, path in enumerate(keep):
            holder = f"/run/grader-unprivileged-{os.getpid()}-{number}-{index}"
            holders.append(holder)
            lines += [f"mkdir -p {holder}", f"mount --bind {shlex.quote(path)} {holder}"]
        lines.append(f"mount -t tmpfs -o mode=0755 tmpfs {shlex.quote(ancestor)}")
        for holder, path in zip(holders, keep):
            lines += [f"mkdir -p {shlex.quote(path)}", f"mount --move {holder} {shlex.quote(path)}", f"rmdir {holder}"]
    setpriv = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", "--inh-caps=-all"]
    lines.append("exec " + shlex.join(setpriv + run))
    return ["unshare", "--mount", "--propagation", "private", "sh", "-c", "\n".join(lines)]


def test_unprivileged_sandbox_degrades_and_holds():
    """As uid 65534: root-only layers are reported unavailable; Landlock, seccomp, rlimits hold."""
    completed = subprocess.run(unprivileged_command(), capture_output=True, text=True, timeout=180, cwd="/")
    assert completed.returncode == 0, completed.stderr[-3000:]
    report = json.loads(completed.stdout.strip().splitlines()[-1])
    assert report["uid"] != 0
    layers = report["layers"]
    assert {name for name, (active, _) in layers.items() if not active} == {"namespaces", "private-tmp", "uid-drop"}
    assert "needs root" in layers["uid-drop"][1]
    attacks = report["attacks"]
    assert {name: (a["status"], a["category"]) for name, a in attacks.items()} == {
        "read /etc/passwd": ("completed", "forbidden"),
        "read a reference": ("completed", "forbidden"),
        "write /tmp": ("completed", "forbidden"),
        "fork": ("completed", "forbidden"),
        "tcp": ("completed", "forbidden"),
        "unix socket": ("completed", "forbidden"),
        "kill worker": ("completed", "forbidden"),
        "memory": ("completed", "memory_limit"),
        "loop": ("timeout", None),
        "benign": ("completed", None),
    }
    assert attacks["benign"]["value"] == {"kind": "number", "value": 4.0}
    assert report["checks"] == {"correct_nested_grad": ["passed", 1.0], "wrong_diagonal_only": ["failed", 0.4444]}
    assert report["escaped_file"] is False
