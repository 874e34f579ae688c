"""Hostile submissions: each ends in the right verdict, leaves no process behind, and the pool
keeps serving. Bounded by construction: loops have time limits, the fork bomb forks at most 50
children that exit on their own, writes stop at the file-size limit."""

from __future__ import annotations

import os
import signal
import socket
import threading
import time
from pathlib import Path

import pytest

from grader.sandbox import SandboxPool
from tests.sandbox.conftest import survivors

pytestmark = pytest.mark.slow

REPOSITORY = Path(__file__).resolve().parents[2]
ONE_CALL = [{"args": [{"kind": "number", "value": 2.0}]}]
BENIGN = "import torch\ndef f(x):\n    return torch.tensor([x, x * x])\n"


def assert_pool_healthy(pool: SandboxPool) -> None:
    """No survivor, and the next submission is served normally."""
    deadline = time.monotonic() + 2
    while survivors(pool) and time.monotonic() < deadline:  # a reap may still be in flight
        time.sleep(0.02)
    assert survivors(pool) == []
    result = pool.run(BENIGN, "f", ONE_CALL, timeout=5)
    assert result.status == "completed", result.message
    assert result.calls[0].value["data"] == [2.0, 4.0]


# (name, source, status of the run, category of call 0's error or None, fragment of the message)
CALL_ATTACKS = [
    ("read /etc/shadow", "def f(x):\n    return open('/etc/shadow').read()\n",
     "completed", "forbidden", "Permission denied: '/etc/shadow'"),
    ("read the worker's environment", "import os\ndef f(x):\n    return open(f'/proc/{os.getppid()}/environ').read()\n",
     "completed", "forbidden", "Permission denied"),
    ("read the worker's memory", "import os\ndef f(x):\n    return open(f'/proc/{os.getppid()}/mem', 'rb').read(8)\n",
     "completed", "forbidden", "Permission denied"),
    ("fork bomb (bounded)", "import os, time\ndef f(x):\n    for _ in range(50):\n        if os.fork() == 0:\n"
     "            time.sleep(20)\n            os._exit(0)\n", "completed", "forbidden", "Operation not permitted"),
    ("subprocess", "import subprocess\ndef f(x):\n    subprocess.run(['sleep', '30'])\n",
     "completed", "forbidden", "Operation not permitted"),
    ("setsid and background process", "import os\ndef f(x):\n    os.setsid()\n    if os.fork() == 0:\n"
     "        import time; time.sleep(30)\n", "completed", "forbidden", "Operation not permitted"),
    ("kill the worker", "import os, signal\ndef f(x):\n    os.kill(os.getppid(), signal.SIGKILL)\n",
     "completed", "forbidden", "Operation not permitted"),
    ("20 GB allocation", "import torch\ndef f(x):\n    return torch.empty(20 * 10**9, dtype=torch.uint8)\n",
     "completed", "memory_limit", "can't allocate memory"),
    ("20 GB Python list", "def f(x):\n    return [0] * (2_500_000_000)\n", "completed", "memory_limit", ""),
    ("5 GB write in scratch", "def f(x):\n    with open('big', 'wb') as out:\n        for _ in range(5000):\n"
     "            out.write(b'x' * 2**20)\n", "completed", "file_limit", "File too large"),
]


@pytest.mark.parametrize(("name", "source", "status", "category", "fragment"), CALL_ATTACKS, ids=[a[0] for a in CALL_ATTACKS])
def test_call_attacks(pool, name, source, status, category, fragment):
    """The operation is refused inside the student's call and reported as that call's error."""
    result = pool.run(source, "f", ONE_CALL, timeout=5)
    assert result.status == status, result.message
    error = result.calls[0].error
    assert error is not None and error.category == category
    assert fragment in error.message
    assert_pool_healthy(pool)


