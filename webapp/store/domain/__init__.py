"""The points store (积分超市) as plain rules: who may act, what a cart may hold, stock arithmetic, receipt numbers.

The services load rows, call these, and write; nothing here touches the database,
so every refusal can be tested as a table.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from webapp.core.messages import N_
from webapp.core.refusal import Refusal
from webapp.people.domain.access import VILLAGE_WIDE, Grant, Role
from webapp.points.domain.ledger import Freeze

ZERO = Decimal(0)
CARD_PREFIX = "JIFEN:"  # what the first household cards' QR codes held before the token (still valid)
CARD_PATH = "/k/"  # a card's QR code is a link, <site>/k/<token>: a phone camera opens the household's page
MAX_QUANTITY = 999  # a line of more than this is a typing slip, not a purchase
MAX_ID = 2**31 - 1  # row ids are 32-bit integers on PostgreSQL
MAX_AMOUNT = Decimal("99999999.99")  # prices and costs: the columns hold ten digits, two of them decimals


class StoreRefusal(Refusal):
    """A redemption, stock change or card that is refused; nothing may be written."""


@dataclass(frozen=True, slots=True)
class StoreRef:
    """What the access rules need to know about a store."""

    id: int
    town_id: int
    village_ids: frozenset[int]


@dataclass(frozen=True, slots=True)
class CartLine:
    product_id: int
    quantity: int


@dataclass(frozen=True, slots=True)
class ShelfItem:
    """A product as the counter sees it: its price in points and the stock on hand."""

    id: int
    name: str
    price: Decimal
    stock: int
    active: bool = True


@dataclass(frozen=True, slots=True)
class PricedLine:
    product_id: int
    name: str
    quantity: int
    unit_points: Decimal
    points: Decimal


@dataclass(frozen=True, slots=True)
class Checkout:
    """A cart that passed every check: its lines, total and the balance left after it."""

    lines: tuple[PricedLine, ...]
    total: Decimal
    balance_after: Decimal


# --- who may do what -------------------------------------------------------------------------

def can_serve_counter(grants: tuple[Grant, ...], store_id: int) -> bool:
    """Only a clerk of this store redeems at its counter."""
    return any(g.role == Role.CLERK and g.store_id == store_id for g in grants)


def can_manage_store(grants: tuple[Grant, ...], store: StoreRef) -> bool:
    """Products, stock-in and counts: the store's clerks, admins of a village it serves, the town admin."""
    return any(
        (g.role == Role.CLERK and g.store_id == store.id)
        or (g.role == Role.VILLAGE_ADMIN and g.village_id in store.village_ids)
        or (g.role == Role.TOWN_ADMIN and g.town_id == store.town_id)
        for g in grants
    )


def can_view_store(grants: tuple[Grant, ...], store: StoreRef) -> bool:
    """Reports: whoever manages the store, and the auditors and reviewers of a village it serves."""
    return can_manage_store(grants, store) or any(
        g.role in VILLAGE_WIDE and g.village_id in store.village_ids for g in grants
    )


def can_reverse_redemption(grants: tuple[Grant, ...], village_id: int, town_id: int) -> bool:
    """Reversing a redemption is the village committee's decision, never the clerk's nor the town's (which
    reads the receipts). `town_id` is kept for the callers; the decision does not depend on it."""
    return any(g.role == Role.VILLAGE_ADMIN and g.village_id == village_id for g in grants)


# --- the cart ---------------------------------------------------------------------------------

def parse_quantity(text: str) -> int:
    """A whole number of items as typed; refuses fractions, words and absurd amounts."""
    try:
        value = Decimal(text.strip())
    except (InvalidOperation, AttributeError):
        raise StoreRefusal(N_("A quantity must be a whole number.")) from None
    if not value.is_finite():  # NaN, Infinity
        raise StoreRefusal(N_("A quantity must be a whole number."))
    if value.copy_abs() > MAX_QUANTITY:  # before rounding (1e999999 is too large to round); abs() could overflow
        raise StoreRefusal(N_("A quantity of more than %(max)s is not accepted."), max=MAX_QUANTITY)
    if value != value.to_integral_value():
        raise StoreRefusal(N_("A quantity must be a whole number."))
    return int(value)


def parse_amount(text: str) -> Decimal:
    """A price or a unit cost as typed: a number the books can hold, not NaN, Infinity or 1e999999."""
    try:
        value = Decimal(text.strip())
    except (InvalidOperation, AttributeError):
        raise StoreRefusal(N_("Enter a number.")) from None
    check_amount(value)
    return value


def check_amount(value: Decimal) -> None:
    """Refuse what is not a finite number within the columns' range (a service's callers may pass any Decimal)."""
    if not value.is_finite():
        raise StoreRefusal(N_("Enter a number."))
    if value.copy_abs() > MAX_AMOUNT:
        raise StoreRefusal(N_("A number of more than %(max)s is not accepted."), max=format_number(MAX_AMOUNT))


