"""The review group's meetings (评议小组会议): the list with a form to record one, and each meeting's
page with the members present and the decisions recorded as taken in it.

On the queue's blueprint ("review", /review/meetings); routes/queue.py imports this module.
"""

from __future__ import annotations

from datetime import date

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from webapp.core.messages import N_
from webapp.core.refusal import Refusal
from webapp.people.domain.access import REVIEWERS
from webapp.people.models.geo import Village
from webapp.extensions import db
from webapp.review.routes.queue import bp
from webapp.review.services.group_checks import member_candidates
from webapp.review.services.meetings import meeting_decisions, meeting_of, meetings_of, record_meeting
from webapp.review.services.scope import reviewing_village_ids
from webapp.web.guards import role_required
from webapp.web.htmx import render


class MeetingForm(FlaskForm):
    village = IntegerField(validators=[Optional()])
    held_on = DateField(validators=[DataRequired()])
    note = TextAreaField(validators=[Length(max=1000)])


def _villages() -> list[Village]:
    ids = reviewing_village_ids(current_user)
    return [db.session.get(Village, v) for v in ids]


@bp.get("/meetings")
@role_required(*REVIEWERS)
def meetings():
    villages = _villages()
    form = MeetingForm(data={"held_on": date.today(), "village": villages[0].id if villages else None})
    return render("review/meetings.html", form=form, villages=villages, meetings=meetings_of(current_user),
                  candidates={v.id: member_candidates(v.id) for v in villages})


@bp.post("/meetings")
@role_required(*REVIEWERS)
def create_meeting():
    form = MeetingForm()
    villages = _villages()
    if not form.validate_on_submit():
        raise Refusal(N_("Give the day of the meeting."))
    village_id = form.village.data or (villages[0].id if villages else 0)
    members = [int(v) for v in request.form.getlist("member") if v.isdigit()]
    meeting = record_meeting(current_user, village_id, form.held_on.data, members, form.note.data or "", date.today())
    flash(_("The meeting of %(day)s is recorded.", day=meeting.held_on.isoformat()), "info")
    return redirect(url_for("review.meeting", meeting_id=meeting.id))


@bp.get("/meetings/<int:meeting_id>")
@role_required(*REVIEWERS)
def meeting(meeting_id: int):
    found = meeting_of(current_user, meeting_id)
    return render("review/meeting.html", meeting=found, decisions=meeting_decisions(found))
