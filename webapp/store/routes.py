"""The points store (积分超市): counter, receipts and returns, stock, reports, household cards."""

from __future__ import annotations

import io
import uuid
from datetime import date
from decimal import Decimal

from flask import Blueprint, abort, flash, make_response, redirect, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.core.period_choices import period_choices
from webapp.core.periods import Period
from webapp.core.refusal import NotFound, Refusal
from webapp.people.domain.access import ADMINS, CLERKS, COMMITTEE, STORE_READERS, STORE_ROLES
from webapp.people.services.households import visible_groups
from webapp.people.services.villages import managed_village, managed_villages
from webapp.store.domain import (
    can_manage_store,
    can_reverse_redemption,
    cart_from_fields,
    parse_amount,
    parse_quantity,
)
from webapp.store.services import (
    cards as store_cards,
    redeem as store_redeem,
    reports as store_reports,
    stock as store_stock,
)
from webapp.store.services.ledger import household_ledger
from webapp.store.services.scope import store_for, store_ref, stores_for
from webapp.web import transaction
from webapp.web.guards import role_required
from webapp.web.htmx import is_htmx, render

bp = Blueprint("store", __name__, url_prefix="/store")


def _store_id() -> int | None:
    return request.values.get("store", type=int)


def _user():  # noqa: ANN202
    """The user itself, not the proxy: a store write begins its own transaction (the lock) and keeps it."""
    return current_user._get_current_object()


def _pick_store(endpoint: str):  # noqa: ANN202
    """The user serves several stores and named none (or one not theirs): let them choose."""
    return render("store/pick_store.html", stores=stores_for(current_user), endpoint=endpoint)


# --- the counter ------------------------------------------------------------------------------

@bp.get("/counter")
@role_required(*CLERKS)
def counter():
    try:
        store = store_for(current_user, _store_id(), "counter")
    except NotFound:
        return _pick_store("store.counter")
    return render("store/counter.html", store=store, view=None)


def _panel(store_id: int, status: int = 200, message: str | None = None, quantities=None):  # noqa: ANN001, ANN202
    """The counter page (or, for htmx, its panel) for the household named by the posted card or code."""
    card, code = request.form.get("card", "").strip() or None, request.form.get("code", "").strip() or None
    store = store_for(current_user, store_id, "counter")
    view = None
    try:
        view = store_redeem.counter_view(current_user, store.id, date.today(), card=card, code=code)
    except Refusal as error:  # no such household here: the panel says so (422), beside the code typed
        message, status = message or error.translated(), 422
    return render("store/counter.html", block="panel", status=status, store=store, view=view, card=card,
                  code=code, message=message, quantities=quantities or {}, client_key=uuid.uuid4())


@bp.post("/counter/lookup")
@role_required(*CLERKS)
def lookup():
    return _panel(_store_id())


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
        receipt = store_redeem.redeem(_user(), store_id, cart_from_fields(form), client_key, date.today(),
                                      card=form.get("card") or None, code=form.get("code") or None)
    except Refusal as error:  # the panel again, the cart as it was, and why not (422)
        transaction.discard()
        quantities = {k[1:]: v for k, v in form.items() if k.startswith("q")}
        return _panel(store_id, 422, error.translated(), quantities)
    target = url_for("store.receipt", receipt_no=receipt.redemption.receipt_no)
    if is_htmx():
        response = make_response("", 204)
        response.headers["HX-Redirect"] = target
        return response
    return redirect(target, code=303)


