"""A small store for the store tests: one village it serves (two households), one it does not,
a clerk, an admin, two products; and one request at the counter."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from webapp.core.refusal import Refusal
from webapp.extensions import db
from webapp.people.models.user import User
from webapp.store.domain import CartLine
from webapp.store.models import Product, StockMovement
from webapp.store.services.redeem import redeem

TODAY = date(2026, 5, 20)


@dataclass
class Shop:
    """Ids of a small store: one village it serves (two households), one it does not, a clerk, two products."""

    store_id: int
    clerk_id: int
    admin_id: int
    village_id: int
    household: str  # code of a household with `points` to spend
    poor: str  # code of a household with 5 points
    outsider: str  # code of a household of a village the store does not serve
    rice: int  # 80 points, 50 in stock
    soap: int  # 3 points, 2 in stock


def build_shop(make, points: int = 100, scheme: str = "store-monthly", today: date = TODAY) -> Shop:
    """A committed store for the tests; `points` are earned this month (P10 is worth 10 an event)."""
    town = make.town()
    village = make.village(town, name="油房村")
    other = make.village(town, name="王家村")
    version = make.scheme(village, scheme)
    make.scheme(other, scheme)
    household = make.household(village, "张三丰")
    poor = make.household(village, "李四")
    outsider = make.household(other, "王五")
    if points:
        make.entry(household, version, "P10", today.replace(day=2), quantity=points // 10)
    make.entry(poor, version, "P10", today.replace(day=2), quantity=1)
    store = make.store(town, [village])
    clerk = make.user("clerk", store_id=store.id)
    admin = make.user("village_admin", village_id=village.id)
    rice = Product(store_id=store.id, code="R1", name="大米", category="粮油", unit="袋", price_points=Decimal(80))
    soap = Product(store_id=store.id, code="S1", name="肥皂", category="日用", unit="块", price_points=Decimal(3))
    db.session.add_all([rice, soap])
    db.session.flush()
    db.session.add_all([
        StockMovement(store_id=store.id, product_id=rice.id, kind="stock_in", quantity=50, supplier="供销社",
                      invoice_no="INV-1", unit_cost=Decimal(75)),
        StockMovement(store_id=store.id, product_id=soap.id, kind="stock_in", quantity=2, supplier="供销社",
                      invoice_no="INV-1", unit_cost=Decimal(2)),
    ])
    db.session.commit()
    return Shop(store.id, clerk.id, admin.id, village.id, household.code, poor.code, outsider.code, rice.id, soap.id)


def attempt(user_id: int, shop: Shop, lines: list[CartLine], key: uuid.UUID | None = None, code: str | None = None,
            card: str | None = None, today: date = TODAY):
    """One request at the counter, as the blueprint makes it: load the user, end that read
    transaction, redeem, commit (or roll back and return the refusal's msgid)."""
    user = db.session.get(User, user_id)
    db.session.rollback()
    try:
        result = redeem(user, shop.store_id, lines, key or uuid.uuid4(), today,
                        card=card, code=None if card else (code or shop.household))
    except Refusal as error:
        db.session.rollback()
        return error.msgid
    db.session.commit()
    return result
