"""The town's dashboard, monthly dispatch and quarterly reports (issue 13)."""

from __future__ import annotations

import io
from datetime import date

from flask import Blueprint, request, send_file
from flask_babel import gettext as _
from flask_login import current_user

from webapp.core.messages import N_
from webapp.core.periods import Period, PeriodError
from webapp.people.domain.access import Role
from webapp.town.domain.dispatch import months_back
from webapp.town.services import dashboard as service, dispatch_xlsx
from webapp.web.guards import role_required
from webapp.web.htmx import render

bp = Blueprint("town_dashboard", __name__, url_prefix="/town/dashboard")
TOWN_READERS = (Role.TOWN_ADMIN, Role.TOWN_CADRE)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _period(name: str, kind: str) -> Period:
    """?month=2026-03 / ?quarter=2026-Q1; this month (quarter) by default; anything else is a bad request."""
    today = date.today()
    raw = request.args.get(name, "")[:10]
    period = Period.parse(raw) if raw else Period.of_date(kind, today)
    if period.kind != kind:
        raise PeriodError(N_("%(key)s is not a period; write 2026-03, 2026-Q1 or 2026"), key=raw)
    return period


@bp.get("")
@role_required(*TOWN_READERS)
def index():
    period = _period("month", "month")
    today = date.today()
    board = service.dashboard(current_user, period.year, period.index, today, request.args.get("measure", "")[:20],
                              month_label=_("%(m)s mo", m="{m}"), total_label=_("Town total"))
    months = [Period.month(y, m) for y, m in reversed(months_back(today.year, today.month, 24))]
    quarters = sorted({Period.of_date("quarter", p.start) for p in months}, key=lambda p: p.start, reverse=True)
    return render("town/dashboard.html", block="dashboard_body", board=board, d=board.dispatch,
                  months=months, quarters=quarters)


@bp.get("/dispatch.xlsx")
@role_required(*TOWN_READERS)
def dispatch_workbook():
    period = _period("month", "month")
    data = dispatch_xlsx.month_workbook(service.town_villages(current_user), period.year, period.index, date.today())
    return send_file(io.BytesIO(data), download_name=f"dispatch-{period.key}.xlsx", as_attachment=True, mimetype=XLSX)


@bp.get("/quarter.xlsx")
@role_required(*TOWN_READERS)
def quarter_workbook():
    period = _period("quarter", "quarter")
    data = dispatch_xlsx.quarter_workbook(service.town_villages(current_user), period.year, period.index,
                                          date.today())
    return send_file(io.BytesIO(data), download_name=f"quarter-{period.key}.xlsx", as_attachment=True, mimetype=XLSX)