@pytest.mark.parametrize(
    "source",
    [
        f"def f(x):\n    return open({str(REPOSITORY / 'grader/codechecks/hessian.py')!r}).read()\n",
        f"import os\ndef f(x):\n    return os.listdir({str(REPOSITORY / 'grader')!r})\n",
    ],
    ids=["read a reference solution", "list the grader's directory"],
)
def test_grader_files_are_out_of_reach(pool, source):
    """The grader's own files (references included) cannot be read or listed by the child.

    Refused by Landlock, or simply absent when the repository lies under /tmp, which the child
    sees as its own empty tmpfs; either way nothing comes back.
    """
    result = pool.run(source, "f", ONE_CALL, timeout=5)
    outcome = result.calls[0]
    assert not outcome.ok and outcome.value is None
    assert outcome.error.type in ("PermissionError", "FileNotFoundError")
    assert_pool_healthy(pool)


@pytest.mark.parametrize("target", ["/tmp/grader-sandbox-escape", str(REPOSITORY / "escape.txt")])
def test_files_outside_scratch_are_not_created(pool, target):
    """Writing outside the scratch directory is refused and no file appears on the host."""
    source = f"def f(x):\n    with open({target!r}, 'w') as out:\n        out.write('escaped')\n"
    result = pool.run(source, "f", ONE_CALL, timeout=5)
    outcome = result.calls[0]
    # In a private mount namespace /tmp is the child's own tmpfs, so that write may succeed there;
    # either way nothing may reach the host's file.
    assert not Path(target).exists()
    if not target.startswith("/tmp/"):
        assert outcome.error is not None and outcome.error.category == "forbidden"
    assert_pool_healthy(pool)


