"""The villager's side: the committee sets a household's login PIN; a household declares its
annual items (个人申报)."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import StringField, TextAreaField
from wtforms.validators import Length, Optional

from webapp.core.refusal import Refusal
from webapp.people.domain.access import VILLAGERS
from webapp.people.services import households as hh_service
from webapp.people.services.household_login import login_card, set_household_pin
from webapp.people.services.households import own_household
from webapp.photos.services.storage import photo_store
from webapp.points.services.freezes import lift_freeze
from webapp.villagers.services.declarations import MAX_NOTE, declarable_for, declarations, declare
from webapp.web.guards import role_required
from webapp.web.htmx import render
from webapp.web.transaction import discard

bp = Blueprint("villagers", __name__)


class PinForm(FlaskForm):
    pin = StringField(validators=[Optional(), Length(max=16)])


class DeclarationForm(FlaskForm):
    item = StringField(validators=[Length(max=32)])
    note = TextAreaField(validators=[Optional(), Length(max=MAX_NOTE)])
    photos = MultipleFileField()


@bp.post("/households/<code>/pin")
@login_required
def set_pin(code: str):
    """Set or reset the household's PIN and show it once (the card for htmx, a page without JS)."""
    household = hh_service.household_for(current_user, code)
    card = login_card(current_user, household)
    if card is None:
        abort(404)
    form = PinForm()
    pin, error, status = None, None, 200
    if not form.validate_on_submit():
        error, status = _("A PIN is exactly 6 digits."), 422
    else:
        try:
            pin = set_household_pin(current_user, household, form.pin.data)
        except Refusal as refusal:  # the card says why (422)
            discard()
            error, status = refusal.translated(), 422
        else:
            card = login_card(current_user, household)
    response = render("villagers/pin.html", block="login_card", household=household, card=card, pin=pin,
                      error=error, status=status)
    response.headers["Cache-Control"] = "no-store"  # the PIN is shown once, never kept
    return response


@bp.post("/households/<code>/freezes/<int:freeze_id>/lift")
@login_required
def lift(code: str, freeze_id: int):
    """The committee lifts a redemption freeze."""
    household = hh_service.household_for(current_user, code)
    if not PinForm().validate_on_submit():  # CSRF only
        abort(400)
    lift_freeze(current_user, household, freeze_id, date.today())
    flash(_("The freeze is lifted: the household may redeem again."), "info")
    return redirect(url_for("households.detail", code=household.code))


@bp.route("/my/declarations", methods=["GET", "POST"])
@role_required(*VILLAGERS)
def declarations_page():
    household = own_household(current_user)
    if household is None:
        abort(404)
    today = date.today()
    form = DeclarationForm()
    error, status = None, 200
    if form.validate_on_submit():
        uploads = [(f.filename or "", f.read()) for f in request.files.getlist("photos")]
        try:
            entry = declare(current_user, household, form.item.data or "", form.note.data or "", uploads, today,
                            store=photo_store(current_app.config))
        except Refusal as refusal:  # the page again, with why not (422)
            discard()
            error, status = refusal.translated(), 422
        else:
            flash(_("Your declaration of %(item)s was sent. The review group will check it.",
                    item=entry.item.code), "info")
            return redirect(url_for("villagers.declarations_page"), code=303)
    elif form.is_submitted():
        error, status = _("The note is longer than %(max)s characters.", max=MAX_NOTE), 422
    return render("villagers/declarations.html", household=household, form=form, error=error, status=status,
                  items=declarable_for(household, today), declarations=declarations(household, today.year),
                  year=today.year)


from webapp.villagers.routes import reservations  # noqa: F401 - 预约兑换: its routes are this blueprint's
