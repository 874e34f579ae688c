"""What the sandbox reports: frozen values whose fields are plain JSON types.

`RunResult.status` is the sandbox-level outcome of one run (did the student's function get
called, and how did the process end); grading what the calls returned is the check suites' job.

    completed        the file loaded and every call returned or raised (see each CallOutcome)
    syntax_error     the file does not parse (`error.line`, `error.traceback` with a caret)
    missing_function the file loaded but defines no callable of that name (`names`: what it has)
    load_error       importing the file raised (`error`, traceback trimmed to the student's file)
    exited           the process ended early: sys.exit at import, os._exit, or an exit code
    forbidden        a refused operation (file outside scratch, network, fork, ...) at import
    memory_limit     an allocation failed against the address-space limit at import
    timeout          the wall-clock deadline (or the CPU limit) was reached
    output_limit     more than the output cap on stdout/stderr, or a file over the size limit
    result_limit     more than the result cap on the result channel
    crashed          killed by a signal (segmentation fault, abort, ...)
    tampered         the result channel carried something the harness did not write
    rejected         not run: the source is larger than the sandbox accepts
    sandbox_error    the sandbox itself failed (a layer could not be applied, a worker died twice)

Call-level problems keep the status "completed" and are described by `CallOutcome.error`,
whose `category` is "exception", "forbidden", "memory_limit", "file_limit" or "exit".
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

STATUSES = (
    "completed", "syntax_error", "missing_function", "load_error", "exited", "forbidden",
    "memory_limit", "timeout", "output_limit", "result_limit", "crashed", "tampered", "rejected",
    "sandbox_error",
)
CATEGORIES = ("exception", "forbidden", "memory_limit", "file_limit", "exit")


@dataclass(frozen=True)
class Layer:
    """One confinement layer on this host: applied to every child, or not and why."""

    name: str
    active: bool
    detail: str


@dataclass(frozen=True)
class Capabilities:
    """Which layers the workers apply; measured once at start-up by a probe child."""

    layers: tuple[Layer, ...]
    user: int  # the uid the workers run as

    def is_active(self, name: str) -> bool:
        return any(layer.name == name and layer.active for layer in self.layers)

    def unavailable(self) -> tuple[Layer, ...]:
        return tuple(layer for layer in self.layers if not layer.active)

    def summary(self) -> str:
        lines = [f"sandbox layers (workers run as uid {self.user}):"]
        for layer in self.layers:
            lines.append(f"  {'active     ' if layer.active else 'UNAVAILABLE'}  {layer.name}: {layer.detail}")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class ErrorInfo:
    """An exception raised by the student's code, as the student should see it."""

    type: str
    message: str
    traceback: str  # frames from the student's file only
    line: int | None
    errno: int | None
    category: str  # one of CATEGORIES


@dataclass(frozen=True)
class Parameter:
    name: str
    kind: str  # inspect.Parameter kind name, e.g. "POSITIONAL_OR_KEYWORD", "VAR_POSITIONAL"
    has_default: bool


@dataclass(frozen=True)
class CallOutcome:
    """One call of the student's function: the encoded return value or the error."""

    index: int
    ok: bool
    value: dict[str, Any] | None  # see values.py for the encoding
    error: ErrorInfo | None
    changed_inputs: bool  # the function modified a tensor argument in place


@dataclass(frozen=True)
class RunResult:
    status: str  # one of STATUSES
    message: str  # one sentence for the student when status is not "completed"
    parameters: tuple[Parameter, ...] | None  # the function's signature, None if unknown
    calls: tuple[CallOutcome, ...]  # in order; fewer than requested if the run stopped early
    error: ErrorInfo | None  # the load-time error, if any
    names: tuple[str, ...]  # callables the file defines (with missing_function)
    output: str  # captured stdout and stderr, trimmed
    output_truncated: bool
    elapsed: float  # seconds from fork to the child's end

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)
