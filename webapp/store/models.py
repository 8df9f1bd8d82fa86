"""Points store (积分超市): household cards, products, stock movements and redemptions (the stores
themselves and the villages they serve are places: webapp/people/models/stores.py).

Stock and points are never stored as a bare number: stock on hand is the sum of a
product's movements (stock-in, count adjustment, redemption, return) and the points
spent are the redemptions not reversed. Rows are only ever added.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.core.clock import utcnow
from webapp.extensions import db
from webapp.people.models.household import Household

# A store is a place in the town, like a village: the people capability keeps it (a clerk's role is
# scoped to one); the store capability keeps what happens at its counter.
from webapp.people.models.stores import Store, store_villages  # noqa: F401 - re-exported for the store's modules
from webapp.people.models.user import User
from webapp.points.models.scheme import POINTS

YUAN = Numeric(10, 2)

class HouseholdCard(db.Model):
    """积分卡: a printed card whose QR code holds an unguessable token. Reissuing revokes the old one."""

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    issued_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    household: Mapped[Household] = relationship()


class Product(db.Model):
    __table_args__ = (
        UniqueConstraint("store_id", "code"),
        CheckConstraint("price_points > 0", name="price_positive"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("store.id"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(100))
    category: Mapped[str] = mapped_column(String(50), default="")
    unit: Mapped[str] = mapped_column(String(16), default="")
    price_points: Mapped[Decimal] = mapped_column(POINTS)
    low_stock_at: Mapped[int] = mapped_column(Integer, default=5)  # warn at or below this many
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class StockMovement(db.Model):
    """One change of a product's stock; the stock on hand is the sum of `quantity` (signed)."""

    __table_args__ = (
        # Stock on hand of a product is one covering index range: no table lookups.
        Index("ix_stock_movement_product_quantity", "product_id", "quantity"),
        Index("ix_stock_movement_store_created", "store_id", "created_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("store.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"))
    kind: Mapped[str] = mapped_column(String(16))  # stock_in / count / redemption / return
    quantity: Mapped[int] = mapped_column(Integer)  # + into the store, − out of it
    supplier: Mapped[str] = mapped_column(String(100), default="")
    invoice_no: Mapped[str] = mapped_column(String(64), default="")
    unit_cost: Mapped[Decimal | None] = mapped_column(YUAN)  # yuan, for a stock-in
    counted: Mapped[int | None] = mapped_column(Integer)  # what a stock count found
    reason: Mapped[str] = mapped_column(String(200), default="")
    redemption_id: Mapped[int | None] = mapped_column(ForeignKey("redemption.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    product: Mapped[Product] = relationship()


class HouseholdAccount(db.Model):
    """A household's running account at the store: earned and redeemed points within the balance
    policy's window, and the balance (earned − redeemed) a redemption checks and lowers in the same
    transaction that writes it. `stamp` says what `earned` was computed from (the household's counted
    items, the rules, the month): a different stamp refreshes it. `jifen totals verify` checks it."""

    __tablename__ = "household_account"
    __table_args__ = (CheckConstraint("balance = earned - redeemed", name="balance_is_earned_less_redeemed"),)

    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"), index=True)
    window: Mapped[str] = mapped_column(String(8))  # "all" (carry over), "2026" (yearly), "2026-12" (monthly)
    earned: Mapped[Decimal] = mapped_column(POINTS, default=0)
    redeemed: Mapped[Decimal] = mapped_column(POINTS, default=0)  # net of returns
    balance: Mapped[Decimal] = mapped_column(POINTS, default=0)
    stamp: Mapped[str] = mapped_column(String(120), default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class Redemption(db.Model):
    """兑换: one receipt. client_key is made when the cart opens, so a retried request redeems once."""

    __table_args__ = (
        Index("ix_redemption_household_day", "household_id", "redeemed_on"),
        Index("ix_redemption_store_day", "store_id", "redeemed_on"),
        CheckConstraint("total_points > 0", name="total_positive"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    client_key: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True)
    receipt_no: Mapped[str] = mapped_column(String(40), unique=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("store.id"))
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"))
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"))  # the household's, for reports
    redeemed_on: Mapped[date] = mapped_column(Date)  # the local day: the month the points leave
    total_points: Mapped[Decimal] = mapped_column(POINTS)
    clerk_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    store: Mapped[Store] = relationship()
    household: Mapped[Household] = relationship()
    clerk: Mapped[User] = relationship()
    lines: Mapped[list[RedemptionLine]] = relationship(order_by="RedemptionLine.id")
    reversal: Mapped[RedemptionReturn | None] = relationship(uselist=False)


class RedemptionLine(db.Model):
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    redemption_id: Mapped[int] = mapped_column(ForeignKey("redemption.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"), index=True)
    quantity: Mapped[int] = mapped_column(Integer)
    unit_points: Mapped[Decimal] = mapped_column(POINTS)  # the price when redeemed
    points: Mapped[Decimal] = mapped_column(POINTS)

    product: Mapped[Product] = relationship()


class RedemptionReturn(db.Model):
    """退货: the whole redemption reversed, with a reason; its points and stock come back as new rows."""

    id: Mapped[int] = mapped_column(primary_key=True)
    redemption_id: Mapped[int] = mapped_column(ForeignKey("redemption.id"), unique=True)  # once only
    reason: Mapped[str] = mapped_column(String(200))
    returned_on: Mapped[date] = mapped_column(Date)
    points: Mapped[Decimal] = mapped_column(POINTS)
    returned_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Reservation(db.Model):
    """预约兑换: goods a household reserved from its phone, to pick up on the redemption day (待领取).

    Its stock is held until the day after that day (read from the dates: no job releases it). Handing it
    over makes a normal redemption (已领取) whose client key is the reservation's own `key`, so a double
    tap, or two clerks at once, redeem it once. `status` is open, handed_over or cancelled; "expired" is
    an open reservation whose hold has ended (webapp/store/domain/reservations.py)."""

    __table_args__ = (
        Index("ix_reservation_store_status", "store_id", "status"),
        Index("ix_reservation_household_status", "household_id", "status"),
        CheckConstraint("total_points > 0", name="total_positive"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True, default=uuid.uuid4)
    store_id: Mapped[int] = mapped_column(ForeignKey("store.id"))
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"))
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"))
    pickup_on: Mapped[date] = mapped_column(Date)  # the redemption day it is reserved for
    status: Mapped[str] = mapped_column(String(16), default="open")
    total_points: Mapped[Decimal] = mapped_column(POINTS)  # at the prices of the day it was made
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)  # handed over or cancelled
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    redemption_id: Mapped[int | None] = mapped_column(ForeignKey("redemption.id"), unique=True)

    store: Mapped[Store] = relationship()
    household: Mapped[Household] = relationship()
    redemption: Mapped[Redemption | None] = relationship()
    lines: Mapped[list[ReservationLine]] = relationship(order_by="ReservationLine.id")


class ReservationLine(db.Model):
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    reservation_id: Mapped[int] = mapped_column(ForeignKey("reservation.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"), index=True)
    quantity: Mapped[int] = mapped_column(Integer)
    unit_points: Mapped[Decimal] = mapped_column(POINTS)

    product: Mapped[Product] = relationship()
