"""Phones that sync and what they sent (for idempotency); the photos they upload are webapp/photos/models.py."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.core.clock import utcnow
from webapp.extensions import db
from webapp.people.models.user import User


class Device(db.Model):
    """A phone allowed to sync for a user; the token is shown once and stored only as its SHA-256."""

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True, default=uuid.uuid4)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_seen_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class SyncReceipt(db.Model):
    """One uploaded item by its client UUID, for ever: the same payload again gets the stored
    result; a different payload under the same UUID is a conflict."""

    client_uuid: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # "event" or "inspection"
    payload_sha256: Mapped[str] = mapped_column(String(64))
    device_id: Mapped[int | None] = mapped_column(ForeignKey("device.id"), index=True)
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("entry.id"))
    inspection_id: Mapped[int | None] = mapped_column(ForeignKey("inspection.id"))
    received_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    result: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
