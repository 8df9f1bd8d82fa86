"""A rules draft: the committee's edits to a scheme before they become a version (issue 14).

A version in force is never edited: edits go into a draft (the whole rules file as YAML text, the
format the loader reads), which the what-if replays on past months and which, once adopted, is imported
as the next version with its effective date."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.core.clock import utcnow
from webapp.extensions import db
from webapp.people.models.user import User
from webapp.points.models.scheme import Scheme, SchemeVersion


class SchemeDraft(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    scheme_id: Mapped[int] = mapped_column(ForeignKey("scheme.id"), index=True)
    base_version_id: Mapped[int | None] = mapped_column(ForeignKey("scheme_version.id"))  # what it was edited from
    source_text: Mapped[str] = mapped_column(Text)  # the whole rules file, YAML
    effective_from: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(200), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    adopted_version_id: Mapped[int | None] = mapped_column(ForeignKey("scheme_version.id"))  # once adopted
    revision: Mapped[int] = mapped_column(Integer, default=1)  # bumped on each save

    scheme: Mapped[Scheme] = relationship()
    base_version: Mapped[SchemeVersion | None] = relationship(foreign_keys=[base_version_id])
    adopted_version: Mapped[SchemeVersion | None] = relationship(foreign_keys=[adopted_version_id])
    created_by: Mapped[User | None] = relationship()
