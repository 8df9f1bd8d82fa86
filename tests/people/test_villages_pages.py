"""The town admin's villages: create with a 12-digit statistical area code, groups and grids, rename,
retire (kept with its history, hidden from lists and pickers); every change audited."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.worlds.pages import post, zh
from webapp.extensions import db
from webapp.people.models.audit import AuditEvent
from webapp.people.models.geo import Grid, Village, VillageGroup
from webapp.people.models.household import Household
from webapp.people.models.user import User
from webapp.people.services.villages import managed_villages


@pytest.fixture
def town(make, auth):
    """Town FS (area 110113108000) with its admin `zhen` logged in."""
    town = make.town(code="FS")
    town.area_code = "110113108000"
    make.user("town_admin", username="zhen", town_id=town.id)
    db.session.commit()
    auth.login("zhen")
    return town


def add_village(client, **fields):
    data = {"name": "油房村", "code": "YF", "area_code": "110113108201", **fields}
    return post(client, "/town/villages", "/town/villages", data)


def village(code: str) -> Village | None:
    return db.session.scalar(select(Village).where(Village.code == code))


def test_a_town_admin_creates_a_village_with_its_area_code_groups_and_grids(town, client):
    """The village, then a group and two grids; the page lists them all."""
    answer = add_village(client)
    yf = village("YF")
    assert answer.status_code == 302 and yf.area_code == "110113108201" and yf.town_id == town.id
    page = f"/town/villages/{yf.id}"
    assert post(client, page, f"{page}/group", {"name": "一组", "code": ""}).status_code == 302
    assert post(client, page, f"{page}/grid", {"name": "第一网格", "code": "W1"}).status_code == 302
    assert post(client, page, f"{page}/grid", {"name": "第二网格", "code": "W2"}).status_code == 302
    db.session.expire_all()
    assert [(g.code, g.name) for g in yf.grids] == [("W1", "第一网格"), ("W2", "第二网格")]
    assert [g.name for g in yf.groups] == ["一组"]
    html = client.get(page).get_data(as_text=True)
    assert "第二网格" in html and "一组" in html
    assert "油房村" in client.get("/town/villages").get_data(as_text=True)
    actions = set(db.session.scalars(select(AuditEvent.action).where(AuditEvent.village_id == yf.id)))
    assert {"village.create", "group.create", "grid.create"} <= actions


@pytest.mark.parametrize("area_code", ["11011310820", "1101131082011", "11011310820X", "１１０１１３１０８２０１"])
def test_an_area_code_that_is_not_exactly_12_digits_is_refused(town, client, area_code):
    """11 or 13 digits, a letter, full-width digits: refused with the reason, no village."""
    add_village(client, area_code=area_code)
    assert village("YF") is None
    page = client.get("/town/villages").get_data(as_text=True)
    assert zh("The statistical area code must be exactly 12 digits (统计用区划代码); %(code)s is not.",
              code=area_code) in page


def test_an_area_code_is_unique_and_lies_in_the_towns_area(town, client):
    """Another village's code, or a code outside the town's first 9 digits: refused."""
    add_village(client)
    add_village(client, code="WJ", name="王家村")  # same area code
    add_village(client, code="LS", name="李山村", area_code="120113108201")
    assert village("WJ") is None and village("LS") is None
    assert add_village(client, code="WJ", name="王家村", area_code="").status_code == 302
    assert village("WJ").area_code is None


def test_a_village_is_renamed_and_its_grid_renamed(town, client):
    add_village(client)
    yf = village("YF")
    page = f"/town/villages/{yf.id}"
    post(client, page, f"{page}/grid", {"name": "第一网格", "code": "W1"})
    grid = db.session.scalar(select(Grid).where(Grid.village_id == yf.id))
    post(client, page, page, {"name": "油房新村", "area_code": "110113108202"})
    post(client, page, f"{page}/grid/{grid.id}", {"name": "东片网格"})
    db.session.expire_all()
    assert (yf.name, yf.area_code, grid.name, grid.code) == ("油房新村", "110113108202", "东片网格", "W1")


def test_a_retired_village_keeps_its_history_and_leaves_the_lists_and_pickers(town, client, make):
    """Retired: still in the database with its households, marked on the town's list, gone from the roster
    picker (managed_villages), the home page and the staff pickers; it can be restored."""
    add_village(client)
    add_village(client, code="WJ", name="王家村", area_code="")
    yf = village("YF")
    make.household(yf, code="YF0001")
    db.session.commit()
    page = f"/town/villages/{yf.id}"
    assert post(client, page, f"{page}/retire", {}).status_code == 302
    db.session.expire_all()
    assert yf.retired_on is not None
    assert db.session.scalar(select(Household.village_id).where(Household.code == "YF0001")) == yf.id
    zhen = db.session.scalar(select(User).where(User.username == "zhen"))
    assert [v.code for v in managed_villages(zhen)] == ["WJ"]
    assert zh("retired") in client.get("/town/villages").get_data(as_text=True)
    assert "油房村" not in client.get("/admin/roster").get_data(as_text=True)
    assert "油房村" not in client.get("/home").get_data(as_text=True)
    assert f'value="{yf.id}"' not in client.get("/admin/staff/new").get_data(as_text=True)
    assert client.get(f"/admin/roster?village={yf.id}").status_code == 404
    post(client, page, f"{page}/restore", {})
    db.session.expire_all()
    assert yf.retired_on is None and [v.code for v in managed_villages(zhen)] == ["WJ", "YF"]


def test_village_pages_are_the_town_admins_and_a_village_admin_edits_only_their_own_grids(make, client, auth):
    """A village admin cannot list or create villages, may add grids to their own village only; a grid
    worker opens none of the pages."""
    town = make.town(code="FS")
    yf, wj = make.village(town, code="YF"), make.village(town, code="WJ", name="王家村")
    grid = make.grid(yf)
    make.user("village_admin", username="yfadmin", village_id=yf.id)
    make.user("scorer", username="grid", grid_id=grid.id)
    db.session.commit()
    auth.login("yfadmin")
    assert client.get("/town/villages").status_code == 403
    assert client.get(f"/town/villages/{wj.id}").status_code == 404
    page = f"/town/villages/{yf.id}"
    assert post(client, page, f"{page}/grid", {"name": "第二网格", "code": ""}).status_code == 302
    assert post(client, page, f"/town/villages/{wj.id}/grid", {"name": "x", "code": ""}).status_code == 404
    assert post(client, page, f"{page}/retire", {}).status_code == 403
    assert db.session.scalar(select(Grid.id).where(Grid.village_id == wj.id)) is None
    auth.logout()
    auth.login("grid")
    assert client.get(page).status_code == 403 and client.get("/town/villages").status_code == 403
    assert db.session.scalar(select(VillageGroup.id)) is None
