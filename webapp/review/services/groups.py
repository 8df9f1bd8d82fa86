"""Review groups (评议小组) of a village: members, areas, cross-review targets, and what is wrong with them.

A group's members hold the reviewer or village_admin role in the village, and each belongs to one
group only. Its area is grids and village groups of the village, each in at most one group. With
cross-review the group reviews another group's area instead of its own. review_scope reads these
rows to decide what each reviewer may review; the problems below are the reasons it would give.

Deleting a group deletes its memberships and areas with it: they are configuration, not history
(review decisions name the reviewer, not the group, and the audit trail keeps what was deleted).
Groups that cross-reviewed it lose their target and show that as a problem.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from webapp.people.domain.access import Role
from webapp.core.messages import N_
from webapp.points.domain.scheme import Policies
from webapp.extensions import db
from webapp.people.models.geo import Grid, Village, VillageGroup
from webapp.people.models.household import Household
from webapp.review.models import ReviewGroup, ReviewGroupArea, ReviewGroupMember
from webapp.people.models.user import RoleGrant, User
from webapp.points.models.scheme import SchemeVersion
from webapp.people.services.audit import record
from webapp.core.refusal import NotFound, Refusal
from webapp.points.services.schemes import timeline, version_rules
from webapp.people.services.villages import managed_villages

MEMBER_ROLES = (Role.REVIEWER.value, Role.VILLAGE_ADMIN.value)
NAME_MAX = 50


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


def _households(village_id: int, today: date) -> list[tuple[int, int | None, int | None]]:
    """(id, grid, village group) of the households taking part in points: eligible and not left."""
    return [tuple(row) for row in db.session.execute(
        select(Household.id, Household.grid_id, Household.group_id).where(
            Household.village_id == village_id, Household.eligible.is_(True),
            or_(Household.left_on.is_(None), Household.left_on > today))
    )]


def _area_ids(group: ReviewGroup) -> tuple[set[int], set[int]]:
    return ({a.grid_id for a in group.areas if a.grid_id is not None},
            {a.village_group_id for a in group.areas if a.village_group_id is not None})


def _holds_member_role(user: User, village_id: int) -> bool:
    return user.active and any(g.role in MEMBER_ROLES and g.village_id == village_id for g in user.grants)


def _check(village_id: int, groups: list[ReviewGroup], policies: Policies | None, today: date):
    """Household counts and problems: per group, and for the village (key None)."""
    households = _households(village_id, today)
    covered: dict[int, set[int]] = {}
    for group in groups:
        grids, village_groups = _area_ids(group)
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
    return {gid: len(c) for gid, c in covered.items()}, len(households), uncovered, problems


def configuration_problems(village: Village, today: date | None = None) -> dict[int | None, list[Problem]]:
    """Problems of each group (by group id) and of the village as a whole (key None), under the rules in force."""
    _version, policies = rules_in_force(village.id)
    return _check(village.id, review_groups_of(village.id), policies, today or date.today())[3]


def overview(village: Village, today: date | None = None) -> Overview:
    """The village's groups with their households, who reviews them and their problems."""
    version, policies = rules_in_force(village.id)
    groups = review_groups_of(village.id)
    counts, total, uncovered, problems = _check(village.id, groups, policies, today or date.today())
    summaries = tuple(
        GroupSummary(g, counts[g.id], tuple(o for o in groups if o.reviews_group_id == g.id and o.id != g.id),
                     tuple(problems[g.id]))
        for g in groups
    )
    return Overview(
        village=village, version=version, policies=policies, groups=summaries, households=total,
        uncovered=uncovered, problems=tuple(problems[None]), candidates=tuple(member_candidates(village.id)),
        group_of_member={m.user_id: g for g in groups for m in g.members},
        group_of_area={(("grid", a.grid_id) if a.grid_id else ("village_group", a.village_group_id)): g
                       for g in groups for a in g.areas},
    )


# --- changes ---------------------------------------------------------------------------------------

def managed_group(user: User, group_id: int) -> ReviewGroup:
    """A group of a village the user manages; any other is not found (its existence is not theirs to learn)."""
    group = db.session.get(ReviewGroup, group_id)
    if group is None or group.village_id not in {v.id for v in managed_villages(user)}:
        raise NotFound(N_("No such review group."))
    return group


def _clean_name(village_id: int, name: str, group_id: int | None = None) -> str:
    name = (name or "").strip()
    if not name:
        raise Refusal(N_("Give the group a name."))
    if len(name) > NAME_MAX:
        raise Refusal(N_("A group name has at most %(max)s characters."), max=NAME_MAX)
    taken = db.session.scalar(select(ReviewGroup.id).where(
        ReviewGroup.village_id == village_id, ReviewGroup.name == name, ReviewGroup.id != (group_id or 0)))
    if taken is not None:
        raise Refusal(N_("There is already a group named %(name)s in this village."), name=name)
    return name


def create_group(village: Village, name: str, actor_id: int | None) -> ReviewGroup:
    """A new, empty group (name unique in the village)."""
    group = ReviewGroup(village_id=village.id, name=_clean_name(village.id, name))
    db.session.add(group)
    db.session.flush()
    record(actor_id, "review_group.create", "review_group", group.id, village_id=village.id, name=group.name)
    return group


