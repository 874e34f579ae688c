"""Trusted code in the child: load the student's file, call their function, report as JSON lines.

Runs after every confinement layer is in place. Each event is one JSON object on one line of
the result channel (file descriptor 3):

    {"event": "loaded", "parameters": [{"name": "f", "kind": "POSITIONAL_OR_KEYWORD", "default": false}, ...]}
    {"event": "load_error", "reason": "syntax_error" | "exception" | "exit" | "missing_function"
                                      | "not_callable", "error": ERROR, "names": [...]}
    {"event": "call", "index": 0, "ok": true, "value": VALUE, "changed_inputs": false}
    {"event": "call", "index": 1, "ok": false, "error": ERROR}
    {"event": "done"}

ERROR is {"type", "message", "errno", "line", "traceback"}: the traceback keeps only frames from
the student's file, so they see their own code and never the grader's. VALUE is described in
`values.py`. The student's code runs in this same process and could write to fd 3 itself; the
grader treats anything out of sequence as tampering and grades only values it recomputes against.
"""

from __future__ import annotations

import importlib.util
import inspect
import json
import os
import sys
import traceback
from typing import Any

import torch

from grader.sandbox import values

SUBMISSION = "submission.py"
MESSAGE_LIMIT = 2000
TRACEBACK_FRAMES = 12


def run(request: dict[str, Any], scratch: str, result_fd: int) -> None:
    """Load the submission from `request["source"]` and make `request["calls"]`."""
    send = _Sender(result_fd)
    path = os.path.join(scratch, SUBMISSION)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(request["source"])
    sys.dont_write_bytecode = True
    module = _load(path, send)
    if module is None:
        return
    name = request["function"]
    function = getattr(module, name, None)
    if function is None or not callable(function):
        names = sorted(n for n, v in vars(module).items() if callable(v) and not n.startswith("_"))
        reason = "missing_function" if function is None else "not_callable"
        send({"event": "load_error", "reason": reason, "error": None, "names": names[:20]})
        return
    send({"event": "loaded", "parameters": _parameters(function)})
    for index, call in enumerate(request["calls"]):
        send(_call(function, index, call, path))
    send({"event": "done"})


def _load(path: str, send: "_Sender") -> Any:
    spec = importlib.util.spec_from_file_location("submission", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["submission"] = module
    try:
        spec.loader.exec_module(module)
    except SyntaxError as error:
        send({"event": "load_error", "reason": "syntax_error", "error": _syntax_error(error)})
    except SystemExit as error:
        send({"event": "load_error", "reason": "exit", "error": _error(error, path)})
    except BaseException as error:  # noqa: BLE001 - every student exception becomes a verdict
        send({"event": "load_error", "reason": "exception", "error": _error(error, path)})
    else:
        return module
    return None


def _call(function: Any, index: int, call: dict[str, Any], path: str) -> dict[str, Any]:
    try:  # the student's code may have monkeypatched torch: building arguments can fail too
        args = [values.build_argument(descriptor) for descriptor in call["args"]]
        before = [a.detach().clone() if isinstance(a, torch.Tensor) else None for a in args]
        result = function(*args)
    except BaseException as error:  # noqa: BLE001
        return {"event": "call", "index": index, "ok": False, "error": _error(error, path)}
    try:
        encoded = values.encode(result)
        changed = any(
            b is not None and (a.shape != b.shape or not torch.equal(a.detach(), b))
            for a, b in zip(args, before)
        )
    except BaseException as error:  # noqa: BLE001 - an odd return value (a tensor subclass, ...)
        return {"event": "call", "index": index, "ok": False, "error": _error(error, path)}
    return {"event": "call", "index": index, "ok": True, "value": encoded, "changed_inputs": changed}


def _parameters(function: Any) -> list[dict[str, Any]] | None:
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):
        return None
    return [
        {"name": p.name, "kind": p.kind.name, "default": p.default is not inspect.Parameter.empty}
        for p in signature.parameters.values()
    ]


def _syntax_error(error: SyntaxError) -> dict[str, Any]:
    text = (error.text or "").rstrip("\n")
    caret = ""
    if text and error.offset:
        caret = "\n    " + " " * (max(error.offset, 1) - 1 - (len(text) - len(text.lstrip()))) + "^"
    where = f'  File "{SUBMISSION}", line {error.lineno}\n    {text.strip()}{caret}\n' if text else ""
    return {
        "type": type(error).__name__,
        "message": _text(error.msg),
        "errno": None,
        "line": error.lineno,
        "traceback": f"{where}{type(error).__name__}: {_text(error.msg)}",
    }


def _error(error: BaseException, path: str) -> dict[str, Any]:
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == path]
    lines = ["Traceback (most recent call last, frames from your file only):"] if frames else []
    for frame in frames[-TRACEBACK_FRAMES:]:
        lines.append(f'  File "{SUBMISSION}", line {frame.lineno}, in {frame.name}')
        if frame.line:
            lines.append(f"    {frame.line.strip()}")
    message = _message(error)
    lines.append(f"{type(error).__name__}: {message}" if message else type(error).__name__)
    return {
        "type": type(error).__name__,
        "message": message,
        "errno": error.errno if isinstance(error, OSError) else None,
        "line": frames[-1].lineno if frames else None,
        "traceback": "\n".join(lines),
    }


def _message(error: BaseException) -> str:
    try:
        return _text(str(error))
    except BaseException:  # noqa: BLE001 - a student exception whose __str__ fails
        return "(the exception's message could not be read)"


def _text(text: str) -> str:
    return text if len(text) <= MESSAGE_LIMIT else text[:MESSAGE_LIMIT] + " …"


class _Sender:
    """Write one JSON line per event; stop the child if the grader stopped reading."""

    def __init__(self, fd: int) -> None:
        self.fd = fd

    def __call__(self, event: dict[str, Any]) -> None:
        data = memoryview((json.dumps(event) + "\n").encode())
        try:
            while data:
                data = data[os.write(self.fd, data):]
        except OSError:
            os._exit(0)
