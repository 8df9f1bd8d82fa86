"""Schemes (积分方案) and their immutable versions.

A version keeps the YAML it was imported from (the engine reads the rules from
that text) and the same rules as rows, so that entries can reference an item.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.core.clock import utcnow
from webapp.extensions import db
from webapp.people.models.geo import Village
from webapp.people.models.user import User

POINTS = Numeric(10, 2)

class Scheme(db.Model):
    __table_args__ = (UniqueConstraint("village_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(100))

    village: Mapped[Village] = relationship()
    versions: Mapped[list[SchemeVersion]] = relationship(
        back_populates="scheme", order_by="SchemeVersion.number"
    )

class SchemeVersion(db.Model):
    """Immutable once imported; new rules mean a new version with its own effective date."""

    __table_args__ = (UniqueConstraint("scheme_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    scheme_id: Mapped[int] = mapped_column(ForeignKey("scheme.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    effective_from: Mapped[date] = mapped_column(Date)
    source_text: Mapped[str] = mapped_column(Text)
    fingerprint: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    imported_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    note: Mapped[str] = mapped_column(String(200), default="")

    scheme: Mapped[Scheme] = relationship(back_populates="versions")
    imported_by: Mapped[User | None] = relationship()
    categories: Mapped[list[Category]] = relationship(order_by="Category.position")
    items: Mapped[list[Item]] = relationship(order_by="Item.position")
    caps: Mapped[list[Cap]] = relationship(order_by="Cap.position")

class Category(db.Model):
    __table_args__ = (UniqueConstraint("version_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("scheme_version.id"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str | None] = mapped_column(String(16))
    base_points: Mapped[Decimal | None] = mapped_column(POINTS)
    inspection_period: Mapped[str] = mapped_column(String(8))
    position: Mapped[int] = mapped_column(Integer)

class Item(db.Model):
    __table_args__ = (UniqueConstraint("version_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("scheme_version.id"), index=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("category.id"))
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(16))
    points: Mapped[Decimal] = mapped_column(POINTS)
    per: Mapped[str] = mapped_column(String(16))
    scope: Mapped[str] = mapped_column(String(16))
    evidence: Mapped[str] = mapped_column(String(16))
    credit: Mapped[str] = mapped_column(String(16))
    default_met: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer)

    category: Mapped[Category] = relationship()
    version: Mapped[SchemeVersion] = relationship(back_populates="items")


class Cap(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("scheme_version.id"), index=True)
    item_codes: Mapped[list[str]] = mapped_column(JSON)
    max_points: Mapped[Decimal] = mapped_column(POINTS)
    per: Mapped[str] = mapped_column(String(8))
    position: Mapped[int] = mapped_column(Integer)
from webapp.points.models import drafts as drafts  # noqa: E402, F401 - registers SchemeDraft (it imports Scheme)
