"""Lists (清单制): duty lists and their versions, items and flow steps; the service desk
(帮办代办) log; three-affairs disclosures (三务公开); attachments.

A list belongs to a village, or (village_id empty) is a template of its town. Its content
lives in versions: a draft is edited, then adopted at a meeting and in force from a date;
an adopted version, its items and their steps never change (the services refuse it).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.core.clock import utcnow
from webapp.extensions import db
from webapp.people.models.geo import Town, Village
from webapp.people.models.household import Household
from webapp.people.models.user import User


class DutyList(db.Model):
    """One list (清单) of a village, or a town's template (village_id empty)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    town_id: Mapped[int] = mapped_column(ForeignKey("town.id"), index=True)
    village_id: Mapped[int | None] = mapped_column(ForeignKey("village.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # a code of domain.lists.LIST_KINDS
    code: Mapped[str] = mapped_column(String(32))  # unique per village (or per town's templates): the services check
    name: Mapped[str] = mapped_column(String(100))
    template_id: Mapped[int | None] = mapped_column(ForeignKey("duty_list.id"))  # the town template it adapts
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    town: Mapped[Town] = relationship()
    village: Mapped[Village | None] = relationship()
    versions: Mapped[list[ListVersion]] = relationship(
        back_populates="duty_list", order_by="ListVersion.number", cascade="all, delete-orphan"
    )

    @property
    def is_template(self) -> bool:
        return self.village_id is None


class ListVersion(db.Model):
    """A version of a list: a draft, or adopted (meeting date, decision, in force from a date) and then frozen."""

    __table_args__ = (UniqueConstraint("list_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("duty_list.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12), default="draft")  # draft | adopted
    change_note: Mapped[str] = mapped_column(String(300), default="")  # what this draft changes, and why
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    meeting_on: Mapped[date | None] = mapped_column(Date)  # the meeting that adopted it
    decision: Mapped[str] = mapped_column(Text, default="")  # the meeting's decision, as minuted
    effective_from: Mapped[date | None] = mapped_column(Date)
    adopted_at: Mapped[datetime | None] = mapped_column(DateTime)
    adopted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    fingerprint: Mapped[str] = mapped_column(String(64), default="")  # SHA-256 of the adopted content

    duty_list: Mapped[DutyList] = relationship(back_populates="versions")
    items: Mapped[list[ListItem]] = relationship(
        back_populates="version", order_by="ListItem.position", cascade="all, delete-orphan"
    )


class ListItem(db.Model):
    """An item (事项) of a list version, with what a villager needs to know to use it."""

    __table_args__ = (UniqueConstraint("version_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("list_version.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(100), default="")
    responsible: Mapped[str] = mapped_column(String(200), default="")  # 责任主体
    time_limit_days: Mapped[int | None] = mapped_column(Integer)  # explicit limit; else the sum of the steps
    basis: Mapped[str] = mapped_column(Text, default="")  # 政策依据
    conditions: Mapped[str] = mapped_column(Text, default="")  # 办理条件
    materials: Mapped[str] = mapped_column(Text, default="")  # 所需材料
    supervisor: Mapped[str] = mapped_column(String(200), default="")  # 监督主体
    supervision: Mapped[str] = mapped_column(Text, default="")  # 监督方式
    guide: Mapped[str] = mapped_column(String(200), default="")  # 指导单位

    version: Mapped[ListVersion] = relationship(back_populates="items")
    steps: Mapped[list[FlowStep]] = relationship(
        back_populates="item", order_by="FlowStep.position", cascade="all, delete-orphan"
    )


class FlowStep(db.Model):
    """One step of an item's flow: who does what, within how many days."""

    __tablename__ = "list_flow_step"
    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("list_item.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    actor: Mapped[str] = mapped_column(String(100), default="")
    action: Mapped[str] = mapped_column(String(500))
    days: Mapped[int | None] = mapped_column(Integer)

    item: Mapped[ListItem] = relationship(back_populates="steps")


class ServiceMatter(db.Model):
    """A matter the service desk handles on a household's behalf (帮办代办). Names a household: never public."""

    __table_args__ = (UniqueConstraint("village_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"), index=True)
    number: Mapped[str] = mapped_column(String(20))  # 2026-0001, per village
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("list_item.id"), index=True)
    received_on: Mapped[date] = mapped_column(Date, index=True)
    due_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), default="received")
    closed_on: Mapped[date | None] = mapped_column(Date)  # done or returned
    return_reason: Mapped[str] = mapped_column(Text, default="")
    handler: Mapped[str] = mapped_column(String(50), default="")  # the desk officer (帮办代办专员)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    household: Mapped[Household] = relationship()
    item: Mapped[ListItem] = relationship()
    events: Mapped[list[MatterEvent]] = relationship(order_by="MatterEvent.id", cascade="all, delete-orphan")
    attachments: Mapped[list[Attachment]] = relationship(
        order_by="Attachment.id", primaryjoin="Attachment.matter_id == ServiceMatter.id", viewonly=True
    )


class MatterEvent(db.Model):
    """One change of a matter's status, kept for the log."""

    __tablename__ = "service_matter_event"
    id: Mapped[int] = mapped_column(primary_key=True)
    matter_id: Mapped[int] = mapped_column(ForeignKey("service_matter.id"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    day: Mapped[date] = mapped_column(Date)  # the working day it happened
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    from_status: Mapped[str] = mapped_column(String(12), default="")
    to_status: Mapped[str] = mapped_column(String(12))
    note: Mapped[str] = mapped_column(Text, default="")

    actor: Mapped[User | None] = relationship()


class Disclosure(db.Model):
    """A dated three-affairs post (三务公开): party, village or finance affairs. Public from its date."""

    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"), index=True)
    category: Mapped[str] = mapped_column(String(12))  # party | village | finance
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    published_on: Mapped[date] = mapped_column(Date, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    village: Mapped[Village] = relationship()
    attachments: Mapped[list[Attachment]] = relationship(
        order_by="Attachment.id", primaryjoin="Attachment.disclosure_id == Disclosure.id", viewonly=True
    )


class Attachment(db.Model):
    """A PDF or picture attached to a disclosure or a matter; the bytes live content-addressed on disk."""

    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"), index=True)
    disclosure_id: Mapped[int | None] = mapped_column(ForeignKey("disclosure.id"), index=True)
    matter_id: Mapped[int | None] = mapped_column(ForeignKey("service_matter.id"), index=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    filename: Mapped[str] = mapped_column(String(200))  # as uploaded, for the download name only
    uploaded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
