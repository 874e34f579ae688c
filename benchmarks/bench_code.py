"""Benchmark: seconds per Hessian verdict, naive fresh-interpreter design vs the zygote pool.

    python benchmarks/bench_code.py [--rounds 10] [--naive 6] [--throughput 120]

(a) naive: one fresh `python` per submission that imports torch and runs the same calls through
    the same harness (with no confinement at all, which only flatters it);
(b) ours: `run_checks` on a started `SandboxPool(size=2)`, one verdict at a time for latency,
    then two client threads at once for throughput.
Both use the example submissions in tests/codechecks/submissions/hessian (correct and wrong) and
the same seed, and both end in a CodeReport built by the same code. Targets on 2 cores: median
≤ 50 ms per verdict and ≥ 25 verdicts/s with 2 workers. Not a test: numbers vary with the load.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SUBMISSIONS = sorted((ROOT / "tests" / "codechecks" / "submissions" / "hessian").glob("*.py"))
SUITE = "hessian"
SEED = 0


def naive_child(result_fd: int) -> None:
    """Inside the fresh interpreter: import torch cold, run the harness, exit."""
    os.environ["OMP_NUM_THREADS"] = "1"
    import tempfile

    import torch

    torch.set_num_threads(1)
    from grader.sandbox import harness

    request = json.loads(sys.stdin.read())
    with tempfile.TemporaryDirectory() as scratch:
        harness.run(request, scratch, result_fd)


def naive_verdict(source: str) -> tuple[float, str]:
    from grader.codechecks import get_suite
    from grader.codechecks.runner import report
    from grader.sandbox.outcome import interpret

    started = time.perf_counter()
    suite = get_suite(SUITE)
    cases = suite.cases(SEED)
    request = json.dumps({"source": source, "function": suite.function_name, "calls": [c.call() for c in cases]})
    read_end, write_end = os.pipe()
    child = subprocess.Popen([sys.executable, __file__, "--naive-child", str(write_end)], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, pass_fds=(write_end,))
    os.close(write_end)
    assert child.stdin is not None and child.stdout is not None
    child.stdin.write(request.encode())
    child.stdin.close()
    chunks = []
    while chunk := os.read(read_end, 1 << 16):
        chunks.append(chunk)
    os.close(read_end)
    output = child.stdout.read()
    code = child.wait()
    result = interpret({"stopped": None, "exit_code": code, "signal": None, "elapsed": 0.0}, output, b"".join(chunks),
                       len(cases), 65536)
    verdict = report(suite, cases, result, SEED)
    return time.perf_counter() - started, verdict.status


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=10, help="latency rounds over all submissions (ours)")
    parser.add_argument("--naive", type=int, default=6, help="naive verdicts (each starts python + torch)")
    parser.add_argument("--throughput", type=int, default=120, help="verdicts for the 2-thread throughput run")
    args = parser.parse_args()

    from grader.codechecks import run_checks
    from grader.sandbox import SandboxPool

    sources = [(path.name, path.read_text()) for path in SUBMISSIONS]
    print(f"{len(sources)} Hessian submissions: {', '.join(name for name, _ in sources)}")

    naive_times, naive_statuses = [], {}
    for i in range(args.naive):
        name, source = sources[i % len(sources)]
        seconds, status = naive_verdict(source)
        naive_times.append(seconds)
        naive_statuses[name] = status

    with SandboxPool(size=2) as pool:
        for name, source in sources:  # one untimed pass: first touches of each code path
            run_checks(SUITE, source, pool, seed=SEED)
        ours_times, by_submission, ours_statuses = [], {}, {}
        for _ in range(args.rounds):
            for name, source in sources:
                started = time.perf_counter()
                verdict = run_checks(SUITE, source, pool, seed=SEED)
                seconds = time.perf_counter() - started
                ours_times.append(seconds)
                by_submission.setdefault(name, []).append(seconds)
                ours_statuses[name] = verdict.status
        mismatched = {n: (s, ours_statuses[n]) for n, s in naive_statuses.items() if ours_statuses[n] != s}

        counter = iter(range(args.throughput))
        lock = threading.Lock()

        def client() -> None:
            while True:
                with lock:
                    index = next(counter, None)
                if index is None:
                    return
                name, source = sources[index % len(sources)]
                run_checks(SUITE, source, pool, seed=SEED)

        started = time.perf_counter()
        clients = [threading.Thread(target=client) for _ in range(2)]
        for thread in clients:
            thread.start()
        for thread in clients:
            thread.join()
        throughput = args.throughput / (time.perf_counter() - started)

    naive_median, ours_median = statistics.median(naive_times), statistics.median(ours_times)
    print()
    print(f"{'design':34s} {'verdicts':>8s} {'median s':>9s} {'p95 s':>8s}")
    print(f"{'(a) naive: fresh python + torch':34s} {len(naive_times):8d} {naive_median:9.3f} {percentile(naive_times, 0.95):8.3f}")
    print(f"{'(b) zygote pool, one at a time':34s} {len(ours_times):8d} {ours_median:9.3f} {percentile(ours_times, 0.95):8.3f}")
    print()
    print("(b) per submission, median s:")
    for name, times in by_submission.items():
        print(f"    {name:34s} {statistics.median(times):7.3f}  {ours_statuses[name]}")
    print()
    print(f"throughput, 2 workers, 2 client threads: {throughput:.1f} verdicts/s ({args.throughput} verdicts)")
    print(f"speed-up of the median (naive / ours): {naive_median / ours_median:.0f}x")
    print(f"target median <= 0.050 s: {'met' if ours_median <= 0.050 else 'NOT met'}; "
          f"target >= 25 verdicts/s: {'met' if throughput >= 25 else 'NOT met'}")
    if mismatched:
        print(f"WARNING: naive and pool verdicts differ: {mismatched}")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--naive-child":
        naive_child(int(sys.argv[2]))
    else:
        main()
