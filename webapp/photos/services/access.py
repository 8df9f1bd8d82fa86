"""Who may see a stored photo.

A photo is evidence about a household, so it follows the household: whoever may see the
household of an entry or inspection that shows it may see it. A photo attached to an
objection is seen by its objector and by the committee, reviewers and auditors of the
village. A photo the committee put on a published notice (公示 or final) is public.
Everyone else is told it does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select

from webapp.people.domain.access import VILLAGE_WIDE, Role, can_view_household
from webapp.core.messages import N_
from webapp.extensions import db
from webapp.points.models.entry import Entry, Inspection
from webapp.fieldwork.models import EntryPhoto, Photo
from webapp.people.models.household import Household
from webapp.publication.models import Objection, Publication, PublicationPhoto
from webapp.people.models.user import User
from webapp.people.models.geo import Village
from webapp.core.refusal import NotFound
from webapp.people.services.households import household_ref
from webapp.publication.services.query import PUBLIC_STATUSES


@dataclass(frozen=True)
class VisiblePhoto:
    photo: Photo
    public: bool  # on a published notice: any cache may keep it


def is_public(photo_id: int) -> bool:
    """Whether the photo is shown on a publication in notice or final."""
    return db.session.scalar(
        select(PublicationPhoto.id).join(Publication, Publication.id == PublicationPhoto.publication_id)
        .where(PublicationPhoto.photo_id == photo_id, Publication.status.in_(PUBLIC_STATUSES)).limit(1)
    ) is not None


def _evidence_households(photo_id: int) -> list[Household]:
    """Households of the entries and inspections that reference the photo."""
    slots = select(EntryPhoto.entry_id, EntryPhoto.inspection_id).where(EntryPhoto.photo_id == photo_id).subquery()
    entry_households = select(Entry.household_id).where(Entry.id.in_(select(slots.c.entry_id)))
    inspection_households = select(Inspection.household_id).where(Inspection.id.in_(select(slots.c.inspection_id)))
    return list(db.session.scalars(select(Household).where(
        or_(Household.id.in_(entry_households), Household.id.in_(inspection_households)))))


def _sees_objection_photo(user: User, photo_id: int) -> bool:
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


def may_see(user: User | None, photo_id: int) -> bool:
    """Whether this user (None: not logged in) may see the photo."""
    if user is None:
        return False
    grants = user.domain_grants()
    if any(can_view_household(grants, household_ref(hh)) for hh in _evidence_households(photo_id)):
        return True
    return _sees_objection_photo(user, photo_id)


def visible_photo(user: User | None, photo_id: int) -> VisiblePhoto:
    """The photo if this user may see it; NotFound otherwise (never 'forbidden')."""
    photo = db.session.get(Photo, photo_id)
    if photo is not None:
        if is_public(photo_id):
            return VisiblePhoto(photo, public=True)
        if may_see(user, photo_id):
            return VisiblePhoto(photo, public=False)
    raise NotFound(N_("No such photo."))
