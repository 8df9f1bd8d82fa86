"""Reservations (预约兑换) through the services: a household reserves goods for the redemption day, the
stock is held for it until the day after, the clerk hands it over once (a normal redemption)."""

from __future__ import annotations

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests.worlds.store import TODAY, Shop, attempt
from webapp.core.refusal import NotFound, Refusal
from webapp.extensions import db
from webapp.people.models.household import Household
from webapp.people.models.user import User
from webapp.store.domain import CartLine
from webapp.store.models import Redemption, Reservation, StockMovement
from webapp.store.services import reservations as service
from webapp.store.services.ledger import household_ledger
from webapp.store.services.redeem import counter_view


def household(code: str) -> Household:
    return db.session.scalar(select(Household).where(Household.code == code))


def villager(make, code: str) -> int:
    user = make.user("villager", household_id=household(code).id)
    db.session.commit()
    return user.id


def reserve(user_id: int, code: str, shop: Shop, lines: list[CartLine], today=TODAY):
    """One request of the household's phone: reserve, commit (or roll back and return the msgid)."""
    user = db.session.get(User, user_id)
    hh = household(code)
    try:
        result = service.reserve(user, hh, shop.store_id, lines, today)
    except Refusal as error:
        db.session.rollback()
        return error.msgid
    db.session.commit()
    return result.id


def hand_over(clerk_id: int, shop: Shop, reservation_id: int, today=TODAY):
    user = db.session.get(User, clerk_id)
    db.session.rollback()
    try:
        result = service.hand_over(user, shop.store_id, reservation_id, today)
    except Refusal as error:
        db.session.rollback()
        return error.msgid
    db.session.commit()
    return result


def soap_on_counter(shop: Shop, today=TODAY) -> int:
    clerk = db.session.get(User, shop.clerk_id)
    view = counter_view(clerk, shop.store_id, today, code=shop.poor)
    return next(line.on_hand for line in view.stock if line.product.id == shop.soap)


def test_a_reservation_holds_stock_and_is_handed_over_once(shop, make):
    """2 soap (all there is) reserved: the counter has none to sell; one tap hands them over, a second tap
    shows the same receipt; the points leave in the handover, exactly once."""
    user_id = villager(make, shop.household)
    reservation_id = reserve(user_id, shop.household, shop, [CartLine(shop.soap, 2)])
    assert isinstance(reservation_id, int)
    reservation = db.session.get(Reservation, reservation_id)
    assert reservation.pickup_on == TODAY  # store-monthly's redemption day is the 20th, and today is the 20th
    assert household_ledger(household(shop.household), TODAY).spendable == 100  # not spent before pickup
    assert soap_on_counter(shop) == 0
    assert attempt(shop.clerk_id, shop, [CartLine(shop.soap, 1)], code=shop.poor) == "%(name)s is out of stock."
    first = hand_over(shop.clerk_id, shop, reservation_id)
    assert not first.repeated and first.redemption.total_points == 6
    again = hand_over(shop.clerk_id, shop, reservation_id)
    assert again.repeated and again.redemption.receipt_no == first.redemption.receipt_no
    assert db.session.scalar(select(func.count(Redemption.id))) == 1
    assert household_ledger(household(shop.household), TODAY).spendable == 94
    assert db.session.scalar(select(func.sum(StockMovement.quantity)).where(StockMovement.product_id == shop.soap)) == 0
    reservation = db.session.get(Reservation, reservation_id)
    assert reservation.status == "handed_over" and reservation.redemption_id == first.redemption.id


def run_together(app, calls) -> list:
    """Each call in its own thread, app context and database connection, all released at once."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def worker(i, call):
        with app.app_context():
            try:
                barrier.wait(timeout=10)
                results[i] = call()
            except Exception as exc:  # noqa: BLE001 - reported by the test
                results[i] = exc
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def test_two_clerks_handing_over_one_reservation_at_once_make_one_redemption(app, shop, make):
    other_clerk = make.user("clerk", store_id=shop.store_id).id
    db.session.commit()
    reservation_id = reserve(villager(make, shop.household), shop.household, shop, [CartLine(shop.rice, 1)])

    def tap(clerk_id: int) -> tuple[str, bool]:
        result = hand_over(clerk_id, shop, reservation_id)
        return result.redemption.receipt_no, result.repeated

    results = run_together(app, [lambda c=c: tap(c) for c in (shop.clerk_id, other_clerk)])
    db.session.rollback()
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(repeated for _, repeated in results) == [False, True]
    assert results[0][0] == results[1][0]
    assert db.session.scalar(select(func.count(Redemption.id))) == 1
    assert household_ledger(household(shop.household), TODAY).spendable == 20


def test_an_expired_reservation_releases_its_stock_and_is_not_handed_over(shop, make):
    """Held on the redemption day and the day after; the next day the soap is for sale again."""
    reservation_id = reserve(villager(make, shop.household), shop.household, shop, [CartLine(shop.soap, 2)])
    assert soap_on_counter(shop, TODAY + timedelta(days=1)) == 0
    later = TODAY + timedelta(days=2)
    assert soap_on_counter(shop, later) == 2
    assert hand_over(shop.clerk_id, shop, reservation_id, later) == (
        "This reservation expired on %(day)s: its goods are no longer held.")
    assert not isinstance(attempt(shop.clerk_id, shop, [CartLine(shop.soap, 1)], code=shop.poor, today=later), str)


def test_a_reservation_beyond_the_balance_net_of_open_reservations_is_refused(shop, make):
    """100 points: one rice (80) reserved; a second rice would need 80 of the 20 left free. Nothing written."""
    user_id = villager(make, shop.household)
    assert isinstance(reserve(user_id, shop.household, shop, [CartLine(shop.rice, 1)]), int)
    refused = reserve(user_id, shop.household, shop, [CartLine(shop.rice, 1)])
    assert refused == ("Not enough points: the reservation needs %(total)s; %(free)s are free "
                       "(%(reserved)s are reserved already).")
    assert db.session.scalar(select(func.count(Reservation.id))) == 1
    assert service.reserved_points(household(shop.household).id, TODAY) == Decimal(80)


def test_a_household_cancels_its_own_reservation_but_never_anothers(shop, make):
    owner = villager(make, shop.household)
    neighbour = villager(make, shop.poor)
    reservation_id = reserve(owner, shop.household, shop, [CartLine(shop.soap, 2)])
    with pytest.raises(NotFound):
        service.cancel(db.session.get(User, neighbour), household(shop.poor), reservation_id)
    db.session.rollback()
    assert service.household_reservations(household(shop.poor)) == []
    service.cancel(db.session.get(User, owner), household(shop.household), reservation_id)
    db.session.commit()
    assert db.session.get(Reservation, reservation_id).status == "cancelled"
    assert soap_on_counter(shop) == 2  # released at once
    assert hand_over(shop.clerk_id, shop, reservation_id) == "This reservation was cancelled."


def test_a_household_reserves_only_at_a_store_serving_its_village(shop, make):
    outsider = villager(make, shop.outsider)
    with pytest.raises(NotFound):
        service.reserve(db.session.get(User, outsider), household(shop.outsider), shop.store_id,
                        [CartLine(shop.soap, 1)], TODAY)
