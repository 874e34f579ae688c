"""A throwaway Redis server and grading-worker subprocesses, for the tests and the load benchmark.

``RedisServer`` runs Debian's ``redis-server`` in the foreground on 127.0.0.1 and a free port,
without persistence, as a child we hold the pid of. ``WorkerProcess`` runs
``python -m grader worker`` in its own session, so a test can SIGKILL the whole worker (the
Celery parent and its pool processes; their sandbox zygotes exit when their pipes close) or
only the pool process grading a job.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
READY = re.compile(r"grading process (\d+) ready")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class RedisServer:
    """``start()``, ``url(db)``, ``stop()``."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 10.0) -> "RedisServer":
        binary = shutil.which("redis-server")
        if binary is None:
            raise FileNotFoundError("redis-server not found; tests/run installs it with apt-get")
        self.folder.mkdir(parents=True, exist_ok=True)
        with open(self.folder / "redis.log", "wb") as log:
            self.process = subprocess.Popen(
                [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                 "--appendonly", "no", "--dir", str(self.folder), "--protected-mode", "yes"],
                stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as connection:
                    connection.sendall(b"PING\r\n")
                    if connection.recv(16).startswith(b"+PONG"):
                        return self
            except OSError:
                time.sleep(0.02)
        self.stop()
        raise RuntimeError(f"redis-server did not answer on port {self.port} within {timeout} s")

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class WorkerProcess:
    """One ``python -m grader worker`` with its log in ``log_path``."""

    def __init__(self, name: str, log_path: Path, environment: dict[str, str],
                 concurrency: int = 1, cpu: int | None = None) -> None:
        self.name, self.log_path, self.concurrency = name, Path(log_path), concurrency
        self.cpu = cpu   # pin the worker and everything it starts to this CPU (taskset)
        self.environment = {**os.environ, **environment}
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> "WorkerProcess":
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "ab") as log:
            pin = [] if self.cpu is None else ["taskset", "--cpu-list", str(self.cpu)]
            self.process = subprocess.Popen(
                [*pin, sys.executable, "-m", "grader", "worker", f"--concurrency={self.concurrency}",
                 f"--hostname={self.name}@%h", "--loglevel=INFO"],
                cwd=ROOT, env=self.environment, stdin=subprocess.DEVNULL,
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        return self

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def ready_pids(self) -> list[int]:
        """Pool processes that finished their set-up, in order of their log lines."""
        return [int(pid) for pid in READY.findall(self.log())]

    def wait_ready(self, count: int | None = None, timeout: float = 90.0) -> list[int]:
        """Wait until ``count`` (default: concurrency) pool processes are ready; return their pids."""
        count = count or self.concurrency
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pids = self.ready_pids()
            if len(pids) >= count:
                return pids
            if self.process is not None and self.process.poll() is not None:
                break
            time.sleep(0.05)
        raise RuntimeError(f"worker {self.name} not ready after {timeout} s:\n{self.log()[-3000:]}")

    def kill(self) -> None:
        """SIGKILL the whole worker at once, as a machine failure would."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self, timeout: float = 20.0) -> None:
        """Warm shutdown (SIGTERM: finish the current job), SIGKILL if it takes too long."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
