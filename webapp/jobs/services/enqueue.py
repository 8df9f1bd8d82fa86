"""Putting work in the queue: a new job, or the same one when it already waits; running a failed
job again. Never commits: the request's commit point does, and on PostgreSQL the job is handed to
procrastinate after that commit (services/queue.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from webapp.core.messages import N_
from webapp.core.refusal import Refusal
from webapp.extensions import db
from webapp.jobs.domain import QUEUED, JobStateError, canonical_args, dedupe_key as default_key, next_state
from webapp.jobs.models import Job
from webapp.jobs.services.queue import defer_after_commit
from webapp.jobs.services.registry import KINDS


def waiting_job(key: str) -> Job | None:
    """The unfinished (queued or running) job holding a dedupe key."""
    return db.session.scalar(select(Job).where(Job.open_key == key))


def enqueue(kind: str, args: dict[str, Any], *, village_id: int | None = None, started_by_id: int | None = None,
            dedupe_key: str | None = None) -> Job:
    """Queue a job of a registered kind, or return the unfinished one with the same dedupe key
    (by default the kind and its arguments): a second "close 2026 for village X" while the first
    waits or runs gets the first."""
    if kind not in KINDS:
        raise ValueError(f"no job kind {kind!r} is registered")
    key = dedupe_key or default_key(kind, args)
    existing = waiting_job(key)
    if existing is not None:
        return existing
    job = Job(kind=kind, args=canonical_args(args), village_id=village_id, started_by_id=started_by_id,
              state=QUEUED, dedupe_key=key, open_key=key, progress_done=0, progress_total=0, message="",
              result="{}", attempts=0)
    try:
        with db.session.begin_nested():  # another request may have queued the same key a moment ago
            db.session.add(job)
    except IntegrityError:
        existing = waiting_job(key)
        if existing is None:
            raise
        return existing
    defer_after_commit(db.session, job.id)
    return job


def enqueue_daily(today: date) -> list[Job]:
    """Queue today's run of each daily kind, once: a day that already has one (waiting, done or
    failed) gets no second; a failed one is run again from its page."""
    queued = []
    for name, registered in sorted(KINDS.items()):
        key = f"{name}:{today.isoformat()}"
        if registered.daily and db.session.scalar(select(Job.id).where(Job.dedupe_key == key).limit(1)) is None:
            queued.append(enqueue(name, {"today": today.isoformat()}, dedupe_key=key))
    return queued


def run_again(job: Job) -> Job:
    """Queue a failed job again (its work was rolled back when it failed, so nothing is done twice).
    When another job with its key is already waiting, that one is returned instead."""
    try:
        state = next_state(job.state, "retry")
    except JobStateError:
        raise Refusal(N_("Only a failed job can be run again.")) from None
    existing = waiting_job(job.dedupe_key) if job.dedupe_key else None
    if existing is not None:
        return existing
    job.state, job.open_key = state, job.dedupe_key
    job.progress_done = job.progress_total = 0
    job.message = ""
    job.started_at = job.finished_at = None
    db.session.flush()
    defer_after_commit(db.session, job.id)
    return job
