"""Load test of the scaled-out stack: simulated students, Redis, Celery workers, PostgreSQL.

    python benchmarks/load.py                          # 200 students, mixed, 1 and 2 workers, kill
    python benchmarks/load.py --mix code --runs 1 2    # code submissions only, 1 then 2 workers
    python benchmarks/load.py --runs 2kill             # 2 workers, one SIGKILLed mid-run
    python benchmarks/load.py --mix code --runs 1 2 1 2 1 2 --pin --backlog
                                                       # worker capacity: drain a full queue

Everything runs on this machine and is started and stopped here: a throwaway PostgreSQL
cluster (the test fixture's ``PostgresServer``, fsync off), a Redis server, and ``python -m
grader worker --concurrency 1`` processes (one per simulated worker machine). Each run gets a
fresh database and Redis database.

Students are threads of this process that act as the app does in queue mode: at its scheduled
time (arrivals are a Poisson process at ``--rate`` submissions/s in all) a student calls
``GradingService.submit`` (store, then enqueue), then ``poll`` every ``--poll`` seconds until the
verdict is there. Submissions are drawn from the problem bank: the reference typed as a student
would and the anticipated mistakes for math parts; the reference solutions and a broken variant
for code parts. Each verdict is compared with the one in-process grading gives.

With ``--backlog`` every submission is stored and queued before the workers start, and the
throughput is how fast the workers drain the queue, counted from the moment the last worker is
ready: the workers' own capacity, with PostgreSQL and Redis but without the students' submit
work on the same CPUs (in a deployment the app replicas run elsewhere).

Runs repeated in turn (``--runs 1 2 1 2 1 2``) are compared pair by pair: this machine's speed
drifts by several per cent within minutes, and consecutive runs share the drift. The summary
gives each pair's ratio and their median (the figure to quote), and the ratio of the median
throughputs.

Reported per run: throughput (verdicts/s from the first submission to the last verdict), time
to verdict from the database's timestamps (submitted_at to graded_at: p50/p95/p99) and as the
student saw it (submit to the poll that showed it), queue depth over time, errors (submit
failures, "failed" outcomes, verdicts unlike in-process grading, submissions never graded), how
many times jobs were delivered (Redis try counters) and written (worker logs), and the CPU the
machine and this load generator used. Exactly once is checked in the database: one stored
submission per submit, each with exactly one verdict, and one successful verdict write per
submission in the workers' logs.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import signal
import statistics
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
import redis  # noqa: E402
from argon2 import PasswordHasher  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from grader import storage  # noqa: E402
from grader.storage.schema import submissions  # noqa: E402
from grader.worker import CeleryQueue, queue_depth  # noqa: E402
from tests.storage.postgres_server import PostgresServer, find_bindir  # noqa: E402
from tests.worker.servers import RedisServer, WorkerProcess  # noqa: E402

WRITTEN = re.compile(r"grader\.grade\[submission-(\d+)-\w+\] succeeded in [\d.e-]+s: '(\w[\w ]*)'")


@dataclass(frozen=True)
class Item:
    """One answer a student may submit, and the verdict in-process grading gives it."""

    kind: str            # "math" or "code"
    problem: str
    part: str
    seed: int
    response: str
    expected: dict = field(hash=False, compare=False)


@dataclass
class Sent:
    item: Item
    student: int
    due: float
    submission_id: int | None = None
    submitted: float | None = None      # monotonic time the submit call returned
    seen: float | None = None           # monotonic time a poll showed the verdict
    status: str = "unsent"
    error: str = ""


def broken_code(source: str, function: str) -> str:
    """A plausible wrong submission: the reference's result doubled."""
    return (f"{source}\n\n_right = {function}\n\n\ndef {function}(*args):\n"
            f"    return 2 * _right(*args)\n")


def build_items(rng: random.Random, math_count: int, code_count: int) -> list[Item]:
    """Draw answers from the problem bank and grade each once in this process (the expectation)."""
    from grader.answers import code
    from grader.problems import default_bank, instantiate
    from grader.sandbox import SandboxPool
    from grader.service import grade_submission

    bank = default_bank()
    candidates: dict[str, list[tuple[str, str, int, str]]] = {"math": [], "code": []}
    for problem in bank.problems.values():
        for seed in range(4):
            instance = instantiate(problem, seed)
            for part in instance.parts:
                if part.answer_type == "code":
                    function = part.spec.suite_info.signature.split("(")[0]
                    candidates["code"].append((problem.id, part.id, seed, part.response))
                    candidates["code"].append((problem.id, part.id, seed,
                                               broken_code(part.response, function)))
                else:
                    responses = [part.response] + [m.response for m in part.mistakes]
                    candidates["math"].extend((problem.id, part.id, seed, r) for r in responses)
    chosen = ([("math", c) for c in rng.sample(candidates["math"], math_count)]
              + [("code", c) for c in rng.sample(candidates["code"], code_count)])
    with SandboxPool(size=2) as pool:
        code.configure_pool(pool)
        items = [Item(kind, *c, expected=grade_submission(*c)) for kind, c in chosen]
        code.configure_pool(None)
    return items


