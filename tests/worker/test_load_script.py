"""The load test (benchmarks/load.py) still runs end to end, and its scaling summary is right.

The numbers it measures belong in docs/deploy.md, not here: this only checks, on a tiny
load, that every submission is graded exactly once and that the report adds up.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import load  # noqa: E402


def report(workers: int, throughput: float, killed: bool = False) -> dict:
    return {"workers": workers, "throughput": throughput, "killed_one": killed}


def test_scaling_summary_uses_medians_and_pairs_in_order() -> None:
    reports = [report(1, 20.0), report(2, 30.0), report(1, 25.0), report(2, 50.0), report(1, 24.0),
               report(2, 44.0), report(2, 10.0, killed=True)]
    summary = load.scaling_summary(reports)
    # the killed run is left out; pairs 1.50, 2.00, 1.83 (median 1.83); medians 44 / 24
    assert "2 workers / 1 worker: 1.83x, the median of 3 pairs (1.50x, 2.00x, 1.83x)" in summary
    assert "ratio of the median throughputs 44.00 / 24.00 verdicts/s = 1.83x" in summary
    drifting = [report(1, 30.0), report(2, 57.0), report(1, 20.0), report(2, 38.0), report(1, 25.0),
                report(2, 40.0)]
    # pairs 1.90, 1.90, 1.60: median 1.90; medians 40 / 25 = 1.60
    assert "1.90x, the median of 3 pairs" in load.scaling_summary(drifting)
    assert "= 1.60x" in load.scaling_summary(drifting)
    assert load.scaling_summary([report(1, 20.0), report(2, 35.0)]).endswith("1.75x (35.00 / 20.00 verdicts/s)")
    assert load.scaling_summary([report(1, 20.0)]) == ""


@pytest.mark.slow
@pytest.mark.parametrize("mode", [[], ["--backlog"]], ids=["students", "backlog"])
def test_load_script_grades_everything_exactly_once(mode: list[str], tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    result = subprocess.run(
        [sys.executable, "benchmarks/load.py", "--students", "4", "--per-student", "3", "--mix", "code",
         "--rate", "20", "--runs", "1", "--wait-quiet", "0", "--retry-noisy", "0", "--timeout", "120",
         "--json", str(out), *mode],
        cwd=ROOT, capture_output=True, text=True, timeout=400)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    (run,) = json.loads(out.read_text())
    assert (run["submitted"], run["code"], run["graded"], run["deliveries"]) == (12, 12, 12, 12)
    assert run["errors"] == {} and run["exactly_once"] is True
    assert run["backlog"] is bool(mode)
    assert run["throughput"] > 0 and run["max_queue_depth"] >= (11 if mode else 0)
