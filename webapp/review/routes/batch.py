"""Batch approval on the review queue: a confirmation page (how many, which), then the result page
(approved, waiting for another reviewer, not approved with the reason). Plain forms: no JS needed.

These routes live on the queue's blueprint ("review", /review/...); routes/queue.py imports this module.
"""

from __future__ import annotations

from datetime import date

from flask import request
from flask_login import current_user

from webapp.core.messages import N_
from webapp.core.refusal import NotFound
from webapp.people.domain.access import REVIEWERS
from webapp.review.routes.queue import _device, _filters, bp
from webapp.review.services.batch import BATCHES, MET_INSPECTIONS, approve_batch, candidates, describe, still_eligible
from webapp.review.services.meetings import recent_meetings
from webapp.web.guards import role_required
from webapp.web.htmx import render


def _batch(batch: str) -> str:
    if batch not in BATCHES:
        raise NotFound(N_("No such batch."))
    return batch


@bp.get("/batch/<batch>")
@role_required(*REVIEWERS)
def confirm_batch(batch: str):
    """One confirmation: how many, and which, before anything is decided."""
    filters = _filters()
    keys = candidates(current_user, _batch(batch), filters)
    names = describe(keys)
    return render("review/batch_confirm.html", batch=batch, filters=filters, items=[names[k] for k in keys if k in names],
                  meetings=recent_meetings(current_user, date.today()), whole=batch == MET_INSPECTIONS)


def _posted_keys() -> list[tuple[str, int]]:
    keys = []
    for value in request.form.getlist("key")[:3000]:
        kind, _, number = value.partition("-")
        if kind in ("entry", "inspection") and number.isdigit():
            keys.append((kind, int(number)))
    return list(dict.fromkeys(keys))


@bp.post("/batch/<batch>")
@role_required(*REVIEWERS)
def run_batch(batch: str):
    """Decide each confirmed one on its own; the page lists what was and was not approved."""
    keys = still_eligible(_batch(batch), _posted_keys())
    meeting_id = request.form.get("meeting", type=int)
    result = approve_batch(current_user, keys, date.today(), meeting_id=meeting_id, device=_device())
    return render("review/batch_result.html", batch=batch, result=result, filters=_filters(),
                  meeting_id=meeting_id)
