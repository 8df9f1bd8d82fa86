"""Stores (积分超市) as places: which town a store is in and which villages it serves.

A store is a scope, like a village or a grid: a clerk's role is granted in one, and a store
serving several villages (联建共用) lets its clerk see their households. What happens at the
counter (cards, products, stock, redemptions) is the store capability's (webapp/store/models.py).
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.extensions import db
from webapp.people.models.geo import Town, Village

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

    town: Mapped[Town] = relationship()
    villages: Mapped[list[Village]] = relationship(secondary=store_villages, order_by="Village.code")
