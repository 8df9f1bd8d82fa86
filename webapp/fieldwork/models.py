"""Phones that sync, what they sent (for idempotency), and the photos they upload."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.extensions import db
from webapp.core.clock import utcnow
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


class Photo(db.Model):
    """A processed photo, stored content-addressed (by the SHA-256 of the stored file)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    # What the phone uploaded: the idempotency key of the upload.
    upload_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    stored_sha256: Mapped[str] = mapped_column(String(64), index=True)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    bytes: Mapped[int] = mapped_column(Integer)
    taken_at: Mapped[datetime | None] = mapped_column(DateTime)
    uploaded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))


class EntryPhoto(db.Model):
    """A photo an entry or inspection said it has; photo_id stays empty until the upload arrives."""

    __table_args__ = (UniqueConstraint("client_uuid", "upload_sha256", "item_code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    client_uuid: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("entry.id"), index=True)
    inspection_id: Mapped[int | None] = mapped_column(ForeignKey("inspection.id"), index=True)
    item_code: Mapped[str] = mapped_column(String(32), default="")  # an inspection's item, or ""
    upload_sha256: Mapped[str] = mapped_column(String(64))
    photo_id: Mapped[int | None] = mapped_column(ForeignKey("photo.id"))

    photo: Mapped[Photo | None] = relationship()
