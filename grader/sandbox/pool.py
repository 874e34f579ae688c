"""A pool of pre-started worker processes that run student code; the grader's only entry point.

The grader process (and Streamlit, which is threaded) never forks: workers are started with
`subprocess` as `python -I zygote.py` under a minimal environment, and each worker forks the
children. `run` is thread-safe: a call takes an idle worker from a queue, so at most `size`
submissions run at once and the others wait their turn.

A worker that dies (or stops answering) is restarted and the run is tried once more on the new
worker; a second failure is reported as status "sandbox_error", never raised at the caller.
"""

from __future__ import annotations

import json
import logging
import os
import pwd
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Sequence

from grader.sandbox import outcome, protocol
from grader.sandbox.limits import Limits
from grader.sandbox.results import Capabilities, Layer, RunResult

log = logging.getLogger(__name__)

ZYGOTE = Path(__file__).with_name("zygote.py")
MAX_SOURCE = 256 * 1024  # characters of student source accepted
MAX_TIMEOUT = 600.0  # seconds; a longer run is a configuration mistake
REPLY_GRACE = 10.0  # seconds a worker may take beyond the run's timeout to answer
# Variables a worker inherits; everything else (tokens, passwords, cloud keys) stays out.
PASSED_THROUGH = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")  # OpenBLAS needs them on some CPUs


class SandboxError(RuntimeError):
    """The pool cannot serve: it is closed, or its workers cannot start at all."""


class SandboxPool:
    """Zygote workers ready to run untrusted code; use as a context manager.

    size: number of workers (and of concurrent runs). uid_base: first unprivileged uid the
    children drop to when the workers run as root (worker i uses the i-th free uid from there).
    """

    def __init__(self, size: int = 2, *, limits: Limits | None = None, uid_base: int = 61000,
                 python: str | None = None, start_timeout: float = 120.0) -> None:
        if size < 1:
            raise ValueError(f"size must be at least 1, got {size}")
        self.size = size
        self.limits = limits or Limits()
        self._python = python or sys.executable
        self._start_timeout = start_timeout
        self._uids = _free_uids(uid_base, size)
        self._workers: list[_Worker] = []
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._capabilities: Capabilities | None = None
        self._closed = False

    def __enter__(self) -> "SandboxPool":
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def start(self) -> "SandboxPool":
        """Start every worker (in parallel: each imports torch, ~3 s) and log the capabilities once."""
        if self._workers:
            return self
        self._workers = [_Worker(i, uid, self._python, self.limits) for i, uid in enumerate(self._uids)]
        deadline = time.monotonic() + self._start_timeout
        for worker in self._workers:
            worker.spawn()
        try:
            for worker in self._workers:
                worker.await_ready(deadline)
        except Exception:
            self.close()
            raise
        self._capabilities = self._workers[0].capabilities
        for worker in self._workers:
            self._idle.put(worker)
        log.info("%s", self._capabilities.summary())
        for layer in self._capabilities.unavailable():
            log.warning("sandbox layer %s unavailable: %s", layer.name, layer.detail)
        return self

    def capabilities(self) -> Capabilities:
        if self._capabilities is None:
            raise SandboxError("the pool is not started; use `with SandboxPool() as pool:` or call start()")
        return self._capabilities

    @property
    def child_uids(self) -> tuple[int, ...]:
        """The uids children drop to (one per worker) when the uid-drop layer is active."""
        return tuple(self._uids)

    def worker_pids(self) -> list[int]:
        """Process ids of the live workers (for monitoring and tests)."""
        return [w.pid for w in self._workers if w.pid is not None]

    def run(self, source: str, function_name: str, calls: Sequence[dict[str, Any]], *, timeout: float = 5.0) -> RunResult:
        """Load `source` in a fresh confined child and call `function_name` once per entry of `calls`.

        Each call is {"args": [argument descriptor, ...]} (see values.py). `timeout` is the
        wall-clock limit for the whole run, loading included.
        """
        if self._closed or not self._workers:
            raise SandboxError("the pool is closed or not started; use `with SandboxPool() as pool:`")
        if not 0 < timeout <= MAX_TIMEOUT:
            raise ValueError(f"timeout must be in (0, {MAX_TIMEOUT}] seconds, got {timeout!r}")
        if len(source) > MAX_SOURCE:
            return _rejected(f"Your file has {len(source)} characters; at most {MAX_SOURCE} are accepted.")
        payload = json.dumps({"source": source, "function": function_name, "calls": list(calls)}).encode()
        if len(payload) > protocol.PAYLOAD_LIMIT:
            raise ValueError(f"the calls take {len(payload)} bytes as JSON; at most {protocol.PAYLOAD_LIMIT} fit "
                             "a request (send fewer or smaller tensors)")
        worker = self._idle.get()
        try:
            return worker.run(payload, len(calls), timeout)
        finally:
            self._idle.put(worker)

    def close(self) -> None:
        self._closed = True
        for worker in self._workers:
            worker.stop()


