"""Review groups (评议小组), their members and areas, and each reviewer's decision on an entry."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Date, DateTime, ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.core.clock import utcnow
from webapp.extensions import db
from webapp.people.models.geo import Grid, Village, VillageGroup
from webapp.people.models.user import User


class ReviewGroup(db.Model):
    """A scoring/review group: its members review the entries of an area of ≤100 households.

    With cross-review (交叉考察评议) the group reviews another group's area instead of its own."""

    __table_args__ = (UniqueConstraint("village_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"), index=True)
    name: Mapped[str] = mapped_column(String(50))
    reviews_group_id: Mapped[int | None] = mapped_column(ForeignKey("review_group.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    village: Mapped[Village] = relationship()
    reviews_group: Mapped[ReviewGroup | None] = relationship(remote_side="ReviewGroup.id")
    members: Mapped[list[ReviewGroupMember]] = relationship(
        back_populates="group", cascade="all, delete-orphan", order_by="ReviewGroupMember.id")
    areas: Mapped[list[ReviewGroupArea]] = relationship(
        back_populates="group", cascade="all, delete-orphan", order_by="ReviewGroupArea.id")


class ReviewGroupMember(db.Model):
    __table_args__ = (UniqueConstraint("group_id", "user_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("review_group.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)

    group: Mapped[ReviewGroup] = relationship(back_populates="members")
    user: Mapped[User] = relationship()


class ReviewGroupArea(db.Model):
    """One grid or one village group of a review group's own area."""

    __table_args__ = (
        CheckConstraint("(grid_id IS NULL) <> (village_group_id IS NULL)", name="ck_area_one_kind"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("review_group.id"), index=True)
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("grid.id"))
    village_group_id: Mapped[int | None] = mapped_column(ForeignKey("village_group.id"))

    group: Mapped[ReviewGroup] = relationship(back_populates="areas")
    grid: Mapped[Grid | None] = relationship()
    village_group: Mapped[VillageGroup | None] = relationship()


class ReviewDecision(db.Model):
    """One reviewer's decision on an entry or an inspection; append-only, like the audit trail."""

    __table_args__ = (
        Index("ix_review_decision_entry", "entry_id", "reviewer_id"),
        Index("ix_review_decision_inspection", "inspection_id", "reviewer_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("entry.id"))
    inspection_id: Mapped[int | None] = mapped_column(ForeignKey("inspection.id"))
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    decision: Mapped[str] = mapped_column(String(16))  # approve, reject, adjust
    reason: Mapped[str] = mapped_column(Text, default="")
    # The correction an adjustment made: a delta entry, or a new inspection revision.
    correction_entry_id: Mapped[int | None] = mapped_column(ForeignKey("entry.id"))
    correction_inspection_id: Mapped[int | None] = mapped_column(ForeignKey("inspection.id"))
    # What an adjustment proposed: an entry's quantity, or an inspection's findings ({code: met}).
    # The correction is made from it once the entry has all the approvals it needs.
    quantity: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    findings: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # The review group's meeting it was decided in (经全体评议小组成员会议研究核实), if recorded as such.
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("review_meeting.id"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    reviewer: Mapped[User] = relationship()


class ReviewMeeting(db.Model):
    """A meeting of the review group(s) of a village: its day, who was there, a note; the decisions
    recorded as taken in it point to it (ReviewDecision.meeting_id)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"), index=True)
    held_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    village: Mapped[Village] = relationship()
    members: Mapped[list[ReviewMeetingMember]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="ReviewMeetingMember.id")


class ReviewMeetingMember(db.Model):
    """A member present at a review meeting."""

    __table_args__ = (UniqueConstraint("meeting_id", "user_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("review_meeting.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))

    meeting: Mapped[ReviewMeeting] = relationship(back_populates="members")
    user: Mapped[User] = relationship()
