"""The seccomp policy: which system calls a submission may not make.

Default allow, then deny what a numeric function never needs and an attack always does.
(Attempts are refused, not fatal: see `DENIED` and `build` for the list and the reasons.) Threads
stay possible (torch and student code may start them; `clone` with CLONE_THREAD is allowed, and
`clone3`, whose flags seccomp cannot read, answers ENOSYS so that glibc falls back to `clone`).
Denied calls fail with EPERM, so Python raises PermissionError in the student's code and the
grader can say which operation was refused instead of reporting a bare crash.
"""

from __future__ import annotations

import errno
import socket

import pyseccomp

CLONE_THREAD = 0x00010000
PR_SET_PDEATHSIG = 1

# Whole system calls refused, grouped by why.
DENIED = (
    # starting processes or programs (fork bombs, shells, background survivors)
    "fork", "vfork", "execve", "execveat",
    # leaving the process group or session the worker kills
    "setsid", "setpgid",
    # inspecting or changing other processes
    "ptrace", "process_vm_readv", "process_vm_writev", "pidfd_getfd", "kcmp",
    # namespaces and mounts (includes new user namespaces)
    "unshare", "setns", "mount", "umount2", "pivot_root", "chroot", "open_tree", "move_mount",
    "fsopen", "fsmount", "fsconfig", "fspick", "mount_setattr",
    # kernel attack surface a numeric function has no use for; io_uring could open sockets
    # without passing through this filter
    "bpf", "perf_event_open", "userfaultfd", "keyctl", "add_key", "request_key",
    "io_uring_setup", "io_uring_enter", "io_uring_register",
    # administration (already refused without privilege, refused here too in case of root)
    "kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module", "reboot",
    "swapon", "swapoff", "acct", "settimeofday", "clock_settime", "quotactl",
)


def build() -> pyseccomp.SyscallFilter:
    """Build (not load) the filter; the worker builds it once and each child loads it."""
    rules = pyseccomp.SyscallFilter(pyseccomp.ALLOW)
    deny = pyseccomp.ERRNO(errno.EPERM)
    for name in DENIED:
        try:
            rules.add_rule(deny, name)
        except OSError:  # a system call this kernel or libseccomp does not know
            continue
    # clone: threads only (a process would lack CLONE_THREAD)
    rules.add_rule(deny, "clone", pyseccomp.Arg(0, pyseccomp.MASKED_EQ, CLONE_THREAD, 0))
    rules.add_rule(pyseccomp.ERRNO(errno.ENOSYS), "clone3")
    # sockets: Unix domain only (no TCP/UDP/raw/netlink, even inside an empty network namespace)
    for name in ("socket", "socketpair"):
        rules.add_rule(deny, name, pyseccomp.Arg(0, pyseccomp.NE, socket.AF_UNIX))
    # ...and no way to reach another process through one: named Unix sockets live in the file
    # system, outside the network namespace, and Landlock ABI 7 does not cover connecting to them.
    # A socketpair still works (its ends are already connected).
    for name in ("connect", "bind", "listen", "accept", "accept4", "sendmsg", "sendmmsg"):
        rules.add_rule(deny, name)
    rules.add_rule(deny, "sendto", pyseccomp.Arg(4, pyseccomp.NE, 0))  # only with a destination address
    # keep dying with the worker: the parent-death signal may not be cleared
    rules.add_rule(deny, "prctl", pyseccomp.Arg(0, pyseccomp.EQ, PR_SET_PDEATHSIG))
    return rules