class _Worker:
    """The grader's handle on one zygote process; used by one thread at a time."""

    def __init__(self, index: int, uid: int, python: str, limits: Limits) -> None:
        self.index, self.uid, self.python, self.limits = index, uid, python, limits
        self.process: subprocess.Popen[bytes] | None = None
        self.capabilities: Capabilities | None = None
        self.lock = threading.Lock()

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None and self.process.poll() is None else None

    def spawn(self) -> None:
        environment = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": "/nonexistent"}
        environment.update({k: os.environ[k] for k in PASSED_THROUGH if k in os.environ})
        self.process = subprocess.Popen(
            [self.python, "-I", str(ZYGOTE)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=environment, cwd="/",
            close_fds=True, start_new_session=True,
        )
        assert self.process.stdin is not None
        protocol.send(self.process.stdin.fileno(), {"limits": self.limits.to_dict(), "uid": self.uid})

    def await_ready(self, deadline: float) -> None:
        assert self.process is not None and self.process.stdout is not None
        try:
            ready = protocol.receive_header(self.process.stdout.fileno(), deadline)
        except protocol.ProtocolError as error:
            self.stop()
            raise SandboxError(f"sandbox worker {self.index} did not start: {error}") from error
        if ready is None or ready.get("event") != "ready":
            code = self.process.poll()
            self.stop()
            raise SandboxError(f"sandbox worker {self.index} exited during start-up (exit code {code}); "
                               "see its traceback on stderr")
        layers = tuple(Layer(str(e["name"]), bool(e["active"]), str(e["detail"])) for e in ready["layers"])
        self.capabilities = Capabilities(layers, os.geteuid())

    def run(self, payload: bytes, call_count: int, timeout: float) -> RunResult:
        with self.lock:
            for attempt in (1, 2):
                try:
                    if self.process is None or self.process.poll() is not None:
                        self._restart()
                    return self._run_once(payload, call_count, timeout)
                except (protocol.ProtocolError, OSError) as error:
                    log.warning("sandbox worker %d failed (%s); restarting it (attempt %d)", self.index, error, attempt)
                    self.stop()
                except SandboxError as error:
                    return _sandbox_error(f"a sandbox worker could not be restarted: {error}")
            return _sandbox_error("a sandbox worker died twice while running this submission")

    def _restart(self) -> None:
        self.stop()
        self.spawn()
        self.await_ready(time.monotonic() + 120.0)

    def _run_once(self, payload: bytes, call_count: int, timeout: float) -> RunResult:
        assert self.process is not None and self.process.stdin is not None and self.process.stdout is not None
        protocol.send(self.process.stdin.fileno(), {"payload": len(payload), "timeout": timeout}, payload)
        replies = self.process.stdout.fileno()
        deadline = time.monotonic() + timeout + REPLY_GRACE
        reply = protocol.receive_header(replies, deadline)
        if reply is None:
            raise protocol.ProtocolError("the worker closed its pipe")
        output_size = min(int(reply["output"]), self.limits.output)
        result_size = min(int(reply["result"]), self.limits.result)
        output = protocol.read_exact(replies, output_size, deadline) or b""
        result = protocol.read_exact(replies, result_size, deadline) or b""
        return outcome.interpret(reply, output, result, call_count, self.limits.output)

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None:
            return
        try:
            if process.stdin is not None:
                process.stdin.close()  # the worker exits on end of input
            process.wait(timeout=2)
        except (subprocess.TimeoutExpired, OSError):
            process.kill()
            process.wait()
        finally:
            if process.stdout is not None:
                process.stdout.close()


def _free_uids(base: int, count: int) -> list[int]:
    """`count` uids from `base` up that no account uses (so no file anywhere belongs to them)."""
    uids: list[int] = []
    candidate = base
    while len(uids) < count:
        try:
            pwd.getpwuid(candidate)
        except KeyError:
            uids.append(candidate)
        candidate += 1
    return uids


def _rejected(message: str) -> RunResult:
    return RunResult("rejected", message, None, (), None, (), "", False, 0.0)


def _sandbox_error(message: str) -> RunResult:
    return RunResult("sandbox_error", f"The sandbox failed (a grader problem, not yours): {message}",
                     None, (), None, (), "", False, 0.0)
