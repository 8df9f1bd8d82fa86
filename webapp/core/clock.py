"""Timestamps are stored as naive UTC (`*_at` columns): SQLite keeps no zone."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Current UTC time without tzinfo, as every `*_at` column stores it."""
    return datetime.now(UTC).replace(tzinfo=None)
