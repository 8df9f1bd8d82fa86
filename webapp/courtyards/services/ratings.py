"""Recording courtyard ratings and reviewing them.

A rating is appended, never edited: a correction is a new rating of the household in the round. A
photo of the courtyard (required for 1, 3 or 5 stars) goes through the photo capability's processing
and store. The review follows the review rules (webapp/review/domain.py): nobody reviews their own.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from webapp.core.clock import utcnow
from webapp.core.messages import N_
from webapp.core.refusal import NotFound, Refusal
from webapp.courtyards.domain import OPEN, RECORDED, check_rating, review
from webapp.courtyards.models import CourtyardRating, CourtyardRound
from webapp.courtyards.services.scope import require_rater, require_reviewer, reviewer_village_ids
from webapp.extensions import db
from webapp.people.models.household import Household
from webapp.people.models.user import User
from webapp.people.services.audit import record
from webapp.photos.services.processing import store_photo
from webapp.photos.services.storage import PhotoStore

MAX_NOTE = 200


def record_rating(user: User, round_: CourtyardRound, household: Household, stars: int, photo: bytes = b"",
                  note: str = "", store: PhotoStore | None = None, photo_id: int | None = None) -> CourtyardRating:
    """Record a household's courtyard stars in an open round (a new rating each time; the latest approved
    one counts). `photo` is an uploaded file's bytes (processed and stored), or `photo_id` one stored."""
    require_rater(user, household)
    if household.village_id != round_.village_id:
        raise NotFound(N_("No such household."))
    if round_.state != OPEN:
        raise Refusal(N_("This rating round is closed."))
    if len(note) > MAX_NOTE:
        raise Refusal(N_("The note is longer than %(max)s characters."), max=MAX_NOTE)
    check_rating(stars, bool(photo) or photo_id is not None)
    if photo:
        if store is None:
            raise Refusal(N_("Photos cannot be stored here."))
        photo_id = store_photo(user.id, photo, store)[0].id
    rating = CourtyardRating(round_id=round_.id, household_id=household.id, stars=stars, photo_id=photo_id,
                             note=note.strip(), rated_by_id=user.id, rated_at=utcnow(), status=RECORDED)
    db.session.add(rating)
    db.session.flush()
    record(user.id, "courtyard_rating.record", "courtyard_rating", rating.id, round_.village_id,
           household=household.code, stars=stars)
    return rating


def review_rating(user: User, rating_id: int, action: str, reason: str = "") -> CourtyardRating:
    """Approve or reject a rating (a reason for a rejection); never one's own."""
    rating = db.session.get(CourtyardRating, rating_id)
    if rating is None or rating.round.village_id not in reviewer_village_ids(user):
        raise NotFound(N_("No such courtyard rating."))
    require_reviewer(user, rating.round.village_id)
    rating.status = review(rating.status, rating.rated_by_id, user.id, action, reason)
    rating.reason = reason.strip()[:MAX_NOTE] if action == "reject" else ""
    rating.reviewed_by_id, rating.reviewed_at = user.id, utcnow()
    record(user.id, f"courtyard_rating.{action}", "courtyard_rating", rating.id, rating.round.village_id,
           stars=rating.stars, reason=rating.reason)
    return rating


def waiting_for(user: User) -> list[CourtyardRating]:
    """Ratings waiting for review in the villages the user reviews, oldest first."""
    ids = reviewer_village_ids(user)
    if not ids:
        return []
    return list(db.session.scalars(
        select(CourtyardRating).join(CourtyardRound, CourtyardRound.id == CourtyardRating.round_id)
        .options(joinedload(CourtyardRating.household), joinedload(CourtyardRating.round))
        .where(CourtyardRound.village_id.in_(ids), CourtyardRating.status == RECORDED)
        .order_by(CourtyardRating.rated_at, CourtyardRating.id)))


def history(round_: CourtyardRound, household: Household) -> list[CourtyardRating]:
    """The household's ratings in the round, newest first."""
    return list(db.session.scalars(
        select(CourtyardRating).where(CourtyardRating.round_id == round_.id,
                                      CourtyardRating.household_id == household.id)
        .order_by(CourtyardRating.rated_at.desc(), CourtyardRating.id.desc())))
