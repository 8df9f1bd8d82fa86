"""Courtyard star ratings: rounds, the rating form, review (issue 13).

Routes are thin: the services check each object's scope and raise refusals; the request's commit
point (webapp/web/transaction.py) commits once or rolls back.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.core.refusal import Refusal
from webapp.courtyards.domain import STARS
from webapp.courtyards.services import ratings as rating_service, rounds as round_service
from webapp.courtyards.services.scope import (
    admin_village_ids,
    require_rater,
    reviewer_village_ids,
    round_for,
    villages_of,
)
from webapp.people.domain.access import COMMITTEE, OVERSEERS, REVIEWERS, Role
from webapp.people.services import households as hh_service
from webapp.photos.services.storage import photo_store
from webapp.web.guards import role_required
from webapp.web.htmx import render
from webapp.web.transaction import discard

bp = Blueprint("courtyards", __name__, url_prefix="/courtyards")

# Who opens the rounds' pages (each round's village, and each household, is checked by the services).
READERS = (Role.VILLAGE_ADMIN, Role.TOWN_ADMIN, Role.REVIEWER, Role.AUDITOR, Role.SCORER, *OVERSEERS)
RATERS = (Role.SCORER, Role.VILLAGE_ADMIN)


@bp.get("")
@role_required(*READERS)
def index():
    return render("courtyards/index.html", rounds=round_service.rounds_for(current_user),
                  open_villages=villages_of(admin_village_ids(current_user)), year=date.today().year,
                  may_review=bool(reviewer_village_ids(current_user)))


@bp.post("/rounds")
@role_required(*COMMITTEE)
def open_round():
    round_ = round_service.open_round(current_user, request.form.get("village", type=int) or 0,
                                      request.form.get("year", type=int) or 0, request.form.get("name", ""))
    flash(_("Rating round %(name)s opened.", name=round_.name), "info")
    return redirect(url_for("courtyards.round_page", round_id=round_.id), code=303)


@bp.get("/rounds/<int:round_id>")
@role_required(*READERS)
def round_page(round_id: int):
    round_ = round_for(current_user, round_id)
    return render("courtyards/round.html", round=round_, rows=round_service.round_households(current_user, round_),
                  may_close=round_.state == "open" and round_.village_id in admin_village_ids(current_user))


@bp.post("/rounds/<int:round_id>/close")
@role_required(*COMMITTEE)
def close_round(round_id: int):
    round_ = round_for(current_user, round_id)
    round_service.close_round(current_user, round_)
    flash(_("Rating round %(name)s closed.", name=round_.name), "info")
    return redirect(url_for("courtyards.round_page", round_id=round_.id), code=303)


@bp.route("/rounds/<int:round_id>/households/<code>", methods=["GET", "POST"])
@role_required(*RATERS)
def rate(round_id: int, code: str):
    """The rating form on the phone: stars, a photo of the courtyard, a note (works without JS)."""
    round_ = round_for(current_user, round_id)
    household = hh_service.household_for(current_user, code)
    require_rater(current_user, household)  # not their grid's: 404
    error, status = None, 200
    if request.method == "POST":
        upload = request.files.get("photo")
        try:
            rating_service.record_rating(
                current_user, round_, household, request.form.get("stars", type=int, default=-1),
                photo=upload.read() if upload else b"", note=request.form.get("note", ""),
                store=photo_store(current_app.config))
        except Refusal as refusal:  # the form again, with why not
            discard()
            error, status = refusal.translated(), 422
        else:
            flash(_("Courtyard of %(name)s rated. The reviewers will check it.", name=household.head_name), "info")
            return redirect(url_for("courtyards.round_page", round_id=round_.id), code=303)
    return render("courtyards/rate.html", status=status, round=round_, household=household, error=error,
                  stars=STARS, history=rating_service.history(round_, household))


@bp.get("/review")
@role_required(*REVIEWERS)
def review_list():
    return render("courtyards/review.html", ratings=rating_service.waiting_for(current_user))


@bp.post("/ratings/<int:rating_id>/review")
@role_required(*REVIEWERS)
def review(rating_id: int):
    action = request.form.get("action", "")
    rating = rating_service.review_rating(current_user, rating_id, action, request.form.get("reason", ""))
    flash(_("Courtyard rating of %(name)s approved.", name=rating.household.head_name) if action == "approve"
          else _("Courtyard rating of %(name)s rejected.", name=rating.household.head_name), "info")
    return redirect(url_for("courtyards.review_list"), code=303)
