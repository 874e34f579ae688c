"""A guest's work, sealed so the browser can keep it across reloads without forging it.

A guest has no account, so their answers live in the server-side Streamlit session, which a
reload replaces. To survive reloads the app also keeps a copy in the tab's
``sessionStorage``: :func:`seal` turns the guest's submissions into one opaque string
(JSON, base64url, HMAC-SHA256 with a server key), :func:`unseal` checks and reads it back.
The signature matters because a guest can later turn their work into an account, and the
imported verdicts then count in the gradebook: a browser must not be able to invent a
"correct" verdict. :func:`secret_key` finds the key: ``$GRADER_SECRET_KEY``, else a random
key kept in a file next to the embedded database (created on first use, mode 0600). Several
app replicas must share ``GRADER_SECRET_KEY``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

__all__ = ["seal", "unseal", "secret_key", "MAX_SEALED", "FIELDS"]

MAX_SEALED = 1_000_000          # characters the browser is asked to keep (sessionStorage ~5 MB)
FIELDS = ("problem_id", "part_id", "seed", "answer_kind", "response", "submitted_at", "verdict",
          "idempotency_key")
_VERSION = "g1"


def secret_key(directory: Path | None = None) -> bytes:
    """The server's key: ``$GRADER_SECRET_KEY``, else ``data/guest-secret.key`` (made once)."""
    configured = os.environ.get("GRADER_SECRET_KEY", "").strip()
    if configured:
        return configured.encode()
    from grader.storage.database import DEFAULT_SQLITE_PATH

    path = (directory or DEFAULT_SQLITE_PATH.parent) / "guest-secret.key"
    try:
        return path.read_bytes()
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_hex(32).encode()
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:             # another process made it first: use theirs
            return path.read_bytes()
        with os.fdopen(descriptor, "wb") as file:
            file.write(key)
        return key


def _plain(record: dict[str, Any]) -> dict[str, Any]:
    plain = {field: record.get(field) for field in FIELDS}
    if isinstance(plain["submitted_at"], datetime):
        plain["submitted_at"] = plain["submitted_at"].isoformat()
    return plain


def _sign(body: str, key: bytes) -> str:
    return hmac.new(key, f"{_VERSION}.{body}".encode(), hashlib.sha256).hexdigest()


def seal(submissions: Sequence[dict[str, Any]], key: bytes) -> str:
    """The submissions as one signed string; the oldest are dropped if it would be too long."""
    kept = [_plain(record) for record in submissions]
    while True:
        body = base64.urlsafe_b64encode(json.dumps(kept, separators=(",", ":"))
                                        .encode()).decode()
        sealed = f"{_VERSION}.{body}.{_sign(body, key)}"
        if len(sealed) <= MAX_SEALED or not kept:
            return sealed
        kept = kept[1:]


def unseal(sealed: str, key: bytes) -> list[dict[str, Any]] | None:
    """The submissions in ``sealed``, or None if it is not a string this server sealed."""
    if not isinstance(sealed, str) or len(sealed) > MAX_SEALED + 100:
        return None
    version, _, rest = sealed.partition(".")
    body, _, signature = rest.rpartition(".")
    if version != _VERSION or not body or not hmac.compare_digest(signature, _sign(body, key)):
        return None
    try:
        records = json.loads(base64.urlsafe_b64decode(body.encode()))
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(records, list):
        return None
    restored = []
    for record in records:
        if not isinstance(record, dict):
            return None
        record = {field: record.get(field) for field in FIELDS}
        try:
            record["submitted_at"] = datetime.fromisoformat(str(record["submitted_at"]))
        except ValueError:
            return None
        restored.append(record)
    return restored