class CpuMeter:
    """Busy fraction of all CPUs (from /proc/stat) and CPU seconds of this process."""

    def __init__(self) -> None:
        self.start_machine = self._machine()
        self.start_self = time.process_time()
        self.start_wall = time.monotonic()

    @staticmethod
    def _machine() -> tuple[int, int]:
        with open("/proc/stat") as stat:
            values = [int(v) for v in stat.readline().split()[1:]]
        idle = values[3] + values[4]
        return sum(values) - idle, sum(values)

    def read(self) -> dict[str, float]:
        busy, total = self._machine()
        wall = time.monotonic() - self.start_wall
        return {"machine_busy": (busy - self.start_machine[0]) / max(1, total - self.start_machine[1]),
                "load_generator_cpu": (time.process_time() - self.start_self) / max(wall, 1e-9)}


TICKS = os.sysconf("SC_CLK_TCK")


def tree_cpu(pid: int) -> float:
    """CPU seconds of a process and all its descendants (reaped children included)."""
    total, stack = 0.0, [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            total += sum(int(v) for v in fields[11:15]) / TICKS   # utime stime cutime cstime
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    stack.extend(int(c) for c in children.read().split())
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def cpu_by_part(workers: list, pg: PostgresServer, broker: RedisServer,
                last_seen: dict[int, float]) -> dict[str, float]:
    """CPU seconds used so far by the workers, PostgreSQL, Redis and this load generator.

    A killed worker counts with the CPU it had used when last seen (``last_seen``, by pid).
    """
    postmaster = int((pg.datadir / "postmaster.pid").read_text().split()[0])
    for worker in workers:
        if worker.process.poll() is None:
            last_seen[worker.process.pid] = tree_cpu(worker.process.pid)
    return {"workers": sum(last_seen[w.process.pid] for w in workers),
            "postgresql": tree_cpu(postmaster), "redis": tree_cpu(broker.process.pid),
            "load generator": time.process_time()}


def wait_quiet(limit: float, longest: float) -> float:
    """Wait until the machine is idle (busy below ``limit`` over 3 s), at most ``longest`` seconds.

    Returns the busy fraction last measured: the numbers are only worth reporting when the
    benchmark has the machine to itself.
    """
    deadline = time.monotonic() + longest
    while True:
        meter = CpuMeter()
        time.sleep(3)
        busy = meter.read()["machine_busy"]
        if busy < limit or time.monotonic() > deadline:
            return busy
        print(f"  machine {100 * busy:.0f}% busy (other work); waiting for it to be quiet", flush=True)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return math.nan
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, math.ceil(q / 100 * len(ordered)) - 1))
    return ordered[index]


def run_scenario(name: str, workers: int, kill: bool, args, items: list[Item], pg: PostgresServer,
                 broker: RedisServer, redis_db: int, folder: Path) -> dict:
    """One run on a fresh database and Redis database; the workers it starts are always stopped."""
    processes: list[WorkerProcess] = []
    try:
        return _run_scenario(name, workers, kill, args, items, pg, broker, redis_db, folder, processes)
    finally:
        for process in processes:
            process.stop()


