"""Village administration: the roster import and the audit trail (rules import: webapp/points/routes/schemes.py)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired

from webapp.people.domain.access import ADMINS, AUDIT_READERS
from webapp.people.routes.village_choice import chosen_village
from webapp.people.services import audit_log
from webapp.people.services.roster import RosterError, import_roster, roster_template_xlsx
from webapp.people.services.villages import managed_villages
from webapp.web.guards import role_required
from webapp.web.htmx import render
from webapp.web.transaction import discard

bp = Blueprint("admin", __name__, url_prefix="/admin")

PAGE = 100  # audit events per page


class RosterForm(FlaskForm):
    file = FileField(validators=[FileRequired()])


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
        except RosterError as error:  # the page again, with every bad cell listed (422)
            discard()
            problems, status = error.problems, 422
            flash(error.translated(), "error")
        else:
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


@bp.get("/audit")
@role_required(*AUDIT_READERS)
def audit():
    topic, village_id = request.args.get("topic", ""), request.args.get("village", type=int)
    events = audit_log.visible_events(current_user, limit=PAGE, topic=topic,
                                      before_id=request.args.get("before", type=int), village_id=village_id)
    villages = audit_log.audited_villages(current_user)
    return render("people/audit.html", block="events", events=events, topic=topic, topics=audit_log.TOPICS,
                  older=events[-1].id if len(events) == PAGE else None, villages=villages, village_id=village_id,
                  village_names={v.id: v.name for v in villages} if len(villages) > 1 else {})
