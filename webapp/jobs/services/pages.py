"""A job's page: who may see it, and what it shows (state, progress, outcome, where it leads)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from webapp.core.messages import N_
from webapp.core.refusal import NotFound
from webapp.extensions import db
from webapp.jobs.domain import FAILED, is_finished, percent
from webapp.jobs.models import Job
from webapp.jobs.services.registry import kind as job_kind
from webapp.people.domain.access import Role, can_decide_for_village, can_manage_village
from webapp.people.models.geo import Village
from webapp.people.models.user import User


def may_see(user: User, job: Job) -> bool:
    """The user who started it, an admin of its village (or of the village's town); a job of no
    village (the daily ones) any town admin."""
    if job.started_by_id is not None and job.started_by_id == user.id:
        return True
    grants = user.domain_grants()
    if job.village_id is None:
        return any(g.role == Role.TOWN_ADMIN for g in grants)
    village = db.session.get(Village, job.village_id)
    return village is not None and can_manage_village(grants, village.id, village.town_id)


def may_run_again(user: User, job: Job) -> bool:
    """Running a failed job again: who started it; for a village's job (a close) that village's committee
    only, since it decides for the village (the town sees the job and does not close for it)."""
    if job.started_by_id is not None and job.started_by_id == user.id:
        return True
    if job.village_id is not None:
        return can_decide_for_village(user.domain_grants(), job.village_id)
    return may_see(user, job)


def visible_job(user: User, job_id: int) -> Job:
    """The job, if this user may see it; NotFound (404) otherwise, as if it did not exist."""
    job = db.session.get(Job, job_id)
    if job is None or not may_see(user, job):
        raise NotFound(N_("No such job."))
    return job


@dataclass(frozen=True)
class JobPage:
    job: Job
    label: str  # msgid
    percent: int
    finished: bool
    failed: bool
    msgid: str
    params: dict[str, Any]
    text: str  # an unexpected error's own words (not translated)
    link: tuple[str, dict[str, Any]] | None


def job_page(job: Job) -> JobPage:
    registered = job_kind(job.kind)
    message = json.loads(job.message) if job.message else {}
    link = registered.link(json.loads(job.result or "{}")) if registered and registered.link and \
        job.state != FAILED else None
    return JobPage(job=job, label=registered.label if registered else job.kind,
                   percent=percent(job.progress_done, job.progress_total), finished=is_finished(job.state),
                   failed=job.state == FAILED, msgid=message.get("msgid", ""), params=message.get("params", {}),
                   text=message.get("text", ""), link=link)


def recent_jobs(limit: int = 20) -> list[Job]:
    return list(db.session.scalars(select(Job).order_by(Job.id.desc()).limit(limit)))
