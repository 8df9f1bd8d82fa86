"""What /healthz and `jifen check` look at: the database, the photo store, the job queue.

Each probe answers None when all is well, else a short reason for the operator. /healthz, which
anyone may ask, says only "ok" or "unavailable"; `jifen check` prints the reasons.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from webapp.extensions import db
from webapp.jobs.services.health import oldest_waiting_seconds
from webapp.photos.services.storage import photo_store

log = logging.getLogger(__name__)


def database_problem() -> str | None:
    """None when the database answers `SELECT 1`, else why not."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        db.session.rollback()
        return _short(exc)
    return None


def photo_store_problem(config: Mapping[str, Any]) -> str | None:
    """None when a probe photo can be written, read and deleted in the configured store."""
    try:
        return photo_store(config).check()
    except Exception as exc:  # noqa: BLE001 - a store that cannot even be built is the answer
        return _short(exc)


def job_queue() -> tuple[float | None, str | None]:
    """(seconds the oldest waiting job has waited or None when none waits, why the queue cannot be read)."""
    try:
        return oldest_waiting_seconds(), None
    except SQLAlchemyError as exc:
        db.session.rollback()
        return None, _short(exc)


def health(config: Mapping[str, Any]) -> tuple[dict[str, Any], bool]:
    """The public health facts, and whether the app can serve (the database answers). Reasons are logged."""
    database = database_problem()
    store = photo_store_problem(config)
    waited, queue = job_queue() if database is None else (None, database)
    for name, problem in (("database", database), ("photo store", store), ("job queue", queue)):
        if problem:
            log.warning("healthz: %s: %s", name, problem)
    facts = {
        "database_reachable": database is None,
        "photo_store": "ok" if store is None else "unavailable",
        "job_queue": {"oldest_waiting_seconds": None if waited is None else round(waited, 1),
                      **({} if queue is None else {"status": "unavailable"})},
    }
    return facts, database is None


def _short(exc: Exception) -> str:
    return f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"[:300]
