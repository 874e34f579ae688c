"""The layers that confine a child before it touches student code, and what this host supports.

The worker decides once, at start-up, which layers this host supports (`plan`), proves them in a
probe child (`apply` with strict=False, reporting each layer), and from then on applies exactly
those layers in every child with strict=True: a layer that worked in the probe but fails later
aborts the child before any student code runs. A layer the host lacks (not root, no Landlock,
no libseccomp) is reported as unavailable with the reason, never silently skipped.

Order matters and is fixed here:
  1. new session (the worker kills the whole process group)
  2. namespaces: mount, network, IPC, UTS (root only); private mounts, a size-capped tmpfs on
     /tmp, and root-only ancestors of the interpreter covered so the dropped uid can import
  3. resource limits (CPU, address space, file size, open files, core 0, threads after the drop)
  4. uid/gid drop (root only)
  5. die with the worker (after the drop: changing credentials clears the parent-death signal)
  6. Landlock (files, TCP, signal and abstract-socket scoping)
  7. seccomp (last: it forbids nothing the steps above need)

Loaded by the worker without the `grader` package: standard library only (plus pyseccomp).
"""

from __future__ import annotations

import ctypes
import dataclasses
import os
import resource
import signal
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader.sandbox import landlock
from grader.sandbox.limits import Limits

CLONE_NEWNS = 0x00020000
CLONE_NEWUTS = 0x04000000
CLONE_NEWIPC = 0x08000000
CLONE_NEWNET = 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 32, 4096, 16384, 1 << 18
PR_SET_PDEATHSIG = 1
LAYERS = (
    "session", "namespaces", "private-tmp", "rlimits", "uid-drop", "die-with-parent",
    "landlock", "seccomp",
)
SCRATCH_IN_NAMESPACE = "/tmp"
# Trees blanked in the child's mount namespace: /run holds the host's named Unix sockets.
MASKED = ("/run",)
# System trees the child may read (shared libraries, the dynamic loader's cache, time zones).
SYSTEM_READ_PATHS = ("/usr", "/lib", "/lib64", "/lib32", "/etc/ld.so.cache", "/etc/localtime",
                     "/dev/urandom", "/dev/random", "/dev/zero")

_libc = ctypes.CDLL(None, use_errno=True)


class ConfinementError(RuntimeError):
    """A layer that must be applied could not be; the child must not run student code."""


@dataclass(frozen=True)
class Plan:
    """Which layers to apply in each child, decided once per worker."""

    limits: Limits
    namespaces: bool = False
    uid: int | None = None  # the unprivileged uid to drop to, or None
    landlock_abi: int = 0
    seccomp: bool = False
    read_paths: tuple[str, ...] = ()
    covers: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (root-only dir, subtrees to bind back)
    hidden: tuple[str, ...] = ()  # trees to blank out: the grader's code if readable, MASKED
    unavailable: dict[str, str] = field(default_factory=dict)  # layer -> why it is not applied


def plan(limits: Limits, uid: int, grader_root: str) -> Plan:
    """Decide what this host can do, without trying anything yet (the probe child tries)."""
    unavailable: dict[str, str] = {}
    is_root = os.geteuid() == 0
    if not sys.platform.startswith("linux"):
        for name in ("namespaces", "private-tmp", "uid-drop", "die-with-parent", "landlock", "seccomp"):
            unavailable[name] = f"not Linux ({sys.platform})"
    elif not is_root:
        reason = f"needs root; the worker runs as uid {os.geteuid()}"
        for name in ("namespaces", "private-tmp", "uid-drop"):
            unavailable[name] = reason
    abi = landlock.abi_version() if "landlock" not in unavailable else 0
    if abi == 0 and "landlock" not in unavailable:
        unavailable["landlock"] = "the kernel has no Landlock (or it is disabled at boot)"
    seccomp = "seccomp" not in unavailable
    if seccomp:
        try:
            import pyseccomp  # noqa: F401  (the filter itself is built by the worker)
        except (ImportError, OSError) as error:
            seccomp = False
            unavailable["seccomp"] = f"pyseccomp/libseccomp not loadable: {error}"
    read_paths = _interpreter_paths()
    namespaces = "namespaces" not in unavailable
    drop = "uid-drop" not in unavailable
    hidden = tuple(p for p in [grader_root] if any(_is_under(p, r) for r in read_paths))
    hidden += tuple(p for p in MASKED if os.path.isdir(p) and not os.path.islink(p))
    return Plan(
        limits=limits,
        namespaces=namespaces,
        uid=uid if drop else None,
        landlock_abi=abi,
        seccomp=seccomp,
        read_paths=read_paths,
        covers=_covers(read_paths, uid) if namespaces and drop else (),
        hidden=hidden if namespaces else (),
        unavailable=unavailable,
    )


