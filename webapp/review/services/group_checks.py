"""What the administration page shows of a village's review groups, and what is wrong with them.

The problems are the reasons review_scope would give for a reviewer reviewing nothing; groups.py
makes the changes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from webapp.core.messages import N_
from webapp.extensions import db
from webapp.people.domain.access import Role
from webapp.people.models.geo import Village
from webapp.people.models.household import Household
from webapp.people.models.user import RoleGrant, User
from webapp.points.domain.scheme import Policies
from webapp.points.models.scheme import SchemeVersion
from webapp.points.services.schemes import timeline, version_rules
from webapp.review.models import ReviewGroup, ReviewGroupArea, ReviewGroupMember

MEMBER_ROLES = (Role.REVIEWER.value, Role.VILLAGE_ADMIN.value)


@dataclass(frozen=True)
class Problem:
    """A configuration problem: an English msgid and its parameters (the `tr` filter translates it)."""

    msgid: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class GroupSummary:
    group: ReviewGroup
    households: int
    reviewed_by: tuple[ReviewGroup, ...]
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class Overview:
    """Everything the administration page shows for one village."""

    village: Village
    version: SchemeVersion | None
    policies: Policies | None
    groups: tuple[GroupSummary, ...]
    households: int  # households taking part in points (eligible, not left)
    uncovered: int
    problems: tuple[Problem, ...]  # village-wide
    candidates: tuple[User, ...]  # who may be a member
    group_of_member: dict[int, ReviewGroup]  # user id → their group
    group_of_area: dict[tuple[str, int], ReviewGroup]  # ("grid" | "village_group", id) → its group


class Taking(NamedTuple):
    """A household taking part in points, with the grid and village group that place it in an area."""

    id: int
    grid_id: int | None
    group_id: int | None


@dataclass(frozen=True, slots=True)
class GroupCheck:
    """What checking a village's groups found: households per group and in all, and the problems."""

    households_of: dict[int, int]  # group id → households in its area
    households: int  # households taking part in points
    uncovered: int  # of those, in no group's area
    problems: dict[int | None, list[Problem]]  # by group id; the village's own under None


def rules_in_force(village_id: int) -> tuple[SchemeVersion | None, Policies | None]:
    """The scheme version in force today and its policies (None, None before any rules are imported)."""
    current = timeline(village_id).current
    return current, (version_rules(current).policies if current is not None else None)


def review_groups_of(village_id: int) -> list[ReviewGroup]:
    """The village's groups by name, with members, their grants and areas loaded."""
    return list(db.session.scalars(
        select(ReviewGroup).where(ReviewGroup.village_id == village_id).order_by(ReviewGroup.name, ReviewGroup.id)
        .options(selectinload(ReviewGroup.members).selectinload(ReviewGroupMember.user).selectinload(User.grants),
                 selectinload(ReviewGroup.areas).selectinload(ReviewGroupArea.grid),
                 selectinload(ReviewGroup.areas).selectinload(ReviewGroupArea.village_group))
    ))


def member_candidates(village_id: int) -> list[User]:
    """Active users holding the reviewer or village_admin role in the village: who may join a group."""
    return list(db.session.scalars(
        select(User).where(User.active.is_(True), User.id.in_(
            select(RoleGrant.user_id).where(RoleGrant.village_id == village_id, RoleGrant.role.in_(MEMBER_ROLES))))
        .order_by(User.display_name, User.username)
    ))


def _households(village_id: int, today: date) -> list[Taking]:
    """The households taking part in points: eligible and not left."""
    return [Taking(*row) for row in db.session.execute(
        select(Household.id, Household.grid_id, Household.group_id).where(
            Household.village_id == village_id, Household.eligible.is_(True),
            or_(Household.left_on.is_(None), Household.left_on > today))
    )]


def area_ids(group: ReviewGroup) -> tuple[set[int], set[int]]:
    return ({a.grid_id for a in group.areas if a.grid_id is not None},
            {a.village_group_id for a in group.areas if a.village_group_id is not None})


