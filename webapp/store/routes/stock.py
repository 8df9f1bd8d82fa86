"""Products and stock (入库, 盘点) and the store's reports, on screen and as a workbook."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from flask import abort, flash, redirect, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.core.period_choices import period_choices
from webapp.core.periods import Period
from webapp.core.refusal import NotFound
from webapp.people.domain.access import STORE_READERS, STORE_ROLES
from webapp.store.domain import can_manage_store, parse_amount, parse_quantity
from webapp.store.routes import bp
from webapp.store.routes.common import pick_store, store_id_asked, the_user
from webapp.store.services import reports as store_reports, stock as store_stock
from webapp.store.services.scope import store_for, store_ref, stores_for
from webapp.web.guards import role_required
from webapp.web.htmx import render


@bp.get("/stock")
@role_required(*STORE_READERS)
def stock():
    try:
        store = store_for(current_user, store_id_asked(), "view")
    except NotFound:
        return pick_store("store.stock")
    product_id = request.args.get("product", type=int)
    lines = store_stock.stock_list(store.id)
    return render("store/stock.html", store=store, lines=lines, low=[line for line in lines if line.low],
                  moves=store_stock.movements(store.id, product_id), product_id=product_id,
                  may_manage=can_manage_store(current_user.domain_grants(), store_ref(store)),
                  stores=stores_for(current_user), movement_names=_kind_names())


def _number(name: str, kind=int, required: bool = True):
    """A number from the form; a StoreRefusal (shown on the stock page) when it is not one."""
    text = request.form.get(name, "").strip()
    if not text and not required:
        return None
    return parse_quantity(text) if kind is int else parse_amount(text)


@bp.post("/stock/<action>")
@role_required(*STORE_ROLES)
def stock_write(action: str):
    """Stock-in and stock counts take the store's lock (inside the service); products do not."""
    store_id, form = store_id_asked(), request.form
    if action == "in":
        store_stock.stock_in(the_user(), store_id, form.get("product", type=int) or 0, _number("quantity"),
                             _number("unit_cost", Decimal, required=False), form.get("supplier", ""),
                             form.get("invoice_no", ""))
        flash(_("Stock-in recorded."), "info")
    elif action == "count":
        store_stock.stock_count(the_user(), store_id, form.get("product", type=int) or 0, _number("counted"),
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


def _report():
    """The report for ?period (this month by default); a period that is none is a bad request (400)."""
    today = date.today()
    period = Period.parse(request.args["period"]) if request.args.get("period") else Period.month(
        today.year, today.month)
    return store_reports.store_report(current_user, store_id_asked(), period, request.args.get("village", type=int))


@bp.get("/reports")
@role_required(*STORE_READERS)
def reports():
    try:
        report = _report()
    except NotFound:
        return pick_store("store.reports")
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