def rename_group(group: ReviewGroup, name: str, actor_id: int | None) -> ReviewGroup:
    new = _clean_name(group.village_id, name, group.id)
    if new != group.name:
        record(actor_id, "review_group.rename", "review_group", group.id, village_id=group.village_id,
               old=group.name, new=new)
        group.name = new
        db.session.flush()
    return group


def delete_group(group: ReviewGroup, actor_id: int | None) -> None:
    """Delete the group with its memberships and areas; groups that reviewed it lose their target."""
    reviewers = list(db.session.scalars(select(ReviewGroup).where(
        ReviewGroup.reviews_group_id == group.id, ReviewGroup.id != group.id)))
    for other in reviewers:
        other.reviews_group = None
    db.session.flush()  # before the delete: nothing may point at the group when it goes
    grids, village_groups = _area_ids(group)
    record(actor_id, "review_group.delete", "review_group", group.id, village_id=group.village_id, name=group.name,
           members=[m.user_id for m in group.members], grids=sorted(grids), village_groups=sorted(village_groups),
           untargeted=[o.id for o in reviewers])
    db.session.delete(group)
    db.session.flush()


def set_members(group: ReviewGroup, user_ids: list[int], actor_id: int | None) -> ReviewGroup:
    """Make these users the group's members: each a reviewer or village admin of the village, in no other group."""
    wanted = set(user_ids)
    allowed = {u.id: u for u in member_candidates(group.village_id)}
    if wanted - allowed.keys():
        raise Refusal(N_("Only reviewers and village admins of this village can be members of a review group."))
    elsewhere = db.session.execute(
        select(ReviewGroupMember.user_id, ReviewGroup.name).join(ReviewGroup).where(
            ReviewGroup.village_id == group.village_id, ReviewGroup.id != group.id,
            ReviewGroupMember.user_id.in_(wanted))
    ).first()
    if elsewhere is not None:
        user = allowed[elsewhere.user_id]
        raise Refusal(N_("%(name)s is already a member of %(group)s; remove them there first."),
                           name=user.display_name or user.username, group=elsewhere.name)
    current = {m.user_id for m in group.members}
    removed, added = current - wanted, wanted - current
    if not (removed or added):
        return group
    group.members[:] = [m for m in group.members if m.user_id not in removed]
    group.members.extend(ReviewGroupMember(user_id=uid) for uid in sorted(added))
    db.session.flush()
    record(actor_id, "review_group.members", "review_group", group.id, village_id=group.village_id,
           added=sorted(added), removed=sorted(removed))
    return group


def set_areas(group: ReviewGroup, grid_ids: list[int], village_group_ids: list[int],
              actor_id: int | None) -> ReviewGroup:
    """Make these grids and village groups the group's area: all of its village, none in another group's area."""
    grids, vgroups = set(grid_ids), set(village_group_ids)
    found_grids = db.session.scalars(select(Grid).where(Grid.id.in_(grids), Grid.village_id == group.village_id)).all()
    found_vgroups = db.session.scalars(select(VillageGroup).where(
        VillageGroup.id.in_(vgroups), VillageGroup.village_id == group.village_id)).all()
    if len(found_grids) != len(grids) or len(found_vgroups) != len(vgroups):
        raise NotFound(N_("No such grid or village group in this village."))
    taken = db.session.execute(
        select(ReviewGroupArea, ReviewGroup.name).join(ReviewGroup).where(
            ReviewGroup.village_id == group.village_id, ReviewGroup.id != group.id,
            or_(ReviewGroupArea.grid_id.in_(grids), ReviewGroupArea.village_group_id.in_(vgroups)))
    ).first()
    if taken is not None:
        area = taken[0].grid or taken[0].village_group
        raise Refusal(N_("%(area)s is already in the area of %(group)s."), area=area.name, group=taken[1])
    old_grids, old_vgroups = _area_ids(group)
    if (old_grids, old_vgroups) == (grids, vgroups):
        return group
    group.areas[:] = [a for a in group.areas if a.grid_id in grids or a.village_group_id in vgroups]
    group.areas.extend(ReviewGroupArea(grid_id=g) for g in sorted(grids - old_grids))
    group.areas.extend(ReviewGroupArea(village_group_id=v) for v in sorted(vgroups - old_vgroups))
    db.session.flush()
    record(actor_id, "review_group.areas", "review_group", group.id, village_id=group.village_id,
           grids=sorted(grids), village_groups=sorted(vgroups))
    return group


def set_cross_review_target(group: ReviewGroup, target_id: int | None, actor_id: int | None) -> ReviewGroup:
    """The group whose area this group reviews under cross-review: another group of the village, or none."""
    target = None
    if target_id is not None:
        if target_id == group.id:
            raise Refusal(N_("A group cannot cross-review its own area; choose another group."))
        target = db.session.get(ReviewGroup, target_id)
        if target is None or target.village_id != group.village_id:
            raise NotFound(N_("No such review group."))
    if group.reviews_group_id != target_id:
        record(actor_id, "review_group.target", "review_group", group.id, village_id=group.village_id,
               old=group.reviews_group_id, new=target_id)
        group.reviews_group = target  # the relationship, so that readers in this session see the change
        db.session.flush()
    return group
