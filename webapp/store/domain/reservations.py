"""Reservations (预约兑换) as plain rules: the day they are for, how long their stock is held, what is
left to sell, and whether a household's points cover one.

A household reserves goods from its phone for the next redemption day (兑换日: the village's rules name
it, `redemption.day_of_month`; DEFAULT_REDEMPTION_DAY when they do not). The goods stay held for it until
the end of the day after that day; then the reservation has expired and its stock is for sale again.
Nothing has to run for that: every reader compares the dates.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from webapp.core.messages import N_
from webapp.points.domain.ledger import Freeze
from webapp.publication.domain.deadlines import next_day_of_month
from webapp.store.domain import CartLine, Checkout, ShelfItem, StoreRefusal, check_cart, format_number

DEFAULT_REDEMPTION_DAY = 20  # DOMAIN.md's redemption day, for a village whose rules name none
OPEN, HANDED_OVER, CANCELLED, EXPIRED = "open", "handed_over", "cancelled", "expired"
UNLIMITED = Decimal("99999999.99")


@dataclass(frozen=True, slots=True)
class Hold:
    """One reserved line as the stock sees it."""

    reservation_id: int
    product_id: int
    quantity: int
    status: str
    pickup_on: date


def pickup_day(today: date, redemption_day: int | None) -> date:
    """The redemption day a reservation made today is for: the next one, today included."""
    return next_day_of_month(today, redemption_day or DEFAULT_REDEMPTION_DAY)


def held_until(pickup_on: date) -> date:
    """The last day the goods are kept: the day after the redemption day."""
    return pickup_on + timedelta(days=1)


def is_holding(status: str, pickup_on: date, today: date) -> bool:
    """An open reservation holds its goods until the end of the day after its redemption day."""
    return status == OPEN and today <= held_until(pickup_on)


def state(status: str, pickup_on: date, today: date) -> str:
    """What to call it today: open (待领取), handed_over (已领取), cancelled, or expired."""
    if status == OPEN and not is_holding(status, pickup_on, today):
        return EXPIRED
    return status


def held_stock(holds: Iterable[Hold], today: date, except_reservation: int | None = None) -> dict[int, int]:
    """How many of each product the holding reservations keep (one of them left out: the one handed over)."""
    held: dict[int, int] = {}
    for hold in holds:
        if hold.reservation_id != except_reservation and is_holding(hold.status, hold.pickup_on, today):
            held[hold.product_id] = held.get(hold.product_id, 0) + hold.quantity
    return held


def available(shelf: Mapping[int, ShelfItem], held: Mapping[int, int]) -> dict[int, ShelfItem]:
    """The shelf as a buyer may take from it: each product's stock less what is held for reservations."""
    return {pid: replace(item, stock=max(item.stock - held.get(pid, 0), 0)) for pid, item in shelf.items()}


def check_reservation(lines: Iterable[CartLine], shelf: Mapping[int, ShelfItem], balance: Decimal,
                      reserved: Decimal, freeze: Freeze | None) -> Checkout:
    """A reservation passes what a redemption passes (freeze, lines, stock not held for others), and its
    points must fit in the balance less what the household's other open reservations will take."""
    checkout = check_cart(lines, shelf, UNLIMITED, freeze)
    free = balance - reserved
    if checkout.total > free:
        if reserved > 0:
            raise StoreRefusal(
                N_("Not enough points: the reservation needs %(total)s; %(free)s are free "
                   "(%(reserved)s are reserved already)."),
                total=format_number(checkout.total), free=format_number(max(free, Decimal(0))),
                reserved=format_number(reserved))
        raise StoreRefusal(N_("Not enough points: the reservation needs %(total)s, the balance is %(balance)s."),
                           total=format_number(checkout.total), balance=format_number(balance))
    return Checkout(checkout.lines, checkout.total, free - checkout.total)


def check_cancel(status: str) -> None:
    """Only a reservation not yet handed over (nor cancelled) can be cancelled."""
    if status == HANDED_OVER:
        raise StoreRefusal(N_("This reservation was already handed over."))
    if status == CANCELLED:
        raise StoreRefusal(N_("This reservation was already cancelled."))


def check_handover(status: str, pickup_on: date, today: date) -> None:
    """A clerk hands over an open reservation while its goods are held (a handed-over one is answered
    with its receipt by the caller)."""
    if status == CANCELLED:
        raise StoreRefusal(N_("This reservation was cancelled."))
    if state(status, pickup_on, today) == EXPIRED:
        raise StoreRefusal(N_("This reservation expired on %(day)s: its goods are no longer held."),
                           day=held_until(pickup_on).isoformat())
