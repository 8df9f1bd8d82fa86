"""The counter (兑换): find the household (card, code, name or pinyin initials), fill the cart, redeem."""

from __future__ import annotations

import uuid
from datetime import date

from flask import Response, abort, make_response, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.core.refusal import NotFound, Refusal
from webapp.people.domain.access import CLERKS
from webapp.store.domain import cart_from_fields
from webapp.store.routes import bp
from webapp.store.routes.common import pick_store, store_id_asked, the_user
from webapp.store.services import redeem as store_redeem, reservations as store_reservations
from webapp.store.services.scope import store_for
from webapp.web import transaction
from webapp.web.guards import role_required
from webapp.web.htmx import is_htmx, render

NO_CODE = "No household with code %(code)s."  # store_redeem.find_household's refusal of a typed code


@bp.get("/counter")
@role_required(*CLERKS)
def counter():
    try:
        store = store_for(current_user, store_id_asked(), "counter")
    except NotFound:
        return pick_store("store.counter")
    return render("store/counter.html", store=store, view=None, matches=[],
                  reservations=store_reservations.waiting(current_user, store.id, date.today()))


def _panel(store_id: int, status: int = 200, message: str | None = None,
           quantities: dict[str, str] | None = None) -> Response:
    """The counter page (or, for htmx, its panel) for the household named by the posted card or code; a
    name or pinyin initials typed instead of a code list the households of the store's villages that match."""
    card, code = request.form.get("card", "").strip() or None, request.form.get("code", "").strip() or None
    store = store_for(current_user, store_id, "counter")
    today = date.today()
    view, matches = None, []
    try:
        view = store_redeem.counter_view(current_user, store.id, today, card=card, code=code)
    except Refusal as error:
        matches = [] if card or message else store_redeem.search_households(store, code or "")
        if len(matches) == 1:  # one household matches the name: serve it
            code, matches = matches[0].code, []
            view = store_redeem.counter_view(current_user, store.id, today, code=code)
        elif not matches:  # no such household here: the panel says so (422), beside what was typed
            if not message and not card and error.msgid == NO_CODE:
                message = _("No household here matches %(typed)s: try the code, the head's name or pinyin initials.",
                            typed=code or "")
            message, status = message or error.translated(), 422
    return render("store/counter.html", block="panel", status=status, store=store, view=view, card=card,
                  code=code, message=message, quantities=quantities or {}, client_key=uuid.uuid4(), matches=matches,
                  reservations=[] if is_htmx() else store_reservations.waiting(current_user, store.id, today))


@bp.post("/counter/lookup")
@role_required(*CLERKS)
def lookup():
    return _panel(store_id_asked())


@bp.post("/counter/redeem")
@role_required(*CLERKS)
def redeem():
    try:
        client_key = uuid.UUID(request.form.get("client_key", ""))
    except ValueError:
        abort(400)
    store_id = request.form.get("store", type=int)  # bounded (web/bounded_input.py): None when absurd
    if store_id is None:
        abort(400)
    form = request.form
    try:
        receipt = store_redeem.redeem(the_user(), store_id, cart_from_fields(form), client_key, date.today(),
                                      card=form.get("card") or None, code=form.get("code") or None)
    except Refusal as error:  # the panel again, the cart as it was, and why not (422)
        transaction.discard()
        quantities = {k[1:]: v for k, v in form.items() if k.startswith("q")}
        return _panel(store_id, 422, error.translated(), quantities)
    return to_receipt(receipt.redemption.receipt_no)


def to_receipt(receipt_no: str) -> Response:
    """After a redemption: its receipt (htmx follows HX-Redirect; a plain form a 303)."""
    target = url_for("store.receipt", receipt_no=receipt_no)
    if is_htmx():
        response = make_response("", 204)
        response.headers["HX-Redirect"] = target
        return response
    return redirect(target, code=303)

