"""Deciding the layers: what a probe failure turns off, and what covering /root means."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from grader.sandbox import confinement
from grader.sandbox.limits import Limits

FULL = confinement.Plan(
    limits=Limits(), namespaces=True, uid=61000, landlock_abi=7, seccomp=True,
    read_paths=("/usr",), covers=(("/root", ("/root/.pyenv",)),), hidden=("/run",),
)
ALL_ACTIVE = {name: "active" for name in confinement.LAYERS}


@pytest.mark.parametrize(
    ("failed", "expected"),
    [
        ("landlock", {"landlock_abi": 0}),
        ("seccomp", {"seccomp": False}),
        ("uid-drop", {"uid": None}),
        ("private-tmp", {"namespaces": False, "covers": (), "hidden": ()}),
    ],
)
def test_degrade_turns_off_what_failed_and_says_why(failed, expected):
    """A layer that failed in the probe is not applied again, and is reported with its error."""
    probe = {**ALL_ACTIVE, failed: "OSError: [Errno 1] Operation not permitted"}
    plan = confinement.degrade(FULL, probe)
    for field, value in expected.items():
        assert getattr(plan, field) == value
    assert plan.unavailable[failed] == "failed in the start-up probe: OSError: [Errno 1] Operation not permitted"
    layers = {entry["name"]: entry for entry in confinement.describe_plan(plan, probe)}
    assert layers[failed]["active"] is False and "Operation not permitted" in layers[failed]["detail"]


def test_degrade_keeps_a_plan_that_worked():
    assert confinement.degrade(FULL, ALL_ACTIVE) is FULL


def test_covers_find_root_only_ancestors():
    """A 0700 directory on the way to a read path is covered, and only that path is bound back."""
    base = Path(tempfile.mkdtemp())  # directly under /tmp, which anyone may traverse
    try:
        base.chmod(0o755)
        home = base / "home"
        (home / "python" / "lib").mkdir(parents=True)
        (home / "secrets").mkdir()
        home.chmod(0o700)
        covers = confinement._covers((str(home / "python" / "lib"),), uid=65534)
        assert covers == ((str(home), (str(home / "python"),)),)
    finally:
        shutil.rmtree(base)
