"""Reservations (预约兑换): a household reserves goods from its phone for the redemption day; the clerk
hands them over (待领取 → 已领取), which is a normal redemption with its receipt.

A reservation and a handover write under the store's lock (begin_store_transaction), like every
redemption, so the stock held and the points reserved are checked and written in one transaction.
The handover redeems with the reservation's own key as the client key: a double tap, or two clerks
at once, make one redemption; the second is answered with the first receipt.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from webapp.core.clock import utcnow
from webapp.core.messages import N_
from webapp.core.refusal import NotFound
from webapp.extensions import db
from webapp.people.models.household import Household
from webapp.people.models.user import User
from webapp.people.services.audit import record
from webapp.points.services.points import active_freeze
from webapp.points.services.schemes import timeline
from webapp.store import domain as rules
from webapp.store.domain import reservations as booking
from webapp.store.models import Reservation, ReservationLine, Store, store_villages
from webapp.store.services.accounts import account_balance, current_balance, prepare
from webapp.store.services.holds import for_sale
from webapp.store.services.redeem import Receipt, _At, _redeem_under_lock
from webapp.store.services.scope import begin_store_transaction, lock_household, refusals_as_service_errors, store_for
from webapp.store.services.stock import shelf, stock_list

ZERO = Decimal(0)


@dataclass
class Offer:
    """What a household may reserve at one store: the day, the goods not held for others, its free points."""

    store: Store
    pickup_on: date
    stock: list[tuple[object, int]]  # (product, quantity one may still reserve)
    free_points: Decimal


def redemption_day(household: Household, today: date) -> date:
    """The next redemption day of the household's village (its rules' day of the month, else the default)."""
    current = timeline(household.village_id)
    village_rules = current.rules_for_month(today.year, today.month) if current else None
    return booking.pickup_day(today, village_rules.policies.redemption_day if village_rules else None)


def serving_stores(household: Household) -> list[Store]:
    return list(db.session.scalars(
        select(Store).join(store_villages, store_villages.c.store_id == Store.id)
        .where(store_villages.c.village_id == household.village_id).order_by(Store.code)))


def reserved_points(household_id: int, today: date, except_reservation: int | None = None) -> Decimal:
    """The points the household's holding reservations will take (at any store)."""
    rows = db.session.execute(select(Reservation.id, Reservation.status, Reservation.pickup_on, Reservation.total_points)
                              .where(Reservation.household_id == household_id, Reservation.status == booking.OPEN))
    return sum((Decimal(total) for rid, status, pickup_on, total in rows
                if rid != except_reservation and booking.is_holding(status, pickup_on, today)), ZERO)


def offers(household: Household, today: date) -> tuple[list[Offer], Decimal]:
    """The stores serving the household with what may be reserved there, and its free points."""
    free = current_balance(household, today) - reserved_points(household.id, today)
    day = redemption_day(household, today)
    result = []
    for store in serving_stores(household):
        lines = stock_list(store.id, active_only=True)
        items = for_sale(shelf(store.id, [line.product.id for line in lines]), store.id, today)
        result.append(Offer(store, day, [(line.product, items[line.product.id].stock) for line in lines], free))
    return result, free


def reserve(user: User, household: Household, store_id: int, lines: Iterable[rules.CartLine],
            today: date) -> Reservation:
    """Reserve goods for the next redemption day, under the store's lock. Refusal when the store does not
    serve the household, it is frozen, the goods are not free, or its free points do not cover them."""
    lines = list(lines)
    household_id, village_id = household.id, household.village_id
    if store_id not in {store.id for store in serving_stores(household)}:
        raise NotFound(N_("No such store."))
    prepared = prepare(household, today)  # the slow part, outside the lock (accounts.py)
    day = redemption_day(household, today)
    begin_store_transaction(store_id)
    lock_household(household_id)
    balance = account_balance(db.session.get(Household, household_id), today, prepared)
    frozen = active_freeze(household_id, today)
    freeze = rules.Freeze(frozen.starts_on, frozen.ends_on, frozen.reason) if frozen else None
    items = for_sale(shelf(store_id, {line.product_id for line in lines}), store_id, today)
    with refusals_as_service_errors():
        checkout = booking.check_reservation(lines, items, balance,
                                             reserved_points(household_id, today), freeze)
    reservation = Reservation(store_id=store_id, household_id=household_id, village_id=village_id, pickup_on=day,
                              status=booking.OPEN, total_points=checkout.total, created_by_id=user.id)
    db.session.add(reservation)
    db.session.flush()
    for line in checkout.lines:
        db.session.add(ReservationLine(reservation_id=reservation.id, product_id=line.product_id,
                                       quantity=line.quantity, unit_points=line.unit_points))
    record(user.id, "store.reserve", "reservation", reservation.id, village_id=village_id,
           points=str(checkout.total), pickup_on=day.isoformat())
    db.session.flush()
    return reservation


