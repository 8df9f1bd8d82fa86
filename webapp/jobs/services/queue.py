"""PostgreSQL's job queue: procrastinate, kept in the same database (docs/jobs.md).

The Job row is the truth; procrastinate only wakes the worker. A job is deferred to procrastinate
after the transaction that enqueued it commits (an after_commit hook: the worker must see the row),
on a connection of its own. If that defer fails (procrastinate's schema not applied yet, the
database briefly away), nothing is lost: the worker also sweeps queued Job rows every minute, and
the runner claims a row atomically, so a job deferred twice still runs once. On SQLite there is no
queue: `jifen jobs run-due` runs what waits."""

from __future__ import annotations

import logging
from typing import Any

import procrastinate
from sqlalchemy import event, make_url, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

RUN_JOB = "jifen.run_job"  # the procrastinate task: run_job(job_id)
QUEUE = "jifen"
_PENDING = "jifen_jobs_to_defer"  # in a session's info: the job ids to defer once it commits
_SCHEMA_LOCK = 7_140_011  # a pg_advisory_xact_lock key: one process applies procrastinate's schema


def is_postgresql(bind: Any) -> bool:
    return bind.dialect.name == "postgresql"


def conninfo(database_url: str) -> str:
    """libpq's connection string for a SQLAlchemy URL (`postgresql+psycopg://…` → `postgresql://…`)."""
    return make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)


def procrastinate_app(database_url: str, **pool_args: Any) -> procrastinate.App:
    """A procrastinate App on the app's database (the worker adds the tasks, webapp/jobs/worker.py)."""
    return procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=conninfo(database_url), **pool_args))


def has_schema(connection: Connection) -> bool:
    return connection.execute(text("SELECT to_regclass('procrastinate_jobs') IS NOT NULL")).scalar_one()


def ensure_schema(connection: Connection) -> bool:
    """Apply procrastinate's schema when it is missing (once, under an advisory lock); True if applied.

    Runs in the caller's transaction; the caller commits (`jifen worker`, `jifen jobs schema`)."""
    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SCHEMA_LOCK})
    if has_schema(connection):
        return False
    connection.exec_driver_sql(procrastinate.schema.SchemaManager.get_schema().replace("%", "%%"))
    return True


def defer_after_commit(session: Session, job_id: int) -> None:
    """Ask procrastinate to run the job once the session's transaction commits (PostgreSQL only)."""
    if is_postgresql(session.get_bind()):
        session.info.setdefault(_PENDING, []).append(job_id)


def defer_now(database_url: str, job_ids: list[int]) -> int:
    """Defer `run_job` for each id; a job already waiting in procrastinate is not deferred again.
    Returns how many were deferred; raises when procrastinate cannot be reached."""
    from procrastinate.exceptions import AlreadyEnqueued

    app = procrastinate_app(database_url, min_size=1, max_size=1)  # one connection, for this hand-over only
    deferred = 0
    with app.open():
        for job_id in job_ids:
            try:
                app.configure_task(RUN_JOB, queue=QUEUE, queueing_lock=f"job-{job_id}").defer(job_id=job_id)
                deferred += 1
            except AlreadyEnqueued:
                pass
    return deferred


@event.listens_for(Session, "after_commit")
def _defer_committed(session: Session) -> None:
    job_ids = session.info.pop(_PENDING, None)
    if not job_ids:
        return
    try:
        defer_now(session.get_bind().url.render_as_string(hide_password=False), job_ids)
    except Exception:  # the worker's sweep will find the queued rows
        log.warning("could not hand jobs %s to procrastinate; the worker's sweep will run them", job_ids,
                    exc_info=True)


@event.listens_for(Session, "after_soft_rollback")
def _forget_rolled_back(session: Session, previous_transaction: Any) -> None:
    if previous_transaction.parent is None:  # the outermost transaction: what it enqueued is gone
        session.info.pop(_PENDING, None)
