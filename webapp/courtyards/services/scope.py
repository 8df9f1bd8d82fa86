"""Who may open rounds, rate and review courtyards, and read the rounds (scope per object).

Reading follows the households: a round's page lists the households of its village that the user may
see (a grid worker: their grids'). Opening and closing a round are the village committee's
(its village admins); rating is a grid worker's for their grids' households, or the village admin's;
reviewing is the village's reviewers' and admins' — never of one's own rating. The town admin and the
包村干部 read, and write nothing here.
"""

from __future__ import annotations

from sqlalchemy import select

from webapp.core.messages import N_
from webapp.core.refusal import NotFound, Refusal
from webapp.courtyards.models import CourtyardRound
from webapp.extensions import db
from webapp.people.domain.access import Role
from webapp.people.models.geo import Grid, Village
from webapp.people.models.household import Household
from webapp.people.models.user import User
from webapp.people.services.villages import readable_villages


def _grid_village_ids(user: User) -> set[int]:
    grids = {g.grid_id for g in user.domain_grants() if g.role == Role.SCORER and g.grid_id is not None}
    if not grids:
        return set()
    return set(db.session.scalars(select(Grid.village_id).where(Grid.id.in_(grids))))


def reviewer_village_ids(user: User) -> set[int]:
    """Villages whose ratings this user may review (as its reviewer or village admin)."""
    return {g.village_id for g in user.domain_grants()
            if g.role in (Role.REVIEWER, Role.VILLAGE_ADMIN) and g.village_id is not None}


def admin_village_ids(user: User) -> set[int]:
    """Villages whose rounds this user opens and closes (its village admins)."""
    return {g.village_id for g in user.domain_grants() if g.role == Role.VILLAGE_ADMIN and g.village_id is not None}


def readable_village_ids(user: User) -> set[int]:
    """Villages whose rounds the user may open to read: managed, overseen, reviewed, or with their grids."""
    ids = {v.id for v in readable_villages(user)} | _grid_village_ids(user) | reviewer_village_ids(user)
    ids |= {g.village_id for g in user.domain_grants() if g.role == Role.AUDITOR and g.village_id is not None}
    return ids


def villages_of(ids: set[int]) -> list[Village]:
    if not ids:
        return []
    return list(db.session.scalars(select(Village).where(Village.id.in_(ids)).order_by(Village.code)))


def round_for(user: User, round_id: int) -> CourtyardRound:
    """The round if the user may read its village; NotFound otherwise (never 'forbidden')."""
    round_ = db.session.get(CourtyardRound, round_id)
    if round_ is None or round_.village_id not in readable_village_ids(user):
        raise NotFound(N_("No such rating round."))
    return round_


def may_rate(user: User, household: Household) -> bool:
    """A grid worker of the household's grid, or an admin of its village."""
    for g in user.domain_grants():
        if g.role == Role.VILLAGE_ADMIN and g.village_id == household.village_id:
            return True
        if g.role == Role.SCORER and household.grid_id is not None and g.grid_id == household.grid_id:
            return True
    return False


def require_rater(user: User, household: Household) -> None:
    if not may_rate(user, household):
        raise NotFound(N_("No such household."))


def require_reviewer(user: User, village_id: int) -> None:
    if village_id not in reviewer_village_ids(user):
        raise Refusal(N_("Only the village's reviewers review courtyard ratings."))


def require_village_admin(user: User, village_id: int) -> None:
    if village_id not in admin_village_ids(user):
        raise Refusal(N_("Only the village committee opens and closes rating rounds; the town reads them."))
