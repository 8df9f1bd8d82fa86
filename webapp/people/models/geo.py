"""Town, village, village group (村民小组) and grid (网格)."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.extensions import db


class Town(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))

    villages: Mapped[list[Village]] = relationship(back_populates="town", order_by="Village.code")


class Village(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    town_id: Mapped[int] = mapped_column(ForeignKey("town.id"), index=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))

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
