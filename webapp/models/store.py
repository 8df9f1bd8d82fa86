"""Points store (积分超市). Only the scope lives here for now; products and
redemptions arrive with the store counter."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .geo import Village

# A store may serve several villages (联建共用).
store_villages = Table(
    "store_village",
    db.metadata,
    Column("store_id", ForeignKey("store.id"), primary_key=True),
    Column("village_id", ForeignKey("village.id"), primary_key=True),
)


class Store(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    town_id: Mapped[int] = mapped_column(ForeignKey("town.id"), index=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))

    villages: Mapped[list[Village]] = relationship(secondary=store_villages, order_by="Village.code")
