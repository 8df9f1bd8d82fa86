"""The town's monthly figures as a job (issue 11: "the town's monthly figures run as jobs"): queued with
enqueue(TOWN_DISPATCH, {"today": "2026-04-20", "month": "2026-03"}), the runner counts every town's dispatch
of the month and keeps the totals and problems in the job's result (the dashboard itself counts live)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from webapp.core.messages import N_
from webapp.extensions import db
from webapp.jobs.services.registry import Outcome, Progress, job_kind
from webapp.people.models.geo import Town, Village
from webapp.town.services.dashboard import month_dispatch

TOWN_DISPATCH = "town_dispatch"


def register() -> None:
    """Tell the job capability about this kind (called by webapp/capabilities.py)."""
    job_kind(TOWN_DISPATCH, N_("Build the town's monthly dispatch"))(run_town_dispatch)


def run_town_dispatch(progress: Progress, args: dict[str, Any]) -> Outcome:
    """Every town's dispatch of the month of `today` (or of args["month"] = "2026-03"): the totals and the
    problems per village, kept as the job's result."""
    today = date.fromisoformat(args["today"])
    year, month = (int(p) for p in args["month"].split("-")) if args.get("month") else (today.year, today.month)
    towns = list(db.session.scalars(select(Town).order_by(Town.code)))
    result: dict[str, Any] = {}
    for done, town in enumerate(towns, start=1):
        villages = list(db.session.scalars(
            select(Village).where(Village.town_id == town.id, Village.retired_on.is_(None)).order_by(Village.code)))
        if villages:
            d = month_dispatch(villages, year, month, today)
            t = d.totals
            result[town.code] = {
                "period": d.period.key, "villages": len(d.rows),
                "totals": {"participating": t.participating, "entries": t.entries, "approved": t.approved,
                           "points_issued": str(t.points_issued), "points_redeemed": str(t.points_redeemed),
                           "objections_open": t.objections_open, "publication": t.publication},
                "problems": {r.code: [p.code for p in r.problems] for r in d.rows if r.problems},
            }
        progress(done, len(towns))
    return Outcome(N_("The dispatch of %(count)s towns is counted."), {"count": len(result)}, {"towns": result})