def _interpreter_paths() -> tuple[str, ...]:
    """Trees holding the interpreter, the standard library and installed packages."""
    paths = {os.path.realpath(p) for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)}
    paths |= {os.path.realpath(p) for p in sys.path if p and os.path.isdir(p)}
    paths |= {os.path.realpath(p) for p in SYSTEM_READ_PATHS}
    # keep only the outermost trees
    ordered = sorted(paths, key=len)
    return tuple(p for i, p in enumerate(ordered) if not any(_is_under(p, q) for q in ordered[:i]))


def _is_under(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip("/") + "/")


def _covers(read_paths: tuple[str, ...], uid: int) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Ancestors the dropped uid cannot traverse (a 0700 home holding the interpreter).

    Each one is covered by an empty 0755 tmpfs in the child's mount namespace and only the
    subtree on the way to the read path is bound back, so the interpreter imports after the drop
    while the rest of that home directory stays invisible.
    """
    found: dict[str, set[str]] = {}
    for path in read_paths:
        parts = Path(path).parts
        for i in range(2, len(parts)):
            ancestor = str(Path(*parts[:i]))
            info = os.stat(ancestor)
            if not info.st_mode & 0o001 and info.st_uid != uid:
                found.setdefault(ancestor, set()).add(str(Path(*parts[: i + 1])))
                break
    return tuple((a, tuple(sorted(keep))) for a, keep in sorted(found.items()))


def apply(
    plan: Plan, *, timeout: float, worker_pid: int, scratch: str, seccomp_filter: Any = None, strict: bool = True
) -> dict[str, str]:
    """Apply every planned layer to this process; return {layer: "active" or the error}.

    strict=True raises ConfinementError at the first failure (a real run); strict=False records
    it and goes on (the start-up probe, which reports what works).
    """
    report: dict[str, str] = {}

    def step(name: str, action: Any) -> None:
        if name in plan.unavailable:
            return
        try:
            action()
        except Exception as error:  # noqa: BLE001 - every failure is reported by name
            if strict:
                raise ConfinementError(f"{name}: {error}") from error
            report[name] = f"{type(error).__name__}: {error}"
        else:
            report[name] = "active"

    step("session", os.setsid)
    if plan.namespaces:
        step("namespaces", _enter_namespaces)
        step("private-tmp", lambda: _mount_private_tree(plan))
    step("rlimits", lambda: _set_limits(plan, timeout))
    if plan.uid is not None:
        step("uid-drop", lambda: _drop_to(plan.uid))
    step("die-with-parent", lambda: _die_with(worker_pid))
    if plan.landlock_abi:
        write_paths = [scratch, "/dev/null"]
        step("landlock", lambda: landlock.restrict(list(plan.read_paths), write_paths, plan.landlock_abi))
    if plan.seccomp:
        step("seccomp", seccomp_filter.load)
    return report


def _enter_namespaces() -> None:
    _check(_libc.unshare(CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS), "unshare")
    name = b"sandbox"
    _check(_libc.sethostname(name, len(name)), "sethostname")


def _mount_private_tree(plan: Plan) -> None:
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    for ancestor, keep in plan.covers:
        fds = [os.open(path, os.O_PATH | os.O_DIRECTORY) for path in keep]
        _mount("tmpfs", ancestor, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755,size=64k")
        for path, fd in zip(keep, fds):
            os.makedirs(path, exist_ok=True)
            _mount(f"/proc/self/fd/{fd}", path, None, MS_BIND | MS_REC)
            _mount(None, path, None, MS_REMOUNT | MS_BIND | MS_RDONLY)
            os.close(fd)
    for path in plan.hidden:
        _mount("tmpfs", path, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=4k")
    owner = plan.uid if plan.uid is not None else 0
    options = f"mode=0700,uid={owner},gid={owner},size={plan.limits.scratch_size}"
    _mount("tmpfs", SCRATCH_IN_NAMESPACE, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, options)


def _set_limits(plan: Plan, timeout: float) -> None:
    limits = plan.limits
    cpu = limits.cpu_seconds(timeout)
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    resource.setrlimit(resource.RLIMIT_AS, (limits.address_space, limits.address_space))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_size, limits.file_size))
    resource.setrlimit(resource.RLIMIT_NOFILE, (limits.open_files, limits.open_files))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if plan.uid is not None:  # counted per real uid: meaningful only for the sandbox's own uid
        resource.setrlimit(resource.RLIMIT_NPROC, (limits.threads, limits.threads))


def _drop_to(uid: int) -> None:
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)
    if os.getuid() != uid or os.geteuid() != uid:
        raise ConfinementError(f"still uid {os.getuid()} after dropping to {uid}")


def _die_with(worker_pid: int) -> None:
    _check(_libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0), "prctl")
    if os.getppid() != worker_pid:  # the worker died before the signal was armed
        os._exit(1)


def _mount(source: str | None, target: str, fstype: str | None, flags: int, data: str | None = None) -> None:
    def encode(text: str | None) -> bytes | None:
        return None if text is None else text.encode()

    result = _libc.mount(encode(source), encode(target), encode(fstype), ctypes.c_ulong(flags), encode(data))
    _check(result, f"mount {target}")


def _check(result: int, what: str) -> None:
    if result != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"{what}: {os.strerror(errno)}")


def degrade(plan: Plan, probe: dict[str, str]) -> Plan:
    """The plan without the layers that failed in the probe, each marked unavailable with the error.

    So a host where, say, Landlock is compiled in but refused still runs submissions with the
    other layers, and says so, instead of failing every run or pretending.
    """
    unavailable = dict(plan.unavailable)
    for name in LAYERS:
        if name not in unavailable and probe.get(name) != "active":
            unavailable[name] = f"failed in the start-up probe: {probe.get(name, 'not reached')}"
    if unavailable == plan.unavailable:
        return plan
    namespaces = plan.namespaces and "namespaces" not in unavailable and "private-tmp" not in unavailable
    if not namespaces:
        for name in ("namespaces", "private-tmp"):
            unavailable.setdefault(name, "unavailable because the other of namespaces/private-tmp failed")
    return dataclasses.replace(
        plan,
        namespaces=namespaces,
        uid=None if "uid-drop" in unavailable else plan.uid,
        landlock_abi=0 if "landlock" in unavailable else plan.landlock_abi,
        seccomp=plan.seccomp and "seccomp" not in unavailable,
        covers=plan.covers if namespaces else (),
        hidden=plan.hidden if namespaces else (),
        unavailable=unavailable,
    )


def describe_plan(plan: Plan, probe: dict[str, str]) -> list[dict[str, Any]]:
    """One entry per layer: active or not, and a detail sentence (for `capabilities()`).

    The last entry, "reference-isolation", is not a layer but its measured effect: whether the
    probe child, fully confined, could still open a file of the grader package.
    """
    details = {
        "session": "new session and process group; the worker kills the whole group",
        "namespaces": "new mount, network, IPC and UTS namespaces (no network interface is up)",
        "private-tmp": f"private tmpfs on /tmp capped at {plan.limits.scratch_size // 2**20} MiB, noexec"
        + (f"; root-only {', '.join(a for a, _ in plan.covers)} covered, interpreter bound back" if plan.covers else "")
        + (f"; {', '.join(plan.hidden)} blanked" if plan.hidden else ""),
        "rlimits": f"CPU timeout+{plan.limits.cpu_margin:g} s, address space {plan.limits.address_space // 2**20} MiB, "
        f"file size {plan.limits.file_size // 2**20} MiB, {plan.limits.open_files} open files, no core"
        + (f", {plan.limits.threads} threads" if plan.uid is not None else ""),
        "uid-drop": f"runs as uid/gid {plan.uid} with no supplementary groups",
        "die-with-parent": "SIGKILL when the worker dies (PR_SET_PDEATHSIG)",
        "landlock": f"ABI {plan.landlock_abi}: reads limited to the interpreter and system libraries, "
        "writes to the scratch directory"
        + (", TCP bind/connect denied" if plan.landlock_abi >= 4 else ", TCP not covered (ABI < 4)")
        + (", signals and abstract sockets scoped" if plan.landlock_abi >= 6 else ", no scoping (ABI < 6)"),
        "seccomp": "no fork/exec (threads allowed), no non-Unix sockets and no connect/bind/sendmsg on any, "
        "no ptrace, namespaces, mounts, io_uring or bpf",
    }
    layers = []
    for name in LAYERS:
        if name in plan.unavailable:
            layers.append({"name": name, "active": False, "detail": plan.unavailable[name]})
        elif probe.get(name) == "active":
            layers.append({"name": name, "active": True, "detail": details[name]})
        else:
            layers.append({"name": name, "active": False, "detail": f"failed in the probe: {probe.get(name, 'not reached')}"})
    isolation = probe.get("reference-isolation", "not probed")
    layers.append({
        "name": "reference-isolation",
        "active": isolation == "active",
        "detail": "a confined child cannot open the grader's own files (checked in the probe)"
        if isolation == "active" else isolation,
    })
    return layers
