"""The courtyard capability's reason to show a photo: a rating's photo follows its household, so whoever
may see the household sees it (registered with webapp/photos/services/access.py at start-up)."""

from __future__ import annotations

from sqlalchemy import select

from webapp.courtyards.models import CourtyardRating
from webapp.extensions import db
from webapp.people.domain.access import can_view_household
from webapp.people.models.household import Household
from webapp.people.models.user import User
from webapp.people.services.households import household_ref
from webapp.photos.services.access import register_rules


def sees_rating_photo(user: User, photo_id: int) -> bool:
    """Whether the photo is a courtyard rating's whose household this user may see."""
    households = db.session.scalars(select(Household).where(Household.id.in_(
        select(CourtyardRating.household_id).where(CourtyardRating.photo_id == photo_id))))
    grants = user.domain_grants()
    return any(can_view_household(grants, household_ref(hh)) for hh in households)


def register() -> None:
    register_rules(viewer=sees_rating_photo)
