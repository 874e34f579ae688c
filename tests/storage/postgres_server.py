"""A throwaway PostgreSQL cluster for the tests: initdb + pg_ctl on 127.0.0.1 and a free port.

PostgreSQL refuses to run as root, so when the tests run as root (CI does) the server runs
as the ``postgres`` system user that the Debian package creates; otherwise as the current
user. The cluster lives in a fresh temporary folder and is deleted when stopped. Clients
connect over TCP with ``trust`` authentication, which is fine for a cluster that listens
only on loopback and lives for one test run.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

SUPERUSER = "grader"


def find_bindir() -> Path | None:
    """Return the folder holding initdb and pg_ctl, or None if PostgreSQL is not installed."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name), reverse=True)
    if shutil.which("pg_config"):
        found = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=False).stdout.strip()
        candidates.append(found)
    if shutil.which("initdb"):
        candidates.append(str(Path(shutil.which("initdb") or "").parent))
    for folder in candidates:
        if folder and (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    return None


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PostgresServer:
    """Start with ``start()``, stop with ``stop()``; ``url(dbname)`` names a database in it."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.port = free_port()
        self.user = None
        if os.geteuid() == 0:
            try:
                self.user = pwd.getpwnam("postgres")
            except KeyError:
                raise RuntimeError(
                    "PostgreSQL refuses to run as root and there is no 'postgres' user to run it as; "
                    "install Debian's postgresql package (it creates the user) or run the tests as another user"
                ) from None
        # In /tmp itself when root: the server's user must be able to reach the folder.
        self.root = Path(tempfile.mkdtemp(prefix="grader-pg-", dir="/tmp" if self.user else None))
        self.datadir = self.root / "data"
        self.logfile = self.root / "server.log"
        if self.user is not None:
            os.chown(self.root, self.user.pw_uid, self.user.pw_gid)

    def _run(self, *args: str) -> None:
        identity = {}
        if self.user is not None:
            identity = {"user": self.user.pw_uid, "group": self.user.pw_gid, "extra_groups": []}
        environment = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C.UTF-8", "HOME": str(self.root)}
        result = subprocess.run(
            [str(self.bindir / args[0]), *args[1:]],
            cwd=self.root,
            env=environment,
            capture_output=True,
            text=True,
            check=False,
            **identity,
        )
        if result.returncode != 0:
            log = self.logfile.read_text(errors="replace") if self.logfile.exists() else ""
            raise RuntimeError(f"{args[0]} failed ({result.returncode}): {result.stderr.strip()}\n{log[-2000:]}")

    def start(self) -> None:
        """Create the cluster and start the server; return when it accepts connections."""
        self._run("initdb", "-D", str(self.datadir), "-U", SUPERUSER, "--auth=trust", "-E", "UTF8", "--no-sync")
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} "
            "-c fsync=off -c full_page_writes=off -c max_connections=100"
        )
        self._run("pg_ctl", "-D", str(self.datadir), "-l", str(self.logfile), "-o", options, "-w", "-t", "30", "start")

    def stop(self) -> None:
        """Stop the server (fast shutdown) and delete its folder."""
        try:
            if (self.datadir / "postmaster.pid").exists():
                self._run("pg_ctl", "-D", str(self.datadir), "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def url(self, dbname: str = "postgres") -> str:
        """Return a plain ``postgresql://`` URL, as an operator would write in DATABASE_URL."""
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{dbname}"