@bp.get("/receipts/<receipt_no>")
@role_required(*STORE_READERS)
def receipt(receipt_no: str):
    redemption = store_redeem.receipt(current_user, receipt_no)
    return render("store/receipt.html", r=redemption,
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
        store, rows = store_redeem.recent(current_user, _store_id())
    except NotFound:
        return _pick_store("store.redemptions")
    return render("store/redemptions.html", store=store, rows=rows, stores=stores_for(current_user))


# --- products and stock -----------------------------------------------------------------------

@bp.get("/stock")
@role_required(*STORE_READERS)
def stock():
    try:
        store = store_for(current_user, _store_id(), "view")
    except NotFound:
        return _pick_store("store.stock")
    product_id = request.args.get("product", type=int)
    lines = store_stock.stock_list(store.id)
    return render("store/stock.html", store=store, lines=lines, low=[line for line in lines if line.low],
                  moves=store_stock.movements(store.id, product_id), product_id=product_id,
                  may_manage=can_manage_store(current_user.domain_grants(), store_ref(store)),
                  stores=stores_for(current_user), movement_names=_kind_names())


def _number(name: str, kind=int, required: bool = True):  # noqa: ANN001, ANN202
    """A number from the form; a StoreRefusal (shown on the stock page) when it is not one."""
    text = request.form.get(name, "").strip()
    if not text and not required:
        return None
    return parse_quantity(text) if kind is int else parse_amount(text)


@bp.post("/stock/<action>")
@role_required(*STORE_ROLES)
def stock_write(action: str):
    """Stock-in and stock counts take the store's lock (inside the service); products do not."""
    store_id, form = _store_id(), request.form
    if action == "in":
        store_stock.stock_in(_user(), store_id, form.get("product", type=int) or 0, _number("quantity"),
                             _number("unit_cost", Decimal, required=False), form.get("supplier", ""),
                             form.get("invoice_no", ""))
        flash(_("Stock-in recorded."), "info")
    elif action == "count":
        store_stock.stock_count(_user(), store_id, form.get("product", type=int) or 0, _number("counted"),
                                form.get("reason", ""))
        flash(_("Stock count recorded."), "info")
    elif action == "product":
        store_stock.save_product(current_user, store_id, form.get("code", ""), form.get("name", ""),
                                 _number("price", Decimal), form.get("category", ""), form.get("unit", ""),
                                 _number("low_stock_at"), form.get("active") == "1")
        flash(_("Product saved."), "info")
    else:
        abort(404)
    return redirect(url_for("store.stock", store=store_id), code=303)


# --- reports ----------------------------------------------------------------------------------

def _report():  # noqa: ANN202
    """The report for ?period (this month by default); a period that is none is a bad request (400)."""
    today = date.today()
    period = Period.parse(request.args["period"]) if request.args.get("period") else Period.month(
        today.year, today.month)
    return store_reports.store_report(current_user, _store_id(), period, request.args.get("village", type=int))


@bp.get("/reports")
@role_required(*STORE_READERS)
def reports():
    try:
        report = _report()
    except NotFound:
        return _pick_store("store.reports")
    return render("store/reports.html", report=report, period_choices=period_choices(date.today()),
                  stores=stores_for(current_user))


@bp.get("/reports.xlsx")
@role_required(*STORE_READERS)
def reports_xlsx():
    report = _report()
    headings = {
        "by_day": [_("Day"), _("Receipts"), _("Points"), _("Returned"), _("Net points")],
        "by_product": [_("Product"), _("Category"), _("Quantity"), _("Points")],
        "by_household": [_("Household code"), _("Head of household"), _("Village"), _("Receipts"), _("Points")],
        "stock": [_("Code"), _("Product"), _("Category"), _("Price (points)"), _("On hand"), _("Warn at")],
        "movements": [_("Time (UTC)"), _("Product"), _("Movement"), _("Quantity"), _("Supplier"), _("Invoice no."),
                      _("Unit cost (yuan)"), _("Counted quantity"), _("Reason")],
        "issued": [_("Village"), _("Month"), _("Points issued"), _("Points redeemed")],
    }
    titles = {"by_day": _("By day"), "by_product": _("By product"), "by_household": _("By household"),
              "stock": _("Stock on hand"), "movements": _("Stock movements"), "issued": _("Issued vs redeemed")}
    data = store_reports.report_xlsx(report, headings, titles, _kind_names())
    name = f"{report.store.code}-{report.period.key}.xlsx"
    return send_file(io.BytesIO(data), download_name=name, as_attachment=True,
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _kind_names() -> dict[str, str]:
    return {"stock_in": _("Stock-in"), "count": _("Stock count"), "redemption": _("Redemption"),
            "return": _("Return")}


# --- household cards --------------------------------------------------------------------------

def _village():  # noqa: ANN202
    try:
        return managed_village(current_user, request.values.get("village", type=int))
    except NotFound:
        return None


@bp.route("/cards", methods=["GET", "POST"])
@role_required(*ADMINS)
def cards():
    village, group_id = _village(), request.values.get("group", type=int)
    if village is not None and request.method == "POST":
        if request.form.get("reissue"):
            store_cards.reissue(village, request.form["reissue"], current_user.id)
            flash(_("A new card was issued; the old card no longer works."), "info")
        else:
            count = store_cards.issue_missing(village, current_user.id, group_id)
            flash(_("%(count)s cards issued.", count=count), "info")
        return redirect(url_for("store.cards", village=village.id, group=group_id), code=303)
    households = store_cards.village_households(village, group_id) if village else []
    return render("store/cards.html", village=village, villages=managed_villages(current_user),
                  households=households, group_id=group_id,
                  groups=[g for g in visible_groups(current_user) if village and g.village_id == village.id],
                  cards=store_cards.active_cards([hh.id for hh in households]))


@bp.get("/cards/sheet")
@role_required(*ADMINS)
def card_sheet():
    village = _village()
    if village is None:
        abort(404)
    codes = request.args.getlist("code") or None
    printed = store_cards.printed_cards(village, request.args.get("group", type=int), codes)
    return render("store/card_sheet.html", cards=printed, village=village)