def _holds_member_role(user: User, village_id: int) -> bool:
    return user.active and any(g.role in MEMBER_ROLES and g.village_id == village_id for g in user.grants)


def check_groups(village_id: int, groups: list[ReviewGroup], policies: Policies | None, today: date) -> GroupCheck:
    """Household counts and problems: per group, and for the village (key None)."""
    households = _households(village_id, today)
    covered: dict[int, set[int]] = {}
    for group in groups:
        grids, village_groups = area_ids(group)
        covered[group.id] = {h for h, grid, vg in households if grid in grids or vg in village_groups}
    cross = bool(policies and policies.cross_review)
    min_size = policies.review_group_min_size if policies else None
    max_households = policies.review_group_max_households if policies else None
    problems: dict[int | None, list[Problem]] = {g.id: [] for g in groups}
    for group in groups:
        found = problems[group.id]
        if min_size and len(group.members) < min_size:
            found.append(Problem(N_("%(count)s members; the rules ask for at least %(min)s."),
                                 {"count": len(group.members), "min": min_size}))
        for member in group.members:
            if not _holds_member_role(member.user, village_id):
                found.append(Problem(N_("%(name)s is no longer an active reviewer of this village."),
                                     {"name": member.user.display_name or member.user.username}))
        if not group.areas:
            found.append(Problem(N_("No area yet: choose its grids or village groups.")))
        if max_households and len(covered[group.id]) > max_households:
            found.append(Problem(N_("%(count)s households; the rules allow at most %(max)s per group."),
                                 {"count": len(covered[group.id]), "max": max_households}))
        if cross and group.reviews_group_id == group.id:
            found.append(Problem(N_("This group is set to review its own area; cross-review needs another group.")))
        elif cross and group.reviews_group_id is None:
            found.append(Problem(N_("The rules ask for cross-review: choose the group whose area this group reviews.")))
        if cross and group.areas and not any(
                g.reviews_group_id == group.id and g.id != group.id for g in groups):
            found.append(Problem(N_("No group reviews this group's area.")))
    times_covered = Counter(h for c in covered.values() for h in c)
    uncovered = len(households) - len(times_covered) if groups else 0  # no groups: reviewers review everything
    overlapping = sum(1 for n in times_covered.values() if n > 1)
    village: list[Problem] = []
    if uncovered:
        village.append(Problem(N_("%(count)s households are not in the area of any review group."),
                               {"count": uncovered}))
    if overlapping:
        village.append(Problem(N_("%(count)s households are in the areas of more than one group."),
                               {"count": overlapping}))
    problems[None] = village
    return GroupCheck({gid: len(c) for gid, c in covered.items()}, len(households), uncovered, problems)


def configuration_problems(village: Village, today: date | None = None) -> dict[int | None, list[Problem]]:
    """Problems of each group (by group id) and of the village as a whole (key None), under the rules in force."""
    _version, policies = rules_in_force(village.id)
    return check_groups(village.id, review_groups_of(village.id), policies, today or date.today()).problems


def overview(village: Village, today: date | None = None) -> Overview:
    """The village's groups with their households, who reviews them and their problems."""
    version, policies = rules_in_force(village.id)
    groups = review_groups_of(village.id)
    check = check_groups(village.id, groups, policies, today or date.today())
    summaries = tuple(
        GroupSummary(g, check.households_of[g.id],
                     tuple(o for o in groups if o.reviews_group_id == g.id and o.id != g.id),
                     tuple(check.problems[g.id]))
        for g in groups
    )
    return Overview(
        village=village, version=version, policies=policies, groups=summaries, households=check.households,
        uncovered=check.uncovered, problems=tuple(check.problems[None]),
        candidates=tuple(member_candidates(village.id)),
        group_of_member={m.user_id: g for g in groups for m in g.members},
        group_of_area={(("grid", a.grid_id) if a.grid_id else ("village_group", a.village_group_id)): g
                       for g in groups for a in g.areas},
    )
