"""grader.guest_state: a guest's work sealed for the browser, and never forgeable there."""

from __future__ import annotations

import base64
import json
from datetime import datetime, timezone

import pytest

from grader import guest_state
from grader.guest_state import seal, secret_key, unseal

KEY = b"k" * 32
RECORD = {"problem_id": "eigen-2x2", "part_id": "eigenvalues", "seed": 0, "answer_kind": "set",
          "response": "2, 3", "submitted_at": datetime(2026, 1, 2, 3, 4, tzinfo=timezone.utc),
          "verdict": {"correct": False, "score": 0.0, "feedback": "no"},
          "idempotency_key": "abcdefgh-1"}


def test_round_trip():
    """What is sealed comes back equal, timestamps included."""
    assert unseal(seal([RECORD], KEY), KEY) == [RECORD]
    assert unseal(seal([], KEY), KEY) == []


@pytest.mark.parametrize("tamper", [
    lambda s: s[:-1] + ("0" if s[-1] != "0" else "1"),                  # signature
    lambda s: s.replace("g1.", "g2.", 1),                                # version
    lambda s: "",
    lambda s: "not sealed at all",
])
def test_tampering_is_refused(tamper):
    """A changed string is refused (None), never half-read."""
    assert unseal(tamper(seal([RECORD], KEY)), KEY) is None


def test_a_forged_verdict_is_refused():
    """Rewriting the body to claim a correct answer breaks the signature."""
    version, body, signature = seal([RECORD], KEY).split(".")
    records = json.loads(base64.urlsafe_b64decode(body))
    records[0]["verdict"] = {"correct": True, "score": 1.0, "feedback": "Correct."}
    forged = base64.urlsafe_b64encode(json.dumps(records).encode()).decode()
    assert unseal(f"{version}.{forged}.{signature}", KEY) is None


def test_another_key_is_refused():
    assert unseal(seal([RECORD], KEY), b"other key") is None


def test_too_long_drops_the_oldest(monkeypatch):
    """Past the size limit the oldest answers are dropped, the newest kept."""
    monkeypatch.setattr(guest_state, "MAX_SEALED", 1200)
    records = [{**RECORD, "idempotency_key": f"key-{n:04}", "response": "x" * 200}
               for n in range(10)]
    kept = unseal(seal(records, KEY), KEY)
    assert 0 < len(kept) < 10 and kept[-1]["idempotency_key"] == "key-0009"


def test_secret_key_from_the_environment_or_a_private_file(tmp_path, monkeypatch):
    """GRADER_SECRET_KEY wins; otherwise one random key is made once, readable by us only."""
    monkeypatch.setenv("GRADER_SECRET_KEY", "configured")
    assert secret_key(tmp_path) == b"configured"
    monkeypatch.delenv("GRADER_SECRET_KEY")
    first = secret_key(tmp_path)
    assert first == secret_key(tmp_path) and len(first) == 64
    assert (tmp_path / "guest-secret.key").stat().st_mode & 0o777 == 0o600
