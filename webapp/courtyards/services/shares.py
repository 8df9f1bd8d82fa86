"""What other pages read of the courtyard ratings: a village's star shares for a year (the town's
village evaluation reads them, webapp/town) and a household's current stars (its page).

A household's stars for a year are its latest approved rating in the rounds of that year; the shares
count only households taking part in points that year (participating_in).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select

from webapp.courtyards.domain import APPROVED, RatingFact, latest_approved, shares
from webapp.courtyards.models import CourtyardRating, CourtyardRound
from webapp.extensions import db
from webapp.people.models.household import Household, participating_in


def _facts(village_id: int, year: int) -> list[RatingFact]:
    rows = db.session.execute(
        select(CourtyardRating.household_id, CourtyardRating.stars, CourtyardRating.status,
               CourtyardRating.rated_at, CourtyardRating.id)
        .join(CourtyardRound, CourtyardRound.id == CourtyardRating.round_id)
        .where(CourtyardRound.village_id == village_id, CourtyardRound.year == year,
               CourtyardRating.status == APPROVED))
    return [RatingFact(*row) for row in rows]


def village_stars(village_id: int, year: int) -> dict[int, int]:
    """household id → stars of its latest approved rating in the village's rounds of the year."""
    return latest_approved(_facts(village_id, year))


def participating_ids(village_id: int, year: int) -> list[int]:
    """The village's households taking part in points for at least a day of the year."""
    return list(db.session.scalars(select(Household.id).where(
        Household.village_id == village_id, participating_in(date(year, 1, 1), date(year + 1, 1, 1)))))


def star_shares(village_id: int, year: int) -> dict[int, Decimal]:
    """{1: share, 3: share, 5: share} of the village's participating households of the year whose latest
    approved rating of that year is 1★, 3★ or 5★: fractions from 0 to 1 with four places (half up);
    all Decimal(0) when no household takes part."""
    return shares(village_stars(village_id, year), participating_ids(village_id, year))


@dataclass(frozen=True, slots=True)
class HouseholdStars:
    """A household's current courtyard stars: its latest approved rating, and any rating still waiting."""

    stars: int | None  # None: never rated (approved)
    year: int | None
    round_name: str
    photo_id: int | None
    rated_at: datetime | None
    waiting: int  # ratings recorded and not yet reviewed


def household_stars(household_id: int) -> HouseholdStars:
    """The household's latest approved courtyard rating (of its latest year), for its page."""
    latest = db.session.execute(
        select(CourtyardRating, CourtyardRound)
        .join(CourtyardRound, CourtyardRound.id == CourtyardRating.round_id)
        .where(CourtyardRating.household_id == household_id, CourtyardRating.status == APPROVED)
        .order_by(CourtyardRound.year.desc(), CourtyardRating.rated_at.desc(), CourtyardRating.id.desc())
        .limit(1)).first()
    waiting = len(list(db.session.scalars(select(CourtyardRating.id).where(
        CourtyardRating.household_id == household_id, CourtyardRating.status == "recorded"))))
    if latest is None:
        return HouseholdStars(None, None, "", None, None, waiting)
    rating, round_ = latest
    return HouseholdStars(rating.stars, round_.year, round_.name, rating.photo_id, rating.rated_at, waiting)
