"""Reservations as plain rules (webapp/store/domain/reservations.py): the redemption day, the hold and its
end, the stock left to sell, and the points a reservation may take. No database, no HTTP."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from webapp.points.domain.ledger import Freeze
from webapp.store.domain import CartLine, ShelfItem, StoreRefusal
from webapp.store.domain.reservations import (
    CANCELLED,
    EXPIRED,
    HANDED_OVER,
    OPEN,
    Hold,
    available,
    check_cancel,
    check_handover,
    check_reservation,
    held_stock,
    held_until,
    is_holding,
    pickup_day,
    state,
)

DAY = date(2026, 5, 20)  # a redemption day
SHELF = {1: ShelfItem(1, "大米", Decimal(80), 3), 2: ShelfItem(2, "肥皂", Decimal(3), 10)}


def test_the_pickup_day_is_the_next_redemption_day_today_included_and_the_20th_by_default():
    assert pickup_day(date(2026, 5, 20), 20) == date(2026, 5, 20)
    assert pickup_day(date(2026, 5, 21), 20) == date(2026, 6, 20)
    assert pickup_day(date(2026, 2, 10), 31) == date(2026, 2, 28)  # clipped to a short month
    assert pickup_day(date(2026, 5, 3), None) == date(2026, 5, 20)  # rules naming no day: the 20th


def test_the_goods_are_held_until_the_end_of_the_day_after_the_redemption_day():
    assert held_until(DAY) == date(2026, 5, 21)
    assert is_holding(OPEN, DAY, date(2026, 5, 1))
    assert is_holding(OPEN, DAY, date(2026, 5, 21))
    assert not is_holding(OPEN, DAY, date(2026, 5, 22))
    assert not is_holding(CANCELLED, DAY, DAY) and not is_holding(HANDED_OVER, DAY, DAY)
    assert state(OPEN, DAY, date(2026, 5, 22)) == EXPIRED
    assert state(OPEN, DAY, DAY) == OPEN and state(HANDED_OVER, DAY, date(2027, 1, 1)) == HANDED_OVER


def test_holding_reservations_keep_their_stock_and_an_expired_or_closed_one_releases_it():
    holds = [Hold(1, 1, 2, OPEN, DAY), Hold(2, 1, 1, OPEN, date(2026, 4, 20)),  # expired on 4-21
             Hold(3, 2, 4, CANCELLED, DAY), Hold(4, 2, 5, OPEN, DAY)]
    assert held_stock(holds, DAY) == {1: 2, 2: 5}
    assert held_stock(holds, DAY, except_reservation=1) == {2: 5}  # the one being handed over takes its own
    assert held_stock(holds, date(2026, 5, 22)) == {}  # the day after the day after: all released
    shelf = available(SHELF, held_stock(holds, DAY))
    assert shelf[1].stock == 1 and shelf[2].stock == 5


def test_a_reservation_fits_in_the_balance_less_the_other_open_reservations():
    checkout = check_reservation([CartLine(1, 1)], SHELF, Decimal(100), Decimal(0), None)
    assert checkout.total == 80 and checkout.balance_after == 20
    with pytest.raises(StoreRefusal) as refused:
        check_reservation([CartLine(1, 1)], SHELF, Decimal(100), Decimal(30), None)
    assert refused.value.params == {"total": "80", "free": "70", "reserved": "30"}
    with pytest.raises(StoreRefusal, match="balance"):
        check_reservation([CartLine(1, 2)], SHELF, Decimal(100), Decimal(0), None)


def test_a_reservation_passes_what_a_redemption_passes():
    with pytest.raises(StoreRefusal, match="frozen"):
        check_reservation([CartLine(2, 1)], SHELF, Decimal(100), Decimal(0),
                          Freeze(date(2026, 5, 1), None, "违规"))
    with pytest.raises(StoreRefusal, match="left in stock"):
        check_reservation([CartLine(1, 4)], SHELF, Decimal(1000), Decimal(0), None)
    with pytest.raises(StoreRefusal, match="empty"):
        check_reservation([], SHELF, Decimal(100), Decimal(0), None)


def test_only_an_open_reservation_is_cancelled_or_handed_over():
    check_cancel(OPEN)
    for status in (HANDED_OVER, CANCELLED):
        with pytest.raises(StoreRefusal):
            check_cancel(status)
    check_handover(OPEN, DAY, date(2026, 5, 21))
    with pytest.raises(StoreRefusal, match="cancelled"):
        check_handover(CANCELLED, DAY, DAY)
    with pytest.raises(StoreRefusal, match="expired"):
        check_handover(OPEN, DAY, date(2026, 5, 22))
