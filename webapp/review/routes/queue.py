"""The review queue (审核) for reviewers and village admins: approve, reject with a reason, adjust.

Each queue row is a partial that owns its swap target: a decision posted by htmx answers with
the row in its new state (or with the refusal inside it, status 422 — static/review/review.js lets
htmx swap that); without JavaScript the form posts, then redirects back to the queue with a flash
(a refusal: the edge's answer, web/transaction.py, which goes back to the form's `next`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from flask import Blueprint, Response, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DecimalField, SelectField, StringField
from wtforms.validators import Length, NumberRange, Optional

from webapp.core.messages import N_
from webapp.core.refusal import NotFound, Refusal
from webapp.people.domain.access import QUEUE_READERS, REVIEWERS
from webapp.points.domain.entry_states import DECISIONS
from webapp.review.services.decisions import Outcome, review_entry, review_inspection
from webapp.review.services.queue import FLAG_FILTERS, QueueFilters, QueueRow, queue_page, queue_row
from webapp.review.services.scope import reviewing_village_ids
from webapp.web import transaction
from webapp.web.guards import role_required
from webapp.web.htmx import is_htmx, render
from webapp.web.safe_redirect import safe_next

bp = Blueprint("review", __name__, url_prefix="/review")


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
@role_required(*QUEUE_READERS)  # the town admin and a 包村干部 read it; every decision below stays REVIEWERS'
def queue():
    filters = _filters()
    view = queue_page(current_user, filters, date.today())
    return render("review/queue.html", block="queue_list", view=view, filters=filters)


def _row(kind: str, object_id: int) -> QueueRow:
    """The queue row of one entry or inspection; NotFound (404) outside the reviewer's area."""
    return queue_row(current_user, kind, object_id, date.today())


def _render_row(row: QueueRow, error: str = "", status: int = 200) -> Response:
    response = make_response(render_template("review/_row.html", row=row, error=error, next_url=_next(),
                                             show_village=len(reviewing_village_ids(current_user)) > 1), status)
    response.vary.add("HX-Request")
    return response


def _next() -> str:
    return safe_next(request.form.get("next")) or url_for("review.queue")


def _said(row: QueueRow, waiting_for: int, action: str) -> str:
    """What the flash says after a decision, without JavaScript."""
    if waiting_for:
        return _("%(household)s: your approval is counted; waiting for another reviewer (%(done)s of %(needed)s).",
                 household=row.head_name, done=row.approvals, needed=row.approvals_needed)
    if action == "reject":
        return _("%(household)s: rejected.", household=row.head_name)
    if action == "adjust":
        return _("%(household)s: adjusted.", household=row.head_name)
    return _("%(household)s: approved.", household=row.head_name)


def _decide(kind: str, object_id: int, decide: Callable[[DecisionForm], Outcome]):
    """Parse the form, make one decision; a refusal writes nothing and is said in the row (htmx)."""
    form = DecisionForm()
    try:
        if not form.validate_on_submit():
            _row(kind, object_id)  # outside the area: 404 before anything is said about the form
            raise Refusal(N_("Give the quantity as a number greater than 0.") if form.quantity.errors
                          else N_("The form was not valid; please try again."))
        outcome = decide(form)
    except Refusal as error:
        if isinstance(error, NotFound) or not is_htmx():
            raise  # 404, or the queue with a flash (web/transaction.py)
        transaction.discard()
        return _render_row(_row(kind, object_id), error.translated(), 422)
    row = _row(kind, object_id)
    if is_htmx():
        return _render_row(row)
    flash(_said(row, outcome.waiting_for, form.action.data), "info")
    return redirect(_next())


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


# The batch and meeting pages are on this blueprint too (/review/batch/..., /review/meetings).
from webapp.review.routes import batch, meetings  # noqa: E402, F401
