"""一户一码: a household card's link (<site>/k/<token>) leads a phone to the household's own page."""

from __future__ import annotations

from sqlalchemy import select

from webapp.extensions import db
from webapp.store.models import HouseholdCard


def card_for_link(token: str) -> HouseholdCard | None:
    """The card with this token, in use or revoked (the caller tells them apart); None if unknown."""
    if not token or len(token) > 64:
        return None
    return db.session.scalar(select(HouseholdCard).where(HouseholdCard.token == token))
