"""Products and their stock: stock-in with the supplier's invoice, stock counts, movements, low-stock warnings.

Stock on hand is never stored: it is the sum of a product's movements. Writes that
could lower it take the store's lock first (see store_scope.begin_store_transaction).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select

from webapp.core.messages import N_
from webapp.core.refusal import NotFound, Refusal
from webapp.extensions import db
from webapp.people.models.user import User
from webapp.people.services.audit import record
from webapp.store import domain as rules
from webapp.store.models import Product, StockMovement, Store
from webapp.store.services.scope import begin_store_transaction, refusals_as_service_errors, store_for

STOCK_IN, COUNT, REDEMPTION, RETURN = "stock_in", "count", "redemption", "return"


@dataclass(frozen=True)
class StockLine:
    product: Product
    on_hand: int

    @property
    def low(self) -> bool:
        return rules.is_low(self.on_hand, self.product.low_stock_at)


def on_hand(product_ids: Iterable[int]) -> dict[int, int]:
    """Stock on hand of each product: the sum of its movements (0 for a product never stocked)."""
    ids = list(product_ids)
    found = dict(db.session.execute(
        select(StockMovement.product_id, func.coalesce(func.sum(StockMovement.quantity), 0))
        .where(StockMovement.product_id.in_(ids)).group_by(StockMovement.product_id)
    ).all())
    return {pid: int(found.get(pid, 0)) for pid in ids}


def stock_list(store_id: int, active_only: bool = False) -> list[StockLine]:
    """The store's products by category and name, each with its stock on hand."""
    query = select(Product).where(Product.store_id == store_id)
    if active_only:
        query = query.where(Product.active.is_(True))
    products = list(db.session.scalars(query.order_by(Product.category, Product.name)))
    stock = on_hand(p.id for p in products)
    return [StockLine(p, stock[p.id]) for p in products]


def shelf(store_id: int, product_ids: Iterable[int]) -> dict[int, rules.ShelfItem]:
    """What the counter may sell of these products: each with its price and stock on hand (one query:
    the counter asks under the store's lock)."""
    stock = (select(StockMovement.product_id, func.sum(StockMovement.quantity).label("on_hand"))
             .where(StockMovement.product_id.in_(list(product_ids))).group_by(StockMovement.product_id).subquery())
    rows = db.session.execute(
        select(Product.id, Product.name, Product.price_points, func.coalesce(stock.c.on_hand, 0), Product.active)
        .outerjoin(stock, stock.c.product_id == Product.id)
        .where(Product.store_id == store_id, Product.id.in_(list(product_ids)))
    )
    return {pid: rules.ShelfItem(pid, name, price, int(on_hand), active) for pid, name, price, on_hand, active in rows}


def save_product(user: User, store_id: int, code: str, name: str, price: Decimal, category: str = "",
                 unit: str = "", low_stock_at: int = 5, active: bool = True) -> Product:
    """Add a product, or change the one with this code (price, name, category, warning level, on sale)."""
    store = store_for(user, store_id, "manage")
    code, name = code.strip(), name.strip()
    if not code or not name:
        raise Refusal(N_("A product needs a code and a name."))
    if low_stock_at < 0:
        raise Refusal(N_("The low-stock level cannot be negative."))
    with refusals_as_service_errors():
        rules.check_price(price)
    product = db.session.scalar(select(Product).where(Product.store_id == store.id, Product.code == code))
    if product is None:
        product = Product(store_id=store.id, code=code)
        db.session.add(product)
    product.name, product.category, product.unit = name, category.strip(), unit.strip()
    product.price_points, product.low_stock_at, product.active = price, low_stock_at, active
    db.session.flush()
    record(user.id, "product.save", "product", product.id, code=code, price=str(price), active=active)
    return product


def _product(store: Store, product_id: int) -> Product:
    product = db.session.get(Product, product_id)
    if product is None or product.store_id != store.id:
        raise NotFound(N_("This product is not sold here."))
    return product


def stock_in(user: User, store_id: int, product_id: int, quantity: int, unit_cost: Decimal | None,
             supplier: str, invoice_no: str) -> StockMovement:
    """入库: a delivery with its supplier and invoice number (the seeds require proper invoices)."""
    begin_store_transaction(store_id)
    store = store_for(user, store_id, "manage")
    product = _product(store, product_id)
    with refusals_as_service_errors():
        rules.check_stock_in(quantity, unit_cost, supplier, invoice_no)
    movement = StockMovement(store_id=store.id, product_id=product.id, kind=STOCK_IN, quantity=quantity,
                             unit_cost=unit_cost, supplier=supplier.strip(), invoice_no=invoice_no.strip(),
                             created_by_id=user.id)
    db.session.add(movement)
    db.session.flush()
    record(user.id, "stock.in", "product", product.id, quantity=quantity, invoice_no=invoice_no.strip())
    return movement


def stock_count(user: User, store_id: int, product_id: int, counted: int, reason: str) -> StockMovement:
    """盘点: record what was counted; the books follow by the difference, with its reason."""
    begin_store_transaction(store_id)
    store = store_for(user, store_id, "manage")
    product = _product(store, product_id)
    current = on_hand([product.id])[product.id]
    with refusals_as_service_errors():
        difference = rules.count_adjustment(current, counted, reason)
    movement = StockMovement(store_id=store.id, product_id=product.id, kind=COUNT, quantity=difference,
                             counted=counted, reason=reason.strip(), created_by_id=user.id)
    db.session.add(movement)
    db.session.flush()
    record(user.id, "stock.count", "product", product.id, counted=counted, difference=difference)
    return movement


def movements(store_id: int, product_id: int | None = None, limit: int = 100) -> list[StockMovement]:
    """The latest movements of the store (or of one product), newest first."""
    query = select(StockMovement).where(StockMovement.store_id == store_id)
    if product_id:
        query = query.where(StockMovement.product_id == product_id)
    return list(db.session.scalars(query.order_by(StockMovement.id.desc()).limit(limit)))
