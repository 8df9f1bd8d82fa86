"""Importing a village's rules (a YAML scheme file) and seeing its versions; editing them in pages is
rule_drafts.py, on the same blueprint."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField
from wtforms.validators import Optional

from webapp.core.refusal import Refusal
from webapp.people.domain.access import ADMINS
from webapp.people.routes.village_choice import chosen_village
from webapp.people.services.villages import managed_villages
from webapp.points.domain.scheme_loader import SchemeError
from webapp.points.services.rule_drafts import editing
from webapp.points.services.schemes import import_scheme, read_scheme_file, timeline
from webapp.web.guards import role_required
from webapp.web.htmx import render
from webapp.web.transaction import discard

bp = Blueprint("schemes", __name__, url_prefix="/admin")


class SchemeForm(FlaskForm):
    file = FileField(validators=[FileRequired()])
    effective_from = DateField(validators=[Optional()])


@bp.route("/scheme", methods=["GET", "POST"])
@role_required(*ADMINS)
def scheme():
    village = chosen_village()
    form = SchemeForm()
    problems, status = [], 200
    if village is not None and form.validate_on_submit():
        try:
            text = read_scheme_file(form.file.data.read())
            version, created = import_scheme(
                village, text, form.effective_from.data or date.today(), actor_id=current_user.id
            )
        except SchemeError as error:  # one problem per place in the file, shown beside it
            discard()
            problems, status = error.problems, 422
            flash(_("The rules were not imported. Please correct the file."), "error")
        except Refusal as error:
            discard()
            status = 422
            flash(error.translated(), "error")
        else:
            if created:
                flash(_("Rules imported as version %(number)s, in force from %(day)s.",
                        number=version.number, day=version.effective_from.isoformat()), "info")
            else:
                flash(_("These rules are already the latest version; nothing changed."), "info")
            return redirect(url_for("schemes.scheme", village=village.id))
    if request.method == "POST" and form.errors:
        flash(_("Choose a file to upload."), "error")
        status = 422
    versions = list(reversed(timeline(village.id).versions)) if village else []
    draft, may_edit = editing(current_user, village) if village else (None, False)
    return render("points/scheme.html", form=form, village=village, villages=managed_villages(current_user),
                  problems=problems, versions=versions, status=status, draft=draft, may_edit=may_edit)


from webapp.points.routes import rule_drafts as rule_drafts  # noqa: E402 - its views register on bp