def test_tcp_to_localhost_is_refused(pool):
    """A TCP connection to a listener on 127.0.0.1 fails and the listener sees nothing."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        listener.setblocking(False)
        port = listener.getsockname()[1]
        source = f"import socket\ndef f(x):\n    socket.create_connection(('127.0.0.1', {port}), timeout=2).sendall(b'hi')\n"
        result = pool.run(source, "f", ONE_CALL, timeout=5)
        assert result.calls[0].error is not None and result.calls[0].error.category == "forbidden"
        with pytest.raises(BlockingIOError):
            listener.accept()
    assert_pool_healthy(pool)


def test_named_unix_socket_is_unreachable(pool, tmp_path):
    """A world-accessible Unix socket on the host (outside any network namespace) stays unreached."""
    directory = tmp_path / "sock"
    directory.mkdir()
    directory.chmod(0o777)
    path = directory / "s"
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as listener:
        listener.bind(str(path))
        path.chmod(0o777)
        listener.listen(1)
        listener.setblocking(False)
        source = ("import socket\ndef f(x):\n    s = socket.socket(socket.AF_UNIX)\n"
                  f"    s.connect({str(path)!r})\n    s.sendall(b'hi')\n")
        result = pool.run(source, "f", ONE_CALL, timeout=5)
        assert result.calls[0].error is not None and result.calls[0].error.category == "forbidden"
        with pytest.raises(BlockingIOError):
            listener.accept()
    assert_pool_healthy(pool)


# (name, source, status, fragment of RunResult.message)
RUN_ATTACKS = [
    ("infinite loop", "def f(x):\n    while True:\n        pass\n", "timeout", "Time limit exceeded"),
    ("infinite loop at import", "while True:\n    pass\n", "timeout", "Time limit exceeded"),
    ("sleep past the deadline", "import time\ndef f(x):\n    time.sleep(60)\n", "timeout", "Time limit exceeded"),
    ("huge output", "def f(x):\n    while True:\n        print('spam' * 100)\n", "output_limit", "64 KiB"),
    ("sys.exit at import", "import sys\nsys.exit(3)\n", "exited", "sys.exit"),
    ("os._exit at import", "import os\nos._exit(0)\n", "exited", "ended by itself"),
    ("os._exit in the call", "import os\ndef f(x):\n    os._exit(7)\n", "exited", "ended by itself"),
    ("spoofed result frame", "import os\nos.write(3, b'{\"event\": \"done\"}\\n')\ndef f(x):\n    return 1\n",
     "tampered", "result channel"),
    ("garbage on the result channel", "import os\ndef f(x):\n    os.write(3, b'all tests passed\\n')\n    return 1\n",
     "tampered", "result channel"),
    ("closed result channel", "import os\nos.close(3)\ndef f(x):\n    return 1\n", "exited", "ended by itself"),
    ("segmentation fault via ctypes", "import ctypes\ndef f(x):\n    ctypes.string_at(0)\n", "crashed", "SIGSEGV"),
    ("forbidden read at import", "open('/etc/shadow').read()\n", "forbidden", "Permission denied"),
    ("memory at import", "import torch\nbig = torch.ones(20 * 10**9, dtype=torch.uint8)\n", "memory_limit", "memory"),
    ("syntax error", "def f(x)\n    return x\n", "syntax_error", "line 1"),
    ("exception at import", "x = 1 / 0\n", "load_error", "ZeroDivisionError (line 1)"),
]


@pytest.mark.parametrize(("name", "source", "status", "fragment"), RUN_ATTACKS, ids=[a[0] for a in RUN_ATTACKS])
def test_run_attacks(pool, name, source, status, fragment):
    """The whole run ends with the right status and a sentence for the student."""
    started = time.monotonic()
    result = pool.run(source, "f", ONE_CALL, timeout=1.0)
    assert time.monotonic() - started < 4
    assert result.status == status, result.message
    assert fragment in result.message
    assert_pool_healthy(pool)


def test_kill_every_process_reaches_nobody(pool):
    """kill(-1) from the child signals nothing outside its own Landlock domain.

    (The kernel reports success for kill(-1) when every target refused with EPERM, so the proof
    is that the workers and this test are still alive, not the return value.)
    """
    workers = pool.worker_pids()
    result = pool.run("import os, signal\ndef f(x):\n    os.kill(-1, signal.SIGKILL)\n    return 1\n",
                      "f", ONE_CALL, timeout=5)
    assert result.status == "completed" and result.calls[0].value == {"kind": "number", "value": 1.0}
    assert pool.worker_pids() == workers
    assert_pool_healthy(pool)


def test_ctypes_system_calls_are_refused(pool):
    """Raw system calls through ctypes meet the same filter: fork, unshare, ptrace all fail."""
    source = (
        "import ctypes, os\n"
        "libc = ctypes.CDLL(None, use_errno=True)\n"
        "def f(x):\n"
        "    fork = libc.syscall(57)\n"
        "    unshare = libc.unshare(0x10000000)\n"  # CLONE_NEWUSER
        "    ptrace = libc.ptrace(16, os.getppid(), 0, 0)\n"  # PTRACE_ATTACH the worker
        "    return [fork, unshare, ptrace]\n"
    )
    result = pool.run(source, "f", ONE_CALL, timeout=5)
    assert result.status == "completed"
    assert [item["value"] for item in result.calls[0].value["items"]] == [-1.0, -1.0, -1.0]
    assert_pool_healthy(pool)


def test_worker_holds_no_grader_code_and_no_secrets(pool):
    """The child inherits only the sandbox's child-side modules and a minimal environment."""
    source = ("import sys\ndef f(x):\n    return float(any(m.startswith(('grader.codechecks', 'grader.sandbox.pool',"
              " 'grader.sandbox.outcome')) or m == 'grader.codechecks' for m in sys.modules))\n")
    assert pool.run(source, "f", ONE_CALL, timeout=5).calls[0].value == {"kind": "number", "value": 0.0}
    allowed = {"PATH", "LANG", "HOME", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OMP_NUM_THREADS", "MKL_NUM_THREADS",
               "OPENBLAS_NUM_THREADS", "NUMEXPR_NUM_THREADS", "VECLIB_MAXIMUM_THREADS",
               "TORCHINDUCTOR_CACHE_DIR"}  # the last one torch sets itself while warming up torch.func
    source = f"import os\ndef f(x):\n    return float(set(os.environ) <= {allowed!r})\n"
    assert pool.run(source, "f", ONE_CALL, timeout=5).calls[0].value == {"kind": "number", "value": 1.0}


