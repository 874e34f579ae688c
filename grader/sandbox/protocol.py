"""Frames between the grader and a worker: a small JSON header, then raw bytes.

    [4-byte big-endian header length][header JSON][payload bytes ...]

The header says how many payload bytes follow and in which parts. The bytes that carry a
student's code, output or results are never turned into Python objects inside the worker: they
are read into fixed buffers with `readinto`, handed to the child by fork, passed back to the
grader as raw bytes, and the buffers are zeroed after each run. A child can read the memory it
inherits from the worker, so this keeps one student's code and results out of the next one's
reach.
"""

from __future__ import annotations

import json
import os
import select
import struct
import time
from typing import Any

HEADER_LIMIT = 64 * 1024
PAYLOAD_LIMIT = 8 * 2**20  # one request: source plus calls as JSON


class ProtocolError(RuntimeError):
    """The other side closed the pipe, sent something malformed or did not answer in time."""


def send(fd: int, header: dict[str, Any], *parts: bytes | bytearray | memoryview) -> None:
    data = json.dumps(header).encode()
    chunks: list[bytes | bytearray | memoryview] = [struct.pack(">I", len(data)), data, *parts]
    for chunk in chunks:
        view = memoryview(chunk)
        while view:
            written = os.write(fd, view)
            view = view[written:]


def receive_header(fd: int, deadline: float | None = None) -> dict[str, Any] | None:
    """Read one header; None on a clean end of stream before any byte."""
    prefix = read_exact(fd, 4, deadline, allow_eof=True)
    if prefix is None:
        return None
    (size,) = struct.unpack(">I", prefix)
    if size > HEADER_LIMIT:
        raise ProtocolError(f"header of {size} bytes exceeds {HEADER_LIMIT}")
    raw = read_exact(fd, size, deadline)
    assert raw is not None
    try:
        header = json.loads(raw)
    except ValueError as error:
        raise ProtocolError(f"malformed header: {error}") from error
    if not isinstance(header, dict):
        raise ProtocolError("header is not a JSON object")
    return header


def read_exact(fd: int, size: int, deadline: float | None = None, *, allow_eof: bool = False) -> bytes | None:
    buffer = bytearray(size)
    if size and readinto(fd, memoryview(buffer), deadline) == 0:
        if allow_eof:
            return None
        raise ProtocolError("stream ended before the frame")
    return bytes(buffer)


def readinto(fd: int, view: memoryview, deadline: float | None = None) -> int:
    """Fill `view` completely from `fd`; return 0 on end of stream before the first byte."""
    done = 0
    while done < len(view):
        if deadline is not None:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
                raise ProtocolError("no answer before the deadline")
        count = os.readv(fd, [view[done:]])
        if count == 0:
            if done == 0:
                return 0
            raise ProtocolError(f"stream ended after {done} of {len(view)} bytes")
        done += count
    return done
