"""Household (户) and its members."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, ColumnElement, Date, ForeignKey, String, and_, or_
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from webapp.extensions import db
from webapp.people.domain.pinyin import pinyin_initials
from webapp.people.models.geo import Grid, Village, VillageGroup


class Household(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    # Codes are unique across the whole installation: the API addresses households by code.
    code: Mapped[str] = mapped_column(String(32), unique=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"), index=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("village_group.id"), index=True)
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("grid.id"), index=True)
    head_name: Mapped[str] = mapped_column(String(50))
    # Initials of the head's name in pinyin ("zsf" for 张三丰), for search on a phone keyboard.
    head_initials: Mapped[str] = mapped_column(String(50), default="", index=True)
    address: Mapped[str] = mapped_column(String(200), default="")
    # Personal data: never shown on public pages (PIPL).
    phone: Mapped[str] = mapped_column(String(32), default="")
    eligible: Mapped[bool] = mapped_column(Boolean, default=True)
    resident: Mapped[bool] = mapped_column(Boolean, default=True)
    # Takes part in points from enrolled_on (inclusive) until left_on (exclusive: the day it stopped);
    # a period ranks the households that took part in it for at least a day (participating_in).
    enrolled_on: Mapped[date | None] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date)
    left_reason: Mapped[str] = mapped_column(String(100), default="")  # why it stopped, as the committee wrote it

    village: Mapped[Village] = relationship()
    group: Mapped[VillageGroup | None] = relationship()
    grid: Mapped[Grid | None] = relationship()
    members: Mapped[list[Member]] = relationship(
        back_populates="household", order_by="(Member.is_head.desc(), Member.id)"
    )

    @validates("head_name")
    def _keep_initials(self, _key: str, name: str) -> str:
        # Set wherever the head's name is set, so search by initials can never go stale.
        self.head_initials = pinyin_initials(name)[:50]
        return name


class Member(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    name: Mapped[str] = mapped_column(String(50))
    relation: Mapped[str] = mapped_column(String(20), default="")
    is_head: Mapped[bool] = mapped_column(Boolean, default=False)
    id_number: Mapped[str] = mapped_column(String(32), default="")  # personal data, never public
    phone: Mapped[str] = mapped_column(String(32), default="")
    # A member joins (born, moved in) on joined_on and leaves (moved out, deceased) on left_on; the record
    # stays. `active` is kept equal to "has not left" (set together by webapp/people/services/household_edit.py).
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    joined_on: Mapped[date | None] = mapped_column(Date)
    joined_reason: Mapped[str] = mapped_column(String(20), default="")  # MEMBER_JOINED: "", "born", "moved_in"
    left_on: Mapped[date | None] = mapped_column(Date)
    left_reason: Mapped[str] = mapped_column(String(20), default="")  # MEMBER_LEFT: "", "moved_out", "deceased"

    household: Mapped[Household] = relationship(back_populates="members")


MEMBER_JOINED = ("born", "moved_in")
MEMBER_LEFT = ("moved_out", "deceased")


def participating_in(first: date, after: date) -> ColumnElement[bool]:
    """Households taking part in points for at least a day of [first, after): eligible, enrolled before
    `after` and not left by `first` (the rule of webapp/points/domain/ledger.py months_enrolled)."""
    return and_(
        Household.eligible.is_(True),
        or_(Household.enrolled_on.is_(None), Household.enrolled_on < after),
        or_(Household.left_on.is_(None), Household.left_on > first),
    )
