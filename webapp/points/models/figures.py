"""Stored figures: a closed period's household figures, and each village's points version.

A close stores every participating household's figures (published results never change; what
arrives for a closed period later goes into the next publication), so rankings, statements, year
totals and dashboards read a closed period instead of recomputing it (`jifen totals verify`
recomputes them from the entries and reports any difference). The points version of a village
moves whenever something its open ranking depends on changes, so a ranking computed once can be
served until then (webapp/points/services/ranking_cache.py).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from webapp.extensions import db
from webapp.points.models.scheme import POINTS


class PeriodFigure(db.Model):
    """One household's figures for one closed period of its village, stored by the close."""

    __tablename__ = "period_figure"
    __table_args__ = (
        UniqueConstraint("publication_id", "household_id"),
        # A village's closed period, read whole (its ranking) or for one household.
        Index("ix_period_figure_village_period", "village_id", "period", "household_id"),
        # A household's closed periods (its ledger and statements).
        Index("ix_period_figure_household", "household_id", "first_month"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The closing publication (a string key: publication sits above points in the capability order).
    publication_id: Mapped[int] = mapped_column(ForeignKey("publication.id"), index=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"))
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"))
    period: Mapped[str] = mapped_column(String(8))  # "2026-03", "2026-Q1", "2026"
    kind: Mapped[str] = mapped_column(String(8))  # month, quarter, year
    first_month: Mapped[int] = mapped_column(Integer)  # YYYYMM
    last_month: Mapped[int] = mapped_column(Integer)  # YYYYMM
    base: Mapped[Decimal] = mapped_column(POINTS)
    bonus: Mapped[Decimal] = mapped_column(POINTS)
    deduction: Mapped[Decimal] = mapped_column(POINTS)  # a positive magnitude: total = base + bonus − deduction
    total: Mapped[Decimal] = mapped_column(POINTS)
    earned: Mapped[Decimal] = mapped_column(POINTS)  # what the period adds to the earned ledger
    points: Mapped[Decimal] = mapped_column(POINTS)  # the period's ranking score (a year: by its basis)
    cumulative: Mapped[Decimal] = mapped_column(POINTS)  # the year's earned points to the period's end
    rank: Mapped[int] = mapped_column(Integer)
    # Counted entries and inspections of the household in the period's months at close: a ledger that
    # finds more now knows a late item came in (and computes that year instead of reading it).
    counted: Mapped[int] = mapped_column(Integer, default=0)
    # The lines' summary: [{"item": code, "count": n, "points": "1.5"}, ...] (points as strings).
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)


class VillagePointsVersion(db.Model):
    """A counter that moves whenever a counted entry, inspection, correction or rule of the village
    changes: a cached open-month ranking is good while the version it was computed at stands."""

    __tablename__ = "village_points_version"

    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
