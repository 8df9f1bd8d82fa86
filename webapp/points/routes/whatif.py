"""What-if of a rules draft: how each household's points and rank would change (read only)."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, request
from flask_login import current_user

from webapp.people.domain.access import ADMINS
from webapp.points.domain.scheme_loader import SchemeError
from webapp.points.services.whatif import DEFAULT_MONTHS, draft_what_if, readable_draft
from webapp.web.guards import role_required
from webapp.web.htmx import render

bp = Blueprint("whatif", __name__, url_prefix="/rules")


@bp.get("/drafts/<int:draft_id>/what-if")
@role_required(*ADMINS)
def show(draft_id: int):
    months = request.args.get("months", DEFAULT_MONTHS, type=int)
    try:
        result = draft_what_if(current_user, draft_id, date.today(), months)
    except SchemeError as error:  # the draft does not load: say what to fix, compare nothing
        draft = readable_draft(current_user, draft_id)
        return render("points/whatif.html", draft=draft, village=draft.scheme.village, result=None,
                      problems=error.problems, months=months)
    return render("points/whatif.html", block="whatif", draft=result.draft, village=result.village, result=result,
                  problems=[], months=months)
