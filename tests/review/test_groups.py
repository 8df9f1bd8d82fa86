"""Review groups (评议小组): who may be a member, which areas a group may take, cross-review targets,
the problems the committee is shown, and what review_scope.review_area makes of the rows.

油房村 has two grids (W1, W2) and a village group (一组); 王家村 is the village next door.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from tests.refusals import refused
from webapp.core.refusal import NotFound
from webapp.extensions import db
from webapp.people.models.audit import AuditEvent
from webapp.people.models.household import Household
from webapp.people.services.users import grant
from webapp.review.models import ReviewGroup, ReviewGroupArea, ReviewGroupMember
from webapp.review.services import groups as rg
from webapp.review.services.scope import review_area


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def written() -> tuple[int, int, int, int]:
    """Rows a refused change must not have added to."""
    return count(ReviewGroup), count(ReviewGroupMember), count(ReviewGroupArea), count(AuditEvent)


@pytest.fixture
def yf(make):
    """油房村 under the 丰盛 rules (groups of at least 3, no cross-review), with five reviewers,
    a village admin, a grid worker, and 王家村 next door with its own reviewer and grid."""
    town = make.town()
    village = make.village(town, name="油房村")
    w1, w2 = make.grid(village, "第一网格"), make.grid(village, "第二网格")
    group_one = make.group(village, "一组")
    other = make.village(town, name="王家村")
    return {
        "village": village, "w1": w1, "w2": w2, "group_one": group_one,
        "reviewers": [make.user("reviewer", username=f"r{i}", village_id=village.id) for i in range(1, 6)],
        "admin": make.user("village_admin", username="yf-admin", village_id=village.id),
        "scorer": make.user("scorer", username="grid1", grid_id=w1.id),
        "other": other, "other_grid": make.grid(other, "王家网格"), "other_group": make.group(other, "王家一组"),
        "other_reviewer": make.user("reviewer", username="wj-r", village_id=other.id),
    }


def group_with(yf, name: str, members: list, grids=(), village_groups=()) -> ReviewGroup:
    group = rg.create_group(yf["village"], name, actor_id=None)
    rg.set_members(group, [u.id for u in members], actor_id=None)
    rg.set_areas(group, [g.id for g in grids], [v.id for v in village_groups], actor_id=None)
    return group


def msgids(problems) -> list[str]:
    return [p.msgid for p in problems]


# --- creating, naming, deleting --------------------------------------------------------------------

def test_group_names_are_unique_within_a_village_but_not_across_villages(yf):
    """Two groups of one village may not share a name; the village next door may use it too."""
    rg.create_group(yf["village"], "第一评议小组", actor_id=None)
    before = written()

    with refused("There is already a group named %(name)s in this village.") as caught:
        rg.create_group(yf["village"], "  第一评议小组 ", actor_id=None)

    assert caught.value.params == {"name": "第一评议小组"}
    assert written() == before
    assert rg.create_group(yf["other"], "第一评议小组", actor_id=None).village_id == yf["other"].id


def test_a_group_cannot_be_renamed_to_another_groups_name_or_to_nothing(yf):
    """Renaming keeps the village's names unique, and a name is required."""
    first = rg.create_group(yf["village"], "一组评议", actor_id=None)
    rg.create_group(yf["village"], "二组评议", actor_id=None)

    for bad, msgid in (("二组评议", "There is already a group named %(name)s in this village."),
                       ("   ", "Give the group a name.")):
        with refused(msgid):
            rg.rename_group(first, bad, actor_id=None)
    rg.rename_group(first, "东片评议", actor_id=None)

    assert first.name == "东片评议"


def test_deleting_a_group_deletes_its_members_and_areas_and_clears_who_reviewed_it(yf):
    """Members and areas are the group's configuration and go with it; a group that cross-reviewed it
    keeps existing, without a target."""
    doomed = group_with(yf, "甲组", yf["reviewers"][:3], grids=[yf["w1"]])
    survivor = group_with(yf, "乙组", yf["reviewers"][3:], grids=[yf["w2"]])
    rg.set_cross_review_target(survivor, doomed.id, actor_id=None)

    rg.delete_group(doomed, actor_id=yf["admin"].id)

    assert (count(ReviewGroup), count(ReviewGroupMember), count(ReviewGroupArea)) == (1, 2, 1)
    assert survivor.reviews_group_id is None
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "review_group.delete"))
    assert event.actor_id == yf["admin"].id and event.detail["grids"] == [yf["w1"].id]


