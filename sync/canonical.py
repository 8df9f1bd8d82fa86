"""Canonical JSON and the payload hash that makes uploads idempotent."""

from __future__ import annotations

import hashlib
import json
from typing import Any


def canonical_json(value: Any) -> str:
    """One text per JSON value: keys sorted, no spaces, non-ASCII kept as is."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def payload_sha256(item: Any) -> str:
    """SHA-256 (hex) of an item's canonical JSON: the same form sent twice hashes the same,
    whatever order the phone wrote its keys in."""
    return text_sha256(canonical_json(item))


def text_sha256(text: str) -> str:
    """SHA-256 (hex) of a text's UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
