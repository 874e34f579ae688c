"""Read a worker's raw reply into a RunResult, trusting nothing the child wrote.

The result channel is parsed line by line against the harness's event grammar

    sandbox_error | load_error | loaded call(0) call(1) ... call(n-1) done

Any other shape (a line that is not JSON, an event out of order, a duplicated call) means the
student's code wrote to the channel itself: the run is "tampered". Values inside well-formed
events are still only data for the grader to check against its own reference.
"""

from __future__ import annotations

import errno as errnos
import json
import signal
from typing import Any

from grader.sandbox.results import CallOutcome, ErrorInfo, Parameter, RunResult

OUTPUT_SHOWN = 4000  # characters of captured output kept in a RunResult
_MEMORY_MARKERS = ("can't allocate memory", "cannot allocate memory", "out of memory")
_SIGNAL_NAMES = {s.value: s.name for s in signal.Signals}


class _Tampered(ValueError):
    pass


def interpret(reply: dict[str, Any], output: bytes, result: bytes, call_count: int, output_cap: int) -> RunResult:
    shown = output.decode("utf-8", "replace")
    common = {
        "output": shown[:OUTPUT_SHOWN],
        "output_truncated": len(shown) > OUTPUT_SHOWN or reply.get("stopped") == "output_limit",
        "elapsed": float(reply.get("elapsed", 0.0)),
    }
    try:
        events = _parse(result, call_count)
        tampered = None
    except _Tampered as error:
        events, tampered = {"calls": [], "parameters": None}, str(error)
    calls = tuple(events["calls"])
    parameters = events["parameters"]
    load = events.get("load_error")

    def result_with(status: str, message: str, error: ErrorInfo | None = None, names: tuple[str, ...] = ()) -> RunResult:
        return RunResult(status, message, parameters, calls, error, names, **common)

    stopped = reply.get("stopped")
    if stopped == "timeout":
        done = len(calls)
        return result_with("timeout", f"Time limit exceeded: the run was stopped after {common['elapsed']:.1f} s "
                           f"({done} of {call_count} calls had finished). Look for an infinite loop or very slow code.")
    if stopped == "output_limit":
        return result_with("output_limit", f"Your code printed more than {output_cap // 1024} KiB; it was stopped. "
                           "Remove large or repeated prints.")
    if stopped == "result_limit":
        return result_with("result_limit", "Your function returned far more data than expected; the run was stopped.")
    if tampered is not None:
        return result_with("tampered", "Your code wrote to the grader's result channel (a file descriptor it does "
                           f"not own); the run is void. ({tampered})")
    if "sandbox_error" in events:
        return result_with("sandbox_error", "The sandbox could not start your code (a grader problem, not yours): "
                           f"{events['sandbox_error']}")
    if load is not None:
        return _load_failure(load, result_with)
    if events.get("done"):
        return result_with("completed", "")
    return _early_end(reply, len(calls), call_count, result_with)


def _load_failure(load: dict[str, Any], result_with: Any) -> RunResult:
    reason, error = load["reason"], load.get("error")
    if reason == "syntax_error":
        line = f" on line {error.line}" if error and error.line else ""
        return result_with("syntax_error", f"Your file has a syntax error{line}: {error.message if error else ''}.", error)
    if reason in ("missing_function", "not_callable"):
        return result_with("missing_function", "", error, tuple(load.get("names", ())))
    if reason == "exit" or (error and error.category == "exit"):
        return result_with("exited", f"Your file called sys.exit while being imported ({error.message if error else ''}); "
                           "remove top-level exit calls.", error)
    assert error is not None
    if error.category == "forbidden":
        return result_with("forbidden", f"Your file tried an operation the sandbox forbids while being imported: "
                           f"{error.type}: {error.message}", error)
    if error.category == "memory_limit":
        return result_with("memory_limit", "Your file ran out of memory while being imported (limit 2 GiB).", error)
    if error.category == "file_limit":
        return result_with("output_limit", f"Your file wrote a file beyond the size limit while being imported: "
                           f"{error.message}", error)
    line = f" (line {error.line})" if error.line else ""
    return result_with("load_error", f"Importing your file raised {error.type}{line}: {error.message}", error)


