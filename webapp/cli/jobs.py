"""`jifen worker` and `jifen jobs …`: work outside the request (docs/jobs.md).

On PostgreSQL `jifen worker` runs procrastinate's worker; on SQLite (and on PostgreSQL as a fallback)
`jifen jobs run-due`, called every minute by cron or a systemd timer, runs what waits."""

from __future__ import annotations

import json
from datetime import date

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _

from webapp.cli.base import cli, fail


@cli.command("worker")
@click.option("--concurrency", default=1, show_default=True, help="Jobs run at the same time.")
@click.option("--once", is_flag=True, help="Stop when the queue is empty (for scripts and tests).")
@with_appcontext
def worker(concurrency: int, once: bool) -> None:
    """Run jobs as they come (PostgreSQL): procrastinate's worker, in the app's own database."""
    from webapp.extensions import db
    from webapp.jobs import worker as job_worker

    if db.engine.dialect.name != "postgresql":
        fail(_("The job worker needs PostgreSQL. On SQLite, run `jifen jobs run-due` every minute "
               "(cron or a systemd timer; see docs/jobs.md)."))
    click.echo(_("The job worker is running. Stop it with Ctrl-C."))
    job_worker.run(current_app._get_current_object(), wait=not once, concurrency=concurrency)


@cli.group()
def jobs() -> None:
    """Work outside the request: run what waits, list jobs."""


@jobs.command("run-due")
@click.option("--limit", type=int, default=None, help="Run at most this many jobs.")
@click.option("--every", type=click.IntRange(1, 3600), default=None,
              help="Keep running: look for waiting jobs every this many seconds (what `jifen serve` starts on SQLite).")
@with_appcontext
def jobs_run_due(limit: int | None, every: int | None) -> None:
    """Run every waiting job, oldest first, and queue today's daily jobs (call it every minute)."""
    import logging
    import time

    from webapp.extensions import db

    while True:
        try:
            _run_due_once(limit)
        except Exception:  # a loop that runs beside the server must outlive one bad round
            if every is None:
                raise
            db.session.rollback()
            logging.getLogger(__name__).exception("jobs run-due: one round failed; trying again")
        finally:
            db.session.remove()
        if every is None:
            return
        time.sleep(every)


def _run_due_once(limit: int | None) -> None:
    from webapp.extensions import db
    from webapp.jobs.runner import run_due
    from webapp.jobs.services.enqueue import enqueue_daily

    enqueue_daily(date.today())
    db.session.commit()
    names = {"done": _("Finished"), "failed": _("Failed")}
    for job_id, state in run_due(limit).items():
        click.echo(_("Job %(id)s: %(state)s", id=job_id, state=names.get(state or "", _("taken by another runner"))))


@jobs.command("list")
@click.option("--limit", type=int, default=20, show_default=True)
@with_appcontext
def jobs_list(limit: int) -> None:
    """The most recent jobs: id, kind, state, progress, when, and the outcome."""
    from webapp.jobs.services.pages import recent_jobs

    for job in recent_jobs(limit):
        message = json.loads(job.message) if job.message else {}
        outcome = _(message["msgid"], **message.get("params", {})) if message.get("msgid") else message.get("text", "")
        click.echo(f"{job.id}\t{job.kind}\t{job.state}\t{job.progress_done}/{job.progress_total}\t"
                   f"{job.created_at:%Y-%m-%d %H:%M}\t{outcome}")


@jobs.command("run-again")
@click.argument("job_id", type=int)
@with_appcontext
def jobs_run_again(job_id: int) -> None:
    """Queue a failed job again (the next `run-due` or the worker runs it)."""
    from webapp.core.refusal import Refusal
    from webapp.extensions import db
    from webapp.jobs.models import Job
    from webapp.jobs.services.enqueue import run_again

    job = db.session.get(Job, job_id)
    if job is None:
        fail(_("No such job."))
    try:
        queued = run_again(job)
    except Refusal as refusal:
        fail(refusal.translated())
    db.session.commit()
    click.echo(_("Job %(id)s is queued again.", id=queued.id))


@jobs.command("schema")
@with_appcontext
def jobs_schema() -> None:
    """Apply procrastinate's schema to the PostgreSQL database if it is missing (`jifen worker` does too)."""
    from webapp.extensions import db
    from webapp.jobs.worker import prepare

    if db.engine.dialect.name != "postgresql":
        fail(_("The job queue's schema is for PostgreSQL; SQLite needs none."))
    applied = prepare(db.engine.url.render_as_string(hide_password=False))
    click.echo(_("The job queue's schema is applied.") if applied else _("The job queue's schema is already there."))
