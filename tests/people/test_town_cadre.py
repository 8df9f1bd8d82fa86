"""The 包村干部 (town cadre assigned to villages): the pure access rules, no HTTP.

A cadre holds one `town_cadre` grant per village assigned to them. They read those villages and manage
nothing; tests/web/test_cadre_routes.py walks the routes as one.
"""

from webapp.labels import ROLE_NAMES
from webapp.people.domain.access import (
    ADMINS,
    AUDIT_READERS,
    CLERKS,
    OVERSEERS,
    PUBLICATION_READERS,
    QUEUE_READERS,
    REVIEWERS,
    SCOPE_OF_ROLE,
    SCORERS,
    STORE_READERS,
    STORE_ROLES,
    VILLAGERS,
    Grant,
    HouseholdRef,
    Role,
    can_manage_village,
    can_read_village,
    can_view_household,
    home_role,
    overseen_village_ids,
    visibility,
)
from webapp.store.domain import StoreRef, can_manage_store, can_reverse_redemption, can_serve_counter, can_view_store

CADRE = (Grant("town_cadre", village_id=2), Grant("town_cadre", village_id=3))
IN_2 = HouseholdRef(id=7, village_id=2, town_id=1, grid_id=5, store_ids=frozenset({9}))
IN_3 = HouseholdRef(id=8, village_id=3, town_id=1, grid_id=6)
IN_4 = HouseholdRef(id=9, village_id=4, town_id=1, grid_id=7, store_ids=frozenset({9}))


def test_the_cadre_is_a_role_granted_per_village_and_named_in_chinese_and_english():
    assert Role.TOWN_CADRE == "town_cadre"
    assert SCOPE_OF_ROLE[Role.TOWN_CADRE] == "village_id"
    assert str(ROLE_NAMES["town_cadre"]) == "Village liaison cadre"


def test_a_cadre_sees_every_household_of_each_assigned_village_and_none_elsewhere():
    assert can_view_household(CADRE, IN_2)
    assert can_view_household(CADRE, IN_3)
    assert not can_view_household(CADRE, IN_4)  # same town, same store: not assigned


def test_a_cadres_visibility_is_their_villages_only():
    vis = visibility(CADRE)
    assert vis.village_ids == frozenset({2, 3})
    assert not (vis.town_ids or vis.grid_ids or vis.store_ids or vis.household_ids)
    assert overseen_village_ids(CADRE) == frozenset({2, 3})


def test_a_cadre_reads_a_villages_committee_pages_but_manages_none():
    assert can_read_village(CADRE, 2, 1) and can_read_village(CADRE, 3, 1)
    assert not can_read_village(CADRE, 4, 1)
    assert not any(can_manage_village(CADRE, v, 1) for v in (2, 3, 4))


def test_the_committee_reads_what_it_manages_and_a_reviewer_reads_no_committee_page():
    assert can_read_village((Grant("village_admin", village_id=4),), 4, 1)
    assert can_read_village((Grant("town_admin", town_id=1),), 4, 1)
    assert not can_read_village((Grant("reviewer", village_id=4),), 4, 1)


def test_a_cadre_reads_a_store_serving_their_village_and_never_serves_or_manages_it():
    store = StoreRef(id=9, town_id=1, village_ids=frozenset({2, 4}))
    elsewhere = StoreRef(id=10, town_id=1, village_ids=frozenset({4}))
    assert can_view_store(CADRE, store)
    assert not can_view_store(CADRE, elsewhere)
    assert not can_manage_store(CADRE, store)
    assert not can_serve_counter(CADRE, 9)
    assert not can_reverse_redemption(CADRE, 2, 1)


def test_the_cadre_is_in_the_read_sets_only():
    """The role sets that guard writes leave the cadre out; the read sets add it."""
    for writers in (ADMINS, REVIEWERS, CLERKS, STORE_ROLES, SCORERS, VILLAGERS):
        assert Role.TOWN_CADRE not in writers
    assert OVERSEERS == (Role.TOWN_CADRE,)
    for readers in (QUEUE_READERS, PUBLICATION_READERS, STORE_READERS, AUDIT_READERS):
        assert Role.TOWN_CADRE in readers


def test_a_village_admin_who_is_also_a_cadre_lands_on_the_admin_home():
    assert home_role(CADRE) == "town_cadre"
    assert home_role((*CADRE, Grant("village_admin", village_id=4))) == "village_admin"
    assert home_role((*CADRE, Grant("reviewer", village_id=4))) == "town_cadre"
