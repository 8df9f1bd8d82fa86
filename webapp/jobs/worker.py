"""`jifen worker` on PostgreSQL: procrastinate's worker with Jifen's two tasks (docs/jobs.md).

- `jifen.run_job(job_id)`: deferred after an enqueue commits; runs the job (webapp/jobs/runner.py),
  which claims the Job row atomically, so a job deferred twice runs once.
- `jifen.sweep`, every minute: queues the daily kinds once a day, ends jobs whose runner died, and
  defers every queued Job row procrastinate does not hold yet (an enqueue whose defer failed).

Each task runs in an app context of its own (the Flask app comes in the worker's context)."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

import procrastinate
from flask import Flask

from webapp.extensions import db
from webapp.jobs import runner
from webapp.jobs.services.enqueue import enqueue_daily
from webapp.jobs.services.queue import QUEUE, RUN_JOB, defer_now, ensure_schema, procrastinate_app

log = logging.getLogger(__name__)
SWEEP = "jifen.sweep"


def database_url() -> str:
    return db.engine.url.render_as_string(hide_password=False)


def sweep(database: str) -> int:
    """Queue today's daily jobs, end stale ones, and hand every queued job to procrastinate; committed."""
    enqueue_daily(date.today())
    db.session.commit()
    runner.abandon_stale()
    return defer_now(database, runner.due_job_ids())


def worker_app(flask_app: Flask, database: str) -> procrastinate.App:
    """The procrastinate App the worker runs, with Jifen's tasks."""
    app = procrastinate_app(database)

    @app.task(name=RUN_JOB, queue=QUEUE, pass_context=True)
    def run_job(context: procrastinate.JobContext, job_id: int) -> None:
        with flask_app.app_context():
            try:
                runner.run_job(job_id)
            finally:
                db.session.remove()

    @app.periodic(cron="* * * * *")
    @app.task(name=SWEEP, queue=QUEUE, pass_context=True)
    def sweep_task(context: procrastinate.JobContext, timestamp: int) -> None:
        with flask_app.app_context():
            try:
                sweep(database)
            finally:
                db.session.remove()

    return app


def prepare(database: str) -> bool:
    """Apply procrastinate's schema if missing; True when it was applied now."""
    with db.engine.begin() as connection:
        return ensure_schema(connection)


def run(flask_app: Flask, wait: bool = True, concurrency: int = 1, **options: Any) -> None:
    """Run the worker until stopped (or, wait=False, until the queue is empty)."""
    database = database_url()
    prepare(database)
    sweep(database)
    db.session.remove()
    worker_app(flask_app, database).run_worker(
        queues=[QUEUE], wait=wait, concurrency=concurrency, delete_jobs="successful", **options)
