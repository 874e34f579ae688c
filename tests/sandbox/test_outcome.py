"""Reading a worker's reply: the event grammar, tampering, and how a process ended."""

from __future__ import annotations

import json
import signal

import pytest

from grader.sandbox.outcome import categorize, interpret

DONE = b'{"event": "done"}\n'
LOADED = b'{"event": "loaded", "parameters": [{"name": "x", "kind": "POSITIONAL_OR_KEYWORD", "default": false}]}\n'


def call(index: int, value: float = 1.0) -> bytes:
    return (json.dumps({"event": "call", "index": index, "ok": True, "value": {"kind": "number", "value": value},
                        "changed_inputs": False}) + "\n").encode()


def reply(**overrides) -> dict:
    return {"stopped": None, "exit_code": None, "signal": None, "elapsed": 0.01, **overrides}


@pytest.mark.parametrize(
    ("result", "status"),
    [
        (LOADED + call(0) + call(1) + DONE, "completed"),
        (LOADED + call(0) + call(0) + DONE, "tampered"),  # duplicated call
        (LOADED + call(1) + call(0) + DONE, "tampered"),  # out of order
        (LOADED + call(0) + DONE, "tampered"),  # done too early
        (DONE + LOADED + call(0) + call(1) + DONE, "tampered"),  # done first
        (LOADED + call(0) + call(1) + DONE + DONE, "tampered"),  # after the end
        (b"all tests passed\n" + LOADED + call(0) + call(1) + DONE, "tampered"),
        (b"[" * 100000 + b"\n", "tampered"),  # deep nesting does not crash the parser
        (b'{"event": "load_error", "reason": "pwned", "error": null}\n', "tampered"),
    ],
)
def test_event_grammar(result, status):
    """Only the harness's exact sequence of events is accepted."""
    assert interpret(reply(), b"", result, 2, 65536).status == status


@pytest.mark.parametrize(
    ("overrides", "status", "fragment"),
    [
        ({"stopped": "timeout", "elapsed": 1.02}, "timeout", "after 1.0 s (1 of 2 calls had finished)"),
        ({"stopped": "output_limit"}, "output_limit", "more than 64 KiB"),
        ({"stopped": "result_limit"}, "result_limit", "far more data"),
        ({"signal": signal.SIGXCPU}, "timeout", "CPU time limit"),
        ({"signal": signal.SIGSEGV}, "crashed", "SIGSEGV after 1 of 2 calls"),
        ({"signal": signal.SIGKILL}, "crashed", "possibly out of memory"),
        ({"exit_code": 3}, "exited", "exit code 3"),
    ],
)
def test_how_the_process_ended(overrides, status, fragment):
    """A run that stopped early keeps its finished calls and says why it stopped."""
    result = interpret(reply(**overrides), b"", LOADED + call(0), 2, 65536)
    assert result.status == status
    assert fragment in result.message
    assert len(result.calls) == 1


@pytest.mark.parametrize(
    ("kind", "message", "number", "category"),
    [
        ("PermissionError", "[Errno 13] Permission denied: '/etc/shadow'", 13, "forbidden"),
        ("OSError", "[Errno 1] Operation not permitted", 1, "forbidden"),
        ("RuntimeError", "DefaultCPUAllocator: can't allocate memory: you tried", None, "memory_limit"),
        ("MemoryError", "", None, "memory_limit"),
        ("OSError", "[Errno 27] File too large", 27, "file_limit"),
        ("SystemExit", "0", None, "exit"),
        ("ZeroDivisionError", "division by zero", None, "exception"),
    ],
)
def test_categorize(kind, message, number, category):
    assert categorize(kind, message, number) == category


def test_output_is_trimmed_and_decoded_leniently():
    """Captured output is shown trimmed; invalid UTF-8 does not break the report."""
    result = interpret(reply(), b"\xff" + b"a" * 10000, LOADED + call(0) + call(1) + DONE, 2, 65536)
    assert result.output.startswith("\ufffd") and len(result.output) == 4000 and result.output_truncated