def test_every_change_is_in_the_audit_trail(yf):
    """Create, members, areas, cross-review target, rename and delete each leave one audit event."""
    before = count(AuditEvent)
    group = group_with(yf, "甲组", yf["reviewers"][:3], grids=[yf["w1"]])
    other = rg.create_group(yf["village"], "乙组", actor_id=None)
    rg.set_cross_review_target(group, other.id, actor_id=None)
    rg.rename_group(group, "丙组", actor_id=None)
    rg.delete_group(group, actor_id=None)

    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id).offset(before)).all()
    assert actions == ["review_group.create", "review_group.members", "review_group.areas", "review_group.create",
                       "review_group.target", "review_group.rename", "review_group.delete"]


# --- members -----------------------------------------------------------------------------------------

def test_a_member_without_the_reviewer_role_is_refused_and_nothing_is_written(yf):
    """A grid worker of the village is not a reviewer: the whole change is refused."""
    group = rg.create_group(yf["village"], "甲组", actor_id=None)
    before = written()

    with refused("Only reviewers and village admins of this village can be members of a review group."):
        rg.set_members(group, [yf["reviewers"][0].id, yf["scorer"].id], actor_id=None)

    assert written() == before


def test_a_reviewer_of_another_village_cannot_join(yf):
    """Holding the reviewer role elsewhere is not enough; the refusal names nobody."""
    group = rg.create_group(yf["village"], "甲组", actor_id=None)

    with refused("Only reviewers and village admins of this village can be members of a review group.") as caught:
        rg.set_members(group, [yf["other_reviewer"].id], actor_id=None)

    assert caught.value.params == {}


def test_village_admins_may_be_members_and_a_member_joins_one_group_only(yf):
    """The committee may sit in a group; a person already in one group is refused by another."""
    first = group_with(yf, "甲组", [yf["admin"], yf["reviewers"][0]])
    second = rg.create_group(yf["village"], "乙组", actor_id=None)

    with refused("%(name)s is already a member of %(group)s; remove them there first.") as caught:
        rg.set_members(second, [yf["reviewers"][0].id], actor_id=None)

    assert {m.user_id for m in first.members} == {yf["admin"].id, yf["reviewers"][0].id}
    assert caught.value.params == {"name": "r1", "group": "甲组"}


def test_setting_members_adds_and_removes(yf):
    """The ticked users become the members: r1, r2 → r2, r3."""
    r1, r2, r3 = yf["reviewers"][:3]
    group = group_with(yf, "甲组", [r1, r2])

    rg.set_members(group, [r2.id, r3.id], actor_id=None)

    assert sorted(m.user_id for m in group.members) == sorted([r2.id, r3.id])


# --- areas -------------------------------------------------------------------------------------------

def test_an_area_of_another_village_is_not_found_and_nothing_is_written(yf):
    """A grid or village group of the village next door is as good as non-existent."""
    group = group_with(yf, "甲组", yf["reviewers"][:3], grids=[yf["w1"]])
    before = written()

    for grids, village_groups in (([yf["other_grid"].id], []), ([], [yf["other_group"].id])):
        with refused("No such grid or village group in this village.", NotFound):
            rg.set_areas(group, [yf["w2"].id, *grids], village_groups, actor_id=None)

    assert written() == before
    assert [a.grid_id for a in group.areas] == [yf["w1"].id]


def test_an_area_belongs_to_one_group_only(yf):
    """A grid already in 甲组's area cannot also be in 乙组's."""
    group_with(yf, "甲组", [], grids=[yf["w1"]], village_groups=[yf["group_one"]])
    second = rg.create_group(yf["village"], "乙组", actor_id=None)

    with refused("%(area)s is already in the area of %(group)s.") as caught:
        rg.set_areas(second, [yf["w2"].id], [yf["group_one"].id], actor_id=None)

    assert caught.value.params == {"area": "一组", "group": "甲组"}
    assert second.areas == []


# --- cross-review target -----------------------------------------------------------------------------

def test_cross_review_of_its_own_area_is_refused(yf):
    """A group cannot be its own cross-review target."""
    group = rg.create_group(yf["village"], "甲组", actor_id=None)

    with refused("A group cannot cross-review its own area; choose another group."):
        rg.set_cross_review_target(group, group.id, actor_id=None)

    assert group.reviews_group_id is None