def _early_end(reply: dict[str, Any], done: int, call_count: int, result_with: Any) -> RunResult:
    number = reply.get("signal")
    where = f"after {done} of {call_count} calls"
    if number is not None:
        name = _SIGNAL_NAMES.get(number, f"signal {number}")
        if number == signal.SIGXCPU:
            return result_with("timeout", f"CPU time limit exceeded {where}.")
        if number == signal.SIGXFSZ:
            return result_with("output_limit", f"Your code wrote a file beyond the size limit {where}.")
        if number == signal.SIGSYS:
            return result_with("forbidden", f"Your code made a system call the sandbox forbids ({name}) {where}.")
        hint = " (possibly out of memory)" if number == signal.SIGKILL else ""
        return result_with("crashed", f"Your code crashed with {name}{hint} {where}.")
    code = reply.get("exit_code")
    return result_with("exited", f"Your program ended by itself (exit code {code}) {where}; "
                       "do not call sys.exit or os._exit in your solution.")


def _parse(raw: bytes, call_count: int) -> dict[str, Any]:
    parsed: dict[str, Any] = {"calls": [], "parameters": None}
    state = "start"
    for number, line in enumerate(raw.split(b"\n")):
        if not line:
            continue
        if state == "end":
            raise _Tampered(f"line {number + 1} follows the end of the report")
        try:
            event = json.loads(line)
        except (ValueError, RecursionError) as error:
            raise _Tampered(f"line {number + 1} is not JSON") from error
        if not isinstance(event, dict):
            raise _Tampered(f"line {number + 1} is not an event")
        kind = event.get("event")
        if state == "start" and kind == "sandbox_error":
            parsed["sandbox_error"] = str(event.get("message", ""))[:500]
            state = "end"
        elif state == "start" and kind == "load_error":
            reason = event.get("reason")
            if reason not in ("syntax_error", "exception", "exit", "missing_function", "not_callable"):
                raise _Tampered(f"unknown load_error reason {reason!r:.40}")
            names = event.get("names", [])
            parsed["load_error"] = {
                "reason": reason,
                "error": _error(event["error"]) if event.get("error") is not None else None,
                "names": tuple(str(n) for n in names[:20]) if isinstance(names, list) else (),
            }
            state = "end"
        elif state == "start" and kind == "loaded":
            parsed["parameters"] = _parameters(event.get("parameters"))
            state = "calls"
        elif state == "calls" and kind == "call":
            parsed["calls"].append(_call(event, len(parsed["calls"]), call_count))
        elif state == "calls" and kind == "done":
            if len(parsed["calls"]) != call_count:
                raise _Tampered(f"done after {len(parsed['calls'])} of {call_count} calls")
            parsed["done"] = True
            state = "end"
        else:
            raise _Tampered(f"unexpected event {kind!r:.40} on line {number + 1}")
    return parsed


def _call(event: dict[str, Any], expected: int, call_count: int) -> CallOutcome:
    if event.get("index") != expected or expected >= call_count:
        raise _Tampered(f"call event {event.get('index')!r:.20} where call {expected} was due")
    if event.get("ok") is True:
        value = event.get("value")
        if not isinstance(value, dict) or not isinstance(value.get("kind"), str):
            raise _Tampered(f"call {expected} has a malformed value")
        return CallOutcome(expected, True, value, None, bool(event.get("changed_inputs")))
    if event.get("ok") is False and isinstance(event.get("error"), dict):
        return CallOutcome(expected, False, None, _error(event["error"]), False)
    raise _Tampered(f"call {expected} is malformed")


def _parameters(raw: Any) -> tuple[Parameter, ...] | None:
    if raw is None:
        return None
    if not isinstance(raw, list) or not all(isinstance(p, dict) for p in raw):
        raise _Tampered("malformed parameter list")
    return tuple(Parameter(str(p.get("name")), str(p.get("kind")), bool(p.get("default"))) for p in raw[:64])


def _error(raw: Any) -> ErrorInfo:
    if not isinstance(raw, dict):
        raise _Tampered("malformed error")
    kind = str(raw.get("type", "Exception"))[:100]
    message = str(raw.get("message", ""))[:2000]
    number = raw.get("errno") if isinstance(raw.get("errno"), int) else None
    line = raw.get("line") if isinstance(raw.get("line"), int) else None
    return ErrorInfo(kind, message, str(raw.get("traceback", ""))[:8000], line, number, categorize(kind, message, number))


def categorize(kind: str, message: str, number: int | None) -> str:
    """Which verdict an exception stands for; see results.CATEGORIES."""
    if kind == "SystemExit":
        return "exit"
    if kind == "PermissionError" or number in (errnos.EPERM, errnos.EACCES):
        return "forbidden"
    if kind == "MemoryError" or number == errnos.ENOMEM or any(m in message.lower() for m in _MEMORY_MARKERS):
        return "memory_limit"
    if number in (errnos.EFBIG, errnos.ENOSPC, errnos.EDQUOT):
        return "file_limit"
    return "exception"
