"""How long the oldest waiting job has waited: /healthz reports it."""

from __future__ import annotations

from sqlalchemy import func, select

from webapp.core.clock import utcnow
from webapp.extensions import db
from webapp.jobs.domain import QUEUED
from webapp.jobs.models import Job


def oldest_waiting_seconds() -> float | None:
    """Seconds since the oldest queued job was enqueued, or None when none waits."""
    oldest = db.session.scalar(select(func.min(Job.created_at)).where(Job.state == QUEUED))
    if oldest is None:
        return None
    return max(0.0, (utcnow() - oldest).total_seconds())
