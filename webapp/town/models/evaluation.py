"""The village evaluation (行政村积分评价): a town's evaluation of a year, its items, the points the town
entered for a village (with a note and an evidence photo), and the results frozen when it is published."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import JSON, Date, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.extensions import db

POINTS = Numeric(10, 2)


class VillageEvaluation(db.Model):
    """One per town and year: set up by the town, published once (its results then stay as they were)."""

    __table_args__ = (UniqueConstraint("town_id", "year"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    town_id: Mapped[int] = mapped_column(ForeignKey("town.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(200), default="")  # the rules file its items were loaded from
    published_on: Mapped[date | None] = mapped_column(Date)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    items: Mapped[list[EvaluationItem]] = relationship(
        back_populates="evaluation", order_by="(EvaluationItem.position, EvaluationItem.id)",
        cascade="all, delete-orphan")
    results: Mapped[list[EvaluationResult]] = relationship(
        back_populates="evaluation", order_by="(EvaluationResult.rank, EvaluationResult.id)",
        cascade="all, delete-orphan")

    @property
    def published(self) -> bool:
        return self.published_on is not None


class EvaluationItem(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("village_evaluation.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(10))     # base / key / deduction (webapp/town/domain/evaluation.py)
    method: Mapped[str] = mapped_column(String(16))   # participation / stars / manual
    name: Mapped[str] = mapped_column(String(200))
    max_points: Mapped[Decimal] = mapped_column(POINTS)
    share_weight: Mapped[Decimal] = mapped_column(POINTS, default=Decimal(50))
    full_at: Mapped[Decimal] = mapped_column(POINTS, default=Decimal(100))

    evaluation: Mapped[VillageEvaluation] = relationship(back_populates="items")
    values: Mapped[list[EvaluationValue]] = relationship(back_populates="item", cascade="all, delete-orphan")


class EvaluationValue(db.Model):
    """The points the town entered for a manual item of one village, with its note and evidence."""

    __table_args__ = (UniqueConstraint("item_id", "village_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("evaluation_item.id"), index=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"), index=True)
    points: Mapped[Decimal] = mapped_column(POINTS)
    note: Mapped[str] = mapped_column(Text, default="")
    photo_id: Mapped[int | None] = mapped_column(ForeignKey("photo.id"))
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    entered_on: Mapped[date] = mapped_column(Date)

    item: Mapped[EvaluationItem] = relationship(back_populates="values")


class EvaluationResult(db.Model):
    """A village's figure and rank as published: the explanation lines are kept as they were shown."""

    __table_args__ = (UniqueConstraint("evaluation_id", "village_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("village_evaluation.id"), index=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"), index=True)
    total: Mapped[Decimal] = mapped_column(POINTS)
    rank: Mapped[int] = mapped_column(Integer)
    lines: Mapped[list] = mapped_column(JSON, default=list)

    evaluation: Mapped[VillageEvaluation] = relationship(back_populates="results")
