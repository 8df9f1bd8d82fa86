"""Published results: a closed period's frozen ranking, its public snapshot and hash, the
committee's picks, and villagers' objections."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.core.clock import utcnow
from webapp.extensions import db
from webapp.people.models.geo import Village
from webapp.people.models.household import Household
from webapp.people.models.user import User
from webapp.photos.models import Photo


class Publication(db.Model):
    """One village's results for one period: closed (ranking frozen), notice (公示), final."""

    __table_args__ = (UniqueConstraint("village_id", "period"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"), index=True)
    period: Mapped[str] = mapped_column(String(8))  # "2026-03", "2026-Q1" or "2026"
    kind: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(8), default="closed")
    closed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # Frozen at close, never changed: ranking rows with household ids, carried entries, awards.
    frozen: Mapped[dict[str, Any]] = mapped_column(JSON)
    published_at: Mapped[datetime | None] = mapped_column(DateTime)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    notice_starts_on: Mapped[date | None] = mapped_column(Date)
    notice_ends_on: Mapped[date | None] = mapped_column(Date)
    # The public snapshot as canonical JSON (names and points only) and its SHA-256: set once, at publish.
    snapshot: Mapped[str | None] = mapped_column(Text)
    sha256: Mapped[str | None] = mapped_column(String(64), unique=True)
    finalised_at: Mapped[datetime | None] = mapped_column(DateTime)
    finalised_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    village: Mapped[Village] = relationship()
    picks: Mapped[list[PublicationPick]] = relationship(
        back_populates="publication", cascade="all, delete-orphan", order_by="PublicationPick.position")
    photos: Mapped[list[PublicationPhoto]] = relationship(
        back_populates="publication", cascade="all, delete-orphan", order_by="PublicationPhoto.position")


class PublicationPick(db.Model):
    """A committee's choice before publishing: a model household (示范户), an honour-roll place,
    or the decision on a household tied at the last prize slot."""

    __table_args__ = (UniqueConstraint("publication_id", "kind", "household_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    publication_id: Mapped[int] = mapped_column(ForeignKey("publication.id"), index=True)
    kind: Mapped[str] = mapped_column(String(8))  # model, honour, prize
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"))
    # For prize: whether the committee gives the tied household the prize.
    granted: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    publication: Mapped[Publication] = relationship(back_populates="picks")
    household: Mapped[Household] = relationship()


class PublicationPhoto(db.Model):
    """A photo the committee chose to show on the board (its metadata was stripped on upload)."""

    __table_args__ = (UniqueConstraint("publication_id", "photo_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    publication_id: Mapped[int] = mapped_column(ForeignKey("publication.id"), index=True)
    photo_id: Mapped[int] = mapped_column(ForeignKey("photo.id"))
    caption: Mapped[str] = mapped_column(String(100), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)

    publication: Mapped[Publication] = relationship(back_populates="photos")
    photo: Mapped[Photo] = relationship()


class Objection(db.Model):
    """异议: a villager's objection to a household's published result, and the committee's answer."""

    id: Mapped[int] = mapped_column(primary_key=True)
    publication_id: Mapped[int] = mapped_column(ForeignKey("publication.id"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)  # the result objected to
    filed_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    photo_id: Mapped[int | None] = mapped_column(ForeignKey("photo.id"))
    filed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(10), default="open")
    answer: Mapped[str] = mapped_column(Text, default="")
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    answered_at: Mapped[datetime | None] = mapped_column(DateTime)
    correction_entry_id: Mapped[int | None] = mapped_column(ForeignKey("entry.id"))
    correction_inspection_id: Mapped[int | None] = mapped_column(ForeignKey("inspection.id"))
    # The next publication, which lists the outcome.
    listed_in_id: Mapped[int | None] = mapped_column(ForeignKey("publication.id"))

    publication: Mapped[Publication] = relationship(foreign_keys=[publication_id])
    household: Mapped[Household] = relationship()
    filed_by: Mapped[User] = relationship(foreign_keys=[filed_by_id])
    photo: Mapped[Photo | None] = relationship()
