"""Who may see a photo: whoever may see a household it is evidence for, the objector and the
committee for an objection's photo, anyone for a photo on a published notice; nobody else."""

from __future__ import annotations

from datetime import date

import pytest

from tests.refusals import refused
from tests.worlds.photos import attach, publication, stored_photo
from webapp.core.refusal import NotFound
from webapp.extensions import db
from webapp.photos.services.access import may_see, visible_photo
from webapp.publication.models import Objection, PublicationPhoto


@pytest.fixture
def world(make):
    """Two villages of one town; in 油房村 two grids with a household each, 张三丰's J1 entry with a photo."""
    town = make.town()
    yf = make.village(town, code="YF")
    other = make.village(town, code="XS", name="西山村")
    grid, grid2 = make.grid(yf, "第一网格"), make.grid(yf, "第二网格")
    version = make.scheme(yf)
    zhang = make.household(yf, "张三丰", code="YF0001", grid=grid)
    li = make.household(yf, "李四", code="YF0002", grid=grid2)
    entry = make.entry(zhang, version, "J1", date(2026, 3, 12))
    photo = stored_photo()
    attach(photo, entry=entry)
    users = {
        "villager": make.user("villager", household_id=zhang.id),
        "neighbour": make.user("villager", household_id=li.id),
        "scorer": make.user("scorer", grid_id=grid.id),
        "other_scorer": make.user("scorer", grid_id=grid2.id),
        "admin": make.user("village_admin", village_id=yf.id),
        "reviewer": make.user("reviewer", village_id=yf.id),
        "auditor": make.user("auditor", village_id=yf.id),
        "town": make.user("town_admin", town_id=town.id),
        "other_admin": make.user("village_admin", village_id=other.id),
    }
    return {"village": yf, "version": version, "zhang": zhang, "li": li, "photo": photo, "entry": entry, **users}


SEES_ENTRY_PHOTO = {
    "villager": True, "scorer": True, "admin": True, "reviewer": True, "auditor": True, "town": True,
    "neighbour": False, "other_scorer": False, "other_admin": False,
}


def test_an_entry_photo_is_seen_by_whoever_may_see_its_household(world):
    """The household's own account and everyone whose role covers the household; nobody else."""
    assert {who: may_see(world[who], world["photo"].id) for who in SEES_ENTRY_PHOTO} == SEES_ENTRY_PHOTO


def test_an_inspection_item_photo_follows_the_inspected_household(world, make):
    """A photo taken for a standard of an inspection is the inspected household's evidence."""
    inspection = make.inspection(world["li"], world["version"], "2026-03", not_met=("B1",))
    photo = stored_photo()
    attach(photo, inspection=inspection, item_code="B1")
    assert may_see(world["neighbour"], photo.id) and may_see(world["other_scorer"], photo.id)
    assert not may_see(world["villager"], photo.id) and not may_see(world["scorer"], photo.id)


def test_an_objection_photo_is_seen_by_the_objector_and_the_village_committee(world):
    """The objector (even about another household), the village's admins, reviewers, auditors and town admins."""
    pub = publication(world["village"])
    photo = stored_photo(uploaded_by_id=world["neighbour"].id)
    db.session.add(Objection(publication_id=pub.id, household_id=world["zhang"].id,
                             filed_by_id=world["neighbour"].id, text="他家院子没打扫", photo_id=photo.id))
    db.session.flush()
    for who in ("neighbour", "admin", "reviewer", "auditor", "town"):
        assert may_see(world[who], photo.id), who
    for who in ("villager", "scorer", "other_admin"):
        assert not may_see(world[who], photo.id), who


@pytest.mark.parametrize("status, public", [("closed", False), ("notice", True), ("final", True)])
def test_a_photo_on_a_published_notice_is_public(world, status, public):
    """Chosen for a publication in notice or final: anyone, logged in or not; a closed one is not public yet."""
    photo = stored_photo()
    db.session.add(PublicationPhoto(publication_id=publication(world["village"], status).id, photo_id=photo.id))
    db.session.flush()
    if public:
        assert visible_photo(None, photo.id).public
    else:
        with refused("No such photo.", NotFound):
            visible_photo(None, photo.id)


def test_an_unattached_or_unknown_photo_is_not_found(world):
    """A photo nothing references is nobody's evidence; an unknown id is simply not found."""
    loose = stored_photo()
    with refused("No such photo.", NotFound):
        visible_photo(world["admin"], loose.id)
    with refused("No such photo.", NotFound):
        visible_photo(world["admin"], loose.id + 1000)
    with refused("No such photo.", NotFound):
        visible_photo(None, world["photo"].id)
    assert not visible_photo(world["villager"], world["photo"].id).public
