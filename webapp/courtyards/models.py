"""Courtyard rating rounds and the ratings recorded in them (美丽庭院星级户).

A rating is never edited: a correction is a new rating of the same household in the same round, and
the household's stars for a year are its latest approved rating of that year's rounds
(webapp/courtyards/services/shares.py). A rating of 1, 3 or 5 stars carries a photo of the courtyard.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.core.clock import utcnow
from webapp.extensions import db
from webapp.people.models.geo import Village
from webapp.people.models.household import Household
from webapp.photos.models import Photo


class CourtyardRound(db.Model):
    """A village's rating round for a year (e.g. "2026年美丽庭院评选"): open while ratings are recorded."""

    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    name: Mapped[str] = mapped_column(String(100))
    state: Mapped[str] = mapped_column(String(10), default="open")  # open | closed
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    opened_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)

    village: Mapped[Village] = relationship()


class CourtyardRating(db.Model):
    """One household's courtyard stars (0, 1, 3 or 5) in a round, and its review."""

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("courtyard_round.id"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    stars: Mapped[int] = mapped_column(Integer)
    photo_id: Mapped[int | None] = mapped_column(ForeignKey("photo.id"), index=True)
    note: Mapped[str] = mapped_column(String(200), default="")
    rated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    rated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(10), default="recorded", index=True)  # recorded|approved|rejected
    reason: Mapped[str] = mapped_column(String(200), default="")  # why it was rejected
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime)

    round: Mapped[CourtyardRound] = relationship()
    household: Mapped[Household] = relationship()
    photo: Mapped[Photo | None] = relationship()