def test_threads_still_work(pool):
    """Seccomp refuses processes, not threads: a submission may use threading."""
    source = ("import threading\ndef f(x):\n    out = []\n    t = threading.Thread(target=lambda: out.append(x))\n"
              "    t.start(); t.join()\n    return out[0]\n")
    result = pool.run(source, "f", ONE_CALL, timeout=5)
    assert result.calls[0].value == {"kind": "number", "value": 2.0}


def test_printed_output_is_captured_and_separate(pool):
    """Printing a fake result changes nothing: stdout is captured apart from the result channel."""
    source = "print('{\"event\": \"done\"}')\ndef f(x):\n    print('all tests passed')\n    return x\n"
    result = pool.run(source, "f", ONE_CALL, timeout=5)
    assert result.status == "completed"
    assert result.calls[0].value == {"kind": "number", "value": 2.0}
    assert result.output == '{"event": "done"}\nall tests passed\n'


def test_concurrent_runs_from_threads(pool):
    """run() is thread-safe: eight threads share two workers and all get their own answer."""
    results: dict[int, object] = {}

    def submit(i: int) -> None:
        source = f"def f(x):\n    return x + {i}\n"
        results[i] = pool.run(source, "f", ONE_CALL, timeout=5)

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert {i: r.calls[0].value["value"] for i, r in results.items()} == {i: 2.0 + i for i in range(8)}


def test_worker_killed_mid_run_is_restarted(pool):
    """If a worker dies, its child dies with it, the worker restarts and the run is retried."""
    before = set(pool.worker_pids())
    holder: dict[str, object] = {}
    thread = threading.Thread(target=lambda: holder.update(result=pool.run(
        "import time\ndef f(x):\n    time.sleep(1.0)\n    return x\n", "f", ONE_CALL, timeout=3)))
    thread.start()
    time.sleep(0.5)
    busy = sorted(before)
    for pid in busy:  # kill both workers: whichever runs the submission dies mid-run
        os.kill(pid, signal.SIGKILL)
    thread.join(60)
    result = holder["result"]
    assert result.status == "completed" and result.calls[0].value["value"] == 2.0
    assert not set(pool.worker_pids()) & before
    assert_pool_healthy(pool)
    assert_pool_healthy(pool)  # the second worker restarts on its next use


def test_capabilities_are_reported_honestly(pool):
    """Every layer is listed; as root all are active, otherwise the root-only ones say why not."""
    capabilities = pool.capabilities()
    names = [layer.name for layer in capabilities.layers]
    assert names == ["session", "namespaces", "private-tmp", "rlimits", "uid-drop", "die-with-parent",
                     "landlock", "seccomp", "reference-isolation"]
    inactive = {layer.name: layer.detail for layer in capabilities.unavailable()}
    if os.geteuid() == 0:
        assert inactive == {}
    else:
        assert set(inactive) == {"namespaces", "private-tmp", "uid-drop"}
        assert all("needs root" in detail for detail in inactive.values())
    assert "UNAVAILABLE" not in capabilities.summary() or inactive


def test_oversized_source_is_rejected_without_running(pool):
    """A source file beyond MAX_SOURCE is refused before any worker sees it."""
    result = pool.run("#" * 300_000, "f", ONE_CALL)
    assert result.status == "rejected" and "at most 262144" in result.message


@pytest.mark.parametrize("timeout", [0, -1, 601])
def test_timeout_must_be_sensible(pool, timeout):
    """A nonsensical timeout is the caller's mistake and raises, naming the allowed range."""
    with pytest.raises(ValueError, match=r"timeout must be in \(0, 600.0\] seconds"):
        pool.run(BENIGN, "f", ONE_CALL, timeout=timeout)


def test_unstarted_pool_says_how_to_start():
    with pytest.raises(Exception, match="use `with SandboxPool"):
        SandboxPool(size=1).run(BENIGN, "f", ONE_CALL)