def household_reservations(household: Household, limit: int = 20) -> list[Reservation]:
    """The household's reservations, newest first."""
    return list(db.session.scalars(
        select(Reservation).where(Reservation.household_id == household.id)
        .options(selectinload(Reservation.lines).selectinload(ReservationLine.product),
                 selectinload(Reservation.store), selectinload(Reservation.redemption))
        .order_by(Reservation.id.desc()).limit(limit)))


def cancel(user: User, household: Household, reservation_id: int) -> Reservation:
    """The household cancels its own reservation before it is handed over; another's is not found."""
    reservation = db.session.get(Reservation, reservation_id)
    if reservation is None or reservation.household_id != household.id:
        raise NotFound(N_("No such reservation."))
    begin_store_transaction(reservation.store_id)  # against a handover at this very moment
    reservation = db.session.get(Reservation, reservation_id)
    with refusals_as_service_errors():
        booking.check_cancel(reservation.status)
    reservation.status, reservation.closed_at, reservation.closed_by_id = booking.CANCELLED, utcnow(), user.id
    record(user.id, "store.reservation_cancel", "reservation", reservation.id, village_id=reservation.village_id)
    db.session.flush()
    return reservation


def waiting(user: User, store_id: int | None, today: date) -> list[Reservation]:
    """The store's reservations still to hand over (待领取), for its clerks: by redemption day."""
    store = store_for(user, store_id, "counter")
    rows = db.session.scalars(
        select(Reservation).where(Reservation.store_id == store.id, Reservation.status == booking.OPEN,
                                  Reservation.pickup_on >= today - timedelta(days=1))
        .options(selectinload(Reservation.lines).selectinload(ReservationLine.product),
                 selectinload(Reservation.household))
        .order_by(Reservation.pickup_on, Reservation.id))
    return [r for r in rows if booking.is_holding(r.status, r.pickup_on, today)]


def waiting_count(store_id: int, today: date) -> int:
    return db.session.scalar(select(func.count(Reservation.id)).where(
        Reservation.store_id == store_id, Reservation.status == booking.OPEN,
        Reservation.pickup_on >= today - timedelta(days=1))) or 0


def hand_over(user: User, store_id: int, reservation_id: int, today: date) -> Receipt:
    """Hand a reservation over (已领取): a redemption of its goods, points lowered in this transaction, once.

    Under the store's lock the reservation is read again: handed over already (a double tap, another
    clerk) → the first receipt, nothing written."""
    store = store_for(user, store_id, "counter")
    reservation = db.session.get(Reservation, reservation_id)
    if reservation is None or reservation.store_id != store.id:
        raise NotFound(N_("No such reservation."))
    household = reservation.household
    at = _At(user.id, store.id, store.code, household.id, household.village_id)
    prepared = prepare(household, today)
    begin_store_transaction(store.id)
    reservation = db.session.get(Reservation, reservation_id)
    if reservation.status == booking.HANDED_OVER and reservation.redemption is not None:
        return Receipt(reservation.redemption, repeated=True)
    with refusals_as_service_errors():
        booking.check_handover(reservation.status, reservation.pickup_on, today)
    lines = [rules.CartLine(line.product_id, line.quantity) for line in reservation.lines]
    receipt = _redeem_under_lock(at, lines, reservation.key, today, prepared, reservation_id=reservation.id)
    if receipt.repeated:  # the redemption exists (its key is the reservation's): never a second one
        return receipt
    reservation.status, reservation.redemption_id = booking.HANDED_OVER, receipt.redemption.id
    reservation.closed_at, reservation.closed_by_id = utcnow(), user.id
    record(user.id, "store.reservation_hand_over", "reservation", reservation.id, village_id=reservation.village_id,
           receipt_no=receipt.redemption.receipt_no)
    db.session.flush()
    return receipt