def test_a_cross_review_target_in_another_village_is_not_found(yf):
    """Another village's group is not a target, and not even admitted to exist."""
    group = rg.create_group(yf["village"], "甲组", actor_id=None)
    foreign = rg.create_group(yf["other"], "王家评议组", actor_id=None)

    with refused("No such review group.", NotFound):
        rg.set_cross_review_target(group, foreign.id, actor_id=None)


def test_managed_group_hides_the_groups_of_villages_the_user_does_not_manage(yf):
    """A village admin finds their own village's group; another village's is not found."""
    mine = rg.create_group(yf["village"], "甲组", actor_id=None)
    theirs = rg.create_group(yf["other"], "王家评议组", actor_id=None)

    assert rg.managed_group(yf["admin"], mine.id) is mine
    with refused("No such review group.", NotFound):
        rg.managed_group(yf["admin"], theirs.id)


# --- problems ----------------------------------------------------------------------------------------

def test_a_group_below_the_minimum_size_is_reported(make, yf):
    """丰盛 rules: at least 3 per group; a group of 2 says "2 members; the rules ask for at least 3"."""
    make.scheme(yf["village"], "fengsheng")
    group = group_with(yf, "甲组", yf["reviewers"][:2], grids=[yf["w1"]])

    problems = rg.configuration_problems(yf["village"])[group.id]

    assert [(p.msgid, p.params) for p in problems] == [
        ("%(count)s members; the rules ask for at least %(min)s.", {"count": 2, "min": 3})]


def test_more_households_than_the_rules_allow_are_reported(make, yf):
    """140-point plan: at most 100 households per group; a grid of 101 is one too many."""
    make.scheme(yf["village"], "star-140")
    for i in range(101):
        make.household(yf["village"], head=f"户主{i}", grid=yf["w1"])
    group = group_with(yf, "甲组", yf["reviewers"], grids=[yf["w1"]])

    problems = rg.configuration_problems(yf["village"])[group.id]

    assert ("%(count)s households; the rules allow at most %(max)s per group.", {"count": 101, "max": 100}) in [
        (p.msgid, p.params) for p in problems]


def test_cross_review_without_a_target_or_onto_itself_is_reported(make, yf):
    """Under cross-review every group needs another group's area, and every area a reviewing group."""
    make.scheme(yf["village"], "star-140")
    first = group_with(yf, "甲组", yf["reviewers"], grids=[yf["w1"]])
    second = rg.create_group(yf["village"], "乙组", actor_id=None)
    second.reviews_group_id = second.id  # written behind the service's back, as old data might be
    db.session.flush()

    problems = rg.configuration_problems(yf["village"])

    assert msgids(problems[first.id]) == [
        "The rules ask for cross-review: choose the group whose area this group reviews.",
        "No group reviews this group's area."]
    assert "This group is set to review its own area; cross-review needs another group." in msgids(problems[second.id])


def test_households_outside_every_group_are_reported_counting_only_those_taking_part(make, yf):
    """W1 (2 households) is covered; W2 has 1 uncovered, 1 that left and 1 not taking part → 1 uncovered."""
    for _ in range(2):
        make.household(yf["village"], grid=yf["w1"])
    make.household(yf["village"], grid=yf["w2"])
    make.household(yf["village"], grid=yf["w2"], left_on=date(2021, 1, 1))
    make.household(yf["village"], grid=yf["w2"], eligible=False)
    group_with(yf, "甲组", yf["reviewers"][:3], grids=[yf["w1"]])

    view = rg.overview(yf["village"])

    assert (view.households, view.uncovered, view.groups[0].households) == (3, 1, 2)
    assert [(p.msgid, p.params) for p in view.problems] == [
        ("%(count)s households are not in the area of any review group.", {"count": 1})]


def test_a_member_who_lost_the_reviewer_role_is_reported(make, yf):
    """r3's grant is withdrawn after they joined: the group still has 3 members, and says r3 no longer reviews."""
    make.scheme(yf["village"], "fengsheng")
    group = group_with(yf, "甲组", yf["reviewers"][:3], grids=[yf["w1"]])
    yf["reviewers"][2].grants.clear()
    db.session.flush()

    problems = rg.configuration_problems(yf["village"])[group.id]

    assert [(p.msgid, p.params) for p in problems] == [
        ("%(name)s is no longer an active reviewer of this village.", {"name": "r3"})]


