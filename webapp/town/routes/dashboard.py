"""The town's dashboard, monthly dispatch and quarterly reports (issue 13)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("town_dashboard", __name__, url_prefix="/town/dashboard")
