"""Receipts (printed on A4 or a 58 mm thermal printer), returns (退货) and the list of redemptions."""

from __future__ import annotations

from datetime import date

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.core.refusal import NotFound
from webapp.people.domain.access import COMMITTEE, STORE_READERS
from webapp.store.domain import can_reverse_redemption
from webapp.store.routes import bp
from webapp.store.routes.common import pick_store, store_id_asked
from webapp.store.services import redeem as store_redeem
from webapp.store.services.ledger import household_ledger
from webapp.store.services.scope import stores_for
from webapp.web.guards import role_required
from webapp.web.htmx import render

PAPERS = ("58mm", "a4")  # a 58 mm thermal printer (the default at a counter), or A4


@bp.get("/receipts/<receipt_no>")
@role_required(*STORE_READERS)
def receipt(receipt_no: str):
    redemption = store_redeem.receipt(current_user, receipt_no)
    paper = request.args.get("paper") if request.args.get("paper") in PAPERS else PAPERS[0]
    return render("store/receipt.html", r=redemption, paper=paper, papers=PAPERS,
                  spendable=household_ledger(redemption.household, date.today()).spendable,
                  may_reverse=can_reverse_redemption(
                      current_user.domain_grants(), redemption.village_id, redemption.store.town_id))


@bp.post("/receipts/<receipt_no>/return")
@role_required(*COMMITTEE)  # the committee's decision; the town reads the receipt
def reverse(receipt_no: str):
    store_redeem.reverse(current_user, receipt_no, request.form.get("reason", ""), date.today())
    flash(_("The redemption was reversed: the points and the goods are back."), "info")
    return redirect(url_for("store.receipt", receipt_no=receipt_no), code=303)


@bp.get("/redemptions")
@role_required(*STORE_READERS)
def redemptions():
    try:
        store, rows = store_redeem.recent(current_user, store_id_asked())
    except NotFound:
        return pick_store("store.redemptions")
    return render("store/redemptions.html", store=store, rows=rows, stores=stores_for(current_user))
