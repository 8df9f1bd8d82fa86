"""The clerk's side of reservations (预约兑换): the list waiting at the counter, and handing one over."""

from __future__ import annotations

from datetime import date

from flask import abort, request
from flask_babel import gettext as _
from flask_login import current_user

from webapp.core.refusal import NotFound, Refusal
from webapp.people.domain.access import CLERKS
from webapp.store.routes import bp
from webapp.store.routes.common import the_user
from webapp.store.routes.counter import to_receipt
from webapp.store.services import reservations as store_reservations
from webapp.store.services.scope import store_for
from webapp.web import transaction
from webapp.web.guards import role_required
from webapp.web.htmx import render


@bp.post("/reservations/<int:reservation_id>/hand-over")
@role_required(*CLERKS)
def hand_over(reservation_id: int):
    """已领取: one tap makes the redemption and shows its receipt; a second tap shows the same receipt."""
    store_id = request.form.get("store", type=int)
    if store_id is None:
        abort(400)
    try:
        receipt = store_reservations.hand_over(the_user(), store_id, reservation_id, date.today())
    except NotFound:  # not this store's reservation: 404 (the edge)
        raise
    except Refusal as error:  # expired, cancelled, not enough points or stock: the counter says why (422)
        transaction.discard()
        store = store_for(current_user, store_id, "counter")
        return render("store/counter.html", status=422, store=store, view=None, matches=[],
                      reservations=store_reservations.waiting(current_user, store.id, date.today()),
                      reservation_error=_("Reservation not handed over: %(reason)s", reason=error.translated()))
    return to_receipt(receipt.redemption.receipt_no)
