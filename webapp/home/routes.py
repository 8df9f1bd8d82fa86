"""The role home page."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, redirect, url_for
from flask_login import current_user, login_required

from webapp.home.services import home_summary
from webapp.people.domain.access import Role, home_role
from webapp.web.htmx import render

bp = Blueprint("main", __name__)


@bp.get("/")
def index():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    return redirect(url_for("auth.login"))


@bp.get("/home")
@login_required
def home():
    role = home_role(current_user.domain_grants())
    today = date.today()
    summary = home_summary(current_user, role, today)
    if role == Role.VILLAGER and summary.household_code:
        return redirect(url_for("households.detail", code=summary.household_code))
    return render("home/index.html", summary=summary, today=today)
