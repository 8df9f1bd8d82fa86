"""Which entries a user may review: the area of their review group, or the whole village.

Village admins (the committee) review their whole village. A reviewer reviews the area of
their review group (评议小组) — with cross-review (交叉考察评议), the area of the group it is
assigned to review instead. A village that has set up no groups yet lets its reviewers
review the whole village, so that nothing waits for configuration.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, false, or_, select, true

from webapp.extensions import db
from webapp.people.domain.access import Role, read_only_village_ids
from webapp.people.models.household import Household
from webapp.people.models.user import User
from webapp.people.services.villages import readable_villages
from webapp.points.services.schemes import timeline, version_rules
from webapp.review.models import ReviewGroup


@dataclass(frozen=True)
class ReviewArea:
    """Households one user may review in one village: the whole village, or grids and village groups."""

    village_id: int
    whole_village: bool = False
    grid_ids: frozenset[int] = frozenset()
    village_group_ids: frozenset[int] = frozenset()
    # Why the user reviews nothing (a group too small, no cross-review target), for the queue page.
    problems: tuple[str, ...] = field(default=())
    read_only: bool = False  # a 包村干部's or the town admin's view: the queue is read, never decided

    @property
    def empty(self) -> bool:
        return not (self.whole_village or self.grid_ids or self.village_group_ids)

    def covers(self, grid_id: int | None, village_group_id: int | None) -> bool:
        """Whether a household in this grid and village group is in the area."""
        return self.whole_village or grid_id in self.grid_ids or village_group_id in self.village_group_ids

    def household_condition(self) -> ColumnElement[bool]:
        """A WHERE clause on Household for the area."""
        if self.whole_village:
            return true()
        if self.empty:
            return false()
        return or_(Household.grid_id.in_(self.grid_ids), Household.group_id.in_(self.village_group_ids))


def reviewing_village_ids(user: User) -> list[int]:
    """Villages in which the user holds a reviewing role."""
    return sorted({g.village_id for g in user.domain_grants()
                   if g.role in (Role.VILLAGE_ADMIN, Role.REVIEWER) and g.village_id is not None})


def reading_village_ids(user: User) -> list[int]:
    """Villages whose queue the user may read: those they review, those they oversee as 包村干部, and
    every village of their town for a town admin (who reads the queue and decides nothing in it)."""
    return sorted(set(reviewing_village_ids(user)) | read_only_village_ids(user.domain_grants())
                  | {v.id for v in readable_villages(user)})


def read_area(user: User, village_id: int) -> ReviewArea:
    """What the queue page lists in a village: the review area of a reviewer or admin; the whole village,
    read-only, for its 包村干部 and its town's admin. Decisions never ask this: they ask review_area."""
    if village_id in reviewing_village_ids(user):
        return review_area(user, village_id)
    if village_id in reading_village_ids(user):
        return ReviewArea(village_id, whole_village=True, read_only=True)
    return ReviewArea(village_id)


def review_area(user: User, village_id: int) -> ReviewArea:
    """The area of a village that this user may review."""
    roles = {g.role for g in user.domain_grants() if g.village_id == village_id}
    if Role.VILLAGE_ADMIN in roles:
        return ReviewArea(village_id, whole_village=True)
    if Role.REVIEWER not in roles:
        return ReviewArea(village_id)
    groups = list(db.session.scalars(select(ReviewGroup).where(ReviewGroup.village_id == village_id)))
    if not groups:
        return ReviewArea(village_id, whole_village=True)
    mine = [g for g in groups if any(m.user_id == user.id for m in g.members)]
    current = timeline(village_id).current
    policies = version_rules(current).policies if current is not None else None
    cross = bool(policies and policies.cross_review)
    min_size = (policies.review_group_min_size if policies else None) or 1
    grids: set[int] = set()
    village_groups: set[int] = set()
    problems: list[str] = []
    for group in mine:
        if len(group.members) < min_size:
            problems.append("group_too_small")
            continue
        reviewed = group.reviews_group if cross else group
        if reviewed is None or (cross and reviewed.id == group.id):
            problems.append("no_cross_review_target")
            continue
        for area in reviewed.areas:
            if area.grid_id is not None:
                grids.add(area.grid_id)
            if area.village_group_id is not None:
                village_groups.add(area.village_group_id)
    if not mine:
        problems.append("not_in_a_group")
    return ReviewArea(village_id, False, frozenset(grids), frozenset(village_groups), tuple(problems))
