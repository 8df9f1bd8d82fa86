"""JSON for integrations and checks: health, and the household points breakdown."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, current_app, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from webapp import __version__
from webapp.core.period_choices import default_period
from webapp.core.periods import Period
from webapp.extensions import csrf, db
from webapp.people.services import households as hh_service
from webapp.points.schemas import HouseholdPointsSchema
from webapp.villagers.services.health import health
from webapp.villagers.services.household_points import household_points
from webapp.web.health import schema_revision

bp = Blueprint("api", __name__)
csrf.exempt(bp)  # read-only JSON; the sync API (later) authenticates with device tokens


@bp.get("/healthz")
def healthz():
    """For monitors and load balancers: 200 while the database answers, else 503 (webapp/villagers/services/health.py)."""
    facts, serving = health(current_app.config)
    body = jsonify(
        status="ok" if serving and facts["photo_store"] == "ok" else ("degraded" if serving else "unavailable"),
        version=__version__,
        database=db.engine.dialect.name,
        schema_revision=schema_revision() if serving else None,
        **facts,
    )
    body.headers["Cache-Control"] = "no-store"
    return body, 200 if serving else 503


@bp.get("/api/v1/households/<code>/points")
def household_points_json(code: str):
    if not current_user.is_authenticated:
        return jsonify(error=_("Please log in to see this page."), status=401), 401
    household = hh_service.household_for(current_user, code)  # NotFound: a JSON 404; a bad ?period: 400 (the edge)
    today = date.today()
    period = Period.parse(request.args["period"]) if request.args.get("period") else default_period(today)
    points = household_points(household, period, today)
    response = jsonify(HouseholdPointsSchema().dump(points))
    response.headers["Cache-Control"] = "private, no-store"
    return response
