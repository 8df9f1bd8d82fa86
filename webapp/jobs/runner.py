"""The job runner: claims a queued job, runs its function, and records how it went. Like the
command line, it is its own commit point (docs/jobs.md):

1. claim: `UPDATE job SET state='running' WHERE id=… AND state='queued'`, committed at once. The
   update is atomic on both databases (PostgreSQL re-checks the row after a concurrent update;
   SQLite's write lock serialises it), so of two runners handed the same job one gets it.
2. run: the kind's function does its work in one transaction, reporting progress on a connection
   of its own (a reader of the job's page sees it move).
3. end: the work and the job's `done` commit together; on any error the work is rolled back and
   the job is marked `failed` with the reason. A failed job can be run again (services/enqueue.py
   run_again): its earlier attempt left nothing behind.
"""

from __future__ import annotations

import json
import logging
import time
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update

from webapp.core.clock import utcnow
from webapp.core.messages import N_
from webapp.core.refusal import Refusal
from webapp.extensions import db
from webapp.jobs.domain import FAILED, QUEUED, RUNNING, next_state
from webapp.jobs.models import Job
from webapp.jobs.services.registry import Outcome, kind as job_kind

log = logging.getLogger(__name__)

STALE_AFTER = timedelta(minutes=30)  # a job running longer than this lost its runner (run_due ends it)
_SQLITE_STATE = "jifen_sqlite_transaction"  # webapp/db.py: "write" while a transaction holds SQLite's lock


def message_json(msgid: str = "", params: dict[str, Any] | None = None, text: str = "") -> str:
    return json.dumps({"msgid": msgid, "params": params or {}, "text": text}, ensure_ascii=False, default=str)


class ProgressWriter:
    """The progress callback a job gets: writes done/total on a connection of its own, at most once a
    second (and always the last step), so the page sees it while the job's own transaction is open."""

    def __init__(self, job_id: int, interval: float = 1.0) -> None:
        self.job_id, self.interval, self.last = job_id, interval, 0.0
        self.done = self.total = 0

    def __call__(self, done: int, total: int) -> None:
        self.done, self.total = done, total
        now = time.monotonic()
        if (done < total and now - self.last < self.interval) or self._would_wait():
            return
        self.last = now
        with db.engine.begin() as connection:
            connection.execute(update(Job.__table__).where(Job.__table__.c.id == self.job_id)
                               .values(progress_done=done, progress_total=total))

    @staticmethod
    def _would_wait() -> bool:
        """On SQLite, once the job's transaction writes it holds the lock a second writer would wait for."""
        if not db.session().in_transaction():
            return False
        return db.session.connection().info.get(_SQLITE_STATE) == "write"


def claim(job_id: int) -> bool:
    """Atomically move a queued job to running (committed); False when it was not queued any more."""
    result = db.session.execute(
        update(Job).where(Job.id == job_id, Job.state == QUEUED)
        .values(state=next_state(QUEUED, "start"), started_at=utcnow(), finished_at=None,
                attempts=Job.attempts + 1, message="", progress_done=0, progress_total=0)
        .execution_options(synchronize_session=False))
    db.session.commit()
    return result.rowcount == 1


def run_job(job_id: int) -> str | None:
    """Run one queued job to its end; its final state, or None when it was not queued (another
    runner took it, or it had ended)."""
    if not claim(job_id):
        return None
    job = db.session.get(Job, job_id, populate_existing=True)
    assert job is not None
    try:
        registered = job_kind(job.kind)
        if registered is None:
            raise Refusal(N_("No job of the kind %(kind)s is known to this version of Jifen."), kind=job.kind)
        progress = ProgressWriter(job_id)
        outcome = registered.function(progress, json.loads(job.args))
        job.progress_done, job.progress_total = progress.total or progress.done, progress.total
        _end(job, "succeed", message_json(outcome.msgid, dict(outcome.params)), outcome)
        db.session.commit()  # the work and the job's end, together
        return job.state
    except Exception as exc:  # any failure is recorded on the job, and the work undone
        db.session.rollback()
        if isinstance(exc, Refusal):
            reason = message_json(exc.msgid, exc.params)
        else:
            log.exception("job %s (%s) failed", job_id, job.kind)
            reason = message_json(text=f"{type(exc).__name__}: {exc}")
        failed = db.session.get(Job, job_id, populate_existing=True)
        assert failed is not None
        _end(failed, "fail", reason)
        db.session.commit()
        return FAILED


def _end(job: Job, event: str, message: str, outcome: Outcome | None = None) -> None:
    job.state = next_state(job.state, event)
    job.open_key, job.finished_at, job.message = None, utcnow(), message
    if outcome is not None:
        job.result = json.dumps(dict(outcome.result), ensure_ascii=False, default=str)
    db.session.flush()


def abandon_stale(now_older_than: timedelta = STALE_AFTER) -> list[int]:
    """Mark failed the jobs that have been running too long: their runner stopped (their work,
    never committed, is gone), so they can be run again. Committed."""
    cutoff = utcnow() - now_older_than
    stale = list(db.session.scalars(select(Job).where(Job.state == RUNNING, Job.started_at < cutoff)))
    for job in stale:
        _end(job, "abandon", message_json(N_("The job runner stopped while running this job; run it again.")))
    db.session.commit()
    return [job.id for job in stale]


def due_job_ids(limit: int | None = None) -> list[int]:
    query = select(Job.id).where(Job.state == QUEUED).order_by(Job.created_at, Job.id)
    return list(db.session.scalars(query.limit(limit) if limit else query))


def run_due(limit: int | None = None, stale_after: timedelta = STALE_AFTER) -> dict[int, str | None]:
    """Run every queued job, oldest first (`jifen jobs run-due`; on PostgreSQL also the worker's
    sweep). Returns each job's final state (None: another runner had it)."""
    abandon_stale(stale_after)
    ran: dict[int, str | None] = {}
    for job_id in due_job_ids(limit):
        ran[job_id] = run_job(job_id)
    return ran
