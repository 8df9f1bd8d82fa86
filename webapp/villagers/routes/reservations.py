"""预约兑换: a household, logged in with its 6-digit PIN, reserves goods for the next redemption day,
sees its reservations (待领取, 已领取) and may cancel one not yet handed over. Routes of the villagers'
blueprint (webapp/villagers/routes/villagers.py imports this module)."""

from __future__ import annotations

from datetime import date

from flask import Response, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.core.refusal import NotFound, Refusal
from webapp.people.domain.access import VILLAGERS
from webapp.people.models.household import Household
from webapp.people.services.households import own_household
from webapp.store.domain import cart_from_fields
from webapp.store.domain.reservations import state
from webapp.store.services import reservations as store_reservations
from webapp.villagers.routes.villagers import PinForm, bp
from webapp.web.guards import role_required
from webapp.web.htmx import render
from webapp.web.transaction import discard


def _household() -> Household:
    household = own_household(current_user)
    if household is None:
        abort(404)
    return household


def _page(household: Household, error: str | None = None, status: int = 200,
          quantities: dict[str, str] | None = None) -> Response:
    today = date.today()
    offers, free = store_reservations.offers(household, today)
    mine = store_reservations.household_reservations(household)
    return render("villagers/reservations.html", household=household, offers=offers, free=free, error=error,
                  status=status, quantities=quantities or {}, reservations=mine,
                  states={r.id: state(r.status, r.pickup_on, today) for r in mine},
                  state_names={"open": _("Waiting for pickup"), "handed_over": _("Picked up"),
                               "cancelled": _("Cancelled"), "expired": _("Expired")})


@bp.get("/my/reservations")
@role_required(*VILLAGERS)
def reservations_page():
    return _page(_household())


@bp.post("/my/reservations")
@role_required(*VILLAGERS)
def reserve():
    household = _household()
    if not PinForm().validate_on_submit():  # CSRF only
        abort(400)
    form = request.form
    try:
        reservation = store_reservations.reserve(current_user._get_current_object(), household,
                                                 form.get("store", type=int) or 0, cart_from_fields(form), date.today())
    except NotFound:  # not a store serving the household: 404 (the edge)
        raise
    except Refusal as refusal:  # the page again, with the quantities typed and why not (422)
        discard()
        return _page(own_household(current_user), refusal.translated(), 422,
                     {k[1:]: v for k, v in form.items() if k.startswith("q")})
    flash(_("Reserved for %(day)s. Bring your card or say your household code at the counter.",
            day=reservation.pickup_on.isoformat()), "info")
    return redirect(url_for("villagers.reservations_page"), code=303)


@bp.post("/my/reservations/<int:reservation_id>/cancel")
@role_required(*VILLAGERS)
def cancel_reservation(reservation_id: int):
    household = _household()
    if not PinForm().validate_on_submit():  # CSRF only
        abort(400)
    try:
        store_reservations.cancel(current_user._get_current_object(), household, reservation_id)
    except NotFound:  # another household's reservation: never confirmed to exist
        raise
    except Refusal as refusal:
        discard()
        return _page(own_household(current_user), refusal.translated(), 422)
    flash(_("The reservation is cancelled; its goods are free again."), "info")
    return redirect(url_for("villagers.reservations_page"), code=303)
