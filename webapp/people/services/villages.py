"""Villages a user manages, or reads as their 包村干部."""

from __future__ import annotations

from sqlalchemy import or_, select

from webapp.core.messages import N_
from webapp.core.refusal import NotFound, Refusal
from webapp.extensions import db
from webapp.people.domain.access import Role, can_decide_for_village, read_only_village_ids
from webapp.people.models.geo import Village
from webapp.people.models.user import User


def managed_villages(user: User, include_retired: bool = False) -> list[Village]:
    """Villages whose roster and rules this user may change: their own, or all of their town's
    (a retired village only when asked: it is no longer imported into, chosen or scored)."""
    grants = user.domain_grants()
    village_ids = {g.village_id for g in grants if g.role == Role.VILLAGE_ADMIN}
    town_ids = {g.town_id for g in grants if g.role == Role.TOWN_ADMIN}
    if not village_ids and not town_ids:
        return []
    query = select(Village).where(or_(Village.id.in_(village_ids), Village.town_id.in_(town_ids)))
    if not include_retired:
        query = query.where(Village.retired_on.is_(None))
    return list(db.session.scalars(query.order_by(Village.code)))


def managed_village(user: User, village_id: int | None) -> Village:
    """The village a form acts on: the one asked for, or the only one the user manages."""
    return _pick(managed_villages(user), village_id)


def committee_villages(user: User) -> list[Village]:
    """Villages whose committee decisions this user takes (close, publish, objections): their own as its
    village admin. The town admin manages (sets up) and reads its villages but decides for none."""
    return [v for v in managed_villages(user) if can_decide_for_village(user.domain_grants(), v.id)]


def committee_village(user: User, village_id: int | None) -> Village:
    """The village a decision is taken in: the one asked for, or the only one the user decides for."""
    return _pick(committee_villages(user), village_id)


def require_committee(user: User, village_id: int) -> None:
    """Refuse a committee decision to anyone but that village's own admins (a service's own check, so a
    direct call by the town admin is refused as the route is)."""
    if not can_decide_for_village(user.domain_grants(), village_id):
        raise Refusal(N_("Only the village committee decides this; the town reads it."))


def _pick(villages: list[Village], village_id: int | None) -> Village:
    """The village asked for among these, or the only one; NotFound otherwise."""
    if village_id is None and len(villages) == 1:
        return villages[0]
    for village in villages:
        if village.id == village_id:
            return village
    raise NotFound(N_("Choose one of your villages."))


def readable_villages(user: User) -> list[Village]:
    """Villages whose committee pages this user may read: those they manage, and those they oversee as
    包村干部 (read-only; a write asks managed_village, never this)."""
    overseen = read_only_village_ids(user.domain_grants())  # a 包村干部's, an auditor's
    managed = managed_villages(user)
    if not overseen:
        return managed
    extra = db.session.scalars(select(Village).where(Village.id.in_(overseen - {v.id for v in managed}),
                                                     Village.retired_on.is_(None)))
    return sorted([*managed, *extra], key=lambda v: v.code)


def readable_village(user: User, village_id: int | None) -> Village:
    """The village a read-only page shows: the one asked for, or the user's only one."""
    return _pick(readable_villages(user), village_id)


def village_by_code(code: str) -> Village:
    """A village by its code (for the command line, which is trusted)."""
    village = db.session.scalar(select(Village).where(Village.code == code))
    if village is None:
        raise NotFound(N_("No village with code %(code)s."), code=code)
    return village
