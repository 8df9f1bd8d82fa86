"""Score entries, household inspections and redemption freezes.

Entries are never edited or deleted: a correction is a new entry that
references the one it corrects (DOMAIN.md §4).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    literal,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from webapp.core.clock import utcnow
from webapp.extensions import db
from webapp.people.models.household import Household, Member
from webapp.people.models.user import User
from webapp.points.models.scheme import POINTS, Item, SchemeVersion


def month_number(day: date) -> int:
    """A date's month as YYYYMM (202603), the key months are indexed by."""
    return day.year * 100 + day.month


class Entry(db.Model):
    __table_args__ = (
        # Covers the monthly tally of a village in GROUP BY order (no table lookups, no sort):
        # the ranking's hot path.
        Index(
            "ix_entry_village_month", "village_id", "occurred_month", "household_id", "member_id", "item_id",
            "status", "quantity",
        ),
        # Earlier months' year-capped / once-a-year items, without scanning the months.
        Index(
            "ix_entry_village_item_month", "village_id", "item_id", "occurred_month", "household_id", "member_id",
            "status", "quantity",
        ),
        Index("ix_entry_household_month", "household_id", "occurred_month"),
        # A village's entries by day, covering: the town's dashboard finds each grid's last entry of a fortnight.
        Index("ix_entry_village_day", "village_id", "occurred_on", "household_id"),
        # Only the entries waiting for review (partial): the homes' "waiting" counts read these rows, the open
        # months' and a closed month's late ones alike, never a village's reviewed history. A query must
        # spell the predicate as a literal (ENTRY_WAITING below) for the planners to pick it.
        Index("ix_entry_waiting", "village_id", "occurred_month",
              sqlite_where=text("status = 'recorded'"), postgresql_where=text("status = 'recorded'")),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    # Made on the phone when the form opens; unique for ever so that uploads are idempotent.
    client_uuid: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True, default=uuid.uuid4)
    # Copied from the household (which never changes village) so a village's month is one index range.
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"))
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("member.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("item.id"))
    scheme_version_id: Mapped[int] = mapped_column(ForeignKey("scheme_version.id"))
    quantity: Mapped[Decimal] = mapped_column(POINTS, default=Decimal(1))
    occurred_at: Mapped[datetime] = mapped_column(DateTime)  # UTC, as the device claimed it
    # The village's local date of occurred_at: the period an entry belongs to.
    occurred_on: Mapped[date] = mapped_column(Date)
    # occurred_on's month as YYYYMM, kept by the model: an index key, so a month is one index range.
    occurred_month: Mapped[int] = mapped_column(Integer)
    received_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)  # orders things
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    device: Mapped[str] = mapped_column(String(100), default="")
    status: Mapped[str] = mapped_column(String(16), default="recorded")
    note: Mapped[str] = mapped_column(Text, default="")
    place: Mapped[str] = mapped_column(String(200), default="")
    flags: Mapped[list[str]] = mapped_column(JSON, default=list)
    corrects_entry_id: Mapped[int | None] = mapped_column(ForeignKey("entry.id"), index=True)
    # The publication that first showed this entry: set when its period (or, for a late entry or a
    # correction, the next period) is closed. Empty while it waits for a publication.
    publication_id: Mapped[int | None] = mapped_column(ForeignKey("publication.id"), index=True)

    household: Mapped[Household] = relationship()
    member: Mapped[Member | None] = relationship()
    item: Mapped[Item] = relationship()

    @validates("occurred_on")
    def _keep_month(self, _key: str, day: date) -> date:
        self.occurred_month = month_number(day)
        return day
    scheme_version: Mapped[SchemeVersion] = relationship()
    recorded_by: Mapped[User | None] = relationship()


class Inspection(db.Model):
    """入户评分: one per household per inspection period, with a state per base item.

    A correction is a new revision of the same household and period (never an edit); the
    engine counts the highest counted revision."""

    __table_args__ = (
        UniqueConstraint("household_id", "period", "revision"),
        # A village's period (the town's "inspected" counts, the committee's "not yet inspected"), covering.
        Index("ix_inspection_village_period", "village_id", "period", "status", "household_id"),
        # Only the inspections waiting for review (partial), as ix_entry_waiting.
        Index("ix_inspection_waiting", "village_id", "period",
              sqlite_where=text("status = 'recorded'"), postgresql_where=text("status = 'recorded'")),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    client_uuid: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True, default=uuid.uuid4)
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    period: Mapped[str] = mapped_column(String(8))  # "2026-03", "2026-Q1" or "2026"
    scheme_version_id: Mapped[int] = mapped_column(ForeignKey("scheme_version.id"))
    occurred_at: Mapped[datetime] = mapped_column(DateTime)
    received_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    device: Mapped[str] = mapped_column(String(100), default="")
    status: Mapped[str] = mapped_column(String(16), default="recorded")
    note: Mapped[str] = mapped_column(Text, default="")
    flags: Mapped[list[str]] = mapped_column(JSON, default=list)
    revision: Mapped[int] = mapped_column(Integer, default=0)
    corrects_inspection_id: Mapped[int | None] = mapped_column(ForeignKey("inspection.id"))
    publication_id: Mapped[int | None] = mapped_column(ForeignKey("publication.id"), index=True)

    household: Mapped[Household] = relationship()
    recorded_by: Mapped[User | None] = relationship()
    items: Mapped[list[InspectionItem]] = relationship(back_populates="inspection", cascade="all")


# The waiting predicates as the partial indexes spell them: rendered as a literal, not a bound parameter, as a
# planner picks a partial index only when it sees that the query implies the index's predicate.
ENTRY_WAITING = Entry.status == literal("recorded", literal_execute=True)
INSPECTION_WAITING = Inspection.status == literal("recorded", literal_execute=True)


class InspectionItem(db.Model):
    __table_args__ = (UniqueConstraint("inspection_id", "item_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspection.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("item.id"))
    met: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(String(200), default="")

    inspection: Mapped[Inspection] = relationship(back_populates="items")
    item: Mapped[Item] = relationship()


class Freeze(db.Model):
    """冻结兑换: the household may earn but not redeem while a freeze is active."""

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)  # None: until the committee lifts it
    reason: Mapped[str] = mapped_column(String(200))
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("entry.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
from webapp.points.models import figures as figures  # noqa: E402, F401 - registers the stored figures
