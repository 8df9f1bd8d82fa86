"""Who may see a stored photo.

A photo is evidence about a household, so it follows the household: whoever may see the
household of an entry or inspection that shows it may see it. Capabilities above this one add
their own reasons, registered when the app starts (webapp/capabilities.py): the publication
capability makes a photo on a published notice (公示 or final) public, and lets an objection's
photo be seen by its objector and by the village's committee, reviewers and auditors
(webapp/publication/services/photo_rules.py). Everyone else is told it does not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import or_, select

from webapp.core.messages import N_
from webapp.core.refusal import NotFound
from webapp.extensions import db
from webapp.people.domain.access import can_view_household
from webapp.people.models.household import Household
from webapp.people.models.user import User
from webapp.people.services.households import household_ref
from webapp.photos.models import EntryPhoto, Photo
from webapp.points.models.entry import Entry, Inspection

PublicRule = Callable[[int], bool]  # photo id → shown to everyone?
ViewerRule = Callable[[User, int], bool]  # (user, photo id) → may this user see it?
_public_rules: list[PublicRule] = []
_viewer_rules: list[ViewerRule] = []


def register_rules(public: PublicRule | None = None, viewer: ViewerRule | None = None) -> None:
    """Add a reason to show a photo (once: the app factory may run many times in one process)."""
    if public is not None and public not in _public_rules:
        _public_rules.append(public)
    if viewer is not None and viewer not in _viewer_rules:
        _viewer_rules.append(viewer)


@dataclass(frozen=True)
class VisiblePhoto:
    photo: Photo
    public: bool  # on a published notice: any cache may keep it


def is_public(photo_id: int) -> bool:
    """Whether any registered rule shows the photo to everyone."""
    return any(rule(photo_id) for rule in _public_rules)


def _evidence_households(photo_id: int) -> list[Household]:
    """Households of the entries and inspections that reference the photo."""
    slots = select(EntryPhoto.entry_id, EntryPhoto.inspection_id).where(EntryPhoto.photo_id == photo_id).subquery()
    entry_households = select(Entry.household_id).where(Entry.id.in_(select(slots.c.entry_id)))
    inspection_households = select(Inspection.household_id).where(Inspection.id.in_(select(slots.c.inspection_id)))
    return list(db.session.scalars(select(Household).where(
        or_(Household.id.in_(entry_households), Household.id.in_(inspection_households)))))


def may_see(user: User | None, photo_id: int) -> bool:
    """Whether this user (None: not logged in) may see the photo."""
    if user is None:
        return False
    grants = user.domain_grants()
    if any(can_view_household(grants, household_ref(hh)) for hh in _evidence_households(photo_id)):
        return True
    return any(rule(user, photo_id) for rule in _viewer_rules)


def visible_photo(user: User | None, photo_id: int) -> VisiblePhoto:
    """The photo if this user may see it; NotFound otherwise (never 'forbidden')."""
    photo = db.session.get(Photo, photo_id)
    if photo is not None:
        if is_public(photo_id):
            return VisiblePhoto(photo, public=True)
        if may_see(user, photo_id):
            return VisiblePhoto(photo, public=False)
    raise NotFound(N_("No such photo."))
