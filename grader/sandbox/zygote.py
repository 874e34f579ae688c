"""The worker process ("zygote"): imports torch once, then forks one confined child per run.

`pool.py` starts it with `python -I zygote.py` and a minimal environment, so it reads no
PYTHON* variables, no user site-packages and no secrets. It loads the sandbox's own modules
through stub packages (`_install_package_stubs`) instead of importing `grader`, so that nothing
else of the grader (and in particular no reference solution) is ever in its memory, which every
child inherits.

Life of a worker:
  1. limit every thread pool to one thread *before* the first tensor op (a forked child can
     deadlock in OpenMP otherwise), import torch and the modules students use, warm up autograd;
  2. read its configuration, decide which confinement layers this host supports, prove them in
     a probe child, and answer "ready" with that report;
  3. for each request: fork a child that confines itself and runs the harness; watch its
     output and result pipes against the caps and the wall-clock deadline; kill its process
     group and any leftover descendant; answer with the raw bytes; zero the buffers.
It exits when the grader closes its request pipe (which also happens when the grader dies).
"""

from __future__ import annotations

import os
import sys
import types

THREAD_VARIABLES = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                    "NUMEXPR_NUM_THREADS", "VECLIB_MAXIMUM_THREADS")
PRELOADED = (
    "math", "cmath", "random", "functools", "itertools", "operator", "collections", "dataclasses",
    "typing", "statistics", "fractions", "decimal", "numpy", "torch", "torch.autograd",
    "torch.autograd.functional", "torch.func", "torch.nn", "torch.nn.functional", "torch.linalg",
    "importlib.util", "inspect", "traceback", "linecache", "tokenize", "json", "io", "ctypes",
    "socket", "encodings.idna", "subprocess", "threading", "signal", "time", "copy", "warnings",
)
PR_SET_CHILD_SUBREAPER = 36
RESULT_FD = 3
EXIT_CONFINEMENT_FAILED = 70
DONE_LINE = b'{"event": "done"}\n'  # exactly what harness.run writes last (json.dumps default separators)


def _install_package_stubs() -> str:
    """Make `grader.sandbox.X` importable without running `grader/__init__.py`; return its dir."""
    sandbox_dir = os.path.dirname(os.path.abspath(__file__))
    grader_dir = os.path.dirname(sandbox_dir)
    for name, path in (("grader", grader_dir), ("grader.sandbox", sandbox_dir)):
        package = types.ModuleType(name)
        package.__path__ = [path]
        sys.modules[name] = package
    return grader_dir


def _warm_up() -> None:
    """Run once what submissions typically run, so children start with everything paged in."""
    import importlib

    import torch

    for name in PRELOADED:
        importlib.import_module(name)
    for dtype in (torch.float32, torch.float64):
        x = torch.linspace(0.1, 0.9, 4, dtype=dtype).requires_grad_(True)

        def f(v: torch.Tensor) -> torch.Tensor:
            return (torch.sin(v[0] * v[1]) + torch.exp(v).sum() + torch.log(1 + v**2).sum()
                    + torch.tanh(v @ v) + torch.cos(v).prod())

        (g,) = torch.autograd.grad(f(x), x, create_graph=True)
        torch.autograd.grad(g[0], x)
        torch.autograd.functional.hessian(f, x.detach())
        torch.func.hessian(f)(x.detach())
        torch.func.vmap(torch.func.grad(f))(x.detach().expand(2, 4))


def _settle() -> None:
    """Make forks cheap: return freed heap to the kernel and move every object out of the GC's reach.

    A child's garbage collector would otherwise walk (and so copy-on-write) the ~2 million
    objects torch leaves behind; frozen, they are never touched. Measured here: the child's
    exit went from 13.5 to 8.5 ms.
    """
    import ctypes
    import gc

    gc.collect()
    gc.freeze()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


def main() -> None:
    for variable in THREAD_VARIABLES:
        os.environ[variable] = "1"
    grader_dir = _install_package_stubs()
    import torch

    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
    _warm_up()
    _settle()
    from grader.sandbox import protocol

    # Keep the pipes to the grader on private descriptors; 0 and 1 become /dev/null so that a
    # stray print can never corrupt a frame.
    requests, replies = os.dup(0), os.dup(1)
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)
    os.close(devnull)
    config = protocol.receive_header(requests)
    if config is None:
        return
    Zygote(config, grader_dir, requests, replies).serve()