def _run_scenario(name: str, workers: int, kill: bool, args, items: list[Item], pg: PostgresServer,
                  broker: RedisServer, redis_db: int, folder: Path, processes: list) -> dict:
    from grader.service import GradingService

    database = f"load_{re.sub(r'[^a-z0-9]', '_', name.lower())}_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(pg.url("postgres"), autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {database}")
    database_url = pg.url(database)
    storage.migrate(database_url)
    broker_url = broker.url(redis_db)
    policy = storage.AccountPolicy(hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    db = storage.open_database(database_url, policy=policy, migrate=False,
                               pool_size=20, max_overflow=40)
    accounts = [storage.create_account(db, f"student{k:04d}", "correct horse battery").id
                for k in range(args.students)]
    queue = CeleryQueue(broker_url)
    service = GradingService(db, queue=queue)

    environment = {"GRADER_BROKER_URL": broker_url, "DATABASE_URL": database_url,
                   "GRADER_VISIBILITY_TIMEOUT": str(args.visibility_timeout)}
    logs = folder / database      # one folder per run: a run's logs hold only its own jobs

    def start_workers() -> None:
        processes.extend(WorkerProcess(f"{name}-w{k + 1}", logs / f"w{k + 1}.log", environment,
                                       cpu=k % (os.cpu_count() or 1) if args.pin else None)
                         for k in range(workers))
        for process in processes:
            process.start()
        for process in processes:
            process.wait_ready()

    if not args.backlog:
        start_workers()

    # The schedule: Poisson arrivals at args.rate, each a random student and a random item.
    rng = random.Random(args.seed)
    total = args.students * args.per_student
    code_items = [i for i in items if i.kind == "code"]
    math_items = [i for i in items if i.kind == "math"]
    moment, schedule = 0.0, []
    for _ in range(total):
        moment += rng.expovariate(args.rate)
        pool = code_items if rng.random() < args.code_share else math_items
        schedule.append(Sent(rng.choice(pool), rng.randrange(args.students), moment))
    by_student: dict[int, list[Sent]] = {}
    for sent in schedule:
        by_student.setdefault(sent.student, []).append(sent)

    client = redis.Redis.from_url(broker_url)
    client.flushdb()          # a Redis database used by an earlier run keeps its try counters
    depth: list[tuple[float, int, int]] = []
    done = threading.Event()
    killed_at: list[float] = []
    meter = CpuMeter()
    last_seen: dict[int, float] = {}
    cpu_before = cpu_by_part(processes, pg, broker, last_seen)
    start = time.monotonic() + 0.5

    def student(index: int, plan: list[Sent]) -> None:
        outstanding: list[tuple[float, Sent]] = []     # (next poll, sent)
        pending = list(plan)
        while pending or outstanding:
            now = time.monotonic() - start
            if pending and pending[0].due <= now:
                sent = pending.pop(0)
                try:
                    outcome = service.submit(
                        account_id=accounts[index], problem_id=sent.item.problem,
                        part_id=sent.item.part, seed=sent.item.seed, response=sent.item.response,
                        idempotency_key=str(uuid.uuid4()), answer_kind=sent.item.kind)
                    sent.submitted = time.monotonic()
                    sent.submission_id, sent.status = outcome.submission_id, outcome.status
                    if outcome.status == "pending" and args.poll > 0:
                        outstanding.append((now + args.poll, sent))
                    else:
                        sent.error = outcome.message
                except Exception as exc:  # noqa: BLE001 (counted as an error)
                    sent.status, sent.error = "submit-error", f"{type(exc).__name__}: {exc}"
                continue
            for k, (when, sent) in enumerate(outstanding):
                if when <= now:
                    outcome = service.poll(sent.submission_id)
                    if outcome.status == "pending":
                        outstanding[k] = (now + args.poll, sent)
                    else:
                        sent.seen, sent.status = time.monotonic(), outcome.status
                        outstanding.pop(k)
                    break
            else:
                if done.is_set():
                    return
                wake = min([w for w, _ in outstanding] + ([pending[0].due] if pending else []))
                time.sleep(max(0.0, min(wake - now, 0.5)))

    graded_count = [0]
    count_query = select(func.count()).select_from(submissions).where(submissions.c.status != "pending")

    def sampler() -> None:
        while not done.is_set():
            t = time.monotonic() - start
            try:
                depth.append((t, queue_depth(client), client.hlen("unacked")))
            except redis.RedisError:
                pass
            with db.engine.connect() as connection:
                graded_count[0] = connection.execute(count_query).scalar_one()
            victim = processes[-1]
            if kill and not killed_at:
                last_seen[victim.process.pid] = tree_cpu(victim.process.pid)
                if graded_count[0] >= args.kill_at * total and mid_job(victim):
                    victim.kill()
                    killed_at.append(t)
            done.wait(args.sample)

    threads = [threading.Thread(target=student, args=(k, plan), daemon=True)
               for k, plan in by_student.items()]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + schedule[-1].due + args.timeout
    ready_at = None
    if args.backlog:
        # Every submission is stored and queued before the workers start; the run measures
        # how fast they drain the queue from the moment the last of them is ready.
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        start_workers()
        ready_at = datetime.now(timezone.utc)
        meter = CpuMeter()
        cpu_before = cpu_by_part(processes, pg, broker, last_seen)
        start = time.monotonic()
        deadline = start + args.timeout
    sampling = threading.Thread(target=sampler, daemon=True)
    sampling.start()
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    # Without polling students, the run ends when the database has every verdict.
    while graded_count[0] < sum(s.submission_id is not None for s in schedule) and time.monotonic() < deadline:
        time.sleep(args.sample / 2)
    done.set()
    for thread in threads:
        thread.join(5)
    sampling.join(5)
    cpu = meter.read()
    cpu_after = cpu_by_part(processes, pg, broker, last_seen)
    wall = time.monotonic() - start
    # cores each part kept busy on average (a killed worker's CPU is left out after its death)
    cores = {part: round((cpu_after[part] - cpu_before[part]) / wall, 2) for part in cpu_after}
    # whatever else ran on the machine meanwhile (other users, the kernel): not quiet if large
    cores["other"] = round(max(0.0, cpu["machine_busy"] * (os.cpu_count() or 1) - sum(cores.values())), 2)
    for process in processes:
        process.stop()

    # What the database says.
    with db.engine.connect() as connection:
        rows = {row.id: row for row in connection.execute(select(submissions))}
    sent_ok = [s for s in schedule if s.submission_id is not None]
    errors: dict[str, int] = {}

    def error(kind: str) -> None:
        errors[kind] = errors.get(kind, 0) + 1

    for sent in schedule:
        if sent.status == "submit-error":
            error("submit failed")
        elif sent.status == "failed":
            error("failed")
        elif sent.status == "pending" and args.poll > 0:
            error("not graded in time")
    for sent in sent_ok:
        row = rows.get(sent.submission_id)
        if row is None:
            error("submission missing")
        elif row.status != "graded" or row.verdict_json is None:
            error(f"status {row.status}")
        elif json.loads(row.verdict_json) != sent.item.expected:
            error("verdict differs from in-process")
    writes: dict[int, list[str]] = {}
    for process in processes:
        for submission_id, result in WRITTEN.findall(process.log()):
            writes.setdefault(int(submission_id), []).append(result)
    written_once = sum(1 for s in sent_ok if writes.get(s.submission_id, []).count("graded") == 1)
    deliveries = sum(int(client.get(key)) for key in client.scan_iter("grader:tries:*"))
    graded = [rows[s.submission_id] for s in sent_ok if s.submission_id in rows
              and rows[s.submission_id].graded_at is not None]
    latency = {kind: [(r.graded_at - r.submitted_at).total_seconds() for r in graded
                      if r.answer_kind == kind] for kind in ("math", "code")}
    observed = [s.seen - s.submitted for s in sent_ok if s.seen is not None]
    if ready_at is not None:     # backlog: the verdicts written while every worker was running
        counted = [r for r in graded if r.graded_at >= ready_at]
        span = (max(r.graded_at for r in counted) - ready_at).total_seconds() if counted else math.nan
    else:                        # first submission to last verdict
        counted = graded
        span = ((max(r.graded_at for r in graded) - min(r.submitted_at for r in graded)).total_seconds()
                if graded else math.nan)
    everything = latency["math"] + latency["code"]
    report = {
        "run": name, "workers": workers, "killed_one": bool(kill), "killed_at_s": killed_at[0] if killed_at else None,
        "students": args.students, "submitted": len(sent_ok), "code": sum(s.item.kind == "code" for s in sent_ok),
        "math": sum(s.item.kind == "math" for s in sent_ok), "rate_offered": args.rate,
        "graded": len(graded), "span_s": span, "throughput": len(counted) / span if span else math.nan,
        "backlog": bool(args.backlog),
        "p50": percentile(everything, 50), "p95": percentile(everything, 95), "p99": percentile(everything, 99),
        "code_p50": percentile(latency["code"], 50), "code_p95": percentile(latency["code"], 95),
        "math_p50": percentile(latency["math"], 50), "math_p95": percentile(latency["math"], 95),
        "observed_p50": percentile(observed, 50), "observed_p95": percentile(observed, 95),
        "max_queue_depth": max((d for _, d, _ in depth), default=0),
        "queue_depth": [(round(t, 1), d, u) for t, d, u in depth],
        "errors": errors, "deliveries": deliveries,
        "written_once": written_once,
        "exactly_once": (written_once == len(sent_ok) == len(rows)
                         and all(r.status == "graded" for r in rows.values())),
        **cpu, "cores_used": cores,
        "per_worker_core": (len(counted) / span) / cores["workers"] if span and cores["workers"] else math.nan,
    }
    queue.close()
    db.close()
    return report


def mid_job(worker: WorkerProcess) -> bool:
    """Whether the worker's log says it is grading a job right now (received, not finished)."""
    events = re.findall(r"Task grader\.grade\[\S+\] (received|succeeded)", worker.log()[-4000:])
    return bool(events) and events[-1] == "received"


def depth_line(report: dict, every: float) -> str:
    """Queue depth (waiting jobs) at every ``every`` seconds of the run."""
    points, next_time = [], 0.0
    for t, waiting, _ in report["queue_depth"]:
        if t >= next_time:
            points.append(f"{t:.0f}s:{waiting}")
            next_time = t + every
    return " ".join(points)


def format_table(reports: list[dict]) -> str:
    header = ("run", "workers", "subs (code/math)", "verdicts/s", "p50 s", "p95 s", "p99 s",
              "code p50/p95 s", "max depth", "errors", "deliveries", "exactly once",
              "cores: workers/db+redis/app/other", "verdicts per worker core-s")
    rows = [header]
    for r in reports:
        rows.append((
            r["run"], f"{r['workers']}" + (" (1 killed)" if r["killed_one"] else ""),
            f"{r['submitted']} ({r['code']}/{r['math']})", f"{r['throughput']:.2f}",
            f"{r['p50']:.2f}", f"{r['p95']:.2f}", f"{r['p99']:.2f}",
            f"{r['code_p50']:.2f}/{r['code_p95']:.2f}", str(r["max_queue_depth"]),
            str(sum(r["errors"].values())) + (f" {r['errors']}" if r["errors"] else ""),
            str(r["deliveries"]), "yes" if r["exactly_once"] else "NO",
            "{workers:.2f}/{db:.2f}/{app:.2f}/{other:.2f}".format(
                workers=r["cores_used"]["workers"], app=r["cores_used"]["load generator"],
                db=r["cores_used"]["postgresql"] + r["cores_used"]["redis"], other=r["cores_used"]["other"]),
            f"{r['per_worker_core']:.1f}"))
    widths = [max(len(row[k]) for row in rows) for k in range(len(header))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(row, widths)) + " |" for row in rows]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def scaling_summary(reports: list[dict]) -> str:
    """2 workers against 1, from the runs without a kill, taken in order as pairs.

    Runs repeated in turn (``--runs 1 2 1 2 1 2``) share the drift of the machine's speed (on
    a shared host it varies by +-10 % within minutes), so the figure to quote is the median of
    the pairs' ratios; the ratio of the median throughputs, which mixes runs from different
    moments, is given beside it.
    """
    one = [r["throughput"] for r in reports if r["workers"] == 1 and not r["killed_one"]]
    two = [r["throughput"] for r in reports if r["workers"] == 2 and not r["killed_one"]]
    if not one or not two:
        return ""
    pairs = [b / a for a, b in zip(one, two)]
    if len(pairs) == 1:
        return f"\nscaling, 2 workers / 1 worker: {pairs[0]:.2f}x ({two[0]:.2f} / {one[0]:.2f} verdicts/s)"
    return (f"\nscaling, 2 workers / 1 worker: {statistics.median(pairs):.2f}x, the median of "
            f"{len(pairs)} pairs ({', '.join(f'{r:.2f}x' for r in pairs)}); ratio of the median "
            f"throughputs {statistics.median(two):.2f} / {statistics.median(one):.2f} verdicts/s = "
            f"{statistics.median(two) / statistics.median(one):.2f}x")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--per-student", type=int, default=3, help="submissions per student (default 3)")
    parser.add_argument("--rate", type=float, default=40.0,
                        help="submissions per second offered, all students together (default 40)")
    parser.add_argument("--mix", choices=("mixed", "code", "math"), default="mixed",
                        help="mixed: a third code submissions (default); code or math only")
    parser.add_argument("--runs", nargs="+", default=["1", "2", "2kill"],
                        help="runs in order: N workers, or Nkill to SIGKILL one mid-run (default 1 2 2kill)")
    parser.add_argument("--kill-at", type=float, default=0.4,
                        help="kill when this fraction of verdicts has been seen (default 0.4)")
    parser.add_argument("--poll", type=float, default=1.0,
                        help="seconds between a student's polls (default 1); 0: students only submit, "
                             "verdicts are read from the database (the workers' capacity alone)")
    parser.add_argument("--visibility-timeout", type=float, default=20.0,
                        help="seconds before Redis hands a dead worker's job to another (default 20)")
    parser.add_argument("--timeout", type=float, default=300.0,
                        help="seconds after the last submission to wait for verdicts (default 300)")
    parser.add_argument("--sample", type=float, default=0.5, help="queue depth sampling period (default 0.5 s)")
    parser.add_argument("--wait-quiet", type=float, default=600.0,
                        help="before each run, wait up to this many seconds for the machine to be idle "
                             "(default 600; 0: do not wait)")
    parser.add_argument("--backlog", action="store_true",
                        help="store and queue every submission before the workers start, then measure "
                             "how fast the workers drain the queue (their own capacity, without the app's "
                             "submit work on the same CPUs); time to verdict is then mostly time in the queue")
    parser.add_argument("--pin", action="store_true",
                        help="pin worker k (and its sandbox) to CPU k, as if each worker were a one-core "
                             "machine; PostgreSQL, Redis and the students still run on any CPU")
    parser.add_argument("--retry-noisy", type=int, default=3,
                        help="run again (up to this many times) when other work took over 0.2 cores "
                             "during a run (default 3)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", help="also write the reports to this JSON file")
    args = parser.parse_args(argv)
    args.code_share = {"mixed": 1 / 3, "code": 1.0, "math": 0.0}[args.mix]
    if args.backlog:
        args.poll = 0.0       # nobody waits for a verdict while no worker runs

    # SIGTERM (e.g. from a job runner) unwinds like Ctrl-C: servers and workers are stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    rng = random.Random(args.seed)
    started = time.monotonic()
    items = build_items(rng, math_count=40 if args.code_share < 1 else 0,
                        code_count=16 if args.code_share > 0 else 0)
    print(f"{len(items)} distinct answers graded in-process as the expectation "
          f"({time.monotonic() - started:.1f} s)", flush=True)
    bindir = find_bindir()
    if bindir is None:
        print("error: PostgreSQL server binaries not found (apt-get install postgresql)", file=sys.stderr)
        return 2
    folder = Path(tempfile.mkdtemp(prefix="grader-load-"))
    pg = PostgresServer(bindir)
    broker = RedisServer(folder / "redis")
    reports = []
    try:
        pg.start()
        broker.start()
        for k, run in enumerate(args.runs):
            kill = run.endswith("kill")
            workers = int(run.removesuffix("kill"))
            name = f"{args.mix}-{run}"
            for attempt in range(1 + args.retry_noisy):
                busy = wait_quiet(0.10, args.wait_quiet) if args.wait_quiet else math.nan
                print(f"run {name}: {workers} worker(s){', one killed' if kill else ''}; machine "
                      f"{100 * busy:.0f}% busy before ...", flush=True)
                report = run_scenario(name, workers, kill, args, items, pg, broker,
                                      (k * 4 + attempt) % 16, folder)
                if report["cores_used"]["other"] <= 0.2:
                    break
                print(f"  other work took {report['cores_used']['other']} cores during the run: "
                      + ("running it again" if attempt < args.retry_noisy else "reported as is"), flush=True)
            reports.append(report)
            print(f"  {report['graded']}/{report['submitted']} graded, {report['throughput']:.2f} verdicts/s, "
                  f"errors {report['errors'] or 'none'}"
                  + (f", worker killed at {report['killed_at_s']:.1f} s" if report["killed_at_s"] else "")
                  + f"; queue depth: {depth_line(report, 5)}; cores used: {report['cores_used']}",
                  flush=True)
    finally:
        broker.stop()
        pg.stop()
    print()
    print(f"{args.students} students x {args.per_student} submissions, {args.mix}, offered "
          f"{args.rate:g}/s, " + (f"poll every {args.poll:g} s" if args.poll > 0 else "no polling")
          + f"; {os.cpu_count()} CPUs" + ("; worker k pinned to CPU k" if args.pin else "")
          + ("; backlog: queued before the workers start, throughput = drain rate" if args.backlog else ""))
    print(format_table(reports))
    print(scaling_summary(reports))
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(reports, indent=1, default=str))
    print(f"worker logs: {folder}")
    return 0 if all(r["exactly_once"] and not r["errors"] for r in reports) else 1


if __name__ == "__main__":
    sys.exit(main())
