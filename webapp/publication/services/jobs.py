"""The publication capability's jobs (registered with webapp/jobs at start-up): closing a period,
and making final the notices whose window has ended. Each is safe to run twice: a period already
closed is reported as such (the job is done, linking the publication), and a notice already final
is no longer due."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from webapp.core.messages import N_
from webapp.core.periods import Period
from webapp.core.refusal import NotFound
from webapp.extensions import db
from webapp.jobs.models import Job
from webapp.jobs.services.enqueue import enqueue
from webapp.jobs.services.registry import Outcome, Progress, job_kind
from webapp.people.models.geo import Village
from webapp.people.models.user import User
from webapp.people.services.villages import require_committee
from webapp.publication.services.publications import check_close, close_period, closed_publication, finalise_due

CLOSE_PERIOD, FINALISE_DUE = "close_period", "finalise_due"


def register() -> None:
    """Tell the job capability about these kinds (called by webapp/capabilities.py)."""
    job_kind(CLOSE_PERIOD, N_("Close a period"), link=_publication_link)(run_close)
    job_kind(FINALISE_DUE, N_("Make ended notices final"), daily=True)(run_finalise_due)


def _publication_link(result: Mapping[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """A close job's page links to the publication it made (or found)."""
    return ("publications.detail", {"publication_id": result["publication_id"]}) if "publication_id" in result \
        else None


def start_close(actor: User, village: Village, period: Period, today: date) -> Job:
    """Queue the close of a period (refusing at once what cannot be closed); a close of the same
    village and period that already waits is returned instead of a second. The committee's, never the town's."""
    require_committee(actor, village.id)
    check_close(village, period, today)
    args = {"village_id": village.id, "period": period.key, "today": today.isoformat(), "actor_id": actor.id}
    return enqueue(CLOSE_PERIOD, args, village_id=village.id, started_by_id=actor.id,
                   dedupe_key=f"{CLOSE_PERIOD}:{village.id}:{period.key}")


def run_close(progress: Progress, args: dict[str, Any]) -> Outcome:
    """Close the period as the admin who asked for it, on the day they asked."""
    village = db.session.get(Village, args["village_id"])
    if village is None:
        raise NotFound(N_("This village no longer exists."))
    actor = db.session.get(User, args["actor_id"]) if args.get("actor_id") else None
    if actor is None:
        raise NotFound(N_("The user who asked for this job no longer exists."))
    period = Period.parse(args["period"])
    existing = closed_publication(village.id, period)
    if existing is not None:  # run twice, or closed meanwhile on another page: nothing to do again
        return Outcome(N_("%(period)s was already closed."), {"period": period.key},
                       {"publication_id": existing.id})
    publication = close_period(actor, village, period, date.fromisoformat(args["today"]), progress)
    return Outcome(N_("%(period)s is closed: its ranking is frozen."), {"period": period.key},
                   {"publication_id": publication.id})


def run_finalise_due(progress: Progress, args: dict[str, Any]) -> Outcome:
    """The daily job: every notice that ended with no objection open becomes final (all villages)."""
    done = finalise_due(date.fromisoformat(args["today"]))
    progress(len(done), len(done))
    return Outcome(N_("%(count)s publications are now final."), {"count": len(done)},
                   {"publication_ids": [p.id for p in done]})
