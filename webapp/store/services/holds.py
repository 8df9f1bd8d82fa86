"""Stock held for reservations: read from the open reservations and their dates (nothing releases it)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from webapp.extensions import db
from webapp.store.domain import ShelfItem
from webapp.store.domain.reservations import OPEN, Hold, available, held_stock
from webapp.store.models import Reservation, ReservationLine


def holds(store_id: int, today: date) -> list[Hold]:
    """The lines of the store's open reservations that may still hold stock (the domain decides which do)."""
    rows = db.session.execute(
        select(Reservation.id, ReservationLine.product_id, ReservationLine.quantity, Reservation.status,
               Reservation.pickup_on)
        .join(ReservationLine, ReservationLine.reservation_id == Reservation.id)
        .where(Reservation.store_id == store_id, Reservation.status == OPEN,
               Reservation.pickup_on >= today - timedelta(days=1))
    )
    return [Hold(*row) for row in rows]


def held(store_id: int, today: date, except_reservation: int | None = None) -> dict[int, int]:
    """Each product's quantity held for the store's reservations today."""
    return held_stock(holds(store_id, today), today, except_reservation)


def for_sale(shelf: dict[int, ShelfItem], store_id: int, today: date,
             except_reservation: int | None = None) -> dict[int, ShelfItem]:
    """The shelf less the stock held for reservations (other than the one being handed over)."""
    return available(shelf, held(store_id, today, except_reservation))
