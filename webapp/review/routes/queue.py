"""The review queue (审核) for reviewers and village admins: approve, reject with a reason, adjust.

Each queue row is a partial that owns its swap target: a decision posted by htmx answers with
the row in its new state (or with the refusal inside it, status 422 — static/review/review.js lets
htmx swap that); without JavaScript the form posts, then redirects back to the queue with a flash.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from flask import Blueprint, Response, abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DecimalField, SelectField, StringField
from wtforms.validators import Length, NumberRange, Optional

from webapp.web.guards import role_required
from webapp.points.domain.entry_states import DECISIONS
from webapp.extensions import db
from webapp.web.htmx import is_htmx, render
from webapp.core.refusal import NotFound, Refusal
from webapp.review.services.decisions import Outcome, review_entry, review_inspection
from webapp.review.services.queue import FLAG_FILTERS, QueueFilters, QueueRow, queue_page, queue_row
from webapp.review.services.scope import reviewing_village_ids
from webapp.web.safe_redirect import safe_next

bp = Blueprint("review", __name__, url_prefix="/review")

REVIEWERS = ("reviewer", "village_admin")


class DecisionForm(FlaskForm):
    action = SelectField(choices=list(DECISIONS))
    reason = StringField(validators=[Length(max=500)])
    quantity = DecimalField(places=None, validators=[Optional(), NumberRange(min=Decimal("0.01"), max=Decimal(1000))])


def _filters() -> QueueFilters:
    args = request.args
    flag = args.get("flag", "")
    return QueueFilters(
        village_id=args.get("village", type=int), area=args.get("area", "")[:20], item=args.get("item", "")[:32],
        scorer_id=args.get("scorer", type=int), flag=flag if flag in FLAG_FILTERS else "",
        page=max(args.get("page", 1, type=int), 1),
    )


@bp.get("")
@role_required(*REVIEWERS)
def queue():
    filters = _filters()
    try:
        view = queue_page(current_user, filters, date.today())
    except NotFound:
        abort(404)
    return render("review/queue.html", block="queue_list", view=view, filters=filters)


def _row(kind: str, object_id: int):
    try:
        return queue_row(current_user, kind, object_id, date.today())
    except NotFound:
        abort(404)


def _refused(kind: str, object_id: int, message: str):
    """Nothing is written; the row says why (htmx) or the queue does (a flash)."""
    db.session.rollback()
    if is_htmx():
        return _render_row(_row(kind, object_id), message, 422)
    flash(message, "error")
    return redirect(_next())


def _render_row(row: QueueRow, error: str = "", status: int = 200) -> Response:
    response = make_response(render_template("review/_row.html", row=row, error=error, next_url=_next(),
                                             show_village=len(reviewing_village_ids(current_user)) > 1), status)
    response.vary.add("HX-Request")
    return response


def _next() -> str:
    return safe_next(request.form.get("next")) or url_for("review.queue")


def _done(kind: str, object_id: int, waiting_for: int, action: str):
    db.session.commit()
    row = _row(kind, object_id)
    if is_htmx():
        return _render_row(row)
    if waiting_for:
        message = _("%(household)s: your approval is counted; waiting for another reviewer (%(done)s of %(needed)s).",
                    household=row.head_name, done=row.approvals, needed=row.approvals_needed)
    elif action == "reject":
        message = _("%(household)s: rejected.", household=row.head_name)
    elif action == "adjust":
        message = _("%(household)s: adjusted.", household=row.head_name)
    else:
        message = _("%(household)s: approved.", household=row.head_name)
    flash(message, "info")
    return redirect(_next())


def _decide(kind: str, object_id: int, decide: Callable[[DecisionForm], Outcome]):
    """Parse the form, make one decision, commit once; a refusal writes nothing."""
    form = DecisionForm()
    if not form.validate_on_submit():
        _row(kind, object_id)  # outside the area: 404 before anything is said about the form
        if form.quantity.errors:
            return _refused(kind, object_id, _("Give the quantity as a number greater than 0."))
        return _refused(kind, object_id, _("The form was not valid; please try again."))
    try:
        outcome = decide(form)
    except NotFound:
        db.session.rollback()
        abort(404)
    except Refusal as error:
        return _refused(kind, object_id, error.translated())
    return _done(kind, object_id, outcome.waiting_for, form.action.data)


def _device() -> str:
    return request.user_agent.string[:100]


@bp.post("/entries/<int:entry_id>")
@role_required(*REVIEWERS)
def decide_entry(entry_id: int):
    return _decide("entry", entry_id, lambda form: review_entry(
        current_user, entry_id, form.action.data, reason=form.reason.data or "",
        new_quantity=form.quantity.data, device=_device()))


@bp.post("/inspections/<int:inspection_id>")
@role_required(*REVIEWERS)
def decide_inspection(inspection_id: int):
    # The form lists the inspection's base items ("item") and ticks the ones met ("met-<code>").
    def met() -> dict[str, bool] | None:
        codes = request.form.getlist("item")
        return {code: bool(request.form.get(f"met-{code}")) for code in codes} if codes else None

    return _decide("inspection", inspection_id, lambda form: review_inspection(
        current_user, inspection_id, form.action.data, reason=form.reason.data or "", met=met(), device=_device()))
