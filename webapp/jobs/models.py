"""The job table: one row per piece of work run outside the request (a year close, the daily
finalising of notices), its state, progress and outcome. docs/jobs.md explains the states."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from webapp.core.clock import utcnow
from webapp.extensions import db


class Job(db.Model):
    """A job: what to run (kind and JSON args), for whom, and how it went.

    `open_key` holds the dedupe key while the job is queued or running and is cleared when it ends,
    so the unique constraint lets only one unfinished job per key exist (a second "close 2026 for
    village X" while one waits gets the same job), while finished ones keep their key in `dedupe_key`."""

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(50))
    args: Mapped[str] = mapped_column(Text, default="{}")  # canonical JSON
    village_id: Mapped[int | None] = mapped_column(ForeignKey("village.id"), index=True)
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    state: Mapped[str] = mapped_column(String(10), default="queued", index=True)
    progress_done: Mapped[int] = mapped_column(Integer, default=0)
    progress_total: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str] = mapped_column(Text, default="")  # the outcome, or why it failed
    result: Mapped[str] = mapped_column(Text, default="{}")  # JSON the job returned (e.g. a publication id)
    dedupe_key: Mapped[str | None] = mapped_column(String(200), index=True)
    open_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    started_at: Mapped[datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
