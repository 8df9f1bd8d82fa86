"""The publication capability's reasons to show a photo (registered with webapp/photos/services/access.py):
a photo the committee put on a published notice is public, and an objection's photo is seen by
its objector and by the village's committee, reviewers and auditors (and its town's admins)."""

from __future__ import annotations

from sqlalchemy import select

from webapp.extensions import db
from webapp.people.domain.access import VILLAGE_WIDE, Role
from webapp.people.models.geo import Village
from webapp.people.models.household import Household
from webapp.people.models.user import User
from webapp.photos.services import access
from webapp.publication.models import Objection, Publication, PublicationPhoto
from webapp.publication.services.query import PUBLIC_STATUSES


def register() -> None:
    """Tell the photo capability about these rules (called by webapp/capabilities.py)."""
    access.register_rules(public=shown_on_a_notice, viewer=sees_objection_photo)


def shown_on_a_notice(photo_id: int) -> bool:
    """Whether the photo is shown on a publication in notice or final."""
    return db.session.scalar(
        select(PublicationPhoto.id).join(Publication, Publication.id == PublicationPhoto.publication_id)
        .where(PublicationPhoto.photo_id == photo_id, Publication.status.in_(PUBLIC_STATUSES)).limit(1)
    ) is not None


def sees_objection_photo(user: User, photo_id: int) -> bool:
    """The objector, and the village's committee, reviewers and auditors (and its town's admins)."""
    rows = db.session.execute(
        select(Objection.filed_by_id, Village.id, Village.town_id)
        .join(Household, Household.id == Objection.household_id).join(Village, Village.id == Household.village_id)
        .where(Objection.photo_id == photo_id)
    ).all()
    grants = user.domain_grants()
    village_ids = {g.village_id for g in grants if g.role in VILLAGE_WIDE}
    town_ids = {g.town_id for g in grants if g.role == Role.TOWN_ADMIN}
    return any(filed_by == user.id or village_id in village_ids or town_id in town_ids
               for filed_by, village_id, town_id in rows)
