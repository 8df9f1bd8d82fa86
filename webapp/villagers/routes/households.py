"""Browse households and read a household's points line by line."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, request
from flask_login import current_user, login_required

from webapp.core.period_choices import default_period, period_choices
from webapp.core.periods import Period
from webapp.courtyards.services.shares import household_stars
from webapp.people.domain.access import can_decide_for_village, can_manage_village
from webapp.people.services import households as hh_service
from webapp.people.services.household_login import login_card
from webapp.villagers.services.declarations import may_declare
from webapp.villagers.services.household_points import household_points
from webapp.villagers.services.household_records import household_records
from webapp.villagers.services.household_statement import household_statement
from webapp.web.htmx import is_htmx, render

bp = Blueprint("households", __name__, url_prefix="/households")


@bp.get("")
@login_required
def index():
    q = request.args.get("q", "")
    group_id = request.args.get("group", type=int)
    page = max(request.args.get("page", 1, type=int), 1)
    rows, total = hh_service.search(
        current_user, q, group_id, page,
        village_id=request.args.get("village", type=int), grid_id=request.args.get("grid", type=int),
    )
    return render(
        "villagers/households/index.html", block="results", rows=rows, total=total, q=q, group_id=group_id,
        page=page, page_size=hh_service.PAGE_SIZE, groups=hh_service.visible_groups(current_user),
        villages=hh_service.visible_villages(current_user), village_id=request.args.get("village", type=int),
    )


@bp.get("/<code>")
@login_required
def detail(code: str):
    household = hh_service.household_for(current_user, code)  # not theirs: 404; a bad ?period: 400
    today = date.today()
    period = Period.parse(request.args["period"]) if request.args.get("period") else default_period(today)
    points = household_points(household, period, today)
    # 积分明细: the balance now, whatever the period shown; htmx swaps only the period's block
    ledger = None if is_htmx() else household_statement(household, today)
    return render("villagers/households/detail.html", block="statement", household=household, points=points, period=period,
                  ledger=ledger,
                  period_choices=period_choices(today), records=household_records(household, period),
                  login_card=login_card(current_user, household),
                  courtyard=household_stars(household.id),
                  may_declare=may_declare(current_user, household),
                  may_edit=can_manage_village(current_user.domain_grants(), household.village_id,
                                              household.village.town_id),
                  may_lift=can_decide_for_village(current_user.domain_grants(), household.village_id))
