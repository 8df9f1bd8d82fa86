"""The case library (典型案例库): a village's case, its photos, and the town's decision on it.

A case may name the list item (清单制) or the points item (积分制) it is about. Its state follows the
table in webapp/town/domain/cases.py; the town's edits and decisions are in the audit trail.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.core.clock import utcnow
from webapp.extensions import db
from webapp.lists.models import ListItem
from webapp.people.models.geo import Town, Village
from webapp.photos.models import Photo


class TypicalCase(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    town_id: Mapped[int] = mapped_column(ForeignKey("town.id"), index=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"), index=True)
    title: Mapped[str] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="draft")  # draft → submitted → approved / returned
    list_item_id: Mapped[int | None] = mapped_column(ForeignKey("list_item.id"))
    points_item_code: Mapped[str] = mapped_column(String(32), default="")
    town_note: Mapped[str] = mapped_column(Text, default="")  # why the town returned it (the latest note)
    submissions: Mapped[int] = mapped_column(Integer, default=0)  # 1 when first submitted, 2 when resubmitted, …
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime)
    approved_at: Mapped[datetime | None] = mapped_column(DateTime)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    town: Mapped[Town] = relationship()
    village: Mapped[Village] = relationship()
    list_item: Mapped[ListItem | None] = relationship()
    photos: Mapped[list[TypicalCasePhoto]] = relationship(
        back_populates="case", order_by="(TypicalCasePhoto.position, TypicalCasePhoto.id)", cascade="all, delete-orphan")


class TypicalCasePhoto(db.Model):
    __table_args__ = (UniqueConstraint("case_id", "photo_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("typical_case.id"), index=True)
    photo_id: Mapped[int] = mapped_column(ForeignKey("photo.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    case: Mapped[TypicalCase] = relationship(back_populates="photos")
    photo: Mapped[Photo] = relationship()
