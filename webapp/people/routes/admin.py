"""Village administration: roster and rules import, the audit trail."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField
from wtforms.validators import Optional

from webapp.web.guards import role_required
from webapp.points.domain.scheme_loader import SchemeError
from webapp.extensions import db
from webapp.web.htmx import render
from webapp.people.services import audit_log
from webapp.core.refusal import Refusal
from webapp.people.services.roster import RosterError, import_roster, roster_template_xlsx
from webapp.points.services.schemes import import_scheme, read_scheme_file, timeline
from webapp.people.services.villages import managed_villages
from webapp.people.routes.village_choice import chosen_village

bp = Blueprint("admin", __name__, url_prefix="/admin")

ADMINS = ("village_admin", "town_admin")
PAGE = 100  # audit events per page


class RosterForm(FlaskForm):
    file = FileField(validators=[FileRequired()])


class SchemeForm(FlaskForm):
    file = FileField(validators=[FileRequired()])
    effective_from = DateField(validators=[Optional()])


def _invalid_upload(form: FlaskForm) -> bool:
    """A posted form that failed validation (no file chosen): say so instead of showing the page again."""
    if request.method == "POST" and form.errors:
        flash(_("Choose a file to upload."), "error")
        return True
    return False


@bp.route("/roster", methods=["GET", "POST"])
@role_required(*ADMINS)
def roster():
    village = chosen_village()
    form = RosterForm()
    problems, status = [], 200
    if village is not None and form.validate_on_submit():
        upload = form.file.data
        try:
            result = import_roster(village, upload.filename or "", upload.read(), actor_id=current_user.id)
        except RosterError as error:
            db.session.rollback()
            problems, status = error.problems, 422
            flash(error.translated(), "error")
        else:
            db.session.commit()
            flash(_("Roster imported: %(created)s new households, %(updated)s updated.",
                    created=result.created, updated=result.updated), "info")
            return redirect(url_for("admin.roster", village=village.id))
    if _invalid_upload(form):
        status = 422
    return render("people/roster.html", form=form, village=village, villages=managed_villages(current_user),
                  problems=problems, status=status)


@bp.get("/roster/template.xlsx")
@role_required(*ADMINS)
def roster_template():
    import io

    return send_file(io.BytesIO(roster_template_xlsx()), download_name="roster-template.xlsx", as_attachment=True)


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
        except Refusal as error:
            db.session.rollback()
            status = 422
            flash(error.translated(), "error")
        except SchemeError as error:
            db.session.rollback()
            problems, status = error.problems, 422
            flash(_("The rules were not imported. Please correct the file."), "error")
        else:
            db.session.commit()
            if created:
                flash(_("Rules imported as version %(number)s, in force from %(day)s.",
                        number=version.number, day=version.effective_from.isoformat()), "info")
            else:
                flash(_("These rules are already the latest version; nothing changed."), "info")
            return redirect(url_for("admin.scheme", village=village.id))
    if _invalid_upload(form):
        status = 422
    versions = list(reversed(timeline(village.id).versions)) if village else []
    return render("points/scheme.html", form=form, village=village, villages=managed_villages(current_user),
                  problems=problems, versions=versions, status=status)


@bp.get("/audit")
@role_required("auditor", *ADMINS)
def audit():
    topic = request.args.get("topic", "")
    events = audit_log.visible_events(current_user, limit=PAGE, topic=topic,
                                      before_id=request.args.get("before", type=int))
    return render("people/audit.html", block="events", events=events, topic=topic, topics=audit_log.TOPICS,
                  older=events[-1].id if len(events) == PAGE else None)
