"""Run the sandbox as an unprivileged user and print what happened as JSON (not a test module).

`test_unprivileged.py` starts this script as uid 65534 (through setpriv, see there) so that the
non-root path, where namespaces and the uid drop are unavailable and Landlock, seccomp and
rlimits must carry the load, runs in CI on a root machine too.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPOSITORY))

from grader.codechecks import run_checks  # noqa: E402
from grader.sandbox import SandboxPool  # noqa: E402

ONE_CALL = [{"args": [{"kind": "number", "value": 2.0}]}]
SUBMISSIONS = REPOSITORY / "tests" / "codechecks" / "submissions" / "hessian"
ATTACKS = {
    "read /etc/passwd": "def f(x):\n    return open('/etc/passwd').read()\n",
    "read a reference": f"def f(x):\n    return open({str(REPOSITORY / 'grader/codechecks/hessian.py')!r}).read()\n",
    "write /tmp": "def f(x):\n    open('/tmp/grader-unprivileged-escape', 'w').write('x')\n",
    "fork": "import os\ndef f(x):\n    os.fork()\n",
    "tcp": "import socket\ndef f(x):\n    socket.create_connection(('127.0.0.1', 9), timeout=1)\n",
    "kill worker": "import os\ndef f(x):\n    os.kill(os.getppid(), 9)\n",
    "memory": "import torch\ndef f(x):\n    return torch.empty(20 * 10**9, dtype=torch.uint8)\n",
    "loop": "def f(x):\n    while True:\n        pass\n",
    "benign": "def f(x):\n    return x * 2\n",
}


def main() -> None:
    import socket
    import tempfile

    report: dict = {"uid": os.getuid(), "attacks": {}, "checks": {}}
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    socket_path = os.path.join(tempfile.mkdtemp(), "s")
    listener.bind(socket_path)
    listener.listen(1)
    ATTACKS["unix socket"] = f"import socket\ndef f(x):\n    socket.socket(socket.AF_UNIX).connect({socket_path!r})\n"
    with SandboxPool(size=1) as pool:
        report["layers"] = {layer.name: [layer.active, layer.detail] for layer in pool.capabilities().layers}
        for name, source in ATTACKS.items():
            result = pool.run(source, "f", ONE_CALL, timeout=1.0)
            call = result.calls[0] if result.calls else None
            report["attacks"][name] = {
                "status": result.status,
                "category": call.error.category if call and call.error else None,
                "value": call.value if call and call.ok else None,
            }
        for name in ("correct_nested_grad", "wrong_diagonal_only"):
            checked = run_checks("hessian", (SUBMISSIONS / f"{name}.py").read_text(), pool)
            report["checks"][name] = [checked.status, checked.score]
        report["escaped_file"] = os.path.exists("/tmp/grader-unprivileged-escape")
    print(json.dumps(report))


if __name__ == "__main__":
    main()