def test_a_village_without_groups_has_no_problems(make, yf):
    """No groups means reviewers review the whole village: nothing to warn about."""
    make.household(yf["village"], grid=yf["w1"])

    assert rg.configuration_problems(yf["village"]) == {None: []}


# --- review_scope.review_area ------------------------------------------------------------------------

def test_without_groups_a_reviewer_reviews_the_whole_village(make, yf):
    """Nothing waits for configuration: no groups → the whole village."""
    make.scheme(yf["village"], "fengsheng")

    area = review_area(yf["reviewers"][0], yf["village"].id)

    assert area.whole_village and not area.problems


def test_without_cross_review_a_member_reviews_their_own_groups_area(make, yf):
    """丰盛 rules (no cross-review, ≥3): a member of a group of 3 reviews W1 and 一组, nothing else."""
    make.scheme(yf["village"], "fengsheng")
    in_w1 = make.household(yf["village"], grid=yf["w1"])
    in_group_one = make.household(yf["village"], grid=yf["w2"], group=yf["group_one"])
    make.household(yf["village"], grid=yf["w2"])
    group_with(yf, "甲组", yf["reviewers"][:3], grids=[yf["w1"]], village_groups=[yf["group_one"]])
    group_with(yf, "乙组", yf["reviewers"][3:], grids=[yf["w2"]])

    area = review_area(yf["reviewers"][0], yf["village"].id)

    assert (area.whole_village, area.grid_ids, area.village_group_ids) == (
        False, {yf["w1"].id}, {yf["group_one"].id})
    assert area.covers(yf["w1"].id, None) and not area.covers(yf["w2"].id, None)
    reviewable = db.session.scalars(select(Household.id).where(area.household_condition())).all()
    assert sorted(reviewable) == sorted([in_w1.id, in_group_one.id])


def test_with_cross_review_a_member_reviews_the_target_groups_area(make, yf):
    """140-point plan (cross-review, ≥5): 甲组 (W1) reviews 乙组's area (W2), and 乙组 reviews W1."""
    make.scheme(yf["village"], "star-140")
    first = group_with(yf, "甲组", yf["reviewers"], grids=[yf["w1"]])
    others = [make.user("reviewer", village_id=yf["village"].id) for _ in range(5)]
    second = group_with(yf, "乙组", others, grids=[yf["w2"]])
    rg.set_cross_review_target(first, second.id, actor_id=None)
    rg.set_cross_review_target(second, first.id, actor_id=None)

    mine = review_area(yf["reviewers"][0], yf["village"].id)
    theirs = review_area(others[0], yf["village"].id)

    assert (mine.grid_ids, theirs.grid_ids) == ({yf["w2"].id}, {yf["w1"].id})
    assert rg.configuration_problems(yf["village"]) == {first.id: [], second.id: [], None: []}


def test_a_member_of_a_group_below_the_minimum_size_reviews_nothing(make, yf):
    """140-point plan asks for 5: a member of a group of 4 reviews nothing, and is told why."""
    make.scheme(yf["village"], "star-140")
    first = group_with(yf, "甲组", yf["reviewers"][:4], grids=[yf["w1"]])
    second = group_with(yf, "乙组", [yf["reviewers"][4]], grids=[yf["w2"]])
    rg.set_cross_review_target(first, second.id, actor_id=None)

    area = review_area(yf["reviewers"][0], yf["village"].id)

    assert area.empty and area.problems == ("group_too_small",)


def test_a_village_admin_in_a_group_still_reviews_the_whole_village(make, yf):
    """The committee reviews everything, whatever group it sits in."""
    make.scheme(yf["village"], "fengsheng")
    group_with(yf, "甲组", [yf["admin"], *yf["reviewers"][:2]], grids=[yf["w1"]])

    assert review_area(yf["admin"], yf["village"].id).whole_village


def test_a_reviewer_who_is_also_a_village_admin_elsewhere_is_judged_per_village(make, yf):
    """Roles count in the village asked about: admin of 王家村 is only a reviewer in 油房村."""
    make.scheme(yf["village"], "fengsheng")
    reviewer = yf["reviewers"][0]
    grant(reviewer, "village_admin", village_id=yf["other"].id)
    group_with(yf, "甲组", yf["reviewers"][:3], grids=[yf["w1"]])

    assert review_area(reviewer, yf["village"].id).grid_ids == {yf["w1"].id}
    assert review_area(reviewer, yf["other"].id).whole_village
