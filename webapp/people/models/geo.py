"""Town, village, village group (村民小组) and grid (网格)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.extensions import db


class Town(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    # The town's own 统计用区划代码 (12 digits, ending in 000), when the office gives it.
    area_code: Mapped[str | None] = mapped_column(String(12), unique=True)

    villages: Mapped[list[Village]] = relationship(back_populates="town", order_by="Village.code")


class Village(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    town_id: Mapped[int] = mapped_column(ForeignKey("town.id"), index=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    # 统计用区划代码: the National Bureau of Statistics' 12-digit code of the village.
    area_code: Mapped[str | None] = mapped_column(String(12), unique=True)
    # A retired village keeps its history but is no longer listed, chosen or scored.
    retired_on: Mapped[date | None] = mapped_column(Date)
    # Evidence photos get a stamped copy (水印: time, place, household), as field apps do; the
    # village admin may turn it off (webapp/photos/services/stamps.py).
    stamp_photos: Mapped[bool] = mapped_column(Boolean, default=True)

    town: Mapped[Town] = relationship(back_populates="villages")
    groups: Mapped[list[VillageGroup]] = relationship(back_populates="village", order_by="VillageGroup.code")
    grids: Mapped[list[Grid]] = relationship(back_populates="village", order_by="Grid.code")


class VillageGroup(db.Model):
    """村民小组: the unit the notice board lists a household under."""

    __table_args__ = (UniqueConstraint("village_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(100))

    village: Mapped[Village] = relationship(back_populates="groups")


class Grid(db.Model):
    """网格: the area a grid worker scores."""

    __table_args__ = (UniqueConstraint("village_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(100))

    village: Mapped[Village] = relationship(back_populates="grids")
