"""Villages a user manages."""

from __future__ import annotations

from sqlalchemy import or_, select

from webapp.core.messages import N_
from webapp.core.refusal import NotFound
from webapp.extensions import db
from webapp.people.domain.access import Role
from webapp.people.models.geo import Village
from webapp.people.models.user import User


def managed_villages(user: User) -> list[Village]:
    """Villages whose roster and rules this user may change: their own, or all of their town's."""
    grants = user.domain_grants()
    village_ids = {g.village_id for g in grants if g.role == Role.VILLAGE_ADMIN}
    town_ids = {g.town_id for g in grants if g.role == Role.TOWN_ADMIN}
    if not village_ids and not town_ids:
        return []
    return list(db.session.scalars(
        select(Village).where(or_(Village.id.in_(village_ids), Village.town_id.in_(town_ids))).order_by(Village.code)
    ))


def managed_village(user: User, village_id: int | None) -> Village:
    """The village a form acts on: the one asked for, or the only one the user manages."""
    villages = managed_villages(user)
    if village_id is None and len(villages) == 1:
        return villages[0]
    for village in villages:
        if village.id == village_id:
            return village
    raise NotFound(N_("Choose one of your villages."))


def village_by_code(code: str) -> Village:
    """A village by its code (for the command line, which is trusted)."""
    village = db.session.scalar(select(Village).where(Village.code == code))
    if village is None:
        raise NotFound(N_("No village with code %(code)s."), code=code)
    return village
