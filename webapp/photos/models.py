"""Evidence photos: each stored once, content-addressed, and the slots that entries and inspections
list for them (a slot stays empty until the phone's upload arrives)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.core.clock import utcnow
from webapp.extensions import db


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
    # The copy stamped (水印) with time, place and household, when the village stamps its photos:
    # what reviewers and the public see. The original (stored_sha256) is kept for the record.
    stamped_sha256: Mapped[str | None] = mapped_column(String(64))

    @property
    def shown_sha256(self) -> str:
        """The stored file people see: the stamped copy when there is one."""
        return self.stamped_sha256 or self.stored_sha256


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