class Zygote:
    def __init__(self, config: dict, grader_dir: str, requests: int, replies: int) -> None:
        import ctypes

        from grader.sandbox import confinement, syscall_filter
        from grader.sandbox.limits import Limits

        self.limits = Limits.from_dict(config["limits"])
        self.grader_dir = grader_dir
        self.plan = confinement.plan(self.limits, int(config["uid"]), grader_dir)
        self.filter = syscall_filter.build() if self.plan.seccomp else None
        self.requests, self.replies = requests, replies
        from grader.sandbox.protocol import PAYLOAD_LIMIT

        self.payload = bytearray(PAYLOAD_LIMIT)
        self.output = bytearray(self.limits.output + 1)
        self.result = bytearray(self.limits.result + 1)
        ctypes.CDLL(None).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)

    def serve(self) -> None:
        from grader.sandbox import confinement, protocol

        probe = self.probe()
        self.plan = confinement.degrade(self.plan, probe)
        layers = confinement.describe_plan(self.plan, probe)
        protocol.send(self.replies, {"event": "ready", "pid": os.getpid(), "layers": layers})
        while True:
            header = protocol.receive_header(self.requests)
            if header is None:
                return
            size = int(header["payload"])
            if size > len(self.payload):  # the pool checks first; never read past the buffer
                raise SystemExit(f"payload of {size} bytes exceeds {len(self.payload)}")
            protocol.readinto(self.requests, memoryview(self.payload)[:size])
            reply, output, result, finish = self.run(size, float(header["timeout"]))
            protocol.send(self.replies, reply, memoryview(self.output)[:output], memoryview(self.result)[:result])
            finish()  # reaping overlaps with the grader reading the reply
            # zero what the next child would otherwise inherit
            self.payload[:size] = bytes(size)
            self.output[:output] = bytes(output)
            self.result[:result] = bytes(result)

    # -- one run -------------------------------------------------------------------------------

    def run(self, size: int, timeout: float) -> tuple[dict, int, int]:
        import time

        scratch = self._make_scratch()
        out_r, out_w = os.pipe2(os.O_CLOEXEC)
        res_r, res_w = os.pipe2(os.O_CLOEXEC)
        started = time.monotonic()
        pid = os.fork()
        if pid == 0:
            self._child(size, timeout, scratch, out_w, res_w)
        os.close(out_w)
        os.close(res_w)
        try:
            reason, exited, output, result = self._supervise(pid, out_r, res_r, started + timeout)
        finally:
            os.close(out_r)
            os.close(res_r)
        elapsed = time.monotonic() - started
        status = None
        if exited or reason is not None:
            status = self._kill_and_reap(pid)
        else:  # the harness reported "done": stop the child, answer now, reap after answering
            self._kill(pid)

        def finish() -> None:
            if status is None:
                os.waitpid(pid, 0)
            self._sweep_descendants()
            self._remove_scratch(scratch)

        reply = {
            "stopped": reason,  # None, "timeout", "output_limit" or "result_limit"
            "exit_code": os.WEXITSTATUS(status) if status is not None and os.WIFEXITED(status) else None,
            "signal": os.WTERMSIG(status) if status is not None and os.WIFSIGNALED(status) else None,
            "elapsed": elapsed,
            "output": output,
            "result": result,
        }
        return reply, output, result, finish

    def _child(self, size: int, timeout: float, scratch: str, out_w: int, res_w: int) -> None:
        """In the forked child: never returns."""
        code = 1
        try:
            import io
            import json

            from grader.sandbox import confinement, harness

            devnull = os.open(os.devnull, os.O_RDWR)
            os.dup2(devnull, 0)
            os.dup2(out_w, 1)
            os.dup2(out_w, 2)
            os.dup2(res_w, RESULT_FD)
            os.closerange(RESULT_FD + 1, 1 << 16)  # the grader's pipes above all
            sys.stdin = io.TextIOWrapper(io.FileIO(0, "r", closefd=False))
            sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), encoding="utf-8",
                                          errors="backslashreplace", write_through=True)
            sys.stderr = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), encoding="utf-8",
                                          errors="backslashreplace", write_through=True)
            request = json.loads(bytes(memoryview(self.payload)[:size]))
            try:
                confinement.apply(self.plan, timeout=timeout, worker_pid=os.getppid(), scratch=scratch,
                                  seccomp_filter=self.filter, strict=True)
            except confinement.ConfinementError as error:
                os.write(RESULT_FD, (json.dumps({"event": "sandbox_error", "message": str(error)}) + "\n").encode())
                code = EXIT_CONFINEMENT_FAILED
            else:
                os.chdir(scratch)
                harness.run(request, scratch, RESULT_FD)
                code = 0
                for fd in (1, 2, RESULT_FD):  # end of stream tells the worker the report is complete
                    os.close(fd)
        finally:
            os._exit(code)

    def _supervise(self, pid: int, out_r: int, res_r: int, deadline: float) -> tuple[str | None, bool, int, int]:
        """Collect output and results until the child exits, a cap is hit or the deadline passes.

        Returns (stop reason, whether the child has exited, output size, result size). A child
        whose harness closed both pipes after its "done" line counts as finished without
        waiting for its exit: tearing down a torch-sized address space takes milliseconds.
        """
        import select
        import time

        pidfd = os.pidfd_open(pid)
        buffers = {out_r: (memoryview(self.output), "output_limit"), res_r: (memoryview(self.result), "result_limit")}
        filled = {out_r: 0, res_r: 0}
        poller = select.poll()
        for fd in (out_r, res_r, pidfd):
            poller.register(fd, select.POLLIN)
        open_pipes, exited, reason = {out_r, res_r}, False, None
        try:
            while reason is None and not exited:
                if not open_pipes and self._reported_done(filled[res_r]):
                    break
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    reason = "timeout"
                    break
                for fd, _ in poller.poll(max(1, int(remaining * 1000))):
                    if fd == pidfd:
                        exited = True
                    elif fd in open_pipes:
                        reason = self._read_into(fd, buffers, filled, open_pipes, poller) or reason
            if exited and reason is None:  # drain what the child wrote just before exiting
                for fd in list(open_pipes):
                    os.set_blocking(fd, False)
                    while fd in open_pipes and reason is None:
                        try:
                            reason = self._read_into(fd, buffers, filled, open_pipes, poller)
                        except BlockingIOError:
                            break
        finally:
            os.close(pidfd)
        return reason, exited, min(filled[out_r], len(self.output) - 1), min(filled[res_r], len(self.result) - 1)

    def _reported_done(self, size: int) -> bool:
        """Does the result channel end with the harness's last line? (a byte check, no parsing)"""
        return bytes(memoryview(self.result)[max(0, size - len(DONE_LINE)):size]) == DONE_LINE

    @staticmethod
    def _read_into(fd, buffers, filled, open_pipes, poller) -> str | None:
        view, limit_reason = buffers[fd]
        if filled[fd] >= len(view):
            return limit_reason
        count = os.readv(fd, [view[filled[fd]:]])
        if count == 0:
            open_pipes.discard(fd)
            poller.unregister(fd)
            return None
        filled[fd] += count
        return limit_reason if filled[fd] >= len(view) else None

    @staticmethod
    def _kill(pid: int) -> None:
        import signal

        for kill in (lambda: os.killpg(pid, signal.SIGKILL), lambda: os.kill(pid, signal.SIGKILL)):
            try:
                kill()
            except (ProcessLookupError, PermissionError):
                pass

    def _kill_and_reap(self, pid: int) -> int:
        self._kill(pid)
        _, status = os.waitpid(pid, 0)
        return status

    @staticmethod
    def _sweep_descendants() -> None:
        """Kill whatever a child left behind: this process is a subreaper, orphans come here.

        With seccomp a child cannot start processes at all; this is the backstop for hosts
        without it. Repeats because killing one orphan may reparent its own children to us.
        """
        import signal

        for _ in range(100):
            children = _children()
            if not children:
                return
            for child in children:
                try:
                    os.kill(child, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            for child in children:
                try:
                    os.waitpid(child, 0)
                except ChildProcessError:
                    pass

    def _make_scratch(self) -> str:
        from grader.sandbox import confinement

        if self.plan.namespaces:
            return confinement.SCRATCH_IN_NAMESPACE  # a fresh tmpfs mounted by the child
        import tempfile

        scratch = tempfile.mkdtemp(prefix="grader-sandbox-")
        if self.plan.uid is not None:  # uid drop without a private /tmp: the child must own it
            os.chown(scratch, self.plan.uid, self.plan.uid)
        return scratch

    def _remove_scratch(self, scratch: str) -> None:
        if not self.plan.namespaces:
            import shutil

            shutil.rmtree(scratch, ignore_errors=True)

    # -- start-up probe ------------------------------------------------------------------------

    def probe(self) -> dict[str, str]:
        """Apply every layer in a throwaway child and report, per layer, "active" or the error."""
        import json

        from grader.sandbox import confinement

        scratch = self._make_scratch()
        read_end, write_end = os.pipe2(os.O_CLOEXEC)
        pid = os.fork()
        if pid == 0:
            try:
                os.close(read_end)
                report = confinement.apply(self.plan, timeout=5.0, worker_pid=os.getppid(), scratch=scratch,
                                           seccomp_filter=self.filter, strict=False)
                report["reference-isolation"] = _reference_isolation(self.grader_dir)
                os.write(write_end, json.dumps(report).encode())
            finally:
                os._exit(0)
        os.close(write_end)
        chunks = []
        while chunk := os.read(read_end, 65536):
            chunks.append(chunk)
        os.close(read_end)
        self._kill_and_reap(pid)
        self._remove_scratch(scratch)
        try:
            return json.loads(b"".join(chunks))
        except ValueError:
            return {}


def _reference_isolation(grader_dir: str) -> str:
    """Can this (confined) process read the grader's own files, where references live?"""
    probe = os.path.join(grader_dir, "__init__.py")
    try:
        with open(probe, "rb"):
            return f"the grader's files are readable ({probe})"
    except OSError:
        return "active"


def _children() -> list[int]:
    pids: list[int] = []
    for task in os.listdir("/proc/self/task"):
        try:
            with open(f"/proc/self/task/{task}/children") as handle:
                pids.extend(int(p) for p in handle.read().split())
        except OSError:
            continue
    return pids


if __name__ == "__main__":
    main()
