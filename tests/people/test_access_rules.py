"""Who may see which household: every role against every kind of household."""

import pytest

from webapp.people.domain.access import (
    ADMINS,
    COMMITTEE,
    PUBLICATION_READERS,
    QUEUE_READERS,
    REVIEWERS,
    Grant,
    HouseholdRef,
    Role,
    can_decide_for_village,
    can_manage_village,
    can_read_village,
    can_view_household,
    home_role,
)

HH = HouseholdRef(id=7, village_id=2, town_id=1, grid_id=5, store_ids=frozenset({9}))


@pytest.mark.parametrize(("grant", "allowed"), [
    (Grant("town_admin", town_id=1), True),
    (Grant("town_admin", town_id=99), False),
    (Grant("village_admin", village_id=2), True),
    (Grant("village_admin", village_id=3), False),
    (Grant("reviewer", village_id=2), True),
    (Grant("auditor", village_id=2), True),
    (Grant("auditor", village_id=3), False),
    (Grant("town_cadre", village_id=2), True),
    (Grant("town_cadre", village_id=3), False),
    (Grant("scorer", grid_id=5), True),
    (Grant("scorer", grid_id=6), False),
    (Grant("clerk", store_id=9), False),  # the counter shows a balance, never the statement (PIPL)
    (Grant("clerk", store_id=8), False),
    (Grant("villager", household_id=7), True),
    (Grant("villager", household_id=8), False),
])
def test_each_role_sees_a_household_only_within_its_scope(grant, allowed):
    """A grant opens exactly its own town, village, grid, store or household."""
    assert can_view_household((grant,), HH) is allowed


def test_scorer_cannot_see_a_household_without_a_grid():
    """A household not yet put in a grid is no grid worker's."""
    assert not can_view_household((Grant("scorer", grid_id=5),), HouseholdRef(1, 2, 1, None))


def test_only_admins_manage_a_village():
    """Roster and rules belong to the village's admins and the town's; its 包村干部 only reads."""
    assert can_manage_village((Grant("village_admin", village_id=2),), 2, 1)
    assert can_manage_village((Grant("town_admin", town_id=1),), 2, 1)
    assert not can_manage_village((Grant("reviewer", village_id=2),), 2, 1)
    assert not can_manage_village((Grant("town_cadre", village_id=2),), 2, 1)
    assert not can_manage_village((Grant("village_admin", village_id=3),), 2, 1)


def test_home_page_follows_the_most_senior_role():
    """A village admin who also scores lands on the admin home."""
    grants = (Grant("scorer", grid_id=5), Grant("village_admin", village_id=2))
    assert home_role(grants) == "village_admin"
    assert home_role(()) is None


@pytest.mark.parametrize(("grant", "decides"), [
    (Grant("village_admin", village_id=2), True),
    (Grant("village_admin", village_id=3), False),
    (Grant("town_admin", town_id=1), False),
    (Grant("town_cadre", village_id=2), False),
    (Grant("reviewer", village_id=2), False),
    (Grant("auditor", village_id=2), False),
])
def test_only_the_village_committee_decides_for_its_village(grant, decides):
    """Closing, publishing, objections, freezes and reversals are the committee's: the town admin sets the
    village up and reads it, and decides nothing for it (issue 13)."""
    assert can_decide_for_village((grant,), 2) is decides


def test_the_town_admin_reads_the_review_queue_and_publications_and_decides_nothing():
    """The route sets: the town admin opens the queue and the publications (to read) and the setup pages,
    never the decisions, which are the committee's (and the reviewers')."""
    assert Role.TOWN_ADMIN in QUEUE_READERS and Role.TOWN_ADMIN in PUBLICATION_READERS
    assert Role.TOWN_ADMIN in ADMINS  # roster, households, rules and list templates, staff, villages
    assert Role.TOWN_ADMIN not in COMMITTEE and Role.TOWN_ADMIN not in REVIEWERS
    assert COMMITTEE == (Role.VILLAGE_ADMIN,)
    town = (Grant("town_admin", town_id=1),)
    assert can_read_village(town, 2, 1) and can_manage_village(town, 2, 1) and not can_decide_for_village(town, 2)
