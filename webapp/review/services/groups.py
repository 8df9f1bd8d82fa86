"""Review groups (评议小组) of a village: members, areas, cross-review targets, and what is wrong with them.

A group's members hold the reviewer or village_admin role in the village, and each belongs to one
group only. Its area is grids and village groups of the village, each in at most one group. With
cross-review the group reviews another group's area instead of its own. review_scope reads these
rows to decide what each reviewer may review; the problems below are the reasons it would give.

Deleting a group deletes its memberships and areas with it: they are configuration, not history
(review decisions name the reviewer, not the group, and the audit trail keeps what was deleted).
Groups that cross-reviewed it lose their target and show that as a problem. This module makes the
changes; group_checks.py reads the groups for the administration page and finds their problems.
"""

from __future__ import annotations

from sqlalchemy import or_, select

from webapp.core.messages import N_
from webapp.core.refusal import NotFound, Refusal
from webapp.extensions import db
from webapp.people.models.geo import Grid, Village, VillageGroup
from webapp.people.models.user import User
from webapp.people.services.audit import record
from webapp.people.services.villages import managed_villages
from webapp.review.models import ReviewGroup, ReviewGroupArea, ReviewGroupMember
from webapp.review.services.group_checks import (
    MEMBER_ROLES,
    GroupCheck,
    GroupSummary,
    Overview,
    Problem,
    area_ids,
    check_groups,
    configuration_problems,
    member_candidates,
    overview,
    review_groups_of,
    rules_in_force,
)

__all__ = [
    "MEMBER_ROLES", "NAME_MAX", "GroupCheck", "GroupSummary", "Overview", "Problem", "check_groups",
    "configuration_problems", "create_group", "delete_group", "managed_group", "member_candidates", "overview",
    "rename_group", "review_groups_of", "rules_in_force", "set_areas", "set_cross_review_target", "set_members",
]

NAME_MAX = 50


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
    grids, village_groups = area_ids(group)
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
    old_grids, old_vgroups = area_ids(group)
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