def cart_from_fields(fields: Mapping[str, str], prefix: str = "q") -> list[CartLine]:
    """Cart lines from form fields `q<product id>` = quantity; blank and 0 mean "not in the cart"."""
    lines = []
    for key, text in fields.items():
        if not key.startswith(prefix) or not key[len(prefix):].isdigit() or not text.strip():
            continue
        quantity = parse_quantity(text)
        product_id = int(key[len(prefix):])
        if product_id > MAX_ID:  # no such row; the database would fail on the number
            raise StoreRefusal(N_("This product is not sold here."))
        if quantity != 0:
            lines.append(CartLine(product_id, quantity))
    return lines


def check_cart(
    lines: Iterable[CartLine], shelf: Mapping[int, ShelfItem], balance: Decimal, freeze: Freeze | None
) -> Checkout:
    """Everything a redemption must pass, in the order the clerk needs to hear it:
    a freeze, an empty cart, bad lines, stock, and then the points."""
    if freeze is not None:
        raise StoreRefusal(N_("Redemption is frozen since %(day)s: %(reason)s"),
                           day=freeze.starts_on.isoformat(), reason=freeze.reason)
    merged: dict[int, int] = {}
    for line in lines:
        if line.quantity <= 0:
            raise StoreRefusal(N_("A quantity must be at least 1."))
        if line.product_id not in shelf or not shelf[line.product_id].active:
            raise StoreRefusal(N_("This product is not sold here."))
        # The same product twice in one cart draws on one stock.
        merged[line.product_id] = merged.get(line.product_id, 0) + line.quantity
    if not merged:
        raise StoreRefusal(N_("The cart is empty."))
    priced = []
    for product_id, quantity in merged.items():
        item = shelf[product_id]
        if quantity > item.stock:
            if item.stock <= 0:
                raise StoreRefusal(N_("%(name)s is out of stock."), name=item.name)
            raise StoreRefusal(N_("Only %(stock)s of %(name)s left in stock."), stock=item.stock, name=item.name)
        priced.append(PricedLine(product_id, item.name, quantity, item.price, item.price * quantity))
    total = sum((line.points for line in priced), ZERO)
    if total > balance:
        raise StoreRefusal(N_("Not enough points: the cart needs %(total)s, the balance is %(balance)s."),
                           total=format_number(total), balance=format_number(balance))
    return Checkout(tuple(priced), total, balance - total)


def format_number(value: Decimal) -> str:
    """87.50 → "87.5", 80.00 → "80": points as people write them."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


# --- stock ------------------------------------------------------------------------------------

def check_stock_in(quantity: int, unit_cost: Decimal | None, supplier: str, invoice_no: str) -> None:
    """A delivery: a positive quantity, a cost that is not negative, and the supplier's invoice."""
    if quantity <= 0:
        raise StoreRefusal(N_("A quantity must be at least 1."))
    if unit_cost is not None:
        check_amount(unit_cost)
    if unit_cost is not None and unit_cost < 0:
        raise StoreRefusal(N_("The unit cost cannot be negative."))
    if not supplier.strip() or not invoice_no.strip():
        raise StoreRefusal(N_("A stock-in needs the supplier and the invoice number."))


def count_adjustment(on_hand: int, counted: int, reason: str) -> int:
    """The movement that makes the books agree with a stock count (may be 0: the count is still recorded)."""
    if counted < 0:
        raise StoreRefusal(N_("A counted quantity cannot be negative."))
    if counted != on_hand and not reason.strip():
        raise StoreRefusal(N_("Give a reason for the difference."))
    return counted - on_hand


def is_low(on_hand: int, threshold: int) -> bool:
    """Low stock: at or below the product's warning level."""
    return on_hand <= threshold


def check_price(price: Decimal) -> None:
    check_amount(price)
    if price <= 0:
        raise StoreRefusal(N_("A price must be more than 0 points."))
    if price != price.quantize(Decimal("0.01")):
        raise StoreRefusal(N_("A price has at most two decimals."))


# --- receipts and cards -----------------------------------------------------------------------

def receipt_number(store_code: str, day: date, sequence: int) -> str:
    """FS-S1-260520-007: the store, the day and the day's running number, easy to read out."""
    return f"{store_code}-{day:%y%m%d}-{sequence:03d}"


def card_url(site: str, token: str) -> str:
    """What a card's QR code holds: the link <site>/k/<token> (site: the app's address, e.g. https://host/)."""
    return site.rstrip("/") + CARD_PATH + token


def token_from_scan(text: str) -> str:
    """The card token in what a scanner read: a card's link (…/k/<token>, any host), an old card's
    CARD_PREFIX + token, or the bare token; "" for a link that is not a card's."""
    text = text.strip()
    if "://" in text:
        path = text.split("://", 1)[1].partition("/")[2].split("?", 1)[0].split("#", 1)[0]
        head, _, token = ("/" + path.rstrip("/")).rpartition("/")
        return token if head.endswith(CARD_PATH.rstrip("/")) and token else ""
    return text[len(CARD_PREFIX):] if text.upper().startswith(CARD_PREFIX) else text
