"""A villager's published notices and objections (异议)."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from webapp.core.refusal import Refusal
from webapp.extensions import db
from webapp.people.domain.access import VILLAGERS
from webapp.people.services.households import own_household
from webapp.photos.services.storage import photo_store
from webapp.publication.models import Publication
from webapp.publication.services.objections import MAX_TEXT, file_objection
from webapp.villagers.services.notices import household_notices, objection_choices, objections_filed_by
from webapp.web.guards import role_required
from webapp.web.htmx import render
from webapp.web.transaction import discard

bp = Blueprint("notices", __name__, url_prefix="/my/notices")


class ObjectionForm(FlaskForm):
    household = SelectField(_l("Whose result"), coerce=int)
    text = TextAreaField(_l("What is wrong"), validators=[DataRequired(), Length(min=5, max=MAX_TEXT)])
    photo = FileField(_l("Photo (optional)"), validators=[FileAllowed(["jpg", "jpeg", "png", "webp"])])


def _household():  # type: ignore[no-untyped-def]
    household = own_household(current_user)
    if household is None:
        abort(404)
    return household


@bp.get("")
@role_required(*VILLAGERS)
def index():
    household = _household()
    return render("villagers/notices/index.html", household=household, notices=household_notices(household, date.today()),
                  objections=objections_filed_by(current_user))


@bp.route("/<int:publication_id>/object", methods=["GET", "POST"])
@role_required(*VILLAGERS)
def object_to(publication_id: int):
    household = _household()
    publication = db.session.get(Publication, publication_id)
    if publication is None or publication.village_id != household.village_id or publication.status != "notice":
        abort(404)
    form = ObjectionForm()
    form.household.choices = objection_choices(publication)
    if request.method == "GET":
        form.household.data = household.id
    status = 200
    if form.validate_on_submit():
        photo = form.photo.data.read() if form.photo.data else None
        try:
            file_objection(current_user, publication, form.household.data, form.text.data, date.today(), photo,
                           store=photo_store(current_app.config))
        except Refusal as error:  # the form again, as typed, with why not (422)
            discard()
            flash(error.translated(), "error")
            status = 422
        else:
            flash(_("Your objection is filed. The village committee will answer it."), "info")
            return redirect(url_for("notices.index"))
    elif form.errors:
        status = 422
    return render("villagers/notices/object.html", form=form, publication=publication, status=status)
